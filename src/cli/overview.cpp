// SPDX-License-Identifier: MIT
// The overview's words: what `list` says of a case in a few words (docs/cli.md `list`).
#include "casewatch/cli/overview.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <tuple>

#include "casewatch/util/text.hpp"

namespace casewatch::cli {
namespace {

// Within this many days of today a date is shown without its year.
constexpr int k_short_date_days = 183;

// The words of a rule's stage that needs no date, keyed on (rule, stage); "" for any stage.
struct Words {
  std::string_view rule;
  std::string_view stage;
  std::string_view words;
};

constexpr std::array k_words = {
    Words{"inquiry", "open", "e-Request"},
    Words{"inquiry", "waiting", "wait for USCIS's reply"},
    Words{"inquiry", "paused", "paused: answer USCIS"},
    Words{"inquiry", "contacted", "wait for USCIS's reply"},
    Words{"inquiry", "visa-unavailable", "wait: no visa number"},
    Words{"inquiry-followup", "", "follow up"},
    Words{"ombudsman", "open", "ask the Ombudsman"},
    Words{"ombudsman", "contact-too-old", "contact USCIS again"},
    Words{"congress", "", "ask Congress"},
    Words{"mandamus", "", "mandamus: ask attorney"},
    Words{"n400-1447b", "", "1447(b)"},
    Words{"lockbox", "", "no receipt: lockbox"},
    Words{"premium", "", "premium refund"},
    Words{"appeal-window", "none", "no appeal or motion"},
    Words{"rejected", "", "rejected: file again"},
    Words{"no-show", "", "missed: reschedule"},
    Words{"status", "updated", "USCIS updated the case"},
    Words{"office-needed", "nbc-field-office", "NBC: set the field office"},
    Words{"office-assumed", "nbc-field-office", "NBC: set the field office"},
    Words{"office-needed", "", "set the office"},
    Words{"category-needed", "", "set the category"},
    Words{"office-assumed", "", "office assumed: set it"},
    Words{"form-unknown", "", "check the form"},
    Words{"ap-travel", "", "do not travel yet"},
    Words{"ead-gap", "", "EAD: no auto-extension"},
    // Documents (docs/rules.md, "Documents a person holds").
    Words{"i751-window", "before", "I-751 window not open yet"},
    Words{"i751-window", "closing", "file I-751 now"},
    Words{"i751-window", "late", "I-751 late: ask attorney"},
    Words{"i751-window", "extended", "I-751 pending: card extended"},
    Words{"i751-window", "stamp", "ask for an I-551 stamp"},
    Words{"i751-window", "", "file I-751"},
    Words{"n400-early", "waiting", "N-400: not yet"},
    Words{"n400-early", "broken", "trip broke residence"},
    Words{"n400-early", "presumed-break", "long trip: presumed break"},
    Words{"n400-early", "presence", "N-400: presence short"},
    Words{"n400-early", "filed-early", "N-400 filed early"},
    Words{"n400-early", "", "you may file N-400"},
    Words{"ead-renewal", "open", "EAD: you may renew"},
    Words{"ead-renewal", "closing", "EAD ends soon"},
    Words{"ead-renewal", "pending", "EAD renewal pending"},
    Words{"ead-renewal", "extended", "EAD auto-extended"},
    Words{"ead-renewal", "lapsed", "EAD expired"},
    Words{"ead-renewal", "", "renew EAD"},
    Words{"daca-renewal", "open", "DACA: you may renew"},
    Words{"daca-renewal", "closing", "renew DACA now"},
    Words{"daca-renewal", "pending", "DACA renewal pending"},
    Words{"daca-renewal", "lapsed", "DACA expired"},
    Words{"daca-renewal", "", "renew DACA"},
    Words{"green-card-renewal", "expired", "card expired: file I-90"},
    Words{"green-card-renewal", "extended", "I-90 pending: card extended"},
    Words{"green-card-renewal", "stamp", "ask for an I-551 stamp"},
    Words{"green-card-renewal", "", "you may file I-90"},
    Words{"advance-parole", "closing", "return before parole ends"},
    Words{"advance-parole", "expired-abroad", "parole expired abroad"},
    Words{"advance-parole", "", "parole expires soon"},
    Words{"priority-date", "no-queue", "no visa wait"},
    Words{"priority-date", "no-bulletin", "import a bulletin"},
    Words{"priority-date", "month-missing", "bulletin month missing"},
    Words{"priority-date", "no-row", "no bulletin row"},
    Words{"priority-date", "chart-unknown", "bulletin chart unknown"},
    Words{"priority-date", "retrogressed", "visa date retrogressed"},
    Words{"priority-date", "current", "visa date current"},
    Words{"priority-date", "may-file", "you may file I-485"},
    Words{"priority-date", "interview", "NVC interview may come"},
    Words{"priority-date", "documents", "NVC documents"},
    Words{"priority-date", "waiting", "visa date not current"},
    Words{"priority-date", "petition-pending", "petition still pending"},
    Words{"nvc-transfer", "ask", "ask the NVC"},
    Words{"nvc-transfer", "", "petition to the NVC"},
    Words{"nvc-203g", "liable", "NVC may terminate"},
    Words{"iv-221g-docs", "terminated", "221(g) year ended"},
    Words{"iv-221g-admin", "", "221(g) admin processing"},
    Words{"visa-validity", "expired", "visa expired unused"},
    Words{"immigrant-fee", "", "pay Immigrant Fee"},
    Words{"lpr-evidence", "no-card", "no card: appointment"},
    Words{"lpr-evidence", "", "stamp is evidence"},
    Words{"expedite-basis", "denied", "expedite denied"},
    Words{"expedite-basis", "", "expedite: checklist"},
    Words{"expedite-followup", "", "expedite: follow up"},
    Words{"expedite-needby", "", "needed soon: escalate"},
    Words{"expedite-approved-stalled", "", "expedite: no decision"},
};

std::string with_words(std::string_view words, std::string_view date) {
  return fmt::format("{} {}", words, date);
}

}  // namespace

std::string overview_date(Date d, Date as_of, bool assumed) {
  std::string shown = format_date(d);
  if (std::abs(days_between(as_of, d)) <= k_short_date_days) {
    shown = shown.substr(5);  // "2026-12-13" -> "12-13"
  }
  return assumed ? shown + "?" : shown;
}

std::string due_cell(std::optional<Date> due, bool assumed) {
  if (!due) {
    return "-";
  }
  return format_date(*due) + (assumed ? "?" : "");
}

std::string now_words(const Finding& f, Date as_of) {
  bool due_assumed = f.assumed;
  auto date = [&](Date d) { return overview_date(d, as_of, due_assumed); };
  if ((f.rule == "rfe-due" || f.rule == "noid-due") && f.due) {
    std::string_view what = f.rule == "rfe-due" ? "RFE" : "NOID";
    if (f.stage == "passed") {
      return fmt::format("{} was due {}", what, date(*f.due));
    }
    return *f.due == as_of ? fmt::format("{} due today{}", what, due_assumed ? "?" : "")
                           : fmt::format("{} due {}", what, date(*f.due));
  }
  if (f.rule == "ombudsman" && (f.stage == "open" || f.stage == "closing") && f.until) {
    return fmt::format("Ombudsman: until {}", overview_date(*f.until, as_of));
  }
  if ((f.rule == "nvc-203g" || f.rule == "iv-221g-docs") && f.stage != "liable" &&
      f.stage != "terminated" && f.due) {
    return with_words(f.rule == "nvc-203g" ? "NVC: act by" : "221(g): send by", date(*f.due));
  }
  if (f.rule == "visa-validity" && f.stage != "expired" && f.due) {
    return with_words("enter by", date(*f.due));
  }
  if (f.rule == "appeal-window" && f.due) {
    return with_words(f.stage == "revoked" ? "appeal by" : "file by", date(*f.due));
  }
  if (f.rule == "non-delivery") {
    return fmt::format("{} not received", f.stage.starts_with("card") ? "card" : "notice");
  }
  if (f.rule == "returned") {
    return fmt::format("{} returned: new address", f.stage);
  }
  if (f.rule == "status" && f.stage != "updated") {
    std::string kind = f.stage;
    std::replace(kind.begin(), kind.end(), '-', ' ');
    return "USCIS: " + kind;
  }
  for (const Words& w : k_words) {
    if (w.rule == f.rule && (w.stage.empty() || w.stage == f.stage)) {
      return std::string(w.words);
    }
  }
  return text::shorten(f.title.empty() ? f.rule : f.title, k_now_columns);
}

// A date sorts before no date.
namespace {

std::pair<bool, Date> date_key(const std::optional<Date>& d) {
  return {!d.has_value(), d.value_or(Date{})};
}

}  // namespace

Date received_key(const Case& c) {
  return c.received ? *c.received : c.sent.value_or(Date{});
}

bool row_before(const RowKey& a, const RowKey& b, SortBy by) {
  auto urgency = [](const RowKey& r) {
    return std::tuple(r.urgency, date_key(r.due), date_key(r.since));
  };
  switch (by) {
    case SortBy::urgency:
      return std::tuple(urgency(a), a.id) < std::tuple(urgency(b), b.id);
    case SortBy::due:
      return std::tuple(date_key(a.due), urgency(a), a.id) <
             std::tuple(date_key(b.due), urgency(b), b.id);
    case SortBy::received:
      return std::tuple(a.received, a.id) < std::tuple(b.received, b.id);
    case SortBy::id:
      break;
  }
  return a.id < b.id;
}

// The NOW column: the most pressing finding in a few words (overview.hpp); a decided case
// says its status first.
std::string now_text(const Row& r) {
  std::string text;
  if (r.now) {
    text = now_words(*r.now, r.ev.as_of);
  }
  if (r.ev.status != Status::pending) {
    return std::string(to_string(r.ev.status)) + (text.empty() ? "" : ": " + text);
  }
  return text.empty() ? "-" : text;
}

// The DUE column: the nearest open deadline, "?" after a date casewatch assumed.
std::string due_text(const Evaluation& ev) {
  std::optional<Date> due = ev.nearest_due();
  bool assumed = due && std::any_of(ev.deadlines.begin(), ev.deadlines.end(),
                                    [&](const Deadline& d) { return d.due == *due && d.assumed; });
  return due_cell(due, assumed);
}

std::string next_text(const NextStep* next) {
  if (next == nullptr) {
    return "-";
  }
  // A step that waits on the user has no date: say so in two words, the rest is in suggest.
  if (next->on && next->assumed) {
    return fmt::format("{} {} {}", format_date(*next->on), k_office_assumed_mark, next->title);
  }
  return next->on ? fmt::format("{} {}", format_date(*next->on), next->title)
                  : fmt::format("{} (no date yet)", next->title);
}

// The NEXT cell's step: the earliest of a rule other than NOW's, which DUE and NOW already
// say ("RFE due 01-25?" needs no "RFE response due: 14 days left" beside it); else the
// earliest (docs/cli.md, `list`). JSON's `next` stays the earliest step.
const NextStep* next_beside(const Evaluation& ev, const std::optional<Finding>& now) {
  if (now) {
    for (const NextStep& n : ev.next) {
      if (n.rule != now->rule) {
        return &n;
      }
    }
  }
  return ev.earliest_next();
}

RowKey row_key(const Case& c, const Evaluation& ev, const std::optional<Finding>& now) {
  return RowKey{now ? -static_cast<int>(now->severity) : 1, ev.nearest_due(),
                now ? std::optional<Date>(now->since) : std::nullopt, received_key(c), c.id};
}

bool kept_in_overview(const Evaluation& ev) {
  const Finding* top = ev.most_pressing();
  // A decided case stays in the overview while something about it is pressing (a motion
  // window, a card that never came); an approved petition on the consular stage while its
  // rules say something (docs/rules.md, "The consular stage").
  bool pressing = top != nullptr && top->severity != Severity::info;
  return ev.status == Status::pending || pressing || ev.consular;
}

}  // namespace casewatch::cli
