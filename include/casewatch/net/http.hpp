// SPDX-License-Identifier: MIT
// HTTP through libcurl: the only place casewatch opens a network connection (docs/cli.md,
// "Network"). Part of the infrastructure layer, beside the store; the domain never uses it.
#pragma once

#include <chrono>
#include <cstddef>
#include <ctime>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace casewatch::net {

// A fetch failed: the host was not found, the connection or TLS failed, no complete answer
// came in time, the body was too large, or the server answered with an error status after
// the retries. The message is one line that says what failed (exit code 1).
class NetError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A fetch was refused before any connection: --offline or CASEWATCH_OFFLINE=1, or a URL
// casewatch does not fetch (not https, plain http to a host that is not loopback). The
// user's choice or input: exit code 2.
class Refused : public NetError {
 public:
  using NetError::NetError;
};

// How fetches behave. Defaults suit a person's machine; from_environment() applies the
// overrides (used by tests to keep the waits short):
//   CASEWATCH_OFFLINE=1               refuse every fetch
//   CASEWATCH_HTTP_CONNECT_TIMEOUT=S  seconds to connect (default 15)
//   CASEWATCH_HTTP_TIMEOUT=S          seconds for a whole request (default 300)
//   CASEWATCH_HTTP_BACKOFF=S          first wait before a retry, doubled each time (default 1)
//   CASEWATCH_HTTP_MAX_WAIT=S         the longest wait before a retry (default 60); a server
//                                     asking for more (Retry-After) gets no retry
//   CASEWATCH_HTTP_STALL=S            a try that receives no byte for this long ends, and is
//                                     tried again (default 30)
//   CASEWATCH_HTTP_DEADLINE=S         all tries of one request, and the waits between them,
//                                     end this long after the first began (default 120)
// S may have decimals ("1.5"). A value that is not a positive number is refused.
struct Options {
  bool offline = false;
  std::chrono::milliseconds connect_timeout{15'000};
  std::chrono::milliseconds total_timeout{300'000};  // one try, while bytes keep coming
  std::chrono::milliseconds backoff{1'000};
  std::chrono::milliseconds max_wait{60'000};
  std::chrono::milliseconds stall{30'000};
  // A retry is not started, nor waited for, past the deadline, and is cut at it; the first
  // try is bounded by total_timeout and stall, so a large download that keeps coming is not
  // cut. Three silent tries (3 x 30 s and the waits) end within it.
  std::chrono::milliseconds deadline{120'000};
  int max_attempts = 3;  // a 429, a 5xx or a try with no answer is tried again up to this
  std::size_t max_body = std::size_t{512} << 20;  // bytes; a larger body is an error
  int max_redirects = 5;

  // The defaults with the environment's overrides. Throws Refused naming a bad value.
  static Options from_environment();
};

// "casewatch/0.1.0": the User-Agent of every request.
std::string user_agent();

// Why casewatch would not fetch `url`, or nothing when it would: the URL must be https, or
// http to 127.0.0.1, ::1 or localhost (the test server), with a host and no user name or
// password in it.
std::optional<std::string> url_problem(std::string_view url);

// The host of a URL ("api.uscis.gov"), or "" when it has none.
std::string url_host(std::string_view url);

// The origin of a URL, its scheme, host and port ("https://example.org:443"), or "".
std::string url_origin(std::string_view url);

// A Retry-After value: delay-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2026 07:28:00
// GMT", relative to `now`); a date in the past is 0. Nothing when it is neither.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, std::time_t now);

// The wait before retry number `retry` (1 for the first): the server's Retry-After when it
// gave one, else backoff * 2^(retry-1); nothing when that exceeds `max_wait` (give up).
std::optional<std::chrono::milliseconds> retry_wait(int retry,
                                                    std::optional<std::chrono::seconds> retry_after,
                                                    std::chrono::milliseconds backoff,
                                                    std::chrono::milliseconds max_wait);

// The server's message in an error body, for the one-line error: a JSON body's
// "error_description", "message", "error" or errors[0].message / errors[0].code, else the
// body's first line of text; shortened, control characters escaped. "" when there is none.
std::string server_message(std::string_view body);

struct Request {
  std::string method = "GET";  // GET or POST
  std::string url;
  std::vector<std::string> headers;  // "Name: value"; Authorization is dropped on a redirect
                                     // to another host
  std::string body;                  // for POST
  // True when the headers or body carry a secret (a client secret, a bearer token): a
  // redirect to another origin (scheme, host or port) is then refused, not followed.
  bool credentials = false;
  // The largest body this request takes (0: the client's max_body): the download stops
  // there, not after the client's limit.
  std::size_t max_body = 0;
  // What the request is, for messages: "the release list", "the dataset".
  std::string what = "the download";
  // Told, as the answer comes (several times a second, from the thread that sends), how
  // many bytes of it came so far and how many the server said it has (nothing when it did
  // not say); each try and each redirect starts again from 0. For a progress line.
  std::function<void(std::size_t received, std::optional<std::size_t> total)> on_progress;
};

struct Response {
  long status = 0;
  std::string body;       // empty when written to a file
  std::string final_url;  // after redirects
  std::string content_type;
  std::size_t bytes = 0;  // body bytes received (also when written to a file)
  std::optional<std::chrono::seconds> retry_after;  // the server's Retry-After, if any
};

// One client: a libcurl handle reused for keep-alive. Not thread-safe.
class Client {
 public:
  explicit Client(Options options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  [[nodiscard]] const Options& options() const { return m_options; }

  // Sends the request, following redirects (each checked with url_problem), retrying a 429
  // or 5xx answer, or a try that got no byte for `stall`, with backoff (Retry-After
  // honoured, within max_wait), all within `deadline`. Returns the final answer whatever its
  // status; throws Refused (offline, a URL not fetched) or NetError (DNS, connection, TLS,
  // timeout, no answer: "no answer from HOST (WHAT) for 30 s; gave up after 3 tries within
  // 2 minutes", body too large).
  Response send(const Request& request);

  // Like send(), and throws NetError unless the final status is 2xx: "HTTP 404 from HOST
  // (the dataset): <server's message>".
  Response get_ok(const Request& request);

  // Like get_ok(), writing a 2xx body to `file` (truncated first) instead of memory.
  Response download(const Request& request, const std::filesystem::path& file);

 private:
  Response with_retries(const Request& request, const std::filesystem::path* file);
  Response attempt(const Request& request, const std::filesystem::path* file);
  Response perform_once(const Request& request, const std::string& method, const std::string& url,
                        const std::vector<std::string>& headers, const std::filesystem::path* file,
                        std::string* location);

  Options m_options;
  void* m_curl = nullptr;  // CURL*
  // The end of the current request's retries, while a retry runs (it is cut there).
  std::optional<std::chrono::steady_clock::time_point> m_retry_deadline;
};

// Throws NetError "HTTP <status> from <host> (<what>): <message>".
[[noreturn]] void throw_status(const Request& request, const Response& response);

}  // namespace casewatch::net
