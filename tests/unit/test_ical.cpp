// SPDX-License-Identifier: MIT
#include "casewatch/util/ical.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace casewatch::ical {
namespace {

TEST(Ical, EscapesText) {
  EXPECT_EQ(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
}

TEST(Ical, FoldsAt75OctetsWithoutSplittingUtf8) {
  std::string line = "SUMMARY:" + std::string(100, 'x');
  std::string folded = fold(line);
  EXPECT_EQ(folded.substr(0, 75), line.substr(0, 75));
  EXPECT_EQ(folded.substr(75, 3), "\r\n ");
  // 'é' is two octets; put one across the 75th octet.
  std::string accented = std::string(74, 'a') + "\xC3\xA9" + "tail";
  std::string f = fold(accented);
  EXPECT_EQ(f.substr(0, 74), std::string(74, 'a'));
  EXPECT_EQ(f.substr(74, 5), "\r\n \xC3\xA9");
  std::istringstream in(fold(std::string(400, 'z')));
  std::string part;
  while (std::getline(in, part)) {
    EXPECT_LE(part.size(), 76U);  // 75 octets and the CR
    EXPECT_EQ(part.back(), '\r');
  }
}

TEST(Ical, RendersAllDayEvents) {
  std::vector<AllDayEvent> events = {{"a-inquiry-20251015@casewatch",
                                      date::sys_days{date::year{2025} / 10 / 15}, "Inquiry",
                                      "From this day"}};
  std::string text =
      render(events, "-//casewatch//test//EN", date::sys_days{date::year{2025} / 1 / 2});
  EXPECT_TRUE(
      text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//casewatch//test//EN\r\n"));
  EXPECT_NE(text.find("DTSTART;VALUE=DATE:20251015\r\nDTEND;VALUE=DATE:20251016\r\n"),
            std::string::npos);
  EXPECT_NE(text.find("DTSTAMP:20250102T000000Z\r\n"), std::string::npos);
  EXPECT_TRUE(text.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
}

}  // namespace
}  // namespace casewatch::ical
