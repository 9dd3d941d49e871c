// SPDX-License-Identifier: MIT
// Internal to the cli layer: each command registers itself on the CLI11 app and returns
// the function that runs it once the command line is parsed.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/cli/context.hpp"
#include "casewatch/domain/rules.hpp"

namespace casewatch::cli {

using Runner = std::function<int(Context&)>;

// Each command's registration: it adds the options and subcommands of `command` (already
// made, with its name and summary, from the command table) and returns what runs it.
Runner register_add(CLI::App& app);
Runner register_edit(CLI::App& app);
Runner register_rm(CLI::App& app);
Runner register_event(CLI::App& app);
Runner register_list(CLI::App& app);
Runner register_show(CLI::App& app);
Runner register_overdue(CLI::App& app);
Runner register_suggest(CLI::App& app);
Runner register_times(CLI::App& app);
Runner register_check(CLI::App& app);
Runner register_cron(CLI::App& app);
Runner register_export(CLI::App& app);
Runner register_import(CLI::App& app);
Runner register_calendar(CLI::App& app);
Runner register_status(CLI::App& app);
Runner register_completion(CLI::App& app);
Runner register_log(CLI::App& app);
Runner register_undo(CLI::App& app);
Runner register_bulletin(CLI::App& app);
Runner register_report(CLI::App& app);

// What the program knows of a command, said once: the usage summary, --help, the
// registration, which commands may create a new database, which take --json and the
// completion scripts are all derived from the table (command_table.cpp).
struct CommandInfo {
  std::string_view name;
  std::string_view summary;
  Runner (*registration)(CLI::App& command);
  // Whether it may create the database on first use: the command itself ("*"), or only
  // the subcommands named here (`times set`); empty: it refuses a missing database.
  std::array<std::string_view, 4> creates{};
  // Whether --json applies; false for the commands whose output is text of another kind.
  bool json = true;
  // Whether its first argument is a CASE (completed from the database).
  bool case_argument = false;
};

// Every command, in the order `casewatch` lists them.
std::span<const CommandInfo> command_table();

// The entry of `name`, or nullptr.
const CommandInfo* find_command(std::string_view name);

// True when the command `info`, with the subcommand `sub` parsed (empty for none), may create
// the database.
bool creates_database(const CommandInfo& info, std::string_view sub);

// A case with its events, as loaded in one pass over the database.
struct CaseRecord {
  Case c;
  std::vector<Event> events;
};

// Every case with its events: two queries, whatever the number of cases. A stored row that
// is not valid is skipped with a warning naming the case by its id.
std::vector<CaseRecord> load_all(store::Store& store);

// `--match TEXT` on the commands that report on many cases: find a client.
CLI::Option* add_match_option(CLI::App* cmd, std::string& match);
// True when `match` is empty, or is found in the case's receipt, label or note, ignoring
// case (ASCII letters) and, for the receipt, spaces and dashes.
bool matches(const Case& c, std::string_view match);
// Visits each case that matches `match` (every case when empty) with its events, in id
// order, one case in memory at a time (Store::each_case), then warns of the stored rows
// that are not valid, as load_all does. Returns the number of cases visited. With
// `woken_by`, only the cases whose wake date has come by then (Store::each_case).
std::size_t for_each_record(store::Store& store, std::string_view match,
                            const std::function<void(Case&, std::vector<Event>&)>& visit,
                            std::optional<Date> woken_by = std::nullopt);

// Warns of each problem of stored rows (Store::all_cases and others), once per run.
void warn_stored_problems(const std::vector<std::string>& problems);

// The rules' view of one case on ctx.as_of(); Detail::dates when no words are printed.
Evaluation evaluate_case(Context& ctx, const Case& c, const std::vector<Event>& events,
                         Detail detail = Detail::full);

// Prints `j` as the command's one JSON document.
void print_json(Context& ctx, const nlohmann::ordered_json& j);

}  // namespace casewatch::cli
