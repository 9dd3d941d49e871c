// SPDX-License-Identifier: MIT
#include "casewatch/util/csv.hpp"

#include <gtest/gtest.h>

namespace casewatch::csv {
namespace {

TEST(Csv, QuotedFieldsWithCommasQuotesAndLineBreaks) {
  auto r = parse("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nlast,,\n");
  ASSERT_TRUE(r) << r.error();
  ASSERT_EQ(r->size(), 3U);
  EXPECT_EQ((*r)[1].fields, (std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"}));
  EXPECT_EQ((*r)[1].line, 2U);
  EXPECT_EQ((*r)[2].fields, (std::vector<std::string>{"last", "", ""}));
  EXPECT_EQ((*r)[2].line, 4U);  // the quoted line break counts
}

TEST(Csv, BlankLinesBomAndNoFinalNewline) {
  auto r = parse("\xEF\xBB\xBFh1,h2\n\n1,2");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 2U);
  EXPECT_EQ((*r)[0].fields[0], "h1");
  EXPECT_EQ((*r)[1].fields, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ((*r)[1].line, 3U);
}

TEST(Csv, UnclosedQuoteNamesTheLine) {
  auto r = parse("a\n\"open\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "line 2: a quoted field is never closed");
  auto t = parse("a\n\"x\"y\n");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error(), "line 2: unexpected text after a closing quote");
}

TEST(Csv, QuoteRoundTrips) {
  for (std::string s : {"plain", "a,b", "say \"hi\"", "two\nlines", ""}) {
    auto r = parse(quote(s) + ",end\n");
    ASSERT_TRUE(r) << s;
    EXPECT_EQ((*r)[0].fields[0], s);
  }
}

}  // namespace
}  // namespace casewatch::csv
