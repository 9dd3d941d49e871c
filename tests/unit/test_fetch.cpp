// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>

#include <sys/stat.h>

#include "../http_test_server.hpp"
#include "casewatch/net/http.hpp"

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
