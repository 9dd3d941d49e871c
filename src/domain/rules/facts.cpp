// SPDX-License-Identifier: MIT
// The facts a case's events give: the processing-time row, the inquiry date, who USCIS waits for.
#include <fmt/format.h>

#include <array>

#include "casewatch/domain/catalog.hpp"
#include "facts.hpp"

namespace casewatch::rules_detail {

// "SCD, the service centers' figure", "FOD, the field offices' figure", "YSC".
std::string row_office_words(const ProcessingTime& row) {
  if (row.office.empty()) {
    return "any office (your own row)";
  }
  if (row.office == "SCD") {
    return "SCD, the service centers' figure";
  }
  if (row.office == "FOD") {
    return "FOD, the field offices' figure";
  }
  return row.office;
}

// The sentence that says which row was used and why, when it is not the case's own
// (docs/rules.md, "Which row, said": nothing is substituted silently).
std::optional<std::string> row_note(const Case& c, const Evaluation& ev,
                                    const ProcessingTimeTable& table) {
  if (ev.choice.row == nullptr) {
    return std::nullopt;
  }
  const ProcessingTime& row = *ev.choice.row;
  const std::optional<std::string>& office = ev.office.office;
  bool category_posted = false;
  if (c.category) {
    for (const ProcessingTime& r : table.rows()) {
      if (r.form == c.form && r.category == *c.category) {
        category_posted = true;
        break;
      }
    }
  }
  std::string used =
      row.category.empty()
          ? fmt::format("used your row for any category at {}", row_office_words(row))
          : fmt::format("used {} at {}", row.category, row_office_words(row));
  bool other_category = c.category && row.category != *c.category;
  bool other_office = !office || row.office != *office;
  if (!other_category && !other_office) {
    return std::nullopt;
  }
  if (c.category && !category_posted) {
    return fmt::format("USCIS posts no {} time for category {}; {}{}.", c.form, *c.category, used,
                       ev.choice.category_candidates.empty() ? "" : ", the slowest category");
  }
  if (!office) {
    return fmt::format("The case names no office; {}, the slowest of the offices that post it.",
                       used);
  }
  if (!other_office) {
    return std::nullopt;  // the case's own office, a category chosen: category-needed says it
  }
  std::string kind = is_single_field_office(*office)        ? ", a field office"
                     : *office == "SCD" || *office == "FOD" ? ""
                                                            : ", a service center";
  std::string what = c.category && category_posted ? c.form + " " + *c.category : c.form;
  std::string why;
  if (row.office != aggregate_office(*office) && !row.office.empty() && c.category &&
      category_posted && row.category == *c.category) {
    why = fmt::format(
        ", the slowest office that posts {}: the category says more about the case "
        "than the office",
        *c.category);
  }
  return fmt::format("USCIS posts no {} time at {}{}; {}{}.", what, *office, kind, used, why);
}

bool form_known(std::string_view form, const ProcessingTimeTable& table) {
  if (builtin_catalog().knows_form(form)) {
    return true;
  }
  return std::any_of(table.rows().begin(), table.rows().end(),
                     [&](const ProcessingTime& r) { return r.form == form; });
}

void work_out_inquiry_date(const ProcessingTimeTable& table, Facts& f) {
  // Confirmed by the user (--form-known): a form without a posted time, the 6-month rule.
  f.form_unknown = !f.c.form_confirmed && !form_known(f.c.form, table);
  Evaluation& ev = f.out;
  // A form casewatch does not know has no inquiry date until it is corrected (docs/rules.md
  // `form-unknown`): no posted time and no 6-month rule for what may be a typo.
  if (!f.c.received || f.form_unknown) {
    return;
  }
  Date received = *f.c.received;
  std::optional<std::string_view> category;
  if (f.c.category) {
    category = *f.c.category;
  }
  std::optional<std::string_view> office;
  if (ev.office.office) {
    office = *ev.office.office;
  }
  ev.choice = table.choose(f.c.form, category, office, received);
  switch (ev.choice.outcome) {
    case ChoiceOutcome::found: {
      const ProcessingTime& row = *ev.choice.row;
      Date by_time = add_posted_time(received, row.time);
      ev.inquiry_date = by_time;
      // Received before USCIS's own published inquiry date: USCIS declared the case
      // eligible on the publication date.
      if (row.inquiry_date && received < *row.inquiry_date) {
        ev.inquiry_date = std::min(by_time, row.published);
      }
      if (f.detail != Detail::inquiry) {
        ev.row_note = row_note(f.c, ev, table);
      }
      if (!ev.office.office && !row.office.empty()) {
        for (const ProcessingTime& r : table.rows()) {
          if (r.form == row.form && r.category == row.category && !r.office.empty()) {
            f.office_candidates.push_back(&r);
          }
        }
        if (f.office_candidates.size() < 2) {
          f.office_candidates.clear();
        }
        ev.office_assumed = !f.office_candidates.empty();
      }
      break;
    }
    case ChoiceOutcome::no_row_for_form:
      ev.inquiry_date = add_months(received, t::k_no_posted_time_months);
      break;
    case ChoiceOutcome::office_needed:
      break;
  }
}

// Who USCIS is waiting for, and since when the ladder may act again (docs/rules.md,
// "Waiting on the applicant").
void work_out_waiting(Facts& f) {
  for (const Event& e : f.events) {
    if (e.kind != EventKind::rfe && e.kind != EventKind::noid) {
      continue;
    }
    const Event* response = f.after(e, EventKind::response);
    if (response == nullptr) {
      if (f.waiting == nullptr) {
        f.waiting = &e;
      }
    } else if (f.resumed == nullptr || response->date > f.resumed->date) {
      f.resumed = response;
    }
  }
}

}  // namespace casewatch::rules_detail
