// SPDX-License-Identifier: MIT
// USCIS's processing-times JSON.
#include <cstddef>
#include <cstdint>

#include "times_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace casewatch;
  fuzz::check_times(parse_processing_times_json(fuzz::as_text(data, size), "import:fuzz.json"));
  return 0;
}
