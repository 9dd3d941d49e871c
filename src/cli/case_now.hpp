// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

#include "casewatch/cli/context.hpp"

namespace casewatch::cli {

// Inside a write transaction: case `found` (resolved from `arg` before the transaction
// began) as it is now, under the write lock, so that what a command reads, checks and
// writes is one state of the case. Throws UsageError (exit 2) when another casewatch
// removed the case meanwhile.
Case case_now(Context& ctx, const Case& found, std::string_view arg);

// What opening the store repaired in this run ("" when nothing): the journal's append-only
// triggers, dropped outside casewatch, recreated. Said as a warning when it happens; log
// --verify says it again.
const std::string& store_repaired();

}  // namespace casewatch::cli
