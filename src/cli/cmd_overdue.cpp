// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "casewatch/cli/json.hpp"
#include "casewatch/cli/output.hpp"
#include "casewatch/domain/thresholds.hpp"
#include "commands.hpp"
#include "spill.hpp"

namespace casewatch::cli {
namespace {

// What sorts an overdue case: most overdue first; ties: received earlier, then the lower id.
struct OverdueKey {
  int days;
  Date received;
  CaseId id;
};

bool before(const OverdueKey& a, const OverdueKey& b) {
  return std::tuple(-a.days, a.received, a.id) < std::tuple(-b.days, b.received, b.id);
}

// One pass over the cases: each overdue case is written as it is evaluated (a JSON object
// or a table row), kept aside with its sort key only, and printed in order at the end.
int run_overdue(Context& ctx, const std::string& match) {
  SpilledRows<OverdueKey> rows(before);
  StaleNotice stale;
  Table table({"CASE", "LABEL", "FORM", "OFFICE", "RECEIVED", "INQUIRY", "OVERDUE", "TIME USED"});
  std::string rendered;
  for_each_record(ctx.store(), match, [&](Case& c, std::vector<Event>& events) {
    Evaluation ev = evaluate_case(ctx, c, events, Detail::inquiry);
    auto days = ev.days_overdue();
    if (!days) {
      return;
    }
    stale.add(ev);
    rendered.clear();
    if (ctx.json()) {
      JsonWriter w(rendered, 2);  // in "cases" of the document
      w.begin_object();
      write_case_fields(w, c, ev);
      w.field("inquiry_date", *ev.inquiry_date);
      w.field("days_overdue", *days);
      w.key("processing_time");
      if (ev.choice.row != nullptr) {
        write_time(w, *ev.choice.row);
      } else {
        w.null();
      }
      w.end_object();
    } else {
      std::string used =
          ev.choice.row != nullptr
              ? describe(ev.choice.row->time)
              : fmt::format("none ({}-month rule)", thresholds::k_no_posted_time_months);
      rendered = pack_row(
          table.measure({display_name(c), or_dash(c.label), c.form, or_dash(ev.office.office),
                         format_date(*c.received), format_date(*ev.inquiry_date),
                         fmt::format("{} days", *days), used}),
          {});
    }
    rows.add(OverdueKey{*days, *c.received, c.id}, rendered);
  });
  if (ctx.json()) {
    std::string out;
    JsonWriter w(out);
    begin_cases_document(w, ctx.as_of());
    rows.each_sorted([&](const OverdueKey&, std::string_view object) {
      w.raw(object);
      ctx.out() << out;
      out.clear();
    });
    end_cases_document(w, stale.notice(ctx.as_of()));
    out += '\n';
    ctx.out() << out;
    return 0;
  }
  if (!rows.empty()) {
    table.limit(1, k_label_columns, k_least_columns);  // LABEL
    table.limit(7, k_text_columns, k_least_columns);   // TIME USED
    // On a terminal, left out in this order while the rest does not fit (docs/cli.md).
    table.drop_order({4, 3, 2, 7});  // RECEIVED, OFFICE, FORM, TIME USED
    table.print_header(ctx.out(), ctx.color(), table_width());
    std::string style;
    rows.each_sorted([&](const OverdueKey&, std::string_view row) {
      table.print_row(ctx.out(), unpack_row(row, style), style, ctx.color());
    });
    // A blank line only before the notice, as in `list`.
    if (auto notice = stale.notice(ctx.as_of())) {
      ctx.out() << '\n';
      print_notice_line(ctx.out(), notice);
    }
  }
  return 0;
}

}  // namespace

Runner register_overdue(CLI::App& command) {
  auto match = std::make_shared<std::string>();
  auto* cmd = &command;
  add_match_option(cmd, *match);
  return [match](Context& ctx) { return run_overdue(ctx, *match); };
}

}  // namespace casewatch::cli
