// SPDX-License-Identifier: MIT
#include <SQLiteCpp/Database.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "casewatch/store/journal.hpp"
#include "casewatch/store/store.hpp"
#include "casewatch/util/sha256.hpp"

namespace casewatch {
namespace {

// FIPS 180-4 examples (NIST's SHA256.pdf).
// Stored changes are read within the limits of every JSON casewatch reads (issue 21).
TEST(ParseChanges, TakesWhatTheStoreWrites) {
  auto ok = store::parse_changes(
      R"([{"after":{"id":1},"before":null,"key":{"id":1},"op":"insert","table":"cases"},)"
      R"({"after":null,"before":null,"key":{"first":1,"last":2},"op":"copy","table":"journal"}])");
  ASSERT_TRUE(ok) << ok.error();
  EXPECT_EQ(ok->size(), 2U);
  EXPECT_TRUE(store::parse_changes("[]"));
}

TEST(ParseChanges, SaysWhyItCannotReadAnEntry) {
  auto why = [](std::string_view text, std::size_t max = store::k_max_journal_changes) {
    auto r = store::parse_changes(text, max);
    return r ? std::string("read") : r.error();
  };
  EXPECT_EQ(why(std::string(100'000, '[') + std::string(100'000, ']')).substr(0, 58),
            "in its changes, arrays and objects nest more than 64 deep ");
  EXPECT_EQ(why(R"(["a very long value"])", 10),
            "its changes are 21 bytes; casewatch reads at most 10");
  EXPECT_EQ(why("[1]"), "change 1 of its changes is not an object");
  EXPECT_EQ(why("{}"), "its changes are not a list of row changes");
  EXPECT_EQ(why("[{"), "its changes are not JSON");
  EXPECT_EQ(why(R"([{"table":"users","op":"insert","key":{}}])"),
            "change 1 of its changes names no table the journal records");
  EXPECT_EQ(why(R"([{"table":"cases","key":{}}])"), "change 1 of its changes has no \"op\"");
  EXPECT_EQ(why(R"([{"table":"cases","op":"update","key":{},"before":[]}])"),
            "change 1 of its changes has a \"before\" that is neither an object nor null");
  EXPECT_EQ(why(R"([{"table":"cases","op":"update"}])"),
            "change 1 of its changes has no \"key\" object");
}

TEST(Sha256, Abc) {
  EXPECT_EQ(sha256::hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, Empty) {
  EXPECT_EQ(sha256::hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, TwoBlockMessage448Bits) {
  EXPECT_EQ(sha256::hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, PaddingBoundaries) {
  // 55 bytes fit one block with the length; 56 and 64 need a second one.
  EXPECT_EQ(sha256::hex(std::string(55, 'a')),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(sha256::hex(std::string(56, 'a')),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(sha256::hex(std::string(64, 'a')),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  EXPECT_EQ(sha256::hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PiecesGiveTheDigestOfTheWhole) {
  // FIPS 180-4's two-block message, and a million 'a', given in uneven pieces.
  const std::string text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    sha256::Hasher h;
    h.update(std::string_view(text).substr(0, cut));
    h.update(std::string_view(text).substr(cut));
    EXPECT_EQ(h.hex(), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  }
  sha256::Hasher h;
  for (std::size_t done = 0, piece = 1; done < 1000000; done += piece, piece = piece * 3 % 997) {
    h.update(std::string(std::min(piece, 1000000 - done), 'a'));
  }
  EXPECT_EQ(h.hex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  h.update("abc");  // the hasher starts again after a digest
  EXPECT_EQ(h.hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// A journal written by casewatch before SHA-256 came from OpenSSL (an add, an edit and its
// undo; UTF-8 and quotes in the text): its hashes still verify, whole and streamed.
std::vector<store::JournalEntry> journal_before_openssl() {
  std::ifstream in(std::string(CASEWATCH_TEST_DATA) + "/journal-before-openssl.json");
  nlohmann::json rows = nlohmann::json::parse(in);
  std::vector<store::JournalEntry> entries;
  for (const auto& row : rows) {
    store::JournalEntry e;
    e.id = row["id"].get<std::int64_t>();
    e.at = row["at"].get<std::string>();
    e.user = row["user"].get<std::string>();
    e.command = row["command"].get<std::string>();
    e.changes = row["changes"].get<std::string>();
    if (!row["undoes"].is_null()) {
      e.undoes = row["undoes"].get<std::int64_t>();
    }
    e.prev_hash = row["prev_hash"].get<std::string>();
    e.hash = row["hash"].get<std::string>();
    entries.push_back(std::move(e));
  }
  return entries;
}

TEST(JournalHash, AJournalWrittenBeforeStillVerifies) {
  auto entries = journal_before_openssl();
  ASSERT_EQ(entries.size(), 3U);
  EXPECT_EQ(entries[0].hash, "242353653ee929d0db2b9171c21b9f6bd1176db71f48bac1d645e63c4c3633e4");
  for (const auto& e : entries) {
    EXPECT_EQ(store::journal_hash(e), e.hash) << "entry #" << e.id;
    // The changes given a byte at a time hash the same.
    EXPECT_EQ(store::journal_hash(e,
                                  [&](const store::PieceSink& put) {
                                    for (char c : e.changes) {
                                      put(std::string_view(&c, 1));
                                    }
                                  }),
              e.hash);
  }
  auto check = store::verify_entries(entries);
  EXPECT_FALSE(check.bad);
  EXPECT_EQ(check.entries, 3U);
  EXPECT_EQ(check.last_hash, "1bfed989dc7916c3076bbc40781dcdba72653b66ed013715d0553ad31550aeca");
}

namespace fs = std::filesystem;

class JournalStore : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    m_dir = fs::temp_directory_path() / ("casewatch-journal-" + std::to_string(rd()));
    fs::create_directories(m_dir);
    m_path = m_dir / "cases.db";
  }
  void TearDown() override { fs::remove_all(m_dir); }
  fs::path m_dir;
  fs::path m_path;
};

Case ana() {
  Case c;
  c.receipt = "IOE0912345678";
  c.form = "I-485";
  c.category = "131A-FAM";
  c.office = "QNS";
  c.received = make_date(2023, 5, 2);
  return c;
}

Event event(CaseId id, EventKind kind, Date on) {
  Event e;
  e.case_id = id;
  e.kind = kind;
  e.date = on;
  return e;
}

TEST_F(JournalStore, MigrationNumbersExistingEventsPerCaseInRecordingOrder) {
  {
    SQLite::Database db(m_path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(
        "CREATE TABLE cases (id INTEGER PRIMARY KEY AUTOINCREMENT, receipt TEXT UNIQUE, form "
        "TEXT NOT NULL, category TEXT, office TEXT, received TEXT, sent TEXT, priority_date "
        "TEXT, premium_start TEXT, label TEXT, note TEXT, status TEXT NOT NULL DEFAULT "
        "'pending'); CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, case_id INTEGER "
        "NOT NULL REFERENCES cases(id) ON DELETE CASCADE, kind TEXT NOT NULL, date TEXT NOT "
        "NULL, due TEXT, ref TEXT, office TEXT, note TEXT); "
        "INSERT INTO cases (receipt, form, received) VALUES ('EAC2190012345', 'I-130', "
        "'2021-03-01'), ('IOE0912345678', 'I-485', '2023-05-02'); "
        "INSERT INTO events (case_id, kind, date) VALUES (1, 'biometrics', '2021-04-01'), "
        "(2, 'rfe', '2024-01-10'), (1, 'interview', '2021-03-15'), (2, 'response', "
        "'2024-02-01'); PRAGMA user_version = 1");
  }
  store::Store s(m_path);
  auto first = s.events_of(1);  // date order: interview (recorded 2nd), biometrics (1st)
  ASSERT_EQ(first.size(), 2U);
  EXPECT_EQ(first[0].seq, 2);
  EXPECT_EQ(first[1].seq, 1);
  auto second = s.events_of(2);
  ASSERT_EQ(second.size(), 2U);
  EXPECT_EQ(second[0].seq, 1);
  EXPECT_EQ(second[1].seq, 2);
  // The next event of case 1 is number 3; the migration wrote no journal entry.
  auto tx = s.begin_write();
  s.insert_event(event(1, EventKind::note, make_date(2022, 1, 1)));
  tx.commit();
  EXPECT_EQ(s.events_of(1)[2].seq, 3);
  ASSERT_EQ(s.journal().size(), 1U);
}

TEST_F(JournalStore, AJournalWrittenBeforeOpenSslVerifiesReadInPieces) {
  store::Store s(m_path);
  s.set_author({"ana", "casewatch import old.json", "2026-11-28T09:14:03Z"});
  {
    auto tx = s.begin_write();
    s.copy_journal(journal_before_openssl());
    tx.commit();
  }
  auto check = s.verify_journal();
  EXPECT_FALSE(check.bad) << check.why;
  EXPECT_EQ(check.entries, 4U);  // and the entry of the copy itself
  EXPECT_EQ(s.journal_copied_up_to(), 3);
  auto entries = s.journal();
  ASSERT_EQ(entries.size(), 4U);
  EXPECT_EQ(entries[2].hash, "1bfed989dc7916c3076bbc40781dcdba72653b66ed013715d0553ad31550aeca");
  EXPECT_EQ(entries[3].prev_hash, entries[2].hash);
  EXPECT_EQ(check.last_hash, entries[3].hash);
}

// The changes of a write kept in memory, then in a temporary file past a size: read back
// the same, in pieces.
TEST(ChangeLog, SpillsToAFileAndReadsBackTheSameArray) {
  for (std::size_t spill_after : {std::size_t{0}, std::size_t{10}, std::size_t{1} << 20U}) {
    store::ChangeLog log(spill_after);
    EXPECT_TRUE(log.empty());
    std::string expected = "[";
    for (int i = 0; i < 300; ++i) {
      std::string change = fmt::format(R"({{"n":{},"text":"{}"}})", i,
                                       std::string(static_cast<std::size_t>(i), 'x'));
      log.add(change);
      expected += (i == 0 ? "" : ",") + change;
    }
    expected += "]";
    EXPECT_EQ(log.spilled(), spill_after < expected.size());
    EXPECT_EQ(log.count(), 300U);
    EXPECT_EQ(log.bytes(), expected.size());
    EXPECT_EQ(log.text(), expected);
    log.add(R"({"n":300})");  // more after a read: the file is appended to
    expected.insert(expected.size() - 1, R"(,{"n":300})");
    std::string pieces;
    log.read([&](std::string_view piece) { pieces += piece; });
    EXPECT_EQ(pieces, expected);
    log.clear();
    EXPECT_TRUE(log.empty());
    EXPECT_FALSE(log.spilled());
    EXPECT_EQ(log.text(), "[]");
  }
}

// A write of more changes than are kept in memory (an import of thousands of cases): its
// entry is written in pieces, and reads, verifies and undoes as any other.
TEST_F(JournalStore, AnEntryTooLargeForMemoryIsWrittenInPiecesAndUndone) {
  store::Store s(m_path);
  s.set_author({"ana", "casewatch import big.json", "2026-11-28T09:14:03Z"});
  constexpr int k_cases = 8000;  // about 6 MiB of changes, past ChangeLog::k_spill_after
  {
    auto tx = s.begin_write();
    for (int i = 0; i < k_cases; ++i) {
      Case c = ana();
      c.receipt = fmt::format("IOE{:010}", 912300000 + i);
      c.note = std::string(100, 'n');
      s.insert_case(c);
    }
    tx.commit();
  }
  auto entries = s.journal();
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_GT(entries[0].changes.size(), store::ChangeLog::k_spill_after);
  EXPECT_EQ(entries[0].hash, store::journal_hash(entries[0]));
  auto changes = nlohmann::json::parse(entries[0].changes);
  ASSERT_EQ(changes.size(), static_cast<std::size_t>(k_cases));
  EXPECT_EQ(changes.back()["after"]["receipt"], fmt::format("IOE{:010}", 912300000 + k_cases - 1));
  auto check = s.verify_journal();
  EXPECT_FALSE(check.bad) << check.why;
  EXPECT_EQ(check.last_hash, entries[0].hash);
  {
    auto tx = s.begin_write();
    auto undone = s.undo_last();
    ASSERT_TRUE(undone);
    EXPECT_EQ(undone->id, 1);
    tx.commit();
  }
  EXPECT_TRUE(s.all_cases().empty());
  EXPECT_FALSE(s.verify_journal().bad);
  EXPECT_EQ(s.journal().size(), 2U);  // the undo's own entry, also written in pieces
}

TEST_F(JournalStore, OneEntryPerCommittedTransactionThatChangedSomething) {
  store::Store s(m_path);
  s.set_author({"ana", "casewatch add IOE0912345678 --form I-485", "2026-11-28T09:14:03Z"});
  {
    auto tx = s.begin_write();
    CaseId id = s.insert_case(ana());
    s.insert_event(event(id, EventKind::receipt, make_date(2023, 5, 2)));
    tx.commit();
  }
  {
    auto tx = s.begin_write();  // rolled back: no entry
    s.delete_case(1);
  }
  {
    auto tx = s.begin_write();  // nothing changed: no entry
    s.update_case(*s.find_case(1));
    tx.commit();
  }
  auto entries = s.journal();
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_EQ(entries[0].id, 1);
  EXPECT_EQ(entries[0].user, "ana");
  EXPECT_EQ(entries[0].at, "2026-11-28T09:14:03Z");
  EXPECT_EQ(entries[0].prev_hash, "");
  EXPECT_EQ(entries[0].hash, store::journal_hash(entries[0]));
  auto changes = nlohmann::json::parse(entries[0].changes);
  ASSERT_EQ(changes.size(), 2U);
  EXPECT_EQ(changes[0]["table"], "cases");
  EXPECT_EQ(changes[0]["after"]["receipt"], "IOE0912345678");
  EXPECT_EQ(changes[1]["table"], "events");
  EXPECT_EQ(changes[1]["after"]["seq"], 1);
}

TEST_F(JournalStore, UndoOfADeletedCaseBringsItBackWithItsEventsAndIds) {
  store::Store s(m_path);
  CaseId id = 0;
  {
    auto tx = s.begin_write();
    id = s.insert_case(ana());
    s.insert_event(event(id, EventKind::biometrics, make_date(2023, 6, 20)));
    s.insert_event(event(id, EventKind::interview, make_date(2024, 3, 1)));
    tx.commit();
  }
  auto events = s.events_of(id);
  {
    auto tx = s.begin_write();
    s.delete_case(id);
    tx.commit();
  }
  ASSERT_FALSE(s.find_case(id));
  {
    auto tx = s.begin_write();
    auto undone = s.undo_last();
    ASSERT_TRUE(undone);
    EXPECT_EQ(undone->id, 2);
    tx.commit();
  }
  auto back = s.find_case(id);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->receipt, "IOE0912345678");
  auto again = s.events_of(id);
  ASSERT_EQ(again.size(), 2U);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(again[i].id, events[i].id);
    EXPECT_EQ(again[i].seq, events[i].seq);
  }
  auto entries = s.journal();
  ASSERT_EQ(entries.size(), 3U);
  EXPECT_EQ(entries[2].undoes, 2);
  EXPECT_FALSE(s.verify_journal().bad);
  // Next: the add (#1), not the rm again.
  auto tx = s.begin_write();
  auto next = s.undo_last();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->id, 1);
}

TEST_F(JournalStore, UndoRefusesWhenARowChangedBehindTheJournal) {
  store::Store s(m_path);
  {
    auto tx = s.begin_write();
    s.insert_case(ana());
    tx.commit();
  }
  {
    SQLite::Database db(m_path.string(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE cases SET note = 'changed by hand' WHERE id = 1");
  }
  auto tx = s.begin_write();
  try {
    (void)s.undo_last();
    FAIL() << "undid a changed row";
  } catch (const store::Conflict& e) {
    EXPECT_NE(std::string(e.what()).find("case #1 (IOE0912345678) is no longer as #1 left it"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(JournalStore, VerifyNamesTheFirstEntryThatBreaksTheChain) {
  std::vector<store::JournalEntry> entries(3);
  std::string prev;
  for (std::int64_t i = 0; i < 3; ++i) {
    auto& e = entries[static_cast<std::size_t>(i)];
    e.id = i + 1;
    e.at = "2026-11-28T09:14:0" + std::to_string(i) + "Z";
    e.user = "ana";
    e.command = "casewatch event IOE0912345678 note";
    e.changes = "[]";
    e.prev_hash = prev;
    e.hash = store::journal_hash(e);
    prev = e.hash;
  }
  EXPECT_FALSE(store::verify_entries(entries).bad);
  EXPECT_EQ(store::verify_entries(entries).entries, 3U);
  auto altered = entries;
  altered[1].command = "casewatch rm IOE0912345678";
  EXPECT_EQ(store::verify_entries(altered).bad, 2);
  auto removed = entries;
  removed.erase(removed.begin() + 1);
  EXPECT_EQ(store::verify_entries(removed).bad, 3);
}

}  // namespace
}  // namespace casewatch
