// SPDX-License-Identifier: MIT
#include "casewatch/domain/dates.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace casewatch {
namespace {

const Date k_today = make_date(2025, 3, 14);

TEST(Dates, AcceptsTheFormatsOfNoticesAndData) {
  struct Row {
    const char* text;
    const char* expected;
  };
  for (const Row& row : {
           Row{"2025-01-10", "2025-01-10"},
           Row{"1/10/2025", "2025-01-10"},
           Row{"01/10/2025", "2025-01-10"},
           Row{"July 07, 2021", "2021-07-07"},  // USCIS data's own form
           Row{"October 18, 2024", "2024-10-18"},
           Row{"Oct 18, 2024", "2024-10-18"},
           Row{"oct 18, 2024", "2024-10-18"},
           Row{"Sept 3, 2024", "2024-09-03"},
           Row{"2024-02-29", "2024-02-29"},
           Row{" 2025-01-10 ", "2025-01-10"},
           Row{"today", "2025-03-14"},
           Row{"Yesterday", "2025-03-13"},
       }) {
    auto d = parse_date(row.text, k_today);
    ASSERT_TRUE(d) << row.text << ": " << d.error();
    EXPECT_EQ(format_date(*d), row.expected) << row.text;
  }
}

TEST(Dates, RefusesImpossibleAndAmbiguousDates) {
  for (const char* bad : {"2025-02-30", "2025-13-01", "2025-01-05x", "13/01/2025", "2023-02-29",
                          "2025-1-5", "20250105", "", "tomorrow", "2025/01/05", "31/12/2025",
                          "Octember 1, 2024", "1899-12-31", "2025-00-10", "1/10/25"}) {
    auto d = parse_date(bad, k_today);
    EXPECT_FALSE(d) << bad;
  }
  EXPECT_EQ(parse_date("2025-02-30", k_today).error(),
            "'2025-02-30' is not a valid date; use YYYY-MM-DD, MM/DD/YYYY (month first, as on "
            "USCIS notices), 'Month D, YYYY', 'today' or 'yesterday'");
}

// A spreadsheet's date cell: the date with a time of exactly midnight is that date; any other
// time of day is refused, since it may be another day elsewhere.
TEST(Dates, SpreadsheetCellsAtMidnightAreTheirDate) {
  for (const char* text :
       {"2023-04-05 00:00:00", "2023-04-05 00:00", "4/5/2023 0:00", "04/05/2023 00:00:00",
        "2023-04-05T00:00:00", "2023-04-05 00:00:00.000", " 2023-04-05 00:00:00 "}) {
    auto d = parse_date(text, k_today);
    ASSERT_TRUE(d) << text << ": " << d.error();
    EXPECT_EQ(format_date(*d), "2023-04-05") << text;
  }
  for (const char* bad : {"2023-04-05 14:30:00", "2023-04-05 00:00:01", "4/5/2023 0:01",
                          "2023-04-05 00:00:00.5", "2023-04-05 24:00", "2023-04-05 0:0",
                          "2023-04-05 00:00:00x", "2023-02-30 00:00:00", "00:00:00"}) {
    EXPECT_FALSE(parse_date(bad, k_today)) << bad;
  }
  EXPECT_EQ(parse_date("2023-04-05 14:30:00", k_today).error(),
            "'2023-04-05 14:30:00' holds a time of day; give the date only (YYYY-MM-DD or "
            "MM/DD/YYYY, as on USCIS notices)");
}

// One range of years for every parser (dates, bulletin cells, stored values): 1900-2199.
TEST(Dates, OneYearRangeForEveryParser) {
  EXPECT_TRUE(in_year_range(make_date(k_first_year, 1, 1)));
  EXPECT_TRUE(in_year_range(make_date(k_last_year, 12, 31)));
  EXPECT_FALSE(in_year_range(make_date(1899, 12, 31)));
  EXPECT_FALSE(in_year_range(make_date(2200, 1, 1)));
  EXPECT_TRUE(parse_date("1900-01-01", k_today).has_value());
  EXPECT_FALSE(parse_date("1899-12-31", k_today).has_value());
  EXPECT_TRUE(parse_date("12/31/2199", k_today).has_value());
  EXPECT_FALSE(parse_date("1/1/2200", k_today).has_value());
}

TEST(Dates, AddMonthsClampsAtTheMonthEnd) {
  EXPECT_EQ(format_date(add_months(make_date(2024, 1, 31), 1)), "2024-02-29");
  EXPECT_EQ(format_date(add_months(make_date(2025, 1, 31), 1)), "2025-02-28");
  EXPECT_EQ(format_date(add_months(make_date(2023, 8, 31), 25)), "2025-09-30");
  EXPECT_EQ(format_date(add_months(make_date(2025, 8, 31), 6)), "2026-02-28");
  EXPECT_EQ(format_date(add_months(make_date(2024, 11, 15), 3)), "2025-02-15");
}

TEST(Dates, DaysBetween) {
  EXPECT_EQ(days_between(make_date(2025, 1, 10), make_date(2025, 2, 9)), 30);
  EXPECT_EQ(days_between(make_date(2025, 2, 9), make_date(2025, 1, 10)), -30);
}

TEST(Dates, AddMonthsIsDefinedForEveryInt) {
  // Huge values used to overflow int inside the calendar arithmetic; they now saturate.
  Date d = make_date(2024, 10, 18);
  EXPECT_EQ(add_months(d, std::numeric_limits<int>::max()), last_calendar_day() - date::days{13});
  EXPECT_EQ(add_months(d, std::numeric_limits<int>::min()), first_calendar_day() + date::days{17});
  EXPECT_EQ(format_date(add_months(d, -12)), "2023-10-18");
  EXPECT_EQ(format_date(add_months(make_date(2024, 3, 31), -1)), "2024-02-29");
  EXPECT_EQ(format_date(add_months(make_date(1900, 1, 1), -1)), "1899-12-01");
  EXPECT_EQ(add_days(d, std::numeric_limits<long long>::max()), last_calendar_day());
  EXPECT_EQ(add_days(d, std::numeric_limits<long long>::min()), first_calendar_day());
  EXPECT_EQ(format_date(add_days(d, 14)), "2024-11-01");
}

}  // namespace
}  // namespace casewatch
