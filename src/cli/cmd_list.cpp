// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <tuple>

#include "casewatch/cli/json.hpp"
#include "casewatch/cli/output.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"

namespace casewatch::cli {
namespace {

struct ListOptions {
  bool all = false;
  std::string form;
  std::string status;
  std::string sort = "urgency";
  std::string match;
};

enum class SortBy { urgency, due, received, id };

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

// One line of the overview, worked out once.
struct Row {
  const CaseRecord* record;
  Evaluation ev;
  std::optional<Finding> now;  // the most pressing finding, with its words
  std::optional<Date> due;     // the nearest open deadline
};

// Urgent first, then action, then info, then nothing.
int urgency_rank(const Row& r) {
  return r.now ? -static_cast<int>(r.now->severity) : 1;
}

// A date sorts before no date.
std::pair<bool, Date> date_key(const std::optional<Date>& d) {
  return {!d.has_value(), d.value_or(Date{})};
}

Date received_key(const Case& c) {
  return c.received ? *c.received : c.sent.value_or(Date{});
}

void sort_rows(std::vector<Row>& rows, SortBy by) {
  auto urgency = [](const Row& r) {
    return std::tuple(urgency_rank(r), date_key(r.due),
                      date_key(r.now ? std::optional<Date>(r.now->since) : std::nullopt));
  };
  auto less = [&](const Row& a, const Row& b) {
    const Case& x = a.record->c;
    const Case& y = b.record->c;
    switch (by) {
      case SortBy::urgency:
        return std::tuple(urgency(a), x.id) < std::tuple(urgency(b), y.id);
      case SortBy::due:
        return std::tuple(date_key(a.due), urgency(a), x.id) <
               std::tuple(date_key(b.due), urgency(b), y.id);
      case SortBy::received:
        return std::tuple(received_key(x), x.id) < std::tuple(received_key(y), y.id);
      case SortBy::id:
        break;
    }
    return x.id < y.id;
  };
  std::sort(rows.begin(), rows.end(), less);
}

// The NOW column: the most pressing finding in words; a decided case says its status.
std::string now_text(const Row& r) {
  std::string text;
  if (r.now) {
    text = fmt::format("[{}] {}", to_string(r.now->severity), text::shorten(r.now->title, 56));
  }
  if (r.ev.status != Status::pending) {
    return std::string(to_string(r.ev.status)) + (text.empty() ? "" : ": " + text);
  }
  return text.empty() ? "-" : text;
}

std::string next_text(const NextStep* next) {
  if (next == nullptr) {
    return "-";
  }
  // A step that waits on the user has no date: say so in two words, the rest is in suggest.
  return next->on ? fmt::format("{} {}", format_date(*next->on), next->title)
                  : fmt::format("{} (no date yet)", next->title);
}

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
  auto records = load_matching(ctx.store(), o.match);
  std::vector<Row> rows;
  StaleNotice stale;
  for (const CaseRecord& r : records) {
    if (form && r.c.form != *form) {
      continue;
    }
    Evaluation ev = evaluate_case(ctx, r.c, r.events, Detail::dates);
    const Finding* top = ev.most_pressing();
    // A decided case stays in the overview while something about it is pressing (a motion
    // window, a card that never came).
    bool pressing = top != nullptr && top->severity != Severity::info;
    bool keep = status ? ev.status == *status : (o.all || ev.status == Status::pending || pressing);
    if (!keep) {
      continue;
    }
    stale.add(ev);
    std::optional<Finding> now;
    if (top != nullptr) {
      // The words of the one finding shown.
      Evaluation full = evaluate_case(ctx, r.c, r.events, Detail::full);
      if (const Finding* f = full.most_pressing()) {
        now = *f;
      }
    }
    std::optional<Date> due = ev.nearest_due();
    rows.push_back(Row{&r, std::move(ev), std::move(now), due});
  }
  sort_rows(rows, by);
  std::optional<Notice> notice = stale.notice(ctx.as_of());

  if (ctx.json()) {
    std::string json_text;
    JsonWriter w(json_text);
    begin_cases_document(w, ctx.as_of());
    for (const Row& row : rows) {
      w.begin_object();
      write_case_fields(w, row.record->c, row.ev);
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
      w.field("due", row.due);
      w.key("next");
      if (const NextStep* next = row.ev.earliest_next()) {
        write_next(w, *next);
      } else {
        w.null();
      }
      w.end_object();
    }
    end_cases_document(w, notice);
    ctx.out() << json_text << '\n';
    return 0;
  }
  if (rows.empty()) {
    if (!ctx.quiet()) {
      std::cerr << (!o.match.empty() && records.empty()
                        ? fmt::format("No case's label, note or receipt contains {}.\n",
                                      text::quoted(o.match))
                    : records.empty()
                        ? "No cases yet. Add one: casewatch add RECEIPT --form FORM --received "
                          "DATE\n"
                        : "No case matches; 'casewatch list --all' shows every case.\n");
    }
    return 0;
  }
  Table table({"CASE", "LABEL", "FORM", "OFFICE", "RECEIVED", "DAYS", "NOW", "DUE", "NEXT"});
  for (const Row& row : rows) {
    const Case& c = row.record->c;
    auto days = days_pending(c, ctx.as_of());
    bool urgent = row.now && row.now->severity == Severity::urgent;
    table.add({display_name(c), or_dash(c.label), c.form, or_dash(row.ev.office.office),
               c.received ? format_date(*c.received) : "sent " + or_dash(c.sent),
               days ? std::to_string(*days) : "-", now_text(row), or_dash(row.due),
               next_text(row.ev.earliest_next())},
              urgent ? "1;31" : "");
  }
  table.limit(1, k_label_columns, k_least_columns);  // LABEL
  table.limit(6, k_text_columns, k_least_columns);   // NOW
  table.limit(8, k_text_columns, k_least_columns);   // NEXT
  table.print(ctx.out(), ctx.color(), table_width());
  if (notice) {
    ctx.out() << '\n';
    print_notice(ctx.out(), notice);
  }
  return 0;
}

}  // namespace

Runner register_list(CLI::App& app) {
  auto o = std::make_shared<ListOptions>();
  auto* cmd = app.add_subcommand(
      "list", "Your cases, most pressing first: what now, the nearest deadline, what next");
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
      "motion window, a card that never came). NOW is the most pressing finding, DUE the\n"
      "nearest deadline, NEXT the earliest dated next step ('casewatch suggest CASE' says\n"
      "more). Urgent rows are red on a terminal.");
  return [o](Context& ctx) { return run_list(ctx, *o); };
}

}  // namespace casewatch::cli
