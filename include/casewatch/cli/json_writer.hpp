// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/domain/dates.hpp"

namespace casewatch::cli {

// Writes JSON straight into a string, 2-space indented like nlohmann's dump(2), for the
// documents that grow with the number of cases (list, overdue, suggest, check): building a
// DOM for 100,000 cases first was half the time of `overdue --json` (measured with
// callgrind). Commas, colons and indentation are the writer's; the caller names keys and
// values in order.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : m_out(out) {}
  // A writer of one value nested `depth` levels deep in another document (its lines
  // indented for that depth), to be put there with raw() by the writer of that document.
  JsonWriter(std::string& out, std::size_t depth) : m_out(out), m_levels(depth, Level{false}) {
    m_after_key = true;
  }

  // The writer only appends to its string: a caller may write out and clear the string
  // between values (a document written as it goes).

  // A value written by a JsonWriter(out, depth) of this writer's current depth.
  void raw(std::string_view rendered);

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  void key(std::string_view k);

  void value(std::string_view s);
  void value(const char* s) { value(std::string_view(s)); }
  void value(const std::string& s) { value(std::string_view(s)); }
  void value(std::int64_t n);
  void value(int n) { value(static_cast<std::int64_t>(n)); }
  void value(std::size_t n) { value(static_cast<std::int64_t>(n)); }
  void value(double d);
  void value(bool b);
  void value(Date d);
  void null();
  template <typename T>
  void value(const std::optional<T>& v) {
    if (v) {
      value(*v);
    } else {
      null();
    }
  }

  // key(k) then value(v).
  template <typename T>
  void field(std::string_view k, const T& v) {
    key(k);
    value(v);
  }

 private:
  void before_value();
  void newline();

  std::string& m_out;
  struct Level {
    bool is_object;
    bool empty = true;
  };
  std::vector<Level> m_levels;
  bool m_after_key = false;
};

// `s` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view s);

}  // namespace casewatch::cli
