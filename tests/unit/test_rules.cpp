// SPDX-License-Identifier: MIT
// The rules of RULES.md on real-looking timelines, at the day before, the day of and the day
// after each threshold. Dates are those of RULES.md's worked examples.
#include "casewatch/domain/rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "casewatch/domain/catalog.hpp"

namespace casewatch {
namespace {

Date D(int y, unsigned m, unsigned d) {
  return make_date(y, m, d);
}

const ProcessingTimeTable& builtin() {
  static const ProcessingTimeTable k_table(builtin_processing_times());
  return k_table;
}

struct Timeline {
  Case c;
  std::vector<Event> events;

  Timeline& add(EventKind kind, Date date, std::optional<Date> due = std::nullopt) {
    Event e;
    e.id = static_cast<std::int64_t>(events.size()) + 1;
    e.case_id = c.id;
    e.kind = kind;
    e.date = date;
    e.due = due;
    events.push_back(e);
    return *this;
  }
  [[nodiscard]] Evaluation at(Date as_of, const ProcessingTimeTable& table = builtin()) const {
    return evaluate(c, events, table, as_of);
  }
};

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
  auto open = find(t.at(D(2025, 2, 4)), "inquiry");
  ASSERT_TRUE(open);
  EXPECT_EQ(open->severity, Severity::action);
  // A reply ends the wait at once.
  t.add(EventKind::reply, D(2025, 1, 20));
  EXPECT_EQ(find(t.at(D(2025, 1, 21)), "inquiry")->severity, Severity::action);
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

TEST(Ladder, OmbudsmanBetweenSixtyAndNinetyDays) {
  auto t = outside_with_e_request();
  EXPECT_FALSE(find(t.at(D(2025, 3, 10)), "ombudsman"));
  EXPECT_EQ(find_next(t.at(D(2025, 3, 10)), "ombudsman")->on, D(2025, 3, 11));
  for (Date d : {D(2025, 3, 11), D(2025, 4, 10)}) {
    auto f = find(t.at(d), "ombudsman");
    ASSERT_TRUE(f) << format_date(d);
    EXPECT_EQ(f->severity, Severity::action);
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
  EXPECT_FALSE(find(t.at(D(2025, 3, 28)), "rfe-due"));
  EXPECT_EQ(find_next(t.at(D(2025, 3, 28)), "rfe-due")->on, D(2025, 3, 29));
  struct Row {
    Date as_of;
    Severity severity;
    const char* stage;
    Date since;
  };
  for (const Row& row : {Row{D(2025, 3, 29), Severity::info, "upcoming", D(2025, 3, 29)},
                         Row{D(2025, 4, 13), Severity::info, "upcoming", D(2025, 3, 29)},
                         Row{D(2025, 4, 14), Severity::action, "soon", D(2025, 4, 14)},
                         Row{D(2025, 4, 20), Severity::action, "soon", D(2025, 4, 14)},
                         Row{D(2025, 4, 21), Severity::urgent, "urgent", D(2025, 4, 21)},
                         Row{D(2025, 4, 28), Severity::urgent, "urgent", D(2025, 4, 21)},
                         Row{D(2025, 4, 29), Severity::urgent, "passed", D(2025, 4, 29)}}) {
    auto f = find(t.at(row.as_of), "rfe-due");
    ASSERT_TRUE(f) << format_date(row.as_of);
    EXPECT_EQ(f->severity, row.severity) << format_date(row.as_of);
    EXPECT_EQ(f->stage, row.stage) << format_date(row.as_of);
    EXPECT_EQ(f->since, row.since) << format_date(row.as_of);
    EXPECT_EQ(f->due, D(2025, 4, 28));
  }
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

TEST(TimesStale, SixtyDaysAfterPublication) {
  auto t = make_case("I-485", "131A-FAM", "QNS", D(2024, 6, 3));
  EXPECT_FALSE(find(t.at(D(2024, 12, 17)), "times-stale"));
  auto f = find(t.at(D(2024, 12, 18)), "times-stale");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->since, D(2024, 12, 18));
  EXPECT_NE(f->reason.find("61 days"), std::string::npos);
}

TEST(Rules, EveryRuleIdIsKnown) {
  auto ids = rule_ids();
  EXPECT_EQ(ids.size(), 15U);
  // A busy timeline: every finding uses an id of RULES.md.
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

// Each threshold of RULES.md's worked examples: false the day before, true with `since` on
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
           Row{"times-stale", make_case("I-485", "131A-FAM", "QNS", D(2024, 6, 3)),
               D(2024, 12, 18)},
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
  EXPECT_FALSE(find(ev, "times-stale"));  // 13 days old
  // Received after it: received + 21 months, not yet reached.
  auto after = make_case("I-485", "131A-FAM", "QNS", D(2025, 3, 1));
  auto later = after.at(D(2026, 11, 27), table);
  EXPECT_EQ(later.inquiry_date, D(2026, 12, 1));
  EXPECT_FALSE(find(later, "inquiry"));
  // Sixty-one days after publication the row is stale.
  EXPECT_TRUE(find(before.at(D(2027, 1, 14), table), "times-stale"));
  EXPECT_FALSE(find(before.at(D(2027, 1, 13), table), "times-stale"));
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
