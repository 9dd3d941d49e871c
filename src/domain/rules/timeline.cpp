// SPDX-License-Identifier: MIT
// A case's timeline (timeline.hpp): the dates the rules worked out, as things to draw.
#include "casewatch/domain/timeline.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "casewatch/domain/thresholds.hpp"

namespace casewatch {

std::optional<Timeline> make_timeline(const Case& c, std::span<const Event> events,
                                      const Evaluation& ev) {
  if (!c.received) {
    return std::nullopt;
  }
  Timeline t;
  t.as_of = ev.as_of;
  Date received = *c.received;
  auto& items = t.items;
  items.push_back({TimelineKind::received, received, std::nullopt, "received", false});
  if (ev.choice.row != nullptr) {
    const ProcessingTime& row = *ev.choice.row;
    items.push_back({TimelineKind::processing, received, add_posted_time(received, row.time),
                     "posted time " + describe(row.time), ev.office_assumed});
  } else if (ev.choice.outcome == ChoiceOutcome::no_row_for_form && ev.inquiry_date) {
    items.push_back({TimelineKind::processing, received, *ev.inquiry_date,
                     fmt::format("{} months, no posted time", thresholds::k_no_posted_time_months),
                     false});
  }
  if (ev.inquiry_date) {
    items.push_back(
        {TimelineKind::inquiry, *ev.inquiry_date, std::nullopt, "inquiry date", ev.office_assumed});
  }
  bool interviewed = false;
  for (const Event& e : events) {
    std::string label(to_string(e.kind));
    if (e.title) {
      label += ": " + *e.title;
    }
    if (e.date > ev.as_of) {
      label += " (scheduled)";
    }
    items.push_back({TimelineKind::event, e.date, std::nullopt, std::move(label), false});
    switch (e.kind) {
      case EventKind::e_request:
      case EventKind::call:
        // The Ombudsman asks for a contact 60 to 90 days old, once the case is outside
        // processing time: the window opens no earlier than the inquiry date (`ombudsman`).
        if (ev.inquiry_date) {
          DateSpan w = ombudsman_window(e.date);
          Date from = std::max(w.from, *ev.inquiry_date);
          if (from <= w.to) {
            items.push_back({TimelineKind::ombudsman, from, w.to, "Ombudsman window", false});
          }
        }
        break;
      case EventKind::rfe:
      case EventKind::noid: {
        DateSpan p = response_period(e, c.form);
        items.push_back({TimelineKind::response, p.from, p.to,
                         e.kind == EventKind::rfe ? "RFE response period" : "NOID response period",
                         !e.due});
        break;
      }
      case EventKind::interview:
        // The first interview starts the 120 days (`n400-1447b`).
        if (c.form == "N-400" && !interviewed) {
          interviewed = true;
          DateSpan p = n400_decision_period(e.date);
          items.push_back({TimelineKind::decision, p.from, p.to,
                           fmt::format("{} days, then 1447(b)", thresholds::k_n400_decision_days),
                           false});
        }
        break;
      default:
        break;
    }
  }
  items.push_back({TimelineKind::today, ev.as_of, std::nullopt, "today", false});
  // The earliest dated step (dated steps come first in Evaluation::next).
  if (!ev.next.empty() && ev.next.front().on) {
    const NextStep& n = ev.next.front();
    items.push_back({TimelineKind::next, *n.on, std::nullopt, "next: " + n.title, n.assumed});
  }
  std::stable_sort(items.begin(), items.end(), [](const TimelineItem& a, const TimelineItem& b) {
    return std::pair(a.from, a.kind) < std::pair(b.from, b.kind);
  });
  t.from = received;
  t.to = received;
  for (const TimelineItem& i : items) {
    t.from = std::min(t.from, i.from);
    t.to = std::max(t.to, i.to.value_or(i.from));
  }
  return t;
}

std::size_t timeline_column(const Timeline& t, Date d, std::size_t columns) {
  int span = days_between(t.from, t.to);
  if (span <= 0 || columns < 2) {
    return 0;
  }
  int at = std::clamp(days_between(t.from, d), 0, span);
  // Rounded to the nearest column.
  return (static_cast<std::size_t>(at) * (columns - 1) + static_cast<std::size_t>(span) / 2) /
         static_cast<std::size_t>(span);
}

}  // namespace casewatch
