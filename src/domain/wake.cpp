// SPDX-License-Identifier: MIT
#include "casewatch/domain/wake.hpp"

#include <fmt/format.h>

#include "casewatch/domain/dates.hpp"
#include "casewatch/util/sha256.hpp"

namespace casewatch {

std::string wake_basis(const ProcessingTimeTable& table, const BulletinTable& bulletin) {
  // Fields are separated by a unit separator and rows by a record separator, which no
  // stored value contains (text values are checked for control characters).
  std::string times;
  for (const ProcessingTime& r : table.rows()) {
    times += fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1e", r.form, r.category,
                         r.office, r.time.halves, to_string(r.time.unit), format_date(r.published),
                         r.inquiry_date ? format_date(*r.inquiry_date) : "", r.source);
  }
  std::string cells;
  for (const BulletinRow& r : bulletin.rows()) {
    cells += fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1e", format_month(r.month),
                         static_cast<int>(r.chart), r.category, r.column, format_cell(r.cell));
  }
  for (const ChartChoice& c : bulletin.choices()) {
    cells += fmt::format("{}\x1f{}\x1f{}\x1e", format_month(c.month), static_cast<int>(c.family),
                         static_cast<int>(c.employment));
  }
  return fmt::format("rules {} times {} bulletin {}", k_rules_version, sha256::hex(times),
                     sha256::hex(cells));
}

}  // namespace casewatch
