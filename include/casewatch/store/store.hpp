// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/domain/bulletin.hpp"
#include "casewatch/domain/case.hpp"
#include "casewatch/domain/document.hpp"
#include "casewatch/domain/processing_time.hpp"
#include "casewatch/domain/rules.hpp"
#include "casewatch/store/change_log.hpp"
#include "casewatch/util/csv.hpp"

namespace SQLite {
class Database;
class Transaction;
}  // namespace SQLite

namespace casewatch::store {

namespace detail {
class Statements;  // the prepared statements a Store keeps (store.cpp)
}  // namespace detail

// The database could not be opened, read or written (exit code 1). Every failure of the
// store, SQLite's included, reaches the caller as this type (or a subclass), with a message
// that says what failed.
class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A write was refused because a case with the same receipt number is already stored
// (another process may have added it a moment ago). It is the user's input that conflicts:
// the cli maps it to exit code 2.
class Conflict : public StorageError {
 public:
  using StorageError::StorageError;
};

// A command may read at most this many rows from another SQLite file
// (read_processing_time_table), and at most this many bytes of their text.
inline constexpr std::size_t k_max_table_rows = 1'000'000;
inline constexpr std::size_t k_max_table_bytes = std::size_t{64} << 20U;  // 64 MiB

// The schema version this build writes (PRAGMA user_version).
inline constexpr int k_schema_version = 14;

// One entry of the journal: what one writing command changed (docs/cli.md, "The journal"). The
// table is append-only; each entry's hash covers its content and the hash of the entry
// before it, so that altering or removing an entry breaks the chain (verify_journal).
struct JournalEntry {
  std::int64_t id = 0;
  std::string at;       // UTC, "2026-11-28T09:14:03Z", as the caller's Author said
  std::string user;     // who ran the command
  std::string command;  // the command line, quoted for the shell
  // A JSON array of {"table", "op" (insert, update, delete), "key", "before", "after"}: whole
  // rows as column -> value objects (null when there is none), in the order applied.
  std::string changes;
  std::optional<std::int64_t> undoes;  // the entry this one reverted
  std::string prev_hash;               // "" for the first entry
  std::string hash;
};

// An entry's changes text handed out in pieces, in order: a reader calls its sink once per
// piece (an import of many cases journals them in one entry, which can be hundreds of
// megabytes, never whole in memory).
using PieceSink = std::function<void(std::string_view)>;
using ChangesReader = std::function<void(const PieceSink&)>;

// SHA-256 (hex) of an entry's id, at, user, command, changes, undoes and prev_hash.
std::string journal_hash(const JournalEntry& e);
// The same, of `e` with the changes `read` gives (e.changes is not read).
std::string journal_hash(const JournalEntry& e, const ChangesReader& read);

// What verify_journal found.
struct JournalCheck {
  std::size_t entries = 0;
  std::optional<std::int64_t> bad;  // the first entry that does not verify
  std::string why;                  // why it does not
  std::string last_hash;            // of the newest entry ("" when there is none)
};

// The chain of entries checked one at a time, in id order (flat memory): each entry's
// prev_hash is the hash of the one before it, and its hash that of its content.
class JournalChain {
 public:
  explicit JournalChain(std::string prev_hash = {});
  [[nodiscard]] bool broken() const { return m_check.bad.has_value(); }
  // Checks `e`, whose content hashes to what `content_hash` gives (journal_hash): false
  // when it breaks the chain (the entries after it are then not looked at).
  bool next(const JournalEntry& e, const std::function<std::string()>& content_hash);
  [[nodiscard]] JournalCheck result() const;

 private:
  JournalCheck m_check;
  std::string m_prev_hash;
  std::optional<std::int64_t> m_prev_id;
};

// Checks the chain of `entries` (in id order), starting after `prev_hash`.
JournalCheck verify_entries(const std::vector<JournalEntry>& entries, std::string prev_hash = {});

// Who writes, recorded in each journal entry. The store reads no clock: `at` is given.
struct Author {
  std::string user;
  std::string command;
  std::string at;
};

// The SQLite file that holds the user's cases, their events and the user's own
// processing-time rows (docs/cli.md, "The store").
//
// Opening creates the file when missing (mode 0600, missing directories 0700), sets WAL
// mode, a busy timeout and foreign keys, and migrates an older schema in one transaction
// after keeping a copy beside the file (<file>.schema<N>.bak). A file written by a newer
// casewatch is refused with StorageError and left untouched.
//
// When the file or its directory cannot be written (read-only, or the disk is full), the
// store opens read-only: reads work (without -wal/-shm files when the directory cannot be
// written), and begin_write() throws a StorageError that says why nothing can be written.
//
// Reads return whole tables in one query each, for one pass over the cases. A stored row
// that is not valid (a date that is no date or outside 1900-2199, an unknown status or
// event kind, an empty form) is skipped and described in `problems`, naming the case by
// its id only. Writes happen inside a WriteTransaction: nothing is written unless it is
// committed.
class Store {
 public:
  explicit Store(const std::filesystem::path& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

  // False when the store was opened read-only (see above).
  [[nodiscard]] bool writable() const { return m_readonly_reason.empty(); }

  // What the migrations run on opening changed in the data, to be told once (empty when
  // nothing): "2 RFE or NOID due dates read from ... were corrected".
  [[nodiscard]] const std::vector<std::string>& upgrade_notes() const { return m_upgrade_notes; }

  // Reads. A row that is not valid is skipped; what is wrong with it is appended to
  // `problems` when given.
  [[nodiscard]] std::vector<Case> all_cases(std::vector<std::string>* problems = nullptr);
  // One case, also when some of its values are not valid: those are left empty (an unknown
  // status reads as pending) and described in `problems`, so that `edit` can fix them.
  [[nodiscard]] std::optional<Case> find_case(CaseId id,
                                              std::vector<std::string>* problems = nullptr);
  [[nodiscard]] std::optional<Case> find_case_by_receipt(
      std::string_view receipt, std::vector<std::string>* problems = nullptr);
  [[nodiscard]] std::vector<Event> events_of(CaseId id,
                                             std::vector<std::string>* problems = nullptr);
  // Every event, ordered by case, date and order of recording.
  [[nodiscard]] std::vector<Event> all_events(std::vector<std::string>* problems = nullptr);
  // Visits every case (ordered by id) with its events (ordered by date, then id), reading
  // the cases and events tables in one ordered pass each, side by side: memory holds one
  // case at a time. Rows that are not valid are skipped and described in `problems`, as by
  // all_cases and all_events (the events of a skipped case are neither read nor described).
  // What `visit` throws passes through. With `woken_by`, only the cases whose wake date
  // (below) has come by that day, or that changed since their wake date was stored.
  void each_case(const std::function<void(Case&, std::vector<Event>&)>& visit,
                 std::vector<std::string>* problems = nullptr,
                 std::optional<Date> woken_by = std::nullopt);
  // The user's processing-time rows (`times set`), as rows with source "set".
  [[nodiscard]] std::vector<ProcessingTime> stored_times(
      std::vector<std::string>* problems = nullptr);

  // An IMMEDIATE transaction: it takes the write lock at once (waiting up to the busy
  // timeout), so a read-modify-write cannot interleave with another process.
  // Throws StorageError when the store is read-only, or the lock is not had in time.
  // Every change of a case, an event or a processing-time row made through the store's
  // writes inside it is collected; commit() appends them to the journal as one entry (none
  // when nothing changed), in the same transaction.
  class WriteTransaction {
   public:
    // Waits up to `wait_for_lock` seconds for another writer (the busy timeout).
    explicit WriteTransaction(Store& store, int wait_for_lock = k_lock_wait_seconds);
    WriteTransaction(WriteTransaction&&) noexcept;
    WriteTransaction& operator=(WriteTransaction&&) noexcept;
    ~WriteTransaction();  // rolls back unless committed
    void commit();

   private:
    Store* m_store = nullptr;
    std::unique_ptr<SQLite::Transaction> m_tx;
  };
  // How long a writer waits for another one to finish: every command writes in one short
  // transaction, so 5 seconds is ample.
  static constexpr int k_lock_wait_seconds = 5;
  // How long `check` waits: a check holds the write lock for its whole pass (so that a second
  // check started meanwhile sees what the first reported), and a first check of a large
  // database, or one whose --notify hooks are slow, takes longer than 5 seconds.
  static constexpr int k_check_lock_wait_seconds = 600;
  [[nodiscard]] WriteTransaction begin_write(int wait_for_lock = k_lock_wait_seconds);

  // Who the journal entries of the following writes name.
  void set_author(Author author) { m_author = std::move(author); }

  // Writes; call them inside a WriteTransaction. insert_case and update_case throw Conflict
  // when another case has the receipt number.
  CaseId insert_case(const Case& c);  // returns the new id
  void update_case(const Case& c);    // by c.id
  void delete_case(CaseId id);        // and its events (kept in the journal for undo)
  // Returns the new id; e.seq is the next number of the case unless given (an import).
  std::int64_t insert_event(const Event& e);
  void update_event(const Event& e);  // by e.id: kind, date, due, ref, office, note
  void delete_event(std::int64_t id);
  void set_status(CaseId id, Status status);
  void upsert_time(const ProcessingTime& row);  // replaces the row of the same key and source
  // Removes the user's own row (source "set") of the key; false when there is none.
  bool delete_time(const std::string& form, const std::string& category, const std::string& office);

  // Documents and trips (docs/rules.md, "Document windows"), journaled like cases. Reads
  // skip a row that is not valid and describe it in `problems`.
  [[nodiscard]] std::vector<Document> all_documents(std::vector<std::string>* problems = nullptr);
  [[nodiscard]] std::optional<Document> find_document(DocumentId id);
  DocumentId insert_document(const Document& d);  // returns the new id
  void update_document(const Document& d);        // by d.id
  void delete_document(DocumentId id);
  // Ordered by holder, then date left.
  [[nodiscard]] std::vector<Trip> all_trips(std::vector<std::string>* problems = nullptr);
  TripId insert_trip(const Trip& t);  // returns the new id
  bool delete_trip(TripId id);        // false when there is none
  // What `check` has reported of documents: keys with document_id set (case_id 0).
  [[nodiscard]] std::vector<FindingKey> reported_documents();
  void record_reported_documents(const std::vector<FindingKey>& keys, Date reported_on);

  // The journal, oldest first.
  [[nodiscard]] std::vector<JournalEntry> journal();
  // The journal, oldest first, one entry in memory at a time: `visit` gets an entry whose
  // `changes` is empty, and a reader that hands that entry's changes text to its sink in
  // pieces of at most 1 MiB, in order (an import of many cases journals them in one entry,
  // which can be hundreds of megabytes). For export.
  using PieceSink = store::PieceSink;
  using ChangesReader = store::ChangesReader;
  // `newest_first`: the newest entry first.
  void each_journal_entry(
      const std::function<void(const JournalEntry&, const ChangesReader&)>& visit,
      bool newest_first = false);
  // The chain checked one entry at a time (flat memory, whatever the journal's size).
  [[nodiscard]] JournalCheck verify_journal();
  // The last entry of another database's journal that an import copied into this one (its
  // {"table": "journal", "op": "copy"} change), or 0: the entries up to it name that
  // database's case ids. Read one entry at a time.
  [[nodiscard]] std::int64_t journal_copied_up_to();
  // Inside a WriteTransaction: reverts the newest entry that is neither undone nor an undo
  // (nor older than a journal copied by an import), and makes the commit journal this
  // change as undoing it. Returns that entry, or nothing when there is none. Throws
  // Conflict, saying why, when the journal does not verify or a row no longer is as the
  // entry left it.
  std::optional<JournalEntry> undo_last();
  // Per case and field (a column of `cases`), the journal entry that last changed its value.
  // An entry undone and the undo itself are left out (the change never happened), and so is
  // a journal copied by an import (it names another database's cases); inserting a case
  // changes none of its fields. What import --update reads to keep corrections (docs/cli.md,
  // "Spreadsheets in an office").
  struct FieldWrite {
    std::int64_t entry = 0;
    std::string at;
    std::string command;
  };
  [[nodiscard]] std::map<CaseId, std::map<std::string, FieldWrite>> last_field_writes();
  // Inside a WriteTransaction, into an empty journal only: appends entries of another
  // database's journal as they are (their chain checked first; Conflict when it breaks).
  // The commit's own entry notes the copy, and undo never goes back past it.
  void copy_journal(const std::vector<JournalEntry>& entries);
  // The same a piece at a time, for a journal too long to hold (its chain checked by the
  // caller, with JournalChain): begin_journal_copy (Conflict when this journal is not
  // empty; notes the copy of entries first..last), then copy_journal_entry for each entry.
  void begin_journal_copy(std::int64_t first, std::int64_t last);
  void copy_journal_entry(const JournalEntry& e);
  // The newest entry's id, or nothing when the journal is empty.
  [[nodiscard]] std::optional<std::int64_t> last_journal_entry();

  // The digest of the last status snapshot of case `id` read from `source` ("api",
  // "myuscis", "text"), if any: a new digest with no new status is a silent update.
  [[nodiscard]] std::optional<std::string> snapshot_fingerprint(CaseId id, std::string_view source);
  void record_snapshot(CaseId id, std::string_view source, std::string_view fingerprint,
                       Date observed);

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

  // The stored Visa Bulletin cells and USCIS's chart choices (docs/rules.md
  // `priority-date`); a row that is not valid is skipped and described in `problems`.
  [[nodiscard]] std::vector<BulletinRow> bulletin_rows(
      std::vector<std::string>* problems = nullptr);
  [[nodiscard]] std::vector<ChartChoice> chart_choices(
      std::vector<std::string>* problems = nullptr);
  // Stores cells or chart choices: one per key (month, chart, category, country) or month;
  // a stored one with another value is replaced, the same value is left unchanged.
  ImportCounts store_bulletin(const std::vector<BulletinRow>& rows);
  ImportCounts store_chart_choices(const std::vector<ChartChoice>& choices);

  // Whether `check` reported the notice `kind` ("times-stale") in `period` ("2026-11").
  [[nodiscard]] bool notice_reported(std::string_view kind, std::string_view period);
  void record_notice(std::string_view kind, std::string_view period, Date reported_on);

  // Network requests per service ("times", "uscis-api") and day: the Case Status API's
  // daily budget, and when processing times were last fetched. count_requests writes:
  // call it inside a WriteTransaction.
  [[nodiscard]] int requests_on(std::string_view service, Date day);
  void count_requests(std::string_view service, Date day, int requests);
  // The latest day with a request of `service`, if any.
  [[nodiscard]] std::optional<Date> last_fetch(std::string_view service);

  // The incremental daily check (migration 9, issue #14). After `check` evaluates a case it
  // stores the case's wake date (Evaluation::wake), its number of findings and the
  // publication date of the processing-time row it rested on. Any write to the case or its
  // events marks it for evaluation (SQLite triggers). The basis names what every wake date
  // rests on (rules, processing times, Visa Bulletin) and the day they were worked out on.
  struct Wake {
    CaseId case_id = 0;
    std::optional<Date> on;  // empty: the passing of time alone changes nothing
    std::size_t findings = 0;
    std::optional<Date> published;  // of the row a pending case rests on, if any
  };
  struct WakeBasis {
    std::string basis;
    Date as_of;
  };
  [[nodiscard]] std::optional<WakeBasis> wake_basis();
  // Inside a WriteTransaction: stores `wakes` (replacing those of the same cases) and the
  // basis. After a full pass, give every case evaluated.
  void store_wakes(const std::vector<Wake>& wakes, const WakeBasis& basis);
  // The cases whose wake date has not come by `as_of`: how many, their findings, and how
  // many rest on a processing-time row published before `stale_before`, with the oldest
  // such publication date.
  struct Resting {
    std::size_t cases = 0;
    std::size_t findings = 0;
    std::size_t stale_cases = 0;
    std::optional<Date> oldest_stale;
  };
  [[nodiscard]] Resting resting(Date as_of, Date stale_before);
  // The daily check's wake dates of documents (migration 14), as those of cases.
  struct DocumentWake {
    std::int64_t document_id = 0;
    std::optional<Date> on;  // empty: the passing of time alone changes nothing
    std::size_t findings = 0;
    bool now = false;  // '' (changed since, or never evaluated): evaluate at once
  };
  [[nodiscard]] std::vector<DocumentWake> document_wakes();
  // Inside a WriteTransaction: stores `wakes`, replacing those of the same documents.
  void store_document_wakes(const std::vector<DocumentWake>& wakes);

  // The identities of every finding `check` has reported; with `woken_by`, only those of
  // the cases each_case visits with it.
  [[nodiscard]] std::vector<FindingKey> reported(std::optional<Date> woken_by = std::nullopt);
  // Records findings as reported on `reported_on`; known ones and those of a case deleted
  // meanwhile are skipped.
  void record_reported(const std::vector<FindingKey>& keys, Date reported_on);

 private:
  void open();
  void open_read_only(const std::string& reason);
  int read_version();
  void check_schema(int version, const std::vector<std::string>& tables);
  void migrate();
  [[noreturn]] void conflict(const Case& c, const std::exception& cause);
  void write_journal_entry();
  void record(const std::string& change) { m_changes.add(change); }

  std::filesystem::path m_path;
  std::unique_ptr<SQLite::Database> m_db;
  // Statements prepared once and reused by the reads and writes that run per row; made
  // after opening (and migrating), destroyed before m_db closes.
  std::unique_ptr<detail::Statements> m_statements;
  std::string m_readonly_reason;  // empty when writable
  std::vector<std::string> m_upgrade_notes;
  Author m_author;
  // The changes of the open WriteTransaction, each a JSON object, and the entry it undoes.
  ChangeLog m_changes;
  std::optional<std::int64_t> m_undoes;
};

// Reads the table `processing_time` of another SQLite file (the community daily dataset),
// opened read-only and immutable, as records whose first is the header of column names.
// Throws StorageError naming the file when it is no regular file or no SQLite file, has no
// such table, or holds more than k_max_table_rows rows or k_max_table_bytes of text.
std::vector<csv::Record> read_processing_time_table(const std::filesystem::path& path);
// The same for the table `visa_bulletin` of the Visa Bulletin dataset's SQLite file.
std::vector<csv::Record> read_visa_bulletin_table(const std::filesystem::path& path);

}  // namespace casewatch::store
