// SPDX-License-Identifier: MIT
#include "timeline_text.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ostream>
#include <string>
#include <vector>

#include "casewatch/cli/output.hpp"
#include "casewatch/util/text.hpp"

namespace casewatch::cli {
namespace {

// The characters of each part of the drawing.
struct Glyphs {
  std::string_view point;     // an event, the received date
  std::string_view inquiry;   // the inquiry date
  std::string_view next;      // the next step
  std::string_view today;     // today's mark on its own row
  std::string_view guide;     // today's column on the other rows
  std::string_view band;      // the posted processing time
  std::string_view window;    // a window (Ombudsman, response period, 1447(b))
  std::string_view rule;      // the axis
  std::string_view tick;      // a year's first day on the axis
  std::string_view ellipsis;  // the end of a label cut short
  std::string_view arrow;     // between the ends of a span
};

constexpr Glyphs k_utf8{"●", "◆", "▶", "┃", "┊", "█", "▒", "─", "┼", "…", "→"};
constexpr Glyphs k_ascii{"o", "*", ">", "|", ":", "#", "=", "-", "+", "...", "->"};

// The columns before the chart: "2025-10-15  " and the words of the row.
constexpr std::size_t k_date_columns = 12;
constexpr std::size_t k_words_columns = 23;
constexpr std::size_t k_head_columns = k_date_columns + k_words_columns + 1;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

std::string_view mark_of(const TimelineItem& i, const Glyphs& g) {
  switch (i.kind) {
    case TimelineKind::inquiry:
      return g.inquiry;
    case TimelineKind::next:
      return g.next;
    case TimelineKind::today:
      return g.today;
    case TimelineKind::processing:
      return g.band;
    case TimelineKind::ombudsman:
    case TimelineKind::response:
    case TimelineKind::decision:
      return g.window;
    default:
      return g.point;
  }
}

// `s` in at most `columns` columns, cut with the charset's ellipsis.
std::string fit(std::string_view s, std::size_t columns, const Glyphs& g) {
  std::string p = text::printable(s);
  if (text::display_width(p) <= columns) {
    return p;
  }
  std::string cut = text::fit_width(p, columns);  // ends in "…"
  if (g.ellipsis == "…") {
    return cut;
  }
  cut = text::fit_width(p, columns > g.ellipsis.size() ? columns - g.ellipsis.size() + 1 : 1);
  cut.erase(cut.size() - std::string_view("…").size());
  return cut + std::string(g.ellipsis);
}

// A row of the chart: one cell a column, each a character (UTF-8 or ASCII).
struct Chart {
  std::vector<std::string> cells;
  explicit Chart(std::size_t n) : cells(n, " ") {}
  // Writes `s` (ASCII) from column `at`.
  void text(std::size_t at, std::string_view s) {
    for (std::size_t k = 0; k < s.size() && at + k < cells.size(); ++k) {
      cells[at + k] = std::string(1, s[k]);
    }
  }
  [[nodiscard]] std::string line() const {
    std::string s;
    for (const std::string& c : cells) {
      s += c;
    }
    while (!s.empty() && s.back() == ' ') {
      s.pop_back();
    }
    return s;
  }
};

}  // namespace

Charset terminal_charset() {
  if (!env("NO_COLOR").empty()) {
    return Charset::ascii;
  }
  std::string locale;
  for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    locale = env(name);
    if (!locale.empty()) {
      break;
    }
  }
  locale = text::ascii_lower(locale);
  return locale.find("utf-8") != std::string::npos || locale.find("utf8") != std::string::npos
             ? Charset::utf8
             : Charset::ascii;
}

std::size_t timeline_width() {
  constexpr std::size_t k_not_a_terminal = 80;
  std::size_t w = text_width();
  return ::isatty(STDOUT_FILENO) != 0 ? w : std::min(w, k_not_a_terminal);
}

void print_timeline(std::ostream& out, const Case& c, const Timeline& t, std::size_t width,
                    Charset charset) {
  const Glyphs& g = charset == Charset::utf8 ? k_utf8 : k_ascii;
  std::size_t columns = width > k_head_columns + 10 ? width - k_head_columns : 10;
  int days = days_between(t.from, t.to);
  auto col = [&](Date d) { return timeline_column(t, d, columns); };
  std::string title = display_name(c) + "  " + c.form + (c.label ? "  " + *c.label : "");
  out << fit(title, width, g) << '\n';
  out << fit(fmt::format("{} {} {}, {} days; a column is about {} days", format_date(t.from),
                         g.arrow, format_date(t.to), days,
                         std::max<std::size_t>(1, (static_cast<std::size_t>(days) + columns - 1) /
                                                      std::max<std::size_t>(columns - 1, 1))),
             width, g)
      << "\n\n";
  // The years above the axis: each at its first day's column, when it fits.
  Chart years(columns);
  Chart axis(columns);
  for (std::size_t k = 0; k < columns; ++k) {
    axis.cells[k] = std::string(g.rule);
  }
  auto ymd = date::year_month_day{t.from};
  std::size_t free_from = 0;
  auto label_year = [&](std::size_t at, int y) {
    std::string s = std::to_string(y);
    if (at >= free_from && at + s.size() <= columns) {
      years.text(at, s);
      free_from = at + s.size() + 1;
    }
  };
  // The first year at the first column, unless its next year's tick is too near to label.
  int first_year = static_cast<int>(ymd.year());
  if (make_date(first_year + 1, 1, 1) > t.to ||
      col(make_date(first_year + 1, 1, 1)) >= std::to_string(first_year).size() + 1) {
    label_year(0, first_year);
  }
  for (int y = static_cast<int>(ymd.year()) + 1; make_date(y, 1, 1) <= t.to; ++y) {
    std::size_t at = col(make_date(y, 1, 1));
    axis.cells[at] = std::string(g.tick);
    label_year(at, y);
  }
  std::string pad(k_head_columns, ' ');
  out << pad << years.line() << '\n';
  out << pad << axis.line() << '\n';
  std::size_t today = col(t.as_of);
  for (const TimelineItem& i : t.items) {
    Chart row(columns);
    if (i.kind != TimelineKind::today) {
      row.cells[today] = std::string(g.guide);
    }
    std::size_t from = col(i.from);
    if (i.to) {
      std::size_t to = col(*i.to);
      for (std::size_t k = from; k <= to; ++k) {
        row.cells[k] = std::string(mark_of(i, g));
      }
      // The last day after the bar, else before it, when there is room.
      std::string end = format_date(*i.to) + (i.assumed ? "?" : "");
      if (to + 2 + end.size() <= columns) {
        row.text(to + 2, end);
      } else if (from >= end.size() + 2) {
        row.text(from - end.size() - 1, end);
      }
    } else {
      row.cells[from] = std::string(mark_of(i, g));
    }
    std::string words = fit(i.label + (i.assumed && !i.to ? "?" : ""), k_words_columns, g);
    std::string head = format_date(i.from) + "  " + words;
    head += std::string(k_head_columns - text::display_width(head), ' ');
    std::string line = head + row.line();
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    out << line << '\n';
  }
  bool assumed =
      std::any_of(t.items.begin(), t.items.end(), [](const TimelineItem& i) { return i.assumed; });
  out << '\n'
      << fit(fmt::format("{} posted time  {} window  {} event  {} inquiry  {} today  {} next{}",
                         g.band, g.window, g.point, g.inquiry, g.today, g.next,
                         assumed ? "  ? assumed" : ""),
             width, g)
      << '\n';
}

}  // namespace casewatch::cli
