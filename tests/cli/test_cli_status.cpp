// SPDX-License-Identifier: MIT
// `status import` and `status add`: USCIS's own status words become dated events, and
// `check` reports them (docs/cli.md; docs/rules.md "USCIS's status words").
#include <fstream>

#include "../schema_history.hpp"
#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

std::string data(const std::string& name) {
  // Built by appending: GCC 12 at -O3 warns falsely (array-bounds) on a chain of `+` here.
  std::string path = CASEWATCH_TEST_DATA;
  path += "/status/";
  path += name;
  return path;
}

class CliStatus : public Cli {
 protected:
  // Writes `content` to a file of the test's own directory and returns its path.
  std::string file(const std::string& name, const std::string& content) {
    fs::path p = m_dir / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  // A status block as copied from the Case Status page, for IOE0912345678's I-485.
  static std::string block(const std::string& title, const std::string& sentence) {
    return title + "\n\n" + sentence +
           " your Form I-485, Application to Register Permanent Residence or Adjust Status, "
           "Receipt Number IOE0912345678. If you move, go to www.uscis.gov/addresschange to "
           "give us your new mailing address.\n";
  }
  int count_events() {
    SQLite::Database db(m_db.string());
    return db.execAndGet("SELECT count(*) FROM events").getInt();
  }
  // The new findings of `check` on `day`, as (rule, severity, title).
  std::vector<std::tuple<std::string, std::string, std::string>> check_on(const std::string& day) {
    Result r = run({"check", "--json", "--as-of", day});
    EXPECT_EQ(r.code, 0) << r.err;
    std::vector<std::tuple<std::string, std::string, std::string>> out;
    const json doc = json::parse(r.out);
    for (const json& f : doc["new"]) {
      out.emplace_back(f["rule"].get<std::string>(), f["severity"].get<std::string>(),
                       f["title"].get<std::string>());
    }
    return out;
  }
  static bool has(const std::vector<std::tuple<std::string, std::string, std::string>>& found,
                  const std::string& rule, const std::string& severity,
                  const std::string& title_part = {}) {
    return std::any_of(found.begin(), found.end(), [&](const auto& f) {
      return std::get<0>(f) == rule && std::get<1>(f) == severity &&
             std::get<2>(f).find(title_part) != std::string::npos;
    });
  }
};

TEST_F(CliStatus, ApiAnswerWithHistoryAddsTheCaseAndItsTimeline) {
  Result skipped = run({"status", "import", data("api-with-history.json")});
  EXPECT_EQ(skipped.code, 0) << skipped.err;
  EXPECT_EQ(skipped.out, "EAC2490012345: not in the database; skipped.\n");
  EXPECT_NE(skipped.err.find("EAC2490012345 is not in the database; skipped (import again with "
                             "--add to add it)"),
            std::string::npos)
      << skipped.err;

  Result r = run({"status", "import", "--add", data("api-with-history.json")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "EAC2490012345 (case added): 4 new events (Case Was Received on 2026-09-02, Case Was "
            "Approved on 2026-11-12, New Card Is Being Produced on 2026-11-16, Card Was Mailed To "
            "Me on 2026-11-20).\n");
  Result show = run({"show", "EAC2490012345", "--json"});
  ASSERT_EQ(show.code, 0) << show.err;
  json j = json::parse(show.out);
  EXPECT_EQ(j["case"]["form"], "I-765");
  EXPECT_EQ(j["case"]["received"], "2026-09-02");
  EXPECT_EQ(j["case"]["status"], "approved");
  const json& mailed = j["events"][3];
  EXPECT_EQ(mailed["kind"], "card-mailed");
  EXPECT_EQ(mailed["date"], "2026-11-20");
  EXPECT_EQ(mailed["due"], "2026-12-20");  // USCIS's own "by" date
  EXPECT_EQ(mailed["source"], "api");
  EXPECT_EQ(mailed["observed"], "2026-11-28");
  EXPECT_EQ(mailed["title"], "Card Was Mailed To Me");

  // The same file again adds nothing.
  const std::string before = dump();
  Result again = run({"status", "import", data("api-with-history.json")});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.out, "EAC2490012345: nothing new.\n");
  EXPECT_EQ(dump(), before);

  // USCIS's "by" date drives non-delivery: not on mailing + 30 (2026-12-20 here, the same),
  // but from the day after USCIS's date.
  auto on_due = check_on("2026-12-20");
  EXPECT_FALSE(has(on_due, "non-delivery", "action"));
  auto after = check_on("2026-12-21");
  EXPECT_TRUE(has(after, "non-delivery", "action", "The card USCIS mailed on 2026-11-20"));
}

TEST_F(CliStatus, IoeAnswerWithoutDatesAndJsonLines) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2026-03-02"}).code, 0);
  Result r = run({"status", "import", data("api-ioe-no-dates.json"), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  json j = json::parse(r.out);
  ASSERT_EQ(j["cases"].size(), 1U);
  EXPECT_EQ(j["cases"][0]["receipt"], "IOE0912345678");
  EXPECT_EQ(j["cases"][0]["added"], false);
  EXPECT_EQ(j["cases"][0]["skipped"], false);
  EXPECT_TRUE(j["cases"][0]["silent_update"].is_null());
  ASSERT_EQ(j["cases"][0]["events"].size(), 1U);
  EXPECT_EQ(j["cases"][0]["events"][0]["kind"], "review");
  EXPECT_EQ(j["cases"][0]["events"][0]["date"], "2026-10-28");  // "As of October 28, 2026"
}

TEST_F(CliStatus, AnErrorBodyWritesNothing) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2026-03-02"}).code, 0);
  const std::string before = dump();
  // With a good file before it: all files are read before anything is written.
  Result r = run({"status", "import", data("api-ioe-no-dates.json"), data("api-error.json")});
  expect_one_error_line(r,
                        "USCIS answered with an error: The receipt number you entered is not "
                        "valid. Check the number and try again. (code 1002)");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(dump(), before);
}

// Issue 21, item 7: "&#x1b;" in a status title gave the event a raw ESC; export wrote it and
// import of that export refused it, so the backup could not be restored. Decoded text is
// checked as typed text is: the status is refused, naming the character, and nothing is
// written.
TEST_F(CliStatus, AnEntityNamingAControlCharacterIsRefusedLikeTypedText) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2026-03-02"}).code, 0);
  const fs::path file = m_dir / "escape.json";
  std::ofstream(file) << R"({"case_status": {"receiptNumber": "IOE0912345678", )"
                         R"("formType": "I-485", "current_case_status_text_en": )"
                         R"("Case Was Approved&#x1b;[2J", "current_case_status_desc_en": )"
                         R"("On May 1, 2026, we approved your case."}})";
  const std::string before = dump();
  Result r = run({"status", "import", file.string()});
  EXPECT_EQ(r.code, 2) << r.err;
  expect_one_error_line(r,
                        "the status title 'Case Was Approved\\x1b[2J', once its HTML entities "
                        "are decoded, holds a control character (U+001B) at position 18");
  EXPECT_EQ(dump(), before);
  // What is stored can always be exported and imported again.
  const fs::path out = m_dir / "backup.json";
  ASSERT_EQ(run({"export", "-o", out.string()}).code, 0);
  Result again = run({"--db", (m_dir / "restored.db").string(), "import", out.string()});
  EXPECT_EQ(again.code, 0) << again.err;
}

TEST_F(CliStatus, MyUscisSignedOutSaysToSignIn) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2026-03-02"}).code, 0);
  const std::string before = dump();
  Result r = run({"status", "import", data("myuscis-signed-out.json")});
  expect_one_error_line(r, "sign in to your USCIS account and copy the page again");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(dump(), before);
}

TEST_F(CliStatus, MyUscisSilentUpdate) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2026-03-02"}).code, 0);
  Result first = run({"status", "import", data("myuscis-signed-in.json")});
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_EQ(first.out, "IOE0912345678: 1 new event (Interview Was Scheduled on 2026-10-14).\n");
  EXPECT_NE(first.err.find("the interview's date is on the notice: casewatch event IOE0912345678 "
                           "interview --on DATE"),
            std::string::npos)
      << first.err;
  EXPECT_EQ(run({"status", "import", data("myuscis-signed-in.json")}).out,
            "IOE0912345678: nothing new.\n");
  Result second = run({"status", "import", data("myuscis-signed-in-updated.json")});
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_EQ(second.out,
            "IOE0912345678: USCIS updated the case without a new status on 2026-11-03.\n");
  auto found = check_on("2026-11-28");
  EXPECT_TRUE(
      has(found, "status", "info", "USCIS updated the case without a new status on 2026-11-03"));
  // Importing the later page again is no second silent update.
  EXPECT_EQ(run({"status", "import", data("myuscis-signed-in-updated.json")}).out,
            "IOE0912345678: nothing new.\n");
}

// The status snapshot is journaled with the events of the import (#26 item 7): undo of a status
// import brings back the snapshot before it, so the same page imported again is news again.
TEST_F(CliStatus, UndoOfAStatusImportRestoresTheSnapshotBeforeIt) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2026-03-02"}).code, 0);
  ASSERT_EQ(run({"status", "import", data("myuscis-signed-in.json")}).code, 0);
  auto snapshots = [&] {
    SQLite::Database db(m_db.string());
    SQLite::Statement q(db, "SELECT source, fingerprint, observed FROM status_snapshots");
    std::string s;
    while (q.executeStep()) {
      s += q.getColumn(0).getString() + "|" + q.getColumn(1).getString() + "|" +
           q.getColumn(2).getString() + "\n";
    }
    return s;
  };
  const std::string snapshot_before = snapshots();
  const std::string rows_before = dump();
  ASSERT_FALSE(snapshot_before.empty());
  Result second = run({"status", "import", data("myuscis-signed-in-updated.json")});
  ASSERT_EQ(second.code, 0) << second.err;
  ASSERT_NE(snapshots(), snapshot_before);
  Result log = run({"log", "IOE0912345678"});
  EXPECT_NE(log.out.find("USCIS status of IOE0912345678 recorded"), std::string::npos) << log.out;

  Result undo = run({"undo"});
  ASSERT_EQ(undo.code, 0) << undo.err;
  EXPECT_EQ(undo.out.rfind("Undid #3: ", 0), 0U) << undo.out;
  EXPECT_EQ(snapshots(), snapshot_before);
  EXPECT_EQ(dump(), rows_before);  // the case and its events as before the import
  // The later page is news again, as it was the first time.
  EXPECT_EQ(run({"status", "import", data("myuscis-signed-in-updated.json")}).out,
            "IOE0912345678: USCIS updated the case without a new status on 2026-11-03.\n");
  EXPECT_EQ(run({"log", "--verify"}).code, 0);
}

TEST_F(CliStatus, UnknownTitleIsKeptAsANoteWithAWarning) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2026-03-02"}).code, 0);
  Result r = run({"status", "add", "IOE0912345678", "--text",
                  block("Case Was Sent For Additional Security Review",
                        "On November 9, 2026, we sent for review")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("USCIS's status title 'Case Was Sent For Additional Security Review' is "
                       "not in casewatch's catalogue; kept whole as a note"),
            std::string::npos)
      << r.err;
  json j = json::parse(run({"show", "IOE0912345678", "--json"}).out);
  ASSERT_EQ(j["events"].size(), 1U);
  EXPECT_EQ(j["events"][0]["kind"], "note");
  EXPECT_EQ(j["events"][0]["date"], "2026-11-09");
  EXPECT_EQ(j["events"][0]["title"], "Case Was Sent For Additional Security Review");
  // The note is the paragraph: the title is not repeated.
  EXPECT_TRUE(j["events"][0]["note"].get<std::string>().starts_with("On November 9, 2026"))
      << j["events"][0]["note"];
}

// A title not in the catalogue whose words say a decision: the decision, and the warning
// names the kind.
TEST_F(CliStatus, UnknownTitleIsReadByItsWords) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2026-03-02"}).code, 0);
  Result r = run({"status", "add", "IOE0912345678", "--text",
                  block("Case Was Terminated And A Notice Was Mailed To Me",
                        "On November 9, 2026, we terminated")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("is not in casewatch's catalogue; read by its words as denied"),
            std::string::npos)
      << r.err;
  json j = json::parse(run({"show", "IOE0912345678", "--json"}).out);
  EXPECT_EQ(j["case"]["status"], "denied") << j.dump();
  EXPECT_EQ(j["events"][0]["kind"], "denied");
}

TEST_F(CliStatus, AddRefusesABlockOfAnotherCase) {
  ASSERT_EQ(run({"add", "IOE0923456789", "--form", "N-400", "--received", "2026-03-02"}).code, 0);
  const std::string before = dump();
  Result r = run({"status", "add", "IOE0923456789", "--text",
                  block("Case Was Approved", "On November 2, 2026, we approved")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("the status 'Case Was Approved' is about IOE0912345678, not "
                       "IOE0923456789; refused"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("error: the text: the status is about another case than IOE0923456789; "
                       "nothing was recorded"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(dump(), before);
}

// A status dated before the case was received, or after today, is refused for the case; the
// rest of the text imports; with nothing left, exit 2 and the database untouched.
TEST_F(CliStatus, AStatusBeforeTheCaseOrAfterTodayIsRefused) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2026-03-02"}).code, 0);
  const std::string before = dump();
  Result none = run({"status", "add", "IOE0912345678", "--text",
                     block("Case Was Approved", "On November 2, 2025, we approved")});
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("dated 2025-11-02, before the case was received (2026-03-02); refused"),
            std::string::npos)
      << none.err;
  EXPECT_EQ(dump(), before);
  Result some = run(
      {"status", "add", "IOE0912345678", "--text",
       block("Case Was Approved", "On November 2, 2025, we approved") + "\n" +
           block("Card Was Mailed To Me", "On January 4, 2027, we mailed") + "\n" +
           block("Case Was Updated To Show Fingerprints Were Taken", "On April 1, 2026, we took")});
  ASSERT_EQ(some.code, 0) << some.err;
  EXPECT_EQ(some.out,
            "IOE0912345678: 1 new event (Case Was Updated To Show Fingerprints Were Taken on "
            "2026-04-01).\n");
  EXPECT_NE(some.err.find("dated 2027-01-04, after 2026-11-28; refused"), std::string::npos)
      << some.err;
}

// RULES' worked example, through the binary: the RFE's "by" date is not its due date; the
// assumed 84 days are, marked so in show and JSON.
TEST_F(CliStatus, TheBySentenceOfAnRfeIsNoDeadline) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2023-06-01"}).code, 0);
  Result r = run({"status", "add", "IOE0912345678", "--text",
                  "Request for Additional Evidence Was Sent\n\nOn November 2, 2026, we sent a "
                  "request for additional evidence for your Form I-485, Application to Register "
                  "Permanent Residence or Adjust Status, Receipt Number IOE0912345678. The "
                  "request for evidence explains what we need from you.\nIf you do not receive "
                  "your request for additional evidence by December 2, 2026, please go to "
                  "www.uscis.gov/e-request to request a copy of the notice.\n"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("assuming 2027-01-25; USCIS's 2026-12-02 is the day to ask for a copy"),
            std::string::npos)
      << r.err;
  json j = json::parse(run({"show", "IOE0912345678", "--json"}).out);
  ASSERT_EQ(j["events"].size(), 1U);
  EXPECT_EQ(j["events"][0]["kind"], "rfe");
  EXPECT_EQ(j["events"][0]["due"], nullptr) << j["events"][0];
  // A month after the "by" date the response is still not late: due 2027-01-25, assumed.
  Result later = run({"show", "IOE0912345678", "--as-of", "2027-01-02"});
  EXPECT_EQ(later.out.find("response period has passed"), std::string::npos) << later.out;
  EXPECT_NE(later.out.find("2027-01-25"), std::string::npos) << later.out;
  EXPECT_NE(run({"list"}).out.find("2027-01-25"), std::string::npos);
}

// A database written before: an RFE imported with the "by" date as its due date. Opening it
// corrects that once, and says so.
TEST_F(CliStatus, AnOldDatabaseWithTheCopyDateAsDueIsCorrectedOnce) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2023-06-01"}).code, 0);
  {
    SQLite::Database db(m_db.string(), SQLite::OPEN_READWRITE);
    db.exec(
        "INSERT INTO events (case_id, kind, date, due, seq, source, observed, title) VALUES "
        "(1, 'rfe', '2026-10-01', '2026-10-31', 1, 'text', '2026-10-03', 'Request for "
        "Additional Evidence Was Sent'); INSERT INTO event_seq (case_id, last) VALUES (1, 1); "
        "PRAGMA user_version = 9");
    casewatch_schema_history::rewind(db, 9);
  }
  Result first = run({"show", "IOE0912345678"});
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_NE(first.err.find("1 RFE or NOID due date read from USCIS's status was the date to ask "
                           "for a copy of the notice"),
            std::string::npos)
      << first.err;
  EXPECT_NE(first.out.find("2026-12-24"), std::string::npos) << first.out;  // 84 days, assumed
  Result second = run({"show", "IOE0912345678"});
  EXPECT_EQ(second.err.find("RFE or NOID due date"), std::string::npos) << second.err;
  Result check = run({"check"});
  EXPECT_EQ(check.out.find("response period has passed"), std::string::npos) << check.out;
}

// Both myUSCIS pages as saved from the browser: the status page gives the status and its
// history; the case page names none (said once); read in turn, nothing new.
TEST_F(CliStatus, BothMyUscisPagesInTurnRecordNothingNew) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2026-03-02"}).code, 0);
  Result status = run({"status", "import", data("myuscis-status-page.json")});
  ASSERT_EQ(status.code, 0) << status.err;
  EXPECT_EQ(status.out,
            "IOE0912345678: 3 new events (Case Was Received on 2026-03-02, Case Was Updated To "
            "Show Fingerprints Were Taken on 2026-04-10, Interview Was Scheduled on "
            "2026-10-14).\n");
  Result page = run({"status", "import", data("myuscis-case-page.json")});
  ASSERT_EQ(page.code, 0) << page.err;
  EXPECT_NE(page.err.find("the myUSCIS case page names no status title"), std::string::npos)
      << page.err;
  for (const char* f : {"myuscis-status-page.json", "myuscis-case-page.json",
                        "myuscis-status-page.json", "myuscis-case-page.json"}) {
    Result again = run({"status", "import", data(f)});
    ASSERT_EQ(again.code, 0) << again.err;
    EXPECT_EQ(again.out, "IOE0912345678: nothing new.\n") << f;
  }
  json j = json::parse(run({"show", "IOE0912345678", "--json"}).out);
  EXPECT_EQ(j["events"].size(), 3U);
  // The status text keeps its line break and loses its markup.
  EXPECT_EQ(j["events"][2]["note"],
            "On October 14, 2026, we scheduled an interview for your Form I-485, Application "
            "to Register Permanent Residence or Adjust Status, Receipt Number IOE0912345678. We "
            "mailed you an interview notice. Please follow the instructions in the notice.\nIf "
            "you move, go to www.uscis.gov/addresschange to give us your new mailing address.");
  // show prints the note's second line under the first, not a literal \n.
  Result show = run({"show", "IOE0912345678"});
  EXPECT_NE(show.out.find("the instructions in the notice.\n                If you move, go to"),
            std::string::npos)
      << show.out;
  EXPECT_EQ(show.out.find("\\n"), std::string::npos) << show.out;
}

// The Case Status page's own JSON and a saved Case Status page add their case; another web
// page is refused with what to do.
TEST_F(CliStatus, CaseStatusJsonAndSavedPage) {
  Result j = run({"status", "import", "--add", "--json", data("case-status-response.json")});
  ASSERT_EQ(j.code, 0) << j.err;
  json doc = json::parse(j.out);
  ASSERT_EQ(doc["cases"].size(), 1U);
  EXPECT_EQ(doc["cases"][0]["added"], true);
  EXPECT_EQ(doc["cases"][0]["events"][0]["kind"], "rfe");
  EXPECT_EQ(doc["cases"][0]["events"][0]["n"], 1);
  EXPECT_EQ(doc["cases"][0]["events"][0]["due"], nullptr);
  Result html = run({"status", "import", "--add", data("case-status-page.html")});
  ASSERT_EQ(html.code, 0) << html.err;
  EXPECT_EQ(html.out,
            "IOE0987654321 (case added): 1 new event (Card Was Returned To USCIS on "
            "2026-11-10).\n");
  json shown = json::parse(run({"show", "IOE0987654321", "--json"}).out);
  EXPECT_EQ(shown["case"]["form"], "I-765");
  EXPECT_EQ(shown["events"][0]["kind"], "card-returned");
  EXPECT_EQ(shown["events"][0]["due"], "2027-02-08");
  const std::string before = dump();
  Result other = run({"status", "import", data("other-page.html")});
  expect_one_error_line(other, "this is a web page: copy its text");
  EXPECT_EQ(dump(), before);
}

// A new user copies a status block from the page, adds it, and reads show and check.
TEST_F(CliStatus, CopiedBlockThenShowAndCheck) {
  ASSERT_EQ(run({"add", "EAC2490012345", "--form", "I-765", "--received", "2026-09-02"}).code, 0);
  Result r = run({"status", "import", data("text-card-mailed.txt")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "EAC2490012345: 1 new event (Card Was Mailed To Me on 2026-11-20).\n");
  Result show = run({"show", "EAC2490012345"});
  EXPECT_NE(show.out.find("2026-11-20  card-mailed    due 2026-12-20 USCIS: Card Was Mailed To "
                          "Me (text)"),
            std::string::npos)
      << show.out;
  Result check = run({"check"});
  ASSERT_EQ(check.code, 0) << check.err;
  EXPECT_NE(check.out.find("USCIS: Card Was Mailed To Me (on 2026-11-20)"), std::string::npos)
      << check.out;
}

// The whole life of a case, from "Case Was Received" to a card that never came, with
// USCIS's own dates: what `check` says on each day.
TEST_F(CliStatus, FromReceivedToACardThatNeverCame) {
  auto import_on = [&](const std::string& day, const std::string& text) {
    Result r = run({"status", "import", "--add", "--as-of", day, file("status-" + day, text)});
    EXPECT_EQ(r.code, 0) << r.err;
    return r;
  };
  Result received =
      import_on("2026-01-06",
                block("Case Was Received", "On January 5, 2026, we received") +
                    "If you do not receive your receipt notice by February 4, 2026, contact us.\n");
  EXPECT_EQ(received.out,
            "IOE0912345678 (case added): 1 new event (Case Was Received on 2026-01-05).\n");
  auto day1 = check_on("2026-01-06");
  EXPECT_TRUE(has(day1, "status", "info", "USCIS: Case Was Received (on 2026-01-05)"));

  Result rfe = import_on("2026-03-11", block("Request for Additional Evidence Was Sent",
                                             "On March 10, 2026, we sent a request for evidence "
                                             "for"));
  EXPECT_NE(rfe.err.find("USCIS's status gives no response date"), std::string::npos) << rfe.err;
  auto day2 = check_on("2026-03-11");
  EXPECT_TRUE(has(day2, "status", "action",
                  "USCIS: Request for Additional Evidence Was Sent (on 2026-03-10)"));

  import_on("2026-05-02",
            block("Response To USCIS&#039; Request For Evidence Was Received",
                  "On May 1, 2026, we received your response to our Request for Evidence for"));
  // USCIS's "response received" ends the RFE: no rfe-due when its info stage would begin
  // (due 2026-06-02, assumed 84 days; info from 2026-05-03).
  EXPECT_FALSE(has(check_on("2026-05-03"), "rfe-due", "info"));
  import_on("2026-05-21", block("Case Was Transferred And A New Office Has Jurisdiction",
                                "On May 20, 2026, we transferred to our Queens NY office"));
  json shown = json::parse(run({"show", "IOE0912345678", "--json", "--as-of", "2026-05-21"}).out);
  EXPECT_EQ(shown["case"]["office"], "QNS");
  EXPECT_EQ(shown["case"]["office_source"], "transfer");

  import_on("2026-06-15",
            block("Interview Was Scheduled", "On June 15, 2026, we scheduled an interview for"));
  ASSERT_EQ(run({"event", "IOE0912345678", "interview", "--on", "2026-07-14"}).code, 0);
  import_on("2026-08-04", block("Case Was Approved", "On August 3, 2026, we approved"));
  auto day6 = check_on("2026-08-04");
  EXPECT_TRUE(has(day6, "status", "action", "USCIS: Case Was Approved (on 2026-08-03)"));
  EXPECT_FALSE(has(day6, "rfe-due", "urgent"));

  import_on("2026-08-07",
            "Card Was Mailed To Me\n\nOn August 6, 2026, we mailed your new card for your Form "
            "I-485, Receipt Number IOE0912345678, to the address you gave us. If you do not "
            "receive your card by September 15, 2026, please go to www.uscis.gov/e-request.\n");
  auto day7 = check_on("2026-08-07");
  EXPECT_TRUE(has(day7, "status", "info", "USCIS: Card Was Mailed To Me (on 2026-08-06)"));
  // Mailing + 30 days would be 2026-09-05; USCIS said September 15.
  EXPECT_TRUE(check_on("2026-09-05").empty());
  auto day9 = check_on("2026-09-16");
  ASSERT_EQ(day9.size(), 1U);
  EXPECT_TRUE(has(day9, "non-delivery", "action", "The card USCIS mailed on 2026-08-06"));
  json last = json::parse(run({"show", "IOE0912345678", "--json"}).out);
  EXPECT_EQ(last["case"]["status"], "approved");
}

}  // namespace
}  // namespace casewatch_test
