// SPDX-License-Identifier: MIT
// Spreadsheets as a law office keeps them: Excel's CSV with its own column names, imported,
// then the updated sheet imported again with --update.
#include <fmt/format.h>

#include <map>

#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

// One row of the office's sheet.
struct SheetRow {
  std::string client, receipt, form, category, office, received, priority_date, notes;
};

// 41 cases of four forms, dated as people type them (4/5/2023) and as Excel writes a date
// cell (2023-04-05 00:00:00).
std::vector<SheetRow> office_sheet() {
  std::vector<SheetRow> rows;
  for (int i = 0; i < 41; ++i) {
    SheetRow r;
    r.client = fmt::format("Client {:02}, {}", i, i % 2 == 0 ? "Ana" : "José");
    r.receipt = fmt::format("IOE09{:08}", 12345000 + i);
    switch (i % 4) {
      case 0:
        r.form = "I-485";
        r.category = "131A-FAM";
        r.office = "QNS";
        r.priority_date = fmt::format("{}/{}/2019", i % 12 + 1, i % 27 + 1);
        break;
      case 1:
        r.form = "I-765";
        r.category = "147-C9";
        break;
      case 2:
        r.form = "N-400";
        r.category = "160A";
        r.office = "BNY";
        break;
      default:
        r.form = "I-130";
        r.category = "134A-IR";
        break;
    }
    r.received = i % 3 == 0 ? fmt::format("{}/{}/2023", i % 12 + 1, i % 28 + 1)
                            : fmt::format("2024-{:02}-{:02} 00:00:00", i % 12 + 1, i % 28 + 1);
    r.notes = i % 5 == 0 ? "RFE answered; \"waiting\"" : "";
    rows.push_back(r);
  }
  return rows;
}

std::string quote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) {
    return s;
  }
  std::string out = "\"";
  for (char c : s) {
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return out + "\"";
}

// The sheet as Excel saves "CSV UTF-8": a byte-order mark, CRLF, and an empty last row.
std::string excel_csv(const std::vector<SheetRow>& rows) {
  std::string out = "\xEF\xBB\xBF";
  out += "Client,Receipt #,Form,Category,Office,Received,Priority Date,Notes\r\n";
  for (const SheetRow& r : rows) {
    out += fmt::format("{},{},{},{},{},{},{},{}\r\n", quote(r.client), r.receipt, r.form,
                       r.category, r.office, r.received, r.priority_date, quote(r.notes));
  }
  out += ",,,,,,,\r\n";
  return out;
}

class CliSheets : public Cli {
 protected:
  fs::path write(const std::string& name, const std::string& text) {
    fs::path p = m_dir / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

  // The stored case of `receipt`, from the JSON export.
  json stored(const std::string& receipt) {
    json doc = json::parse(run({"export"}).out);
    for (const json& c : doc.at("cases")) {
      if (c.at("receipt") == receipt) {
        return c;
      }
    }
    ADD_FAILURE() << receipt << " is not stored";
    return json();
  }
};

TEST_F(CliSheets, AnExcelSheetImportsWithItsClientNamesAndNotes) {
  fs::path sheet = write("clients.csv", excel_csv(office_sheet()));
  Result r = run({"import", sheet.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Imported 41 cases and 0 events"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");  // every column is read, every value known to USCIS's lists

  json first = stored("IOE0912345000");
  EXPECT_EQ(first["label"], "Client 00, Ana");
  EXPECT_EQ(first["note"], "RFE answered; \"waiting\"");
  EXPECT_EQ(first["received"], "2023-01-01");  // 1/1/2023
  EXPECT_EQ(first["priority_date"], "2019-01-01");
  EXPECT_EQ(first["category"], "131A-FAM");
  EXPECT_EQ(first["office"], "QNS");
  json second = stored("IOE0912345001");
  EXPECT_EQ(second["label"], "Client 01, José");
  EXPECT_EQ(second["received"], "2024-02-02");  // 2024-02-02 00:00:00
  EXPECT_EQ(second["note"], nullptr);
  EXPECT_EQ(json::parse(run({"export"}).out)["cases"].size(), 41U);
}

TEST_F(CliSheets, TheUpdatedSheetImportsAgainWithUpdate) {
  std::vector<SheetRow> rows = office_sheet();
  ASSERT_EQ(run({"import", write("week1.csv", excel_csv(rows)).string()}).code, 0);
  // Recorded by hand meanwhile: an event the sheet knows nothing of.
  ASSERT_EQ(run({"event", "IOE0912345002", "interview", "--on", "2026-11-02"}).code, 0);

  // A week later: a transfer noted and an office filled in, a note added, one new case.
  rows[2].office = "QNS";
  rows[5].notes = "biometrics done 11/20";
  rows[5].client = "Client 05, José Pérez";
  SheetRow added = rows[0];
  added.client = "New client";
  added.receipt = "EAC2490012345";
  added.form = "I-765";
  added.category = "147-C9";
  added.office = "";
  added.priority_date = "";
  added.received = "10/1/2026";
  added.notes = "";
  rows.push_back(added);
  const std::string week2 = excel_csv(rows);

  // Without --update the stored cases are refused, every one listed, and --update offered.
  const std::string before = dump();
  fs::path sheet = write("week2.csv", week2);
  Result refused = run({"import", sheet.string()});
  EXPECT_EQ(refused.code, 2);
  EXPECT_EQ(std::count(refused.err.begin(), refused.err.end(), '\n'), 42) << refused.err;
  EXPECT_NE(refused.err.find("week2.csv: line 2, field receipt: case IOE0912345000 is already in "
                             "the database (#1)\n"),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("casewatch: error: " + sheet.string() +
                             ": 41 cases are already in the database; nothing was imported; to "
                             "take the file's changes to the stored cases, import it with "
                             "--update\n"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(dump(), before);

  Result updated = run({"import", "--update", sheet.string()});
  ASSERT_EQ(updated.code, 0) << updated.err;
  EXPECT_NE(updated.out.find("1 added, 2 updated, 39 unchanged"), std::string::npos) << updated.out;
  json changed = stored("IOE0912345002");
  EXPECT_EQ(changed["office"], "QNS");
  ASSERT_EQ(changed["events"].size(), 1U);  // the event recorded by hand is still there
  EXPECT_EQ(changed["events"][0]["kind"], "interview");
  json renamed = stored("IOE0912345005");
  EXPECT_EQ(renamed["label"], "Client 05, José Pérez");
  EXPECT_EQ(renamed["note"], "biometrics done 11/20");
  EXPECT_EQ(stored("EAC2490012345")["label"], "New client");
  EXPECT_EQ(json::parse(run({"export"}).out)["cases"].size(), 42U);

  // The same sheet once more changes nothing; the JSON summary counts each kind.
  const std::string after = dump();
  Result again = run({"--json", "import", "--update", sheet.string()});
  ASSERT_EQ(again.code, 0) << again.err;
  json summary = json::parse(again.out);
  EXPECT_EQ(summary["added"], 0);
  EXPECT_EQ(summary["updated"], 0);
  EXPECT_EQ(summary["unchanged"], 42);
  EXPECT_EQ(dump(), after);
}

// An empty cell in the updated sheet keeps the stored value: clearing is `edit`'s job.
TEST_F(CliSheets, AnEmptyCellInAnUpdateKeepsTheStoredValue) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--office", "QNS", "--received",
                 "2023-05-02", "--label", "Ana AOS", "--note", "from the intake call"})
                .code,
            0);
  fs::path sheet = write("s.csv",
                         "Receipt Number,Form Type,Date Received,Client,Notes,Status\r\n"
                         "IOE0912345678,I-485,5/2/2023,Ana Lima,,\r\n");
  Result r = run({"import", "--update", sheet.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("0 added, 1 updated, 0 unchanged"), std::string::npos) << r.out;
  json c = stored("IOE0912345678");
  EXPECT_EQ(c["label"], "Ana Lima");
  EXPECT_EQ(c["note"], "from the intake call");
  EXPECT_EQ(c["office"], "QNS");
  EXPECT_EQ(c["status"], "pending");
}

TEST_F(CliSheets, EveryBadRowIsReportedAndNothingIsWritten) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2023-05-02"}).code, 0);
  const std::string before = dump();
  std::vector<SheetRow> rows = office_sheet();
  rows[3].received = "2025-02-30";
  rows[10].form = "";
  rows[20].receipt = "IOE09123";
  fs::path sheet = write("bad.csv", excel_csv(rows));
  Result r = run({"import", sheet.string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 4) << r.err;
  // The same words as on the command line, after the line and the field.
  Result add = run({"add", "IOE0955555555", "--form", "I-485", "--received", "2025-02-30"});
  const std::string date_words = add.err.substr(add.err.find("'2025-02-30'"));
  EXPECT_NE(
      r.err.find("casewatch: error: " + sheet.string() + ": line 5, field received: " + date_words),
      std::string::npos)
      << r.err << add.err;
  EXPECT_NE(r.err.find(": line 12, field form: the value is missing"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(": line 22, field receipt: 'IOE09123' is not a receipt number"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(": 3 rows are not valid; nothing was imported\n"), std::string::npos)
      << r.err;
  EXPECT_EQ(dump(), before);
}

TEST_F(CliSheets, AColumnNotReadIsNamedInAWarning) {
  fs::path sheet = write("s.csv",
                         "Beneficiary,Receipt #,Form,Received,Attorney,Notes\n"
                         "Ana Lima,IOE0912345678,I-485,4/5/2023,J. Smith,\n");
  Result r = run({"import", sheet.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("the column 'Attorney' not imported: casewatch has no field for it"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(stored("IOE0912345678")["label"], "Ana Lima");
}

// What the notice says is taken as typed: the category as printed on it, and a mistyped form or
// office still imports with a warning that offers the nearest listed one.
TEST_F(CliSheets, TheCategoryAsPrintedAndDidYouMean) {
  fs::path sheet = write("s.csv",
                         "Client,Receipt #,Form,Category,Office,Received\n"
                         "Bo Chen,EAC2490012345,I-765,(c)(9),,4/5/2023\n"
                         "Ana Lima,IOE0912345678,I-4855,,BRO,4/5/2023\n");
  Result r = run({"import", sheet.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(stored("EAC2490012345")["category"], "147-C9");
  EXPECT_NE(r.err.find("form I-4855 (did you mean I-485?)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("office BRO is not in the USCIS office list of 2024-10-18 (did you mean "
                       "BNY (Brooklyn NY)?)"),
            std::string::npos)
      << r.err;
  ASSERT_EQ(run({"add", "EAC2490012346", "--form", "I-765", "--category", "c09", "--received",
                 "2024-06-01"})
                .code,
            0);
  EXPECT_EQ(stored("EAC2490012346")["category"], "147-C9");
  expect_one_error_line(run({"add", "EAC2490012347", "--form", "I-765", "--category", "(c)(8)",
                             "--received", "2024-06-01"}),
                        "--category: '(c)(8)' is printed on more than one I-765 category: 147-C8");
}

// issue #26: a second import never reverts a correction silently. Each field changed is
// printed; a value corrected with `edit` after the last import stays unless
// --overwrite-edits; --dry-run prints the same and writes nothing; undoing the overwrite
// makes the correction the last word again.
TEST_F(CliSheets, AnUpdateKeepsACorrectionAndSaysEachChange) {
  const std::string header = "Client,Receipt #,Form,Category,Office,Received,Notes\r\n";
  fs::path sheet = write("s.csv", header +
                                      "Ana,IOE0912345678,I-485,131A-FAM,QNS,4/5/2023,\r\n"
                                      "Bo Chen,EAC2490012345,I-765,147-C9,,4/5/2023,\r\n");
  ASSERT_EQ(run({"import", sheet.string()}).code, 0);
  ASSERT_EQ(
      run({"edit", "IOE0912345678", "--office", "BNY"}, {"CASEWATCH_NOW=2026-11-28T10:00:00Z"})
          .code,
      0);

  // A month later the sheet has a note for Bo, and still QNS for Ana.
  write("s.csv", header +
                     "Ana,IOE0912345678,I-485,131A-FAM,QNS,4/5/2023,\r\n"
                     "Bo Chen,EAC2490012345,I-765,147-C9,,4/5/2023,biometrics done\r\n");
  const std::string before = dump();
  Result dry = run({"import", "--update", "--dry-run", sheet.string()});
  ASSERT_EQ(dry.code, 0) << dry.err;
  EXPECT_EQ(dry.out,
            "#1 Ana: office kept BNY (corrected with 'edit' on 2026-11-28; the sheet says QNS)\n"
            "#2 Bo Chen: note (none) → biometrics done\n"
            "Would import " +
                sheet.string() +
                ": 0 added, 1 updated, 1 unchanged, 1 corrected value kept.\n"
                "Nothing was written (--dry-run).\n");
  EXPECT_EQ(dump(), before);

  Result r = run({"import", "--update", sheet.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("#2 Bo Chen: note (none) → biometrics done\n"), std::string::npos) << r.out;
  EXPECT_EQ(stored("IOE0912345678")["office"], "BNY");
  EXPECT_EQ(stored("EAC2490012345")["note"], "biometrics done");

  // The JSON summary lists each field.
  Result j = run({"--json", "import", "--update", "--dry-run", sheet.string()});
  ASSERT_EQ(j.code, 0) << j.err;
  json changes = json::parse(j.out)["changes"];
  ASSERT_EQ(changes.size(), 1U) << j.out;
  EXPECT_EQ(changes[0], json::parse(R"({"id": 1, "field": "office", "from": "BNY", "to": "QNS",
                                        "kept": true})"));

  Result over = run({"import", "--update", "--overwrite-edits", sheet.string()});
  ASSERT_EQ(over.code, 0) << over.err;
  EXPECT_NE(over.out.find("#1 Ana: office BNY → QNS\n"), std::string::npos) << over.out;
  EXPECT_EQ(stored("IOE0912345678")["office"], "QNS");
  ASSERT_EQ(run({"undo"}).code, 0);
  EXPECT_EQ(stored("IOE0912345678")["office"], "BNY");
  Result again = run({"import", "--update", sheet.string()});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(stored("IOE0912345678")["office"], "BNY");
  expect_one_error_line(run({"import", "--overwrite-edits", sheet.string()}),
                        "--overwrite-edits goes with --update");
}

// The office's month: ten updates of a growing sheet, with a correction by hand between each
// two; every correction stays and no client is stored twice.
TEST_F(CliSheets, AMonthOfUpdatesKeepsEveryCorrection) {
  std::vector<SheetRow> rows = office_sheet();
  rows.resize(12);
  ASSERT_EQ(run({"import", write("m.csv", excel_csv(rows)).string()}).code, 0);
  // receipt -> the field corrected by hand and its value: a note on even weeks, the office
  // on odd ones (the sheet keeps saying its own office every week).
  std::map<std::string, std::pair<std::string, std::string>> corrected;
  for (int week = 0; week < 10; ++week) {
    const std::string& receipt = rows[static_cast<std::size_t>(week)].receipt;
    std::pair<std::string, std::string> fix =
        week % 2 == 0
            ? std::pair<std::string, std::string>{"note", fmt::format("corrected in week {}", week)}
            : std::pair<std::string, std::string>{"office", "NYC"};
    ASSERT_EQ(run({"edit", receipt, "--" + fix.first, fix.second}).code, 0);
    corrected[receipt] = fix;
    SheetRow added = rows[0];
    added.client = fmt::format("New {}", week);
    added.receipt = fmt::format("IOE09{:08}", 22345000 + week);
    rows.push_back(added);
    for (SheetRow& r : rows) {
      r.notes = fmt::format("sheet week {}", week);
    }
    Result r = run({"import", "--update", write("m.csv", excel_csv(rows)).string()});
    ASSERT_EQ(r.code, 0) << r.err;
    for (const auto& [kept, was] : corrected) {
      EXPECT_EQ(stored(kept)[was.first], was.second) << "week " << week << ": " << r.out;
    }
  }
  json cases = json::parse(run({"export"}).out)["cases"];
  EXPECT_EQ(cases.size(), 22U);
  EXPECT_EQ(stored("IOE0912345011")["note"], "sheet week 9");
}

// A case sent without a receipt whose receipt has come: the row that now has it is that case
// (matched by form, sent date and label), never a second one; several such cases, and the
// import lists them and writes nothing.
TEST_F(CliSheets, AReceiptThatArrivesGoesToTheCaseThatWaitedForIt) {
  const std::string header = "Client,Receipt #,Form,Date Sent,Date Received\r\n";
  fs::path sheet = write("r.csv", header + "Ana,,I-130,10/1/2026,\r\n");
  ASSERT_EQ(run({"import", sheet.string()}).code, 0);
  write("r.csv", header + "Ana,IOE0912345678,I-130,10/1/2026,10/9/2026\r\n");
  Result r = run({"import", "--update", sheet.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("#1 Ana: receipt (none) → IOE0912345678\n"), std::string::npos) << r.out;
  json cases = json::parse(run({"export"}).out)["cases"];
  ASSERT_EQ(cases.size(), 1U);
  EXPECT_EQ(cases[0]["receipt"], "IOE0912345678");
  EXPECT_EQ(cases[0]["received"], "2026-10-09");

  // Two cases wait with the same form, date and label: which one is not guessed.
  ASSERT_EQ(run({"add", "--form", "I-765", "--sent", "2026-10-01", "--label", "Bo"}).code, 0);
  ASSERT_EQ(run({"add", "--form", "I-765", "--sent", "2026-10-01", "--label", "Bo"}).code, 0);
  const std::string before = dump();
  write("r.csv", header + "Bo,EAC2490012345,I-765,10/1/2026,10/9/2026\r\n");
  Result two = run({"import", "--update", sheet.string()});
  EXPECT_EQ(two.code, 2);
  EXPECT_NE(two.err.find("line 2: 2 stored cases without a receipt have its form I-765, sent date "
                         "2026-10-01 and label 'Bo' (#2, #3)"),
            std::string::npos)
      << two.err;
  EXPECT_EQ(dump(), before);
}

// issue #26: every field survives export → import → export, CSV and JSON byte for byte
// (the JSON up to its journal, which the new database extends by the import's own entry),
// and the processing-time rows of `times set` go with a JSON export.
TEST_F(CliSheets, EveryFieldSurvivesARoundTrip) {
  ASSERT_EQ(run({"add",          "IOE0912345678", "--form",          "I-485",
                 "--category",   "131A-FAM",      "--office",        "QNS",
                 "--received",   "2023-04-05",    "--priority-date", "2019-01-02",
                 "--label",      "José Núñez",    "--note",          "a, \"b\"",
                 "--preference", "F2B",           "--chargeability", "Mexico",
                 "--path",       "adjustment"})
                .code,
            0);
  ASSERT_EQ(run({"add", "--form", "I-130", "--sent", "2026-10-01", "--label", "Bo", "--preference",
                 "F2A", "--chargeability", "IN", "--path", "consular", "--premium", "2026-10-02"})
                .code,
            0);
  // The person and an N-400's marriage track (docs/rules.md `n400-early`).
  Result n400 =
      run({"add", "IOE0923456789", "--form", "N-400", "--received", "2026-10-05", "--holder", "Ana",
           "--marriage-track", "--married", "2023-10-01", "--spouse-citizen-since", "2015-06-30"});
  ASSERT_EQ(n400.code, 0) << n400.err;
  ASSERT_EQ(
      run({"event", "IOE0912345678", "rfe", "--on", "2026-10-01", "--due", "2026-12-20"}).code, 0);
  ASSERT_EQ(run({"times", "set", "I-485", "--months", "10.5", "--office", "QNS", "--category",
                 "131A-FAM", "--published", "2026-11-01"})
                .code,
            0);
  // The third edition (#24, #25): documents and trips, a derivative (of a principal with a
  // receipt, and of one with only a label), every option of the consular and expedite events.
  auto ok = [&](const std::vector<std::string>& args) {
    Result r = run(args);
    ASSERT_EQ(r.code, 0) << r.err;
  };
  ok({"add", "IOE0934567890", "--form", "I-130", "--received", "2025-01-10", "--path", "consular",
      "--label", "Spouse"});
  ok({"add", "IOE0934567891", "--form", "I-130", "--received", "2025-01-10", "--path", "consular",
      "--derivative-of", "IOE0934567890"});
  ok({"add", "--form", "I-130", "--sent", "2026-10-02", "--label", "Bo child", "--derivative-of",
      "#2"});
  for (const std::vector<std::string>& e : std::vector<std::vector<std::string>>{
           {"approved", "--on", "2026-03-01"},
           {"nvc-case", "--on", "2026-04-01", "--ref", "MNL2026123456"},
           {"ds260", "--on", "2026-05-01"},
           {"221g", "--on", "2026-08-01"},
           {"221g-response", "--on", "2026-08-20"},
           {"visa-issued", "--on", "2026-09-01", "--due", "2027-02-28", "--class", "CR1"},
           {"entered", "--on", "2026-10-01", "--class", "CR1"}}) {
    std::vector<std::string> args = {"event", "IOE0934567890"};
    args.insert(args.end(), e.begin(), e.end());
    ok(args);
  }
  ok({"event", "IOE0934567891", "approved", "--on", "2026-03-01"});
  ok({"event", "IOE0934567891", "221g", "--on", "2026-08-01", "--admin"});
  ok({"event", "IOE0912345678", "expedite", "--on", "2026-11-20", "--basis", "financial", "--basis",
      "humanitarian", "--channel", "call", "--need-by", "2027-01-15"});
  ok({"event", "IOE0912345678", "evidence", "--on", "2026-11-21", "--for", "2", "--note",
      "bank letter"});
  ok({"add", "IOE0945678901", "--form", "I-765", "--received", "2026-10-01", "--holder", "Ana"});
  ok({"doc", "add", "conditional-green-card", "--since", "2025-03-10", "--holder", "Ana"});
  ok({"doc", "add", "ead", "--category", "(c)(9)", "--expires", "2027-05-20", "--holder", "Ana",
      "--renewed-by", "IOE0945678901", "--note", "card 2"});
  ok({"trip", "add", "--holder", "Ana", "--left", "2024-04-01", "--returned", "2024-05-01"});
  ok({"trip", "add", "--holder", "Ana", "--left", "2026-11-01"});
  for (const std::string format : {"csv", "json"}) {
    Result first = run({"export", "--format", format});
    ASSERT_EQ(first.code, 0) << first.err;
    fs::path file = write("export." + format, first.out);
    const std::string other = "CASEWATCH_DB=" + (m_dir / ("other-" + format + ".db")).string();
    Result imported = run({"import", file.string()}, {other});
    ASSERT_EQ(imported.code, 0) << imported.err;
    EXPECT_EQ(imported.err, "") << format;
    Result second = run({"export", "--format", format}, {other});
    ASSERT_EQ(second.code, 0) << second.err;
    auto cases_of = [](const std::string& text) {
      return text.substr(0, text.find(",\n  \"journal\""));
    };
    EXPECT_EQ(cases_of(second.out), cases_of(first.out)) << format;
    if (format == "json") {
      EXPECT_NE(first.out.find("\"preference\": \"F2B\""), std::string::npos) << first.out;
      EXPECT_NE(first.out.find("\"time\": \"10.5\""), std::string::npos) << first.out;
      EXPECT_NE(imported.out.find("(1 processing time)"), std::string::npos) << imported.out;
      EXPECT_NE(first.out.find("\"marriage_track\": \"yes\""), std::string::npos) << first.out;
      EXPECT_NE(first.out.find("\"spouse_citizen_since\": \"2015-06-30\""), std::string::npos);
      EXPECT_EQ(first.err, "") << first.err;
      for (const std::string expected :
           {"\"derivative_of\": \"IOE0934567890\"", "\"derivative_of\": \"Bo\"", "\"basis\": [\n",
            "\"humanitarian\"", "\"channel\": \"call\"", "\"need_by\": \"2027-01-15\"",
            "\"for\": 2", "\"admin\": true", "\"class\": \"CR1\"", "\"documents\": [",
            "\"kind\": \"conditional-green-card\"", "\"renewed_by\": \"IOE0945678901\"",
            "\"category\": \"(c)(9)\"", "\"trips\": [", "\"left\": \"2024-04-01\"",
            "\"returned\": null"}) {
        EXPECT_NE(first.out.find(expected), std::string::npos) << expected << "\n" << first.out;
      }
      EXPECT_NE(imported.out.find("Added 2 documents and 2 trips."), std::string::npos)
          << imported.out;
    } else {
      EXPECT_NE(first.err.find("documents and trips go only with --format json"), std::string::npos)
          << first.err;
      EXPECT_NE(first.out.find(",F2B,Mexico,adjustment,,,,,\n"), std::string::npos) << first.out;
      EXPECT_NE(first.out.find(",Ana,yes,2023-10-01,2015-06-30,\n"), std::string::npos)
          << first.out;
    }
  }
}

// issue #26: an export written where the day has already begun imports (one day ahead);
// two days ahead is refused as on the command line.
TEST_F(CliSheets, AnImportAcceptsADateOneDayAhead) {
  const std::string header = "Client,Receipt #,Form,Date Received\r\n";
  Result ahead =
      run({"import", write("a.csv", header + "Ana,IOE0912345678,I-485,11/29/2026\r\n").string()});
  ASSERT_EQ(ahead.code, 0) << ahead.err;
  EXPECT_EQ(stored("IOE0912345678")["received"], "2026-11-29");
  Result two =
      run({"import", write("b.csv", header + "Bo,IOE0912345679,I-485,11/30/2026\r\n").string()});
  EXPECT_EQ(two.code, 2);
  EXPECT_NE(two.err.find("field received: 2026-11-30 is after today (2026-11-28)"),
            std::string::npos)
      << two.err;
}

// issue #26: finding a client as an office types it: accents and case aside, a label for
// `event`, an office by its city, a category by USCIS's description; a preference category
// in the category column points to the preference.
TEST_F(CliSheets, AClientIsFoundAsTheOfficeTypesIt) {
  fs::path sheet = write("s.csv",
                         "Client,Receipt #,Form,Category,Office,Received\r\n"
                         "José Núñez,IOE0912345678,I-485,Family-based adjustment applications,"
                         "Queens,4/5/2023\r\n"
                         "Bo Chen,IOE0912345679,I-131,Advance parole,Brooklyn NY,4/5/2023\r\n");
  Result r = run({"import", sheet.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  json ana = stored("IOE0912345678");
  EXPECT_EQ(ana["category"], "131A-FAM");
  EXPECT_EQ(ana["office"], "QNS");
  json bo = stored("IOE0912345679");
  EXPECT_EQ(bo["category"], "141B-OTH");
  EXPECT_EQ(bo["office"], "BNY");
  Result found = run({"list", "--all", "--match", "nunez"});
  ASSERT_EQ(found.code, 0) << found.err;
  EXPECT_NE(found.out.find("IOE0912345678"), std::string::npos) << found.out;
  EXPECT_EQ(found.out.find("IOE0912345679"), std::string::npos) << found.out;
  Result event = run({"event", "nunez", "interview", "--on", "2026-11-02"});
  ASSERT_EQ(event.code, 0) << event.err;
  EXPECT_EQ(stored("IOE0912345678")["events"].size(), 1U);
  ASSERT_EQ(run({"edit", "Bo Chen", "--office", "Queens"}).code, 0);
  EXPECT_EQ(stored("IOE0912345679")["office"], "QNS");
  expect_one_error_line(run({"add", "IOE0912345670", "--form", "I-130", "--category", "F2B",
                             "--received", "2024-06-01"}),
                        "--category: 'F2B' is a preference category of the Visa Bulletin, not a "
                        "category of I-130; give it as the preference");
}

// issue #26: the same error of many rows once, with its rows; a warning names its rows.
TEST_F(CliSheets, TheSameErrorOfManyRowsIsSaidOnce) {
  std::vector<SheetRow> rows = office_sheet();
  for (SheetRow& row : rows) {
    row.received = "13/45/2024";
  }
  Result r = run({"import", write("bad.csv", excel_csv(rows)).string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 2) << r.err;
  EXPECT_NE(r.err.find(": 41 rows (lines 2, 3, 4, 5, 6 and 36 more), field received: "),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(": 41 rows are not valid; nothing was imported\n"), std::string::npos)
      << r.err;
  Result w = run({"import", write("w.csv",
                                  "Client,Receipt #,Form,Office,Received\r\n"
                                  "Ana,IOE0912345678,I-485,BRO,4/5/2023\r\n"
                                  "Bo,IOE0912345679,I-485,QNS,4/5/2023\r\n"
                                  "Cy,IOE0912345670,I-485,BRO,4/5/2023\r\n")
                                .string()});
  ASSERT_EQ(w.code, 0) << w.err;
  EXPECT_NE(w.err.find("casewatch: warning: lines 2 and 4: office BRO"), std::string::npos)
      << w.err;
  EXPECT_NE(w.out.find("Imported 3 cases and 0 events"), std::string::npos) << w.out;
  Result one = run({"import", write("one.csv",
                                    "Client,Receipt #,Form,Received\r\n"
                                    "Di,IOE0912345671,I-485,4/5/2023\r\n")
                                  .string()});
  EXPECT_NE(one.out.find("Imported 1 case and 0 events"), std::string::npos) << one.out;
}

}  // namespace
}  // namespace casewatch_test
