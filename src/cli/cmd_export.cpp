// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <iostream>

#include "casewatch/domain/interchange.hpp"
#include "commands.hpp"
#include "files.hpp"

namespace casewatch::cli {
namespace {

struct ExportOptions {
  std::string format;
  std::string output;
  std::string match;
};

int run_export(Context& ctx, const ExportOptions& o) {
  std::string format = o.format;
  if (format.empty()) {
    format = o.output.ends_with(".csv") ? "csv" : "json";
  }
  if (format != "json" && format != "csv") {
    throw UsageError(fmt::format("--format: '{}' is not a format; use json or csv", o.format));
  }
  if (format == "csv" && ctx.json()) {
    throw UsageError(
        "--json: this export is CSV; leave out --json, or export JSON with --format json");
  }
  // Written case by case as the cases are read (one in memory at a time).
  std::size_t n_cases = 0;
  std::size_t n_events = 0;
  auto produce = [&](const Sink& put) {
    if (format == "csv") {
      put(k_case_csv_header);
      put("\n");
      for_each_record(ctx.store(), o.match, [&](Case& c, std::vector<Event>&) {
        ++n_cases;
        put(export_csv_row(c));
      });
      return;
    }
    put(export_json_head());
    for_each_record(ctx.store(), o.match, [&](Case& c, std::vector<Event>& events) {
      put(n_cases++ == 0 ? "\n    " : ",\n    ");
      n_events += events.size();
      put(export_json_case(c, events));
    });
    put(n_cases == 0 ? "]" : "\n  ]");
    if (o.match.empty()) {
      // The whole journal goes with a whole export (with --match it would be partial, and
      // would name the other cases): import keeps it.
      put(",\n  \"journal\": [");
      bool any = false;
      for (const store::JournalEntry& e : ctx.store().journal()) {
        nlohmann::ordered_json j = {
            {"id", e.id},
            {"at", e.at},
            {"user", e.user},
            {"command", e.command},
            {"changes", nlohmann::ordered_json::parse(e.changes, nullptr, false)},
            {"undoes",
             e.undoes ? nlohmann::ordered_json(*e.undoes) : nlohmann::ordered_json(nullptr)},
            {"prev_hash", e.prev_hash},
            {"hash", e.hash}};
        put(any ? ",\n    " : "\n    ");
        any = true;
        put(indent_json(j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace),
                        2));
      }
      put(any ? "\n  ]" : "]");
    }
    put("\n}\n");
  };
  if (o.output.empty() || o.output == "-") {
    produce([&](std::string_view piece) { ctx.out() << piece; });
    return 0;
  }
  write_file_atomically(o.output, produce);
  if (!ctx.quiet()) {
    std::cerr << fmt::format("Exported {} cases{} to {}.\n", n_cases,
                             format == "json" ? fmt::format(" and {} events", n_events)
                                              : std::string(" (CSV holds no events)"),
                             o.output);
  }
  return 0;
}

}  // namespace

Runner register_export(CLI::App& app) {
  auto o = std::make_shared<ExportOptions>();
  auto* cmd = app.add_subcommand("export", "Write every case (JSON: with its events)");
  cmd->add_option("--format", o->format, "json (default) or csv (default for a .csv file)");
  cmd->add_option("-o,--output", o->output, "Write to FILE (private, 0600) instead of stdout");
  add_match_option(cmd, o->match);
  cmd->footer(
      "JSON carries every field and event, and (without --match) the journal, and reads back\n"
      "with 'casewatch import'.\n"
      "CSV has one row per case: receipt,form,category,office,received,sent,priority_date,\n"
      "premium_start,label,note,status.");
  return [o](Context& ctx) { return run_export(ctx, *o); };
}

}  // namespace casewatch::cli
