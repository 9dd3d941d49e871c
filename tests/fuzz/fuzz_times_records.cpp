// SPDX-License-Identifier: MIT
// The record parser used for the SQLite dataset's `processing_time` table, whose values come
// already split: here one record per line, fields separated by tabs, the first the header.
// Unlike CSV, a field may hold any byte but tab and newline (commas, quotes, CR, NUL).
#include <cstddef>
#include <cstdint>

#include "times_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace casewatch;
  std::string_view text = fuzz::as_text(data, size);
  std::vector<csv::Record> records;
  std::size_t line = 1;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view row = text.substr(0, end);
    csv::Record rec;
    rec.line = line++;
    std::size_t start = 0;
    while (true) {
      std::size_t tab = row.find('\t', start);
      rec.fields.emplace_back(row.substr(start, tab - start));
      if (tab == std::string_view::npos) {
        break;
      }
      start = tab + 1;
    }
    records.push_back(std::move(rec));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  fuzz::check_times(parse_processing_time_records(records, "sqlite:fuzz.db"));
  return 0;
}
