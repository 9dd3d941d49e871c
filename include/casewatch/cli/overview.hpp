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

}  // namespace casewatch::cli
