// SPDX-License-Identifier: MIT
#include "casewatch/domain/business_days.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace casewatch {
namespace {

std::vector<std::string> holiday_strings(int year) {
  std::vector<std::string> out;
  for (Date d : federal_holidays(year)) {
    out.push_back(format_date(d));
  }
  return out;
}

TEST(BusinessDays, FederalHolidaysOf2022) {
  // New Year's Day 2022 fell on a Saturday: observed 2021-12-31, so 2022 has no January 1.
  // Juneteenth 2022 was a Sunday: observed Monday 2022-06-20. Christmas 2022 was a Sunday.
  EXPECT_EQ(holiday_strings(2022),
            (std::vector<std::string>{"2022-01-17", "2022-02-21", "2022-05-30", "2022-06-20",
                                      "2022-07-04", "2022-09-05", "2022-10-10", "2022-11-11",
                                      "2022-11-24", "2022-12-26"}));
  auto y2021 = holiday_strings(2021);
  EXPECT_EQ(y2021.back(), "2021-12-31");
  EXPECT_EQ(y2021.size(), 12U);  // 2021-01-01 and 2021-12-31 both
}

TEST(BusinessDays, FederalHolidaysOf2025And2026) {
  EXPECT_EQ(holiday_strings(2025),
            (std::vector<std::string>{"2025-01-01", "2025-01-20", "2025-02-17", "2025-05-26",
                                      "2025-06-19", "2025-07-04", "2025-09-01", "2025-10-13",
                                      "2025-11-11", "2025-11-27", "2025-12-25"}));
  // 2026: Independence Day on a Saturday, observed Friday July 3.
  auto y2026 = holiday_strings(2026);
  EXPECT_NE(std::find(y2026.begin(), y2026.end(), "2026-07-03"), y2026.end());
  EXPECT_EQ(std::find(y2026.begin(), y2026.end(), "2026-07-04"), y2026.end());
}

TEST(BusinessDays, JuneteenthOnlyFrom2021) {
  auto y2020 = holiday_strings(2020);
  EXPECT_EQ(y2020.size(), 10U);
  EXPECT_EQ(std::find(y2020.begin(), y2020.end(), "2020-06-19"), y2020.end());
}

TEST(BusinessDays, WorkedExamplesOfTheRules) {
  HolidayCalendar cal;
  // e-Request 2025-01-10 + 15 bd, Martin Luther King Jr. Day skipped.
  EXPECT_EQ(format_date(add_business_days(make_date(2025, 1, 10), 15, cal)), "2025-02-03");
  // Lockbox: sent 2026-03-02 + 30 bd.
  EXPECT_EQ(format_date(add_business_days(make_date(2026, 3, 2), 30, cal)), "2026-04-13");
  // Premium: 2025-06-27 + 15 bd (Independence Day) and + 45 bd (Labor Day).
  EXPECT_EQ(format_date(add_business_days(make_date(2025, 6, 27), 15, cal)), "2025-07-21");
  EXPECT_EQ(format_date(add_business_days(make_date(2025, 6, 27), 45, cal)), "2025-09-02");
}

TEST(BusinessDays, WeekendStartsAndZero) {
  HolidayCalendar cal;
  Date saturday = make_date(2025, 3, 15);
  EXPECT_EQ(add_business_days(saturday, 0, cal), saturday);
  EXPECT_EQ(format_date(add_business_days(saturday, 1, cal)), "2025-03-17");  // Monday
  EXPECT_EQ(business_days_between(saturday, make_date(2025, 3, 16), cal), 0);
}

TEST(BusinessDays, PropertiesOverFortyYears) {
  HolidayCalendar cal;
  for (Date d = make_date(1990, 1, 1); d <= make_date(2030, 12, 31); d += date::days{3}) {
    for (int n : {1, 5, 15, 30, 45}) {
      Date end = add_business_days(d, n, cal);
      ASSERT_TRUE(is_business_day(end, cal)) << format_date(d) << " + " << n;
      ASSERT_EQ(business_days_between(d, end, cal), n) << format_date(d) << " + " << n;
      ASSERT_FALSE(cal.is_holiday(end)) << format_date(end);
    }
  }
}

TEST(BusinessDays, CalendarAgreesWithTheRulesEveryYear) {
  HolidayCalendar cal;
  for (int year = 1971; year <= 2100; ++year) {
    auto days = federal_holidays(year);
    // 11 holidays from 2021 (10 before, 9 before 1986), one less in a year whose
    // New Year's Day falls on a Saturday.
    EXPECT_GE(days.size(), year >= 2021 ? 10U : year >= 1986 ? 9U : 8U) << year;
    for (Date d : days) {
      date::weekday wd{d};
      ASSERT_TRUE(wd != date::Saturday && wd != date::Sunday) << format_date(d);
      ASSERT_TRUE(cal.is_holiday(d)) << format_date(d);
    }
  }
  for (Date d : federal_holidays(2250)) {  // outside the precomputed range
    EXPECT_TRUE(cal.is_holiday(d)) << format_date(d);
  }
  EXPECT_FALSE(cal.is_holiday(make_date(2250, 3, 3)));
}

}  // namespace
}  // namespace casewatch
