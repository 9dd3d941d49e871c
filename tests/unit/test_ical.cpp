// SPDX-License-Identifier: MIT
#include "casewatch/util/ical.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

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

// Lines of `folded` without their CRLF, checked to end in CRLF.
std::vector<std::string> folded_lines(const std::string& folded) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < folded.size()) {
    std::size_t end = folded.find("\r\n", start);
    EXPECT_NE(end, std::string::npos);
    if (end == std::string::npos) {
      break;
    }
    lines.push_back(folded.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

std::string unfold(const std::string& folded) {
  std::string out;
  for (const std::string& l : folded_lines(folded)) {
    out += out.empty() ? l : l.substr(1);
  }
  return out;
}

TEST(Ical, FoldEndsOnBytesThatAreNotUtf8) {
  // A label of 80 continuation bytes (not UTF-8): folding used to loop forever.
  std::string label = "SUMMARY:" + std::string(80, '\x80');
  std::string folded = fold(label);
  for (const std::string& l : folded_lines(folded)) {
    EXPECT_LE(l.size(), 75U);
  }
  EXPECT_EQ(unfold(folded), label);
  std::string only = std::string(200, '\xBF');
  EXPECT_EQ(unfold(fold(only)), only);
}

TEST(Ical, FoldKeepsFourOctetCharactersWhole) {
  // "😀" is four octets; wherever it falls, no line splits it.
  for (std::size_t pad = 70; pad < 76; ++pad) {
    std::string line = std::string(pad, 'a') + "\xF0\x9F\x98\x80" + std::string(80, 'b');
    std::string folded = fold(line);
    EXPECT_NE(folded.find("\xF0\x9F\x98\x80"), std::string::npos) << pad;
    EXPECT_EQ(unfold(folded), line);
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
