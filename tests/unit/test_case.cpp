// SPDX-License-Identifier: MIT
#include "casewatch/domain/case.hpp"

#include <gtest/gtest.h>

namespace casewatch {
namespace {

Event ev(std::int64_t id, EventKind kind, Date date) {
  Event e;
  e.id = id;
  e.kind = kind;
  e.date = date;
  return e;
}

TEST(EventKind, ParsesEverySpelling) {
  for (EventKind k : all_event_kinds()) {
    auto parsed = parse_event_kind(to_string(k));
    ASSERT_TRUE(parsed) << to_string(k);
    EXPECT_EQ(*parsed, k);
  }
  EXPECT_EQ(*parse_event_kind("E_REQUEST"), EventKind::e_request);
  EXPECT_EQ(*parse_event_kind("card_mailed"), EventKind::card_mailed);
  auto bad = parse_event_kind("erfe");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("'erfe' is not an event kind; use one of: receipt, biometrics"),
            std::string::npos);
}

TEST(Status, FollowsTheLatestDecisionOnAsOf) {
  Case c;
  std::vector<Event> events = {ev(1, EventKind::denied, make_date(2025, 5, 20)),
                               ev(2, EventKind::approved, make_date(2025, 8, 1))};
  EXPECT_EQ(effective_status(c, events, make_date(2025, 5, 19)), Status::pending);
  EXPECT_EQ(effective_status(c, events, make_date(2025, 5, 20)), Status::denied);
  EXPECT_EQ(effective_status(c, events, make_date(2025, 8, 1)), Status::approved);
  c.status = Status::closed;
  EXPECT_EQ(effective_status(c, {}, make_date(2025, 8, 1)), Status::closed);
}

TEST(Office, FromUserPrefixAndTransfers) {
  Case c;
  c.form = "I-765";
  c.receipt = "LIN2190012345";
  Date as_of = make_date(2025, 6, 1);
  EXPECT_EQ(effective_office(c, {}, as_of).office, "NSC");
  EXPECT_EQ(effective_office(c, {}, as_of).source, OfficeSource::receipt_prefix);
  c.office = "CSC";
  EXPECT_EQ(effective_office(c, {}, as_of).office, "CSC");
  Event t = ev(1, EventKind::transfer, make_date(2025, 5, 1));
  t.office = "ESC";
  std::vector<Event> events = {t};
  EXPECT_EQ(effective_office(c, events, as_of).office, "ESC");
  EXPECT_EQ(effective_office(c, events, make_date(2025, 4, 30)).office, "CSC");
}

TEST(Office, NbcMeansFieldOfficeForI485AndN400) {
  Case c;
  c.receipt = "MSC2190012345";
  for (const char* form : {"I-485", "N-400", "N-600", "N-600K"}) {
    c.form = form;
    auto o = effective_office(c, {}, make_date(2025, 1, 1));
    EXPECT_FALSE(o.office) << form;
    EXPECT_TRUE(o.nbc_field_office_form);
  }
  c.form = "I-130";
  EXPECT_EQ(effective_office(c, {}, make_date(2025, 1, 1)).office, "NBC");
  c.form = "I-485";
  Event t = ev(1, EventKind::transfer, make_date(2024, 12, 1));
  t.office = "QNS";
  std::vector<Event> events = {t};
  EXPECT_EQ(effective_office(c, events, make_date(2025, 1, 1)).office, "QNS");
}

TEST(Events, AsOfDropsLaterEventsAndKeepsRecordingOrder) {
  std::vector<Event> events = {ev(3, EventKind::call, make_date(2025, 1, 10)),
                               ev(1, EventKind::e_request, make_date(2025, 1, 10)),
                               ev(2, EventKind::interview, make_date(2025, 3, 1))};
  auto seen = events_as_of(events, make_date(2025, 2, 1));
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(seen[0].id, 1);
  EXPECT_EQ(seen[1].id, 3);
}

}  // namespace
}  // namespace casewatch
