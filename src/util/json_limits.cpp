// SPDX-License-Identifier: MIT
#include "casewatch/util/json_limits.hpp"

#include <fmt/format.h>

namespace casewatch::json_limits {
namespace {

struct Scan {
  std::size_t depth = 0;       // the deepest level reached
  std::size_t stopped_at = 0;  // offset of the bracket that reached `stop_after`
  bool stopped = false;
};

Scan scan(std::string_view text, std::size_t stop_after) {
  Scan out;
  std::size_t level = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character, whatever it is
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        ++level;
        if (level > out.depth) {
          out.depth = level;
        }
        if (level >= stop_after) {
          out.stopped = true;
          out.stopped_at = i;
          return out;
        }
        break;
      case ']':
      case '}':
        if (level > 0) {
          --level;
        }
        break;
      default:
        break;
    }
  }
  return out;
}

}  // namespace

std::size_t json_depth(std::string_view text, std::size_t stop_after) {
  return scan(text, stop_after).depth;
}

std::optional<std::string> depth_problem(std::string_view text, std::size_t max_depth) {
  Scan s = scan(text, max_depth + 1);
  if (!s.stopped) {
    return std::nullopt;
  }
  std::size_t line = 1;
  for (std::size_t i = 0; i < s.stopped_at; ++i) {
    if (text[i] == '\n') {
      ++line;
    }
  }
  return fmt::format(
      "arrays and objects nest more than {} deep (line {}); casewatch reads at most {} levels",
      max_depth, line, max_depth);
}

}  // namespace casewatch::json_limits
