// SPDX-License-Identifier: MIT
// USCIS's status words: every shape (API JSON, myUSCIS JSON, the Case Status page's JSON
// and HTML, copied text). Invariants:
// an error has a message; every snapshot has a fingerprint, a receipt of 13 characters
// when it came from JSON, at most k_max_observations observations, a due date only after a
// date on the same paragraph's observation, and titles that normalize to themselves; and
// all of it within a time limit linear in the input's size (fuzz::TimeLimit).
#include <cstddef>
#include <cstdint>

#include "casewatch/domain/status.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace casewatch;
  auto text = fuzz::as_text(data, size);
  const fuzz::TimeLimit limit(size);
  auto parsed = status::parse_document(text);
  if (!parsed) {
    FUZZ_CHECK(!parsed.error().empty());
  } else {
    FUZZ_CHECK(parsed->size() <= status::k_max_snapshots);
    for (const status::Snapshot& s : *parsed) {
      FUZZ_CHECK(s.fingerprint.size() == 16);
      // Copied text and myUSCIS's status page may name no receipt (status add names the
      // case).
      bool may_lack = s.source == status::Source::text ||
                      (s.source == status::Source::myuscis && s.page == "status");
      FUZZ_CHECK(may_lack ? s.receipt.empty() || s.receipt.size() == 13 : s.receipt.size() == 13);
      FUZZ_CHECK(s.observations.size() <= status::k_max_observations);
      for (const status::Observation& o : s.observations) {
        std::string n = status::normalize_title(o.title);
        FUZZ_CHECK(status::normalize_title(n) == n);
      }
    }
  }
  // The pieces on their own.
  auto dates = status::paragraph_dates(text);
  (void)dates;
  (void)status::find_title(text);
  (void)status::decode_entities(text);
  FUZZ_CHECK(limit.within_time_limit());
  return 0;
}
