// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>

#include <sys/stat.h>

#include "../../src/cli/uscis_budget.hpp"
#include "../http_test_server.hpp"
#include "casewatch/net/http.hpp"
#include "casewatch/net/uscis_api.hpp"

namespace casewatch::net {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::HttpTestServer;

TEST(FetchUrl, HttpsAnywherePlainHttpOnlyToLoopback) {
  EXPECT_FALSE(url_problem("https://api.github.com/repos/jzebedee/uscis/releases/latest"));
  EXPECT_FALSE(url_problem("http://127.0.0.1:8080/x.db"));
  EXPECT_FALSE(url_problem("http://[::1]:8080/x.db"));
  EXPECT_FALSE(url_problem("http://localhost/x.db"));
  auto plain = url_problem("http://example.org/times.db");
  ASSERT_TRUE(plain);
  EXPECT_NE(plain->find("plain http"), std::string::npos) << *plain;
  EXPECT_TRUE(url_problem("ftp://example.org/times.db"));
  EXPECT_TRUE(url_problem("file:///etc/passwd"));
  EXPECT_TRUE(url_problem("times.db"));
  EXPECT_TRUE(url_problem(""));
  auto secret = url_problem("https://user:pw@example.org/x");
  ASSERT_TRUE(secret);
  EXPECT_NE(secret->find("password"), std::string::npos) << *secret;
  // A loopback look-alike is not loopback.
  EXPECT_TRUE(url_problem("http://127.0.0.1.example.org/x"));
  EXPECT_EQ(url_host("https://API.github.com:443/x"), "api.github.com");
}

TEST(FetchRetryAfter, SecondsAndHttpDates) {
  EXPECT_EQ(parse_retry_after("120", 0), seconds(120));
  EXPECT_EQ(parse_retry_after("0", 0), seconds(0));
  // 1994-11-06 08:49:37 UTC is 784111777.
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 - 30), seconds(30));
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 + 30), seconds(0));
  EXPECT_FALSE(parse_retry_after("soon", 0));
  EXPECT_FALSE(parse_retry_after("-5", 0));
  EXPECT_FALSE(parse_retry_after("1.5", 0));
  EXPECT_FALSE(parse_retry_after("", 0));
}

TEST(FetchRetryAfter, BackoffDoublesAndIsCapped) {
  milliseconds base{1000};
  milliseconds cap{60'000};
  EXPECT_EQ(retry_wait(1, std::nullopt, base, cap), milliseconds(1000));
  EXPECT_EQ(retry_wait(2, std::nullopt, base, cap), milliseconds(2000));
  EXPECT_EQ(retry_wait(3, std::nullopt, base, cap), milliseconds(4000));
  EXPECT_FALSE(retry_wait(8, std::nullopt, base, cap));  // 128 s: give up
  EXPECT_EQ(retry_wait(1, seconds(7), base, cap), milliseconds(7000));
  EXPECT_FALSE(retry_wait(1, seconds(3600), base, cap));  // the server asks for an hour
}

TEST(FetchServerMessage, NamesWhatTheServerSaid) {
  EXPECT_EQ(server_message(R"({"message":"API rate limit exceeded"})"), "API rate limit exceeded");
  EXPECT_EQ(server_message(R"({"error":"invalid_client","error_description":"Bad secret"})"),
            "Bad secret");
  EXPECT_EQ(server_message(R"({"errors":[{"code":"E404","message":"Receipt not found"}]})"),
            "E404: Receipt not found");
  EXPECT_EQ(server_message("Service Unavailable\r\nmore"), "Service Unavailable");
  EXPECT_EQ(server_message("bad\x1b[31m"), "bad\\x1b[31m");
  EXPECT_EQ(server_message("   "), "");
}

TEST(FetchOptions, EnvironmentOverridesAndRefusesNonsense) {
  ::setenv("CASEWATCH_HTTP_TIMEOUT", "1.5", 1);
  ::setenv("CASEWATCH_OFFLINE", "1", 1);
  Options o = Options::from_environment();
  EXPECT_EQ(o.total_timeout, milliseconds(1500));
  EXPECT_TRUE(o.offline);
  ::setenv("CASEWATCH_HTTP_TIMEOUT", "soon", 1);
  EXPECT_THROW(Options::from_environment(), Refused);
  ::unsetenv("CASEWATCH_HTTP_TIMEOUT");
  ::setenv("CASEWATCH_OFFLINE", "0", 1);
  EXPECT_FALSE(Options::from_environment().offline);
  ::unsetenv("CASEWATCH_OFFLINE");
}

TEST(FetchOptions, ASilentServerIsGivenUpOnWithinTwoMinutesByDefault) {
  Options o;
  EXPECT_EQ(o.stall, milliseconds(30'000));
  EXPECT_EQ(o.deadline, milliseconds(120'000));
  EXPECT_EQ(o.max_attempts, 3);
  // Three silent tries and the waits between them fit in the deadline.
  EXPECT_LT(o.max_attempts * o.stall + o.backoff + 2 * o.backoff, o.deadline);
  ::setenv("CASEWATCH_HTTP_STALL", "0.5", 1);
  ::setenv("CASEWATCH_HTTP_DEADLINE", "3", 1);
  Options e = Options::from_environment();
  EXPECT_EQ(e.stall, milliseconds(500));
  EXPECT_EQ(e.deadline, milliseconds(3000));
  ::setenv("CASEWATCH_HTTP_STALL", "never", 1);
  EXPECT_THROW(Options::from_environment(), Refused);
  ::unsetenv("CASEWATCH_HTTP_STALL");
  ::unsetenv("CASEWATCH_HTTP_DEADLINE");
}

class HttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    m_dir = fs::temp_directory_path() / ("casewatch-http-" + std::to_string(rd()));
    fs::create_directories(m_dir);
    m_server = std::make_unique<HttpTestServer>(m_dir);
    m_options.backoff = milliseconds(20);
    m_options.max_wait = milliseconds(2000);
    m_options.connect_timeout = milliseconds(1000);
    m_options.total_timeout = milliseconds(1500);
  }
  void TearDown() override {
    m_server.reset();
    fs::remove_all(m_dir);
  }
  Request get(const std::string& path) {
    Request r;
    r.url = m_server->url(path);
    r.what = "the test file";
    return r;
  }
  fs::path m_dir;
  std::unique_ptr<HttpTestServer> m_server;
  Options m_options;
};

TEST_F(HttpTest, GetsABodyAndSendsTheUserAgent) {
  m_server->route("/a", {{{"body", "hello"}}});
  Client c(m_options);
  Response r = c.get_ok(get("/a"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello");
  auto reqs = m_server->requests();
  ASSERT_EQ(reqs.size(), 1U);
  EXPECT_EQ(reqs[0]["headers"]["User-Agent"], user_agent());
  EXPECT_TRUE(user_agent().starts_with("casewatch/"));
}

TEST_F(HttpTest, RetriesA429HonouringRetryAfterThenSucceeds) {
  m_server->route("/a", {{{"status", 429}, {"headers", {{"Retry-After", "1"}}}, {"body", "slow"}},
                         {{"body", "done"}}});
  Client c(m_options);
  auto start = std::chrono::steady_clock::now();
  Response r = c.get_ok(get("/a"));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.body, "done");
  EXPECT_EQ(m_server->count("/a"), 2U);
  EXPECT_GE(took, milliseconds(900));  // the server's Retry-After, not the 20 ms backoff
}

TEST_F(HttpTest, ARetryAfterBeyondTheCapIsNotWaitedFor) {
  m_server->route("/a", {{{"status", 429},
                          {"headers", {{"Retry-After", "3600"}}},
                          {"body", R"({"message":"API rate limit exceeded"})"}}});
  Client c(m_options);
  try {
    c.get_ok(get("/a"));
    FAIL() << "no error";
  } catch (const NetError& e) {
    EXPECT_STREQ(e.what(), "HTTP 429 from 127.0.0.1 (the test file): API rate limit exceeded");
  }
  EXPECT_EQ(m_server->count("/a"), 1U);
}

TEST_F(HttpTest, FiveHundredThreeTimesIsAnErrorWithTheServersMessage) {
  m_server->route("/a", {{{"status", 500}, {"body", "database on fire"}}});
  Client c(m_options);
  try {
    c.get_ok(get("/a"));
    FAIL() << "no error";
  } catch (const NetError& e) {
    EXPECT_STREQ(e.what(), "HTTP 500 from 127.0.0.1 (the test file): database on fire");
  }
  EXPECT_EQ(m_server->count("/a"), 3U);
}

TEST_F(HttpTest, A404IsReturnedBySendWithoutRetry) {
  m_server->route("/a", {{{"status", 404}, {"body", "nope"}}});
  Client c(m_options);
  Response r = c.send(get("/a"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "nope");
  EXPECT_EQ(m_server->count("/a"), 1U);
}

TEST_F(HttpTest, AHangingServerTimesOut) {
  m_server->route("/a", {{{"hang", 5}, {"body", "late"}}});
  Client c(m_options);
  auto start = std::chrono::steady_clock::now();
  try {
    c.get_ok(get("/a"));
    FAIL() << "no error";
  } catch (const NetError& e) {
    EXPECT_NE(std::string(e.what()).find("no complete answer from 127.0.0.1 (the test file) "
                                         "within 1.5 s"),
              std::string::npos)
        << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(4000));
}

// The stall is checked about once a second (libcurl's progress calls while nothing comes).
TEST_F(HttpTest, ASilentServerIsTriedAgainThenGivenUpOnAtTheDeadline) {
  m_server->route("/a", {{{"hang", 600}, {"body", "never"}}});
  m_options.total_timeout = milliseconds(20'000);
  m_options.stall = milliseconds(1000);
  m_options.deadline = milliseconds(2500);
  Client c(m_options);
  auto start = std::chrono::steady_clock::now();
  try {
    c.get_ok(get("/a"));
    FAIL() << "no error";
  } catch (const NetError& e) {
    std::string m = e.what();
    EXPECT_TRUE(m.starts_with("no answer from 127.0.0.1 (the test file) for 1 s; gave up after "))
        << m;
    EXPECT_TRUE(m.ends_with(" tries within 2.5 s")) << m;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(4500));
  EXPECT_GE(m_server->count("/a"), 2U);
}

TEST_F(HttpTest, ThreeSilentTriesAreTheMost) {
  m_server->route("/a", {{{"hang", 600}, {"body", "never"}}});
  m_options.total_timeout = milliseconds(20'000);
  m_options.stall = milliseconds(1000);
  m_options.deadline = milliseconds(60'000);
  Client c(m_options);
  auto start = std::chrono::steady_clock::now();
  try {
    c.get_ok(get("/a"));
    FAIL() << "no error";
  } catch (const NetError& e) {
    EXPECT_EQ(std::string(e.what()),
              "no answer from 127.0.0.1 (the test file) for 1 s; gave up after 3 tries within "
              "1 minute");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(8000));
  EXPECT_EQ(m_server->count("/a"), 3U);
}

TEST_F(HttpTest, ASlowAnswerWithinTheStallIsNotCut) {
  m_server->route("/a", {{{"hang", 0.6}, {"body", "late"}}});
  m_options.stall = milliseconds(2000);
  Client c(m_options);
  EXPECT_EQ(c.get_ok(get("/a")).body, "late");
}

TEST_F(HttpTest, ATruncatedBodyIsAnError) {
  m_server->route("/a", {{{"body", std::string(10000, 'x')}, {"truncate", 100}}});
  std::ofstream(m_dir / "out").close();  // download() writes into an existing (private) file
  Client c(m_options);
  try {
    c.download(get("/a"), m_dir / "out");
    FAIL() << "no error";
  } catch (const NetError& e) {
    EXPECT_NE(std::string(e.what()).find("broke off"), std::string::npos) << e.what();
  }
}

TEST_F(HttpTest, FollowsARedirectToLoopbackAndRefusesOneToPlainHttpElsewhere) {
  m_server->route("/old", {{{"status", 302}, {"headers", {{"Location", "{base}/new"}}}}});
  m_server->route("/new", {{{"body", "moved here"}}});
  m_server->route("/away",
                  {{{"status", 301}, {"headers", {{"Location", "http://example.org/x.db"}}}}});
  Client c(m_options);
  Response r = c.get_ok(get("/old"));
  EXPECT_EQ(r.body, "moved here");
  EXPECT_EQ(r.final_url, m_server->url("/new"));
  EXPECT_THROW(c.get_ok(get("/away")), Refused);
}

// The progress of a download, for the progress line of `times fetch` (docs/cli.md,
// "Progress"): the bytes so far, rising to the whole body, and the size the server gave.
TEST_F(HttpTest, ADownloadTellsItsProgress) {
  m_server->route("/big", {{{"body", std::string(300000, 'y')}}});
  std::ofstream(m_dir / "out").close();
  Client c(m_options);
  Request r = get("/big");
  std::vector<std::size_t> seen;
  std::optional<std::size_t> total;
  r.on_progress = [&](std::size_t received, std::optional<std::size_t> size) {
    seen.push_back(received);
    if (size) {
      total = size;
    }
  };
  Response got = c.download(r, m_dir / "out");
  EXPECT_EQ(got.bytes, 300000U);
  ASSERT_FALSE(seen.empty());
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(seen.back(), 300000U);
  EXPECT_EQ(total, 300000U) << "the Content-Length";
}

TEST_F(HttpTest, DownloadsToAFileWithinTheSizeLimit) {
  m_server->route("/big", {{{"body", std::string(5000, 'y')}}});
  std::ofstream(m_dir / "out") << "old content";
  Client c(m_options);
  Response r = c.download(get("/big"), m_dir / "out");
  EXPECT_EQ(r.bytes, 5000U);
  EXPECT_EQ(fs::file_size(m_dir / "out"), 5000U);
  Options small = m_options;
  small.max_body = 1000;
  Client limited(small);
  try {
    limited.download(get("/big"), m_dir / "out");
    FAIL() << "no error";
  } catch (const NetError& e) {
    EXPECT_NE(std::string(e.what()).find("larger than"), std::string::npos) << e.what();
  }
}

TEST_F(HttpTest, ARequestsOwnLimitStopsTheDownloadThereAndNamesTheUrl) {
  // times fetch takes no file larger than times import reads: it stops at that size instead
  // of downloading up to the client's limit first.
  fs::path big = m_dir / "big.db";
  std::ofstream(big) << std::string(std::size_t{3} << 20U, 'z');
  m_server->route("/uscis.db", {{{"file", big.string()}}});
  Client c(m_options);
  Request r = get("/uscis.db");
  r.what = "the processing times uscis.db";
  r.max_body = std::size_t{1} << 20U;
  std::ofstream(m_dir / "out") << "";  // the caller's private temporary file
  try {
    c.download(r, m_dir / "out");
    FAIL() << "no error";
  } catch (const NetError& e) {
    EXPECT_EQ(std::string(e.what()), "the processing times uscis.db from " +
                                         m_server->url("/uscis.db") +
                                         " is larger than 1 MiB; casewatch reads no more");
  }
  EXPECT_LE(fs::file_size(m_dir / "out"), (std::size_t{1} << 20U) + (std::size_t{1} << 16U));
}

TEST_F(HttpTest, OfflineRefusesBeforeAnyConnection) {
  m_server->route("/a", {{{"body", "hello"}}});
  Options o = m_options;
  o.offline = true;
  Client c(o);
  EXPECT_THROW(c.get_ok(get("/a")), Refused);
  EXPECT_EQ(m_server->count("/a"), 0U);
}

TEST_F(HttpTest, NothingListeningIsAConnectionError) {
  int port = m_server->port();
  m_server.reset();  // the port is free again
  Client c(m_options);
  Request r;
  r.url = "http://127.0.0.1:" + std::to_string(port) + "/a";
  r.what = "the test file";
  try {
    c.get_ok(r);
    FAIL() << "no error";
  } catch (const NetError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot connect to 127.0.0.1"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace casewatch::net

// The Case Status API client against the local server.
namespace casewatch::net {
namespace {

class MemoryBudget : public RequestBudget {
 public:
  int used(Date day) override { return m_days[day]; }
  void spend(Date day, int n) override { m_days[day] += n; }
  std::map<Date, int> m_days;
};

constexpr const char* k_found =
    R"({"case_status":{"receiptNumber":"EAC2490012345","formNum":"I-765",)"
    R"("current_case_status_text_en":"Case Was Received","hist_case_status":[]},)"
    R"("message":"Query was successful"})";

std::string json_config() {
  return R"({"client_id":"office-client","client_secret":"s3cret&value",)"
         R"("token_url":"https://api-int.uscis.gov/oauth/accesstoken",)"
         R"("api_base":"https://api-int.uscis.gov/case-status/"})";
}

class UscisApiTest : public HttpTest {
 protected:
  void SetUp() override {
    HttpTest::SetUp();
    m_config.client_id = "office-client";
    m_config.client_secret = "s3cret&value";
    m_config.token_url = m_server->url("/oauth/accesstoken");
    m_config.api_base = m_server->url("/case-status");
    m_cache = m_dir / "cache" / "uscis-api-token.json";
    m_server->route("/oauth/accesstoken",
                    {{{"body", R"({"access_token":"tok-1","token_type":"BearerToken",)"
                               R"("expires_in":"1799"})"}},
                     {{"body", R"({"access_token":"tok-2","expires_in":1799})"}}});
    m_server->route("/case-status/EAC2490012345", {{{"body", k_found}}});
  }
  CaseStatusClient client(Client& http, std::time_t now = 1'795'000'000) {
    return CaseStatusClient(http, m_config, m_cache, m_budget, 10'000, [now] { return now; });
  }
  ApiConfig m_config;
  fs::path m_cache;
  MemoryBudget m_budget;
};

TEST_F(UscisApiTest, FetchesATokenThenTheStatusAndCachesTheTokenPrivately) {
  Client http(m_options);
  auto api = client(http);
  CaseStatusResult r = api.fetch("EAC2490012345");
  EXPECT_EQ(r.outcome, CaseStatusResult::Outcome::found);
  EXPECT_EQ(r.body, k_found);
  auto reqs = m_server->requests();
  ASSERT_EQ(reqs.size(), 2U);
  EXPECT_EQ(reqs[0]["method"], "POST");
  EXPECT_EQ(reqs[0]["body"],
            "grant_type=client_credentials&client_id=office-client&client_secret=s3cret%26value");
  EXPECT_EQ(reqs[1]["headers"]["Authorization"], "Bearer tok-1");
  struct stat st {};
  ASSERT_EQ(::stat(m_cache.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  EXPECT_EQ(m_budget.used(utc_day(1'795'000'000)), 2);

  // Another run within the token's life reuses it.
  Client http2(m_options);
  auto again = client(http2, 1'795'000'000 + 600);
  EXPECT_EQ(again.fetch("EAC2490012345").outcome, CaseStatusResult::Outcome::found);
  EXPECT_EQ(m_server->count("/oauth/accesstoken"), 1U);
}

TEST_F(UscisApiTest, AnExpiredTokenIsRenewed) {
  Client http(m_options);
  client(http).fetch("EAC2490012345");
  // 1799 s later the cached token has expired: a new one is asked for.
  Client http2(m_options);
  client(http2, 1'795'000'000 + 1800).fetch("EAC2490012345");
  EXPECT_EQ(m_server->count("/oauth/accesstoken"), 2U);
  EXPECT_EQ(m_server->requests().back()["headers"]["Authorization"], "Bearer tok-2");
}

TEST_F(UscisApiTest, ATokenRefusedByTheApiIsRenewedOnce) {
  m_server->route(
      "/case-status/EAC2490012345",
      {{{"status", 401}, {"body", R"({"message":"Invalid access token"})"}}, {{"body", k_found}}});
  Client http(m_options);
  auto api = client(http);
  EXPECT_EQ(api.fetch("EAC2490012345").outcome, CaseStatusResult::Outcome::found);
  EXPECT_EQ(m_server->count("/oauth/accesstoken"), 2U);
  EXPECT_EQ(m_server->requests().back()["headers"]["Authorization"], "Bearer tok-2");
}

TEST_F(UscisApiTest, A404AndAnErrorsBodyAreResultsPerReceipt) {
  m_server->route("/case-status/IOE0912345678",
                  {{{"status", 404},
                    {"body", R"({"errors":[{"code":"E404","message":"Receipt not found"}]})"}}});
  m_server->route(
      "/case-status/LIN2490012345",
      {{{"status", 400}, {"body", R"({"errors":[{"code":"E400","message":"Invalid receipt"}]})"}}});
  Client http(m_options);
  auto api = client(http);
  CaseStatusResult missing = api.fetch("IOE0912345678");
  EXPECT_EQ(missing.outcome, CaseStatusResult::Outcome::not_found);
  EXPECT_EQ(missing.message, "E404: Receipt not found");
  CaseStatusResult refused = api.fetch("LIN2490012345");
  EXPECT_EQ(refused.outcome, CaseStatusResult::Outcome::refused);
  EXPECT_EQ(refused.message, "HTTP 400: E400: Invalid receipt");
  EXPECT_EQ(api.fetch("EAC2490012345").outcome, CaseStatusResult::Outcome::found);
  EXPECT_THROW(api.fetch("EAC24900"), Refused);
}

TEST_F(UscisApiTest, RateLimitedAfterTheRetriesStopsTheRun) {
  m_server->route("/case-status/EAC2490012345",
                  {{{"status", 429}, {"body", R"({"message":"Quota exceeded"})"}}});
  Client http(m_options);
  auto api = client(http);
  try {
    api.fetch("EAC2490012345");
    FAIL() << "no error";
  } catch (const NetError& e) {
    EXPECT_STREQ(e.what(),
                 "HTTP 429 from 127.0.0.1 (the case status of EAC2490012345): Quota exceeded");
  }
  EXPECT_EQ(m_server->count("/case-status/EAC2490012345"), 3U);
}

TEST_F(UscisApiTest, TheDailyBudgetStopsRequestsUntilMidnightUtc) {
  Client http(m_options);
  // 1795000000 is 2026-11-18 11:06:40 UTC.
  std::time_t now = 1'795'000'000;
  m_budget.spend(utc_day(now), 9'999);
  auto api = client(http, now);
  // The token request is the 10,000th; the status request has no budget left.
  try {
    api.fetch("EAC2490012345");
    FAIL() << "no error";
  } catch (const NetError& e) {
    EXPECT_NE(std::string(e.what()).find("daily budget of 10000"), std::string::npos) << e.what();
  }
  EXPECT_EQ(m_server->count("/case-status/EAC2490012345"), 0U);
  // The next UTC day starts afresh.
  EXPECT_EQ(utc_day(now), make_date(2026, 11, 18));
  std::time_t tomorrow = 1'795'046'400;  // 2026-11-19 00:00:00 UTC
  EXPECT_EQ(utc_day(tomorrow), make_date(2026, 11, 19));
  auto fresh = client(http, tomorrow);
  EXPECT_EQ(fresh.fetch("EAC2490012345").outcome, CaseStatusResult::Outcome::found);
}

TEST_F(UscisApiTest, AtMostTenRequestsASecond) {
  Client http(m_options);
  auto api = client(http);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i) {
    api.fetch("EAC2490012345");
  }
  // 11 requests (a token and 10 statuses), at least 100 ms apart.
  EXPECT_EQ(api.requests(), 11);
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(1000));
}

TEST_F(UscisApiTest, TheConfigurationIsRefusedWhenOthersCanReadIt) {
  fs::path file = m_dir / "uscis-api.json";
  std::ofstream(file) << json_config();
  ::chmod(file.c_str(), 0644);
  try {
    read_api_config(file);
    FAIL() << "no error";
  } catch (const Refused& e) {
    EXPECT_NE(std::string(e.what()).find("mode 0644"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << e.what();
  }
  ::chmod(file.c_str(), 0600);
  ApiConfig c = read_api_config(file);
  EXPECT_EQ(c.client_id, "office-client");
  EXPECT_EQ(c.api_base, "https://api-int.uscis.gov/case-status");
  std::ofstream(file) << R"({"client_id":"x","client_secret":"y","token_url":)"
                         R"("http://api.example.org/token","api_base":"https://a.example.org"})";
  EXPECT_THROW(read_api_config(file), Refused);
  std::ofstream(file) << R"({"client_id":"x"})";
  EXPECT_THROW(read_api_config(file), Refused);
  EXPECT_THROW(read_api_config(m_dir / "missing.json"), Refused);
}

// A second server on another port of 127.0.0.1: another origin.
class UscisApiRedirectTest : public UscisApiTest {
 protected:
  void SetUp() override {
    UscisApiTest::SetUp();
    fs::create_directories(m_dir / "other");
    m_other = std::make_unique<HttpTestServer>(m_dir / "other");
    m_other->route("/steal", {{{"body", R"({"access_token":"stolen","expires_in":1799})"}}});
  }
  void TearDown() override {
    m_other.reset();
    UscisApiTest::TearDown();
  }
  std::unique_ptr<HttpTestServer> m_other;
};

TEST_F(UscisApiRedirectTest, TheClientSecretIsNeverPostedToAnotherOrigin) {
  // A 307 or 308 keeps the method and the body: following it would post the secret there.
  for (int status : {307, 308}) {
    m_server->route("/oauth/accesstoken",
                    {{{"status", status}, {"headers", {{"Location", m_other->url("/steal")}}}}});
    Client http(m_options);
    auto api = client(http);
    try {
      api.fetch("EAC2490012345");
      FAIL() << "no error for " << status;
    } catch (const Refused& e) {
      EXPECT_NE(std::string(e.what()).find("redirected the Case Status API token to another "
                                           "origin (http://127.0.0.1:"),
                std::string::npos)
          << e.what();
      EXPECT_NE(std::string(e.what()).find("casewatch sends no credentials there"),
                std::string::npos)
          << e.what();
    }
    EXPECT_EQ(m_other->requests().size(), 0U) << status;
  }
}

TEST_F(UscisApiRedirectTest, ABearerTokenDoesNotFollowARedirectToAnotherPortOfTheSameHost) {
  m_server->route("/case-status/EAC2490012345",
                  {{{"status", 302}, {"headers", {{"Location", m_other->url("/steal")}}}}});
  Client http(m_options);
  auto api = client(http);
  EXPECT_THROW(api.fetch("EAC2490012345"), Refused);
  EXPECT_EQ(m_other->requests().size(), 0U);
}

TEST_F(UscisApiTest, ATokenWithALineBreakIsNeverPutIntoAHeader) {
  m_server->route("/oauth/accesstoken",
                  {{{"body", R"({"access_token":"tok\r\nX-Injected: 1","expires_in":1799})"}}});
  Client http(m_options);
  auto api = client(http);
  try {
    api.fetch("EAC2490012345");
    FAIL() << "no error";
  } catch (const NetError& e) {
    EXPECT_NE(std::string(e.what()).find("an access_token casewatch does not send"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(m_server->count("/case-status/EAC2490012345"), 0U);
  // Nor is such a token taken from the cache.
  fs::create_directories(m_cache.parent_path());
  std::ofstream(m_cache) << nlohmann::json{
      {"token_url", m_config.token_url},
      {"client_id", m_config.client_id},
      {"access_token", "tok\r\nX-Injected: 1"},
      {"expires_at",
       1'795'000'000 + 3600}}.dump();
  ::chmod(m_cache.c_str(), 0600);
  m_server->route("/oauth/accesstoken", {{{"body", R"({"access_token":"tok-3"})"}}});
  Client http2(m_options);
  EXPECT_EQ(client(http2).fetch("EAC2490012345").outcome, CaseStatusResult::Outcome::found);
  EXPECT_EQ(m_server->requests().back()["headers"]["Authorization"], "Bearer tok-3");
}

TEST_F(UscisApiTest, AServerThatEchoesTheRequestNeverGetsTheSecretPrinted) {
  m_server->route("/oauth/accesstoken",
                  {{{"status", 400},
                    {"body",
                     "bad request: grant_type=client_credentials&client_id=office-client"
                     "&client_secret=s3cret%26value (s3cret&value)"}}});
  Client http(m_options);
  auto api = client(http);
  try {
    api.fetch("EAC2490012345");
    FAIL() << "no error";
  } catch (const NetError& e) {
    std::string what = e.what();
    EXPECT_EQ(what.find("s3cret"), std::string::npos) << what;
    EXPECT_NE(what.find("client_secret=[redacted] ([redacted])"), std::string::npos) << what;
  }
}

TEST_F(UscisApiTest, AHugeOrNegativeTokenLifeIsBoundedNotOverflowed) {
  const std::time_t now = 1'795'000'000;
  for (const char* life : {"9223372036854775807", "-5", "18446744073709551615", "1e300"}) {
    fs::remove(m_cache);
    m_server->route(
        "/oauth/accesstoken",
        {{{"body", std::string(R"({"access_token":"tok-9","expires_in":)") + life + "}"}}});
    Client http(m_options);
    client(http, now).fetch("EAC2490012345");
    auto cached = nlohmann::json::parse(std::ifstream(m_cache));
    std::int64_t expires_at = cached["expires_at"].get<std::int64_t>();
    EXPECT_GE(expires_at, now + 5 * 60) << life;
    EXPECT_LE(expires_at, now + 24 * 60 * 60) << life;
  }
  // A bounded life is reused by the next run within it: not a new token every run.
  std::size_t tokens = m_server->count("/oauth/accesstoken");
  Client http(m_options);
  client(http, now + 60).fetch("EAC2490012345");
  EXPECT_EQ(m_server->count("/oauth/accesstoken"), tokens);
}

}  // namespace
}  // namespace casewatch::net

// The budget as the cli keeps it: in the store, across runs.
namespace casewatch::cli {
namespace {

TEST(FetchBudget, TheStoreCountsRequestsPerUtcDayAcrossRuns) {
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() / ("casewatch-budget-" + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  Date day = make_date(2026, 11, 28);
  {
    store::Store s(dir / "cases.db");
    StoreBudget budget(s);
    EXPECT_EQ(budget.used(day), 0);
    budget.spend(day, 1);
    budget.spend(day, 2);
    EXPECT_EQ(budget.used(day), 3);
    EXPECT_EQ(budget.used(make_date(2026, 11, 29)), 0);
    EXPECT_FALSE(s.last_fetch("times"));
  }
  {
    store::Store s(dir / "cases.db");
    StoreBudget budget(s);
    EXPECT_EQ(budget.used(day), 3);
    EXPECT_EQ(s.last_fetch("uscis-api"), day);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace casewatch::cli
