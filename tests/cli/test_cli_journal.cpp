// SPDX-License-Identifier: MIT
// Correcting and removing events, `times unset`, `undo`, and the journal with `log`.
#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

const std::vector<std::string> k_ana = {"CASEWATCH_USER=ana", "CASEWATCH_NOW=2026-11-28T09:14:03Z"};
const std::vector<std::string> k_ben = {"CASEWATCH_USER=ben", "CASEWATCH_NOW=2026-11-29T16:02:45Z"};

class CliJournal : public Cli {
 protected:
  // The I-485 of Ana with three events: a receipt, a biometrics appointment, an RFE.
  void add_case_with_events() {
    ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--category", "131A-FAM", "--office",
                   "QNS", "--received", "2023-05-02"},
                  k_ana)
                  .code,
              0);
    ASSERT_EQ(run({"event", "IOE0912345678", "biometrics", "--on", "2023-06-20"}, k_ana).code, 0);
    ASSERT_EQ(
        run({"event", "IOE0912345678", "rfe", "--on", "2025-02-03", "--due", "2025-05-01"}, k_ana)
            .code,
        0);
    ASSERT_EQ(
        run({"event", "IOE0912345678", "e-request", "--on", "2025-01-10", "--ref", "SRMT123456"},
            k_ana)
            .code,
        0);
  }
  // Two events of the N-400 of add_sample_cases().
  void add_case_with_events_on_second() {
    ASSERT_EQ(run({"event", "IOE0923456789", "biometrics", "--on", "2024-07-15"}, k_ana).code, 0);
    ASSERT_EQ(run({"event", "IOE0923456789", "interview", "--on", "2025-02-11", "--note",
                   "Room 4, bring the passport"},
                  k_ana)
                  .code,
              0);
  }
  // The whole journal as `log --json` prints it.
  std::string slurp_log() { return run({"log", "--json"}).out; }
  json show(const std::string& which) {
    Result r = run({"show", which, "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out);
  }
  json events(const std::string& which) { return show(which)["events"]; }
  // Runs SQL on the database, as a person with the sqlite3 shell would.
  void sql(const std::string& statements) {
    SQLite::Database db(m_db.string(), SQLite::OPEN_READWRITE);
    db.exec(statements);
  }
};

TEST_F(CliJournal, EventsAreNumberedInRecordingOrderInShowAndItsJson) {
  add_case_with_events();
  json evs = events("IOE0912345678");
  ASSERT_EQ(evs.size(), 3U);
  // The timeline is in date order; the numbers are the order of recording.
  EXPECT_EQ(evs[0]["kind"], "biometrics");
  EXPECT_EQ(evs[0]["n"], 1);
  EXPECT_EQ(evs[1]["kind"], "e-request");
  EXPECT_EQ(evs[1]["n"], 3);
  EXPECT_EQ(evs[2]["kind"], "rfe");
  EXPECT_EQ(evs[2]["n"], 2);
  Result text = run({"show", "IOE0912345678"});
  EXPECT_NE(text.out.find("   3  2025-01-10  e-request"), std::string::npos) << text.out;
}

TEST_F(CliJournal, AWrongEventIsEditedAnotherRemovedAndNumbersAreNotReused) {
  add_case_with_events();
  // The RFE was dated wrong and its due date too.
  Result edit = run({"event", "edit", "IOE0912345678", "2", "--on", "2025-02-04", "--due",
                     "2025-05-02", "--note", "RFE for medical exam"},
                    k_ana);
  ASSERT_EQ(edit.code, 0) << edit.err;
  EXPECT_NE(edit.out.find("Changed event 2 (rfe on 2025-02-04)"), std::string::npos) << edit.out;
  // The e-request was never sent.
  Result rm = run({"event", "rm", "IOE0912345678", "3"}, k_ana);
  ASSERT_EQ(rm.code, 0) << rm.err;
  json evs = events("IOE0912345678");
  ASSERT_EQ(evs.size(), 2U);
  EXPECT_EQ(evs[1]["n"], 2);
  EXPECT_EQ(evs[1]["date"], "2025-02-04");
  EXPECT_EQ(evs[1]["due"], "2025-05-02");
  EXPECT_EQ(evs[1]["note"], "RFE for medical exam");
  // The next event gets number 4: "event 3" in a letter never means another event.
  ASSERT_EQ(run({"event", "IOE0912345678", "response", "--on", "2025-04-15"}, k_ana).code, 0);
  evs = events("IOE0912345678");
  ASSERT_EQ(evs.size(), 3U);
  EXPECT_EQ(evs[2]["kind"], "response");
  EXPECT_EQ(evs[2]["n"], 4);
}

TEST_F(CliJournal, EventEditIsValidatedLikeEventAndAMissingNumberIsNamed) {
  add_case_with_events();
  std::string before = dump();
  // A due date before the RFE itself, as `event` refuses it.
  expect_one_error_line(run({"event", "edit", "IOE0912345678", "2", "--due", "2025-01-01"}, k_ana),
                        "due");
  expect_one_error_line(run({"event", "rm", "IOE0912345678", "7"}, k_ana),
                        "has no event '7'; its events: 1 (biometrics 2023-06-20)");
  expect_one_error_line(run({"event", "edit", "IOE0912345678", "1"}, k_ana), "give what to change");
  EXPECT_EQ(dump(), before);
}

TEST_F(CliJournal, RmIsUndoneWithItsEventsTheSameIdAndReceipt) {
  add_sample_cases();
  add_case_with_events_on_second();
  json before = show("IOE0923456789");
  Result rm = run({"rm", "IOE0923456789", "--yes"}, k_ben);
  ASSERT_EQ(rm.code, 0) << rm.err;
  EXPECT_EQ(run({"show", "IOE0923456789"}).code, 2);
  Result undo = run({"undo"}, k_ben);
  ASSERT_EQ(undo.code, 0) << undo.err;
  EXPECT_NE(undo.out.find("Undid #"), std::string::npos) << undo.out;
  // What was undone first, then whose command it was (#26 item 6).
  EXPECT_NE(undo.out.find(": case IOE0923456789 removed with its 2 events (casewatch rm "
                          "IOE0923456789 --yes, by ben, 2026-11-29 16:02 UTC). 'casewatch undo' "
                          "again"),
            std::string::npos)
      << undo.out;
  // log says the undo's entry the same way: what it undid, not the rows it wrote back.
  Result log = run({"log"});
  EXPECT_NE(log.out.find("ben: undid #"), std::string::npos) << log.out;
  EXPECT_NE(log.out.find(": case IOE0923456789 removed with its 2 events (casewatch undo)"),
            std::string::npos)
      << log.out;
  json after = show("IOE0923456789");
  EXPECT_EQ(after["case"]["id"], before["case"]["id"]);
  EXPECT_EQ(after["events"], before["events"]);
  EXPECT_EQ(after["case"], before["case"]);
}

TEST_F(CliJournal, UndoTwiceRevertsTwoCommandsAndThenSaysThereIsNothingLeft) {
  add_sample_cases();
  ASSERT_EQ(run({"event", "IOE0912345678", "interview", "--on", "2025-03-01"}, k_ana).code, 0);
  ASSERT_EQ(run({"edit", "IOE0912345678", "--note", "interview went well"}, k_ana).code, 0);
  Result first = run({"undo"}, k_ana);
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_NE(first.out.find("case IOE0912345678 changed (note)"), std::string::npos) << first.out;
  EXPECT_TRUE(show("IOE0912345678")["case"]["note"].is_null());
  Result second = run({"undo"}, k_ana);
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_NE(second.out.find("event 1 (interview, 2025-03-01) recorded for IOE0912345678"),
            std::string::npos)
      << second.out;
  EXPECT_TRUE(events("IOE0912345678").empty());
  // Three adds remain; undo them all, then there is nothing left.
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(run({"undo"}, k_ana).code, 0);
  }
  EXPECT_EQ(dump(), "");
  std::string journal_before = slurp_log();
  expect_one_error_line(run({"undo"}, k_ana), "nothing to undo");
  EXPECT_EQ(slurp_log(), journal_before);
}

TEST_F(CliJournal, UndoIsJournaledAndAnUndoneEntryIsNotUndoneTwice) {
  add_sample_cases();
  ASSERT_EQ(run({"edit", "EAC2490012345", "--label", "Mom"}, k_ana).code, 0);
  ASSERT_EQ(run({"undo"}, k_ben).code, 0);
  // The next undo reverts the add before the edit, not the edit again.
  Result again = run({"undo"}, k_ben);
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_NE(again.out.find("Undid #3"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("case EAC2490012345 added"), std::string::npos) << again.out;
  json log = json::parse(run({"log", "--json"}).out);
  ASSERT_EQ(log["entries"].size(), 6U);
  EXPECT_EQ(log["entries"][4]["user"], "ben");
  EXPECT_EQ(log["entries"][4]["undoes"], 4);
  EXPECT_EQ(log["entries"][5]["undoes"], 3);
  Result verify = run({"log", "--verify"});
  EXPECT_EQ(verify.code, 0) << verify.err;
  EXPECT_NE(verify.out.find("journal intact: 6 entries"), std::string::npos) << verify.out;
}

TEST_F(CliJournal, LogShowsWhoDidWhatWithTheCommandLine) {
  add_case_with_events();
  ASSERT_EQ(run({"event", "rm", "IOE0912345678", "3"}, k_ben).code, 0);
  Result log = run({"log"});
  ASSERT_EQ(log.code, 0) << log.err;
  EXPECT_NE(log.out.find("#1 2026-11-28 09:14 UTC ana: case IOE0912345678 added (casewatch add "
                         "IOE0912345678 --form I-485"),
            std::string::npos)
      << log.out;
  EXPECT_NE(log.out.find("#5 2026-11-29 16:02 UTC ben: event 3 (e-request, 2025-01-10) removed "
                         "from IOE0912345678 (casewatch event rm IOE0912345678 3)"),
            std::string::npos)
      << log.out;
  // A case's own entries, and those since a date.
  ASSERT_EQ(
      run({"add", "EAC2490012345", "--form", "I-130", "--received", "2024-02-05"}, k_ben).code, 0);
  json mine = json::parse(run({"log", "IOE0912345678", "--json"}).out);
  EXPECT_EQ(mine["entries"].size(), 5U);
  json since = json::parse(run({"log", "--since", "2026-11-29", "--json"}).out);
  ASSERT_EQ(since["entries"].size(), 2U);
  EXPECT_EQ(since["entries"][0]["id"], 5);
  EXPECT_EQ(since["entries"][0]["changes"][0]["op"], "delete");
  EXPECT_EQ(since["entries"][0]["changes"][0]["before"]["ref"], "SRMT123456");
}

TEST_F(CliJournal, VerifyFailsNamingTheEntryEditedByHand) {
  add_case_with_events();
  ASSERT_EQ(run({"log", "--verify"}).code, 0);
  // Someone rewrites history: the RFE was "recorded" by somebody else.
  sql("DROP TRIGGER journal_append_only_update; UPDATE journal SET user = 'mallory' WHERE id = 3");
  Result r = run({"log", "--verify"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("entry #3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("altered"), std::string::npos) << r.err;
  // undo refuses to work from a journal that does not verify.
  expect_one_error_line(run({"undo"}, k_ana), "does not verify at entry #3");
}

TEST_F(CliJournal, VerifyFailsWhenAnEntryIsRemoved) {
  add_case_with_events();
  sql("DROP TRIGGER journal_append_only_delete; DELETE FROM journal WHERE id = 2");
  Result r = run({"log", "--verify", "--json"});
  EXPECT_EQ(r.code, 1);
  json j = json::parse(r.out);
  EXPECT_EQ(j["intact"], false);
  EXPECT_EQ(j["entry"], 3);
}

TEST_F(CliJournal, TheJournalRefusesChangesThroughSql) {
  add_case_with_events();
  EXPECT_THROW(sql("UPDATE journal SET user = 'mallory' WHERE id = 1"), SQLite::Exception);
  EXPECT_THROW(sql("DELETE FROM journal"), SQLite::Exception);
}

TEST_F(CliJournal, TimesUnsetRemovesTheUsersRowAndUndoBringsItBack) {
  ASSERT_EQ(run({"times", "set", "I-485", "--category", "131A-FAM", "--office", "QNS", "--months",
                 "21", "--published", "2024-11-14"},
                k_ana)
                .code,
            0);
  std::string with_row = dump();
  expect_one_error_line(run({"times", "unset", "I-485", "--category", "131A-FAM"}, k_ana),
                        "yours for I-485: I-485 --category 131A-FAM --office QNS");
  Result unset =
      run({"times", "unset", "I-485", "--category", "131A-FAM", "--office", "QNS"}, k_ana);
  ASSERT_EQ(unset.code, 0) << unset.err;
  EXPECT_EQ(dump(), "");
  expect_one_error_line(run({"times", "unset", "I-130"}, k_ana), "you set none for I-130");
  Result undo = run({"undo"}, k_ana);
  ASSERT_EQ(undo.code, 0) << undo.err;
  EXPECT_NE(undo.out.find("processing time I-485 131A-FAM QNS removed"), std::string::npos)
      << undo.out;
  EXPECT_EQ(dump(), with_row);
}

TEST_F(CliJournal, UndoOfAnImportRemovesWhatItAdded) {
  add_sample_cases();
  fs::path file = m_dir / "more.csv";
  std::ofstream(file) << "receipt,form,received,label\n"
                         "IOE0934567890,I-765,2025-03-01,Ana EAD\n"
                         "WAC2590012345,I-130,2025-04-02,Father\n";
  ASSERT_EQ(run({"import", file.string()}, k_ana).code, 0);
  std::string imported = dump();
  Result undo = run({"undo"}, k_ana);
  ASSERT_EQ(undo.code, 0) << undo.err;
  EXPECT_NE(undo.out.find("case IOE0934567890 added; case WAC2590012345 added"), std::string::npos)
      << undo.out;
  json list = json::parse(run({"list", "--all", "--json"}).out);
  EXPECT_EQ(list["cases"].size(), 3U) << list.dump();
}

TEST_F(CliJournal, ExportCarriesTheJournalAndImportIntoAnEmptyDatabaseKeepsIt) {
  add_case_with_events();
  ASSERT_EQ(run({"event", "rm", "IOE0912345678", "2"}, k_ana).code, 0);
  fs::path file = m_dir / "export.json";
  ASSERT_EQ(run({"export", "-o", file.string()}).code, 0);
  json exported = json::parse(slurp(file));
  ASSERT_EQ(exported["journal"].size(), 5U);
  EXPECT_EQ(exported["cases"][0]["events"][1]["n"], 3);

  std::string other = (m_dir / "other" / "cases.db").string();
  std::vector<std::string> env = {"CASEWATCH_USER=ben", "CASEWATCH_NOW=2026-11-30T08:00:00Z"};
  auto in_other = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", other});
    return run(args, env);
  };
  Result imp = in_other({"import", file.string()});
  ASSERT_EQ(imp.code, 0) << imp.err;
  Result verify = in_other({"log", "--verify"});
  EXPECT_EQ(verify.code, 0) << verify.err;
  EXPECT_NE(verify.out.find("journal intact: 6 entries"), std::string::npos) << verify.out;
  Result log = in_other({"log"});
  EXPECT_NE(log.out.find("#6 2026-11-30 08:00 UTC ben: journal entries #1-#5 copied from the "
                         "export"),
            std::string::npos)
      << log.out;
  // The events keep their numbers.
  json evs = json::parse(in_other({"show", "IOE0912345678", "--json"}).out)["events"];
  ASSERT_EQ(evs.size(), 2U);
  EXPECT_EQ(evs[1]["n"], 3);
  // Undo reverts the import, and goes no further back than it.
  ASSERT_EQ(in_other({"undo"}).code, 0);
  expect_one_error_line(in_other({"undo"}), "nothing to undo");
}

// The entries copied from an export name the exporting database's case ids: `log CASE` finds
// them by the case's receipt, never by this database's id that another case had there (#26).
TEST_F(CliJournal, CopiedEntriesNameTheirCasesInLogCase) {
  ASSERT_EQ(
      run({"add", "IOE0912345678", "--form", "I-485", "--received", "2026-03-02"}, k_ana).code, 0);
  ASSERT_EQ(
      run({"add", "EAC2490012345", "--form", "I-765", "--received", "2026-09-02"}, k_ana).code, 0);
  ASSERT_EQ(run({"rm", "IOE0912345678", "--yes"}, k_ana).code, 0);
  fs::path file = m_dir / "export.json";
  ASSERT_EQ(run({"export", "-o", file.string()}).code, 0);

  std::string other = (m_dir / "other" / "cases.db").string();
  auto in_other = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", other});
    return run(args, k_ben);
  };
  ASSERT_EQ(in_other({"import", file.string()}).code, 0);
  // EAC2490012345 is #2 in the export and #1 here, where IOE0912345678 had been #1.
  json shown = json::parse(in_other({"show", "EAC2490012345", "--json"}).out);
  ASSERT_EQ(shown["case"]["id"], 1);
  Result log = in_other({"log", "EAC2490012345"});
  ASSERT_EQ(log.code, 0) << log.err;
  EXPECT_NE(log.out.find("#2 2026-11-28 09:14 UTC ana: case EAC2490012345 added"),
            std::string::npos)
      << log.out;
  EXPECT_EQ(log.out.find("IOE0912345678"), std::string::npos) << log.out;
  EXPECT_EQ(log.out.rfind("#1 ", 0), std::string::npos) << log.out;
  EXPECT_EQ(log.out.find("\n#3 "), std::string::npos) << log.out;
  Result by_id = in_other({"log", "1"});
  EXPECT_EQ(by_id.out, log.out);
  Result gone = in_other({"log", "IOE0912345678"});
  ASSERT_EQ(gone.code, 0) << gone.err;
  EXPECT_NE(gone.out.find("#1 2026-11-28 09:14 UTC ana: case IOE0912345678 added"),
            std::string::npos)
      << gone.out;
  EXPECT_NE(gone.out.find("#3 2026-11-28 09:14 UTC ana: case IOE0912345678 removed"),
            std::string::npos)
      << gone.out;
  EXPECT_EQ(gone.out.find("EAC2490012345"), std::string::npos) << gone.out;
  EXPECT_EQ(in_other({"log", "--verify"}).code, 0);
}

// An import of a law office's sheet journals every row in one entry; export reads such an
// entry in pieces of 1 MiB and lays it out as it goes. The exported entry is the stored one,
// value for value, and its chain verifies in the database it is imported into.
TEST_F(CliJournal, AnEntryLargerThanAPieceIsExportedWholeAndVerifiesWhereImported) {
  fs::path sheet = m_dir / "office.csv";
  {
    std::ofstream out(sheet);
    out << "receipt,form,received,label,note\n";
    for (int i = 0; i < 3000; ++i) {
      out << "IOE09" << 10000000 + i << ",I-485,2024-03-18,Client " << i
          << ",\"Binder 4, shelf [B]: {call} \"\"Tue\"\"\"\n";
    }
  }
  ASSERT_EQ(run({"import", sheet.string()}, k_ana).code, 0);
  std::string stored;
  {
    SQLite::Database db(m_db.string(), SQLite::OPEN_READONLY);
    stored = db.execAndGet("SELECT changes FROM journal WHERE id = 1").getString();
  }
  ASSERT_GT(stored.size(), std::size_t{1} << 20U);  // more than one piece
  fs::path file = m_dir / "export.json";
  ASSERT_EQ(run({"export", "-o", file.string()}).code, 0);
  json exported = json::parse(slurp(file));
  ASSERT_EQ(exported["journal"].size(), 1U);
  EXPECT_EQ(exported["journal"][0]["changes"], json::parse(stored));
  EXPECT_EQ(exported["journal"][0]["changes"][2999]["after"]["note"],
            "Binder 4, shelf [B]: {call} \"Tue\"");

  std::string other = (m_dir / "other" / "cases.db").string();
  Result imp = run({"--db", other, "import", file.string()}, k_ben);
  ASSERT_EQ(imp.code, 0) << imp.err;
  Result verify = run({"--db", other, "log", "--verify"});
  EXPECT_EQ(verify.code, 0) << verify.err;
  EXPECT_NE(verify.out.find("journal intact: 2 entries"), std::string::npos) << verify.out;
}

TEST_F(CliJournal, AnExportWithAnAlteredJournalIsRefused) {
  add_case_with_events();
  fs::path file = m_dir / "export.json";
  ASSERT_EQ(run({"export", "-o", file.string()}).code, 0);
  json doc = json::parse(slurp(file));
  doc["journal"][1]["user"] = "mallory";
  std::ofstream(file, std::ios::trunc) << doc.dump(2);
  std::string other = (m_dir / "other" / "cases.db").string();
  Result imp = run({"--db", other, "import", file.string()});
  expect_one_error_line(imp, "journal does not verify at entry #2");
}

TEST_F(CliJournal, ConcurrentCommandsKeepOneUnbrokenChain) {
  std::vector<Process> ps;
  for (int i = 0; i < 12; ++i) {
    ps.push_back(spawn({"add", "IOE09123456" + std::to_string(10 + i), "--form", "I-765",
                        "--received", "2024-06-03"},
                       k_ana));
  }
  for (const Process& p : ps) {
    Result r = finish(p);
    EXPECT_EQ(r.code, 0) << r.err;
  }
  Result verify = run({"log", "--verify"});
  EXPECT_EQ(verify.code, 0) << verify.err;
  EXPECT_NE(verify.out.find("journal intact: 12 entries"), std::string::npos) << verify.out;
}

}  // namespace
}  // namespace casewatch_test
