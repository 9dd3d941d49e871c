// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "casewatch/util/expected.hpp"

namespace casewatch {

// Normalizes a USCIS receipt number: drops spaces and dashes, upper-cases letters, and
// accepts exactly 3 letters + 10 digits ("ioe-091-234-5678" -> "IOE0912345678").
// Fails, naming the value, on any other shape. An unknown prefix is not an error: see
// is_known_receipt_prefix. Source: uscis.gov "Checking your case status online".
Expected<std::string> normalize_receipt(std::string_view text);

// True for the prefixes USCIS uses on receipt notices: EAC, WAC, LIN, SRC, YSC, MSC, NBC,
// IOE. `receipt` must already be normalized.
bool is_known_receipt_prefix(std::string_view receipt);

// The office code of the processing-time table that a receipt prefix implies (docs/rules.md,
// "The processing time of a case"): EAC->ESC, WAC->CSC, LIN->NSC, SRC->SSC, YSC->YSC,
// MSC/NBC->NBC. IOE (electronic filing) and unknown prefixes imply no office.
std::optional<std::string> office_from_receipt(std::string_view receipt);

// Normalizes a form number: "i485", "I485", "i-485", "I 485" -> "I-485"; "i129f" ->
// "I-129F"; "n600k" -> "N-600K"; "g-28" -> "G-28". The shape is 1-4 letters, a dash,
// 1-4 digits and up to 2 letters. Whether USCIS publishes times for it is another matter
// (Catalog::has_form); an unknown form is allowed with a warning.
Expected<std::string> normalize_form(std::string_view text);

// Normalizes an office code: exactly 3 letters, upper-cased ("qns" -> "QNS").
Expected<std::string> normalize_office(std::string_view text);

// Normalizes a form category (USCIS form subtype key such as "131A-FAM", "147-C9"):
// upper-cased, 1-20 letters, digits, dashes and underscores ("821SV_I").
Expected<std::string> normalize_category(std::string_view text);

}  // namespace casewatch
