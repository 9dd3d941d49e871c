// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <cctype>
#include <iostream>

#include "casewatch/util/ical.hpp"
#include "commands.hpp"
#include "files.hpp"

namespace casewatch::cli {
namespace {

// A stable part of every UID of a case: its receipt, or its id before the receipt.
std::string uid_key(const Case& c) {
  std::string key = c.receipt ? *c.receipt : fmt::format("case{}", c.id);
  for (char& ch : key) {
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return key;
}

std::string yyyymmdd(Date d) {
  std::string s = format_date(d);
  return s.substr(0, 4) + s.substr(5, 2) + s.substr(8, 2);
}

int run_calendar(Context& ctx, const std::string& output) {
  std::vector<ical::AllDayEvent> events;
  for (const CaseRecord& r : load_all(ctx.store())) {
    Evaluation ev = evaluate_case(ctx, r.c, r.events, Detail::dates);
    std::string name = display_name(r.c);
    std::string who = r.c.label ? fmt::format("{} ({})", name, *r.c.label) : name;
    std::string more = fmt::format("Details: casewatch suggest {}",
                                   r.c.receipt ? *r.c.receipt : fmt::format("'#{}'", r.c.id));
    for (const Deadline& d : ev.deadlines) {
      events.push_back(
          {fmt::format("{}-{}-{}@casewatch", uid_key(r.c), d.rule, yyyymmdd(d.due)), d.due,
           fmt::format("{}: {}", who, d.title),
           fmt::format("{} {} is the last day. {}", d.title, format_date(d.due), more)});
    }
    for (const NextStep& n : ev.next) {
      if (!n.on || *n.on < ctx.as_of()) {
        continue;  // an undated step waits on the user and never reaches the calendar
      }
      std::string description = n.condition ? "From this day, " + *n.condition + ". " : "";
      events.push_back(
          {fmt::format("{}-{}-from-{}@casewatch", uid_key(r.c), n.rule, yyyymmdd(*n.on)), *n.on,
           fmt::format("{}: {}", who, n.title), description + more});
    }
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const auto& a, const auto& b) { return a.day < b.day; });
  std::string text = ical::render(
      events, fmt::format("-//casewatch//casewatch {}//EN", CASEWATCH_VERSION), ctx.as_of());
  if (output.empty() || output == "-") {
    ctx.out() << text;
  } else {
    write_file_atomically(output, text);
    if (!ctx.quiet()) {
      std::cerr << fmt::format("Wrote {} dates to {}.\n", events.size(), output);
    }
  }
  return 0;
}

}  // namespace

Runner register_calendar(CLI::App& app) {
  auto output = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "calendar", "An iCalendar file of every upcoming date: inquiry, escalations, deadlines");
  cmd->add_option("-o,--output", *output, "Write to FILE (private, 0600) instead of stdout");
  cmd->footer(
      "One all-day event per date, with a UID that stays the same from run to run, so a\n"
      "calendar program that imports the file again updates its events.");
  return [output](Context& ctx) { return run_calendar(ctx, *output); };
}

}  // namespace casewatch::cli
