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

// A text table: a header row and rows of cells, printed with columns aligned (widths in
// UTF-8 code points), two spaces between columns and no trailing blanks.
class Table {
 public:
  explicit Table(std::vector<std::string> header);
  void add(std::vector<std::string> row);
  [[nodiscard]] bool empty() const { return m_rows.empty(); }
  void print(std::ostream& out, bool color) const;

 private:
  std::vector<std::string> m_header;
  std::vector<std::vector<std::string>> m_rows;
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

// Prints a case's findings and next steps as paragraphs (suggest and show).
void print_findings(std::ostream& out, std::span<const Finding> findings, bool color);
void print_next(std::ostream& out, const Evaluation& ev);

}  // namespace casewatch::cli
