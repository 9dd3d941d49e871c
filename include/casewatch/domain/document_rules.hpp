// SPDX-License-Identifier: MIT
// The rules of a document (docs/rules.md, "Document windows"): i751-window, n400-early,
// ead-renewal, daca-renewal, green-card-renewal, advance-parole. Pure: as_of is a parameter.
#pragma once

#include <span>
#include <string_view>

#include "casewatch/domain/case.hpp"
#include "casewatch/domain/document.hpp"
#include "casewatch/domain/rules.hpp"

namespace casewatch {

// A case of the document's holder (or the case its renewed_by names), with its events.
struct HolderCase {
  const Case* c = nullptr;
  std::span<const Event> events;
};

// What the rules say about document `d` on `as_of`, given the cases of its holder (a case
// renews the document when renewed_by names it, or when it is the holder's and of a renewing
// form received after the document's `since`) and the holder's trips. The findings carry
// document_id = d.id and case_id 0; `next` holds the calendar dates of its windows still to
// come (every opening and last day); `wake` is as in Evaluation. status, office, choice and
// inquiry_date are not used. Cases of another holder and trips of another holder are
// ignored.
Evaluation evaluate_document(const Document& d, std::span<const HolderCase> cases,
                             std::span<const Trip> trips, Date as_of, Detail detail = Detail::full);

// The ids of the document rules, each with its section in docs/rules.md (also in
// rule_ids()).
std::span<const std::string_view> document_rule_ids();

}  // namespace casewatch
