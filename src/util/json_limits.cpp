// SPDX-License-Identifier: MIT
#include "casewatch/util/json_limits.hpp"

#include <fmt/format.h>

namespace casewatch::json_limits {

bool DepthScan::feed(std::string_view piece) {
  if (m_stopped) {
    return false;
  }
  for (char c : piece) {
    if (m_in_string) {
      if (m_escaped) {
        m_escaped = false;  // the escaped character, whatever it is
      } else if (c == '\\') {
        m_escaped = true;
      } else if (c == '"') {
        m_in_string = false;
      }
      if (c == '\n') {
        ++m_line;
      }
      continue;
    }
    switch (c) {
      case '"':
        m_in_string = true;
        break;
      case '\n':
        ++m_line;
        break;
      case '[':
      case '{':
        ++m_level;
        if (m_level > m_depth) {
          m_depth = m_level;
        }
        if (m_level >= m_stop_after) {
          m_stopped = true;
          return false;
        }
        break;
      case ']':
      case '}':
        if (m_level > 0) {
          --m_level;
        }
        break;
      default:
        break;
    }
  }
  return true;
}

std::optional<std::string> DepthScan::problem() const {
  if (!m_stopped) {
    return std::nullopt;
  }
  std::size_t max_depth = m_stop_after - 1;
  return fmt::format(
      "arrays and objects nest more than {} deep (line {}); casewatch reads at most {} levels",
      max_depth, m_line, max_depth);
}

std::size_t json_depth(std::string_view text, std::size_t stop_after) {
  DepthScan scan(stop_after);
  scan.feed(text);
  return scan.depth();
}

std::optional<std::string> depth_problem(std::string_view text, std::size_t max_depth) {
  DepthScan scan(max_depth + 1);
  scan.feed(text);
  return scan.problem();
}

}  // namespace casewatch::json_limits
