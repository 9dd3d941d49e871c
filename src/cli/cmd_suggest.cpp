// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "casewatch/cli/json.hpp"
#include "casewatch/cli/output.hpp"
#include "casewatch/domain/expedite.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"
#include "documents.hpp"

namespace casewatch::cli {
namespace {

// The open expedite request of a pending case, as a person can print and follow it
// (docs/cli.md, `suggest`): empty when there is none, or it has an outcome.
std::optional<ExpediteChecklist> open_expedite(const Case& c, const std::vector<Event>& events,
                                               const Evaluation& ev) {
  if (ev.status != Status::pending) {
    return std::nullopt;
  }
  bool rfe_open = std::any_of(ev.deadlines.begin(), ev.deadlines.end(), [](const Deadline& d) {
    return d.rule == "rfe-due" || d.rule == "noid-due";
  });
  auto list = expedite_checklist(c, events, ev.as_of, rfe_open);
  if (!list || list->outcome) {
    return std::nullopt;
  }
  return list;
}

void print_expedite(std::ostream& out, const ExpediteChecklist& x) {
  std::string head =
      fmt::format("Expedite request (event {}, {}", x.request.seq, format_date(x.request.date));
  if (x.request.channel) {
    head += ", by " + *x.request.channel;
  }
  if (x.request.ref) {
    head += ", ref " + *x.request.ref;
  }
  if (x.request.need_by) {
    head += ", needed by " + format_date(*x.request.need_by);
  }
  out << wrap(head + "):", text_width(), "  ");
  // "[ ]" to tick on paper, "[x]" for what is logged.
  auto list = [&](std::string_view title, const std::vector<std::string>& items,
                  std::string_view mark, std::string_view none) {
    out << "    " << title << ":\n";
    if (items.empty()) {
      out << wrap(std::string(none), text_width(), "      ");
    }
    for (const std::string& i : items) {
      out << wrap(fmt::format("{} {}", mark, text::printable(i)), text_width(), "      ");
    }
  };
  list("Criteria to meet (USCIS Policy Manual, vol. 1, part A, ch. 5)", x.criteria, "[ ]",
       "no basis recorded");
  list("Evidence logged", x.evidence, "[x]", "none yet");
  list("Missing", x.missing, "[ ]", "nothing: wait for the answer; follow up when suggested");
  if (!x.flags.empty()) {
    list("Before you send more", x.flags, "[!]", "");
  }
}

void print_case(Context& ctx, const Case& c, const Evaluation& ev,
                const std::optional<ExpediteChecklist>& expedite) {
  std::ostream& out = ctx.out();
  std::string head = display_name(c) + "  " + c.form;
  if (c.label) {
    head += "  " + *c.label;
  }
  if (ev.status != Status::pending) {
    head += fmt::format("  ({})", to_string(ev.status));
  }
  out << bold(head, ctx.color()) << '\n';
  if (ev.findings.empty()) {
    out << "  Nothing to do now.\n";
  }
  print_findings(out, ev.findings, ctx.color());
  if (expedite) {
    print_expedite(out, *expedite);
  }
  if (!ev.next.empty()) {
    out << "  Next:\n";
    print_next(out, ev);
  }
}

int run_suggest(Context& ctx, const std::string& which, const std::string& match) {
  std::string json_text;
  JsonWriter w(json_text);
  if (ctx.json()) {
    begin_cases_document(w, ctx.as_of());
  }
  bool first = true;
  StaleNotice stale;
  // Each case is written as it is evaluated (in id order), the JSON document too.
  auto visit = [&](const Case& c, const std::vector<Event>& events) {
    Evaluation ev = evaluate_case(ctx, c, events);
    stale.add(ev);
    // For all cases: those with something to say. A named case is always shown.
    if (which.empty() && ev.findings.empty() && ev.next.empty()) {
      return;
    }
    if (ctx.json()) {
      w.begin_object();
      w.key("case");
      w.begin_object();
      write_case_fields(w, c, ev);
      w.end_object();
      w.key("findings");
      write_findings(w, ev.findings, c);
      w.key("next");
      write_next_steps(w, ev.next);
      if (auto x = open_expedite(c, events, ev)) {
        w.key("expedite");
        w.begin_object();
        w.field("n", static_cast<std::int64_t>(x->request.seq));
        w.field("date", x->request.date);
        for (const auto& [key, items] :
             {std::pair{"criteria", &x->criteria}, std::pair{"evidence", &x->evidence},
              std::pair{"missing", &x->missing}, std::pair{"flags", &x->flags}}) {
          w.key(key);
          w.begin_array();
          for (const std::string& i : *items) {
            w.value(i);
          }
          w.end_array();
        }
        w.end_object();
      }
      w.end_object();
      ctx.out() << json_text;
      json_text.clear();
      return;
    }
    if (!first) {
      ctx.out() << '\n';
    }
    first = false;
    print_case(ctx, c, ev, open_expedite(c, events, ev));
  };
  if (!which.empty() && parse_document_name(which)) {
    return show_document(ctx, which);  // `suggest d2` is `doc show d2`
  }
  if (!which.empty()) {
    Case c = ctx.resolve_case_or_label(which);
    visit(c, ctx.store().events_of(c.id));
  } else {
    for_each_record(ctx.store(), match,
                    [&](Case& c, std::vector<Event>& events) { visit(c, events); });
  }
  // The documents with a finding (docs/rules.md, "Documents a person holds"), after the cases.
  std::vector<DocumentReport> docs;
  if (which.empty()) {
    for (DocumentReport& r : evaluate_documents(ctx, match)) {
      if (!r.ev.findings.empty()) {
        docs.push_back(std::move(r));
      }
    }
  }
  if (ctx.json()) {
    w.end_array();
    w.key("documents");
    w.begin_array();
    for (const DocumentReport& r : docs) {
      nlohmann::ordered_json j = document_json(r.d);
      nlohmann::ordered_json findings = nlohmann::ordered_json::array();
      for (const Finding& f : r.ev.findings) {
        findings.push_back(document_finding_json(f, r.d));
      }
      j["findings"] = std::move(findings);
      j["next"] = next_steps_json(r.ev.next);
      std::string text = j.dump(2);
      for (std::size_t at = text.find('\n'); at != std::string::npos;
           at = text.find('\n', at + 1)) {
        text.insert(at + 1, "    ");
      }
      w.raw(text);
    }
    w.end_array();
    write_notices(w, stale.notice(ctx.as_of()));
    w.end_object();
    ctx.out() << json_text << '\n';
    return 0;
  }
  for (const DocumentReport& r : docs) {
    if (!first) {
      ctx.out() << '\n';
    }
    first = false;
    std::string head = document_name(r.d.id) + "  " + std::string(to_string(r.d.kind));
    if (r.d.holder) {
      head += "  " + *r.d.holder;
    }
    ctx.out() << bold(head, ctx.color()) << '\n';
    print_findings(ctx.out(), r.ev.findings, ctx.color());
    if (!r.ev.next.empty()) {
      ctx.out() << "  Next:\n";
      print_next(ctx.out(), r.ev);
    }
  }
  if (!first) {
    ctx.out() << '\n';
    print_closing(ctx.out(), stale.notice(ctx.as_of()), NoticeForm::line);
  }
  return 0;
}

}  // namespace

Runner register_suggest(CLI::App& command) {
  auto which = std::make_shared<std::string>();
  auto match = std::make_shared<std::string>();
  auto* cmd = &command;
  cmd->add_option("CASE", *which, "Only this case (receipt number or #id)");
  add_match_option(cmd, *match);
  return [which, match](Context& ctx) { return run_suggest(ctx, *which, *match); };
}

}  // namespace casewatch::cli
