// SPDX-License-Identifier: MIT
// USCIS's processing-times CSV.
#include <cstddef>
#include <cstdint>

#include "times_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace casewatch;
  fuzz::check_times(parse_processing_times_csv(fuzz::as_text(data, size), "import:fuzz.csv"));
  return 0;
}
