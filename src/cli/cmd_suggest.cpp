// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <ostream>

#include "casewatch/cli/json.hpp"
#include "casewatch/cli/output.hpp"
#include "commands.hpp"
#include "documents.hpp"

namespace casewatch::cli {
namespace {

void print_case(Context& ctx, const Case& c, const Evaluation& ev) {
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
      w.end_object();
      ctx.out() << json_text;
      json_text.clear();
      return;
    }
    if (!first) {
      ctx.out() << '\n';
    }
    first = false;
    print_case(ctx, c, ev);
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
