// SPDX-License-Identifier: MIT
// The case's status (docs/rules.md): rejected, no-show, status, office-needed, category-needed.
#include <fmt/format.h>

#include "casewatch/domain/catalog.hpp"
#include "facts.hpp"

namespace casewatch::rules_detail {

// The stage of `office-needed` and `office-assumed` when the user set NBC for a form NBC
// hands to a field office (docs/rules.md `office-assumed`).
constexpr std::string_view k_nbc_stage = "nbc-field-office";

// The latest event of `kinds` that is the latest decision (is_decision) of the timeline.
const Event* latest_decision(const Facts& f) {
  for (auto it = f.events.rbegin(); it != f.events.rend(); ++it) {
    if (is_decision(it->kind)) {
      return &*it;
    }
  }
  return nullptr;
}

// A rejected filing (docs/rules.md `rejected`): not pending; it must be sent again, and the
// old receipt number is void. True while the rejection is the latest decision.
void rule_rejected(Facts& f) {
  const Event* rejected = latest_decision(f);
  if (rejected == nullptr || rejected->kind != EventKind::rejected) {
    return;
  }
  f.add(
      "rejected", Severity::urgent, rejected->date, "open",
      [&] {
        return Texts{
            fmt::format("USCIS rejected the filing on {}: it must be sent again",
                        d(rejected->date)),
            fmt::format("A rejected filing is not pending: its receipt number is void, and any "
                        "date it held (received, priority) no longer counts. USCIS's status: "
                        "{}.",
                        rejected->title ? *rejected->title : std::string("rejected")),
            fmt::format("Fix what the rejection notice names (signature, fee, form edition) and "
                        "file a new package. When the new receipt arrives: casewatch add "
                        "RECEIPT --form {} --received DATE (and casewatch rm {} if you no "
                        "longer want this one listed).",
                        shell_word(f.c.form), f.name)};
      },
      k_src_case_status);
}

// No one appeared for an appointment (docs/rules.md `no-show`): the case may be denied as
// abandoned (8 CFR 103.2(b)(13)) unless a later appointment is logged.
void rule_no_show(Facts& f) {
  if (!f.pending()) {
    return;
  }
  const Event* miss = f.latest({EventKind::no_show});
  if (miss == nullptr) {
    return;
  }
  auto later = [&](EventKind k) {
    const Event* x = f.after(*miss, k);
    if (x != nullptr) {
      return true;
    }
    return std::any_of(f.scheduled.begin(), f.scheduled.end(),
                       [&](const Event& e) { return e.kind == k; });
  };
  if (later(EventKind::biometrics) || later(EventKind::interview) ||
      later(EventKind::biometrics_done)) {
    return;
  }
  f.add(
      "no-show", Severity::urgent, miss->date, "open",
      [&] {
        return Texts{
            fmt::format("USCIS says no one appeared for the appointment (status of {})",
                        d(miss->date)),
            "A missed biometrics appointment or interview lets USCIS deny the case as "
            "abandoned (8 CFR 103.2(b)(13)).",
            fmt::format("If you missed it, ask to reschedule at once (the notice says how; the "
                        "Contact Center, {}); if you did appear, tell USCIS and keep the proof. "
                        "Consider consulting an immigration attorney. Record the new "
                        "appointment: casewatch event {} biometrics --on DATE (or interview).",
                        k_contact_center, f.name)};
      },
      k_src_rfe);
}

// How pressing USCIS's own status of `k` is (docs/rules.md `status`).
Severity status_severity(EventKind k) {
  switch (k) {
    case EventKind::denied:
    case EventKind::revoked:
    case EventKind::rejected:
    case EventKind::noid:
    case EventKind::card_returned:
    case EventKind::notice_returned:
    case EventKind::card_destroyed:
    case EventKind::no_show:
      return Severity::urgent;
    case EventKind::approved:
    case EventKind::card_produced:
    case EventKind::rfe:
    case EventKind::expedite_denied:
    case EventKind::interview_cancelled:
    case EventKind::reopened:
      return Severity::action;
    default:
      return Severity::info;
  }
}

// USCIS's latest status, from status import (docs/rules.md `status`): news for 30 days
// after its date; a silent update (an `updated` event after it) likewise.
void rule_status(Facts& f) {
  const Event* latest = nullptr;
  const Event* silent = nullptr;
  for (auto it = f.events.rbegin(); it != f.events.rend(); ++it) {
    if (!it->source) {
      continue;
    }
    if (it->kind == EventKind::updated) {
      if (silent == nullptr && latest == nullptr) {
        silent = &*it;
      }
      continue;
    }
    latest = &*it;
    break;
  }
  auto fresh = [&](const Event& e) { return f.within(e.date + days{t::k_status_news_days}); };
  if (latest != nullptr && fresh(*latest)) {
    std::string title = latest->title ? *latest->title : std::string(to_string(latest->kind));
    f.add(
        "status", status_severity(latest->kind), latest->date, std::string(to_string(latest->kind)),
        [&] {
          std::string seen =
              latest->observed ? fmt::format(", seen on {}", d(*latest->observed)) : "";
          std::string due =
              latest->due ? fmt::format(" USCIS's own date in it: {}.", d(*latest->due)) : "";
          std::string extra;
          if (latest->kind == EventKind::expedite_denied) {
            extra =
                " The CIS Ombudsman does not review a USCIS expedite denial; the delay steps "
                "go on as before.";
          }
          return Texts{
              fmt::format("USCIS: {} (on {})", title, d(latest->date)),
              fmt::format("USCIS's status (from {}{}): {} ({}).{}{}", *latest->source, seen, title,
                          describe(latest->kind), due, extra),
              fmt::format("See the timeline: casewatch show {}; what you may do next: casewatch "
                          "suggest {}.",
                          f.name, f.name)};
        },
        k_src_case_status);
  }
  if (silent != nullptr && fresh(*silent)) {
    f.add(
        "status", Severity::info, silent->date, "updated",
        [&] {
          return Texts{
              fmt::format("USCIS updated the case without a new status on {}", d(silent->date)),
              fmt::format("The case's record at USCIS (from {}) changed on {} while its status "
                          "stayed the same; a notice may be on its way.",
                          *silent->source, d(silent->date)),
              fmt::format("Watch the mail and your USCIS account; casewatch show {}.", f.name)};
        },
        k_src_case_status);
  }
}

void rule_office_needed(Facts& f) {
  Evaluation& ev = f.out;
  if (!f.pending() || ev.choice.outcome != ChoiceOutcome::office_needed || !f.c.received) {
    return;
  }
  std::string why =
      ev.office.nbc_field_office_form
          ? fmt::format(
                "{} cases at the National Benefits Center are decided by the local field "
                "office, and USCIS posts a time for each field office.",
                f.c.form)
      : ev.office.office
          ? fmt::format(
                "USCIS posts no {} time for office {}, and its times for {} differ "
                "from one field office to the next.",
                f.c.form, *ev.office.office, f.c.form)
          : fmt::format(
                "USCIS posts {} times for each field office, and this case names "
                "no office{}.",
                f.c.form, f.c.receipt ? " (its receipt prefix does not tell one)" : "");
  const bool nbc = ev.office.nbc_field_office_form;
  f.add(
      "office-needed", Severity::info, *f.c.received, std::string(nbc ? k_nbc_stage : "open"),
      [&] {
        return Texts{
            nbc ? "NBC: set the field office to compare this case with processing times"
                : "Set the office to compare this case with processing times",
            why + " Until the office is known, the rules that need the inquiry date wait.",
            fmt::format(
                "Set {} when you know it (the interview notice or the case status names it): "
                "casewatch edit {} --office CODE. Codes: casewatch times list --form {}",
                nbc ? "the field office" : "it", f.name, shell_word(f.c.form))};
      },
      k_src_more_info);
}

void rule_category_needed(Facts& f) {
  Evaluation& ev = f.out;
  if (!f.pending() || ev.choice.category_candidates.empty() || ev.choice.row == nullptr) {
    return;
  }
  const ProcessingTime& row = *ev.choice.row;
  // The categories of the chosen row's office, each once (docs/rules.md `category-needed`).
  std::vector<std::string> listed;
  std::vector<std::string_view> seen;
  for (const ProcessingTime* r : ev.choice.category_candidates) {
    if (r->office != row.office || std::find(seen.begin(), seen.end(), r->category) != seen.end()) {
      continue;
    }
    seen.push_back(r->category);
    listed.push_back(fmt::format("{} {}", r->category, describe(r->time)));
  }
  f.add(
      "category-needed", Severity::info, *f.c.received, "open",
      [&] {
        return Texts{
            "Set the category for a precise processing time",
            fmt::format("USCIS posts {} categories of {} at {}: {}. casewatch assumed the slowest: "
                        "{}.",
                        listed.size(), f.c.form, row.office, fmt::join(listed, ", "),
                        posted_phrase(row, f.as_of)),
            fmt::format(
                "casewatch edit {} --category KEY (the categories: casewatch times list --form "
                "{})",
                f.name, shell_word(f.c.form))};
      },
      k_src_more_info);
}

// The office unknown, the slowest office's time was assumed (docs/rules.md `office-assumed`):
// the range, and the earliest date at the fastest office.
void rule_office_assumed(Facts& f) {
  Evaluation& ev = f.out;
  if (!f.pending() || f.office_candidates.empty() || !ev.inquiry_date || !f.c.received) {
    return;
  }
  // The user set NBC, which hands the form to a field office: the field office is asked for.
  const bool nbc = ev.office.nbc_field_office_form;
  f.add(
      "office-assumed", Severity::info, *f.c.received, std::string(nbc ? k_nbc_stage : "open"),
      [&] {
        std::vector<std::string> posted;
        Date earliest = *ev.inquiry_date;
        for (const ProcessingTime* r : f.office_candidates) {
          posted.push_back(fmt::format("{} in {}", r->office, describe(r->time)));
          earliest = std::min(earliest, add_posted_time(*f.c.received, r->time));
        }
        return Texts{
            fmt::format("Inquiry date {} {}: set the {}office", d(*ev.inquiry_date),
                        k_office_assumed_mark, nbc ? "field " : ""),
            fmt::format("{} USCIS posts {}{} at {}; casewatch assumed the slowest, so the "
                        "inquiry date is {}. The earliest date at the fastest office is {}.",
                        nbc ? fmt::format("The National Benefits Center (NBC) hands {} cases "
                                          "to the local field office, which the case does "
                                          "not name.",
                                          f.c.form)
                            : std::string("The case names no office."),
                        f.c.form,
                        ev.choice.row->category.empty() ? "" : " " + ev.choice.row->category,
                        fmt::join(posted, ", "), d(*ev.inquiry_date), d(earliest)),
            fmt::format("Set the {}office when a notice or USCIS's status names it: casewatch "
                        "edit {} --office CODE",
                        nbc ? "field " : "", f.name)};
      },
      k_src_more_info);
}

// A form casewatch does not know (docs/rules.md `form-unknown`): no delay step until it is
// right; the nearest known form, if one is close.
void rule_form_unknown(Facts& f) {
  if (!f.pending() || !f.form_unknown) {
    return;
  }
  std::optional<Date> since = f.c.received ? f.c.received : f.c.sent;
  if (!since) {
    return;
  }
  f.add(
      "form-unknown", Severity::info, *since, "open",
      [&] {
        std::vector<std::string> near = builtin_catalog().nearest_forms(f.c.form);
        std::string guess =
            near.empty() ? std::string() : fmt::format(": did you mean {}?", near.front());
        return Texts{
            fmt::format("Check the form{}", near.empty() ? fmt::format(": casewatch does not "
                                                                       "know {}",
                                                                       f.c.form)
                                                         : guess),
            fmt::format("{} is neither in USCIS's lists of forms nor in the processing-time "
                        "table, so casewatch cannot tell when the case is outside normal "
                        "processing time and suggests no e-Request, Ombudsman, congressional or "
                        "mandamus step for it.",
                        f.c.form),
            fmt::format("Correct it: casewatch edit {0} --form {1}; or, if {2} is right, "
                        "confirm it: casewatch edit {0} --form-known",
                        f.name, near.empty() ? std::string("FORM") : shell_word(near.front()),
                        f.c.form)};
      },
      k_src_more_info);
}

}  // namespace casewatch::rules_detail
