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
  std::vector<CaseRecordIO> cases;
  std::size_t n_events = 0;
  for (CaseRecord& r : load_matching(ctx.store(), o.match)) {
    n_events += r.events.size();
    cases.push_back(CaseRecordIO{std::move(r.c), std::move(r.events), 0, {}, {}});
  }
  std::string text = format == "json" ? export_json(cases) : export_csv(cases);
  if (format == "json" && o.match.empty()) {
    // The whole journal goes with a whole export (with --match it would be partial, and
    // would name the other cases): import keeps it.
    auto doc = nlohmann::ordered_json::parse(text);
    doc["journal"] = nlohmann::ordered_json::array();
    for (const store::JournalEntry& e : ctx.store().journal()) {
      doc["journal"].push_back(
          {{"id", e.id},
           {"at", e.at},
           {"user", e.user},
           {"command", e.command},
           {"changes", nlohmann::ordered_json::parse(e.changes, nullptr, false)},
           {"undoes",
            e.undoes ? nlohmann::ordered_json(*e.undoes) : nlohmann::ordered_json(nullptr)},
           {"prev_hash", e.prev_hash},
           {"hash", e.hash}});
    }
    text = doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  }
  if (o.output.empty() || o.output == "-") {
    ctx.out() << text;
    return 0;
  }
  write_file_atomically(o.output, text);
  if (!ctx.quiet()) {
    std::cerr << fmt::format("Exported {} cases{} to {}.\n", cases.size(),
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
