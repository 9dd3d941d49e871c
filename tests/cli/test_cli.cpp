// SPDX-License-Identifier: MIT
// Black-box tests: run the built binary in a fresh temporary directory, as a user would, and
// check stdout, stderr, the exit code and what the database holds afterwards.
#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

TEST_F(Cli, HelpAndVersionExitZero) {
  auto help = run({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("Usage: casewatch"), std::string::npos);
  auto sub = run({"add", "--help"});
  EXPECT_EQ(sub.code, 0);
  EXPECT_NE(sub.out.find("--received"), std::string::npos);
  auto version = run({"--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_TRUE(version.out.starts_with("casewatch 0.")) << version.out;
}

TEST_F(Cli, UsageErrorsAreOneLineWithExitTwo) {
  expect_one_error_line(run({"--json"}), "a command is required");
  expect_one_error_line(run({"lsit"}), "unknown command 'lsit' (did you mean 'list'?)");
  expect_one_error_line(run({"list", "--frobnicate"}), "--frobnicate");
  expect_one_error_line(run({"list", "--color", "purple"}), "'purple'");
  EXPECT_FALSE(fs::exists(m_db));  // nothing was created for a usage error
}

TEST_F(Cli, ThreeRealCasesAddedListedAndShown) {
  add_sample_cases();
  auto list = run({"list", "--as-of", "2025-12-01"});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("IOE0912345678  Ana AOS"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("EAC2490012345"), std::string::npos);  // normalized
  EXPECT_NE(list.out.find("ESC"), std::string::npos);            // office from the EAC prefix

  // Global options after the command name.
  auto j = run({"list", "--json", "--as-of", "2025-12-01", "--sort", "id"});
  ASSERT_EQ(j.code, 0) << j.err;
  auto doc = json::parse(j.out);
  EXPECT_EQ(doc["as_of"], "2025-12-01");
  ASSERT_EQ(doc["cases"].size(), 3U);
  const auto& c = doc["cases"][0];
  for (const char* field :
       {"id", "receipt", "form", "category", "office", "received", "sent", "priority_date",
        "premium_start", "label", "note", "status", "days_pending", "next"}) {
    EXPECT_TRUE(c.contains(field)) << field;
  }
  EXPECT_EQ(c["receipt"], "IOE0912345678");
  EXPECT_EQ(c["form"], "I-485");
  EXPECT_EQ(c["days_pending"], 944);
  EXPECT_EQ(doc["cases"][1]["form"], "N-400");
  EXPECT_EQ(doc["cases"][2]["received"], "2024-02-05");

  auto show = run({"show", "#1", "--json", "--as-of", "2025-12-01"});
  ASSERT_EQ(show.code, 0) << show.err;
  auto s = json::parse(show.out);
  EXPECT_EQ(s["case"]["inquiry_date"], "2025-06-17");
  EXPECT_EQ(s["processing_time"]["value"], 25.5);
  EXPECT_EQ(s["processing_time"]["unit"], "months");
  EXPECT_EQ(s["processing_time"]["source"], "built-in");
  EXPECT_EQ(s["findings"][0]["rule"], "inquiry");
  EXPECT_EQ(s["findings"][0]["since"], "2025-06-17");

  auto text = run({"show", "ioe-091-234-5678", "--as-of", "2025-12-01"});
  ASSERT_EQ(text.code, 0);
  EXPECT_NE(text.out.find("Case outside normal processing time"), std::string::npos);
  EXPECT_NE(text.out.find("Queens"), std::string::npos);
}

TEST_F(Cli, EventsDriveTheLadder) {
  add_sample_cases();
  auto e = run({"event", "IOE0912345678", "e-request", "--on", "2025-01-10", "--ref", "SRMT123456",
                "--as-of", "2025-07-01"});
  ASSERT_EQ(e.code, 0) << e.err;
  EXPECT_NE(e.out.find("Recorded e-request on 2025-01-10"), std::string::npos);
  auto s = json::parse(run({"suggest", "IOE0912345678", "--json", "--as-of", "2025-07-01"}).out);
  std::vector<std::string> rules;
  for (const auto& f : s["cases"][0]["findings"]) {
    rules.push_back(f["rule"]);
  }
  // The e-Request was before the case was outside processing time: its clock ran out.
  EXPECT_NE(std::find(rules.begin(), rules.end(), "inquiry-followup"), rules.end());
  EXPECT_NE(std::find(rules.begin(), rules.end(), "congress"), rules.end());
  EXPECT_EQ(s["cases"][0]["case"]["status"], "pending");

  ASSERT_EQ(run({"event", "#3", "denied", "--on", "2025-05-20", "--as-of", "2025-06-01"}).code, 0);
  auto denied = json::parse(run({"show", "3", "--json", "--as-of", "2025-06-01"}).out);
  EXPECT_EQ(denied["case"]["status"], "denied");
  EXPECT_EQ(denied["findings"][0]["rule"], "appeal-window");
  EXPECT_EQ(denied["findings"][0]["due"], "2025-06-19");
  EXPECT_NE(denied["findings"][0]["how"].get<std::string>().find("EOIR-29"), std::string::npos);
  // The default list keeps a denied case while its appeal window is open (urgent);
  // --status pending leaves it out; --all shows every case.
  auto overview = json::parse(run({"list", "--json", "--as-of", "2025-06-01"}).out);
  ASSERT_EQ(overview["cases"].size(), 3U);
  EXPECT_EQ(overview["cases"][0]["status"], "denied");  // urgent leads
  EXPECT_EQ(overview["cases"][0]["now"]["rule"], "appeal-window");
  EXPECT_EQ(overview["cases"][0]["due"], "2025-06-19");
  auto pending =
      json::parse(run({"list", "--json", "--status", "pending", "--as-of", "2025-06-01"}).out);
  EXPECT_EQ(pending["cases"].size(), 2U);
  // Once the window has closed, the denied case leaves the default list.
  EXPECT_EQ(json::parse(run({"list", "--json", "--as-of", "2025-06-20"}).out)["cases"].size(), 2U);
  EXPECT_EQ(
      json::parse(run({"list", "--all", "--json", "--as-of", "2025-06-01"}).out)["cases"].size(),
      3U);
}

TEST_F(Cli, BadValuesAreRefusedAndTheDatabaseIsUnchanged) {
  add_sample_cases();
  const std::string before = dump();
  struct Row {
    std::vector<std::string> args;
    std::string needle;
  };
  std::vector<Row> rows = {
      {{"add", "IOE091234567", "--form", "I-485", "--received", "2025-01-05"}, "'IOE091234567'"},
      {{"add", "IOE0999999999", "--form", "I-485", "--received", "2025-02-30"}, "'2025-02-30'"},
      {{"add", "IOE0999999999", "--form", "I-485", "--received", "2025-13-01"}, "'2025-13-01'"},
      {{"add", "IOE0999999999", "--form", "I-485", "--received", "2025-01-05x"}, "'2025-01-05x'"},
      {{"add", "IOE0999999999", "--form", "I-485", "--received", "13/01/2025"}, "'13/01/2025'"},
      {{"add", "IOE0999999999", "--form", "I-485", "--received", "2025-03-01", "--as-of",
        "2025-02-01"},
       "2025-03-01 is after today"},
      {{"add", "IOE0999999999", "--form", "485", "--received", "2025-01-05"}, "'485'"},
      {{"add", "IOE0999999999", "--form", "I-485", "--received", "2025-01-05", "--office", "Q1"},
       "'Q1'"},
      {{"add", "IOE0999999999", "--form", "I-485"},
       "--received: the value is missing; case IOE0999999999 has a receipt number"},
      {{"add", "IOE0912345678", "--form", "I-485", "--received", "2023-05-02"}, "already exists"},
      {{"event", "IOE0912345678", "erfe"}, "'erfe' is not an event kind"},
      {{"event", "IOE0912345678", "e-request", "--on", "2030-01-01"}, "is after today"},
      {{"event", "IOE0912345678", "transfer"},
       "--office: the value is missing; a transfer event needs"},
      {{"event", "IOE0912345678", "call", "--due", "2026-01-01"},
       "--due: only an rfe or noid event (the response due date)"},
      {{"event", "IOE0000000000", "call"}, "no case 'IOE0000000000'"},
      {{"event", "#99", "call"}, "no case '#99'"},
      {{"edit", "#1", "--status", "approved"}, "'approved'"},
      {{"edit", "#1", "--receipt", "EAC2490012345"}, "already belongs to case #3"},
      {{"edit", "#1", "--received", "someday"}, "'someday'"},
      {{"rm", "#1"}, "without --yes"},
      {{"show", "nothing"}, "'nothing'"},
      {{"times", "set", "I-485", "--months", "2.3"}, "'2.3'"},
      {{"times", "set", "I-485", "--months", "3", "--weeks", "2"}, "exactly one"},
      {{"list", "--as-of", "2025-02-29"}, "'2025-02-29'"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(::testing::PrintToString(row.args));
    expect_one_error_line(run(row.args), row.needle);
    EXPECT_EQ(dump(), before);
  }
}

TEST_F(Cli, AppointmentsMayBeInTheFuture) {
  add_sample_cases();
  auto r =
      run({"event", "IOE0923456789", "interview", "--on", "2026-01-15", "--as-of", "2025-12-01"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("in the future"), std::string::npos);
}

TEST_F(Cli, UnknownFormOfficeAndCategoryOnlyWarn) {
  auto r = run({"add", "ABC0912345678", "--form", "I-192", "--office", "ZZZ", "--received",
                "2025-08-31", "--as-of", "2026-01-01"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("casewatch: warning: USCIS publishes no processing time for form I-192"),
            std::string::npos);
  EXPECT_NE(r.err.find("office ZZZ is not in the USCIS office list"), std::string::npos);
  EXPECT_NE(r.err.find("receipt prefix ABC"), std::string::npos);
  auto cat = run({"add", "IOE0911111111", "--form", "I-485", "--category", "131Z", "--office",
                  "QNS", "--received", "2025-08-31"});
  EXPECT_EQ(cat.code, 0);
  EXPECT_NE(cat.err.find("131A-FAM"), std::string::npos);  // names the valid ones
  auto quiet = run({"-q", "add", "IOE0922222222", "--form", "I-192", "--received", "2025-08-31"});
  EXPECT_EQ(quiet.code, 0);
  EXPECT_EQ(quiet.err, "");
  EXPECT_EQ(quiet.out, "");
}

TEST_F(Cli, CaseBeforeItsReceiptThenEdited) {
  auto r = run({"add", "--sent", "2026-03-02", "--form", "I-130", "--label", "Father", "--as-of",
                "2026-04-14"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("#1"), std::string::npos);
  auto s = json::parse(run({"suggest", "#1", "--json", "--as-of", "2026-04-14"}).out);
  EXPECT_EQ(s["cases"][0]["findings"][0]["rule"], "lockbox");
  EXPECT_TRUE(s["cases"][0]["findings"][0]["receipt"].is_null());
  EXPECT_TRUE(s["cases"][0]["case"]["receipt"].is_null());
  ASSERT_EQ(run({"edit", "#1", "--receipt", "IOE0933333333", "--received", "2026-03-05", "--as-of",
                 "2026-04-14"})
                .code,
            0);
  auto shown = json::parse(run({"show", "IOE0933333333", "--json", "--as-of", "2026-04-14"}).out);
  EXPECT_EQ(shown["case"]["sent"], "2026-03-02");
  EXPECT_EQ(shown["case"]["received"], "2026-03-05");
}

TEST_F(Cli, RmWithYesDeletesTheCaseAndItsEvents) {
  add_sample_cases();
  ASSERT_EQ(run({"event", "#1", "call", "--on", "2025-01-10"}).code, 0);
  auto r = run({"rm", "#1", "--yes"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("and its 1 event"), std::string::npos);
  EXPECT_EQ(dump().find("IOE0912345678"), std::string::npos);
  EXPECT_EQ(dump().find("call"), std::string::npos);
}

TEST_F(Cli, OverdueMostOverdueFirst) {
  add_sample_cases();
  auto doc = json::parse(run({"overdue", "--json", "--as-of", "2026-11-27"}).out);
  ASSERT_GE(doc["cases"].size(), 2U);
  int prev = 1 << 30;
  for (const auto& c : doc["cases"]) {
    EXPECT_LE(c["days_overdue"].get<int>(), prev);
    prev = c["days_overdue"];
    EXPECT_TRUE(c.contains("inquiry_date"));
    EXPECT_TRUE(c["processing_time"].contains("published_inquiry_date"));
  }
  EXPECT_TRUE(
      json::parse(run({"overdue", "--json", "--as-of", "2024-01-01"}).out)["cases"].empty());
  EXPECT_EQ(run({"overdue", "--as-of", "2024-01-01"}).out, "");
}

// With current processing times there is no stale notice, and the table ends with its last
// row: no blank line after it.
TEST_F(Cli, OverdueWithCurrentTimesEndsWithItsLastRow) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--category", "131A-FAM", "--office",
                 "QNS", "--received", "2024-01-02"})
                .code,
            0);
  ASSERT_EQ(run({"times", "set", "I-485", "--category", "131A-FAM", "--office", "QNS", "--months",
                 "12", "--published", "2026-11-15"})
                .code,
            0);
  auto r = run({"overdue"});
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_NE(r.out.find("IOE0912345678"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("times:"), std::string::npos) << r.out;
  ASSERT_GE(r.out.size(), 2U);
  EXPECT_NE(r.out.substr(r.out.size() - 2), "\n\n") << r.out;
}

TEST_F(Cli, TimesSetChangesTheAnswer) {
  add_sample_cases();
  auto before = json::parse(run({"show", "#1", "--json", "--as-of", "2025-01-01"}).out);
  EXPECT_EQ(before["case"]["inquiry_date"], "2025-06-17");
  ASSERT_EQ(run({"times", "set", "I-485", "--category", "131A-FAM", "--office", "QNS", "--months",
                 "18", "--published", "2024-12-15"})
                .code,
            0);
  auto after = json::parse(run({"show", "#1", "--json", "--as-of", "2025-01-01"}).out);
  EXPECT_EQ(after["case"]["inquiry_date"], "2024-11-02");
  EXPECT_EQ(after["processing_time"]["source"], "set");
  auto rows =
      json::parse(run({"times", "list", "--form", "I-485", "--office", "QNS", "--json"}).out);
  ASSERT_EQ(rows["rows"].size(), 2U);
}

TEST_F(Cli, NewerDatabaseIsRefusedAndUntouched) {
  fs::create_directories(m_db.parent_path());
  {
    SQLite::Database db(m_db.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE x (y); PRAGMA user_version = 42");
  }
  auto size = fs::file_size(m_db);
  auto r = run({"list"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("newer casewatch"), std::string::npos) << r.err;
  EXPECT_EQ(fs::file_size(m_db), size);
  EXPECT_FALSE(fs::exists(m_db.string() + "-wal"));
}

TEST_F(Cli, DbOptionAndXdgDefault) {
  fs::path other = m_dir / "other.db";
  ASSERT_EQ(run({"--db", other.string(), "add", "IOE0912345678", "--form", "I-485", "--received",
                 "2023-05-02"})
                .code,
            0);
  EXPECT_TRUE(fs::exists(other));
  EXPECT_FALSE(fs::exists(m_db));
}

}  // namespace

// ---- check: the daily job ---------------------------------------------------------------

namespace {

// Adds `n` pending I-765 cases straight into the database (created by a first run), all
// outside processing time from 2024-07-01 on.
void insert_cases(const fs::path& db_path, int n) {
  SQLite::Database db(db_path.string(), SQLite::OPEN_READWRITE);
  SQLite::Transaction tx(db);
  SQLite::Statement q(db,
                      "INSERT INTO cases (receipt, form, category, received, status) VALUES "
                      "(:r, 'I-765', '147-C9', '2024-01-16', 'pending')");
  for (int i = 0; i < n; ++i) {
    q.bind(":r", "LIN24" + std::to_string(90000000 + i));
    q.exec();
    q.reset();
  }
  tx.commit();
}

int count_reported(const fs::path& db_path) {
  SQLite::Database db(db_path.string());
  return db.execAndGet("SELECT count(*) FROM reported").getInt();
}

}  // namespace

TEST_F(Cli, CheckReportsOnceThenIsSilent) {
  add_sample_cases();
  auto first = run({"check", "--as-of", "2025-12-01"});
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_NE(first.out.find("IOE0912345678"), std::string::npos);
  EXPECT_NE(first.out.find("[action] Case outside normal processing time"), std::string::npos);
  auto second = run({"check", "--as-of", "2025-12-01"});
  EXPECT_EQ(second.code, 0);
  EXPECT_EQ(second.out, "");
  EXPECT_EQ(second.err, "");
  // --json always prints its document.
  auto j = json::parse(run({"check", "--json", "--as-of", "2025-12-01"}).out);
  EXPECT_EQ(j["as_of"], "2025-12-01");
  EXPECT_TRUE(j["new"].empty());
  // The two cases outside processing time (stale times are a notice, not a finding).
  EXPECT_EQ(j["current"].get<int>(), 2);
  // --all prints every current finding again.
  EXPECT_NE(run({"check", "--all", "--as-of", "2025-12-01"}).out.find("IOE0912345678"),
            std::string::npos);
}

TEST_F(Cli, CheckReportsExactlyTheFindingAnEventMakesTrue) {
  add_sample_cases();
  ASSERT_EQ(run({"check", "--as-of", "2025-12-01"}).code, 0);
  ASSERT_EQ(run({"event", "IOE0912345678", "rfe", "--on", "2025-11-20", "--due", "2025-12-10",
                 "--as-of", "2025-12-01"})
                .code,
            0);
  auto j = json::parse(run({"check", "--json", "--as-of", "2025-12-01"}).out);
  // The RFE's finding, and inquiry paused while USCIS waits for the response.
  ASSERT_EQ(j["new"].size(), 2U) << j.dump(2);
  EXPECT_EQ(j["new"][0]["rule"], "rfe-due");
  EXPECT_EQ(j["new"][0]["stage"], "soon");
  EXPECT_EQ(j["new"][0]["receipt"], "IOE0912345678");
  EXPECT_EQ(j["new"][1]["rule"], "inquiry");
  EXPECT_EQ(j["new"][1]["stage"], "paused");
  // The next stage is a new finding on its day.
  auto urgent = json::parse(run({"check", "--json", "--as-of", "2025-12-03"}).out);
  ASSERT_EQ(urgent["new"].size(), 1U) << urgent.dump(2);
  EXPECT_EQ(urgent["new"][0]["stage"], "urgent");
}

TEST_F(Cli, CheckExitCodeAndDryRun) {
  add_sample_cases();
  auto dry = run({"check", "--dry-run", "--exit-code", "--as-of", "2025-12-01"});
  EXPECT_EQ(dry.code, 3);
  EXPECT_FALSE(dry.out.empty());
  EXPECT_EQ(count_reported(m_db), 0);
  EXPECT_EQ(run({"check", "--exit-code", "--as-of", "2025-12-01"}).code, 3);
  EXPECT_EQ(run({"check", "--exit-code", "--as-of", "2025-12-01"}).code, 0);
}

TEST_F(Cli, NotifyHookGetsEachNewFindingAsJson) {
  add_sample_cases();
  fs::path log = m_dir / "hook.log";
  auto r = run({"check", "--as-of", "2025-12-01", "--notify",
                "cat >> '" + log.string() + "'; echo \"$CASEWATCH_RULE\" >&2"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream lines(slurp(log));
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    auto f = json::parse(line);
    EXPECT_TRUE(f.contains("rule"));
    EXPECT_TRUE(f.contains("since"));
    ++n;
  }
  EXPECT_EQ(n, count_reported(m_db));
  EXPECT_EQ(n, 2);
  EXPECT_NE(r.err.find("inquiry"), std::string::npos);  // the hook's output is on stderr
}

// A hook's failure leaves through the one exit path of every error: the same line on stderr,
// and in the log file (#26 item 6).
TEST_F(Cli, AFailingHookIsAnErrorLikeAnyOtherAndIsLogged) {
  add_sample_cases();
  fs::path log = m_dir / "casewatch.log";
  auto r =
      run({"--log-file", log.string(), "check", "--as-of", "2025-12-01", "--notify", "exit 3"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("casewatch: error: "), std::string::npos) << r.err;
  std::string logged = slurp(log);
  EXPECT_NE(logged.find("--notify hooks failed"), std::string::npos) << logged;
  EXPECT_NE(logged.find("exit 1"), std::string::npos) << logged;
}

TEST_F(Cli, AFailingHookIsReportedAndOfferedAgain) {
  add_sample_cases();
  auto r = run({"check", "--as-of", "2025-12-01", "--notify", "exit 3"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("exited with status 3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("offered again"), std::string::npos);
  EXPECT_FALSE(r.out.empty());  // still printed
  EXPECT_EQ(count_reported(m_db), 0);
  auto again = run({"check", "--as-of", "2025-12-01"});
  EXPECT_EQ(again.code, 0);
  // The same findings again (the stale-data notice was said once, by the first run).
  std::string first = r.out;
  auto note = first.find("\nNote:");
  ASSERT_NE(note, std::string::npos) << first;
  first.erase(note, first.find("\n\n", note) - note + 1);
  EXPECT_EQ(again.out, first);
  EXPECT_EQ(again.out.find("Note:"), std::string::npos);
}

TEST_F(Cli, AHangingHookIsKilled) {
  add_sample_cases();
  auto start = std::chrono::steady_clock::now();
  auto r =
      run({"check", "--as-of", "2025-12-01", "--notify", "sleep 30", "--notify-timeout", "0.2"});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("timed out after 0.2 s"), std::string::npos) << r.err;
}

TEST_F(Cli, CheckAndAddAtTheSameMomentBothSucceed) {
  create_database();
  insert_cases(m_db, 3000);
  for (int i = 0; i < 10; ++i) {
    auto check = spawn({"check", "--as-of", "2025-12-0" + std::to_string(1 + i % 9)});
    auto add = spawn({"add", "IOE09" + std::to_string(11111110 + i), "--form", "I-485", "--office",
                      "QNS", "--received", "2024-01-02"});
    auto c = finish(check);
    auto a = finish(add);
    EXPECT_EQ(c.code, 0) << c.err;
    EXPECT_EQ(a.code, 0) << a.err;
  }
  SQLite::Database db(m_db.string());
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM cases").getInt(), 3010);
}

TEST_F(Cli, KilledMidCheckTheNextCheckReportsWhatWasNotRecorded) {
  add_sample_cases();
  // The hook kills casewatch itself (its parent) before anything is recorded.
  auto killed = run({"check", "--as-of", "2025-12-01", "--notify", "kill -9 $PPID"});
  EXPECT_EQ(killed.code, 128 + SIGKILL);
  {
    SQLite::Database db(m_db.string());
    EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  }
  EXPECT_EQ(count_reported(m_db), 0);
  auto next = json::parse(run({"check", "--json", "--as-of", "2025-12-01"}).out);
  EXPECT_EQ(next["new"].size(), next["current"].get<std::size_t>());
}

TEST_F(Cli, KilledAtRandomMomentsTheDatabaseStaysIntact) {
  create_database();
  insert_cases(m_db, 5000);
  std::mt19937 rng(12345);
  for (int i = 0; i < 8; ++i) {
    auto p = spawn({"check", "--as-of", "2025-12-01"});
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 120));
    kill(p.pid, SIGKILL);
    finish(p);
    SQLite::Database db(m_db.string());
    ASSERT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  }
  int recorded = count_reported(m_db);
  EXPECT_TRUE(recorded == 0 || recorded == 5000 * 2) << recorded;  // all or nothing
  auto next = json::parse(run({"check", "--json", "--as-of", "2025-12-01"}).out);
  EXPECT_EQ(next["new"].size() + static_cast<std::size_t>(recorded),
            next["current"].get<std::size_t>());
  EXPECT_EQ(count_reported(m_db), next["current"].get<int>());
}

TEST_F(Cli, CronPrintsACrontabLine) {
  auto r = run({"cron", "--db", (m_dir / "x" / ".." / "my cases.db").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("17 7 * * * /")) << r.out;
  EXPECT_NE(r.out.find(" --db '" + (m_dir / "my cases.db").string() + "' check\n"),
            std::string::npos)
      << r.out;
  expect_one_error_line(run({"cron", "--at", "7am"}), "'7am'");
}

TEST_F(Cli, AnOfficeWithoutTimesForTheFormWarnsWithTheValidOnes) {
  auto r = run(
      {"add", "IOE0912345678", "--form", "N-400", "--office", "NSC", "--received", "2023-05-02"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("USCIS posts no N-400 time for office NSC; it posts N-400 times for:"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(" QNS"), std::string::npos);
}

// ---- interchange ------------------------------------------------------------------------

TEST_F(Cli, ExportImportIntoAnEmptyDatabaseLosesNothing) {
  add_sample_cases();
  ASSERT_EQ(run({"event", "#1", "e-request", "--on", "2025-01-10", "--ref", "SRMT1"}).code, 0);
  ASSERT_EQ(run({"event", "#1", "transfer", "--office", "NYC", "--on", "2025-02-01"}).code, 0);
  ASSERT_EQ(run({"event", "#3", "denied", "--on", "2025-05-20"}).code, 0);
  ASSERT_EQ(
      run({"add", "--sent", "2026-03-02", "--form", "I-130", "--note", "two\nlines, \"q\""}).code,
      0);
  auto first = run({"export"});
  ASSERT_EQ(first.code, 0) << first.err;
  fs::path file = m_dir / "cases.json";
  ASSERT_EQ(run({"export", "-o", file.string()}).code, 0);
  EXPECT_EQ(slurp(file), first.out);
  EXPECT_EQ(fs::status(file).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);

  fs::path other = m_dir / "other.db";
  auto imported = run({"--db", other.string(), "import", file.string()});
  ASSERT_EQ(imported.code, 0) << imported.err;
  EXPECT_NE(imported.out.find("Imported 4 cases and 3 events"), std::string::npos);
  auto again = run({"--db", other.string(), "export"});
  // The same cases and events; the journal is the one exported plus the import's own entry.
  json first_doc = json::parse(first.out);
  json again_doc = json::parse(again.out);
  ASSERT_EQ(again_doc["journal"].size(), first_doc["journal"].size() + 1);
  again_doc["journal"].erase(again_doc["journal"].size() - 1);
  EXPECT_EQ(again_doc, first_doc);

  // CSV: the case fields, one row per case.
  auto csv = run({"export", "--format", "csv"});
  ASSERT_EQ(csv.code, 0);
  fs::path csv_file = m_dir / "cases.csv";
  std::ofstream(csv_file) << csv.out;
  fs::path third = m_dir / "third.db";
  ASSERT_EQ(run({"--db", third.string(), "import", csv_file.string()}).code, 0);
  EXPECT_EQ(run({"--db", third.string(), "export", "--format", "csv"}).out, csv.out);
}

TEST_F(Cli, ImportIsAllOrNothing) {
  add_sample_cases();
  const std::string before = dump();
  fs::path file = m_dir / "bad.csv";
  std::ofstream(file) << "receipt,form,received\nIOE0955555555,I-485,2024-01-02\n"
                         "IOE0955555556,I-485,2025-02-30\n";
  expect_one_error_line(run({"import", file.string()}),
                        "bad.csv: line 3, field received: '2025-02-30'");
  EXPECT_EQ(dump(), before);
  fs::path dup = m_dir / "dup.csv";
  std::ofstream(dup) << "receipt,form,received\nIOE0955555555,I-485,2024-01-02\n"
                        "IOE0912345678,I-485,2024-01-02\n";
  expect_one_error_line(run({"import", dup.string()}),
                        "line 3, field receipt: case IOE0912345678 is already in the database");
  EXPECT_EQ(dump(), before);
  expect_one_error_line(run({"import", (m_dir / "missing.csv").string()}), "cannot read");
  expect_one_error_line(run({"export", "--format", "xml"}), "'xml'");
}

TEST_F(Cli, EachProcessingTimeFormatChangesTheAnswer) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--category", "131A-FAM", "--office",
                 "QNS", "--received", "2024-01-15"})
                .code,
            0);
  auto inquiry = [&] {
    return json::parse(
        run({"show", "#1", "--json", "--as-of", "2026-11-27"}).out)["case"]["inquiry_date"];
  };
  EXPECT_EQ(inquiry(), "2026-03-02");  // built-in: 25.5 months

  // 1. USCIS's JSON document: 21 months, received before the published inquiry date.
  fs::path doc = m_dir / "I-485-QNS.json";
  std::ofstream(doc) << R"({"data": {"processing_time": {"form_name": "I-485",
      "office_code": "QNS", "subtypes": [{"form_type": "131A-FAM",
      "publication_date": "November 14, 2026", "range": [{"value": 21, "unit": "Months"},
      {"value": 9, "unit": "Months"}], "service_request_date": "February 10, 2024"}]}}})";
  auto r = run({"times", "import", doc.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("1 new"), std::string::npos);
  EXPECT_EQ(inquiry(), "2025-10-15");
  EXPECT_NE(run({"times", "import", doc.string()}).out.find("1 unchanged"), std::string::npos);

  // 2. The USCIS CSV, a newer publication: 18 months.
  fs::path csv = m_dir / "times.csv";
  std::ofstream(csv) << "form_name,form_subtype,office_code,publication_date,range_upper,"
                        "range_upper_unit,service_request_date\n"
                        "I-485,131A-FAM,QNS,\"December 15, 2026\",18,Months,\"June 01, 2024\"\n";
  ASSERT_EQ(run({"times", "import", csv.string(), "--as-of", "2026-12-20"}).code, 0);
  EXPECT_EQ(inquiry(), "2025-07-15");

  // 3. The community SQLite dataset, newer still: 30 months.
  fs::path sqlite = m_dir / "uscis.db";
  {
    SQLite::Database db(sqlite.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(
        "CREATE TABLE processing_time (form_name TEXT, form_subtype TEXT, office_code TEXT, "
        "publication_date TEXT, form_note_en TEXT, range_upper REAL, range_upper_unit TEXT, "
        "range_lower REAL, range_lower_unit TEXT, service_request_date TEXT);"
        "INSERT INTO processing_time VALUES ('I-485', '131A-FAM', 'QNS', 'January 15, 2027', "
        "'NA', 30, 'Months', 12, 'Months', 'July 01, 2024');");
  }
  ASSERT_EQ(run({"times", "import", sqlite.string(), "--as-of", "2027-01-20"}).code, 0);
  EXPECT_EQ(inquiry(), "2026-07-15");
  auto rows = json::parse(run({"times", "list", "--form", "I-485", "--office", "QNS", "--json",
                               "--as-of", "2027-01-20"})
                              .out)["rows"];
  bool found = false;
  for (const auto& row : rows) {
    if (row["category"] == "131A-FAM") {
      EXPECT_EQ(row["source"], "import:uscis.db");
      EXPECT_EQ(row["age_days"], 5);
      found = true;
    }
  }
  EXPECT_TRUE(found);

  // A malformed file: exit 2, nothing written.
  const std::string before = dump();
  fs::path bad = m_dir / "bad.csv";
  std::ofstream(bad) << "form_name,form_subtype,office_code,publication_date,range_upper,"
                        "range_upper_unit,service_request_date\nI-485,131A,QNS,\"Jan 1, 2027\","
                        "ten,Months,\n";
  expect_one_error_line(run({"times", "import", doc.string(), bad.string()}),
                        "bad.csv: line 2, column range_upper: 'ten'");
  EXPECT_EQ(dump(), before);
}

TEST_F(Cli, CalendarParsesInARealICalendarParser) {
  add_sample_cases();
  ASSERT_EQ(run({"event", "#1", "rfe", "--on", "2026-11-01", "--as-of", "2026-11-27"}).code, 0);
  ASSERT_EQ(run({"event", "#2", "interview", "--on", "2026-12-15", "--as-of", "2026-11-27"}).code,
            0);
  fs::path ics = m_dir / "cases.ics";
  auto r = run({"calendar", "-o", ics.string(), "--as-of", "2026-11-27"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::string text = slurp(ics);
  EXPECT_EQ(run({"calendar", "--as-of", "2026-11-27"}).out, text);  // stable UIDs and all
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    ASSERT_FALSE(line.empty());
    EXPECT_EQ(line.back(), '\r');
    EXPECT_LE(line.size(), 76U);
  }
  fs::path script = m_dir / "parse.py";
  std::ofstream(script) << "import sys, icalendar\n"
                           "cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n"
                           "for e in cal.walk('VEVENT'):\n"
                           "    print(e.decoded('DTSTART').isoformat(), e['UID'])\n";
  fs::path out = m_dir / "parsed.txt";
  std::string cmd =
      "/usr/bin/python3 '" + script.string() + "' '" + ics.string() + "' > '" + out.string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << "python3-icalendar could not parse " << ics;
  std::string parsed = slurp(out);
  EXPECT_NE(parsed.find("2027-01-24 ioe0912345678-rfe-due-deadline-event1@casewatch"),
            std::string::npos)
      << parsed;
  // The 1447(b) date of the scheduled N-400 interview: 2026-12-15 + 121 days.
  EXPECT_NE(parsed.find("2027-04-15 ioe0923456789-n400-1447b-next-event2@casewatch"),
            std::string::npos)
      << parsed;
  // Congress waits on an e-Request not yet filed: no date, so not in the calendar.
  EXPECT_EQ(parsed.find("congress"), std::string::npos) << parsed;
}

TEST_F(Cli, BashCompletionCompletesCommandsOptionsAndKinds) {
  fs::path script = m_dir / "complete.bash";
  auto gen = run({"completion", "bash", "-o", script.string()});
  ASSERT_EQ(gen.code, 0) << gen.err;
  auto complete = [&](const std::string& words, int cword) {
    fs::path out = m_dir / "reply.txt";
    std::string cmd = "bash -c 'source \"" + script.string() + "\"; COMP_WORDS=(" + words +
                      "); COMP_CWORD=" + std::to_string(cword) +
                      "; _casewatch; echo \"${COMPREPLY[*]}\"' > '" + out.string() + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    return slurp(out);
  };
  EXPECT_EQ(complete("casewatch ev", 1), "event\n");
  EXPECT_EQ(complete("casewatch --db x.db sugg", 3), "suggest\n");
  EXPECT_EQ(complete("casewatch add IOE0912345678 --rec", 3), "--received\n");
  EXPECT_EQ(complete("casewatch event 1 e-r", 3), "e-request\n");
  EXPECT_EQ(complete("casewatch list --col", 2), "--color\n");
  EXPECT_EQ(complete("casewatch list --color al", 3), "always\n");
  auto zsh = run({"completion", "zsh"});
  EXPECT_EQ(zsh.code, 0);
  EXPECT_TRUE(zsh.out.starts_with("#compdef casewatch\n"));
  EXPECT_NE(zsh.out.find("'calendar:An iCalendar file"), std::string::npos);
  expect_one_error_line(run({"completion", "fish"}), "'fish'");
}

}  // namespace casewatch_test
