// SPDX-License-Identifier: MIT
#include "casewatch/cli/context.hpp"

#include <fmt/format.h>
#include <pwd.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <ostream>

#include "case_now.hpp"
#include "casewatch/domain/identifiers.hpp"
#include "casewatch/store/journal.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"

namespace casewatch::cli {

namespace {
// What opening the store repaired (store_repaired()); a process runs one command.
std::string g_store_repaired;
}  // namespace
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

// `path` with a leading "~" or "~/" replaced by $HOME, as a shell would have done: a
// crontab's environment line or a quoted --db=~/x reaches us unexpanded.
std::string expand_home(const std::string& path) {
  if (path == "~" || path.starts_with("~/")) {
    if (auto home = env("HOME"); !home.empty()) {
      return home + path.substr(1);
    }
  }
  return path;
}

}  // namespace

Context::Context(GlobalOptions options, Date today, std::ostream& out)
    : m_options(std::move(options)), m_today(today), m_as_of(today), m_out(out) {
  if (m_options.as_of_given || !m_options.as_of.empty()) {
    auto d = casewatch::parse_date(m_options.as_of, today);
    if (!d) {
      throw UsageError("--as-of: " + d.error());
    }
    m_as_of = *d;
  }
  const std::string& c = m_options.color;
  if (c == "always") {
    m_color = true;
  } else if (c == "never") {
    m_color = false;
  } else if (c == "auto") {
    m_color = ::isatty(STDOUT_FILENO) != 0 && env("NO_COLOR").empty() && env("TERM") != "dumb";
  } else {
    throw UsageError(
        fmt::format("--color: {} is not a choice; use auto, always or never", text::quoted(c)));
  }
  const std::string& p = m_options.progress;
  if (p == "always") {
    m_progress = ProgressMode::always;
  } else if (p == "never") {
    m_progress = ProgressMode::never;
  } else if (p == "auto") {
    m_progress = ProgressMode::automatic;
  } else {
    throw UsageError(
        fmt::format("--progress: {} is not a choice; use auto, always or never", text::quoted(p)));
  }
  if (m_options.quiet) {
    m_progress = ProgressMode::never;  // -q silences it, whatever --progress says
  }
}

Context::~Context() = default;

std::string Context::db_path() const {
  if (m_options.db_given && m_options.db.empty()) {
    throw UsageError("--db: the path is empty; give the database file, e.g. --db ~/cases.db");
  }
  if (!m_options.db.empty()) {
    return expand_home(m_options.db);
  }
  if (auto v = env("CASEWATCH_DB"); !v.empty()) {
    return expand_home(v);
  }
  if (auto v = env("XDG_DATA_HOME"); !v.empty()) {
    return v + "/casewatch/cases.db";
  }
  if (auto v = env("HOME"); !v.empty()) {
    return v + "/.local/share/casewatch/cases.db";
  }
  throw UsageError("no database path: give --db PATH, or set CASEWATCH_DB or HOME");
}

store::Store& Context::store() {
  if (!m_store) {
    std::string path = db_path();
    if (!m_may_create && !database_exists()) {
      throw UsageError(fmt::format(
          "no database at {}; 'casewatch add' creates it with your first case (or give the "
          "right --db PATH or CASEWATCH_DB)",
          path));
    }
    spdlog::debug("opening database {}", path);
    m_store = std::make_unique<store::Store>(path);
    m_store->set_author({user(), m_command_line, now()});
    for (const std::string& note : m_store->upgrade_notes()) {
      warn(note);
    }
    if (m_store->writable()) {
      // Someone may have dropped the triggers that keep the journal append-only (DROP TRIGGER,
      // outside casewatch): they are made again at once, and the user hears of it.
      std::vector<std::string> restored = store::restore_journal_triggers(m_store->path());
      if (!restored.empty()) {
        g_store_repaired = fmt::format(
            "the journal's append-only trigger{} {} had been dropped outside casewatch (entries "
            "could be changed or removed meanwhile); recreated now. 'casewatch log --verify' "
            "checks the entries",
            text::plural(restored.size(), "", "s"), fmt::join(restored, " and "));
        warn(g_store_repaired);
      }
    }
  }
  return *m_store;
}

std::string Context::user() const {
  if (auto v = env("CASEWATCH_USER"); !v.empty()) {
    return v;
  }
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  for (const char* name : {"LOGNAME", "USER"}) {
    if (auto v = env(name); !v.empty()) {
      return v;
    }
  }
  return fmt::format("uid {}", ::geteuid());
}

std::string Context::now() const {
  if (auto v = env("CASEWATCH_NOW"); !v.empty()) {
    return v;
  }
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

const ProcessingTimeTable& Context::times() {
  if (!m_times) {
    std::vector<ProcessingTime> rows = builtin_processing_times();
    if (m_store || m_may_create || database_exists()) {
      std::vector<std::string> problems;
      auto own = store().stored_times(&problems);
      warn_stored_problems(problems);
      rows.insert(rows.end(), own.begin(), own.end());
    }
    m_times.emplace(std::move(rows));
  }
  return *m_times;
}

const HoldingsIndex& Context::holdings() {
  if (!m_holdings) {
    HoldingsIndex h;
    if (m_store || m_may_create || database_exists()) {
      std::vector<std::string> problems;
      auto documents = store().all_documents(&problems);
      auto trips = store().all_trips(&problems);
      warn_stored_problems(problems);
      std::string rows;
      for (Document& d : documents) {
        rows +=
            fmt::format("d{} {} {} {} {} {} {}\n", d.id, to_string(d.kind),
                        d.since ? format_date(*d.since) : "",
                        d.expires ? format_date(*d.expires) : "", d.category.value_or(""),
                        d.holder.value_or(""), d.renewed_by ? std::to_string(*d.renewed_by) : "");
        if (d.renewed_by) {
          h.by_renewal[*d.renewed_by].push_back(d);
        }
        if (d.holder) {
          h.by_holder[*d.holder].documents.push_back(std::move(d));
        }
      }
      for (Trip& t : trips) {
        rows += fmt::format("t{} {} {} {}\n", t.id, t.holder, format_date(t.left),
                            t.returned ? format_date(*t.returned) : "");
        h.by_holder[t.holder].trips.push_back(std::move(t));
      }
      h.fingerprint =
          fmt::format("{}d{}t{:x}", documents.size(), trips.size(), std::hash<std::string>{}(rows));
    }
    m_holdings.emplace(std::move(h));
  }
  return *m_holdings;
}

const BulletinTable& Context::bulletin() {
  if (!m_bulletin) {
    if (m_store || m_may_create || database_exists()) {
      std::vector<std::string> problems;
      auto rows = store().bulletin_rows(&problems);
      auto choices = store().chart_choices(&problems);
      warn_stored_problems(problems);
      m_bulletin.emplace(std::move(rows), std::move(choices));
    } else {
      m_bulletin.emplace();
    }
  }
  return *m_bulletin;
}

bool Context::database_exists() const {
  std::error_code ec;
  return std::filesystem::exists(db_path(), ec);
}

Case Context::resolve_case_or_label(std::string_view arg) {
  std::string_view s = arg.starts_with('#') ? arg.substr(1) : arg;
  bool numeric =
      !s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string_view::npos;
  if (numeric || arg.starts_with('#') || normalize_receipt(arg)) {
    return resolve_case(arg);
  }
  // A label: the cases whose label is `arg` (ignoring case and accents), else whose label
  // holds it.
  std::vector<std::string> problems;
  std::vector<Case> cases = store().all_cases(&problems);
  warn_stored_problems(problems);
  std::string needle = text::search_key(arg);
  std::vector<const Case*> equal;
  std::vector<const Case*> holding;
  for (const Case& c : cases) {
    if (!c.label) {
      continue;
    }
    std::string label = text::search_key(*c.label);
    if (label == needle) {
      equal.push_back(&c);
    } else if (!needle.empty() && label.find(needle) != std::string::npos) {
      holding.push_back(&c);
    }
  }
  const std::vector<const Case*>& found = equal.empty() ? holding : equal;
  if (found.size() == 1) {
    return *found.front();
  }
  if (found.empty()) {
    throw UsageError(
        fmt::format("{} names no case: it is no receipt number, id or label; 'casewatch list --all "
                    "--match TEXT' finds a case by part of its label, note or receipt",
                    text::quoted(arg)));
  }
  constexpr std::size_t k_shown = 10;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < found.size() && i < k_shown; ++i) {
    const Case& c = *found[i];
    names.push_back(fmt::format("{} {}", c.receipt ? *c.receipt : fmt::format("#{}", c.id),
                                text::quoted(c.label.value_or(""))));
  }
  throw UsageError(
      fmt::format("{} {} {} cases: {}{}; name one by its receipt or id", text::quoted(arg),
                  equal.empty() ? "is part of the labels of" : "is the label of", found.size(),
                  fmt::join(names, ", "),
                  found.size() > k_shown ? fmt::format(" and {} more", found.size() - k_shown)
                                         : std::string()));
}

Case Context::resolve_case(std::string_view arg) {
  std::string_view s = arg;
  bool hash = s.starts_with('#');
  if (hash) {
    s.remove_prefix(1);
  }
  bool numeric =
      !s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string_view::npos;
  std::optional<Case> found;
  std::vector<std::string> problems;
  if (numeric) {
    found = store().find_case(std::stoll(std::string(s)), &problems);
  } else if (!hash) {
    auto receipt = normalize_receipt(arg);
    if (!receipt) {
      throw UsageError(fmt::format(
          "{} names no case; name a case by its receipt number (IOE0912345678) or its id "
          "(#7 or 7)",
          text::quoted(arg)));
    }
    found = store().find_case_by_receipt(*receipt, &problems);
  }
  warn_stored_problems(problems);
  if (!found) {
    throw UsageError(
        fmt::format("no case {} in {}; 'casewatch list --all' shows the cases and their ids",
                    text::quoted(arg), db_path()));
  }
  return *found;
}

const std::string& store_repaired() {
  return g_store_repaired;
}

Case case_now(Context& ctx, const Case& found, std::string_view arg) {
  std::vector<std::string> problems;
  std::optional<Case> now = ctx.store().find_case(found.id, &problems);
  if (!now) {
    throw UsageError(fmt::format(
        "no case {} (it was removed by another casewatch a moment ago; run 'casewatch list "
        "--all'); nothing was changed",
        text::quoted(arg)));
  }
  return *now;
}

Date Context::parse_date(std::string_view option, std::string_view text) const {
  auto d = casewatch::parse_date(text, m_as_of);
  if (!d) {
    throw UsageError(fmt::format("{}: {}", option, d.error()));
  }
  return *d;
}

Date Context::parse_past_date(std::string_view option, std::string_view text) const {
  Date d = parse_date(option, text);
  if (d > m_as_of) {
    throw UsageError(fmt::format("{}: {} is after today ({}); give the date it happened", option,
                                 format_date(d), format_date(m_as_of)));
  }
  return d;
}

std::string Context::parse_form(std::string_view option, std::string_view text) const {
  return take(check_form(option, text));
}

std::string Context::parse_office(std::string_view option, std::string_view text,
                                  std::string_view form) const {
  return take(check_office(option, text, form));
}

std::string Context::parse_category(std::string_view option, std::string_view text,
                                    std::string_view form) const {
  return take(check_category(option, text, form));
}

std::string Context::take(const Expected<Checked<std::string>>& checked) const {
  if (!checked) {
    throw UsageError(checked.error());
  }
  for (const std::string& w : checked->warnings) {
    warn(w);
  }
  return checked->value;
}

std::string Context::parse_text(std::string_view option, std::string_view text,
                                bool multi_line) const {
  if (auto problem = text::problem(text, multi_line)) {
    throw UsageError(fmt::format("{}: the value {} {}", option, text::quoted(text), *problem));
  }
  return std::string(text);
}

void Context::finish_output() {
  m_out.flush();
  std::string problem = m_output_check ? m_output_check() : std::string();
  if (problem.empty() && !m_out) {
    problem = "the output stream failed";
  }
  if (!problem.empty()) {
    throw OutputError("could not write the output: " + problem);
  }
}

void Context::warn(const std::string& message) const {
  if (!m_options.quiet) {
    spdlog::warn(message);
  }
}

}  // namespace casewatch::cli
