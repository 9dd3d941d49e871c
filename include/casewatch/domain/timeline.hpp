// SPDX-License-Identifier: MIT
// A case's life as a picture (docs/cli.md `show --timeline`, `report`): what to draw and at
// which dates, worked out from the case, its events and what the rules made of them on
// as_of. Pure: it draws nothing; the terminal and the HTML report draw it.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "casewatch/domain/case.hpp"
#include "casewatch/domain/dates.hpp"
#include "casewatch/domain/rules.hpp"

namespace casewatch {

// What an item of a timeline is; the drawings pick a mark or a bar by it.
enum class TimelineKind {
  received,    // the received date (a point)
  processing,  // the posted processing time, received to received + time (a band)
  inquiry,     // the inquiry date: an e-Request is possible from it (a point)
  event,       // an event of the case at its date (a point)
  ombudsman,   // the CIS Ombudsman's window of a USCIS contact (a bar)
  response,    // an RFE's or NOID's response period, to its due date (a bar)
  decision,    // an N-400's 120 days after the interview, 8 U.S.C. 1447(b) (a bar)
  today,       // as_of (a point)
  next         // the earliest dated next step (a point)
};

// One thing to draw: a point at `from`, or a span from `from` to `to` (both included).
struct TimelineItem {
  TimelineKind kind = TimelineKind::event;
  Date from;
  std::optional<Date> to;  // set for a band or a window
  // What it is, in a few words ("received", "e-request", "Ombudsman window"); an event with
  // USCIS's words carries them ("status: Case Was Received"): not markup, escape it.
  std::string label;
  bool assumed = false;  // a date casewatch assumed (an RFE's due date, the slowest office)
};

struct Timeline {
  Date from;  // the first day drawn: the received date, or an earlier event
  Date to;    // the last day drawn: the latest date of any item (today and the next step too)
  Date as_of;
  std::vector<TimelineItem> items;  // by date (`from`), then in the order of TimelineKind
};

// The timeline of `c` from its `events` (any order; those after as_of are drawn as scheduled)
// and `ev`, the rules' evaluation of the same case on ev.as_of: its inquiry date, its
// processing-time row and its next steps; the windows come from the rules' own helpers
// (ombudsman_window, response_period, n400_decision_period). Empty when the case has no
// received date: there is nothing to draw from.
std::optional<Timeline> make_timeline(const Case& c, std::span<const Event> events,
                                      const Evaluation& ev);

// The column of `d` when [t.from, t.to] is drawn on `columns` columns (0 to columns - 1).
std::size_t timeline_column(const Timeline& t, Date d, std::size_t columns);

}  // namespace casewatch
