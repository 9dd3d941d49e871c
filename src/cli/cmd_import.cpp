// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <algorithm>
#include <ostream>
#include <set>

#include "casewatch/domain/interchange.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"
#include "files.hpp"

namespace casewatch::cli {
namespace {

struct ImportOptions {
  std::string path;
  std::string encoding = "utf-8";
  bool update = false;
};

// The journal an export carries, or nothing. Throws UsageError naming what is wrong.
std::vector<store::JournalEntry> exported_journal(const std::string& path,
                                                  const std::string& text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || text[first] != '{') {
    return {};
  }
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object() || !doc.contains("journal") || doc["journal"].is_null()) {
    return {};
  }
  const auto& list = doc["journal"];
  if (!list.is_array()) {
    throw UsageError(fmt::format("{}: field journal: expected an array of entries", path));
  }
  std::vector<store::JournalEntry> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& j = list[i];
    auto bad = [&](std::string_view field) {
      return UsageError(fmt::format("{}: journal entry {}, field {}: missing or of the wrong type",
                                    path, i + 1, field));
    };
    if (!j.is_object()) {
      throw bad("(entry)");
    }
    store::JournalEntry e;
    if (!j.contains("id") || !j["id"].is_number_integer()) {
      throw bad("id");
    }
    e.id = j["id"].get<std::int64_t>();
    for (auto [name, slot] :
         {std::pair{"at", &e.at}, std::pair{"user", &e.user}, std::pair{"command", &e.command},
          std::pair{"prev_hash", &e.prev_hash}, std::pair{"hash", &e.hash}}) {
      if (!j.contains(name) || !j[name].is_string()) {
        throw bad(name);
      }
      *slot = j[name].get<std::string>();
    }
    if (!j.contains("changes") || !j["changes"].is_array()) {
      throw bad("changes");
    }
    // As the store wrote it: compact, keys sorted.
    e.changes = j["changes"].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (j.contains("undoes") && !j["undoes"].is_null()) {
      if (!j["undoes"].is_number_integer()) {
        throw bad("undoes");
      }
      e.undoes = j["undoes"].get<std::int64_t>();
    }
    out.push_back(std::move(e));
  }
  return out;
}

// Events numbered in the file keep their numbers; the others get the next ones.
void number_events(std::vector<Event>& events) {
  std::int64_t last = 0;
  for (const Event& e : events) {
    last = std::max(last, e.seq);
  }
  for (Event& e : events) {
    if (e.seq <= 0) {
      e.seq = ++last;
    }
  }
}

// Refuses the file with the domain's message: one error line per line of it, each naming
// the file.
[[noreturn]] void refuse(const std::string& path, const std::string& message) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    auto end = message.find('\n', start);
    lines.push_back(fmt::format("{}: {}", path, message.substr(start, end - start)));
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  std::string last = std::move(lines.back());
  lines.pop_back();
  throw UsageError(std::move(lines), last);
}

int run_import(Context& ctx, const ImportOptions& o) {
  const std::string& path = o.path;
  if (o.encoding != "utf-8" && o.encoding != "windows-1252") {
    throw UsageError(
        fmt::format("--encoding: {} is not an encoding casewatch reads; use utf-8 "
                    "or windows-1252",
                    text::quoted(o.encoding)));
  }
  std::string text = read_file(path);
  if (o.encoding == "windows-1252") {
    text = text::windows1252_to_utf8(text);
  }
  std::vector<std::string> warnings;
  auto parsed = import_cases(text, ctx.as_of(), &warnings);
  if (!parsed) {
    refuse(path, parsed.error());
  }
  bool has_events = std::any_of(parsed->begin(), parsed->end(),
                                [](const CaseRecordIO& r) { return !r.events.empty(); });
  if (o.update && has_events) {
    throw UsageError(fmt::format(
        "{}: --update takes a CSV (case fields only); this export carries events, which an "
        "update never changes: import it into a new database, or export the changes as CSV",
        path));
  }
  std::vector<store::JournalEntry> journal = exported_journal(path, text);
  auto& store = ctx.store();
  // The stored cases, read once: the file's rows are matched against them in memory.
  auto plan = plan_import(std::move(parsed).value(), store.all_cases(), ctx.as_of(), o.update);
  if (!plan) {
    refuse(path, plan.error());
  }
  // Values USCIS does not list, each said once.
  std::set<std::string> said;
  for (const std::string& w : warnings) {
    if (said.insert(w).second) {
      ctx.warn(w);
    }
  }
  std::size_t n_events = 0;
  bool copy = !journal.empty() && store.journal().empty();
  if (!journal.empty() && !copy) {
    ctx.warn(fmt::format(
        "the journal of {} ({} entries) was not copied: this database has a journal of its own, "
        "and one chain cannot hold both; keep the file as the record of its history",
        path, journal.size()));
  }
  auto tx = store.begin_write();
  if (copy) {
    try {
      store.copy_journal(journal);
    } catch (const store::Conflict& e) {
      throw UsageError(fmt::format("{}: {}; nothing was imported", path, e.what()));
    }
  }
  for (CaseRecordIO r : plan->added) {
    CaseId id = store.insert_case(r.c);
    number_events(r.events);
    for (Event e : r.events) {
      e.case_id = id;
      store.insert_event(e);
      ++n_events;
    }
  }
  for (const Case& c : plan->updated) {
    store.update_case(c);
  }
  tx.commit();
  const std::size_t added = plan->added.size();
  if (ctx.json()) {
    nlohmann::ordered_json j = {{"imported", added}, {"events", n_events}};
    if (o.update) {
      j["added"] = added;
      j["updated"] = plan->updated.size();
      j["unchanged"] = plan->unchanged;
    }
    print_json(ctx, j);
  } else if (!ctx.quiet()) {
    if (o.update) {
      ctx.out() << fmt::format("Imported {}: {} added, {} updated, {} unchanged.\n", path, added,
                               plan->updated.size(), plan->unchanged);
    } else {
      ctx.out() << fmt::format("Imported {} cases and {} events from {}.\n", added, n_events, path);
    }
  }
  return 0;
}

}  // namespace

Runner register_import(CLI::App& app) {
  auto o = std::make_shared<ImportOptions>();
  auto* cmd = app.add_subcommand("import", "Add cases from an export or a CSV, all or nothing");
  cmd->add_option("FILE", o->path, "A casewatch JSON export or a CSV file ('-': stdin)")
      ->required();
  cmd->add_flag("--update", o->update,
                "Take an updated sheet again: stored cases (matched by receipt) get the "
                "sheet's changed values, new ones are added");
  cmd->add_option("--encoding", o->encoding,
                  "The file's encoding: utf-8 (the default) or windows-1252 (what Excel on "
                  "Windows saves as plain 'CSV')");
  cmd->footer(
      "The format is told by the content: JSON starts with '{'. A CSV needs a header row with\n"
      "the case field names or the usual ones of a law office (Receipt #, Form Type, Date\n"
      "Received, Client, Notes...), any case, in any order; form, and received (with a\n"
      "receipt) or sent (without), are required. Other columns are named in a warning and not\n"
      "read; empty rows are skipped. Every row is checked before anything is written; each bad\n"
      "row is reported with its line and field, and nothing is imported. With --update a\n"
      "case already stored takes the sheet's non-empty values (an empty cell keeps the stored\n"
      "one; events are never touched). Text must be UTF-8; a sheet saved by Excel as plain\n"
      "'CSV' is Windows-1252: give --encoding windows-1252.");
  return [o](Context& ctx) { return run_import(ctx, *o); };
}

}  // namespace casewatch::cli
