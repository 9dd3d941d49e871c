// SPDX-License-Identifier: MIT
#include "casewatch/domain/bulletin.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "casewatch/domain/priority_date.hpp"
#include "casewatch/domain/validate.hpp"
#include "casewatch/store/store.hpp"

namespace casewatch {
namespace {

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(CASEWATCH_TEST_DATA) + "/bulletin/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Month month(int y, unsigned m) {
  return Month{date::year{y}, date::month{m}};
}

// The six months of tests/data/bulletin (June and July 2026 real, February to May made up).
BulletinTable six_months() {
  auto rows = parse_bulletin_csv(read_fixture("six_months.csv"), "import:six_months.csv");
  auto charts = parse_chart_choices_json(read_fixture("uscis_chart.json"), "import:uscis_chart");
  EXPECT_TRUE(rows) << rows.error();
  EXPECT_TRUE(charts) << charts.error();
  return BulletinTable(rows->rows, *charts);
}

TEST(Bulletin, MonthsParseStrictly) {
  EXPECT_EQ(format_month(*parse_month("2026-07")), "2026-07");
  for (const char* bad :
       {"2026-7", "2026-13", "2026-00", "07-2026", "2026/07", "", "1899-12", "2026-07-01"}) {
    auto m = parse_month(bad);
    ASSERT_FALSE(m) << bad;
    EXPECT_NE(m.error().find("YYYY-MM"), std::string::npos);
  }
  EXPECT_EQ(month_of(make_date(2026, 11, 28)), month(2026, 11));
  EXPECT_EQ(format_date(first_day(month(2026, 7))), "2026-07-01");
}

TEST(Bulletin, PreferencesAndTheirSpellings) {
  EXPECT_EQ(*parse_preference("F2B"), "F2B");
  EXPECT_EQ(*parse_preference("f2b"), "F2B");
  EXPECT_EQ(*parse_preference("EB-2"), "EB2");
  EXPECT_EQ(*parse_preference("eb3"), "EB3");
  EXPECT_EQ(*parse_preference("Other Workers"), "EW");
  EXPECT_EQ(*parse_preference("SR"), "EB4_RW");
  EXPECT_EQ(*parse_preference("certain religious workers"), "EB4_RW");
  EXPECT_EQ(*parse_preference("EB-5"), "EB5_UNRESERVED");
  EXPECT_EQ(*parse_preference("eb5 rural"), "EB5_RURAL");
  EXPECT_EQ(*parse_preference("IR"), "IR");
  auto bad = parse_preference("H-1B");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("'H-1B' is not a preference category"), std::string::npos);
  EXPECT_NE(bad.error().find("F2B"), std::string::npos);
  EXPECT_EQ(kind_of_category("F2B"), VisaKind::family);
  EXPECT_EQ(kind_of_category("EB4_RW"), VisaKind::employment);
  EXPECT_EQ(kind_of_category("EW"), VisaKind::employment);
}

TEST(Bulletin, ChargeabilityMapsCountriesToColumns) {
  EXPECT_EQ(chargeability_column("Mexico"), "MX");
  EXPECT_EQ(chargeability_column("mx"), "MX");
  EXPECT_EQ(chargeability_column("MEX"), "MX");
  EXPECT_EQ(chargeability_column("India"), "IN");
  EXPECT_EQ(chargeability_column("China"), "CN");
  EXPECT_EQ(chargeability_column("Philippines"), "PH");
  EXPECT_EQ(chargeability_column("Guatemala"), "SV_GT_HN");
  EXPECT_EQ(chargeability_column("El Salvador"), "SV_GT_HN");
  EXPECT_EQ(chargeability_column("HN"), "SV_GT_HN");
  EXPECT_EQ(chargeability_column("Viet Nam"), "VN");
  // Every other country is all areas, as on the bulletin.
  EXPECT_EQ(chargeability_column("Brazil"), "ROW");
  EXPECT_EQ(chargeability_column("Hong Kong"), "ROW");
  EXPECT_EQ(chargeability_column("Taiwan"), "ROW");
  EXPECT_FALSE(chargeability_problem("Côte d'Ivoire"));
  EXPECT_TRUE(chargeability_problem(""));
  EXPECT_TRUE(chargeability_problem("12345"));
  EXPECT_TRUE(chargeability_problem("Mexico\x1b[31m"));
  EXPECT_TRUE(chargeability_problem(std::string(61, 'a')));
}

TEST(Bulletin, CellsAndTheStrictlyEarlierRule) {
  Cell cutoff = *parse_cell("2009-02-15");
  EXPECT_EQ(cutoff, *parse_cell("15FEB09"));
  EXPECT_EQ(format_cell(cutoff), "2009-02-15");
  // A day before the cutoff is current; on it and after it are not.
  EXPECT_TRUE(is_current(make_date(2009, 2, 14), cutoff));
  EXPECT_FALSE(is_current(make_date(2009, 2, 15), cutoff));
  EXPECT_FALSE(is_current(make_date(2009, 2, 16), cutoff));
  EXPECT_TRUE(is_current(make_date(2026, 7, 1), *parse_cell("C")));
  EXPECT_FALSE(is_current(make_date(1990, 1, 1), *parse_cell("U")));
  EXPECT_EQ(format_cell(*parse_cell("current")), "C");
  EXPECT_EQ(format_cell(*parse_cell("u")), "U");
  EXPECT_FALSE(parse_cell("2009-02-30"));
  EXPECT_FALSE(parse_cell("31FEB09"));
  EXPECT_FALSE(parse_cell("soon"));
  EXPECT_EQ(format_date(*parse_cell("01JAN51")->cutoff), "1951-01-01");
  EXPECT_EQ(format_date(*parse_cell("01JAN22")->cutoff), "2022-01-01");
}

TEST(Bulletin, ChartsParse) {
  EXPECT_EQ(*parse_chart("final"), Chart::final_action);
  EXPECT_EQ(*parse_chart("final_action"), Chart::final_action);
  EXPECT_EQ(*parse_chart("filing"), Chart::dates_for_filing);
  EXPECT_EQ(*parse_chart("dates-for-filing"), Chart::dates_for_filing);
  EXPECT_FALSE(parse_chart("interview"));
}

TEST(Bulletin, CsvAndJsonOfTheDatasetGiveTheSameTable) {
  auto csv = parse_bulletin_csv(read_fixture("six_months.csv"), "import:a");
  auto json = parse_bulletin_json(read_fixture("six_months.json"), "import:a");
  ASSERT_TRUE(csv) << csv.error();
  ASSERT_TRUE(json) << json.error();
  EXPECT_EQ(csv->rows.size(), 96U);
  ASSERT_EQ(csv->rows.size(), json->rows.size());
  for (std::size_t i = 0; i < csv->rows.size(); ++i) {
    EXPECT_EQ(csv->rows[i].month, json->rows[i].month);
    EXPECT_EQ(csv->rows[i].category, json->rows[i].category);
    EXPECT_EQ(csv->rows[i].column, json->rows[i].column);
    EXPECT_EQ(csv->rows[i].cell, json->rows[i].cell);
  }
}

TEST(Bulletin, BadFilesAreRefusedNamingTheLine) {
  auto no_col = parse_bulletin_csv("bulletin,chart,category,country,status\n", "x");
  ASSERT_FALSE(no_col);
  EXPECT_NE(no_col.error().find("no column date"), std::string::npos);
  auto bad_status = parse_bulletin_csv(
      "bulletin,chart,kind,category,country,status,date\n"
      "2026-07,final_action,family,F2B,MX,date,2009-02-15\n"
      "2026-07,final_action,family,F2B,PH,maybe,\n",
      "x");
  ASSERT_FALSE(bad_status);
  EXPECT_NE(bad_status.error().find("line 3, status: 'maybe'"), std::string::npos);
  auto bad_cat = parse_bulletin_csv(
      "bulletin,chart,kind,category,country,status,date\n"
      "2026-07,final_action,family,H1B,MX,current,\n",
      "x");
  ASSERT_FALSE(bad_cat);
  EXPECT_NE(bad_cat.error().find("line 2, category: 'H1B'"), std::string::npos);
  EXPECT_FALSE(parse_bulletin_json("{\"bulletin\":\"2026-07\"}", "x"));
  EXPECT_FALSE(parse_bulletin_json(std::string(200, '[') + std::string(200, ']'), "x"));
  EXPECT_FALSE(
      parse_bulletin_json("[{\"bulletin\":\"2026-07\",\"chart\":\"final_action\","
                          "\"category\":\"F2B\",\"country\":\"MX\",\"status\":\"date\","
                          "\"date\":20090215}]",
                          "x"));
  EXPECT_FALSE(parse_chart_choices_json("{\"2026-09\":{\"family\":\"dates_for_filing\"}}", "x"));
  auto choices = parse_chart_choices_json(
      "{\"2026-09\":{\"family\":\"dates_for_filing\",\"employment\":\"final_action\"}}", "x");
  ASSERT_TRUE(choices) << choices.error();
  ASSERT_EQ(choices->size(), 1U);
  EXPECT_EQ((*choices)[0].family, Chart::dates_for_filing);
  EXPECT_EQ((*choices)[0].employment, Chart::final_action);
}

TEST(Bulletin, ACountryWithoutItsOwnColumnFallsBackToAllAreas) {
  BulletinTable t = six_months();
  // No Vietnam or Brazil column in 2026: all areas.
  EXPECT_EQ(t.cell(month(2026, 7), Chart::final_action, "F2B", "VN"),
            t.cell(month(2026, 7), Chart::final_action, "F2B", "ROW"));
  EXPECT_EQ(format_cell(*t.cell(month(2026, 7), Chart::final_action, "F2B",
                                chargeability_column("Brazil"))),
            "2017-11-22");
  EXPECT_FALSE(t.cell(month(2026, 8), Chart::final_action, "F2B", "MX"));
  EXPECT_FALSE(t.cell(month(2026, 7), Chart::final_action, "F4", "MX"));
  EXPECT_TRUE(t.has_month(month(2026, 2)));
  EXPECT_FALSE(t.has_month(month(2026, 1)));
  EXPECT_EQ(*t.latest_month(), month(2026, 7));
  EXPECT_EQ(t.choice(month(2026, 7))->family, Chart::dates_for_filing);
  EXPECT_EQ(t.choice(month(2026, 5)), nullptr);
}

// The issue's golden values, July 2026.
TEST(Bulletin, GoldenJuly2026F2BMexicoIsNotCurrent) {
  BulletinTable t = six_months();
  ChartVerdict v = chart_verdict(t, month(2026, 7), Chart::final_action, "F2B",
                                 chargeability_column("Mexico"), make_date(2019, 3, 1));
  ASSERT_TRUE(v.cell);
  EXPECT_FALSE(v.current);
  EXPECT_EQ(format_cell(*v.cell), "2009-02-15");
  EXPECT_EQ(v.days_behind, 3666);
  EXPECT_FALSE(v.retrogressed);
  EXPECT_FALSE(v.current_since);
}

TEST(Bulletin, GoldenJuly2026EB3AllAreasIsCurrent) {
  BulletinTable t = six_months();
  ChartVerdict v =
      chart_verdict(t, month(2026, 7), Chart::final_action, "EB3", "ROW", make_date(2019, 3, 1));
  EXPECT_TRUE(v.current);
  EXPECT_FALSE(v.days_behind);
  // Not current in February (2018-01-01), C in March and April, dates after: since March.
  ASSERT_TRUE(v.current_since);
  EXPECT_EQ(format_month(*v.current_since), "2026-03");
}

TEST(Bulletin, PriorityDateADayBeforeOnAndAfterTheCutoff) {
  BulletinTable t = six_months();
  auto at = [&](Date pd) {
    return chart_verdict(t, month(2026, 7), Chart::final_action, "F2B", "MX", pd);
  };
  ChartVerdict before = at(make_date(2009, 2, 14));
  EXPECT_TRUE(before.current);
  // 2009-02-14 is earlier than every cutoff since May (2009-02-15), not April's 2009-01-01.
  EXPECT_EQ(format_month(*before.current_since), "2026-05");
  ChartVerdict on = at(make_date(2009, 2, 15));
  EXPECT_FALSE(on.current);
  EXPECT_EQ(on.days_behind, 0);
  ChartVerdict after = at(make_date(2009, 2, 16));
  EXPECT_FALSE(after.current);
  EXPECT_EQ(after.days_behind, 1);
}

TEST(Bulletin, RetrogressionToADateAndToUnavailable) {
  BulletinTable t = six_months();
  // F1 all areas went back from 2018-06-01 (May) to 2017-09-01 (June).
  ChartVerdict f1 =
      chart_verdict(t, month(2026, 6), Chart::final_action, "F1", "ROW", make_date(2018, 1, 10));
  EXPECT_FALSE(f1.current);
  EXPECT_TRUE(f1.retrogressed);
  EXPECT_EQ(format_cell(*f1.previous), "2018-06-01");
  EXPECT_EQ(f1.days_behind, 131);
  // EB-2 India: 2013-09-01 in June, U in July.
  ChartVerdict eb2 =
      chart_verdict(t, month(2026, 7), Chart::final_action, "EB2", "IN", make_date(2013, 8, 1));
  EXPECT_FALSE(eb2.current);
  EXPECT_TRUE(eb2.retrogressed);
  EXPECT_FALSE(eb2.days_behind);
  EXPECT_EQ(format_cell(*eb2.cell), "U");
  // In June it had been current since May.
  ChartVerdict june =
      chart_verdict(t, month(2026, 6), Chart::final_action, "EB2", "IN", make_date(2013, 8, 1));
  EXPECT_TRUE(june.current);
  EXPECT_EQ(format_month(*june.current_since), "2026-05");
}

TEST(Bulletin, CurrentSinceIsRightWhenMonthsArriveLate) {
  // Imported out of order (July first, then the months before): the same answer.
  auto rows = parse_bulletin_csv(read_fixture("six_months.csv"), "import:x");
  ASSERT_TRUE(rows);
  std::vector<BulletinRow> reversed(rows->rows.rbegin(), rows->rows.rend());
  BulletinTable t(reversed, {});
  ChartVerdict v =
      chart_verdict(t, month(2026, 7), Chart::final_action, "EB3", "ROW", make_date(2019, 3, 1));
  EXPECT_EQ(format_month(*v.current_since), "2026-03");
  // A missing month breaks the run: without April, current only since May.
  std::erase_if(reversed, [](const BulletinRow& r) { return r.month == month(2026, 4); });
  BulletinTable gap(reversed, {});
  EXPECT_EQ(format_month(*chart_verdict(gap, month(2026, 7), Chart::final_action, "EB3", "ROW",
                                        make_date(2019, 3, 1))
                              .current_since),
            "2026-05");
}

TEST(Bulletin, RealRowsOfTheDatasetParseIncludingEB5AndOlderLayouts) {
  // Lines of the dataset's visa_bulletin.csv as published (October 2015 and July 2026).
  auto p = parse_bulletin_csv(
      "bulletin,chart,kind,category,country,status,date\n"
      "2015-10,final_action,employment,EB4_RW,CN,unavailable,\n"
      "2015-10,final_action,employment,EB5_NON_REGIONAL_CENTER,CN,date,"
      "2013-10-08\n"
      "2015-10,dates_for_filing,employment,EB5_TEA_REGIONAL_PILOT,CN,date,"
      "2015-05-01\n"
      "2026-07,final_action,employment,EB5_UNRESERVED_I5_R5,CN,date,"
      "2016-12-01\n"
      "2026-07,final_action,employment,EB5_UNRESERVED_I5_R5,IN,unavailable,\n"
      "2026-07,final_action,employment,EB5_RURAL,IN,current,\n",
      "import:visa_bulletin.csv");
  ASSERT_TRUE(p) << p.error();
  BulletinTable t(p->rows, {});
  // --preference EB5 is the unreserved row, coded EB5_UNRESERVED_I5_R5 in 2026.
  std::string eb5 = *parse_preference("EB-5");
  EXPECT_EQ(format_cell(*t.cell(month(2026, 7), Chart::final_action, eb5, "CN")), "2016-12-01");
  EXPECT_EQ(format_cell(*t.cell(month(2026, 7), Chart::final_action, eb5, "IN")), "U");
  EXPECT_EQ(format_cell(*t.cell(month(2026, 7), Chart::final_action, "EB5_RURAL", "IN")), "C");
  EXPECT_EQ(format_cell(*t.cell(month(2015, 10), Chart::final_action, "EB4_RW", "CN")), "U");
}

TEST(Bulletin, OneFileGivesACellOneValueAndNoCutoffAfterItsMonth) {
  // The same cell twice with the same value: taken once.
  auto same = parse_bulletin_csv(
      "bulletin,chart,kind,category,country,status,date\n"
      "2026-07,final_action,family,F2B,MX,date,2009-02-15\n"
      "2026-07,final_action,family,F2B,MX,date,2009-02-15\n",
      "x");
  ASSERT_TRUE(same) << same.error();
  // Two values for one cell: which the bulletin says cannot be told; both lines named.
  auto twice = parse_bulletin_csv(
      "bulletin,chart,kind,category,country,status,date\n"
      "2026-07,final_action,family,F2B,MX,date,2009-02-15\n"
      "2026-07,dates_for_filing,family,F2B,MX,date,2010-01-01\n"
      "2026-07,final_action,family,F2B,MX,current,\n",
      "x");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error(),
            "line 2 and line 4 give two values for the 2026-07 final_action F2B MX cell "
            "(2009-02-15 and C); keep the one the bulletin prints");
  auto twice_json = parse_bulletin_json(
      R"([{"bulletin":"2026-07","chart":"final_action","category":"EB2","country":"IN",)"
      R"("status":"date","date":"2013-01-01"},)"
      R"({"bulletin":"2026-07","chart":"final_action","category":"EB2","country":"IN",)"
      R"("status":"date","date":"2013-02-01"}])",
      "x");
  ASSERT_FALSE(twice_json);
  EXPECT_NE(twice_json.error().find("row 1 and row 2 give two values"), std::string::npos)
      << twice_json.error();
  // A cutoff in the bulletin's own month is possible; one after it is not a cutoff.
  EXPECT_TRUE(
      parse_bulletin_csv("bulletin,chart,kind,category,country,status,date\n"
                         "2026-07,final_action,family,F2B,MX,date,2026-07-31\n",
                         "x"));
  auto after = parse_bulletin_csv(
      "bulletin,chart,kind,category,country,status,date\n"
      "2026-07,final_action,family,F2B,MX,date,2026-08-01\n",
      "x");
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error(),
            "line 2, date: 2026-08-01 is after the bulletin's month 2026-07; a cutoff is a "
            "priority date before it");
}

TEST(Bulletin, ALaterRowOfTheSameKeyReplacesTheEarlier) {
  BulletinRow a{month(2026, 7), Chart::final_action,       "F2B",
                "MX",           *parse_cell("2009-02-15"), "import:x"};
  BulletinRow b = a;
  b.cell = *parse_cell("2009-03-01");
  b.source = "set";
  BulletinTable t({a, b}, {});
  EXPECT_EQ(format_cell(*t.cell(month(2026, 7), Chart::final_action, "F2B", "MX")), "2009-03-01");
  ASSERT_EQ(t.rows().size(), 1U);
  EXPECT_EQ(t.rows()[0].source, "set");
}

TEST(Bulletin, CaseFieldsAreCheckedByTheOneDefinition) {
  CaseText t;
  t.receipt = "IOE0912345678";
  t.form = "I-130";
  t.received = "2019-03-04";
  t.priority_date = "2019-03-01";
  t.preference = "f2b";
  t.chargeability = "Mexico";
  CaseCheck how{make_date(2026, 7, 10), FieldNames::fields, true, true};
  auto ok = check_case(Case{}, t, how);
  ASSERT_TRUE(ok) << ok.error();
  EXPECT_EQ(ok->value.preference, "F2B");
  EXPECT_EQ(ok->value.chargeability, "Mexico");
  EXPECT_FALSE(ok->value.path);
  EXPECT_EQ(effective_path(ok->value), VisaPath::consular);
  t.path = "adjustment";
  EXPECT_EQ(effective_path(check_case(Case{}, t, how)->value), VisaPath::adjustment);
  t.path = "abroad";
  auto bad = check_case(Case{}, t, how);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("field path: 'abroad' is not a path"), std::string::npos);
  t.path.reset();
  t.preference = "H-1B";
  bad = check_case(Case{}, t, how);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("field preference: 'H-1B'"), std::string::npos);
}

// The rule on the issue's cases, July 2026 (the words are checked in the CLI tests).
TEST(Bulletin, RuleStagesOnTheGoldenCases) {
  BulletinTable t = six_months();
  auto run = [&](Case c, Date as_of) {
    std::vector<Finding> out;
    rule_priority_date(c, Status::pending, t, as_of, true, out);
    return out;
  };
  Case f2b;
  f2b.id = 1;
  f2b.form = "I-130";
  f2b.priority_date = make_date(2019, 3, 1);
  f2b.preference = "F2B";
  f2b.chargeability = "Mexico";
  auto a = run(f2b, make_date(2026, 7, 10));
  ASSERT_EQ(a.size(), 1U);
  EXPECT_EQ(a[0].stage, "waiting");
  EXPECT_EQ(a[0].severity, Severity::info);
  EXPECT_NE(a[0].title.find("3,666 days behind the final action cutoff"), std::string::npos);
  // Unchanged cells since May: the same identity in June and July, so check is quiet.
  EXPECT_EQ(format_date(a[0].since), "2026-05-01");
  EXPECT_EQ(key_of(run(f2b, make_date(2026, 6, 3))[0]), key_of(a[0]));
  // A day before the cutoff: current on final action, consular, the petition pending: not
  // the NVC's yet (docs/rules.md, "Petition not yet approved").
  f2b.priority_date = make_date(2009, 2, 14);
  auto b = run(f2b, make_date(2026, 7, 10));
  ASSERT_EQ(b.size(), 1U);
  EXPECT_EQ(b[0].stage, "petition-pending");
  EXPECT_EQ(b[0].severity, Severity::info);
  EXPECT_EQ(b[0].title.find("NVC"), std::string::npos);
  // On the cutoff: not current on final action, but current for filing (2010-05-15).
  f2b.priority_date = make_date(2009, 2, 15);
  EXPECT_EQ(run(f2b, make_date(2026, 7, 10))[0].stage, "petition-pending");
  // An approved petition keeps watching the bulletin: the NVC's stage.
  {
    std::vector<Finding> out;
    rule_priority_date(f2b, Status::approved, t, make_date(2026, 7, 10), true, out);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].stage, "documents");
  }
  // Not pending nor an approved petition, or no preference: nothing.
  EXPECT_TRUE([&] {
    std::vector<Finding> out;
    rule_priority_date(f2b, Status::denied, t, make_date(2026, 7, 10), true, out);
    return out.empty();
  }());
  // EB-3 all areas, an I-485 on file: current, information.
  Case eb3;
  eb3.id = 2;
  eb3.form = "I-485";
  eb3.priority_date = make_date(2019, 3, 1);
  eb3.preference = "EB3";
  auto c = run(eb3, make_date(2026, 7, 10));
  ASSERT_EQ(c.size(), 1U);
  EXPECT_EQ(c[0].stage, "current");
  EXPECT_NE(c[0].reason.find("current since 2026-03"), std::string::npos) << c[0].reason;
  EXPECT_NE(c[0].reason.find("advanced 61 days from 2026-06 (2024-06-01)"), std::string::npos)
      << c[0].reason;
  // F1 all areas, I-485 on file, PD 2018-01-10: retrogression in June is urgent.
  Case f1 = eb3;
  f1.preference = "F1";
  f1.priority_date = make_date(2018, 1, 10);
  auto d = run(f1, make_date(2026, 6, 15));
  ASSERT_EQ(d.size(), 1U);
  EXPECT_EQ(d[0].stage, "retrogressed");
  EXPECT_EQ(d[0].severity, Severity::urgent);
  EXPECT_NE(d[0].reason.find("moved back 273 days from 2026-05 (2018-06-01)"), std::string::npos)
      << d[0].reason;
  // An immediate relative: no queue.
  Case ir = f2b;
  ir.preference = "IR";
  EXPECT_EQ(run(ir, make_date(2026, 7, 10))[0].stage, "no-queue");
}

TEST(Bulletin, StoreKeepsCellsChoicesAndCaseFields) {
  std::random_device rd;
  auto dir =
      std::filesystem::temp_directory_path() / ("casewatch-bulletin-" + std::to_string(rd()));
  {
    store::Store s(dir / "cases.db");
    auto rows = parse_bulletin_csv(read_fixture("six_months.csv"), "import:six_months.csv");
    ASSERT_TRUE(rows);
    auto tx = s.begin_write();
    auto first = s.store_bulletin(rows->rows);
    EXPECT_EQ(first.added, 96U);
    auto again = s.store_bulletin(rows->rows);
    EXPECT_EQ(again.unchanged, 96U);
    BulletinRow changed = rows->rows.back();
    changed.cell = *parse_cell("C");
    EXPECT_EQ(s.store_bulletin({changed}).replaced, 1U);
    EXPECT_EQ(s.store_chart_choices({ChartChoice{month(2026, 7), Chart::dates_for_filing,
                                                 Chart::final_action, "set"}})
                  .added,
              1U);
    Case c;
    c.receipt = "IOE0912345678";
    c.form = "I-130";
    c.received = make_date(2019, 3, 4);
    c.priority_date = make_date(2019, 3, 1);
    c.preference = "F2B";
    c.chargeability = "Mexico";
    c.path = VisaPath::adjustment;
    s.insert_case(c);
    tx.commit();
  }
  store::Store s(dir / "cases.db");
  std::vector<std::string> problems;
  BulletinTable t(s.bulletin_rows(&problems), s.chart_choices(&problems));
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(t.rows().size(), 96U);
  EXPECT_EQ(t.choice(month(2026, 7))->family, Chart::dates_for_filing);
  auto cases = s.all_cases();
  ASSERT_EQ(cases.size(), 1U);
  EXPECT_EQ(cases[0].preference, "F2B");
  EXPECT_EQ(cases[0].chargeability, "Mexico");
  EXPECT_EQ(cases[0].path, VisaPath::adjustment);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace casewatch
