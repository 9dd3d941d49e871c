// SPDX-License-Identifier: MIT
#include <fmt/format.h>

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
};

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
    throw UsageError(fmt::format("{}: {}", path, parsed.error()));
  }
  auto& store = ctx.store();
  for (const CaseRecordIO& r : *parsed) {
    if (r.c.receipt) {
      if (auto existing = store.find_case_by_receipt(*r.c.receipt)) {
        throw UsageError(fmt::format(
            "{}: {}, field receipt: case {} is already in the database (#{}); nothing was "
            "imported",
            path, r.origin, *r.c.receipt, existing->id));
      }
    }
  }
  // Values USCIS does not list, each said once.
  std::set<std::string> said;
  for (const std::string& w : warnings) {
    if (said.insert(w).second) {
      ctx.warn(w);
    }
  }
  std::size_t n_events = 0;
  auto tx = store.begin_write();
  for (const CaseRecordIO& r : *parsed) {
    CaseId id = store.insert_case(r.c);
    for (Event e : r.events) {
      e.case_id = id;
      store.insert_event(e);
      ++n_events;
    }
  }
  tx.commit();
  if (ctx.json()) {
    print_json(ctx, {{"imported", parsed->size()}, {"events", n_events}});
  } else if (!ctx.quiet()) {
    ctx.out() << fmt::format("Imported {} cases and {} events from {}.\n", parsed->size(), n_events,
                             path);
  }
  return 0;
}

}  // namespace

Runner register_import(CLI::App& app) {
  auto o = std::make_shared<ImportOptions>();
  auto* cmd = app.add_subcommand("import", "Add cases from an export or a CSV, all or nothing");
  cmd->add_option("FILE", o->path, "A casewatch JSON export or a CSV file ('-': stdin)")
      ->required();
  cmd->add_option("--encoding", o->encoding,
                  "The file's encoding: utf-8 (the default) or windows-1252 (what Excel on "
                  "Windows saves as plain 'CSV')");
  cmd->footer(
      "The format is told by the content: JSON starts with '{'. A CSV needs a header row with\n"
      "the case field names, in any order; form, and received (with a receipt) or sent\n"
      "(without), are required. Every row is checked before anything is written; the first\n"
      "error names its line and field, and nothing is imported. Text must be UTF-8; a sheet\n"
      "saved by Excel as plain 'CSV' is Windows-1252: give --encoding windows-1252.");
  return [o](Context& ctx) { return run_import(ctx, *o); };
}

}  // namespace casewatch::cli
