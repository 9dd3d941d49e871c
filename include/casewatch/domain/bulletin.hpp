// SPDX-License-Identifier: MIT
#pragma once

// The Visa Bulletin (docs/rules.md `priority-date`): the Department of State's monthly
// cutoff dates by preference category and chargeability, in two charts, and USCIS's choice
// of chart for adjustment filings. Pure: the tables come in as text or rows; nothing here
// reads a file or the clock.

#include <date/date.h>

#include <array>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "casewatch/domain/dates.hpp"
#include "casewatch/util/csv.hpp"
#include "casewatch/util/expected.hpp"

namespace casewatch {

// A bulletin's month ("2026-07").
using Month = date::year_month;

// Parses YYYY-MM (zero-padded, 1900-2199). Fails naming the value.
Expected<Month> parse_month(std::string_view text);
std::string format_month(Month m);
// The month a date falls in, and the first day of a month.
Month month_of(Date d);
Date first_day(Month m);

// The two charts of each bulletin.
enum class Chart { final_action, dates_for_filing };
// "final_action", "dates_for_filing" (the dataset's and casewatch's JSON spelling).
std::string_view to_string(Chart c);
// "final action", "dates for filing": for sentences.
std::string_view describe(Chart c);
// Accepts final_action, final-action, final, fad, a; dates_for_filing, dates-for-filing,
// filing, dff, b (any case). Fails listing them.
Expected<Chart> parse_chart(std::string_view text);

// Family or employment: USCIS chooses a chart for each separately.
enum class VisaKind { family, employment };
std::string_view to_string(VisaKind k);

// The preference categories as the dataset codes them: F1 F2A F2B F3 F4, EB1 EB2 EB3 EW
// (Other Workers) EB4 EB4_RW (Certain Religious Workers), the EB-5 rows (EB5_UNRESERVED,
// EB5_RURAL, EB5_HIGH_UNEMPLOYMENT, EB5_INFRASTRUCTURE and the older layouts'
// EB5_UNRESERVED_I5_R5, EB5_NON_REGIONAL_CENTER, EB5_REGIONAL_CENTER,
// EB5_TEA_REGIONAL_PILOT), and, for a case only, IR (immediate relative: no queue).
inline constexpr std::string_view k_immediate_relative = "IR";
std::span<const std::string_view> bulletin_categories();

// A case's or a row's category from what a user or a file writes: the codes above in any
// case, with '-', '_', spaces and dots ignored ("EB-2", "eb2", "F2b", "eb5 rural"), and
// the aliases SR / "certain religious workers" (EB4_RW), "other workers" (EW), EB5 (the
// unreserved row), "immediate relative" (IR). Fails naming the value and listing codes.
Expected<std::string> parse_preference(std::string_view text);
// The kind of a category: F* family, everything else (EB*, EW) employment. IR: family.
VisaKind kind_of_category(std::string_view category);

// The bulletin's chargeability columns: ROW (all areas), CN (China mainland-born), IN, MX,
// PH, SV_GT_HN (El Salvador, Guatemala, Honduras), VN.
inline constexpr std::string_view k_all_areas = "ROW";
std::span<const std::string_view> bulletin_columns();
// The column a country of chargeability falls in: a column code, an ISO 3166 alpha-2 or
// alpha-3 code or an English name ("Mexico", "MX", "MEX", "China", "El Salvador", "Viet
// Nam"), any case. Every other country is all areas (ROW), as on the bulletin.
std::string_view chargeability_column(std::string_view country);
// "Mexico", "all chargeability areas", "El Salvador, Guatemala, Honduras".
std::string_view describe_column(std::string_view column);
// What is wrong with a country as a user states it (empty, over 60 characters, not
// letters, spaces and . ' - ( ) ,), or nothing. Any country is accepted: unknown ones are
// all areas.
std::optional<std::string> chargeability_problem(std::string_view country);

// One cell: a cutoff date, C (current) or U (unavailable).
struct Cell {
  enum class Status { date, current, unavailable };
  Status status = Status::unavailable;
  std::optional<Date> cutoff;  // only with Status::date

  friend bool operator==(const Cell&, const Cell&) = default;
};
// "2009-02-15", "C", "U".
std::string format_cell(const Cell& c);
// Accepts a date (YYYY-MM-DD or the bulletin's 01JAN22 form), C / current, U / unavailable.
Expected<Cell> parse_cell(std::string_view text);
// A priority date is current when the cell is C, or the date is strictly earlier than the
// cutoff ("earlier than the final action date listed"); never when it is U.
bool is_current(Date priority_date, const Cell& cell);

// One row of a bulletin table. `source` is "import:<file>" or "set".
struct BulletinRow {
  Month month;
  Chart chart = Chart::final_action;
  std::string category;  // a code of bulletin_categories()
  std::string column;    // a code of bulletin_columns()
  Cell cell;
  std::string source;
};

// USCIS's choice of chart for adjustment filings in one month.
struct ChartChoice {
  Month month;
  Chart family = Chart::final_action;
  Chart employment = Chart::final_action;
  std::string source;
};

// What parsing a bulletin file gave.
struct ParsedBulletin {
  std::vector<BulletinRow> rows;
};

// The dataset's long CSV: a header with the columns bulletin, chart, category, country,
// status, date (kind ignored, others ignored, any order), one row per cell. Fails on a
// missing column or a bad value, naming the line and the column.
Expected<ParsedBulletin> parse_bulletin_csv(std::string_view text, std::string_view source);
// The same from records already split into fields, the first being the header (the rows of
// the dataset's SQLite table `visa_bulletin`).
Expected<ParsedBulletin> parse_bulletin_records(const std::vector<csv::Record>& records,
                                                std::string_view source);
// The dataset's JSON: an array of objects with the same keys (values strings; date "" or
// null when the status is not date). Fails naming the element and the key.
Expected<ParsedBulletin> parse_bulletin_json(std::string_view text, std::string_view source);
// The dataset's uscis_chart.json: {"YYYY-MM": {"family": chart, "employment": chart}}.
Expected<std::vector<ChartChoice>> parse_chart_choices_json(std::string_view text,
                                                            std::string_view source);

// Every stored bulletin in memory: month x chart x category x column -> cell, and USCIS's
// chart choices by month.
class BulletinTable {
 public:
  BulletinTable() = default;
  // A later row of the same key replaces an earlier one.
  BulletinTable(std::vector<BulletinRow> rows, std::vector<ChartChoice> choices);

  [[nodiscard]] bool empty() const { return m_cells.empty(); }
  // The cell for a column, or the all-areas cell when that month's chart has no column of
  // its own for it; empty when the month, chart or category is not stored.
  [[nodiscard]] std::optional<Cell> cell(Month m, Chart chart, std::string_view category,
                                         std::string_view column) const;
  // The cells of one category in one column of one chart, month by month, with the same
  // fallbacks as cell(): found by name once, then read month after month (the rule walks
  // back through years of bulletins for every case).
  class Cells {
   public:
    [[nodiscard]] std::optional<Cell> at(Month m) const;

   private:
    friend class BulletinTable;
    std::array<const std::map<Month, Cell>*, 4> m_series{};  // column, all areas, alias...
  };
  [[nodiscard]] Cells cells(Chart chart, std::string_view category, std::string_view column) const;
  // Whether the month has any row.
  [[nodiscard]] bool has_month(Month m) const;
  // The latest stored month, if any.
  [[nodiscard]] std::optional<Month> latest_month() const;
  [[nodiscard]] const ChartChoice* choice(Month m) const;
  // All rows, ordered by month, chart, category, column.
  [[nodiscard]] std::vector<BulletinRow> rows() const;
  [[nodiscard]] const std::vector<ChartChoice>& choices() const { return m_choices; }

 private:
  using Key = std::tuple<Month, Chart, std::string, std::string>;
  std::map<Key, std::pair<Cell, std::string>, std::less<>> m_cells;
  // The same cells by (chart, category, column), then month; and the months stored.
  std::map<std::tuple<Chart, std::string, std::string>, std::map<Month, Cell>> m_series;
  std::set<Month> m_months;
  std::vector<ChartChoice> m_choices;  // by month
};

// How a priority date stands in one chart of one month.
struct ChartVerdict {
  Chart chart = Chart::final_action;
  std::optional<Cell> cell;  // empty: the month's chart has no row for the category
  bool current = false;
  std::optional<int> days_behind;      // priority date - cutoff, when not current on a date
  std::optional<Month> current_since;  // first month of the unbroken current run
  std::optional<Cell> previous;        // the cell of the month before, if stored
  bool retrogressed = false;           // current the month before, not current now
};

// The verdict for a priority date on `m` in `chart`: the cell, current or not, the days
// behind, the previous month's cell and "current since" (walking back one month at a time
// while each month is stored and current).
ChartVerdict chart_verdict(const BulletinTable& table, Month m, Chart chart,
                           std::string_view category, std::string_view column, Date priority_date);

}  // namespace casewatch
