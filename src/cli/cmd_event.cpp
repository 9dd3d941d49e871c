// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "case_now.hpp"
#include "casewatch/cli/json.hpp"
#include "casewatch/domain/validate.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"

namespace casewatch::cli {
namespace {

// The options of an event (docs/cli.md, "Event kinds"): `event` and `event edit` each have
// one set, registered by add_kind_options and checked by the same check_event.
struct KindOptions {
  std::string on, due, ref, office, note;
  std::vector<std::string> basis;
  std::string channel, need_by, visa_class, for_seq;
  bool admin = false;
  CLI::Option* on_opt = nullptr;
  CLI::Option* due_opt = nullptr;
  CLI::Option* ref_opt = nullptr;
  CLI::Option* office_opt = nullptr;
  CLI::Option* note_opt = nullptr;
  CLI::Option* basis_opt = nullptr;
  CLI::Option* channel_opt = nullptr;
  CLI::Option* need_by_opt = nullptr;
  CLI::Option* class_opt = nullptr;
  CLI::Option* for_opt = nullptr;
  CLI::Option* admin_opt = nullptr;

  // How many of the options were given.
  [[nodiscard]] std::size_t given() const {
    std::size_t n = 0;
    for (const CLI::Option* opt : {on_opt, due_opt, ref_opt, office_opt, note_opt, basis_opt,
                                   channel_opt, need_by_opt, class_opt, for_opt, admin_opt}) {
      n += opt->count();
    }
    return n;
  }
};

// `edit`: a correction, where --on has no default, --basis replaces the stored bases and
// --no-admin clears --admin.
void add_kind_options(CLI::App& app, KindOptions& k, bool edit) {
  k.on_opt = app.add_option("--on", k.on, edit ? "The date" : "The date (default: today)");
  k.due_opt = app.add_option("--due", k.due, "rfe, noid: the response due date on the notice");
  k.ref_opt = app.add_option("--ref", k.ref, "A reference: SRMT number, inquiry number...");
  k.office_opt = app.add_option("--office", k.office, "transfer: the new office's code");
  k.note_opt = app.add_option("--note", k.note, "A note");
  k.basis_opt = app.add_option("--basis", k.basis,
                               edit ? "expedite: the bases, replacing those stored (repeatable)"
                                    : "expedite: financial, humanitarian, nonprofit, government "
                                      "or error (repeatable)");
  k.channel_opt =
      app.add_option("--channel", k.channel, "expedite: how it was asked: call, online, letter");
  k.need_by_opt = app.add_option("--need-by", k.need_by, "expedite: the date it is needed by");
  k.class_opt =
      app.add_option("--class", k.visa_class, "visa-issued, entered: the visa class (CR1, IR1...)");
  k.for_opt = app.add_option("--for", k.for_seq, "evidence: the expedite event's number");
  k.admin_opt = edit ? app.add_flag("--admin,!--no-admin", k.admin,
                                    "221g: administrative processing (--no-admin: documents)")
                     : app.add_flag("--admin", k.admin,
                                    "221g: administrative processing, not a document request");
}

struct EventOptions {
  std::string which, kind;
  KindOptions record;
  // event rm / event edit
  CLI::App* rm = nullptr;
  CLI::App* edit = nullptr;
  std::string target_case, number;
  KindOptions change;
};

// The event numbered `number` (as `show` prints it) of case `c`.
Event find_event(Context& ctx, const Case& c, const std::string& number) {
  std::string_view n = number;
  if (n.starts_with('#')) {
    n.remove_prefix(1);
  }
  std::vector<Event> events = ctx.store().events_of(c.id);
  if (!n.empty() && n.size() <= 18 && n.find_first_not_of("0123456789") == std::string::npos) {
    std::int64_t seq = std::stoll(std::string(n));
    for (const Event& e : events) {
      if (e.seq == seq) {
        return e;
      }
    }
  }
  std::vector<std::string> numbers;
  for (const Event& e : events) {
    numbers.push_back(fmt::format("{} ({} {})", e.seq, to_string(e.kind), format_date(e.date)));
  }
  throw UsageError(fmt::format("{} has no event {}; {}", display_name(c), text::quoted(number),
                               numbers.empty()
                                   ? std::string("it has no events")
                                   : fmt::format("its events: {}", fmt::join(numbers, ", "))));
}

// After a decision event was changed or removed, the stored status follows the latest
// decision left; with none left, a decided case is pending again.
void restatus(store::Store& store, Case& c) {
  std::vector<Event> events = store.events_of(c.id);
  bool any =
      std::any_of(events.begin(), events.end(), [](const Event& e) { return is_decision(e.kind); });
  Status status = any ? effective_status(c, events, Date::max())
                      : (c.status == Status::closed ? Status::closed : Status::pending);
  if (status != c.status) {
    store.set_status(c.id, status);
    c.status = status;
  }
}

std::string event_words(const Event& e) {
  return fmt::format("event {} ({} on {})", e.seq, to_string(e.kind), format_date(e.date));
}

int run_event_rm(Context& ctx, const EventOptions& o) {
  Case found = ctx.resolve_case_or_label(o.target_case);
  auto& store = ctx.store();
  // Read under the write lock: the event and the case as they are now.
  auto tx = store.begin_write();
  Case c = case_now(ctx, found, o.target_case);
  Event e = find_event(ctx, c, o.number);
  store.delete_event(e.id);
  if (is_decision(e.kind)) {
    restatus(store, c);
  }
  tx.commit();
  if (ctx.json()) {
    print_json(ctx, {{"removed", event_json(e)}, {"case", c.id}});
  } else if (!ctx.quiet()) {
    ctx.out() << fmt::format("Removed {} from {}; 'casewatch undo' brings it back.\n",
                             event_words(e), display_name(c));
  }
  return 0;
}

int run_event_edit(Context& ctx, const EventOptions& o) {
  Case found = ctx.resolve_case_or_label(o.target_case);
  auto& store = ctx.store();
  // Read under the write lock: the fields this edit does not change keep what another
  // casewatch wrote a moment ago.
  auto tx = store.begin_write();
  Case c = case_now(ctx, found, o.target_case);
  Event old = find_event(ctx, c, o.number);
  auto keep = [](const CLI::Option* opt, const std::string& value,
                 const std::optional<std::string>& current) -> std::optional<std::string> {
    if (opt->count() == 0) {
      return current;
    }
    return value.empty() ? std::nullopt : std::optional<std::string>(value);  // "" clears
  };
  auto as_text = [](const std::optional<Date>& d) {
    return d ? std::optional<std::string>(format_date(*d)) : std::nullopt;
  };
  const KindOptions& k = o.change;
  if (k.given() == 0) {
    throw UsageError(
        "give what to change: --on, --due, --ref, --office, --note, --basis, --channel, "
        "--need-by, --class, --for or --admin");
  }
  if (k.on_opt->count() > 0 && k.on.empty()) {
    throw UsageError("--on: an event needs a date; give the date it happened");
  }
  EventText text;
  text.kind = std::string(to_string(old.kind));
  text.date = k.on_opt->count() > 0 ? k.on : format_date(old.date);
  text.due = keep(k.due_opt, k.due, as_text(old.due));
  text.ref = keep(k.ref_opt, k.ref, old.ref);
  text.office = keep(k.office_opt, k.office, old.office);
  text.note = keep(k.note_opt, k.note, old.note);
  // The options of a few kinds: kept unless given ("" clears one), then checked as `event`
  // checks them; a need-by date stored before may be past by now.
  text.basis = old.basis;
  if (k.basis_opt->count() > 0) {
    text.basis.clear();
    for (const std::string& b : k.basis) {
      if (!b.empty()) {
        text.basis.push_back(b);
      }
    }
  }
  text.channel = keep(k.channel_opt, k.channel, old.channel);
  text.kept_need_by = old.need_by;
  if (k.need_by_opt->count() > 0) {
    text.kept_need_by.reset();
    if (!k.need_by.empty()) {
      text.need_by = k.need_by;
    }
  }
  text.visa_class = keep(k.class_opt, k.visa_class, old.visa_class);
  text.for_seq = keep(k.for_opt, k.for_seq,
                      old.for_seq ? std::optional(std::to_string(*old.for_seq)) : std::nullopt);
  text.admin = k.admin_opt->count() > 0 ? k.admin : old.admin;
  auto checked = check_event(c, text, ctx.as_of(), FieldNames::options, 0, store.events_of(c.id));
  if (!checked) {
    throw UsageError(checked.error());
  }
  for (const std::string& w : checked->warnings) {
    ctx.warn(w);
  }
  Event e = checked->value;
  e.id = old.id;
  e.case_id = old.case_id;
  e.seq = old.seq;
  store.update_event(e);
  if (is_decision(e.kind)) {
    restatus(store, c);
  }
  tx.commit();
  if (ctx.json()) {
    print_json(ctx, {{"event", event_json(e)}, {"case", c.id}});
  } else if (!ctx.quiet()) {
    ctx.out() << fmt::format("Changed {} of {}.\n", event_words(e), display_name(c));
  }
  return 0;
}

int run_event(Context& ctx, const EventOptions& o) {
  if (o.rm->parsed()) {
    return run_event_rm(ctx, o);
  }
  if (o.edit->parsed()) {
    return run_event_edit(ctx, o);
  }
  if (o.which.empty() || o.kind.empty()) {
    throw UsageError(
        "event needs CASE and KIND (or 'event rm CASE N', 'event edit CASE N'); run "
        "'casewatch event --help' for the kinds");
  }
  auto kind = parse_event_kind(o.kind);
  if (!kind) {
    throw UsageError(kind.error());
  }
  Case found = ctx.resolve_case_or_label(o.which);
  auto& store = ctx.store();
  // Checked and written under the write lock, against the case as it is now (another
  // casewatch may have removed it, or changed its dates, a moment ago).
  auto tx = store.begin_write();
  Case c = case_now(ctx, found, o.which);
  auto given = [](const CLI::Option* opt, const std::string& value) {
    return opt->count() > 0 ? std::optional<std::string>(value) : std::nullopt;
  };
  const KindOptions& r = o.record;
  EventText text;
  text.kind = o.kind;
  text.date = r.on_opt->count() > 0 ? r.on : format_date(ctx.as_of());
  text.due = given(r.due_opt, r.due);
  text.ref = given(r.ref_opt, r.ref);
  text.office = given(r.office_opt, r.office);
  text.note = given(r.note_opt, r.note);
  text.basis = r.basis;
  text.channel = given(r.channel_opt, r.channel);
  text.need_by = given(r.need_by_opt, r.need_by);
  text.visa_class = given(r.class_opt, r.visa_class);
  text.for_seq = given(r.for_opt, r.for_seq);
  text.admin = r.admin;
  std::vector<Event> before = store.events_of(c.id);
  auto checked = check_event(c, text, ctx.as_of(), FieldNames::options, 0, before);
  if (!checked) {
    throw UsageError(checked.error());
  }
  for (const std::string& w : checked->warnings) {
    ctx.warn(w);
  }
  Event e = checked->value;
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
    if (!e.basis.empty()) {
      extra += fmt::format(", basis {}", fmt::join(e.basis, " and "));
    }
    if (e.channel) {
      extra += ", by " + *e.channel;
    }
    if (e.need_by) {
      extra += ", needed by " + format_date(*e.need_by);
    }
    if (e.visa_class) {
      extra += ", class " + *e.visa_class;
    }
    if (e.for_seq) {
      extra += fmt::format(", for event {}", *e.for_seq);
    }
    if (e.admin) {
      extra += ", administrative processing";
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

Runner register_event(CLI::App& command) {
  auto o = std::make_shared<EventOptions>();
  auto* cmd = &command;
  cmd->add_option("CASE", o->which, "Receipt number, case id (#7) or a label that names one case");
  cmd->add_option("KIND", o->kind, "What happened (see the list below)");
  cmd->require_subcommand(0, 1);
  o->rm = cmd->add_subcommand("rm", "Remove event N of a case (the number 'show' prints)");
  o->rm
      ->add_option("CASE", o->target_case,
                   "Receipt number, case id (#7) or a label that names one case")
      ->required();
  o->rm->add_option("N", o->number, "The event's number")->required();
  o->edit = cmd->add_subcommand("edit", "Correct event N of a case (an empty value clears one)");
  o->edit
      ->add_option("CASE", o->target_case,
                   "Receipt number, case id (#7) or a label that names one case")
      ->required();
  o->edit->add_option("N", o->number, "The event's number")->required();
  add_kind_options(*o->edit, o->change, true);
  add_kind_options(*cmd, o->record, false);
  // The names in a column as wide as the longest, and two spaces before the words.
  std::size_t width = 0;
  for (EventKind k : all_event_kinds()) {
    width = std::max(width, to_string(k).size());
  }
  std::string kinds = "Kinds:\n";
  for (EventKind k : all_event_kinds()) {
    kinds += fmt::format("  {:<{}}  {}\n", to_string(k), width, describe(k));
  }
  kinds +=
      "\nExamples:\n"
      "  casewatch event IOE0912345678 e-request --on 2025-01-10 --ref SRMT123456\n"
      "  casewatch event IOE0912345678 rfe --on 2025-02-03 --due 2025-05-01\n"
      "  casewatch event IOE0912345678 transfer --office QNS\n"
      "  casewatch event IOE0912345678 expedite --basis financial --channel call "
      "--need-by 2027-01-15\n"
      "  casewatch event IOE0912345678 evidence --for 4 --note \"bank letter\"\n"
      "  casewatch event IOE0912345678 visa-issued --on 2027-04-05 --due 2027-10-04 "
      "--class CR1\n"
      "  casewatch event edit IOE0912345678 2 --on 2025-02-04\n"
      "  casewatch event rm IOE0912345678 3";
  cmd->footer(kinds);
  return [o](Context& ctx) { return run_event(ctx, *o); };
}

}  // namespace casewatch::cli
