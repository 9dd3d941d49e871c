// SPDX-License-Identifier: MIT
#include "casewatch/domain/status_import.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "casewatch/domain/rules.hpp"
#include "casewatch/util/text.hpp"

namespace casewatch::status {
namespace {

bool same_title(const std::optional<std::string>& a, std::string_view b) {
  return a && normalize_title(*a) == normalize_title(b);
}

// Whether an undated status is the one the timeline already ends with: the latest imported
// status has its title (a page changed since, its status did not).
bool still_current(std::span<const Event> timeline, const Event& e) {
  const Event* latest = nullptr;
  for (const Event& x : timeline) {
    if (x.source && x.kind != EventKind::updated &&
        (latest == nullptr || x.date > latest->date ||
         (x.date == latest->date && x.id > latest->id))) {
      latest = &x;
    }
  }
  return latest != nullptr && e.title && same_title(latest->title, *e.title);
}

std::string hint_for(std::string_view hint, const std::string& name) {
  std::string out(hint);
  if (auto at = out.find("{case}"); at != std::string::npos) {
    out.replace(at, 6, name);
  }
  return out;
}

}  // namespace

bool already_recorded(std::span<const Event> timeline, const Event& e) {
  return std::any_of(timeline.begin(), timeline.end(), [&](const Event& x) {
    if (x.kind != e.kind || x.date != e.date) {
      return false;
    }
    if (e.kind == EventKind::updated) {
      return true;
    }
    if (!x.source) {
      return e.kind != EventKind::note;
    }
    return e.title ? same_title(x.title, *e.title) : !x.title;
  });
}

ImportPlan plan_import(const Snapshot& s, const Case& c, std::span<const Event> timeline,
                       Date as_of, const OfficeFinder& office_in,
                       const std::optional<std::string>& fingerprint_before) {
  ImportPlan plan;
  std::vector<Event> seen(timeline.begin(), timeline.end());
  std::string name = display_name(c);
  auto warn = [&](std::string text) { plan.warnings.push_back(fmt::format("{}: {}", name, text)); };
  if (s.source == Source::myuscis && s.page == "case" && s.observations.empty()) {
    warn(
        "the myUSCIS case page names no status title; the status page "
        "(…/case-service/api/case_status/RECEIPT, saved from the browser) does");
  }
  for (const Observation& o : s.observations) {
    if (o.title.empty()) {
      continue;
    }
    const Title* t = find_title(o.title);
    if (t != nullptr && !t->kind) {
      continue;  // an observation only: nothing happened to the case
    }
    std::optional<EventKind> by_words = t == nullptr ? kind_by_words(o.title) : std::nullopt;
    // What is said about this status, once it is known to be new.
    std::vector<std::string> about;
    auto say = [&](std::string text) { about.push_back(fmt::format("{}: {}", name, text)); };
    Event e;
    e.case_id = c.id;
    e.kind = t != nullptr ? *t->kind : by_words.value_or(EventKind::note);
    e.source = std::string(to_string(s.source));
    e.observed = as_of;
    e.title = o.title;
    std::optional<Date> date = o.date;
    if (!date && o.current) {
      date = s.updated;
    }
    if (!date) {
      say(fmt::format("the status {} carries no date; recorded on {}", text::quoted(o.title),
                      format_date(as_of)));
      date = as_of;
    }
    if (*date > as_of) {
      warn(fmt::format("the status {} is dated {}, after {}; refused", text::quoted(o.title),
                       format_date(*date), format_date(as_of)));
      ++plan.refused;
      continue;
    }
    if (c.received && *date < *c.received) {
      warn(fmt::format(
          "the status {} is dated {}, before the case was received ({}); refused: is it the "
          "status of another case?",
          text::quoted(o.title), format_date(*date), format_date(*c.received)));
      ++plan.refused;
      continue;
    }
    e.date = *date;
    bool response_kind = e.kind == EventKind::rfe || e.kind == EventKind::noid;
    // An RFE's or NOID's "If you do not receive ... by D" is the day to ask for a copy of
    // the notice, never its response date (docs/rules.md, "USCIS's status words").
    std::optional<Date> due = response_kind ? o.response_due : o.due;
    if (due && may_have_due(e.kind) && *due >= e.date) {
      e.due = due;
    }
    if (t == nullptr) {
      say(by_words ? fmt::format("USCIS's status title {} is not in casewatch's catalogue; read "
                                 "by its words as {}",
                                 text::quoted(o.title), to_string(e.kind))
                   : fmt::format("USCIS's status title {} is not in casewatch's catalogue; "
                                 "kept whole as a note",
                                 text::quoted(o.title)));
    }
    if ((t == nullptr || e.kind == EventKind::note) && !o.paragraph.empty()) {
      e.note = o.paragraph;
    }
    if (t != nullptr && !t->hint.empty()) {
      say(hint_for(t->hint, name));
    }
    if (e.kind == EventKind::transfer) {
      e.office = office_in ? office_in(o.paragraph) : std::nullopt;
      if (!e.office) {
        e.note =
            "USCIS's status names no office: the office is unknown since this transfer, until a "
            "notice names it";
      }
    }
    if (e.kind == EventKind::revoked && automatic_revocation(o.title)) {
      e.note =
          "An automatic revocation (8 CFR 205.1) has no appeal: read the notice; consult an "
          "attorney";
    }
    if (response_kind && !e.due) {
      std::string copy =
          o.due ? fmt::format(
                      "; USCIS's {} is the day to ask for a copy if the notice has not "
                      "arrived, not a response date",
                      format_date(*o.due))
                : std::string();
      say(
          fmt::format("USCIS's status gives no response date; give the one printed on the notice "
                      "(casewatch event {} {} --on {} --due DATE); assuming {}{}",
                      name, to_string(e.kind), format_date(e.date),
                      format_date(default_response_due(c.form, e.kind, e.date)), copy));
    }
    ++plan.accepted;
    if (already_recorded(seen, e) || (!o.date && still_current(seen, e))) {
      continue;
    }
    std::optional<Event> also;
    if (t != nullptr && t->also) {
      also = e;
      also->kind = *t->also;
      also->due.reset();
    }
    seen.push_back(e);
    plan.events.push_back(std::move(e));
    if (also && !already_recorded(seen, *also)) {
      seen.push_back(*also);
      plan.events.push_back(std::move(*also));
    }
    plan.warnings.insert(plan.warnings.end(), about.begin(), about.end());
  }
  // A document that changed with no new status: a silent update.
  if (fingerprint_before && *fingerprint_before != s.fingerprint && plan.events.empty()) {
    Event u;
    u.case_id = c.id;
    u.kind = EventKind::updated;
    u.date = std::min(s.updated.value_or(as_of), as_of);
    u.source = std::string(to_string(s.source));
    u.observed = as_of;
    if (!already_recorded(seen, u)) {
      plan.silent_update = u;
    }
  }
  return plan;
}

std::string fingerprint_key(const Snapshot& s) {
  std::string key(to_string(s.source));
  return s.page.empty() ? key : key + "-" + s.page;
}

Expected<Date> received_date(const Snapshot& s) {
  if (!s.form) {
    return Error{fmt::format(
        "the status names no form, so the case cannot be added; add it with 'casewatch add {} "
        "--form FORM --received DATE' and import again",
        s.receipt)};
  }
  std::optional<Date> received = s.submitted;
  for (const Observation& o : s.observations) {
    const Title* t = find_title(o.title);
    if (!received && t != nullptr && t->kind == EventKind::receipt && o.date) {
      received = o.date;
    }
  }
  if (!received) {
    for (const Observation& o : s.observations) {
      if (o.date && (!received || *o.date < *received)) {
        received = o.date;
      }
    }
  }
  if (!received) {
    return Error{fmt::format(
        "the status carries no date USCIS received the case, so the case cannot be added; add "
        "it with 'casewatch add {} --form {} --received DATE' and import again",
        s.receipt, *s.form)};
  }
  return *received;
}

}  // namespace casewatch::status
