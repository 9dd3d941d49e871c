// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/domain/case.hpp"
#include "casewatch/domain/document.hpp"
#include "casewatch/domain/processing_time.hpp"
#include "casewatch/domain/validate.hpp"
#include "casewatch/util/expected.hpp"

namespace casewatch {

// A case as exchanged with other tools: its stored fields and its timeline. `office` and
// `status` are the stored ones (what the user gave), not those the rules work out.
struct CaseRecordIO {
  Case c;
  std::vector<Event> events;
  std::size_t line = 0;  // where it starts in the file read (1-based; 0 when written)
  std::string origin;    // "line 3" (CSV) or "case 3" (JSON), for messages
  CaseText given;        // the values the file gave (an empty cell is none), for --update
  // A derivative's principal as the file names it (case_ref): resolved by resolve_case_ref.
  std::optional<std::string> derivative_of;
};

// A document as exchanged: the case that renews it named as the file names cases
// (case_ref), resolved on import by resolve_case_ref; `origin` is "document 2".
struct DocumentIO {
  Document d;
  std::optional<std::string> renewed_by;
  std::string origin;
};

// A column of an imported CSV: the case field, and the headers a law office uses for it.
// A header matches ignoring case and everything but letters and digits ("RECEIPT #",
// "receipt_number" and "Receipt Number" are the same), so "priority_date" is also
// "Priority Date".
struct CsvColumn {
  std::string_view field;
  std::vector<std::string_view> aliases;
};
// Every column casewatch reads, in the order of k_case_csv_header.
const std::vector<CsvColumn>& csv_columns();
// The field a CSV header gives ("Client" gives "label"), or nothing for a column casewatch
// does not read.
std::optional<std::string_view> csv_header_field(std::string_view header);

// A file with many bad rows lists this many errors, then counts the rest.
inline constexpr std::size_t k_max_listed_errors = 50;

// The CSV header of an export (docs/cli.md, "Interchange"): the case fields, one row per case.
inline constexpr std::string_view k_case_csv_header =
    "receipt,form,category,office,received,sent,priority_date,premium_start,label,note,status,"
    "preference,chargeability,path,holder,marriage_track,married,spouse_citizen_since,"
    "form_known";

// `{"format": "casewatch-export", "version": 1, "cases": [case + "events"]}`, 2-space indented,
// ending in a newline.
std::string export_json(const std::vector<CaseRecordIO>& cases);

// One header row and one row per case (no events), CRLF-free, fields quoted when needed.
std::string export_csv(const std::vector<CaseRecordIO>& cases);

// The same written a case at a time, for an export of any size. JSON: export_json_head(),
// then each case's export_json_case() after "\n    " (",\n    " after the first), then
// "\n  ]" ("]" when there is none) and "\n}\n". CSV: k_case_csv_header and '\n', then each
// case's export_csv_row() (ending in '\n').
std::string export_json_head();
std::string export_json_case(const Case& c, const std::vector<Event>& events,
                             const std::optional<std::string>& principal = std::nullopt);
// How an export names a case that another record links to (a derivative's principal, the
// case that renews a document), never by its database id: its receipt, else its label,
// else "case N" (its 1-based `position` among the cases of a whole export).
std::string case_ref(const Case& c, std::size_t position);
// The case_ref of c's principal among `all` (the cases of a whole export, in its order), or
// nothing when c is no derivative or its principal is not there.
std::optional<std::string> principal_ref(const Case& c, std::span<const Case> all);
// The documents and trips as a JSON export carries them after "cases" (and "times"):
// `,\n  "documents": [...],\n  "trips": [...]`. `ref` names the case that renews a document.
std::string export_json_documents(const std::vector<Document>& documents,
                                  const std::vector<Trip>& trips,
                                  const std::function<std::optional<std::string>(CaseId)>& ref);
std::string export_csv_row(const Case& c);
// The stored processing-time rows (`times set`, `times import`, fetched) as the JSON export
// carries them after "cases": `,\n  "times": [...]` (nothing when there is none).
std::string export_json_times(const std::vector<ProcessingTime>& rows);
// `dumped` (JSON as nlohmann's dump(2) writes it) indented to sit `depth` levels deep.
std::string indent_json(std::string_view dumped, std::size_t depth);

// Reads an export back, or a CSV with the header's columns in any order (form and, without
// a receipt, sent are required; the others may be missing; headers as in csv_columns()).
// Every case and event is built by check_case and check_event (validate.hpp), as on the
// command line; a receipt appearing twice is refused. An error fails the whole file, naming
// the line (CSV), or the case's position and receipt (JSON), and the field. A CSV is read to
// its end: every bad row is an error, one line each in the message (up to
// k_max_listed_errors, then a line that counts them all); a JSON export stops at the first.
// CSV rows that are entirely blank are skipped. Case ids are not read: the database gives
// new ones. `warnings`, when given, receives the columns not read and what USCIS does not
// list (a form, office, category or receipt prefix), worded for the user, in file order: the
// caller prints them.
Expected<std::vector<CaseRecordIO>> import_cases_json(std::string_view text, Date today,
                                                      std::vector<std::string>* warnings = nullptr);
Expected<std::vector<CaseRecordIO>> import_cases_csv(std::string_view text, Date today,
                                                     std::vector<std::string>* warnings = nullptr);

// An entry of the journal an export carries, as the store wrote it (the store's
// JournalEntry, which the domain does not know). `changes` is the JSON text the entry's hash
// covers: compact, keys sorted.
struct JournalEntryIO {
  std::int64_t id = 0;
  std::string at;
  std::string user;
  std::string command;
  std::string changes;
  std::optional<std::int64_t> undoes;
  std::string prev_hash;
  std::string hash;
};

// A JSON export read back: its cases, as import_cases_json gives them, and its journal.
struct ExportRead {
  std::vector<CaseRecordIO> cases;
  std::vector<JournalEntryIO> journal;  // empty when the file has none ("journal" absent or null)
  std::vector<ProcessingTime> times;    // the stored processing-time rows ("times")
  // The documents (checked by check_document, in file order) and trips (checked by
  // check_trip against the file's earlier trips) of "documents" and "trips".
  std::vector<DocumentIO> documents;
  std::vector<Trip> trips;
  // What is wrong with the journal ("journal entry 2, field hash: missing or of the wrong
  // type", "field journal: expected an array of entries"), for the caller to say after any
  // error of the cases'; `journal` is then empty.
  std::optional<std::string> journal_error;
};

// import_cases_json over a stream, for an export of any size: `in` is read in pieces and
// parsed once; each case, each journal entry and each row of an entry's changes is taken as
// soon as it is complete and its JSON let go, so memory grows with the records read, not
// with the text. The errors and their order are import_cases_json's (nesting, then syntax
// anywhere in the text, then the document's fields, the first bad case, a receipt twice).
// What `in`'s buffer throws (a failed read) passes through.
Expected<ExportRead> read_export_json(std::istream& in, Date today,
                                      std::vector<std::string>* warnings = nullptr);

// Where read_export_json hands each case and each journal entry as soon as it is read and
// checked, instead of keeping them (ExportRead::cases and journal then stay empty), for an
// import of any size in flat memory: `on_case` gets the n-th case of a "cases" array (its
// 0-based index), `on_entry` each entry of a "journal" array, in file order. A document that
// gives "cases" or "journal" twice counts the last (`on_cases_again` / `on_journal_again` say
// when one starts again, its index from 0). What is handed may come before an error found
// later in the file: act on it only once the result is no error. The receipts seen twice are
// found as they come; the warnings are each said once.
struct ExportSinks {
  std::function<void(std::size_t, CaseRecordIO&&)> on_case;
  std::function<void(JournalEntryIO&&)> on_entry;
  std::function<void()> on_cases_again;
  std::function<void()> on_journal_again;
};
Expected<ExportRead> read_export_json(std::istream& in, Date today,
                                      std::vector<std::string>* warnings, const ExportSinks& sinks);

// JSON when the first non-blank character is '{', else CSV.
Expected<std::vector<CaseRecordIO>> import_cases(std::string_view text, Date today,
                                                 std::vector<std::string>* warnings = nullptr);

// The case fields, in the order of k_case_csv_header.
std::span<const std::string_view> case_field_names();
// A case field's value as text, as an export writes it (unquoted): "" when it has none.
std::string case_field_text(const Case& c, std::string_view field);

// A field of a stored case that an import --update changes, or keeps (`kept`) because it
// was corrected after the last import that set it (docs/cli.md, "Spreadsheets in an
// office").
struct FieldChange {
  CaseId id = 0;
  std::string who;    // "#12 Ana", or "#12 IOE0912345678" without a label
  std::string field;  // "category"
  std::string from;   // the stored value ("" when none)
  std::string to;     // the sheet's value
  bool kept = false;  // the stored value stays: it was corrected (`corrected_by` says how)
  std::string corrected_by;
};

// Per stored case, its fields corrected since an import last set them, each with what
// corrected it ("'edit' on 2026-12-01"); import --update keeps them unless told otherwise.
using Corrections = std::map<CaseId, std::map<std::string, std::string, std::less<>>>;

// How an import matches and changes the stored cases.
struct ImportHow {
  bool update = false;
  Corrections corrected;         // with update
  bool overwrite_edits = false;  // with update: the sheet's values replace corrections too
};

// What an import does to the database: the cases to add, the stored ones to change.
struct ImportPlan {
  std::vector<CaseRecordIO> added;
  std::vector<Case> updated;         // stored cases (their ids) with the file's values applied
  std::size_t unchanged = 0;         // matched cases the file does not change
  std::vector<FieldChange> changes;  // per updated case, in file order, each field changed or kept
};

// Matches the cases read against the `stored` ones, by receipt number.
// Without `update`, a case already stored is an error (every one is listed, as row errors
// are). With `update`, a stored case takes the values the file gives (CaseRecordIO::given)
// through check_case, as `edit` would: an empty cell or an absent column leaves the stored
// value, the status changes only where the file gives one, and events are never touched; a
// field in `corrected` that the file would change keeps its stored value unless
// `overwrite_edits` (a FieldChange marked kept says so). A row without a receipt matches a
// stored case without one that has the same form, sent date and label; so does a row whose
// receipt no stored case has (the case gets its receipt), and when several stored cases
// match such a row it is an error that lists them. Other rows are added.
// Where a link of an imported record points (CaseRecordIO::derivative_of,
// DocumentIO::renewed_by): a case of the file (`in_file`, its index in `file`) or a stored
// one. `ref` is a receipt, a label or "case N" (the file's N-th case), looked for first in
// the file, then in `stored`. A ref naming no case, or a label naming several, is an error
// worded for `origin` and `field`.
struct CaseLink {
  std::optional<std::size_t> in_file;
  std::optional<CaseId> stored;
};
// What a link can name a case of the file by.
struct CaseRefKeys {
  std::optional<std::string> receipt;
  std::optional<std::string> label;
};
Expected<CaseLink> resolve_case_ref(std::string_view ref, std::span<const CaseRefKeys> file,
                                    const std::vector<Case>& stored, std::string_view origin,
                                    std::string_view field);

Expected<ImportPlan> plan_import(std::vector<CaseRecordIO> read, const std::vector<Case>& stored,
                                 Date today, const ImportHow& how);

// plan_import a case at a time, for a file too large to hold: `take` each case read, in file
// order, then `finish`. The cases to add are kept in the plan unless `keep_added` is false
// (then only counted: ImportPlan::added stays empty and `added()` says how many). `stored`
// must outlive the planner.
class ImportPlanner {
 public:
  ImportPlanner(const std::vector<Case>& stored, Date today, const ImportHow& how,
                bool keep_added = true);
  void take(CaseRecordIO&& r);
  [[nodiscard]] std::size_t added() const { return m_added; }
  Expected<ImportPlan> finish() &&;

 private:
  Date m_today;
  const ImportHow& m_how;
  bool m_keep_added;
  std::size_t m_added = 0;
  std::map<std::string, const Case*, std::less<>> m_by_receipt;
  std::vector<const Case*> m_without_receipt;
  std::vector<std::string> m_errors;
  ImportPlan m_plan;
};

}  // namespace casewatch
