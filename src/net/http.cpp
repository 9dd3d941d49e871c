// SPDX-License-Identifier: MIT
#include "casewatch/net/http.hpp"

#include <curl/curl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "casewatch/util/json_limits.hpp"
#include "casewatch/util/library.hpp"
#include "casewatch/util/text.hpp"

#ifndef CASEWATCH_VERSION
#define CASEWATCH_VERSION "0"
#endif

namespace casewatch::net {
namespace {

// libcurl, opened on first use (util/library.hpp): only the commands that go on the network
// load it.
struct CurlApi {
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_url) url;
  decltype(&::curl_url_cleanup) url_cleanup;
  decltype(&::curl_url_get) url_get;
  decltype(&::curl_url_set) url_set;
  decltype(&::curl_free) free;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_easy_reset) easy_reset;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_perform) easy_perform;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_easy_getinfo) easy_getinfo;
};

const CurlApi& curl_api() {
  static const CurlApi api = [] {
    try {
      Library lib("libcurl", {"libcurl.so.4", "libcurl.so"});
      CurlApi c{};
      lib.load(c.global_init, "curl_global_init");
      lib.load(c.url, "curl_url");
      lib.load(c.url_cleanup, "curl_url_cleanup");
      lib.load(c.url_get, "curl_url_get");
      lib.load(c.url_set, "curl_url_set");
      lib.load(c.free, "curl_free");
      lib.load(c.slist_append, "curl_slist_append");
      lib.load(c.slist_free_all, "curl_slist_free_all");
      lib.load(c.easy_init, "curl_easy_init");
      lib.load(c.easy_cleanup, "curl_easy_cleanup");
      lib.load(c.easy_reset, "curl_easy_reset");
      lib.load(c.easy_setopt, "curl_easy_setopt");
      lib.load(c.easy_perform, "curl_easy_perform");
      lib.load(c.easy_strerror, "curl_easy_strerror");
      lib.load(c.easy_getinfo, "curl_easy_getinfo");
      return c;
    } catch (const std::runtime_error& e) {
      throw NetError(e.what());
    }
  }();
  return api;
}

// The part of an error body kept for the message.
constexpr std::size_t k_max_error_body = 64 * 1024;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_api().global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Seconds with decimals from an environment variable, or `fallback` when unset.
std::chrono::milliseconds env_seconds(const char* name, std::chrono::milliseconds fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    return fallback;
  }
  char* end = nullptr;
  double s = std::strtod(v, &end);
  if (end == v || *end != '\0' || !std::isfinite(s) || s <= 0 || s > 86400) {
    throw Refused(fmt::format("{}={} is not a number of seconds (from 0.001 to 86400)", name,
                              text::quoted(v)));
  }
  return std::chrono::milliseconds(std::max<long long>(1, std::llround(s * 1000)));
}

struct UrlHandle {
  CURLU* u = curl_api().url();
  ~UrlHandle() { curl_api().url_cleanup(u); }
  UrlHandle() = default;
  UrlHandle(const UrlHandle&) = delete;
  UrlHandle& operator=(const UrlHandle&) = delete;
  std::optional<std::string> part(CURLUPart which, unsigned int flags = 0) const {
    char* p = nullptr;
    if (curl_api().url_get(u, which, &p, flags) != CURLUE_OK || p == nullptr) {
      return std::nullopt;
    }
    std::string s(p);
    curl_api().free(p);
    return s;
  }
};

bool is_loopback(std::string_view host) {
  return host == "127.0.0.1" || host == "[::1]" || host == "::1" || host == "localhost";
}

using Clock = std::chrono::steady_clock;

// A try that got no answer: no byte for the stall time, or a retry cut at the deadline.
// Internal: with_retries tries again or gives up with the message that says so.
class NoAnswer : public NetError {
 public:
  NoAnswer(const std::string& what, bool partial) : NetError(what), m_partial(partial) {}
  // Some of the answer came before the try was cut.
  [[nodiscard]] bool partial() const { return m_partial; }

 private:
  bool m_partial;
};

// Where the body of one transfer goes.
struct Sink {
  CURL* curl = nullptr;
  Clock::time_point last_byte = Clock::now();  // of the headers or the body
  std::chrono::milliseconds stall{};
  std::optional<Clock::time_point> deadline;  // a retry's: it is cut there
  bool stalled = false;
  bool cut = false;
  bool any_byte = false;
  int fd = -1;  // a 2xx body goes here when >= 0
  std::size_t limit = 0;
  std::string memory;
  std::size_t bytes = 0;
  bool too_large = false;
  int write_errno = 0;
  std::optional<std::chrono::seconds> retry_after;
  const std::function<void(std::size_t, std::optional<std::size_t>)>* progress = nullptr;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  std::size_t n = size * count;
  sink->last_byte = Clock::now();
  sink->any_byte = true;
  long status = 0;
  curl_api().easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &status);
  bool success = status >= 200 && status < 300;
  sink->bytes += n;
  if (success && sink->bytes > sink->limit) {
    sink->too_large = true;
    return 0;  // aborts the transfer
  }
  if (success && sink->fd >= 0) {
    std::size_t done = 0;
    while (done < n) {
      ssize_t w = ::write(sink->fd, data + done, n - done);
      if (w < 0) {
        if (errno == EINTR) {
          continue;
        }
        sink->write_errno = errno;
        return 0;
      }
      done += static_cast<std::size_t>(w);
    }
    return n;
  }
  std::size_t cap = success ? sink->limit : k_max_error_body;
  if (sink->memory.size() < cap) {
    sink->memory.append(data, std::min(n, cap - sink->memory.size()));
  }
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  std::size_t n = size * count;
  sink->last_byte = Clock::now();
  sink->any_byte = true;
  std::string_view line(data, n);
  constexpr std::string_view name = "retry-after:";
  if (line.size() > name.size() && lower(std::string(line.substr(0, name.size()))) == name) {
    std::string_view value = line.substr(name.size());
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    sink->retry_after = parse_retry_after(value, std::time(nullptr));
  } else if (line.starts_with("HTTP/")) {
    sink->retry_after.reset();  // a new response (after a 100 Continue)
  }
  return n;
}

// Called by libcurl at least once a second during a transfer: ends a try that has received
// no byte (of the headers or the body) for the stall time, or a retry past the deadline.
// This, rather than libcurl's low-speed limit, because that limit counts the bytes sent too,
// averages over several seconds and takes whole seconds only.
int on_progress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t /*ultotal*/,
                curl_off_t /*ulnow*/) {
  auto* sink = static_cast<Sink*>(user);
  if (sink->progress != nullptr && *sink->progress) {
    (*sink->progress)(
        static_cast<std::size_t>(std::max<curl_off_t>(dlnow, 0)),
        dltotal > 0 ? std::optional(static_cast<std::size_t>(dltotal)) : std::nullopt);
  }
  auto now = Clock::now();
  if (now - sink->last_byte >= sink->stall) {
    sink->stalled = true;
    return 1;  // aborts the transfer
  }
  if (sink->deadline && now >= *sink->deadline) {
    sink->cut = true;
    return 1;
  }
  return 0;
}

std::string seconds_text(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) {
    return fmt::format("{} s", ms.count() / 1000);
  }
  return fmt::format("{:.1f} s", static_cast<double>(ms.count()) / 1000.0);
}

// "2 minutes", "90 s", "2.5 s".
std::string duration_text(std::chrono::milliseconds ms) {
  if (ms.count() >= 60'000 && ms.count() % 60'000 == 0) {
    long long minutes = ms.count() / 60'000;
    return text::count(static_cast<std::size_t>(minutes), "minute");
  }
  return seconds_text(ms);
}

struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_api().slist_free_all(list); }
  HeaderList() = default;
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
};

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
  Fd() = default;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

}  // namespace

Options Options::from_environment() {
  Options o;
  if (const char* v = std::getenv("CASEWATCH_OFFLINE"); v != nullptr && *v != '\0') {
    std::string s = lower(v);
    o.offline = !(s == "0" || s == "no" || s == "false");
  }
  o.connect_timeout = env_seconds("CASEWATCH_HTTP_CONNECT_TIMEOUT", o.connect_timeout);
  o.total_timeout = env_seconds("CASEWATCH_HTTP_TIMEOUT", o.total_timeout);
  o.backoff = env_seconds("CASEWATCH_HTTP_BACKOFF", o.backoff);
  o.max_wait = env_seconds("CASEWATCH_HTTP_MAX_WAIT", o.max_wait);
  o.stall = env_seconds("CASEWATCH_HTTP_STALL", o.stall);
  o.deadline = env_seconds("CASEWATCH_HTTP_DEADLINE", o.deadline);
  o.connect_timeout = std::min(o.connect_timeout, o.total_timeout);
  return o;
}

std::string user_agent() {
  return std::string("casewatch/") + CASEWATCH_VERSION;
}

std::optional<std::string> url_problem(std::string_view url) {
  global_init();
  UrlHandle h;
  std::string s(url);
  if (h.u == nullptr) {
    return "out of memory";
  }
  if (s.empty() || curl_api().url_set(h.u, CURLUPART_URL, s.c_str(), 0) != CURLUE_OK) {
    return fmt::format("{} is not a URL (https://host/path)", text::quoted(url));
  }
  std::string scheme = lower(h.part(CURLUPART_SCHEME).value_or(""));
  if (scheme != "https" && scheme != "http") {
    return fmt::format("{} is not an https URL", text::quoted(url));
  }
  std::string host = lower(h.part(CURLUPART_HOST).value_or(""));
  if (host.empty()) {
    return fmt::format("{} has no host", text::quoted(url));
  }
  if (h.part(CURLUPART_USER) || h.part(CURLUPART_PASSWORD)) {
    return fmt::format("{} has a user name or password in it; casewatch does not send them",
                       text::quoted(url));
  }
  if (scheme == "http" && !is_loopback(host)) {
    return fmt::format(
        "{} is plain http; casewatch fetches only https (http only from 127.0.0.1, ::1 or "
        "localhost)",
        text::quoted(url));
  }
  return std::nullopt;
}

namespace {

// True when `h` now holds `url` parsed.
bool parse_into(UrlHandle& h, std::string_view url) {
  global_init();
  std::string s(url);
  return h.u != nullptr && curl_api().url_set(h.u, CURLUPART_URL, s.c_str(), 0) == CURLUE_OK;
}

}  // namespace

std::string url_host(std::string_view url) {
  UrlHandle h;
  if (!parse_into(h, url)) {
    return "";
  }
  return lower(h.part(CURLUPART_HOST).value_or(""));
}

std::string url_origin(std::string_view url) {
  UrlHandle h;
  if (!parse_into(h, url)) {
    return "";
  }
  return fmt::format("{}://{}:{}", lower(h.part(CURLUPART_SCHEME).value_or("")),
                     lower(h.part(CURLUPART_HOST).value_or("")),
                     h.part(CURLUPART_PORT, CURLU_DEFAULT_PORT).value_or(""));
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, std::time_t now) {
  if (value.empty()) {
    return std::nullopt;
  }
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    long long n = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec == std::errc::result_out_of_range) {
      return std::chrono::seconds(std::numeric_limits<std::int32_t>::max());
    }
    if (ec != std::errc() || p != value.data() + value.size()) {
      return std::nullopt;
    }
    return std::chrono::seconds(n);
  }
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
  std::string s(value);
  std::tm tm{};
  const char* end = ::strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') {
    return std::nullopt;
  }
  std::time_t at = ::timegm(&tm);
  if (at == static_cast<std::time_t>(-1)) {
    return std::nullopt;
  }
  return std::chrono::seconds(std::max<std::time_t>(0, at - now));
}

std::optional<std::chrono::milliseconds> retry_wait(int retry,
                                                    std::optional<std::chrono::seconds> retry_after,
                                                    std::chrono::milliseconds backoff,
                                                    std::chrono::milliseconds max_wait) {
  std::chrono::milliseconds wait{};
  if (retry_after) {
    if (*retry_after >
        std::chrono::duration_cast<std::chrono::seconds>(max_wait) + std::chrono::seconds(1)) {
      return std::nullopt;
    }
    wait = std::chrono::duration_cast<std::chrono::milliseconds>(*retry_after);
  } else {
    int doublings = std::clamp(retry - 1, 0, 30);
    long long ms = backoff.count();
    for (int i = 0; i < doublings && ms <= max_wait.count(); ++i) {
      ms *= 2;
    }
    wait = std::chrono::milliseconds(ms);
  }
  if (wait > max_wait) {
    return retry_after ? std::optional(max_wait) : std::nullopt;
  }
  return wait;
}

std::string server_message(std::string_view body) {
  auto first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return "";
  }
  std::string message;
  if ((body[first] == '{' || body[first] == '[') && !json_limits::depth_problem(body)) {
    auto j = nlohmann::json::parse(body, nullptr, false);
    auto str = [](const nlohmann::json& o, const char* key) -> std::string {
      if (o.is_object() && o.contains(key) && o[key].is_string()) {
        return o[key].get<std::string>();
      }
      return "";
    };
    if (!j.is_discarded()) {
      for (const char* key : {"error_description", "message", "error"}) {
        if (message.empty()) {
          message = str(j, key);
        }
      }
      if (message.empty() && j.is_object() && j.contains("errors") && j["errors"].is_array() &&
          !j["errors"].empty()) {
        const auto& e = j["errors"][0];
        message = str(e, "message");
        std::string code = str(e, "code");
        if (message.empty()) {
          message = code;
        } else if (!code.empty()) {
          message = code + ": " + message;
        }
      }
    }
  }
  if (message.empty()) {
    std::string_view rest = body.substr(first);
    message = std::string(rest.substr(0, rest.find_first_of("\r\n")));
  }
  if (!text::is_valid_utf8(message)) {
    message = text::windows1252_to_utf8(message);
  }
  return text::printable(text::shorten(message, 200));
}

void throw_status(const Request& request, const Response& response) {
  std::string message = server_message(response.body);
  throw NetError(
      fmt::format("HTTP {} from {} ({}){}", response.status,
                  url_host(response.final_url.empty() ? request.url : response.final_url),
                  request.what, message.empty() ? "" : ": " + message));
}

Client::Client(Options options) : m_options(options) {
  global_init();
  m_curl = curl_api().easy_init();
  if (m_curl == nullptr) {
    throw NetError("cannot start libcurl");
  }
}

Client::~Client() {
  curl_api().easy_cleanup(static_cast<CURL*>(m_curl));
}

Response Client::perform_once(const Request& request, const std::string& method,
                              const std::string& url, const std::vector<std::string>& headers,
                              const std::filesystem::path* file, std::string* location) {
  auto* curl = static_cast<CURL*>(m_curl);
  curl_api().easy_reset(curl);
  Sink sink;
  sink.curl = curl;
  sink.limit =
      request.max_body != 0 ? std::min(request.max_body, m_options.max_body) : m_options.max_body;
  sink.stall = m_options.stall;
  sink.deadline = m_retry_deadline;
  sink.last_byte = Clock::now();
  sink.progress = &request.on_progress;
  // A retry's whole time is what is left before the deadline.
  auto try_timeout = m_options.total_timeout;
  bool cut_by_deadline = false;
  if (m_retry_deadline) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(*m_retry_deadline - Clock::now());
    if (left < try_timeout) {
      try_timeout = std::max(left, std::chrono::milliseconds(1));
      cut_by_deadline = true;
    }
  }
  Fd out;
  if (file != nullptr) {
    out.fd = ::open(file->c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (out.fd < 0) {
      throw NetError(
          fmt::format("cannot write the download to {}: {}", file->string(), std::strerror(errno)));
    }
    sink.fd = out.fd;
  }
  HeaderList list;
  for (const std::string& h : headers) {
    list.list = curl_api().slist_append(list.list, h.c_str());
  }
  char errbuf[CURL_ERROR_SIZE] = {0};
  std::string agent = user_agent();
  curl_api().easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_api().easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_api().easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // each hop is checked here
  curl_api().easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_api().easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_api().easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_api().easy_setopt(curl, CURLOPT_USERAGENT, agent.c_str());
  curl_api().easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(m_options.connect_timeout.count()));
  curl_api().easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(try_timeout.count()));
  curl_api().easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_api().easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_api().easy_setopt(curl, CURLOPT_XFERINFODATA, &sink);
  curl_api().easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_api().easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_api().easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_api().easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_api().easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_api().easy_setopt(curl, CURLOPT_HEADERDATA, &sink);
  curl_api().easy_setopt(curl, CURLOPT_HTTPHEADER, list.list);
  if (method == "POST") {
    curl_api().easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_api().easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                           static_cast<curl_off_t>(request.body.size()));
  }
  std::string host = url_host(url);
  spdlog::debug("{} {}", method, url);
  CURLcode rc = curl_api().easy_perform(curl);
  std::string detail = errbuf[0] != '\0' ? errbuf : curl_api().easy_strerror(rc);
  if (rc != CURLE_OK) {
    if (sink.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
      throw NetError(fmt::format("{} from {} is larger than {} MiB; casewatch reads no more",
                                 request.what, text::printable(text::shorten(url, 200)),
                                 sink.limit >> 20U));
    }
    if (sink.stalled) {
      throw NoAnswer(fmt::format("no answer from {} ({}) for {}", host, request.what,
                                 seconds_text(m_options.stall)),
                     false);
    }
    if (sink.cut || (rc == CURLE_OPERATION_TIMEDOUT && cut_by_deadline)) {
      throw NoAnswer(fmt::format("no complete answer from {} ({})", host, request.what),
                     sink.any_byte);
    }
    if (sink.write_errno != 0) {
      throw NetError(fmt::format("cannot write the download of {}: {}", request.what,
                                 std::strerror(sink.write_errno)));
    }
    switch (rc) {
      case CURLE_COULDNT_RESOLVE_HOST:
        throw NetError(fmt::format("cannot find the host {} (DNS) to fetch {}: {}", host,
                                   request.what, detail));
      case CURLE_COULDNT_RESOLVE_PROXY:
        throw NetError(
            fmt::format("cannot find the proxy (DNS) to fetch {}: {}", request.what, detail));
      case CURLE_COULDNT_CONNECT:
        throw NetError(
            fmt::format("cannot connect to {} to fetch {}: {}", host, request.what, detail));
      case CURLE_OPERATION_TIMEDOUT:
        throw NetError(fmt::format("no complete answer from {} ({}) within {}: {}", host,
                                   request.what, seconds_text(m_options.total_timeout), detail));
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_CONNECT_ERROR:
      case CURLE_SSL_CERTPROBLEM:
      case CURLE_SSL_CIPHER:
      case CURLE_SSL_CACERT_BADFILE:
      case CURLE_SSL_ISSUER_ERROR:
      case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      case CURLE_SSL_INVALIDCERTSTATUS:
        throw NetError(fmt::format("TLS with {} failed ({}): {}", host, request.what, detail));
      case CURLE_PARTIAL_FILE:
      case CURLE_RECV_ERROR:
      case CURLE_GOT_NOTHING:
        throw NetError(fmt::format("the answer from {} ({}) broke off after {} bytes: {}", host,
                                   request.what, sink.bytes, detail));
      default:
        throw NetError(fmt::format("fetching {} from {} failed: {}", request.what, host, detail));
    }
  }
  Response r;
  curl_api().easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  if (char* ct = nullptr;
      curl_api().easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct) {
    r.content_type = ct;
  }
  if (char* loc = nullptr; location != nullptr &&
                           curl_api().easy_getinfo(curl, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK &&
                           loc != nullptr) {
    *location = loc;
  }
  r.body = std::move(sink.memory);
  r.bytes = sink.bytes;
  r.final_url = url;
  r.retry_after = sink.retry_after;
  return r;
}

Response Client::attempt(const Request& request, const std::filesystem::path* file) {
  std::string url = request.url;
  std::string method = request.method;
  std::vector<std::string> headers = request.headers;
  std::string from;  // the URL that redirected to `url`
  for (int hop = 0;; ++hop) {
    if (auto problem = url_problem(url)) {
      throw Refused(hop == 0 ? *problem
                             : fmt::format("{} redirected {} to a URL casewatch does not fetch: {}",
                                           url_host(from), request.what, *problem));
    }
    std::string location;
    Response r = perform_once(request, method, url, headers, file, &location);
    bool redirect =
        r.status == 301 || r.status == 302 || r.status == 303 || r.status == 307 || r.status == 308;
    if (!redirect || location.empty()) {
      return r;
    }
    if (hop >= m_options.max_redirects) {
      throw NetError(fmt::format("{} ({}) redirects more than {} times", url_host(request.url),
                                 request.what, m_options.max_redirects));
    }
    spdlog::debug("redirected to {}", location);
    if (url_origin(location) != url_origin(url)) {
      if (request.credentials) {
        // A client secret or a token is for the origin it was meant for: a redirect
        // elsewhere (even another port of the same host) is refused, never followed.
        throw Refused(fmt::format(
            "{} redirected {} to another origin ({}); casewatch sends no credentials there",
            url_host(url), request.what, text::printable(text::shorten(url_origin(location), 80))));
      }
      std::erase_if(
          headers, [](const std::string& h) { return lower(h.substr(0, 14)) == "authorization:"; });
    }
    if (r.status == 303 || ((r.status == 301 || r.status == 302) && method == "POST")) {
      method = "GET";
    }
    from = url;
    url = location;
  }
}

Response Client::with_retries(const Request& request, const std::filesystem::path* file) {
  if (m_options.offline) {
    throw Refused(fmt::format(
        "not fetching {} from {}: casewatch is offline (--offline or CASEWATCH_OFFLINE=1)",
        request.what, url_host(request.url)));
  }
  // All tries of this request, and the waits between them, end by the deadline.
  const auto started = Clock::now();
  const auto deadline = started + m_options.deadline;
  struct Reset {
    std::optional<Clock::time_point>& d;
    ~Reset() { d.reset(); }
  } reset{m_retry_deadline};
  m_retry_deadline.reset();
  const std::string host = url_host(request.url);
  for (int n = 1;; ++n) {
    Response r;
    try {
      r = attempt(request, file);
    } catch (const NoAnswer& e) {
      auto wait = retry_wait(n, std::nullopt, m_options.backoff, m_options.max_wait);
      if (n >= m_options.max_attempts || !wait || Clock::now() + *wait >= deadline) {
        throw NetError(fmt::format("{} from {} ({}){}; gave up after {} within {}",
                                   e.partial() ? "no complete answer" : "no answer", host,
                                   request.what,
                                   e.partial() ? "" : " for " + seconds_text(m_options.stall),
                                   text::count(static_cast<std::size_t>(n), "try", "tries"),
                                   duration_text(m_options.deadline)));
      }
      spdlog::info("{}; trying again in {}", e.what(), seconds_text(*wait));
      std::this_thread::sleep_for(*wait);
      m_retry_deadline = deadline;
      continue;
    }
    bool retryable = r.status == 429 || r.status >= 500;
    if (!retryable || n >= m_options.max_attempts) {
      return r;
    }
    auto wait = retry_wait(n, r.retry_after, m_options.backoff, m_options.max_wait);
    if (!wait) {
      spdlog::info("{} asks to wait {} s before trying again: not waiting that long", host,
                   r.retry_after ? r.retry_after->count() : 0);
      return r;
    }
    if (Clock::now() + *wait >= deadline) {
      spdlog::info("HTTP {} from {}; no time left to try again within {}", r.status, host,
                   duration_text(m_options.deadline));
      return r;
    }
    spdlog::info("HTTP {} from {}; trying again in {}", r.status, host, seconds_text(*wait));
    std::this_thread::sleep_for(*wait);
    m_retry_deadline = deadline;
  }
}

Response Client::send(const Request& request) {
  return with_retries(request, nullptr);
}

Response Client::get_ok(const Request& request) {
  Response r = with_retries(request, nullptr);
  if (r.status < 200 || r.status >= 300) {
    throw_status(request, r);
  }
  return r;
}

Response Client::download(const Request& request, const std::filesystem::path& file) {
  Response r = with_retries(request, &file);
  if (r.status < 200 || r.status >= 300) {
    throw_status(request, r);
  }
  return r;
}

}  // namespace casewatch::net
