// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/domain/bulletin.hpp"
#include "casewatch/domain/case.hpp"
#include "casewatch/domain/catalog.hpp"
#include "casewatch/domain/document.hpp"
#include "casewatch/domain/processing_time.hpp"
#include "casewatch/domain/validate.hpp"
#include "casewatch/store/store.hpp"

namespace casewatch::cli {

// Bad input or usage: exit code 2, and nothing written.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  // Several errors (the bad rows of a file): each of `first` on an error line of its own,
  // then `last` (what()).
  UsageError(std::vector<std::string> first, const std::string& last)
      : std::runtime_error(last), m_first(std::move(first)) {}
  [[nodiscard]] const std::vector<std::string>& first() const { return m_first; }

 private:
  std::vector<std::string> m_first;
};

// The output could not be written (a full disk, a closed stdout): exit code 1, and
// nothing recorded.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The command did its work (and wrote and recorded it) but failed in part (a --notify hook,
// a status fetch stopped by the server): exit code 1, said on stderr and in the log file by
// the one exit path every error takes. What the command wrote before is kept (a command
// that holds a write transaction commits it before letting this pass).
class CommandFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The options every command accepts, before or after the command name.
struct GlobalOptions {
  std::string db;
  bool db_given = false;  // --db was given, even as ""
  std::string as_of;
  bool as_of_given = false;
  bool json = false;
  bool quiet = false;
  int verbose = 0;
  std::string log_file;
  std::string color = "auto";
  bool offline = false;  // --offline: refuse every fetch
  std::string progress = "auto";
};

// Whether long work draws its progress line on stderr (docs/cli.md, "Progress"): never;
// when stderr is a terminal (auto); whatever stderr is (always).
enum class ProgressMode { never, automatic, always };

// Every stored document and trip, grouped by holder, for the case rules that speak of what
// a case's holder holds (docs/rules.md `ead-gap`, `ap-travel`).
struct HoldingsIndex {
  struct Held {
    std::vector<Document> documents;
    std::vector<Trip> trips;
  };
  std::map<std::string, Held, std::less<>> by_holder;
  // The documents by the case their renewed_by names.
  std::map<CaseId, std::vector<Document>> by_renewal;
  // Changes whenever a document or trip does (the daily check's wake basis).
  std::string fingerprint;
};

// What a command works with: the resolved options, "today", the store (opened on first
// use, so a command that needs no database opens none), the processing-time table, and
// stdout. Passed explicitly to each command; there is no global context.
class Context {
 public:
  Context(GlobalOptions options, Date today, std::ostream& out);
  ~Context();

  [[nodiscard]] const GlobalOptions& options() const { return m_options; }
  // The date the rules evaluate on: --as-of, else today.
  [[nodiscard]] Date as_of() const { return m_as_of; }
  // The real local date, whatever --as-of says.
  [[nodiscard]] Date today() const { return m_today; }
  [[nodiscard]] bool json() const { return m_options.json; }
  [[nodiscard]] bool quiet() const { return m_options.quiet; }
  [[nodiscard]] bool color() const { return m_color; }
  // --progress, and never with --quiet.
  [[nodiscard]] ProgressMode progress() const { return m_progress; }
  [[nodiscard]] std::ostream& out() { return m_out; }
  // Flushes out() and throws OutputError unless every byte printed so far got out. A
  // command calls it before it records anything that depends on the user having read it.
  void finish_output();
  // How finish_output() learns whether the bytes got out: empty, or why not.
  void set_output_check(std::function<std::string()> check) { m_output_check = std::move(check); }

  // The database path: --db, else $CASEWATCH_DB, else $XDG_DATA_HOME/casewatch/cases.db,
  // else ~/.local/share/casewatch/cases.db.
  [[nodiscard]] std::string db_path() const;
  // Whether store() may create a missing database: only the commands that add cases or
  // rows do; every other command refuses a missing file (a mistyped --db) instead of
  // leaving an empty database behind.
  void set_may_create(bool may) { m_may_create = may; }
  [[nodiscard]] bool database_exists() const;
  // The store, its writes journaled as done by user() running command_line() at now().
  store::Store& store();

  // The command line as the journal records it (argv, quoted for the shell).
  void set_command_line(std::string line) { m_command_line = std::move(line); }
  [[nodiscard]] const std::string& command_line() const { return m_command_line; }
  // Who runs the command: $CASEWATCH_USER, else the login name.
  [[nodiscard]] std::string user() const;
  // The UTC time, "2026-11-28T09:14:03Z"; $CASEWATCH_NOW (for tests) when set.
  [[nodiscard]] std::string now() const;

  // The built-in table with the user's rows from the store over it.
  const ProcessingTimeTable& times();
  // Reads the table again on the next times() (after rows were stored).
  void reload_times() { m_times.reset(); }
  // The stored Visa Bulletin and USCIS's chart choices (empty without a database).
  const BulletinTable& bulletin();
  // Every document and trip, read once on first use (empty without a database).
  const HoldingsIndex& holdings();
  const Catalog& catalog() const { return builtin_catalog(); }

  // Finds the case named by `arg`: a receipt number (any case, spaces, dashes), "#7" or
  // "7". Throws UsageError naming `arg` when there is none.
  Case resolve_case(std::string_view arg);
  // Like resolve_case, and also takes a label (ignoring case) when it names exactly one
  // case: the label itself, else the one label that holds it. Several: a UsageError
  // listing them. For the commands that only read (show, suggest).
  Case resolve_case_or_label(std::string_view arg);

  // Parsers that throw UsageError with the option's name in front of the message.
  Date parse_date(std::string_view option, std::string_view text) const;
  // Like parse_date, and refuses a date after as_of().
  Date parse_past_date(std::string_view option, std::string_view text) const;
  // A form, office or category: the domain's check_form, check_office and check_category
  // (validate.hpp), so the words, the categories as printed and the "did you mean" are those
  // of add, edit, event and import. Their warnings go to warn().
  std::string parse_form(std::string_view option, std::string_view text) const;
  std::string parse_office(std::string_view option, std::string_view text,
                           std::string_view form = {}) const;
  std::string parse_category(std::string_view option, std::string_view text,
                             std::string_view form) const;

  // A free-text value (label, note, ref): refused unless it is UTF-8 without control
  // characters (line breaks allowed when `multi_line`).
  std::string parse_text(std::string_view option, std::string_view text,
                         bool multi_line = false) const;

  // A warning on stderr ("casewatch: warning: ..."), unless --quiet.
  void warn(const std::string& message) const;

 private:
  // The value, its warnings given to warn(); an error thrown as a UsageError.
  std::string take(const Expected<Checked<std::string>>& checked) const;

  GlobalOptions m_options;
  Date m_today;
  Date m_as_of;
  bool m_color = false;
  ProgressMode m_progress = ProgressMode::automatic;
  bool m_may_create = false;
  std::ostream& m_out;
  std::function<std::string()> m_output_check;
  std::unique_ptr<store::Store> m_store;
  std::string m_command_line;
  std::optional<ProcessingTimeTable> m_times;
  std::optional<BulletinTable> m_bulletin;
  std::optional<HoldingsIndex> m_holdings;
};

}  // namespace casewatch::cli
