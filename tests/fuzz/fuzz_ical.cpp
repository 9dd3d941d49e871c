// SPDX-License-Identifier: MIT
// iCalendar folding and escaping. Invariants: every output line is at most 75 octets and
// ends in CRLF, and unfolding gives the input back; a rendered calendar holds the same.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "casewatch/domain/dates.hpp"
#include "casewatch/util/ical.hpp"
#include "fuzz_check.hpp"

namespace {

// Checks the lines of `folded` and returns them unfolded into logical lines.
std::vector<std::string> unfold(const std::string& folded) {
  std::vector<std::string> logical;
  std::size_t start = 0;
  while (start < folded.size()) {
    std::size_t end = folded.find("\r\n", start);
    FUZZ_CHECK(end != std::string::npos);
    FUZZ_CHECK(end - start <= 75);
    std::string_view line(folded.data() + start, end - start);
    if (!line.empty() && line.front() == ' ' && !logical.empty()) {
      logical.back().append(line.substr(1));
    } else {
      logical.emplace_back(line);
    }
    start = end + 2;
  }
  return logical;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace casewatch;
  FuzzedDataProvider in(data, size);
  std::string summary = in.ConsumeRandomLengthString(400);
  std::string description = in.ConsumeRandomLengthString(400);
  std::string raw = in.ConsumeRemainingBytesAsString();

  // A content line as render() builds it: a name, then escaped text (no CR or LF left).
  std::string line = "SUMMARY:" + ical::escape_text(raw);
  FUZZ_CHECK(line.find_first_of("\r\n") == std::string::npos);
  auto lines = unfold(ical::fold(line));
  FUZZ_CHECK(lines.size() == 1 && lines[0] == line);

  std::vector<ical::AllDayEvent> events = {
      {"fuzz-inquiry@casewatch", make_date(2025, 10, 15), summary, description},
      {"fuzz-rfe-due@casewatch", make_date(2199, 12, 31), raw, ""}};
  std::string cal = ical::render(events, "-//casewatch//fuzz//EN", make_date(2026, 11, 28));
  auto all = unfold(cal);
  FUZZ_CHECK(all.front() == "BEGIN:VCALENDAR" && all.back() == "END:VCALENDAR");
  FUZZ_CHECK(std::count(all.begin(), all.end(), "BEGIN:VEVENT") == 2);
  FUZZ_CHECK(std::find(all.begin(), all.end(), "SUMMARY:" + ical::escape_text(summary)) !=
             all.end());
  return 0;
}
