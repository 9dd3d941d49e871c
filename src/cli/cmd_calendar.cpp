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

// What a date rests on: the event (its id) or the case itself.
std::string anchor_key(std::int64_t anchor) {
  return anchor == 0 ? std::string("case") : fmt::format("event{}", anchor);
}

int run_calendar(Context& ctx, const std::string& output, const std::string& match) {
  // Only dates fixed by what happened (SPEC §8): deadlines, appointments' consequences, the
  // inquiry date, the windows of contacts made. A step that waits on an action not taken
  // has no date and is left out. A UID names (case, rule, what the date rests on), never
  // the date, so when a date moves (a new processing time) a calendar that imports the
  // file again moves the event instead of adding a second one.
  std::vector<ical::AllDayEvent> events;
  for (const CaseRecord& r : load_matching(ctx.store(), match)) {
    Evaluation ev = evaluate_case(ctx, r.c, r.events, Detail::dates);
    std::string name = display_name(r.c);
    std::string who = r.c.label ? fmt::format("{} ({})", name, *r.c.label) : name;
    std::string more = fmt::format("Details: casewatch suggest {}",
                                   r.c.receipt ? *r.c.receipt : fmt::format("'#{}'", r.c.id));
    for (const Deadline& d : ev.deadlines) {
      events.push_back(
          {fmt::format("{}-{}-deadline-{}@casewatch", uid_key(r.c), d.rule, anchor_key(d.anchor)),
           d.due, fmt::format("{}: {}", who, d.title),
           fmt::format("{} {} is the last day. {}", d.title, format_date(d.due), more)});
    }
    for (const NextStep& n : ev.next) {
      if (!n.on || *n.on < ctx.as_of()) {
        continue;
      }
      std::string description = n.condition ? "From this day, " + *n.condition + ". " : "";
      events.push_back(
          {fmt::format("{}-{}-next-{}@casewatch", uid_key(r.c), n.rule, anchor_key(n.anchor)),
           *n.on, fmt::format("{}: {}", who, n.title), description + more});
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
  auto match = std::make_shared<std::string>();
  add_match_option(cmd, *match);
  return [output, match](Context& ctx) { return run_calendar(ctx, *output, *match); };
}

}  // namespace casewatch::cli
