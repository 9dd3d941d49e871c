// SPDX-License-Identifier: MIT
#include "casewatch/net/uscis_api.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <vector>

#include "casewatch/util/json_limits.hpp"
#include "casewatch/util/text.hpp"

namespace casewatch::net {
namespace {

namespace fs = std::filesystem;

// A token is renewed this long before it expires.
constexpr std::time_t k_token_margin_seconds = 60;
// A credentials or token file larger than this is no such file.
constexpr std::uintmax_t k_max_small_file = 64 * 1024;
// A token's life as the endpoint gives it (expires_in) is taken within these bounds: a
// negative, zero or absurd value neither overflows nor makes every run ask for a new token.
constexpr std::int64_t k_min_token_life = 5 * 60;
constexpr std::int64_t k_max_token_life = 24 * 60 * 60;
// The longest access token casewatch sends; OAuth tokens are far shorter.
constexpr std::size_t k_max_token_length = 4096;

// True when `token` can go into an Authorization header as it is: visible ASCII only (no
// CR/LF that would start a header of the server's choosing), and not absurdly long.
bool sendable_token(std::string_view token) {
  return !token.empty() && token.size() <= k_max_token_length &&
         std::all_of(token.begin(), token.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// `text` with every occurrence of each secret replaced: what the endpoint echoes of a
// request must not reach the terminal or a log.
std::string redacted(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.size() < 4) {
      continue;  // too short to be told from ordinary words
    }
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
      text.replace(at, secret.size(), "[redacted]");
      at += std::string_view("[redacted]").size();
    }
  }
  return text;
}

fs::path xdg(const char* variable, const char* fallback) {
  if (const char* v = std::getenv(variable); v != nullptr && *v == '/') {
    return fs::path(v) / "casewatch";
  }
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    throw Refused(fmt::format("cannot find the {} directory: set {} or HOME", fallback, variable));
  }
  return fs::path(home) / fallback / "casewatch";
}

std::optional<nlohmann::json> parse_object(const std::string& text) {
  if (json_limits::depth_problem(text)) {
    return std::nullopt;
  }
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return std::nullopt;
  }
  return j;
}

std::string read_small(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string s;
  s.resize(k_max_small_file + 1);
  in.read(s.data(), static_cast<std::streamsize>(s.size()));
  s.resize(static_cast<std::size_t>(in.gcount()));
  return s;
}

bool valid_receipt(std::string_view r) {
  if (r.size() != 13) {
    return false;
  }
  for (std::size_t i = 0; i < r.size(); ++i) {
    char c = r[i];
    bool ok = i < 3 ? (c >= 'A' && c <= 'Z') : (c >= '0' && c <= '9');
    if (!ok) {
      return false;
    }
  }
  return true;
}

// Writes `content` to `file` mode 0600 through a temporary file renamed over it.
void write_private(const fs::path& file, const std::string& content) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  ::chmod(file.parent_path().c_str(), 0700);
  std::string tmp = file.string() + ".tmp-XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    spdlog::warn("cannot cache the Case Status API token in {}: {}", file.string(),
                 std::strerror(errno));
    return;
  }
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), file.c_str()) != 0) {
    ::unlink(tmp.c_str());
    spdlog::warn("cannot cache the Case Status API token in {}", file.string());
  }
}

}  // namespace

fs::path default_api_config_path() {
  return xdg("XDG_CONFIG_HOME", ".config") / "uscis-api.json";
}

fs::path default_token_cache_path() {
  return xdg("XDG_CACHE_HOME", ".cache") / "uscis-api-token.json";
}

ApiConfig read_api_config(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    throw Refused(fmt::format(
        "no Case Status API credentials: cannot read {} ({}); create it (mode 0600) with "
        "client_id, client_secret, token_url and api_base from developer.uscis.gov",
        file.string(), std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    throw Refused(fmt::format("{} is no regular file", file.string()));
  }
  if ((st.st_mode & 077) != 0) {
    throw Refused(fmt::format(
        "{} is readable or writable by others (mode {:04o}); it holds a secret: run chmod 600 {}",
        file.string(), st.st_mode & 07777, file.string()));
  }
  auto j = parse_object(read_small(file));
  if (!j) {
    throw Refused(
        fmt::format("{} is no JSON object with client_id, client_secret, token_url "
                    "and api_base",
                    file.string()));
  }
  ApiConfig c;
  auto field = [&](const char* key) {
    if (!j->contains(key) || !(*j)[key].is_string() || (*j)[key].get<std::string>().empty()) {
      throw Refused(
          fmt::format("{}: \"{}\" is missing or not a string; it needs client_id, "
                      "client_secret, token_url and api_base",
                      file.string(), key));
    }
    return (*j)[key].get<std::string>();
  };
  c.client_id = field("client_id");
  c.client_secret = field("client_secret");
  c.token_url = field("token_url");
  c.api_base = field("api_base");
  for (const auto& [key, url] : {std::pair{"token_url", c.token_url}, {"api_base", c.api_base}}) {
    if (auto problem = url_problem(url)) {
      throw Refused(fmt::format("{}: {}: {}", file.string(), key, *problem));
    }
  }
  while (c.api_base.ends_with('/')) {
    c.api_base.pop_back();
  }
  return c;
}

Date utc_day(std::time_t t) {
  return std::chrono::floor<date::days>(std::chrono::system_clock::from_time_t(t));
}

std::string form_encode(std::string_view value) {
  std::string out;
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
      out += ch;
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

TokenAnswer parse_token_answer(const std::string& body, std::string_view host) {
  auto j = parse_object(body);
  if (!j || !j->contains("access_token") || !(*j)["access_token"].is_string() ||
      (*j)["access_token"].get_ref<const std::string&>().empty()) {
    throw NetError(fmt::format("the token endpoint {} answered without an access_token", host));
  }
  TokenAnswer a;
  a.access_token = (*j)["access_token"].get<std::string>();
  if (!sendable_token(a.access_token)) {
    throw NetError(fmt::format(
        "the token endpoint {} answered with an access_token casewatch does not send (it holds "
        "spaces or control characters, or is longer than {} characters)",
        host, k_max_token_length));
  }
  std::int64_t expires_in = 1800;
  if (j->contains("expires_in")) {
    const auto& e = (*j)["expires_in"];
    if (e.is_number_unsigned()) {
      expires_in = k_max_token_life;  // clamped below
    } else if (e.is_number_integer()) {
      expires_in = e.get<std::int64_t>();
    } else if (e.is_number_float()) {
      double d = e.get<double>();
      expires_in = std::isfinite(d) && d > 0 ? k_max_token_life : k_min_token_life;
    } else if (e.is_string()) {
      expires_in = std::strtoll(e.get_ref<const std::string&>().c_str(), nullptr, 10);
    }
  }
  a.expires_in = std::clamp(expires_in, k_min_token_life, k_max_token_life);
  return a;
}

CaseStatusClient::CaseStatusClient(Client& http, ApiConfig config, fs::path token_cache,
                                   RequestBudget& budget, int daily_budget,
                                   std::function<std::time_t()> clock)
    : m_http(http),
      m_config(std::move(config)),
      m_token_cache(std::move(token_cache)),
      m_budget(budget),
      m_daily_budget(daily_budget),
      m_clock(std::move(clock)) {}

void CaseStatusClient::before_request() {
  Date day = utc_day(m_clock());
  int used = m_budget.used(day);
  if (used >= m_daily_budget) {
    throw NetError(fmt::format(
        "the daily budget of {} Case Status API requests is used up ({} today); it resets at "
        "midnight UTC",
        m_daily_budget, used));
  }
  // At most k_max_requests_per_second: requests at least 1/10 s apart.
  auto gap = std::chrono::milliseconds(1000 / k_max_requests_per_second);
  auto now = std::chrono::steady_clock::now();
  if (m_requests > 0 && now - m_last_request < gap) {
    std::this_thread::sleep_for(gap - (now - m_last_request));
  }
  m_last_request = std::chrono::steady_clock::now();
  m_budget.spend(day, 1);
  ++m_requests;
}

std::string CaseStatusClient::token(bool renew) {
  std::time_t now = m_clock();
  if (!renew && m_token) {
    return *m_token;
  }
  if (!renew) {
    // The cached token, when it is this configuration's and not about to expire.
    struct stat st {};
    if (::stat(m_token_cache.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077) == 0) {
      if (auto j = parse_object(read_small(m_token_cache))) {
        if (j->value("token_url", "") == m_config.token_url &&
            j->value("client_id", "") == m_config.client_id && (*j)["access_token"].is_string() &&
            (*j)["expires_at"].is_number_integer() &&
            (*j)["expires_at"].get<std::int64_t>() > now + k_token_margin_seconds &&
            sendable_token((*j)["access_token"].get_ref<const std::string&>())) {
          m_token = (*j)["access_token"].get<std::string>();
          return *m_token;
        }
      }
    }
  }
  Request r;
  r.method = "POST";
  r.url = m_config.token_url;
  r.what = "the Case Status API token";
  r.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"};
  r.body = "grant_type=client_credentials&client_id=" + form_encode(m_config.client_id) +
           "&client_secret=" + form_encode(m_config.client_secret);
  r.credentials = true;
  before_request();
  Response got;
  try {
    got = m_http.send(r);
    if (got.status < 200 || got.status >= 300) {
      throw_status(r, got);
    }
  } catch (const Refused& e) {
    throw Refused(redacted(e.what(), secrets()));
  } catch (const NetError& e) {
    throw NetError(redacted(e.what(), secrets()));
  }
  TokenAnswer answer = parse_token_answer(got.body, url_host(r.url));
  m_token = std::move(answer.access_token);
  nlohmann::json cache = {{"token_url", m_config.token_url},
                          {"client_id", m_config.client_id},
                          {"access_token", *m_token},
                          {"expires_at", static_cast<std::int64_t>(now) + answer.expires_in}};
  write_private(m_token_cache, cache.dump());
  return *m_token;
}

CaseStatusResult CaseStatusClient::fetch(std::string_view receipt) {
  if (!valid_receipt(receipt)) {
    throw Refused(
        fmt::format("{} is not a receipt number (3 letters and 10 digits)", text::quoted(receipt)));
  }
  CaseStatusResult result;
  result.receipt = std::string(receipt);
  Request r;
  r.url = m_config.api_base + "/" + result.receipt;
  r.what = "the case status of " + result.receipt;
  Response got;
  r.credentials = true;
  for (int round = 0; round < 2; ++round) {
    r.headers = {"Authorization: Bearer " + token(round > 0), "Accept: application/json"};
    before_request();
    got = m_http.send(r);
    if (got.status != 401) {
      break;  // a 401 once: the token expired early or was revoked; renew it and ask again
    }
    spdlog::info("the Case Status API refused the token; asking for a new one");
  }
  if (got.status >= 200 && got.status < 300) {
    auto j = parse_object(got.body);
    if (!j || !j->contains("case_status") || !(*j)["case_status"].is_object()) {
      result.outcome = CaseStatusResult::Outcome::refused;
      result.message = "the answer has no case_status";
      return result;
    }
    result.body = std::move(got.body);
    return result;
  }
  if (got.status == 404) {
    result.outcome = CaseStatusResult::Outcome::not_found;
    result.message = redacted(server_message(got.body), secrets());
    if (result.message.empty()) {
      result.message = "USCIS knows no case with this receipt number";
    }
    return result;
  }
  if (got.status >= 400 && got.status < 500 && got.status != 401 && got.status != 403 &&
      got.status != 429) {
    result.outcome = CaseStatusResult::Outcome::refused;
    result.message =
        redacted(fmt::format("HTTP {}: {}", got.status, server_message(got.body)), secrets());
    return result;
  }
  try {
    throw_status(r, got);
  } catch (const NetError& e) {
    throw NetError(redacted(e.what(), secrets()));
  }
}

std::vector<std::string> CaseStatusClient::secrets() const {
  std::vector<std::string> out = {m_config.client_secret, form_encode(m_config.client_secret)};
  if (m_token) {
    out.push_back(*m_token);
  }
  return out;
}

}  // namespace casewatch::net
