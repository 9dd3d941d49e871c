// SPDX-License-Identifier: MIT
#include "casewatch/domain/business_days.hpp"

#include <algorithm>

namespace casewatch {
namespace {

using date::days;
using date::weekday;

constexpr int k_first_precomputed_year = 1971;        // Uniform Monday Holiday Act in force
constexpr int k_last_precomputed_year = k_last_year;  // every date casewatch takes
constexpr int k_mlk_day_first_year = 1986;
constexpr int k_juneteenth_first_year = 2021;

Date nth_weekday(int year, unsigned month, weekday wd, unsigned n) {
  return Date{date::year{year} / date::month{month} / wd[n]};
}

Date last_weekday(int year, unsigned month, weekday wd) {
  return Date{date::year{year} / date::month{month} / wd[date::last]};
}

// A fixed-date holiday moved off the weekend.
Date observed(Date d) {
  weekday wd{d};
  if (wd == date::Saturday) {
    return d - days{1};
  }
  if (wd == date::Sunday) {
    return d + days{1};
  }
  return d;
}

}  // namespace

std::vector<Date> federal_holidays(int year) {
  std::vector<Date> out;
  Date new_year = observed(make_date(year, 1, 1));
  if (new_year >= make_date(year, 1, 1)) {
    out.push_back(new_year);  // on a Saturday it belongs to the year before
  }
  if (year >= k_mlk_day_first_year) {
    out.push_back(nth_weekday(year, 1, date::Monday, 3));
  }
  out.push_back(nth_weekday(year, 2, date::Monday, 3));
  out.push_back(last_weekday(year, 5, date::Monday));
  if (year >= k_juneteenth_first_year) {
    out.push_back(observed(make_date(year, 6, 19)));
  }
  out.push_back(observed(make_date(year, 7, 4)));
  out.push_back(nth_weekday(year, 9, date::Monday, 1));
  out.push_back(nth_weekday(year, 10, date::Monday, 2));
  out.push_back(observed(make_date(year, 11, 11)));
  out.push_back(nth_weekday(year, 11, date::Thursday, 4));
  out.push_back(observed(make_date(year, 12, 25)));
  Date next_new_year = observed(make_date(year + 1, 1, 1));
  if (next_new_year < make_date(year + 1, 1, 1)) {
    out.push_back(next_new_year);  // December 31
  }
  std::sort(out.begin(), out.end());
  return out;
}

HolidayCalendar::HolidayCalendar() {
  for (int y = k_first_precomputed_year; y <= k_last_precomputed_year; ++y) {
    auto year_days = federal_holidays(y);
    m_days.insert(m_days.end(), year_days.begin(), year_days.end());
  }
}

bool HolidayCalendar::is_holiday(Date d) const {
  int year = static_cast<int>(date::year_month_day{d}.year());
  if (year < k_first_precomputed_year || year > k_last_precomputed_year) {
    auto year_days = federal_holidays(year);
    return std::find(year_days.begin(), year_days.end(), d) != year_days.end();
  }
  return std::binary_search(m_days.begin(), m_days.end(), d);
}

bool is_business_day(Date d, const HolidayCalendar& holidays) {
  weekday wd{d};
  return wd != date::Saturday && wd != date::Sunday && !holidays.is_holiday(d);
}

Date add_business_days(Date start, int n, const HolidayCalendar& holidays) {
  Date d = start;
  while (n > 0) {
    d += days{1};
    if (is_business_day(d, holidays)) {
      --n;
    }
  }
  return d;
}

int business_days_between(Date from, Date to, const HolidayCalendar& holidays) {
  int count = 0;
  for (Date d = from + days{1}; d <= to; d += days{1}) {
    if (is_business_day(d, holidays)) {
      ++count;
    }
  }
  return count;
}

}  // namespace casewatch
