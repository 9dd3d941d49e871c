// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/util/expected.hpp"

namespace casewatch::csv {

// One record of a CSV text, with the line it starts on (1-based) for error messages.
struct Record {
  std::size_t line = 0;
  std::vector<std::string> fields;
};

// Parses RFC 4180 CSV: fields separated by commas, optionally quoted with '"'; a quoted
// field may hold commas, doubled quotes and line breaks. Accepts LF and CRLF line ends, a
// UTF-8 byte-order mark and a missing final line end; blank lines are skipped. Fails, naming
// the line, on a quote that is never closed or text after a closing quote.
Expected<std::vector<Record>> parse(std::string_view text);

// Quotes `field` for CSV output when it holds a comma, quote, CR or LF.
std::string quote(std::string_view field);

}  // namespace casewatch::csv
