// SPDX-License-Identifier: MIT
#include "casewatch/store/store.hpp"

#include <SQLiteCpp/Statement.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace casewatch::store {
namespace {

constexpr int k_busy_timeout_ms = 5000;

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
};

constexpr std::string_view k_case_columns =
    "id, receipt, form, category, office, received, sent, priority_date, premium_start, "
    "label, note, status";
constexpr std::string_view k_event_columns = "id, case_id, kind, date, due, ref, office, note";

std::optional<std::string> text(const SQLite::Column& col) {
  if (col.isNull()) {
    return std::nullopt;
  }
  return col.getString();
}

Date stored_date(const SQLite::Column& col) {
  const char* text = col.getText();
  auto parsed = parse_iso_date(std::string_view(text, static_cast<std::size_t>(col.getBytes())));
  if (!parsed) {
    throw StorageError(fmt::format("the database holds a malformed date '{}' in column {}",
                                   col.getString(), col.getName()));
  }
  return *parsed;
}

std::optional<Date> optional_date(const SQLite::Column& col) {
  if (col.isNull()) {
    return std::nullopt;
  }
  return stored_date(col);
}

Case read_case(SQLite::Statement& q) {
  Case c;
  c.id = q.getColumn(0).getInt64();
  c.receipt = text(q.getColumn(1));
  c.form = q.getColumn(2).getString();
  c.category = text(q.getColumn(3));
  c.office = text(q.getColumn(4));
  c.received = optional_date(q.getColumn(5));
  c.sent = optional_date(q.getColumn(6));
  c.priority_date = optional_date(q.getColumn(7));
  c.premium_start = optional_date(q.getColumn(8));
  c.label = text(q.getColumn(9));
  c.note = text(q.getColumn(10));
  auto status = parse_status(q.getColumn(11).getString());
  c.status = status ? *status : Status::pending;
  return c;
}

Event read_event(SQLite::Statement& q) {
  Event e;
  e.id = q.getColumn(0).getInt64();
  e.case_id = q.getColumn(1).getInt64();
  auto kind = parse_event_kind(q.getColumn(2).getString());
  if (!kind) {
    throw StorageError("the database holds an unknown event kind: " + kind.error());
  }
  e.kind = *kind;
  e.date = stored_date(q.getColumn(3));
  e.due = optional_date(q.getColumn(4));
  e.ref = text(q.getColumn(5));
  e.office = text(q.getColumn(6));
  e.note = text(q.getColumn(7));
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

}  // namespace

Store::Store(const std::filesystem::path& path) : m_path(path) {
  create_private_file(path);
  try {
    // One connection used by one thread: no mutexes needed (SQLITE_OPEN_NOMUTEX).
    m_db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX,
                                              k_busy_timeout_ms);
    int version = m_db->execAndGet("PRAGMA user_version").getInt();
    if (version > k_schema_version) {
      throw StorageError(fmt::format(
          "{} was written by a newer casewatch (schema version {}; this one reads up to {}); "
          "upgrade casewatch to use it. The file was not changed.",
          path.string(), version, k_schema_version));
    }
    m_db->exec("PRAGMA journal_mode = WAL");
    m_db->exec("PRAGMA foreign_keys = ON");
    if (version < k_schema_version) {
      migrate();
    }
  } catch (const SQLite::Exception& e) {
    throw StorageError(fmt::format("cannot open {}: {}", path.string(), e.what()));
  }
}

Store::~Store() = default;

void Store::migrate() {
  int version = m_db->execAndGet("PRAGMA user_version").getInt();
  bool has_data = version > 0;
  if (has_data) {
    // A consistent copy of the file as it was, kept beside it.
    std::filesystem::path backup = m_path;
    backup += fmt::format(".schema{}.bak", version);
    std::error_code ec;
    std::filesystem::remove(backup, ec);
    SQLite::Statement copy(*m_db, "VACUUM INTO :path");
    copy.bind(":path", backup.string());
    copy.exec();
  }
  SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
  // Another process may have migrated while this one waited for the lock.
  version = m_db->execAndGet("PRAGMA user_version").getInt();
  for (int v = version; v < k_schema_version; ++v) {
    m_db->exec(std::string(k_migrations[static_cast<std::size_t>(v)]));
  }
  if (version < k_schema_version) {
    m_db->exec(fmt::format("PRAGMA user_version = {}", k_schema_version));
  }
  tx.commit();
}

Store::WriteTransaction::WriteTransaction(SQLite::Database& db)
    : m_tx(db, SQLite::TransactionBehavior::IMMEDIATE) {}

void Store::WriteTransaction::commit() {
  m_tx.commit();
}

Store::WriteTransaction Store::begin_write() {
  return WriteTransaction(*m_db);
}

std::vector<Case> Store::all_cases() {
  SQLite::Statement q(*m_db, fmt::format("SELECT {} FROM cases ORDER BY id", k_case_columns));
  std::vector<Case> out;
  while (q.executeStep()) {
    out.push_back(read_case(q));
  }
  return out;
}

std::optional<Case> Store::find_case(CaseId id) {
  SQLite::Statement q(*m_db, fmt::format("SELECT {} FROM cases WHERE id = :id", k_case_columns));
  q.bind(":id", id);
  if (q.executeStep()) {
    return read_case(q);
  }
  return std::nullopt;
}

std::optional<Case> Store::find_case_by_receipt(std::string_view receipt) {
  SQLite::Statement q(*m_db,
                      fmt::format("SELECT {} FROM cases WHERE receipt = :r", k_case_columns));
  q.bind(":r", std::string(receipt));
  if (q.executeStep()) {
    return read_case(q);
  }
  return std::nullopt;
}

std::vector<Event> Store::events_of(CaseId id) {
  SQLite::Statement q(
      *m_db,
      fmt::format("SELECT {} FROM events WHERE case_id = :id ORDER BY date, id", k_event_columns));
  q.bind(":id", id);
  std::vector<Event> out;
  while (q.executeStep()) {
    out.push_back(read_event(q));
  }
  return out;
}

std::vector<Event> Store::all_events() {
  SQLite::Statement q(
      *m_db, fmt::format("SELECT {} FROM events ORDER BY case_id, date, id", k_event_columns));
  std::vector<Event> out;
  while (q.executeStep()) {
    out.push_back(read_event(q));
  }
  return out;
}

std::vector<ProcessingTime> Store::stored_times() {
  SQLite::Statement q(*m_db,
                      "SELECT form, category, office, halves, unit, published, inquiry_date, "
                      "source FROM processing_times ORDER BY form, category, office");
  std::vector<ProcessingTime> out;
  while (q.executeStep()) {
    ProcessingTime r;
    r.form = q.getColumn(0).getString();
    r.category = q.getColumn(1).getString();
    r.office = q.getColumn(2).getString();
    r.time.halves = q.getColumn(3).getInt();
    r.time.unit = q.getColumn(4).getString() == "weeks" ? TimeUnit::weeks : TimeUnit::months;
    r.published = stored_date(q.getColumn(5));
    r.inquiry_date = optional_date(q.getColumn(6));
    r.source = q.getColumn(7).getString();
    out.push_back(std::move(r));
  }
  return out;
}

CaseId Store::insert_case(const Case& c) {
  SQLite::Statement q(*m_db,
                      "INSERT INTO cases (receipt, form, category, office, received, sent, "
                      "priority_date, premium_start, label, note, status) VALUES (:receipt, "
                      ":form, :category, :office, :received, :sent, :priority_date, "
                      ":premium_start, :label, :note, :status)");
  bind_case(q, c);
  q.exec();
  return m_db->getLastInsertRowid();
}

void Store::update_case(const Case& c) {
  SQLite::Statement q(*m_db,
                      "UPDATE cases SET receipt = :receipt, form = :form, category = :category, "
                      "office = :office, received = :received, sent = :sent, priority_date = "
                      ":priority_date, premium_start = :premium_start, label = :label, note = "
                      ":note, status = :status WHERE id = :id");
  bind_case(q, c);
  q.bind(":id", c.id);
  q.exec();
}

void Store::delete_case(CaseId id) {
  SQLite::Statement q(*m_db, "DELETE FROM cases WHERE id = :id");
  q.bind(":id", id);
  q.exec();
}

std::int64_t Store::insert_event(const Event& e) {
  SQLite::Statement q(*m_db,
                      "INSERT INTO events (case_id, kind, date, due, ref, office, note) VALUES "
                      "(:case_id, :kind, :date, :due, :ref, :office, :note)");
  q.bind(":case_id", e.case_id);
  q.bind(":kind", std::string(to_string(e.kind)));
  q.bind(":date", format_date(e.date));
  bind_optional(q, ":due", e.due);
  bind_optional(q, ":ref", e.ref);
  bind_optional(q, ":office", e.office);
  bind_optional(q, ":note", e.note);
  q.exec();
  return m_db->getLastInsertRowid();
}

void Store::set_status(CaseId id, Status status) {
  SQLite::Statement q(*m_db, "UPDATE cases SET status = :status WHERE id = :id");
  q.bind(":status", std::string(to_string(status)));
  q.bind(":id", id);
  q.exec();
}

Store::ImportCounts Store::import_times(const std::vector<ProcessingTime>& rows) {
  ImportCounts counts;
  SQLite::Statement find(*m_db,
                         "SELECT published FROM processing_times WHERE form = :form AND "
                         "category = :category AND office = :office AND source LIKE 'import:%' "
                         "ORDER BY published DESC LIMIT 1");
  SQLite::Statement drop(*m_db,
                         "DELETE FROM processing_times WHERE form = :form AND category = "
                         ":category AND office = :office AND source LIKE 'import:%'");
  for (const ProcessingTime& row : rows) {
    find.bind(":form", row.form);
    find.bind(":category", row.category);
    find.bind(":office", row.office);
    std::optional<Date> stored;
    if (find.executeStep()) {
      stored = stored_date(find.getColumn(0));
    }
    find.reset();
    if (stored && *stored >= row.published) {
      ++counts.unchanged;
      continue;
    }
    if (stored) {
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
}

std::vector<FindingKey> Store::reported() {
  SQLite::Statement q(*m_db, "SELECT case_id, rule, since, stage FROM reported");
  std::vector<FindingKey> out;
  while (q.executeStep()) {
    out.push_back(FindingKey{q.getColumn(0).getInt64(), q.getColumn(1).getString(),
                             stored_date(q.getColumn(2)), q.getColumn(3).getString()});
  }
  return out;
}

void Store::record_reported(const std::vector<FindingKey>& keys, Date reported_on) {
  SQLite::Statement q(*m_db,
                      "INSERT OR IGNORE INTO reported (case_id, rule, since, stage, reported_on) "
                      "SELECT :case_id, :rule, :since, :stage, :on "
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
}

void Store::upsert_time(const ProcessingTime& row) {
  SQLite::Statement q(*m_db,
                      "INSERT OR REPLACE INTO processing_times (form, category, office, halves, "
                      "unit, published, inquiry_date, source) VALUES (:form, :category, :office, "
                      ":halves, :unit, :published, :inquiry_date, :source)");
  q.bind(":form", row.form);
  q.bind(":category", row.category);
  q.bind(":office", row.office);
  q.bind(":halves", row.time.halves);
  q.bind(":unit", std::string(to_string(row.time.unit)));
  q.bind(":published", format_date(row.published));
  bind_optional(q, ":inquiry_date", row.inquiry_date);
  q.bind(":source", row.source);
  q.exec();
}

std::vector<csv::Record> read_processing_time_table(const std::filesystem::path& path) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT * FROM processing_time");
    std::vector<csv::Record> out;
    csv::Record header;
    header.line = 1;
    for (int i = 0; i < q.getColumnCount(); ++i) {
      header.fields.emplace_back(q.getColumnName(i));
    }
    out.push_back(std::move(header));
    std::size_t row = 1;
    while (q.executeStep()) {
      csv::Record r;
      r.line = ++row;
      for (int i = 0; i < q.getColumnCount(); ++i) {
        r.fields.push_back(q.getColumn(i).isNull() ? std::string() : q.getColumn(i).getString());
      }
      out.push_back(std::move(r));
    }
    return out;
  } catch (const SQLite::Exception& e) {
    throw StorageError(
        fmt::format("cannot read the table processing_time of {}: {}", path.string(), e.what()));
  }
}

}  // namespace casewatch::store
