// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json.hpp>

#include <span>

#include "casewatch/domain/case.hpp"
#include "casewatch/domain/processing_time.hpp"
#include "casewatch/domain/rules.hpp"

namespace casewatch::cli {

// The JSON shapes of SPEC.md ("JSON"), documented in docs/json.md. Field names are a
// contract: add fields, never rename them. Dates are "YYYY-MM-DD"; missing values null.

// A case: id, receipt, form, category, office (the office the rules use on `ev.as_of`),
// office_source, received, sent, priority_date, premium_start, label, note, status (on
// `ev.as_of`), days_pending.
nlohmann::ordered_json case_json(const Case& c, const Evaluation& ev);
nlohmann::ordered_json event_json(const Event& e);
nlohmann::ordered_json finding_json(const Finding& f);
nlohmann::ordered_json next_json(const NextStep& n);
// A processing-time row: form, category, office, value, unit, published,
// published_inquiry_date, source.
nlohmann::ordered_json time_json(const ProcessingTime& row);
nlohmann::ordered_json findings_json(std::span<const Finding> findings);
nlohmann::ordered_json next_steps_json(std::span<const NextStep> next);

}  // namespace casewatch::cli
