// SPDX-License-Identifier: MIT
#include "casewatch/domain/bulletin.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include <nlohmann/json.hpp>

#include "casewatch/domain/thresholds.hpp"
#include "casewatch/util/json_limits.hpp"
#include "casewatch/util/text.hpp"

namespace casewatch {
namespace {

constexpr std::size_t k_max_country_chars = 60;

constexpr std::array<std::string_view, 19> k_categories = {
    "F1",
    "F2A",
    "F2B",
    "F3",
    "F4",
    "EB1",
    "EB2",
    "EB3",
    "EW",
    "EB4",
    "EB4_RW",
    "EB5_UNRESERVED",
    "EB5_RURAL",
    "EB5_HIGH_UNEMPLOYMENT",
    "EB5_INFRASTRUCTURE",
    "EB5_UNRESERVED_I5_R5",
    "EB5_NON_REGIONAL_CENTER",
    "EB5_REGIONAL_CENTER",
    "EB5_TEA_REGIONAL_PILOT",
};

constexpr std::array<std::string_view, 7> k_columns = {"ROW", "CN",       "IN", "MX",
                                                       "PH",  "SV_GT_HN", "VN"};

// Upper-case letters and digits only: "EB-5 rural" -> "EB5RURAL".
std::string squeeze(std::string_view s) {
  std::string out;
  for (char ch : s) {
    auto u = static_cast<unsigned char>(ch);
    if (std::isalnum(u) != 0) {
      out += static_cast<char>(std::toupper(u));
    }
  }
  return out;
}

struct Alias {
  std::string_view key;
  std::string_view code;
};

constexpr std::array<Alias, 14> k_preference_aliases = {{
    {"SR", "EB4_RW"},
    {"CERTAINRELIGIOUSWORKERS", "EB4_RW"},
    {"RELIGIOUSWORKERS", "EB4_RW"},
    {"OTHERWORKERS", "EW"},
    {"EB3OW", "EW"},
    {"EB5", "EB5_UNRESERVED"},
    {"EB5RURAL", "EB5_RURAL"},
    {"EB5HIGHUNEMPLOYMENT", "EB5_HIGH_UNEMPLOYMENT"},
    {"EB5INFRASTRUCTURE", "EB5_INFRASTRUCTURE"},
    {"IR", "IR"},
    {"IMMEDIATERELATIVE", "IR"},
    {"E1", "EB1"},
    {"E2", "EB2"},
    {"E3", "EB3"},
}};

// Column codes, ISO alpha-2 and alpha-3 codes and English names, squeezed.
constexpr std::array<Alias, 30> k_country_aliases = {{
    {"ROW", "ROW"},
    {"ALLAREAS", "ROW"},
    {"ALLCHARGEABILITYAREAS", "ROW"},
    {"CN", "CN"},
    {"CHN", "CN"},
    {"CHINA", "CN"},
    {"CHINAMAINLANDBORN", "CN"},
    {"MAINLANDCHINA", "CN"},
    {"PEOPLESREPUBLICOFCHINA", "CN"},
    {"IN", "IN"},
    {"IND", "IN"},
    {"INDIA", "IN"},
    {"MX", "MX"},
    {"MEX", "MX"},
    {"MEXICO", "MX"},
    {"PH", "PH"},
    {"PHL", "PH"},
    {"PHILIPPINES", "PH"},
    {"SVGTHN", "SV_GT_HN"},
    {"SV", "SV_GT_HN"},
    {"SLV", "SV_GT_HN"},
    {"ELSALVADOR", "SV_GT_HN"},
    {"GT", "SV_GT_HN"},
    {"GTM", "SV_GT_HN"},
    {"GUATEMALA", "SV_GT_HN"},
    {"HN", "SV_GT_HN"},
    {"HND", "SV_GT_HN"},
    {"HONDURAS", "SV_GT_HN"},
    {"VN", "VN"},
    {"VNM", "VN"},
}};

std::string list(std::span<const std::string_view> items) {
  return fmt::format("{}", fmt::join(items, ", "));
}

// The bulletin's own date form: 01JAN22 (two-digit years pivot at 50, as the dataset's).
std::optional<Date> parse_bulletin_date(std::string_view s) {
  static constexpr std::array<std::string_view, 12> k_months = {
      "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  if (s.size() != 7 || std::isdigit(static_cast<unsigned char>(s[0])) == 0 ||
      std::isdigit(static_cast<unsigned char>(s[1])) == 0 ||
      std::isdigit(static_cast<unsigned char>(s[5])) == 0 ||
      std::isdigit(static_cast<unsigned char>(s[6])) == 0) {
    return std::nullopt;
  }
  std::string mon = squeeze(s.substr(2, 3));
  auto it = std::find(k_months.begin(), k_months.end(), mon);
  if (it == k_months.end()) {
    return std::nullopt;
  }
  int day = (s[0] - '0') * 10 + (s[1] - '0');
  int yy = (s[5] - '0') * 10 + (s[6] - '0');
  int year = yy >= 50 ? 1900 + yy : 2000 + yy;
  date::year_month_day ymd{date::year{year},
                           date::month{static_cast<unsigned>(it - k_months.begin() + 1)},
                           date::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return Date{ymd};
}

// One row of the long format from its named values; `where` names it in errors.
Expected<BulletinRow> make_row(std::string_view month, std::string_view chart,
                               std::string_view category, std::string_view country,
                               std::string_view status, std::string_view cutoff_text,
                               std::string_view source, const std::string& where) {
  BulletinRow r;
  auto m = parse_month(month);
  if (!m) {
    return Error{fmt::format("{}, bulletin: {}", where, m.error())};
  }
  r.month = *m;
  std::string ch = text::ascii_lower(chart);
  if (ch == "final_action") {
    r.chart = Chart::final_action;
  } else if (ch == "dates_for_filing") {
    r.chart = Chart::dates_for_filing;
  } else {
    return Error{fmt::format("{}, chart: {} is not a chart; use final_action or dates_for_filing",
                             where, text::quoted(chart))};
  }
  std::string cat(category);
  if (std::find(k_categories.begin(), k_categories.end(), cat) == k_categories.end()) {
    return Error{fmt::format("{}, category: {} is not a Visa Bulletin category; known: {}", where,
                             text::quoted(category), list(k_categories))};
  }
  r.category = std::move(cat);
  std::string col(country);
  if (std::find(k_columns.begin(), k_columns.end(), col) == k_columns.end()) {
    return Error{fmt::format("{}, country: {} is not a Visa Bulletin column; known: {}", where,
                             text::quoted(country), list(k_columns))};
  }
  r.column = std::move(col);
  std::string st = text::ascii_lower(status);
  if (st == "current") {
    r.cell.status = Cell::Status::current;
  } else if (st == "unavailable") {
    r.cell.status = Cell::Status::unavailable;
  } else if (st == "date") {
    auto d = parse_iso_date(cutoff_text);
    if (!d || !in_year_range(*d)) {
      return Error{
          fmt::format("{}, date: {} is not a date YYYY-MM-DD", where, text::quoted(cutoff_text))};
    }
    r.cell.status = Cell::Status::date;
    r.cell.cutoff = *d;
  } else {
    return Error{fmt::format("{}, status: {} is not a status; use date, current or unavailable",
                             where, text::quoted(status))};
  }
  if (st != "date" && !cutoff_text.empty()) {
    return Error{
        fmt::format("{}, date: {} given with status {}", where, text::quoted(cutoff_text), st)};
  }
  // A cutoff is a priority date the bulletin's month has reached: never after that month.
  if (r.cell.cutoff && month_of(*r.cell.cutoff) > r.month) {
    return Error{fmt::format(
        "{}, date: {} is after the bulletin's month {}; a cutoff is a priority date before it",
        where, format_date(*r.cell.cutoff), format_month(r.month))};
  }
  r.source = std::string(source);
  return r;
}

// The rows of one file, each cell once: the same cell given twice with the same value is
// taken once; with two values, the file is refused, naming both lines (which one the
// bulletin says cannot be told).
class OneCellOnce {
 public:
  std::optional<Error> add(const BulletinRow& r, std::string where) {
    Key k{r.month, r.chart, r.category, r.column};
    auto [it, inserted] = m_seen.try_emplace(std::move(k), r.cell, where);
    if (inserted || it->second.first == r.cell) {
      return std::nullopt;
    }
    return Error{
        fmt::format("{} and {} give two values for the {} {} {} {} cell ({} and {}); "
                    "keep the one the bulletin prints",
                    it->second.second, where, format_month(r.month), to_string(r.chart), r.category,
                    r.column, format_cell(it->second.first), format_cell(r.cell))};
  }

 private:
  using Key = std::tuple<Month, Chart, std::string, std::string>;
  std::map<Key, std::pair<Cell, std::string>> m_seen;
};

}  // namespace

Expected<Month> parse_month(std::string_view text) {
  auto bad = [&] {
    return Error{
        fmt::format("{} is not a bulletin month; write YYYY-MM, like 2026-07", text::quoted(text))};
  };
  if (text.size() != 7 || text[4] != '-') {
    return bad();
  }
  int year = 0;
  int month = 0;
  for (std::size_t i = 0; i < 7; ++i) {
    if (i == 4) {
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(text[i])) == 0) {
      return bad();
    }
    (i < 4 ? year : month) = (i < 4 ? year : month) * 10 + (text[i] - '0');
  }
  if (year < k_first_year || year > k_last_year || month < 1 || month > 12) {
    return bad();
  }
  return Month{date::year{year}, date::month{static_cast<unsigned>(month)}};
}

std::string format_month(Month m) {
  return fmt::format("{:04}-{:02}", static_cast<int>(m.year()), static_cast<unsigned>(m.month()));
}

Month month_of(Date d) {
  date::year_month_day ymd{d};
  return Month{ymd.year(), ymd.month()};
}

Date first_day(Month m) {
  return Date{m / date::day{1}};
}

std::string_view to_string(Chart c) {
  return c == Chart::final_action ? "final_action" : "dates_for_filing";
}

std::string_view describe(Chart c) {
  return c == Chart::final_action ? "final action" : "dates for filing";
}

Expected<Chart> parse_chart(std::string_view text) {
  std::string k = squeeze(text);
  if (k == "FINALACTION" || k == "FINAL" || k == "FAD" || k == "A") {
    return Chart::final_action;
  }
  if (k == "DATESFORFILING" || k == "FILING" || k == "DFF" || k == "B") {
    return Chart::dates_for_filing;
  }
  return Error{
      fmt::format("{} is not a chart; use final (Final Action Dates) or filing (Dates "
                  "for Filing)",
                  text::quoted(text))};
}

std::string_view to_string(VisaKind k) {
  return k == VisaKind::family ? "family" : "employment";
}

std::span<const std::string_view> bulletin_categories() {
  return k_categories;
}

Expected<std::string> parse_preference(std::string_view text) {
  std::string k = squeeze(text);
  for (std::string_view code : k_categories) {
    if (squeeze(code) == k) {
      return std::string(code);
    }
  }
  for (const Alias& a : k_preference_aliases) {
    if (a.key == k) {
      return std::string(a.code);
    }
  }
  return Error{
      fmt::format("{} is not a preference category; use one of {}, SR (certain "
                  "religious workers) or IR (immediate relative)",
                  text::quoted(text), list(k_categories))};
}

VisaKind kind_of_category(std::string_view category) {
  return !category.empty() && category[0] == 'E' ? VisaKind::employment : VisaKind::family;
}

std::span<const std::string_view> bulletin_columns() {
  return k_columns;
}

std::string_view chargeability_column(std::string_view country) {
  std::string k = squeeze(country);
  for (const Alias& a : k_country_aliases) {
    if (a.key == k) {
      return a.code;
    }
  }
  if (k == "VIETNAM") {
    return "VN";
  }
  return k_all_areas;
}

std::string_view describe_column(std::string_view column) {
  if (column == "CN") {
    return "China (mainland-born)";
  }
  if (column == "IN") {
    return "India";
  }
  if (column == "MX") {
    return "Mexico";
  }
  if (column == "PH") {
    return "Philippines";
  }
  if (column == "SV_GT_HN") {
    return "El Salvador, Guatemala, Honduras";
  }
  if (column == "VN") {
    return "Vietnam";
  }
  return "all chargeability areas";
}

std::optional<std::string> chargeability_problem(std::string_view country) {
  if (auto p = text::problem(country)) {
    return fmt::format("{} {}", text::quoted(country), *p);
  }
  bool letter = false;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < country.size(); ++i) {
    auto u = static_cast<unsigned char>(country[i]);
    if ((u & 0xC0U) != 0x80U) {
      ++chars;
    }
    if (u >= 0x80U || std::isalpha(u) != 0) {
      letter = true;
      continue;
    }
    if (u == ' ' || u == '.' || u == '\'' || u == '-' || u == '(' || u == ')' || u == ',') {
      continue;
    }
    return fmt::format("{} is not a country; write its name or ISO code (Mexico, MX)",
                       text::quoted(country));
  }
  if (!letter) {
    return fmt::format("{} is not a country; write its name or ISO code (Mexico, MX)",
                       text::quoted(country));
  }
  if (chars > k_max_country_chars) {
    return fmt::format("{} is longer than {} characters", text::quoted(country),
                       k_max_country_chars);
  }
  return std::nullopt;
}

std::string format_cell(const Cell& c) {
  switch (c.status) {
    case Cell::Status::current:
      return "C";
    case Cell::Status::unavailable:
      return "U";
    case Cell::Status::date:
      break;
  }
  return c.cutoff ? format_date(*c.cutoff) : "U";
}

Expected<Cell> parse_cell(std::string_view text) {
  std::string k = squeeze(text);
  if (k == "C" || k == "CURRENT") {
    return Cell{Cell::Status::current, std::nullopt};
  }
  if (k == "U" || k == "UNAVAILABLE") {
    return Cell{Cell::Status::unavailable, std::nullopt};
  }
  std::optional<Date> d = parse_iso_date(text);
  if (!d) {
    d = parse_bulletin_date(text);
  }
  if (d && in_year_range(*d)) {
    return Cell{Cell::Status::date, *d};
  }
  return Error{
      fmt::format("{} is not a cutoff; write a date (2009-02-15 or 15FEB09), C "
                  "(current) or U (unavailable)",
                  text::quoted(text))};
}

bool is_current(Date priority_date, const Cell& cell) {
  switch (cell.status) {
    case Cell::Status::current:
      return true;
    case Cell::Status::unavailable:
      return false;
    case Cell::Status::date:
      break;
  }
  // Strictly earlier: a date equal to the cutoff is not current.
  return cell.cutoff && priority_date < *cell.cutoff;
}

Expected<ParsedBulletin> parse_bulletin_records(const std::vector<csv::Record>& records,
                                                std::string_view source) {
  if (records.empty()) {
    return Error{
        "the file is empty; expected the header bulletin,chart,kind,category,country,"
        "status,date"};
  }
  constexpr std::array<std::string_view, 6> k_needed = {"bulletin", "chart",  "category",
                                                        "country",  "status", "date"};
  std::array<std::size_t, 6> at{};
  const auto& header = records.front().fields;
  for (std::size_t n = 0; n < k_needed.size(); ++n) {
    auto it = std::find_if(header.begin(), header.end(), [&](const std::string& h) {
      return text::ascii_lower(h) == k_needed[n];
    });
    if (it == header.end()) {
      return Error{
          fmt::format("line {}: no column {}; a Visa Bulletin table has the columns "
                      "bulletin, chart, kind, category, country, status, date",
                      records.front().line, k_needed[n])};
    }
    at[n] = static_cast<std::size_t>(it - header.begin());
  }
  ParsedBulletin out;
  OneCellOnce cells;
  out.rows.reserve(records.size() - 1);
  for (std::size_t i = 1; i < records.size(); ++i) {
    const auto& rec = records[i];
    auto field = [&](std::size_t n) -> std::string_view {
      return at[n] < rec.fields.size() ? std::string_view(rec.fields[at[n]]) : std::string_view();
    };
    std::string where = fmt::format("line {}", rec.line);
    auto row = make_row(field(0), field(1), field(2), field(3), field(4), field(5), source, where);
    if (!row) {
      return Error{row.error()};
    }
    if (auto twice = cells.add(*row, std::move(where))) {
      return *twice;
    }
    out.rows.push_back(std::move(row).value());
  }
  return out;
}

Expected<ParsedBulletin> parse_bulletin_csv(std::string_view text, std::string_view source) {
  auto records = csv::parse(text);
  if (!records) {
    return Error{records.error()};
  }
  return parse_bulletin_records(*records, source);
}

namespace {

// Parses `text` into `out`, refusing nesting deeper than the project's limit before the
// library (which recurses once per level) sees it. Returns what is wrong, or nothing.
std::optional<std::string> parse_json(std::string_view text, std::string_view what,
                                      nlohmann::json& out) {
  using json = nlohmann::json;
  if (auto p = json_limits::depth_problem(text)) {
    return fmt::format("not a {} casewatch reads: {}", what, *p);
  }
  try {
    out = json::parse(text);
  } catch (const json::parse_error& e) {
    return fmt::format("not valid JSON at byte {}", e.byte);
  } catch (const json::exception&) {
    return std::string("not valid JSON");
  }
  return std::nullopt;
}

}  // namespace

Expected<ParsedBulletin> parse_bulletin_json(std::string_view text, std::string_view source) {
  nlohmann::json parsed;
  if (auto p = parse_json(text, "Visa Bulletin table", parsed)) {
    return Error{*p};
  }
  const nlohmann::json* doc = &parsed;
  if (!doc->is_array()) {
    return Error{
        "not a Visa Bulletin table: expected an array of rows {bulletin, chart, "
        "category, country, status, date}"};
  }
  ParsedBulletin out;
  OneCellOnce cells;
  out.rows.reserve(doc->size());
  std::size_t index = 0;
  for (const auto& el : *doc) {
    std::string where = fmt::format("row {}", index + 1);
    ++index;
    if (!el.is_object()) {
      return Error{fmt::format("{}: not an object", where)};
    }
    std::array<std::string, 6> v;
    constexpr std::array<std::string_view, 6> k_keys = {"bulletin", "chart",  "category",
                                                        "country",  "status", "date"};
    for (std::size_t n = 0; n < k_keys.size(); ++n) {
      auto it = el.find(std::string(k_keys[n]));
      if (it == el.end() || it->is_null()) {
        if (n == 5) {
          continue;  // no date: status current or unavailable
        }
        return Error{fmt::format("{}: no {}", where, k_keys[n])};
      }
      if (!it->is_string()) {
        return Error{fmt::format("{}, {}: not a string", where, k_keys[n])};
      }
      v[n] = it->get<std::string>();
    }
    auto row = make_row(v[0], v[1], v[2], v[3], v[4], v[5], source, where);
    if (!row) {
      return Error{row.error()};
    }
    if (auto twice = cells.add(*row, std::move(where))) {
      return *twice;
    }
    out.rows.push_back(std::move(row).value());
  }
  return out;
}

Expected<std::vector<ChartChoice>> parse_chart_choices_json(std::string_view text,
                                                            std::string_view source) {
  nlohmann::json parsed;
  if (auto p = parse_json(text, "USCIS chart file", parsed)) {
    return Error{*p};
  }
  const nlohmann::json* doc = &parsed;
  if (!doc->is_object()) {
    return Error{
        "not a USCIS chart file: expected {\"YYYY-MM\": {\"family\": ..., "
        "\"employment\": ...}}"};
  }
  std::vector<ChartChoice> out;
  for (auto entry = doc->begin(); entry != doc->end(); ++entry) {
    const std::string& key = entry.key();
    const nlohmann::json& value = entry.value();
    auto m = parse_month(key);
    if (!m) {
      return Error{m.error()};
    }
    if (!value.is_object()) {
      return Error{fmt::format("{}: not an object {{family, employment}}", key)};
    }
    ChartChoice c;
    c.month = *m;
    c.source = std::string(source);
    for (std::string_view kind : {"family", "employment"}) {
      auto it = value.find(std::string(kind));
      if (it == value.end() || !it->is_string()) {
        return Error{fmt::format("{}: no {} chart", key, kind)};
      }
      auto ch = parse_chart(it->get<std::string>());
      if (!ch) {
        return Error{fmt::format("{}, {}: {}", key, kind, ch.error())};
      }
      (kind == "family" ? c.family : c.employment) = *ch;
    }
    out.push_back(std::move(c));
  }
  return out;
}

BulletinTable::BulletinTable(std::vector<BulletinRow> rows, std::vector<ChartChoice> choices) {
  for (auto& r : rows) {
    m_cells.insert_or_assign(Key{r.month, r.chart, std::move(r.category), std::move(r.column)},
                             std::pair{r.cell, std::move(r.source)});
  }
  for (const auto& [k, v] : m_cells) {
    m_series[{std::get<1>(k), std::get<2>(k), std::get<3>(k)}][std::get<0>(k)] = v.first;
    m_months.insert(std::get<0>(k));
  }
  std::stable_sort(choices.begin(), choices.end(),
                   [](const auto& a, const auto& b) { return a.month < b.month; });
  for (auto& c : choices) {
    if (!m_choices.empty() && m_choices.back().month == c.month) {
      m_choices.back() = std::move(c);
    } else {
      m_choices.push_back(std::move(c));
    }
  }
}

BulletinTable::Cells BulletinTable::cells(Chart chart, std::string_view category,
                                          std::string_view column) const {
  Cells out;
  auto series = [&](std::string_view cat, std::string_view col) -> const std::map<Month, Cell>* {
    auto it = m_series.find({chart, std::string(cat), std::string(col)});
    return it == m_series.end() ? nullptr : &it->second;
  };
  out.m_series[0] = series(category, column);
  out.m_series[1] = column != k_all_areas ? series(category, k_all_areas) : nullptr;
  // The unreserved EB-5 row is coded EB5_UNRESERVED or, in the dataset's recent months,
  // EB5_UNRESERVED_I5_R5 ("including C5, T5, I5, R5"): a month with one has not the other.
  std::string_view alias = category == "EB5_UNRESERVED"         ? "EB5_UNRESERVED_I5_R5"
                           : category == "EB5_UNRESERVED_I5_R5" ? "EB5_UNRESERVED"
                                                                : "";
  if (!alias.empty()) {
    out.m_series[2] = series(alias, column);
    out.m_series[3] = column != k_all_areas ? series(alias, k_all_areas) : nullptr;
  }
  return out;
}

std::optional<Cell> BulletinTable::Cells::at(Month m) const {
  for (const std::map<Month, Cell>* s : m_series) {
    if (s != nullptr) {
      auto it = s->find(m);
      if (it != s->end()) {
        return it->second;
      }
    }
  }
  return std::nullopt;
}

std::optional<Cell> BulletinTable::cell(Month m, Chart chart, std::string_view category,
                                        std::string_view column) const {
  return cells(chart, category, column).at(m);
}

bool BulletinTable::has_month(Month m) const {
  return m_months.count(m) > 0;
}

std::optional<Month> BulletinTable::latest_month() const {
  if (m_cells.empty()) {
    return std::nullopt;
  }
  return std::get<0>(m_cells.rbegin()->first);
}

const ChartChoice* BulletinTable::choice(Month m) const {
  auto it = std::lower_bound(m_choices.begin(), m_choices.end(), m,
                             [](const ChartChoice& c, Month x) { return c.month < x; });
  return it != m_choices.end() && it->month == m ? &*it : nullptr;
}

std::vector<BulletinRow> BulletinTable::rows() const {
  std::vector<BulletinRow> out;
  out.reserve(m_cells.size());
  for (const auto& [k, v] : m_cells) {
    out.push_back(BulletinRow{std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k),
                              v.first, v.second});
  }
  return out;
}

ChartVerdict chart_verdict(const BulletinTable& table, Month m, Chart chart,
                           std::string_view category, std::string_view column, Date priority_date) {
  ChartVerdict v;
  v.chart = chart;
  const BulletinTable::Cells cells = table.cells(chart, category, column);
  v.cell = cells.at(m);
  if (!v.cell) {
    return v;
  }
  v.current = is_current(priority_date, *v.cell);
  if (!v.current && v.cell->status == Cell::Status::date && v.cell->cutoff) {
    v.days_behind = days_between(*v.cell->cutoff, priority_date);
  }
  v.previous = cells.at(m - date::months{1});
  v.retrogressed = !v.current && v.previous && is_current(priority_date, *v.previous);
  if (v.current) {
    Month first = m;
    Month p = m;
    for (int n = 0; n < thresholds::k_bulletin_history_months; ++n) {
      p -= date::months{1};
      auto c = cells.at(p);
      if (!c || !is_current(priority_date, *c)) {
        break;
      }
      first = p;
    }
    v.current_since = first;
  }
  return v;
}

}  // namespace casewatch
