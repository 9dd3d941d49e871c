// SPDX-License-Identifier: MIT
// A client of the USCIS Case Status API (developer.uscis.gov) with the office's own
// credentials: OAuth 2.0 client credentials, the token cached privately until it expires, at
// most 10 requests a second, and a daily budget. It sends receipt numbers, and only to the
// API base of the user's configuration (docs/cli.md, "Network"). It returns each receipt's raw
// answer; turning that into events is the status import's work.
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "casewatch/domain/dates.hpp"
#include "casewatch/net/http.hpp"

namespace casewatch::net {

// The credentials file: {"client_id", "client_secret", "token_url", "api_base"}.
struct ApiConfig {
  std::string client_id;
  std::string client_secret;
  std::string token_url;  // e.g. https://api-int.uscis.gov/oauth/accesstoken (sandbox)
  std::string api_base;   // e.g. https://api-int.uscis.gov/case-status
};

// $XDG_CONFIG_HOME/casewatch/uscis-api.json, else ~/.config/casewatch/uscis-api.json.
std::filesystem::path default_api_config_path();
// $XDG_CACHE_HOME/casewatch/uscis-api-token.json, else ~/.cache/casewatch/....
std::filesystem::path default_token_cache_path();

// Reads the credentials. Throws Refused (exit 2) naming the file when it is missing, is
// readable or writable by the group or others, is no JSON object with the four strings, or
// names a URL casewatch does not fetch (url_problem). The secret is never in a message.
ApiConfig read_api_config(const std::filesystem::path& file);

// The daily request budget, counted where it outlives the run (the store): a day is a UTC
// calendar day, so the count resets at midnight UTC.
class RequestBudget {
 public:
  virtual ~RequestBudget() = default;
  [[nodiscard]] virtual int used(Date utc_day) = 0;
  // Records `n` more requests on `utc_day`, durably (a failed run still spent them).
  virtual void spend(Date utc_day, int n) = 0;
};

// The default daily budget of Case Status API requests.
inline constexpr int k_default_daily_budget = 10'000;
// The most requests a second.
inline constexpr int k_max_requests_per_second = 10;

// One receipt's answer.
struct CaseStatusResult {
  enum class Outcome {
    found,      // `body` is the API's JSON: {"case_status": {...}, "message": ...}
    not_found,  // 404: USCIS knows no case of this receipt number
    refused     // another 4xx for this receipt (an `errors` body): `message` says why
  };
  std::string receipt;
  Outcome outcome = Outcome::found;
  std::string body;
  std::string message;  // the server's message for not_found and refused
};

class CaseStatusClient {
 public:
  // `clock` is the wall clock (seconds since the epoch), replaceable in tests.
  CaseStatusClient(
      Client& http, ApiConfig config, std::filesystem::path token_cache, RequestBudget& budget,
      int daily_budget = k_default_daily_budget,
      std::function<std::time_t()> clock = [] { return std::time(nullptr); });

  // Asks for the status of one receipt number (3 letters and 10 digits, normalized). A 404
  // or another 4xx is a result for that receipt; throws NetError when the whole run cannot
  // go on (the token refused, the budget used up, 429 or 5xx after the retries, no
  // connection), and Refused for a receipt that is not one.
  CaseStatusResult fetch(std::string_view receipt);

  // Requests made by this client so far (token requests included).
  [[nodiscard]] int requests() const { return m_requests; }

 private:
  std::string token(bool renew);
  void before_request();
  // What no message may show: the client secret (as typed and form-encoded) and the token.
  [[nodiscard]] std::vector<std::string> secrets() const;

  Client& m_http;
  ApiConfig m_config;
  std::filesystem::path m_token_cache;
  RequestBudget& m_budget;
  int m_daily_budget;
  std::function<std::time_t()> m_clock;
  std::optional<std::string> m_token;
  std::chrono::steady_clock::time_point m_last_request{};
  int m_requests = 0;
};

// The UTC calendar day of a time.
Date utc_day(std::time_t t);

// application/x-www-form-urlencoded value.
std::string form_encode(std::string_view value);

// An OAuth token endpoint's answer, as casewatch takes it.
struct TokenAnswer {
  std::string access_token;     // visible ASCII only, at most 4096 characters
  std::int64_t expires_in = 0;  // seconds, within 5 minutes and 24 hours whatever was said
};
// Reads the token endpoint's answer; throws NetError naming `host` when it holds no token
// casewatch would put into a header.
TokenAnswer parse_token_answer(const std::string& body, std::string_view host);

}  // namespace casewatch::net
