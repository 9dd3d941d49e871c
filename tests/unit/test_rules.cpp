// SPDX-License-Identifier: MIT
// The rules of docs/rules.md on real-looking timelines, at the day before, the day of and the day
// after each threshold. Dates are those of its worked examples.
#include "casewatch/domain/rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "casewatch/domain/catalog.hpp"
#include "timeline.hpp"

namespace casewatch {
namespace {

using unit::builtin;
using unit::D;
using unit::Timeline;

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

// Copies, so that a test may call them on a temporary Evaluation.
std::optional<Finding> find(const Evaluation& ev, std::string_view rule) {
  auto it = std::find_if(ev.findings.begin(), ev.findings.end(),
                         [&](const Finding& f) { return f.rule == rule; });
  return it == ev.findings.end() ? std::nullopt : std::optional<Finding>(*it);
}

std::optional<NextStep> find_next(const Evaluation& ev, std::string_view rule) {
  auto it = std::find_if(ev.next.begin(), ev.next.end(),
                         [&](const NextStep& n) { return n.rule == rule; });
  return it == ev.next.end() ? std::nullopt : std::optional<NextStep>(*it);
}

// ---- inquiry -----------------------------------------------------------------------------

TEST(Inquiry, I485FamilyAtQueensFromThePostedTime) {
  // 25.5 months from 2023-08-31: 2025-09-30 (clamped) + 15 days = 2025-10-15.
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2023, 8, 31));
  auto before = t.at(D(2025, 10, 14));
  EXPECT_FALSE(find(before, "inquiry"));
  ASSERT_TRUE(find_next(before, "inquiry"));
  EXPECT_EQ(find_next(before, "inquiry")->on, D(2025, 10, 15));
  EXPECT_FALSE(before.days_overdue());

  auto on = t.at(D(2025, 10, 15));
  auto f = find(on, "inquiry");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::action);
  EXPECT_EQ(f->since, D(2025, 10, 15));
  EXPECT_EQ(on.days_overdue(), 0);
  EXPECT_NE(f->reason.find("25.5 months"), std::string::npos);
  EXPECT_NE(f->reason.find("2025-10-15"), std::string::npos);
  EXPECT_EQ(f->source, "https://egov.uscis.gov/processing-times/more-info");

  EXPECT_EQ(t.at(D(2025, 10, 16)).days_overdue(), 1);
}

TEST(Inquiry, ReceivedBeforeThePublishedInquiryDate) {
  // USCIS's inquiry date for the row is 2022-09-18: a case received 2022-09-15 was eligible
  // on the publication date 2024-10-18, earlier than received + 25.5 months (2024-10-30).
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2022, 9, 15));
  EXPECT_EQ(t.at(D(2024, 10, 17)).inquiry_date, D(2024, 10, 18));
  EXPECT_FALSE(find(t.at(D(2024, 10, 17)), "inquiry"));
  ASSERT_TRUE(find(t.at(D(2024, 10, 18)), "inquiry"));
  // Received on the published date: not before it, so received + time.
  auto later = make_case("I-485", "131A-FAM", "QNS", D(2022, 9, 18));
  EXPECT_EQ(later.at(D(2024, 10, 18)).inquiry_date, D(2024, 11, 2));
}

TEST(Inquiry, I765AtNebraska) {
  auto t = make_case("I-765", "147-C9", std::nullopt, D(2024, 1, 16), "LIN2490012345");
  auto ev = t.at(D(2024, 7, 1));
  EXPECT_EQ(ev.office.office, "NSC");
  EXPECT_EQ(ev.inquiry_date, D(2024, 7, 1));
  EXPECT_TRUE(find(ev, "inquiry"));
  EXPECT_FALSE(find(t.at(D(2024, 6, 30)), "inquiry"));
}

TEST(Inquiry, FormWithoutAPostedTimeWaitsSixMonths) {
  auto t = make_case("I-192", std::nullopt, std::nullopt, D(2025, 8, 31));
  EXPECT_EQ(t.at(D(2026, 2, 27)).inquiry_date, D(2026, 2, 28));
  EXPECT_FALSE(find(t.at(D(2026, 2, 27)), "inquiry"));
  auto f = find(t.at(D(2026, 2, 28)), "inquiry");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->source, "https://www.dhs.gov/cis-ombudsman-web-alerts");
}

TEST(Inquiry, DecidedOrClosedCasesAreNotOverdue) {
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2022, 1, 3));
  t.add(EventKind::approved, D(2025, 1, 2));
  EXPECT_TRUE(find(t.at(D(2025, 1, 1)), "inquiry"));
  auto ev = t.at(D(2025, 1, 2));
  EXPECT_EQ(ev.status, Status::approved);
  EXPECT_TRUE(ev.findings.empty());
  EXPECT_TRUE(ev.next.empty());
  auto closed = make_case("I-485", "131A-FAM", "QNS", D(2022, 1, 3));
  closed.c.status = Status::closed;
  EXPECT_TRUE(closed.at(D(2025, 1, 2)).findings.empty());
}

// ---- the ladder after an e-Request -------------------------------------------------------

Timeline outside_with_e_request() {
  // Outside processing time since 2024-02-18 (received 2022-01-03 + 25.5 months, earlier than
  // the publication date); e-Request on Friday 2025-01-10.
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2022, 1, 3));
  t.add(EventKind::e_request, D(2025, 1, 10));
  t.events.back().ref = "SRMT123456";
  return t;
}

TEST(Ladder, InquiryWaitsForTheReplyClock) {
  auto t = outside_with_e_request();
  auto waiting = find(t.at(D(2025, 2, 3)), "inquiry");
  ASSERT_TRUE(waiting);
  EXPECT_EQ(waiting->severity, Severity::info);
  EXPECT_EQ(waiting->stage, "waiting");
  EXPECT_NE(waiting->title.find("2025-02-03"), std::string::npos);
  // Then the inquiry is done: info, "contacted", never "you may file an e-Request" again.
  auto open = find(t.at(D(2025, 2, 4)), "inquiry");
  ASSERT_TRUE(open);
  EXPECT_EQ(open->severity, Severity::info);
  EXPECT_EQ(open->stage, "contacted");
  // A reply ends the wait at once.
  t.add(EventKind::reply, D(2025, 1, 20));
  EXPECT_EQ(find(t.at(D(2025, 1, 21)), "inquiry")->stage, "contacted");
}

TEST(Ladder, FollowupAfterFifteenBusinessDays) {
  auto t = outside_with_e_request();
  EXPECT_FALSE(find(t.at(D(2025, 2, 3)), "inquiry-followup"));
  EXPECT_EQ(find_next(t.at(D(2025, 2, 3)), "inquiry-followup")->on, D(2025, 2, 4));
  auto f = find(t.at(D(2025, 2, 4)), "inquiry-followup");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->since, D(2025, 2, 4));
  EXPECT_EQ(f->severity, Severity::action);
  t.add(EventKind::reply, D(2025, 2, 10));
  EXPECT_FALSE(find(t.at(D(2025, 2, 10)), "inquiry-followup"));
}

TEST(Ladder, CongressThirtyDaysAfterAnUnansweredContact) {
  auto t = outside_with_e_request();
  EXPECT_FALSE(find(t.at(D(2025, 2, 8)), "congress"));
  EXPECT_EQ(find_next(t.at(D(2025, 2, 8)), "congress")->on, D(2025, 2, 9));
  auto f = find(t.at(D(2025, 2, 9)), "congress");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->since, D(2025, 2, 9));
  EXPECT_NE(f->reason.find("convention, not a rule"), std::string::npos);
  // After a congressional inquiry, it comes back 60 days later.
  t.add(EventKind::congress, D(2025, 2, 12));
  EXPECT_FALSE(find(t.at(D(2025, 4, 12)), "congress"));
  auto again = find(t.at(D(2025, 4, 13)), "congress");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->since, D(2025, 4, 13));
}

// The congressional step cites the Privacy Act, the reason the office asks for a release
// (docs/rules.md `congress`): an official source, not a practitioner's page.
TEST(Ladder, CongressCitesThePrivacyAct) {
  auto f = find(outside_with_e_request().at(D(2025, 2, 9)), "congress");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->source, "https://www.law.cornell.edu/uscode/text/5/552a#b");
  EXPECT_NE(f->how.find("5 U.S.C. 552a(b)"), std::string::npos) << f->how;
}

TEST(Ladder, OmbudsmanBetweenSixtyAndNinetyDays) {
  auto t = outside_with_e_request();
  EXPECT_FALSE(find(t.at(D(2025, 3, 10)), "ombudsman"));
  EXPECT_EQ(find_next(t.at(D(2025, 3, 10)), "ombudsman")->on, D(2025, 3, 11));
  for (Date d : {D(2025, 3, 11), D(2025, 4, 2), D(2025, 4, 3), D(2025, 4, 10)}) {
    auto f = find(t.at(d), "ombudsman");
    ASSERT_TRUE(f) << format_date(d);
    // Urgent from its last day (2025-04-10) - 7.
    EXPECT_EQ(f->severity, d < D(2025, 4, 3) ? Severity::action : Severity::urgent);
    EXPECT_EQ(f->until, D(2025, 4, 10));
    EXPECT_EQ(f->since, D(2025, 3, 11));
    EXPECT_NE(f->how.find("dhs.gov/cisombudsman"), std::string::npos);
  }
  auto stale = find(t.at(D(2025, 4, 11)), "ombudsman");
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->severity, Severity::info);
  EXPECT_EQ(stale->stage, "contact-too-old");
  EXPECT_EQ(stale->since, D(2025, 4, 11));
  // Once filed, no more ombudsman findings.
  t.add(EventKind::ombudsman, D(2025, 3, 20));
  EXPECT_FALSE(find(t.at(D(2025, 3, 21)), "ombudsman"));
}

TEST(Ladder, MandamusNeedsTimeAContactAndAnEscalation) {
  auto t = outside_with_e_request();  // inquiry date 2024-02-18
  EXPECT_EQ(t.at(D(2025, 1, 1)).inquiry_date, D(2024, 2, 18));
  t.add(EventKind::congress, D(2025, 2, 12));
  EXPECT_FALSE(find(t.at(D(2025, 2, 17)), "mandamus"));
  EXPECT_EQ(find_next(t.at(D(2025, 2, 17)), "mandamus")->on, D(2025, 2, 18));
  auto f = find(t.at(D(2025, 2, 18)), "mandamus");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::info);  // never action
  EXPECT_NE(f->how.find("28 U.S.C. 1361"), std::string::npos);
  // Without an escalation, only a next step with its condition.
  auto bare = outside_with_e_request();
  auto ev = bare.at(D(2026, 1, 1));
  EXPECT_FALSE(find(ev, "mandamus"));
  ASSERT_TRUE(find_next(ev, "mandamus"));
  EXPECT_EQ(find_next(ev, "mandamus")->condition,
            "after an escalation (Ombudsman or Congress) is logged");
}

TEST(Ladder, EventsAfterAsOfDoNotCount) {
  auto t = outside_with_e_request();
  auto ev = t.at(D(2025, 1, 9));  // the day before the e-Request
  EXPECT_EQ(find(ev, "inquiry")->severity, Severity::action);
  EXPECT_FALSE(find(ev, "inquiry-followup"));
}

TEST(Ladder, ManyContactsUseTheLastOne) {
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2022, 1, 3));
  for (int i = 0; i < 100; ++i) {
    t.add(EventKind::call, D(2024, 11, 1) + date::days{i});
  }
  auto ev = t.at(D(2025, 2, 8));  // last call 2025-02-08
  EXPECT_EQ(find(ev, "inquiry")->stage, "waiting");
  EXPECT_FALSE(find(ev, "congress"));
  EXPECT_EQ(find_next(ev, "congress")->on, D(2025, 3, 10));
}

// ---- other clocks ------------------------------------------------------------------------

TEST(N400, Section1447bFromDay121) {
  auto t = make_case("N-400", "160A", "QNS", D(2024, 6, 3));
  t.add(EventKind::interview, D(2025, 3, 3));
  EXPECT_FALSE(find(t.at(D(2025, 7, 1)), "n400-1447b"));
  EXPECT_EQ(find_next(t.at(D(2025, 7, 1)), "n400-1447b")->on, D(2025, 7, 2));
  auto f = find(t.at(D(2025, 7, 2)), "n400-1447b");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->since, D(2025, 7, 2));
  EXPECT_NE(f->how.find("Consult an immigration attorney"), std::string::npos);
  t.add(EventKind::approved, D(2025, 7, 10));
  EXPECT_FALSE(find(t.at(D(2025, 7, 10)), "n400-1447b"));
}

TEST(Lockbox, ThirtyBusinessDaysAfterSending) {
  Timeline t;
  t.c.id = 7;
  t.c.form = "I-130";
  t.c.sent = D(2026, 3, 2);
  EXPECT_FALSE(find(t.at(D(2026, 4, 13)), "lockbox"));
  EXPECT_EQ(find_next(t.at(D(2026, 4, 13)), "lockbox")->on, D(2026, 4, 14));
  auto f = find(t.at(D(2026, 4, 14)), "lockbox");
  ASSERT_TRUE(f);
  EXPECT_FALSE(f->receipt);
  EXPECT_EQ(f->case_id, 7);
  EXPECT_NE(f->how.find("lockboxsupport@uscis.dhs.gov"), std::string::npos);
  EXPECT_NE(f->how.find("Never include the A-number"), std::string::npos);
}

TEST(Premium, FifteenAndFortyFiveBusinessDays) {
  auto h1b = make_case("I-129", "137-H1B2", "CSC", D(2025, 6, 27), "WAC2590012345");
  h1b.c.premium_start = D(2025, 6, 27);
  EXPECT_FALSE(find(h1b.at(D(2025, 7, 21)), "premium"));
  ASSERT_TRUE(find(h1b.at(D(2025, 7, 22)), "premium"));
  EXPECT_EQ(find(h1b.at(D(2025, 7, 22)), "premium")->since, D(2025, 7, 22));

  auto niw = make_case("I-140", "136A-NIW", "NSC", D(2025, 6, 27), "LIN2590012345");
  niw.c.premium_start = D(2025, 6, 27);
  EXPECT_FALSE(find(niw.at(D(2025, 9, 2)), "premium"));
  ASSERT_TRUE(find(niw.at(D(2025, 9, 3)), "premium"));
}

TEST(Premium, AnRfeStopsTheClockAndTheResponseRestartsIt) {
  auto t = make_case("I-129", "137-H1B2", "CSC", D(2025, 6, 27), "WAC2590012345");
  t.c.premium_start = D(2025, 6, 27);
  t.add(EventKind::rfe, D(2025, 7, 15));
  EXPECT_FALSE(find(t.at(D(2025, 8, 1)), "premium"));
  t.add(EventKind::response, D(2025, 8, 4));
  // A new full 15 bd clock from 2025-08-04 runs to 2025-08-25.
  EXPECT_FALSE(find(t.at(D(2025, 8, 25)), "premium"));
  ASSERT_TRUE(find(t.at(D(2025, 8, 26)), "premium"));
}

TEST(Premium, AResponseOnTheDayOfTheRfeRestartsTheClockOnce) {
  // Found by fuzzing: a response dated the day of its RFE made the same RFE stop the new
  // clock again, and evaluate never returned.
  auto t = make_case("I-129", "137-H1B2", "CSC", D(2025, 6, 27), "WAC2590012345");
  t.c.premium_start = D(2025, 6, 27);
  t.add(EventKind::rfe, D(2025, 7, 15));
  t.add(EventKind::response, D(2025, 7, 15));
  // A new full 15 bd clock from 2025-07-15 runs to 2025-08-05.
  EXPECT_FALSE(find(t.at(D(2025, 8, 5)), "premium"));
  ASSERT_TRUE(find(t.at(D(2025, 8, 6)), "premium"));
}

TEST(Premium, OptClockStartsAfterBiometrics) {
  auto t = make_case("I-765", "147-C3", "NSC", D(2025, 6, 2), "LIN2590012345");
  t.c.premium_start = D(2025, 6, 2);
  t.add(EventKind::biometrics, D(2025, 6, 27));
  // 30 bd from 2025-06-27: Independence Day skipped, to 2025-08-11.
  EXPECT_FALSE(find(t.at(D(2025, 8, 11)), "premium"));
  ASSERT_TRUE(find(t.at(D(2025, 8, 12)), "premium"));
}

TEST(ResponseDue, RfeStagesWithoutADueDate) {
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2024, 6, 3));
  t.add(EventKind::rfe, D(2025, 2, 3));
  EXPECT_FALSE(find(t.at(D(2025, 2, 2)), "rfe-due"));
  EXPECT_EQ(find_next(t.at(D(2025, 3, 28)), "rfe-due")->on, D(2025, 4, 14));
  struct Row {
    Date as_of;
    Severity severity;
    const char* stage;
    Date since;
  };
  for (const Row& row : {Row{D(2025, 2, 3), Severity::info, "open", D(2025, 2, 3)},
                         Row{D(2025, 4, 13), Severity::info, "open", D(2025, 2, 3)},
                         Row{D(2025, 4, 14), Severity::action, "soon", D(2025, 4, 14)},
                         Row{D(2025, 4, 20), Severity::action, "soon", D(2025, 4, 14)},
                         Row{D(2025, 4, 21), Severity::urgent, "urgent", D(2025, 4, 21)},
                         Row{D(2025, 4, 27), Severity::urgent, "urgent", D(2025, 4, 21)},
                         Row{D(2025, 4, 28), Severity::urgent, "today", D(2025, 4, 28)},
                         Row{D(2025, 4, 29), Severity::urgent, "passed", D(2025, 4, 29)}}) {
    auto f = find(t.at(row.as_of), "rfe-due");
    ASSERT_TRUE(f) << format_date(row.as_of);
    EXPECT_EQ(f->severity, row.severity) << format_date(row.as_of);
    EXPECT_EQ(f->stage, row.stage) << format_date(row.as_of);
    EXPECT_EQ(f->since, row.since) << format_date(row.as_of);
    EXPECT_EQ(f->due, D(2025, 4, 28));
  }
  EXPECT_NE(find(t.at(D(2025, 4, 28)), "rfe-due")->title.find("due today"), std::string::npos);
  t.add(EventKind::response, D(2025, 4, 22));
  EXPECT_FALSE(find(t.at(D(2025, 4, 22)), "rfe-due"));
}

TEST(ResponseDue, TheNoticeDateWinsAndI539AndNoidAreShorter) {
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2024, 6, 3));
  t.add(EventKind::rfe, D(2025, 2, 3), D(2025, 5, 1));
  EXPECT_EQ(find(t.at(D(2025, 4, 30)), "rfe-due")->due, D(2025, 5, 1));
  auto i539 = make_case("I-539", std::nullopt, "NSC", D(2024, 6, 3), "LIN2490012345");
  i539.add(EventKind::rfe, D(2025, 2, 3));
  EXPECT_EQ(find(i539.at(D(2025, 2, 3)), "rfe-due")->due, D(2025, 3, 5));
  auto noid = make_case("I-485", "131A-FAM", "QNS", D(2024, 6, 3));
  noid.add(EventKind::noid, D(2025, 2, 3));
  auto f = find(noid.at(D(2025, 2, 3)), "noid-due");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->due, D(2025, 3, 5));
  EXPECT_EQ(f->severity, Severity::info);
}

TEST(AppealWindow, ThirtyDaysIncludedThenGone) {
  auto t = make_case("I-765", "147-C9", "NSC", D(2024, 6, 3), "LIN2490012345");
  t.add(EventKind::denied, D(2025, 5, 20));
  auto f = find(t.at(D(2025, 6, 19)), "appeal-window");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::urgent);
  EXPECT_EQ(f->due, D(2025, 6, 19));
  EXPECT_NE(f->how.find("I-290B"), std::string::npos);
  EXPECT_FALSE(find(t.at(D(2025, 6, 20)), "appeal-window"));
  EXPECT_FALSE(find(t.at(D(2025, 5, 20)), "inquiry"));  // decided: no ladder

  auto n400 = make_case("N-400", "160A", "QNS", D(2024, 6, 3));
  n400.add(EventKind::denied, D(2025, 5, 20));
  EXPECT_NE(find(n400.at(D(2025, 5, 21)), "appeal-window")->how.find("N-336"), std::string::npos);
  auto i130 = make_case("I-130", "134A-IR", std::nullopt, D(2024, 6, 3), "EAC2490012345");
  i130.add(EventKind::denied, D(2025, 5, 20));
  EXPECT_NE(find(i130.at(D(2025, 5, 21)), "appeal-window")->how.find("EOIR-29"), std::string::npos);
}

TEST(NonDelivery, ThirtyDaysAfterMailingEvenWhenApproved) {
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2022, 1, 3));
  t.add(EventKind::approved, D(2025, 3, 3)).add(EventKind::card_mailed, D(2025, 3, 5));
  EXPECT_FALSE(find(t.at(D(2025, 4, 3)), "non-delivery"));
  auto f = find(t.at(D(2025, 4, 4)), "non-delivery");
  ASSERT_TRUE(f);
  EXPECT_NE(f->title.find("card"), std::string::npos);
  t.add(EventKind::delivered, D(2025, 4, 10));
  EXPECT_FALSE(find(t.at(D(2025, 4, 10)), "non-delivery"));
}

// ---- table-driven info findings ----------------------------------------------------------

TEST(OfficeNeeded, FieldOfficeFormsWithoutAnOffice) {
  auto ioe = make_case("I-485", "131A-FAM", std::nullopt, D(2023, 8, 31));
  auto ev = ioe.at(D(2026, 1, 1));
  EXPECT_EQ(ev.choice.outcome, ChoiceOutcome::office_needed);
  EXPECT_FALSE(ev.inquiry_date);
  ASSERT_TRUE(find(ev, "office-needed"));
  EXPECT_FALSE(find(ev, "inquiry"));
  EXPECT_EQ(find(ev, "office-needed")->severity, Severity::info);
  // NBC on an I-485 means the field office decides.
  auto nbc = make_case("I-485", "131A-FAM", std::nullopt, D(2023, 8, 31), "MSC2390012345");
  EXPECT_TRUE(nbc.at(D(2026, 1, 1)).office.nbc_field_office_form);
  EXPECT_TRUE(find(nbc.at(D(2026, 1, 1)), "office-needed"));
  // A transfer names the office.
  nbc.add(EventKind::transfer, D(2024, 2, 1));
  nbc.events.back().office = "QNS";
  EXPECT_EQ(nbc.at(D(2026, 1, 1)).inquiry_date, D(2025, 10, 15));
}

TEST(CategoryNeeded, SlowestCategoryIsAssumedAndSaid) {
  auto t = make_case("I-130", std::nullopt, std::nullopt, D(2024, 2, 5), "EAC2490012345");
  auto ev = t.at(D(2026, 1, 1));
  ASSERT_NE(ev.choice.row, nullptr);
  EXPECT_EQ(ev.choice.row->office, "SCD");
  EXPECT_EQ(ev.choice.row->category, "134B-F41");  // 157.5 months, the slowest
  auto f = find(ev, "category-needed");
  ASSERT_TRUE(f);
  EXPECT_NE(f->reason.find("134A-IR 23 months"), std::string::npos);
  t.c.category = "134A-IR";
  EXPECT_FALSE(find(t.at(D(2026, 1, 1)), "category-needed"));
  EXPECT_EQ(t.at(D(2026, 1, 1)).choice.row->category, "134A-IR");
}

// times-stale is one notice per report, not a finding per case (docs/rules.md `times-stale`).
TEST(TimesStale, OneNoticePerReportCountingCasesOnStaleRows) {
  auto qns = make_case("I-485", "131A-FAM", "QNS", D(2024, 6, 3));
  auto nsc = make_case("I-765", "147-C9", std::nullopt, D(2024, 2, 1), "LIN2490012345");
  auto decided = make_case("I-485", "131A-FAM", "QNS", D(2022, 1, 3));
  decided.add(EventKind::approved, D(2024, 11, 1));
  auto i192 = make_case("I-192", std::nullopt, std::nullopt, D(2025, 8, 31));  // no row
  // 60 days after publication: not stale yet.
  StaleNotice fresh;
  fresh.add(qns.at(D(2024, 12, 17)));
  EXPECT_FALSE(fresh.notice(D(2024, 12, 17)));
  EXPECT_FALSE(find(qns.at(D(2024, 12, 18)), "times-stale"));
  // 61 days: stale; pending cases on a row count, decided ones and row-less ones do not.
  StaleNotice stale;
  for (const Timeline* t : {&qns, &nsc, &decided, &i192}) {
    stale.add(t->at(D(2024, 12, 18)));
  }
  auto n = stale.notice(D(2024, 12, 18));
  ASSERT_TRUE(n);
  EXPECT_EQ(n->kind, "times-stale");
  EXPECT_EQ(n->published, D(2024, 10, 18));
  EXPECT_EQ(n->days_old, 61);
  EXPECT_EQ(n->cases, 2U);
  EXPECT_EQ(notice_text(*n),
            "The processing times used by 2 cases were published on 2024-10-18, 61 days ago; "
            "USCIS updates them around the 15th of each month. Refresh them: casewatch times "
            "import FILE, or casewatch times set FORM --category KEY --office CODE --months N "
            "--published DATE (the figures of https://egov.uscis.gov/processing-times/).");
  // The oldest publication date wins when rows of several dates are in play.
  std::vector<ProcessingTime> rows = builtin_processing_times();
  rows.push_back(ProcessingTime{
      "I-485", "131A-FAM", "QNS", {42, TimeUnit::months}, D(2026, 9, 14), std::nullopt, "set"});
  ProcessingTimeTable table(std::move(rows));
  StaleNotice mixed;
  mixed.add(qns.at(D(2026, 11, 28), table));  // 2026-09-14: 75 days old
  mixed.add(nsc.at(D(2026, 11, 28), table));  // 2024-10-18: 771 days old
  ASSERT_TRUE(mixed.notice(D(2026, 11, 28)));
  EXPECT_EQ(mixed.notice(D(2026, 11, 28))->published, D(2024, 10, 18));
  EXPECT_EQ(mixed.notice(D(2026, 11, 28))->days_old, 771);
  EXPECT_EQ(mixed.notice(D(2026, 11, 28))->cases, 2U);
}

TEST(Rules, EveryRuleIdIsKnown) {
  auto ids = rule_ids();
  EXPECT_EQ(ids.size(), 41U);
  // A busy timeline: every finding uses an id of rule_ids().
  auto t = outside_with_e_request();
  t.add(EventKind::rfe, D(2025, 2, 3)).add(EventKind::card_mailed, D(2025, 1, 2));
  for (const Finding& f : t.at(D(2025, 4, 1)).findings) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), f.rule), ids.end()) << f.rule;
    EXPECT_FALSE(f.title.empty());
    EXPECT_FALSE(f.reason.empty());
    EXPECT_FALSE(f.how.empty());
    EXPECT_TRUE(f.source.starts_with("https://")) << f.rule;
  }
}

}  // namespace
}  // namespace casewatch

namespace casewatch {
namespace {

// Each threshold of docs/rules.md's worked examples: false the day before, true with `since` on
// the day, still true the day after.
TEST(Thresholds, DayBeforeDayOfDayAfter) {
  struct Row {
    const char* rule;
    Timeline timeline;
    Date on;
  };
  auto e_request = outside_with_e_request();
  auto i192 = make_case("I-192", std::nullopt, std::nullopt, D(2025, 8, 31));
  auto n400 = make_case("N-400", "160A", "QNS", D(2024, 6, 3));
  n400.add(EventKind::interview, D(2025, 3, 3));
  Timeline lockbox;
  lockbox.c.id = 2;
  lockbox.c.form = "I-130";
  lockbox.c.sent = D(2026, 3, 2);
  auto premium = make_case("I-129", "137-H1B2", "CSC", D(2025, 6, 27), "WAC2590012345");
  premium.c.premium_start = D(2025, 6, 27);
  auto mailed = make_case("I-485", "131A-FAM", "QNS", D(2022, 1, 3));
  mailed.add(EventKind::approved, D(2025, 3, 3)).add(EventKind::card_mailed, D(2025, 3, 5));
  auto mandamus = outside_with_e_request();
  mandamus.add(EventKind::congress, D(2025, 2, 12));

  for (const Row& row : {
           Row{"inquiry", make_case("I-485", "131A-FAM", "QNS", D(2023, 8, 31)), D(2025, 10, 15)},
           Row{"inquiry", i192, D(2026, 2, 28)},
           Row{"inquiry-followup", e_request, D(2025, 2, 4)},
           Row{"congress", e_request, D(2025, 2, 9)},
           Row{"ombudsman", e_request, D(2025, 3, 11)},
           Row{"mandamus", mandamus, D(2025, 2, 18)},
           Row{"n400-1447b", n400, D(2025, 7, 2)},
           Row{"lockbox", lockbox, D(2026, 4, 14)},
           Row{"premium", premium, D(2025, 7, 22)},
           Row{"non-delivery", mailed, D(2025, 4, 4)},
       }) {
    SCOPED_TRACE(std::string(row.rule) + " on " + format_date(row.on));
    EXPECT_FALSE(find(row.timeline.at(row.on - date::days{1}), row.rule));
    auto of = find(row.timeline.at(row.on), row.rule);
    ASSERT_TRUE(of);
    EXPECT_EQ(of->since, row.on);
    auto after = find(row.timeline.at(row.on + date::days{1}), row.rule);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->since, row.on);
  }
}

TEST(Inquiry, FreshPublishedInquiryDateFromTheUsersOwnRow) {
  // A row the user copied from the USCIS page in November 2026.
  std::vector<ProcessingTime> rows = builtin_processing_times();
  rows.push_back(ProcessingTime{
      "I-485", "131A-FAM", "QNS", {42, TimeUnit::months}, D(2026, 11, 14), D(2024, 2, 10), "set"});
  ProcessingTimeTable table(std::move(rows));
  // Received before USCIS's date: the earlier of received + 21 months and the publication.
  auto before = make_case("I-485", "131A-FAM", "QNS", D(2024, 1, 15));
  auto ev = before.at(D(2026, 11, 27), table);
  EXPECT_EQ(ev.choice.row->source, "set");
  EXPECT_EQ(ev.inquiry_date, D(2025, 10, 15));
  StaleNotice young;
  young.add(ev);
  EXPECT_FALSE(young.notice(D(2026, 11, 27)));  // 13 days old
  // Received after it: received + 21 months, not yet reached.
  auto after = make_case("I-485", "131A-FAM", "QNS", D(2025, 3, 1));
  auto later = after.at(D(2026, 11, 27), table);
  EXPECT_EQ(later.inquiry_date, D(2026, 12, 1));
  EXPECT_FALSE(find(later, "inquiry"));
  // Sixty-one days after publication the row is stale.
  StaleNotice on_day_60;
  on_day_60.add(before.at(D(2027, 1, 13), table));
  EXPECT_FALSE(on_day_60.notice(D(2027, 1, 13)));
  StaleNotice on_day_61;
  on_day_61.add(before.at(D(2027, 1, 14), table));
  ASSERT_TRUE(on_day_61.notice(D(2027, 1, 14)));
  EXPECT_EQ(on_day_61.notice(D(2027, 1, 14))->days_old, 61);
}

}  // namespace
}  // namespace casewatch

namespace casewatch {
namespace {

TEST(Detail, DatesAndInquiryAgreeWithFull) {
  auto t = outside_with_e_request();
  t.add(EventKind::rfe, D(2025, 2, 3));
  Date as_of = D(2025, 4, 1);
  auto full = evaluate(t.c, t.events, builtin(), as_of, Detail::full);
  auto dates = evaluate(t.c, t.events, builtin(), as_of, Detail::dates);
  auto inquiry = evaluate(t.c, t.events, builtin(), as_of, Detail::inquiry);
  ASSERT_EQ(full.findings.size(), dates.findings.size());
  for (std::size_t i = 0; i < full.findings.size(); ++i) {
    EXPECT_EQ(key_of(full.findings[i]), key_of(dates.findings[i]));
    EXPECT_FALSE(full.findings[i].title.empty());
    EXPECT_TRUE(dates.findings[i].title.empty());
  }
  EXPECT_EQ(full.next.size(), dates.next.size());
  EXPECT_EQ(inquiry.inquiry_date, full.inquiry_date);
  EXPECT_EQ(inquiry.days_overdue(), full.days_overdue());
  EXPECT_TRUE(inquiry.findings.empty());
}

}  // namespace
}  // namespace casewatch

// ---- The rules as revised on 2026-11-28 (docs/rules.md) ------------------------------------

namespace casewatch {
namespace {

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// I-765 147-C9 at NSC (5.5 months), received 2024-02-01: outside processing time since
// 2024-07-16.
Timeline outside_since_2024_07_16() {
  return make_case("I-765", "147-C9", std::nullopt, D(2024, 2, 1), "LIN2490012345");
}

TEST(Paused, AnOpenRfePausesTheLadderUntilTheResponse) {
  auto t = outside_since_2024_07_16();
  EXPECT_EQ(t.at(D(2025, 2, 2)).inquiry_date, D(2024, 7, 16));
  t.add(EventKind::rfe, D(2025, 2, 3));
  auto before = t.at(D(2025, 2, 2));  // the RFE does not exist yet
  EXPECT_EQ(find(before, "inquiry")->severity, Severity::action);

  for (Date as_of : {D(2025, 2, 3), D(2025, 3, 9)}) {
    SCOPED_TRACE(format_date(as_of));
    auto ev = t.at(as_of);
    auto inquiry = find(ev, "inquiry");
    ASSERT_TRUE(inquiry);
    EXPECT_EQ(inquiry->severity, Severity::info);
    EXPECT_EQ(inquiry->stage, "paused");
    EXPECT_EQ(inquiry->since, D(2025, 2, 3));
    EXPECT_TRUE(contains(inquiry->title,
                         "paused: USCIS is waiting for your response to the RFE "
                         "of 2025-02-03, due 2025-04-28"))
        << inquiry->title;
    for (std::string_view rule : {"ombudsman", "congress", "mandamus"}) {
      EXPECT_FALSE(find(ev, rule)) << rule;
      auto step = find_next(ev, rule);
      EXPECT_TRUE(!step || !step->on) << rule;
    }
  }
  // The response resumes the ladder on its own date.
  t.add(EventKind::response, D(2025, 3, 10));
  EXPECT_EQ(find(t.at(D(2025, 3, 9)), "inquiry")->stage, "paused");
  auto resumed = find(t.at(D(2025, 3, 10)), "inquiry");
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->severity, Severity::action);
  EXPECT_EQ(resumed->since, D(2025, 3, 10));
}

TEST(Paused, TheLadderCountsAgainFromTheResponse) {
  auto t = outside_since_2024_07_16();
  t.add(EventKind::e_request, D(2025, 1, 6));
  EXPECT_TRUE(find(t.at(D(2025, 2, 5)), "congress"));  // 2025-01-06 + 30 days
  t.add(EventKind::rfe, D(2025, 2, 6)).add(EventKind::response, D(2025, 2, 20));
  EXPECT_FALSE(find(t.at(D(2025, 2, 19)), "congress"));
  auto congress = find(t.at(D(2025, 2, 20)), "congress");
  ASSERT_TRUE(congress);
  EXPECT_EQ(congress->since, D(2025, 2, 20));
  // The Ombudsman window of the contact (2025-03-07 to 2025-04-06) is not moved.
  EXPECT_EQ(find_next(t.at(D(2025, 2, 20)), "ombudsman")->on, D(2025, 3, 7));
}

TEST(Paused, PremiumRequestedDuringAnRfeStartsAtTheResponse) {
  auto t = make_case("I-129", "137-H1B2", "CSC", D(2025, 5, 1), "WAC2590012345");
  t.add(EventKind::rfe, D(2025, 6, 2));
  t.c.premium_start = D(2025, 6, 27);
  EXPECT_FALSE(find(t.at(D(2025, 8, 1)), "premium"));
  EXPECT_FALSE(find_next(t.at(D(2025, 8, 1)), "premium"));
  t.add(EventKind::response, D(2025, 8, 4));
  // 15 business days from the response, 2025-08-04, run to 2025-08-25.
  EXPECT_EQ(find_next(t.at(D(2025, 8, 4)), "premium")->on, D(2025, 8, 26));
  EXPECT_EQ(find_next(t.at(D(2025, 8, 4)), "premium")->anchor, t.events.back().id);
  EXPECT_FALSE(find(t.at(D(2025, 8, 25)), "premium"));
  EXPECT_EQ(find(t.at(D(2025, 8, 26)), "premium")->since, D(2025, 8, 26));
}

TEST(Reply, AGenericReplyEndsOnlyTheFollowUpClock) {
  // Worked example: e-Request 2025-01-10 answered by a generic reply on 2025-01-24.
  auto t = outside_with_e_request();
  t.add(EventKind::reply, D(2025, 1, 24));
  for (Date as_of : {D(2025, 2, 4), D(2025, 3, 1)}) {
    EXPECT_FALSE(find(t.at(as_of), "inquiry-followup")) << format_date(as_of);
    EXPECT_FALSE(find_next(t.at(as_of), "inquiry-followup")) << format_date(as_of);
  }
  EXPECT_FALSE(find(t.at(D(2025, 2, 8)), "congress"));
  auto congress = find(t.at(D(2025, 2, 9)), "congress");
  ASSERT_TRUE(congress);
  EXPECT_EQ(congress->since, D(2025, 2, 9));
  EXPECT_TRUE(contains(congress->reason, "answered or not"));
  EXPECT_FALSE(find(t.at(D(2025, 3, 10)), "ombudsman"));
  EXPECT_EQ(find(t.at(D(2025, 3, 11)), "ombudsman")->since, D(2025, 3, 11));
}

TEST(NextSteps, StepsThatWaitOnTheUserHaveNoDate) {
  // Outside processing time and nothing logged: the Ombudsman, Congress and mandamus wait
  // on an e-Request the user has not filed.
  auto t = outside_since_2024_07_16();
  auto ev = t.at(D(2025, 1, 6));
  for (std::string_view rule : {"ombudsman", "congress", "mandamus"}) {
    auto step = find_next(ev, rule);
    ASSERT_TRUE(step) << rule;
    EXPECT_FALSE(step->on) << rule;
    ASSERT_TRUE(step->condition) << rule;
  }
  EXPECT_EQ(find_next(ev, "congress")->condition,
            "30 days after an e-Request or call (answered or not), if the case is still pending");
  // Nothing dated: earliest_next() is the first undated step, in ladder order.
  ASSERT_NE(ev.earliest_next(), nullptr);
  EXPECT_EQ(ev.earliest_next()->rule, "ombudsman");
  // A card mailed gives a dated step, which comes first; undated ones follow, by rule.
  auto card = make_case("I-765", "147-C9", std::nullopt, D(2024, 2, 1), "LIN2490012345");
  card.add(EventKind::card_mailed, D(2025, 1, 2));
  auto with_card = card.at(D(2025, 1, 6));
  ASSERT_FALSE(with_card.next.empty());
  EXPECT_EQ(with_card.earliest_next()->rule, "non-delivery");
  EXPECT_EQ(with_card.earliest_next()->on, D(2025, 2, 1));
  bool undated_seen = false;
  for (const NextStep& n : with_card.next) {
    if (!n.on) {
      undated_seen = true;
    } else {
      EXPECT_FALSE(undated_seen) << "a dated step after an undated one: " << n.rule;
    }
  }
  EXPECT_TRUE(undated_seen);
}

TEST(NextSteps, NoDateMovesForwardWithAsOf) {
  // The same facts on three days give the same dated steps (those still ahead).
  auto t = outside_with_e_request();
  t.add(EventKind::card_mailed, D(2025, 1, 13));
  auto day1 = t.at(D(2025, 1, 14));
  auto day2 = t.at(D(2025, 1, 20));
  auto day3 = t.at(D(2025, 1, 30));
  for (const NextStep& n : day1.next) {
    if (!n.on) {
      continue;
    }
    for (const Evaluation* later : {&day2, &day3}) {
      // The same step: the same rule and stage (a clock gives each stage a step).
      auto same = std::find_if(later->next.begin(), later->next.end(), [&](const NextStep& x) {
        return x.rule == n.rule && x.stage == n.stage;
      });
      if (same != later->next.end() && same->on) {
        EXPECT_EQ(same->on, n.on) << n.rule;
      }
    }
  }
  EXPECT_EQ(find_next(day1, "congress")->on, D(2025, 2, 9));
  EXPECT_EQ(find_next(day3, "congress")->on, D(2025, 2, 9));
}

TEST(AppealWindow, TheRemedyByForm) {
  EXPECT_EQ(remedy_for("N-400", std::nullopt), Remedy::n336);
  EXPECT_EQ(remedy_for("I-130", "134A-IR"), Remedy::eoir29);
  for (std::string_view form : {"I-129", "I-129F", "I-140", "I-360", "I-526", "I-526E", "I-600",
                                "I-600A", "I-800", "I-800A", "I-601", "I-212", "I-612", "I-821",
                                "I-914", "I-918", "N-565", "N-600", "N-600K"}) {
    EXPECT_EQ(remedy_for(form, std::nullopt), Remedy::aao_appeal) << form;
  }
  EXPECT_EQ(remedy_for("I-131", "141A-RT"), Remedy::aao_appeal);
  EXPECT_EQ(remedy_for("I-131", "141B-OTH"), Remedy::motion_only);
  EXPECT_EQ(remedy_for("I-131", std::nullopt), Remedy::motion_only);
  EXPECT_EQ(remedy_for("I-730", std::nullopt), Remedy::motion_only);
  EXPECT_EQ(remedy_for("I-821D", "149-CAT"), Remedy::none);
  EXPECT_EQ(remedy_for("I-601A", std::nullopt), Remedy::none);
  for (std::string_view form : {"I-485", "I-765", "I-539", "I-751", "I-90"}) {
    EXPECT_EQ(remedy_for(form, std::nullopt), Remedy::motion_only) << form;
  }
}

TEST(AppealWindow, I485DeniedHasNoAppealOnlyAMotion) {
  // Worked example: I-485 denied 2025-05-20.
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2023, 8, 31));
  t.add(EventKind::denied, D(2025, 5, 20));
  auto f = find(t.at(D(2025, 5, 20)), "appeal-window");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::urgent);
  EXPECT_EQ(f->due, D(2025, 6, 19));
  EXPECT_TRUE(contains(f->title,
                       "no appeal; a motion (Form I-290B) "
                       "is due by 2025-06-19"))
      << f->title;
  EXPECT_TRUE(contains(f->reason,
                       "No appeal lies from this decision; a motion to reopen or "
                       "reconsider on Form I-290B is due within 30 days (33 if "
                       "mailed)"))
      << f->reason;
  EXPECT_TRUE(contains(f->reason, "245.2(a)(5)(ii)"));
  EXPECT_TRUE(f->reason.starts_with("The denial notice states which remedy applies"));
  EXPECT_EQ(t.at(D(2025, 5, 20)).deadlines.front().title, "Motion due (Form I-290B)");
}

TEST(AppealWindow, EachFormGetsItsOwnRemedy) {
  Date denied = D(2025, 5, 20);
  auto at = [&](std::string form, std::optional<std::string> category, std::string receipt) {
    auto t = make_case(std::move(form), std::move(category), std::nullopt, D(2024, 6, 3),
                       std::move(receipt));
    t.add(EventKind::denied, denied);
    return t.at(D(2025, 5, 21));
  };
  auto n400 = at("N-400", "160A", "IOE0912345678");
  EXPECT_TRUE(contains(find(n400, "appeal-window")->how, "Form N-336"));
  EXPECT_EQ(find(n400, "appeal-window")->source,
            "https://www.ecfr.gov/current/title-8/section-336.2");

  auto i130 = at("I-130", "134A-IR", "EAC2490012345");
  auto eoir = find(i130, "appeal-window");
  EXPECT_EQ(eoir->due, D(2025, 6, 19));  // never + 33
  EXPECT_TRUE(contains(eoir->how, "Form EOIR-29"));
  EXPECT_TRUE(contains(eoir->reason, "received within 30 days even when the decision was mailed"));
  EXPECT_FALSE(contains(eoir->reason, "33"));

  auto i140 = at("I-140", "136A-NIW", "LIN2490012345");
  EXPECT_TRUE(contains(find(i140, "appeal-window")->reason, "appeal or a motion on Form I-290B"));
  auto i129 = at("I-129", "137-H1B2", "WAC2490012345");
  EXPECT_TRUE(contains(find(i129, "appeal-window")->reason, "214.1(c)(5)"));

  auto daca = at("I-821D", "149-CAT", "IOE0912345678");
  auto none = find(daca, "appeal-window");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->severity, Severity::info);
  EXPECT_FALSE(none->due);
  EXPECT_TRUE(daca.deadlines.empty());
  EXPECT_TRUE(contains(none->title, "neither an appeal nor a motion"));
  EXPECT_TRUE(contains(find(at("I-601A", "144AC", "IOE0912345678"), "appeal-window")->how,
                       "may be filed again"));

  for (auto [form, category] : {std::pair<std::string, std::string>{"I-730", "145"},
                                {"I-131", "141B-OTH"},
                                {"I-765", "147-C9"}}) {
    auto motion = find(at(form, category, "IOE0912345678"), "appeal-window");
    ASSERT_TRUE(motion) << form;
    EXPECT_TRUE(contains(motion->title, "no appeal; a motion")) << form;
    EXPECT_EQ(motion->due, D(2025, 6, 19)) << form;
  }
  EXPECT_TRUE(contains(find(at("I-131", "141A-RT", "IOE0912345678"), "appeal-window")->reason,
                       "appeal or a motion on Form I-290B"));
}

TEST(PostedTime, EveryReasonNamesThePublicationAndItsAge) {
  // N-400 at QNS, 9 months, received 2024-01-02: outside since 2024-10-02.
  auto t = make_case("N-400", "160A", "QNS", D(2024, 1, 2));
  auto f = find(t.at(D(2026, 11, 28)), "inquiry");
  ASSERT_TRUE(f);
  EXPECT_TRUE(contains(f->reason,
                       "USCIS posted 9 months for N-400 at QNS on 2024-10-18, 771 "
                       "days ago"))
      << f->reason;
  auto category = make_case("I-130", std::nullopt, std::nullopt, D(2024, 2, 5), "EAC2490012345");
  EXPECT_TRUE(contains(find(category.at(D(2026, 1, 1)), "category-needed")->reason,
                       "on 2024-10-18, 440 days ago"));
}

TEST(RowNote, StepTwoBKeepsTheUsersCategory) {
  // Worked example: I-765 147-C3 with --office NSC, received 2025-01-02: YSC's row.
  auto t = make_case("I-765", "147-C3", "NSC", D(2025, 1, 2), "LIN2590012345");
  auto ev = t.at(D(2025, 6, 2));
  ASSERT_NE(ev.choice.row, nullptr);
  EXPECT_EQ(ev.choice.row->office, "YSC");
  EXPECT_EQ(ev.choice.row->category, "147-C3");
  EXPECT_EQ(ev.inquiry_date, D(2025, 6, 2));
  EXPECT_FALSE(find(t.at(D(2025, 6, 1)), "inquiry"));
  auto f = find(ev, "inquiry");
  ASSERT_TRUE(f);
  ASSERT_TRUE(ev.row_note);
  EXPECT_EQ(*ev.row_note,
            "USCIS posts no I-765 147-C3 time at NSC, a service center; used 147-C3 at YSC, the "
            "slowest office that posts 147-C3: the category says more about the case than the "
            "office.");
  EXPECT_TRUE(contains(f->reason, *ev.row_note));
  EXPECT_TRUE(contains(f->reason, "USCIS posted 5 months for I-765 at YSC"));
}

TEST(RowNote, AnotherOfficeOrCategoryIsAlwaysSaid) {
  // A field office that posts no I-765 time: the service centers' rows, said.
  auto qns = make_case("I-765", "147-C9", "QNS", D(2024, 2, 1));
  auto ev = qns.at(D(2025, 6, 1));
  ASSERT_NE(ev.choice.row, nullptr);
  ASSERT_TRUE(ev.row_note);
  EXPECT_TRUE(
      ev.row_note->starts_with("USCIS posts no I-765 147-C9 time at QNS, a field office; "
                               "used 147-C9 at "))
      << *ev.row_note;
  for (const Finding& f : ev.findings) {
    if (f.rule == "inquiry") {
      EXPECT_TRUE(contains(f.reason, *ev.row_note));
    }
  }
  // A service center without its own row: SCD, the service centers' figure.
  ProcessingTimeTable table({ProcessingTime{
      "I-765", "147-C8", "SCD", {8, TimeUnit::months}, D(2024, 10, 18), std::nullopt, "built-in"}});
  auto esc = make_case("I-765", "147-C8", std::nullopt, D(2024, 2, 1), "EAC2490012345");
  auto e = esc.at(D(2024, 7, 1), table);
  ASSERT_TRUE(e.row_note);
  EXPECT_EQ(*e.row_note,
            "USCIS posts no I-765 147-C8 time at ESC, a service center; used 147-C8 at SCD, the "
            "service centers' figure.");
  // The case's own row: no note.
  EXPECT_FALSE(make_case("I-485", "131A-FAM", "QNS", D(2023, 8, 31)).at(D(2026, 1, 1)).row_note);
}

TEST(NonDelivery, EachMailingIsItsOwnFinding) {
  // Worked example: card-mailed 2025-01-01, then notice-mailed 2025-03-01, nothing delivered.
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2022, 1, 3));
  t.add(EventKind::approved, D(2024, 12, 20))
      .add(EventKind::card_mailed, D(2025, 1, 1))
      .add(EventKind::notice_mailed, D(2025, 3, 1));
  auto count = [](const Evaluation& ev) {
    return std::count_if(ev.findings.begin(), ev.findings.end(),
                         [](const Finding& f) { return f.rule == "non-delivery"; });
  };
  EXPECT_EQ(count(t.at(D(2025, 1, 30))), 0);
  EXPECT_EQ(count(t.at(D(2025, 1, 31))), 1);
  EXPECT_EQ(count(t.at(D(2025, 3, 30))), 1);  // the notice does not hide the card
  EXPECT_EQ(find(t.at(D(2025, 3, 30)), "non-delivery")->since, D(2025, 1, 31));
  auto both = t.at(D(2025, 3, 31));
  ASSERT_EQ(count(both), 2);
  std::set<FindingKey> keys;
  for (const Finding& f : both.findings) {
    if (f.rule == "non-delivery") {
      keys.insert(key_of(f));
    }
  }
  EXPECT_EQ(keys.size(), 2U);
  // A delivery with a ref ends the mailing with that ref only.
  auto refs = t;
  refs.events[1].ref = "9400111899223344556677";
  refs.add(EventKind::delivered, D(2025, 4, 2));
  refs.events.back().ref = "9400111899223344556677";
  auto after_ref = refs.at(D(2025, 4, 2));
  ASSERT_EQ(count(after_ref), 1);
  EXPECT_TRUE(contains(find(after_ref, "non-delivery")->title, "notice"));
  // Without a ref it ends every mailing dated on or before it.
  auto plain = t;
  plain.add(EventKind::delivered, D(2025, 2, 10));
  EXPECT_EQ(count(plain.at(D(2025, 4, 2))), 1);
  EXPECT_TRUE(contains(find(plain.at(D(2025, 4, 2)), "non-delivery")->title, "notice"));
  plain.add(EventKind::delivered, D(2025, 4, 5));
  EXPECT_EQ(count(plain.at(D(2025, 4, 5))), 0);
}

TEST(Since, NeverBeforeItsEvent) {
  // Worked example: RFE dated 2025-03-01 with --due 2025-03-20.
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2024, 6, 3));
  t.add(EventKind::rfe, D(2025, 3, 1), D(2025, 3, 20));
  auto info = find(t.at(D(2025, 3, 1)), "rfe-due");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->severity, Severity::info);
  EXPECT_EQ(info->since, D(2025, 3, 1));  // not 2025-02-18
  EXPECT_EQ(find(t.at(D(2025, 3, 5)), "rfe-due")->severity, Severity::info);
  EXPECT_EQ(find(t.at(D(2025, 3, 6)), "rfe-due")->severity, Severity::action);
  EXPECT_EQ(find(t.at(D(2025, 3, 6)), "rfe-due")->since, D(2025, 3, 6));
  EXPECT_EQ(find(t.at(D(2025, 3, 13)), "rfe-due")->severity, Severity::urgent);
  EXPECT_EQ(find(t.at(D(2025, 3, 13)), "rfe-due")->since, D(2025, 3, 13));
  EXPECT_TRUE(contains(find(t.at(D(2025, 3, 20)), "rfe-due")->title, "due today"));

  // The Ombudsman's "contact again" stage: from max(contact + 91 days, inquiry date).
  auto early = make_case("I-485", "131A-FAM", "QNS", D(2023, 8, 31));  // inquiry 2025-10-15
  early.add(EventKind::call, D(2025, 6, 2));
  auto again = find(early.at(D(2025, 10, 15)), "ombudsman");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->stage, "contact-too-old");
  EXPECT_EQ(again->since, D(2025, 10, 15));  // not 2025-09-01
  // Its next step waits on a new contact: no date.
  EXPECT_FALSE(find_next(early.at(D(2025, 10, 1)), "ombudsman")->on);
}

TEST(ResponseDue, WithoutADueDateTheDateIsAssumed) {
  EXPECT_EQ(default_response_due("I-485", EventKind::rfe, D(2025, 2, 3)), D(2025, 4, 28));
  EXPECT_EQ(default_response_due("I-539", EventKind::rfe, D(2025, 2, 3)), D(2025, 3, 5));
  EXPECT_EQ(default_response_due("N-400", EventKind::rfe, D(2025, 2, 3)), D(2025, 3, 5));
  EXPECT_EQ(default_response_due("I-485", EventKind::noid, D(2025, 2, 3)), D(2025, 3, 5));
  EXPECT_EQ(default_response_days("I-765", EventKind::rfe), 84);
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2024, 6, 3));
  t.add(EventKind::rfe, D(2025, 2, 3));
  auto f = find(t.at(D(2025, 3, 29)), "rfe-due");
  ASSERT_TRUE(f);
  EXPECT_TRUE(contains(f->reason, "so 2025-04-28 is assumed"));
  EXPECT_TRUE(contains(f->reason,
                       "the regulation's maximum (12 weeks), not the date on the "
                       "notice"));
  auto n400 = make_case("N-400", "160A", "QNS", D(2024, 6, 3));
  n400.add(EventKind::rfe, D(2025, 2, 3));
  auto n14 = find(n400.at(D(2025, 2, 3)), "rfe-due");
  ASSERT_TRUE(n14);
  EXPECT_EQ(n14->due, D(2025, 3, 5));
  EXPECT_TRUE(contains(n14->reason, "8 CFR 335.7"));
  // With the date on the notice, nothing is assumed.
  auto given = make_case("I-485", "131A-FAM", "QNS", D(2024, 6, 3));
  given.add(EventKind::rfe, D(2025, 2, 3), D(2025, 5, 1));
  EXPECT_FALSE(contains(find(given.at(D(2025, 4, 1)), "rfe-due")->reason, "assumed"));
}

TEST(Words, CommandsAreShellSafeAndConventionsSaySo) {
  Timeline t;
  t.c.id = 42;
  t.c.form = "I-130";
  t.c.sent = D(2026, 3, 2);
  auto lockbox = find(t.at(D(2026, 4, 14)), "lockbox");
  ASSERT_TRUE(lockbox);
  EXPECT_TRUE(contains(lockbox->how, "casewatch edit '#42' --receipt"));

  auto e_request = outside_with_e_request();
  e_request.add(EventKind::congress, D(2025, 2, 12));
  auto mandamus = find(e_request.at(D(2025, 2, 18)), "mandamus");
  ASSERT_TRUE(mandamus);
  EXPECT_TRUE(contains(mandamus->reason, "convention, not law"));
  EXPECT_TRUE(contains(mandamus->reason, "two years or more reasonable under the TRAC factors"));
  EXPECT_TRUE(contains(find(outside_with_e_request().at(D(2025, 2, 9)), "congress")->reason,
                       "a practitioners' convention, not a rule"));
  for (const Finding& f : e_request.at(D(2025, 2, 18)).findings) {
    EXPECT_FALSE(contains(f.source, "cornell") || contains(f.source, "govregs")) << f.source;
  }
  // After a contact the inquiry points to the other findings and steps.
  auto answered = make_case("I-485", "131A-FAM", "QNS", D(2023, 8, 31));  // inquiry 2025-10-15
  answered.add(EventKind::e_request, D(2025, 10, 20)).add(EventKind::reply, D(2025, 10, 22));
  auto later = answered.at(D(2025, 11, 20));  // congress is true
  EXPECT_TRUE(find(later, "congress"));
  EXPECT_TRUE(contains(find(later, "inquiry")->how, "the other findings and next steps"));
}

TEST(Anchors, DatesCarryTheEventTheyRestOn) {
  auto t = outside_with_e_request();             // e-Request is event 1
  t.add(EventKind::rfe, D(2025, 2, 3));          // event 2
  t.add(EventKind::card_mailed, D(2025, 2, 5));  // event 3
  auto ev = t.at(D(2025, 2, 6));
  ASSERT_FALSE(ev.deadlines.empty());
  EXPECT_EQ(ev.deadlines.front().rule, "rfe-due");
  EXPECT_EQ(ev.deadlines.front().anchor, 2);
  EXPECT_EQ(find_next(ev, "rfe-due")->anchor, 2);
  EXPECT_EQ(find_next(ev, "non-delivery")->anchor, 3);
  auto before = outside_with_e_request().at(D(2025, 1, 20));
  EXPECT_EQ(find_next(before, "inquiry-followup")->anchor, 1);
  EXPECT_EQ(find_next(before, "congress")->anchor, 1);
  auto fresh = make_case("I-485", "131A-FAM", "QNS", D(2023, 8, 31));
  EXPECT_EQ(find_next(fresh.at(D(2025, 1, 1)), "inquiry")->anchor, 0);
  auto denied = make_case("I-485", "131A-FAM", "QNS", D(2023, 8, 31));
  denied.add(EventKind::denied, D(2025, 5, 20));
  EXPECT_EQ(denied.at(D(2025, 5, 21)).deadlines.front().anchor, 1);
}

TEST(MostPressing, SeverityThenNearestDueThenSince) {
  // Outside processing time (inquiry, action, no due) with an RFE due in 11 days (action).
  auto t = outside_since_2024_07_16();
  t.add(EventKind::rfe, D(2025, 1, 2), D(2025, 3, 10));
  t.add(EventKind::response, D(2025, 1, 3));  // answered: the ladder runs again
  t.add(EventKind::noid, D(2025, 2, 1), D(2025, 3, 10));
  auto ev = t.at(D(2025, 2, 27));  // NOID due in 11 days
  ASSERT_NE(ev.most_pressing(), nullptr);
  EXPECT_EQ(ev.most_pressing()->rule, "noid-due");
  EXPECT_EQ(ev.most_pressing()->severity, Severity::action);
  EXPECT_EQ(ev.nearest_due(), D(2025, 3, 10));

  // Without the paused ladder: an inquiry (action) and an RFE due in 11 days (action).
  auto both = make_case("I-485", "131A-FAM", "QNS", D(2022, 1, 3));
  both.add(EventKind::card_mailed, D(2024, 11, 1));  // non-delivery: action, no due
  both.add(EventKind::rfe, D(2025, 2, 3), D(2025, 3, 20));
  auto ev2 = both.at(D(2025, 3, 9));
  EXPECT_EQ(ev2.most_pressing()->rule, "rfe-due");
  EXPECT_EQ(ev2.nearest_due(), D(2025, 3, 20));
  EXPECT_EQ(both.at(D(2025, 3, 14)).most_pressing()->severity, Severity::urgent);
  EXPECT_EQ(make_case("I-485", "131A-FAM", "QNS", D(2024, 6, 3)).at(D(2024, 7, 1)).most_pressing(),
            nullptr);
  EXPECT_FALSE(
      make_case("I-485", "131A-FAM", "QNS", D(2024, 6, 3)).at(D(2024, 7, 1)).nearest_due());
}

TEST(Decided, OnlyNonDeliveryAndAppealWindow) {
  // Outside processing time, an RFE open, a card mailed 2025-01-10 (non-delivery from
  // 2025-02-09); then each way a case ends.
  auto base = make_case("I-485", "131A-FAM", "QNS", D(2022, 1, 3));
  base.add(EventKind::e_request, D(2024, 12, 2))
      .add(EventKind::rfe, D(2025, 1, 6))
      .add(EventKind::card_mailed, D(2025, 1, 10));
  auto approved = base;
  approved.add(EventKind::approved, D(2025, 1, 20));
  auto denied = base;
  denied.add(EventKind::denied, D(2025, 1, 20));
  auto withdrawn = base;
  withdrawn.add(EventKind::withdrawn, D(2025, 1, 20));
  auto closed = base;
  closed.c.status = Status::closed;
  Date as_of = D(2025, 2, 9);
  auto rules_of = [](const Evaluation& ev) {
    std::set<std::string> out;
    for (const Finding& f : ev.findings) {
      out.insert(f.rule);
    }
    return out;
  };
  EXPECT_EQ(rules_of(approved.at(as_of)), std::set<std::string>({"non-delivery"}));
  EXPECT_EQ(rules_of(denied.at(as_of)), std::set<std::string>({"non-delivery", "appeal-window"}));
  EXPECT_TRUE(rules_of(withdrawn.at(as_of)).empty());
  EXPECT_TRUE(withdrawn.at(as_of).next.empty());
  EXPECT_TRUE(withdrawn.at(as_of).deadlines.empty());
  EXPECT_TRUE(rules_of(closed.at(as_of)).empty());
  EXPECT_TRUE(closed.at(as_of).next.empty());
  auto pending = rules_of(base.at(as_of));  // the whole ladder
  EXPECT_TRUE(pending.contains("inquiry"));
  EXPECT_EQ(base.at(as_of).deadlines.size(), 1U);  // the RFE, due 2025-03-31
  EXPECT_TRUE(pending.contains("non-delivery"));
}

TEST(MostPressing, ADueDateLeadsAmongEqualSeverities) {
  // An RFE due in 11 days (action) leads over inquiry (action, no due, earlier since).
  Evaluation ev;
  ev.as_of = D(2025, 3, 9);
  Finding inquiry;
  inquiry.rule = "inquiry";
  inquiry.severity = Severity::action;
  inquiry.since = D(2024, 2, 18);
  Finding rfe;
  rfe.rule = "rfe-due";
  rfe.severity = Severity::action;
  rfe.since = D(2025, 3, 6);
  rfe.due = D(2025, 3, 20);
  Finding info;
  info.rule = "category-needed";
  info.severity = Severity::info;
  info.since = D(2020, 1, 1);
  ev.findings = {info, inquiry, rfe};
  ASSERT_NE(ev.most_pressing(), nullptr);
  EXPECT_EQ(ev.most_pressing()->rule, "rfe-due");
  ev.findings = {info, inquiry};
  EXPECT_EQ(ev.most_pressing()->rule, "inquiry");
  Finding urgent = inquiry;
  urgent.rule = "appeal-window";
  urgent.severity = Severity::urgent;
  urgent.since = D(2025, 3, 8);
  ev.findings = {info, inquiry, rfe, urgent};
  EXPECT_EQ(ev.most_pressing()->rule, "appeal-window");
  ev.deadlines = {Deadline{"rfe-due", D(2025, 3, 20), "RFE response due", 5},
                  Deadline{"noid-due", D(2025, 3, 12), "NOID response due", 6}};
  EXPECT_EQ(ev.nearest_due(), D(2025, 3, 12));
}

}  // namespace
}  // namespace casewatch

namespace casewatch {
namespace {

TEST(Decided, LookingBackBeforeTheDecisionTheCaseIsPending) {
  // Stored as denied (what recording the event does), denied on 2025-05-20.
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2023, 5, 2));
  t.c.status = Status::denied;
  t.add(EventKind::denied, D(2025, 5, 20));
  EXPECT_EQ(t.at(D(2025, 5, 19)).status, Status::pending);
  EXPECT_EQ(t.at(D(2025, 5, 20)).status, Status::denied);
  // Decided without a decision event (a CSV import carries the status, not the events):
  // the stored status holds on every date.
  auto imported = make_case("I-485", "131A-FAM", "QNS", D(2023, 5, 2));
  imported.c.status = Status::denied;
  EXPECT_EQ(imported.at(D(2024, 1, 1)).status, Status::denied);
}

// ---- third edition ---------------------------------------------------------------------

// An I-485 at Queens outside processing time since 2025-06-17 (12 months posted).
ProcessingTimeTable twelve_months_at_queens() {
  return ProcessingTimeTable({ProcessingTime{
      "I-485", "131A-FAM", "QNS", {24, TimeUnit::months}, D(2024, 10, 18), std::nullopt, "set"}});
}

Month Mo(int y, unsigned m) {
  return Month{date::year{y}, date::month{m}};
}

TEST(ThirdEdition, AfterAnERequestTheInquiryIsInfoAndTheOmbudsmanWindowCloses) {
  // Worked example: e-Request 2026-09-14 on an I-485 outside processing time since 2025-06-17.
  auto table = twelve_months_at_queens();
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2024, 6, 17));
  t.add(EventKind::e_request, D(2026, 9, 14));
  auto ev = t.at(D(2026, 12, 7), table);
  EXPECT_EQ(ev.inquiry_date, D(2025, 6, 17));
  auto inquiry = find(ev, "inquiry");
  ASSERT_TRUE(inquiry);
  EXPECT_EQ(inquiry->severity, Severity::info);
  EXPECT_EQ(inquiry->stage, "contacted");
  EXPECT_EQ(inquiry->title.find("you may file an e-Request"), std::string::npos);
  EXPECT_NE(inquiry->title.find("you contacted USCIS on 2026-09-14"), std::string::npos);
  EXPECT_EQ(find(ev, "inquiry-followup")->since, D(2026, 10, 6));
  EXPECT_EQ(find(ev, "congress")->since, D(2026, 10, 14));
  auto omb = find(ev, "ombudsman");
  ASSERT_TRUE(omb);
  EXPECT_EQ(omb->until, D(2026, 12, 13));
  EXPECT_EQ(omb->severity, Severity::urgent);
  EXPECT_EQ(omb->since, D(2026, 11, 13));
  EXPECT_EQ(omb->stage, "closing");
  EXPECT_NE(omb->title.find("closes on 2026-12-13"), std::string::npos);
  // The day before the urgent stage: action since the window opened, with its end.
  auto before = find(t.at(D(2026, 12, 5), table), "ombudsman");
  ASSERT_TRUE(before);
  EXPECT_EQ(before->severity, Severity::action);
  EXPECT_EQ(before->since, D(2026, 11, 13));
  EXPECT_EQ(before->until, D(2026, 12, 13));
  EXPECT_NE(before->title.find("until 2026-12-13, 8 days left"), std::string::npos);
  // The last day, and the day after.
  EXPECT_EQ(find(t.at(D(2026, 12, 13), table), "ombudsman")->stage, "closing");
  EXPECT_EQ(find(t.at(D(2026, 12, 14), table), "ombudsman")->stage, "contact-too-old");
  // The overview's now: the Ombudsman step, which closes first.
  ASSERT_NE(ev.most_pressing(), nullptr);
  EXPECT_EQ(ev.most_pressing()->rule, "ombudsman");
  auto action = t.at(D(2026, 12, 1), table);
  EXPECT_EQ(action.most_pressing()->rule, "ombudsman");
  // Never again "you may file an e-Request", a reply or not.
  t.add(EventKind::reply, D(2026, 9, 30));
  auto replied = find(t.at(D(2026, 12, 7), table), "inquiry");
  EXPECT_EQ(replied->severity, Severity::info);
  EXPECT_EQ(replied->stage, "contacted");
}

TEST(ThirdEdition, WithoutAClosingDateNowIsTheStepFurthestUpTheLadder) {
  auto table = twelve_months_at_queens();
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2024, 6, 17));
  t.add(EventKind::e_request, D(2026, 1, 5)).add(EventKind::ombudsman, D(2026, 3, 10));
  // Follow-up (since 2026-01-27) and congress (since 2026-02-04) are both action.
  auto ev = t.at(D(2026, 6, 1), table);
  ASSERT_TRUE(find(ev, "inquiry-followup"));
  ASSERT_TRUE(find(ev, "congress"));
  EXPECT_EQ(ev.most_pressing()->rule, "congress");
}

TEST(ThirdEdition, UndatedNextStepsComeInLadderOrder) {
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2022, 1, 3));
  auto ev = t.at(D(2026, 1, 1));
  std::vector<std::string> undated;
  for (const NextStep& n : ev.next) {
    if (!n.on) {
      undated.push_back(n.rule);
    }
  }
  EXPECT_EQ(undated, (std::vector<std::string>{"ombudsman", "congress", "mandamus"}));
}

TEST(ThirdEdition, USCISActingEndsTheReplyClock) {
  auto table = twelve_months_at_queens();
  for (EventKind acted : {EventKind::rfe, EventKind::interview, EventKind::biometrics,
                          EventKind::transfer, EventKind::noid}) {
    auto t = make_case("I-485", "131A-FAM", "QNS", D(2024, 6, 17));
    t.add(EventKind::e_request, D(2026, 9, 14)).add(acted, D(2026, 9, 20));
    if (acted == EventKind::rfe || acted == EventKind::noid) {
      t.add(EventKind::response, D(2026, 9, 25));
    }
    auto ev = t.at(D(2026, 10, 20), table);
    EXPECT_FALSE(find(ev, "inquiry-followup")) << to_string(acted);
    EXPECT_FALSE(find_next(ev, "inquiry-followup")) << to_string(acted);
  }
  // An event before the contact does not end it.
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2024, 6, 17));
  t.add(EventKind::biometrics, D(2026, 9, 1)).add(EventKind::e_request, D(2026, 9, 14));
  EXPECT_TRUE(find(t.at(D(2026, 10, 20), table), "inquiry-followup"));
}

BulletinTable eb2_india_retrogressed() {
  std::vector<BulletinRow> rows;
  auto cell = [](Date cutoff) { return Cell{Cell::Status::date, cutoff}; };
  for (auto [m, fa] :
       {std::pair(Mo(2026, 11), D(2013, 9, 1)), std::pair(Mo(2026, 12), D(2012, 1, 1)),
        std::pair(Mo(2027, 1), D(2012, 1, 1)), std::pair(Mo(2027, 2), D(2014, 1, 1))}) {
    rows.push_back({m, Chart::final_action, "EB2", "IN", cell(fa), "set"});
    rows.push_back({m, Chart::dates_for_filing, "EB2", "IN", cell(D(2014, 6, 1)), "set"});
  }
  return BulletinTable(std::move(rows), {});
}

TEST(ThirdEdition, WaitingOnAVisaNumberPausesTheLadder) {
  // Worked example: EB-2 India I-485 received 2022-03-01, PD 2013-08-01; final action cutoff
  // 2013-09-01 in November 2026 and 2012-01-01 in December 2026.
  ProcessingTimeTable table({ProcessingTime{
      "I-485", "131A-EMP", "QNS", {24, TimeUnit::months}, D(2024, 10, 18), std::nullopt, "set"}});
  auto t = make_case("I-485", "131A-EMP", "QNS", D(2022, 3, 1));
  t.c.preference = "EB2";
  t.c.chargeability = "IN";
  t.c.priority_date = D(2013, 8, 1);
  t.add(EventKind::e_request, D(2026, 8, 3)).add(EventKind::congress, D(2026, 9, 20));
  BulletinTable bulletin = eb2_india_retrogressed();
  auto ev = evaluate(t.c, t.events, table, bulletin, D(2026, 12, 7));
  auto pd = find(ev, "priority-date");
  ASSERT_TRUE(pd);
  EXPECT_EQ(pd->severity, Severity::urgent);
  EXPECT_EQ(pd->stage, "retrogressed");
  auto inquiry = find(ev, "inquiry");
  ASSERT_TRUE(inquiry);
  EXPECT_EQ(inquiry->severity, Severity::info);
  EXPECT_EQ(inquiry->stage, "visa-unavailable");
  EXPECT_NE(inquiry->reason.find("245(a)(3)"), std::string::npos);
  for (std::string_view rule : {"inquiry-followup", "ombudsman", "congress", "mandamus"}) {
    EXPECT_FALSE(find(ev, rule)) << rule;
    auto step = find_next(ev, rule);
    EXPECT_TRUE(!step || !step->on) << rule;
  }
  // In November (current), the ladder runs.
  auto nov = evaluate(t.c, t.events, table, bulletin, D(2026, 11, 30));
  EXPECT_TRUE(find(nov, "congress"));
  EXPECT_EQ(find(nov, "inquiry")->stage, "contacted");
  // Current again on 2027-02-01: the ladder resumes 120 days later, 2027-06-01.
  auto feb = evaluate(t.c, t.events, table, bulletin, D(2027, 2, 10));
  EXPECT_FALSE(find(feb, "congress"));
  ASSERT_TRUE(find_next(feb, "congress"));
  EXPECT_EQ(find_next(feb, "congress")->on, D(2027, 6, 1));
  // No bulletin stored: no pause, and the inquiry says what the bulletin would tell.
  auto bare = evaluate(t.c, t.events, table, D(2026, 12, 7));
  EXPECT_TRUE(find(bare, "congress"));
  EXPECT_NE(find(bare, "inquiry")->reason.find("store the Visa Bulletin"), std::string::npos);
}

TEST(ThirdEdition, NoMandamusAfterAnN400InterviewButItsCaveat) {
  auto t = make_case("N-400", std::nullopt, "QNS", D(2022, 1, 3));
  t.add(EventKind::e_request, D(2024, 1, 10)).add(EventKind::congress, D(2024, 3, 1));
  t.add(EventKind::interview, D(2024, 6, 3));
  auto ev = t.at(D(2025, 6, 1));
  EXPECT_FALSE(find(ev, "mandamus"));
  EXPECT_FALSE(find_next(ev, "mandamus"));
  auto b = find(ev, "n400-1447b");
  ASSERT_TRUE(b);
  EXPECT_NE(b->how.find("the court alone may decide the case"), std::string::npos);
}

TEST(ThirdEdition, AnRfeWithoutDueIsInfoFromItsDateAndAssumed) {
  // Worked example: RFE recorded 2026-11-02 without --due: due 2027-01-25, assumed.
  auto t = make_case("I-765", "147-C9", "NSC", D(2026, 6, 1), "LIN2690012345");
  t.add(EventKind::rfe, D(2026, 11, 2));
  auto ev = t.at(D(2026, 11, 2));
  auto f = find(ev, "rfe-due");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::info);
  EXPECT_EQ(f->stage, "open");
  EXPECT_EQ(f->since, D(2026, 11, 2));
  EXPECT_EQ(f->due, D(2027, 1, 25));
  EXPECT_TRUE(f->assumed);
  ASSERT_EQ(ev.deadlines.size(), 1U);
  EXPECT_TRUE(ev.deadlines[0].assumed);
  EXPECT_NE(f->title.find("assumed"), std::string::npos);
  EXPECT_FALSE(find(t.at(D(2026, 11, 1)), "rfe-due"));
  // The day it is due: its own stage, since the due date.
  auto today = find(t.at(D(2027, 1, 25)), "rfe-due");
  EXPECT_EQ(today->stage, "today");
  EXPECT_EQ(today->since, D(2027, 1, 25));
  auto passed = find(t.at(D(2027, 1, 26)), "rfe-due");
  EXPECT_EQ(passed->stage, "passed");
  EXPECT_NE(passed->reason.find("abandoned"), std::string::npos);
  // With the notice's date: not assumed.
  auto given = make_case("I-765", "147-C9", "NSC", D(2026, 6, 1), "LIN2690012345");
  given.add(EventKind::rfe, D(2026, 11, 2), D(2027, 1, 20));
  EXPECT_FALSE(find(given.at(D(2026, 11, 2)), "rfe-due")->assumed);
}

TEST(ThirdEdition, I129TnHasNoAppealH1b1KeyIsAppealable) {
  // Worked example: 137-TN denied 2026-11-30; 137-H1B1 the same day.
  auto tn = make_case("I-129", "137-TN", "VSC", D(2026, 8, 1), "EAC2690012345");
  tn.add(EventKind::denied, D(2026, 11, 30));
  auto f = find(tn.at(D(2026, 12, 7)), "appeal-window");
  ASSERT_TRUE(f);
  EXPECT_NE(f->title.find("no appeal; a motion (Form I-290B) is due by 2026-12-30"),
            std::string::npos)
      << f->title;
  auto h = make_case("I-129", "137-H1B1", "VSC", D(2026, 8, 1), "EAC2690012346");
  h.add(EventKind::denied, D(2026, 11, 30));
  auto g = find(h.at(D(2026, 12, 7)), "appeal-window");
  ASSERT_TRUE(g);
  EXPECT_NE(g->title.find("Appeal or motion"), std::string::npos);
  EXPECT_NE(g->reason.find("only where the notice says so"), std::string::npos);
  EXPECT_NE(g->reason.find("extension of stay or change of status was denied, a motion only"),
            std::string::npos);
  EXPECT_EQ(remedy_for("I-129", std::string_view("137-E3")), Remedy::motion_only);
}

TEST(ThirdEdition, AWeekendDueDateSaysToFileTheBusinessDayBefore) {
  // Denied 2026-10-01: due 2026-10-31, a Saturday.
  auto t = make_case("I-140", "136A-E21", "NSC", D(2026, 1, 5), "LIN2690012347");
  t.add(EventKind::denied, D(2026, 10, 1));
  auto f = find(t.at(D(2026, 10, 2)), "appeal-window");
  ASSERT_TRUE(f);
  EXPECT_NE(f->reason.find("weekend or holiday"), std::string::npos);
}

TEST(ThirdEdition, OneLineWarnings) {
  auto ap = make_case("I-131", "141B-OTH", "NBC", D(2026, 3, 2), "IOE0912345670");
  auto f = find(ap.at(D(2026, 4, 1)), "ap-travel");
  ASSERT_TRUE(f);
  EXPECT_NE(f->reason.find("223.2(d)"), std::string::npos);
  EXPECT_FALSE(
      find(make_case("I-131", "141A-RT", "NBC", D(2026, 3, 2)).at(D(2026, 4, 1)), "ap-travel"));
  // A (c)(9) renewal received on 2025-10-30: no automatic extension; the day before: none.
  auto ead = make_case("I-765", "147-C9", "NSC", D(2025, 10, 30), "LIN2590012345");
  auto gap = find(ead.at(D(2025, 11, 5)), "ead-gap");
  ASSERT_TRUE(gap);
  // It asks for the card held, so that ead-renewal gives the dates.
  EXPECT_NE(gap->how.find("casewatch doc add ead"), std::string::npos) << gap->how;
  auto old = make_case("I-765", "147-C9", "NSC", D(2025, 10, 29), "LIN2590012345");
  EXPECT_FALSE(find(old.at(D(2025, 11, 5)), "ead-gap"));
  // Premium and Congress name what the regulation and the Privacy Act say.
  auto p = make_case("I-140", "136A-E21", "NSC", D(2026, 5, 1), "LIN2690012348");
  p.c.premium_start = D(2026, 5, 4);
  auto prem = find(p.at(D(2026, 7, 1)), "premium");
  ASSERT_TRUE(prem);
  EXPECT_NE(prem->reason.find("notice of an investigation"), std::string::npos);
}

TEST(ThirdEdition, AnUnknownFormRaisesNoDelayStep) {
  auto t = make_case("I-4855", std::nullopt, std::nullopt, D(2024, 1, 10));
  auto ev = t.at(D(2026, 1, 1));
  auto f = find(ev, "form-unknown");
  ASSERT_TRUE(f);
  EXPECT_NE(f->title.find("did you mean I-485"), std::string::npos) << f->title;
  EXPECT_FALSE(find(ev, "inquiry"));
  EXPECT_FALSE(find_next(ev, "ombudsman"));
  // No inquiry date either, so `overdue`, `show` and the calendar say no more than the
  // finding: no 6-month rule for what may be a typo.
  EXPECT_FALSE(ev.inquiry_date);
  EXPECT_FALSE(ev.days_overdue());
  EXPECT_FALSE(find_next(ev, "inquiry"));
  // I-290B is a form casewatch knows: the 6-month rule, no form-unknown.
  auto known = make_case("I-290B", std::nullopt, std::nullopt, D(2024, 1, 10)).at(D(2026, 1, 1));
  EXPECT_FALSE(find(known, "form-unknown"));
  EXPECT_EQ(known.inquiry_date, D(2024, 7, 10));
}

// A form casewatch does not know, confirmed by the user (docs/rules.md `form-unknown`): a
// known form without a posted time, the 6-month rule.
TEST(ThirdEdition, AConfirmedUnknownFormKeepsTheSixMonthRule) {
  auto t = make_case("I-4855", std::nullopt, std::nullopt, D(2024, 1, 10));
  t.c.form_confirmed = true;
  auto ev = t.at(D(2026, 1, 1));
  EXPECT_FALSE(find(ev, "form-unknown"));
  EXPECT_EQ(ev.inquiry_date, D(2024, 7, 10));
  EXPECT_TRUE(find(ev, "inquiry"));
}

TEST(ThirdEdition, AnAssumedOfficeGivesTheRange) {
  // An I-130 with an IOE receipt and no office: the slowest office is assumed.
  auto t = make_case("I-130", "114A-PARENT", std::nullopt, D(2025, 4, 2));
  auto ev = t.at(D(2025, 5, 1));
  auto f = find(ev, "office-assumed");
  ASSERT_TRUE(f) << (ev.row_note ? *ev.row_note : "");
  EXPECT_EQ(f->severity, Severity::info);
  EXPECT_NE(f->reason.find("fastest office"), std::string::npos);
  EXPECT_NE(f->how.find("--office"), std::string::npos);
  // The inquiry date and the step dated by it are marked assumed.
  EXPECT_TRUE(ev.office_assumed);
  auto step = find_next(ev, "inquiry");
  ASSERT_TRUE(step && step->on);
  EXPECT_EQ(*step->on, *ev.inquiry_date);
  EXPECT_TRUE(step->assumed);
  // With its office: nothing assumed.
  auto known = make_case("I-130", "114A-PARENT", "CSC", D(2025, 4, 2));
  auto known_ev = known.at(D(2025, 5, 1));
  EXPECT_FALSE(find(known_ev, "office-assumed"));
  EXPECT_FALSE(known_ev.office_assumed);
  auto known_step = find_next(known_ev, "inquiry");
  ASSERT_TRUE(known_step);
  EXPECT_FALSE(known_step->assumed);
}

TEST(ThirdEdition, CategoryNeededListsEachCategoryOnce) {
  auto t = make_case("I-130", std::nullopt, "NSC", D(2025, 4, 2));
  auto f = find(t.at(D(2025, 5, 1)), "category-needed");
  if (!f) {
    GTEST_SKIP() << "no category candidates for this row";
  }
  // No category key appears twice.
  std::set<std::string> seen;
  std::string reason = f->reason;
  for (std::size_t at = reason.find("114"); at != std::string::npos;
       at = reason.find("114", at + 1)) {
    std::string key = reason.substr(at, reason.find(' ', at) - at);
    EXPECT_TRUE(seen.insert(key).second) << key << " in " << reason;
  }
}

TEST(ThirdEdition, APendingPetitionIsNotSentToTheNvc) {
  // Worked example: I-130 F2A Mexico, pending, --path consular, date current.
  std::vector<BulletinRow> rows;
  rows.push_back({Mo(2026, 12), Chart::final_action, "F2A", "MX",
                  Cell{Cell::Status::current, std::nullopt}, "set"});
  rows.push_back({Mo(2026, 12), Chart::dates_for_filing, "F2A", "MX",
                  Cell{Cell::Status::current, std::nullopt}, "set"});
  BulletinTable bulletin(std::move(rows), {});
  auto t = make_case("I-130", "114A-F2A", "NSC", D(2025, 3, 3), "LIN2590012349");
  t.c.preference = "F2A";
  t.c.chargeability = "MX";
  t.c.priority_date = D(2025, 3, 3);
  t.c.path = VisaPath::consular;
  auto ev = evaluate(t.c, t.events, builtin(), bulletin, D(2026, 12, 7));
  auto f = find(ev, "priority-date");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->stage, "petition-pending");
  EXPECT_EQ(f->title.find("NVC"), std::string::npos);
  // Approved: the bulletin keeps watching, with the NVC's stage.
  t.add(EventKind::approved, D(2026, 9, 15));
  auto approved = evaluate(t.c, t.events, builtin(), bulletin, D(2026, 12, 7));
  auto g = find(approved, "priority-date");
  ASSERT_TRUE(g);
  EXPECT_NE(g->stage, "petition-pending");
  EXPECT_NE(g->title, "");
}

}  // namespace
}  // namespace casewatch
