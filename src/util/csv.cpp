// SPDX-License-Identifier: MIT
#include "casewatch/util/csv.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace casewatch::csv {

Expected<std::vector<Record>> parse(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) {
    text.remove_prefix(3);
  }
  std::vector<Record> records;
  Record current;
  std::string field;
  std::size_t line = 1;
  std::size_t i = 0;
  bool at_field_start = true;  // nothing of the current field read yet
  bool in_record = false;      // the current record has begun (a blank line never begins one)

  auto end_field = [&] {
    current.fields.push_back(std::move(field));
    field.clear();
    at_field_start = true;
  };
  auto end_record = [&] {
    if (in_record) {
      end_field();
      records.push_back(std::move(current));
    }
    current = Record{};
    field.clear();
    at_field_start = true;
    in_record = false;
  };

  while (i < text.size()) {
    char c = text[i];
    if (!in_record && c != '\r' && c != '\n') {
      in_record = true;
      current.line = line;
    }
    if (c == '"' && at_field_start) {
      std::size_t start_line = line;
      ++i;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if (text[i] == '\n') {
          ++line;
        }
        field += text[i++];
      }
      if (!closed) {
        return Error{fmt::format("line {}: a quoted field is never closed", start_line)};
      }
      at_field_start = false;
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        return Error{fmt::format("line {}: unexpected text after a closing quote", line)};
      }
      continue;
    }
    if (c == ',') {
      end_field();
      ++i;
      continue;
    }
    if (c == '\r' || c == '\n') {
      end_record();
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
      ++i;
      ++line;
      continue;
    }
    // An unquoted field: its text up to the next comma or line end, appended at once.
    std::size_t end = std::min(text.find_first_of(",\r\n", i), text.size());
    field.append(text.substr(i, end - i));
    at_field_start = false;
    i = end;
  }
  end_record();
  return records;
}

std::string quote(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(field);
  }
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace casewatch::csv
