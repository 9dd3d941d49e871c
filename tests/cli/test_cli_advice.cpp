// SPDX-License-Identifier: MIT
// The answer to "what now?" as a person reads it: list, suggest, check and the calendar on
// real-looking cases at the boundary dates (docs/rules.md and docs/cli.md).
#include <fstream>
#include <set>

#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

class Advice : public Cli {
 protected:
  void ok(const std::vector<std::string>& args) {
    auto r = run(args);
    ASSERT_EQ(r.code, 0) << r.err;
  }
  json doc(const std::vector<std::string>& args) {
    auto r = run(args);
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out);
  }
  // The rules of the findings of the one case `suggest --json` shows.
  std::set<std::string> rules_of(const json& suggest) {
    std::set<std::string> out;
    for (const auto& f : suggest["cases"][0]["findings"]) {
      out.insert(f["rule"].get<std::string>());
    }
    return out;
  }
};

// An I-485 at QNS received 2022-09-15 (outside processing time since 2024-10-18), with an
// RFE dated 2025-02-03 due 2025-02-27.
TEST_F(Advice, TheRfeLeadsTheOverviewAndPausesTheLadder) {
  ok({"add", "IOE0912345678", "--form", "I-485", "--category", "131A-FAM", "--office", "QNS",
      "--received", "2022-09-15", "--label", "Ana AOS", "--premium", "2024-01-02", "--as-of",
      "2025-02-16"});
  ok({"event", "IOE0912345678", "e-request", "--on", "2024-11-01", "--as-of", "2025-02-16"});
  ok({"event", "IOE0912345678", "rfe", "--on", "2025-02-03", "--due", "2025-02-27", "--as-of",
      "2025-02-16"});
  // 11 days before the due date: the RFE leads, with its deadline in DUE.
  auto list = doc({"list", "--json", "--as-of", "2025-02-16"});
  const auto& c = list["cases"][0];
  EXPECT_EQ(c["now"]["rule"], "rfe-due");
  EXPECT_EQ(c["now"]["severity"], "action");
  EXPECT_EQ(c["due"], "2025-02-27");
  auto text = run({"list", "--as-of", "2025-02-16"});
  EXPECT_NE(text.out.find("  RFE due 02-27  "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("2025-02-27"), std::string::npos);

  // While USCIS waits for the applicant, no delay escalation is offered.
  auto s = doc({"suggest", "IOE0912345678", "--json", "--as-of", "2025-02-16"});
  auto rules = rules_of(s);
  EXPECT_TRUE(rules.contains("rfe-due"));
  EXPECT_FALSE(rules.contains("ombudsman"));
  EXPECT_FALSE(rules.contains("congress"));
  EXPECT_FALSE(rules.contains("premium"));
  EXPECT_FALSE(rules.contains("mandamus"));
  for (const auto& f : s["cases"][0]["findings"]) {
    if (f["rule"] == "inquiry") {
      EXPECT_EQ(f["severity"], "info");
      EXPECT_NE(f["title"].get<std::string>().find("paused"), std::string::npos) << f;
    }
  }
  // The response ends the pause: the ladder is back the same day.
  ok({"event", "IOE0912345678", "response", "--on", "2025-02-20", "--as-of", "2025-02-20"});
  auto after = rules_of(doc({"suggest", "IOE0912345678", "--json", "--as-of", "2025-02-20"}));
  EXPECT_FALSE(after.contains("rfe-due"));
  EXPECT_TRUE(after.contains("inquiry"));
}

// An I-130 with an IOE receipt and no office (rules.md `office-assumed`): every place that
// shows the inquiry date says it rests on the slowest office.
TEST_F(Advice, AnAssumedOfficeIsSaidBesideEveryDateRestingOnIt) {
  auto add = run({"add", "IOE0923456780", "--form", "I-130", "--category", "134A-IR", "--received",
                  "2026-06-01", "--label", "Mother", "--as-of", "2026-07-01"});
  ASSERT_EQ(add.code, 0) << add.err;
  const std::string mark = "(slowest office assumed)";
  EXPECT_NE(add.out.find(mark), std::string::npos) << add.out;
  auto list = run({"list", "--as-of", "2026-07-01"});
  EXPECT_NE(list.out.find(mark), std::string::npos) << list.out;
  auto show = run({"show", "IOE0923456780", "--as-of", "2026-07-01"});
  EXPECT_NE(show.out.find("inquiry date   "), std::string::npos) << show.out;
  EXPECT_NE(show.out.find(mark), std::string::npos) << show.out;
  auto suggest = run({"suggest", "IOE0923456780", "--as-of", "2026-07-01"});
  EXPECT_NE(suggest.out.find(mark), std::string::npos) << suggest.out;
  auto calendar = run({"calendar", "--as-of", "2026-07-01"});
  EXPECT_NE(calendar.out.find(mark), std::string::npos) << calendar.out;
  auto j = doc({"list", "--json", "--as-of", "2026-07-01"});
  EXPECT_EQ(j["cases"][0]["next"]["rule"], "inquiry");
  EXPECT_EQ(j["cases"][0]["next"]["assumed"], true);
  // The office set: nothing is assumed any more.
  ok({"edit", "IOE0923456780", "--office", "NBC", "--as-of", "2026-07-01"});
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"list", "--as-of", "2026-07-01"},
                                             {"show", "IOE0923456780", "--as-of", "2026-07-01"},
                                             {"calendar", "--as-of", "2026-07-01"}}) {
    auto r = run(args);
    EXPECT_EQ(r.out.find(mark), std::string::npos) << args[0] << "\n" << r.out;
  }
  EXPECT_EQ(doc({"list", "--json", "--as-of", "2026-07-01"})["cases"][0]["next"]["assumed"], false);
}

TEST_F(Advice, NoDateMovesWithTodayAndTheCalendarKeepsItsUids) {
  ok({"add", "IOE0912345678", "--form", "I-485", "--category", "131A-FAM", "--office", "QNS",
      "--received", "2022-09-15", "--as-of", "2025-12-01"});
  ok({"add", "IOE0923456789", "--form", "N-400", "--category", "160A", "--office", "QNS",
      "--received", "2024-06-03", "--as-of", "2025-12-01"});
  ok({"event", "IOE0923456789", "interview", "--on", "2025-12-15", "--as-of", "2025-12-01"});
  for (std::string day : {"2025-12-01", "2025-12-02"}) {
    auto l = doc({"list", "--json", "--as-of", day});
    for (const auto& c : l["cases"]) {
      if (!c["next"].is_null() && !c["next"]["on"].is_null()) {
        EXPECT_NE(c["next"]["on"], day) << c;  // never "today" because it is today
      }
    }
  }
  auto first = run({"calendar", "--as-of", "2025-12-01"});
  auto second = run({"calendar", "--as-of", "2025-12-02"});
  ASSERT_EQ(first.code, 0) << first.err;
  auto uids = [](const std::string& ics) {
    std::vector<std::string> out;
    std::istringstream in(ics);
    std::string line;
    while (std::getline(in, line)) {
      if (line.starts_with("UID:")) {
        out.push_back(line);
      }
    }
    return out;
  };
  auto a = uids(first.out);
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, uids(second.out));
  EXPECT_EQ(std::set<std::string>(a.begin(), a.end()).size(), a.size()) << "UIDs are unique";
  // No hypothetical dates: nothing that waits on a contact not made.
  EXPECT_EQ(first.out.find("ongress"), std::string::npos) << first.out;
  EXPECT_EQ(first.out.find("andamus"), std::string::npos) << first.out;
  EXPECT_EQ(first.out.find("mbudsman"), std::string::npos) << first.out;
}

TEST_F(Advice, AGenericReplyDoesNotEndTheCongressionalStep) {
  ok({"add", "LIN2490012345", "--form", "I-765", "--category", "147-C9", "--office", "NSC",
      "--received", "2024-01-16", "--as-of", "2025-01-10"});
  ok({"event", "LIN2490012345", "e-request", "--on", "2025-01-10", "--as-of", "2025-01-10"});
  ok({"event", "LIN2490012345", "reply", "--on", "2025-01-24", "--as-of", "2025-01-24"});
  auto before = rules_of(doc({"suggest", "LIN2490012345", "--json", "--as-of", "2025-02-08"}));
  EXPECT_FALSE(before.contains("congress"));
  EXPECT_FALSE(before.contains("inquiry-followup"));
  auto on = rules_of(doc({"suggest", "LIN2490012345", "--json", "--as-of", "2025-02-09"}));
  EXPECT_TRUE(on.contains("congress"));
  EXPECT_FALSE(on.contains("inquiry-followup"));
  auto omb = rules_of(doc({"suggest", "LIN2490012345", "--json", "--as-of", "2025-03-11"}));
  EXPECT_TRUE(omb.contains("ombudsman"));
}

TEST_F(Advice, DecisionsWithoutAnAppealOfferAMotion) {
  ok({"add", "IOE0912345678", "--form", "I-485", "--category", "131A-FAM", "--office", "QNS",
      "--received", "2023-05-02", "--as-of", "2025-05-20"});
  ok({"event", "IOE0912345678", "denied", "--on", "2025-05-20", "--as-of", "2025-05-20"});
  auto s = doc({"suggest", "IOE0912345678", "--json", "--as-of", "2025-05-21"});
  const auto& f = s["cases"][0]["findings"][0];
  EXPECT_EQ(f["rule"], "appeal-window");
  EXPECT_EQ(f["due"], "2025-06-19");
  std::string words =
      f["title"].get<std::string>() + f["reason"].get<std::string>() + f["how"].get<std::string>();
  EXPECT_NE(words.find("No appeal lies from this decision"), std::string::npos) << words;
  EXPECT_NE(words.find("motion"), std::string::npos) << words;

  ok({"add", "EAC2490012345", "--form", "I-130", "--category", "134A-IR", "--received",
      "2024-02-05", "--as-of", "2025-05-20"});
  ok({"event", "EAC2490012345", "denied", "--on", "2025-05-20", "--as-of", "2025-05-20"});
  auto i130 = doc({"suggest", "EAC2490012345", "--json", "--as-of", "2025-05-21"});
  EXPECT_EQ(i130["cases"][0]["findings"][0]["due"], "2025-06-19");
  EXPECT_NE(i130["cases"][0]["findings"][0]["how"].get<std::string>().find("EOIR-29"),
            std::string::npos);
}

TEST_F(Advice, StaleDataIsOneNoticeAndReasonsSpeakInThePast) {
  add_sample_cases();
  auto first = run({"check", "--as-of", "2025-12-01"}, {"COLUMNS=1000"});  // no line breaks
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_TRUE(first.out.starts_with("casewatch, 2025-12-01: ")) << first.out;
  EXPECT_TRUE(first.out.ends_with("\ncasewatch gives information, not legal advice.\n"));
  auto notes = [](const std::string& s) {
    std::size_t n = 0;
    for (auto p = s.find("Note: "); p != std::string::npos; p = s.find("Note: ", p + 1)) {
      ++n;
    }
    return n;
  };
  EXPECT_EQ(notes(first.out), 1U) << first.out;
  EXPECT_NE(first.out.find("were published on 2024-10-18, 409 days ago"), std::string::npos)
      << first.out;
  EXPECT_EQ(first.out.find("times-stale"), std::string::npos);
  EXPECT_NE(first.out.find("USCIS posted 25.5 months for I-485 at QNS on 2024-10-18"),
            std::string::npos);
  EXPECT_EQ(first.out.find("USCIS posts"), std::string::npos);
  // Said once a month: not again this month, again in the next.
  ASSERT_EQ(
      run({"event", "IOE0912345678", "e-request", "--on", "2025-12-02", "--as-of", "2025-12-02"})
          .code,
      0);
  auto later = run({"check", "--as-of", "2025-12-03"});
  EXPECT_EQ(notes(later.out), 0U) << later.out;
  auto next_month = run({"check", "--as-of", "2026-01-02"});
  EXPECT_EQ(notes(next_month.out), 1U) << next_month.out;
  // JSON carries it at the top, once.
  auto j = doc({"list", "--json", "--as-of", "2025-12-01"});
  ASSERT_EQ(j["notices"].size(), 1U);
  EXPECT_EQ(j["notices"][0]["kind"], "times-stale");
  EXPECT_EQ(j["notices"][0]["published"], "2024-10-18");
  EXPECT_EQ(j["notices"][0]["days_old"], 409);
  EXPECT_EQ(j["notices"][0]["cases"], 3);
}

TEST_F(Advice, DecidedCasesWithSomethingPressingStayInTheOverview) {
  // A denied N-400 with 22 days left to ask for a hearing (N-336).
  ok({"add", "IOE0923456789", "--form", "N-400", "--category", "160A", "--office", "QNS",
      "--received", "2024-06-03", "--label", "Luis", "--as-of", "2025-05-20"});
  ok({"event", "IOE0923456789", "denied", "--on", "2025-05-20", "--as-of", "2025-05-20"});
  // An approved I-765 whose card was mailed 40 days ago and never came.
  ok({"add", "LIN2490012345", "--form", "I-765", "--category", "147-C9", "--office", "NSC",
      "--received", "2024-01-16", "--label", "Ana EAD", "--as-of", "2025-05-28"});
  ok({"event", "LIN2490012345", "approved", "--on", "2025-04-17", "--as-of", "2025-05-28"});
  ok({"event", "LIN2490012345", "card-mailed", "--on", "2025-04-18", "--as-of", "2025-05-28"});
  // A withdrawn case has nothing pressing and stays out.
  ok({"add", "EAC2490012345", "--form", "I-130", "--category", "134A-IR", "--received",
      "2024-02-05", "--as-of", "2025-05-28"});
  ok({"event", "EAC2490012345", "withdrawn", "--on", "2025-05-01", "--as-of", "2025-05-28"});
  auto l = doc({"list", "--json", "--as-of", "2025-05-28"});
  ASSERT_EQ(l["cases"].size(), 2U) << l.dump(2);
  EXPECT_EQ(l["cases"][0]["receipt"], "IOE0923456789");  // urgent first
  EXPECT_EQ(l["cases"][0]["now"]["rule"], "appeal-window");
  EXPECT_EQ(l["cases"][0]["due"], "2025-06-19");
  EXPECT_EQ(l["cases"][1]["now"]["rule"], "non-delivery");
  auto text = run({"list", "--as-of", "2025-05-28"});
  EXPECT_NE(text.out.find("denied: file by 06-19"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("approved: card not received"), std::string::npos) << text.out;
  // Sorted as asked.
  auto by_id = doc({"list", "--json", "--as-of", "2025-05-28", "--sort", "id"});
  EXPECT_EQ(by_id["cases"][0]["receipt"], "IOE0923456789");
  auto by_received = doc({"list", "--json", "--as-of", "2025-05-28", "--sort", "received"});
  EXPECT_EQ(by_received["cases"][0]["receipt"], "LIN2490012345");
  expect_one_error_line(run({"list", "--sort", "size"}), "--sort: 'size' is not a choice");
}

TEST_F(Advice, FindingsCarryLabelFormAndStageForHooks) {
  add_sample_cases();
  fs::path seen = m_dir / "seen.jsonl";
  auto r = run({"check", "--as-of", "2025-12-01", "--notify", "cat >> '" + seen.string() + "'"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream lines(slurp(seen));
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    auto f = json::parse(line);
    EXPECT_TRUE(f.contains("label"));
    EXPECT_TRUE(f.contains("stage"));
    EXPECT_FALSE(f["form"].get<std::string>().empty());
    ++n;
  }
  EXPECT_GT(n, 0);
}

TEST_F(Advice, ACategoryTheUserGaveIsKeptAndSaidWhenAnotherOfficeIsUsed) {
  ok({"add", "LIN2590012345", "--form", "I-765", "--category", "147-C3", "--office", "NSC",
      "--received", "2025-01-02", "--as-of", "2025-07-01"});
  auto s = doc({"show", "LIN2590012345", "--json", "--as-of", "2025-07-01"});
  EXPECT_EQ(s["case"]["inquiry_date"], "2025-06-02");
  EXPECT_EQ(s["processing_time"]["office"], "YSC");
  ASSERT_TRUE(s["row_note"].is_string());
  EXPECT_NE(s["row_note"].get<std::string>().find("NSC"), std::string::npos) << s["row_note"];
  auto text = run({"show", "LIN2590012345", "--as-of", "2025-07-01"});
  EXPECT_NE(text.out.find(s["row_note"].get<std::string>().substr(0, 20)), std::string::npos);
  EXPECT_TRUE(text.out.ends_with("casewatch gives information, not legal advice.\n"));
}

TEST_F(Advice, CommandsInTheAdviceAreShellSafe) {
  ok({"add", "--sent", "2026-03-02", "--form", "I-130", "--as-of", "2026-04-20"});
  auto s = doc({"suggest", "1", "--json", "--as-of", "2026-04-20"});
  const auto& f = s["cases"][0]["findings"][0];
  EXPECT_EQ(f["rule"], "lockbox");
  EXPECT_EQ(f["since"], "2026-04-14");
  std::string how = f["how"];
  EXPECT_EQ(how.find("edit #1"), std::string::npos) << how;
  EXPECT_NE(how.find("edit '#1'"), std::string::npos) << how;
}

TEST_F(Advice, TimesSetNeverStoresARowNoCaseCouldChooseSilently) {
  create_database();
  std::string before = dump();
  auto several = run({"times", "set", "I-765", "--months", "5", "--office", "NSC"});
  expect_one_error_line(several, "I-765 at NSC has 7 categories");
  EXPECT_NE(several.err.find("147-C9 (Based on a pending I-485 adjustment application"),
            std::string::npos)
      << several.err;
  EXPECT_EQ(dump(), before);
  // One category at that office: it is taken.
  auto one = run({"times", "set", "N-400", "--months", "7", "--office", "QNS", "--json"});
  ASSERT_EQ(one.code, 0) << one.err;
  EXPECT_EQ(json::parse(one.out)["row"]["category"], "160A") << one.out;
  // A row older than the one in use is stored with a warning naming the winner.
  auto older = run({"times", "set", "I-765", "--months", "5", "--category", "147-C9", "--office",
                    "NSC", "--published", "2024-01-01"});
  ASSERT_EQ(older.code, 0) << older.err;
  EXPECT_NE(older.err.find("the row published 2024-10-18 (built-in) is newer and stays in use"),
            std::string::npos)
      << older.err;
}

TEST_F(Advice, AnRfeWithoutItsDueDateSaysWhatIsAssumed) {
  add_sample_cases();
  auto rfe = run({"event", "IOE0912345678", "rfe", "--on", "2025-02-03", "--as-of", "2025-02-10"});
  ASSERT_EQ(rfe.code, 0) << rfe.err;
  EXPECT_NE(rfe.err.find("give the response date printed on the notice (--due DATE); assuming "
                         "2025-04-28, 84 days after the RFE of 2025-02-03"),
            std::string::npos)
      << rfe.err;
  // An N-400's N-14: 30 days (8 CFR 335.7).
  auto n14 = run({"event", "IOE0923456789", "rfe", "--on", "2025-02-03", "--as-of", "2025-02-10"});
  EXPECT_NE(n14.err.find("assuming 2025-03-05, 30 days"), std::string::npos) << n14.err;
  // With the date on the notice, nothing is assumed.
  auto given = run({"event", "EAC2490012345", "rfe", "--on", "2025-02-03", "--due", "2025-05-01",
                    "--as-of", "2025-02-10"});
  EXPECT_EQ(given.err.find("assuming"), std::string::npos) << given.err;
  auto s = doc({"suggest", "IOE0912345678", "--json", "--as-of", "2025-04-20"});
  bool said = false;
  for (const auto& f : s["cases"][0]["findings"]) {
    if (f["rule"] == "rfe-due") {
      said = f["reason"].get<std::string>().find("assumed") != std::string::npos ||
             f["title"].get<std::string>().find("assumed") != std::string::npos;
    }
  }
  EXPECT_TRUE(said) << s.dump(2);
}

// Third edition: after an e-Request the inquiry is info, the Ombudsman window's last day is in
// the JSON and in the calendar, and an assumed RFE due date is marked.
TEST_F(Advice, AfterAnERequestTheOmbudsmanWindowHasAnEndAndAssumedDatesAreMarked) {
  ok({"add", "IOE0912345678", "--form", "I-485", "--category", "131A-FAM", "--office", "QNS",
      "--received", "2023-05-02", "--label", "Ana", "--as-of", "2026-12-07"});
  ok({"event", "IOE0912345678", "e-request", "--on", "2026-09-14", "--as-of", "2026-12-07"});
  json s = doc({"suggest", "IOE0912345678", "--json", "--as-of", "2026-12-07"});
  bool ombudsman = false;
  for (const auto& f : s["cases"][0]["findings"]) {
    if (f["rule"] == "inquiry") {
      EXPECT_EQ(f["severity"], "info");
      EXPECT_EQ(f["stage"], "contacted");
      EXPECT_EQ(f["title"].get<std::string>().find("you may file an e-Request"), std::string::npos);
    }
    if (f["rule"] == "ombudsman") {
      ombudsman = true;
      EXPECT_EQ(f["severity"], "urgent");
      EXPECT_EQ(f["until"], "2026-12-13");
    }
  }
  EXPECT_TRUE(ombudsman);
  auto text = run({"suggest", "IOE0912345678", "--as-of", "2026-12-07"}).out;
  EXPECT_EQ(text.find("you may file an e-Request"), std::string::npos) << text;
  auto ics = run({"calendar", "--as-of", "2026-12-07"}).out;
  EXPECT_NE(ics.find("DTSTART;VALUE=DATE:20261113"), std::string::npos) << ics;
  EXPECT_NE(ics.find("DTSTART;VALUE=DATE:20261213"), std::string::npos) << ics;
  // An RFE recorded without --due: due 2027-01-25, assumed, in JSON and the calendar.
  ok({"add", "LIN2690012345", "--form", "I-765", "--category", "147-C9", "--office", "NSC",
      "--received", "2026-06-01", "--label", "Bo", "--as-of", "2026-12-07"});
  ok({"event", "LIN2690012345", "rfe", "--on", "2026-11-02", "--as-of", "2026-12-07"});
  json r = doc({"suggest", "LIN2690012345", "--json", "--as-of", "2026-12-07"});
  bool rfe = false;
  for (const auto& f : r["cases"][0]["findings"]) {
    if (f["rule"] == "rfe-due") {
      rfe = true;
      EXPECT_EQ(f["due"], "2027-01-25");
      EXPECT_EQ(f["assumed"], true);
      EXPECT_EQ(f["since"], "2026-11-02");
    }
  }
  EXPECT_TRUE(rfe);
  auto ics2 = run({"calendar", "--as-of", "2026-12-07"}).out;
  EXPECT_NE(ics2.find("(assumed: check the notice)"), std::string::npos) << ics2;
}

// A form casewatch does not know (rules.md `form-unknown`): confirmed with --form-known or
// with the same --form again, the case keeps the 6-month rule; another form clears it; undo,
// export and import carry it.
TEST_F(Advice, AConfirmedUnknownFormKeepsTheSixMonthRule) {
  auto add = run({"add", "IOE0912345670", "--form", "I-4855", "--received", "2024-01-10"});
  ASSERT_EQ(add.code, 0) << add.err;
  EXPECT_NE(add.err.find("did you mean I-485?"), std::string::npos) << add.err;
  EXPECT_NE(add.err.find("--form-known"), std::string::npos) << add.err;
  auto before = rules_of(doc({"suggest", "IOE0912345670", "--json"}));
  EXPECT_TRUE(before.contains("form-unknown"));
  EXPECT_FALSE(before.contains("inquiry"));

  auto confirm = run({"edit", "IOE0912345670", "--form-known"});
  ASSERT_EQ(confirm.code, 0) << confirm.err;
  EXPECT_EQ(confirm.err, "");
  auto after = doc({"suggest", "IOE0912345670", "--json"});
  EXPECT_FALSE(rules_of(after).contains("form-unknown"));
  EXPECT_TRUE(rules_of(after).contains("inquiry"));
  auto show = doc({"show", "IOE0912345670", "--json"});
  EXPECT_EQ(show["case"]["inquiry_date"], "2024-07-10") << show;
  auto list = run({"list"});
  EXPECT_EQ(list.out.find("check the form"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("e-Request"), std::string::npos) << list.out;

  // Export and import carry the confirmation, in JSON and CSV.
  auto exported = doc({"export"});
  EXPECT_EQ(exported["cases"][0]["form_known"], "yes");
  auto csv = run({"export", "--format", "csv"});
  EXPECT_NE(csv.out.find(",form_known\n"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find(",yes\n"), std::string::npos) << csv.out;
  fs::path csv_file = m_dir / "cases.csv";
  std::ofstream(csv_file) << csv.out;
  fs::path other = m_dir / "other.db";
  ASSERT_EQ(run({"--db", other.string(), "import", csv_file.string()}).code, 0);
  EXPECT_FALSE(rules_of(doc({"--db", other.string(), "suggest", "IOE0912345670", "--json"}))
                   .contains("form-unknown"));

  // undo takes the confirmation back.
  ASSERT_EQ(run({"undo"}).code, 0);
  EXPECT_TRUE(rules_of(doc({"suggest", "IOE0912345670", "--json"})).contains("form-unknown"));
  // The same form typed again confirms it, without the warning.
  auto again = run({"edit", "IOE0912345670", "--form", "i-4855"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.err, "");
  EXPECT_FALSE(rules_of(doc({"suggest", "IOE0912345670", "--json"})).contains("form-unknown"));
  // Another form clears it: back to I-4855 is not confirmed until it is typed again.
  ASSERT_EQ(run({"edit", "IOE0912345670", "--form", "I-485"}).code, 0);
  auto back = run({"edit", "IOE0912345670", "--form", "I-4855"});
  EXPECT_NE(back.err.find("did you mean I-485?"), std::string::npos) << back.err;
  EXPECT_TRUE(rules_of(doc({"suggest", "IOE0912345670", "--json"})).contains("form-unknown"));
  // add --form-known confirms from the start.
  auto known = run({"add", "--form", "I-4855", "--sent", "2026-01-05", "--form-known"});
  ASSERT_EQ(known.code, 0) << known.err;
  EXPECT_EQ(known.err, "");
}

// The user set NBC on an I-485: NBC hands it to a field office, and `list` asks for that
// (rules.md `office-assumed`).
TEST_F(Advice, AnNbcI485AsksForTheFieldOffice) {
  ASSERT_EQ(run({"add", "MSC2490012345", "--form", "I-485", "--category", "131A-FAM", "--office",
                 "NBC", "--received", "2024-03-15"})
                .code,
            0);
  auto list = run({"list"});
  EXPECT_NE(list.out.find("NBC: set the field office"), std::string::npos) << list.out;
  auto s = doc({"suggest", "MSC2490012345", "--json"});
  bool asked = false;
  for (const auto& f : s["cases"][0]["findings"]) {
    if (f["rule"] == "office-assumed" || f["rule"] == "office-needed") {
      asked = true;
      EXPECT_EQ(f["stage"], "nbc-field-office") << f;
      EXPECT_NE(f["title"].get<std::string>().find("field office"), std::string::npos) << f;
    }
  }
  EXPECT_TRUE(asked) << s;
}

}  // namespace
}  // namespace casewatch_test
