// SPDX-License-Identifier: MIT
// Black-box tests of times fetch, check --fetch-times and --offline against a scripted
// HTTP server on 127.0.0.1 that each test starts itself. Never an outside address.
#include <nlohmann/json.hpp>

#include "../http_test_server.hpp"
#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

using casewatch::testing::HttpTestServer;
using nlohmann::json;

std::string bytes_of(const fs::path& p) {
  if (!fs::exists(p)) {
    return "(no file)";
  }
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class CliFetch : public Cli {
 protected:
  void SetUp() override {
    Cli::SetUp();
    m_tmp = m_dir / "tmp";
    fs::create_directories(m_tmp);
    m_server = std::make_unique<HttpTestServer>(m_dir);
  }
  void TearDown() override {
    m_server.reset();
    Cli::TearDown();
  }

  // The environment of every fetching run: the local server's release list, short waits,
  // and a temporary directory of the test's own (to see the download removed).
  std::vector<std::string> env() const {
    return {"CASEWATCH_TIMES_RELEASES_URL=" + m_server->url("/releases"),
            "CASEWATCH_HTTP_TIMEOUT=1.5", "CASEWATCH_HTTP_BACKOFF=0.01",
            "CASEWATCH_HTTP_MAX_WAIT=1", "TMPDIR=" + m_tmp.string()};
  }
  Result fetch(std::vector<std::string> args, std::vector<std::string> extra = {}) {
    auto e = env();
    e.insert(e.end(), extra.begin(), extra.end());
    return run(args, e);
  }

  // The community dataset as a SQLite file: the table processing_time with the dataset's
  // columns, USCIS's figures of 2026-11-15 for the sample cases' keys.
  fs::path make_dataset() {
    fs::path p = m_dir / "uscis-2026-11-15.db";
    fs::remove(p);
    SQLite::Database db(p.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(
        "CREATE TABLE processing_time(form_name TEXT, office_code TEXT, form_note_en TEXT, "
        "form_subtype TEXT, publication_date TEXT, range_upper REAL, range_upper_unit TEXT, "
        "range_lower REAL, range_lower_unit TEXT, service_request_date TEXT, "
        "PRIMARY KEY(form_name, office_code, form_subtype)) WITHOUT ROWID;"
        "INSERT INTO processing_time VALUES "
        "('I-485','QNS',NULL,'131A-FAM','November 15, 2026',14,'Months',9,'Months',"
        "'September 10, 2025'),"
        "('N-400','QNS',NULL,'160A','November 15, 2026',7.5,'Months',5,'Months',"
        "'April 02, 2026'),"
        "('I-765','NBC',NULL,'147-C9','November 15, 2026',4,'Months',2,'Months',"
        "'July 15, 2026');");
    return p;
  }
  json release_list(const std::string& asset = "uscis-2026-11-15.db") {
    return json::array(
        {{{"tag_name", "uscis-2026-11-15"},
          {"draft", false},
          {"prerelease", false},
          {"assets",
           {{{"name", "responses.db"}, {"browser_download_url", "{base}/responses.db"}},
            {{"name", asset}, {"browser_download_url", "{base}/" + asset}}}}}});
  }
  void serve_dataset() {
    m_server->route("/releases", {{{"body", release_list().dump()}}});
    m_server->route("/uscis-2026-11-15.db", {{{"file", make_dataset().string()}}});
  }

  // Runs `args` against a scripted failure and proves nothing changed: the database file's
  // bytes, its content, and no temporary file left.
  Result expect_unchanged(const std::vector<std::string>& args,
                          const std::vector<std::string>& extra = {}) {
    std::string before = bytes_of(m_db);
    std::string content = dump();
    Result r = fetch(args, extra);
    EXPECT_EQ(bytes_of(m_db), before);
    EXPECT_EQ(dump(), content);
    EXPECT_TRUE(fs::is_empty(m_tmp));
    return r;
  }

  fs::path m_tmp;
  std::unique_ptr<HttpTestServer> m_server;
};

TEST_F(CliFetch, TimesFetchImportsTheLatestReleaseAndSaysWhatChanged) {
  add_sample_cases();
  serve_dataset();
  Result r = fetch({"times", "fetch"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Fetched uscis-2026-11-15.db"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("from 127.0.0.1: 3 rows newer, published 2026-11-15; 2 cases have a new "
                       "inquiry date."),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(fs::is_empty(m_tmp)) << "the download was not removed";
  // Only the release list and the .db asset were asked for, as casewatch/VERSION.
  auto reqs = m_server->requests();
  ASSERT_EQ(reqs.size(), 2U);
  EXPECT_EQ(reqs[0]["path"], "/releases");
  EXPECT_EQ(reqs[1]["path"], "/uscis-2026-11-15.db");
  EXPECT_TRUE(std::string(reqs[1]["headers"]["User-Agent"]).starts_with("casewatch/"));

  Result list = run({"--json", "times", "list", "--form", "I-485", "--office", "QNS"});
  ASSERT_EQ(list.code, 0) << list.err;
  auto rows = json::parse(list.out)["rows"];
  bool found = false;
  for (const auto& row : rows) {
    if (row["category"] == "131A-FAM") {
      found = true;
      EXPECT_EQ(row["published"], "2026-11-15");
      EXPECT_EQ(row["value"], 14);
      EXPECT_EQ(row["published_inquiry_date"], "2025-09-10");
      EXPECT_EQ(row["source"], "import:uscis-2026-11-15.db");
    }
  }
  EXPECT_TRUE(found) << list.out;

  // Fetching the same release again changes nothing, and says so.
  Result again = fetch({"--json", "times", "fetch"});
  ASSERT_EQ(again.code, 0) << again.err;
  auto j = json::parse(again.out);
  EXPECT_EQ(j["added"], 0);
  EXPECT_EQ(j["replaced"], 0);
  EXPECT_EQ(j["unchanged"], 3);
  EXPECT_EQ(j["published"], "2026-11-15");
  EXPECT_EQ(j["cases_with_new_inquiry_date"], 0);
  EXPECT_EQ(j["file"], "uscis-2026-11-15.db");
}

TEST_F(CliFetch, TimesFetchUrlFollowsARedirectToACsv) {
  add_sample_cases();
  m_server->route("/latest.csv", {{{"status", 302}, {"headers", {{"Location", "{base}/t.csv"}}}}});
  m_server->route("/t.csv",
                  {{{"body",
                     "form_name,form_subtype,office_code,publication_date,range_upper,"
                     "range_upper_unit,service_request_date\n"
                     "I-130,134A-IR,SCD,\"November 15, 2026\",13,Months,\"October 01, 2025\"\n"}}});
  Result r = fetch({"times", "fetch", "--url", m_server->url("/latest.csv")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Fetched latest.csv"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 row newer, published 2026-11-15"), std::string::npos) << r.out;
}

TEST_F(CliFetch, TimesFetchRetriesA429ThenImports) {
  add_sample_cases();
  serve_dataset();
  m_server->route("/releases", {{{"status", 429}, {"headers", {{"Retry-After", "0"}}}},
                                {{"body", release_list().dump()}}});
  Result r = fetch({"times", "fetch"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(m_server->count("/releases"), 2U);
  EXPECT_NE(r.out.find("3 rows newer"), std::string::npos) << r.out;
}

TEST_F(CliFetch, ATruncatedDownloadChangesNothing) {
  add_sample_cases();
  serve_dataset();
  m_server->route("/uscis-2026-11-15.db",
                  {{{"file", make_dataset().string()}, {"truncate", 1000}}});
  Result r = expect_unchanged({"times", "fetch"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("casewatch: error: the answer from 127.0.0.1 (the processing times "
                       "uscis-2026-11-15.db) broke off after 1000 bytes"),
            std::string::npos)
      << r.err;
}

TEST_F(CliFetch, ABodyThatIsNoDatasetChangesNothing) {
  add_sample_cases();
  serve_dataset();
  m_server->route("/uscis-2026-11-15.db",
                  {{{"body", "<html><body>Sign in to continue</body></html>\n"}}});
  Result r = expect_unchanged({"times", "fetch"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("casewatch: error: the file fetched from 127.0.0.1 is no processing-time "
                       "data: uscis-2026-11-15.db:"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(CliFetch, ASQLiteFileWithoutTheTableChangesNothing) {
  add_sample_cases();
  serve_dataset();
  fs::path other = m_dir / "other.db";
  {
    SQLite::Database db(other.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE forms (form_name TEXT)");
  }
  m_server->route("/uscis-2026-11-15.db", {{{"file", other.string()}}});
  Result r = expect_unchanged({"times", "fetch"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("processing_time"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(m_tmp.string()), std::string::npos) << "names the temporary file: " << r.err;
}

TEST_F(CliFetch, FiveHundredThreeTimesChangesNothing) {
  add_sample_cases();
  serve_dataset();
  m_server->route("/releases", {{{"status", 500}, {"body", "upstream timed out"}}});
  Result r = expect_unchanged({"times", "fetch"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.err,
            "casewatch: error: HTTP 500 from 127.0.0.1 (the processing-times dataset's release "
            "list): upstream timed out\n");
  EXPECT_EQ(m_server->count("/releases"), 3U);
}

TEST_F(CliFetch, AHangingServerTimesOutAndChangesNothing) {
  add_sample_cases();
  serve_dataset();
  m_server->route("/uscis-2026-11-15.db", {{{"hang", 6}, {"file", make_dataset().string()}}});
  auto start = std::chrono::steady_clock::now();
  Result r = expect_unchanged({"times", "fetch"});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("no complete answer from 127.0.0.1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("within 1.5 s"), std::string::npos) << r.err;
}

TEST_F(CliFetch, ARedirectToPlainHttpElsewhereIsRefused) {
  add_sample_cases();
  m_server->route("/releases", {{{"body", release_list("uscis.db").dump()}}});
  m_server->route("/uscis.db",
                  {{{"status", 302}, {"headers", {{"Location", "http://example.org/uscis.db"}}}}});
  Result r = expect_unchanged({"times", "fetch"});
  expect_one_error_line(r,
                        "127.0.0.1 redirected the processing times uscis.db to a URL casewatch "
                        "does not fetch: 'http://example.org/uscis.db' is plain http");
}

TEST_F(CliFetch, OfflineRefusesEveryFetchBeforeAnyConnection) {
  add_sample_cases();
  serve_dataset();
  expect_one_error_line(expect_unchanged({"--offline", "times", "fetch"}),
                        "casewatch is offline (--offline or CASEWATCH_OFFLINE=1)");
  expect_one_error_line(expect_unchanged({"times", "fetch"}, {"CASEWATCH_OFFLINE=1"}),
                        "casewatch is offline");
  EXPECT_EQ(m_server->requests().size(), 0U);
}

TEST_F(CliFetch, AUrlThatIsNotHttpsIsRefused) {
  add_sample_cases();
  expect_one_error_line(expect_unchanged({"times", "fetch", "--url", "http://example.org/t.db"}),
                        "--url: 'http://example.org/t.db' is plain http");
  expect_one_error_line(expect_unchanged({"times", "fetch", "--url", "file:///etc/passwd"}),
                        "is not an https URL");
}

TEST_F(CliFetch, CheckFetchTimesFetchesWhenAWeekOldThenNotAgain) {
  add_sample_cases();
  serve_dataset();
  Result r = fetch({"--json", "check", "--fetch-times"});
  ASSERT_TRUE(r.code == 0 || r.code == 3) << r.err;
  EXPECT_EQ(m_server->count("/uscis-2026-11-15.db"), 1U);
  EXPECT_TRUE(json::accept(r.out)) << r.out;
  Result list = run({"--json", "times", "list", "--form", "N-400", "--office", "QNS"});
  EXPECT_NE(list.out.find("import:uscis-2026-11-15.db"), std::string::npos) << list.out;
  // Fetched today: the next check within a week does not fetch.
  Result second = fetch({"check", "--fetch-times"});
  ASSERT_TRUE(second.code == 0 || second.code == 3) << second.err;
  EXPECT_EQ(m_server->count("/releases"), 1U);
}

TEST_F(CliFetch, CheckFetchTimesWarnsOnAFailureAndStillChecks) {
  add_sample_cases();
  m_server->route("/releases", {{{"status", 503}, {"body", "maintenance"}}});
  Result plain = run({"--json", "check", "--dry-run"});
  ASSERT_EQ(plain.code, 0) << plain.err;
  Result r = fetch({"--json", "check", "--fetch-times"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("casewatch: warning: processing times not fetched; checking with the "
                       "table as it is: HTTP 503 from 127.0.0.1"),
            std::string::npos)
      << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["new"].size(), json::parse(plain.out)["new"].size());
  EXPECT_GT(j["current"].get<int>(), 0);
}

}  // namespace
}  // namespace casewatch_test
