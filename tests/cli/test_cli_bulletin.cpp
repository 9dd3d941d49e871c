// SPDX-License-Identifier: MIT
// Priority dates against the Visa Bulletin (issue #13): bulletin import/set/chart/list, the
// case fields --preference, --chargeability and --path, and the rule priority-date in
// suggest and check, as a new user meets them.
#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

const std::string k_data = std::string(CASEWATCH_TEST_DATA) + "/bulletin/";

class Bulletin : public Cli {
 protected:
  void ok(const std::vector<std::string>& args) {
    auto r = run(args);
    ASSERT_EQ(r.code, 0) << r.err;
  }
  json doc(const std::vector<std::string>& args) {
    auto r = run(args);
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out);
  }
  void import_six_months() {
    ok({"bulletin", "import", k_data + "six_months.csv", k_data + "uscis_chart.json"});
  }
  std::string bulletin_dump() {
    SQLite::Database db(m_db.string());
    std::string s;
    for (const char* table : {"bulletin", "uscis_chart"}) {
      SQLite::Statement q(db, std::string("SELECT * FROM ") + table);
      while (q.executeStep()) {
        for (int i = 0; i < q.getColumnCount(); ++i) {
          s += q.getColumn(i).isNull() ? "NULL" : q.getColumn(i).getString();
          s += '|';
        }
        s += '\n';
      }
    }
    return s;
  }
};

TEST_F(Bulletin, ImportTheDatasetCsvJsonAndChartFileAgainChangesNothing) {
  auto r = run({"bulletin", "import", k_data + "six_months.csv", k_data + "uscis_chart.json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("96 cells: 96 new, 0 changed, 0 unchanged"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 months of USCIS's chart choice: 2 new"), std::string::npos) << r.out;
  std::string before = bulletin_dump();
  // The JSON of the same rows: nothing changes.
  json j = doc({"bulletin", "import", k_data + "six_months.json", "--json"});
  EXPECT_EQ(j["files"][0]["kind"], "bulletin");
  EXPECT_EQ(j["files"][0]["added"], 0);
  EXPECT_EQ(j["files"][0]["unchanged"], 96);
  EXPECT_EQ(bulletin_dump().size(), before.size());
}

TEST_F(Bulletin, ABadFileIsRefusedAndNothingIsWritten) {
  import_six_months();
  std::string before = bulletin_dump();
  fs::path bad = m_dir / "bad.csv";
  std::ofstream(bad) << "bulletin,chart,kind,category,country,status,date\n"
                        "2026-08,final_action,family,F2B,MX,date,2009-03-01\n"
                        "2026-08,final_action,family,F2B,PH,date,15/05/2013\n";
  auto r = run({"bulletin", "import", k_data + "six_months.csv", bad.string()});
  expect_one_error_line(r, "line 3, date: '15/05/2013'");
  EXPECT_EQ(bulletin_dump(), before);
}

TEST_F(Bulletin, SetAndListOneCutoff) {
  auto r = run({"bulletin", "set", "2026-07", "final", "F2B", "MX", "2009-02-15"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "Set 2026-07 final action F2B Mexico: 2009-02-15.\n");
  ok({"bulletin", "set", "2026-07", "filing", "EB-3", "all", "C"});
  json j = doc({"bulletin", "list", "--json", "--category", "F2B", "--country", "Mexico"});
  ASSERT_EQ(j["cells"].size(), 1U);
  EXPECT_EQ(j["cells"][0]["date"], "2009-02-15");
  EXPECT_EQ(j["cells"][0]["source"], "set");
  auto text = run({"bulletin", "list"});
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("dates for filing  EB3"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("USCIS's chart for 2026-07 is not stored"), std::string::npos)
      << text.out;
  // Refusals name the value and what is accepted; nothing is written.
  std::string before = bulletin_dump();
  expect_one_error_line(run({"bulletin", "set", "2026-7", "final", "F2B", "MX", "C"}),
                        "MONTH: '2026-7' is not a bulletin month");
  expect_one_error_line(run({"bulletin", "set", "2026-07", "final", "F2B", "Brazil", "C"}),
                        "'Brazil' has no column of its own");
  expect_one_error_line(run({"bulletin", "set", "2026-07", "final", "IR", "MX", "C"}),
                        "immediate relatives (IR) have no row");
  expect_one_error_line(run({"bulletin", "set", "2026-07", "interview", "F2B", "MX", "C"}),
                        "CHART: 'interview' is not a chart");
  expect_one_error_line(run({"bulletin", "set", "2026-07", "final", "F2B", "MX", "soon"}),
                        "CUTOFF: 'soon' is not a cutoff");
  EXPECT_EQ(bulletin_dump(), before);
}

TEST_F(Bulletin, ChartChoiceNeedsBothKinds) {
  ok({"bulletin", "chart", "2026-07", "family=filing", "employment=final"});
  json j = doc({"bulletin", "list", "--json", "--month", "2026-07"});
  ASSERT_EQ(j["uscis_chart"].size(), 1U);
  EXPECT_EQ(j["uscis_chart"][0]["family"], "dates_for_filing");
  EXPECT_EQ(j["uscis_chart"][0]["employment"], "final_action");
  expect_one_error_line(run({"bulletin", "chart", "2026-08", "family=filing"}),
                        "give both choices");
  expect_one_error_line(run({"bulletin", "chart", "2026-08", "family=maybe", "employment=final"}),
                        "family: 'maybe' is not a chart");
}

TEST_F(Bulletin, CaseFieldsAreValidatedStoredAndExported) {
  ok({"add", "IOE0912345678", "--form", "I-130", "--received", "2019-03-04", "--priority-date",
      "2019-03-01", "--preference", "f2b", "--chargeability", "Mexico"});
  json s = doc({"show", "IOE0912345678", "--json"});
  EXPECT_EQ(s["case"]["preference"], "F2B");
  EXPECT_EQ(s["case"]["chargeability"], "Mexico");
  EXPECT_EQ(s["case"]["chargeability_column"], "MX");
  EXPECT_EQ(s["case"]["path"], "consular");
  ok({"edit", "IOE0912345678", "--path", "adjustment"});
  EXPECT_EQ(doc({"show", "IOE0912345678", "--json"})["case"]["path"], "adjustment");
  std::string before = dump();
  expect_one_error_line(run({"edit", "IOE0912345678", "--preference", "H-1B"}),
                        "--preference: 'H-1B' is not a preference category");
  expect_one_error_line(run({"edit", "IOE0912345678", "--path", "abroad"}),
                        "--path: 'abroad' is not a path");
  expect_one_error_line(run({"edit", "IOE0912345678", "--chargeability", "42"}),
                        "--chargeability: '42' is not a country");
  EXPECT_EQ(dump(), before);
  // Export and import keep the fields.
  auto csv = run({"export", "--format", "csv"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_NE(csv.out.find(",pending,F2B,Mexico,adjustment\n"), std::string::npos) << csv.out;
}

}  // namespace
}  // namespace casewatch_test
