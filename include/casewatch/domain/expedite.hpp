// SPDX-License-Identifier: MIT
// An expedite request as a person can print and follow it (docs/rules.md, "Expedite
// requests"): the criteria of each basis, the evidence logged, and what is missing. The rule
// `expedite-basis` and `suggest` read it from here.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "casewatch/domain/case.hpp"

namespace casewatch {

struct ExpediteChecklist {
  Event request;                      // the latest expedite on or before as_of
  std::optional<Event> outcome;       // expedite-approved, -denied or -withdrawn after it
  std::vector<std::string> criteria;  // one line per basis given
  std::vector<std::string> evidence;  // "2026-04-07: letter from the employer"
  std::vector<std::string> missing;   // what the request still lacks
  std::vector<std::string> flags;     // premium processing, an open RFE
};

// The latest expedite request of `c` among `events` dated on or before `as_of` (any order),
// with what it rests on; empty without one. `rfe_open`: an RFE or NOID waits for an answer.
std::optional<ExpediteChecklist> expedite_checklist(const Case& c, std::span<const Event> events,
                                                    Date as_of, bool rfe_open);

// A form or category USCIS sells premium processing for (Form I-907): I-129, I-140, I-539
// (F, M, J) and I-765 (c)(3) (docs/rules.md `expedite-basis`).
bool premium_eligible(const Case& c);

}  // namespace casewatch
