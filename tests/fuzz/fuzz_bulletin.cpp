// SPDX-License-Identifier: MIT
// The Visa Bulletin dataset's CSV, JSON and uscis_chart.json, and the rule priority-date over
// what they give. The first byte chooses the parser; the rest is the file.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "casewatch/domain/bulletin.hpp"
#include "casewatch/domain/priority_date.hpp"
#include "fuzz_check.hpp"

namespace {

using namespace casewatch;

void check_rows(const std::vector<BulletinRow>& rows, const std::vector<ChartChoice>& choices) {
  for (const BulletinRow& r : rows) {
    auto cats = bulletin_categories();
    auto cols = bulletin_columns();
    FUZZ_CHECK(std::find(cats.begin(), cats.end(), r.category) != cats.end());
    FUZZ_CHECK(std::find(cols.begin(), cols.end(), r.column) != cols.end());
    FUZZ_CHECK((r.cell.status == Cell::Status::date) == r.cell.cutoff.has_value());
    FUZZ_CHECK(parse_month(format_month(r.month)).has_value());
  }
  BulletinTable table(rows, choices);
  const Date pd = make_date(2019, 3, 1);
  for (const BulletinRow& r : rows) {
    auto cell = table.cell(r.month, r.chart, r.category, r.column);
    FUZZ_CHECK(cell.has_value());
    ChartVerdict v = chart_verdict(table, r.month, r.chart, r.category, r.column, pd);
    FUZZ_CHECK(v.cell.has_value() && v.current == is_current(pd, *v.cell));
    FUZZ_CHECK(!v.days_behind || *v.days_behind >= 0);
    FUZZ_CHECK(v.current == v.current_since.has_value());
    FUZZ_CHECK(!v.current_since || *v.current_since <= r.month);
    for (std::string_view path : {"adjustment", "consular"}) {
      Case c;
      c.id = 1;
      c.form = path == "adjustment" ? "I-485" : "I-130";
      c.received = make_date(2019, 3, 4);
      c.priority_date = pd;
      c.preference = r.category;
      c.chargeability = std::string(r.column);
      std::vector<Finding> out;
      rule_priority_date(c, Status::pending, table, first_day(r.month), true, out);
      FUZZ_CHECK(!out.empty());
      for (const Finding& f : out) {
        FUZZ_CHECK(f.rule == "priority-date" && !f.stage.empty() && !f.title.empty());
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  std::string_view text = fuzz::as_text(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      auto p = parse_bulletin_csv(text, "import:fuzz.csv");
      FUZZ_CHECK(p || !p.error().empty());
      if (p) {
        check_rows(p->rows, {});
      }
      break;
    }
    case 1: {
      auto p = parse_bulletin_json(text, "import:fuzz.json");
      FUZZ_CHECK(p || !p.error().empty());
      if (p) {
        check_rows(p->rows, {});
      }
      break;
    }
    default: {
      auto p = parse_chart_choices_json(text, "import:uscis_chart.json");
      FUZZ_CHECK(p || !p.error().empty());
      if (p) {
        BulletinTable table({}, *p);
        for (const ChartChoice& c : *p) {
          FUZZ_CHECK(table.choice(c.month) != nullptr);
        }
      }
      break;
    }
  }
  return 0;
}
