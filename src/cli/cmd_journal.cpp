// SPDX-License-Identifier: MIT
// `log` (the journal of every change, and its verification) and `undo`.
#include <fmt/format.h>

#include <map>
#include <ostream>
#include <set>

#include "case_now.hpp"
#include "casewatch/domain/identifiers.hpp"
#include "casewatch/store/journal.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"

namespace casewatch::cli {
namespace {

using json = nlohmann::json;

std::string str(const json& v) {
  if (v.is_string()) {
    return v.get<std::string>();
  }
  return v.is_null() ? std::string() : v.dump();
}

json field(const json& row, const char* name) {
  return row.is_object() && row.contains(name) ? row[name] : json(nullptr);
}

// The names cases had, by id: from every case row the journal kept, then the stored cases.
using CaseNames = std::map<std::int64_t, std::string>;

CaseNames case_names(const std::vector<store::JournalEntry>& entries, store::Store& store) {
  CaseNames names;
  for (const store::JournalEntry& e : entries) {
    auto read = store::parse_changes(e.changes);
    if (!read) {
      continue;
    }
    for (const json& c : *read) {
      if (c.value("table", "") != "cases") {
        continue;
      }
      for (const char* side : {"before", "after"}) {
        json row = c.contains(side) ? c[side] : json(nullptr);
        if (field(row, "id").is_number_integer() && field(row, "receipt").is_string()) {
          names[row["id"].get<std::int64_t>()] = row["receipt"].get<std::string>();
        }
      }
    }
  }
  for (const Case& c : store.all_cases()) {
    if (c.receipt) {
      names[c.id] = *c.receipt;
    }
  }
  return names;
}

std::string case_name(const CaseNames& names, const json& id) {
  if (id.is_number_integer()) {
    auto it = names.find(id.get<std::int64_t>());
    if (it != names.end()) {
      return it->second;
    }
  }
  return "#" + str(id);
}

// The columns whose values differ between two rows.
std::vector<std::string> changed_columns(const json& before, const json& after) {
  std::vector<std::string> out;
  if (!before.is_object() || !after.is_object()) {
    return out;
  }
  for (const auto& [name, value] : after.items()) {
    if (!before.contains(name) || before[name] != value) {
      out.push_back(name);
    }
  }
  return out;
}

// One line on what an entry changed: "event 3 (rfe) of IOE0912345678 removed".
std::string summarize(const store::JournalEntry& entry, const CaseNames& names) {
  auto read = store::parse_changes(entry.changes);
  if (!read) {
    return fmt::format("entry #{} is not readable: {} (written outside casewatch)", entry.id,
                       read.error());
  }
  const json& changes = *read;
  // Events removed with their case are counted with it.
  std::map<std::string, int> events_with_case;
  std::set<std::string> removed_cases;
  for (const json& c : changes) {
    if (c.value("table", "") == "cases" && c.value("op", "") == "delete") {
      if (std::string id = str(field(field(c, "key"), "id")); !id.empty()) {
        removed_cases.insert(id);
      }
    }
  }
  std::vector<std::string> phrases;
  std::map<std::pair<std::string, std::string>, int> counts;  // {"case", "added"} -> 3
  std::string copied;
  for (const json& c : changes) {
    std::string table = c.value("table", "");
    std::string op = c.value("op", "");
    json before = c.contains("before") ? c["before"] : json(nullptr);
    json after = c.contains("after") ? c["after"] : json(nullptr);
    json row = after.is_null() ? before : after;
    if (table == "reported") {
      continue;
    }
    if (table == "events" && op == "delete" && field(row, "case_id").is_number_integer() &&
        removed_cases.count(str(field(row, "case_id")))) {
      ++events_with_case[str(field(row, "case_id"))];
      continue;
    }
    if (table == "cases") {
      std::string name = case_name(names, field(field(c, "key"), "id"));
      if (op == "insert") {
        phrases.push_back(fmt::format("case {} added", name));
        ++counts[{"case", "added"}];
      } else if (op == "delete") {
        phrases.push_back(fmt::format("case {} removed", name));
        ++counts[{"case", "removed"}];
      } else {
        phrases.push_back(fmt::format("case {} changed ({})", name,
                                      fmt::join(changed_columns(before, after), ", ")));
        ++counts[{"case", "changed"}];
      }
    } else if (table == "events") {
      std::string of = case_name(names, field(row, "case_id"));
      std::string event = fmt::format("event {} ({}, {})", str(field(row, "seq")),
                                      str(field(row, "kind")), str(field(row, "date")));
      if (op == "insert") {
        phrases.push_back(fmt::format("{} recorded for {}", event, of));
        ++counts[{"event", "recorded"}];
      } else if (op == "delete") {
        phrases.push_back(fmt::format("{} removed from {}", event, of));
        ++counts[{"event", "removed"}];
      } else {
        phrases.push_back(fmt::format("event {} of {} changed ({})", str(field(row, "seq")), of,
                                      fmt::join(changed_columns(before, after), ", ")));
        ++counts[{"event", "changed"}];
      }
    } else if (table == "processing_times") {
      std::string what =
          fmt::format("processing time {} {} {}", str(field(row, "form")),
                      str(field(row, "category")).empty() ? "*" : str(field(row, "category")),
                      str(field(row, "office")).empty() ? "*" : str(field(row, "office")));
      std::string_view done = op == "delete" ? "removed" : "set";
      phrases.push_back(fmt::format("{} {}", what, done));
      ++counts[{"processing time", std::string(done)}];
    } else if (table == "documents" || table == "trips") {
      bool doc = table == "documents";
      std::string what = doc ? fmt::format("document d{} ({})", str(field(field(c, "key"), "id")),
                                           str(field(row, "kind")))
                             : fmt::format("trip {} of {}", str(field(field(c, "key"), "id")),
                                           str(field(row, "holder")));
      std::string_view done = op == "insert" ? "added" : op == "delete" ? "removed" : "changed";
      phrases.push_back(fmt::format("{} {}", what, done));
      ++counts[{doc ? "document" : "trip", std::string(done)}];
    } else if (table == "journal") {
      copied =
          fmt::format("journal entries #{}-#{} copied from the export",
                      str(field(field(c, "key"), "first")), str(field(field(c, "key"), "last")));
    }
  }
  for (std::string& p : phrases) {
    for (const auto& [id, n] : events_with_case) {
      if (p.starts_with("case ") && p.ends_with(" removed") &&
          p == fmt::format("case {} removed", case_name(names, json(std::stoll(id))))) {
        p += fmt::format(" with its {} event{}", n, n == 1 ? "" : "s");
      }
    }
  }
  std::string text;
  if (phrases.size() <= 3) {
    text = fmt::format("{}", fmt::join(phrases, "; "));
  } else {
    std::vector<std::string> parts;
    for (const auto& [what, n] : counts) {
      parts.push_back(fmt::format("{} {}{} {}", n, what.first, n == 1 ? "" : "s", what.second));
    }
    text = fmt::format("{}", fmt::join(parts, ", "));
  }
  if (!copied.empty()) {
    text = text.empty() ? copied : copied + "; " + text;
  }
  if (entry.undoes) {
    text = fmt::format("undid #{}: {}", *entry.undoes, text);
  }
  return text.empty() ? "no change" : text;
}

// "2026-11-28 09:14 UTC" from "2026-11-28T09:14:03Z".
std::string shown_time(const std::string& at) {
  if (at.size() >= 17 && at[10] == 'T') {
    return fmt::format("{} {} UTC", at.substr(0, 10), at.substr(11, 5));
  }
  return at;
}

// The case ids `arg` means: an id, or every id a case with that receipt had.
std::set<std::int64_t> case_ids(Context& ctx, const std::vector<store::JournalEntry>& entries,
                                const CaseNames& names, const std::string& arg) {
  std::string_view s = arg;
  if (s.starts_with('#')) {
    s.remove_prefix(1);
  }
  std::set<std::int64_t> ids;
  if (!s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string::npos) {
    ids.insert(std::stoll(std::string(s)));
    return ids;
  }
  auto receipt = normalize_receipt(arg);
  if (!receipt) {
    throw UsageError(fmt::format(
        "{} names no case; name a case by its receipt number (IOE0912345678) or its id (#7 or 7)",
        text::quoted(arg)));
  }
  for (const auto& [id, name] : names) {
    if (name == *receipt) {
      ids.insert(id);
    }
  }
  if (ids.empty()) {
    throw UsageError(
        fmt::format("no case {} in {} or its journal", text::quoted(arg), ctx.db_path()));
  }
  (void)entries;
  return ids;
}

bool concerns(const store::JournalEntry& e, const std::set<std::int64_t>& ids) {
  auto changes = store::parse_changes(e.changes);
  if (!changes) {
    return false;
  }
  for (const json& c : *changes) {
    std::string table = c.value("table", "");
    for (const char* side : {"before", "after"}) {
      json row = c.contains(side) ? c[side] : json(nullptr);
      json id = table == "cases" ? field(row, "id") : field(row, "case_id");
      if (id.is_number_integer() && ids.count(id.get<std::int64_t>()) > 0) {
        return true;
      }
    }
  }
  return false;
}

struct LogOptions {
  std::string which;
  std::string since;
  bool verify = false;
};

int run_verify(Context& ctx) {
  store::JournalCheck check = ctx.store().verify_journal();
  // The chain may hold, but a journal left open to changes is no intact journal: its
  // append-only triggers were dropped (recreated when this run opened the store, unless it
  // is read-only).
  std::string unguarded = store_repaired();
  if (unguarded.empty()) {
    std::vector<std::string> missing = store::missing_journal_triggers(ctx.store().path());
    if (!missing.empty()) {
      unguarded = fmt::format(
          "the journal's append-only trigger{} {} {} been dropped outside casewatch (entries can "
          "be changed or removed); any casewatch that can write {} recreates them",
          missing.size() == 1 ? "" : "s", fmt::join(missing, " and "),
          missing.size() == 1 ? "has" : "have", ctx.store().path().string());
    }
  }
  if (ctx.json()) {
    nlohmann::ordered_json j = {{"intact", !check.bad.has_value()}, {"entries", check.entries}};
    if (check.bad) {
      j["entry"] = *check.bad;
      j["why"] = check.why;
    } else {
      j["last_hash"] = check.last_hash;
    }
    if (!unguarded.empty()) {
      j["intact"] = false;
      j["unguarded"] = unguarded;
    }
    print_json(ctx, j);
  }
  if (check.bad) {
    throw store::StorageError(
        fmt::format("the journal does not verify at entry #{}: {} ({} "
                    "entries before it verify)",
                    *check.bad, check.why, check.entries));
  }
  if (!unguarded.empty()) {
    throw store::StorageError(
        fmt::format("the journal is not intact: {} ({} entries verify, last hash {})", unguarded,
                    check.entries, check.last_hash.empty() ? "none" : check.last_hash));
  }
  if (!ctx.json()) {
    ctx.out() << fmt::format("journal intact: {} entr{}{}\n", check.entries,
                             check.entries == 1 ? "y" : "ies",
                             check.entries == 0 ? "" : ", last hash " + check.last_hash);
  }
  return 0;
}

int run_log(Context& ctx, const LogOptions& o) {
  if (o.verify) {
    if (!o.which.empty() || !o.since.empty()) {
      throw UsageError("--verify checks the whole journal: give it without CASE or --since");
    }
    return run_verify(ctx);
  }
  std::optional<std::string> since;
  if (!o.since.empty()) {
    since = format_date(ctx.parse_date("--since", o.since));
  }
  auto& store = ctx.store();
  std::vector<store::JournalEntry> entries = store.journal();
  CaseNames names = case_names(entries, store);
  std::optional<std::set<std::int64_t>> ids;
  if (!o.which.empty()) {
    ids = case_ids(ctx, entries, names, o.which);
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const store::JournalEntry& e : entries) {
    if ((since && e.at.substr(0, 10) < *since) || (ids && !concerns(e, *ids))) {
      continue;
    }
    std::string summary = summarize(e, names);
    if (ctx.json()) {
      // An entry that is not readable has null changes; its summary says why.
      auto changes = store::parse_changes(e.changes);
      out.push_back({{"id", e.id},
                     {"at", e.at},
                     {"user", e.user},
                     {"command", e.command},
                     {"summary", summary},
                     {"changes",
                      changes ? nlohmann::ordered_json(*changes) : nlohmann::ordered_json(nullptr)},
                     {"undoes", e.undoes ? nlohmann::ordered_json(*e.undoes)
                                         : nlohmann::ordered_json(nullptr)},
                     {"hash", e.hash}});
      continue;
    }
    ctx.out() << fmt::format("#{} {} {}: {} ({})\n", e.id, shown_time(e.at),
                             text::printable(e.user), text::printable(summary),
                             text::printable(e.command));
  }
  if (ctx.json()) {
    print_json(ctx, {{"entries", out}});
  }
  return 0;
}

int run_undo(Context& ctx) {
  auto& store = ctx.store();
  auto tx = store.begin_write();
  std::optional<store::JournalEntry> undone = store.undo_last();
  if (!undone) {
    throw UsageError(
        "nothing to undo: the journal holds no change that is not undone already "
        "('casewatch log' shows it)");
  }
  tx.commit();
  std::vector<store::JournalEntry> entries = store.journal();
  std::string summary = summarize(*undone, case_names(entries, store));
  if (ctx.json()) {
    print_json(ctx, {{"undid",
                      {{"id", undone->id},
                       {"at", undone->at},
                       {"user", undone->user},
                       {"command", undone->command},
                       {"summary", summary}}},
                     {"entry", entries.back().id}});
  } else if (!ctx.quiet()) {
    ctx.out() << fmt::format(
        "Undid #{} ({}, {}, {}): {}. 'casewatch undo' again reverts the "
        "change before it.\n",
        undone->id, shown_time(undone->at), text::printable(undone->user),
        text::printable(undone->command), text::printable(summary));
  }
  return 0;
}

}  // namespace

Runner register_log(CLI::App& command) {
  auto o = std::make_shared<LogOptions>();
  auto* cmd = &command;
  cmd->add_option("CASE", o->which, "Only the entries of this case (receipt or #id)");
  cmd->add_option("--since", o->since, "Only the entries from DATE on (UTC)");
  cmd->add_flag("--verify", o->verify,
                "Check that no entry was altered or removed (exit 1 naming the first that was)");
  cmd->footer(
      "One line per writing command: entry number, time (UTC), who ($CASEWATCH_USER, else\n"
      "the login name), what changed, and the command line. Each entry holds the hash of the\n"
      "one before it; --verify recomputes the chain.");
  return [o](Context& ctx) { return run_log(ctx, *o); };
}

Runner register_undo(CLI::App& /*command: no options of its own*/) {
  return [](Context& ctx) { return run_undo(ctx); };
}

}  // namespace casewatch::cli
