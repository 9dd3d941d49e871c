// SPDX-License-Identifier: MIT
// A case's timeline drawn in the terminal (docs/cli.md `show --timeline`). Internal to the
// cli layer.
#pragma once

#include <iosfwd>
#include <string_view>

#include "casewatch/domain/case.hpp"
#include "casewatch/domain/timeline.hpp"

namespace casewatch::cli {

// The characters a drawing uses: UTF-8 block characters, or plain ASCII.
enum class Charset { utf8, ascii };

// UTF-8 when the locale says so (the first of LC_ALL, LC_CTYPE, LANG that is set names
// UTF-8) and NO_COLOR is not set; ASCII otherwise.
Charset terminal_charset();
// The width the drawing fits: text_width() (COLUMNS, else the terminal's width, else 80),
// never more than 80 when standard output is not a terminal.
std::size_t timeline_width();

// Draws `t` of `c` in `width` columns (at least 40): a line a row (the date, what it is,
// then its mark or bar on a scale of the whole range), with the years above and today's
// column down every row.
void print_timeline(std::ostream& out, const Case& c, const Timeline& t, std::size_t width,
                    Charset charset);

}  // namespace casewatch::cli
