// SPDX-License-Identifier: MIT
// The table of commands: one line a command (name, summary, registration, whether it may
// create the database, takes --json, names a case first). Everything else that lists the
// commands reads it.
#include <algorithm>

#include "commands.hpp"
#include "documents.hpp"

namespace casewatch::cli {
namespace {

using Create = std::array<std::string_view, 4>;
constexpr Create k_itself = {"*"};

const CommandInfo k_commands[] = {
    {"add", "Add a pending case", register_add, k_itself},
    {"edit", "Change a case's fields (an empty value clears one)", register_edit, {}, true, true},
    {"rm", "Delete a case and its events", register_rm, {}, true, true},
    {"event", "Record an event in a case's timeline", register_event, {}, true, true},
    {"doc",
     "Documents a person holds (green card, work permit, parole, DACA): add, list, show, edit, "
     "rm",
     register_doc,
     {"add"}},
    {"trip",
     "Trips abroad of a person (for naturalization): add, list, rm",
     register_trip,
     {"add"}},
    {"list", "Your cases, most pressing first: what now, the nearest deadline, what next",
     register_list},
    {"show",
     "Show one case: fields, timeline, findings, next steps",
     register_show,
     {},
     true,
     true},
    {"overdue", "Pending cases outside normal processing time, most overdue first",
     register_overdue},
    {"suggest",
     "What you may do now for each case, why, how, and what comes next",
     register_suggest,
     {},
     true,
     true},
    {"times",
     "The processing-time table: list it, or set or unset a row",
     register_times,
     {"set", "import", "fetch"}},
    {"check", "The daily job: print the findings not reported before, and record them",
     register_check},
    {"cron", "Print a crontab line that runs the daily check", register_cron},
    {"export", "Write every case (JSON: with its events)", register_export},
    {"import", "Add cases from an export or a CSV, all or nothing", register_import, k_itself},
    {"report",
     "The morning report as one web page: the overview, each case's findings and timeline",
     register_report,
     {},
     false},
    {"calendar",
     "An iCalendar file of every upcoming date: inquiry, escalations, deadlines",
     register_calendar,
     {},
     false},
    {"status",
     "Read USCIS's own status words into the timeline",
     register_status,
     {"import", "fetch"}},
    {"completion", "Print the bash or zsh completion script", register_completion, {}, false},
    {"log", "The journal of every change, oldest first", register_log},
    {"undo", "Revert the last change not yet undone (again: the one before it)", register_undo},
    {"bulletin",
     "The Visa Bulletin's cutoffs and USCIS's chart choice, for priority dates",
     register_bulletin,
     {"set", "import", "chart"}},
};

}  // namespace

std::span<const CommandInfo> command_table() {
  return k_commands;
}

const CommandInfo* find_command(std::string_view name) {
  auto it = std::find_if(std::begin(k_commands), std::end(k_commands),
                         [&](const CommandInfo& c) { return c.name == name; });
  return it == std::end(k_commands) ? nullptr : &*it;
}

bool creates_database(const CommandInfo& info, std::string_view sub) {
  return std::any_of(info.creates.begin(), info.creates.end(),
                     [&](std::string_view c) { return !c.empty() && (c == "*" || c == sub); });
}

}  // namespace casewatch::cli
