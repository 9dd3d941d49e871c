// SPDX-License-Identifier: MIT
// Evaluation::wake: the earliest later date on which the status or a finding's key can
// change. Examples on real timelines (the day before, of and after each wake), then a
// property test that walks random cases day by day and checks that nothing changes before
// the wake; the same for a holder's documents and trips, and for the case rules that see them.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "casewatch/domain/catalog.hpp"
#include "casewatch/domain/document_rules.hpp"
#include "casewatch/domain/priority_date.hpp"
#include "casewatch/domain/rules.hpp"
#include "timeline.hpp"

namespace casewatch {
namespace {

using unit::builtin;
using unit::D;
using unit::Timeline;

using date::days;

Month M(int y, unsigned m) {
  return Month{date::year{y}, date::month{m}};
}

Timeline make_case(std::string form, std::optional<std::string> category,
                   std::optional<std::string> office, std::optional<Date> received,
                   std::string receipt = "IOE0912345678") {
  Timeline t;
  t.c.id = 1;
  t.c.receipt = std::move(receipt);
  t.c.form = std::move(form);
  t.c.category = std::move(category);
  t.c.office = std::move(office);
  t.c.received = received;
  return t;
}

bool has(const Evaluation& ev, std::string_view rule, std::string_view stage) {
  return std::any_of(ev.findings.begin(), ev.findings.end(),
                     [&](const Finding& f) { return f.rule == rule && f.stage == stage; });
}

std::vector<FindingKey> keys(const Evaluation& ev) {
  std::vector<FindingKey> out;
  out.reserve(ev.findings.size());
  for (const Finding& f : ev.findings) {
    out.push_back(key_of(f));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// ---- examples ----------------------------------------------------------------------------

TEST(Wake, PendingI485WakesOnItsInquiryDate) {
  // I-485 family at Queens, 25.5 months posted: 2024-03-15 + 25.5 months = 2026-04-30.
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2024, 3, 15));
  Date inquiry = *t.at(D(2025, 6, 1)).inquiry_date;
  EXPECT_EQ(inquiry, D(2026, 4, 30));
  EXPECT_EQ(t.wake(D(2025, 6, 1)), inquiry);
  EXPECT_EQ(t.wake(inquiry - days{1}), inquiry);
  EXPECT_TRUE(has(t.at(inquiry), "inquiry", "open"));
  // Open, and no contact logged: the other steps wait on the user, not on a date.
  EXPECT_FALSE(t.wake(inquiry));
  EXPECT_FALSE(t.wake(inquiry + days{1}));
}

TEST(Wake, AfterAnERequestTheReplyClockThenCongressThenTheOmbudsman) {
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2024, 3, 15));
  // e-Request on 2026-05-11 (a Monday); 15 business days (Memorial Day on 2026-05-25) run
  // to 2026-06-02.
  t.add(EventKind::e_request, D(2026, 5, 11));
  EXPECT_EQ(t.wake(D(2026, 5, 10)), D(2026, 5, 11));  // the e-Request counts from its date
  EXPECT_TRUE(has(t.at(D(2026, 5, 11)), "inquiry", "waiting"));
  Date reply_due = add_business_days(D(2026, 5, 11), 15, HolidayCalendar{});
  EXPECT_EQ(reply_due, D(2026, 6, 2));
  EXPECT_EQ(t.wake(D(2026, 5, 11)), D(2026, 6, 3));
  EXPECT_EQ(t.wake(D(2026, 6, 2)), D(2026, 6, 3));
  EXPECT_TRUE(has(t.at(D(2026, 6, 3)), "inquiry", "contacted"));
  EXPECT_TRUE(has(t.at(D(2026, 6, 3)), "inquiry-followup", "open"));
  // Congress 30 days after the contact: 2026-06-10.
  EXPECT_EQ(t.wake(D(2026, 6, 3)), D(2026, 6, 10));
  EXPECT_FALSE(has(t.at(D(2026, 6, 9)), "congress", "open"));
  EXPECT_TRUE(has(t.at(D(2026, 6, 10)), "congress", "open"));
  // The Ombudsman 60 days after the contact: 2026-07-10; its window closes after 90 days.
  EXPECT_EQ(t.wake(D(2026, 6, 10)), D(2026, 7, 10));
  EXPECT_EQ(t.wake(D(2026, 7, 9)), D(2026, 7, 10));
  EXPECT_TRUE(has(t.at(D(2026, 7, 10)), "ombudsman", "open"));
  // Urgent from its last day (2026-08-09) - 7.
  EXPECT_EQ(t.wake(D(2026, 7, 10)), D(2026, 8, 2));
  EXPECT_TRUE(has(t.at(D(2026, 8, 1)), "ombudsman", "open"));
  EXPECT_EQ(t.wake(D(2026, 8, 2)), D(2026, 8, 10));
  EXPECT_TRUE(has(t.at(D(2026, 8, 9)), "ombudsman", "closing"));
  EXPECT_TRUE(has(t.at(D(2026, 8, 10)), "ombudsman", "contact-too-old"));
  // Mandamus waits for an escalation: nothing more comes by date alone.
  EXPECT_FALSE(t.wake(D(2026, 8, 10)));
}

TEST(Wake, AnRfeWakesOnEachStageAndTheDayAfterItsDue) {
  // I-765 received 2026-09-02, RFE of 2026-10-01 due 2026-12-20.
  auto t = make_case("I-765", "147-C9", "NSC", D(2026, 9, 2), "LIN2690012345");
  t.add(EventKind::rfe, D(2026, 10, 1), D(2026, 12, 20));
  // open from its date, soon from 14 days before (12-06), urgent from 7 (12-13), today on
  // the due date.
  EXPECT_EQ(t.wake(D(2026, 10, 1)), D(2026, 12, 6));
  EXPECT_EQ(t.wake(D(2026, 11, 19)), D(2026, 12, 6));
  EXPECT_EQ(t.wake(D(2026, 11, 28)), D(2026, 12, 6));
  EXPECT_TRUE(has(t.at(D(2026, 12, 5)), "rfe-due", "open"));
  EXPECT_TRUE(has(t.at(D(2026, 12, 6)), "rfe-due", "soon"));
  EXPECT_EQ(t.wake(D(2026, 12, 6)), D(2026, 12, 13));
  EXPECT_TRUE(has(t.at(D(2026, 12, 13)), "rfe-due", "urgent"));
  EXPECT_EQ(t.wake(D(2026, 12, 13)), D(2026, 12, 20));
  EXPECT_TRUE(has(t.at(D(2026, 12, 20)), "rfe-due", "today"));
  EXPECT_EQ(t.wake(D(2026, 12, 20)), D(2026, 12, 21));
  EXPECT_TRUE(has(t.at(D(2026, 12, 21)), "rfe-due", "passed"));
  // Passed, and the ladder paused while USCIS waits: the inquiry date is the next wake.
  Date inquiry = *t.at(D(2026, 12, 21)).inquiry_date;
  EXPECT_GT(inquiry, D(2026, 12, 21));
  EXPECT_EQ(t.wake(D(2026, 12, 21)), inquiry);
}

TEST(Wake, AResponseRecordedAheadWakesOnItsDate) {
  auto t = make_case("I-765", "147-C9", "NSC", D(2026, 9, 2), "LIN2690012345");
  t.add(EventKind::rfe, D(2026, 10, 1), D(2026, 12, 20));
  t.add(EventKind::response, D(2026, 11, 24));
  // An event dated after as_of counts from its date: the day it ends the RFE's stages.
  EXPECT_EQ(t.wake(D(2026, 11, 21)), D(2026, 11, 24));
  EXPECT_FALSE(has(t.at(D(2026, 11, 24)), "rfe-due", "upcoming"));
}

TEST(Wake, ADenialWakesTheDayAfterTheAppealWindow) {
  // I-130 denied on 2026-11-02: the EOIR-29 appeal is due 30 days later, 2026-12-02.
  auto t = make_case("I-130", std::nullopt, "NSC", D(2024, 3, 15), "EAC2490012345");
  t.add(EventKind::denied, D(2026, 11, 2));
  EXPECT_EQ(t.wake(D(2026, 11, 1)), D(2026, 11, 2));  // the status changes that day
  EXPECT_EQ(t.at(D(2026, 11, 2)).status, Status::denied);
  EXPECT_EQ(t.wake(D(2026, 11, 28)), D(2026, 12, 3));
  EXPECT_EQ(t.wake(D(2026, 12, 2)), D(2026, 12, 3));
  EXPECT_TRUE(has(t.at(D(2026, 12, 2)), "appeal-window", "open"));
  EXPECT_FALSE(has(t.at(D(2026, 12, 3)), "appeal-window", "open"));
  EXPECT_FALSE(t.wake(D(2026, 12, 3)));
}

TEST(Wake, AnApprovedCaseWakesWhenTheCardIsLate) {
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2024, 3, 15));
  t.add(EventKind::approved, D(2026, 10, 20)).add(EventKind::card_mailed, D(2026, 10, 26));
  // Nothing to wait for but the card: 30 days after it was mailed, 2026-11-25.
  EXPECT_EQ(t.wake(D(2026, 10, 26)), D(2026, 11, 25));
  EXPECT_TRUE(has(t.at(D(2026, 11, 25)), "non-delivery", "card"));
  EXPECT_FALSE(t.wake(D(2026, 11, 25)));
}

TEST(Wake, AScheduledN400InterviewWakesOnItsDateThen121DaysLater) {
  auto t = make_case("N-400", std::nullopt, "QNS", D(2026, 6, 1));
  t.add(EventKind::interview, D(2027, 2, 10));
  Date inquiry = *t.at(D(2026, 11, 28)).inquiry_date;
  EXPECT_EQ(t.wake(D(2026, 11, 28)), std::min(inquiry, D(2027, 2, 10)));
  // Past the interview: 8 U.S.C. 1447(b) opens on its 121st day, 2027-06-11.
  Date after = D(2027, 2, 10);
  std::optional<Date> w = t.wake(after);
  ASSERT_TRUE(w);
  EXPECT_LE(*w, D(2027, 6, 11));
  EXPECT_FALSE(has(t.at(D(2027, 6, 10)), "n400-1447b", "open"));
  EXPECT_TRUE(has(t.at(D(2027, 6, 11)), "n400-1447b", "open"));
  EXPECT_EQ(t.wake(D(2027, 6, 10)), D(2027, 6, 11));
}

TEST(Wake, USCISsStatusIsNewsForThirtyDays) {
  auto t = make_case("I-765", "147-C9", "NSC", D(2026, 9, 2), "LIN2690012345");
  t.add(EventKind::biometrics_done, D(2026, 11, 20));
  t.events.back().source = "api";
  EXPECT_TRUE(has(t.at(D(2026, 12, 20)), "status", "biometrics-done"));
  EXPECT_EQ(t.wake(D(2026, 11, 28)), D(2026, 12, 21));
  EXPECT_FALSE(has(t.at(D(2026, 12, 21)), "status", "biometrics-done"));
}

// A bulletin whose EB-3 India cutoff stays put from September to October 2026 and moves in
// November; December is the last month stored.
BulletinTable eb3_bulletin() {
  std::vector<BulletinRow> rows;
  auto cell = [](Date cutoff) { return Cell{Cell::Status::date, cutoff}; };
  for (auto [m, fa, dff] : {std::tuple(M(2026, 9), D(2013, 1, 1), D(2014, 1, 1)),
                            std::tuple(M(2026, 10), D(2013, 1, 1), D(2014, 1, 1)),
                            std::tuple(M(2026, 11), D(2013, 6, 1), D(2014, 1, 1)),
                            std::tuple(M(2026, 12), D(2013, 6, 1), D(2014, 1, 1))}) {
    rows.push_back({m, Chart::final_action, "EB3", "IN", cell(fa), "set"});
    rows.push_back({m, Chart::dates_for_filing, "EB3", "IN", cell(dff), "set"});
  }
  return BulletinTable(std::move(rows), {});
}

TEST(Wake, APriorityDateWakesOnTheFirstMonthThatSaysSomethingElse) {
  // An approved I-140 (consular until said otherwise) with priority date 2013-03-10, EB-3
  // India: an approved petition keeps watching the bulletin.
  auto t = make_case("I-140", "136A-E31", std::nullopt, D(2013, 3, 10), "LIN1390012345");
  t.add(EventKind::approved, D(2013, 9, 2));
  t.c.priority_date = D(2013, 3, 10);
  t.c.preference = "EB3";
  t.c.chargeability = "India";
  t.bulletin = eb3_bulletin();
  Evaluation sep = t.at(D(2026, 9, 15));
  ASSERT_TRUE(has(sep, "priority-date", "documents"));
  // October says the same (same cutoffs, same since): the wake is November's first day,
  // when the final action cutoff passes the priority date.
  EXPECT_EQ(t.wake(D(2026, 9, 15)), D(2026, 11, 1));
  EXPECT_EQ(keys(t.at(D(2026, 10, 31))), keys(sep));
  EXPECT_TRUE(has(t.at(D(2026, 11, 1)), "priority-date", "interview"));
  // December stored and unchanged; January 2027 is not stored: "month-missing".
  EXPECT_EQ(t.wake(D(2026, 11, 1)), D(2027, 1, 1));
  EXPECT_TRUE(has(t.at(D(2027, 1, 1)), "priority-date", "month-missing"));
  // Past the stored months every month is news (its own "month-missing" since).
  EXPECT_EQ(t.wake(D(2027, 1, 1)), D(2027, 2, 1));
}

// The wake is the first day of the month the bulletin's rows change, however far: here 30
// stored months with the same cutoffs (2026-01 to 2028-06), so the findings hold until
// 2028-07, the first month not stored ("month-missing"), not a bound on months probed.
TEST(Wake, APriorityDateWakesWhenItsRowsChangeNotAfterABoundedProbe) {
  auto t = make_case("I-140", "136A-E31", std::nullopt, D(2013, 3, 10), "LIN1390012345");
  t.add(EventKind::approved, D(2013, 9, 2));
  t.c.priority_date = D(2015, 3, 10);
  t.c.preference = "EB3";
  t.c.chargeability = "India";
  std::vector<BulletinRow> rows;
  for (Month m = M(2026, 1); m <= M(2028, 6); m += date::months{1}) {
    rows.push_back(
        {m, Chart::final_action, "EB3", "IN", Cell{Cell::Status::date, D(2013, 1, 1)}, "set"});
    rows.push_back(
        {m, Chart::dates_for_filing, "EB3", "IN", Cell{Cell::Status::date, D(2014, 1, 1)}, "set"});
  }
  t.bulletin = BulletinTable(std::move(rows), {});
  ASSERT_TRUE(has(t.at(D(2026, 1, 15)), "priority-date", "waiting"));
  EXPECT_EQ(t.wake(D(2026, 1, 15)), D(2028, 7, 1));
  EXPECT_EQ(keys(t.at(D(2028, 6, 30))), keys(t.at(D(2026, 1, 15))));
  EXPECT_TRUE(has(t.at(D(2028, 7, 1)), "priority-date", "month-missing"));
  // The public rule gives the same day.
  std::vector<Finding> out;
  EXPECT_EQ(rule_priority_date(t.c, Status::approved, t.bulletin, D(2026, 1, 15), false, out),
            D(2028, 7, 1));
  ASSERT_EQ(out.size(), 1U);
  EXPECT_TRUE(out[0].title.empty());  // no words asked for
}

TEST(Wake, NothingDatedMeansNoWake) {
  // No received date, no events: no rule waits on a date.
  auto t = make_case("I-765", "147-C9", "NSC", std::nullopt, "LIN2690012345");
  EXPECT_FALSE(t.wake(D(2026, 11, 28)));
  // No bulletin stored: "no-bulletin" does not change with the month.
  auto pd = make_case("I-130", std::nullopt, "NSC", D(2020, 5, 4), "EAC2090012345");
  pd.c.priority_date = D(2020, 5, 4);
  pd.c.preference = "F2B";
  ASSERT_TRUE(has(pd.at(D(2026, 11, 28)), "priority-date", "no-bulletin"));
  // The slowest I-130 category at NSC puts the inquiry date in 2033: the only wake.
  ASSERT_EQ(pd.at(D(2026, 11, 28)).inquiry_date, D(2033, 6, 19));
  EXPECT_EQ(pd.wake(D(2026, 11, 28)), D(2033, 6, 19));
}

// ---- the property ------------------------------------------------------------------------

// A bulletin of 2025-11 to 2027-01 with cutoffs that advance, stall and retrogress, one
// month missing (2026-05) and USCIS's chart choice for some months.
BulletinTable random_bulletin(std::mt19937_64& rng) {
  std::vector<BulletinRow> rows;
  std::vector<ChartChoice> choices;
  const std::vector<std::string> categories = {"F1", "F2A", "F2B", "EB2", "EB3"};
  const std::vector<std::string> columns = {"ROW", "IN", "MX", "CN"};
  for (const std::string& cat : categories) {
    for (const std::string& col : columns) {
      for (Chart chart : {Chart::final_action, Chart::dates_for_filing}) {
        Date cutoff = D(2014, 1, 1) + days{static_cast<int>(rng() % 3000)};
        for (Month m = M(2025, 11); m <= M(2027, 1); m += date::months{1}) {
          switch (rng() % 6) {
            case 0:
              break;  // unchanged
            case 1:
              cutoff -= days{static_cast<int>(rng() % 400)};  // retrogression
              break;
            default:
              cutoff += days{static_cast<int>(rng() % 120)};
          }
          if (m == M(2026, 5)) {
            continue;
          }
          Cell cell{Cell::Status::date, cutoff};
          if (rng() % 15 == 0) {
            cell = Cell{Cell::Status::current, std::nullopt};
          } else if (rng() % 25 == 0) {
            cell = Cell{Cell::Status::unavailable, std::nullopt};
          }
          rows.push_back({m, chart, cat, col, cell, "set"});
        }
      }
    }
  }
  for (Month m = M(2025, 11); m <= M(2027, 1); m += date::months{1}) {
    if (rng() % 3 != 0) {
      auto pick = [&] { return rng() % 2 == 0 ? Chart::final_action : Chart::dates_for_filing; };
      choices.push_back({m, pick(), pick(), "set"});
    }
  }
  return BulletinTable(std::move(rows), std::move(choices));
}

Date random_date(std::mt19937_64& rng, Date from, Date to) {
  return from + days{static_cast<int>(rng() % static_cast<unsigned>(days_between(from, to) + 1))};
}

// A case from the real table (form, category, office), received over 2021-2026, with up to
// 8 events of every kind, some after the walk's start, some with due dates, refs, USCIS's
// status words; some with premium processing, a priority date and a preference.
Timeline random_case(std::mt19937_64& rng, CaseId id) {
  const auto& rows = builtin_processing_times();
  const ProcessingTime& row = rows[rng() % rows.size()];
  Timeline t;
  t.c.id = id;
  t.c.form = row.form;
  if (!row.category.empty() && rng() % 5 != 0) {
    t.c.category = row.category;
  }
  const std::vector<std::string> prefixes = {"IOE", "EAC", "WAC", "LIN", "SRC", "MSC", "NBC"};
  std::uniform_int_distribution<int> digits(0, 9);
  std::string receipt = prefixes[rng() % prefixes.size()];
  for (int i = 0; i < 10; ++i) {
    receipt += static_cast<char>('0' + digits(rng));
  }
  switch (rng() % 4) {
    case 0:
      break;  // the office the receipt implies
    case 1:
      t.c.office = rows[rng() % rows.size()].office;  // another office of the table
      break;
    default:
      if (!row.office.empty()) {
        t.c.office = row.office;
      }
  }
  Date received = random_date(rng, D(2021, 1, 1), D(2026, 12, 31));
  if (rng() % 10 == 0) {
    t.c.sent = received;  // sent, no receipt yet: the lockbox rule
  } else {
    t.c.receipt = receipt;
    t.c.received = received;
    t.c.sent = received - days{static_cast<int>(rng() % 10)};
  }
  if (rng() % 6 == 0) {
    t.c.premium_start = received + days{static_cast<int>(rng() % 200)};
  }
  if (rng() % 4 == 0) {
    const std::vector<std::string> prefs = {"F1", "F2A", "F2B", "EB2", "EB3", "IR", "EB5"};
    const std::vector<std::string> countries = {"India", "Mexico", "China", "Brazil"};
    t.c.preference = prefs[rng() % prefs.size()];
    t.c.priority_date = random_date(rng, D(2012, 1, 1), received);
    if (rng() % 3 != 0) {
      t.c.chargeability = countries[rng() % countries.size()];
    }
    if (rng() % 3 == 0) {
      t.c.path = rng() % 2 == 0 ? VisaPath::adjustment : VisaPath::consular;
    }
  }
  if (rng() % 12 == 0) {
    t.c.status = static_cast<Status>(1 + rng() % 4);  // decided or closed, maybe no event
  }
  const int n = static_cast<int>(rng() % 9);
  for (int k = 0; k < n; ++k) {
    auto kind = static_cast<EventKind>(rng() % (static_cast<int>(EventKind::updated) + 1));
    Date date = random_date(rng, received, D(2027, 3, 31));
    t.add(kind, date);
    Event& e = t.events.back();
    if (rng() % 3 == 0) {
      e.due = date + days{static_cast<int>(rng() % 120)};
    }
    if (rng() % 4 == 0) {
      e.ref = "SRMT" + std::to_string(1000000 + rng() % 9000000);
    }
    if (kind == EventKind::transfer && rng() % 2 == 0) {
      e.office = rows[rng() % rows.size()].office;
    }
    if (rng() % 3 == 0) {
      e.source = "api";
      e.observed = date;
      e.title = std::string(to_string(kind));
    }
  }
  return t;
}

int property_cases() {
  if (const char* env = std::getenv("CASEWATCH_PROPERTY_CASES")) {
    int n = std::atoi(env);
    if (n > 0) {
      return n;
    }
  }
  return 500;
}

TEST(WakeProperty, NothingChangesBeforeTheWake) {
  std::mt19937_64 rng(0x14CA5E);
  const int n_cases = property_cases();
  const Date start = D(2026, 1, 1);
  constexpr int k_days = 400;
  const Date end = start + days{k_days};
  std::size_t wakes = 0;
  std::size_t spurious = 0;
  std::size_t evaluations = 0;
  BulletinTable bulletin;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n_cases; ++i) {
    if (i % 50 == 0) {
      bulletin = random_bulletin(rng);  // a new one for every 50 cases
    }
    Timeline t = random_case(rng, i + 1);
    t.shared = &bulletin;
    Date d = start;
    Evaluation prev = t.at(d, Detail::dates);
    while (d < end) {
      Evaluation ev = t.at(d, Detail::dates);
      Evaluation full = t.at(d, Detail::full);
      evaluations += 2;
      ASSERT_EQ(ev.wake, full.wake) << "case " << i << " on " << format_date(d);
      ASSERT_EQ(ev.status, full.status);
      ASSERT_EQ(keys(ev), keys(full));
      if (d > start && ev.status == prev.status && keys(ev) == keys(prev)) {
        ++spurious;
      }
      ASSERT_TRUE(!ev.wake || *ev.wake > d) << "case " << i << " on " << format_date(d);
      Date stop = ev.wake ? std::min(*ev.wake, end) : end;
      std::vector<FindingKey> expected = keys(ev);
      for (Date x = d + days{1}; x < stop; x += days{1}) {
        Evaluation later = t.at(x, Detail::dates);
        ++evaluations;
        ASSERT_EQ(later.status, ev.status)
            << "case " << i << ": " << format_date(d) << " woke on "
            << (ev.wake ? format_date(*ev.wake) : "never") << ", changed on " << format_date(x);
        ASSERT_EQ(keys(later), expected)
            << "case " << i << " (" << t.c.form << "): evaluated on " << format_date(d) << ", wake "
            << (ev.wake ? format_date(*ev.wake) : "never") << ", keys changed on "
            << format_date(x);
      }
      if (stop > d + days{1}) {
        // The last day before the wake, with the words too.
        Evaluation last = t.at(stop - days{1}, Detail::full);
        ++evaluations;
        ASSERT_EQ(keys(last), expected);
      }
      if (!ev.wake || *ev.wake >= end) {
        break;
      }
      ++wakes;
      prev = std::move(ev);
      d = *prev.wake;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double years = static_cast<double>(k_days) / 365.0;
  RecordProperty("cases", n_cases);
  RecordProperty("wakes_per_case_year",
                 std::to_string(static_cast<double>(wakes) / n_cases / years));
  std::printf(
      "[ wake     ] %d cases x %d days: %zu evaluations in %.2f s; %.2f wakes per case per year, "
      "%.1f%% of them with no change\n",
      n_cases, k_days, evaluations, seconds, static_cast<double>(wakes) / n_cases / years,
      wakes == 0 ? 0.0 : 100.0 * static_cast<double>(spurious) / static_cast<double>(wakes));
}

// ---- the property, for what a person holds ---------------------------------------------

// A holder with 1-3 documents of every kind the rules know, 0-4 cases of the forms that renew
// them (some linked by renewed_by, some decided or withdrawn, on any day), and 0-3 trips that
// do not overlap (some still under way).
struct Holder {
  std::vector<Document> documents;
  std::vector<Case> cases;
  std::vector<std::vector<Event>> events;
  std::vector<Trip> trips;

  [[nodiscard]] std::vector<HolderCase> holder_cases() const {
    std::vector<HolderCase> out;
    for (std::size_t i = 0; i < cases.size(); ++i) {
      out.push_back(HolderCase{&cases[i], events[i]});
    }
    return out;
  }
  // Every finding key of every document and every case (the cases seeing the holder's
  // documents and trips), and the earliest wake of them all: what a daily check reads.
  [[nodiscard]] Evaluation at(Date as_of, Detail detail) const {
    static const HolidayCalendar k_holidays;
    static const BulletinTable k_bulletin;
    Evaluation all;
    all.as_of = as_of;
    auto take = [&](Evaluation ev) {
      for (Finding& f : ev.findings) {
        all.findings.push_back(std::move(f));
      }
      if (ev.wake && (!all.wake || *ev.wake < *all.wake)) {
        all.wake = ev.wake;
      }
    };
    auto hc = holder_cases();
    for (const Document& d : documents) {
      take(evaluate_document(d, hc, trips, as_of, detail));
    }
    for (std::size_t i = 0; i < cases.size(); ++i) {
      take(evaluate(cases[i], events[i], builtin(), k_bulletin, as_of, k_holidays,
                    Holdings{documents, trips}, detail));
    }
    return all;
  }
};

Holder random_holder(std::mt19937_64& rng) {
  Holder h;
  const std::vector<DocumentKind> kinds = {DocumentKind::conditional_green_card,
                                           DocumentKind::green_card, DocumentKind::ead,
                                           DocumentKind::daca, DocumentKind::advance_parole};
  const std::vector<std::string> ead_categories = {"C09", "C08", "A05", "C33", "A12", "C26"};
  const int n_docs = 1 + static_cast<int>(rng() % 3);
  for (int k = 0; k < n_docs; ++k) {
    Document d;
    d.id = k + 1;
    d.kind = kinds[rng() % kinds.size()];
    d.holder = "Ana";
    d.recorded = random_date(rng, D(2024, 1, 1), D(2026, 6, 1));
    Date since = random_date(rng, D(2016, 1, 1), D(2026, 6, 1));
    switch (d.kind) {
      case DocumentKind::conditional_green_card:
        d.since = since;
        if (rng() % 3 != 0) {
          d.expires = add_months(since, 24);
        }
        break;
      case DocumentKind::green_card:
        d.since = since;
        d.expires = add_months(since, 120);
        break;
      case DocumentKind::ead:
        d.category = ead_categories[rng() % ead_categories.size()];
        [[fallthrough]];
      default:
        if (rng() % 2 == 0) {
          d.since = random_date(rng, D(2025, 1, 1), D(2026, 6, 1));
        }
        d.expires = random_date(rng, D(2026, 3, 1), D(2027, 9, 1));
        if (d.since && *d.expires <= *d.since) {
          d.since.reset();
        }
    }
    h.documents.push_back(d);
  }
  const std::vector<std::pair<std::string, std::optional<std::string>>> forms = {
      {"I-751", std::nullopt},  {"I-90", std::nullopt}, {"I-765", "147-C9"},    {"I-765", "147-C8"},
      {"I-821D", std::nullopt}, {"I-131", "141B-OTH"},  {"N-400", std::nullopt}};
  const int n_cases = static_cast<int>(rng() % 5);
  const std::vector<EventKind> decisions = {EventKind::approved, EventKind::denied,
                                            EventKind::withdrawn, EventKind::interview,
                                            EventKind::biometrics};
  for (int k = 0; k < n_cases; ++k) {
    const auto& [form, category] = forms[rng() % forms.size()];
    Case c;
    c.id = k + 1;
    c.form = form;
    c.category = category;
    c.holder = "Ana";
    c.receipt = "IOE09" + std::to_string(12345670 + k);
    if (rng() % 8 != 0) {
      c.received = random_date(rng, D(2025, 1, 1), D(2027, 3, 1));
      c.sent = c.received;
    } else {
      c.sent = random_date(rng, D(2025, 1, 1), D(2027, 3, 1));
    }
    if (c.form == "N-400" && rng() % 2 == 0) {
      c.marriage_track = true;
      c.married = D(2023, 6, 1);
    }
    std::vector<Event> events;
    const int n_events = static_cast<int>(rng() % 3);
    for (int e = 0; e < n_events; ++e) {
      Event ev;
      ev.id = 100 * (k + 1) + e;
      ev.case_id = c.id;
      ev.kind = decisions[rng() % decisions.size()];
      ev.date = random_date(rng, c.received.value_or(*c.sent), D(2027, 6, 1));
      events.push_back(ev);
    }
    if (rng() % 3 == 0) {
      h.documents[rng() % h.documents.size()].renewed_by = c.id;
    }
    h.cases.push_back(std::move(c));
    h.events.push_back(std::move(events));
  }
  Date at = random_date(rng, D(2025, 6, 1), D(2026, 9, 1));
  const int n_trips = static_cast<int>(rng() % 4);
  for (int k = 0; k < n_trips; ++k) {
    Date left = add_days(at, 1 + static_cast<int>(rng() % 120));
    std::optional<Date> back;
    if (rng() % 4 != 0 || k + 1 < n_trips) {
      // Up to 400 days: some of exactly 6 months or a year.
      switch (rng() % 5) {
        case 0:
          back = add_months(left, 6);
          break;
        case 1:
          back = add_months(left, 12);
          break;
        default:
          back = add_days(left, 1 + static_cast<int>(rng() % 400));
      }
      at = *back;
    }
    h.trips.push_back(Trip{k + 1, "Ana", left, back});
    if (!back) {
      break;
    }
  }
  return h;
}

TEST(WakeProperty, NothingAHolderHoldsChangesBeforeTheWake) {
  std::mt19937_64 rng(0xD0C5);
  const int n_holders = std::max(1, property_cases() / 4);
  const Date start = D(2026, 6, 1);
  constexpr int k_days = 400;
  const Date end = start + days{k_days};
  std::size_t evaluations = 0;
  std::size_t findings = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n_holders; ++i) {
    Holder h = random_holder(rng);
    Date d = start;
    while (d < end) {
      Evaluation ev = h.at(d, Detail::dates);
      Evaluation full = h.at(d, Detail::full);
      evaluations += 2;
      findings += ev.findings.size();
      ASSERT_EQ(ev.wake, full.wake) << "holder " << i << " on " << format_date(d);
      ASSERT_EQ(keys(ev), keys(full)) << "holder " << i << " on " << format_date(d);
      ASSERT_TRUE(!ev.wake || *ev.wake > d) << "holder " << i << " on " << format_date(d);
      Date stop = ev.wake ? std::min(*ev.wake, end) : end;
      std::vector<FindingKey> expected = keys(ev);
      for (Date x = d + days{1}; x < stop; x += days{1}) {
        ++evaluations;
        ASSERT_EQ(keys(h.at(x, Detail::dates)), expected)
            << "holder " << i << ": evaluated on " << format_date(d) << ", wake "
            << (ev.wake ? format_date(*ev.wake) : "never") << ", keys changed on "
            << format_date(x);
      }
      if (!ev.wake || *ev.wake >= end) {
        break;
      }
      d = *ev.wake;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("[ wake     ] %d holders x %d days: %zu evaluations, %zu findings in %.2f s\n",
              n_holders, k_days, evaluations, findings, seconds);
}

}  // namespace
}  // namespace casewatch
