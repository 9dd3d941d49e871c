// SPDX-License-Identifier: MIT
#include "casewatch/domain/dates.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>

#include "casewatch/util/text.hpp"

namespace casewatch {
namespace {

constexpr std::array<std::string_view, 12> k_month_names = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) {
    s.remove_suffix(1);
  }
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Reads an unsigned number of 1..`max_digits` digits that spans all of `s`.
std::optional<int> read_number(std::string_view s, std::size_t min_digits, std::size_t max_digits) {
  if (s.size() < min_digits || s.size() > max_digits) {
    return std::nullopt;
  }
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
      return std::nullopt;
    }
  }
  int value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

std::optional<unsigned> month_from_name(std::string_view name) {
  std::string n = lower(name);
  if (!n.empty() && n.back() == '.') {
    n.pop_back();
  }
  if (n == "sept") {
    return 9;
  }
  for (std::size_t i = 0; i < k_month_names.size(); ++i) {
    if (n == k_month_names[i] || (n.size() == 3 && k_month_names[i].starts_with(n))) {
      return static_cast<unsigned>(i + 1);
    }
  }
  return std::nullopt;
}

std::optional<Date> from_parts(int y, int m, int d) {
  if (y < k_first_year || y > k_last_year || m < 1 || m > 12 || d < 1 || d > 31) {
    return std::nullopt;
  }
  date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                           date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return Date{ymd};
}

std::optional<Date> parse_iso(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
    return std::nullopt;
  }
  auto y = read_number(s.substr(0, 4), 4, 4);
  auto m = read_number(s.substr(5, 2), 2, 2);
  auto d = read_number(s.substr(8, 2), 2, 2);
  if (!y || !m || !d) {
    return std::nullopt;
  }
  return from_parts(*y, *m, *d);
}

std::optional<Date> parse_us_numeric(std::string_view s) {
  auto first = s.find('/');
  auto second = s.find('/', first == std::string_view::npos ? first : first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos) {
    return std::nullopt;
  }
  auto m = read_number(s.substr(0, first), 1, 2);
  auto d = read_number(s.substr(first + 1, second - first - 1), 1, 2);
  auto y = read_number(s.substr(second + 1), 4, 4);
  if (!y || !m || !d) {
    return std::nullopt;
  }
  return from_parts(*y, *m, *d);
}

// "Month D, YYYY", "Mon D, YYYY", "July 07, 2021".
std::optional<Date> parse_named(std::string_view s) {
  auto space = s.find(' ');
  auto comma = s.find(',');
  if (space == std::string_view::npos || comma == std::string_view::npos || comma < space) {
    return std::nullopt;
  }
  auto month = month_from_name(s.substr(0, space));
  std::string_view day_text = trim(s.substr(space + 1, comma - space - 1));
  std::string_view year_text = trim(s.substr(comma + 1));
  auto d = read_number(day_text, 1, 2);
  auto y = read_number(year_text, 4, 4);
  if (!month || !d || !y) {
    return std::nullopt;
  }
  return from_parts(*y, static_cast<int>(*month), *d);
}

// A time of day after a date, as a spreadsheet writes a date cell ("2023-04-05 00:00:00",
// "4/5/2023 0:00", "2023-04-05T00:00:00"): the date part, and whether the time is exactly
// midnight. Nothing when `s` has no such time.
struct TimeOfDay {
  std::string_view date;
  bool midnight = false;
};

std::optional<TimeOfDay> time_of_day(std::string_view s) {
  auto sep = s.find_last_of(" T");
  if (sep == std::string_view::npos || sep == 0) {
    return std::nullopt;
  }
  std::string_view date = trim(s.substr(0, sep));
  std::string_view time = s.substr(sep + 1);
  if (date.find_first_of("-/") == std::string_view::npos ||
      date.find(',') != std::string_view::npos) {
    return std::nullopt;
  }
  // H:MM, H:MM:SS or H:MM:SS.fff
  auto c1 = time.find(':');
  if (c1 == std::string_view::npos) {
    return std::nullopt;
  }
  auto c2 = time.find(':', c1 + 1);
  std::string_view seconds =
      c2 == std::string_view::npos ? std::string_view() : time.substr(c2 + 1);
  std::string_view fraction;
  if (auto dot = seconds.find('.'); dot != std::string_view::npos) {
    fraction = seconds.substr(dot + 1);
    seconds = seconds.substr(0, dot);
    if (fraction.empty()) {
      return std::nullopt;
    }
  }
  auto h = read_number(time.substr(0, c1), 1, 2);
  auto m = read_number(time.substr(c1 + 1, c2 == std::string_view::npos ? c2 : c2 - c1 - 1), 2, 2);
  auto sec = c2 == std::string_view::npos ? std::optional<int>(0) : read_number(seconds, 2, 2);
  auto frac = fraction.empty() ? std::optional<int>(0) : read_number(fraction, 1, 6);
  if (!h || !m || !sec || !frac) {
    return std::nullopt;
  }
  return TimeOfDay{date, *h == 0 && *m == 0 && *sec == 0 && *frac == 0};
}

}  // namespace

bool in_year_range(Date d) {
  auto year = int(date::year_month_day{d}.year());
  return year >= k_first_year && year <= k_last_year;
}

Date make_date(int year, unsigned month, unsigned day) {
  return Date{date::year{year} / date::month{month} / date::day{day}};
}

Expected<Date> parse_date(std::string_view text, Date today) {
  std::string_view s = trim(text);
  std::string word = lower(s);
  if (word == "today") {
    return today;
  }
  if (word == "yesterday") {
    return today - date::days{1};
  }
  if (auto t = time_of_day(s)) {
    // Only midnight is the day itself; another time may be a day off in another time zone.
    if (!t->midnight) {
      return Error{fmt::format(
          "{} holds a time of day; give the date only (YYYY-MM-DD or MM/DD/YYYY, as on USCIS "
          "notices)",
          text::quoted(text))};
    }
    s = t->date;
  }
  std::optional<Date> parsed;
  if (s.find('/') != std::string_view::npos) {
    parsed = parse_us_numeric(s);
  } else if (s.find(',') != std::string_view::npos) {
    parsed = parse_named(s);
  } else {
    parsed = parse_iso(s);
  }
  if (parsed) {
    return *parsed;
  }
  return Error{
      fmt::format("{} is not a valid date; use YYYY-MM-DD, MM/DD/YYYY (month first, as on USCIS "
                  "notices), 'Month D, YYYY', 'today' or 'yesterday'",
                  text::quoted(text))};
}

std::string format_date(Date d) {
  // By hand: this runs for every date of every text of every case, and fmt's general
  // machinery was the largest cost of a 10,000-case `overdue` (measured with callgrind).
  date::year_month_day ymd{d};
  int y = static_cast<int>(ymd.year());
  auto m = static_cast<unsigned>(ymd.month());
  auto day = static_cast<unsigned>(ymd.day());
  if (y < 0 || y > 9999) {
    return fmt::format("{:04}-{:02}-{:02}", y, m, day);
  }
  std::string out = "0000-00-00";
  auto put = [&](std::size_t at, unsigned value, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i) {
      out[at + width - 1 - i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, static_cast<unsigned>(y), 4);
  put(5, m, 2);
  put(8, day, 2);
  return out;
}

std::optional<Date> parse_iso_date(std::string_view text) {
  return parse_iso(text);
}

Date first_calendar_day() {
  return Date{date::year::min() / date::January / 1};
}

Date last_calendar_day() {
  return Date{date::year::max() / date::December / 31};
}

Date add_days(Date d, long long days) {
  // All three are within int, so clamping `days` first leaves nothing to overflow.
  long long lo = first_calendar_day().time_since_epoch().count();
  long long hi = last_calendar_day().time_since_epoch().count();
  long long now = std::clamp<long long>(d.time_since_epoch().count(), lo, hi);
  days = std::clamp(days, lo - now, hi - now);
  return Date{date::days{static_cast<int>(now + days)}};
}

Date add_months(Date d, int months) {
  d = std::clamp(d, first_calendar_day(), last_calendar_day());
  date::year_month_day ymd{d};
  // Months since year 0 in 64 bits, so no `months` overflows; then clamped to the calendar.
  long long index = static_cast<long long>(static_cast<int>(ymd.year())) * 12 +
                    static_cast<long long>(static_cast<unsigned>(ymd.month())) - 1 + months;
  long long lo = static_cast<long long>(static_cast<int>(date::year::min())) * 12;
  long long hi = static_cast<long long>(static_cast<int>(date::year::max())) * 12 + 11;
  index = std::clamp(index, lo, hi);
  long long y = index >= 0 ? index / 12 : (index - 11) / 12;  // floor division
  auto m = static_cast<unsigned>(index - y * 12 + 1);
  date::year_month ym{date::year{static_cast<int>(y)}, date::month{m}};
  date::year_month_day target = ym / ymd.day();
  if (!target.ok()) {
    target = ym / date::last;
  }
  return Date{target};
}

int days_between(Date from, Date to) {
  return static_cast<int>((to - from).count());
}

}  // namespace casewatch
