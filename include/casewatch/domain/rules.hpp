// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/domain/business_days.hpp"
#include "casewatch/domain/case.hpp"
#include "casewatch/domain/processing_time.hpp"

namespace casewatch {

enum class Severity { info, action, urgent };
std::string_view to_string(Severity s);

// What one rule says about one case on one date (RULES.md). `stage` tells apart the states
// of one rule (e.g. "waiting" and "open" for inquiry); with the case, rule and `since` it
// is the finding's identity for `check`.
struct Finding {
  CaseId case_id = 0;
  std::optional<std::string> receipt;
  std::string rule;  // one of the ids of RULES.md: "inquiry", "rfe-due", ...
  Severity severity = Severity::info;
  Date since;  // the date the finding became true
  std::string stage;
  std::string title;   // what, in one line
  std::string reason;  // why, with the numbers used
  std::string how;     // channel, form, address or URL, and how to record it
  std::string source;  // URL of the rule's source
  std::optional<Date> due;
};

// The identity of a finding for `check` (RULES.md, "What check reports"): a finding is
// reported once; a change of any part is a new finding.
struct FindingKey {
  CaseId case_id = 0;
  std::string rule;
  Date since;
  std::string stage;

  friend auto operator<=>(const FindingKey&, const FindingKey&) = default;
};

FindingKey key_of(const Finding& f);

// What comes next for a case and on which date it becomes true on today's facts.
struct NextStep {
  std::string rule;
  Date on;
  std::string title;
  std::optional<std::string> condition;  // what else must happen first
};

// A response or appeal deadline still open on the evaluation date, whatever its stage.
struct Deadline {
  std::string rule;  // rfe-due, noid-due, appeal-window
  Date due;
  std::string title;  // "RFE response due", "Appeal due (Form I-290B)"
};

// Everything the rules worked out for one case on one date.
struct Evaluation {
  Date as_of;
  Status status = Status::pending;  // on as_of
  EffectiveOffice office;
  Choice choice;                     // the processing-time row, if one applies
  std::optional<Date> inquiry_date;  // received + posted time, or USCIS's earlier date
  std::vector<Finding> findings;     // most severe first, then by since and rule
  std::vector<NextStep> next;        // by date, then rule
  std::vector<Deadline> deadlines;   // open on as_of (due on or after it), by date

  // Days past the inquiry date for a pending case outside processing time, else empty.
  [[nodiscard]] std::optional<int> days_overdue() const;
  // The earliest next step (by date, then rule id), if any.
  [[nodiscard]] const NextStep* earliest_next() const;
};

// How much evaluate() works out: `full` gives every finding its title, reason and how;
// `dates` leaves them empty (all else is the same), for commands that need no words;
// `inquiry` stops after status, office, processing-time row and inquiry date (no findings,
// no next steps), which is all `overdue` needs.
enum class Detail { full, dates, inquiry };

// Applies every rule of RULES.md to `c` with its `events` (any order; those dated after
// `as_of` are ignored) and the processing-time `table`, as if today were `as_of`.
// Pure: no clock, no I/O. Pending cases get every rule; other cases only appeal-window
// and non-delivery (a card is mailed after approval).
Evaluation evaluate(const Case& c, std::span<const Event> events, const ProcessingTimeTable& table,
                    Date as_of, const HolidayCalendar& holidays, Detail detail = Detail::full);

// The same with the U.S. federal holiday calendar.
Evaluation evaluate(const Case& c, std::span<const Event> events, const ProcessingTimeTable& table,
                    Date as_of, Detail detail = Detail::full);

// The ids of RULES.md, in the order of the ladder.
std::span<const std::string_view> rule_ids();

}  // namespace casewatch
