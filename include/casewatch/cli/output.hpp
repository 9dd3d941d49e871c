// SPDX-License-Identifier: MIT
#pragma once

#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/domain/case.hpp"
#include "casewatch/domain/processing_time.hpp"
#include "casewatch/domain/rules.hpp"

namespace casewatch::cli {

// The width paragraphs wrap to: $COLUMNS, else the terminal's width, else 80.
std::size_t text_width();
// The width a table must fit: $COLUMNS, else the terminal's width; none when stdout is not a
// terminal (a pipe gets whole rows, for grep and awk).
std::optional<std::size_t> table_width();

// The widths of the columns of free text in the case tables (list, overdue): a label is cut
// at 30 columns, a finding's or step's title at 60; on a narrow terminal both may shrink to 10.
inline constexpr std::size_t k_label_columns = 30;
inline constexpr std::size_t k_text_columns = 60;
inline constexpr std::size_t k_least_columns = 10;

// A text table: a header row and rows of cells, printed with columns aligned (widths in
// display columns: a CJK character takes two), two spaces between columns and no trailing
// blanks. A cell wider than its column is cut with "…".
class Table {
 public:
  explicit Table(std::vector<std::string> header);
  // `style`: an ANSI SGR code ("1;31") for the whole row, used only in color.
  void add(std::vector<std::string> row, std::string_view style = {});
  // Column `column` is at most `most` columns wide, and may be narrowed to `least` to fit
  // the table into the width print() is given. Columns without a limit keep their width.
  void limit(std::size_t column, std::size_t most, std::size_t least);
  // The columns that may be left out, the first to go first: while the narrowest widths
  // allowed (a limited column's least, any other column's widest cell, two spaces between
  // columns) add up to more than the width print() is given, the next one is left out.
  // Nothing is left out without a width (a pipe).
  void drop_order(std::vector<std::size_t> columns);
  [[nodiscard]] bool empty() const { return m_rows.empty(); }
  void print(std::ostream& out, bool color, std::optional<std::size_t> max_width = {}) const;

  // A table too large to hold (a report over every case): measure() each row, keeping the
  // cells it returns (escaped as add() does) elsewhere, then print_header() once and
  // print_row() each. The rows are not kept, only the widest cell of each column.
  std::vector<std::string> measure(std::vector<std::string> row);
  void print_header(std::ostream& out, bool color, std::optional<std::size_t> max_width = {});
  void print_row(std::ostream& out, const std::vector<std::string>& row, std::string_view style,
                 bool color) const;

 private:
  struct Limit {
    std::size_t most = 0;
    std::size_t least = 0;
  };
  // The width of each column; nullopt for a column left out.
  using Widths = std::vector<std::optional<std::size_t>>;
  [[nodiscard]] Widths widths(std::optional<std::size_t> max_width) const;
  static void print_line(std::ostream& out, const std::vector<std::string>& row,
                         const Widths& widths, bool header, std::string_view style, bool color);

  std::vector<std::string> m_header;
  std::vector<std::vector<std::string>> m_rows;
  std::vector<std::string> m_styles;
  std::vector<std::optional<Limit>> m_limits;
  std::vector<std::size_t> m_drop_order;
  std::vector<std::size_t> m_measured;  // the widest cell of each column, by measure()
  Widths m_widths;                      // by print_header()
};

// `text` wrapped at `width` columns, each line starting with `indent`.
std::string wrap(std::string_view text, std::size_t width, std::string_view indent);

// ANSI styling, applied only when `on`.
std::string bold(std::string_view s, bool on);
std::string severity_tag(Severity s, bool on);  // "[action]" in a color

// "-" for an empty value.
std::string or_dash(const std::optional<std::string>& s);
std::string or_dash(const std::optional<Date>& d);

// "I-485 (131A-FAM) at QNS: 25.5 months, published 2024-10-18 (built-in)".
std::string describe_row(const ProcessingTime& row);

// The last line of every page of advice (show, suggest, the check mail).
inline constexpr std::string_view k_disclaimer = "casewatch gives information, not legal advice.";

// A report's notice (docs/rules.md `times-stale`), once, as a wrapped paragraph; nothing when none.
// show, times list and the monthly check notice give it whole.
void print_notice(std::ostream& out, const std::optional<Notice>& notice);
// The notice in one line that fits `width` (list, overdue, suggest): "times: published
// 2024-10-18, 780 days old — casewatch times fetch"; "times: 780 days old — casewatch times
// fetch" when that is too wide.
std::string notice_line(const Notice& notice, std::size_t width);
void print_notice_line(std::ostream& out, const std::optional<Notice>& notice);
// The end of a page of advice: the notice, if any (whole, or in one line), then the
// disclaimer, a blank line apart.
enum class NoticeForm { whole, line };
void print_closing(std::ostream& out, const std::optional<Notice>& notice,
                   NoticeForm form = NoticeForm::whole);

// Prints a case's findings and next steps as paragraphs (suggest and show).
void print_findings(std::ostream& out, std::span<const Finding> findings, bool color);
void print_next(std::ostream& out, const Evaluation& ev);

}  // namespace casewatch::cli
