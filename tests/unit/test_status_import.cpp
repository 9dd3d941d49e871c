// SPDX-License-Identifier: MIT
#include "casewatch/domain/status_import.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "casewatch/domain/rules.hpp"
#include "status_fixture.hpp"

namespace casewatch::status {
namespace {

using testing::day;
using testing::fixture;

Case i485(Date received) {
  Case c;
  c.id = 1;
  c.receipt = "IOE0912345678";
  c.form = "I-485";
  c.received = received;
  return c;
}

bool said(const ImportPlan& p, std::string_view words) {
  return std::any_of(p.warnings.begin(), p.warnings.end(),
                     [&](const std::string& w) { return w.find(words) != std::string::npos; });
}

Snapshot one(std::string_view text) {
  auto parsed = parse_text(text);
  EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error());
  return parsed->front();
}

// One text in the real paragraph shape for each of the 176 titles USCIS's Case Status page
// was seen to show: every one is in the catalogue, none is kept as an unknown note, and no
// RFE or NOID takes the copy-request date as its due date.
// "Case Was Approved And USCIS Notified The U.S. Consulate or Port of Entry": the approval
// and sent-to-dos on the same date, once each however often it is read.
TEST(StatusImport, ApprovedAndSentToTheConsulate) {
  Snapshot s =
      one("Case Was Approved And USCIS Notified The U.S. Consulate or Port of Entry\n"
          "On September 15, 2026, we approved your Form I-130, Petition for Alien Relative, "
          "Receipt Number IOE0912345678, and notified the U.S. Department of State.");
  Case c = i485(day(2025, 1, 10));
  c.form = "I-130";
  ImportPlan plan = plan_import(s, c, {}, day(2026, 12, 7), nullptr, std::nullopt);
  ASSERT_EQ(plan.events.size(), 2U);
  EXPECT_EQ(plan.events[0].kind, EventKind::approved);
  EXPECT_EQ(plan.events[1].kind, EventKind::sent_to_dos);
  EXPECT_EQ(plan.events[1].date, day(2026, 9, 15));
  ImportPlan again = plan_import(s, c, plan.events, day(2026, 12, 8), nullptr, std::nullopt);
  EXPECT_TRUE(again.events.empty());
}

TEST(StatusImport, EveryObservedTitleIsRead) {
  auto parsed = parse_text(fixture("observed-titles.txt"));
  ASSERT_TRUE(parsed) << parsed.error();
  // "CASE STATUS" (no case information) names no receipt: a snapshot of its own.
  ASSERT_EQ(parsed->size(), 2U);
  const Snapshot& s = parsed->front();
  ASSERT_EQ(s.observations.size(), 175U);
  ASSERT_EQ(parsed->back().observations.size(), 1U);
  EXPECT_EQ(parsed->back().observations[0].title, "CASE STATUS");
  EXPECT_EQ(find_title("CASE STATUS")->kind, std::nullopt);
  for (const Observation& o : s.observations) {
    EXPECT_NE(find_title(o.title), nullptr) << o.title;
    EXPECT_TRUE(o.date || o.paragraph.find("We completed your interview") == 0 ||
                o.title == "CASE STATUS")
        << o.title;
  }
  Date as_of = day(2026, 12, 7);
  ImportPlan plan = plan_import(s, i485(day(2024, 1, 1)), {}, as_of, nullptr, std::nullopt);
  EXPECT_FALSE(said(plan, "not in casewatch's catalogue"));
  EXPECT_EQ(plan.refused, 0U);
  std::map<std::string, const Event*> by_title;
  for (const Event& e : plan.events) {
    by_title[*e.title] = &e;
    if (e.kind == EventKind::rfe || e.kind == EventKind::noid) {
      EXPECT_EQ(e.due, std::nullopt) << *e.title;  // assumed, not the "by" date
    }
  }
  // One title records two events: the approval and sent-to-dos (docs/rules.md, "The
  // consular stage").
  EXPECT_EQ(plan.events.size(), 176U);
  const std::map<std::string, EventKind> expected = {
      {"Case Was Denied And My Decision Notice Mailed", EventKind::denied},
      {"Primary And Ancillary Benefits Were Denied", EventKind::denied},
      {"Case Approval Was Revoked", EventKind::revoked},
      {"Case Was Automatically Revoked", EventKind::revoked},
      {"Termination Notice Sent", EventKind::denied},
      {"Status Termination Notice Was Mailed", EventKind::denied},
      {"Case Was Received and A Receipt Notice Was Sent", EventKind::receipt},
      {"Correspondence Was Received And USCIS Is Reviewing It", EventKind::note},
      {"Case Closed Benefit Received By Other Means", EventKind::closed},
      {"Document Was Returned To USCIS", EventKind::card_returned},
      {"Card Was Determined As Undeliverable By The Post Office", EventKind::card_returned},
      {"Notice Was Returned To USCIS Because The Post Office Could Not Deliver It",
       EventKind::notice_returned},
      {"Case Approved", EventKind::approved},
      {"Card Was Produced", EventKind::card_produced},
      {"Request for Additional Evidence Was Mailed", EventKind::rfe},
      {"Request For Initial Evidence Was Sent", EventKind::rfe},
      {"Notice Explaining USCIS' Actions Was Mailed", EventKind::noid},
      {"Decision Notice Mailed", EventKind::notice_mailed},
      {"Document Was Mailed", EventKind::card_mailed},
      {"Request Was Rejected", EventKind::rejected},
      {"Case Rejected For Incorrect Fee, Payment Not Signed And Incorrect Form Version",
       EventKind::rejected},
      {"Case Was Reopened Based On A Court Order", EventKind::reopened},
      {"Case Transferred To Another Office", EventKind::transfer},
  };
  for (const auto& [title, kind] : expected) {
    auto it = by_title.find(title);
    ASSERT_NE(it, by_title.end()) << title;
    EXPECT_EQ(it->second->kind, kind) << title;
  }
  // The RFE of January 2024 is due 84 days out, assumed; its copy date is said as one.
  const Event& rfe = *by_title.at("Request for Additional Evidence Was Sent");
  EXPECT_EQ(default_response_due("I-485", EventKind::rfe, rfe.date), rfe.date + date::days{84});
  // A transfer naming no office says so.
  const Event& transfer = *by_title.at("Case Transferred To Another Office");
  EXPECT_EQ(transfer.office, std::nullopt);
  ASSERT_TRUE(transfer.note);
  EXPECT_NE(transfer.note->find("names no office"), std::string::npos);
  // An automatic revocation says it has no appeal.
  ASSERT_TRUE(by_title.at("Case Was Automatically Revoked")->note);
  EXPECT_NE(by_title.at("Case Was Automatically Revoked")->note->find("no appeal"),
            std::string::npos);
}

// RULES' worked example: the "by" sentence of an RFE is the date to ask for a copy.
TEST(StatusImport, TheBySentenceOfAnRfeIsNoDueDate) {
  Snapshot s =
      one("Request for Additional Evidence Was Sent\n"
          "On February 1, 2024, we sent a request for additional evidence for your Form I-485, "
          "Application to Register Permanent Residence or Adjust Status, Receipt Number "
          "IOE0912345678. The request for evidence explains what we need from you. If you do not "
          "receive your request for additional evidence by March 2, 2024, please go to "
          "www.uscis.gov/e-request to request a copy of the notice.");
  ASSERT_EQ(s.observations.size(), 1U);
  EXPECT_EQ(s.observations[0].due, day(2024, 3, 2));
  EXPECT_EQ(s.observations[0].response_due, std::nullopt);
  ImportPlan plan =
      plan_import(s, i485(day(2023, 6, 1)), {}, day(2026, 12, 7), nullptr, std::nullopt);
  ASSERT_EQ(plan.events.size(), 1U);
  const Event& e = plan.events[0];
  EXPECT_EQ(e.kind, EventKind::rfe);
  EXPECT_EQ(e.date, day(2024, 2, 1));
  EXPECT_EQ(e.due, std::nullopt);
  EXPECT_TRUE(said(plan, "assuming 2024-04-25"));
  EXPECT_TRUE(said(plan, "2024-03-02 is the day to ask for a copy"));

  // A response date stated as one is the due date.
  Snapshot stated =
      one("Request for Initial Evidence Was Sent\n"
          "On February 1, 2024, we sent a request for initial evidence for your Form I-485, "
          "Receipt Number IOE0912345678. We must receive your response by April 30, 2024.");
  ImportPlan p2 =
      plan_import(stated, i485(day(2023, 6, 1)), {}, day(2026, 12, 7), nullptr, std::nullopt);
  ASSERT_EQ(p2.events.size(), 1U);
  EXPECT_EQ(p2.events[0].due, day(2024, 4, 30));

  // A card's "by" date stays USCIS's follow-up date (its non-delivery).
  Snapshot card =
      one("Card Was Mailed To Me\n"
          "On November 20, 2026, we mailed your new card for your Form I-485, Receipt Number "
          "IOE0912345678. If you do not receive your card by December 20, 2026, please go to "
          "www.uscis.gov/e-request.");
  ImportPlan p3 =
      plan_import(card, i485(day(2023, 6, 1)), {}, day(2026, 12, 7), nullptr, std::nullopt);
  ASSERT_EQ(p3.events.size(), 1U);
  EXPECT_EQ(p3.events[0].due, day(2026, 12, 20));
}

TEST(StatusImport, AStatusBeforeTheCaseOrAfterTodayIsRefused) {
  Snapshot s = one(
      "Case Was Approved\nOn March 1, 2022, we approved your Form I-485, Receipt Number "
      "IOE0912345678.\n\nCard Was Mailed To Me\nOn January 5, 2027, we mailed your card for your "
      "Form I-485, Receipt Number IOE0912345678.\n\n"
      "Case Was Received\nOn June 2, 2023, we received your Form I-485, Receipt Number "
      "IOE0912345678.");
  ImportPlan plan =
      plan_import(s, i485(day(2023, 6, 1)), {}, day(2026, 12, 7), nullptr, std::nullopt);
  EXPECT_EQ(plan.refused, 2U);
  EXPECT_EQ(plan.accepted, 1U);
  ASSERT_EQ(plan.events.size(), 1U);
  EXPECT_EQ(plan.events[0].kind, EventKind::receipt);
  EXPECT_TRUE(said(plan, "before the case was received (2023-06-01); refused"));
  EXPECT_TRUE(said(plan, "after 2026-12-07; refused"));
}

TEST(StatusImport, AnUnknownTitleIsReadByItsWords) {
  EXPECT_EQ(kind_by_words("Motion Was Dismissed By The Appellate Authority"), EventKind::denied);
  EXPECT_EQ(kind_by_words("Notice Of Intent To Rescind Was Sent"), EventKind::noid);
  EXPECT_EQ(kind_by_words("Approval Was Rescinded"), EventKind::revoked);
  EXPECT_EQ(kind_by_words("Card Was Held For 180 Days"), EventKind::card_returned);
  EXPECT_EQ(kind_by_words("Receipt Notice Was Returned As Undeliverable"),
            EventKind::notice_returned);
  EXPECT_EQ(kind_by_words("Employment Authorization Document Was Mailed"), EventKind::card_mailed);
  EXPECT_EQ(kind_by_words("Welcome Notice Was Mailed"), EventKind::notice_mailed);
  EXPECT_EQ(kind_by_words("Request For Evidence Was Mailed To My Attorney"), EventKind::rfe);
  EXPECT_EQ(kind_by_words("Employment Card Was Produced Again"), EventKind::card_produced);
  EXPECT_EQ(kind_by_words("Benefit Was Approved"), EventKind::approved);
  EXPECT_EQ(kind_by_words("Status Was Terminated"), EventKind::denied);
  EXPECT_EQ(kind_by_words("Case Was Hugged"), std::nullopt);

  Snapshot s = one(
      "Motion Was Dismissed By The Appellate Authority\nOn May 2, 2026, we dismissed the motion "
      "on your Form I-485, Receipt Number IOE0912345678.");
  ImportPlan plan =
      plan_import(s, i485(day(2023, 6, 1)), {}, day(2026, 12, 7), nullptr, std::nullopt);
  ASSERT_EQ(plan.events.size(), 1U);
  EXPECT_EQ(plan.events[0].kind, EventKind::denied);
  EXPECT_EQ(plan.events[0].note, std::optional<std::string>("On May 2, 2026, we dismissed the "
                                                            "motion on your Form I-485, Receipt "
                                                            "Number IOE0912345678."));
  EXPECT_TRUE(said(plan, "read by its words as denied"));
}

// myUSCIS does not date its status: the page's last change dates it, and the same status on
// a later page is not added again; a changed page with no new status is a silent update.
TEST(StatusImport, AnUndatedStatusAndASilentUpdate) {
  Snapshot s;
  s.receipt = "IOE0912345678";
  s.source = Source::myuscis;
  s.updated = day(2026, 11, 20);
  s.fingerprint = "a";
  Observation o;
  o.title = "Case Was Approved";
  o.current = true;
  s.observations.push_back(o);
  Case c = i485(day(2023, 6, 1));
  ImportPlan first = plan_import(s, c, {}, day(2026, 12, 7), nullptr, std::nullopt);
  ASSERT_EQ(first.events.size(), 1U);
  EXPECT_EQ(first.events[0].date, day(2026, 11, 20));
  EXPECT_FALSE(first.silent_update);
  std::vector<Event> timeline = first.events;
  timeline[0].id = 1;
  s.updated = day(2026, 12, 1);
  s.fingerprint = "b";
  ImportPlan again = plan_import(s, c, timeline, day(2026, 12, 7), nullptr, std::string("a"));
  EXPECT_TRUE(again.events.empty());
  ASSERT_TRUE(again.silent_update);
  EXPECT_EQ(again.silent_update->date, day(2026, 12, 1));
  EXPECT_EQ(again.silent_update->kind, EventKind::updated);
  // The same document again: nothing.
  ImportPlan same = plan_import(s, c, timeline, day(2026, 12, 7), nullptr, std::string("b"));
  EXPECT_TRUE(same.events.empty());
  EXPECT_FALSE(same.silent_update);
  // A typed event of the same kind and date is the same event.
  Event typed;
  typed.kind = EventKind::approved;
  typed.date = day(2026, 11, 20);
  EXPECT_TRUE(already_recorded(std::vector<Event>{typed}, first.events[0]));
}

TEST(StatusImport, TheReceivedDateOfACaseAddedFromAStatus) {
  Snapshot s =
      one("Case Was Approved\nOn March 1, 2026, we approved your Form I-765, Receipt Number "
          "IOE0912345678.\n\nCase Was Received\nOn October 3, 2025, we received your Form I-765, "
          "Receipt Number IOE0912345678.");
  EXPECT_EQ(received_date(s).value(), day(2025, 10, 3));
  s.submitted = day(2025, 10, 1);
  EXPECT_EQ(received_date(s).value(), day(2025, 10, 1));
  s.form.reset();
  auto no_form = received_date(s);
  ASSERT_FALSE(no_form);
  EXPECT_NE(no_form.error().find("--form FORM --received DATE"), std::string::npos);
  Snapshot undated;
  undated.receipt = "IOE0912345678";
  undated.form = "I-765";
  auto none = received_date(undated);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().find("casewatch add IOE0912345678 --form I-765 --received DATE"),
            std::string::npos);
}

}  // namespace
}  // namespace casewatch::status
