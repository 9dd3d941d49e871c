// SPDX-License-Identifier: MIT
// The store keeps its per-row statements prepared (issue #14): what it writes and journals
// must be what it wrote and journaled when it prepared them anew, and a kept statement must
// hold nothing open between two calls.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "casewatch/store/store.hpp"

namespace casewatch::store {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

class StoreStatements : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    m_dir = fs::temp_directory_path() / ("casewatch-statements-" + std::to_string(rd()));
    fs::create_directories(m_dir);
    m_path = m_dir / "cases.db";
  }
  void TearDown() override { fs::remove_all(m_dir); }

  // The row of `table` with `id` as SQLite holds it now, dumped as the journal dumps rows.
  std::string stored_row(const std::string& table, std::int64_t id) const {
    SQLite::Database db(m_path.string());
    SQLite::Statement q(db, "SELECT * FROM " + table + " WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) {
      return "null";
    }
    json row = json::object();
    for (int i = 0; i < q.getColumnCount(); ++i) {
      const SQLite::Column col = q.getColumn(i);
      if (col.isNull()) {
        row[q.getColumnName(i)] = nullptr;
      } else if (col.isInteger()) {
        row[q.getColumnName(i)] = col.getInt64();
      } else {
        row[q.getColumnName(i)] = col.getString();
      }
    }
    return row.dump(-1, ' ', false, json::error_handler_t::replace);
  }

  fs::path m_dir;
  fs::path m_path;
};

Case i485() {
  Case c;
  c.receipt = "IOE0912345678";
  c.form = "I-485";
  c.category = "131A-FAM";
  c.office = "QNS";
  c.received = make_date(2023, 5, 2);
  c.label = "Ana \"AOS\" – São Paulo";
  c.preference = "F2A";
  c.chargeability = "Mexico";
  c.path = VisaPath::adjustment;
  return c;
}

Case i765() {
  Case c;
  c.receipt = "EAC2490012345";
  c.form = "I-765";
  c.received = make_date(2024, 9, 16);
  return c;
}

// The journal's rows, whole, in the order applied.
std::vector<json> journaled(Store& s) {
  std::vector<json> out;
  for (const JournalEntry& e : s.journal()) {
    for (const json& c : json::parse(e.changes)) {
      out.push_back(c);
    }
  }
  return out;
}

TEST_F(StoreStatements, EachWriteJournalsTheRowExactlyAsStored) {
  Store s(m_path);
  CaseId first = 0;
  CaseId second = 0;
  std::int64_t rfe = 0;
  {
    auto tx = s.begin_write();
    first = s.insert_case(i485());
    second = s.insert_case(i765());
    Event e;
    e.case_id = first;
    e.kind = EventKind::receipt;
    e.date = make_date(2023, 5, 12);
    s.insert_event(e);
    e.kind = EventKind::rfe;
    e.date = make_date(2024, 2, 1);
    e.due = make_date(2024, 4, 29);
    e.note = "medical exam (I-693)";
    rfe = s.insert_event(e);
    e.case_id = second;
    e.kind = EventKind::e_request;
    e.date = make_date(2025, 3, 3);
    e.due.reset();
    e.note.reset();
    e.ref = "SRMT1234567890";
    s.insert_event(e);
    tx.commit();
  }
  // Each row written in that transaction is journaled as a later read finds it (no write
  // came after): the columns, their types and their text alike.
  auto changes = journaled(s);
  ASSERT_EQ(changes.size(), 5U);
  for (const json& c : changes) {
    ASSERT_EQ(c["op"], "insert");
    std::string table = c["table"];
    EXPECT_EQ(c["after"].dump(-1, ' ', false, json::error_handler_t::replace),
              stored_row(table, c["key"]["id"].get<std::int64_t>()))
        << table;
  }
  // Updates keep the row before and after, and the event numbers go on from the last.
  {
    auto tx = s.begin_write();
    std::string before = stored_row("cases", second);
    Case c = *s.find_case(second);
    c.category = "(c)(9)";
    c.note = "combo card";
    s.update_case(c);
    s.set_status(first, Status::approved);
    Event e = s.events_of(first).back();
    ASSERT_EQ(e.id, rfe);
    e.note = "medical exam (I-693) and birth certificate";
    s.update_event(e);
    e.id = 0;
    e.seq = 0;
    e.kind = EventKind::reply;
    e.date = make_date(2024, 4, 1);
    e.due.reset();
    std::int64_t reply = s.insert_event(e);
    tx.commit();
    changes = journaled(s);
    ASSERT_EQ(changes.size(), 9U);
    EXPECT_EQ(changes[5]["before"].dump(-1, ' ', false, json::error_handler_t::replace), before);
    EXPECT_EQ(changes[5]["after"].dump(-1, ' ', false, json::error_handler_t::replace),
              stored_row("cases", second));
    EXPECT_EQ(changes[6]["after"]["status"], "approved");
    EXPECT_EQ(changes[7]["after"].dump(-1, ' ', false, json::error_handler_t::replace),
              stored_row("events", rfe));
    EXPECT_EQ(changes[8]["after"].dump(-1, ' ', false, json::error_handler_t::replace),
              stored_row("events", reply));
    EXPECT_EQ(changes[8]["after"]["seq"], 3);
  }
  EXPECT_FALSE(s.verify_journal().bad);
  // Undo runs the same kept statements backwards, and again when asked twice.
  for (int i = 0; i < 2; ++i) {
    auto tx = s.begin_write();
    ASSERT_TRUE(s.undo_last());
    tx.commit();
  }
  EXPECT_EQ(stored_row("cases", first), "null");
  EXPECT_TRUE(s.events_of(second).empty());
  EXPECT_FALSE(s.verify_journal().bad);
}

TEST_F(StoreStatements, AKeptStatementHoldsNoReadBetweenCalls) {
  Store a(m_path);
  CaseId id = 0;
  {
    auto tx = a.begin_write();
    id = a.insert_case(i485());
    tx.commit();
  }
  // Each of these steps its statement once and returns: a statement left so would keep a
  // read transaction, and with it an old view of the file, open on the connection.
  ASSERT_TRUE(a.find_case(id));
  ASSERT_TRUE(a.find_case_by_receipt("IOE0912345678"));
  (void)a.snapshot_fingerprint(id, "api");
  {
    Store b(m_path);
    auto tx = b.begin_write();
    b.insert_case(i765());
    tx.commit();
  }
  // The first store sees the second's case, and can write after it.
  auto other = a.find_case_by_receipt("EAC2490012345");
  ASSERT_TRUE(other);
  auto tx = a.begin_write();
  Case c = *other;
  c.label = "EAD renewal";
  a.update_case(c);
  tx.commit();
  EXPECT_EQ(a.find_case(other->id)->label, "EAD renewal");
}

TEST_F(StoreStatements, AFailedWriteLeavesTheKeptStatementUsable) {
  Store s(m_path);
  auto tx = s.begin_write();
  s.insert_case(i485());
  // The same receipt again: refused by the unique index, the statement left mid-way.
  EXPECT_THROW(s.insert_case(i485()), Conflict);
  // The same statement then writes the next case.
  CaseId id = s.insert_case(i765());
  tx.commit();
  auto found = s.find_case(id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->receipt, "EAC2490012345");
  EXPECT_EQ(s.all_cases().size(), 2U);
}

}  // namespace
}  // namespace casewatch::store
