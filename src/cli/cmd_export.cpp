// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "casewatch/domain/interchange.hpp"
#include "casewatch/util/json_indent.hpp"
#include "casewatch/util/json_limits.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"
#include "files.hpp"
#include "progress.hpp"

namespace casewatch::cli {
namespace {

struct ExportOptions {
  std::string format;
  std::string output;
  std::string match;
};

std::string json_string(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// One journal entry, laid out as the export's other objects (two spaces a level, at depth 2),
// its changes re-indented as they are read: the entry is never whole in memory.
void put_journal_entry(const Sink& put, const store::JournalEntry& e,
                       const store::Store::ChangesReader& read_changes) {
  put(
      fmt::format("{{\n      \"id\": {},\n      \"at\": {},\n      \"user\": {},\n      "
                  "\"command\": {},\n      \"changes\": ",
                  e.id, json_string(e.at), json_string(e.user), json_string(e.command)));
  JsonIndenter indent(3, put);
  read_changes([&](std::string_view piece) { indent.feed(piece); });
  if (!indent.finish()) {
    throw store::StorageError(fmt::format(
        "journal entry #{} holds changes that are not whole JSON; run 'casewatch log --verify'",
        e.id));
  }
  put(fmt::format(",\n      \"undoes\": {},\n      \"prev_hash\": {},\n      \"hash\": {}\n    }}",
                  e.undoes ? std::to_string(*e.undoes) : std::string("null"),
                  json_string(e.prev_hash), json_string(e.hash)));
}

// Why the journal cannot go with the export, naming the entry, or nothing: an entry written
// outside casewatch whose changes nest deeper than any JSON casewatch reads (re-indented,
// 100,000 levels would be gigabytes of spaces), or are no whole JSON value. Read before
// anything is written, one entry and one piece at a time.
std::optional<std::string> journal_problem(store::Store& store) {
  std::optional<std::string> problem;
  store.each_journal_entry([&](const store::JournalEntry& e,
                               const store::Store::ChangesReader& read_changes) {
    if (problem) {
      return;
    }
    json_limits::DepthScan depth;
    JsonIndenter whole(3, [](std::string_view) {});
    read_changes([&](std::string_view piece) {
      if (!depth.stopped() && depth.feed(piece)) {
        whole.feed(piece);
      }
    });
    if (depth.stopped()) {
      problem = fmt::format("journal entry #{} is not readable: in its changes, {}", e.id,
                            depth.problem().value_or(""));
    } else if (!whole.finish()) {
      problem =
          fmt::format("journal entry #{} is not readable: its changes are not whole JSON", e.id);
    }
  });
  return problem;
}

int run_export(Context& ctx, const ExportOptions& o) {
  std::string format = o.format;
  if (format.empty()) {
    format = o.output.ends_with(".csv") ? "csv" : "json";
  }
  if (format != "json" && format != "csv") {
    throw UsageError(
        fmt::format("--format: {} is not a format; use json or csv", text::quoted(o.format)));
  }
  if (format == "csv" && ctx.json()) {
    throw UsageError(
        "--json: this export is CSV; leave out --json, or export JSON with --format json");
  }
  // The whole journal goes with a whole export (with --match it would be partial, and would
  // name the other cases): import keeps it. Not when an entry cannot be carried: the chain
  // would break without it, so none goes, and the user hears why.
  bool with_journal = format == "json" && o.match.empty();
  if (with_journal) {
    if (auto problem = journal_problem(ctx.store())) {
      ctx.warn(fmt::format(
          "{} (written outside casewatch); the export carries every case but no journal",
          *problem));
      with_journal = false;
    }
  }
  // How the file names a case another record links to (a derivative's principal, the case
  // that renews a document): never its database id, which an import changes.
  // Every case (by id, as all_cases gives them) is read only when a record links to one or
  // the progress line shows a total: most exports need neither.
  std::optional<std::vector<Case>> all_cases;
  auto cases = [&]() -> const std::vector<Case>& {
    if (!all_cases) {
      all_cases = ctx.store().all_cases();
    }
    return *all_cases;
  };
  auto ref_of = [&](CaseId id) -> std::optional<std::string> {
    const std::vector<Case>& all = cases();
    auto it = std::lower_bound(all.begin(), all.end(), id,
                               [](const Case& c, CaseId wanted) { return c.id < wanted; });
    if (it == all.end() || it->id != id) {
      return std::nullopt;
    }
    return case_ref(*it, static_cast<std::size_t>(it - all.begin()));
  };
  // Documents and trips go with a whole JSON export (docs/cli.md, `export`).
  std::vector<Document> documents = ctx.store().all_documents();
  std::vector<Trip> trips = ctx.store().all_trips();
  // Written case by case as the cases are read (one in memory at a time).
  std::size_t n_cases = 0;
  std::size_t n_events = 0;
  // On stderr only (docs/cli.md, "Progress"); the number of cases when it is known.
  Progress progress(ctx, "Exporting", "cases");
  if (format == "json" && o.match.empty() && progress.shown()) {
    progress.set_total(cases().size());
  }
  if ((o.output.empty() || o.output == "-") && ::isatty(STDOUT_FILENO) != 0) {
    progress.finish();  // the export itself scrolls by on the terminal: no line over it
  }
  auto produce = [&](const Sink& put) {
    if (format == "csv") {
      put(k_case_csv_header);
      put("\n");
      for_each_record(ctx.store(), o.match, [&](Case& c, std::vector<Event>&) {
        ++n_cases;
        progress.tick();
        put(export_csv_row(c));
      });
      return;
    }
    put(export_json_head());
    for_each_record(ctx.store(), o.match, [&](Case& c, std::vector<Event>& events) {
      put(n_cases++ == 0 ? "\n    " : ",\n    ");
      progress.tick();
      n_events += events.size();
      put(export_json_case(c, events, c.derivative_of ? ref_of(*c.derivative_of) : std::nullopt));
    });
    put(n_cases == 0 ? "]" : "\n  ]");
    if (o.match.empty()) {
      // The stored processing-time rows (`times set`, imported, fetched) go with a whole export.
      std::vector<std::string> problems;
      put(export_json_times(ctx.store().stored_times(&problems)));
      warn_stored_problems(problems);
      put(export_json_documents(documents, trips, ref_of));
    }
    if (with_journal) {
      put(",\n  \"journal\": [");
      bool any = false;
      ctx.store().each_journal_entry(
          [&](const store::JournalEntry& e, const store::Store::ChangesReader& read_changes) {
            put(any ? ",\n    " : "\n    ");
            any = true;
            put_journal_entry(put, e, read_changes);
          });
      put(any ? "\n  ]" : "]");
    }
    put("\n}\n");
  };
  // Documents and trips a CSV or a partial export leaves out: said once, never silent.
  auto say_what_stays = [&] {
    if (documents.empty() && trips.empty()) {
      return;
    }
    std::string what =
        fmt::format("{} and {}", text::count(documents.size(), "document", "documents"),
                    text::count(trips.size(), "trip", "trips"));
    if (format == "csv") {
      ctx.warn(
          fmt::format("documents and trips go only with --format json; this CSV leaves out "
                      "the {} of this database",
                      what));
    } else if (!o.match.empty()) {
      ctx.warn(
          fmt::format("documents and trips go with a whole export (without --match); this "
                      "one leaves out the {} of this database",
                      what));
    }
  };
  if (o.output.empty() || o.output == "-") {
    produce([&](std::string_view piece) { ctx.out() << piece; });
    progress.finish();
    say_what_stays();
    return 0;
  }
  write_file_atomically(o.output, produce);
  progress.finish();
  say_what_stays();
  if (!ctx.quiet()) {
    std::cerr << fmt::format("Exported {} cases{} to {}.\n", n_cases,
                             format == "json" ? fmt::format(" and {} events", n_events)
                                              : std::string(" (CSV holds no events)"),
                             o.output);
  }
  return 0;
}

}  // namespace

Runner register_export(CLI::App& command) {
  auto o = std::make_shared<ExportOptions>();
  auto* cmd = &command;
  cmd->add_option("--format", o->format, "json (default) or csv (default for a .csv file)");
  cmd->add_option("-o,--output", o->output, "Write to FILE (private, 0600) instead of stdout");
  add_match_option(cmd, o->match);
  cmd->footer(
      "JSON carries every field and event, and (without --match) the documents, trips and\n"
      "journal, and reads back with 'casewatch import'.\n"
      "CSV has one row per case, every case field, no events:\n" +
      std::string(k_case_csv_header) + ".");
  return [o](Context& ctx) { return run_export(ctx, *o); };
}

}  // namespace casewatch::cli
