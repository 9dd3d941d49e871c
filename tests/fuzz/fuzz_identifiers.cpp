// SPDX-License-Identifier: MIT
// Receipt, form, office and category normalization. Invariant: a normalized value is
// accepted again and normalizes to itself.
#include <cstddef>
#include <cstdint>

#include "casewatch/domain/identifiers.hpp"
#include "fuzz_check.hpp"

namespace {

template <typename Normalize>
void check_idempotent(Normalize normalize, std::string_view text) {
  auto once = normalize(text);
  if (!once) {
    FUZZ_CHECK(!once.error().empty());
    return;
  }
  auto twice = normalize(*once);
  FUZZ_CHECK(twice.has_value());
  FUZZ_CHECK(*twice == *once);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace casewatch;
  std::string_view text = fuzz::as_text(data, size);
  check_idempotent(normalize_receipt, text);
  check_idempotent(normalize_form, text);
  check_idempotent(normalize_office, text);
  check_idempotent(normalize_category, text);
  if (auto r = normalize_receipt(text)) {
    FUZZ_CHECK(r->size() == 13);
    (void)is_known_receipt_prefix(*r);
    if (auto office = office_from_receipt(*r)) {
      FUZZ_CHECK(office->size() == 3);
    }
  }
  return 0;
}
