// SPDX-License-Identifier: MIT
// What evaluate() finds on a fixed set of realistic cases, over five years of weekly dates,
// digested and compared to the digest stored for the current rules version (wake.hpp). A
// change of what a rule finds, of a finding's identity or of a wake date changes the digest:
// then raise k_rules_version and append the new digest to k_rules_digests, so that `check`
// works its stored wake dates out again (docs/rules.md, "Wake dates").
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "casewatch/domain/catalog.hpp"
#include "casewatch/domain/rules.hpp"
#include "casewatch/domain/wake.hpp"
#include "casewatch/util/sha256.hpp"
#include "timeline.hpp"

namespace casewatch {
namespace {

using unit::builtin;
using unit::D;
using unit::Timeline;

Month M(int y, unsigned m) {
  return Month{date::year{y}, date::month{m}};
}

Timeline make_case(CaseId id, std::string form, std::optional<std::string> category,
                   std::optional<std::string> office, std::optional<Date> received,
                   std::optional<std::string> receipt = "IOE0912345678") {
  Timeline t;
  t.c.id = id;
  t.c.receipt = std::move(receipt);
  t.c.form = std::move(form);
  t.c.category = std::move(category);
  t.c.office = std::move(office);
  t.c.received = received;
  return t;
}

// EB-2 India: current in 2026-09 to 2026-11, retrogressed in 2026-12, current again in 2027-06.
BulletinTable eb2_india() {
  std::vector<BulletinRow> rows;
  auto cell = [](Date cutoff) { return Cell{Cell::Status::date, cutoff}; };
  for (auto [m, fa] :
       {std::pair(M(2026, 9), D(2013, 9, 1)), std::pair(M(2026, 10), D(2013, 9, 1)),
        std::pair(M(2026, 11), D(2013, 9, 1)), std::pair(M(2026, 12), D(2012, 1, 1)),
        std::pair(M(2027, 1), D(2012, 1, 1)), std::pair(M(2027, 6), D(2014, 1, 1))}) {
    rows.push_back({m, Chart::final_action, "EB2", "IN", cell(fa), "set"});
    rows.push_back({m, Chart::dates_for_filing, "EB2", "IN", cell(D(2014, 6, 1)), "set"});
  }
  return BulletinTable(std::move(rows), {});
}

std::vector<Timeline> realistic_cases() {
  std::vector<Timeline> out;
  // An I-485 at Queens, e-Request without a reply, then an Ombudsman request.
  out.push_back(make_case(1, "I-485", "131A-FAM", "QNS", D(2023, 8, 31)));
  out.back().add(EventKind::e_request, D(2025, 11, 3)).add(EventKind::ombudsman, D(2026, 2, 20));
  // An I-485 outside processing time with a call answered, then an RFE answered.
  out.push_back(make_case(2, "I-485", "131A-FAM", "NBC", D(2023, 2, 1)));
  out.back()
      .add(EventKind::call, D(2025, 9, 14))
      .add(EventKind::reply, D(2025, 9, 30))
      .add(EventKind::rfe, D(2026, 1, 5))
      .add(EventKind::response, D(2026, 3, 1));
  // An EB-2 India I-485 with a priority date that retrogresses.
  out.push_back(make_case(3, "I-485", "131A-EMP", "NBC", D(2022, 3, 1)));
  out.back().c.preference = "EB2";
  out.back().c.chargeability = "IN";
  out.back().c.priority_date = D(2013, 8, 1);
  // An N-400 interviewed, never decided.
  out.push_back(make_case(4, "N-400", std::nullopt, "QNS", D(2024, 9, 1)));
  out.back().add(EventKind::interview, D(2025, 6, 10));
  // An I-765 (c)(9) with an RFE recorded without its due date.
  out.push_back(make_case(5, "I-765", "147-C9", std::nullopt, D(2025, 6, 1)));
  out.back().add(EventKind::rfe, D(2026, 11, 2));
  // An I-130 denied, and an I-129 TN denied.
  out.push_back(make_case(6, "I-130", "114A-SPOUSE", "CSC", D(2024, 1, 10)));
  out.back().add(EventKind::denied, D(2026, 11, 30));
  out.push_back(make_case(7, "I-129", "137-TN", "VSC", D(2026, 8, 1)));
  out.back().add(EventKind::denied, D(2026, 11, 30));
  // An I-90 approved, its card mailed and never delivered.
  out.push_back(make_case(8, "I-90", std::nullopt, "NBC", D(2024, 3, 1)));
  out.back().add(EventKind::approved, D(2025, 2, 1)).add(EventKind::card_mailed, D(2025, 2, 4));
  // An I-131 with a NOID answered.
  out.push_back(make_case(9, "I-131", "141B-OTH", "NBC", D(2025, 1, 15)));
  out.back().add(EventKind::noid, D(2025, 7, 1)).add(EventKind::response, D(2025, 7, 20));
  // A package sent to the lockbox, no receipt yet.
  out.push_back(make_case(10, "I-130", std::nullopt, std::nullopt, std::nullopt, std::nullopt));
  out.back().c.sent = D(2026, 10, 1);
  // A mistyped form, and an I-130 whose office is unknown.
  out.push_back(make_case(11, "I-4855", std::nullopt, std::nullopt, D(2025, 1, 10)));
  out.push_back(make_case(12, "I-130", "114A-PARENT", std::nullopt, D(2025, 4, 2)));
  // A premium-processed I-140.
  out.push_back(make_case(13, "I-140", "136A-E21", "NSC", D(2026, 5, 1)));
  out.back().c.premium_start = D(2026, 5, 4);
  // An approved I-130 on the consular path with an NVC notice, and an EAD with an expedite
  // (docs/rules.md, "The consular stage", "Expedite requests").
  out.push_back(make_case(14, "I-130", "114A-SPOUSE", "NBC", D(2025, 1, 10)));
  out.back().add(EventKind::approved, D(2026, 3, 2)).add(EventKind::nvc_notice, D(2026, 4, 1));
  out.push_back(make_case(15, "I-765", "147-C9", "NBC", D(2026, 5, 4)));
  out.back().add(EventKind::expedite, D(2026, 11, 2));
  return out;
}

std::string opt(const std::optional<Date>& d) {
  return d ? format_date(*d) : "-";
}

// Everything of an evaluation that `check` and the reports rest on, but not the words.
std::string canonical(const Evaluation& ev) {
  std::string s = format_date(ev.as_of) + " " + std::string(to_string(ev.status)) + " " +
                  opt(ev.inquiry_date) + " wake " + opt(ev.wake) + "\n";
  for (const Finding& f : ev.findings) {
    s += " F " + f.rule + " " + std::string(to_string(f.severity)) + " " + format_date(f.since) +
         " " + f.stage + " due " + opt(f.due) + " until " + opt(f.until) +
         (f.assumed ? " assumed" : "") + "\n";
  }
  for (const NextStep& n : ev.next) {
    s += " N " + n.rule + " " + opt(n.on) + " " + std::to_string(n.anchor) + "\n";
  }
  for (const Deadline& dl : ev.deadlines) {
    s += " D " + dl.rule + " " + format_date(dl.due) + " " + std::to_string(dl.anchor) +
         (dl.assumed ? " assumed" : "") + "\n";
  }
  return s;
}

TEST(RulesVersion, TheDigestOfWhatEvaluateFindsIsTheOneOfTheCurrentVersion) {
  static_assert(k_rules_digests.size() == static_cast<std::size_t>(k_rules_version),
                "one digest per rules version: append the new one when raising the version");
  const ProcessingTimeTable table(builtin_processing_times());
  const BulletinTable bulletin = eb2_india();
  std::string all;
  for (const Timeline& t : realistic_cases()) {
    for (Date as_of = D(2024, 1, 1); as_of <= D(2028, 12, 31); as_of += date::days{7}) {
      all += canonical(evaluate(t.c, t.events, table, bulletin, as_of, Detail::dates));
    }
  }
  EXPECT_EQ(sha256::hex(all), k_rules_digests.back())
      << "what evaluate() finds changed: raise k_rules_version in "
         "include/casewatch/domain/wake.hpp and append this digest to k_rules_digests";
}

}  // namespace
}  // namespace casewatch
