// SPDX-License-Identifier: MIT
// HTML for the report (docs/cli.md `report`): the one escaping function every text written
// into a page goes through, and a case's timeline as inline SVG. Internal to the cli layer.
#pragma once

#include <string>
#include <string_view>

#include "casewatch/domain/timeline.hpp"

namespace casewatch::cli::html {

// `s` as text of an HTML element or the value of a quoted attribute: & < > " ' as
// character references, control characters (but line breaks and tabs) as spaces, bytes that
// are not UTF-8 as casewatch escapes them elsewhere. A label or USCIS's words are never markup.
std::string escape(std::string_view s);

// `s` escaped, each https:// or http:// address in it a link to itself (the address
// escaped too; a closing . , ; : or ) left outside the link).
std::string linked(std::string_view s);

// The timeline `t` as an <svg> element that scales to the page's width: a row a thing (its
// date and words, then its mark or bar), the years on top and today's line through every row.
// Its words go through escape().
std::string svg_timeline(const Timeline& t);

}  // namespace casewatch::cli::html
