// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// Limits checked on a JSON text before it is handed to the JSON library, whose parser
// recurses once per level of nesting: a file of 150 KB of '[' would overflow the stack.
namespace casewatch::json_limits {

// The deepest nesting any of casewatch's JSON formats needs is 5 (an export: document,
// cases, case, events, event); USCIS's processing-times JSON needs 6. 64 leaves room.
inline constexpr std::size_t k_max_depth = 64;

// The deepest nesting of arrays and objects in `text`, counting only brackets outside
// strings. Counting stops at `stop_after` (so a huge input is not scanned to the end once
// it is known to be too deep). Malformed text is counted as far as it goes.
std::size_t json_depth(std::string_view text, std::size_t stop_after = k_max_depth + 1);

// What is wrong with `text`'s nesting ("arrays and objects nest more than 64 deep at line
// 3"), or nothing when it is within `max_depth`.
std::optional<std::string> depth_problem(std::string_view text,
                                         std::size_t max_depth = k_max_depth);

// The same count over a text read in pieces (an input of any size): feed() each piece in
// order. Counting stops at `stop_after`, as json_depth's does; a piece that gets there
// returns false, and problem() then says what depth_problem says of the whole text.
class DepthScan {
 public:
  explicit DepthScan(std::size_t stop_after = k_max_depth + 1) : m_stop_after(stop_after) {}
  bool feed(std::string_view piece);
  [[nodiscard]] std::size_t depth() const { return m_depth; }
  [[nodiscard]] bool stopped() const { return m_stopped; }
  // When stopped: "arrays and objects nest more than N deep (line L); ..." with N the
  // stop_after - 1 the scan was made with.
  [[nodiscard]] std::optional<std::string> problem() const;

 private:
  std::size_t m_stop_after;
  std::size_t m_level = 0;
  std::size_t m_depth = 0;  // the deepest level reached
  std::size_t m_line = 1;   // the line of the next byte
  bool m_in_string = false;
  bool m_escaped = false;  // the previous byte was a backslash in a string
  bool m_stopped = false;
};

}  // namespace casewatch::json_limits
