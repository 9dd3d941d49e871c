// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <ostream>

#include "casewatch/cli/json.hpp"
#include "casewatch/domain/validate.hpp"
#include "commands.hpp"

namespace casewatch::cli {
namespace {

struct EventOptions {
  std::string which, kind, on, due, ref, office, note;
  CLI::Option* on_opt = nullptr;
  CLI::Option* due_opt = nullptr;
  CLI::Option* ref_opt = nullptr;
  CLI::Option* office_opt = nullptr;
  CLI::Option* note_opt = nullptr;
};

int run_event(Context& ctx, const EventOptions& o) {
  auto kind = parse_event_kind(o.kind);
  if (!kind) {
    throw UsageError(kind.error());
  }
  Case c = ctx.resolve_case(o.which);
  auto given = [](const CLI::Option* opt, const std::string& value) {
    return opt->count() > 0 ? std::optional<std::string>(value) : std::nullopt;
  };
  EventText text;
  text.kind = o.kind;
  text.date = o.on_opt->count() > 0 ? o.on : format_date(ctx.as_of());
  text.due = given(o.due_opt, o.due);
  text.ref = given(o.ref_opt, o.ref);
  text.office = given(o.office_opt, o.office);
  text.note = given(o.note_opt, o.note);
  auto checked = check_event(c, text, ctx.as_of());
  if (!checked) {
    throw UsageError(checked.error());
  }
  for (const std::string& w : checked->warnings) {
    ctx.warn(w);
  }
  Event e = checked->value;

  auto& store = ctx.store();
  auto tx = store.begin_write();
  e.id = store.insert_event(e);
  std::vector<Event> events = store.events_of(c.id);
  if (is_decision(e.kind)) {
    // The stored status follows the latest decision, whatever order they were recorded in.
    Status status = effective_status(c, events, Date::max());
    store.set_status(c.id, status);
    c.status = status;
  }
  tx.commit();

  Evaluation ev = evaluate_case(ctx, c, events);
  if (ctx.json()) {
    print_json(ctx, {{"case", case_json(c, ev)}, {"event", event_json(e)}});
    return 0;
  }
  if (!ctx.quiet()) {
    std::string extra;
    if (e.ref) {
      extra += ", ref " + *e.ref;
    }
    if (e.due) {
      extra += ", due " + format_date(*e.due);
    }
    if (e.office) {
      extra += ", to " + *e.office;
    }
    ctx.out() << fmt::format("Recorded {} on {} for {}{}.\n", to_string(e.kind),
                             format_date(e.date), display_name(c), extra);
    if (e.date > ctx.as_of()) {
      ctx.out() << "It is in the future: the rules count it from that day on.\n";
    }
  }
  return 0;
}

}  // namespace

Runner register_event(CLI::App& app) {
  auto o = std::make_shared<EventOptions>();
  auto* cmd = app.add_subcommand("event", "Record an event in a case's timeline");
  cmd->add_option("CASE", o->which, "Receipt number or case id (#7)")->required();
  cmd->add_option("KIND", o->kind, "What happened (see the list below)")->required();
  o->on_opt = cmd->add_option("--on", o->on, "The date (default: today)");
  o->due_opt = cmd->add_option("--due", o->due, "rfe, noid: the response due date on the notice");
  o->ref_opt = cmd->add_option("--ref", o->ref, "A reference: SRMT number, inquiry number...");
  o->office_opt = cmd->add_option("--office", o->office, "transfer: the new office's code");
  o->note_opt = cmd->add_option("--note", o->note, "A note");
  std::string kinds = "Kinds:\n";
  for (EventKind k : all_event_kinds()) {
    kinds += fmt::format("  {:<14}{}\n", to_string(k), describe(k));
  }
  kinds +=
      "\nExamples:\n"
      "  casewatch event IOE0912345678 e-request --on 2025-01-10 --ref SRMT123456\n"
      "  casewatch event IOE0912345678 rfe --on 2025-02-03 --due 2025-05-01\n"
      "  casewatch event IOE0912345678 transfer --office QNS";
  cmd->footer(kinds);
  return [o](Context& ctx) { return run_event(ctx, *o); };
}

}  // namespace casewatch::cli
