// SPDX-License-Identifier: MIT
#include "casewatch/store/store.hpp"
#include "casewatch/store/journal.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <random>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <regex>
#include <set>

#include "casewatch/domain/identifiers.hpp"
#include "casewatch/util/json_limits.hpp"
#include "casewatch/util/sha256.hpp"
#include "casewatch/util/text.hpp"

namespace casewatch::store {
namespace detail {

// The statements of the reads and writes that run once per row (an import of 100,000 cases
// runs each of them 100,000 times), prepared once and kept by their SQL text for the life of
// the connection. The store makes them only after opening, when the migrations have run;
// nothing changes the schema later (should another process do so, SQLite prepares a kept
// statement again by itself), and the store destroys them before it closes the connection.
class Statements {
  struct Kept {
    std::unique_ptr<SQLite::Statement> q;
    bool busy = false;
  };

 public:
  explicit Statements(SQLite::Database& db) : m_db(db) {}

  // A statement taken for one use: reset and with no bindings when taken, reset again when
  // let go, so that no statement holds a read transaction open between two calls. Should
  // the same SQL be in use already (a nested call), it is prepared afresh for this use.
  class Use {
   public:
    Use(Statements& statements, std::string_view sql) {
      auto [it, added] = statements.m_kept.try_emplace(std::string(sql));
      Kept& kept = it->second;
      if (kept.busy) {
        m_own = std::make_unique<SQLite::Statement>(statements.m_db, std::string(sql));
        m_q = m_own.get();
        return;
      }
      if (!kept.q) {
        kept.q = std::make_unique<SQLite::Statement>(statements.m_db, std::string(sql));
      } else {
        kept.q->reset();
        kept.q->clearBindings();
      }
      kept.busy = true;
      m_kept = &kept;
      m_q = kept.q.get();
    }
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
    ~Use() {
      if (m_kept != nullptr) {
        m_kept->q->tryReset();
        m_kept->busy = false;
      }
    }
    SQLite::Statement& operator*() const { return *m_q; }
    SQLite::Statement* operator->() const { return m_q; }

   private:
    Kept* m_kept = nullptr;
    std::unique_ptr<SQLite::Statement> m_own;
    SQLite::Statement* m_q = nullptr;
  };

 private:
  SQLite::Database& m_db;
  std::unordered_map<std::string, Kept> m_kept;
};

}  // namespace detail

namespace {

using Statements = detail::Statements;

constexpr int k_busy_timeout_ms = Store::k_lock_wait_seconds * 1000;
// How long opening keeps retrying when another process holds a lock that SQLite's busy
// handler does not wait for (WAL recovery, the change to WAL mode, the first migration).
constexpr auto k_open_retry_for = std::chrono::seconds(15);
// How long reading another SQLite file's table may take.
constexpr auto k_table_read_limit = std::chrono::seconds(60);
// The largest single value read from another SQLite file's table: a real cell is a few
// bytes. Set as the connection's length limit, so that SQLite refuses a larger value before
// it makes it (a view of randomblob() would otherwise allocate gigabytes a column).
constexpr int k_max_table_value_bytes = 1 << 20;

constexpr std::string_view k_read_only =
    "the file (or its directory) is read-only; make both writable by you (chmod u+w), or give "
    "--db the path of a writable copy. Commands that only read still work";
constexpr std::string_view k_disk_full =
    "the disk is full; free some space and run the command again. Commands that only read "
    "still work";

// Migration N brings the schema from version N-1 to N. Append only; never edit one that
// has shipped.
constexpr std::array<std::string_view, k_schema_version> k_migrations = {
    // 1: cases and their timeline.
    R"sql(
CREATE TABLE cases (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  receipt       TEXT UNIQUE,
  form          TEXT NOT NULL,
  category      TEXT,
  office        TEXT,
  received      TEXT,
  sent          TEXT,
  priority_date TEXT,
  premium_start TEXT,
  label         TEXT,
  note          TEXT,
  status        TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending','approved','denied','withdrawn','closed')),
  CHECK (receipt IS NOT NULL OR sent IS NOT NULL)
);
CREATE TABLE events (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  kind    TEXT NOT NULL,
  date    TEXT NOT NULL,
  due     TEXT,
  ref     TEXT,
  office  TEXT,
  note    TEXT
);
CREATE INDEX events_by_case ON events(case_id, date, id);
)sql",
    // 2: the user's own processing-time rows.
    R"sql(
CREATE TABLE processing_times (
  form         TEXT NOT NULL,
  category     TEXT NOT NULL DEFAULT '',
  office       TEXT NOT NULL DEFAULT '',
  halves       INTEGER NOT NULL CHECK (halves > 0),
  unit         TEXT NOT NULL CHECK (unit IN ('months','weeks')),
  published    TEXT NOT NULL,
  inquiry_date TEXT,
  source       TEXT NOT NULL,
  PRIMARY KEY (form, category, office, source)
);
)sql",
    // 3: what `check` has reported: a finding's identity is (case, rule, since, stage).
    R"sql(
CREATE TABLE reported (
  case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  rule        TEXT NOT NULL,
  since       TEXT NOT NULL,
  stage       TEXT NOT NULL,
  reported_on TEXT NOT NULL,
  PRIMARY KEY (case_id, rule, since, stage)
) WITHOUT ROWID;
)sql",
    // 4: report notices `check` has reported (docs/rules.md `times-stale`: once a calendar month).
    R"sql(
CREATE TABLE notices_reported (
  kind        TEXT NOT NULL,
  period      TEXT NOT NULL,
  reported_on TEXT NOT NULL,
  PRIMARY KEY (kind, period)
) WITHOUT ROWID;
)sql",
    // 5: event numbers per case, and the journal of every change (issue #10).
    R"sql(
ALTER TABLE events ADD COLUMN seq INTEGER;
UPDATE events SET seq = (SELECT count(*) FROM events AS e
                         WHERE e.case_id = events.case_id AND e.id <= events.id);
CREATE UNIQUE INDEX events_seq ON events(case_id, seq);
CREATE TABLE event_seq (
  case_id INTEGER PRIMARY KEY,
  last    INTEGER NOT NULL
);
INSERT INTO event_seq (case_id, last) SELECT case_id, max(seq) FROM events GROUP BY case_id;
CREATE TABLE journal (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  user      TEXT NOT NULL,
  command   TEXT NOT NULL,
  changes   TEXT NOT NULL,
  undoes    INTEGER,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE TRIGGER journal_append_only_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_append_only_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
)sql",
    // 6: USCIS's status words. An
    // imported event records where it came from, when the status was seen and USCIS's title;
    // the last snapshot of each case and source tells a silent update from no change.
    R"sql(
ALTER TABLE events ADD COLUMN source TEXT;
ALTER TABLE events ADD COLUMN observed TEXT;
ALTER TABLE events ADD COLUMN title TEXT;
CREATE TABLE status_snapshots (
  case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  source      TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  observed    TEXT NOT NULL,
  PRIMARY KEY (case_id, source)
) WITHOUT ROWID;
)sql",
    // 7: network requests per
    // service and day. "times": when processing times were last fetched (check
    // --fetch-times); "uscis-api": the Case Status API's daily budget, by UTC day.
    R"sql(
CREATE TABLE fetches (
  service  TEXT NOT NULL,
  day      TEXT NOT NULL,
  requests INTEGER NOT NULL DEFAULT 0 CHECK (requests >= 0),
  PRIMARY KEY (service, day)
) WITHOUT ROWID;
)sql",
    // 8: the
    // Visa Bulletin's cells, USCIS's chart choice by month, and a case's preference,
    // chargeability and path (docs/rules.md `priority-date`).
    R"sql(
CREATE TABLE bulletin (
  month    TEXT NOT NULL,
  chart    TEXT NOT NULL CHECK (chart IN ('final_action','dates_for_filing')),
  category TEXT NOT NULL,
  country  TEXT NOT NULL,
  status   TEXT NOT NULL CHECK (status IN ('date','current','unavailable')),
  date     TEXT,
  source   TEXT NOT NULL,
  PRIMARY KEY (month, chart, category, country)
) WITHOUT ROWID;
CREATE TABLE uscis_chart (
  month      TEXT PRIMARY KEY,
  family     TEXT NOT NULL CHECK (family IN ('final_action','dates_for_filing')),
  employment TEXT NOT NULL CHECK (employment IN ('final_action','dates_for_filing')),
  source     TEXT NOT NULL
) WITHOUT ROWID;
ALTER TABLE cases ADD COLUMN preference TEXT;
ALTER TABLE cases ADD COLUMN chargeability TEXT;
ALTER TABLE cases ADD COLUMN path TEXT;
)sql",
    // 9: the incremental
    // daily check (issue #14). Per case: the date on which its evaluation can next change
    // ('' when it must be evaluated at once, NULL when time alone changes nothing), the
    // number of findings it had and the publication date of the processing-time row it
    // rested on. Every write to a case or its events marks the case ''; `wake_basis` holds
    // what all wake dates rest on (rules, processing times, Visa Bulletin) and their date.
    R"sql(
CREATE TABLE wake (
  case_id   INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
  wake_on   TEXT,
  findings  INTEGER NOT NULL DEFAULT 0,
  published TEXT
);
CREATE INDEX wake_by_date ON wake(wake_on, published, findings);
INSERT INTO wake (case_id, wake_on) SELECT id, '' FROM cases;
CREATE TABLE wake_basis (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  basis TEXT NOT NULL,
  as_of TEXT NOT NULL
);
CREATE TRIGGER wake_case_insert AFTER INSERT ON cases
BEGIN INSERT OR REPLACE INTO wake (case_id, wake_on) VALUES (NEW.id, ''); END;
CREATE TRIGGER wake_case_update AFTER UPDATE ON cases
BEGIN UPDATE wake SET wake_on = '' WHERE case_id = NEW.id; END;
CREATE TRIGGER wake_event_insert AFTER INSERT ON events
BEGIN UPDATE wake SET wake_on = '' WHERE case_id = NEW.case_id; END;
CREATE TRIGGER wake_event_update AFTER UPDATE ON events
BEGIN UPDATE wake SET wake_on = '' WHERE case_id IN (OLD.case_id, NEW.case_id); END;
CREATE TRIGGER wake_event_delete AFTER DELETE ON events
BEGIN UPDATE wake SET wake_on = '' WHERE case_id = OLD.case_id; END;
)sql",
    // 10: an RFE or NOID read from USCIS's status took as its due date the date of the
    // sentence "If you do not receive your ... by D, ... request a copy", the day from which
    // one may ask for a copy of the notice (about 30 days after it), not a response date
    // (docs/rules.md, "USCIS's status words"). Such a due date is removed: the response due
    // date is then the assumed one, marked so. One statement: its count of changed rows is
    // what the user is told.
    R"sql(
UPDATE events SET due = NULL
 WHERE kind IN ('rfe', 'noid') AND source IS NOT NULL AND due IS NOT NULL
   AND julianday(due) - julianday(date) BETWEEN 0 AND 45;
)sql",
    // 11: documents a person holds and trips abroad (docs/rules.md, "Document windows"); a
    // case names its holder, and an N-400 its marriage track. `renewed_by` names a case
    // (no foreign key: removing the case leaves the document as it was, journaled).
    R"sql(
ALTER TABLE cases ADD COLUMN holder TEXT;
ALTER TABLE cases ADD COLUMN marriage_track INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN married TEXT;
ALTER TABLE cases ADD COLUMN spouse_citizen_since TEXT;
CREATE TABLE documents (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  kind       TEXT NOT NULL,
  since      TEXT,
  expires    TEXT,
  category   TEXT,
  holder     TEXT,
  renewed_by INTEGER,
  note       TEXT,
  recorded   TEXT NOT NULL
);
CREATE TABLE reported_documents (
  document_id INTEGER NOT NULL,
  rule        TEXT NOT NULL,
  since       TEXT NOT NULL,
  stage       TEXT NOT NULL,
  reported_on TEXT NOT NULL,
  PRIMARY KEY (document_id, rule, since, stage)
) WITHOUT ROWID;
CREATE TABLE trips (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  holder      TEXT NOT NULL,
  left_on     TEXT NOT NULL,
  returned_on TEXT
);
)sql",
    // 12: the consular stage and expedite requests (docs/rules.md): an expedite's bases
    // (comma-separated), channel and need-by date; a visa's class; the expedite an evidence
    // event supports (its seq); a 221(g) in administrative processing; a derivative's
    // principal case.
    R"sql(
ALTER TABLE events ADD COLUMN basis TEXT;
ALTER TABLE events ADD COLUMN channel TEXT;
ALTER TABLE events ADD COLUMN need_by TEXT;
ALTER TABLE events ADD COLUMN class TEXT;
ALTER TABLE events ADD COLUMN for_seq INTEGER;
ALTER TABLE events ADD COLUMN admin INTEGER;
ALTER TABLE cases ADD COLUMN derivative_of INTEGER;
)sql",
    // 13: a form casewatch does not know that the user confirmed (docs/rules.md
    // `form-unknown`): the case then keeps the 6-month rule.
    R"sql(
ALTER TABLE cases ADD COLUMN form_confirmed INTEGER NOT NULL DEFAULT 0;
)sql",
    // 14: the daily check's wake dates of documents (docs/cli.md "check"), as migration 9's
    // of cases: the date on which a document's evaluation can next change ('' at once, NULL
    // when time alone changes nothing) and how many findings it had. A document's rules read
    // its holder's cases and their events: a write to one of them marks the holder's
    // documents, and those the case renews, ''. A change to a document or a trip changes
    // the check's basis, and the next check reads everything.
    R"sql(
CREATE TABLE document_wake (
  document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  wake_on     TEXT,
  findings    INTEGER NOT NULL DEFAULT 0
);
INSERT INTO document_wake (document_id, wake_on) SELECT id, '' FROM documents;
CREATE TRIGGER document_wake_insert AFTER INSERT ON documents
BEGIN INSERT OR REPLACE INTO document_wake (document_id, wake_on) VALUES (NEW.id, ''); END;
CREATE TRIGGER document_wake_update AFTER UPDATE ON documents
BEGIN UPDATE document_wake SET wake_on = '' WHERE document_id = NEW.id; END;
CREATE TRIGGER document_wake_case_insert AFTER INSERT ON cases
BEGIN UPDATE document_wake SET wake_on = '' WHERE document_id IN
  (SELECT id FROM documents WHERE holder = NEW.holder OR renewed_by = NEW.id); END;
CREATE TRIGGER document_wake_case_update AFTER UPDATE ON cases
BEGIN UPDATE document_wake SET wake_on = '' WHERE document_id IN
  (SELECT id FROM documents WHERE holder IN (OLD.holder, NEW.holder)
   OR renewed_by IN (OLD.id, NEW.id)); END;
CREATE TRIGGER document_wake_case_delete AFTER DELETE ON cases
BEGIN UPDATE document_wake SET wake_on = '' WHERE document_id IN
  (SELECT id FROM documents WHERE holder = OLD.holder OR renewed_by = OLD.id); END;
CREATE TRIGGER document_wake_event_insert AFTER INSERT ON events
BEGIN UPDATE document_wake SET wake_on = '' WHERE document_id IN
  (SELECT d.id FROM documents d JOIN cases c ON c.id = NEW.case_id
   WHERE d.holder = c.holder OR d.renewed_by = c.id); END;
CREATE TRIGGER document_wake_event_update AFTER UPDATE ON events
BEGIN UPDATE document_wake SET wake_on = '' WHERE document_id IN
  (SELECT d.id FROM documents d JOIN cases c ON c.id IN (OLD.case_id, NEW.case_id)
   WHERE d.holder = c.holder OR d.renewed_by = c.id); END;
CREATE TRIGGER document_wake_event_delete AFTER DELETE ON events
BEGIN UPDATE document_wake SET wake_on = '' WHERE document_id IN
  (SELECT d.id FROM documents d JOIN cases c ON c.id = OLD.case_id
   WHERE d.holder = c.holder OR d.renewed_by = c.id); END;
)sql",
};

// The journal's append-only triggers (migration 5), recreated when found dropped.
constexpr std::array<std::pair<std::string_view, std::string_view>, 2> k_journal_triggers = {{
    {"journal_append_only_update",
     "CREATE TRIGGER IF NOT EXISTS journal_append_only_update BEFORE UPDATE ON journal\n"
     "BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"},
    {"journal_append_only_delete",
     "CREATE TRIGGER IF NOT EXISTS journal_append_only_delete BEFORE DELETE ON journal\n"
     "BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"},
}};

// Why a SQLite call failed, in the terms a user can act on.
enum class Cause { disk_full, read_only, busy, not_a_database, other };

Cause cause_of(const SQLite::Exception& e, sqlite3* db) {
  switch (e.getErrorCode() & 0xff) {
    case SQLITE_FULL:
      return Cause::disk_full;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return Cause::read_only;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Cause::busy;
    case SQLITE_NOTADB:
      return Cause::not_a_database;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN: {
      int sys = db == nullptr ? 0 : sqlite3_system_errno(db);
      if (sys == ENOSPC || sys == EDQUOT) {
        return Cause::disk_full;
      }
      if (sys == EROFS || sys == EACCES || sys == EPERM) {
        return Cause::read_only;
      }
      return Cause::other;
    }
    default:
      return Cause::other;
  }
}

std::string describe(const SQLite::Exception& e, sqlite3* db) {
  switch (cause_of(e, db)) {
    case Cause::disk_full:
      return std::string(k_disk_full);
    case Cause::read_only:
      return std::string(k_read_only);
    case Cause::busy:
      return fmt::format(
          "another casewatch has held the database for more than {} seconds; run the command "
          "again",
          k_busy_timeout_ms / 1000);
    case Cause::not_a_database:
      return "it is not a SQLite database (or it is damaged); give --db the path of a casewatch "
             "database. The file was not changed";
    case Cause::other:
      break;
  }
  return e.what();
}

// Runs `f`, turning SQLite's exceptions into a StorageError that starts with `what`.
template <typename F>
auto guarded(SQLite::Database* db, const std::string& what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const SQLite::Exception& e) {
    throw StorageError(
        fmt::format("{}: {}", what, describe(e, db == nullptr ? nullptr : db->getHandle())));
  }
}

constexpr std::string_view k_case_columns =
    "id, receipt, form, category, office, received, sent, priority_date, premium_start, "
    "label, note, status, preference, chargeability, path, holder, marriage_track, married, "
    "spouse_citizen_since, derivative_of, form_confirmed";
constexpr std::string_view k_event_columns =
    "id, case_id, kind, date, due, ref, office, note, seq, source, observed, title, basis, "
    "channel, need_by, class, for_seq, admin";

std::optional<std::string> owned(std::optional<std::string_view> v) {
  return v ? std::optional<std::string>(std::string(*v)) : std::nullopt;
}

// The current row of a statement, for read_case and read_event: a column's text is a view
// into SQLite's own copy (valid until the next step), and NULL is no text.
class StatementRow {
 public:
  explicit StatementRow(SQLite::Statement& q) : m_q(q) {}
  [[nodiscard]] std::int64_t int64(int i) const { return m_q.getColumn(i).getInt64(); }
  [[nodiscard]] std::optional<std::string_view> text(int i) const {
    SQLite::Column col = m_q.getColumn(i);
    if (col.isNull()) {
      return std::nullopt;
    }
    const char* p = col.getText();
    return std::string_view(p, static_cast<std::size_t>(col.getBytes()));
  }

 private:
  SQLite::Statement& m_q;
};

// A query that visits every row of a table (each_case), stepped through SQLite's C
// interface: reading a column makes no object and no copy. Errors are SQLite::Exception,
// as SQLiteCpp throws them.
class RowQuery {
 public:
  RowQuery(SQLite::Database& db, const std::string& sql) : m_db(db.getHandle()) {
    int rc = sqlite3_prepare_v2(m_db, sql.c_str(), static_cast<int>(sql.size()), &m_stmt, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(m_stmt);
      throw SQLite::Exception(m_db, rc);
    }
  }
  ~RowQuery() { sqlite3_finalize(m_stmt); }
  RowQuery(const RowQuery&) = delete;
  RowQuery& operator=(const RowQuery&) = delete;

  void bind(const char* name, const std::string& value) {
    int rc = sqlite3_bind_text(m_stmt, sqlite3_bind_parameter_index(m_stmt, name), value.data(),
                               static_cast<int>(value.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) {
      throw SQLite::Exception(m_db, rc);
    }
  }
  // The next row; false after the last.
  bool step() {
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
      return true;
    }
    if (rc == SQLITE_DONE) {
      return false;
    }
    throw SQLite::Exception(m_db, rc);
  }
  [[nodiscard]] std::int64_t int64(int i) const { return sqlite3_column_int64(m_stmt, i); }
  [[nodiscard]] std::optional<std::string_view> text(int i) const {
    const unsigned char* p = sqlite3_column_text(m_stmt, i);
    if (p == nullptr) {
      if (sqlite3_errcode(m_db) == SQLITE_NOMEM) {
        throw SQLite::Exception(m_db, SQLITE_NOMEM);
      }
      return std::nullopt;  // NULL
    }
    return std::string_view(reinterpret_cast<const char*>(p),
                            static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, i)));
  }

 private:
  sqlite3* m_db;
  sqlite3_stmt* m_stmt = nullptr;
};

// A stored date: a real date from 1900-01-01 to 2199-12-31.
std::optional<Date> valid_date(std::string_view text) {
  auto parsed = parse_iso_date(text);
  if (!parsed || !in_year_range(*parsed)) {
    return std::nullopt;
  }
  return parsed;
}

// What is wrong with the values of one row, collected while it is read.
class RowCheck {
 public:
  // A date column; NULL is no date. A value that is no valid date is recorded and read as
  // no date.
  std::optional<Date> date(std::optional<std::string_view> raw, std::string_view what,
                           std::string_view option) {
    if (!raw) {
      return std::nullopt;
    }
    if (auto d = valid_date(*raw)) {
      return d;
    }
    fault(fmt::format("its {} {} is not a date from {}-01-01 to {}-12-31", what, text::quoted(*raw),
                      k_first_year, k_last_year),
          option.empty() ? std::string() : fmt::format("{} DATE", option));
    return std::nullopt;
  }
  std::optional<Date> date(const SQLite::Column& col, std::string_view what,
                           std::string_view option) {
    if (col.isNull()) {
      return std::nullopt;
    }
    std::string raw = col.getString();
    return date(std::optional<std::string_view>(raw), what, option);
  }
  void fault(std::string what, std::string fix) {
    if (m_what.empty()) {
      m_what = std::move(what);
      m_fix = std::move(fix);
    } else {
      m_what += "; " + what;
      if (m_fix.empty() || fix.empty()) {
        m_fix += fix;
      } else {
        m_fix += " " + fix;
      }
    }
  }
  [[nodiscard]] bool ok() const { return m_what.empty(); }
  [[nodiscard]] const std::string& what() const { return m_what; }
  [[nodiscard]] const std::string& fix() const { return m_fix; }

 private:
  std::string m_what;
  std::string m_fix;  // the options of `casewatch edit` that repair it
};

void report(std::vector<std::string>* problems, std::string message) {
  if (problems != nullptr) {
    problems->push_back(std::move(message));
  }
}

// Reads a case from a StatementRow or a RowQuery; the values that are not valid are left
// empty and described in `check`.
template <typename Row>
Case read_case(const Row& q, RowCheck& check) {
  Case c;
  c.id = q.int64(0);
  c.receipt = owned(q.text(1));
  c.form = q.text(2).value_or("");
  if (c.form.empty() || !normalize_form(c.form)) {
    check.fault(fmt::format("its form {} is not a USCIS form", text::quoted(c.form)),
                "--form FORM");
  }
  c.category = owned(q.text(3));
  c.office = owned(q.text(4));
  c.received = check.date(q.text(5), "received date", "--received");
  c.sent = check.date(q.text(6), "sent date", "--sent");
  c.priority_date = check.date(q.text(7), "priority date", "--priority-date");
  c.premium_start = check.date(q.text(8), "premium processing date", "--premium");
  c.label = owned(q.text(9));
  c.note = owned(q.text(10));
  std::string status_text(q.text(11).value_or(""));
  auto status = parse_status(status_text);
  if (!status) {
    check.fault(fmt::format("its status {} is not a status", text::quoted(status_text)),
                "--status pending");
  }
  c.status = status ? *status : Status::pending;
  if (auto pref = owned(q.text(12))) {
    auto parsed = parse_preference(*pref);
    if (parsed) {
      c.preference = *parsed;
    } else {
      check.fault(fmt::format("its preference {} is not a category", text::quoted(*pref)),
                  "--preference CATEGORY");
    }
  }
  c.chargeability = owned(q.text(13));
  if (c.chargeability && chargeability_problem(*c.chargeability)) {
    check.fault(
        fmt::format("its chargeability {} is not a country", text::quoted(*c.chargeability)),
        "--chargeability COUNTRY");
    c.chargeability.reset();
  }
  if (auto path = owned(q.text(14))) {
    auto parsed = parse_visa_path(*path);
    if (parsed) {
      c.path = *parsed;
    } else {
      check.fault(fmt::format("its path {} is not a path", text::quoted(*path)),
                  "--path adjustment");
    }
  }
  c.holder = owned(q.text(15));
  c.marriage_track = q.int64(16) != 0;
  c.married = check.date(q.text(17), "marriage date", "--married");
  c.spouse_citizen_since =
      check.date(q.text(18), "spouse's citizenship date", "--spouse-citizen-since");
  if (q.text(19)) {
    c.derivative_of = q.int64(19);
  }
  c.form_confirmed = q.int64(20) != 0;
  return c;
}

std::string case_problem(CaseId id, const RowCheck& check, bool skipped) {
  std::string fix = check.fix().empty()
                        ? std::string()
                        : fmt::format("; fix it with 'casewatch edit {} {}'", id, check.fix());
  return fmt::format("case #{}{}: {}{}", id, skipped ? " skipped" : "", check.what(), fix);
}

// Reads an event, or nothing (and a problem) when one of its values is not valid.
template <typename Row>
std::optional<Event> read_event(const Row& q, std::vector<std::string>* problems) {
  Event e;
  RowCheck check;
  e.id = q.int64(0);
  e.case_id = q.int64(1);
  std::string_view kind_text = q.text(2).value_or("");
  auto kind = parse_event_kind(kind_text);
  if (kind) {
    e.kind = *kind;
  } else {
    check.fault(fmt::format("its kind {} is not an event kind", text::quoted(kind_text)), "");
  }
  auto d = check.date(q.text(3), "date", "");
  if (d) {
    e.date = *d;
  } else if (check.ok()) {
    check.fault("it has no date", "");
  }
  e.due = check.date(q.text(4), "due date", "");
  e.ref = owned(q.text(5));
  e.office = owned(q.text(6));
  e.note = owned(q.text(7));
  e.seq = q.int64(8);  // NULL reads as 0
  e.source = owned(q.text(9));
  if (e.source && *e.source != "api" && *e.source != "myuscis" && *e.source != "text") {
    check.fault(fmt::format("its source {} is not api, myuscis or text", text::quoted(*e.source)),
                "");
  }
  e.observed = check.date(q.text(10), "observed date", "");
  e.title = owned(q.text(11));
  if (auto basis = q.text(12)) {
    std::string_view rest = *basis;
    while (!rest.empty()) {
      std::size_t comma = std::min(rest.find(','), rest.size());
      if (comma > 0) {
        e.basis.emplace_back(rest.substr(0, comma));
      }
      rest.remove_prefix(std::min(comma + 1, rest.size()));
    }
  }
  e.channel = owned(q.text(13));
  e.need_by = check.date(q.text(14), "need-by date", "");
  e.visa_class = owned(q.text(15));
  if (q.text(16)) {
    e.for_seq = q.int64(16);
  }
  e.admin = q.int64(17) != 0;
  if (!check.ok()) {
    report(problems,
           fmt::format("event #{} of case #{} skipped: {}", e.id, e.case_id, check.what()));
    return std::nullopt;
  }
  return e;
}

template <typename T>
void bind_optional(SQLite::Statement& q, const char* name, const std::optional<T>& v) {
  if (!v) {
    q.bind(name);  // NULL
  } else if constexpr (std::is_same_v<T, Date>) {
    q.bind(name, format_date(*v));
  } else {
    q.bind(name, *v);
  }
}

void bind_case(SQLite::Statement& q, const Case& c) {
  bind_optional(q, ":receipt", c.receipt);
  q.bind(":form", c.form);
  bind_optional(q, ":category", c.category);
  bind_optional(q, ":office", c.office);
  bind_optional(q, ":received", c.received);
  bind_optional(q, ":sent", c.sent);
  bind_optional(q, ":priority_date", c.priority_date);
  bind_optional(q, ":premium_start", c.premium_start);
  bind_optional(q, ":label", c.label);
  bind_optional(q, ":note", c.note);
  q.bind(":status", std::string(to_string(c.status)));
  bind_optional(q, ":preference", c.preference);
  bind_optional(q, ":chargeability", c.chargeability);
  if (c.path) {
    q.bind(":path", std::string(to_string(*c.path)));
  } else {
    q.bind(":path");
  }
  bind_optional(q, ":holder", c.holder);
  q.bind(":marriage_track", c.marriage_track ? 1 : 0);
  bind_optional(q, ":married", c.married);
  bind_optional(q, ":spouse_citizen_since", c.spouse_citizen_since);
  bind_optional(q, ":derivative_of", c.derivative_of);
  q.bind(":form_confirmed", c.form_confirmed ? 1 : 0);
}

// The columns of migration 11 of an event.
void bind_event_details(SQLite::Statement& q, const Event& e) {
  if (e.basis.empty()) {
    q.bind(":basis");
  } else {
    q.bind(":basis", fmt::format("{}", fmt::join(e.basis, ",")));
  }
  bind_optional(q, ":channel", e.channel);
  bind_optional(q, ":need_by", e.need_by);
  bind_optional(q, ":class", e.visa_class);
  bind_optional(q, ":for_seq", e.for_seq);
  if (e.admin) {
    q.bind(":admin", 1);
  } else {
    q.bind(":admin");
  }
}

// Creates the directories and the empty file, private to the user, when they are missing.
void create_private_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    return;
  }
  std::filesystem::path dir = path.parent_path();
  if (!dir.empty() && !std::filesystem::exists(dir, ec)) {
    std::vector<std::filesystem::path> missing;
    for (auto p = dir; !p.empty() && !std::filesystem::exists(p, ec); p = p.parent_path()) {
      missing.push_back(p);
      if (p == p.parent_path()) {
        break;
      }
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
      if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST) {
        throw StorageError(
            fmt::format("cannot create directory {}: {}", it->string(), std::strerror(errno)));
      }
    }
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST) {
    throw StorageError(fmt::format("cannot create {}: {}", path.string(), std::strerror(errno)));
  }
  if (fd >= 0) {
    ::close(fd);
  }
}

// True when this process may write the file and create files beside it (-wal, -shm).
bool can_write(const std::filesystem::path& path) {
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) {
    dir = ".";
  }
  return ::access(path.c_str(), W_OK) == 0 && ::access(dir.c_str(), W_OK) == 0;
}

// A -wal or -shm left behind without write permission (after the database was read-only
// for a while) makes every write fail although the file is writable again. They are the
// user's own files beside the user's database: make them writable again.
void repair_leftover_permissions(const std::filesystem::path& path) {
  for (const char* suffix : {"-wal", "-shm"}) {
    std::string side = path.string() + suffix;
    struct stat st {};
    if (::stat(side.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid() &&
        (st.st_mode & 0600) != 0600) {
      ::chmod(side.c_str(), 0600);
    }
  }
}

// A file: URI for `path` with the query `query`; the path is percent-encoded.
std::string file_uri(const std::filesystem::path& path, std::string_view query) {
  std::string abs = std::filesystem::absolute(path).lexically_normal().string();
  std::string out = "file:";
  for (char c : abs) {
    auto ch = static_cast<unsigned char>(c);
    if (std::isalnum(ch) != 0 ||
        std::string_view("/-._~").find(static_cast<char>(ch)) != std::string_view::npos) {
      out += static_cast<char>(ch);
    } else {
      out += fmt::format("%{:02X}", ch);
    }
  }
  out += '?';
  out += query;
  return out;
}

// Creates `path` empty and private (0600) for VACUUM INTO, which would create it under the
// process umask (0644: readable by everyone) and fills an existing empty file as it is.
void create_private_backup(const std::filesystem::path& path) {
  ::unlink(path.c_str());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    throw StorageError(
        fmt::format("cannot create the backup {}: {}", path.string(), std::strerror(errno)));
  }
  ::fchmod(fd, 0600);  // whatever the umask
  ::close(fd);
}

using json = nlohmann::json;

// The journal's rows and changes as text: compact, keys sorted, invalid UTF-8 replaced, so
// that parsing and dumping again gives the same text (and the same hash).
std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The columns that identify a row of each table the journal records.
const std::vector<std::string>& key_columns(std::string_view table) {
  static const std::map<std::string, std::vector<std::string>, std::less<>> keys = {
      {"cases", {"id"}},
      {"events", {"id"}},
      {"processing_times", {"form", "category", "office", "source"}},
      {"documents", {"id"}},
      {"trips", {"id"}},
      {"reported", {"case_id", "rule", "since", "stage"}},
      {"status_snapshots", {"case_id", "source"}},
      {"bulletin", {"month", "chart", "category", "country"}},
      {"uscis_chart", {"month"}},
  };
  auto it = keys.find(table);
  if (it == keys.end()) {
    throw StorageError(
        fmt::format("the journal names a table {} casewatch does not record", text::quoted(table)));
  }
  return it->second;
}

// A column name from the journal, before it goes into SQL.
const std::string& column_name(const std::string& name) {
  if (name.empty() || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos) {
    throw StorageError(
        fmt::format("the journal names a column {} that is not one", text::quoted(name)));
  }
  return name;
}

void bind_json(SQLite::Statement& q, int index, const json& v) {
  if (v.is_null()) {
    q.bind(index);
  } else if (v.is_number_integer()) {
    q.bind(index, v.get<std::int64_t>());
  } else if (v.is_number()) {
    q.bind(index, v.get<double>());
  } else if (v.is_string()) {
    q.bind(index, v.get<std::string>());
  } else {
    q.bind(index, dump(v));
  }
}

json column_json(const SQLite::Column& col) {
  switch (col.getType()) {
    case SQLITE_NULL:
      return nullptr;
    case SQLITE_INTEGER:
      return col.getInt64();
    case SQLITE_FLOAT:
      return col.getDouble();
    default:
      return col.getString();
  }
}

// The rows of `table` where `where` (with ? bound to `values`), as column -> value objects.
std::vector<json> read_rows(Statements& statements, std::string_view table, std::string_view where,
                            const std::vector<json>& values, std::string_view order = "") {
  Statements::Use q(statements, fmt::format("SELECT * FROM {} WHERE {}{}{}", table, where,
                                            order.empty() ? "" : " ORDER BY ", order));
  for (std::size_t i = 0; i < values.size(); ++i) {
    bind_json(*q, static_cast<int>(i + 1), values[i]);
  }
  std::vector<json> out;
  while (q->executeStep()) {
    json row = json::object();
    for (int i = 0; i < q->getColumnCount(); ++i) {
      row[q->getColumnName(i)] = column_json(q->getColumn(i));
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::string key_where(std::string_view table) {
  std::string where;
  for (const std::string& c : key_columns(table)) {
    where += fmt::format("{}{} = ?", where.empty() ? "" : " AND ", c);
  }
  return where;
}

std::vector<json> key_values(std::string_view table, const json& key) {
  std::vector<json> values;
  for (const std::string& c : key_columns(table)) {
    values.push_back(key.contains(c) ? key[c] : json(nullptr));
  }
  return values;
}

// The row of `table` with `key`, or null.
json read_row(Statements& statements, std::string_view table, const json& key) {
  auto rows = read_rows(statements, table, key_where(table), key_values(table, key));
  return rows.empty() ? json(nullptr) : rows.front();
}

json key_of(std::string_view table, const json& row) {
  json key = json::object();
  for (const std::string& c : key_columns(table)) {
    key[c] = row.contains(c) ? row[c] : json(nullptr);
  }
  return key;
}

json change(std::string_view table, std::string_view op, const json& key, const json& before,
            const json& after) {
  return json{{"table", table}, {"op", op}, {"key", key}, {"before", before}, {"after", after}};
}

// Writes the row of `table` with `key` through `write` (an INSERT OR REPLACE, an UPDATE) and
// gives `record` the change for the journal: an "insert" or an "update" with the row before
// and after; nothing when the row is as it was. For the tables written a row at a time by an
// import (status snapshots, the Visa Bulletin's cells, USCIS's chart choices).
void journaled_write(Statements& statements, std::string_view table, const json& key,
                     const std::function<void()>& write,
                     const std::function<void(std::string)>& record) {
  json before = read_row(statements, table, key);
  write();
  json after = read_row(statements, table, key);
  if (after == before) {
    return;
  }
  record(dump(change(table, before.is_null() ? "insert" : "update", key, before, after)));
}

// True when `row` still has every value `expected` lists (columns added later are ignored).
bool same_values(const json& row, const json& expected) {
  if (row.is_null() || !expected.is_object()) {
    return row == expected;
  }
  for (const auto& [name, value] : expected.items()) {
    if (!row.contains(name) || row[name] != value) {
      return false;
    }
  }
  return true;
}

// "case #3 (IOE0912345678)", "event 2 of case #3", "the processing time I-485 131A-FAM QNS".
std::string describe_row(std::string_view table, const json& key, const json& row) {
  auto str = [](const json& v) {
    return v.is_string() ? v.get<std::string>() : v.is_null() ? std::string() : dump(v);
  };
  if (table == "cases") {
    std::string receipt = row.is_object() && row.contains("receipt") ? str(row["receipt"]) : "";
    return fmt::format("case #{}{}", str(key.value("id", json(nullptr))),
                       receipt.empty() ? "" : " (" + receipt + ")");
  }
  if (table == "events") {
    if (row.is_object() && row.contains("seq") && row.contains("case_id")) {
      return fmt::format("event {} of case #{}", str(row["seq"]), str(row["case_id"]));
    }
    return fmt::format("event #{}", str(key.value("id", json(nullptr))));
  }
  if (table == "documents") {
    return fmt::format("document d{}", str(key.value("id", json(nullptr))));
  }
  if (table == "trips") {
    return fmt::format("trip {}", str(key.value("id", json(nullptr))));
  }
  if (table == "status_snapshots") {
    return fmt::format("the status snapshot of case #{} ({})", str(key.value("case_id", json(""))),
                       str(key.value("source", json(""))));
  }
  if (table == "bulletin") {
    return fmt::format("the Visa Bulletin's cell {} {} {} {}", str(key.value("month", json(""))),
                       str(key.value("chart", json(""))), str(key.value("category", json(""))),
                       str(key.value("country", json(""))));
  }
  if (table == "uscis_chart") {
    return fmt::format("USCIS's chart choice of {}", str(key.value("month", json(""))));
  }
  if (table == "processing_times") {
    return fmt::format("the processing time {} {} {} ({})", str(key.value("form", json(""))),
                       str(key.value("category", json(""))), str(key.value("office", json(""))),
                       str(key.value("source", json(""))));
  }
  return fmt::format("a row of {}", table);
}

bool is_receipt_conflict(const SQLite::Exception& e) {
  return e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE &&
         std::string_view(e.what()).find("cases.receipt") != std::string_view::npos;
}

}  // namespace

Store::Store(const std::filesystem::path& path) : m_path(path) {
  create_private_file(path);
  open();
  // Only now: the schema is as this build writes it (migrated in open()).
  m_statements = std::make_unique<detail::Statements>(*m_db);
}

Store::~Store() {
  m_statements.reset();  // finalized before the connection closes
}

void Store::open() {
  if (!can_write(m_path)) {
    open_read_only(std::string(k_read_only));
    return;
  }
  repair_leftover_permissions(m_path);
  auto deadline = std::chrono::steady_clock::now() + k_open_retry_for;
  std::minstd_rand jitter(static_cast<unsigned>(::getpid()));
  for (;;) {
    try {
      // One connection used by one thread: no mutexes needed (SQLITE_OPEN_NOMUTEX).
      m_db = std::make_unique<SQLite::Database>(
          m_path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, k_busy_timeout_ms);
      int version = read_version();
      if (m_db->execAndGet("PRAGMA journal_mode").getString() != "wal") {
        m_db->exec("PRAGMA journal_mode = WAL");
      }
      m_db->exec("PRAGMA foreign_keys = ON");
      if (version < k_schema_version) {
        migrate();
      }
      return;
    } catch (const SQLite::Exception& e) {
      Cause cause = cause_of(e, m_db ? m_db->getHandle() : nullptr);
      std::string why = describe(e, m_db ? m_db->getHandle() : nullptr);
      m_db.reset();
      if (cause == Cause::busy && std::chrono::steady_clock::now() < deadline) {
        // Some locks are not waited for by the busy handler (to avoid deadlocks): wait a
        // little, at a random offset from the other processes, and open again.
        std::this_thread::sleep_for(std::chrono::milliseconds(5 + jitter() % 50));
        continue;
      }
      if (cause == Cause::disk_full || cause == Cause::read_only) {
        open_read_only(why);
        return;
      }
      throw StorageError(fmt::format("cannot open {}: {}", m_path.string(), why));
    }
  }
}

void Store::open_read_only(const std::string& reason) {
  m_readonly_reason = reason;
  // First as a plain reader, which sees what a -wal left by a crash holds; when the -shm
  // index cannot be created (read-only directory, full disk), as an immutable file, which
  // needs neither -wal nor -shm.
  for (const char* query : {"mode=ro", "mode=ro&immutable=1"}) {
    try {
      m_db = std::make_unique<SQLite::Database>(
          file_uri(m_path, query), SQLite::OPEN_READONLY | SQLite::OPEN_URI | SQLite::OPEN_NOMUTEX,
          k_busy_timeout_ms);
      int version = read_version();
      if (version < k_schema_version) {
        throw StorageError(fmt::format("cannot {} {}: {}",
                                       version == 0 ? "create the tables of" : "upgrade",
                                       m_path.string(), reason));
      }
      m_db->exec("PRAGMA foreign_keys = ON");
      return;
    } catch (const SQLite::Exception& e) {
      Cause cause = cause_of(e, m_db ? m_db->getHandle() : nullptr);
      std::string why = describe(e, m_db ? m_db->getHandle() : nullptr);
      m_db.reset();
      if (std::string_view(query) == "mode=ro" && cause != Cause::not_a_database) {
        continue;
      }
      throw StorageError(fmt::format("cannot open {}: {}", m_path.string(), why));
    }
  }
}

// The schema version, checked against the tables. SQLite keeps no lock between the
// statements that read an empty file, so another process may create the tables meanwhile:
// the version is read before and after the tables, and again until both agree.
int Store::read_version() {
  for (int attempt = 0;; ++attempt) {
    int before = m_db->execAndGet("PRAGMA user_version").getInt();
    std::vector<std::string> tables;
    SQLite::Statement q(*m_db,
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                        "'sqlite\\_%' ESCAPE '\\'");
    while (q.executeStep()) {
      tables.push_back(q.getColumn(0).getString());
    }
    int after = m_db->execAndGet("PRAGMA user_version").getInt();
    if (before == after || attempt == 10) {
      check_schema(after, tables);
      return after;
    }
  }
}

// Refuses, before anything is written, a file that is not a casewatch database of a
// schema this build knows.
void Store::check_schema(int version, const std::vector<std::string>& tables) {
  if (version < 0) {
    throw StorageError(fmt::format(
        "{} is not a casewatch database (its schema version is {}); give --db the path of a "
        "casewatch database. The file was not changed.",
        m_path.string(), version));
  }
  if (version > k_schema_version) {
    throw StorageError(fmt::format(
        "{} was written by a newer casewatch (schema version {}; this one reads up to {}); "
        "upgrade casewatch to use it. The file was not changed.",
        m_path.string(), version, k_schema_version));
  }
  if (version == 0) {
    if (!tables.empty()) {
      throw StorageError(fmt::format(
          "{} is a SQLite database of another program (it has tables, but no casewatch "
          "schema); give --db the path of a casewatch database. The file was not changed.",
          m_path.string()));
    }
    return;
  }
  // The tables each migration creates (or changes).
  constexpr std::array<std::string_view, k_schema_version> k_tables = {
      "cases",   "processing_times", "reported",  "notices_reported",
      "journal", "status_snapshots", "fetches",   "bulletin",
      "wake",    "events",           "documents", "events",
      "cases",   "document_wake"};
  for (int v = 0; v < version; ++v) {
    std::string_view t = k_tables[static_cast<std::size_t>(v)];
    if (std::find(tables.begin(), tables.end(), t) == tables.end()) {
      throw StorageError(fmt::format(
          "{} is not a casewatch database (schema version {}, but no table {}); give --db the "
          "path of a casewatch database. The file was not changed.",
          m_path.string(), version, t));
    }
  }
}

void Store::migrate() {
  int version = m_db->execAndGet("PRAGMA user_version").getInt();
  bool has_data = version > 0;
  if (has_data) {
    // A consistent copy of the file as it was, kept beside it, private like the file.
    std::filesystem::path backup = m_path;
    backup += fmt::format(".schema{}.bak", version);
    create_private_backup(backup);
    SQLite::Statement copy(*m_db, "VACUUM INTO :path");
    copy.bind(":path", backup.string());
    copy.exec();
  }
  SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
  // Another process may have migrated while this one waited for the lock.
  version = m_db->execAndGet("PRAGMA user_version").getInt();
  for (int v = version; v < k_schema_version; ++v) {
    int changed = m_db->exec(std::string(k_migrations[static_cast<std::size_t>(v)]));
    if (v == 9 && changed > 0) {
      m_upgrade_notes.push_back(fmt::format(
          "{} read from USCIS's status {} the date to ask for a copy "
          "of the notice (\"If you do not receive ... by\"), not a response date; removed: "
          "the response is now due on the assumed date ('casewatch event edit CASE N --due "
          "DATE' sets the one printed on the notice)",
          text::count(static_cast<std::size_t>(changed), "RFE or NOID due date"),
          text::plural(static_cast<std::size_t>(changed), "was", "were")));
    }
  }
  if (version < k_schema_version) {
    m_db->exec(fmt::format("PRAGMA user_version = {}", k_schema_version));
  }
  tx.commit();
}

Store::WriteTransaction::WriteTransaction(Store& store, int wait_for_lock) : m_store(&store) {
  // The journal's hash needs libcrypto, opened on first use (util/library.hpp): open it
  // now, before the write lock, so that no other writer waits while it loads.
  sha256::Hasher{};
  // BEGIN IMMEDIATE takes the write lock at once, waiting for another writer up to the busy
  // timeout; a longer wait than the connection's is set for this one statement.
  const bool longer = wait_for_lock != k_lock_wait_seconds;
  if (longer) {
    store.m_db->setBusyTimeout(wait_for_lock * 1000);
  }
  try {
    m_tx =
        std::make_unique<SQLite::Transaction>(*store.m_db, SQLite::TransactionBehavior::IMMEDIATE);
  } catch (const SQLite::Exception& e) {
    if (longer) {
      store.m_db->setBusyTimeout(k_busy_timeout_ms);
    }
    std::string why = cause_of(e, store.m_db->getHandle()) == Cause::busy
                          ? fmt::format(
                                "another casewatch has held the database for more than {} "
                                "seconds; run the command again",
                                wait_for_lock)
                          : describe(e, store.m_db->getHandle());
    throw StorageError(fmt::format("cannot write {}: {}", store.m_path.string(), why));
  }
  if (longer) {
    store.m_db->setBusyTimeout(k_busy_timeout_ms);
  }
  store.m_changes.clear();
  store.m_undoes.reset();
}

Store::WriteTransaction::WriteTransaction(WriteTransaction&& other) noexcept
    : m_store(std::exchange(other.m_store, nullptr)), m_tx(std::move(other.m_tx)) {}

Store::WriteTransaction& Store::WriteTransaction::operator=(WriteTransaction&& other) noexcept {
  m_store = std::exchange(other.m_store, nullptr);
  m_tx = std::move(other.m_tx);
  return *this;
}

Store::WriteTransaction::~WriteTransaction() {
  if (m_store != nullptr) {
    m_store->m_changes.clear();
    m_store->m_undoes.reset();
  }
}

void Store::WriteTransaction::commit() {
  try {
    if (!m_store->m_changes.empty() || m_store->m_undoes) {
      m_store->write_journal_entry();
    }
    m_tx->commit();
  } catch (const SQLite::Exception& e) {
    throw StorageError(fmt::format("cannot save the changes to {}: {}", m_store->m_path.string(),
                                   describe(e, nullptr)));
  }
  m_store->m_changes.clear();
  m_store->m_undoes.reset();
}

Store::WriteTransaction Store::begin_write(int wait_for_lock) {
  if (!m_readonly_reason.empty()) {
    throw StorageError(fmt::format("cannot write {}: {}", m_path.string(), m_readonly_reason));
  }
  return WriteTransaction(*this, wait_for_lock);
}

void Store::write_journal_entry() {
  JournalEntry e;
  {
    SQLite::Statement last(*m_db, "SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1");
    if (last.executeStep()) {
      e.id = last.getColumn(0).getInt64() + 1;
      e.prev_hash = last.getColumn(1).getString();
    } else {
      e.id = 1;
    }
  }
  e.at = m_author.at;
  e.user = m_author.user;
  e.command = m_author.command;
  e.undoes = m_undoes;
  // Changes too many to keep in memory (an import of many cases) are hashed and written a
  // piece at a time: the row gets a blob of their size, then their text through an
  // incremental blob handle. Others are one text.
  const bool in_pieces = m_changes.spilled();
  if (in_pieces) {
    e.hash = journal_hash(e, [&](const PieceSink& put) { m_changes.read(put); });
  } else {
    e.changes = m_changes.text();
    e.hash = journal_hash(e);
  }
  SQLite::Statement q(*m_db, in_pieces ? "INSERT INTO journal (id, at, user, command, changes, "
                                         "undoes, prev_hash, hash) VALUES (:id, :at, :user, "
                                         ":command, zeroblob(:size), :undoes, :prev, :hash)"
                                       : "INSERT INTO journal (id, at, user, command, changes, "
                                         "undoes, prev_hash, hash) VALUES (:id, :at, :user, "
                                         ":command, :changes, :undoes, :prev, :hash)");
  q.bind(":id", e.id);
  q.bind(":at", e.at);
  q.bind(":user", e.user);
  q.bind(":command", e.command);
  if (in_pieces) {
    q.bind(":size", static_cast<std::int64_t>(m_changes.bytes()));
  } else {
    q.bind(":changes", e.changes);
  }
  if (e.undoes) {
    q.bind(":undoes", *e.undoes);
  } else {
    q.bind(":undoes");
  }
  q.bind(":prev", e.prev_hash);
  q.bind(":hash", e.hash);
  q.exec();
  if (in_pieces) {
    sqlite3_blob* blob = nullptr;
    int rc = sqlite3_blob_open(m_db->getHandle(), "main", "journal", "changes", e.id, 1, &blob);
    std::unique_ptr<sqlite3_blob, int (*)(sqlite3_blob*)> owned(blob, sqlite3_blob_close);
    if (rc != SQLITE_OK) {
      throw SQLite::Exception(m_db->getHandle(), rc);
    }
    int at = 0;
    m_changes.read([&](std::string_view piece) {
      rc = sqlite3_blob_write(blob, piece.data(), static_cast<int>(piece.size()), at);
      if (rc != SQLITE_OK) {
        throw SQLite::Exception(m_db->getHandle(), rc);
      }
      at += static_cast<int>(piece.size());
    });
  }
}

std::string journal_hash(const JournalEntry& e) {
  return journal_hash(e, [&](const PieceSink& put) { put(e.changes); });
}

std::string journal_hash(const JournalEntry& e, const ChangesReader& read) {
  // Fields separated by the unit separator, which no field holds unescaped (changes is
  // JSON; at, user and command are one line of text).
  sha256::Hasher h;
  h.update(fmt::format("casewatch-journal-1\x1f{}\x1f{}\x1f{}\x1f{}\x1f", e.id, e.at, e.user,
                       e.command));
  read([&](std::string_view piece) { h.update(piece); });
  h.update(fmt::format("\x1f{}\x1f{}", e.undoes ? std::to_string(*e.undoes) : std::string(),
                       e.prev_hash));
  return h.hex();
}

JournalChain::JournalChain(std::string prev_hash) : m_prev_hash(std::move(prev_hash)) {}

bool JournalChain::next(const JournalEntry& e, const std::function<std::string()>& content_hash) {
  if (broken()) {
    return false;
  }
  if (e.prev_hash != m_prev_hash) {
    m_check.bad = e.id;
    m_check.why = m_prev_id
                      ? fmt::format(
                            "it does not follow entry #{}: an entry between them was removed, or "
                            "#{} was altered",
                            *m_prev_id, *m_prev_id)
                      : "it does not start the journal: the entries before it were removed";
    return false;
  }
  if (content_hash() != e.hash) {
    m_check.bad = e.id;
    m_check.why = "its content does not match its hash: it was altered";
    return false;
  }
  m_prev_hash = e.hash;
  m_prev_id = e.id;
  ++m_check.entries;
  return true;
}

JournalCheck JournalChain::result() const {
  JournalCheck check = m_check;
  if (!check.bad) {
    check.last_hash = m_prev_hash;
  }
  return check;
}

JournalCheck verify_entries(const std::vector<JournalEntry>& entries, std::string prev_hash) {
  JournalChain chain(std::move(prev_hash));
  for (const JournalEntry& e : entries) {
    if (!chain.next(e, [&] { return journal_hash(e); })) {
      break;
    }
  }
  return chain.result();
}

std::vector<JournalEntry> Store::journal() {
  return guarded(m_db.get(), fmt::format("cannot read the journal of {}", m_path.string()), [&] {
    SQLite::Statement q(*m_db,
                        "SELECT id, at, user, command, changes, undoes, prev_hash, hash FROM "
                        "journal ORDER BY id");
    std::vector<JournalEntry> out;
    while (q.executeStep()) {
      JournalEntry e;
      e.id = q.getColumn(0).getInt64();
      e.at = q.getColumn(1).getString();
      e.user = q.getColumn(2).getString();
      e.command = q.getColumn(3).getString();
      e.changes = q.getColumn(4).getString();
      if (!q.getColumn(5).isNull()) {
        e.undoes = q.getColumn(5).getInt64();
      }
      e.prev_hash = q.getColumn(6).getString();
      e.hash = q.getColumn(7).getString();
      out.push_back(std::move(e));
    }
    return out;
  });
}

void Store::each_journal_entry(
    const std::function<void(const JournalEntry&, const ChangesReader&)>& visit,
    bool newest_first) {
  guarded(m_db.get(), fmt::format("cannot read the journal of {}", m_path.string()), [&] {
    // The changes column is not selected: it is read through an incremental blob handle, so
    // that no entry's text is ever whole in memory.
    SQLite::Statement q(*m_db, newest_first ? "SELECT id, at, user, command, undoes, prev_hash, "
                                              "hash FROM journal ORDER BY id DESC"
                                            : "SELECT id, at, user, command, undoes, prev_hash, "
                                              "hash FROM journal ORDER BY id");
    while (q.executeStep()) {
      JournalEntry e;
      e.id = q.getColumn(0).getInt64();
      e.at = q.getColumn(1).getString();
      e.user = q.getColumn(2).getString();
      e.command = q.getColumn(3).getString();
      if (!q.getColumn(4).isNull()) {
        e.undoes = q.getColumn(4).getInt64();
      }
      e.prev_hash = q.getColumn(5).getString();
      e.hash = q.getColumn(6).getString();
      ChangesReader read = [&](const PieceSink& put) {
        sqlite3_blob* blob = nullptr;
        int rc = sqlite3_blob_open(m_db->getHandle(), "main", "journal", "changes", e.id, 0, &blob);
        std::unique_ptr<sqlite3_blob, int (*)(sqlite3_blob*)> owned(blob, sqlite3_blob_close);
        if (rc != SQLITE_OK) {
          throw SQLite::Exception(m_db->getHandle(), rc);
        }
        constexpr int k_piece = 1 << 20;
        std::string piece;
        const int size = sqlite3_blob_bytes(blob);
        for (int at = 0; at < size; at += k_piece) {
          piece.resize(static_cast<std::size_t>(std::min(k_piece, size - at)));
          rc = sqlite3_blob_read(blob, piece.data(), static_cast<int>(piece.size()), at);
          if (rc != SQLITE_OK) {
            throw SQLite::Exception(m_db->getHandle(), rc);
          }
          put(piece);
        }
      };
      visit(e, read);
    }
  });
}

JournalCheck Store::verify_journal() {
  JournalChain chain;
  each_journal_entry([&](const JournalEntry& e, const ChangesReader& read) {
    chain.next(e, [&] { return journal_hash(e, read); });
  });
  return chain.result();
}

std::int64_t Store::journal_copied_up_to() {
  // The change casewatch writes for a copy (copy_journal), compact with its keys sorted, is
  // read where it is; any other entry that names the journal is parsed, and only such one.
  static const std::regex k_copy(
      R"re(\{"after":null,"before":null,"key":\{"first":-?[0-9]+,"last":(-?[0-9]+)\},)re"
      R"re("op":"copy","table":"journal"\}$)re");
  constexpr std::string_view k_end = R"("op":"copy","table":"journal"})";
  constexpr std::string_view k_word = "journal";
  constexpr std::size_t k_longest = 200;  // more than the copy's change, whatever its ids
  std::int64_t last = 0;
  each_journal_entry([&](const JournalEntry& /*e*/, const ChangesReader& read) {
    bool names = false;
    std::optional<std::int64_t> marked;
    std::string window;  // the end of the pieces before, then this one
    read([&](std::string_view piece) {
      window += piece;
      names = names || window.find(k_word) != std::string::npos;
      for (auto at = window.find(k_end); at != std::string::npos; at = window.find(k_end, at + 1)) {
        const std::size_t end = at + k_end.size();
        const std::size_t begin = end - std::min(end, k_longest);
        const std::string change = window.substr(begin, end - begin);
        std::smatch m;
        if (std::regex_search(change, m, k_copy)) {
          marked = std::max<std::int64_t>(marked.value_or(0), std::stoll(m[1].str()));
        }
      }
      window.erase(0, window.size() - std::min(window.size(), k_longest));
    });
    if (marked) {
      last = std::max(last, *marked);
    } else if (names) {
      std::string changes;
      read([&](std::string_view piece) { changes += piece; });
      if (auto parsed = parse_changes(changes)) {
        last = std::max(last, copied_up_to(*parsed));
      }
    }
  });
  return last;
}

namespace {
std::vector<std::string> missing_triggers(SQLite::Database& db) {
  std::vector<std::string> missing;
  SQLite::Statement q(db,
                      "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ? AND "
                      "tbl_name = 'journal'");
  for (const auto& [name, sql] : k_journal_triggers) {
    q.bind(1, std::string(name));
    q.executeStep();
    if (q.getColumn(0).getInt() == 0) {
      missing.emplace_back(name);
    }
    q.reset();
  }
  return missing;
}
}  // namespace

std::vector<std::string> missing_journal_triggers(const std::filesystem::path& path) {
  // As a plain reader, else (no -shm can be made beside a read-only file) as an immutable one.
  for (const char* query : {"mode=ro", "mode=ro&immutable=1"}) {
    try {
      SQLite::Database db(file_uri(path, query), SQLite::OPEN_READONLY | SQLite::OPEN_URI,
                          k_busy_timeout_ms);
      return missing_triggers(db);
    } catch (const SQLite::Exception& e) {
      if (std::string_view(query) == "mode=ro") {
        continue;
      }
      throw StorageError(
          fmt::format("cannot read the schema of {}: {}", path.string(), describe(e, nullptr)));
    }
  }
  return {};
}

std::vector<std::string> restore_journal_triggers(const std::filesystem::path& path) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READWRITE, k_busy_timeout_ms);
    std::vector<std::string> missing = missing_triggers(db);
    if (missing.empty()) {
      return missing;
    }
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    missing = missing_triggers(db);  // another process may have made them meanwhile
    for (const auto& [name, sql] : k_journal_triggers) {
      db.exec(std::string(sql));
    }
    tx.commit();
    return missing;
  } catch (const SQLite::Exception& e) {
    throw StorageError(
        fmt::format("cannot repair the journal of {}: {}", path.string(), describe(e, nullptr)));
  }
}

Expected<json> parse_changes(std::string_view changes, std::size_t max_bytes) {
  if (changes.size() > max_bytes) {
    return Error{fmt::format("its changes are {} bytes; casewatch reads at most {}", changes.size(),
                             max_bytes)};
  }
  if (auto deep = json_limits::depth_problem(changes)) {
    return Error{fmt::format("in its changes, {}", *deep)};
  }
  json parsed = json::parse(changes, nullptr, false);
  if (parsed.is_discarded()) {
    return Error{"its changes are not JSON"};
  }
  if (!parsed.is_array()) {
    return Error{"its changes are not a list of row changes"};
  }
  static const std::set<std::string, std::less<>> tables = {
      "cases",     "events", "processing_times", "reported", "journal",
      "documents", "trips",  "status_snapshots", "bulletin", "uscis_chart"};
  std::size_t n = 0;
  for (const json& c : parsed) {
    ++n;
    auto bad = [&](std::string_view why) {
      return Error{fmt::format("change {} of its changes {}", n, why)};
    };
    if (!c.is_object()) {
      return bad("is not an object");
    }
    if (!c.contains("table") || !c["table"].is_string() ||
        tables.count(c["table"].get<std::string>()) == 0) {
      return bad("names no table the journal records");
    }
    if (!c.contains("op") || !c["op"].is_string()) {
      return bad("has no \"op\"");
    }
    for (const char* part : {"key", "before", "after"}) {
      if (c.contains(part) && !c[part].is_object() && !c[part].is_null()) {
        return bad(fmt::format("has a \"{}\" that is neither an object nor null", part));
      }
    }
    if (c["table"] != "journal" && (!c.contains("key") || !c["key"].is_object())) {
      return bad("has no \"key\" object");
    }
  }
  return parsed;
}

std::int64_t copied_up_to(const json& changes) {
  std::int64_t last = 0;
  if (!changes.is_array()) {
    return last;
  }
  for (const json& c : changes) {
    if (c.is_object() && c.value("table", "") == "journal" && c.value("op", "") == "copy") {
      json key = c.value("key", json::object());
      if (key.is_object() && key.value("last", json(nullptr)).is_number_integer()) {
        last = std::max(last, key["last"].get<std::int64_t>());
      }
    }
  }
  return last;
}

namespace {

// The journal's entries as undo and last_field_writes read them: each entry's changes
// parsed (null when not readable), the entries undone, and the last entry of a journal
// copied by an import (0 when none; those entries name another database's cases).
struct EntriesRead {
  std::vector<json> parsed;
  std::set<std::int64_t> undone;
  std::int64_t copied_up_to = 0;
};

EntriesRead read_entries(const std::vector<JournalEntry>& entries) {
  EntriesRead out;
  out.parsed.reserve(entries.size());
  for (const JournalEntry& e : entries) {
    if (e.undoes) {
      out.undone.insert(*e.undoes);
    }
    auto read = parse_changes(e.changes);
    json changes = read ? *read : json(nullptr);
    out.copied_up_to = std::max(out.copied_up_to, copied_up_to(changes));
    out.parsed.push_back(std::move(changes));
  }
  return out;
}

}  // namespace

std::optional<JournalEntry> Store::undo_last() {
  // The journal is read one entry at a time (flat memory): its chain checked, then the newest
  // entry that is neither an undo nor undone, after any copied journal, read whole.
  JournalCheck check = verify_journal();
  if (check.bad) {
    throw Conflict(
        fmt::format("nothing was undone: the journal does not verify at entry #{} ({}); "
                    "'casewatch log --verify' says more",
                    *check.bad, check.why));
  }
  const std::int64_t copied = journal_copied_up_to();
  std::optional<JournalEntry> found =
      guarded(m_db.get(), fmt::format("cannot read the journal of {}", m_path.string()), [&] {
        std::set<std::int64_t> undone;
        SQLite::Statement undoes(*m_db, "SELECT undoes FROM journal WHERE undoes IS NOT NULL");
        while (undoes.executeStep()) {
          undone.insert(undoes.getColumn(0).getInt64());
        }
        SQLite::Statement newest(*m_db,
                                 "SELECT id, at, user, command, changes, prev_hash, hash FROM "
                                 "journal WHERE undoes IS NULL AND id > ? ORDER BY id DESC");
        newest.bind(1, copied);
        std::optional<JournalEntry> e;
        while (newest.executeStep()) {
          if (undone.count(newest.getColumn(0).getInt64()) == 0) {
            e.emplace();
            e->id = newest.getColumn(0).getInt64();
            e->at = newest.getColumn(1).getString();
            e->user = newest.getColumn(2).getString();
            e->command = newest.getColumn(3).getString();
            e->changes = newest.getColumn(4).getString();
            e->prev_hash = newest.getColumn(5).getString();
            e->hash = newest.getColumn(6).getString();
            break;
          }
        }
        return e;
      });
  if (!found) {
    return std::nullopt;
  }
  const JournalEntry& entry = *found;
  auto read = parse_changes(entry.changes);
  const json changes = read ? std::move(*read) : json(nullptr);
  if (!changes.is_array()) {
    auto why = parse_changes(entry.changes);
    throw Conflict(fmt::format(
        "cannot undo #{}: {} (the entry was written outside casewatch); nothing was undone",
        entry.id, why ? std::string("its changes are not readable") : why.error()));
  }
  auto refuse = [&](const std::string& why) {
    throw Conflict(fmt::format("cannot undo #{}: {}; nothing was undone", entry.id, why));
  };
  // Why a row cannot be written back, in words: the receipt it had is another case's now,
  // or it clashes with a row written since.
  auto constraint_why = [&](std::string_view table, const json& row,
                            const SQLite::Exception& e) -> std::string {
    if (table == "cases" && is_receipt_conflict(e) && row.is_object() && row.contains("receipt") &&
        row["receipt"].is_string()) {
      std::string receipt = row["receipt"].get<std::string>();
      Statements::Use holder(*m_statements, "SELECT id FROM cases WHERE receipt = ?");
      holder->bind(1, receipt);
      std::string who = holder->executeStep()
                            ? fmt::format("case #{}", holder->getColumn(0).getInt64())
                            : std::string("another case");
      return fmt::format(
          "its receipt {} belongs to {} now (added or changed since); remove that case or "
          "change its receipt first ('casewatch edit {} --receipt ...')",
          receipt, who, receipt);
    }
    if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_FOREIGNKEY) {
      return "the case it belongs to was removed since";
    }
    return "it clashes with a row written since";
  };
  guarded(m_db.get(), fmt::format("cannot undo #{} in {}", entry.id, m_path.string()), [&] {
    for (auto it = changes.rbegin(); it != changes.rend(); ++it) {
      const json& c = *it;
      std::string table = c.value("table", "");
      std::string op = c.value("op", "");
      if (table == "journal") {
        continue;  // copied entries stay: the journal is append-only
      }
      const json& key = c.contains("key") ? c["key"] : json(nullptr);
      const json& before = c.contains("before") ? c["before"] : json(nullptr);
      const json& after = c.contains("after") ? c["after"] : json(nullptr);
      json current = read_row(*m_statements, table, key);
      std::string what = describe_row(table, key, after.is_null() ? before : after);
      if (op == "insert" || op == "update") {
        if (!same_values(current, after)) {
          refuse(fmt::format("{} is no longer as #{} left it ({})", what, entry.id,
                             current.is_null() ? "it was removed since" : "it was changed since"));
        }
      }
      if (op == "insert") {
        if (table == "cases") {
          Statements::Use left(*m_statements,
                               "SELECT seq FROM events WHERE case_id = ? ORDER BY id");
          bind_json(*left, 1, key.value("id", json(nullptr)));
          if (left->executeStep()) {
            refuse(fmt::format("{} has events recorded after #{} (event {}); remove them first",
                               what, entry.id, left->getColumn(0).getInt64()));
          }
        }
        Statements::Use q(*m_statements,
                          fmt::format("DELETE FROM {} WHERE {}", table, key_where(table)));
        auto values = key_values(table, key);
        for (std::size_t i = 0; i < values.size(); ++i) {
          bind_json(*q, static_cast<int>(i + 1), values[i]);
        }
        q->exec();
        record(dump(change(table, "delete", key, current, nullptr)));
      } else if (op == "delete") {
        if (!current.is_null()) {
          refuse(fmt::format("{} exists again", what));
        }
        if (!before.is_object()) {
          refuse(fmt::format("entry #{} did not keep {}", entry.id, what));
        }
        std::string columns;
        std::string marks;
        std::vector<json> values;
        for (const auto& [name, value] : before.items()) {
          columns += (columns.empty() ? "" : ", ") + column_name(name);
          marks += marks.empty() ? "?" : ", ?";
          values.push_back(value);
        }
        Statements::Use q(*m_statements,
                          fmt::format("INSERT INTO {} ({}) VALUES ({})", table, columns, marks));
        for (std::size_t i = 0; i < values.size(); ++i) {
          bind_json(*q, static_cast<int>(i + 1), values[i]);
        }
        try {
          q->exec();
        } catch (const SQLite::Exception& e) {
          if ((e.getErrorCode() & 0xff) == SQLITE_CONSTRAINT) {
            refuse(fmt::format("{} cannot come back: {}", what, constraint_why(table, before, e)));
          }
          throw;
        }
        record(dump(change(table, "insert", key, nullptr, read_row(*m_statements, table, key))));
      } else if (op == "update") {
        if (!before.is_object()) {
          refuse(fmt::format("entry #{} did not keep {} as it was", entry.id, what));
        }
        std::string sets;
        std::vector<json> values;
        for (const auto& [name, value] : before.items()) {
          sets += fmt::format("{}{} = ?", sets.empty() ? "" : ", ", column_name(name));
          values.push_back(value);
        }
        for (const json& v : key_values(table, key)) {
          values.push_back(v);
        }
        Statements::Use q(*m_statements,
                          fmt::format("UPDATE {} SET {} WHERE {}", table, sets, key_where(table)));
        for (std::size_t i = 0; i < values.size(); ++i) {
          bind_json(*q, static_cast<int>(i + 1), values[i]);
        }
        try {
          q->exec();
        } catch (const SQLite::Exception& e) {
          if ((e.getErrorCode() & 0xff) == SQLITE_CONSTRAINT) {
            refuse(fmt::format("{} cannot be changed back: {}", what,
                               constraint_why(table, before, e)));
          }
          throw;
        }
        record(dump(change(table, "update", key, current, read_row(*m_statements, table, key))));
      } else {
        refuse(fmt::format("it holds a change {} casewatch does not know", text::quoted(op)));
      }
    }
  });
  m_undoes = entry.id;
  return found;
}

std::map<CaseId, std::map<std::string, Store::FieldWrite>> Store::last_field_writes() {
  std::vector<JournalEntry> entries = journal();
  auto [parsed, undone, copied_up_to] = read_entries(entries);
  std::map<CaseId, std::map<std::string, FieldWrite>> out;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const JournalEntry& e = entries[i];
    if (e.id <= copied_up_to || e.undoes || undone.count(e.id) != 0 || !parsed[i].is_array()) {
      continue;
    }
    for (const json& c : parsed[i]) {
      if (c.value("table", "") != "cases" || c.value("op", "") != "update") {
        continue;
      }
      const json key = c.value("key", json::object());
      const json before = c.value("before", json::object());
      const json after = c.value("after", json::object());
      if (!key.is_object() || !key.contains("id") || !key["id"].is_number_integer() ||
          !before.is_object() || !after.is_object()) {
        continue;
      }
      auto id = key["id"].get<CaseId>();
      for (const auto& [field, value] : after.items()) {
        if (field != "id" && (!before.contains(field) || before[field] != value)) {
          out[id][field] = FieldWrite{e.id, e.at, e.command};
        }
      }
    }
  }
  return out;
}

void Store::copy_journal(const std::vector<JournalEntry>& entries) {
  if (entries.empty()) {
    return;
  }
  JournalCheck check = verify_entries(entries);
  if (check.bad) {
    throw Conflict(
        fmt::format("its journal does not verify at entry #{} ({})", *check.bad, check.why));
  }
  begin_journal_copy(entries.front().id, entries.back().id);
  for (const JournalEntry& e : entries) {
    copy_journal_entry(e);
  }
}

void Store::begin_journal_copy(std::int64_t first, std::int64_t last) {
  guarded(m_db.get(), fmt::format("cannot copy the journal into {}", m_path.string()), [&] {
    if (m_db->execAndGet("SELECT count(*) FROM journal").getInt64() != 0) {
      throw Conflict("a journal can only be copied into a database whose journal is empty");
    }
  });
  record(dump(change("journal", "copy", {{"first", first}, {"last", last}}, nullptr, nullptr)));
}

void Store::copy_journal_entry(const JournalEntry& e) {
  guarded(m_db.get(), fmt::format("cannot copy the journal into {}", m_path.string()), [&] {
    Statements::Use q(*m_statements,
                      "INSERT INTO journal (id, at, user, command, changes, undoes, prev_hash, "
                      "hash) VALUES (:id, :at, :user, :command, :changes, :undoes, :prev, :hash)");
    q->bind(":id", e.id);
    q->bind(":at", e.at);
    q->bind(":user", e.user);
    q->bind(":command", e.command);
    q->bind(":changes", e.changes);
    if (e.undoes) {
      q->bind(":undoes", *e.undoes);
    } else {
      q->bind(":undoes");
    }
    q->bind(":prev", e.prev_hash);
    q->bind(":hash", e.hash);
    q->exec();
  });
}

std::optional<std::int64_t> Store::last_journal_entry() {
  return guarded(m_db.get(), fmt::format("cannot read the journal of {}", m_path.string()), [&] {
    SQLite::Statement q(*m_db, "SELECT max(id) FROM journal");
    q.executeStep();
    return q.getColumn(0).isNull() ? std::nullopt
                                   : std::optional<std::int64_t>(q.getColumn(0).getInt64());
  });
}

std::vector<Case> Store::all_cases(std::vector<std::string>* problems) {
  return guarded(m_db.get(), fmt::format("cannot read the cases of {}", m_path.string()), [&] {
    SQLite::Statement q(*m_db, fmt::format("SELECT {} FROM cases ORDER BY id", k_case_columns));
    std::vector<Case> out;
    while (q.executeStep()) {
      RowCheck check;
      Case c = read_case(StatementRow(q), check);
      if (check.ok()) {
        out.push_back(std::move(c));
      } else {
        report(problems, case_problem(c.id, check, true));
      }
    }
    return out;
  });
}

std::optional<Store::WakeBasis> Store::wake_basis() {
  return guarded(m_db.get(), fmt::format("cannot read the wake dates of {}", m_path.string()),
                 [&]() -> std::optional<WakeBasis> {
                   SQLite::Statement q(*m_db, "SELECT basis, as_of FROM wake_basis WHERE id = 1");
                   if (!q.executeStep()) {
                     return std::nullopt;
                   }
                   auto as_of = valid_date(q.getColumn(1).getString());
                   if (!as_of) {
                     return std::nullopt;  // as if none were stored: a full pass mends it
                   }
                   return WakeBasis{q.getColumn(0).getString(), *as_of};
                 });
}

void Store::store_wakes(const std::vector<Wake>& wakes, const WakeBasis& basis) {
  guarded(m_db.get(), fmt::format("cannot record the wake dates in {}", m_path.string()), [&] {
    // A case deleted meanwhile is left out (the foreign key would refuse it).
    SQLite::Statement q(*m_db,
                        "INSERT INTO wake (case_id, wake_on, findings, published) SELECT :id, "
                        ":on, :findings, :published WHERE EXISTS (SELECT 1 FROM cases WHERE id "
                        "= :id) ON CONFLICT (case_id) DO UPDATE SET wake_on = excluded.wake_on, "
                        "findings = excluded.findings, published = excluded.published");
    for (const Wake& w : wakes) {
      q.bind(":id", w.case_id);
      bind_optional(q, ":on", w.on);
      q.bind(":findings", static_cast<std::int64_t>(w.findings));
      bind_optional(q, ":published", w.published);
      q.exec();
      q.reset();
    }
    SQLite::Statement b(*m_db,
                        "INSERT OR REPLACE INTO wake_basis (id, basis, as_of) VALUES (1, :basis, "
                        ":as_of)");
    b.bind(":basis", basis.basis);
    b.bind(":as_of", format_date(basis.as_of));
    b.exec();
  });
}

std::vector<Store::DocumentWake> Store::document_wakes() {
  return guarded(m_db.get(), fmt::format("cannot read the wake dates of {}", m_path.string()), [&] {
    SQLite::Statement q(*m_db, "SELECT document_id, wake_on, findings FROM document_wake");
    std::vector<DocumentWake> out;
    while (q.executeStep()) {
      DocumentWake w;
      w.document_id = q.getColumn(0).getInt64();
      if (!q.getColumn(1).isNull()) {
        std::string on = q.getColumn(1).getString();
        w.now = on.empty();
        if (!w.now) {
          w.on = valid_date(on);
          w.now = !w.on;  // a date that does not read: evaluate at once
        }
      }
      w.findings = static_cast<std::size_t>(q.getColumn(2).getInt64());
      out.push_back(w);
    }
    return out;
  });
}

void Store::store_document_wakes(const std::vector<DocumentWake>& wakes) {
  guarded(m_db.get(), fmt::format("cannot record the wake dates in {}", m_path.string()), [&] {
    // A document deleted meanwhile is left out (the foreign key would refuse it).
    SQLite::Statement q(*m_db,
                        "INSERT OR REPLACE INTO document_wake (document_id, wake_on, findings) "
                        "SELECT :id, :on, :findings WHERE EXISTS (SELECT 1 FROM documents WHERE "
                        "id = :id)");
    for (const DocumentWake& w : wakes) {
      q.bind(":id", w.document_id);
      if (w.now) {
        q.bind(":on", std::string());
      } else {
        bind_optional(q, ":on", w.on);
      }
      q.bind(":findings", static_cast<std::int64_t>(w.findings));
      q.exec();
      q.reset();
    }
  });
}

Store::Resting Store::resting(Date as_of, Date stale_before) {
  return guarded(m_db.get(), fmt::format("cannot read the wake dates of {}", m_path.string()), [&] {
    // One pass over the index (wake_on, published, findings), which covers the query.
    SQLite::Statement q(*m_db,
                        "SELECT count(*), total(findings), total(published < :stale), "
                        "min(CASE WHEN published < :stale THEN published END) FROM wake WHERE "
                        "wake_on > :d OR wake_on IS NULL");
    q.bind(":d", format_date(as_of));
    q.bind(":stale", format_date(stale_before));
    Resting out;
    if (q.executeStep()) {
      out.cases = static_cast<std::size_t>(q.getColumn(0).getInt64());
      out.findings = static_cast<std::size_t>(q.getColumn(1).getDouble());
      out.stale_cases = static_cast<std::size_t>(q.getColumn(2).getDouble());
      if (!q.getColumn(3).isNull()) {
        out.oldest_stale = valid_date(q.getColumn(3).getString());
      }
    }
    return out;
  });
}

std::optional<Case> Store::find_case(CaseId id, std::vector<std::string>* problems) {
  return guarded(m_db.get(), fmt::format("cannot read case #{} of {}", id, m_path.string()),
                 [&]() -> std::optional<Case> {
                   Statements::Use q(
                       *m_statements,
                       fmt::format("SELECT {} FROM cases WHERE id = :id", k_case_columns));
                   q->bind(":id", id);
                   if (!q->executeStep()) {
                     return std::nullopt;
                   }
                   RowCheck check;
                   Case c = read_case(StatementRow(*q), check);
                   if (!check.ok()) {
                     report(problems, case_problem(c.id, check, false));
                   }
                   return c;
                 });
}

std::optional<Case> Store::find_case_by_receipt(std::string_view receipt,
                                                std::vector<std::string>* problems) {
  return guarded(m_db.get(), fmt::format("cannot read the cases of {}", m_path.string()),
                 [&]() -> std::optional<Case> {
                   Statements::Use q(
                       *m_statements,
                       fmt::format("SELECT {} FROM cases WHERE receipt = :r", k_case_columns));
                   q->bind(":r", std::string(receipt));
                   if (!q->executeStep()) {
                     return std::nullopt;
                   }
                   RowCheck check;
                   Case c = read_case(StatementRow(*q), check);
                   if (!check.ok()) {
                     report(problems, case_problem(c.id, check, false));
                   }
                   return c;
                 });
}

std::vector<Event> Store::events_of(CaseId id, std::vector<std::string>* problems) {
  return guarded(m_db.get(),
                 fmt::format("cannot read the events of case #{} of {}", id, m_path.string()), [&] {
                   Statements::Use q(*m_statements,
                                     fmt::format("SELECT {} FROM events WHERE case_id = :id ORDER "
                                                 "BY date, id",
                                                 k_event_columns));
                   q->bind(":id", id);
                   std::vector<Event> out;
                   while (q->executeStep()) {
                     if (auto e = read_event(StatementRow(*q), problems)) {
                       out.push_back(std::move(*e));
                     }
                   }
                   return out;
                 });
}

std::vector<Event> Store::all_events(std::vector<std::string>* problems) {
  return guarded(m_db.get(), fmt::format("cannot read the events of {}", m_path.string()), [&] {
    SQLite::Statement q(
        *m_db, fmt::format("SELECT {} FROM events ORDER BY case_id, date, id", k_event_columns));
    std::vector<Event> out;
    while (q.executeStep()) {
      if (auto e = read_event(StatementRow(q), problems)) {
        out.push_back(std::move(*e));
      }
    }
    return out;
  });
}

void Store::each_case(const std::function<void(Case&, std::vector<Event>&)>& visit,
                      std::vector<std::string>* problems, std::optional<Date> woken_by) {
  // SQLite's errors become a StorageError; `visit` uses no SQLiteCpp, so what it throws
  // passes through unchanged.
  guarded(m_db.get(), fmt::format("cannot read the cases of {}", m_path.string()), [&] {
    // The woken cases: a wake date on or before the day, or '' (changed), which sorts
    // before every date; NULL (nothing changes with time) is never <= a date.
    std::string_view woken =
        woken_by ? " WHERE {} IN (SELECT case_id FROM wake WHERE wake_on <= :d)" : "";
    // Every row is read: through SQLite's C interface (RowQuery), a column at a time with
    // no copy of what is not kept.
    RowQuery cases(*m_db, fmt::format("SELECT {} FROM cases{} ORDER BY id", k_case_columns,
                                      fmt::format(fmt::runtime(woken), "id")));
    RowQuery events(
        *m_db, fmt::format("SELECT {} FROM events{} ORDER BY case_id, date, id", k_event_columns,
                           fmt::format(fmt::runtime(woken), "case_id")));
    if (woken_by) {
      cases.bind(":d", format_date(*woken_by));
      events.bind(":d", format_date(*woken_by));
    }
    bool more_events = events.step();
    // Reads the events of cases up to `id` (those before it have no valid case row: their
    // problems are still described, as all_events does), and keeps those of `id`.
    std::vector<Event> of_case;
    auto read_events_to = [&](CaseId id) {
      of_case.clear();
      while (more_events && events.int64(1) <= id) {
        bool keep = events.int64(1) == id;
        if (auto e = read_event(events, problems); e && keep) {
          of_case.push_back(std::move(*e));
        }
        more_events = events.step();
      }
    };
    while (cases.step()) {
      RowCheck check;
      Case c = read_case(cases, check);
      if (!check.ok()) {
        report(problems, case_problem(c.id, check, true));
      }
      read_events_to(c.id);
      if (check.ok()) {
        visit(c, of_case);
      }
    }
    read_events_to(std::numeric_limits<CaseId>::max());
  });
}

std::vector<ProcessingTime> Store::stored_times(std::vector<std::string>* problems) {
  return guarded(
      m_db.get(), fmt::format("cannot read the processing times of {}", m_path.string()), [&] {
        SQLite::Statement q(*m_db,
                            "SELECT form, category, office, halves, unit, published, "
                            "inquiry_date, source FROM processing_times ORDER BY form, "
                            "category, office");
        std::vector<ProcessingTime> out;
        while (q.executeStep()) {
          ProcessingTime r;
          RowCheck check;
          r.form = q.getColumn(0).getString();
          r.category = q.getColumn(1).getString();
          r.office = q.getColumn(2).getString();
          // Within the bounds `times set` and `times import` accept (k_max_posted_halves):
          // a larger time would put the dates it gives past the end of the calendar.
          const std::int64_t halves = q.getColumn(3).getInt64();
          const bool integer = q.getColumn(3).getType() == SQLITE_INTEGER;
          r.time.halves =
              integer && halves > 0 && halves <= k_max_posted_halves ? static_cast<int>(halves) : 0;
          std::string unit = q.getColumn(4).getString();
          r.time.unit = unit == "weeks" ? TimeUnit::weeks : TimeUnit::months;
          if (unit != "weeks" && unit != "months") {
            check.fault("its time is not a number of months or weeks", "");
          } else if (r.time.halves == 0) {
            check.fault(
                fmt::format("its time {} is not from 0.5 to {} {}",
                            text::quoted(q.getColumn(3).getString()), k_max_posted_value, unit),
                "");
          }
          auto published = check.date(q.getColumn(5), "publication date", "");
          r.inquiry_date = check.date(q.getColumn(6), "inquiry date", "");
          r.source = q.getColumn(7).getString();
          if (!published || !check.ok()) {
            if (check.ok()) {
              check.fault("it has no publication date", "");
            }
            // The command that replaces the row: `times set` of the same key for a row set by
            // the user, a newer file for an imported one.
            std::string fix =
                r.source == "set"
                    ? fmt::format("set it again with 'casewatch times set {}{}{} --{} N'",
                                  text::printable(text::shorten(r.form)),
                                  r.category.empty()
                                      ? ""
                                      : " --category " + text::printable(text::shorten(r.category)),
                                  r.office.empty()
                                      ? ""
                                      : " --office " + text::printable(text::shorten(r.office)),
                                  unit == "weeks" ? "weeks" : "months")
                    : "import newer processing times with 'casewatch times fetch' or "
                      "'casewatch times import FILE'";
            report(problems, fmt::format("the processing time of {} {} {} skipped: {}; {}",
                                         text::quoted(r.form), text::quoted(r.category),
                                         text::quoted(r.office), check.what(), fix));
            continue;
          }
          r.published = *published;
          out.push_back(std::move(r));
        }
        return out;
      });
}

[[noreturn]] void Store::conflict(const Case& c, const std::exception& cause) {
  // The receipt is unique: another case (perhaps added by another process a moment ago)
  // has it. Say which.
  std::optional<Case> other;
  try {
    SQLite::Statement q(*m_db, "SELECT id FROM cases WHERE receipt = :r");
    q.bind(":r", c.receipt.value_or(""));
    if (q.executeStep()) {
      throw Conflict(fmt::format(
          "a case with receipt {} already exists (#{}); change it with 'casewatch edit {}'",
          c.receipt.value_or(""), q.getColumn(0).getInt64(), c.receipt.value_or("")));
    }
  } catch (const SQLite::Exception&) {
  }
  throw Conflict(fmt::format("a case with receipt {} already exists ({})", c.receipt.value_or(""),
                             cause.what()));
}

CaseId Store::insert_case(const Case& c) {
  try {
    Statements::Use q(*m_statements,
                      "INSERT INTO cases (receipt, form, category, office, received, sent, "
                      "priority_date, premium_start, label, note, status, preference, "
                      "chargeability, path, holder, marriage_track, married, "
                      "spouse_citizen_since, derivative_of, form_confirmed) VALUES (:receipt, "
                      ":form, :category, :office, :received, :sent, :priority_date, "
                      ":premium_start, :label, :note, :status, :preference, :chargeability, "
                      ":path, :holder, :marriage_track, :married, :spouse_citizen_since, "
                      ":derivative_of, :form_confirmed)");
    bind_case(*q, c);
    q->exec();
    CaseId id = m_db->getLastInsertRowid();
    json key = {{"id", id}};
    record(dump(change("cases", "insert", key, nullptr, read_row(*m_statements, "cases", key))));
    return id;
  } catch (const SQLite::Exception& e) {
    if (is_receipt_conflict(e)) {
      conflict(c, e);
    }
    throw StorageError(fmt::format("cannot add the case to {}: {}", m_path.string(),
                                   describe(e, m_db->getHandle())));
  }
}

void Store::update_case(const Case& c) {
  try {
    Statements::Use q(*m_statements,
                      "UPDATE cases SET receipt = :receipt, form = :form, category = :category, "
                      "office = :office, received = :received, sent = :sent, priority_date = "
                      ":priority_date, premium_start = :premium_start, label = :label, note = "
                      ":note, status = :status, preference = :preference, chargeability = "
                      ":chargeability, path = :path, holder = :holder, marriage_track = "
                      ":marriage_track, married = :married, spouse_citizen_since = "
                      ":spouse_citizen_since, derivative_of = :derivative_of, form_confirmed = "
                      ":form_confirmed WHERE id = :id");
    bind_case(*q, c);
    q->bind(":id", c.id);
    json key = {{"id", c.id}};
    json before = read_row(*m_statements, "cases", key);
    q->exec();
    json after = read_row(*m_statements, "cases", key);
    if (before != after) {
      record(dump(change("cases", "update", key, before, after)));
    }
  } catch (const SQLite::Exception& e) {
    if (is_receipt_conflict(e)) {
      conflict(c, e);
    }
    throw StorageError(fmt::format("cannot change case #{} in {}: {}", c.id, m_path.string(),
                                   describe(e, m_db->getHandle())));
  }
}

void Store::delete_case(CaseId id) {
  guarded(m_db.get(), fmt::format("cannot remove case #{} from {}", id, m_path.string()), [&] {
    json key = {{"id", id}};
    json before = read_row(*m_statements, "cases", key);
    if (before.is_null()) {
      return;
    }
    // Its events, reported findings and status snapshots go with it (ON DELETE CASCADE): each
    // is kept in the journal first, so that undo brings them back.
    for (std::string_view table : {"events", "reported", "status_snapshots"}) {
      for (const json& row : read_rows(*m_statements, table, "case_id = ?", {json(id)},
                                       table == "events"     ? "id"
                                       : table == "reported" ? "rule, since"
                                                             : "source")) {
        record(dump(change(table, "delete", key_of(table, row), row, nullptr)));
      }
    }
    Statements::Use q(*m_statements, "DELETE FROM cases WHERE id = :id");
    q->bind(":id", id);
    q->exec();
    record(dump(change("cases", "delete", key, before, nullptr)));
  });
}

std::int64_t Store::insert_event(const Event& e) {
  return guarded(
      m_db.get(),
      fmt::format("cannot record the event of case #{} in {}", e.case_id, m_path.string()), [&] {
        std::int64_t seq = e.seq;
        if (seq <= 0) {
          // The next number of the case: never one an event removed since had.
          Statements::Use next(*m_statements,
                               "SELECT max(coalesce((SELECT last FROM event_seq WHERE case_id "
                               "= :c), 0), coalesce((SELECT max(seq) FROM events WHERE case_id "
                               "= :c), 0)) + 1");
          next->bind(":c", e.case_id);
          next->executeStep();
          seq = next->getColumn(0).getInt64();
        }
        Statements::Use q(*m_statements,
                          "INSERT INTO events (case_id, kind, date, due, ref, office, note, "
                          "seq, source, observed, title, basis, channel, need_by, class, "
                          "for_seq, admin) VALUES (:case_id, :kind, :date, :due, :ref, :office, "
                          ":note, :seq, :source, :observed, :title, :basis, :channel, :need_by, "
                          ":class, :for_seq, :admin)");
        q->bind(":case_id", e.case_id);
        q->bind(":kind", std::string(to_string(e.kind)));
        q->bind(":date", format_date(e.date));
        bind_optional(*q, ":due", e.due);
        bind_optional(*q, ":ref", e.ref);
        bind_optional(*q, ":office", e.office);
        bind_optional(*q, ":note", e.note);
        q->bind(":seq", seq);
        bind_optional(*q, ":source", e.source);
        bind_optional(*q, ":observed", e.observed);
        bind_optional(*q, ":title", e.title);
        bind_event_details(*q, e);
        q->exec();
        std::int64_t id = m_db->getLastInsertRowid();
        Statements::Use counter(*m_statements,
                                "INSERT INTO event_seq (case_id, last) VALUES (:c, :seq) ON "
                                "CONFLICT (case_id) DO UPDATE SET last = max(last, "
                                "excluded.last)");
        counter->bind(":c", e.case_id);
        counter->bind(":seq", seq);
        counter->exec();
        json key = {{"id", id}};
        record(
            dump(change("events", "insert", key, nullptr, read_row(*m_statements, "events", key))));
        return id;
      });
}

void Store::update_event(const Event& e) {
  guarded(
      m_db.get(),
      fmt::format("cannot change event {} of case #{} in {}", e.seq, e.case_id, m_path.string()),
      [&] {
        json key = {{"id", e.id}};
        json before = read_row(*m_statements, "events", key);
        Statements::Use q(*m_statements,
                          "UPDATE events SET kind = :kind, date = :date, due = :due, ref = "
                          ":ref, office = :office, note = :note, basis = :basis, channel = "
                          ":channel, need_by = :need_by, class = :class, for_seq = :for_seq, "
                          "admin = :admin WHERE id = :id");
        q->bind(":kind", std::string(to_string(e.kind)));
        q->bind(":date", format_date(e.date));
        bind_optional(*q, ":due", e.due);
        bind_optional(*q, ":ref", e.ref);
        bind_optional(*q, ":office", e.office);
        bind_optional(*q, ":note", e.note);
        bind_event_details(*q, e);
        q->bind(":id", e.id);
        q->exec();
        json after = read_row(*m_statements, "events", key);
        if (before != after) {
          record(dump(change("events", "update", key, before, after)));
        }
      });
}

void Store::delete_event(std::int64_t id) {
  guarded(m_db.get(), fmt::format("cannot remove event #{} from {}", id, m_path.string()), [&] {
    json key = {{"id", id}};
    json before = read_row(*m_statements, "events", key);
    if (before.is_null()) {
      return;
    }
    Statements::Use q(*m_statements, "DELETE FROM events WHERE id = :id");
    q->bind(":id", id);
    q->exec();
    record(dump(change("events", "delete", key, before, nullptr)));
  });
}

std::optional<std::string> Store::snapshot_fingerprint(CaseId id, std::string_view source) {
  return guarded(m_db.get(), fmt::format("cannot read the status snapshots of {}", m_path.string()),
                 [&]() -> std::optional<std::string> {
                   Statements::Use q(
                       *m_statements,
                       "SELECT fingerprint FROM status_snapshots WHERE case_id = :id AND "
                       "source = :source");
                   q->bind(":id", id);
                   q->bind(":source", std::string(source));
                   if (!q->executeStep()) {
                     return std::nullopt;
                   }
                   return q->getColumn(0).getString();
                 });
}

void Store::record_snapshot(CaseId id, std::string_view source, std::string_view fingerprint,
                            Date observed) {
  guarded(m_db.get(),
          fmt::format("cannot record the status of case #{} in {}", id, m_path.string()), [&] {
            // The same status seen again is no change: `observed` stays the day it was first
            // seen, and nothing is journaled.
            if (snapshot_fingerprint(id, source) == std::string(fingerprint)) {
              return;
            }
            json key = {{"case_id", id}, {"source", source}};
            journaled_write(
                *m_statements, "status_snapshots", key,
                [&] {
                  Statements::Use q(*m_statements,
                                    "INSERT OR REPLACE INTO status_snapshots (case_id, source, "
                                    "fingerprint, observed) VALUES (:id, :source, :fp, :observed)");
                  q->bind(":id", id);
                  q->bind(":source", std::string(source));
                  q->bind(":fp", std::string(fingerprint));
                  q->bind(":observed", format_date(observed));
                  q->exec();
                },
                [&](std::string c) { record(std::move(c)); });
          });
}

void Store::set_status(CaseId id, Status status) {
  guarded(m_db.get(), fmt::format("cannot set the status of case #{} in {}", id, m_path.string()),
          [&] {
            json key = {{"id", id}};
            json before = read_row(*m_statements, "cases", key);
            Statements::Use q(*m_statements, "UPDATE cases SET status = :status WHERE id = :id");
            q->bind(":status", std::string(to_string(status)));
            q->bind(":id", id);
            q->exec();
            json after = read_row(*m_statements, "cases", key);
            if (before != after) {
              record(dump(change("cases", "update", key, before, after)));
            }
          });
}

Store::ImportCounts Store::import_times(const std::vector<ProcessingTime>& rows) {
  return guarded(
      m_db.get(), fmt::format("cannot store the imported processing times in {}", m_path.string()),
      [&] {
        ImportCounts counts;
        SQLite::Statement find(*m_db,
                               "SELECT published FROM processing_times WHERE form = :form AND "
                               "category = :category AND office = :office AND source LIKE "
                               "'import:%' ORDER BY published DESC LIMIT 1");
        SQLite::Statement drop(*m_db,
                               "DELETE FROM processing_times WHERE form = :form AND category = "
                               ":category AND office = :office AND source LIKE 'import:%'");
        for (const ProcessingTime& row : rows) {
          find.bind(":form", row.form);
          find.bind(":category", row.category);
          find.bind(":office", row.office);
          std::optional<Date> stored;
          if (find.executeStep()) {
            stored = valid_date(find.getColumn(0).getString());
          }
          find.reset();
          if (stored && *stored >= row.published) {
            ++counts.unchanged;
            continue;
          }
          if (stored) {
            for (const json& gone :
                 read_rows(*m_statements, "processing_times",
                           "form = ? AND category = ? AND office = ? AND source LIKE 'import:%'",
                           {json(row.form), json(row.category), json(row.office)})) {
              record(dump(change("processing_times", "delete", key_of("processing_times", gone),
                                 gone, nullptr)));
            }
            drop.bind(":form", row.form);
            drop.bind(":category", row.category);
            drop.bind(":office", row.office);
            drop.exec();
            drop.reset();
            ++counts.replaced;
          } else {
            ++counts.added;
          }
          upsert_time(row);
        }
        return counts;
      });
}

std::vector<BulletinRow> Store::bulletin_rows(std::vector<std::string>* problems) {
  return guarded(
      m_db.get(), fmt::format("cannot read the Visa Bulletin of {}", m_path.string()), [&] {
        SQLite::Statement q(*m_db,
                            "SELECT month, chart, category, country, status, date, source "
                            "FROM bulletin ORDER BY month, chart, category, country");
        std::vector<BulletinRow> out;
        while (q.executeStep()) {
          std::string month = q.getColumn(0).getString();
          std::string category = q.getColumn(2).getString();
          std::string country = q.getColumn(3).getString();
          std::string status = q.getColumn(4).getString();
          std::string cutoff = q.getColumn(5).isNull() ? std::string() : q.getColumn(5).getString();
          // The domain's checks, so a row edited by hand cannot mislead the rule.
          auto parsed = parse_bulletin_records(
              {csv::Record{1, {"bulletin", "chart", "category", "country", "status", "date"}},
               csv::Record{2,
                           {month, q.getColumn(1).getString(), category, country, status, cutoff}}},
              q.getColumn(6).getString());
          if (!parsed) {
            report(problems,
                   fmt::format("the Visa Bulletin cell {} {} {} skipped: {}", text::quoted(month),
                               text::quoted(category), text::quoted(country), parsed.error()));
            continue;
          }
          out.push_back(std::move(parsed->rows.front()));
        }
        return out;
      });
}

std::vector<ChartChoice> Store::chart_choices(std::vector<std::string>* problems) {
  return guarded(
      m_db.get(), fmt::format("cannot read USCIS's chart choices of {}", m_path.string()), [&] {
        SQLite::Statement q(*m_db,
                            "SELECT month, family, employment, source FROM uscis_chart "
                            "ORDER BY month");
        std::vector<ChartChoice> out;
        while (q.executeStep()) {
          std::string month = q.getColumn(0).getString();
          auto m = parse_month(month);
          auto family = parse_chart(q.getColumn(1).getString());
          auto employment = parse_chart(q.getColumn(2).getString());
          if (!m || !family || !employment) {
            report(problems, fmt::format("USCIS's chart choice of {} skipped: not a month and two "
                                         "charts; set it again with 'casewatch bulletin chart'",
                                         text::quoted(month)));
            continue;
          }
          out.push_back(ChartChoice{*m, *family, *employment, q.getColumn(3).getString()});
        }
        return out;
      });
}

namespace {
std::string_view status_word(const Cell& c) {
  switch (c.status) {
    case Cell::Status::date:
      return "date";
    case Cell::Status::current:
      return "current";
    case Cell::Status::unavailable:
      break;
  }
  return "unavailable";
}
}  // namespace

Store::ImportCounts Store::store_bulletin(const std::vector<BulletinRow>& rows) {
  return guarded(
      m_db.get(), fmt::format("cannot store the Visa Bulletin in {}", m_path.string()), [&] {
        ImportCounts counts;
        SQLite::Statement find(*m_db,
                               "SELECT status, date FROM bulletin WHERE month = :month AND "
                               "chart = :chart AND category = :category AND country = :country");
        SQLite::Statement put(*m_db,
                              "INSERT OR REPLACE INTO bulletin (month, chart, category, country, "
                              "status, date, source) VALUES (:month, :chart, :category, "
                              ":country, :status, :date, :source)");
        for (const BulletinRow& r : rows) {
          const std::string month = format_month(r.month);
          const std::string chart(to_string(r.chart));
          const std::string status(status_word(r.cell));
          const std::string cutoff = r.cell.cutoff ? format_date(*r.cell.cutoff) : std::string();
          find.bind(":month", month);
          find.bind(":chart", chart);
          find.bind(":category", r.category);
          find.bind(":country", r.column);
          bool stored = find.executeStep();
          bool same = stored && find.getColumn(0).getString() == status &&
                      (find.getColumn(1).isNull() ? std::string()
                                                  : find.getColumn(1).getString()) == cutoff;
          find.reset();
          if (same) {
            ++counts.unchanged;
            continue;
          }
          ++(stored ? counts.replaced : counts.added);
          put.bind(":month", month);
          put.bind(":chart", chart);
          put.bind(":category", r.category);
          put.bind(":country", r.column);
          put.bind(":status", status);
          if (r.cell.cutoff) {
            put.bind(":date", cutoff);
          } else {
            put.bind(":date");
          }
          put.bind(":source", r.source);
          journaled_write(
              *m_statements, "bulletin",
              {{"month", month}, {"chart", chart}, {"category", r.category}, {"country", r.column}},
              [&] {
                put.exec();
                put.reset();
              },
              [&](std::string c) { record(std::move(c)); });
        }
        return counts;
      });
}

Store::ImportCounts Store::store_chart_choices(const std::vector<ChartChoice>& choices) {
  return guarded(
      m_db.get(), fmt::format("cannot store USCIS's chart choices in {}", m_path.string()), [&] {
        ImportCounts counts;
        SQLite::Statement find(*m_db,
                               "SELECT family, employment FROM uscis_chart WHERE month = :month");
        SQLite::Statement put(*m_db,
                              "INSERT OR REPLACE INTO uscis_chart (month, family, employment, "
                              "source) VALUES (:month, :family, :employment, :source)");
        for (const ChartChoice& c : choices) {
          const std::string month = format_month(c.month);
          const std::string family(to_string(c.family));
          const std::string employment(to_string(c.employment));
          find.bind(":month", month);
          bool stored = find.executeStep();
          bool same = stored && find.getColumn(0).getString() == family &&
                      find.getColumn(1).getString() == employment;
          find.reset();
          if (same) {
            ++counts.unchanged;
            continue;
          }
          ++(stored ? counts.replaced : counts.added);
          put.bind(":month", month);
          put.bind(":family", family);
          put.bind(":employment", employment);
          put.bind(":source", c.source);
          journaled_write(
              *m_statements, "uscis_chart", {{"month", month}},
              [&] {
                put.exec();
                put.reset();
              },
              [&](std::string change) { record(std::move(change)); });
        }
        return counts;
      });
}

std::vector<FindingKey> Store::reported(std::optional<Date> woken_by) {
  return guarded(
      m_db.get(), fmt::format("cannot read the findings already reported from {}", m_path.string()),
      [&] {
        SQLite::Statement q(*m_db, fmt::format("SELECT case_id, rule, since, stage FROM reported{}",
                                               woken_by ? " WHERE case_id IN (SELECT case_id "
                                                          "FROM wake WHERE wake_on <= :d)"
                                                        : ""));
        if (woken_by) {
          q.bind(":d", format_date(*woken_by));
        }
        std::vector<FindingKey> out;
        while (q.executeStep()) {
          // A row that is not valid is left out: at worst its finding is reported again.
          if (auto since = valid_date(q.getColumn(2).getString())) {
            out.push_back(FindingKey{q.getColumn(0).getInt64(), q.getColumn(1).getString(), *since,
                                     q.getColumn(3).getString()});
          }
        }
        return out;
      });
}

bool Store::notice_reported(std::string_view kind, std::string_view period) {
  return guarded(
      m_db.get(), fmt::format("cannot read the notices already reported from {}", m_path.string()),
      [&] {
        SQLite::Statement q(
            *m_db, "SELECT 1 FROM notices_reported WHERE kind = :kind AND period = :period");
        q.bind(":kind", std::string(kind));
        q.bind(":period", std::string(period));
        return q.executeStep();
      });
}

void Store::record_notice(std::string_view kind, std::string_view period, Date reported_on) {
  guarded(m_db.get(), fmt::format("cannot record the notices in {}", m_path.string()), [&] {
    SQLite::Statement q(*m_db,
                        "INSERT OR IGNORE INTO notices_reported (kind, period, reported_on) "
                        "VALUES (:kind, :period, :on)");
    q.bind(":kind", std::string(kind));
    q.bind(":period", std::string(period));
    q.bind(":on", format_date(reported_on));
    q.exec();
  });
}

int Store::requests_on(std::string_view service, Date day) {
  return guarded(m_db.get(), fmt::format("cannot read the fetch counts of {}", m_path.string()),
                 [&] {
                   SQLite::Statement q(*m_db,
                                       "SELECT requests FROM fetches WHERE service = :service "
                                       "AND day = :day");
                   q.bind(":service", std::string(service));
                   q.bind(":day", format_date(day));
                   return q.executeStep() ? q.getColumn(0).getInt() : 0;
                 });
}

void Store::count_requests(std::string_view service, Date day, int requests) {
  guarded(m_db.get(), fmt::format("cannot record the fetch counts in {}", m_path.string()), [&] {
    SQLite::Statement q(*m_db,
                        "INSERT INTO fetches (service, day, requests) VALUES (:service, :day, "
                        ":n) ON CONFLICT (service, day) DO UPDATE SET requests = requests + :n");
    q.bind(":service", std::string(service));
    q.bind(":day", format_date(day));
    q.bind(":n", requests);
    q.exec();
  });
}

std::optional<Date> Store::last_fetch(std::string_view service) {
  return guarded(m_db.get(), fmt::format("cannot read the fetch counts of {}", m_path.string()),
                 [&]() -> std::optional<Date> {
                   SQLite::Statement q(*m_db,
                                       "SELECT max(day) FROM fetches WHERE service = :service");
                   q.bind(":service", std::string(service));
                   if (!q.executeStep() || q.getColumn(0).isNull()) {
                     return std::nullopt;
                   }
                   return valid_date(q.getColumn(0).getString());
                 });
}

void Store::record_reported(const std::vector<FindingKey>& keys, Date reported_on) {
  guarded(m_db.get(), fmt::format("cannot record the findings in {}", m_path.string()), [&] {
    SQLite::Statement q(*m_db,
                        "INSERT OR IGNORE INTO reported (case_id, rule, since, stage, "
                        "reported_on) SELECT :case_id, :rule, :since, :stage, :on "
                        "WHERE EXISTS (SELECT 1 FROM cases WHERE id = :case_id)");
    const std::string on = format_date(reported_on);
    for (const FindingKey& k : keys) {
      q.bind(":case_id", k.case_id);
      q.bind(":rule", k.rule);
      q.bind(":since", format_date(k.since));
      q.bind(":stage", k.stage);
      q.bind(":on", on);
      q.exec();
      q.reset();
    }
  });
}

void Store::upsert_time(const ProcessingTime& row) {
  guarded(m_db.get(), fmt::format("cannot store the processing time in {}", m_path.string()), [&] {
    json key = {{"form", row.form},
                {"category", row.category},
                {"office", row.office},
                {"source", row.source}};
    json before = read_row(*m_statements, "processing_times", key);
    SQLite::Statement q(*m_db,
                        "INSERT OR REPLACE INTO processing_times (form, category, office, "
                        "halves, unit, published, inquiry_date, source) VALUES (:form, "
                        ":category, :office, :halves, :unit, :published, :inquiry_date, "
                        ":source)");
    q.bind(":form", row.form);
    q.bind(":category", row.category);
    q.bind(":office", row.office);
    q.bind(":halves", row.time.halves);
    q.bind(":unit", std::string(to_string(row.time.unit)));
    q.bind(":published", format_date(row.published));
    bind_optional(q, ":inquiry_date", row.inquiry_date);
    q.bind(":source", row.source);
    q.exec();
    json after = read_row(*m_statements, "processing_times", key);
    if (before != after) {
      record(dump(
          change("processing_times", before.is_null() ? "insert" : "update", key, before, after)));
    }
  });
}

bool Store::delete_time(const std::string& form, const std::string& category,
                        const std::string& office) {
  return guarded(
      m_db.get(), fmt::format("cannot remove the processing time from {}", m_path.string()), [&] {
        json key = {{"form", form}, {"category", category}, {"office", office}, {"source", "set"}};
        json before = read_row(*m_statements, "processing_times", key);
        if (before.is_null()) {
          return false;
        }
        SQLite::Statement q(*m_db,
                            "DELETE FROM processing_times WHERE form = :form AND category = "
                            ":category AND office = :office AND source = 'set'");
        q.bind(":form", form);
        q.bind(":category", category);
        q.bind(":office", office);
        q.exec();
        record(dump(change("processing_times", "delete", key, before, nullptr)));
        return true;
      });
}

namespace {
// Interrupts a statement that runs past its deadline (an endless view).
int past_deadline(void* deadline) {
  return std::chrono::steady_clock::now() >
                 *static_cast<std::chrono::steady_clock::time_point*>(deadline)
             ? 1
             : 0;
}
}  // namespace

namespace {

std::vector<csv::Record> read_table(const std::filesystem::path& path, std::string_view table) {
  const std::string what = fmt::format("cannot read the table {} of {}", table, path.string());
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw StorageError(fmt::format("{}: {}", what, std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    throw StorageError(fmt::format("{}: it is not a regular file", what));
  }
  if (static_cast<std::uint64_t>(st.st_size) > k_max_table_bytes) {
    throw StorageError(
        fmt::format("{}: the file is larger than {} MiB; casewatch reads files up "
                    "to {} MiB",
                    what, k_max_table_bytes >> 20U, k_max_table_bytes >> 20U));
  }
  try {
    // Read-only and immutable: nothing is created beside it, nothing in it is changed.
    SQLite::Database db(file_uri(path, "mode=ro&immutable=1"),
                        SQLite::OPEN_READONLY | SQLite::OPEN_URI | SQLite::OPEN_NOMUTEX);
    sqlite3_limit(db.getHandle(), SQLITE_LIMIT_LENGTH, k_max_table_value_bytes);
    auto deadline = std::chrono::steady_clock::now() + k_table_read_limit;
    sqlite3_progress_handler(db.getHandle(), 100000, past_deadline, &deadline);
    SQLite::Statement q(db, fmt::format("SELECT * FROM {}", table));
    std::vector<csv::Record> out;
    csv::Record header;
    header.line = 1;
    for (int i = 0; i < q.getColumnCount(); ++i) {
      header.fields.emplace_back(q.getColumnName(i));
    }
    out.push_back(std::move(header));
    std::size_t row = 1;
    std::size_t bytes = 0;
    while (q.executeStep()) {
      if (row > k_max_table_rows) {
        throw StorageError(fmt::format("{}: it has more than {} rows; casewatch reads up to {}",
                                       what, k_max_table_rows, k_max_table_rows));
      }
      csv::Record r;
      r.line = ++row;
      for (int i = 0; i < q.getColumnCount(); ++i) {
        r.fields.push_back(q.getColumn(i).isNull() ? std::string() : q.getColumn(i).getString());
        bytes += r.fields.back().size() + sizeof(std::string);
      }
      if (bytes > k_max_table_bytes) {
        throw StorageError(
            fmt::format("{}: its rows hold more than {} MiB; casewatch reads up "
                        "to {} MiB",
                        what, k_max_table_bytes >> 20U, k_max_table_bytes >> 20U));
      }
      out.push_back(std::move(r));
    }
    return out;
  } catch (const SQLite::Exception& e) {
    if ((e.getErrorCode() & 0xff) == SQLITE_INTERRUPT) {
      throw StorageError(fmt::format("{}: reading it took more than {} seconds", what,
                                     k_table_read_limit.count()));
    }
    if ((e.getErrorCode() & 0xff) == SQLITE_NOTADB) {
      throw StorageError(fmt::format("{}: it is not a SQLite database", what));
    }
    if ((e.getErrorCode() & 0xff) == SQLITE_TOOBIG) {
      throw StorageError(
          fmt::format("{}: a value in it is larger than {} MiB; casewatch reads "
                      "values up to {} MiB",
                      what, k_max_table_value_bytes >> 20, k_max_table_value_bytes >> 20));
    }
    throw StorageError(fmt::format("{}: {}", what, e.what()));
  }
}

}  // namespace

std::vector<csv::Record> read_processing_time_table(const std::filesystem::path& path) {
  return read_table(path, "processing_time");
}

std::vector<csv::Record> read_visa_bulletin_table(const std::filesystem::path& path) {
  return read_table(path, "visa_bulletin");
}

// --- Documents and trips (docs/rules.md, "Document windows") ---

namespace {

constexpr std::string_view k_document_columns =
    "id, kind, since, expires, category, holder, renewed_by, note, recorded";

// A stored document, or nothing (and a problem) when a value is not valid.
std::optional<Document> read_document(SQLite::Statement& q, std::vector<std::string>* problems) {
  StatementRow row(q);
  RowCheck check;
  Document d;
  d.id = row.int64(0);
  std::string_view kind_text = row.text(1).value_or("");
  auto kind = parse_document_kind(kind_text);
  if (kind) {
    d.kind = *kind;
  } else {
    check.fault(fmt::format("its kind {} is not a document kind", text::quoted(kind_text)), "");
  }
  d.since = check.date(row.text(2), "since date", "--since");
  d.expires = check.date(row.text(3), "expiry date", "--expires");
  d.category = owned(row.text(4));
  d.holder = owned(row.text(5));
  if (!q.getColumn(6).isNull()) {
    d.renewed_by = row.int64(6);
  }
  d.note = owned(row.text(7));
  auto recorded = check.date(row.text(8), "recorded date", "");
  d.recorded = recorded.value_or(Date{});
  if (!check.ok()) {
    report(problems, fmt::format("document d{} skipped: {}", d.id, check.what()));
    return std::nullopt;
  }
  return d;
}

void bind_document(SQLite::Statement& q, const Document& d) {
  q.bind(":kind", std::string(to_string(d.kind)));
  bind_optional(q, ":since", d.since);
  bind_optional(q, ":expires", d.expires);
  bind_optional(q, ":category", d.category);
  bind_optional(q, ":holder", d.holder);
  if (d.renewed_by) {
    q.bind(":renewed_by", *d.renewed_by);
  } else {
    q.bind(":renewed_by");
  }
  bind_optional(q, ":note", d.note);
  q.bind(":recorded", format_date(d.recorded));
}

}  // namespace

std::vector<Document> Store::all_documents(std::vector<std::string>* problems) {
  return guarded(m_db.get(), fmt::format("cannot read the documents of {}", m_path.string()), [&] {
    SQLite::Statement q(*m_db,
                        fmt::format("SELECT {} FROM documents ORDER BY id", k_document_columns));
    std::vector<Document> out;
    while (q.executeStep()) {
      if (auto d = read_document(q, problems)) {
        out.push_back(std::move(*d));
      }
    }
    return out;
  });
}

std::optional<Document> Store::find_document(DocumentId id) {
  return guarded(m_db.get(), fmt::format("cannot read document d{} of {}", id, m_path.string()),
                 [&]() -> std::optional<Document> {
                   SQLite::Statement q(*m_db, fmt::format("SELECT {} FROM documents WHERE id = :id",
                                                          k_document_columns));
                   q.bind(":id", id);
                   if (!q.executeStep()) {
                     return std::nullopt;
                   }
                   return read_document(q, nullptr);
                 });
}

DocumentId Store::insert_document(const Document& d) {
  return guarded(m_db.get(), fmt::format("cannot add the document to {}", m_path.string()), [&] {
    SQLite::Statement q(*m_db,
                        "INSERT INTO documents (kind, since, expires, category, holder, "
                        "renewed_by, note, recorded) VALUES (:kind, :since, :expires, :category, "
                        ":holder, :renewed_by, :note, :recorded)");
    bind_document(q, d);
    q.exec();
    DocumentId id = m_db->getLastInsertRowid();
    json key = {{"id", id}};
    record(dump(
        change("documents", "insert", key, nullptr, read_row(*m_statements, "documents", key))));
    return id;
  });
}

void Store::update_document(const Document& d) {
  guarded(m_db.get(), fmt::format("cannot change document d{} in {}", d.id, m_path.string()), [&] {
    SQLite::Statement q(*m_db,
                        "UPDATE documents SET kind = :kind, since = :since, expires = :expires, "
                        "category = :category, holder = :holder, renewed_by = :renewed_by, note "
                        "= :note, recorded = :recorded WHERE id = :id");
    bind_document(q, d);
    q.bind(":id", d.id);
    json key = {{"id", d.id}};
    json before = read_row(*m_statements, "documents", key);
    q.exec();
    json after = read_row(*m_statements, "documents", key);
    if (before != after) {
      record(dump(change("documents", "update", key, before, after)));
    }
  });
}

void Store::delete_document(DocumentId id) {
  guarded(m_db.get(), fmt::format("cannot remove document d{} from {}", id, m_path.string()), [&] {
    json key = {{"id", id}};
    json before = read_row(*m_statements, "documents", key);
    if (before.is_null()) {
      return;
    }
    SQLite::Statement q(*m_db, "DELETE FROM documents WHERE id = :id");
    q.bind(":id", id);
    q.exec();
    record(dump(change("documents", "delete", key, before, nullptr)));
  });
}

std::vector<Trip> Store::all_trips(std::vector<std::string>* problems) {
  return guarded(m_db.get(), fmt::format("cannot read the trips of {}", m_path.string()), [&] {
    SQLite::Statement q(*m_db,
                        "SELECT id, holder, left_on, returned_on FROM trips ORDER BY holder, "
                        "left_on, id");
    std::vector<Trip> out;
    while (q.executeStep()) {
      StatementRow row(q);
      RowCheck check;
      Trip t;
      t.id = row.int64(0);
      t.holder = std::string(row.text(1).value_or(""));
      auto left = check.date(row.text(2), "date left", "");
      t.returned = check.date(row.text(3), "date returned", "");
      if (!left) {
        check.fault("it has no date left", "");
      }
      if (!check.ok()) {
        report(problems, fmt::format("trip {} skipped: {}", t.id, check.what()));
        continue;
      }
      t.left = *left;
      out.push_back(std::move(t));
    }
    return out;
  });
}

TripId Store::insert_trip(const Trip& t) {
  return guarded(m_db.get(), fmt::format("cannot add the trip to {}", m_path.string()), [&] {
    SQLite::Statement q(*m_db,
                        "INSERT INTO trips (holder, left_on, returned_on) VALUES (:holder, "
                        ":left, :returned)");
    q.bind(":holder", t.holder);
    q.bind(":left", format_date(t.left));
    bind_optional(q, ":returned", t.returned);
    q.exec();
    TripId id = m_db->getLastInsertRowid();
    json key = {{"id", id}};
    record(dump(change("trips", "insert", key, nullptr, read_row(*m_statements, "trips", key))));
    return id;
  });
}

bool Store::delete_trip(TripId id) {
  return guarded(m_db.get(), fmt::format("cannot remove trip {} from {}", id, m_path.string()),
                 [&] {
                   json key = {{"id", id}};
                   json before = read_row(*m_statements, "trips", key);
                   if (before.is_null()) {
                     return false;
                   }
                   SQLite::Statement q(*m_db, "DELETE FROM trips WHERE id = :id");
                   q.bind(":id", id);
                   q.exec();
                   record(dump(change("trips", "delete", key, before, nullptr)));
                   return true;
                 });
}

std::vector<FindingKey> Store::reported_documents() {
  return guarded(m_db.get(),
                 fmt::format("cannot read the reported findings of {}", m_path.string()), [&] {
                   SQLite::Statement q(
                       *m_db, "SELECT document_id, rule, since, stage FROM reported_documents");
                   std::vector<FindingKey> out;
                   while (q.executeStep()) {
                     auto since = valid_date(q.getColumn(2).getString());
                     if (!since) {
                       continue;
                     }
                     FindingKey k;
                     k.document_id = q.getColumn(0).getInt64();
                     k.rule = q.getColumn(1).getString();
                     k.since = *since;
                     k.stage = q.getColumn(3).getString();
                     out.push_back(std::move(k));
                   }
                   return out;
                 });
}

void Store::record_reported_documents(const std::vector<FindingKey>& keys, Date reported_on) {
  guarded(m_db.get(), fmt::format("cannot record the reported findings in {}", m_path.string()),
          [&] {
            SQLite::Statement q(*m_db,
                                "INSERT OR IGNORE INTO reported_documents (document_id, rule, "
                                "since, stage, reported_on) VALUES (:d, :r, :s, :t, :on)");
            for (const FindingKey& k : keys) {
              q.bind(":d", k.document_id);
              q.bind(":r", k.rule);
              q.bind(":s", format_date(k.since));
              q.bind(":t", k.stage);
              q.bind(":on", format_date(reported_on));
              q.exec();
              q.reset();
            }
          });
}

}  // namespace casewatch::store
