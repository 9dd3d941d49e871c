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
  // The priority-date findings of the one case `suggest CASE --json` shows.
  std::vector<json> findings(const std::string& which, const std::string& as_of) {
    json d = doc({"suggest", which, "--json", "--as-of", as_of});
    std::vector<json> out;
    for (const auto& f : d["cases"][0]["findings"]) {
      if (f["rule"] == "priority-date") {
        out.push_back(f);
      }
    }
    return out;
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

TEST_F(Bulletin, ImportTheDatasetSqliteTable) {
  // The dataset's visa_bulletin.sqlite: a table visa_bulletin of the same columns.
  fs::path file = m_dir / "visa_bulletin.sqlite";
  {
    SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(
        "CREATE TABLE visa_bulletin (bulletin TEXT, chart TEXT, kind TEXT, category TEXT, "
        "country TEXT, status TEXT, date TEXT);"
        "INSERT INTO visa_bulletin VALUES "
        "('2026-07','final_action','family','F2B','MX','date','2009-02-15'),"
        "('2026-07','final_action','employment','EB2','IN','unavailable',NULL),"
        "('2026-07','dates_for_filing','employment','EB3','ROW','current','')");
  }
  auto r = run({"bulletin", "import", file.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("3 cells: 3 new"), std::string::npos) << r.out;
  json j = doc({"bulletin", "list", "--json", "--country", "IN"});
  ASSERT_EQ(j["cells"].size(), 1U);
  EXPECT_EQ(j["cells"][0]["status"], "unavailable");
  EXPECT_TRUE(j["cells"][0]["date"].is_null());
  // A SQLite file without the table: exit 2 naming it.
  fs::path other = m_dir / "other.sqlite";
  {
    SQLite::Database db(other.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE t (x)");
  }
  expect_one_error_line(run({"bulletin", "import", other.string()}),
                        "cannot read the table visa_bulletin");
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

// The bulletin's cells are journaled like every write (#26 item 7): log names them, undo of a
// set brings the cell back as it was.
TEST_F(Bulletin, ASetCutoffIsJournaledAndUndone) {
  ok({"bulletin", "set", "2026-07", "final", "F2B", "MX", "2009-02-15"});
  std::string first = bulletin_dump();
  ok({"bulletin", "set", "2026-07", "final", "F2B", "MX", "2010-01-01"});
  auto log = run({"log"});
  EXPECT_NE(log.out.find("Visa Bulletin cell 2026-07 final_action F2B MX set"), std::string::npos)
      << log.out;
  ok({"undo"});
  EXPECT_EQ(bulletin_dump(), first);
  ok({"undo"});
  json j = doc({"bulletin", "list", "--json"});
  EXPECT_TRUE(j["cells"].empty()) << j.dump();
  EXPECT_EQ(run({"log", "--verify"}).code, 0);
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
  EXPECT_NE(csv.out.find(",pending,F2B,Mexico,adjustment,,,,,\n"), std::string::npos) << csv.out;
}

// The golden values as a user meets them: an F2B beneficiary born in Mexico and an
// EB-2 engineer born in India add their cases and read suggest in July 2026.
TEST_F(Bulletin, NewUsersF2BMexicoAndEB2IndiaReadSuggest) {
  import_six_months();
  ok({"add", "IOE0912345678", "--form", "I-130", "--received", "2019-03-04", "--priority-date",
      "2019-03-01", "--preference", "F2B", "--chargeability", "Mexico", "--label", "Lucia",
      "--as-of", "2026-07-10"});
  ok({"add", "IOE0923456789", "--form", "I-485", "--received", "2026-06-02", "--priority-date",
      "2013-08-01", "--preference", "EB-2", "--chargeability", "India", "--label", "Ravi",
      "--as-of", "2026-07-10"});
  auto lucia = findings("Lucia", "2026-07-10");
  ASSERT_EQ(lucia.size(), 1U);
  EXPECT_EQ(lucia[0]["severity"], "info");
  EXPECT_EQ(lucia[0]["stage"], "waiting");
  std::string title = lucia[0]["title"];
  EXPECT_NE(title.find("3,666 days behind the final action cutoff"), std::string::npos) << title;
  std::string reason = lucia[0]["reason"];
  EXPECT_NE(reason.find("Final action cutoff 2009-02-15: not current"), std::string::npos)
      << reason;
  EXPECT_NE(reason.find("F2B, Mexico"), std::string::npos) << reason;
  // Ravi's EB-2 India went from 2013-09-01 in June to U in July: his pending I-485 cannot
  // be approved.
  auto ravi = findings("Ravi", "2026-07-10");
  ASSERT_EQ(ravi.size(), 1U);
  EXPECT_EQ(ravi[0]["severity"], "urgent");
  EXPECT_EQ(ravi[0]["stage"], "retrogressed");
  std::string why = ravi[0]["reason"];
  EXPECT_NE(why.find("USCIS cannot approve the pending I-485 until the date is current again"),
            std::string::npos)
      << why;
  EXPECT_NE(why.find("U (unavailable"), std::string::npos) << why;
  // In June it was current (since May): information, the I-485 may be approved.
  auto june = findings("Ravi", "2026-06-20");
  ASSERT_EQ(june.size(), 1U);
  EXPECT_EQ(june[0]["stage"], "current");
  std::string june_reason = june[0]["reason"];
  EXPECT_NE(june_reason.find("current since 2026-05"), std::string::npos) << june_reason;
  // The text of suggest says it too.
  auto text = run({"suggest", "--as-of", "2026-07-10"});
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("Priority date no longer current"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("3,666 days behind"), std::string::npos) << text.out;
}

TEST_F(Bulletin, CurrentForFilingGivesAnActionByPath) {
  import_six_months();
  // EB-3 all areas, PD 2019-03-01: final action current in July (2024-08-01) since March.
  ok({"add", "EAC2490012345", "--form", "I-140", "--received", "2019-04-01", "--priority-date",
      "2019-03-01", "--preference", "EB3", "--chargeability", "Brazil", "--path", "adjustment",
      "--label", "Joao", "--as-of", "2026-07-10"});
  auto f = findings("Joao", "2026-07-10");
  ASSERT_EQ(f.size(), 1U);
  EXPECT_EQ(f[0]["severity"], "action");
  EXPECT_EQ(f[0]["stage"], "may-file");
  EXPECT_NE(f[0]["title"].get<std::string>().find("You may file the I-485"), std::string::npos);
  std::string reason = f[0]["reason"];
  EXPECT_NE(reason.find("EB-3, all chargeability areas"), std::string::npos) << reason;
  EXPECT_NE(reason.find("current since 2026-03"), std::string::npos) << reason;
  // Consular: the F2B all-areas dates-for-filing cutoff 2018-06-08 is later than the
  // priority date 2018-01-10, final action 2017-11-22 is not: the NVC may ask for documents.
  ok({"add", "IOE0934567890", "--form", "I-130", "--received", "2018-01-12", "--priority-date",
      "2018-01-10", "--preference", "F2B", "--chargeability", "Vietnam", "--label", "Minh",
      "--as-of", "2026-07-10"});
  // The petition is still pending: not the NVC's yet, and the path casewatch assumed is said.
  auto m = findings("Minh", "2026-07-10");
  ASSERT_EQ(m.size(), 1U);
  EXPECT_EQ(m[0]["severity"], "info");
  EXPECT_EQ(m[0]["stage"], "petition-pending");
  std::string words = m[0]["title"].get<std::string>() + m[0]["reason"].get<std::string>();
  EXPECT_EQ(words.find("NVC may"), std::string::npos) << words;
  EXPECT_NE(words.find("assumed the consular path"), std::string::npos) << words;
  // Approved: the bulletin keeps watching it, and the NVC may ask for documents.
  ok({"event", "IOE0934567890", "approved", "--on", "2026-06-01", "--as-of", "2026-07-10"});
  auto a = findings("Minh", "2026-07-10");
  ASSERT_EQ(a.size(), 1U);
  EXPECT_EQ(a[0]["severity"], "action");
  EXPECT_EQ(a[0]["stage"], "documents");
  EXPECT_NE(a[0]["title"].get<std::string>().find("the NVC may ask for documents"),
            std::string::npos);
}

TEST_F(Bulletin, AMissingChartChoiceIsItsOwnFinding) {
  import_six_months();
  // May 2026 has no USCIS chart choice in the fixture.
  ok({"add", "EAC2490012345", "--form", "I-140", "--received", "2019-04-01", "--priority-date",
      "2019-03-01", "--preference", "EB3", "--path", "adjustment", "--label", "Joao", "--as-of",
      "2026-05-10"});
  auto f = findings("Joao", "2026-05-10");
  ASSERT_EQ(f.size(), 2U);
  bool unknown = false;
  for (const auto& x : f) {
    if (x["stage"] == "chart-unknown") {
      unknown = true;
      EXPECT_EQ(x["severity"], "info");
      EXPECT_NE(x["how"].get<std::string>().find("casewatch bulletin chart 2026-05"),
                std::string::npos);
    }
  }
  EXPECT_TRUE(unknown);
}

TEST_F(Bulletin, ImmediateRelativeHasNoQueue) {
  import_six_months();
  ok({"add", "IOE0912345678", "--form", "I-130", "--received", "2025-01-06", "--preference", "IR",
      "--label", "Mother", "--as-of", "2026-07-10"});
  auto f = findings("Mother", "2026-07-10");
  ASSERT_EQ(f.size(), 1U);
  EXPECT_EQ(f[0]["stage"], "no-queue");
  EXPECT_EQ(f[0]["severity"], "info");
}

TEST_F(Bulletin, CheckReportsANewMonthOnlyWhenTheCutoffOrVerdictChanged) {
  import_six_months();
  // F2B Mexico final action: 2009-02-15 in May, June and July; dates for filing unchanged.
  ok({"add", "IOE0912345678", "--form", "I-130", "--received", "2019-03-04", "--priority-date",
      "2019-03-01", "--preference", "F2B", "--chargeability", "MX", "--as-of", "2026-05-10"});
  auto count_pd = [&](const std::string& as_of) {
    json j = doc({"check", "--json", "--as-of", as_of});
    int n = 0;
    for (const auto& f : j["new"]) {
      n += f["rule"] == "priority-date" ? 1 : 0;
    }
    return n;
  };
  EXPECT_EQ(count_pd("2026-05-10"), 1);
  EXPECT_EQ(count_pd("2026-06-10"), 0);  // same cutoffs as May
  EXPECT_EQ(count_pd("2026-07-10"), 0);  // still the same
  // A cutoff typed for August that moves: a new finding.
  ok({"bulletin", "set", "2026-08", "final", "F2B", "MX", "2009-04-01"});
  ok({"bulletin", "set", "2026-08", "filing", "F2B", "MX", "2010-05-15"});
  EXPECT_EQ(count_pd("2026-08-10"), 1);
}

TEST_F(Bulletin, NoBulletinStoredSaysHowToImport) {
  ok({"add", "IOE0912345678", "--form", "I-130", "--received", "2019-03-04", "--priority-date",
      "2019-03-01", "--preference", "F2B", "--chargeability", "MX", "--label", "Lucia"});
  auto f = findings("Lucia", "2026-11-28");
  ASSERT_EQ(f.size(), 1U);
  EXPECT_EQ(f[0]["stage"], "no-bulletin");
  EXPECT_NE(f[0]["how"].get<std::string>().find("casewatch bulletin import"), std::string::npos);
  // With bulletins up to July only, November is missing: said, not guessed.
  import_six_months();
  auto g = findings("Lucia", "2026-11-28");
  ASSERT_EQ(g.size(), 1U);
  EXPECT_EQ(g[0]["stage"], "month-missing");
  EXPECT_NE(g[0]["reason"].get<std::string>().find("latest stored bulletin is 2026-07"),
            std::string::npos);
}

}  // namespace
}  // namespace casewatch_test
