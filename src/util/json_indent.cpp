// SPDX-License-Identifier: MIT
#include "casewatch/util/json_indent.hpp"

#include <utility>

namespace casewatch {
namespace {
constexpr std::size_t k_flush_bytes = std::size_t{64} << 10U;
}

JsonIndenter::JsonIndenter(std::size_t depth, Sink put) : m_put(std::move(put)), m_base(depth) {}

void JsonIndenter::newline(std::size_t level) {
  m_out += '\n';
  m_out.append(2 * (m_base + level), ' ');
}

void JsonIndenter::flush() {
  if (!m_out.empty()) {
    m_put(m_out);
    m_out.clear();
  }
}

void JsonIndenter::feed(std::string_view piece) {
  for (std::size_t i = 0; i < piece.size(); ++i) {
    const char ch = piece[i];
    if (m_in_string) {
      if (!m_escape && ch != '\\' && ch != '"') {
        // The run of the string up to its next quote or backslash, appended at once.
        std::size_t end = i + 1;
        while (end < piece.size() && piece[end] != '"' && piece[end] != '\\') {
          ++end;
        }
        m_out.append(piece.substr(i, end - i));
        i = end - 1;
        continue;
      }
      m_out += ch;
      if (m_escape) {
        m_escape = false;
      } else if (ch == '\\') {
        m_escape = true;
      } else if (ch == '"') {
        m_in_string = false;
      }
      continue;
    }
    if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') {
      continue;
    }
    if (m_pending_open != '\0') {
      char open = std::exchange(m_pending_open, '\0');
      if ((open == '{' && ch == '}') || (open == '[' && ch == ']')) {
        m_out += ch;  // an empty object or array stays on its line: {} or []
        continue;
      }
      ++m_level;
      newline(m_level);
    }
    switch (ch) {
      case '{':
      case '[':
        m_out += ch;
        m_pending_open = ch;
        break;
      case '}':
      case ']':
        if (m_level == 0) {
          m_balanced = false;
          m_out += ch;
          break;
        }
        --m_level;
        newline(m_level);
        m_out += ch;
        break;
      case ',':
        m_out += ',';
        newline(m_level);
        break;
      case ':':
        m_out += ": ";
        break;
      case '"':
        m_in_string = true;
        m_out += ch;
        break;
      default:
        m_out += ch;
        break;
    }
  }
  if (m_out.size() >= k_flush_bytes) {
    flush();
  }
}

bool JsonIndenter::finish() {
  bool whole = m_balanced && m_level == 0 && !m_in_string && m_pending_open == '\0';
  if (m_pending_open != '\0') {
    m_pending_open = '\0';
  }
  flush();
  return whole;
}

}  // namespace casewatch
