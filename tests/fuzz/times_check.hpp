// SPDX-License-Identifier: MIT
#pragma once

#include "casewatch/domain/processing_time.hpp"
#include "casewatch/util/text.hpp"
#include "fuzz_check.hpp"

namespace casewatch::fuzz {

// What every parsed processing-time row must satisfy, and a table built from the rows must
// answer for each of them.
inline void check_times(const Expected<ParsedTimes>& parsed) {
  if (!parsed) {
    FUZZ_CHECK(!parsed.error().empty());
    return;
  }
  const Date received = make_date(2024, 1, 16);
  for (const ProcessingTime& r : parsed->rows) {
    FUZZ_CHECK(r.time.halves > 0 && r.time.halves <= 2 * k_max_posted_value);
    FUZZ_CHECK(!r.form.empty() && !r.category.empty() && !r.office.empty());
    FUZZ_CHECK(text::is_valid_utf8(r.form) && text::is_valid_utf8(r.category) &&
               text::is_valid_utf8(r.office));
    FUZZ_CHECK(add_posted_time(received, r.time) > received);
    FUZZ_CHECK(!describe(r.time).empty());
  }
  ProcessingTimeTable table(parsed->rows);
  for (const ProcessingTime& r : parsed->rows) {
    Choice c = table.choose(r.form, r.category, r.office, received);
    FUZZ_CHECK(c.outcome == ChoiceOutcome::found && c.row != nullptr);
    FUZZ_CHECK(c.row->form == r.form);
  }
}

}  // namespace casewatch::fuzz
