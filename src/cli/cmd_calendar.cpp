// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <cctype>
#include <cstdint>
#include <iostream>

#include "casewatch/util/ical.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"
#include "documents.hpp"
#include "files.hpp"
#include "spill.hpp"

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

// The UID of a dated next step: (case, rule, what the date rests on), and the stage of the
// clock when the rule gives each stage as a step, so that every stage has an event of its own
// and keeps its UID from one day to the next. A window's ends are named as those of an open
// window (below): the event stays the same when the window opens.
std::string step_uid(const std::string& key, const NextStep& n) {
  if (n.stage.starts_with("window-")) {
    return fmt::format("{}-{}-{}@casewatch", key, n.rule, n.stage);
  }
  if (!n.stage.empty()) {
    return fmt::format("{}-{}-next-{}-{}@casewatch", key, n.rule, anchor_key(n.anchor), n.stage);
  }
  return fmt::format("{}-{}-next-{}@casewatch", key, n.rule, anchor_key(n.anchor));
}

int run_calendar(Context& ctx, const std::string& output, const std::string& match) {
  // Only dates fixed by what happened (docs/cli.md, `calendar`): deadlines, appointments'
  // consequences, the inquiry date, the windows of contacts made. A step that waits on an action
  // not taken has no date and is left out. A UID names (case, rule, what the date rests on), never
  // the date, so when a date moves (a new processing time) a calendar that imports the
  // file again moves the event instead of adding a second one.
  // Each date is rendered as its case is evaluated and kept aside (SpilledRows) with its
  // day only; the file is written in order of the days (the order of the cases within one).
  SpilledRows<Date> events(std::less<Date>{});
  auto add = [&](const ical::AllDayEvent& e) {
    events.add(e.day, ical::render_event(e, ctx.as_of()));
  };
  for_each_record(ctx.store(), match, [&](Case& c, std::vector<Event>& case_events) {
    Evaluation ev = evaluate_case(ctx, c, case_events, Detail::dates);
    std::string name = display_name(c);
    std::string who = c.label ? fmt::format("{} ({})", name, *c.label) : name;
    std::string more = fmt::format("Details: casewatch suggest {}",
                                   c.receipt ? *c.receipt : fmt::format("'#{}'", c.id));
    for (const Deadline& d : ev.deadlines) {
      // An assumed due date is marked as such (docs/rules.md `rfe-due`).
      add({fmt::format("{}-{}-deadline-{}@casewatch", uid_key(c), d.rule, anchor_key(d.anchor)),
           d.due,
           fmt::format("{}: {}{}", who, d.title, d.assumed ? " (assumed: check the notice)" : ""),
           d.assumed
               ? fmt::format("{} {} is the last day casewatch assumed; the date on the "
                             "notice is the one that counts. {}",
                             d.title, format_date(d.due), more)
               : fmt::format("{} {} is the last day. {}", d.title, format_date(d.due), more)});
    }
    // A window with a last day (the Ombudsman's): both ends, fixed by the contact.
    for (const Finding& f : ev.findings) {
      if (!f.until) {
        continue;
      }
      add({fmt::format("{}-{}-window-opens@casewatch", uid_key(c), f.rule), f.since,
           fmt::format("{}: {} window opens", who, f.rule == "ombudsman" ? "Ombudsman" : f.rule),
           fmt::format("From this day until {}. {}", format_date(*f.until), more)});
      add({fmt::format("{}-{}-window-closes@casewatch", uid_key(c), f.rule), *f.until,
           fmt::format("{}: {} window's last day", who,
                       f.rule == "ombudsman" ? "Ombudsman" : f.rule),
           fmt::format("The last day of the window that opened on {}. {}", format_date(f.since),
                       more)});
    }
    for (const NextStep& n : ev.next) {
      if (!n.on || *n.on < ctx.as_of()) {
        continue;
      }
      std::string description = n.condition ? "From this day, " + *n.condition + ". " : "";
      add({step_uid(uid_key(c), n), *n.on,
           n.assumed ? fmt::format("{}: {} {}", who, n.title, k_office_assumed_mark)
                     : fmt::format("{}: {}", who, n.title),
           description + more});
    }
  });
  // Documents: every window's opening and last day (docs/rules.md, "Documents a person
  // holds"). A UID names the document, the rule and which date of it (from the date's title,
  // which holds no date), so that a moved expiry moves the event.
  for (const DocumentReport& r : evaluate_documents(ctx, match, Detail::dates)) {
    std::string who = document_name(r.d.id) + (r.d.holder ? " (" + *r.d.holder + ")" : "");
    for (const NextStep& n : r.ev.next) {
      std::uint32_t which = 2166136261U;  // FNV-1a of the title
      for (char ch : n.title) {
        which = (which ^ static_cast<std::uint32_t>(static_cast<unsigned char>(ch))) * 16777619U;
      }
      add({fmt::format("{}-{}-{:08x}@casewatch", document_name(r.d.id), n.rule, which), *n.on,
           fmt::format("{}: {}", who, n.title),
           fmt::format("Details: casewatch doc show {}", document_name(r.d.id))});
    }
  }
  auto produce = [&](const Sink& put) {
    put(ical::render_head(fmt::format("-//casewatch//casewatch {}//EN", CASEWATCH_VERSION)));
    events.each_sorted([&](const Date&, std::string_view e) { put(e); });
    put(ical::render_tail());
  };
  if (output.empty() || output == "-") {
    produce([&](std::string_view piece) { ctx.out() << piece; });
  } else {
    write_file_atomically(output, produce);
    if (!ctx.quiet()) {
      std::cerr << fmt::format("Wrote {} to {}.\n", text::count(events.size(), "date", "dates"),
                               output);
    }
  }
  return 0;
}

}  // namespace

Runner register_calendar(CLI::App& command) {
  auto output = std::make_shared<std::string>();
  auto* cmd = &command;
  cmd->add_option("-o,--output", *output, "Write to FILE (private, 0600) instead of stdout");
  cmd->footer(
      "One all-day event per date, with a UID that stays the same from run to run, so a\n"
      "calendar program that imports the file again updates its events.");
  auto match = std::make_shared<std::string>();
  add_match_option(cmd, *match);
  return [output, match](Context& ctx) { return run_calendar(ctx, *output, *match); };
}

}  // namespace casewatch::cli
