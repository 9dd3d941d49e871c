// SPDX-License-Identifier: MIT
#include "casewatch/store/store.hpp"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include "../schema_history.hpp"

namespace casewatch::store {
namespace {

namespace fs = std::filesystem;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    m_dir = fs::temp_directory_path() / ("casewatch-store-" + std::to_string(rd()));
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  fs::path m_dir;
};

Case sample() {
  Case c;
  c.receipt = "IOE0912345678";
  c.form = "I-485";
  c.category = "131A-FAM";
  c.office = "QNS";
  c.received = make_date(2023, 5, 2);
  c.label = "Ana AOS";
  return c;
}

TEST_F(StoreTest, CreatesAPrivateFileInAPrivateDirectory) {
  fs::path path = m_dir / "a" / "b" / "cases.db";
  { Store s(path); }
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  ASSERT_EQ(::stat((m_dir / "a" / "b").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700U);
  SQLite::Database db(path.string());
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), k_schema_version);
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

TEST_F(StoreTest, CasesAndEventsRoundTrip) {
  Store s(m_dir / "cases.db");
  Case c = sample();
  auto tx = s.begin_write();
  c.id = s.insert_case(c);
  Event e;
  e.case_id = c.id;
  e.kind = EventKind::e_request;
  e.date = make_date(2025, 1, 10);
  e.ref = "SRMT123456";
  s.insert_event(e);
  tx.commit();

  auto found = s.find_case_by_receipt("IOE0912345678");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->label, "Ana AOS");
  EXPECT_EQ(found->received, make_date(2023, 5, 2));
  EXPECT_FALSE(found->sent);
  auto events = s.events_of(c.id);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].kind, EventKind::e_request);
  EXPECT_EQ(events[0].ref, "SRMT123456");
  // Deleting a case deletes its events (foreign keys on).
  auto tx2 = s.begin_write();
  s.delete_case(c.id);
  tx2.commit();
  EXPECT_TRUE(s.all_events().empty());
}

TEST_F(StoreTest, AnUncommittedWriteLeavesNothing) {
  Store s(m_dir / "cases.db");
  {
    auto tx = s.begin_write();
    s.insert_case(sample());
  }
  EXPECT_TRUE(s.all_cases().empty());
}

TEST_F(StoreTest, RefusesAFileFromANewerVersionAndLeavesItAlone) {
  fs::path path = m_dir / "cases.db";
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE future (x); PRAGMA user_version = 99");
  }
  auto before = fs::file_size(path);
  try {
    Store s(path);
    FAIL() << "opened a newer schema";
  } catch (const StorageError& e) {
    EXPECT_NE(std::string(e.what()).find("newer casewatch (schema version 99"), std::string::npos);
  }
  EXPECT_EQ(fs::file_size(path), before);
  SQLite::Database db(path.string());
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 99);
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "delete");
}

TEST_F(StoreTest, MigratesVersionOneKeepingACopy) {
  fs::path path = m_dir / "cases.db";
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(
        "CREATE TABLE cases (id INTEGER PRIMARY KEY AUTOINCREMENT, receipt TEXT UNIQUE, form "
        "TEXT NOT NULL, category TEXT, office TEXT, received TEXT, sent TEXT, priority_date "
        "TEXT, premium_start TEXT, label TEXT, note TEXT, status TEXT NOT NULL DEFAULT "
        "'pending'); CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, case_id INTEGER "
        "NOT NULL REFERENCES cases(id) ON DELETE CASCADE, kind TEXT NOT NULL, date TEXT NOT "
        "NULL, due TEXT, ref TEXT, office TEXT, note TEXT); INSERT INTO cases (receipt, form, "
        "received) VALUES ('EAC2190012345', 'I-130', '2021-03-01'); PRAGMA user_version = 1");
  }
  Store s(path);
  ASSERT_EQ(s.all_cases().size(), 1U);
  EXPECT_TRUE(s.stored_times().empty());  // the table of migration 2 exists
  fs::path backup = path;
  backup += ".schema1.bak";
  ASSERT_TRUE(fs::exists(backup));
  SQLite::Database copy(backup.string());
  EXPECT_EQ(copy.execAndGet("PRAGMA user_version").getInt(), 1);
  EXPECT_EQ(copy.execAndGet("SELECT count(*) FROM cases").getInt(), 1);
}

TEST_F(StoreTest, UserTimesReplaceTheSameKey) {
  Store s(m_dir / "cases.db");
  ProcessingTime row{"I-485",
                     "131A-FAM",
                     "QNS",
                     {42, TimeUnit::months},
                     make_date(2026, 11, 14),
                     make_date(2024, 2, 10),
                     "set"};
  auto tx = s.begin_write();
  s.upsert_time(row);
  row.time.halves = 40;
  s.upsert_time(row);
  tx.commit();
  auto rows = s.stored_times();
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].time.halves, 40);
  EXPECT_EQ(rows[0].inquiry_date, make_date(2024, 2, 10));
}

// Writes `sql` into a new SQLite file at `path`, outside the store.
void make_file(const fs::path& path, const std::string& sql) {
  SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec(sql);
}

std::string bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

template <typename F>
std::string storage_error_of(F&& f) {
  try {
    f();
  } catch (const StorageError& e) {
    return e.what();
  }
  return "(no StorageError)";
}

TEST_F(StoreTest, TheBackupOfAMigrationIsPrivateFromItsCreation) {
  fs::path path = m_dir / "cases.db";
  make_file(path,
            "CREATE TABLE cases (id INTEGER PRIMARY KEY AUTOINCREMENT, receipt TEXT UNIQUE, form "
            "TEXT NOT NULL, category TEXT, office TEXT, received TEXT, sent TEXT, priority_date "
            "TEXT, premium_start TEXT, label TEXT, note TEXT, status TEXT NOT NULL DEFAULT "
            "'pending'); CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, case_id "
            "INTEGER NOT NULL, kind TEXT NOT NULL, date TEXT NOT NULL, due TEXT, ref TEXT, office "
            "TEXT, note TEXT); INSERT INTO cases (receipt, form, received, label) VALUES "
            "('EAC2190012345', 'I-130', '2021-03-01', 'Mother'); PRAGMA user_version = 1");
  fs::path backup = path;
  backup += ".schema1.bak";
  std::ofstream(backup) << "an old backup";  // replaced
  ::chmod(backup.c_str(), 0644);
  mode_t old = ::umask(022);
  { Store s(path); }
  ::umask(old);
  struct stat st {};
  ASSERT_EQ(::stat(backup.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  SQLite::Database copy(backup.string());
  EXPECT_EQ(copy.execAndGet("SELECT label FROM cases").getString(), "Mother");
}

TEST_F(StoreTest, RefusesANegativeSchemaVersionAndLeavesTheFileAlone) {
  fs::path path = m_dir / "cases.db";
  make_file(path, "CREATE TABLE cases (x); PRAGMA user_version = -1");
  std::string before = bytes_of(path);
  EXPECT_NE(storage_error_of([&] {
              Store s(path);
            }).find("is not a casewatch database (its schema version is -1)"),
            std::string::npos);
  EXPECT_EQ(bytes_of(path), before);
  EXPECT_FALSE(fs::exists(m_dir / "cases.db-wal"));
}

TEST_F(StoreTest, RefusesAFileThatIsNotSQLite) {
  fs::path path = m_dir / "cases.db";
  std::ofstream(path) << "receipt,form\nIOE0912345678,I-485\n";
  std::string before = bytes_of(path);
  std::string e = storage_error_of([&] { Store s(path); });
  EXPECT_NE(e.find("cannot open " + path.string() + ": it is not a SQLite database"),
            std::string::npos)
      << e;
  EXPECT_EQ(bytes_of(path), before);
}

TEST_F(StoreTest, RefusesASQLiteFileWithoutTheTablesOfItsVersion) {
  fs::path path = m_dir / "cases.db";
  make_file(path, "CREATE TABLE cases (x); PRAGMA user_version = 2");
  std::string e = storage_error_of([&] { Store s(path); });
  EXPECT_NE(e.find("is not a casewatch database (schema version 2, but no table "
                   "processing_times)"),
            std::string::npos)
      << e;
  fs::path other = m_dir / "other.db";
  make_file(other, "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)");
  e = storage_error_of([&] { Store s(other); });
  EXPECT_NE(e.find("is a SQLite database of another program"), std::string::npos) << e;
  SQLite::Database db(other.string());
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sqlite_master").getInt(), 1);  // no tables added
}

TEST_F(StoreTest, ADuplicateReceiptIsAConflictNamingTheCase) {
  fs::path path = m_dir / "cases.db";
  Store a(path);
  Store b(path);
  {
    auto tx = a.begin_write();
    a.insert_case(sample());
    tx.commit();
  }
  auto tx = b.begin_write();
  try {
    b.insert_case(sample());
    FAIL() << "inserted a duplicate receipt";
  } catch (const Conflict& e) {
    EXPECT_EQ(std::string(e.what()).substr(0, 57),
              "a case with receipt IOE0912345678 already exists (#1); ch");
  }
}

TEST_F(StoreTest, RowsThatAreNotValidAreSkippedAndNamedByIdOnly) {
  fs::path path = m_dir / "cases.db";
  { Store s(path); }
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    db.exec(
        "INSERT INTO cases (id, receipt, form, received, label) VALUES "
        "(1, 'IOE0912345678', 'I-485', '1900-01-01', 'Ana AOS'), "
        "(2, 'IOE0923456789', 'N-400', 'garbage', 'Ana N-400'), "
        "(3, 'EAC2490012345', 'I-130', '0000-99-99', 'Mother'), "
        "(4, 'EAC2490012346', '', '2024-02-05', 'Father'), "
        "(5, 'EAC2490012347', 'I-765', '2200-01-01', 'EAD'), "
        "(6, 'EAC2490012348', 'I-765', '2024-02-05', 'EAD 2');"
        "INSERT INTO events (case_id, kind, date) VALUES (1, 'rfe', '2024-03-01'), "
        "(1, 'party', '2024-03-02'), (1, 'e_request', 'soon');");
  }
  // The status CHECK refused 'lost': write it past the check.
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA ignore_check_constraints = ON; UPDATE cases SET status = 'lost' WHERE id = 6");
  }
  Store s(path);
  std::vector<std::string> problems;
  auto cases = s.all_cases(&problems);
  ASSERT_EQ(cases.size(), 1U);
  EXPECT_EQ(cases[0].received, make_date(1900, 1, 1));
  ASSERT_EQ(problems.size(), 5U);
  EXPECT_EQ(problems[0],
            "case #2 skipped: its received date 'garbage' is not a date from 1900-01-01 to "
            "2199-12-31; fix it with 'casewatch edit 2 --received DATE'");
  EXPECT_NE(problems[1].find("case #3 skipped: its received date '0000-99-99'"), std::string::npos);
  EXPECT_EQ(problems[2],
            "case #4 skipped: its form '' is not a USCIS form; fix it with 'casewatch edit 4 "
            "--form FORM'");
  EXPECT_NE(problems[3].find("case #5 skipped: its received date '2200-01-01'"), std::string::npos);
  EXPECT_NE(problems[4].find("case #6 skipped: its status 'lost' is not a status"),
            std::string::npos);
  for (const auto& p : problems) {
    EXPECT_EQ(p.find("EAC"), std::string::npos) << p;
    EXPECT_EQ(p.find("IOE"), std::string::npos) << p;
    EXPECT_EQ(p.find("Mother"), std::string::npos) << p;
  }
  problems.clear();
  auto events = s.all_events(&problems);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].kind, EventKind::rfe);
  ASSERT_EQ(problems.size(), 2U);
  EXPECT_NE(problems[0].find("of case #1 skipped: its kind 'party' is not an event kind"),
            std::string::npos);
  // find_case reads the case so that `edit` can fix it; the bad value reads as empty.
  problems.clear();
  auto two = s.find_case(2, &problems);
  ASSERT_TRUE(two);
  EXPECT_FALSE(two->received);
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_TRUE(problems[0].starts_with("case #2: its received date 'garbage'")) << problems[0];
}

// each_case gives what all_cases and all_events give, merged: cases by id, each with its
// events by date then id.
TEST_F(StoreTest, EachCaseVisitsCasesWithTheirEventsAsTheWholeTablesDo) {
  Store s(m_dir / "cases.db");
  auto tx = s.begin_write();
  std::vector<CaseId> ids;
  for (int i = 0; i < 5; ++i) {
    Case c = sample();
    c.receipt = "EAC24900123" + std::to_string(40 + i);
    c.form = i % 2 == 0 ? "I-765" : "I-130";
    c.label = "client " + std::to_string(i);
    ids.push_back(s.insert_case(c));
  }
  // Events recorded out of date order, and none for the third case.
  auto add = [&](CaseId id, EventKind kind, Date d) {
    Event e;
    e.case_id = id;
    e.kind = kind;
    e.date = d;
    s.insert_event(e);
  };
  add(ids[0], EventKind::rfe, make_date(2024, 6, 1));
  add(ids[0], EventKind::receipt, make_date(2024, 2, 1));
  add(ids[4], EventKind::e_request, make_date(2025, 1, 10));
  add(ids[1], EventKind::receipt, make_date(2024, 3, 3));
  add(ids[0], EventKind::interview, make_date(2024, 6, 1));
  add(ids[4], EventKind::receipt, make_date(2024, 4, 4));
  tx.commit();

  auto cases = s.all_cases();
  auto events = s.all_events();
  std::vector<std::pair<Case, std::vector<Event>>> visited;
  s.each_case([&](Case& c, std::vector<Event>& evs) { visited.emplace_back(c, evs); });
  ASSERT_EQ(visited.size(), cases.size());
  std::size_t next_event = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(visited[i].first.id, cases[i].id);
    EXPECT_EQ(visited[i].first.receipt, cases[i].receipt);
    EXPECT_EQ(visited[i].first.label, cases[i].label);
    for (const Event& e : visited[i].second) {
      ASSERT_LT(next_event, events.size());
      EXPECT_EQ(e.id, events[next_event].id);
      EXPECT_EQ(e.case_id, cases[i].id);
      ++next_event;
    }
  }
  EXPECT_EQ(next_event, events.size());
  // The first case's events by date, then by order of recording.
  ASSERT_EQ(visited[0].second.size(), 3U);
  EXPECT_EQ(visited[0].second[0].kind, EventKind::receipt);
  EXPECT_EQ(visited[0].second[1].kind, EventKind::rfe);
  EXPECT_EQ(visited[0].second[2].kind, EventKind::interview);
  // The third case has none (not the events of its neighbours).
  EXPECT_TRUE(visited[2].second.empty());
  EXPECT_TRUE(visited[3].second.empty());
  ASSERT_EQ(visited[4].second.size(), 2U);
  EXPECT_EQ(visited[4].second[0].kind, EventKind::receipt);
}

TEST_F(StoreTest, EachCaseOfAnEmptyStoreVisitsNothing) {
  Store s(m_dir / "cases.db");
  int visits = 0;
  s.each_case([&](Case&, std::vector<Event>&) { ++visits; });
  EXPECT_EQ(visits, 0);
}

TEST_F(StoreTest, EachCaseSkipsRowsThatAreNotValidAndSaysWhy) {
  fs::path path = m_dir / "cases.db";
  { Store s(path); }
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    db.exec(
        "INSERT INTO cases (id, receipt, form, received, label) VALUES "
        "(1, 'IOE0912345678', 'I-485', '2023-05-02', 'Ana AOS'), "
        "(2, 'IOE0923456789', 'N-400', 'garbage', 'Ana N-400'), "
        "(3, 'EAC2490012345', 'I-130', '2024-02-05', 'Mother');"
        "INSERT INTO events (case_id, kind, date) VALUES (1, 'rfe', '2024-03-01'), "
        "(1, 'party', '2024-03-02'), (2, 'rfe', '2024-04-01'), (2, 'e_request', '2024-05-01'), "
        "(3, 'receipt', '2024-02-15'), (3, 'e_request', 'soon');");
  }
  Store s(path);
  std::vector<std::string> problems;
  std::vector<std::pair<CaseId, std::size_t>> visited;
  s.each_case([&](Case& c, std::vector<Event>& evs) { visited.emplace_back(c.id, evs.size()); },
              &problems);
  // Case 2 (its received date is no date) is skipped with its events; the bad events of
  // cases 1 and 3 are skipped, their good ones kept.
  ASSERT_EQ(visited.size(), 2U);
  EXPECT_EQ(visited[0], (std::pair<CaseId, std::size_t>(1, 1)));
  EXPECT_EQ(visited[1], (std::pair<CaseId, std::size_t>(3, 1)));
  ASSERT_EQ(problems.size(), 3U);
  EXPECT_NE(problems[0].find("of case #1 skipped: its kind 'party' is not an event kind"),
            std::string::npos);
  EXPECT_EQ(problems[1],
            "case #2 skipped: its received date 'garbage' is not a date from 1900-01-01 to "
            "2199-12-31; fix it with 'casewatch edit 2 --received DATE'");
  EXPECT_NE(problems[2].find("of case #3 skipped: its date 'soon' is not a date"),
            std::string::npos);
}

TEST_F(StoreTest, WhatTheVisitThrowsPassesThrough) {
  Store s(m_dir / "cases.db");
  auto tx = s.begin_write();
  s.insert_case(sample());
  tx.commit();
  EXPECT_THROW(s.each_case([](Case&, std::vector<Event>&) { throw Conflict("stop"); }), Conflict);
}

TEST_F(StoreTest, ALeftoverReadOnlyShmIsMadeWritableAgain) {
  fs::path path = m_dir / "cases.db";
  { Store s(path); }
  fs::path shm = m_dir / "cases.db-shm";
  { std::ofstream(shm) << ""; }
  ::chmod(shm.c_str(), 0400);
  Store s(path);
  struct stat st {};
  ASSERT_EQ(::stat(shm.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  auto tx = s.begin_write();
  s.insert_case(sample());
  tx.commit();
  EXPECT_EQ(s.all_cases().size(), 1U);
}

TEST_F(StoreTest, AProcessingTimeTableIsReadWithinBounds) {
  fs::path fifo = m_dir / "times.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_NE(storage_error_of([&] {
              (void)read_processing_time_table(fifo);
            }).find("it is not a regular file"),
            std::string::npos);
  fs::path endless = m_dir / "endless.sqlite";
  make_file(endless,
            "CREATE VIEW processing_time AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT "
            "i + 1 FROM n) SELECT i AS range_upper FROM n");
  std::string e = storage_error_of([&] { (void)read_processing_time_table(endless); });
  EXPECT_NE(e.find("it has more than 1000000 rows; casewatch reads up to 1000000"),
            std::string::npos)
      << e;
  fs::path wide = m_dir / "wide.sqlite";
  make_file(wide,
            "CREATE VIEW processing_time AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT "
            "i + 1 FROM n WHERE i < 1000) SELECT 'I-485' AS form_name, zeroblob(100000) AS note "
            "FROM n");
  e = storage_error_of([&] { (void)read_processing_time_table(wide); });
  EXPECT_NE(e.find("its rows hold more than 64 MiB; casewatch reads up to 64 MiB"),
            std::string::npos)
      << e;
  EXPECT_FALSE(fs::exists(m_dir / "endless.sqlite-shm"));
}

TEST_F(StoreTest, AValueLargerThanAnyCellIsRefusedBeforeItIsMade) {
  // A 4 KB file whose table is a view of random blobs: each value would be made (gigabytes
  // a column) before any check of the rows' size.
  for (const char* table : {"processing_time", "visa_bulletin"}) {
    for (const char* size : {"2000000", "2650000000"}) {
      fs::path blob = m_dir / (std::string(table) + size + ".sqlite");
      make_file(blob, std::string("CREATE VIEW ") + table + " AS SELECT 'I-485' AS form_name, " +
                          "randomblob(" + size + ") AS note");
      std::string e = storage_error_of([&] {
        if (std::string_view(table) == "processing_time") {
          (void)read_processing_time_table(blob);
        } else {
          (void)read_visa_bulletin_table(blob);
        }
      });
      EXPECT_NE(e.find("a value in it is larger than 1 MiB; casewatch reads values up to 1 MiB"),
                std::string::npos)
          << table << " " << size << ": " << e;
    }
  }
}

}  // namespace
}  // namespace casewatch::store

namespace casewatch::store {
namespace {

// A database written before the "by" sentence was read right: an RFE imported from a status
// whose due date is the copy-request date ("If you do not receive ... by D"). Opening it
// removes that due date (the assumed one applies), once, and says so; a due date the user
// typed, and a card's follow-up date, stay.
TEST_F(StoreTest, UpgradeRemovesTheCopyRequestDateAsAnRfeDueDate) {
  fs::path path = m_dir / "cases.db";
  std::int64_t rfe_id = 0;
  std::int64_t typed_id = 0;
  std::int64_t card_id = 0;
  {
    Store s(path);
    auto tx = s.begin_write();
    Case c = sample();
    c.id = s.insert_case(c);
    Event rfe;
    rfe.case_id = c.id;
    rfe.kind = EventKind::rfe;
    rfe.date = make_date(2024, 2, 1);
    rfe.due = make_date(2024, 3, 2);  // what the previous code took from the "by" sentence
    rfe.source = "text";
    rfe.observed = make_date(2024, 2, 5);
    rfe.title = "Request for Additional Evidence Was Sent";
    rfe_id = s.insert_event(rfe);
    Event typed;
    typed.case_id = c.id;
    typed.kind = EventKind::noid;
    typed.date = make_date(2024, 5, 1);
    typed.due = make_date(2024, 5, 31);  // typed from the paper notice
    typed_id = s.insert_event(typed);
    Event card;
    card.case_id = c.id;
    card.kind = EventKind::card_mailed;
    card.date = make_date(2024, 6, 1);
    card.due = make_date(2024, 7, 1);
    card.source = "text";
    card.title = "Card Was Mailed To Me";
    card_id = s.insert_event(card);
    tx.commit();
  }
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    casewatch_schema_history::rewind(db, 9);
  }
  auto due_of = [](Store& s, std::int64_t id) {
    for (const Event& e : s.all_events()) {
      if (e.id == id) {
        return e.due;
      }
    }
    ADD_FAILURE() << "no event " << id;
    return std::optional<Date>();
  };
  {
    Store s(path);
    ASSERT_EQ(s.upgrade_notes().size(), 1U);
    EXPECT_NE(s.upgrade_notes()[0].find("1 RFE or NOID due date read from USCIS's status was"),
              std::string::npos)
        << s.upgrade_notes()[0];
    EXPECT_EQ(due_of(s, rfe_id), std::nullopt);
    EXPECT_EQ(due_of(s, typed_id), make_date(2024, 5, 31));
    EXPECT_EQ(due_of(s, card_id), make_date(2024, 7, 1));
  }
  Store again(path);
  EXPECT_TRUE(again.upgrade_notes().empty());
}

// Documents and trips (migration 11): stored, journaled, and undone like cases; a case keeps
// its holder and marriage track.
TEST_F(StoreTest, DocumentsAndTripsRoundTripAndUndo) {
  Store s(m_dir / "cases.db");
  Case c = sample();
  c.form = "N-400";
  c.holder = "Ana";
  c.marriage_track = true;
  c.married = make_date(2023, 10, 1);
  c.spouse_citizen_since = make_date(2015, 6, 1);
  Document d;
  d.kind = DocumentKind::ead;
  d.expires = make_date(2026, 5, 20);
  d.category = "C09";
  d.holder = "Ana";
  d.note = "the old card";
  d.recorded = make_date(2026, 11, 28);
  {
    auto tx = s.begin_write();
    c.id = s.insert_case(c);
    d.renewed_by = c.id;
    d.id = s.insert_document(d);
    s.insert_trip(Trip{0, "Ana", make_date(2024, 4, 1), make_date(2025, 6, 1)});
    tx.commit();
  }
  auto found = s.find_case(c.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->holder, "Ana");
  EXPECT_TRUE(found->marriage_track);
  EXPECT_EQ(found->married, make_date(2023, 10, 1));
  EXPECT_EQ(found->spouse_citizen_since, make_date(2015, 6, 1));
  auto docs = s.all_documents();
  ASSERT_EQ(docs.size(), 1U);
  EXPECT_EQ(docs[0].id, 1);
  EXPECT_EQ(docs[0].kind, DocumentKind::ead);
  EXPECT_EQ(docs[0].expires, make_date(2026, 5, 20));
  EXPECT_FALSE(docs[0].since);
  EXPECT_EQ(docs[0].category, "C09");
  EXPECT_EQ(docs[0].renewed_by, c.id);
  EXPECT_EQ(docs[0].note, "the old card");
  EXPECT_EQ(docs[0].recorded, make_date(2026, 11, 28));
  auto trips = s.all_trips();
  ASSERT_EQ(trips.size(), 1U);
  EXPECT_EQ(trips[0].left, make_date(2024, 4, 1));
  EXPECT_EQ(trips[0].returned, make_date(2025, 6, 1));
  // Edit, then undo the edit: the old expiry is back.
  {
    auto tx = s.begin_write();
    Document e = docs[0];
    e.expires = make_date(2028, 5, 20);
    s.update_document(e);
    tx.commit();
  }
  EXPECT_EQ(s.find_document(1)->expires, make_date(2028, 5, 20));
  {
    auto tx = s.begin_write();
    ASSERT_TRUE(s.undo_last());
    tx.commit();
  }
  EXPECT_EQ(s.find_document(1)->expires, make_date(2026, 5, 20));
  // Remove both, then undo each: the same ids come back.
  {
    auto tx = s.begin_write();
    s.delete_document(1);
    EXPECT_TRUE(s.delete_trip(trips[0].id));
    EXPECT_FALSE(s.delete_trip(99));
    tx.commit();
  }
  EXPECT_TRUE(s.all_documents().empty());
  EXPECT_TRUE(s.all_trips().empty());
  {
    auto tx = s.begin_write();
    ASSERT_TRUE(s.undo_last());
    tx.commit();
  }
  ASSERT_EQ(s.all_documents().size(), 1U);
  EXPECT_EQ(s.all_trips().size(), 1U);
  EXPECT_FALSE(s.verify_journal().bad);
  // What `check` reported of a document.
  FindingKey k;
  k.document_id = 1;
  k.rule = "ead-renewal";
  k.since = make_date(2025, 11, 21);
  k.stage = "open";
  {
    auto tx = s.begin_write();
    s.record_reported_documents({k, k}, make_date(2026, 11, 28));
    tx.commit();
  }
  auto reported = s.reported_documents();
  ASSERT_EQ(reported.size(), 1U);
  EXPECT_EQ(reported[0], k);
}

TEST_F(StoreTest, MigratesVersionTenToDocuments) {
  fs::path path = m_dir / "cases.db";
  { Store s(path); }
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    casewatch_schema_history::rewind(db, 10);
    db.exec(
        "INSERT INTO cases (receipt, form, received) VALUES ('IOE0912345678', 'I-485', "
        "'2023-05-02')");
  }
  Store s(path);
  auto cases = s.all_cases();
  ASSERT_EQ(cases.size(), 1U);
  EXPECT_FALSE(cases[0].holder);
  EXPECT_FALSE(cases[0].marriage_track);
  EXPECT_TRUE(s.all_documents().empty());
  EXPECT_TRUE(s.all_trips().empty());
}

}  // namespace
}  // namespace casewatch::store
