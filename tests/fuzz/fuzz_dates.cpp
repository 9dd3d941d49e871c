// SPDX-License-Identifier: MIT
// Date parsing and arithmetic with fuzzed values. Invariants: a parsed date prints and
// parses back to itself; adding months or a posted time never goes backwards for a positive
// amount and stays inside the calendar, whatever the int.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>

#include "casewatch/domain/dates.hpp"
#include "casewatch/domain/processing_time.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace casewatch;
  FuzzedDataProvider in(data, size);
  const Date today = make_date(2026, 11, 28);
  int months = in.ConsumeIntegral<int>();
  int halves = in.ConsumeIntegral<int>();
  bool weeks = in.ConsumeBool();
  auto days = in.ConsumeIntegral<long long>();
  std::string text = in.ConsumeRemainingBytesAsString();

  auto parsed = parse_date(text, today);
  Date d = today;
  if (parsed) {
    d = *parsed;
    std::string iso = format_date(d);
    FUZZ_CHECK(iso.size() == 10);
    auto back = parse_iso_date(iso);
    FUZZ_CHECK(back && *back == d);
    auto again = parse_date(iso, today);
    FUZZ_CHECK(again && *again == d);
  } else {
    FUZZ_CHECK(!parsed.error().empty());
  }
  if (auto iso = parse_iso_date(text)) {
    FUZZ_CHECK(format_date(*iso) == text);
  }

  Date m = add_months(d, months);
  FUZZ_CHECK(m >= first_calendar_day() && m <= last_calendar_day());
  FUZZ_CHECK(months >= 0 ? m >= d : m <= d);
  Date plus = add_days(d, days);
  FUZZ_CHECK(plus >= first_calendar_day() && plus <= last_calendar_day());
  FUZZ_CHECK(days >= 0 ? plus >= d : plus <= d);
  PostedTime t{halves, weeks ? TimeUnit::weeks : TimeUnit::months};
  Date p = add_posted_time(d, t);
  FUZZ_CHECK(p >= first_calendar_day() && p <= last_calendar_day());
  if (halves > 0) {
    FUZZ_CHECK(p > d);
  }
  (void)days_between(d, today);

  // The posted-time parser with the same text and both units.
  for (const char* unit : {"Months", "weeks"}) {
    auto pt = parse_posted_time(text, unit);
    if (pt) {
      FUZZ_CHECK(pt->halves > 0 && pt->halves <= 2 * k_max_posted_value);
      FUZZ_CHECK(add_posted_time(d, *pt) > d);
    }
  }
  return 0;
}
