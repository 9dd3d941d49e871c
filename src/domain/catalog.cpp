// SPDX-License-Identifier: MIT
#include "casewatch/domain/catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "casewatch/util/csv.hpp"

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

}  // namespace

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
