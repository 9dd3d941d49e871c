// SPDX-License-Identifier: MIT
// The export's re-indenting of a journal entry (util/json_indent), fed in pieces. The first
// byte picks the depth and the piece size; the rest is the stored text. Any text: no crash,
// no read out of bounds. A compact JSON value, as the store writes it: the output is the
// value dumped with an indent of two, in whatever pieces it came.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "casewatch/util/json_indent.hpp"
#include "casewatch/util/json_limits.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace casewatch;
  if (size == 0) {
    return 0;
  }
  const auto depth = static_cast<std::size_t>(data[0] & 3U);
  const std::size_t piece = 1U + static_cast<std::size_t>(data[0] >> 2U);
  std::string_view text = fuzz::as_text(data + 1, size - 1);
  std::string out;
  JsonIndenter indent(depth, [&](std::string_view s) { out.append(s); });
  for (std::size_t at = 0; at < text.size(); at += piece) {
    indent.feed(text.substr(at, piece));
  }
  bool whole = indent.finish();
  if (json_limits::depth_problem(text)) {
    return 0;  // the JSON library is not given what nests too deep
  }
  auto value = nlohmann::ordered_json::parse(text, nullptr, false);
  if (value.is_discarded() || value.dump() != text) {
    return 0;  // not compact JSON as the store writes it
  }
  FUZZ_CHECK(whole);
  std::string expected = value.dump(2);
  std::string shifted;
  for (char ch : expected) {
    shifted += ch;
    if (ch == '\n') {
      shifted.append(2 * depth, ' ');
    }
  }
  FUZZ_CHECK(out == shifted);
  return 0;
}
