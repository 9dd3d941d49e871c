// SPDX-License-Identifier: MIT
// The consular stage and expedite requests (docs/rules.md): every worked example of both
// sections at its boundary days (the day before and the day of each stage).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "casewatch/domain/catalog.hpp"
#include "casewatch/domain/expedite.hpp"
#include "casewatch/domain/rules.hpp"
#include "casewatch/domain/status.hpp"
#include "timeline.hpp"

namespace casewatch {
namespace {

using unit::builtin;
using unit::D;
using unit::Timeline;

// A spouse's or F2A I-130 on the consular path.
Timeline petition() {
  Timeline t;
  t.c.id = 1;
  t.c.receipt = "IOE0912345678";
  t.c.form = "I-130";
  t.c.received = D(2025, 1, 10);
  t.c.preference = "F2A";
  t.c.chargeability = "Mexico";
  t.c.path = VisaPath::consular;
  t.c.priority_date = D(2025, 1, 10);
  return t;
}

std::optional<Finding> find(const Evaluation& ev, std::string_view rule) {
  auto it = std::find_if(ev.findings.begin(), ev.findings.end(),
                         [&](const Finding& f) { return f.rule == rule; });
  return it == ev.findings.end() ? std::nullopt : std::optional<Finding>(*it);
}

bool has_next(const Evaluation& ev, std::string_view rule, Date on) {
  return std::any_of(ev.next.begin(), ev.next.end(),
                     [&](const NextStep& n) { return n.rule == rule && n.on == on; });
}

// "info/sent" or "-" when the rule says nothing.
std::string stage(const Evaluation& ev, std::string_view rule) {
  auto f = find(ev, rule);
  return f ? fmt::format("{}/{}", to_string(f->severity), f->stage) : "-";
}

// ---- nvc-transfer ---------------------------------------------------------------------------

TEST(NvcTransfer, PendingPetitionHasNoNvcWords) {
  Timeline t = petition();
  Evaluation ev = t.at(D(2026, 9, 14));
  EXPECT_EQ(stage(ev, "nvc-transfer"), "-");
  EXPECT_FALSE(ev.consular);
}

TEST(NvcTransfer, ApprovedInfoThenActionAfterSixtyDays) {
  Timeline t = petition();
  t.event(EventKind::approved, D(2026, 9, 15));
  EXPECT_EQ(stage(t.at(D(2026, 9, 14)), "nvc-transfer"), "-");
  Evaluation first = t.at(D(2026, 9, 15));
  EXPECT_EQ(stage(first, "nvc-transfer"), "info/sent");
  EXPECT_TRUE(first.consular);
  Evaluation before = t.at(D(2026, 11, 13));
  EXPECT_EQ(stage(before, "nvc-transfer"), "info/sent");
  EXPECT_TRUE(has_next(before, "nvc-transfer", D(2026, 11, 14)));
  Evaluation ask = t.at(D(2026, 11, 14));
  EXPECT_EQ(stage(ask, "nvc-transfer"), "action/ask");
  EXPECT_EQ(find(ask, "nvc-transfer")->since, D(2026, 11, 14));
  EXPECT_NE(find(ask, "nvc-transfer")->how.find("Public Inquiry Form"), std::string::npos);
  // The NVC case number ends it.
  t.event(EventKind::nvc_case, D(2026, 11, 20));
  EXPECT_EQ(stage(t.at(D(2026, 11, 20)), "nvc-transfer"), "-");
}

TEST(NvcTransfer, AssumedPathIsSaid) {
  Timeline t = petition();
  t.c.path.reset();
  t.event(EventKind::approved, D(2026, 9, 15));
  auto f = find(t.at(D(2026, 9, 15)), "nvc-transfer");
  ASSERT_TRUE(f);
  EXPECT_NE(f->reason.find("assumes the consular path"), std::string::npos);
  // An I-485's approval is no consular stage.
  Timeline aos = petition();
  aos.c.form = "I-485";
  aos.c.path.reset();
  aos.event(EventKind::approved, D(2026, 9, 15));
  EXPECT_EQ(stage(aos.at(D(2026, 11, 14)), "nvc-transfer"), "-");
}

// ---- nvc-203g -------------------------------------------------------------------------------

TEST(Nvc203g, NoticeAndNothingAfter) {
  Timeline t = petition();
  t.event(EventKind::approved, D(2026, 8, 1));
  t.event(EventKind::nvc_notice, D(2026, 10, 1));
  EXPECT_EQ(stage(t.at(D(2027, 6, 30)), "nvc-203g"), "-");
  EXPECT_TRUE(has_next(t.at(D(2027, 6, 30)), "nvc-203g", D(2027, 7, 1)));
  EXPECT_EQ(stage(t.at(D(2027, 7, 1)), "nvc-203g"), "info/quiet");
  EXPECT_EQ(stage(t.at(D(2027, 7, 31)), "nvc-203g"), "info/quiet");
  EXPECT_EQ(stage(t.at(D(2027, 8, 1)), "nvc-203g"), "action/act");
  EXPECT_EQ(stage(t.at(D(2027, 8, 31)), "nvc-203g"), "action/act");
  EXPECT_EQ(stage(t.at(D(2027, 9, 1)), "nvc-203g"), "urgent/closing");
  Evaluation last = t.at(D(2027, 10, 1));
  EXPECT_EQ(stage(last, "nvc-203g"), "urgent/closing");
  EXPECT_EQ(find(last, "nvc-203g")->due, D(2027, 10, 1));
  ASSERT_FALSE(last.deadlines.empty());
  Evaluation liable = t.at(D(2027, 10, 2));
  EXPECT_EQ(stage(liable, "nvc-203g"), "urgent/liable");
  EXPECT_NE(find(liable, "nvc-203g")->how.find("until 2028-10-01"), std::string::npos);
  EXPECT_NE(find(t.at(D(2027, 9, 1)), "nvc-203g")->reason.find("do not rely on it"),
            std::string::npos);
}

TEST(Nvc203g, ADs260MovesTheClock) {
  Timeline t = petition();
  t.event(EventKind::approved, D(2026, 8, 1));
  t.event(EventKind::nvc_notice, D(2026, 10, 1));
  t.event(EventKind::ds260, D(2026, 11, 10));
  Evaluation ev = t.at(D(2027, 10, 2));
  EXPECT_EQ(stage(ev, "nvc-203g"), "action/act");
  EXPECT_EQ(find(ev, "nvc-203g")->due, D(2027, 11, 10));
  EXPECT_EQ(stage(t.at(D(2027, 10, 9)), "nvc-203g"), "action/act");
  EXPECT_EQ(stage(t.at(D(2027, 10, 10)), "nvc-203g"), "urgent/closing");
  EXPECT_EQ(stage(t.at(D(2027, 11, 10)), "nvc-203g"), "urgent/closing");
  EXPECT_EQ(stage(t.at(D(2027, 11, 11)), "nvc-203g"), "urgent/liable");
  // The interview ends the clock.
  t.event(EventKind::iv_interview, D(2027, 3, 1));
  EXPECT_EQ(stage(t.at(D(2027, 11, 11)), "nvc-203g"), "-");
}

// ---- iv-221g-docs and iv-221g-admin -----------------------------------------------------------

TEST(Iv221g, DocumentsWithinOneYear) {
  Timeline t = petition();
  t.event(EventKind::approved, D(2026, 8, 1));
  t.event(EventKind::g221, D(2027, 3, 10));
  Evaluation early = t.at(D(2027, 12, 10));
  EXPECT_EQ(stage(early, "iv-221g-docs"), "-");
  EXPECT_TRUE(has_next(early, "iv-221g-docs", D(2027, 12, 11)));
  ASSERT_FALSE(early.deadlines.empty());
  EXPECT_EQ(early.deadlines.front().due, D(2028, 3, 10));
  EXPECT_EQ(stage(t.at(D(2027, 12, 11)), "iv-221g-docs"), "info/open");
  EXPECT_EQ(stage(t.at(D(2028, 1, 9)), "iv-221g-docs"), "info/open");
  EXPECT_EQ(stage(t.at(D(2028, 1, 10)), "iv-221g-docs"), "action/act");
  EXPECT_EQ(stage(t.at(D(2028, 2, 8)), "iv-221g-docs"), "action/act");
  EXPECT_EQ(stage(t.at(D(2028, 2, 9)), "iv-221g-docs"), "urgent/closing");
  EXPECT_EQ(stage(t.at(D(2028, 3, 9)), "iv-221g-docs"), "urgent/closing");
  Evaluation due = t.at(D(2028, 3, 10));
  EXPECT_EQ(stage(due, "iv-221g-docs"), "urgent/due");
  EXPECT_EQ(find(due, "iv-221g-docs")->since, D(2028, 3, 10));
  EXPECT_EQ(stage(t.at(D(2028, 3, 11)), "iv-221g-docs"), "urgent/terminated");
  // The 203(g) clock is not also running.
  EXPECT_EQ(stage(t.at(D(2028, 3, 11)), "nvc-203g"), "-");
  t.event(EventKind::g221_response, D(2028, 1, 20));
  EXPECT_EQ(stage(t.at(D(2028, 3, 11)), "iv-221g-docs"), "-");
}

TEST(Iv221g, AdministrativeProcessing) {
  Timeline t = petition();
  t.event(EventKind::approved, D(2026, 8, 1));
  t.event(EventKind::g221, D(2027, 3, 10)).admin = true;
  EXPECT_EQ(stage(t.at(D(2027, 3, 10)), "iv-221g-admin"), "info/admin");
  EXPECT_EQ(stage(t.at(D(2027, 5, 8)), "iv-221g-admin"), "info/admin");
  EXPECT_EQ(stage(t.at(D(2027, 5, 9)), "iv-221g-admin"), "info/inquire");
  EXPECT_EQ(stage(t.at(D(2027, 9, 5)), "iv-221g-admin"), "info/inquire");
  Evaluation attorney = t.at(D(2027, 9, 6));
  EXPECT_EQ(stage(attorney, "iv-221g-admin"), "action/attorney");
  EXPECT_EQ(find(attorney, "iv-221g-admin")->reason.find("mandamus"), std::string::npos);
  EXPECT_EQ(stage(attorney, "iv-221g-docs"), "-");
}

// ---- visa-validity, immigrant-fee, lpr-evidence ----------------------------------------------

TEST(VisaValidity, IssuedWithItsExpiry) {
  Timeline t = petition();
  t.event(EventKind::approved, D(2026, 8, 1));
  t.event(EventKind::visa_issued, D(2027, 4, 5), D(2027, 10, 4)).visa_class = "CR1";
  EXPECT_EQ(stage(t.at(D(2027, 8, 4)), "visa-validity"), "-");
  EXPECT_EQ(stage(t.at(D(2027, 8, 5)), "visa-validity"), "info/valid");
  EXPECT_EQ(stage(t.at(D(2027, 9, 3)), "visa-validity"), "info/valid");
  EXPECT_EQ(stage(t.at(D(2027, 9, 4)), "visa-validity"), "action/enter");
  EXPECT_EQ(stage(t.at(D(2027, 9, 26)), "visa-validity"), "action/enter");
  EXPECT_EQ(stage(t.at(D(2027, 9, 27)), "visa-validity"), "urgent/closing");
  EXPECT_EQ(stage(t.at(D(2027, 10, 4)), "visa-validity"), "urgent/closing");
  EXPECT_EQ(stage(t.at(D(2027, 10, 5)), "visa-validity"), "urgent/expired");
  EXPECT_EQ(stage(t.at(D(2027, 4, 4)), "immigrant-fee"), "-");
  EXPECT_EQ(stage(t.at(D(2027, 4, 5)), "immigrant-fee"), "action/unpaid");
  t.event(EventKind::immigrant_fee_paid, D(2027, 4, 10));
  EXPECT_EQ(stage(t.at(D(2027, 4, 10)), "immigrant-fee"), "-");
}

TEST(VisaValidity, ExpiryAssumedWithoutTheDate) {
  Timeline t = petition();
  t.event(EventKind::approved, D(2026, 8, 1));
  t.event(EventKind::visa_issued, D(2027, 4, 5));
  Evaluation ev = t.at(D(2027, 9, 4));
  auto f = find(ev, "visa-validity");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->due, D(2027, 10, 4));
  EXPECT_TRUE(f->assumed);
  EXPECT_EQ(stage(t.at(D(2027, 9, 3)), "visa-validity"), "info/valid");
}

TEST(LprEvidence, EnteredAsCr1) {
  Timeline t = petition();
  t.event(EventKind::approved, D(2026, 8, 1));
  t.event(EventKind::visa_issued, D(2027, 4, 5), D(2027, 10, 4)).visa_class = "CR1";
  t.event(EventKind::immigrant_fee_paid, D(2027, 4, 6));
  t.event(EventKind::entered, D(2027, 5, 1)).visa_class = "CR1";
  EXPECT_EQ(stage(t.at(D(2027, 4, 30)), "lpr-evidence"), "-");
  Evaluation first = t.at(D(2027, 5, 1));
  EXPECT_EQ(stage(first, "lpr-evidence"), "info/evidence");
  EXPECT_EQ(find(first, "lpr-evidence")->until, D(2028, 5, 1));
  EXPECT_EQ(stage(first, "visa-validity"), "-");
  EXPECT_NE(find(first, "lpr-evidence")->reason.find("from 2029-01-31 to 2029-05-01"),
            std::string::npos);
  // One dated step at a time: the card's first; the I-751 window's last day is a deadline.
  EXPECT_TRUE(has_next(first, "lpr-evidence", D(2028, 3, 1)));
  EXPECT_FALSE(has_next(first, "lpr-evidence", D(2029, 1, 31)));
  EXPECT_TRUE(std::any_of(first.deadlines.begin(), first.deadlines.end(), [](const Deadline& d) {
    return d.rule == "lpr-evidence" && d.due == D(2029, 5, 1);
  }));
  EXPECT_EQ(stage(t.at(D(2028, 2, 29)), "lpr-evidence"), "info/evidence");
  EXPECT_EQ(stage(t.at(D(2028, 3, 1)), "lpr-evidence"), "action/no-card");
  t.event(EventKind::delivered, D(2027, 8, 1));
  EXPECT_EQ(stage(t.at(D(2028, 3, 1)), "lpr-evidence"), "info/evidence");
  EXPECT_EQ(stage(t.at(D(2028, 5, 1)), "lpr-evidence"), "info/evidence");
  Evaluation after = t.at(D(2028, 5, 2));
  EXPECT_EQ(stage(after, "lpr-evidence"), "-");
  // The I-751 window is the next step, so the case stays in the overview.
  EXPECT_TRUE(has_next(after, "lpr-evidence", D(2029, 1, 31)));
  EXPECT_TRUE(after.consular);
  EXPECT_FALSE(t.at(D(2029, 5, 2)).consular);
}

// ---- expedite requests ----------------------------------------------------------------------

Timeline ead() {
  Timeline t;
  t.c.id = 2;
  t.c.receipt = "IOE0912345679";
  t.c.form = "I-765";
  t.c.category = "147-C9";
  t.c.received = D(2026, 1, 5);
  return t;
}

TEST(Expedite, FinancialByPhoneWithANeedByDate) {
  Timeline t = ead();
  Event& x = t.event(EventKind::expedite, D(2026, 4, 6));
  x.basis = {"financial"};
  x.channel = "call";
  x.need_by = D(2026, 5, 20);
  Evaluation open = t.at(D(2026, 4, 6));
  EXPECT_EQ(stage(open, "expedite-basis"), "info/open");
  EXPECT_NE(find(open, "expedite-basis")->reason.find("severe financial loss"), std::string::npos);
  EXPECT_EQ(stage(t.at(D(2026, 4, 27)), "expedite-followup"), "-");
  EXPECT_TRUE(has_next(t.at(D(2026, 4, 27)), "expedite-followup", D(2026, 4, 28)));
  EXPECT_EQ(stage(t.at(D(2026, 4, 28)), "expedite-followup"), "action/open");
  EXPECT_EQ(stage(t.at(D(2026, 5, 5)), "expedite-needby"), "-");
  Evaluation needby = t.at(D(2026, 5, 6));
  EXPECT_EQ(stage(needby, "expedite-needby"), "urgent/open");
  EXPECT_EQ(find(needby, "expedite-needby")->until, D(2026, 5, 20));
  EXPECT_EQ(stage(t.at(D(2026, 5, 21)), "expedite-needby"), "-");
}

TEST(Expedite, ApprovedWithNoDecision) {
  Timeline t = ead();
  t.event(EventKind::expedite, D(2026, 4, 6)).basis = {"financial"};
  t.event(EventKind::expedite_approved, D(2026, 4, 20));
  EXPECT_EQ(stage(t.at(D(2026, 4, 28)), "expedite-followup"), "-");
  EXPECT_EQ(stage(t.at(D(2026, 6, 20)), "expedite-approved-stalled"), "-");
  EXPECT_TRUE(has_next(t.at(D(2026, 6, 20)), "expedite-approved-stalled", D(2026, 6, 21)));
  EXPECT_EQ(stage(t.at(D(2026, 6, 21)), "expedite-approved-stalled"), "action/open");
  t.event(EventKind::approved, D(2026, 6, 1));
  EXPECT_EQ(stage(t.at(D(2026, 6, 21)), "expedite-approved-stalled"), "-");
}

TEST(Expedite, FollowUpSkipsChristmasAndNewYear) {
  Timeline t = ead();
  t.event(EventKind::expedite, D(2026, 12, 21)).basis = {"humanitarian"};
  EXPECT_EQ(stage(t.at(D(2027, 1, 13)), "expedite-followup"), "-");
  EXPECT_TRUE(has_next(t.at(D(2027, 1, 13)), "expedite-followup", D(2027, 1, 14)));
  EXPECT_EQ(stage(t.at(D(2027, 1, 14)), "expedite-followup"), "action/open");
}

TEST(Expedite, DeniedIsInfoWithoutTheOmbudsman) {
  Timeline t = ead();
  t.event(EventKind::expedite, D(2026, 4, 6)).basis = {"financial"};
  t.event(EventKind::expedite_denied, D(2026, 4, 15));
  auto f = find(t.at(D(2026, 4, 15)), "expedite-basis");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->stage, "denied");
  EXPECT_NE(f->how.find("does not review expedite denials"), std::string::npos);
  EXPECT_EQ(stage(t.at(D(2026, 4, 28)), "expedite-followup"), "-");
}

TEST(Expedite, ChecklistFlagsPremiumAndAnOpenRfe) {
  Timeline t = ead();
  t.c.form = "I-140";
  t.c.category.reset();
  t.event(EventKind::rfe, D(2026, 3, 1), D(2026, 5, 20));
  Event& x = t.event(EventKind::expedite, D(2026, 4, 6));
  x.basis = {"financial"};
  Event& ev = t.event(EventKind::evidence, D(2026, 4, 7));
  ev.for_seq = 2;
  ev.note = "letter from the employer";
  auto list = expedite_checklist(t.c, t.events, D(2026, 4, 8), true);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->evidence.size(), 1U);
  EXPECT_EQ(list->evidence.front(), "2026-04-07: letter from the employer");
  ASSERT_EQ(list->flags.size(), 2U);
  EXPECT_NE(list->flags[0].find("Form I-907"), std::string::npos);
  EXPECT_NE(list->flags[1].find("answer it first"), std::string::npos);
  // Nonprofit: no premium flag.
  t.events[1].basis = {"nonprofit"};
  EXPECT_EQ(expedite_checklist(t.c, t.events, D(2026, 4, 8), false)->flags.size(), 0U);
}

// ---- USCIS's words ---------------------------------------------------------------------------

TEST(ConsularStatus, ApprovedAndNotifiedTheConsulateIsTwoEvents) {
  const status::Title* t = status::find_title(
      "Case Was Approved And USCIS Notified The U.S. Consulate or Port of Entry");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->kind, EventKind::approved);
  EXPECT_EQ(t->also, EventKind::sent_to_dos);
  const status::Title* sent = status::find_title("Case Was Sent To The Department of State");
  ASSERT_NE(sent, nullptr);
  EXPECT_EQ(sent->kind, EventKind::sent_to_dos);
  EXPECT_FALSE(sent->also.has_value());
}

}  // namespace
}  // namespace casewatch
