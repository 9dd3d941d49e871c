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

// Whether the response date `due` of rule `rule` (rfe-due or noid-due) is one casewatch
// assumed: an RFE or NOID of the case's `form` with no due date recorded whose default
// period (docs/rules.md `rfe-due`) ends on `due`. False for any other rule.
bool assumed_due(std::string_view rule, Date due, std::string_view form,
                 std::span<const Event> events);

// What the NOW column says of a finding, in a few words that tell what to do ("e-Request",
// "follow up", "Ombudsman: until 12-13", "RFE due 01-25?", "1447(b)"), keyed on its rule and
// stage. `due_assumed`: the finding's due date was assumed; `until`: the last day of the
// window the finding opens, when the finding has one (the Ombudsman's). An unknown rule or
// stage gets its title, cut short.
std::string now_words(const Finding& f, Date as_of, bool due_assumed, std::optional<Date> until);

// The widest NOW words the table keeps whole (longer ones are cut with "…").
inline constexpr std::size_t k_now_columns = 32;

}  // namespace casewatch::cli
