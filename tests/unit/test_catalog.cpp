// SPDX-License-Identifier: MIT
// USCIS's lists: "did you mean" for a form, category or office typed wrong, and categories
// typed as printed on forms and notices.
#include "casewatch/domain/catalog.hpp"

#include <gtest/gtest.h>

#include "casewatch/domain/validate.hpp"
#include "casewatch/util/text.hpp"

namespace casewatch {
namespace {

using Keys = std::vector<std::string>;

TEST(Catalog, CategoriesAsPrintedOnFormsAndNotices) {
  const Catalog& c = builtin_catalog();
  for (const char* typed : {"(c)(9)", "c9", "C09", "(c)9", "c-9", "C 9"}) {
    EXPECT_EQ(c.categories_printed_as("I-765", typed), Keys{"147-C9"}) << typed;
  }
  EXPECT_EQ(c.categories_printed_as("I-765", "(a)(5)"), Keys{"147-A5"});
  EXPECT_EQ(c.categories_printed_as("I-765V", "(c)(28)"), Keys{"147-V"});  // [(c)(27-30)]
  EXPECT_EQ(c.categories_printed_as("I-765", "(c)(8)"), (Keys{"147-C8", "147-C8I"}));
  EXPECT_EQ(c.categories_printed_as("I-765", "(c)(99)"), Keys{});
  EXPECT_EQ(c.categories_printed_as("I-765", "cc9"), Keys{});
  EXPECT_EQ(c.categories_printed_as("I-485", "c9"), Keys{});  // printed on the I-765 only
}

TEST(Catalog, NearestFormsCategoriesAndOffices) {
  const Catalog& c = builtin_catalog();
  EXPECT_EQ(c.nearest_forms("I-4855"), Keys{"I-485"});
  // Two digits swapped is one step, as one digit wrong: every form one step away is offered.
  EXPECT_EQ(c.nearest_forms("I-756"), (Keys{"I-751", "I-765", "I-956"}));
  EXPECT_EQ(c.nearest_forms("X-99999"), Keys{});
  EXPECT_EQ(c.nearest_categories("I-485", "131A-FAMM"), Keys{"131A-FAM"});
  EXPECT_EQ(c.nearest_offices("BRO"), Keys{"BNY"});
  EXPECT_EQ(c.nearest_offices("brooklyn"), Keys{"BNY"});
  EXPECT_EQ(c.nearest_offices("QNZ"), Keys{"QNS"});
  EXPECT_EQ(c.nearest_offices("ZZZ"), Keys{});
  EXPECT_EQ(text::edit_distance("lsit", "list"), 1U);
}

// The one definition of a valid case takes the category as printed, and its warnings offer
// the nearest listed values.
TEST(Catalog, ACaseTakesThePrintedCategoryAndWarnsWithTheNearest) {
  CaseCheck how;
  how.today = make_date(2026, 11, 28);
  CaseText t;
  t.receipt = "EAC2490012345";
  t.form = "I-765";
  t.category = "(c)(9)";
  t.received = "2024-06-01";
  auto ok = check_case(Case{}, t, how);
  ASSERT_TRUE(ok) << ok.error();
  EXPECT_EQ(ok->value.category, "147-C9");
  EXPECT_TRUE(ok->warnings.empty());

  t.category = "(c)(8)";
  auto two = check_case(Case{}, t, how);
  ASSERT_FALSE(two);
  EXPECT_TRUE(two.error().starts_with(
      "--category: '(c)(8)' is printed on more than one I-765 category: 147-C8 (Based on a "
      "pending asylum application [(c)(8)] -renewal/replacement); 147-C8I"))
      << two.error();

  t.form = "I-4855";
  t.category.reset();
  t.office = "BRO";
  auto warned = check_case(Case{}, t, how);
  ASSERT_TRUE(warned) << warned.error();
  ASSERT_EQ(warned->warnings.size(), 2U);
  EXPECT_TRUE(warned->warnings[0].starts_with(
      "USCIS publishes no processing time for form I-4855 (did you mean I-485?), and "
      "casewatch does not know that form: it will suggest no e-Request"))
      << warned->warnings[0];
  // A form the rules know without a posted time keeps the 6-month rule.
  t.form = "I-290B";
  t.office.reset();
  auto known = check_case(Case{}, t, how);
  ASSERT_TRUE(known) << known.error();
  ASSERT_EQ(known->warnings.size(), 1U);
  EXPECT_TRUE(known->warnings[0].starts_with(
      "USCIS publishes no processing time for form I-290B; casewatch will use the 6-month rule"))
      << known->warnings[0];
  EXPECT_TRUE(warned->warnings[1].starts_with(
      "office BRO is not in the USCIS office list of 2024-10-18 (did you mean BNY (Brooklyn "
      "NY)?)"))
      << warned->warnings[1];
}

}  // namespace
}  // namespace casewatch
