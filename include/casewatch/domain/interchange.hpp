// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "casewatch/domain/case.hpp"
#include "casewatch/util/expected.hpp"

namespace casewatch {

// A case as exchanged with other tools: its stored fields and its timeline. `office` and
// `status` are the stored ones (what the user gave), not those the rules work out.
struct CaseRecordIO {
  Case c;
  std::vector<Event> events;
  std::size_t line = 0;  // where it starts in the file read (1-based; 0 when written)
  std::string origin;    // "line 3" (CSV) or "case 3" (JSON), for messages
};

// The CSV header of SPEC.md: the case fields, one row per case.
inline constexpr std::string_view k_case_csv_header =
    "receipt,form,category,office,received,sent,priority_date,premium_start,label,note,status,"
    "preference,chargeability,path";

// `{"format": "casewatch-export", "version": 1, "cases": [case + "events"]}`, 2-space indented,
// ending in a newline.
std::string export_json(const std::vector<CaseRecordIO>& cases);

// One header row and one row per case (no events), CRLF-free, fields quoted when needed.
std::string export_csv(const std::vector<CaseRecordIO>& cases);

// Reads an export back, or a CSV with the header's columns in any order (form and, without
// a receipt, sent are required; the others may be missing). Every case and event is built
// by check_case and check_event (validate.hpp), as on the command line; a receipt appearing
// twice is refused. The first error fails the whole file, naming the line (CSV),
// or the case's position and receipt (JSON), and the field. Case ids are not read: the
// database gives new ones. `warnings`, when given, receives what USCIS does not list (a form,
// office, category or receipt prefix), worded for the user, in file order: the caller
// prints them.
Expected<std::vector<CaseRecordIO>> import_cases_json(std::string_view text, Date today,
                                                      std::vector<std::string>* warnings = nullptr);
Expected<std::vector<CaseRecordIO>> import_cases_csv(std::string_view text, Date today,
                                                     std::vector<std::string>* warnings = nullptr);

// JSON when the first non-blank character is '{', else CSV.
Expected<std::vector<CaseRecordIO>> import_cases(std::string_view text, Date today,
                                                 std::vector<std::string>* warnings = nullptr);

}  // namespace casewatch
