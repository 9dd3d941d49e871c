// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "casewatch/domain/case.hpp"
#include "casewatch/domain/rules.hpp"

namespace casewatch::cli {

// The overview's words (docs/cli.md `list`, "The overview on a terminal").

// A date in the overview: "12-13" within half a year of `as_of` (either side), else
// "2027-06-01"; with "?" when casewatch assumed it (an RFE or NOID with no due date recorded).
std::string overview_date(Date d, Date as_of, bool assumed = false);

// The DUE cell: the date in full, "?" after an assumed one ("2027-01-25?"), "-" for none.
std::string due_cell(std::optional<Date> due, bool assumed);

// What the NOW column says of a finding, in a few words that tell what to do ("e-Request",
// "follow up", "Ombudsman: until 12-13", "RFE due 01-25?", "1447(b)"), keyed on its rule and
// stage; a due date casewatch assumed gets "?" (Finding::assumed), a window with a last day
// says it (Finding::until, the Ombudsman's). An unknown rule or stage gets its title, cut
// short.
std::string now_words(const Finding& f, Date as_of);

// The widest NOW words the table keeps whole (longer ones are cut with "…").
inline constexpr std::size_t k_now_columns = 32;

// The overview's rows (docs/cli.md `list`), shared by `list` and `report`.

// Whether a case is in the overview without --all: pending, or decided while something
// about it is pressing, or an approved petition on the consular stage.
bool kept_in_overview(const Evaluation& ev);

// The orders of the overview (list --sort).
enum class SortBy { urgency, due, received, id };

// What sorts a line of the overview.
struct RowKey {
  int urgency;                // urgent first, then action, then info, then nothing
  std::optional<Date> due;    // the nearest open deadline
  std::optional<Date> since;  // of the most pressing finding
  Date received;
  CaseId id;
};

// The key of a case's line: `now` is its most pressing finding, if any.
RowKey row_key(const Case& c, const Evaluation& ev, const std::optional<Finding>& now);
// The date a case sorts by in the `received` order: received, else sent.
Date received_key(const Case& c);
// True when line `a` comes before line `b` in the order `by`.
bool row_before(const RowKey& a, const RowKey& b, SortBy by);

// One line of the overview, worked out once.
struct Row {
  const Evaluation& ev;
  std::optional<Finding> now;  // the most pressing finding, with its words
};

// The NOW column: the most pressing finding in a few words; a decided case says its status
// first ("-" for nothing).
std::string now_text(const Row& r);
// The DUE column: the nearest open deadline, "?" after a date casewatch assumed.
std::string due_text(const Evaluation& ev);
// The NEXT column: "2026-12-14 follow up ...", "... (no date yet)", "-" for none.
std::string next_text(const NextStep* next);
// The NEXT cell's step: the earliest of a rule other than NOW's, else the earliest.
const NextStep* next_beside(const Evaluation& ev, const std::optional<Finding>& now);

}  // namespace casewatch::cli
