// SPDX-License-Identifier: MIT
// The phrase helpers every rule family shares (docs/rules.md).
#include <fmt/format.h>

#include <cctype>

#include "facts.hpp"

namespace casewatch::rules_detail {

std::string d(Date x) {
  return format_date(x);
}

std::string plural_days(int n) {
  return text::count(static_cast<std::size_t>(n), "day");
}

// "on 2024-10-18, 771 days ago" (the age of a publication, in the past tense).
std::string published_ago(Date published, Date as_of) {
  int age = days_between(published, as_of);
  if (age <= 0) {
    return fmt::format("on {}, today", d(published));
  }
  return fmt::format("on {}, {} ago", d(published), plural_days(age));
}

std::string_view what_of(EventKind k) {
  return k == EventKind::noid ? "NOID" : "RFE";
}

// "I-765 at QNS", "I-485 at any office" (a user's aggregate row).
std::string office_phrase(const ProcessingTime& row) {
  return fmt::format("{} {}", row.form, row.office.empty() ? "at any office" : "at " + row.office);
}

// "USCIS posted 9 months for N-400 at QNS on 2024-10-18, 771 days ago (category 160A)".
std::string posted_phrase(const ProcessingTime& row, Date as_of) {
  std::string who = row.source == "set" ? "USCIS posted (as you recorded it)" : "USCIS posted";
  std::string cat = row.category.empty() ? "" : fmt::format(" (category {})", row.category);
  return fmt::format("{} {} for {} {}{}", who, describe(row.time), office_phrase(row),
                     published_ago(row.published, as_of), cat);
}

// Appends the row note ("used 147-C9 at SCD, ...") to a reason resting on the row.
std::string with_row_note(std::string reason, const Evaluation& ev) {
  if (ev.row_note) {
    reason += " " + *ev.row_note;
  }
  return reason;
}

// The reply clock of the last contact: the last day of USCIS's 15 business days.
Date reply_due(const Event& contact, const HolidayCalendar& holidays) {
  return add_business_days(contact.date, t::k_reply_goal_business_days, holidays);
}

// The response due date of an RFE or NOID: the date on the notice, else the default.
Date response_due(const Event& e, std::string_view form) {
  return e.due.value_or(default_response_due(form, e.kind, e.date));
}

// "the RFE of 2025-02-03, due 2025-04-28".
std::string waiting_phrase(const Facts& f) {
  const Event& e = *f.waiting;
  return fmt::format("the {} of {}, due {}{}", what_of(e.kind), d(e.date),
                     d(response_due(e, f.c.form)), e.due ? "" : " (assumed)");
}

// The reason of a finding that rests on the inquiry date: why the case is outside
// processing time, with the row and its age.
std::string outside_basis(const Facts& f) {
  const Evaluation& ev = f.out;
  Date inquiry = *ev.inquiry_date;
  if (ev.choice.row == nullptr) {
    return fmt::format(
        "USCIS posts no processing time for {}; a case pending more than {} months may be "
        "inquired about: received {} + {} months = {}.",
        f.c.form, t::k_no_posted_time_months, d(*f.c.received), t::k_no_posted_time_months,
        d(inquiry));
  }
  const ProcessingTime& row = *ev.choice.row;
  std::string basis = posted_phrase(row, f.as_of);
  if (row.inquiry_date && *f.c.received < *row.inquiry_date && inquiry == row.published) {
    basis += fmt::format(
        ", and the case was received before USCIS's published case inquiry date {}, so USCIS "
        "considered it eligible for an inquiry from {}.",
        d(*row.inquiry_date), d(row.published));
  } else {
    basis +=
        fmt::format(": received {} + {} = {}.", d(*f.c.received), describe(row.time), d(inquiry));
  }
  return with_row_note(basis, ev);
}

}  // namespace casewatch::rules_detail

namespace casewatch {

DateSpan response_period(const Event& e, std::string_view form) {
  return DateSpan{e.date, rules_detail::response_due(e, form)};
}

}  // namespace casewatch
