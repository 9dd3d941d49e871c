// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "casewatch/cli/json.hpp"
#include "casewatch/cli/output.hpp"
#include "casewatch/domain/thresholds.hpp"
#include "commands.hpp"

namespace casewatch::cli {
namespace {

struct Overdue {
  const CaseRecord* record;
  Evaluation ev;
  int days;
};

int run_overdue(Context& ctx, const std::string& match) {
  auto records = load_matching(ctx.store(), match);
  std::vector<Overdue> rows;
  StaleNotice stale;
  for (const CaseRecord& r : records) {
    Evaluation ev = evaluate_case(ctx, r.c, r.events, Detail::inquiry);
    if (auto days = ev.days_overdue()) {
      stale.add(ev);
      rows.push_back(Overdue{&r, std::move(ev), *days});
    }
  }
  // Most overdue first; ties: received earlier, then the lower id.
  std::sort(rows.begin(), rows.end(), [](const Overdue& a, const Overdue& b) {
    return std::tuple(-a.days, *a.record->c.received, a.record->c.id) <
           std::tuple(-b.days, *b.record->c.received, b.record->c.id);
  });
  if (ctx.json()) {
    std::string out;
    JsonWriter w(out);
    begin_cases_document(w, ctx.as_of());
    for (const Overdue& o : rows) {
      w.begin_object();
      write_case_fields(w, o.record->c, o.ev);
      w.field("inquiry_date", *o.ev.inquiry_date);
      w.field("days_overdue", o.days);
      w.key("processing_time");
      if (o.ev.choice.row != nullptr) {
        write_time(w, *o.ev.choice.row);
      } else {
        w.null();
      }
      w.end_object();
    }
    end_cases_document(w, stale.notice(ctx.as_of()));
    out += '\n';
    ctx.out() << out;
    return 0;
  }
  Table table({"CASE", "LABEL", "FORM", "OFFICE", "RECEIVED", "INQUIRY", "OVERDUE", "TIME USED"});
  for (const Overdue& o : rows) {
    const Case& c = o.record->c;
    std::string used =
        o.ev.choice.row != nullptr
            ? describe(o.ev.choice.row->time)
            : fmt::format("none ({}-month rule)", thresholds::k_no_posted_time_months);
    table.add({display_name(c), or_dash(c.label), c.form, or_dash(o.ev.office.office),
               format_date(*c.received), format_date(*o.ev.inquiry_date),
               fmt::format("{} days", o.days), used});
  }
  if (!table.empty()) {
    table.limit(1, k_label_columns, k_least_columns);  // LABEL
    table.limit(7, k_text_columns, k_least_columns);   // TIME USED
    table.print(ctx.out(), ctx.color(), table_width());
    ctx.out() << '\n';
    print_notice(ctx.out(), stale.notice(ctx.as_of()));
  }
  return 0;
}

}  // namespace

Runner register_overdue(CLI::App& app) {
  auto match = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "overdue", "Pending cases outside normal processing time, most overdue first");
  add_match_option(cmd, *match);
  return [match](Context& ctx) { return run_overdue(ctx, *match); };
}

}  // namespace casewatch::cli
