// SPDX-License-Identifier: MIT
// What casewatch prints, and what happens when it cannot: a full disk, a closed stdout, a
// hook that does not read, text that would drive the terminal.
#include <chrono>

#include "casewatch/cli/notify.hpp"
#include "casewatch/cli/overview.hpp"
#include "casewatch/util/text.hpp"
#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

int reported_rows(const fs::path& db) {
  SQLite::Database d(db.string());
  return d.execAndGet("SELECT count(*) FROM reported").getInt();
}

// The process `pid` no longer runs (gone, or a zombie waiting to be reaped).
bool gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) {
    return true;
  }
  std::string line;
  std::getline(stat, line);
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

TEST_F(Cli, CheckToAFullDiskExitsOneAndRecordsNothing) {
  add_sample_cases();
  auto full = run_to("/dev/full", {"check", "--as-of", "2025-12-01"});
  EXPECT_EQ(full.code, 1) << full.err;
  EXPECT_NE(full.err.find("casewatch: error: could not write the output: No space left on device"),
            std::string::npos)
      << full.err;
  EXPECT_EQ(reported_rows(m_db), 0);
  // Nothing was lost: the next run that can print reports every finding.
  auto next = run({"check", "--as-of", "2025-12-01"});
  EXPECT_EQ(next.code, 0) << next.err;
  EXPECT_NE(next.out.find("IOE0912345678"), std::string::npos);
  EXPECT_GT(reported_rows(m_db), 0);
}

TEST_F(Cli, CheckWithStdoutClosedExitsOneAndRecordsNothing) {
  add_sample_cases();
  std::string before = dump();
  auto closed = run_to("closed", {"check", "--as-of", "2025-12-01"});
  EXPECT_EQ(closed.code, 1) << closed.err;
  EXPECT_NE(closed.err.find("could not write the output: standard output is closed"),
            std::string::npos)
      << closed.err;
  EXPECT_EQ(reported_rows(m_db), 0);
  EXPECT_EQ(dump(), before);
  // Nothing new and nothing to print: a closed stdout loses nothing, so that is fine.
  ASSERT_EQ(run({"check", "--as-of", "2025-12-01"}).code, 0);
  EXPECT_EQ(run_to("closed", {"check", "--as-of", "2025-12-01"}).code, 0);
}

TEST_F(Cli, ExportAndListToAFullDiskExitOne) {
  add_sample_cases();
  for (auto args : {std::vector<std::string>{"export"}, {"list"}, {"list", "--json"}}) {
    auto r = run_to("/dev/full", args);
    EXPECT_EQ(r.code, 1) << args[0];
    EXPECT_NE(r.err.find("could not write the output"), std::string::npos) << r.err;
  }
}

TEST_F(Cli, ExportToAFileLeavesNoTemporaryFile) {
  add_sample_cases();
  fs::path out = m_dir / "export.json";
  ASSERT_EQ(run({"export", "-o", out.string()}).code, 0);
  ASSERT_EQ(run({"export", "-o", out.string()}).code, 0);  // over an existing file
  EXPECT_EQ(fs::status(out).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  for (const auto& entry : fs::directory_iterator(m_dir)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
  }
  EXPECT_TRUE(json::parse(slurp(out)).is_object());
}

TEST_F(Cli, TextThatIsNotUtf8OrHoldsControlCharactersIsRefused) {
  add_sample_cases();
  std::string before = dump();
  std::string bytes_80(100, '\x80');
  expect_one_error_line(run({"edit", "IOE0912345678", "--label", bytes_80}),
                        "--label: the value '\\x80");
  expect_one_error_line(run({"add", "IOE0934567890", "--form", "I-765", "--received", "2025-01-02",
                             "--label", "Jos\xe9"}),
                        "is not UTF-8 text (byte 0xE9 at position 4)");
  expect_one_error_line(run({"edit", "IOE0912345678", "--label", "Ana\x1b]0;pwned\x07"}),
                        "holds a control character (U+001B) at position 4");
  expect_one_error_line(run({"event", "IOE0912345678", "e-request", "--ref", "SRMT1\nSRMT2"}),
                        "--ref: the value 'SRMT1\\nSRMT2' holds a control character (U+000A)");
  EXPECT_EQ(dump(), before);
  // A note may hold line breaks; a tab is fine anywhere.
  EXPECT_EQ(
      run({"edit", "IOE0912345678", "--note", "line one\nline two", "--label", "Ana\tAOS"}).code,
      0);
}

TEST_F(Cli, StoredControlCharactersAreShownEscaped) {
  add_sample_cases();
  {
    // A database written by an older casewatch, or by hand.
    SQLite::Database db(m_db.string(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE cases SET label = 'Ana' || char(27) || '[2J' WHERE receipt = 'IOE0912345678'");
  }
  for (auto args : {std::vector<std::string>{"list"}, {"show", "IOE0912345678"}, {"suggest"}}) {
    auto r = run(args);
    EXPECT_EQ(r.code, 0) << args[0] << r.err;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << args[0];
    EXPECT_NE(r.out.find("Ana\\x1b[2J"), std::string::npos) << args[0] << r.out;
  }
  // JSON escapes it its own way and stays valid.
  auto j = json::parse(run({"list", "--json", "--sort", "id"}).out);
  EXPECT_EQ(j["cases"][0]["label"], "Ana\x1b[2J");
}

TEST_F(Cli, LongValuesAreShortenedInMessages) {
  std::string huge(100000, 'A');  // under the kernel's limit for one argument
  create_database();
  auto r = run({"show", huge});
  EXPECT_EQ(r.code, 2);
  EXPECT_LT(r.err.size(), 400u) << r.err.size();
  EXPECT_NE(r.err.find("AAAA…'"), std::string::npos) << r.err;
}

TEST_F(Cli, EmptyAsOfAndDbAreRefused) {
  add_sample_cases();
  expect_one_error_line(run({"list", "--as-of", ""}), "--as-of: '' is not a valid date");
  expect_one_error_line(run({"list", "--db", ""}), "--db: the path is empty");
}

TEST_F(Cli, NotifyTimeoutMustBeASaneNumberOfSeconds) {
  add_sample_cases();
  for (std::string bad : {"nan", "0.0001", "0.05", "0", "-5", "3601", "inf"}) {
    auto r = run({"check", "--notify", "true", "--notify-timeout", bad});
    EXPECT_EQ(r.code, 2) << bad << r.err;
  }
  EXPECT_EQ(reported_rows(m_db), 0);
}

TEST(Notify, AHookThatDoesNotReadABigInputStillMeetsItsLimit) {
  std::string big(1 << 20, 'x');  // far more than a pipe holds
  auto start = std::chrono::steady_clock::now();
  auto r = casewatch::cli::run_hook("sleep 30", big, {}, std::chrono::milliseconds(1000));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.problem.find("timed out after 1 s"), std::string::npos) << r.problem;
  EXPECT_LT(took, std::chrono::seconds(10));
  // A hook that reads all of it succeeds.
  auto ok = casewatch::cli::run_hook("wc -c >/dev/null", big, {}, std::chrono::seconds(20));
  EXPECT_TRUE(ok.ok) << ok.problem;
}

TEST_F(Cli, SigtermDuringAHookEndsTheHookToo) {
  add_sample_cases();
  fs::path pid_file = m_dir / "hook.pid";
  auto p =
      spawn({"check", "--as-of", "2025-12-01", "--notify",
             "echo $$ > '" + pid_file.string() + "'; exec sleep 60", "--notify-timeout", "120"});
  for (int i = 0; i < 500 && (!fs::exists(pid_file) || fs::file_size(pid_file) == 0); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(fs::exists(pid_file));
  pid_t hook = std::stoi(slurp(pid_file));
  ::kill(p.pid, SIGTERM);
  auto r = finish(p);
  EXPECT_EQ(r.code, 128 + SIGTERM);
  bool ended = false;
  for (int i = 0; i < 250 && !ended; ++i) {
    ended = gone(hook);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(ended) << "hook " << hook << " still runs";
  EXPECT_EQ(reported_rows(m_db), 0);
}

TEST_F(Cli, CronEscapesPercentRefusesLineBreaksAndTakesHMm) {
  auto r = run({"cron", "--at", "7:05", "--db", (m_dir / "100%.db").string()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("5 7 * * * ")) << r.out;
  EXPECT_NE(r.out.find("100\\%.db"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("100%"), std::string::npos) << r.out;
  expect_one_error_line(run({"cron", "--db", (m_dir / "a\nb.db").string()}), "line break");
  expect_one_error_line(run({"cron", "--at", "7:5"}), "--at: '7:5' is not a time of day");
  expect_one_error_line(run({"cron", "--at", "07:05x"}), "is not a time of day");
}

TEST_F(Cli, AFatalErrorReachesTheLogFile) {
  add_sample_cases();
  fs::path log = m_dir / "casewatch.log";
  auto r = run({"show", "IOE0999999999", "--log-file", log.string()});
  EXPECT_EQ(r.code, 2);
  std::string text = slurp(log);
  EXPECT_NE(text.find("[error] no case 'IOE0999999999'"), std::string::npos) << text;
}

TEST_F(Cli, CheckAsOfAfterTodayRecordsNothingUnlessAskedTo) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--category", "131A-FAM", "--office",
                 "QNS", "--received", "2023-05-02"})
                .code,
            0);
  ASSERT_EQ(run({"event", "IOE0912345678", "rfe", "--on", "today"}).code, 0);
  auto ahead = run({"check", "--as-of", "2099-01-01"});
  EXPECT_EQ(ahead.code, 0) << ahead.err;
  EXPECT_FALSE(ahead.out.empty());
  EXPECT_EQ(reported_rows(m_db), 0);
  auto recorded = run({"check", "--as-of", "2099-01-01", "--record"});
  EXPECT_EQ(recorded.code, 0);
  EXPECT_GT(reported_rows(m_db), 0);
  expect_one_error_line(run({"check", "--record", "--dry-run"}), "--record and --dry-run");
}

TEST_F(Cli, TwoChecksAtOnceReportEachFindingOnce) {
  add_sample_cases();
  for (int round = 0; round < 3; ++round) {
    std::string day = "2025-12-0" + std::to_string(round + 1);
    auto a = spawn({"check", "--as-of", day});
    auto b = spawn({"check", "--as-of", day});
    auto ra = finish(a);
    auto rb = finish(b);
    ASSERT_EQ(ra.code, 0) << ra.err;
    ASSERT_EQ(rb.code, 0) << rb.err;
    // Each finding is printed by exactly one of the two.
    auto count = [](const std::string& s) {
      std::size_t n = 0;
      for (auto p = s.find("    since "); p != std::string::npos; p = s.find("    since ", p + 1)) {
        ++n;
      }
      return n;
    };
    if (round == 0) {
      EXPECT_EQ(count(ra.out) + count(rb.out), static_cast<std::size_t>(reported_rows(m_db)))
          << ra.out << "\n----\n"
          << rb.out;
      EXPECT_TRUE(ra.out.empty() || rb.out.empty()) << "one of them had nothing new";
    }
  }
}

TEST_F(Cli, ACalendarOfALabelThatIsNotUtf8Ends) {
  add_sample_cases();
  {
    // Written by an older casewatch, which took any bytes.
    SQLite::Database db(m_db.string(), SQLite::OPEN_READWRITE);
    SQLite::Statement q(db, "UPDATE cases SET label = :l WHERE id = 1");
    q.bind(":l", std::string(100, '\x80'));
    q.exec();
  }
  auto start = std::chrono::steady_clock::now();
  auto r = run({"calendar", "--as-of", "2025-12-01"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    EXPECT_LE(line.size(), 76U);
  }
}

TEST_F(Cli, MatchFindsAClientByLabelNoteOrReceipt) {
  add_sample_cases();
  ASSERT_EQ(run({"edit", "EAC2490012345", "--note", "File 2024-117, Rivera family"}).code, 0);
  auto ids = [&](const std::vector<std::string>& args) {
    auto r = run(args);
    EXPECT_EQ(r.code, 0) << r.err;
    std::vector<std::string> out;
    json doc = json::parse(r.out);
    for (const auto& c : doc["cases"]) {
      out.push_back(c.contains("case") ? c["case"]["receipt"].get<std::string>()
                                       : c["receipt"].get<std::string>());
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids({"list", "--json", "--match", "ana", "--sort", "id"}),
            V({"IOE0912345678", "IOE0923456789"}));
  EXPECT_EQ(ids({"list", "--json", "--match", "RIVERA"}), V({"EAC2490012345"}));
  EXPECT_EQ(ids({"list", "--json", "--match", "ioe-0912"}), V({"IOE0912345678"}));
  EXPECT_EQ(ids({"overdue", "--json", "--match", "n-400", "--as-of", "2025-12-01"}),
            V({"IOE0923456789"}));
  EXPECT_EQ(ids({"suggest", "--json", "--match", "mother", "--as-of", "2025-12-01"}).size(), 1U);
  EXPECT_EQ(ids({"export", "--match", "ana"}).size(), 2U);
  auto none = run({"list", "--match", "Nobody"});
  EXPECT_EQ(none.code, 0);
  EXPECT_TRUE(none.out.empty());
  EXPECT_NE(none.err.find("No case's label, note or receipt contains 'Nobody'"), std::string::npos)
      << none.err;
  auto cal = run({"calendar", "--match", "mother", "--as-of", "2025-12-01"});
  EXPECT_EQ(cal.code, 0);
  EXPECT_EQ(cal.out.find("ioe0912345678"), std::string::npos);
}

// Every rule has its few words in the overview (docs/cli.md `list`), none a cut title.
TEST(OverviewWords, EveryRuleSaysWhatToDoInAFewWords) {
  using namespace casewatch;
  const Date today = make_date(2026, 11, 28);
  const std::string title(80, '#');
  for (std::string_view rule : rule_ids()) {
    if (rule == k_times_stale) {
      continue;  // a notice of a report, not a finding
    }
    Finding f;
    f.rule = std::string(rule);
    f.stage = rule == "status" ? "approved" : rule == "priority-date" ? "waiting" : "open";
    f.title = title;
    f.due = make_date(2026, 12, 7);
    std::string words = cli::now_words(f, today);
    EXPECT_EQ(words.find('#'), std::string::npos) << rule << ": " << words;
    EXPECT_LE(text::display_width(words), cli::k_now_columns) << rule << ": " << words;
  }
  Finding ombudsman;
  ombudsman.rule = "ombudsman";
  ombudsman.stage = "open";
  ombudsman.until = make_date(2026, 12, 13);
  EXPECT_EQ(cli::now_words(ombudsman, today), "Ombudsman: until 12-13");
  ombudsman.stage = "closing";
  EXPECT_EQ(cli::now_words(ombudsman, make_date(2026, 12, 7)), "Ombudsman: until 12-13");
  Finding rfe;
  rfe.rule = "rfe-due";
  rfe.stage = "soon";
  rfe.due = make_date(2027, 1, 25);
  EXPECT_EQ(cli::now_words(rfe, today), "RFE due 01-25");
  rfe.assumed = true;
  EXPECT_EQ(cli::now_words(rfe, today), "RFE due 01-25?");
  EXPECT_EQ(cli::now_words(rfe, make_date(2027, 1, 25)), "RFE due today?");
  rfe.stage = "passed";
  EXPECT_EQ(cli::now_words(rfe, make_date(2027, 2, 1)), "RFE was due 01-25?");
  // A date more than half a year away keeps its year.
  EXPECT_EQ(cli::overview_date(make_date(2027, 9, 1), today), "2027-09-01");
  EXPECT_EQ(cli::due_cell(make_date(2027, 1, 25), true), "2027-01-25?");
  EXPECT_EQ(cli::due_cell(std::nullopt, false), "-");
}

}  // namespace
}  // namespace casewatch_test
