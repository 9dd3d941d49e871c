// SPDX-License-Identifier: MIT
#include "casewatch/domain/identifiers.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>

#include "casewatch/util/text.hpp"

namespace casewatch {
namespace {

bool is_alpha(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}
char upper(char c) {
  return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
}

struct PrefixOffice {
  std::string_view prefix;
  std::string_view office;  // empty: no office implied
};

// Source: uscis.gov "Checking your case status online" (prefixes); the USCIS office list
// of the processing-times data (office codes). docs/rules.md, "The processing time of a case".
constexpr std::array<PrefixOffice, 8> k_prefixes = {{
    {"EAC", "ESC"},
    {"WAC", "CSC"},
    {"LIN", "NSC"},
    {"SRC", "SSC"},
    {"YSC", "YSC"},
    {"MSC", "NBC"},
    {"NBC", "NBC"},
    {"IOE", ""},
}};

std::string strip_and_upper(std::string_view text, std::string_view drop) {
  std::string out;
  for (char c : text) {
    if (drop.find(c) == std::string_view::npos) {
      out += upper(c);
    }
  }
  return out;
}

}  // namespace

Expected<std::string> normalize_receipt(std::string_view text) {
  std::string r = strip_and_upper(text, " -\t");
  bool ok = r.size() == 13;
  for (std::size_t i = 0; ok && i < r.size(); ++i) {
    ok = i < 3 ? is_alpha(r[i]) : is_digit(r[i]);
  }
  if (!ok) {
    return Error{
        fmt::format("{} is not a receipt number; a receipt number is 3 letters and 10 digits, "
                    "as on the I-797 notice (e.g. IOE0912345678)",
                    text::quoted(text))};
  }
  return r;
}

bool is_known_receipt_prefix(std::string_view receipt) {
  for (const auto& p : k_prefixes) {
    if (receipt.starts_with(p.prefix)) {
      return true;
    }
  }
  return false;
}

std::optional<std::string> office_from_receipt(std::string_view receipt) {
  for (const auto& p : k_prefixes) {
    if (receipt.starts_with(p.prefix) && !p.office.empty()) {
      return std::string(p.office);
    }
  }
  return std::nullopt;
}

Expected<std::string> normalize_form(std::string_view text) {
  std::string s = strip_and_upper(text, " -\t");
  std::size_t i = 0;
  while (i < s.size() && is_alpha(s[i])) {
    ++i;
  }
  std::size_t letters = i;
  while (i < s.size() && is_digit(s[i])) {
    ++i;
  }
  std::size_t digits = i - letters;
  std::size_t suffix = s.size() - i;
  bool ok = letters >= 1 && letters <= 4 && digits >= 1 && digits <= 4 && suffix <= 2;
  for (std::size_t j = i; ok && j < s.size(); ++j) {
    ok = is_alpha(s[j]);
  }
  if (!ok) {
    return Error{
        fmt::format("{} is not a form number; write it as on the form, e.g. I-485, N-400, I-129F",
                    text::quoted(text))};
  }
  return s.substr(0, letters) + "-" + s.substr(letters);
}

Expected<std::string> normalize_office(std::string_view text) {
  std::string s = strip_and_upper(text, " \t");
  bool ok = s.size() == 3 && is_alpha(s[0]) && is_alpha(s[1]) && is_alpha(s[2]);
  if (!ok) {
    return Error{
        fmt::format("{} is not an office code; an office code is 3 letters, e.g. NSC, NBC, QNS "
                    "(see 'casewatch times list')",
                    text::quoted(text))};
  }
  return s;
}

Expected<std::string> normalize_category(std::string_view text) {
  std::string s = strip_and_upper(text, " \t");
  bool ok = !s.empty() && s.size() <= 20;
  for (char c : s) {
    ok = ok && (is_alpha(c) || is_digit(c) || c == '-' || c == '_');
  }
  if (!ok) {
    return Error{fmt::format(
        "{} is not a form category; a category is USCIS's subtype key, e.g. 131A-FAM or "
        "147-C9",
        text::quoted(text))};
  }
  return s;
}

}  // namespace casewatch
