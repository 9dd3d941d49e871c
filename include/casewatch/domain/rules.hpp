// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/domain/bulletin.hpp"
#include "casewatch/domain/business_days.hpp"
#include "casewatch/domain/case.hpp"
#include "casewatch/domain/document.hpp"
#include "casewatch/domain/finding.hpp"
#include "casewatch/domain/processing_time.hpp"

namespace casewatch {

// Everything the rules worked out for one case on one date.
struct Evaluation {
  Date as_of;
  Status status = Status::pending;  // on as_of
  EffectiveOffice office;
  Choice choice;                     // the processing-time row, if one applies
  std::optional<Date> inquiry_date;  // received + posted time, or USCIS's earlier date
  // The case names no office and the row is the slowest of several offices' (docs/rules.md
  // `office-assumed`): the inquiry date and what rests on it are assumed.
  bool office_assumed = false;
  // When the row used has another category or office than the case's own: which row was
  // used and why, in one sentence ("USCIS posts no I-765 time at QNS, a field office; used
  // 147-C9 at SCD, the service centers' figure"). Every finding resting on the row says it.
  std::optional<std::string> row_note;
  std::vector<Finding> findings;    // most severe first, then by since and rule
  std::vector<NextStep> next;       // dated first (by date, then rule), then undated by rule
  std::vector<Deadline> deadlines;  // open on as_of (due on or after it), by date
  // The earliest date after as_of on which evaluate() of the same case, events, table and
  // bulletin can give another status or another set of finding keys (key_of: case, rule,
  // since, stage); empty when none can come from the passing of time alone. That is: for
  // every date d with as_of <= d < *wake (every d >= as_of when empty), evaluate(..., d, ...)
  // gives the same `status` and the same multiset of key_of(finding) as on as_of. It holds
  // for Detail::full and Detail::dates alike, with the same value for both; Detail::inquiry,
  // which works out no findings, gives only the date of the next event dated after as_of.
  // Always later than as_of. It may be earlier than needed (one more evaluation), never
  // later. It says nothing of what moves every day without changing a key: the days left
  // in a reason, next steps, deadlines, days_overdue, the age of the processing times.
  std::optional<Date> wake;
  // An approved petition on the consular path before an entered, visa-refused or
  // nvc-terminated, or with something still to say after it (docs/rules.md, "The consular
  // stage"): the overview keeps it like a pending case.
  bool consular = false;

  // Days past the inquiry date for a pending case outside processing time, else empty.
  [[nodiscard]] std::optional<int> days_overdue() const;
  // The earliest dated next step (by date, then rule id); else the first undated one;
  // else null.
  [[nodiscard]] const NextStep* earliest_next() const;
  // The finding that leads the overview: severity first (urgent > action > info), then
  // the nearest due date (findings with one before those without), then the earliest
  // since, then the rule id. Null when there is none.
  [[nodiscard]] const Finding* most_pressing() const;
  // The nearest open deadline (RFE, NOID or appeal), if any.
  [[nodiscard]] std::optional<Date> nearest_due() const;
};

// How much evaluate() works out: `full` gives every finding its title, reason and how;
// `dates` leaves them empty (all else is the same), for commands that need no words;
// `inquiry` stops after status, office, processing-time row and inquiry date (no findings,
// no next steps), which is all `overdue` needs.
enum class Detail { full, dates, inquiry };

// Applies every rule of docs/rules.md to `c` with its `events` (any order; those dated after
// `as_of` are ignored) and the processing-time `table`, as if today were `as_of`.
// Pure: no clock, no I/O. Pending cases get every rule; other cases only appeal-window
// and non-delivery (a card is mailed after approval).
Evaluation evaluate(const Case& c, std::span<const Event> events, const ProcessingTimeTable& table,
                    Date as_of, const HolidayCalendar& holidays, Detail detail = Detail::full);

// The same with the U.S. federal holiday calendar.
Evaluation evaluate(const Case& c, std::span<const Event> events, const ProcessingTimeTable& table,
                    Date as_of, Detail detail = Detail::full);

// The same with the stored Visa Bulletin, for the rule `priority-date` (the overloads above
// use none, so that rule gives nothing there but "no Visa Bulletin stored").
Evaluation evaluate(const Case& c, std::span<const Event> events, const ProcessingTimeTable& table,
                    const BulletinTable& bulletin, Date as_of, const HolidayCalendar& holidays,
                    Detail detail = Detail::full);
Evaluation evaluate(const Case& c, std::span<const Event> events, const ProcessingTimeTable& table,
                    const BulletinTable& bulletin, Date as_of, Detail detail = Detail::full);

// What the case's holder holds, for the case rules that speak of it (docs/rules.md `ead-gap`,
// `ap-travel`): the holder's documents (and those the case renews: renewed_by) and the
// holder's trips. The caller loads them once and groups them by holder.
struct Holdings {
  std::span<const Document> documents;
  std::span<const Trip> trips;
};
// The same, the case rules seeing `holdings`.
Evaluation evaluate(const Case& c, std::span<const Event> events, const ProcessingTimeTable& table,
                    const BulletinTable& bulletin, Date as_of, const HolidayCalendar& holidays,
                    Holdings holdings, Detail detail = Detail::full);

// The ids of the rules, in the order of the ladder; each has its section in docs/rules.md.
// `times-stale` is the kind of a report notice (StaleNotice), not a finding of a case.
std::span<const std::string_view> rule_ids();

// The response period USCIS gives when the notice's own date is not known (docs/rules.md
// `rfe-due`): 84 days for an RFE (the regulation's maximum, not the date on the notice),
// 30 for an I-539's RFE and for an N-400's N-14 (8 CFR 335.7), 30 for a NOID. Only for
// `rfe` and `noid`; any other kind gives `date` unchanged.
int default_response_days(std::string_view form, EventKind kind);
Date default_response_due(std::string_view form, EventKind kind, Date date);

// A run of days, both ends included.
struct DateSpan {
  Date from;
  Date to;
};
// The windows the rules act on, each worked out here once: the rules and the timeline
// (timeline.hpp) use them. The CIS Ombudsman's window of a USCIS contact on `contact`: 60 to
// 90 days after it (docs/rules.md `ombudsman`; the rule opens it no earlier than the inquiry
// date).
DateSpan ombudsman_window(Date contact);
// An RFE's or NOID's response period: its date to its due date, the notice's or else the
// default (docs/rules.md `rfe-due`, `noid-due`).
DateSpan response_period(const Event& e, std::string_view form);
// An N-400's 120 days after the interview on `interview` (docs/rules.md `n400-1447b`):
// 8 U.S.C. 1447(b) opens the day after `to`.
DateSpan n400_decision_period(Date interview);

// What a decision allows, by form (docs/rules.md `appeal-window`).
enum class Remedy {
  n336,         // N-400: a hearing on Form N-336
  eoir29,       // I-130, I-360 as a widow(er): appeal to the BIA on Form EOIR-29
  aao_appeal,   // appeal or motion on Form I-290B
  motion_only,  // no appeal; a motion to reopen or reconsider on Form I-290B
  none          // I-821D, I-601A: neither appeal nor motion
};
// The remedy for a denial of `form` (with its USCIS category key, if known).
Remedy remedy_for(std::string_view form, std::optional<std::string_view> category);

// The kind of the notice of stale processing times (docs/rules.md `times-stale`).
inline constexpr std::string_view k_times_stale = "times-stale";

// A notice about a whole report (docs/rules.md `times-stale`): `kind` is "times-stale".
struct Notice {
  std::string kind;
  Date published;         // the oldest publication date among the rows in play
  int days_old = 0;       // as_of - published
  std::size_t cases = 0;  // how many cases rest on a stale row
};

// Counts, over the evaluations of one report, the cases resting on a processing-time row
// published more than 60 days before as_of, keeping the oldest publication date.
class StaleNotice {
 public:
  void add(const Evaluation& ev);
  // `cases` pending cases resting on a row published on `published`, on `as_of`.
  void add(Date published, Date as_of, std::size_t cases = 1);
  // A row published before this date is stale on `as_of`.
  static Date stale_before(Date as_of);
  // The notice, or empty when no case rests on a stale row.
  [[nodiscard]] std::optional<Notice> notice(Date as_of) const;

 private:
  std::size_t m_cases = 0;
  std::optional<Date> m_oldest;
};

// The words of a notice: "The processing times used by 3 cases were published on
// 2024-10-18, 771 days ago; USCIS updates them around the 15th of each month. Refresh
// them: casewatch times import FILE, or casewatch times set ..."
std::string notice_text(const Notice& n);

}  // namespace casewatch
