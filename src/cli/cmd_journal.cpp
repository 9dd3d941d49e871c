// SPDX-License-Identifier: MIT
// `log` (the journal of every change, and its verification) and `undo`.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
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
// The entries copied from another database's export (up to `copied_up_to`) name that
// database's case ids, which are not this one's: their names are kept apart.
struct CaseNames {
  std::map<std::int64_t, std::string> own;
  std::map<std::int64_t, std::string> copied;
  std::int64_t copied_up_to = 0;
};

// The receipts of the case rows `changes` (of entry `entry_id`) kept.
void add_names(CaseNames& names, std::int64_t entry_id, const json& changes) {
  auto& into = entry_id <= names.copied_up_to ? names.copied : names.own;
  for (const json& c : changes) {
    if (c.value("table", "") != "cases") {
      continue;
    }
    for (const char* side : {"before", "after"}) {
      json row = c.contains(side) ? c[side] : json(nullptr);
      if (field(row, "id").is_number_integer() && field(row, "receipt").is_string()) {
        into[row["id"].get<std::int64_t>()] = row["receipt"].get<std::string>();
      }
    }
  }
}

void add_stored_names(CaseNames& names, store::Store& store) {
  for (const Case& c : store.all_cases()) {
    if (c.receipt) {
      names.own[c.id] = *c.receipt;
    }
  }
}

CaseNames case_names(const std::vector<store::JournalEntry>& entries, store::Store& store) {
  CaseNames names;
  std::vector<json> read(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (auto parsed = store::parse_changes(entries[i].changes)) {
      read[i] = std::move(*parsed);
      names.copied_up_to = std::max(names.copied_up_to, store::copied_up_to(read[i]));
    }
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    add_names(names, entries[i].id, read[i]);
  }
  add_stored_names(names, store);
  return names;
}

// The names of the cases `entry` (not a copied one) names, as case_names gives them, read
// without holding the journal: a stored case's receipt, else the one the newest entry that
// kept a row of the case had, the journal read newest first and only as far as needed.
CaseNames names_of(const store::JournalEntry& entry, store::Store& store) {
  CaseNames names;
  names.copied_up_to = store.journal_copied_up_to();
  std::set<std::int64_t> wanted;
  if (auto changes = store::parse_changes(entry.changes)) {
    for (const json& c : *changes) {
      json key_id = field(field(c, "key"), "id");
      if (c.value("table", "") == "cases" && key_id.is_number_integer()) {
        wanted.insert(key_id.get<std::int64_t>());
      }
      for (const char* side : {"before", "after"}) {
        json id = field(c.contains(side) ? c[side] : json(nullptr), "case_id");
        if (id.is_number_integer()) {
          wanted.insert(id.get<std::int64_t>());
        }
      }
    }
  }
  for (auto it = wanted.begin(); it != wanted.end();) {
    std::optional<Case> c = store.find_case(*it);
    if (c && c->receipt) {
      names.own[*it] = *c->receipt;
      it = wanted.erase(it);
    } else {
      ++it;
    }
  }
  store.each_journal_entry(
      [&](const store::JournalEntry& e, const store::Store::ChangesReader& read_changes) {
        if (wanted.empty() || e.id <= names.copied_up_to) {
          return;
        }
        std::string changes;
        read_changes([&](std::string_view piece) { changes += piece; });
        auto parsed = store::parse_changes(changes);
        if (!parsed) {
          return;
        }
        CaseNames kept;
        add_names(kept, e.id, *parsed);
        for (auto it = wanted.begin(); it != wanted.end();) {
          auto name = kept.own.find(*it);
          if (name != kept.own.end()) {
            names.own[*it] = name->second;
            it = wanted.erase(it);
          } else {
            ++it;
          }
        }
      },
      true);
  return names;
}

// The name of case `id` as entry `entry_id` knows it: its receipt, else "#id" (of the
// exported database, for a copied entry).
std::string case_name(const CaseNames& names, std::int64_t entry_id, const json& id) {
  bool copied = entry_id <= names.copied_up_to;
  const auto& map = copied ? names.copied : names.own;
  if (id.is_number_integer()) {
    auto it = map.find(id.get<std::int64_t>());
    if (it != map.end()) {
      return it->second;
    }
  }
  return "#" + str(id) + (copied ? " of the exported database" : "");
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

// One line on what an entry changed: "event 3 (rfe) of IOE0912345678 removed"; an undo says
// what the entry it undid had done ("undid #12: event 3 ... removed from ..."), read from
// `undone` when given.
std::string summarize(const store::JournalEntry& entry, const CaseNames& names,
                      const store::JournalEntry* undone = nullptr) {
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
    if (table == "reported" ||
        (table == "status_snapshots" && removed_cases.count(str(field(row, "case_id"))))) {
      continue;
    }
    if (table == "status_snapshots") {
      std::string_view done = op == "delete" ? "removed" : "recorded";
      phrases.push_back(fmt::format("USCIS status of {} {} ({})",
                                    case_name(names, entry.id, field(row, "case_id")), done,
                                    str(field(row, "source"))));
      ++counts[{"status snapshot", std::string(done)}];
      continue;
    }
    if (table == "bulletin" || table == "uscis_chart") {
      bool cell = table == "bulletin";
      std::string what = cell ? fmt::format("Visa Bulletin cell {} {} {} {}",
                                            str(field(row, "month")), str(field(row, "chart")),
                                            str(field(row, "category")), str(field(row, "country")))
                              : fmt::format("USCIS chart choice of {}", str(field(row, "month")));
      std::string_view done = op == "delete" ? "removed" : "set";
      phrases.push_back(fmt::format("{} {}", what, done));
      ++counts[{cell ? "Visa Bulletin cell" : "USCIS chart choice", std::string(done)}];
      continue;
    }
    if (table == "events" && op == "delete" && field(row, "case_id").is_number_integer() &&
        removed_cases.count(str(field(row, "case_id")))) {
      ++events_with_case[str(field(row, "case_id"))];
      continue;
    }
    if (table == "cases") {
      std::string name = case_name(names, entry.id, field(field(c, "key"), "id"));
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
      std::string of = case_name(names, entry.id, field(row, "case_id"));
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
          p == fmt::format("case {} removed", case_name(names, entry.id, json(std::stoll(id))))) {
        p += fmt::format(" with its {}", text::count(static_cast<std::size_t>(n), "event"));
      }
    }
  }
  std::string text;
  if (phrases.size() <= 3) {
    text = fmt::format("{}", fmt::join(phrases, "; "));
  } else {
    std::vector<std::string> parts;
    for (const auto& [what, n] : counts) {
      parts.push_back(
          fmt::format("{} {}", text::count(static_cast<std::size_t>(n), what.first), what.second));
    }
    text = fmt::format("{}", fmt::join(parts, ", "));
  }
  if (!copied.empty()) {
    text = text.empty() ? copied : copied + "; " + text;
  }
  if (entry.undoes) {
    text = fmt::format("undid #{}: {}", *entry.undoes,
                       undone != nullptr ? summarize(*undone, names) : text);
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

// The case ids `arg` means: an id, or every id a case with that receipt had; the ids of
// the entries copied from an export are negative (-id), found by the case's receipt.
std::set<std::int64_t> case_ids(Context& ctx, const CaseNames& names, const std::string& arg) {
  std::string_view s = arg;
  if (s.starts_with('#')) {
    s.remove_prefix(1);
  }
  std::set<std::int64_t> ids;
  std::optional<std::string> receipt;
  if (!s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string::npos) {
    std::int64_t id = std::stoll(std::string(s));
    ids.insert(id);
    auto it = names.own.find(id);
    if (it == names.own.end()) {
      return ids;
    }
    receipt = it->second;
  } else if (auto normalized = normalize_receipt(arg)) {
    receipt = *normalized;
  }
  if (!receipt) {
    throw UsageError(fmt::format(
        "{} names no case; name a case by its receipt number (IOE0912345678) or its id (#7 or 7)",
        text::quoted(arg)));
  }
  for (const auto& [id, name] : names.own) {
    if (name == *receipt) {
      ids.insert(id);
    }
  }
  for (const auto& [id, name] : names.copied) {
    if (name == *receipt) {
      ids.insert(-id);  // a copied entry's case: negative, apart from this database's ids
    }
  }
  if (ids.empty()) {
    throw UsageError(
        fmt::format("no case {} in {} or its journal", text::quoted(arg), ctx.db_path()));
  }
  return ids;
}

bool concerns(const store::JournalEntry& e, const std::set<std::int64_t>& ids,
              const CaseNames& names) {
  std::int64_t sign = e.id <= names.copied_up_to ? -1 : 1;
  auto changes = store::parse_changes(e.changes);
  if (!changes) {
    return false;
  }
  for (const json& c : *changes) {
    std::string table = c.value("table", "");
    for (const char* side : {"before", "after"}) {
      json row = c.contains(side) ? c[side] : json(nullptr);
      json id = table == "cases" ? field(row, "id") : field(row, "case_id");
      if (id.is_number_integer() && ids.count(sign * id.get<std::int64_t>()) > 0) {
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
          text::plural(missing.size(), "", "s"), fmt::join(missing, " and "),
          text::plural(missing.size(), "has", "have"), ctx.store().path().string());
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
    ctx.out() << fmt::format("journal intact: {}{}\n",
                             text::count(check.entries, "entry", "entries"),
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
    ids = case_ids(ctx, names, o.which);
  }
  std::map<std::int64_t, const store::JournalEntry*> by_id;
  for (const store::JournalEntry& e : entries) {
    by_id[e.id] = &e;
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const store::JournalEntry& e : entries) {
    if ((since && e.at.substr(0, 10) < *since) || (ids && !concerns(e, *ids, names))) {
      continue;
    }
    auto undone = e.undoes ? by_id.find(*e.undoes) : by_id.end();
    std::string summary = summarize(e, names, undone == by_id.end() ? nullptr : undone->second);
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
  std::string summary = summarize(*undone, names_of(*undone, store));
  if (ctx.json()) {
    print_json(ctx, {{"undid",
                      {{"id", undone->id},
                       {"at", undone->at},
                       {"user", undone->user},
                       {"command", undone->command},
                       {"summary", summary}}},
                     {"entry", store.last_journal_entry().value_or(0)}});
  } else if (!ctx.quiet()) {
    ctx.out() << fmt::format(
        "Undid #{}: {} ({}, by {}, {}). 'casewatch undo' again reverts the change before "
        "it.\n",
        undone->id, text::printable(summary), text::printable(undone->command),
        text::printable(undone->user), shown_time(undone->at));
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
      "one before it; --verify recomputes the chain.\n"
      "Not journaled: what 'check' recorded as reported and its wake dates, and the fetch\n"
      "budget. They are casewatch's memory of what it said and asked, not your data: a\n"
      "daily check would add an entry a day and 'undo' would revert it instead of your last\n"
      "change.");
  return [o](Context& ctx) { return run_log(ctx, *o); };
}

Runner register_undo(CLI::App& /*command: no options of its own*/) {
  return [](Context& ctx) { return run_undo(ctx); };
}

}  // namespace casewatch::cli
