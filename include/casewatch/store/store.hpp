// SPDX-License-Identifier: MIT
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/domain/case.hpp"
#include "casewatch/domain/processing_time.hpp"
#include "casewatch/domain/rules.hpp"

namespace casewatch::store {

// The database could not be opened, read or written (exit code 1).
class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The schema version this build writes (PRAGMA user_version).
inline constexpr int k_schema_version = 3;

// The SQLite file that holds the user's cases, their events and the user's own
// processing-time rows (SPEC.md §5).
//
// Opening creates the file when missing (mode 0600, missing directories 0700), sets WAL
// mode, a busy timeout and foreign keys, and migrates an older schema in one transaction
// after keeping a copy beside the file (<file>.schema<N>.bak). A file written by a newer
// casewatch is refused with StorageError and left untouched.
//
// Reads return whole tables in one query each, for one pass over the cases. Writes happen
// inside a WriteTransaction: nothing is written unless it is committed.
class Store {
 public:
  explicit Store(const std::filesystem::path& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

  // Reads.
  [[nodiscard]] std::vector<Case> all_cases();
  [[nodiscard]] std::optional<Case> find_case(CaseId id);
  [[nodiscard]] std::optional<Case> find_case_by_receipt(std::string_view receipt);
  [[nodiscard]] std::vector<Event> events_of(CaseId id);
  // Every event, ordered by case, date and order of recording.
  [[nodiscard]] std::vector<Event> all_events();
  // The user's processing-time rows (`times set`), as rows with source "set".
  [[nodiscard]] std::vector<ProcessingTime> stored_times();

  // An IMMEDIATE transaction: it takes the write lock at once (waiting up to the busy
  // timeout), so a read-modify-write cannot interleave with another process.
  class WriteTransaction {
   public:
    explicit WriteTransaction(SQLite::Database& db);
    void commit();

   private:
    SQLite::Transaction m_tx;
  };
  [[nodiscard]] WriteTransaction begin_write();

  // Writes; call them inside a WriteTransaction.
  CaseId insert_case(const Case& c);  // returns the new id
  void update_case(const Case& c);    // by c.id
  void delete_case(CaseId id);        // and its events
  std::int64_t insert_event(const Event& e);
  void set_status(CaseId id, Status status);
  void upsert_time(const ProcessingTime& row);  // replaces the row of the same key and source

  // What importing processing-time rows did.
  struct ImportCounts {
    std::size_t added = 0;
    std::size_t replaced = 0;
    std::size_t unchanged = 0;
  };
  // Stores imported rows (source "import:<file>"): per (form, category, office) one imported
  // row is kept, the one of the latest publication; a row whose publication is not newer
  // than the stored one leaves it unchanged, so importing a file again changes nothing.
  ImportCounts import_times(const std::vector<ProcessingTime>& rows);

  // The identities of every finding `check` has reported.
  [[nodiscard]] std::vector<FindingKey> reported();
  // Records findings as reported on `reported_on`; known ones and those of a case deleted
  // meanwhile are skipped.
  void record_reported(const std::vector<FindingKey>& keys, Date reported_on);

 private:
  void migrate();

  std::filesystem::path m_path;
  std::unique_ptr<SQLite::Database> m_db;
};

// Reads the table `processing_time` of another SQLite file (the community daily dataset),
// opened read-only, as records whose first is the header of column names. Throws
// StorageError naming the file when it is no SQLite file or has no such table.
std::vector<csv::Record> read_processing_time_table(const std::filesystem::path& path);

}  // namespace casewatch::store
