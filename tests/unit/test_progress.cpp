// SPDX-License-Identifier: MIT
// The progress line's text (src/cli/progress.hpp): counts, bytes, the time left, the bar, and
// what a narrow terminal leaves out. Drawing it on a terminal is tested in
// tests/cli/test_cli_progress.cpp.
#include "../../src/cli/progress.hpp"

#include <gtest/gtest.h>

#include "casewatch/util/text.hpp"

namespace casewatch::cli {
namespace {

constexpr std::size_t k_mib = std::size_t{1} << 20U;

TEST(ProgressText, CountsAreGroupedByThousands) {
  EXPECT_EQ(progress_count(0), "0");
  EXPECT_EQ(progress_count(999), "999");
  EXPECT_EQ(progress_count(1000), "1,000");
  EXPECT_EQ(progress_count(100000), "100,000");
  EXPECT_EQ(progress_count(1234567), "1,234,567");
}

TEST(ProgressText, BytesInBinaryUnits) {
  EXPECT_EQ(progress_bytes(0), "0 B");
  EXPECT_EQ(progress_bytes(1023), "1023 B");
  EXPECT_EQ(progress_bytes(1536), "1.5 KiB");
  EXPECT_EQ(progress_bytes(12 * k_mib), "12.0 MiB");
  EXPECT_EQ(progress_bytes(5 * k_mib / 4 * 1024), "1.25 GiB");
}

TEST(ProgressText, TimeLeftIsRoundedUpToTheSecond) {
  EXPECT_EQ(progress_time(0), "0 s");
  EXPECT_EQ(progress_time(6.2), "7 s");
  EXPECT_EQ(progress_time(59.5), "1 min 00 s");
  EXPECT_EQ(progress_time(60), "1 min 00 s");
  EXPECT_EQ(progress_time(125), "2 min 05 s");
  EXPECT_EQ(progress_time(3780), "1 h 03 min");
  EXPECT_EQ(progress_time(-3), "0 s");
}

TEST(ProgressLine, WithoutATotalACountAndARate) {
  ProgressState s{"Exporting", "cases", ProgressUnit::items, 12345, std::nullopt, 3.0};
  EXPECT_EQ(progress_line(s, 79), "Exporting  12,345 cases  4,115/s");
  s.done = 49;
  s.seconds = 5;
  EXPECT_EQ(progress_line(s, 79), "Exporting  49 cases  9.8/s") << "a slow rate has a decimal";
  s.seconds = 0.1;
  EXPECT_EQ(progress_line(s, 79), "Exporting  49 cases") << "no rate from a tenth of a second";
  s.done = 0;
  s.seconds = 4;
  EXPECT_EQ(progress_line(s, 79), "Exporting  0 cases");
}

TEST(ProgressLine, WithATotalABarThePercentageAndTheTimeLeft) {
  ProgressState s{"Importing", "cases", ProgressUnit::items, 45000, 100000, 5.0};
  // 9,000 a second: 55,000 more take 6.1 s. The bar is 20 cells, whatever the width.
  EXPECT_EQ(progress_line(s, 79),
            "Importing  [#########-----------]  45,000/100,000 cases  45%  9,000/s  7 s left");
  EXPECT_EQ(progress_line(s, 200), progress_line(s, 79));
  s.done = 100000;
  EXPECT_EQ(progress_line(s, 80).find("left"), std::string::npos) << "nothing left at the end";
  EXPECT_NE(progress_line(s, 80).find("[#####"), std::string::npos);
  EXPECT_NE(progress_line(s, 80).find("100%"), std::string::npos);
  s.done = 120000;  // more than said: the total follows
  EXPECT_NE(progress_line(s, 80).find("120,000/120,000 cases  100%"), std::string::npos);
}

TEST(ProgressLine, TheRateCountsFromTheFirstStep) {
  // The first case took a second (opening the transaction); the next 1,000 another: the
  // rate is 1,000 a second, not 500.
  ProgressState s{"Importing", "cases", ProgressUnit::items, 1001, 2001, 1.0, 1};
  EXPECT_EQ(progress_line(s, 79),
            "Importing  [##########----------]  1,001/2,001 cases  50%  1,000/s  1 s left");
  s.done = 1;  // nothing since the first step: no rate yet
  EXPECT_EQ(progress_line(s, 79), "Importing  [--------------------]  1/2,001 cases  0%");
}

TEST(ProgressLine, BytesOfADownload) {
  ProgressState s{"Downloading times.csv", "", ProgressUnit::bytes, 3 * k_mib, 12 * k_mib, 2.0};
  EXPECT_EQ(progress_line(s, 97),
            "Downloading times.csv  [#####---------------]  3.0 MiB/12.0 MiB  25%  1.5 MiB/s  "
            "6 s left");
  s.total.reset();  // the server did not say how large
  EXPECT_EQ(progress_line(s, 100), "Downloading times.csv  3.0 MiB  1.5 MiB/s");
}

TEST(ProgressLine, ANarrowTerminalLosesTheBarThenTheRateThenThePercentageThenTheTimeLeft) {
  ProgressState s{"Importing", "cases", ProgressUnit::items, 45000, 100000, 5.0};
  EXPECT_EQ(progress_line(s, 78), "Importing  45,000/100,000 cases  45%  9,000/s  7 s left");
  EXPECT_EQ(progress_line(s, 60), "Importing  45,000/100,000 cases  45%  9,000/s  7 s left");
  EXPECT_EQ(progress_line(s, 50), "Importing  45,000/100,000 cases  45%  7 s left");
  EXPECT_EQ(progress_line(s, 42), "Importing  45,000/100,000 cases  7 s left");
  EXPECT_EQ(progress_line(s, 40), "Importing  45,000/100,000 cases");
  EXPECT_EQ(progress_line(s, 25), "Im…  45,000/100,000 cases") << "the label is cut last";
  EXPECT_EQ(progress_line(s, 10), "Importing…");
}

TEST(ProgressLine, NeverWiderThanTheWidthGiven) {
  for (std::size_t done : {std::size_t{0}, std::size_t{7}, std::size_t{99999}}) {
    for (std::optional<std::size_t> total :
         {std::optional<std::size_t>(), std::optional(100000UL)}) {
      for (ProgressUnit kind : {ProgressUnit::items, ProgressUnit::bytes}) {
        ProgressState s{"Reading /home/someone/Documents/office/cases-2026-12-07.json",
                        "cases",
                        kind,
                        done,
                        total,
                        3.5};
        for (std::size_t width = 1; width <= 160; ++width) {
          std::string line = progress_line(s, width);
          EXPECT_LE(text::display_width(line), width) << line;
          EXPECT_FALSE(line.empty()) << width;
          EXPECT_EQ(line.find('\n'), std::string::npos);
        }
      }
    }
  }
}

TEST(ProgressLine, ALabelCannotDriveTheTerminal) {
  ProgressState s{"Reading x\x1b[2J.csv", "", ProgressUnit::bytes, 10, std::nullopt, 1.0};
  std::string line = progress_line(s, 79);
  EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
  EXPECT_NE(line.find("\\x1b"), std::string::npos) << line;
}

}  // namespace
}  // namespace casewatch::cli
