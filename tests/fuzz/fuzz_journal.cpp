// SPDX-License-Identifier: MIT
// Hostile journal rows (written outside casewatch, issue 21) through the store's journal:
// reading it (log), checking its chain (log --verify), parsing each entry's changes within
// the JSON limits, and undoing the newest entry. The input is the changes of one or more
// entries, separated by a line "----"; each is appended with a right hash after a case with
// events that the store itself wrote, so that only the content is hostile. When the first
// byte is '!', the last entry's hash is wrong. Any input: no crash, no exception but the
// store's own (StorageError, Conflict), and an undo that refuses changes nothing.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "casewatch/store/journal.hpp"
#include "casewatch/store/store.hpp"
#include "fuzz_check.hpp"

namespace {

namespace fs = std::filesystem;
using namespace casewatch;

// A database with one case and two events, made once per process, copied for each input.
const fs::path& template_db() {
  static const fs::path path = [] {
    fs::path dir =
        fs::temp_directory_path() / ("casewatch-fuzz-journal-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::path db = dir / "template.db";
    store::Store s(db);
    s.set_author({"fuzz", "casewatch add", "2026-11-28T09:00:00Z"});
    auto tx = s.begin_write();
    Case c;
    c.receipt = "IOE0912345678";
    c.form = "I-485";
    c.received = make_date(2023, 5, 2);
    c.id = s.insert_case(c);
    for (int day : {10, 20}) {
      Event e;
      e.case_id = c.id;
      e.kind = EventKind::biometrics;
      e.date = make_date(2023, 6, static_cast<unsigned>(day));
      s.insert_event(e);
    }
    tx.commit();
    return db;
  }();
  return path;
}

std::vector<std::string> split_entries(std::string_view text) {
  std::vector<std::string> out;
  constexpr std::string_view k_separator = "\n----\n";
  for (;;) {
    auto at = text.find(k_separator);
    out.emplace_back(text.substr(0, at));
    if (at == std::string_view::npos || out.size() == 8) {
      return out;
    }
    text.remove_prefix(at + k_separator.size());
  }
}

std::string snapshot(const fs::path& db_path) {
  SQLite::Database db(db_path.string());
  std::string s;
  for (const char* table : {"cases", "events", "journal"}) {
    SQLite::Statement q(db, std::string("SELECT * FROM ") + table + " ORDER BY rowid");
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  bool break_hash = !text.empty() && text.front() == '!';
  if (break_hash) {
    text.remove_prefix(1);
  }
  const fs::path& from = template_db();
  fs::path db = from.parent_path() / "input.db";
  fs::remove(db);
  fs::remove(fs::path(db.string() + "-wal"));
  fs::remove(fs::path(db.string() + "-shm"));
  fs::copy_file(from, db);
  {
    SQLite::Database raw(db.string(), SQLite::OPEN_READWRITE);
    SQLite::Statement last(raw, "SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1");
    FUZZ_CHECK(last.executeStep());
    store::JournalEntry e;
    e.id = last.getColumn(0).getInt64();
    e.prev_hash = last.getColumn(1).getString();
    last.reset();
    std::vector<std::string> entries = split_entries(text);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      ++e.id;
      e.at = "2026-11-28T10:00:00Z";
      e.user = "fuzz";
      e.command = "sqlite3";
      e.changes = entries[i];
      e.hash = store::journal_hash(e);
      if (break_hash && i + 1 == entries.size()) {
        e.hash[0] = e.hash[0] == '0' ? '1' : '0';
      }
      SQLite::Statement q(raw,
                          "INSERT INTO journal (id, at, user, command, changes, undoes, "
                          "prev_hash, hash) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)");
      q.bind(1, e.id);
      q.bind(2, e.at);
      q.bind(3, e.user);
      q.bind(4, e.command);
      q.bind(5, e.changes);
      q.bind(6, e.prev_hash);
      q.bind(7, e.hash);
      q.exec();
      e.prev_hash = e.hash;
    }
  }
  store::Store s(db);
  s.set_author({"fuzz", "casewatch undo", "2026-11-28T11:00:00Z"});
  // log: every entry read, its changes parsed within the limits or said unreadable.
  for (const store::JournalEntry& e : s.journal()) {
    auto changes = store::parse_changes(e.changes);
    if (changes) {
      FUZZ_CHECK(changes->is_array());
    } else {
      FUZZ_CHECK(!changes.error().empty());
    }
  }
  // log --verify: the chain holds unless the last hash was broken.
  store::JournalCheck check = s.verify_journal();
  FUZZ_CHECK(check.bad.has_value() == break_hash);
  // undo: reverts the newest entry, or refuses and changes nothing.
  std::string before = snapshot(db);
  try {
    auto tx = s.begin_write();
    if (s.undo_last()) {
      tx.commit();
    }
  } catch (const store::StorageError&) {
    FUZZ_CHECK(snapshot(db) == before);
  }
  return 0;
}
