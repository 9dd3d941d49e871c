// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <vector>

#include "casewatch/domain/bulletin.hpp"
#include "casewatch/domain/case.hpp"
#include "casewatch/domain/finding.hpp"
#include "casewatch/domain/status.hpp"

namespace casewatch {

// The rule `priority-date` (docs/rules.md): for a case with a preference (and, outside IR,
// a priority date) whose status on `as_of` is `status` (pending; others get nothing), what
// the Visa Bulletin of as_of's month says. Appends its findings to `out`; their words are
// left empty when `words` is false. Pure: the bulletin comes in as a table.
// Returns the first day of the first later month whose stored rows may give other findings
// (a month not stored, a cutoff or USCIS's chart that changes), when what it appended rests
// on the bulletin; else empty. evaluate() runs the same rule on its shared facts.
std::optional<Date> rule_priority_date(const Case& c, Status status, const BulletinTable& bulletin,
                                       Date as_of, bool words, std::vector<Finding>& out);

}  // namespace casewatch
