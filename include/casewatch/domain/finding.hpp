// SPDX-License-Identifier: MIT
// What a rule says about a case (docs/rules.md): a finding, a next step, a deadline. Shared by
// every rule family (src/domain/rules/) and by what prints them.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "casewatch/domain/case.hpp"
#include "casewatch/domain/dates.hpp"

namespace casewatch {

enum class Severity { info, action, urgent };
std::string_view to_string(Severity s);

// What one rule says about one case on one date (docs/rules.md). `stage` tells apart the states
// of one rule (e.g. "waiting" and "open" for inquiry); with the case, rule and `since` it
// is the finding's identity for `check`.
struct Finding {
  CaseId case_id = 0;
  std::optional<std::string> receipt;
  std::string rule;  // one of rule_ids(): "inquiry", "rfe-due", ...
  Severity severity = Severity::info;
  Date since;  // the date the finding became true
  std::string stage;
  std::string title;   // what, in one line
  std::string reason;  // why, with the numbers used
  std::string how;     // channel, form, address or URL, and how to record it
  std::string source;  // URL of the rule's source
  std::optional<Date> due;
  std::optional<Date> until{};  // the last day of a window (the Ombudsman's), if it has one
  bool assumed = false;         // `due` was assumed (no date from the notice), not given
  // A finding of a document (docs/rules.md, "Document windows"): its id, and case_id 0.
  std::int64_t document_id = 0;
};

// The identity of a finding for `check` (docs/cli.md, "The daily check"): a finding is
// reported once; a change of any part is a new finding.
struct FindingKey {
  CaseId case_id = 0;
  std::string rule;
  Date since;
  std::string stage;
  std::int64_t document_id = 0;  // a document's finding: its id (case_id is 0)

  friend auto operator<=>(const FindingKey&, const FindingKey&) = default;
};

FindingKey key_of(const Finding& f);

// What comes next for a case and on which date it becomes true on today's facts
// (docs/rules.md, "Next steps"). `on` is empty when the step waits on something the user has
// not done yet (file the e-Request, write to the Ombudsman, answer the RFE): then
// `condition` says what it waits for, and the step never reaches the calendar. A date is
// never one that moves forward with as_of. `anchor` is the id of the event the date rests
// on (0 for a date resting on the case itself, like the inquiry date), so that (case,
// rule, anchor) names the step from one day to the next.
struct NextStep {
  std::string rule;
  std::optional<Date> on;
  std::string title;
  std::optional<std::string> condition;  // what else must happen first, or what it waits for
  std::int64_t anchor = 0;
  // The date rests on the slowest office's processing time, assumed because the case names
  // no office (docs/rules.md `office-assumed`).
  bool assumed = false;
  // The stage of a clock this step begins ("act", "closing"), when a rule gives every stage
  // of its clock as a step: with rule and anchor it names the step, so each stage has its
  // own calendar event (docs/cli.md `calendar`).
  std::string stage{};
};

// What every place that shows a date resting on an assumed office prints beside it.
inline constexpr std::string_view k_office_assumed_mark = "(slowest office assumed)";

// A response or appeal deadline still open on the evaluation date, whatever its stage.
// `anchor` is the id of the event it rests on (the RFE, NOID or denial).
struct Deadline {
  std::string rule;  // rfe-due, noid-due, appeal-window
  Date due;
  std::string title;  // "RFE response due", "Appeal or motion due (Form I-290B)"
  std::int64_t anchor = 0;
  bool assumed = false;  // `due` was assumed (no date from the notice), not given
};

}  // namespace casewatch
