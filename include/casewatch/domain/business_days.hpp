// SPDX-License-Identifier: MIT
#pragma once

#include <vector>

#include "casewatch/domain/dates.hpp"

namespace casewatch {

// The U.S. federal holidays observed in calendar year `year`, in date order, computed from
// their rules (5 U.S.C. 6103(a)): New Year's Day, Martin Luther King Jr. Day (third Monday
// of January, from 1986), Washington's Birthday (third Monday of February), Memorial Day
// (last Monday of May), Juneteenth (June 19, from 2021), Independence Day, Labor Day
// (first Monday of September), Columbus Day (second Monday of October), Veterans Day
// (November 11), Thanksgiving (fourth Thursday of November) and Christmas Day.
// A fixed-date holiday on a Saturday is observed the Friday before (5 U.S.C. 6103(b)), on
// a Sunday the Monday after (Executive Order 11582). So the list for 2021 ends with
// 2021-12-31, New Year's Day 2022 observed, and the list for 2022 has no January date.
// One-off closures (days of mourning, extra days at Christmas) are not included.
std::vector<Date> federal_holidays(int year);

// Answers "is this day an observed federal holiday?" quickly, for any date. Build one and
// pass it to the business-day functions; building it computes 1971-2199 once.
class HolidayCalendar {
 public:
  HolidayCalendar();
  [[nodiscard]] bool is_holiday(Date d) const;

 private:
  std::vector<Date> m_days;  // sorted
};

// True for Monday to Friday when the day is not an observed federal holiday.
bool is_business_day(Date d, const HolidayCalendar& holidays);

// The `n`th business day after `start`, `start` itself not counted, whatever day it is:
// from a Saturday, 1 business day is the Monday (when Monday is no holiday). `n` = 0
// returns `start` unchanged. Invariant, tested as a property:
//   business_days_between(start, add_business_days(start, n)) == n.
Date add_business_days(Date start, int n, const HolidayCalendar& holidays);

// The number of business days in (`from`, `to`]: after `from`, up to and including `to`.
// 0 when `to` <= `from`.
int business_days_between(Date from, Date to, const HolidayCalendar& holidays);

}  // namespace casewatch
