// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace casewatch::text {

// `s` as UTF-8, for a stored value (perhaps written outside casewatch) on its way into a
// format that carries only UTF-8 (JSON, CSV, iCalendar): each byte that is not part of a
// well-formed UTF-8 sequence is written as the four characters \xNN, as printable()
// (text.hpp) shows it; everything else is unchanged. Valid text comes back as it is. The one
// place every output path escapes such bytes.
std::string utf8_or_escaped(std::string_view s);

}  // namespace casewatch::text
