// SPDX-License-Identifier: MIT
// Internal to the cli layer: the one way a USCIS status becomes events, shared by
// `status import`, `status add` and `status fetch` (so fetched and imported statuses are the
// same events).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "casewatch/cli/context.hpp"
#include "casewatch/domain/status.hpp"

namespace casewatch::cli {

// One snapshot with where it came from (a file, "the text", the Case Status API).
struct StatusInput {
  std::string origin;
  status::Snapshot snapshot;
};

// What importing one snapshot did.
struct StatusOutcome {
  std::string receipt;
  std::optional<CaseId> case_id;
  bool added = false;    // the case was created (--add)
  bool skipped = false;  // no such case and no --add
  std::vector<Event> events;
  std::optional<Date> silent_update;

  [[nodiscard]] bool changed() const { return added || !events.empty() || silent_update; }
};

// Checks every snapshot (a receipt not in the database is skipped with a warning, or added
// with `add_missing`; `named`: the case every snapshot is about), then writes their new
// events, silent updates and snapshot digests in ONE write transaction (one journal entry).
// Throws UsageError before anything is written.
std::vector<StatusOutcome> import_statuses(Context& ctx, const std::vector<StatusInput>& inputs,
                                           bool add_missing, const std::optional<Case>& named);

// The JSON of one outcome: {receipt, case_id, added, skipped, events, silent_update}.
nlohmann::ordered_json status_outcome_json(const StatusOutcome& o);

// The line `status import` prints for one outcome, with its newline:
// "IOE0912345678: 1 new event (Case Was Approved on 2026-11-12)."
std::string status_outcome_line(const StatusOutcome& o);

}  // namespace casewatch::cli
