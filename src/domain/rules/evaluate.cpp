// SPDX-License-Identifier: MIT
// evaluate() itself (docs/rules.md): the facts worked out once, then every rule family in
// ladder order, then the findings, next steps and deadlines sorted.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <tuple>

#include "casewatch/domain/priority_date.hpp"
#include "facts.hpp"

namespace casewatch {
namespace {

constexpr std::array<std::string_view, 41> k_rule_ids = {
    "inquiry", "inquiry-followup", "ombudsman", "congress", "mandamus", "n400-1447b", "lockbox",
    "non-delivery", "premium", "rfe-due", "noid-due", "appeal-window", "rejected", "returned",
    "no-show", "status", "office-needed", "category-needed", "times-stale", "priority-date",
    "office-assumed", "form-unknown", "ap-travel", "ead-gap",
    // The rules of documents (document_rules.hpp).
    "i751-window", "n400-early", "ead-renewal", "daca-renewal", "green-card-renewal",
    "advance-parole",
    // The consular stage and expedite requests (consular.cpp, expedite.cpp).
    "nvc-transfer", "nvc-203g", "iv-221g-docs", "iv-221g-admin", "visa-validity", "immigrant-fee",
    "lpr-evidence", "expedite-basis", "expedite-followup", "expedite-needby",
    "expedite-approved-stalled"};

// The place of a rule in the overview's ladder, the furthest up first: mandamus and 1447(b),
// congress, ombudsman, follow-up, inquiry; every other rule after them.
int ladder_height(std::string_view rule) {
  constexpr std::array<std::string_view, 6> k_top_down = {
      "mandamus", "n400-1447b", "congress", "ombudsman", "inquiry-followup", "inquiry"};
  constexpr std::array<int, 6> k_height = {0, 0, 1, 2, 3, 4};
  for (std::size_t i = 0; i < k_top_down.size(); ++i) {
    if (k_top_down[i] == rule) {
      return k_height[i];
    }
  }
  return 5;
}

// The place of a rule in ladder order (rule_ids()).
std::size_t ladder_order(std::string_view rule) {
  auto it = std::find(k_rule_ids.begin(), k_rule_ids.end(), rule);
  return static_cast<std::size_t>(it - k_rule_ids.begin());
}

}  // namespace

using namespace rules_detail;

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::info:
      return "info";
    case Severity::action:
      return "action";
    case Severity::urgent:
      return "urgent";
  }
  return "info";
}

FindingKey key_of(const Finding& f) {
  return FindingKey{f.case_id, f.rule, f.since, f.stage, f.document_id};
}

std::optional<int> Evaluation::days_overdue() const {
  if (status != Status::pending || !inquiry_date || as_of < *inquiry_date) {
    return std::nullopt;
  }
  return days_between(*inquiry_date, as_of);
}

const NextStep* Evaluation::earliest_next() const {
  // `next` is kept with the dated steps first, by date.
  return next.empty() ? nullptr : &next.front();
}

const Finding* Evaluation::most_pressing() const {
  const Finding* best = nullptr;
  // docs/rules.md, "The overview's now": severity; then a closing date (a due date, a
  // window's last day), earliest first; then the step furthest up the ladder.
  auto rank = [](const Finding& f) {
    std::optional<Date> closes = f.due ? f.due : f.until;
    return std::tuple(-static_cast<int>(f.severity), !closes.has_value(),
                      closes.value_or(Date::max()), ladder_height(f.rule), f.since,
                      std::string_view(f.rule));
  };
  for (const Finding& f : findings) {
    if (best == nullptr || rank(f) < rank(*best)) {
      best = &f;
    }
  }
  return best;
}

std::optional<Date> Evaluation::nearest_due() const {
  std::optional<Date> out;
  for (const Deadline& dl : deadlines) {
    if (dl.due >= as_of && (!out || dl.due < *out)) {
      out = dl.due;
    }
  }
  return out;
}

std::span<const std::string_view> rule_ids() {
  return k_rule_ids;
}

Evaluation evaluate(const Case& c, std::span<const Event> events, const ProcessingTimeTable& table,
                    const BulletinTable& bulletin, Date as_of, const HolidayCalendar& holidays,
                    Detail detail) {
  return evaluate(c, events, table, bulletin, as_of, holidays, Holdings{}, detail);
}

Evaluation evaluate(const Case& c, std::span<const Event> events, const ProcessingTimeTable& table,
                    const BulletinTable& bulletin, Date as_of, const HolidayCalendar& holidays,
                    Holdings holdings, Detail detail) {
  Evaluation ev;
  ev.as_of = as_of;
  std::vector<Event> scheduled;
  for (const Event& e : events) {
    if (e.date > as_of) {
      scheduled.push_back(e);
    }
  }
  std::sort(scheduled.begin(), scheduled.end(), [](const Event& a, const Event& b) {
    return std::tie(a.date, a.id) < std::tie(b.date, b.id);
  });
  Facts f{{as_of, ev},
          c,
          holidays,
          events_as_of(events, as_of),
          std::move(scheduled),
          // The name in the words' commands; the words are made for Detail::full only.
          detail != Detail::full ? std::string()
          : c.receipt            ? shell_word(*c.receipt)
                                 : shell_word(display_name(c)),
          detail};
  f.holdings = holdings;
  // An event dated after as_of counts from its date on: the status, the office and every
  // rule may change then.
  if (!f.scheduled.empty()) {
    ev.wake = f.scheduled.front().date;
  }
  ev.status = effective_status(c, events, as_of);
  ev.office = effective_office(c, f.events, as_of);
  work_out_inquiry_date(table, f);
  if (detail == Detail::inquiry) {
    return ev;
  }
  work_out_waiting(f);
  work_out_visa(bulletin, f);

  rule_inquiry_followup(f);
  rule_ombudsman(f);
  rule_congress(f);
  rule_mandamus(f);
  rule_inquiry(f);  // after the ladder: its words say whether the ladder names a next move
  rule_n400_1447b(f);
  rule_lockbox(f);
  rule_non_delivery(f);
  rule_premium(f);
  rule_response_due(f);
  rule_appeal_window(f);
  rule_rejected(f);
  rule_returned(f);
  rule_no_show(f);
  rule_status(f);
  rule_office_needed(f);
  rule_category_needed(f);
  rule_office_assumed(f);
  rule_form_unknown(f);
  rule_ap_travel(f);
  rule_ead_gap(f);
  rule_consular(bulletin, f);
  rule_expedite(f);
  rule_priority_date(bulletin, f);

  auto rank = [](Severity s) { return -static_cast<int>(s); };
  std::stable_sort(ev.findings.begin(), ev.findings.end(), [&](const auto& a, const auto& b) {
    return std::tuple(rank(a.severity), a.since, a.rule) <
           std::tuple(rank(b.severity), b.since, b.rule);
  });
  // Dated steps first (by date, then rule), then the undated ones in ladder order.
  std::stable_sort(ev.next.begin(), ev.next.end(), [](const auto& a, const auto& b) {
    if (a.on.has_value() != b.on.has_value()) {
      return a.on.has_value();
    }
    if (a.on) {
      return std::tie(*a.on, a.rule) < std::tie(*b.on, b.rule);
    }
    return ladder_order(a.rule) < ladder_order(b.rule);
  });
  std::stable_sort(ev.deadlines.begin(), ev.deadlines.end(), [](const auto& a, const auto& b) {
    return std::tie(a.due, a.rule) < std::tie(b.due, b.rule);
  });
  return ev;
}

Evaluation evaluate(const Case& c, std::span<const Event> events, const ProcessingTimeTable& table,
                    const BulletinTable& bulletin, Date as_of, Detail detail) {
  static const HolidayCalendar k_holidays;
  return evaluate(c, events, table, bulletin, as_of, k_holidays, detail);
}

Evaluation evaluate(const Case& c, std::span<const Event> events, const ProcessingTimeTable& table,
                    Date as_of, const HolidayCalendar& holidays, Detail detail) {
  static const BulletinTable k_no_bulletin;
  return evaluate(c, events, table, k_no_bulletin, as_of, holidays, detail);
}

Evaluation evaluate(const Case& c, std::span<const Event> events, const ProcessingTimeTable& table,
                    Date as_of, Detail detail) {
  static const BulletinTable k_no_bulletin;
  return evaluate(c, events, table, k_no_bulletin, as_of, detail);
}

}  // namespace casewatch
