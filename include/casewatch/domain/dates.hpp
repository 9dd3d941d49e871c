// SPDX-License-Identifier: MIT
#pragma once

#include <date/date.h>

#include <optional>
#include <string>
#include <string_view>

#include "casewatch/util/expected.hpp"

namespace casewatch {

// A calendar date. All of casewatch's dates are whole days with no time zone: the day
// printed on a USCIS notice, or the user's local "today".
using Date = date::sys_days;

// The years a date may have anywhere in casewatch (parsed, imported, stored, in a bulletin):
// 1900 to 2199. The one home of that range.
inline constexpr int k_first_year = 1900;
inline constexpr int k_last_year = 2199;

// True when `d` falls in the years k_first_year to k_last_year.
bool in_year_range(Date d);

// Builds a date from its parts; the caller guarantees they are valid.
Date make_date(int year, unsigned month, unsigned day);

// Parses a date as a user or a USCIS file writes it:
//   YYYY-MM-DD (zero-padded, exactly 10 characters), M/D/YYYY or MM/DD/YYYY (as on
//   notices), "Month D, YYYY" or "Mon D, YYYY" (also "July 07, 2021", the form of USCIS's
//   data), and the words "today" and "yesterday", which are relative to `today`. A
//   spreadsheet's date cell with a time of exactly midnight is its date: "2023-04-05
//   00:00:00" (Excel, pandas), "4/5/2023 0:00", "2023-04-05T00:00:00"; another time of day
//   is refused (it may be another day in another time zone).
// Surrounding blanks are ignored, month names are case-insensitive. Fails on impossible
// dates (2025-02-30, 2025-13-01), trailing text (2025-01-05x), day-first dates
// (13/01/2025) and years outside 1900-2199, with a message naming the value.
Expected<Date> parse_date(std::string_view text, Date today);

// Only the strict YYYY-MM-DD form (as stored in the database): fast, no allocation.
std::optional<Date> parse_iso_date(std::string_view text);

// The ISO form YYYY-MM-DD, used in JSON, the database and text output.
std::string format_date(Date d);

// `d` plus `months` calendar months; a day past the end of the target month clamps to
// its last day (2024-01-31 + 1 month = 2024-02-29). Defined for every `months`: the result
// saturates at the first or last day of the calendar (years -32767 to 32767).
Date add_months(Date d, int months);

// `d` plus `days` days, saturating like add_months.
Date add_days(Date d, long long days);

// The first and last days add_months and add_days return.
Date first_calendar_day();
Date last_calendar_day();

// Whole days from `from` to `to` (negative when `to` is earlier).
int days_between(Date from, Date to);

}  // namespace casewatch
