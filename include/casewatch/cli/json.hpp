// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json.hpp>

#include <span>

#include "casewatch/cli/json_writer.hpp"
#include "casewatch/domain/case.hpp"
#include "casewatch/domain/processing_time.hpp"
#include "casewatch/domain/rules.hpp"

namespace casewatch::cli {

// The JSON shapes documented in docs/json.md. Field names are a
// contract: add fields, never rename them. Dates are "YYYY-MM-DD"; missing values null.
// Each shape is written in one place, by the write_* functions; the *_json functions give
// the same shape as a document, for the commands that print little.

// A case's fields (no braces): id, receipt, form, category, office (the office the rules
// use on `ev.as_of`), office_source, received, sent, priority_date, premium_start, label,
// note, status (on `ev.as_of`), days_pending. Callers may add fields before closing.
void write_case_fields(JsonWriter& w, const Case& c, const Evaluation& ev);
void write_event(JsonWriter& w, const Event& e);
// A finding with the label and form of its case `c`, so a hook can say whose case it is.
void write_finding(JsonWriter& w, const Finding& f, const Case& c);
void write_next(JsonWriter& w, const NextStep& n);
// form, category, office, value, unit, published, published_inquiry_date, source.
void write_time(JsonWriter& w, const ProcessingTime& row);
void write_findings(JsonWriter& w, std::span<const Finding> findings, const Case& c);
// `"notices": [{"kind", "published", "days_old", "cases"}]` (empty array when none); `check`
// adds `"new"`, given as `is_new`.
void write_notices(JsonWriter& w, const std::optional<Notice>& notice,
                   std::optional<bool> is_new = std::nullopt);
void write_next_steps(JsonWriter& w, std::span<const NextStep> next);

// `{"as_of": D, "cases": [` ... `], "notices": [...]}`: the frame of list, overdue and
// suggest.
void begin_cases_document(JsonWriter& w, Date as_of);
void end_cases_document(JsonWriter& w, const std::optional<Notice>& notice);

nlohmann::ordered_json case_json(const Case& c, const Evaluation& ev);
nlohmann::ordered_json event_json(const Event& e);
nlohmann::ordered_json finding_json(const Finding& f, const Case& c);
nlohmann::ordered_json next_json(const NextStep& n);
nlohmann::ordered_json time_json(const ProcessingTime& row);
nlohmann::ordered_json findings_json(std::span<const Finding> findings, const Case& c);
nlohmann::ordered_json notices_json(const std::optional<Notice>& notice);
nlohmann::ordered_json next_steps_json(std::span<const NextStep> next);

}  // namespace casewatch::cli
