// SPDX-License-Identifier: MIT
#include "casewatch/domain/processing_time.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>

#include "casewatch/domain/catalog.hpp"

namespace casewatch {
namespace {

ProcessingTime row(std::string form, std::string category, std::string office, int halves,
                   std::optional<Date> inquiry = std::nullopt, std::string source = "built-in") {
  return ProcessingTime{std::move(form),         std::move(category),
                        std::move(office),       PostedTime{halves, TimeUnit::months},
                        make_date(2024, 10, 18), inquiry,
                        std::move(source)};
}

TEST(PostedTime, ParsesUsciseUnitsAndHalves) {
  EXPECT_EQ(*parse_posted_time("25.5", "Months"), (PostedTime{51, TimeUnit::months}));
  EXPECT_EQ(*parse_posted_time("1", "Month"), (PostedTime{2, TimeUnit::months}));
  EXPECT_EQ(*parse_posted_time("4", "Weeks"), (PostedTime{8, TimeUnit::weeks}));
  for (const char* bad : {"0", "-3", "2.25", "abc", "", "241", "NA"}) {
    EXPECT_FALSE(parse_posted_time(bad, "Months")) << bad;
  }
  EXPECT_FALSE(parse_posted_time("3", "Days"));
}

TEST(PostedTime, AddingFollowsTheRules) {
  // I-765 147-C9 at NSC, 5.5 months, received 2024-01-16: 2024-06-16 + 15 = 2024-07-01.
  EXPECT_EQ(format_date(add_posted_time(make_date(2024, 1, 16), {11, TimeUnit::months})),
            "2024-07-01");
  // 25.5 months from 2023-08-31: 2025-09-30 (clamped) + 15 = 2025-10-15.
  EXPECT_EQ(format_date(add_posted_time(make_date(2023, 8, 31), {51, TimeUnit::months})),
            "2025-10-15");
  EXPECT_EQ(format_date(add_posted_time(make_date(2025, 1, 1), {8, TimeUnit::weeks})),
            "2025-01-29");
  EXPECT_EQ(format_date(add_posted_time(make_date(2025, 1, 1), {5, TimeUnit::weeks})),
            "2025-01-19");  // 2.5 weeks: 14 + 4 days, rounded up
}

TEST(BuiltinTable, HasTheRowsOfThe20241018Data) {
  const auto& rows = builtin_processing_times();
  EXPECT_EQ(rows.size(), 702U);  // 706 lines less 4 without a time ("NA")
  std::set<std::tuple<std::string, std::string, std::string>> keys;
  std::set<std::string> forms;
  for (const auto& r : rows) {
    keys.emplace(r.form, r.category, r.office);
    forms.insert(r.form);
  }
  EXPECT_EQ(keys.size(), 701U);  // I-601 144AB NSC appears twice
  EXPECT_EQ(forms.size(), 38U);  // I-821D has only rows without a time
  ProcessingTimeTable table(rows);
  EXPECT_EQ(table.rows().size(), 701U);
}

TEST(BuiltinTable, CatalogListsFormsCategoriesAndOffices) {
  const Catalog& c = builtin_catalog();
  EXPECT_EQ(c.forms().size(), 39U);
  EXPECT_TRUE(c.has_form("I-485"));
  EXPECT_FALSE(c.has_form("I-192"));
  EXPECT_TRUE(c.has_category("I-485", "131A-FAM"));
  EXPECT_FALSE(c.has_category("I-485", "131A-XYZ"));
  EXPECT_TRUE(c.has_office("QNS"));
  EXPECT_EQ(c.offices().size(), 100U);
  EXPECT_FALSE(c.has_office("ZZZ"));
  EXPECT_EQ(c.form_title("N-400"), "Application for Naturalization");
}

TEST(Csv, ErrorsNameTheLineAndColumn) {
  auto r = parse_processing_times_csv(
      "form_name,form_subtype,office_code,publication_date,range_upper,range_upper_unit,"
      "service_request_date\nI-130,134A-IR,NSC,\"October 18, 2024\",9.5,Months,\"May 1, "
      "2024\"\nI-130,134A-IR,CSC,\"Octobre 18, 2024\",9.5,Months,\n",
      "test");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().substr(0, 35), "line 3, column publication_date: 'O");
  auto missing = parse_processing_times_csv("form_name,office_code\n", "test");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("no column 'form_subtype'"), std::string::npos);
}

TEST(Choose, SpecificThenAggregateThenAnyCategory) {
  ProcessingTimeTable table({row("I-485", "131A-FAM", "QNS", 51), row("I-485", "131A", "QNS", 29),
                             row("I-485", "131B", "FOD", 66), row("I-765", "147-C9", "NSC", 11),
                             row("I-765", "147-C9", "SCD", 8), row("I-765", "147-C8", "SCD", 20)});
  Date received = make_date(2024, 1, 16);
  auto c1 = table.choose("I-485", "131A-FAM", "QNS", received);
  ASSERT_EQ(c1.outcome, ChoiceOutcome::found);
  EXPECT_EQ(c1.row->category, "131A-FAM");
  EXPECT_TRUE(c1.category_candidates.empty());
  // Step 2: the office has no row of the category: its aggregate (FOD) does.
  auto c2 = table.choose("I-485", "131B", "QNS", received);
  EXPECT_EQ(c2.row->office, "FOD");
  // Step 3: no category: the slowest of the office's rows, and the choice is flagged.
  auto c3 = table.choose("I-485", std::nullopt, "QNS", received);
  EXPECT_EQ(c3.row->category, "131A-FAM");
  EXPECT_EQ(c3.category_candidates.size(), 2U);
  // Step 4: a service center with no row: SCD.
  auto c4 = table.choose("I-765", "147-C8", "ESC", received);
  EXPECT_EQ(c4.row->office, "SCD");
  EXPECT_EQ(c4.row->category, "147-C8");
  // A category no row has counts as not given.
  auto c5 = table.choose("I-765", "147-ZZ", "NSC", received);
  EXPECT_EQ(c5.row->category, "147-C9");
}

TEST(Choose, NeverGuessesAmongFieldOffices) {
  ProcessingTimeTable table({row("I-485", "131A-FAM", "QNS", 51), row("I-485", "131A", "NYC", 29),
                             row("I-765", "147-C9", "NSC", 11), row("I-765", "147-C9", "CSC", 13)});
  Date received = make_date(2024, 1, 16);
  EXPECT_EQ(table.choose("I-485", "131A-FAM", std::nullopt, received).outcome,
            ChoiceOutcome::office_needed);
  EXPECT_EQ(table.choose("I-485", std::nullopt, "NSC", received).outcome,
            ChoiceOutcome::office_needed);
  // Service centers only: the slowest of them.
  auto c = table.choose("I-765", "147-C9", std::nullopt, received);
  ASSERT_EQ(c.outcome, ChoiceOutcome::found);
  EXPECT_EQ(c.row->office, "CSC");
  EXPECT_EQ(table.choose("I-192", std::nullopt, std::nullopt, received).outcome,
            ChoiceOutcome::no_row_for_form);
}

TEST(Choose, TiesGoToTheEarlierInquiryDateThenTheLowerOffice) {
  ProcessingTimeTable table({row("I-765", "147-C9", "NSC", 11, make_date(2024, 5, 1)),
                             row("I-765", "147-C9", "CSC", 11, make_date(2024, 5, 3)),
                             row("I-765", "147-C9", "ESC", 11, make_date(2024, 5, 1))});
  auto c = table.choose("I-765", "147-C9", std::nullopt, make_date(2024, 1, 16));
  EXPECT_EQ(c.row->office, "ESC");
}

TEST(Choose, SetRowsWinAndAggregatesComeAfterNamedRows) {
  ProcessingTimeTable table({row("I-485", "131A-FAM", "QNS", 51),
                             row("I-485", "131A-FAM", "QNS", 40, std::nullopt, "set"),
                             row("I-485", "", "", 30, std::nullopt, "set"),
                             row("I-192", "", "", 16, std::nullopt, "set")});
  Date received = make_date(2024, 1, 16);
  EXPECT_EQ(table.choose("I-485", "131A-FAM", "QNS", received).row->time.halves, 40);
  // Office unknown: the user's aggregate row answers before step 5.
  auto agg = table.choose("I-485", "131A-FAM", std::nullopt, received);
  ASSERT_EQ(agg.outcome, ChoiceOutcome::found);
  EXPECT_EQ(agg.row->time.halves, 30);
  EXPECT_EQ(table.choose("I-192", std::nullopt, std::nullopt, received).row->time.halves, 16);
}

}  // namespace
}  // namespace casewatch

namespace casewatch {
namespace {

TEST(BuiltinTable, OfficesPerForm) {
  auto offices = builtin_catalog().offices_for("N-400");  // field offices only
  EXPECT_NE(std::find(offices.begin(), offices.end(), "QNS"), offices.end());
  EXPECT_EQ(std::find(offices.begin(), offices.end(), "NSC"), offices.end());
  EXPECT_TRUE(builtin_catalog().offices_for("I-192").empty());
}

}  // namespace
}  // namespace casewatch

namespace casewatch {
namespace {

TEST(UscisJson, ReadsRangeZeroAndTheInquiryDate) {
  auto r = parse_processing_times_json(R"({"data": {"processing_time": {
      "form_name": "I-485", "office_code": "QNS", "subtypes": [
        {"form_type": "131A-FAM", "publication_date": "November 14, 2026",
         "range": [{"value": 21, "unit": "Months"}, {"value": 9, "unit": "Months"}],
         "service_request_date": "February 10, 2024"},
        {"form_type": "131A", "publication_date": "November 14, 2026",
         "range": [{"value": "12.5", "unit_en": "Months"}], "service_request_date": ""},
        {"form_type": "131B", "publication_date": "November 14, 2026", "range": []}]}}})",
                                       "import:pt.json");
  ASSERT_TRUE(r) << r.error();
  ASSERT_EQ(r->rows.size(), 2U);
  EXPECT_EQ(r->skipped_without_time, 1U);
  const ProcessingTime& fam = r->rows[0];
  EXPECT_EQ(fam.form, "I-485");
  EXPECT_EQ(fam.category, "131A-FAM");
  EXPECT_EQ(fam.office, "QNS");
  EXPECT_EQ(fam.time, (PostedTime{42, TimeUnit::months}));
  EXPECT_EQ(fam.published, make_date(2026, 11, 14));
  EXPECT_EQ(fam.inquiry_date, make_date(2024, 2, 10));
  EXPECT_EQ(fam.source, "import:pt.json");
  EXPECT_EQ(r->rows[1].time, (PostedTime{25, TimeUnit::months}));
  EXPECT_FALSE(r->rows[1].inquiry_date);
}

// The shape USCIS serves since 2026: camelCase keys, read as the older one.
TEST(UscisJson, ReadsTheCamelCaseShape) {
  auto r = parse_processing_times_json(R"({"data": {"processingTime": {
      "formName": "I-485", "officeCode": "QNS", "subtypes": [
        {"formType": "131A-FAM", "publicationDate": "November 14, 2026",
         "range": [{"value": 21, "unitEn": "Months"}],
         "serviceRequestDate": "February 10, 2024"}]}}})",
                                       "import:pt.json");
  ASSERT_TRUE(r) << r.error();
  ASSERT_EQ(r->rows.size(), 1U);
  EXPECT_EQ(r->rows[0].form, "I-485");
  EXPECT_EQ(r->rows[0].category, "131A-FAM");
  EXPECT_EQ(r->rows[0].office, "QNS");
  EXPECT_EQ(r->rows[0].time, (PostedTime{42, TimeUnit::months}));
  EXPECT_EQ(r->rows[0].published, make_date(2026, 11, 14));
  EXPECT_EQ(r->rows[0].inquiry_date, make_date(2024, 2, 10));
}

// The SQLite dataset: a row with an odd unit or bound is skipped and counted, never refusing
// the file; the CSV still names the line.
TEST(UscisDataset, OddUpperBoundsAreSkippedAndCounted) {
  std::vector<csv::Record> records = {
      {1,
       {"form_name", "form_subtype", "office_code", "publication_date", "range_upper",
        "range_upper_unit", "service_request_date"}},
      {2, {"I-485", "131A-FAM", "QNS", "2026-11-14", "21", "Months", ""}},
      {3, {"I-765", "C09", "NSC", "2026-11-14", "45", "Days", ""}},
      {4, {"I-130", "F1", "CSC", "2026-11-14", "9.25", "Months", ""}},
      {5, {"I-90", "REN", "NBC", "2026-11-14", "1", "See Notes", ""}},
  };
  auto skipped = parse_processing_time_records(records, "import:db", true);
  ASSERT_TRUE(skipped) << skipped.error();
  EXPECT_EQ(skipped->rows.size(), 1U);
  EXPECT_EQ(skipped->skipped_odd, 3U);
  EXPECT_EQ(skipped->first_odd, "line 3: 45 Days");
  EXPECT_FALSE(parse_processing_time_records(records, "import:csv"));
}

TEST(UscisJson, ErrorsNameTheSubtypeAndField) {
  auto r = parse_processing_times_json(R"({"data": {"processing_time": {
      "form_name": "I-485", "office_code": "QNS", "subtypes": [
        {"form_type": "131A-FAM", "publication_date": "Novembre 14, 2026",
         "range": [{"value": 21, "unit": "Months"}]}]}}})",
                                       "x");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("subtype 1 (131A-FAM), field publication_date"), std::string::npos)
      << r.error();
  EXPECT_FALSE(parse_processing_times_json(R"({"data": {}})", "x"));
  EXPECT_FALSE(parse_processing_times_json("[1, 2", "x"));
}

TEST(PostedTime, RefusesSignsOverflowAndWhatIsNotAWholeOrHalfNumber) {
  // 2147483647 months used to overflow int when doubled into halves (UBSan); "-0.5" was
  // read as 0.5.
  for (const char* bad : {"2147483647", "2147483647.5", "99999999999999999999", "-0.5", "-0", "+3",
                          "nan", "inf", "1e3", "4.4e64", "1.9", " 8", "8 ", "0.0", "0.5.5"}) {
    auto t = parse_posted_time(bad, "Months");
    ASSERT_FALSE(t) << bad;
    EXPECT_NE(t.error().find(std::string("'") + bad + "'"), std::string::npos) << t.error();
    EXPECT_NE(t.error().find("from 0.5 to 240"), std::string::npos) << t.error();
  }
  EXPECT_EQ(*parse_posted_time("240", "Weeks"), (PostedTime{480, TimeUnit::weeks}));
  EXPECT_EQ(*parse_posted_time("0.5", "Month"), (PostedTime{1, TimeUnit::months}));
  EXPECT_FALSE(parse_posted_time("240.5", "Months"));
}

TEST(PostedTime, AddingIsDefinedForAnyHalves) {
  // A row read back from a database may hold any number; the result saturates.
  Date d = make_date(2024, 10, 18);
  for (int h : {std::numeric_limits<int>::max(), std::numeric_limits<int>::max() - 1}) {
    EXPECT_EQ(add_posted_time(d, {h, TimeUnit::weeks}), last_calendar_day());
    EXPECT_GT(add_posted_time(d, {h, TimeUnit::months}), make_date(30000, 1, 1));
  }
  EXPECT_EQ(add_posted_time(d, {std::numeric_limits<int>::min(), TimeUnit::weeks}),
            first_calendar_day());
  EXPECT_LT(add_posted_time(d, {std::numeric_limits<int>::min(), TimeUnit::months}),
            make_date(-30000, 1, 1));
}

TEST(Csv, RefusesTextThatIsNotUtf8NamingTheLine) {
  std::string text =
      "form_name,form_subtype,office_code,publication_date,range_upper,range_upper_unit,"
      "service_request_date\n"
      "I-485,131A-FAM,QNS,10/18/2024,21,Months,02/10/2024\n"
      "I-485,Fianc\xe9,QNS,10/18/2024,21,Months,02/10/2024\n";
  auto r = parse_processing_times_csv(text, "x");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().starts_with("line 3, column form_subtype: the value is not UTF-8"))
      << r.error();
}

TEST(UscisJson, RefusesDeepNestingBeforeParsing) {
  // 75,000 levels used to overflow the stack inside the JSON library (SIGSEGV).
  std::string deep = std::string(75000, '[') + std::string(75000, ']');
  auto r = parse_processing_times_json(deep, "x");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("more than 64 deep"), std::string::npos) << r.error();
  std::string object_in_strings =
      R"({"data": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})";
  auto s = parse_processing_times_json(object_in_strings, "x");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("needs data.processing_time"), std::string::npos) << s.error();
}

TEST(UscisJson, WrongTypesAndOverflowingNumbersAreErrorsNamingTheField) {
  auto doc = [](const std::string& subtype_fields, const std::string& range) {
    return R"({"data": {"processing_time": {"form_name": "I-765", "office_code": "NSC",
        "subtypes": [{"form_type": "147-C9", )" +
           subtype_fields + R"("range": [)" + range + "]}]}}}";
  };
  struct Case {
    std::string text;
    const char* error;
  };
  const std::string pub = R"("publication_date": "October 18, 2024", )";
  for (const Case& c : {
           Case{doc(pub, R"({"value": true, "unit": "Months"})"),
                "field range[0].value: expected a number or text, got true"},
           Case{doc(pub, R"({"value": 1.9, "unit": "Months"})"), "'1.9' is not a processing time"},
           Case{doc(pub, R"({"value": 4.4e64, "unit": "Months"})"),
                "'4.4e+64' is not a processing time"},
           Case{doc(pub, R"({"value": -0.5, "unit": "Months"})"),
                "'-0.5' is not a processing time"},
           Case{doc(pub, R"({"value": 2147483647, "unit": "Months"})"),
                "'2147483647' is not a processing time"},
           Case{doc(pub, R"({"value": 5, "unit": 1})"),
                "field range[0].unit: expected text, got 1"},
           Case{doc(R"("publication_date": 20241018, )", R"({"value": 5, "unit": "Months"})"),
                "field publication_date: expected text, got 20241018"},
           Case{doc(pub, R"({"value": 1e400, "unit": "Months"})"), "not valid JSON"},
           Case{R"({"data": {"processing_time": {"form_name": ["I-765"], "office_code": "NSC",
                "subtypes": []}}})",
                "data.processing_time, field form_name: expected text, got [\"I-765\"]"},
           Case{R"({"data": {"processing_time": {"form_name": "I-765", "office_code": "NSC",
                "subtypes": [5]}}})",
                "subtype 1 (), field subtype: expected an object, got 5"},
       }) {
    auto r = parse_processing_times_json(c.text, "x");
    ASSERT_FALSE(r) << c.text;
    EXPECT_NE(r.error().find(c.error), std::string::npos) << r.error();
  }
}

}  // namespace
}  // namespace casewatch

namespace casewatch {
namespace {

ProcessingTime dated(std::string source, int halves, Date published) {
  return ProcessingTime{
      "I-485",      "131A-FAM",       "QNS", PostedTime{halves, TimeUnit::months}, published,
      std::nullopt, std::move(source)};
}

// docs/rules.md: per key the latest publication wins whatever its source; on the same
// date `times set` wins.
TEST(Precedence, NewestPublicationWinsWhateverItsSource) {
  Date older = make_date(2026, 9, 15);
  Date newer = make_date(2026, 11, 14);
  // An import newer than a `set` row wins over it (a `set` row used to win always).
  ProcessingTimeTable a({dated("set", 40, older), dated("import:november.json", 44, newer)});
  ASSERT_EQ(a.rows().size(), 1U);
  EXPECT_EQ(a.rows().front().source, "import:november.json");
  // A `set` row newer than an import wins; the order given does not matter.
  ProcessingTimeTable b({dated("set", 40, newer), dated("import:september.json", 44, older)});
  EXPECT_EQ(b.rows().front().source, "set");
  ProcessingTimeTable b2({dated("import:september.json", 44, older), dated("set", 40, newer)});
  EXPECT_EQ(b2.rows().front().source, "set");
  // Same date: `set` wins even when it is faster.
  ProcessingTimeTable c({dated("import:november.json", 44, newer), dated("set", 30, newer)});
  EXPECT_EQ(c.rows().front().source, "set");
  // The built-in row of 2024-10-18 loses to any later row.
  std::vector<ProcessingTime> rows = builtin_processing_times();
  rows.push_back(dated("import:november.json", 44, newer));
  ProcessingTimeTable d(std::move(rows));
  EXPECT_EQ(d.choose("I-485", "131A-FAM", "QNS", make_date(2024, 1, 16)).row->time.halves, 44);
}

TEST(Precedence, WinnerSaysWhichRowAStoredRowLosesTo) {
  Date older = make_date(2026, 9, 15);
  Date newer = make_date(2026, 11, 14);
  ProcessingTimeTable table(
      {dated("set", 40, newer), row("I-485", "", "", 30, std::nullopt, "set")});
  const ProcessingTime* w = table.winner("I-485", "131A-FAM", "QNS");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->source, "set");
  EXPECT_EQ(w->published, newer);
  ProcessingTime incoming = dated("import:september.json", 44, older);
  EXPECT_FALSE(supersedes(incoming, *w));  // the import loses to the set row
  EXPECT_TRUE(supersedes(*w, incoming));
  EXPECT_TRUE(supersedes(dated("import:december.json", 44, make_date(2026, 12, 15)), *w));
  // The user's aggregate row is its own key; an unknown key has no winner.
  ASSERT_NE(table.winner("I-485", "", ""), nullptr);
  EXPECT_EQ(table.winner("I-485", "", "")->time.halves, 30);
  EXPECT_EQ(table.winner("I-485", "131A-FAM", "NYC"), nullptr);
  EXPECT_EQ(table.winner("I-192", "", ""), nullptr);
}

TEST(Choose, StepTwoBKeepsTheCategoryOverAnOfficeItIsNotPostedFor) {
  // Worked example: I-765 147-C3 is posted at YSC only; given NSC, YSC's row (5 months).
  const ProcessingTimeTable table(builtin_processing_times());
  auto c = table.choose("I-765", "147-C3", "NSC", make_date(2025, 1, 2));
  ASSERT_EQ(c.outcome, ChoiceOutcome::found);
  EXPECT_EQ(c.row->office, "YSC");
  EXPECT_EQ(c.row->category, "147-C3");
  EXPECT_EQ(describe(c.row->time), "5 months");
  EXPECT_TRUE(c.category_candidates.empty());
  // Step 2b never guesses among field offices: an N-400 category at a service center.
  ProcessingTimeTable fo({row("N-400", "160A", "QNS", 18), row("N-400", "160A", "NYC", 20),
                          row("N-400", "160B", "NSC", 10)});
  auto n = fo.choose("N-400", "160A", "NSC", make_date(2025, 1, 2));
  ASSERT_EQ(n.outcome, ChoiceOutcome::found);
  EXPECT_EQ(n.row->category, "160B");  // step 3: the office's own row
}

}  // namespace
}  // namespace casewatch
