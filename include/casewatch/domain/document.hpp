// SPDX-License-Identifier: MIT
// What a person holds (docs/rules.md, "Document windows"): a green card, a work permit, an
// advance parole, a DACA approval, a visa or an I-94, and the trips abroad that count for
// naturalization. A case asks USCIS for something; a document is what the person has now.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/domain/case.hpp"
#include "casewatch/domain/dates.hpp"
#include "casewatch/util/expected.hpp"

namespace casewatch {

using DocumentId = std::int64_t;
using TripId = std::int64_t;

enum class DocumentKind {
  green_card,
  conditional_green_card,
  ead,
  advance_parole,
  daca,
  visa,
  i94,
};

// The command-line and JSON spelling: "green-card", "conditional-green-card", "ead".
std::string_view to_string(DocumentKind k);
// Parses a kind as spelled by to_string (any case, '_' for '-'); fails listing all kinds.
Expected<DocumentKind> parse_document_kind(std::string_view text);
// All kinds, in one fixed order, for help text and completion.
std::span<const DocumentKind> all_document_kinds();
// A one-line description for help text ("10-year green card (Form I-551)").
std::string_view describe(DocumentKind k);

// A document a person holds. `since` is the date printed on it ("Resident Since", "Valid
// From"); `expires` its last valid day; `category` the EAD category in one spelling ("C09",
// "A05", "C03B"); `holder` the label naming the person (cases carry the same labels);
// `renewed_by` the case that renews it. `recorded` is the day it was added: a finding
// before a window opens starts then when the document has no `since`.
struct Document {
  DocumentId id = 0;
  DocumentKind kind = DocumentKind::green_card;
  std::optional<Date> since;
  std::optional<Date> expires;
  std::optional<std::string> category;
  std::optional<std::string> holder;
  std::optional<CaseId> renewed_by;
  std::optional<std::string> note;
  Date recorded{};
};

// "d2": how a document is named in output and typed on the command line.
std::string document_name(DocumentId id);
// "d2" or "D2" -> 2; empty for anything else.
std::optional<DocumentId> parse_document_name(std::string_view text);

// The forms whose case renews or replaces a document of kind `k`: I-751 and I-829 for a
// conditional card, I-90 for a green card, I-765 for an EAD, I-821D for DACA, I-131 for an
// advance parole; none for a visa or an I-94.
std::span<const std::string_view> renewing_forms(DocumentKind k);

// The EAD categories of 8 CFR 274a.12(a) and (c), in the one spelling casewatch keeps
// ("A05", "C09", "C03B"), for "did you mean" and completion.
std::span<const std::string_view> ead_categories();
// An EAD category as printed on the card or typed: "(c)(9)", "c09", "C9", "c-9",
// "(c)(3)(B)" -> "C09", "C03B". Empty when the text is not of that shape; the caller checks
// the result against ead_categories().
std::optional<std::string> ead_category_key(std::string_view text);
// "(c)(9)" for "C09": as the card prints it.
std::string ead_category_printed(std::string_view key);

// A trip abroad of a holder: left on `left`, back on `returned` (empty while abroad).
struct Trip {
  TripId id = 0;
  std::string holder;
  Date left{};
  std::optional<Date> returned;
};

// "more than 6 months": returned > left + 6 months (docs/rules.md `n400-early`).
bool longer_than_six_months(Date left, Date returned);
// "1 year or more": returned >= left + 1 year.
bool one_year_or_more(Date left, Date returned);

}  // namespace casewatch
