// SPDX-License-Identifier: MIT
// The journal and the stored data when they were written outside casewatch (issue 21):
// hostile journal rows, dropped triggers, bytes that are not UTF-8, and undo's refusals.
#include "casewatch/util/text.hpp"
#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

class CliHostile : public Cli {
 protected:
  void sql(const std::string& statements) {
    SQLite::Database db(m_db.string(), SQLite::OPEN_READWRITE);
    db.exec(statements);
  }
  // Appends an entry with `changes` to the journal, as someone with the sqlite3 shell and
  // the hash function could: its hash is right, so that only its content is hostile.
  std::int64_t append_entry(const std::string& changes) {
    SQLite::Database db(m_db.string(), SQLite::OPEN_READWRITE);
    casewatch::store::JournalEntry e;
    SQLite::Statement last(db, "SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1");
    if (last.executeStep()) {
      e.id = last.getColumn(0).getInt64() + 1;
      e.prev_hash = last.getColumn(1).getString();
    } else {
      e.id = 1;
    }
    e.at = "2026-11-28T10:00:00Z";
    e.user = "mallory";
    e.command = "sqlite3 cases.db";
    e.changes = changes;
    e.hash = casewatch::store::journal_hash(e);
    SQLite::Statement q(db,
                        "INSERT INTO journal (id, at, user, command, changes, undoes, prev_hash, "
                        "hash) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)");
    q.bind(1, e.id);
    q.bind(2, e.at);
    q.bind(3, e.user);
    q.bind(4, e.command);
    q.bind(5, e.changes);
    q.bind(6, e.prev_hash);
    q.bind(7, e.hash);
    q.exec();
    return e.id;
  }
  void add_one() {
    ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2023-05-02", "--label",
                   "Ana"})
                  .code,
              0);
  }
};

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST_F(CliHostile, ADeepJournalRowIsNamedByExportLogAndUndo) {
  add_one();
  // 5,000 levels: re-indented, they were 25 MB of spaces; 100,000 were 15 GB.
  std::int64_t deep = append_entry(nested(5000));
  Result verify = run({"log", "--verify"});
  EXPECT_EQ(verify.code, 0) << verify.err;  // the chain holds: only the content is hostile

  Result exported = run({"export"});
  EXPECT_EQ(exported.code, 0) << exported.err;
  EXPECT_LT(exported.out.size(), 10'000U);
  EXPECT_NE(exported.err.find("journal entry #" + std::to_string(deep) +
                              " is not readable: in its changes, arrays and objects nest more "
                              "than 64 deep"),
            std::string::npos)
      << exported.err;
  json doc = json::parse(exported.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["cases"].size(), 1U);
  EXPECT_FALSE(doc.contains("journal"));

  Result log = run({"log"});
  EXPECT_EQ(log.code, 0) << log.err;
  EXPECT_NE(log.out.find("#2 2026-11-28 10:00 UTC mallory: entry #2 is not readable: in its "
                         "changes, arrays and objects nest more than 64 deep"),
            std::string::npos)
      << log.out;
  Result log_json = run({"log", "--json"});
  EXPECT_EQ(log_json.code, 0) << log_json.err;
  EXPECT_TRUE(json::parse(log_json.out)["entries"][1]["changes"].is_null());

  std::string before = dump();
  Result undo = run({"undo"});
  expect_one_error_line(undo,
                        "cannot undo #2: in its changes, arrays and objects nest more "
                        "than 64 deep");
  EXPECT_EQ(dump(), before);
}

TEST_F(CliHostile, AJournalRowThatIsNoListOfRowChangesIsShownAsUnreadable) {
  add_one();
  append_entry("[1]");
  ASSERT_EQ(run({"add", "IOE0923456789", "--form", "N-400", "--received", "2024-06-03"}).code, 0);
  Result log = run({"log"});
  EXPECT_EQ(log.code, 0) << log.err;
  EXPECT_NE(log.out.find("mallory: entry #2 is not readable: change 1 of its changes is not an "
                         "object (written outside casewatch)"),
            std::string::npos)
      << log.out;
  // The entries after it are shown as ever.
  EXPECT_NE(log.out.find("#3 "), std::string::npos) << log.out;
  EXPECT_NE(log.out.find("case IOE0923456789 added"), std::string::npos) << log.out;
  Result of_case = run({"log", "IOE0923456789"});
  EXPECT_EQ(of_case.code, 0) << of_case.err;

  for (const std::string& changes :
       {std::string(R"([{"table": 5}])"), std::string(R"([{"table": "cases", "op": "update"}])"),
        std::string(R"([{"table": "cases", "op": "update", "key": [1]}])"),
        std::string(R"({"table": "cases"})"), std::string("[")}) {
    append_entry(changes);
    Result l = run({"log"});
    EXPECT_EQ(l.code, 0) << changes << ": " << l.err;
    Result u = run({"undo"});
    EXPECT_EQ(u.code, 2) << changes << ": " << u.err;
    EXPECT_NE(u.err.find("(the entry was written outside casewatch); nothing was undone"),
              std::string::npos)
        << changes << ": " << u.err;
    EXPECT_EQ(u.err.find("json"), std::string::npos) << u.err;
  }
}

TEST_F(CliHostile, UndoOfAnUnreadableEntryRefusesNamingIt) {
  add_one();
  append_entry("[1]");
  std::string before = dump();
  Result undo = run({"undo"});
  expect_one_error_line(undo,
                        "cannot undo #2: change 1 of its changes is not an object (the entry was "
                        "written outside casewatch); nothing was undone");
  EXPECT_EQ(dump(), before);
}

bool trigger_exists(const fs::path& db_path, const std::string& name) {
  SQLite::Database db(db_path.string());
  SQLite::Statement q(db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?");
  q.bind(1, name);
  q.executeStep();
  return q.getColumn(0).getInt() == 1;
}

TEST_F(CliHostile, DroppedAppendOnlyTriggersAreSaidAndRecreated) {
  add_one();
  sql("DROP TRIGGER journal_append_only_update; DROP TRIGGER journal_append_only_delete;");
  Result verify = run({"log", "--verify"});
  EXPECT_EQ(verify.code, 1) << verify.err;
  EXPECT_NE(verify.err.find("journal_append_only_update and journal_append_only_delete had been "
                            "dropped outside casewatch"),
            std::string::npos)
      << verify.err;
  EXPECT_TRUE(trigger_exists(m_db, "journal_append_only_update"));
  EXPECT_TRUE(trigger_exists(m_db, "journal_append_only_delete"));
  // Recreated: the journal refuses changes again, and the next check is clean.
  EXPECT_THROW(sql("DELETE FROM journal"), SQLite::Exception);
  EXPECT_THROW(sql("UPDATE journal SET user = 'x'"), SQLite::Exception);
  Result again = run({"log", "--verify"});
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_NE(again.out.find("journal intact: 1 entry"), std::string::npos) << again.out;
}

TEST_F(CliHostile, AnyCommandRecreatesADroppedTriggerAndSaysSo) {
  add_one();
  sql("DROP TRIGGER journal_append_only_delete");
  Result list = run({"list"});
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.err.find("journal_append_only_delete had been dropped outside casewatch"),
            std::string::npos)
      << list.err;
  EXPECT_TRUE(trigger_exists(m_db, "journal_append_only_delete"));
  EXPECT_THROW(sql("DELETE FROM journal"), SQLite::Exception);
}

TEST_F(CliHostile, UndoOfAnRmWhoseReceiptIsTakenNamesTheReceiptAndTheCase) {
  add_one();
  ASSERT_EQ(run({"rm", "IOE0912345678", "--yes"}).code, 0);
  // Added again outside casewatch (an older casewatch, the sqlite3 shell).
  sql("INSERT INTO cases (receipt, form, received, status) VALUES ('IOE0912345678', 'I-485', "
      "'2023-05-02', 'pending')");
  std::string before = dump();
  Result undo = run({"undo"});
  expect_one_error_line(undo,
                        "cannot undo #2: case #1 (IOE0912345678) cannot come back: its "
                        "receipt IOE0912345678 belongs to case #2 now");
  EXPECT_EQ(undo.err.find("constraint"), std::string::npos) << undo.err;
  EXPECT_EQ(dump(), before);
}

TEST_F(CliHostile, UndoOfAReceiptEditWhoseOldReceiptIsTakenNamesTheReceiptAndTheCase) {
  add_one();
  ASSERT_EQ(run({"edit", "IOE0912345678", "--receipt", "IOE0998765432"}).code, 0);
  sql("INSERT INTO cases (receipt, form, received, status) VALUES ('IOE0912345678', 'I-485', "
      "'2023-05-02', 'pending')");
  std::string before = dump();
  Result undo = run({"undo"});
  expect_one_error_line(undo,
                        "cannot be changed back: its receipt IOE0912345678 belongs to case "
                        "#2 now");
  EXPECT_EQ(undo.err.find("constraint"), std::string::npos) << undo.err;
  EXPECT_EQ(dump(), before);
}

TEST_F(CliHostile, StoredTextThatIsNotUtf8IsEscapedInEveryOutput) {
  add_one();
  ASSERT_EQ(run({"event", "IOE0912345678", "interview", "--on", "2026-12-10"}).code, 0);
  sql("UPDATE cases SET label = CAST(X'4a6f73ff20414f53' AS TEXT), note = CAST(X'41ff42' AS "
      "TEXT)");
  const std::string escaped = "Jos\\xff AOS";

  Result exported = run({"export"});
  EXPECT_EQ(exported.code, 0) << exported.err;
  EXPECT_TRUE(casewatch::text::is_valid_utf8(exported.out));
  json doc = json::parse(exported.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << exported.out;
  EXPECT_EQ(doc["cases"][0]["label"], escaped);
  EXPECT_EQ(doc["cases"][0]["note"], "A\\xffB");

  Result csv = run({"export", "--format", "csv"});
  EXPECT_EQ(csv.code, 0) << csv.err;
  EXPECT_TRUE(casewatch::text::is_valid_utf8(csv.out));

  Result show = run({"show", "IOE0912345678", "--json"});
  EXPECT_EQ(show.code, 0) << show.err;
  json shown = json::parse(show.out, nullptr, false);
  ASSERT_FALSE(shown.is_discarded()) << show.out;
  EXPECT_EQ(shown["case"]["label"], escaped);

  Result list = run({"list", "--json"});
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_TRUE(casewatch::text::is_valid_utf8(list.out));
  json listed = json::parse(list.out, nullptr, false);
  ASSERT_FALSE(listed.is_discarded()) << list.out;

  Result text = run({"list"});
  EXPECT_EQ(text.code, 0) << text.err;
  EXPECT_TRUE(casewatch::text::is_valid_utf8(text.out));
  EXPECT_NE(text.out.find(escaped), std::string::npos) << text.out;

  Result cal = run({"calendar"});
  EXPECT_EQ(cal.code, 0) << cal.err;
  EXPECT_TRUE(casewatch::text::is_valid_utf8(cal.out));
}

}  // namespace
}  // namespace casewatch_test
