// SPDX-License-Identifier: MIT
// The CSV case import. Invariant: whatever imports, exported and imported again gives the
// same records (as CSV, and through the JSON export too).
#include <cstddef>
#include <cstdint>

#include "casewatch/domain/interchange.hpp"
#include "fuzz_check.hpp"

namespace {

// Ids come from the database, not the file: clear them to compare records.
std::vector<casewatch::CaseRecordIO> without_ids(std::vector<casewatch::CaseRecordIO> cases) {
  for (auto& r : cases) {
    r.c.id = 0;
  }
  return cases;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace casewatch;
  const Date today = make_date(2026, 11, 28);
  auto first = import_cases_csv(fuzz::as_text(data, size), today);
  if (!first) {
    FUZZ_CHECK(!first.error().empty());
    return 0;
  }
  std::string csv = export_csv(without_ids(*first));
  auto again = import_cases_csv(csv, today);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->size() == first->size());
  FUZZ_CHECK(export_csv(without_ids(*again)) == csv);

  std::string json = export_json(without_ids(*first));
  auto from_json = import_cases_json(json, today);
  FUZZ_CHECK(from_json.has_value());
  FUZZ_CHECK(export_csv(without_ids(*from_json)) == csv);
  return 0;
}
