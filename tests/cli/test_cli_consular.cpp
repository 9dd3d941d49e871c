// SPDX-License-Identifier: MIT
// The consular stage and expedite requests on the command line (docs/cli.md, "Event kinds";
// docs/rules.md, "The consular stage", "Expedite requests"): bad input is exit 2 with the
// database untouched; an approved petition stays in the overview; suggest prints the
// expedite checklist. Today is 2026-11-28 (the fixture).
#include <fstream>

#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

class CliConsular : public Cli {
 protected:
  void add_petition() {
    ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-130", "--received", "2025-01-10", "--path",
                   "consular", "--label", "Spouse"})
                  .code,
              0);
  }
  void add_ead() {
    ASSERT_EQ(run({"add", "IOE0912345679", "--form", "I-765", "--category", "147-C9", "--received",
                   "2026-05-04", "--label", "Ana EAD"})
                  .code,
              0);
  }
};

TEST_F(CliConsular, AVisaBeforeTheApprovalIsRefused) {
  add_petition();
  std::string before = dump();
  expect_one_error_line(
      run({"event", "IOE0912345678", "visa-issued", "--on", "2026-10-01", "--class", "CR1"}),
      "no approval on or before 2026-10-01");
  EXPECT_EQ(dump(), before);
  ASSERT_EQ(run({"event", "IOE0912345678", "approved", "--on", "2026-09-15"}).code, 0);
  expect_one_error_line(run({"event", "IOE0912345678", "visa-issued", "--on", "2026-09-14"}),
                        "no approval on or before 2026-09-14");
  Result ok = run({"event", "IOE0912345678", "visa-issued", "--on", "2026-10-01", "--due",
                   "2027-03-31", "--class", "cr-1"});
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.out.find("class CR1"), std::string::npos) << ok.out;
}

TEST_F(CliConsular, AResponseWithoutA221gIsRefused) {
  add_petition();
  ASSERT_EQ(run({"event", "IOE0912345678", "approved", "--on", "2026-09-15"}).code, 0);
  std::string before = dump();
  expect_one_error_line(run({"event", "IOE0912345678", "221g-response", "--on", "2026-11-01"}),
                        "has no 221g on or before 2026-11-01");
  EXPECT_EQ(dump(), before);
  ASSERT_EQ(run({"event", "IOE0912345678", "221g", "--on", "2026-10-20"}).code, 0);
  EXPECT_EQ(run({"event", "IOE0912345678", "221g-response", "--on", "2026-11-01"}).code, 0);
}

TEST_F(CliConsular, ExpediteOptionsAreChecked) {
  add_ead();
  std::string before = dump();
  expect_one_error_line(run({"event", "IOE0912345679", "expedite", "--basis", "finanical"}),
                        "(did you mean financial?)");
  expect_one_error_line(run({"event", "IOE0912345679", "expedite", "--basis", "money"}),
                        "--basis: 'money' is not one of financial, humanitarian");
  expect_one_error_line(run({"event", "IOE0912345679", "expedite", "--need-by", "2026-11-27"}),
                        "--need-by: 2026-11-27 is in the past (today is 2026-11-28)");
  expect_one_error_line(run({"event", "IOE0912345679", "expedite", "--channel", "fax"}),
                        "--channel: 'fax' is not one of call, online, letter");
  expect_one_error_line(run({"event", "IOE0912345679", "call", "--basis", "financial"}),
                        "--basis: only an expedite event takes it, not call");
  expect_one_error_line(run({"event", "IOE0912345679", "rfe", "--admin"}),
                        "--admin: only a 221g event takes it");
  expect_one_error_line(run({"event", "IOE0912345679", "note", "--class", "CR1"}),
                        "--class: only a visa-issued or entered event takes it");
  expect_one_error_line(run({"event", "IOE0912345679", "evidence", "--note", "bank letter"}),
                        "has none; record it first");
  EXPECT_EQ(dump(), before);
}

TEST_F(CliConsular, SuggestPrintsTheExpediteChecklist) {
  add_ead();
  ASSERT_EQ(run({"event", "IOE0912345679", "expedite", "--on", "2026-11-20", "--basis", "financial",
                 "--channel", "call", "--need-by", "2026-12-05"})
                .code,
            0);
  expect_one_error_line(
      run({"event", "IOE0912345679", "evidence", "--for", "7", "--note", "bank letter"}),
      "'7' is not an expedite of IOE0912345679; its expedites: 1 (2026-11-20)");
  ASSERT_EQ(run({"event", "IOE0912345679", "evidence", "--on", "2026-11-21", "--note",
                 "letter from the employer"})
                .code,
            0);
  Result s = run({"suggest", "IOE0912345679"});
  ASSERT_EQ(s.code, 0) << s.err;
  for (const char* needle :
       {"Expedite request (event 1, 2026-11-20, by call, needed by 2026-12-05):",
        "severe financial loss", "[x] 2026-11-21: letter from the employer",
        "the reference USCIS gave", "(expedite-needby)", "(expedite-basis)"}) {
    EXPECT_NE(s.out.find(needle), std::string::npos) << needle << "\n" << s.out;
  }
  Result j = run({"--json", "suggest", "IOE0912345679"});
  ASSERT_EQ(j.code, 0) << j.err;
  json x = json::parse(j.out).at("cases").at(0).at("expedite");
  EXPECT_EQ(x.at("n"), 1);
  EXPECT_EQ(x.at("evidence").at(0), "2026-11-21: letter from the employer");
  Result show = run({"--json", "show", "IOE0912345679"});
  json events = json::parse(show.out).at("events");
  EXPECT_EQ(events.at(0).at("basis"), json::array({"financial"}));
  EXPECT_EQ(events.at(0).at("channel"), "call");
  EXPECT_EQ(events.at(0).at("need_by"), "2026-12-05");
  EXPECT_EQ(events.at(1).at("for"), 1);
  // Denied: the checklist goes, the denial's words come.
  ASSERT_EQ(run({"event", "IOE0912345679", "expedite-denied", "--on", "2026-11-27"}).code, 0);
  s = run({"suggest", "IOE0912345679"});
  EXPECT_EQ(s.out.find("Expedite request (event"), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("does not review expedite denials"), std::string::npos) << s.out;
}

TEST_F(CliConsular, AnApprovedPetitionStaysInTheList) {
  add_petition();
  ASSERT_EQ(run({"event", "IOE0912345678", "approved", "--on", "2026-09-15"}).code, 0);
  Result list = run({"--json", "list"});
  ASSERT_EQ(list.code, 0) << list.err;
  json cases = json::parse(list.out).at("cases");
  ASSERT_EQ(cases.size(), 1U) << list.out;
  Result s = run({"suggest", "IOE0912345678"});
  EXPECT_NE(s.out.find("Public Inquiry Form"), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("(nvc-transfer)"), std::string::npos) << s.out;
  // With the NVC case number nothing is due, and the case stays until it ends.
  ASSERT_EQ(
      run({"event", "IOE0912345678", "nvc-case", "--on", "2026-11-20", "--ref", "MEX2026123456"})
          .code,
      0);
  list = run({"--json", "list"});
  EXPECT_EQ(json::parse(list.out).at("cases").size(), 1U) << list.out;
  // The visa refused: the stage ended, nothing to say, the list drops it.
  ASSERT_EQ(run({"event", "IOE0912345678", "visa-refused", "--on", "2026-11-25"}).code, 0);
  list = run({"--json", "list"});
  EXPECT_EQ(json::parse(list.out).at("cases").size(), 0U) << list.out;
}

TEST_F(CliConsular, ADerivativeNamesItsPrincipal) {
  add_petition();
  std::string before = dump();
  expect_one_error_line(run({"add", "IOE0912345670", "--form", "I-130", "--received", "2025-01-10",
                             "--derivative-of", "IOE0999999999"}),
                        "IOE0999999999");
  EXPECT_EQ(dump(), before);
  ASSERT_EQ(run({"add", "IOE0912345670", "--form", "I-130", "--received", "2025-01-10",
                 "--derivative-of", "IOE0912345678"})
                .code,
            0);
  Result show = run({"--json", "show", "IOE0912345670"});
  EXPECT_EQ(json::parse(show.out).at("case").at("derivative_of"), 1) << show.out;
  // A label names the principal too, and `show` says whose derivative it is.
  ASSERT_EQ(run({"edit", "IOE0912345678", "--label", "Ana I-130"}).code, 0);
  ASSERT_EQ(run({"add", "IOE0912345671", "--form", "I-130", "--received", "2025-01-10",
                 "--derivative-of", "Ana I-130", "--holder", "Leo"})
                .code,
            0);
  Result text = run({"show", "IOE0912345671"});
  EXPECT_NE(text.out.find("  derivative of  IOE0912345678 (#1) 'Ana I-130'\n"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("  holder         Leo\n"), std::string::npos) << text.out;
}

// An import whose derivative names no case of the file or the database is refused, nothing
// written; one naming a stored case by its receipt links to it (#25, docs/cli.md `export`).
TEST_F(CliConsular, AnImportedDerivativeNamesACaseOfTheFileOrTheDatabase) {
  add_petition();
  auto file = [&](const std::string& principal) {
    fs::path p = m_dir / "derivative.json";
    std::ofstream(p, std::ios::binary)
        << "{\"format\": \"casewatch-export\", \"version\": 1, \"cases\": [{\"receipt\": "
           "\"IOE0912345670\", \"form\": \"I-130\", \"received\": \"2025-01-10\", "
           "\"derivative_of\": \""
        << principal << "\"}]}";
    return p.string();
  };
  std::string before = dump();
  Result bad = run({"import", file("IOE0999999999")});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("case 1, field derivative_of: 'IOE0999999999' names no case"),
            std::string::npos)
      << bad.err;
  EXPECT_EQ(dump(), before);
  Result good = run({"import", file("IOE0912345678")});
  ASSERT_EQ(good.code, 0) << good.err;
  Result show = run({"--json", "show", "IOE0912345670"});
  EXPECT_EQ(json::parse(show.out).at("case").at("derivative_of"), 1) << show.out;
}

// event edit changes the options of an expedite, a 221g, a visa, checked as event checks
// them (exit 2, nothing written), journaled and undone (#25).
TEST_F(CliConsular, EventEditChangesTheOptions) {
  add_ead();
  ASSERT_EQ(run({"event", "IOE0912345679", "expedite", "--on", "2026-11-20", "--basis", "financial",
                 "--channel", "call", "--need-by", "2027-01-15"})
                .code,
            0);
  std::string before = dump();
  expect_one_error_line(run({"event", "edit", "IOE0912345679", "1", "--basis", "finanical"}),
                        "(did you mean financial?)");
  expect_one_error_line(run({"event", "edit", "IOE0912345679", "1", "--need-by", "2026-11-01"}),
                        "2026-11-01 is in the past");
  expect_one_error_line(run({"event", "edit", "IOE0912345679", "1", "--class", "CR1"}),
                        "only a visa-issued or entered event takes it");
  EXPECT_EQ(dump(), before);
  Result edit = run({"event", "edit", "IOE0912345679", "1", "--basis", "humanitarian", "--basis",
                     "error", "--channel", "online", "--need-by", "2027-02-01"});
  ASSERT_EQ(edit.code, 0) << edit.err;
  json e = json::parse(run({"--json", "show", "IOE0912345679"}).out).at("events").at(0);
  EXPECT_EQ(e.at("basis"), json::array({"humanitarian", "error"})) << e;
  EXPECT_EQ(e.at("channel"), "online") << e;
  EXPECT_EQ(e.at("need_by"), "2027-02-01") << e;
  ASSERT_EQ(run({"undo"}).code, 0);
  EXPECT_EQ(dump(), before);
  add_petition();
  ASSERT_EQ(run({"event", "IOE0912345678", "approved", "--on", "2026-09-15"}).code, 0);
  ASSERT_EQ(run({"event", "IOE0912345678", "221g", "--on", "2026-10-01"}).code, 0);
  ASSERT_EQ(run({"event", "edit", "IOE0912345678", "2", "--admin"}).code, 0);
  e = json::parse(run({"--json", "show", "IOE0912345678"}).out).at("events").at(1);
  EXPECT_EQ(e.at("admin"), true) << e;
}

// Every stage of a consular clock is a calendar event, each with a UID that stays the same
// from one day to the next (#25, docs/cli.md `calendar`).
TEST_F(CliConsular, TheCalendarHoldsEveryStageOfAClock) {
  add_petition();
  ASSERT_EQ(run({"event", "IOE0912345678", "approved", "--on", "2026-02-01"}).code, 0);
  ASSERT_EQ(run({"event", "IOE0912345678", "221g", "--on", "2026-03-10"}).code, 0);
  // 221(g) of 2026-03-10: due 2027-03-10; info 2026-12-10, action 2027-01-09, urgent 2027-02-08,
  // terminated from 2027-03-11.
  Result today = run({"calendar"});
  Result tomorrow = run({"calendar"}, {"CASEWATCH_TODAY=2026-11-29"});
  ASSERT_EQ(today.code, 0) << today.err;
  for (const std::string stage : {"open", "act", "closing", "terminated"}) {
    std::string uid = "UID:ioe0912345678-iv-221g-docs-next-event2-" + stage + "@casewatch";
    EXPECT_NE(today.out.find(uid), std::string::npos) << uid << "\n" << today.out;
    EXPECT_NE(tomorrow.out.find(uid), std::string::npos) << uid << "\n" << tomorrow.out;
  }
  for (const std::string day : {"20261210", "20270109", "20270208", "20270311"}) {
    EXPECT_NE(today.out.find("DTSTART;VALUE=DATE:" + day), std::string::npos) << day;
  }
}

}  // namespace
}  // namespace casewatch_test
