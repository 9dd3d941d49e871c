// SPDX-License-Identifier: MIT
#include "casewatch/domain/document.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>

#include "casewatch/domain/kind_table.hpp"
#include "casewatch/domain/thresholds.hpp"
#include "casewatch/util/text.hpp"

namespace casewatch {
namespace {

struct KindInfo {
  DocumentKind kind;
  std::string_view name;
  std::string_view description;
};

constexpr std::array<KindInfo, 7> k_kinds = {{
    {DocumentKind::green_card, "green-card", "10-year green card (Form I-551)"},
    {DocumentKind::conditional_green_card, "conditional-green-card",
     "2-year conditional green card (CR1, CR2, E5...)"},
    {DocumentKind::ead, "ead", "work permit (EAD, Form I-766; --category as printed)"},
    {DocumentKind::advance_parole, "advance-parole", "advance parole document (Form I-512L)"},
    {DocumentKind::daca, "daca", "DACA approval (deferred action)"},
    {DocumentKind::visa, "visa", "a visa in a passport"},
    {DocumentKind::i94, "i94", "the I-94 admission record"},
}};

// The forms of a case that renews or replaces each kind (docs/rules.md, "Document windows").
constexpr std::array<std::string_view, 2> k_conditional_forms = {"I-751", "I-829"};
constexpr std::array<std::string_view, 1> k_green_card_forms = {"I-90"};
constexpr std::array<std::string_view, 1> k_ead_forms = {"I-765"};
constexpr std::array<std::string_view, 1> k_daca_forms = {"I-821D"};
constexpr std::array<std::string_view, 1> k_parole_forms = {"I-131"};

// 8 CFR 274a.12(a) and (c): https://www.ecfr.gov/current/title-8/section-274a.12 ;
// the category list of the Form I-765 instructions, https://www.uscis.gov/i-765
constexpr std::array<std::string_view, 56> k_ead_categories = {
    "A02", "A03", "A04", "A05", "A06", "A07", "A08", "A09", "A10", "A11",  "A12",  "A13",
    "A14", "A15", "A16", "A17", "A18", "A19", "A20", "C01", "C02", "C03A", "C03B", "C03C",
    "C04", "C05", "C06", "C07", "C08", "C09", "C10", "C11", "C12", "C14",  "C16",  "C17",
    "C18", "C19", "C20", "C21", "C22", "C24", "C25", "C26", "C27", "C28",  "C29",  "C30",
    "C31", "C33", "C34", "C35", "C36", "C37", "C38", "C40"};

}  // namespace

std::string_view to_string(DocumentKind k) {
  for (const auto& i : k_kinds) {
    if (i.kind == k) {
      return i.name;
    }
  }
  return "green-card";
}

Expected<DocumentKind> parse_document_kind(std::string_view text) {
  return parse_kind(text, k_kinds, "a document kind", "i-94", "i94");
}

std::span<const DocumentKind> all_document_kinds() {
  static const std::array<DocumentKind, k_kinds.size()> k_all = [] {
    std::array<DocumentKind, k_kinds.size()> out{};
    for (std::size_t i = 0; i < k_kinds.size(); ++i) {
      out[i] = k_kinds[i].kind;
    }
    return out;
  }();
  return k_all;
}

std::string_view describe(DocumentKind k) {
  for (const auto& i : k_kinds) {
    if (i.kind == k) {
      return i.description;
    }
  }
  return "";
}

std::string document_name(DocumentId id) {
  return fmt::format("d{}", id);
}

std::optional<DocumentId> parse_document_name(std::string_view text) {
  if (text.size() < 2 || text.size() > 19 || (text[0] != 'd' && text[0] != 'D') || text[1] == '0') {
    return std::nullopt;
  }
  DocumentId id = 0;
  for (char c : text.substr(1)) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
      return std::nullopt;
    }
    id = id * 10 + (c - '0');
  }
  return id;
}

std::span<const std::string_view> renewing_forms(DocumentKind k) {
  switch (k) {
    case DocumentKind::conditional_green_card:
      return k_conditional_forms;
    case DocumentKind::green_card:
      return k_green_card_forms;
    case DocumentKind::ead:
      return k_ead_forms;
    case DocumentKind::daca:
      return k_daca_forms;
    case DocumentKind::advance_parole:
      return k_parole_forms;
    case DocumentKind::visa:
    case DocumentKind::i94:
      break;
  }
  return {};
}

std::span<const std::string_view> ead_categories() {
  return k_ead_categories;
}

std::optional<std::string> ead_category_key(std::string_view text) {
  // Letters and numbers in the order typed: "(c)(3)(B)" -> c, 3, B.
  std::string letter;
  std::string digits;
  std::string sub;
  for (char ch : text) {
    auto u = static_cast<unsigned char>(ch);
    if (std::isalpha(u) != 0) {
      if (letter.empty() && digits.empty()) {
        letter += static_cast<char>(std::toupper(u));
      } else if (!digits.empty() && sub.empty()) {
        sub += static_cast<char>(std::toupper(u));
      } else {
        return std::nullopt;
      }
    } else if (std::isdigit(u) != 0) {
      if (letter.empty() || !sub.empty() || digits.size() >= 2) {
        return std::nullopt;
      }
      digits += ch;
    } else if (ch != '(' && ch != ')' && ch != ' ' && ch != '-') {
      return std::nullopt;
    }
  }
  if (letter.empty() || digits.empty()) {
    return std::nullopt;
  }
  int n = std::stoi(digits);
  return fmt::format("{}{:02}{}", letter, n, sub);
}

std::string ead_category_printed(std::string_view key) {
  if (key.size() < 3) {
    return std::string(key);
  }
  std::string out = fmt::format("({})({})", static_cast<char>(std::tolower(key[0])),
                                std::stoi(std::string(key.substr(1, 2))));
  if (key.size() > 3) {
    out += fmt::format("({})", key.substr(3));
  }
  return out;
}

bool longer_than_six_months(Date left, Date returned) {
  return returned > add_months(left, thresholds::k_trip_presumed_break_months);
}

bool one_year_or_more(Date left, Date returned) {
  return returned >= add_months(left, thresholds::k_trip_break_months);
}

}  // namespace casewatch
