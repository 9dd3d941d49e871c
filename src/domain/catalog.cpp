// SPDX-License-Identifier: MIT
#include "casewatch/domain/catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

#include "casewatch/util/csv.hpp"
#include "casewatch/util/text.hpp"

namespace casewatch {

namespace embedded {
// Generated at build time from data/ (cmake/EmbedData.cmake).
std::string_view forms_csv();
std::string_view form_types_csv();
std::string_view form_offices_csv();
std::string_view processing_times_csv();
}  // namespace embedded

namespace {

// Reads `text` as CSV with a header and calls `row(fields by column name)` for each record.
template <typename F>
std::optional<Error> each_row(std::string_view text, std::string_view what,
                              const std::vector<std::string_view>& columns, F&& row) {
  auto records = csv::parse(text);
  if (!records) {
    return Error{fmt::format("{}: {}", what, records.error())};
  }
  if (records->empty()) {
    return Error{fmt::format("{}: no header row", what)};
  }
  const auto& header = records->front().fields;
  std::vector<std::size_t> at;
  for (auto col : columns) {
    auto it = std::find(header.begin(), header.end(), col);
    if (it == header.end()) {
      return Error{fmt::format("{}: no column '{}'", what, col)};
    }
    at.push_back(static_cast<std::size_t>(it - header.begin()));
  }
  std::vector<std::string> values(columns.size());
  for (std::size_t i = 1; i < records->size(); ++i) {
    const auto& fields = (*records)[i].fields;
    for (std::size_t c = 0; c < at.size(); ++c) {
      values[c] = at[c] < fields.size() ? fields[at[c]] : std::string();
    }
    row(values);
  }
  return std::nullopt;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

// The candidates nearest to `value` by edit distance (ignoring case): those at the
// smallest distance, if it is at most `max_distance`, at most three, in list order.
std::vector<std::string> nearest(std::string_view value, const std::vector<std::string>& candidates,
                                 std::size_t max_distance) {
  std::string v = upper(value);
  std::size_t best = max_distance + 1;
  std::vector<std::string> out;
  for (const std::string& c : candidates) {
    std::size_t d = text::edit_distance(v, upper(c));
    if (d < best) {
      best = d;
      out.clear();
    }
    if (d == best && out.size() < 3) {
      out.push_back(c);
    }
  }
  return out;
}

// A paragraph of a regulation as typed: "(c)(9)", "c9", "C09", "(c)9", "c-9" -> ('c', 9).
std::optional<std::pair<char, int>> paragraph(std::string_view text) {
  std::string letters;
  std::string digits;
  for (char ch : text) {
    auto u = static_cast<unsigned char>(ch);
    if (std::isalpha(u) != 0) {
      if (!digits.empty()) {
        return std::nullopt;
      }
      letters += static_cast<char>(std::tolower(u));
    } else if (std::isdigit(u) != 0) {
      digits += ch;
    } else if (ch != '(' && ch != ')' && ch != ' ' && ch != '-') {
      return std::nullopt;
    }
  }
  if (letters.size() != 1 || digits.empty() || digits.size() > 3) {
    return std::nullopt;
  }
  return std::pair{letters[0], std::stoi(digits)};
}

// Whether `description` prints the paragraph ("[(c)(9)]", "[(c)(19), (a)(12)]",
// "[(c)(27-30)]").
bool prints(std::string_view description, std::pair<char, int> p) {
  for (std::size_t at = description.find('('); at != std::string_view::npos;
       at = description.find('(', at + 1)) {
    std::string_view rest = description.substr(at);
    if (rest.size() < 6 || std::tolower(static_cast<unsigned char>(rest[1])) != p.first ||
        rest[2] != ')' || rest[3] != '(') {
      continue;
    }
    std::size_t i = 4;
    auto number = [&] {
      int n = 0;
      std::size_t start = i;
      while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i])) != 0 &&
             i - start < 3) {
        n = n * 10 + (rest[i] - '0');
        ++i;
      }
      return i == start ? -1 : n;
    };
    int from = number();
    int to = from;
    if (i < rest.size() && rest[i] == '-') {
      ++i;
      to = number();
    }
    if (from >= 0 && to >= from && i < rest.size() && rest[i] == ')' && p.second >= from &&
        p.second <= to) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<std::string> Catalog::nearest_forms(std::string_view form) const {
  return nearest(form, forms(), 2);
}

std::vector<std::string> Catalog::nearest_categories(std::string_view form,
                                                     std::string_view category) const {
  std::vector<std::string> keys;
  for (const Category& c : categories(form)) {
    keys.push_back(c.key);
  }
  return nearest(category, keys, 2);
}

std::vector<std::string> Catalog::nearest_offices(std::string_view office) const {
  // A word of the office's name that starts with what was typed: "BRO", "brooklyn".
  std::string typed = upper(office);
  std::vector<std::string> out;
  if (typed.size() >= 3) {
    std::string word = " ";
    word += typed;
    for (const auto& [code, name] : m_offices) {
      std::string n = " ";
      n += upper(name);
      if (n.find(word) != std::string::npos && out.size() < 3) {
        out.push_back(code);
      }
    }
  }
  if (!out.empty()) {
    return out;
  }
  return nearest(office, offices(), 1);
}

std::vector<std::string> Catalog::categories_printed_as(std::string_view form,
                                                        std::string_view text) const {
  std::vector<std::string> out;
  auto p = paragraph(text);
  if (!p) {
    return out;
  }
  for (const Category& c : categories(form)) {
    if (prints(c.description, *p)) {
      out.push_back(c.key);
    }
  }
  return out;
}

namespace {

// A name as it is compared: letters and digits only, lower case, without accents.
std::string name_key(std::string_view s) {
  std::string out;
  for (char c : text::search_key(s)) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> Catalog::categories_described_as(std::string_view form,
                                                          std::string_view text) const {
  std::vector<std::string> out;
  const std::string key = name_key(text);
  for (const Category& c : categories(form)) {
    if (!key.empty() && name_key(c.description) == key) {
      out.push_back(c.key);
    }
  }
  return out;
}

std::vector<std::string> Catalog::offices_named(std::string_view text) const {
  std::vector<std::string> out;
  const std::string key = name_key(text);
  for (const auto& [code, name] : m_offices) {
    std::string_view city = name;
    // "Queens NY": the city without its state.
    auto space = city.rfind(' ');
    bool state = space != std::string_view::npos && city.size() - space == 3 &&
                 std::isupper(static_cast<unsigned char>(city[space + 1])) != 0 &&
                 std::isupper(static_cast<unsigned char>(city[space + 2])) != 0;
    if (!key.empty() &&
        (name_key(name) == key || (state && name_key(city.substr(0, space)) == key))) {
      out.push_back(code);
    }
  }
  return out;
}

Expected<Catalog> Catalog::parse(std::string_view forms_csv, std::string_view categories_csv,
                                 std::string_view offices_csv) {
  Catalog c;
  if (auto e = each_row(forms_csv, "forms", {"form_name", "form_description_en"},
                        [&](const auto& v) { c.m_forms[v[0]] = v[1]; })) {
    return *e;
  }
  if (auto e = each_row(categories_csv, "form types",
                        {"form_name", "form_key", "form_type_description_en"}, [&](const auto& v) {
                          c.m_categories[v[0]].push_back(Category{v[1], v[2]});
                        })) {
    return *e;
  }
  if (auto e = each_row(offices_csv, "form offices",
                        {"form_name", "office_code", "office_description"}, [&](const auto& v) {
                          c.m_offices.emplace(v[1], v[2]);
                          c.m_form_offices[v[0]].insert(v[1]);
                        })) {
    return *e;
  }
  return c;
}

bool Catalog::has_form(std::string_view form) const {
  return m_forms.contains(form);
}

bool Catalog::knows_form(std::string_view form) const {
  // Forms the rules name beyond USCIS's processing-time lists (docs/rules.md).
  constexpr std::array<std::string_view, 12> k_also_known = {
      "I-192", "I-290B", "I-212", "I-601A", "I-821D", "I-730",
      "I-914", "I-918",  "N-336", "I-526E", "I-600A", "I-800A"};
  return has_form(form) ||
         std::find(k_also_known.begin(), k_also_known.end(), form) != k_also_known.end();
}

std::string Catalog::form_title(std::string_view form) const {
  auto it = m_forms.find(form);
  return it == m_forms.end() ? std::string() : it->second;
}

std::vector<std::string> Catalog::forms() const {
  std::vector<std::string> out;
  for (const auto& [name, title] : m_forms) {
    out.push_back(name);
  }
  return out;
}

const std::vector<Category>& Catalog::categories(std::string_view form) const {
  static const std::vector<Category> k_none;
  auto it = m_categories.find(form);
  return it == m_categories.end() ? k_none : it->second;
}

bool Catalog::has_category(std::string_view form, std::string_view category) const {
  const auto& list = categories(form);
  return std::any_of(list.begin(), list.end(), [&](const auto& c) { return c.key == category; });
}

bool Catalog::has_office(std::string_view office) const {
  return m_offices.contains(office);
}

std::string Catalog::office_name(std::string_view office) const {
  auto it = m_offices.find(office);
  return it == m_offices.end() ? std::string() : it->second;
}

std::vector<std::string> Catalog::offices_for(std::string_view form) const {
  auto it = m_form_offices.find(form);
  if (it == m_form_offices.end()) {
    return {};
  }
  return {it->second.begin(), it->second.end()};
}

std::vector<std::string> Catalog::offices() const {
  std::vector<std::string> out;
  for (const auto& [code, name] : m_offices) {
    out.push_back(code);
  }
  return out;
}

const Catalog& builtin_catalog() {
  static const Catalog k_catalog = [] {
    auto c = Catalog::parse(embedded::forms_csv(), embedded::form_types_csv(),
                            embedded::form_offices_csv());
    if (!c) {
      throw std::logic_error("built-in USCIS lists are malformed: " + c.error());
    }
    return std::move(c).value();
  }();
  return k_catalog;
}

const std::vector<ProcessingTime>& builtin_processing_times() {
  static const std::vector<ProcessingTime> k_rows = [] {
    auto parsed = parse_processing_times_csv(embedded::processing_times_csv(), "built-in");
    if (!parsed) {
      throw std::logic_error("built-in processing times are malformed: " + parsed.error());
    }
    return std::move(parsed).value().rows;
  }();
  return k_rows;
}

}  // namespace casewatch
