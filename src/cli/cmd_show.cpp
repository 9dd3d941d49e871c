// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "casewatch/cli/json.hpp"
#include "casewatch/cli/output.hpp"
#include "casewatch/domain/bulletin.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"
#include "documents.hpp"
#include "timeline_text.hpp"

namespace casewatch::cli {
namespace {

std::string office_text(const Context& ctx, const Case& c, const Evaluation& ev) {
  if (!ev.office.office) {
    return ev.office.nbc_field_office_form
               ? "unknown: NBC sends this form to a field office; set it with --office"
               : "unknown; set it with 'casewatch edit CASE --office CODE'";
  }
  std::string name = ctx.catalog().office_name(*ev.office.office);
  std::string s = *ev.office.office + (name.empty() ? "" : " (" + name + ")");
  switch (ev.office.source) {
    case OfficeSource::receipt_prefix:
      return s + fmt::format(", from the receipt prefix {}", c.receipt->substr(0, 3));
    case OfficeSource::transfer:
      return s + ", after a transfer";
    default:
      return s;
  }
}

// `show CASE --timeline` (docs/cli.md): the case's life drawn, nothing else.
int run_timeline(Context& ctx, const Case& c, const std::vector<Event>& events,
                 const Evaluation& ev) {
  std::optional<Timeline> t = make_timeline(c, events, ev);
  if (!t) {
    throw UsageError(fmt::format(
        "{} has no received date, and a timeline starts from it; set it with: casewatch edit "
        "{} --received DATE (the date on the receipt notice)",
        display_name(c), text::shell_word(display_name(c))));
  }
  print_timeline(ctx.out(), c, *t, timeline_width(), terminal_charset());
  return 0;
}

int run_show(Context& ctx, const std::string& which, bool timeline) {
  if (parse_document_name(which)) {
    if (timeline) {
      throw UsageError(fmt::format("--timeline: {} is a document; a timeline is of a case",
                                   text::quoted(which)));
    }
    return show_document(ctx, which);  // `show d2` is `doc show d2`
  }
  if (timeline && ctx.json()) {
    throw UsageError(
        "--timeline draws a picture and has no JSON; use 'casewatch show CASE --json'");
  }
  Case c = ctx.resolve_case_or_label(which);
  auto events = ctx.store().events_of(c.id);
  Evaluation ev = evaluate_case(ctx, c, events);
  if (timeline) {
    return run_timeline(ctx, c, events, ev);
  }
  StaleNotice stale;
  stale.add(ev);
  if (ctx.json()) {
    nlohmann::ordered_json evs = nlohmann::ordered_json::array();
    for (const Event& e : events) {
      evs.push_back(event_json(e));
    }
    nlohmann::ordered_json j;
    j["as_of"] = format_date(ctx.as_of());
    j["case"] = case_json(c, ev);
    j["case"]["inquiry_date"] =
        ev.inquiry_date ? nlohmann::ordered_json(format_date(*ev.inquiry_date)) : nullptr;
    j["events"] = evs;
    j["findings"] = findings_json(ev.findings, c);
    j["next"] = next_steps_json(ev.next);
    j["processing_time"] =
        ev.choice.row != nullptr ? time_json(*ev.choice.row) : nlohmann::ordered_json(nullptr);
    j["row_note"] = ev.row_note ? nlohmann::ordered_json(*ev.row_note) : nullptr;
    j["notices"] = notices_json(stale.notice(ctx.as_of()));
    print_json(ctx, j);
    return 0;
  }
  bool color = ctx.color();
  std::ostream& out = ctx.out();
  out << bold(fmt::format("{}  {}", display_name(c), c.label.value_or("")), color) << '\n';
  std::string title = ctx.catalog().form_title(c.form);
  // A field's value wraps between words, its lines under the value's first column.
  auto field = [&](std::string_view name, const std::string& value) {
    const std::string indent(2 + 15, ' ');
    std::string lines = wrap(text::printable(value), text_width(), indent);
    if (lines.empty()) {
      out << "  " << name << '\n';
      return;
    }
    out << fmt::format("  {:<15}", name) << std::string_view(lines).substr(indent.size());
  };
  field("id", fmt::format("#{}", c.id));
  field("form", c.form + (title.empty() ? "" : " (" + title + ")"));
  field("category", or_dash(c.category));
  field("office", office_text(ctx, c, ev));
  if (c.received) {
    auto days = days_pending(c, ctx.as_of());
    field("received",
          format_date(*c.received) + (days ? fmt::format(" ({} days ago)", *days) : ""));
  }
  if (c.sent) {
    field("sent", format_date(*c.sent));
  }
  if (c.priority_date) {
    field("priority date", format_date(*c.priority_date));
  }
  if (c.premium_start) {
    field("premium since", format_date(*c.premium_start));
  }
  if (c.preference) {
    std::string_view column = chargeability_column(c.chargeability.value_or(""));
    std::string given = c.chargeability.value_or("no chargeability given");
    std::string area(describe_column(column));
    // "India", not "India (India)": the column only when it says more than the country.
    std::string chargeability = text::search_key(given) == text::search_key(area)
                                    ? given
                                    : fmt::format("{} ({})", given, area);
    field("preference",
          fmt::format("{}, {}, {}", *c.preference, chargeability, to_string(effective_path(c))));
  }
  field("status", std::string(to_string(ev.status)));
  if (c.holder) {
    field("holder", *c.holder);
  }
  if (c.derivative_of) {
    // A principal removed since: its id, as export names it.
    std::optional<Case> principal = ctx.store().find_case(*c.derivative_of);
    std::string name;
    if (principal) {
      name = principal->receipt ? fmt::format("{} (#{})", *principal->receipt, principal->id)
                                : fmt::format("#{}", principal->id);
      if (principal->label) {
        name += " " + text::quoted(*principal->label);
      }
    }
    field("derivative of", principal ? name : fmt::format("#{} (removed)", *c.derivative_of));
  }
  if (c.note) {
    field("note", *c.note);
  }
  if (ev.choice.row != nullptr) {
    field("time used", describe_row(*ev.choice.row));
    if (ev.row_note) {
      field("", *ev.row_note);
    }
    if (ev.choice.row->inquiry_date) {
      field("USCIS inquiry", "cases received before " + format_date(*ev.choice.row->inquiry_date) +
                                 " may inquire (as published)");
    }
  } else if (std::any_of(ev.findings.begin(), ev.findings.end(),
                         [](const Finding& f) { return f.rule == "form-unknown"; })) {
    field("time used", "none: casewatch does not know form " + c.form + " (see below)");
  } else if (ev.choice.outcome == ChoiceOutcome::no_row_for_form && c.received) {
    field("time used", "none published for " + c.form + ": the 6-month rule");
  }
  if (ev.inquiry_date) {
    field("inquiry date", ev.office_assumed ? fmt::format("{} {}", format_date(*ev.inquiry_date),
                                                          k_office_assumed_mark)
                                            : format_date(*ev.inquiry_date));
  }
  out << "\nTimeline\n";
  if (events.empty()) {
    out << "  (no events; record one with 'casewatch event CASE KIND')\n";
  }
  for (const Event& e : events) {
    // The event's number, for 'casewatch event edit|rm CASE N'.
    std::string line =
        fmt::format("  {:>2}  {}  {:<14}", e.seq, format_date(e.date), to_string(e.kind));
    if (e.office) {
      line += " to " + *e.office;
    }
    if (e.due) {
      line += " due " + format_date(*e.due);
    }
    if (e.ref) {
      line += " ref " + *e.ref;
    }
    if (e.title) {
      line += fmt::format(" USCIS: {} ({})", *e.title, e.source.value_or("status"));
    }
    // A note of several lines (a status paragraph keeps its line breaks): its first line on
    // the event's line, each other one below it, indented.
    std::string_view more;
    if (e.note) {
      std::string_view note = *e.note;
      std::size_t nl = note.find('\n');
      line += " " + std::string(note.substr(0, nl));
      more = nl == std::string_view::npos ? std::string_view() : note.substr(nl + 1);
    }
    if (e.date > ctx.as_of()) {
      line += " (upcoming)";
    }
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    out << text::printable(line) << '\n';
    while (!more.empty()) {
      std::size_t nl = more.find('\n');
      out << "                " << text::printable(more.substr(0, nl)) << '\n';
      more = nl == std::string_view::npos ? std::string_view() : more.substr(nl + 1);
    }
  }
  out << fmt::format("\nAs of {}\n", format_date(ctx.as_of()));
  if (ev.findings.empty()) {
    out << "  Nothing to do now.\n";
  }
  print_findings(out, ev.findings, color);
  if (!ev.next.empty()) {
    out << "\nNext\n";
    print_next(out, ev);
  }
  out << '\n';
  print_closing(out, stale.notice(ctx.as_of()));
  return 0;
}

}  // namespace

Runner register_show(CLI::App& command) {
  auto which = std::make_shared<std::string>();
  auto timeline = std::make_shared<bool>(false);
  auto* cmd = &command;
  cmd->add_option("CASE", *which, "Receipt number or case id (#7)")->required();
  cmd->add_flag("--timeline", *timeline,
                "Draw the case's life: received, the posted time, the inquiry date, each event, "
                "the windows, today and the next step, on a scale that fits the width");
  return [which, timeline](Context& ctx) { return run_show(ctx, *which, *timeline); };
}

}  // namespace casewatch::cli
