// SPDX-License-Identifier: MIT
// Typing what the notice says in the times commands and list --form: the same checks, words
// and "did you mean" as add and import; times categories; descriptions and office names in
// times list.
#include <gtest/gtest.h>

#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

using Times6 = Cli;

TEST_F(Times6, TimesSetWarnsAboutAMistypedFormOfferingTheNearest) {
  create_database();
  auto r = run({"times", "set", "I-4855", "--months", "8"});
  ASSERT_EQ(r.code, 0) << r.err;  // an unknown form still only warns (docs/cli.md, Values)
  EXPECT_NE(r.err.find("USCIS publishes no processing time for form I-4855 (did you mean "
                       "I-485?)"),
            std::string::npos)
      << r.err;
  // The row was stored as typed; unset warns the same way and removes it.
  auto unset = run({"times", "unset", "I-4855"});
  ASSERT_EQ(unset.code, 0) << unset.err;
  EXPECT_NE(unset.err.find("(did you mean I-485?)"), std::string::npos) << unset.err;
}

TEST_F(Times6, ListFormWarnsWithTheNearestForm) {
  add_sample_cases();
  auto r = run({"list", "--form", "I-4855"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("form I-4855 (did you mean I-485?)"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("IOE0912345678"), std::string::npos) << r.out;
}

TEST_F(Times6, TimesListOfficeBroOffersBrooklyn) {
  auto r = run({"times", "list", "--office", "BRO"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("office BRO is not in the USCIS office list of 2024-10-18 (did you mean "
                       "BNY (Brooklyn NY)?)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("casewatch: error: no processing-time rows match --office BRO"),
            std::string::npos)
      << r.err;
}

TEST_F(Times6, TimesSetTakesTheCategoryAsPrintedOnTheNotice) {
  create_database();
  auto r = run({"times", "set", "I-765", "--category", "(c)(9)", "--office", "NSC", "--months", "5",
                "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["row"]["category"], "147-C9") << r.out;
  // c9 and C09 name the same row: unset removes it.
  auto unset = run({"times", "unset", "I-765", "--category", "C09", "--office", "NSC"});
  ASSERT_EQ(unset.code, 0) << unset.err;
  EXPECT_NE(unset.out.find("Removed your row for I-765 147-C9 at NSC"), std::string::npos)
      << unset.out;
  // (c)(8) is printed on two I-765 categories: refused, naming both, nothing stored.
  std::string before = dump();
  auto both =
      run({"times", "set", "I-765", "--category", "(c)(8)", "--office", "SCD", "--months", "5"});
  expect_one_error_line(both, "--category: '(c)(8)' is printed on more than one I-765 category");
  EXPECT_NE(both.err.find("147-C8 ("), std::string::npos) << both.err;
  EXPECT_NE(both.err.find("147-C8I ("), std::string::npos) << both.err;
  EXPECT_EQ(dump(), before);
}

TEST_F(Times6, TimesSetAtAnOfficeOfAnotherFormSaysWhereTheFormIsPosted) {
  create_database();
  auto r =
      run({"times", "set", "I-765", "--category", "147-C9", "--office", "QNS", "--months", "5"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("USCIS posts no I-765 time for office QNS; it posts I-765 times for: "),
            std::string::npos)
      << r.err;
}

TEST_F(Times6, TimesCategoriesListsDescriptionsAndOffices) {
  auto r = run({"times", "categories", "i765"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("CATEGORY")) << r.out;
  // A pipe gets whole rows: one line per category, the offices sorted.
  std::istringstream lines(r.out);
  std::string line;
  std::string c9;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    if (line.starts_with("147-C9 ")) {
      c9 = line;
    }
  }
  EXPECT_EQ(count, 1 + 16) << r.out;  // the header and I-765's 16 categories
  EXPECT_NE(c9.find("Based on a pending I-485 adjustment application [(c)(9)]"), std::string::npos)
      << r.out;
  EXPECT_TRUE(c9.ends_with("CSC ESC NBC NSC SSC")) << c9;

  // --office: only the categories with a time there.
  auto scd = run({"times", "categories", "I-765", "--office", "SCD"});
  ASSERT_EQ(scd.code, 0) << scd.err;
  EXPECT_NE(scd.out.find("147-C8I "), std::string::npos) << scd.out;
  EXPECT_NE(scd.out.find("147-C8 "), std::string::npos) << scd.out;
  EXPECT_EQ(scd.out.find("147-C9"), std::string::npos) << scd.out;
}

TEST_F(Times6, TimesCategoriesJsonAndTheUsersOwnRows) {
  create_database();
  ASSERT_EQ(
      run({"times", "set", "I-765", "--category", "c9", "--office", "QNS", "--months", "5"}).code,
      0);
  auto r = run({"times", "categories", "I-765", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["form"], "I-765");
  EXPECT_EQ(j["title"], "Application for Employment Authorization");
  json c9;
  for (const json& c : j["categories"]) {
    if (c["category"] == "147-C9") {
      c9 = c;
    }
  }
  ASSERT_FALSE(c9.is_null()) << r.out;
  EXPECT_EQ(c9["description"], "Based on a pending I-485 adjustment application [(c)(9)]");
  EXPECT_EQ(c9["offices"], json({"CSC", "ESC", "NBC", "NSC", "QNS", "SSC"}));
  EXPECT_EQ(c9["any_office"], false);
  // The user's row at QNS is the only I-765 time there.
  auto qns = run({"times", "categories", "I-765", "--office", "QNS", "--json"});
  ASSERT_EQ(qns.code, 0) << qns.err;
  EXPECT_EQ(json::parse(qns.out)["categories"].size(), 1U) << qns.out;
}

TEST_F(Times6, TimesCategoriesOfAnUnknownFormOffersTheNearest) {
  expect_one_error_line(run({"times", "categories", "I-4855"}),
                        "USCIS lists no categories for I-4855 and no processing-time row names "
                        "it (did you mean I-485?)");
  expect_one_error_line(run({"times", "categories", "I-485x9"}), "FORM: ");
  auto none = run({"times", "categories", "I-765", "--office", "BNY"});
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("casewatch: error: no I-765 category has a processing time at BNY; "
                          "I-765 times are posted for: CSC ESC NBC NSC SCD SSC YSC"),
            std::string::npos)
      << none.err;
}

TEST_F(Times6, TimesListShowsDescriptionsAndOfficeNames) {
  auto r = run({"times", "list", "--form", "I-765", "--office", "NBC"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("DESCRIPTION"), std::string::npos) << r.out;
  auto c9 = r.out.find("\nI-765  147-C9 ");
  ASSERT_NE(c9, std::string::npos) << r.out;
  std::string c9_line = r.out.substr(c9 + 1, r.out.find('\n', c9 + 1) - c9 - 1);
  EXPECT_NE(c9_line.find(" Based on a pending I-485 adjustment application [(c)(9)] "),
            std::string::npos)
      << c9_line;
  EXPECT_NE(c9_line.find(" NBC (National Benefits Center) "), std::string::npos) << c9_line;
  // On a narrow terminal the description and the office name are cut, the row still fits.
  auto narrow = run({"times", "list", "--form", "I-765", "--office", "NBC"}, {"COLUMNS=100"});
  ASSERT_EQ(narrow.code, 0) << narrow.err;
  std::istringstream lines(narrow.out);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_LE(line.size(), 100U + 2 * 3) << line;  // "…" is 3 bytes, one column
  }
  // JSON keeps its fields and adds the description and the office's name.
  auto j = json::parse(run({"times", "list", "--form", "I-765", "--office", "NBC", "--json"}).out);
  ASSERT_FALSE(j["rows"].empty());
  for (const json& row : j["rows"]) {
    EXPECT_TRUE(row.contains("category")) << row;
    EXPECT_TRUE(row.contains("age_days")) << row;
    EXPECT_EQ(row["office"], "NBC");
    EXPECT_EQ(row["office_name"], "National Benefits Center");
    if (row["category"] == "147-C9") {
      EXPECT_EQ(row["category_description"],
                "Based on a pending I-485 adjustment application [(c)(9)]");
    }
  }
}

}  // namespace
}  // namespace casewatch_test
