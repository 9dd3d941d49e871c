// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <iostream>

#include "casewatch/cli/json.hpp"
#include "casewatch/cli/output.hpp"
#include "commands.hpp"

namespace casewatch::cli {
namespace {

struct ListOptions {
  bool all = false;
  std::string form;
  std::string status;
};

int run_list(Context& ctx, const ListOptions& o) {
  std::optional<std::string> form;
  if (!o.form.empty()) {
    form = ctx.parse_form("--form", o.form);
  }
  std::optional<Status> status;
  if (!o.status.empty()) {
    auto s = parse_status(o.status);
    if (!s) {
      throw UsageError("--status: " + s.error());
    }
    status = *s;
  }
  auto records = load_all(ctx.store());
  std::string json_text;
  JsonWriter w(json_text);
  if (ctx.json()) {
    begin_cases_document(w, ctx.as_of());
  }
  Table table({"CASE", "LABEL", "FORM", "OFFICE", "RECEIVED", "DAYS", "NOW", "NEXT"});
  for (const CaseRecord& r : records) {
    if (form && r.c.form != *form) {
      continue;
    }
    Evaluation ev = evaluate_case(ctx, r.c, r.events, Detail::dates);
    bool keep = status ? ev.status == *status : (o.all || ev.status == Status::pending);
    if (!keep) {
      continue;
    }
    const NextStep* next = ev.earliest_next();
    if (ctx.json()) {
      w.begin_object();
      write_case_fields(w, r.c, ev);
      w.key("next");
      if (next != nullptr) {
        write_next(w, *next);
      } else {
        w.null();
      }
      w.end_object();
      continue;
    }
    auto days = days_pending(r.c, ctx.as_of());
    std::string now =
        ev.findings.empty() ? (ev.status == Status::pending ? "-" : "") : ev.findings.front().rule;
    if (ev.status != Status::pending) {
      now = std::string(to_string(ev.status)) + (now.empty() ? "" : ", " + now);
    }
    table.add({display_name(r.c), or_dash(r.c.label), r.c.form, or_dash(ev.office.office),
               r.c.received ? format_date(*r.c.received) : "sent " + or_dash(r.c.sent),
               days ? std::to_string(*days) : "-", now,
               next != nullptr
                   ? fmt::format("{} {}", next->on ? format_date(*next->on) : "-", next->title)
                   : "-"});
  }
  if (ctx.json()) {
    end_cases_document(w);
    ctx.out() << json_text << '\n';
    return 0;
  }
  if (table.empty()) {
    if (!ctx.quiet()) {
      std::cerr << (records.empty()
                        ? "No cases yet. Add one: casewatch add RECEIPT --form FORM --received "
                          "DATE\n"
                        : "No case matches; 'casewatch list --all' shows every case.\n");
    }
    return 0;
  }
  table.print(ctx.out(), ctx.color());
  return 0;
}

}  // namespace

Runner register_list(CLI::App& app) {
  auto o = std::make_shared<ListOptions>();
  auto* cmd = app.add_subcommand("list", "List cases with their next step (pending only)");
  cmd->add_flag("-a,--all", o->all, "Also decided and closed cases");
  cmd->add_option("--form", o->form, "Only this form");
  cmd->add_option("--status", o->status,
                  "Only this status: pending, approved, denied, withdrawn, closed");
  return [o](Context& ctx) { return run_list(ctx, *o); };
}

}  // namespace casewatch::cli
