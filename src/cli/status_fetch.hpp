// SPDX-License-Identifier: MIT
// Internal to the cli layer: `status fetch` and `check --fetch`: each case's status from the
// USCIS Case Status API with the office's own credentials, imported exactly as `status
// import` imports a file (status_import.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "casewatch/cli/context.hpp"
#include "status_import.hpp"

namespace casewatch::cli {

// A receipt the API answered without a status.
struct StatusMiss {
  std::string receipt;
  std::string message;  // the server's message
};

// What one fetch did.
struct StatusFetchReport {
  std::string host;                      // the API's host, from the configuration
  std::size_t found = 0;                 // receipts the API gave a status for
  std::vector<StatusOutcome> outcomes;   // the statuses imported, in the order asked
  std::vector<StatusMiss> not_found;     // 404: USCIS knows no such case
  std::vector<StatusMiss> refused;       // another 4xx, or an answer casewatch cannot read
  std::vector<std::string> not_fetched;  // the one the run stopped at, and those after it
  std::optional<std::string> stopped;    // why the run stopped (a NetError), if it did
  int requests = 0;                      // HTTP requests made, token requests included
};

// The cases `args` name (receipts or ids, every one checked first: UsageError), or, without
// any, every case with a receipt number that is not closed or withdrawn (pending, and decided
// ones: a card is mailed after the approval), by id.
std::vector<Case> cases_to_fetch(Context& ctx, const std::vector<std::string>& args);

// Reads the credentials (net::Refused, exit 2, naming the file), refuses when offline
// (before any request), asks the API for each case's status, then imports every status
// found in one write transaction. A 404 or another 4xx is a warning for that receipt; a
// NetError stops the asking, and the statuses found before it are still imported (the
// report says so). The daily budget is spent in transactions of its own.
StatusFetchReport fetch_statuses(Context& ctx, const std::vector<Case>& cases);

// `status fetch [CASE...]`: 0 done (warnings for receipts without a status), 1 when the run
// stopped, 2 bad input, credentials or --offline.
int run_status_fetch(Context& ctx, const std::vector<std::string>& args);

// check --fetch: fetches every open case's status (cases_to_fetch); any failure is a warning and
// the check goes on with the timelines as they are.
void fetch_statuses_for_check(Context& ctx);

}  // namespace casewatch::cli
