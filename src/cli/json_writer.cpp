// SPDX-License-Identifier: MIT
#include "casewatch/cli/json_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "casewatch/util/text.hpp"

namespace casewatch::cli {

void append_json_string(std::string& out, std::string_view raw) {
  static constexpr char k_hex[] = "0123456789abcdef";
  // The usual value, printable ASCII with no quote or backslash, is written as it is.
  if (std::all_of(raw.begin(), raw.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u >= 0x20 && u < 0x80 && c != '"' && c != '\\';
      })) {
    out += '"';
    out += raw;
    out += '"';
    return;
  }
  // JSON is UTF-8: bytes that are not (a stored value written outside casewatch) are escaped
  // as every output shows them (\xff), then written the JSON way (\\xff).
  std::string escaped;
  std::string_view s = raw;
  if (!text::is_valid_utf8(raw)) {
    escaped = text::utf8_or_escaped(raw);
    s = escaped;
  }
  out += '"';
  // Runs of characters that need no escape are appended at once.
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x20 && s[i] != '"' && s[i] != '\\') {
      continue;
    }
    out.append(s.substr(run, i - run));
    run = i + 1;
    char c = s[i];
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += k_hex[u >> 4];
          out += k_hex[u & 0xF];
        }
    }
  }
  out.append(s.substr(run));  // UTF-8 passes through, as JSON allows
  out += '"';
}

void JsonWriter::newline() {
  m_out += '\n';
  m_out.append(m_levels.size() * 2, ' ');
}

void JsonWriter::before_value() {
  if (m_after_key) {
    m_after_key = false;
    return;
  }
  if (!m_levels.empty()) {
    if (!m_levels.back().empty) {
      m_out += ',';
    }
    m_levels.back().empty = false;
    newline();
  }
}

void JsonWriter::begin_object() {
  before_value();
  m_out += '{';
  m_levels.push_back({true});
}

void JsonWriter::end_object() {
  bool empty = m_levels.back().empty;
  m_levels.pop_back();
  if (!empty) {
    newline();
  }
  m_out += '}';
}

void JsonWriter::begin_array() {
  before_value();
  m_out += '[';
  m_levels.push_back({false});
}

void JsonWriter::end_array() {
  bool empty = m_levels.back().empty;
  m_levels.pop_back();
  if (!empty) {
    newline();
  }
  m_out += ']';
}

void JsonWriter::key(std::string_view k) {
  bool plain = std::all_of(k.begin(), k.end(), [](char ch) {
    return static_cast<unsigned char>(ch) >= 0x20 && ch != '"' && ch != '\\';
  });
  if (!plain || m_after_key || m_levels.empty()) {
    before_value();
    append_json_string(m_out, k);
    m_out += ": ";
    m_after_key = true;
    return;
  }
  // The usual key (in an object, needing no escape): the comma, the new line, its
  // indentation and the key in one append; a report writes some thirty a case.
  Level& level = m_levels.back();
  const std::size_t indent = m_levels.size() * 2;
  const bool comma = !level.empty;
  level.empty = false;
  const std::size_t at = m_out.size();
  m_out.resize(at + (comma ? 1 : 0) + 1 + indent + 1 + k.size() + 3);
  char* p = m_out.data() + at;
  if (comma) {
    *p++ = ',';
  }
  *p++ = '\n';
  p = std::fill_n(p, indent, ' ');
  *p++ = '"';
  p = std::copy(k.begin(), k.end(), p);
  *p++ = '"';
  *p++ = ':';
  *p = ' ';
  m_after_key = true;
}

void JsonWriter::value(std::string_view s) {
  before_value();
  append_json_string(m_out, s);
}

void JsonWriter::value(std::int64_t n) {
  before_value();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  m_out.append(buf, end);
}

void JsonWriter::value(double d) {
  before_value();
  m_out += fmt::format("{}", d);
}

void JsonWriter::value(Date d) {
  before_value();
  m_out += '"';
  m_out += format_date(d);
  m_out += '"';
}

void JsonWriter::value(bool b) {
  before_value();
  m_out += b ? "true" : "false";
}

void JsonWriter::raw(std::string_view rendered) {
  before_value();
  m_out.append(rendered);
}

void JsonWriter::null() {
  before_value();
  m_out += "null";
}

}  // namespace casewatch::cli
