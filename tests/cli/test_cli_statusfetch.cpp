// SPDX-License-Identifier: MIT
// Black-box tests of `status fetch` and `check --fetch` against a scripted Case Status API
// (token endpoint and case-status endpoint) on 127.0.0.1 that each test starts itself.
// Never an outside address.
#include <sys/stat.h>

#include <chrono>
#include <ctime>
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
  return slurp(p);
}

// One past status of an answer: its date (MM-DD-YYYY, as the API gives it) and title.
struct Past {
  std::string date;
  std::string title;
};

// A Case Status API answer, in the shape developer.uscis.gov documents.
std::string answer(const std::string& receipt, const std::string& form,
                   const std::string& submitted, const std::string& modified,
                   const std::string& title, const std::string& paragraph,
                   const std::vector<Past>& history) {
  json hist = json::array();
  for (const Past& p : history) {
    hist.push_back({{"date", p.date}, {"completed_text_en", p.title}, {"completed_text_es", ""}});
  }
  json cs = {{"receiptNumber", receipt},
             {"formType", form},
             {"submittedDate", submitted},
             {"modifiedDate", modified},
             {"current_case_status_text_en", title},
             {"current_case_status_desc_en", paragraph},
             {"current_case_status_text_es", ""},
             {"current_case_status_desc_es", ""},
             {"hist_case_status", hist}};
  return json{{"case_status", cs}, {"message", "Query was successful"}}.dump();
}

constexpr const char* k_i485 =
    "your Form I-485, Application to Register Permanent Residence or Adjust Status, Receipt "
    "Number IOE0912345678";

std::string received_i485() {
  return answer("IOE0912345678", "I-485", "03-02-2026 09:12:40", "03-04-2026 11:02:13",
                "Case Was Received",
                std::string("On March 2, 2026, we received ") + k_i485 +
                    ", and sent you the receipt notice that describes how we will process your "
                    "case.",
                {});
}

std::string approved_i485() {
  return answer("IOE0912345678", "I-485", "03-02-2026 09:12:40", "11-09-2026 15:40:02",
                "Case Was Approved",
                std::string("On November 9, 2026, we approved ") + k_i485 +
                    ". We will mail your approval notice.",
                {{"03-02-2026", "Case Was Received"}});
}

std::string card_mailed_i485() {
  return answer("IOE0912345678", "I-485", "03-02-2026 09:12:40", "11-18-2026 10:05:51",
                "Card Was Mailed To Me",
                std::string("On November 18, 2026, we mailed your new card for ") + k_i485 +
                    ", to the address you gave us. The U.S. Postal Service (USPS) is "
                    "responsible for delivering your card. If you do not receive your card by "
                    "December 18, 2026, please go to www.uscis.gov/e-request to request help.",
                {{"03-02-2026", "Case Was Received"}, {"11-09-2026", "Case Was Approved"}});
}

std::string card_produced_i765() {
  return answer("EAC2490012345", "I-765", "09-02-2026 10:14:52", "11-16-2026 08:30:00",
                "New Card Is Being Produced",
                "On November 16, 2026, we ordered your new card for your Form I-765, "
                "Application for Employment Authorization, Receipt Number EAC2490012345.",
                {{"09-02-2026", "Case Was Received"}, {"11-12-2026", "Case Was Approved"}});
}

class CliStatusFetch : public Cli {
 protected:
  void SetUp() override {
    Cli::SetUp();
    m_server = std::make_unique<HttpTestServer>(m_dir);
    m_config = m_dir / "config" / "casewatch" / "uscis-api.json";
    write_config(fs::perms::owner_read | fs::perms::owner_write);
    m_server->route("/oauth/accesstoken",
                    {{{"body", R"({"access_token":"tok-1","token_type":"BearerToken",)"
                               R"("expires_in":"1799"})"}},
                     {{"body", R"({"access_token":"tok-2","expires_in":1799})"}}});
  }
  void TearDown() override {
    m_server.reset();
    Cli::TearDown();
  }

  void write_config(fs::perms mode) {
    fs::create_directories(m_config.parent_path());
    json c = {{"client_id", "office-client"},
              {"client_secret", "s3cret-value"},
              {"token_url", m_server->url("/oauth/accesstoken")},
              {"api_base", m_server->url("/case-status")}};
    std::ofstream(m_config) << c.dump();
    fs::permissions(m_config, mode);
  }

  // The status path of a receipt answers `responses` in order (the last repeats).
  void serve(const std::string& receipt, json responses) {
    m_server->route("/case-status/" + receipt, std::move(responses));
  }

  std::vector<std::string> env() const {
    return {"XDG_CONFIG_HOME=" + (m_dir / "config").string(),
            "XDG_CACHE_HOME=" + (m_dir / "cache").string(),
            "CASEWATCH_TIMES_RELEASES_URL=" + m_server->url("/releases"),
            "CASEWATCH_HTTP_TIMEOUT=1.5",
            "CASEWATCH_HTTP_BACKOFF=0.01",
            "CASEWATCH_HTTP_MAX_WAIT=1"};
  }
  Result fetch(const std::vector<std::string>& args, std::vector<std::string> extra = {}) {
    auto e = env();
    e.insert(e.end(), extra.begin(), extra.end());
    return run(args, e);
  }

  void add_i485() {
    ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--category", "131A-FAM", "--office",
                   "QNS", "--received", "2026-03-02", "--label", "Ana AOS"})
                  .code,
              0);
  }
  void add_i765() {
    ASSERT_EQ(run({"add", "EAC2490012345", "--form", "I-765", "--category", "147-C9", "--received",
                   "2026-09-02", "--label", "Ana EAD"})
                  .code,
              0);
  }

  int journal_entries() {
    SQLite::Database db(m_db.string());
    return db.execAndGet("SELECT count(*) FROM journal").getInt();
  }
  int requests_counted() {
    SQLite::Database db(m_db.string());
    return db
        .execAndGet(
            "SELECT coalesce(sum(requests), 0) FROM fetches WHERE service = "
            "'uscis-api'")
        .getInt();
  }
  std::size_t status_requests() const {
    std::size_t n = 0;
    for (const auto& r : m_server->requests()) {
      n += std::string(r["path"]).starts_with("/case-status/") ? 1U : 0U;
    }
    return n;
  }

  // The new findings of a `check --json` document, as "rule|severity|title".
  static std::vector<std::string> new_findings(const std::string& out) {
    std::vector<std::string> found;
    const json doc = json::parse(out);
    for (const json& f : doc["new"]) {
      found.push_back(f["rule"].get<std::string>() + "|" + f["severity"].get<std::string>() + "|" +
                      f["title"].get<std::string>());
    }
    return found;
  }
  static bool has(const std::vector<std::string>& found, const std::string& needle) {
    return std::any_of(found.begin(), found.end(),
                       [&](const std::string& f) { return f.find(needle) != std::string::npos; });
  }

  // Runs `args`, expected to refuse before any request: the database file's bytes are
  // unchanged and the server heard nothing.
  Result expect_untouched(const std::vector<std::string>& args,
                          const std::vector<std::string>& extra = {}) {
    std::string before = bytes_of(m_db);
    Result r = fetch(args, extra);
    EXPECT_EQ(bytes_of(m_db), before);
    EXPECT_EQ(m_server->requests().size(), 0U);
    return r;
  }

  std::unique_ptr<HttpTestServer> m_server;
  fs::path m_config;
};

// The issue's "done when": over a few simulated days, the daily `check --fetch` brings the
// case from "Case Was Received" to "Card Was Mailed To Me", and says what is new each day.
TEST_F(CliStatusFetch, CheckFetchFollowsACaseFromReceivedToCardMailed) {
  add_i485();
  auto day = [&](const std::string& as_of, const std::string& body) {
    serve("IOE0912345678", {{{"body", body}}});
    Result r = fetch({"--json", "--as-of", as_of, "check", "--fetch"});
    EXPECT_EQ(r.code, 0) << r.err;
    // The processing times are asked for too, and their failure is only a warning.
    EXPECT_NE(r.err.find("processing times not fetched"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("case statuses not fetched"), std::string::npos) << r.err;
    return new_findings(r.out);
  };
  auto day1 = day("2026-03-05", received_i485());
  EXPECT_TRUE(has(day1, "status|info|USCIS: Case Was Received (on 2026-03-02)"));

  auto day2 = day("2026-11-10", approved_i485());
  EXPECT_TRUE(has(day2, "status|action|USCIS: Case Was Approved (on 2026-11-09)"));
  EXPECT_FALSE(has(day2, "Case Was Received")) << "reported on day 1 already";

  // The same answer the next day: nothing new, so the check is silent.
  serve("IOE0912345678", {{{"body", approved_i485()}}});
  Result quiet = fetch({"--as-of", "2026-11-11", "check", "--fetch"});
  EXPECT_EQ(quiet.code, 0) << quiet.err;
  EXPECT_EQ(quiet.out, "");

  auto day3 = day("2026-11-20", card_mailed_i485());
  EXPECT_TRUE(has(day3, "status|info|USCIS: Card Was Mailed To Me (on 2026-11-18)"));

  // One token for all the days (cached privately), one status request a day.
  EXPECT_EQ(m_server->count("/oauth/accesstoken"), 1U);
  EXPECT_EQ(status_requests(), 4U);
  struct stat st {};
  ASSERT_EQ(::stat((m_dir / "cache" / "casewatch" / "uscis-api-token.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);

  Result show = run({"show", "IOE0912345678", "--json"});
  ASSERT_EQ(show.code, 0) << show.err;
  json j = json::parse(show.out);
  EXPECT_EQ(j["case"]["status"], "approved");
  std::vector<std::string> events;
  for (const json& e : j["events"]) {
    events.push_back(e["kind"].get<std::string>() + " " + e["date"].get<std::string>() + " " +
                     e["source"].get<std::string>() + " " + e["observed"].get<std::string>());
  }
  EXPECT_EQ(events, (std::vector<std::string>{"receipt 2026-03-02 api 2026-03-05",
                                              "approved 2026-11-09 api 2026-11-10",
                                              "card-mailed 2026-11-18 api 2026-11-20"}));
  EXPECT_EQ(j["events"][2]["due"], "2026-12-18");  // USCIS's own "by" date

  // Fetched statuses are the very events `status import` makes: importing the last answer
  // as a file adds nothing.
  fs::path file = m_dir / "answer.json";
  std::ofstream(file) << card_mailed_i485();
  Result imported = run({"status", "import", file.string()});
  EXPECT_EQ(imported.code, 0) << imported.err;
  EXPECT_EQ(imported.out, "IOE0912345678: nothing new.\n");
}

TEST_F(CliStatusFetch, StatusFetchImportsInOneTransactionAndSaysWhatChanged) {
  add_i485();
  add_i765();
  serve("IOE0912345678", {{{"body", approved_i485()}}});
  serve("EAC2490012345", {{{"body", card_produced_i765()}}});
  int journal = journal_entries();
  Result r = fetch({"--as-of", "2026-11-20", "status", "fetch"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "IOE0912345678: 2 new events (Case Was Received on 2026-03-02, Case Was Approved on "
            "2026-11-09).\n"
            "EAC2490012345: 3 new events (Case Was Received on 2026-09-02, Case Was Approved on "
            "2026-11-12, New Card Is Being Produced on 2026-11-16).\n"
            "Fetched 2 of 2 statuses from 127.0.0.1: 2 cases with news.\n");
  EXPECT_EQ(journal_entries(), journal + 1);
  // A token and two statuses, counted against the daily budget.
  EXPECT_EQ(requests_counted(), 3);
  auto reqs = m_server->requests();
  ASSERT_EQ(reqs.size(), 3U);
  EXPECT_EQ(reqs[1]["path"], "/case-status/IOE0912345678");
  EXPECT_EQ(reqs[1]["headers"]["Authorization"], "Bearer tok-1");
  EXPECT_EQ(reqs[1]["body"], "");
  // Only the credentials go to the token URL; only receipt numbers to the API.
  EXPECT_EQ(reqs[0]["body"],
            "grant_type=client_credentials&client_id=office-client&client_secret=s3cret-value");

  // Again, nothing new: only the summary.
  Result again = fetch({"--as-of", "2026-11-20", "status", "fetch"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.out, "Fetched 2 of 2 statuses from 127.0.0.1: 0 cases with news.\n");
  EXPECT_EQ(again.err, "");
  // -q: nothing at all.
  Result quiet = fetch({"-q", "--as-of", "2026-11-20", "status", "fetch"});
  ASSERT_EQ(quiet.code, 0) << quiet.err;
  EXPECT_EQ(quiet.out, "");
  EXPECT_EQ(quiet.err, "");
}

TEST_F(CliStatusFetch, NamedCasesOnlyAndTheirArgumentsCheckedFirst) {
  add_i485();
  add_i765();
  ASSERT_EQ(run({"add", "--form", "N-400", "--sent", "2026-06-03", "--label", "no receipt"}).code,
            0);
  serve("EAC2490012345", {{{"body", card_produced_i765()}}});
  // An unknown receipt among good ones: nothing is asked for.
  expect_one_error_line(expect_untouched({"status", "fetch", "EAC2490012345", "LIN2490099999"}),
                        "LIN2490099999");
  // A case without a receipt number cannot be asked for.
  expect_one_error_line(expect_untouched({"status", "fetch", "#3"}), "has no receipt number");

  Result r =
      fetch({"--json", "--as-of", "2026-11-20", "status", "fetch", "#2", "EAC-24-900-12345"});
  ASSERT_EQ(r.code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["api"], "127.0.0.1");
  EXPECT_EQ(j["asked"], 1);
  ASSERT_EQ(j["cases"].size(), 1U);
  EXPECT_EQ(j["cases"][0]["receipt"], "EAC2490012345");
  EXPECT_EQ(j["cases"][0]["case_id"], 2);
  EXPECT_EQ(j["cases"][0]["events"].size(), 3U);
  EXPECT_EQ(j["cases"][0]["events"][2]["source"], "api");
  EXPECT_EQ(j["not_found"], json::array());
  EXPECT_EQ(j["stopped"], nullptr);
  EXPECT_EQ(j["requests"], 2);
  EXPECT_EQ(m_server->count("/case-status/IOE0912345678"), 0U);
}

TEST_F(CliStatusFetch, A404ReceiptIsAWarningAndTheOtherIsImported) {
  add_i485();
  add_i765();
  serve("IOE0912345678",
        {{{"status", 404},
          {"body", R"({"errors":[{"code":"E404","message":"Receipt not found"}]})"}}});
  serve("EAC2490012345", {{{"body", card_produced_i765()}}});
  Result r = fetch({"--as-of", "2026-11-20", "status", "fetch"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "casewatch: warning: USCIS knows no case IOE0912345678 (404)\n");
  EXPECT_EQ(r.out,
            "EAC2490012345: 3 new events (Case Was Received on 2026-09-02, Case Was Approved on "
            "2026-11-12, New Card Is Being Produced on 2026-11-16).\n"
            "Fetched 1 of 2 statuses from 127.0.0.1: 1 case with news, 1 not found.\n");
  json shown = json::parse(run({"show", "IOE0912345678", "--json"}).out);
  EXPECT_EQ(shown["events"].size(), 0U);

  Result j = fetch({"--json", "--as-of", "2026-11-20", "status", "fetch"});
  ASSERT_EQ(j.code, 0) << j.err;
  json doc = json::parse(j.out);
  EXPECT_EQ(doc["not_found"],
            json::parse(R"([{"receipt":"IOE0912345678","message":"E404: Receipt not found"}])"));
  EXPECT_EQ(doc["cases"][0]["events"], json::array());
}

TEST_F(CliStatusFetch, AnErrorsBodyIsAWarningForThatReceipt) {
  add_i485();
  add_i765();
  serve(
      "IOE0912345678",
      {{{"status", 400},
        {"body",
         R"({"errors":[{"code":"1002","message":"The receipt number you entered is not valid."}]})"}}});
  serve("EAC2490012345",
        {{{"body", R"({"errors":[{"code":"1003","message":"Case is unavailable."}]})"}}});
  std::string content = dump();
  int journal = journal_entries();
  Result r = fetch({"--as-of", "2026-11-20", "status", "fetch"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("casewatch: warning: USCIS gave no status for IOE0912345678: HTTP 400: "
                       "1002: The receipt number you entered is not valid."),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("casewatch: warning: USCIS gave no status for EAC2490012345: "),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out,
            "Fetched 0 of 2 statuses from 127.0.0.1: 0 cases with news, 2 without a status.\n");
  EXPECT_EQ(dump(), content);
  EXPECT_EQ(journal_entries(), journal);
}

// Issue 21, item 3: an answer was read up to 512 MiB, and its JSON tree took up to a hundred
// times that. An answer is one status document: more than 1 MiB is refused as it comes.
TEST_F(CliStatusFetch, AnAnswerLargerThanAStatusDocumentIsRefused) {
  add_i485();
  json padded = json::parse(received_i485());
  padded["padding"] = std::string(std::size_t{1} << 20U, 'x');
  serve("IOE0912345678", {{{"body", padded.dump()}}});
  std::string content = dump();
  Result r = fetch({"--as-of", "2026-11-20", "status", "fetch"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("from http://127.0.0.1:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/IOE0912345678 is larger than 1 MiB; casewatch reads no more"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(dump(), content);
}

TEST_F(CliStatusFetch, AnInvalidTokenIsRenewedOnceAndTheFetchGoesOn) {
  add_i485();
  serve("IOE0912345678", {{{"status", 401}, {"body", R"({"message":"Invalid access token"})"}},
                          {{"body", approved_i485()}}});
  Result r = fetch({"--as-of", "2026-11-20", "status", "fetch"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("IOE0912345678: 2 new events"), std::string::npos) << r.out;
  EXPECT_EQ(m_server->count("/oauth/accesstoken"), 2U);
  EXPECT_EQ(m_server->requests().back()["headers"]["Authorization"], "Bearer tok-2");
}

TEST_F(CliStatusFetch, AnExpiredCachedTokenIsReplaced) {
  add_i485();
  serve("IOE0912345678", {{{"body", approved_i485()}}});
  fs::path cache = m_dir / "cache" / "casewatch" / "uscis-api-token.json";
  fs::create_directories(cache.parent_path());
  std::ofstream(cache) << json{
      {"token_url", m_server->url("/oauth/accesstoken")},
      {"client_id", "office-client"},
      {"access_token", "stale"},
      {"expires_at", std::time(nullptr) -
                         10}}.dump();
  fs::permissions(cache, fs::perms::owner_read | fs::perms::owner_write);
  Result r = fetch({"--as-of", "2026-11-20", "status", "fetch"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(m_server->count("/oauth/accesstoken"), 1U);
  EXPECT_EQ(m_server->requests().back()["headers"]["Authorization"], "Bearer tok-1");
}

TEST_F(CliStatusFetch, AServerFailingThreeTimesStopsTheRunAndKeepsWhatWasFetched) {
  add_i485();
  add_i765();
  serve("IOE0912345678", {{{"status", 500}, {"body", "upstream unavailable"}}});
  serve("EAC2490012345", {{{"body", card_produced_i765()}}});
  std::string content = dump();
  int journal = journal_entries();
  fs::path log = m_dir / "fetch.log";
  Result r = fetch({"--log-file", log.string(), "--as-of", "2026-11-20", "status", "fetch"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "casewatch: error: HTTP 500 from 127.0.0.1 (the case status of IOE0912345678): "
            "upstream unavailable; 2 statuses not fetched; none fetched before the stop\n");
  // The one exit path of every error: the log file has it too (#26 item 6).
  EXPECT_NE(slurp(log).find("2 statuses not fetched; none fetched before the stop"),
            std::string::npos)
      << slurp(log);
  EXPECT_EQ(r.out,
            "Fetched 0 of 2 statuses from 127.0.0.1: 0 cases with news, 2 not fetched "
            "(the run stopped).\n");
  EXPECT_EQ(m_server->count("/case-status/IOE0912345678"), 3U);
  EXPECT_EQ(m_server->count("/case-status/EAC2490012345"), 0U);
  // Nothing was fetched: no case, event or journal entry changed (only the request count).
  EXPECT_EQ(dump(), content);
  EXPECT_EQ(journal_entries(), journal);
  // The token and the status request (its retries are the HTTP layer's, not counted again).
  EXPECT_EQ(requests_counted(), 2);

  // Failing on the second receipt: the first one's status is imported, and the run says so.
  serve("EAC2490012345", {{{"status", 503}, {"body", "maintenance"}}});
  serve("IOE0912345678", {{{"body", approved_i485()}}});
  Result second = fetch({"--json", "--as-of", "2026-11-20", "status", "fetch"});
  EXPECT_EQ(second.code, 1);
  EXPECT_NE(second.err.find("1 status not fetched; the 1 status fetched before the stop is "
                            "imported"),
            std::string::npos)
      << second.err;
  json doc = json::parse(second.out);
  EXPECT_EQ(doc["cases"][0]["receipt"], "IOE0912345678");
  EXPECT_EQ(doc["cases"][0]["events"].size(), 2U);
  EXPECT_EQ(doc["not_fetched"], json::array({"EAC2490012345"}));
  EXPECT_NE(doc["stopped"].get<std::string>().find("HTTP 503"), std::string::npos);
  EXPECT_EQ(journal_entries(), journal + 1);
}

TEST_F(CliStatusFetch, AUsedUpDailyBudgetStopsBeforeAnyRequest) {
  add_i485();
  serve("IOE0912345678", {{{"body", approved_i485()}}});
  {
    // Today's UTC day, as the budget counts it.
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char day[11];
    std::strftime(day, sizeof day, "%Y-%m-%d", &utc);
    SQLite::Database db(m_db.string(), SQLite::OPEN_READWRITE);
    db.exec(std::string("INSERT INTO fetches (service, day, requests) VALUES ('uscis-api', '") +
            day + "', 10000)");
  }
  std::string content = dump();
  Result r = fetch({"status", "fetch"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("casewatch: error: the daily budget of 10000 Case Status API requests is "
                       "used up (10000 today); it resets at midnight UTC"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(m_server->requests().size(), 0U);
  EXPECT_EQ(dump(), content);
}

TEST_F(CliStatusFetch, OfflineSendsNothing) {
  add_i485();
  serve("IOE0912345678", {{{"body", approved_i485()}}});
  expect_one_error_line(expect_untouched({"--offline", "status", "fetch"}),
                        "not fetching case statuses from 127.0.0.1: casewatch is offline "
                        "(--offline or CASEWATCH_OFFLINE=1)");
  expect_one_error_line(expect_untouched({"status", "fetch"}, {"CASEWATCH_OFFLINE=1"}),
                        "casewatch is offline");
  // check --fetch offline: a warning, and the check still runs.
  Result check = expect_untouched(
      {"--offline", "--as-of", "2026-11-20", "--json", "check", "--fetch", "--dry-run"});
  EXPECT_EQ(check.code, 0) << check.err;
  Result real = fetch({"--offline", "--json", "check", "--fetch"});
  EXPECT_EQ(real.code, 0) << real.err;
  EXPECT_NE(real.err.find("case statuses not fetched; checking with the timelines as they are: "
                          "not fetching case statuses from 127.0.0.1: casewatch is offline"),
            std::string::npos)
      << real.err;
  EXPECT_NO_THROW(json::parse(real.out));
  EXPECT_EQ(m_server->requests().size(), 0U);
}

TEST_F(CliStatusFetch, CredentialsReadableByOthersAreRefusedBeforeAnyRequest) {
  add_i485();
  serve("IOE0912345678", {{{"body", approved_i485()}}});
  write_config(fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
               fs::perms::others_read);
  Result r = expect_untouched({"status", "fetch"});
  expect_one_error_line(r, m_config.string() + " is readable or writable by others (mode 0644)");
  EXPECT_EQ(r.err.find("s3cret"), std::string::npos);
  fs::remove(m_config);
  expect_one_error_line(expect_untouched({"status", "fetch"}), "no Case Status API credentials");
  // check --fetch: a warning naming the file, and the check.
  Result check = fetch({"--as-of", "2026-11-20", "check", "--fetch"});
  EXPECT_EQ(check.code, 0) << check.err;
  EXPECT_NE(check.err.find("case statuses not fetched; checking with the timelines as they are: "
                           "no Case Status API credentials: cannot read " +
                           m_config.string()),
            std::string::npos)
      << check.err;
  EXPECT_EQ(status_requests(), 0U);
}

TEST_F(CliStatusFetch, CheckWithoutFetchSendsNothing) {
  add_i485();
  serve("IOE0912345678", {{{"body", approved_i485()}}});
  Result r = fetch({"--as-of", "2026-11-20", "check"});
  EXPECT_EQ(r.code, 0) << r.err;
  Result times = fetch({"--as-of", "2026-11-20", "check", "--all"});
  EXPECT_EQ(times.code, 0) << times.err;
  EXPECT_EQ(m_server->requests().size(), 0U);
}

TEST_F(CliStatusFetch, NoOpenCaseAsksNothing) {
  add_i485();
  serve("IOE0912345678", {{{"body", approved_i485()}}});
  // A case the user closed is done: it is not asked for.
  ASSERT_EQ(run({"edit", "IOE0912345678", "--status", "closed"}).code, 0);
  Result r = fetch({"status", "fetch"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "No open case with a receipt number: nothing to fetch.\n");
  EXPECT_EQ(m_server->requests().size(), 0U);
}

}  // namespace
}  // namespace casewatch_test
