// SPDX-License-Identifier: MIT
// What the migrations after version 10 added (src/store/store.cpp), undone newest first, so
// that a test can turn a database of today back into one an older casewatch wrote. One home
// for the unit and the command-line tests: a new migration adds its undo here.
#pragma once

#include <SQLiteCpp/Database.h>

#include <string>

namespace casewatch_schema_history {

// Rewinds a database of the current schema to `version` (9 or 10: migration 10 changed
// data, not tables, and is not undone).
inline void rewind(SQLite::Database& db, int version) {
  // 14: the wake dates of documents.
  for (const char* t : {"insert", "update", "case_insert", "case_update", "case_delete",
                        "event_insert", "event_update", "event_delete"}) {
    db.exec(std::string("DROP TRIGGER document_wake_") + t);
  }
  db.exec("DROP TABLE document_wake");
  // 13: a confirmed unknown form.
  db.exec("ALTER TABLE cases DROP COLUMN form_confirmed");
  // 12: the consular stage and expedite requests.
  db.exec(
      "ALTER TABLE events DROP COLUMN basis; ALTER TABLE events DROP COLUMN channel; "
      "ALTER TABLE events DROP COLUMN need_by; ALTER TABLE events DROP COLUMN class; "
      "ALTER TABLE events DROP COLUMN for_seq; ALTER TABLE events DROP COLUMN admin; "
      "ALTER TABLE cases DROP COLUMN derivative_of");
  // 11: documents and trips, a case's holder and marriage track.
  db.exec(
      "ALTER TABLE cases DROP COLUMN spouse_citizen_since; ALTER TABLE cases DROP COLUMN "
      "married; ALTER TABLE cases DROP COLUMN marriage_track; ALTER TABLE cases DROP COLUMN "
      "holder; DROP TABLE documents; DROP TABLE reported_documents; DROP TABLE trips");
  db.exec("PRAGMA user_version = " + std::to_string(version));
}

}  // namespace casewatch_schema_history
