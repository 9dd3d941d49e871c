// SPDX-License-Identifier: MIT
// Parsing a kind the user typed against a table of kinds and their names (event kinds,
// document kinds): one home for how a kind is read and for the message that lists them.
#pragma once

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/util/expected.hpp"
#include "casewatch/util/text.hpp"

namespace casewatch {

// The row of `table` (each row has .kind and .name) whose name is `text`, read without case
// and with '_' as '-'; `alias` is another spelling of `alias_of` ("erequest", "e-request").
// Otherwise an error naming `text` as not `what` ("an event kind") and listing every name.
template <typename Table>
auto parse_kind(std::string_view text, const Table& table, std::string_view what,
                std::string_view alias = {}, std::string_view alias_of = {})
    -> Expected<decltype(table[0].kind)> {
  std::string s(text);
  for (char& c : s) {
    c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!alias.empty() && s == alias) {
    s = std::string(alias_of);
  }
  std::vector<std::string_view> names;
  for (const auto& k : table) {
    if (k.name == s) {
      return k.kind;
    }
    names.push_back(k.name);
  }
  return Error{fmt::format("{} is not {}; use one of: {}", text::quoted(text), what,
                           fmt::join(names, ", "))};
}

}  // namespace casewatch
