// SPDX-License-Identifier: MIT
// The document rules of docs/rules.md ("Document windows") on the worked examples, at the day
// before and the day of each threshold; the validation of documents and trips; and the wake
// dates of documents (a day-by-day sweep).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "casewatch/domain/catalog.hpp"
#include "casewatch/domain/document_rules.hpp"
#include "casewatch/domain/kind_table.hpp"
#include "casewatch/domain/validate.hpp"

namespace casewatch {
namespace {

Date D(int y, unsigned m, unsigned d) {
  return make_date(y, m, d);
}

// A holder, her cases (with their events) and her trips.
struct World {
  std::vector<Case> cases;
  std::vector<std::vector<Event>> events;
  std::vector<Trip> trips;

  Case& add_case(std::string form, Date received) {
    Case c;
    c.id = static_cast<CaseId>(cases.size()) + 1;
    c.receipt = "IOE09" + std::to_string(12345670 + c.id);
    c.form = std::move(form);
    c.received = received;
    c.holder = "Ana";
    cases.push_back(c);
    events.emplace_back();
    return cases.back();
  }
  void add_event(CaseId id, EventKind kind, Date date) {
    Event e;
    e.id = 100 + static_cast<std::int64_t>(events[static_cast<std::size_t>(id - 1)].size());
    e.case_id = id;
    e.kind = kind;
    e.date = date;
    events[static_cast<std::size_t>(id - 1)].push_back(e);
  }
  void add_trip(Date left, std::optional<Date> returned) {
    trips.push_back(Trip{static_cast<TripId>(trips.size()) + 1, "Ana", left, returned});
  }
  [[nodiscard]] Evaluation at(const Document& d, Date as_of, Detail detail = Detail::full) const {
    std::vector<HolderCase> hc;
    for (std::size_t i = 0; i < cases.size(); ++i) {
      hc.push_back(HolderCase{&cases[i], events[i]});
    }
    return evaluate_document(d, hc, trips, as_of, detail);
  }
};

Document doc(DocumentKind kind, std::optional<Date> since, std::optional<Date> expires,
             std::optional<std::string> category = std::nullopt) {
  Document d;
  d.id = 2;
  d.kind = kind;
  d.since = since;
  d.expires = expires;
  d.category = std::move(category);
  d.holder = "Ana";
  d.recorded = D(2026, 11, 1);
  return d;
}

// "action open 2026-12-10": severity, stage and since of the finding of `rule` (the first
// whose stage is not one of `skip`), or "none".
std::string said(const Evaluation& ev, std::string_view rule,
                 std::set<std::string> skip = {"presence", "presumed-break"}) {
  for (const Finding& f : ev.findings) {
    if (f.rule == rule && !skip.contains(f.stage)) {
      EXPECT_EQ(f.document_id, 2);
      EXPECT_EQ(f.case_id, 0);
      EXPECT_FALSE(f.title.empty());
      return fmt::format("{} {} {}", to_string(f.severity), f.stage, format_date(f.since));
    }
  }
  return "none";
}

std::optional<Finding> finding(const Evaluation& ev, std::string_view rule,
                               std::string_view stage) {
  for (const Finding& f : ev.findings) {
    if (f.rule == rule && f.stage == stage) {
      return f;
    }
  }
  return std::nullopt;
}

std::set<Date> calendar(const Evaluation& ev) {
  std::set<Date> out;
  for (const NextStep& s : ev.next) {
    out.insert(*s.on);
  }
  return out;
}

// The wake dates of evaluate_document: every day of [from, to), the set of finding keys may
// change only on or after the wake date of the day before.
void expect_wakes(const World& w, const Document& d, Date from, Date to) {
  auto keys = [&](const Evaluation& ev) {
    std::multiset<FindingKey> out;
    for (const Finding& f : ev.findings) {
      out.insert(key_of(f));
    }
    return out;
  };
  Evaluation prev = w.at(d, from, Detail::dates);
  for (Date x = add_days(from, 1); x < to; x = add_days(x, 1)) {
    Evaluation ev = w.at(d, x, Detail::dates);
    ASSERT_EQ(keys(ev), keys(w.at(d, x))) << format_date(x);  // dates and full agree
    if (keys(ev) != keys(prev)) {
      ASSERT_TRUE(prev.wake && *prev.wake <= x)
          << "findings changed on " << format_date(x) << " but the wake of the day before was "
          << (prev.wake ? format_date(*prev.wake) : "none");
    }
    if (prev.wake) {
      ASSERT_GT(*prev.wake, prev.as_of);
    }
    prev = std::move(ev);
  }
}

// Conditional resident since 2025-03-10 (RULES worked example).
TEST(DocumentRules, I751WindowAtItsBoundaries) {
  World w;
  Document d = doc(DocumentKind::conditional_green_card, D(2025, 3, 10), std::nullopt);
  EXPECT_EQ(said(w.at(d, D(2026, 12, 9)), "i751-window"), "info before 2025-03-10");
  EXPECT_EQ(said(w.at(d, D(2026, 12, 10)), "i751-window"), "action open 2026-12-10");
  EXPECT_EQ(finding(w.at(d, D(2026, 12, 10)), "i751-window", "open")->until, D(2027, 3, 10));
  EXPECT_EQ(said(w.at(d, D(2027, 2, 7)), "i751-window"), "action open 2026-12-10");
  EXPECT_EQ(said(w.at(d, D(2027, 2, 8)), "i751-window"), "urgent closing 2027-02-08");
  EXPECT_EQ(said(w.at(d, D(2027, 3, 10)), "i751-window"), "urgent closing 2027-02-08");
  EXPECT_EQ(said(w.at(d, D(2027, 3, 11)), "i751-window"), "urgent late 2027-03-11");
  EXPECT_NE(w.at(d, D(2027, 3, 11)).findings[0].reason.find("216.4(a)(6)"), std::string::npos);
  // The calendar: the window's opening and last day.
  EXPECT_EQ(calendar(w.at(d, D(2026, 11, 28))), (std::set{D(2026, 12, 10), D(2027, 3, 10)}));
  EXPECT_EQ(calendar(w.at(d, D(2026, 12, 11))), (std::set{D(2027, 3, 10)}));
  expect_wakes(w, d, D(2026, 11, 1), D(2027, 4, 1));
}

// A finding's "How" names the document's holder in the command it gives, quoted for the
// shell; LABEL only when the document names none.
TEST(DocumentRules, TheCommandsOfAFindingNameTheHolder) {
  World w;
  Document d = doc(DocumentKind::conditional_green_card, D(2025, 3, 10), std::nullopt);
  d.holder = "Ana Lopez";
  EXPECT_NE(
      finding(w.at(d, D(2026, 12, 10)), "i751-window", "open")
          ->how.find("casewatch add RECEIPT --form I-751 --received DATE --holder 'Ana Lopez'"),
      std::string::npos);
  d.holder.reset();
  EXPECT_NE(finding(w.at(d, D(2026, 12, 10)), "i751-window", "open")->how.find("--holder LABEL"),
            std::string::npos);
}

TEST(DocumentRules, I751ReceivedExtendsFortyEightMonths) {
  World w;
  w.add_case("I-751", D(2026, 12, 15));
  Document d = doc(DocumentKind::conditional_green_card, D(2025, 3, 10), std::nullopt);
  EXPECT_EQ(said(w.at(d, D(2026, 12, 14)), "i751-window"), "action open 2026-12-10");
  Evaluation ev = w.at(d, D(2026, 12, 15));
  EXPECT_EQ(said(ev, "i751-window"), "info extended 2026-12-15");
  EXPECT_EQ(ev.findings[0].until, D(2031, 3, 10));
  EXPECT_NE(ev.findings[0].reason.find("as USCIS announced; check uscis.gov"), std::string::npos);
  EXPECT_EQ(said(w.at(d, D(2030, 12, 9)), "i751-window"), "info extended 2026-12-15");
  EXPECT_EQ(said(w.at(d, D(2030, 12, 10)), "i751-window"), "action stamp 2030-12-10");
  // Approved: the 10-year card is another document; nothing more here.
  w.add_event(1, EventKind::approved, D(2027, 5, 1));
  EXPECT_EQ(said(w.at(d, D(2027, 5, 1)), "i751-window"), "none");
  EXPECT_EQ(said(w.at(d, D(2027, 4, 30)), "i751-window"), "info extended 2026-12-15");
  expect_wakes(w, d, D(2026, 12, 1), D(2027, 6, 1));
}

TEST(DocumentRules, I751OfAnotherHolderRenewsNothingUnlessLinked) {
  World w;
  w.add_case("I-751", D(2026, 12, 15)).holder = "Ben";
  Document d = doc(DocumentKind::conditional_green_card, D(2025, 3, 10), std::nullopt);
  EXPECT_EQ(said(w.at(d, D(2026, 12, 20)), "i751-window"), "action open 2026-12-10");
  d.renewed_by = 1;
  EXPECT_EQ(said(w.at(d, D(2026, 12, 20)), "i751-window"), "info extended 2026-12-15");
}

// February 29: a deadline falls on February 28, an earliest filing date on March 1.
TEST(DocumentRules, FebruaryTwentyNinthAnniversaries) {
  World w;
  Document c = doc(DocumentKind::conditional_green_card, D(2024, 2, 29), std::nullopt);
  // The window opens 90 days before March 1, 2026; the last day is February 28, 2026.
  EXPECT_EQ(said(w.at(c, D(2025, 11, 30)), "i751-window"), "info before 2024-02-29");
  EXPECT_EQ(said(w.at(c, D(2025, 12, 1)), "i751-window"), "action open 2025-12-01");
  EXPECT_EQ(said(w.at(c, D(2026, 2, 28)), "i751-window"), "urgent closing 2026-01-29");
  EXPECT_EQ(said(w.at(c, D(2026, 3, 1)), "i751-window"), "urgent late 2026-03-01");
  // N-400: 5 years after 2020-02-29 is March 1, 2025; 90 days before is 2024-12-01.
  Document g = doc(DocumentKind::green_card, D(2020, 2, 29), std::nullopt);
  EXPECT_EQ(said(w.at(g, D(2024, 11, 30)), "n400-early"), "info waiting 2020-02-29");
  EXPECT_EQ(said(w.at(g, D(2024, 12, 1)), "n400-early"), "info open 2024-12-01");
}

// Green card since 2022-01-15: earliest filing 2026-10-17.
TEST(DocumentRules, N400EarliestFilingDate) {
  World w;
  Document d = doc(DocumentKind::green_card, D(2022, 1, 15), std::nullopt);
  EXPECT_EQ(said(w.at(d, D(2026, 10, 16)), "n400-early"), "info waiting 2022-01-15");
  EXPECT_NE(w.at(d, D(2026, 10, 16)).findings[0].title.find("2026-10-17"), std::string::npos);
  EXPECT_EQ(said(w.at(d, D(2026, 10, 17)), "n400-early"), "info open 2026-10-17");
  EXPECT_EQ(calendar(w.at(d, D(2026, 10, 1))), (std::set{D(2026, 10, 17)}));
  expect_wakes(w, d, D(2026, 9, 1), D(2026, 11, 1));
}

TEST(DocumentRules, N400FiledADayEarlyIsUrgent) {
  World early;
  early.add_case("N-400", D(2026, 10, 16));
  Document d = doc(DocumentKind::green_card, D(2022, 1, 15), std::nullopt);
  EXPECT_EQ(said(early.at(d, D(2026, 10, 20)), "n400-early"), "urgent filed-early 2026-10-16");
  EXPECT_NE(early.at(d, D(2026, 10, 20)).findings[0].title.find("keep the fee"), std::string::npos);
  World on_time;
  on_time.add_case("N-400", D(2026, 10, 17));
  EXPECT_EQ(said(on_time.at(d, D(2026, 10, 20)), "n400-early"), "none");
}

// Marriage track: since 2023-11-30, married 2023-10-01, spouse a citizen since 2015:
// 2026-10-01, not 2026-09-01.
TEST(DocumentRules, N400MarriageTrack) {
  World w;
  Case& n = w.add_case("N-400", D(2027, 1, 5));
  n.received.reset();
  n.sent = D(2027, 1, 5);
  n.marriage_track = true;
  n.married = D(2023, 10, 1);
  n.spouse_citizen_since = D(2015, 6, 1);
  Document d = doc(DocumentKind::green_card, D(2023, 11, 30), std::nullopt);
  EXPECT_EQ(said(w.at(d, D(2026, 9, 30)), "n400-early"), "info waiting 2023-11-30");
  EXPECT_EQ(said(w.at(d, D(2026, 10, 1)), "n400-early"), "info open 2026-10-01");
  // Married later: the marriage's third anniversary decides.
  w.cases[0].married = D(2024, 2, 29);
  EXPECT_EQ(said(w.at(d, D(2027, 2, 28)), "n400-early"), "info waiting 2023-11-30");
  EXPECT_EQ(said(w.at(d, D(2027, 3, 1)), "n400-early"), "info open 2027-03-01");
}

// Returned 2025-06-01 from 14 months abroad (5-year track): 2029-06-02.
TEST(DocumentRules, N400TripOfAYearOrMoreBreaksResidence) {
  World w;
  w.add_trip(D(2024, 4, 1), D(2025, 6, 1));
  Document d = doc(DocumentKind::green_card, D(2022, 1, 15), std::nullopt);
  EXPECT_EQ(said(w.at(d, D(2029, 6, 1)), "n400-early"), "action broken 2025-06-01");
  EXPECT_EQ(said(w.at(d, D(2029, 6, 2)), "n400-early"), "info open 2029-06-02");
}

TEST(DocumentRules, TripOfExactlyOneYearAndOfExactlySixMonths) {
  Document d = doc(DocumentKind::green_card, D(2022, 1, 15), std::nullopt);
  // Exactly 1 year: continuous residence broken; earliest 2024-01-10 + 4 years + 1 day.
  World year;
  year.add_trip(D(2023, 1, 10), D(2024, 1, 10));
  EXPECT_EQ(said(year.at(d, D(2028, 1, 10)), "n400-early"), "action broken 2024-01-10");
  EXPECT_EQ(said(year.at(d, D(2028, 1, 11)), "n400-early"), "info open 2028-01-11");
  // A day less than a year: a presumed break only; the date stays 2026-10-17.
  World less;
  less.add_trip(D(2023, 1, 10), D(2024, 1, 9));
  EXPECT_EQ(said(less.at(d, D(2026, 10, 17)), "n400-early"), "info open 2026-10-17");
  EXPECT_TRUE(finding(less.at(d, D(2026, 10, 17)), "n400-early", "presumed-break"));
  // Exactly 6 months is not "more than 6 months"; a day more is.
  World six;
  six.add_trip(D(2023, 1, 10), D(2023, 7, 10));
  EXPECT_FALSE(finding(six.at(d, D(2026, 1, 1)), "n400-early", "presumed-break"));
  World more;
  more.add_trip(D(2023, 1, 10), D(2023, 7, 11));
  auto f = finding(more.at(d, D(2026, 1, 1)), "n400-early", "presumed-break");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->since, D(2023, 7, 11));
  EXPECT_EQ(f->severity, Severity::info);
  EXPECT_NE(f->reason.find("316.5(c)(1)(i)"), std::string::npos);
}

TEST(DocumentRules, N400PhysicalPresenceCountsDaysNotInsideATrip) {
  Document d = doc(DocumentKind::green_card, D(2022, 1, 15), std::nullopt);
  World w;
  w.add_trip(D(2022, 2, 1), D(2023, 1, 31));
  w.add_trip(D(2023, 3, 1), D(2024, 2, 28));
  w.add_trip(D(2024, 4, 1), D(2025, 3, 30));
  auto f = finding(w.at(d, D(2026, 1, 1)), "n400-early", "presence");
  ASSERT_TRUE(f);
  // [2021-10-17, 2026-10-17) is 1826 days; abroad 363 + 363 + 362.
  EXPECT_NE(f->title.find("738 days of the 913"), std::string::npos) << f->title;
  World few;
  few.add_trip(D(2023, 3, 1), D(2023, 4, 1));
  EXPECT_FALSE(finding(few.at(d, D(2026, 1, 1)), "n400-early", "presence"));
}

// EAD c09 expiring 2026-05-20.
TEST(DocumentRules, EadRenewalWindowWithNoRenewal) {
  World w;
  Document d = doc(DocumentKind::ead, std::nullopt, D(2026, 5, 20), "C09");
  EXPECT_EQ(said(w.at(d, D(2025, 11, 20)), "ead-renewal"), "none");
  EXPECT_EQ(said(w.at(d, D(2025, 11, 21)), "ead-renewal"), "info open 2025-11-21");
  EXPECT_EQ(said(w.at(d, D(2026, 1, 19)), "ead-renewal"), "info open 2025-11-21");
  EXPECT_EQ(said(w.at(d, D(2026, 1, 20)), "ead-renewal"), "action due 2026-01-20");
  EXPECT_EQ(said(w.at(d, D(2026, 3, 20)), "ead-renewal"), "action due 2026-01-20");
  EXPECT_EQ(said(w.at(d, D(2026, 3, 21)), "ead-renewal"), "urgent closing 2026-03-21");
  EXPECT_EQ(said(w.at(d, D(2026, 5, 20)), "ead-renewal"), "urgent closing 2026-03-21");
  EXPECT_EQ(said(w.at(d, D(2026, 5, 21)), "ead-renewal"), "urgent lapsed 2026-05-21");
  EXPECT_EQ(calendar(w.at(d, D(2025, 11, 1))), (std::set{D(2025, 11, 21), D(2026, 5, 20)}));
  expect_wakes(w, d, D(2025, 11, 1), D(2026, 6, 1));
}

TEST(DocumentRules, EadRenewalAfterTheRuleOf2025ExtendsNothing) {
  World w;
  w.add_case("I-765", D(2026, 3, 2));
  Document d = doc(DocumentKind::ead, std::nullopt, D(2026, 5, 20), "C09");
  EXPECT_EQ(said(w.at(d, D(2026, 3, 1)), "ead-renewal"), "action due 2026-01-20");
  EXPECT_EQ(said(w.at(d, D(2026, 3, 2)), "ead-renewal"), "info pending 2026-03-02");
  EXPECT_EQ(said(w.at(d, D(2026, 4, 19)), "ead-renewal"), "info pending 2026-03-02");
  Evaluation ev = w.at(d, D(2026, 4, 20));
  EXPECT_EQ(said(ev, "ead-renewal"), "urgent closing 2026-04-20");
  EXPECT_NE(ev.findings[0].how.find("expedite"), std::string::npos);
  EXPECT_EQ(said(w.at(d, D(2026, 5, 20)), "ead-renewal"), "urgent closing 2026-04-20");
  EXPECT_EQ(said(w.at(d, D(2026, 5, 21)), "ead-renewal"), "urgent lapsed 2026-05-21");
  expect_wakes(w, d, D(2026, 2, 1), D(2026, 6, 1));
}

// EAD c09 expiring 2025-12-31, renewal received 2025-10-01: extended up to 2027-06-24.
TEST(DocumentRules, EadRenewalBeforeTheRuleOf2025Extends540Days) {
  World w;
  w.add_case("I-765", D(2025, 10, 1));
  Document d = doc(DocumentKind::ead, std::nullopt, D(2025, 12, 31), "C09");
  Evaluation ev = w.at(d, D(2027, 6, 24));
  EXPECT_EQ(said(ev, "ead-renewal"), "info extended 2025-10-01");
  EXPECT_EQ(ev.findings[0].until, D(2027, 6, 24));
  EXPECT_NE(ev.findings[0].reason.find("as USCIS announced; check uscis.gov"), std::string::npos);
  EXPECT_EQ(said(w.at(d, D(2027, 6, 25)), "ead-renewal"), "urgent lapsed 2027-06-25");
  // Received on 2025-10-30: no extension.
  World late;
  late.add_case("I-765", D(2025, 10, 30));
  EXPECT_EQ(said(late.at(d, D(2025, 11, 30)), "ead-renewal"), "info pending 2025-10-30");
  EXPECT_EQ(said(late.at(d, D(2026, 1, 1)), "ead-renewal"), "urgent lapsed 2026-01-01");
  // A category without the extension (c)(33), DACA: never extended, and it says so.
  Document daca = doc(DocumentKind::ead, std::nullopt, D(2025, 12, 31), "C33");
  Evaluation dev = w.at(daca, D(2025, 11, 1));
  EXPECT_EQ(said(dev, "ead-renewal"), "info pending 2025-10-01");
  EXPECT_NE(dev.findings[0].reason.find("never extended"), std::string::npos);
  // TPS: the Federal Register notice.
  Document tps = doc(DocumentKind::ead, std::nullopt, D(2025, 12, 31), "A12");
  EXPECT_NE(w.at(tps, D(2025, 11, 1)).findings[0].reason.find("Federal Register notice"),
            std::string::npos);
}

// DACA expiring 2027-06-30.
TEST(DocumentRules, DacaRenewal) {
  World w;
  Document d = doc(DocumentKind::daca, std::nullopt, D(2027, 6, 30));
  EXPECT_EQ(said(w.at(d, D(2027, 1, 30)), "daca-renewal"), "none");
  EXPECT_EQ(said(w.at(d, D(2027, 1, 31)), "daca-renewal"), "info open 2027-01-31");
  EXPECT_EQ(said(w.at(d, D(2027, 3, 1)), "daca-renewal"), "info open 2027-01-31");
  EXPECT_EQ(said(w.at(d, D(2027, 3, 2)), "daca-renewal"), "action due 2027-03-02");
  EXPECT_EQ(said(w.at(d, D(2027, 4, 30)), "daca-renewal"), "action due 2027-03-02");
  EXPECT_EQ(said(w.at(d, D(2027, 5, 1)), "daca-renewal"), "urgent closing 2027-05-01");
  EXPECT_EQ(said(w.at(d, D(2027, 7, 1)), "daca-renewal"), "urgent lapsed 2027-07-01");
  EXPECT_EQ(calendar(w.at(d, D(2027, 1, 1))),
            (std::set{D(2027, 1, 31), D(2027, 3, 2), D(2027, 6, 30)}));
  expect_wakes(w, d, D(2027, 1, 1), D(2027, 8, 1));
  w.add_case("I-821D", D(2027, 2, 10));
  EXPECT_EQ(said(w.at(d, D(2027, 5, 1)), "daca-renewal"), "info pending 2027-02-10");
  EXPECT_EQ(said(w.at(d, D(2027, 7, 1)), "daca-renewal"), "urgent lapsed 2027-07-01");
}

// Green card expiring 2027-04-30: I-90 from 2026-10-30; filed: evidence until 2030-04-30.
TEST(DocumentRules, GreenCardRenewal) {
  World w;
  Document d = doc(DocumentKind::green_card, std::nullopt, D(2027, 4, 30));
  EXPECT_EQ(said(w.at(d, D(2026, 10, 29)), "green-card-renewal"), "none");
  Evaluation ev = w.at(d, D(2026, 10, 30));
  EXPECT_EQ(said(ev, "green-card-renewal"), "info open 2026-10-30");
  EXPECT_NE(ev.findings[0].reason.find("does not end"), std::string::npos);
  EXPECT_EQ(said(w.at(d, D(2027, 5, 1)), "green-card-renewal"), "info expired 2027-05-01");
  EXPECT_EQ(calendar(w.at(d, D(2026, 10, 1))), (std::set{D(2026, 10, 30), D(2027, 4, 30)}));
  w.add_case("I-90", D(2026, 11, 2));
  Evaluation filed = w.at(d, D(2026, 11, 2));
  EXPECT_EQ(said(filed, "green-card-renewal"), "info extended 2026-11-02");
  EXPECT_EQ(filed.findings[0].until, D(2030, 4, 30));
  EXPECT_EQ(said(w.at(d, D(2030, 1, 29)), "green-card-renewal"), "info extended 2026-11-02");
  EXPECT_EQ(said(w.at(d, D(2030, 1, 30)), "green-card-renewal"), "action stamp 2030-01-30");
  // Six months before August 31 is February 28 or 29: the safe side is the day after.
  Document aug = doc(DocumentKind::green_card, std::nullopt, D(2027, 8, 31));
  EXPECT_EQ(said(World{}.at(aug, D(2027, 2, 28)), "green-card-renewal"), "none");
  EXPECT_EQ(said(World{}.at(aug, D(2027, 3, 1)), "green-card-renewal"), "info open 2027-03-01");
}

// The stamp appointment of a card extended by a pending renewal's receipt: the same words for
// an I-751 (48 months) and an I-90 (36 months), from one helper.
TEST(DocumentRules, StampAppointmentSaysTheSameForI751AndI90) {
  World cr;
  cr.add_case("I-751", D(2026, 12, 15));
  Document conditional = doc(DocumentKind::conditional_green_card, D(2025, 3, 10), std::nullopt);
  auto i751 = finding(cr.at(conditional, D(2030, 12, 10)), "i751-window", "stamp");
  World gc;
  gc.add_case("I-90", D(2026, 11, 2));
  Document green = doc(DocumentKind::green_card, std::nullopt, D(2027, 4, 30));
  auto i90 = finding(gc.at(green, D(2030, 1, 30)), "green-card-renewal", "stamp");
  ASSERT_TRUE(i751);
  ASSERT_TRUE(i90);
  EXPECT_EQ(i751->title, "Ask for an I-551 stamp: the I-751 receipt's extension ends 2031-03-10");
  EXPECT_EQ(i90->title, "Ask for an I-551 stamp: the I-90 receipt's extension ends 2030-04-30");
  EXPECT_EQ(i90->reason.substr(0, 60),
            "Your I-90 received on 2026-11-02 is still pending; the card ");
  EXPECT_NE(i90->reason.find("(36 months past the card's expiry"), std::string::npos);
  EXPECT_NE(i751->reason.find("(48 months past the card's expiry"), std::string::npos);
  EXPECT_NE(i90->reason.find("does not end"), std::string::npos);  // said of a 10-year card
  EXPECT_EQ(i751->how,
            "Call the USCIS Contact Center (800-375-5283) for an appointment at a field office "
            "for an I-551 stamp (ADIT) before 2031-03-10.");
  EXPECT_EQ(i90->how,
            "Call the USCIS Contact Center (800-375-5283) for an appointment at a field office "
            "for an I-551 stamp (ADIT) before 2030-04-30.");
}

// Advance parole valid until 2027-07-31.
TEST(DocumentRules, AdvanceParole) {
  World w;
  Document d = doc(DocumentKind::advance_parole, std::nullopt, D(2027, 7, 31));
  EXPECT_EQ(said(w.at(d, D(2027, 5, 31)), "advance-parole"), "none");
  EXPECT_EQ(said(w.at(d, D(2027, 6, 1)), "advance-parole"), "info expiring 2027-06-01");
  EXPECT_EQ(said(w.at(d, D(2027, 6, 30)), "advance-parole"), "info expiring 2027-06-01");
  EXPECT_EQ(said(w.at(d, D(2027, 7, 1)), "advance-parole"), "action due 2027-07-01");
  EXPECT_EQ(said(w.at(d, D(2027, 7, 23)), "advance-parole"), "action due 2027-07-01");
  EXPECT_EQ(said(w.at(d, D(2027, 7, 24)), "advance-parole"), "urgent closing 2027-07-24");
  EXPECT_EQ(said(w.at(d, D(2027, 8, 1)), "advance-parole"), "none");
  EXPECT_EQ(calendar(w.at(d, D(2027, 6, 1))), (std::set{D(2027, 7, 1), D(2027, 7, 31)}));
  w.add_trip(D(2027, 7, 10), std::nullopt);
  EXPECT_EQ(said(w.at(d, D(2027, 8, 1)), "advance-parole"), "urgent expired-abroad 2027-08-01");
  expect_wakes(w, d, D(2027, 5, 1), D(2027, 9, 1));
}

// --- Case rules that see what the holder holds (ap-travel, ead-gap) ---

// Case 1 of `w` evaluated on `as_of`, seeing `docs` and the world's trips.
Evaluation case_at(const World& w, std::span<const Document> docs, Date as_of) {
  static const ProcessingTimeTable k_table(builtin_processing_times());
  static const BulletinTable k_bulletin;
  static const HolidayCalendar k_holidays;
  return evaluate(w.cases[0], w.events[0], k_table, k_bulletin, as_of, k_holidays,
                  Holdings{docs, w.trips});
}

// An I-131 for advance parole received 2026-09-01 and approved 2026-12-15: a trip that leaves
// on 2026-12-14 leaves while it is pending (urgent, its dates in the words); one that leaves
// on the day of the approval does not.
TEST(HolderRules, ApTravelForATripThatLeavesWhileTheI131IsPending) {
  World w;
  Case& c = w.add_case("I-131", D(2026, 9, 1));
  c.category = "141B-OTH";
  w.add_event(1, EventKind::approved, D(2026, 12, 15));
  w.add_trip(D(2026, 12, 14), D(2026, 12, 28));
  auto before = case_at(w, {}, D(2026, 12, 10));
  auto trip = finding(before, "ap-travel", "trip-2026-12-14");
  ASSERT_TRUE(trip);
  EXPECT_EQ(trip->severity, Severity::urgent);
  EXPECT_EQ(trip->since, D(2026, 9, 1));
  EXPECT_NE(trip->title.find("2026-12-14"), std::string::npos) << trip->title;
  EXPECT_NE(trip->reason.find("back 2026-12-28"), std::string::npos) << trip->reason;
  EXPECT_FALSE(finding(before, "ap-travel", "open"));  // the trip's finding says it all
  // The day it leaves and the day after: still said, in the past tense.
  auto gone = finding(case_at(w, {}, D(2026, 12, 14)), "ap-travel", "trip-2026-12-14");
  ASSERT_TRUE(gone);
  EXPECT_NE(gone->title.find("You left on 2026-12-14"), std::string::npos) << gone->title;
  // Approved: nothing more.
  EXPECT_FALSE(finding(case_at(w, {}, D(2026, 12, 15)), "ap-travel", "trip-2026-12-14"));

  // Leaves on the day of the approval: only the standing warning before it.
  w.trips = {Trip{1, "Ana", D(2026, 12, 15), D(2026, 12, 28)}};
  auto on_day = case_at(w, {}, D(2026, 12, 10));
  EXPECT_FALSE(finding(on_day, "ap-travel", "trip-2026-12-15"));
  EXPECT_TRUE(finding(on_day, "ap-travel", "open"));
  // Another holder's trip, or one before the receipt: not this I-131's.
  w.trips = {Trip{1, "Bo", D(2026, 12, 1), std::nullopt},
             Trip{2, "Ana", D(2026, 8, 1), D(2026, 8, 20)}};
  auto others = case_at(w, {}, D(2026, 12, 10));
  EXPECT_FALSE(finding(others, "ap-travel", "trip-2026-12-01"));
  EXPECT_FALSE(finding(others, "ap-travel", "trip-2026-08-01"));
  EXPECT_TRUE(finding(others, "ap-travel", "open"));
  // The finding does not depend on the day it is looked at, only on the events: a trip
  // planned while nothing is decided is urgent from the first day.
  w.events[0].clear();
  w.trips = {Trip{1, "Ana", D(2027, 1, 3), std::nullopt}};
  for (Date x = D(2026, 12, 1); x <= D(2027, 1, 10); x = add_days(x, 1)) {
    ASSERT_TRUE(finding(case_at(w, {}, x), "ap-travel", "trip-2027-01-03")) << format_date(x);
  }
}

// ead-gap asks for the card held as an ead document only while none is recorded; once it is,
// it says the card's expiry and points to ead-renewal.
TEST(HolderRules, EadGapDoesNotAskForACardAlreadyRecorded) {
  World w;
  Case& c = w.add_case("I-765", D(2025, 11, 15));
  c.category = "147-C9";
  auto none = finding(case_at(w, {}, D(2026, 12, 7)), "ead-gap", "open");
  ASSERT_TRUE(none);
  EXPECT_NE(none->how.find("doc add ead"), std::string::npos) << none->how;

  std::vector<Document> held = {doc(DocumentKind::ead, D(2025, 1, 10), D(2027, 1, 10), "C09")};
  auto with = finding(case_at(w, held, D(2026, 12, 7)), "ead-gap", "open");
  ASSERT_TRUE(with);
  EXPECT_EQ(with->how.find("doc add"), std::string::npos) << with->how;
  EXPECT_NE(with->how.find("expires 2027-01-10"), std::string::npos) << with->how;
  EXPECT_NE(with->how.find("ead-renewal"), std::string::npos) << with->how;
  EXPECT_NE(with->how.find("doc show d2"), std::string::npos) << with->how;
  // A green card of the holder is not the work permit.
  held = {doc(DocumentKind::green_card, D(2025, 1, 10), D(2035, 1, 10))};
  auto other = finding(case_at(w, held, D(2026, 12, 7)), "ead-gap", "open");
  ASSERT_TRUE(other);
  EXPECT_NE(other->how.find("doc add ead"), std::string::npos) << other->how;
  // A card recorded without its expiry: asks for the expiry only.
  held = {doc(DocumentKind::ead, std::nullopt, std::nullopt, "C09")};
  auto undated = finding(case_at(w, held, D(2026, 12, 7)), "ead-gap", "open");
  ASSERT_TRUE(undated);
  EXPECT_NE(undated->how.find("doc edit d2 --expires"), std::string::npos) << undated->how;
}

// One parser of kinds serves events and documents: a kind read without case and with '_'
// as '-', one alias, and a message naming the value and every kind.
TEST(ParseKind, OneParserForEveryTableOfKinds) {
  struct Row {
    int kind;
    std::string_view name;
  };
  constexpr std::array<Row, 2> k_rows = {{{1, "green-card"}, {2, "i94"}}};
  EXPECT_EQ(*parse_kind("Green_Card", k_rows, "a document kind", "i-94", "i94"), 1);
  EXPECT_EQ(*parse_kind("I-94", k_rows, "a document kind", "i-94", "i94"), 2);
  auto bad = parse_kind("passport", k_rows, "a document kind", "i-94", "i94");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), "'passport' is not a document kind; use one of: green-card, i94");
  EXPECT_EQ(parse_document_kind("I_94").value(), DocumentKind::i94);
  EXPECT_EQ(parse_event_kind("eRequest").value(), EventKind::e_request);
  EXPECT_NE(parse_event_kind("call-back").error().find("is not an event kind; use one of: "),
            std::string::npos);
}

TEST(DocumentRules, RuleIdsAreOfTheOneList) {
  auto ids = document_rule_ids();
  ASSERT_EQ(ids.size(), 6U);
  EXPECT_EQ(ids.front(), "i751-window");
  EXPECT_EQ(ids.back(), "advance-parole");
}

// --- Validation ---

CaseCheck today() {
  return CaseCheck{D(2026, 11, 28)};
}

TEST(DocumentValidate, EadCategoryAsPrintedIsOneKey) {
  for (std::string typed : {"(c)(9)", "c09", "C09", "c9", "C-9", "(c)9"}) {
    DocumentText t{"ead", std::nullopt, "2026-05-20", typed, "Ana", std::nullopt};
    auto d = check_document(Document{}, t, today());
    ASSERT_TRUE(d) << typed << ": " << d.error();
    EXPECT_EQ(d->value.category, "C09") << typed;
  }
  DocumentText sub{"ead", std::nullopt, "2026-05-20", "(c)(3)(B)", "Ana", std::nullopt};
  EXPECT_EQ(check_document(Document{}, sub, today())->value.category, "C03B");
  DocumentText bad{"ead", std::nullopt, "2026-05-20", "c99", "Ana", std::nullopt};
  auto e = check_document(Document{}, bad, today());
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().find("--category: 'c99' is not an EAD category"), std::string::npos)
      << e.error();
  EXPECT_NE(e.error().find("did you mean C09 (c)(9)"), std::string::npos) << e.error();
}

TEST(DocumentValidate, DatesOfADocument) {
  DocumentText before{"ead", "2025-06-01", "2025-05-31", std::nullopt, "Ana", std::nullopt};
  auto e = check_document(Document{}, before, today());
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error(),
            "--expires: 2025-05-31 is before --since 2025-06-01; a document expires after it is "
            "issued");
  DocumentText cond{
      "conditional-green-card", "2025-03-10", "2027-03-11", std::nullopt, "Ana", std::nullopt};
  auto c = check_document(Document{}, cond, today());
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().find("--expires: 2027-03-11 is more than 2 years after --since "
                           "2025-03-10"),
            std::string::npos);
  cond.expires = "2027-03-10";
  EXPECT_TRUE(check_document(Document{}, cond, today()));
  DocumentText cat{"green-card", "2022-01-15", std::nullopt, "c09", "Ana", std::nullopt};
  EXPECT_FALSE(check_document(Document{}, cat, today()));
  DocumentText future{"green-card", "2026-12-01", std::nullopt, std::nullopt, "Ana", std::nullopt};
  EXPECT_FALSE(check_document(Document{}, future, today()));
  DocumentText kind{"passport", "2020-01-01", std::nullopt, std::nullopt, "Ana", std::nullopt};
  auto k = check_document(Document{}, kind, today());
  ASSERT_FALSE(k);
  EXPECT_NE(k.error().find("'passport' is not a document kind"), std::string::npos);
}

TEST(DocumentValidate, Trips) {
  std::vector<Trip> stored = {Trip{1, "Ana", D(2024, 4, 1), D(2025, 6, 1)},
                              Trip{2, "Ben", D(2025, 1, 1), std::nullopt}};
  auto back = check_trip(TripText{"Ana", "2025-08-01", "2025-07-01"}, stored, D(2026, 11, 28));
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error(),
            "--returned: 2025-07-01 is before --left 2025-08-01; a trip returns after it leaves");
  auto overlap = check_trip(TripText{"Ana", "2025-05-01", "2025-07-01"}, stored, D(2026, 11, 28));
  ASSERT_FALSE(overlap);
  EXPECT_NE(overlap.error().find("overlaps trip 1 of Ana (2024-04-01 to 2025-06-01)"),
            std::string::npos)
      << overlap.error();
  // Leaving the day one came back is no overlap; Ben's trip is not Ana's.
  auto next = check_trip(TripText{"Ana", "2025-06-01", "2025-07-01"}, stored, D(2026, 11, 28));
  ASSERT_TRUE(next) << next.error();
  EXPECT_EQ(next->returned, D(2025, 7, 1));
  // Still abroad: it overlaps every later trip.
  auto abroad = check_trip(TripText{"Ana", "2026-01-01", std::nullopt}, stored, D(2026, 11, 28));
  ASSERT_TRUE(abroad);
  std::vector<Trip> with = stored;
  with.push_back(*abroad);
  with.back().id = 3;
  EXPECT_FALSE(check_trip(TripText{"Ana", "2026-05-01", "2026-05-10"}, with, D(2026, 11, 28)));
}

TEST(DocumentValidate, MarriageTrackOnlyOnAnN400) {
  CaseText t;
  t.receipt = "IOE0912345678";
  t.form = "I-485";
  t.received = "2026-01-05";
  t.marriage_track = "yes";
  auto e = check_case(Case{}, t, today());
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().find("--marriage-track: only an N-400"), std::string::npos);
  t.form = "N-400";
  t.married = "2023-10-01";
  t.holder = "Ana";
  auto ok = check_case(Case{}, t, today());
  ASSERT_TRUE(ok) << ok.error();
  EXPECT_EQ(ok->value.holder, "Ana");
  EXPECT_EQ(ok->value.married, D(2023, 10, 1));
}

}  // namespace
}  // namespace casewatch
