// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <limits>
#include <tuple>

#include "casewatch/cli/json.hpp"
#include "casewatch/cli/output.hpp"
#include "casewatch/cli/overview.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"
#include "documents.hpp"
#include "spill.hpp"

namespace casewatch::cli {
namespace {

struct ListOptions {
  bool all = false;
  std::string form;
  std::string status;
  std::string sort = "urgency";
  std::string match;
};

SortBy parse_sort(const std::string& s) {
  if (s == "urgency") {
    return SortBy::urgency;
  }
  if (s == "due") {
    return SortBy::due;
  }
  if (s == "received") {
    return SortBy::received;
  }
  if (s == "id") {
    return SortBy::id;
  }
  throw UsageError(
      fmt::format("--sort: {} is not a choice; use urgency, due, received or id", text::quoted(s)));
}

// The narrowest LABEL and NEXT shown: a name that can be told apart, a date and a few words
// ("2026-11-30 RFE respons…"); narrower, NEXT is left out first (docs/cli.md).
constexpr std::size_t k_least_label_columns = 16;
constexpr std::size_t k_least_next_columns = 24;

int run_list(Context& ctx, const ListOptions& o) {
  SortBy by = parse_sort(o.sort);
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
  // One pass: each line is written as its case is evaluated, kept aside with its sort
  // key only, and printed in order at the end.
  SpilledRows<RowKey> rows([by](const RowKey& a, const RowKey& b) { return row_before(a, b, by); });
  StaleNotice stale;
  Table table({"CASE", "LABEL", "FORM", "OFFICE", "RECEIVED", "DAYS", "NOW", "DUE", "NEXT"});
  std::string rendered;
  std::size_t matching =
      for_each_record(ctx.store(), o.match, [&](Case& c, std::vector<Event>& events) {
        if (form && c.form != *form) {
          return;
        }
        // With the words: nearly every case is listed with its most pressing finding's, and
        // `full` differs from `dates` only by them (rules.hpp), so one evaluation serves both.
        Evaluation ev = evaluate_case(ctx, c, events, Detail::full);
        const Finding* top = ev.most_pressing();
        bool keep = status ? ev.status == *status : (o.all || kept_in_overview(ev));
        if (!keep) {
          return;
        }
        stale.add(ev);
        Row row{ev, std::nullopt};
        if (top != nullptr) {
          row.now = *top;  // the words of the one finding shown
        }
        std::optional<Date> due = ev.nearest_due();
        rendered.clear();
        if (ctx.json()) {
          JsonWriter w(rendered, 2);  // in "cases" of the document
          w.begin_object();
          write_case_fields(w, c, ev);
          w.key("now");
          if (row.now) {
            w.begin_object();
            w.field("rule", row.now->rule);
            w.field("severity", to_string(row.now->severity));
            w.field("title", row.now->title);
            w.end_object();
          } else {
            w.null();
          }
          w.field("due", due);
          w.key("next");
          if (const NextStep* next = ev.earliest_next()) {
            write_next(w, *next);
          } else {
            w.null();
          }
          w.end_object();
        } else {
          auto days = days_pending(c, ctx.as_of());
          bool urgent = row.now && row.now->severity == Severity::urgent;
          rendered = pack_row(
              table.measure({display_name(c), or_dash(c.label), c.form, or_dash(ev.office.office),
                             c.received ? format_date(*c.received) : "sent " + or_dash(c.sent),
                             days ? std::to_string(*days) : "-", now_text(row), due_text(ev),
                             next_text(next_beside(ev, row.now))}),
              urgent ? "1;31" : "");
        }
        rows.add(row_key(c, ev, row.now), rendered);
      });
  std::optional<Notice> notice = stale.notice(ctx.as_of());
  // Documents with a finding: a row each, named d2 (docs/cli.md `list`), unless the list is
  // of one form or status.
  std::vector<DocumentReport> docs;
  if (!form && !status) {
    for (DocumentReport& r : evaluate_documents(ctx, o.match)) {
      if (r.ev.most_pressing() != nullptr) {
        docs.push_back(std::move(r));
      }
    }
  }
  if (!ctx.json()) {
    for (const DocumentReport& r : docs) {
      const Finding& top = *r.ev.most_pressing();
      std::string kind(to_string(r.d.kind));
      rendered = pack_row(
          table.measure({document_name(r.d.id), or_dash(r.d.holder), kind, "-",
                         r.d.since ? format_date(*r.d.since) : "-", "-", now_words(top, r.ev.as_of),
                         due_cell(top.until, false), next_text(r.ev.earliest_next())}),
          top.severity == Severity::urgent ? "1;31" : "");
      rows.add(
          RowKey{-static_cast<int>(top.severity), top.until, top.since,
                 r.d.since.value_or(r.d.recorded), std::numeric_limits<CaseId>::max() - r.d.id},
          rendered);
    }
  }

  if (ctx.json()) {
    std::string json_text;
    JsonWriter w(json_text);
    begin_cases_document(w, ctx.as_of());
    rows.each_sorted([&](const RowKey&, std::string_view object) {
      w.raw(object);
      ctx.out() << json_text;
      json_text.clear();
    });
    w.end_array();
    // docs/json.md `list`: "documents": [document + "now", "due", "next"].
    w.key("documents");
    w.begin_array();
    for (const DocumentReport& r : docs) {
      const Finding& top = *r.ev.most_pressing();
      nlohmann::ordered_json j = document_json(r.d);
      j["now"] = {{"rule", top.rule},
                  {"severity", std::string(to_string(top.severity))},
                  {"title", top.title}};
      j["due"] = top.until ? nlohmann::ordered_json(format_date(*top.until)) : nullptr;
      j["next"] = r.ev.earliest_next() != nullptr ? next_json(*r.ev.earliest_next()) : nullptr;
      // Indented as the writer indents a value at depth 2 (in "documents" of the document).
      std::string text = j.dump(2);
      for (std::size_t at = text.find('\n'); at != std::string::npos;
           at = text.find('\n', at + 1)) {
        text.insert(at + 1, "    ");
      }
      w.raw(text);
    }
    w.end_array();
    write_notices(w, notice);
    w.end_object();
    ctx.out() << json_text << '\n';
    return 0;
  }
  if (rows.empty()) {
    if (!ctx.quiet()) {
      std::cerr << (!o.match.empty() && matching == 0
                        ? fmt::format("No case's label, note or receipt contains {}.\n",
                                      text::quoted(o.match))
                    : matching == 0
                        ? "No cases yet. Add one: casewatch add RECEIPT --form FORM --received "
                          "DATE\n"
                        : "No case matches; 'casewatch list --all' shows every case.\n");
    }
    return 0;
  }
  table.limit(1, k_label_columns, k_least_label_columns);  // LABEL
  table.limit(6, k_now_columns, k_now_columns);            // NOW: a few words, kept whole
  // NEXT: a date and a few words, or left out.
  table.limit(8, k_text_columns, k_least_next_columns);
  // On a terminal, the columns left out while the rest does not fit (docs/cli.md `list`):
  // CASE and NOW always stay.
  table.drop_order({4, 3, 8, 2, 5, 7, 1});  // RECEIVED, OFFICE, NEXT, FORM, DAYS, DUE, LABEL
  table.print_header(ctx.out(), ctx.color(), table_width());
  std::string style;
  rows.each_sorted([&](const RowKey&, std::string_view row) {
    table.print_row(ctx.out(), unpack_row(row, style), style, ctx.color());
  });
  if (notice) {
    ctx.out() << '\n';
    print_notice_line(ctx.out(), notice);
  }
  return 0;
}

}  // namespace

Runner register_list(CLI::App& command) {
  auto o = std::make_shared<ListOptions>();
  auto* cmd = &command;
  cmd->add_flag("-a,--all", o->all, "Also decided and closed cases");
  cmd->add_option("--form", o->form, "Only this form");
  cmd->add_option("--status", o->status,
                  "Only this status: pending, approved, denied, withdrawn, closed");
  add_match_option(cmd, o->match);
  cmd->add_option("--sort", o->sort,
                  "Order: urgency (default: most pressing first, then the nearest deadline), "
                  "due, received or id");
  cmd->footer(
      "Pending cases, and decided ones while something about them is pressing (an appeal or\n"
      "motion window, a card that never came). NOW is the most pressing finding in a few\n"
      "words, DUE the nearest deadline ('?' after an assumed date), NEXT the earliest dated\n"
      "next step ('casewatch suggest CASE' says more). Urgent rows are red on a terminal; a\n"
      "narrow terminal leaves out RECEIVED, OFFICE, NEXT, FORM, DAYS, DUE, LABEL, in order.");
  return [o](Context& ctx) { return run_list(ctx, *o); };
}

}  // namespace casewatch::cli
