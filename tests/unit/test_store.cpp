// SPDX-License-Identifier: MIT
#include "casewatch/store/store.hpp"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <random>

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

}  // namespace
}  // namespace casewatch::store
