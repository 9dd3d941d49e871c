// SPDX-License-Identifier: MIT
// Black-box tests of the loose ends of robustness: a server that never answers, a FIFO given
// to `times import`, a huge value in an input file, a stored processing time out of bounds,
// the help of nested commands, and two first checks at once.
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>

#include "../http_test_server.hpp"
#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

using casewatch::testing::HttpTestServer;
using nlohmann::json;
using std::chrono::steady_clock;

class Robust : public Cli {
 protected:
  // Waits for `p` at most `limit`; a process still running then is killed and reported.
  Result finish_within(const Process& p, std::chrono::seconds limit) {
    auto until = steady_clock::now() + limit;
    int status = 0;
    while (::waitpid(p.pid, &status, WNOHANG) == 0) {
      if (steady_clock::now() > until) {
        ::kill(p.pid, SIGKILL);
        ::waitpid(p.pid, &status, 0);
        ADD_FAILURE() << "still running after " << limit.count() << " s; killed";
        Result r;
        r.code = -1;
        r.err = slurp(p.err);
        return r;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Result r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(p.out);
    r.err = slurp(p.err);
    return r;
  }

  fs::path write(const std::string& name, const std::string& content) {
    fs::path p = m_dir / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

  // The names listed under "Subcommands:" in a CLI11 help text.
  static std::vector<std::string> subcommands(const std::string& help) {
    std::vector<std::string> out;
    std::istringstream in(help);
    std::string line;
    bool in_list = false;
    while (std::getline(in, line)) {
      if (line.starts_with("Subcommands:") || line.starts_with("SUBCOMMANDS:")) {
        in_list = true;
        continue;
      }
      if (in_list) {
        if (!line.starts_with("  ")) {
          in_list = false;
          continue;
        }
        std::string name = line.substr(2, line.find(' ', 2) - 2);
        if (!name.empty()) {
          out.push_back(name);
        }
      }
    }
    return out;
  }
};

// ---- a. a server that accepts and never answers ----------------------------------------

TEST_F(Robust, AServerThatNeverAnswersIsGivenUpOnWithinTheDeadline) {
  create_database();
  HttpTestServer server(m_dir);
  server.route("/releases", {{{"hang", 600}, {"body", "[]"}}});
  auto start = steady_clock::now();
  // The whole-request limit is far above the stall and the deadline: they end it.
  Result r = finish_within(
      spawn({"times", "fetch"}, {"CASEWATCH_TIMES_RELEASES_URL=" + server.url("/releases"),
                                 "CASEWATCH_HTTP_TIMEOUT=20", "CASEWATCH_HTTP_STALL=1",
                                 "CASEWATCH_HTTP_DEADLINE=2.5", "CASEWATCH_HTTP_BACKOFF=0.01"}),
      std::chrono::seconds(30));
  auto took = steady_clock::now() - start;
  EXPECT_LT(took, std::chrono::seconds(10));
  EXPECT_EQ(r.code, 1) << r.err;
  // The stall is checked about once a second: two tries or three fit in 2.5 s.
  EXPECT_TRUE(
      r.err.starts_with("casewatch: error: no answer from 127.0.0.1 (the processing-times "
                        "dataset's release list) for 1 s; gave up after "))
      << r.err;
  EXPECT_TRUE(r.err.ends_with(" tries within 2.5 s\n")) << r.err;
  EXPECT_GE(server.count("/releases"), 2U);
}

TEST_F(Robust, ThreeSilentTriesEndWithinTheDeadline) {
  create_database();
  HttpTestServer server(m_dir);
  server.route("/releases", {{{"hang", 600}, {"body", "[]"}}});
  Result r = finish_within(
      spawn({"times", "fetch"}, {"CASEWATCH_TIMES_RELEASES_URL=" + server.url("/releases"),
                                 "CASEWATCH_HTTP_TIMEOUT=20", "CASEWATCH_HTTP_STALL=1",
                                 "CASEWATCH_HTTP_DEADLINE=60", "CASEWATCH_HTTP_BACKOFF=0.01"}),
      std::chrono::seconds(30));
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("for 1 s; gave up after 3 tries within 1 minute\n"), std::string::npos)
      << r.err;
  EXPECT_EQ(server.count("/releases"), 3U);
}

TEST_F(Robust, AStatusFetchFromAServerThatNeverAnswersEnds) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2023-05-02"}).code, 0);
  HttpTestServer server(m_dir);
  server.route("/token", {{{"hang", 600}, {"body", "{}"}}});
  fs::path config = m_dir / "config" / "casewatch";
  fs::create_directories(config);
  {
    std::ofstream(config / "uscis-api.json") << json{
        {"client_id", "id"},
        {"client_secret", "secret"},
        {"token_url", server.url("/token")},
        {"api_base", server.url("/case-status")}}.dump();
  }
  fs::permissions(config / "uscis-api.json", fs::perms::owner_read | fs::perms::owner_write);
  auto start = steady_clock::now();
  Result r = finish_within(
      spawn({"status", "fetch"}, {"XDG_CONFIG_HOME=" + (m_dir / "config").string(),
                                  "XDG_CACHE_HOME=" + (m_dir / "cache").string(),
                                  "CASEWATCH_HTTP_TIMEOUT=20", "CASEWATCH_HTTP_STALL=1",
                                  "CASEWATCH_HTTP_DEADLINE=2.5", "CASEWATCH_HTTP_BACKOFF=0.01"}),
      std::chrono::seconds(30));
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE((r.out + r.err).find("no answer from 127.0.0.1"), std::string::npos) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find(" tries within 2.5 s"), std::string::npos) << r.out << r.err;
}

// ---- b. a FIFO given to times import ----------------------------------------------------

TEST_F(Robust, TimesImportRefusesAFifoWithoutWaitingForAWriter) {
  fs::path fifo = m_dir / "times.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto start = steady_clock::now();
  Result r = finish_within(spawn({"times", "import", fifo.string()}), std::chrono::seconds(10));
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(5));
  expect_one_error_line(r, "cannot read '" + fifo.string() +
                               "': it is a FIFO (named pipe); give a regular file, or '-' to "
                               "read standard input");
  // The same words as import's.
  Result cases = finish_within(spawn({"import", fifo.string()}), std::chrono::seconds(10));
  expect_one_error_line(cases, "it is a FIFO (named pipe); give a regular file");
}

// ---- c. a huge value quoted in an error -------------------------------------------------

TEST_F(Robust, AMegabyteFieldIsCutInTheErrorOfEveryImport) {
  const std::string huge(1'000'000, 'x');
  const std::string cut = "'" + std::string(60, 'x') + "\u2026'";
  struct Input {
    std::vector<std::string> command;
    std::string name;
    std::string content;
  };
  const std::string times_head =
      "form_name,form_subtype,office_code,publication_date,range_upper,range_upper_unit,"
      "service_request_date\n";
  std::vector<Input> inputs = {
      {{"import"}, "receipt.csv", "receipt,form,received\n" + huge + ",I-485,2025-01-01\n"},
      {{"import"}, "form.csv", "receipt,form,received\nIOE0912345678," + huge + ",2025-01-01\n"},
      {{"import"}, "received.csv", "receipt,form,received\nIOE0912345678,I-485," + huge + "\n"},
      {{"import"},
       "office.csv",
       "receipt,form,received,office\nIOE0912345678,I-485,2025-01-01," + huge + "\n"},
      {{"import"},
       "category.csv",
       "receipt,form,received,category\nIOE0912345678,I-485,2025-01-01," + huge + "\n"},
      {{"import"},
       "status.csv",
       "receipt,form,received,status\nIOE0912345678,I-485,2025-01-01," + huge + "\n"},
      {{"times", "import"},
       "published.csv",
       times_head + "I-485,131A-FAM,QNS," + huge + ",14,Months,2025-09-10\n"},
      {{"times", "import"},
       "inquiry.csv",
       times_head + "I-485,131A-FAM,QNS,2026-11-15,14,Months," + huge + "\n"},
      {{"bulletin", "import"},
       "bulletin.csv",
       "bulletin,chart,kind,category,country,status,date\n2026-02,dates_for_filing,employment,"
       "EB2,IN,date," +
           huge + "\n"},
  };
  for (const Input& in : inputs) {
    fs::path p = write(in.name, in.content);
    std::vector<std::string> args = in.command;
    args.push_back(p.string());
    Result r = run(args);
    SCOPED_TRACE(in.name);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err.substr(0, 300);
    // The line without the file's path: the message and the start of the value.
    EXPECT_LT(r.err.size() - p.string().size(), 250U) << r.err.substr(0, 300);
    EXPECT_NE(r.err.find("line 2"), std::string::npos) << r.err.substr(0, 300);
    EXPECT_NE(r.err.find(cut), std::string::npos) << r.err.substr(0, 300);
  }
}

// ---- d. a stored processing time out of bounds ------------------------------------------

TEST_F(Robust, AStoredProcessingTimeOutOfBoundsIsSkippedWithAWarning) {
  add_sample_cases();
  ASSERT_EQ(run({"times", "set", "I-485", "--category", "131A-FAM", "--office", "QNS", "--months",
                 "14", "--published", "2026-11-15"})
                .code,
            0);
  {
    SQLite::Database db(m_db.string(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE processing_times SET halves = 2000000000 WHERE source = 'set'");
  }
  const std::string warning =
      "casewatch: warning: the processing time of 'I-485' '131A-FAM' 'QNS' skipped: its time "
      "'2000000000' is not from 0.5 to 240 months; set it again with 'casewatch times set I-485 "
      "--category 131A-FAM --office QNS --months N'";
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"list"}, {"show", "IOE0912345678"}, {"--json", "show", "IOE0912345678"}}) {
    Result r = run(args);
    SCOPED_TRACE(args.back());
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find(warning), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("32767"), std::string::npos) << r.out;
    // The built-in row is used instead: the case's dates are this century's.
    EXPECT_NE(r.out.find("202"), std::string::npos) << r.out;
  }
  // Setting it again ends the warning.
  ASSERT_EQ(run({"times", "set", "I-485", "--category", "131A-FAM", "--office", "QNS", "--months",
                 "14", "--published", "2026-11-15"})
                .code,
            0);
  Result r = run({"list"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "");
}

// ---- e. the help of nested commands -----------------------------------------------------

TEST_F(Robust, EveryNestedCommandsHelpNamesItsWholeCommand) {
  Result top = run({"--help"});
  ASSERT_EQ(top.code, 0);
  std::size_t nested = 0;
  for (const std::string& a : subcommands(top.out)) {
    if (a == "help") {
      continue;
    }
    Result ha = run({"help", a});
    ASSERT_EQ(ha.code, 0) << a;
    EXPECT_NE(ha.out.find("\nUsage: casewatch " + a + " "), std::string::npos) << ha.out;
    for (const std::string& b : subcommands(ha.out)) {
      ++nested;
      // The usage line follows the command's one-line description.
      const std::string usage = "\nUsage: casewatch " + a + " " + b + " ";
      Result via_help = run({"help", a, b});
      EXPECT_EQ(via_help.code, 0);
      EXPECT_NE(via_help.out.find(usage), std::string::npos) << via_help.out;
      Result via_flag = run({a, b, "--help"});
      EXPECT_EQ(via_flag.code, 0);
      EXPECT_NE(via_flag.out.find(usage), std::string::npos) << via_flag.out;
    }
  }
  EXPECT_GE(nested, 10U);
}

TEST_F(Robust, NoEventKindTouchesItsText) {
  Result r = run({"help", "event"});
  ASSERT_EQ(r.code, 0);
  auto at = r.out.find("Kinds:\n");
  ASSERT_NE(at, std::string::npos) << r.out;
  std::istringstream lines(r.out.substr(at + 7));
  std::string line;
  std::size_t kinds = 0;
  while (std::getline(lines, line) && !line.empty()) {
    ASSERT_TRUE(line.starts_with("  ")) << line;
    auto end = line.find(' ', 2);
    ASSERT_NE(end, std::string::npos) << line;
    EXPECT_EQ(line.substr(end, 2), "  ")
        << "the kind " << line.substr(2, end - 2) << " touches its text: " << line;
    ++kinds;
  }
  EXPECT_GE(kinds, 10U);
  EXPECT_NE(r.out.find("  premium-requested  "), std::string::npos) << r.out;
}

// ---- f. two first checks at once ---------------------------------------------------------

TEST_F(Robust, TwoFirstChecksAtOnceBothFinishAndReportEachFindingOnce) {
  // A few thousand cases, so that the first check reads every one and writes its wake date
  // in batches; three of them old enough for a finding, whose --notify hook is slow: the
  // check that gets the write lock first holds it for longer than the 5 seconds another
  // writer waits.
  std::string csv = "receipt,form,category,office,received\n";
  for (int i = 0; i < 3000; ++i) {
    char row[80];
    if (i < 3) {
      std::snprintf(row, sizeof row, "IOE%010d,I-485,131A-FAM,QNS,2021-03-0%d\n", 900000000 + i,
                    i + 1);
    } else {
      std::snprintf(row, sizeof row, "IOE%010d,I-485,131A-FAM,QNS,2026-%02d-%02d\n", 900000000 + i,
                    9 + i % 3, 1 + i % 28);
    }
    csv += row;
  }
  fs::path file = write("many.csv", csv);
  ASSERT_EQ(run({"import", file.string()}).code, 0);
  fs::path fresh = m_dir / "fresh.db";
  fs::copy_file(m_db, fresh);
  for (int round = 0; round < 2; ++round) {
    // A new copy each round: both checks are first checks.
    fs::path db = m_dir / ("round" + std::to_string(round) + ".db");
    fs::copy_file(fresh, db);
    std::vector<std::string> env = {"CASEWATCH_DB=" + db.string()};
    std::vector<std::string> args = {"check", "--notify", "sleep 2; cat > /dev/null"};
    auto a = spawn(args, env);
    auto b = spawn(args, env);
    Result ra = finish_within(a, std::chrono::seconds(60));
    Result rb = finish_within(b, std::chrono::seconds(60));
    EXPECT_EQ(ra.code, 0) << ra.err;
    EXPECT_EQ(rb.code, 0) << rb.err;
    auto count = [](const std::string& s) {
      std::size_t n = 0;
      for (auto p = s.find("    since "); p != std::string::npos; p = s.find("    since ", p + 1)) {
        ++n;
      }
      return n;
    };
    SQLite::Database check(db.string());
    auto reported =
        static_cast<std::size_t>(check.execAndGet("SELECT count(*) FROM reported").getInt64());
    EXPECT_EQ(reported, 3U);
    // Each finding printed by exactly one of the two.
    EXPECT_EQ(count(ra.out) + count(rb.out), reported) << ra.out << "\n----\n" << rb.out;
    EXPECT_TRUE(ra.out.empty() || rb.out.empty()) << "one of them had nothing new";
  }
}

}  // namespace
}  // namespace casewatch_test
