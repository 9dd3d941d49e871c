// SPDX-License-Identifier: MIT
// The timeline model (timeline.hpp) on real dates: each band, window and mark where the rules
// put it.
#include "casewatch/domain/timeline.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "casewatch/domain/catalog.hpp"
#include "timeline.hpp"

namespace casewatch {
namespace {

using unit::builtin;
using unit::D;
// A case and its events (tests/unit/timeline.hpp); not the timeline model drawn here.
using Life = unit::Timeline;

Life make_life(std::string form, std::string category, std::optional<Date> received) {
  Life l;
  l.c.id = 1;
  l.c.receipt = "IOE0912345678";
  l.c.form = std::move(form);
  l.c.category = std::move(category);
  l.c.office = "QNS";
  l.c.received = received;
  return l;
}

std::vector<TimelineItem> of_kind(const Timeline& t, TimelineKind k) {
  std::vector<TimelineItem> out;
  std::copy_if(t.items.begin(), t.items.end(), std::back_inserter(out),
               [&](const TimelineItem& i) { return i.kind == k; });
  return out;
}

TEST(Timeline, AdjustmentCaseOutsideProcessingTimeWithAContactAndAnRfe) {
  // I-485 family at Queens: 25.5 months from 2023-08-31 is 2025-10-15 (docs/rules.md).
  Life l = make_life("I-485", "131A-FAM", D(2023, 8, 31));
  l.add(EventKind::e_request, D(2025, 11, 3)).add(EventKind::rfe, D(2026, 2, 10));
  Evaluation ev = l.at(D(2026, 3, 1));
  auto t = make_timeline(l.c, l.events, ev);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->from, D(2023, 8, 31));
  EXPECT_EQ(t->as_of, D(2026, 3, 1));

  auto band = of_kind(*t, TimelineKind::processing);
  ASSERT_EQ(band.size(), 1U);
  EXPECT_EQ(band[0].from, D(2023, 8, 31));
  EXPECT_EQ(band[0].to, D(2025, 10, 15));
  EXPECT_EQ(band[0].label, "posted time 25.5 months");

  auto inquiry = of_kind(*t, TimelineKind::inquiry);
  ASSERT_EQ(inquiry.size(), 1U);
  EXPECT_EQ(inquiry[0].from, D(2025, 10, 15));
  EXPECT_EQ(inquiry[0].from, *ev.inquiry_date);

  // 60 to 90 days after the e-Request of 2025-11-03.
  auto window = of_kind(*t, TimelineKind::ombudsman);
  ASSERT_EQ(window.size(), 1U);
  EXPECT_EQ(window[0].from, D(2026, 1, 2));
  EXPECT_EQ(window[0].to, D(2026, 2, 1));

  // No due date on the RFE: 84 days, assumed.
  auto rfe = of_kind(*t, TimelineKind::response);
  ASSERT_EQ(rfe.size(), 1U);
  EXPECT_EQ(rfe[0].from, D(2026, 2, 10));
  EXPECT_EQ(rfe[0].to, D(2026, 5, 5));
  EXPECT_TRUE(rfe[0].assumed);
  EXPECT_EQ(rfe[0].label, "RFE response period");

  auto events = of_kind(*t, TimelineKind::event);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[0].label, "e-request");
  EXPECT_EQ(events[1].from, D(2026, 2, 10));

  auto today = of_kind(*t, TimelineKind::today);
  ASSERT_EQ(today.size(), 1U);
  EXPECT_EQ(today[0].from, D(2026, 3, 1));

  // The next step is the evaluation's earliest dated one, at its date.
  ASSERT_FALSE(ev.next.empty());
  auto next = of_kind(*t, TimelineKind::next);
  if (ev.next.front().on) {
    ASSERT_EQ(next.size(), 1U);
    EXPECT_EQ(next[0].from, *ev.next.front().on);
    EXPECT_EQ(next[0].label, "next: " + ev.next.front().title);
  } else {
    EXPECT_TRUE(next.empty());
  }
  // The last day drawn is the latest of them all: the RFE's due date.
  EXPECT_EQ(t->to, std::max(D(2026, 5, 5), next.empty() ? D(2026, 5, 5) : next[0].from));

  // By date, then kind.
  EXPECT_TRUE(std::is_sorted(t->items.begin(), t->items.end(),
                             [](const TimelineItem& a, const TimelineItem& b) {
                               return std::pair(a.from, a.kind) < std::pair(b.from, b.kind);
                             }));
}

TEST(Timeline, TheOmbudsmanWindowIsTheRulesOwn) {
  // While the window is open, the rule's finding names the same last day.
  Life l = make_life("I-485", "131A-FAM", D(2023, 8, 31));
  l.add(EventKind::e_request, D(2025, 11, 3));
  Evaluation ev = l.at(D(2026, 1, 20));
  auto f = std::find_if(ev.findings.begin(), ev.findings.end(),
                        [](const Finding& x) { return x.rule == "ombudsman"; });
  ASSERT_NE(f, ev.findings.end());
  auto t = make_timeline(l.c, l.events, ev);
  ASSERT_TRUE(t);
  auto window = of_kind(*t, TimelineKind::ombudsman);
  ASSERT_EQ(window.size(), 1U);
  EXPECT_EQ(window[0].from, f->since);
  EXPECT_EQ(window[0].to, f->until);
}

TEST(Timeline, AContactLongBeforeTheInquiryDateHasNoWindow) {
  // A call on 2024-01-10: its 60-90 days end on 2024-04-09, long before 2025-10-15.
  Life l = make_life("I-485", "131A-FAM", D(2023, 8, 31));
  l.add(EventKind::call, D(2024, 1, 10));
  auto t = make_timeline(l.c, l.events, l.at(D(2026, 3, 1)));
  ASSERT_TRUE(t);
  EXPECT_TRUE(of_kind(*t, TimelineKind::ombudsman).empty());
  // A call on 2025-08-01 (60 days: 2025-09-30, 90 days: 2025-10-30) opens its window on the
  // inquiry date, not before it.
  l.add(EventKind::call, D(2025, 8, 1));
  t = make_timeline(l.c, l.events, l.at(D(2026, 3, 1)));
  auto window = of_kind(*t, TimelineKind::ombudsman);
  ASSERT_EQ(window.size(), 1U);
  EXPECT_EQ(window[0].from, D(2025, 10, 15));
  EXPECT_EQ(window[0].to, D(2025, 10, 30));
}

TEST(Timeline, N400InterviewGivesThe120DaysAndTheNextStep) {
  Life l = make_life("N-400", "160A", D(2025, 6, 3));
  l.add(EventKind::biometrics, D(2025, 7, 20)).add(EventKind::interview, D(2026, 6, 15));
  Evaluation ev = l.at(D(2026, 7, 1));
  auto t = make_timeline(l.c, l.events, ev);
  ASSERT_TRUE(t);
  auto decision = of_kind(*t, TimelineKind::decision);
  ASSERT_EQ(decision.size(), 1U);
  EXPECT_EQ(decision[0].from, D(2026, 6, 15));
  EXPECT_EQ(decision[0].to, D(2026, 10, 13));
  // 1447(b) the day after the 120 days: the next step.
  auto next = of_kind(*t, TimelineKind::next);
  ASSERT_EQ(next.size(), 1U);
  EXPECT_EQ(next[0].from, D(2026, 10, 14));
  EXPECT_EQ(t->to, D(2026, 10, 14));
}

TEST(Timeline, AScheduledEventIsDrawnAsScheduled) {
  Life l = make_life("N-400", "160A", D(2025, 6, 3));
  l.add(EventKind::interview, D(2026, 12, 1));
  auto t = make_timeline(l.c, l.events, l.at(D(2026, 11, 1)));
  ASSERT_TRUE(t);
  auto events = of_kind(*t, TimelineKind::event);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].label, "interview (scheduled)");
}

TEST(Timeline, USCISWordsAreKeptAsWritten) {
  Life l = make_life("I-485", "131A-FAM", D(2023, 8, 31));
  l.add(EventKind::updated, D(2024, 2, 1));
  l.events.back().title = "<b>Case Was Updated</b> & \"more\"";
  auto t = make_timeline(l.c, l.events, l.at(D(2024, 3, 1)));
  ASSERT_TRUE(t);
  auto events = of_kind(*t, TimelineKind::event);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0].label, "updated: <b>Case Was Updated</b> & \"more\"");
}

TEST(Timeline, NoReceivedDateNothingToDraw) {
  Life l = make_life("I-485", "131A-FAM", std::nullopt);
  l.c.sent = D(2025, 1, 2);
  EXPECT_FALSE(make_timeline(l.c, l.events, l.at(D(2026, 3, 1))));
}

TEST(Timeline, ColumnsScaleTheRangeOntoTheWidth) {
  Timeline t;
  t.from = D(2025, 1, 1);
  t.to = D(2025, 12, 31);  // 364 days
  EXPECT_EQ(timeline_column(t, D(2025, 1, 1), 50), 0U);
  EXPECT_EQ(timeline_column(t, D(2025, 12, 31), 50), 49U);
  EXPECT_EQ(timeline_column(t, D(2025, 7, 2), 50), 25U);  // day 182 of 364: 24.5, rounded up
  EXPECT_EQ(timeline_column(t, D(2024, 1, 1), 50), 0U);   // outside: clamped
  EXPECT_EQ(timeline_column(t, D(2027, 1, 1), 50), 49U);
  t.to = t.from;
  EXPECT_EQ(timeline_column(t, D(2025, 1, 1), 50), 0U);
}

}  // namespace
}  // namespace casewatch
