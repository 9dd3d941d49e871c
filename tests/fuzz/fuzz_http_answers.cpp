// SPDX-License-Identifier: MIT
// What a server says, read by the net layer: an error body (server_message), a Retry-After
// value, an OAuth token answer, the dataset's release list, and the URLs of a redirect. The first
// line of the input is the Retry-After value and the URL; the rest is the body. Invariants: a
// server message is short and terminal-safe; a token taken is one that can go into a header as it
// is, with a life within bounds; an asset picked is a .db file with a URL; a file name is one path
// segment of at most 100 bytes; a URL the client would fetch has an origin.
#include <cstddef>
#include <cstdint>
#include <string>

#include "casewatch/net/http.hpp"
#include "casewatch/net/release_list.hpp"
#include "casewatch/net/uscis_api.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace casewatch;
  std::string_view text = fuzz::as_text(data, size);
  std::string_view first = text.substr(0, text.find('\n'));
  std::string body(text.substr(first.size() < text.size() ? first.size() + 1 : text.size()));

  std::string message = net::server_message(body);
  FUZZ_CHECK(message.size() <= 200 * 10);
  for (char c : message) {
    FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
  }

  if (auto wait = net::parse_retry_after(first, 1'795'000'000)) {
    FUZZ_CHECK(wait->count() >= 0);
  }

  try {
    net::TokenAnswer a = net::parse_token_answer(body, "127.0.0.1");
    FUZZ_CHECK(!a.access_token.empty() && a.access_token.size() <= 4096);
    for (char c : a.access_token) {
      FUZZ_CHECK(c > 0x20 && c < 0x7f);
    }
    FUZZ_CHECK(a.expires_in >= 5 * 60 && a.expires_in <= 24 * 60 * 60);
  } catch (const net::NetError&) {
  }

  try {
    net::DatasetAsset a = net::pick_dataset_asset(body, "127.0.0.1");
    FUZZ_CHECK(a.name.ends_with(".db") && a.name != "responses.db");
    std::string name = net::file_name_of("/" + a.name);
    FUZZ_CHECK(!name.empty() && name.size() <= 100 && name.find('/') == std::string::npos);
  } catch (const net::NetError&) {
  }
  std::string name = net::file_name_of(std::string(first));
  FUZZ_CHECK(!name.empty() && name.size() <= 100 && name.find('/') == std::string::npos);

  if (!net::url_problem(first)) {
    FUZZ_CHECK(!net::url_origin(first).empty());
    FUZZ_CHECK(!net::url_host(first).empty());
  }
  return 0;
}
