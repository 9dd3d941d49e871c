// SPDX-License-Identifier: MIT
#include "casewatch/cli/output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "casewatch/util/text.hpp"

namespace casewatch::cli {
namespace {

constexpr std::size_t k_text_width = 88;

std::size_t display_width(std::string_view s) {
  // Counts code points: continuation bytes of UTF-8 are not counted.
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

Table::Table(std::vector<std::string> header) : m_header(std::move(header)) {}

void Table::add(std::vector<std::string> row, std::string_view style) {
  for (std::string& cell : row) {
    cell = text::printable(cell);  // a label may not move the cursor or recolor the terminal
  }
  m_rows.push_back(std::move(row));
  m_styles.emplace_back(style);
}

void Table::print(std::ostream& out, bool color) const {
  std::vector<std::size_t> widths(m_header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  };
  measure(m_header);
  for (const auto& r : m_rows) {
    measure(r);
  }
  auto line = [&](const std::vector<std::string>& row, bool header, std::string_view style) {
    std::string s;
    for (std::size_t i = 0; i < row.size(); ++i) {
      bool last = i + 1 == row.size();
      std::string cell = row[i];
      if (!last) {
        cell.append(widths[i] - display_width(row[i]), ' ');
        cell += "  ";
      }
      s += cell;
    }
    while (!s.empty() && s.back() == ' ') {
      s.pop_back();
    }
    if (header) {
      out << bold(s, color) << '\n';
    } else if (color && !style.empty()) {
      out << "\033[" << style << 'm' << s << "\033[0m\n";
    } else {
      out << s << '\n';
    }
  };
  line(m_header, true, {});
  for (std::size_t i = 0; i < m_rows.size(); ++i) {
    line(m_rows[i], false, m_styles[i]);
  }
}

std::string wrap(std::string_view text, std::size_t width, std::string_view indent) {
  std::string out;
  std::string line(indent);
  std::size_t line_width = display_width(indent);
  bool line_has_word = false;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') {
      ++i;
    }
    std::size_t j = text.find(' ', i);
    if (j == std::string_view::npos) {
      j = text.size();
    }
    if (i >= j) {
      break;
    }
    std::string_view word = text.substr(i, j - i);
    std::size_t w = display_width(word);
    if (line_has_word && line_width + 1 + w > width) {
      out += line + '\n';
      line = std::string(indent);
      line_width = display_width(indent);
      line_has_word = false;
    }
    if (line_has_word) {
      line += ' ';
      ++line_width;
    }
    line += word;
    line_width += w;
    line_has_word = true;
    i = j;
  }
  if (line_has_word) {
    out += line + '\n';
  }
  return out;
}

std::string bold(std::string_view s, bool on) {
  std::string shown = text::printable(s);
  return on ? fmt::format("\033[1m{}\033[0m", shown) : shown;
}

std::string severity_tag(Severity s, bool on) {
  std::string tag = fmt::format("[{}]", to_string(s));
  if (!on) {
    return tag;
  }
  std::string_view code = s == Severity::urgent ? "1;31" : s == Severity::action ? "1;33" : "36";
  return fmt::format("\033[{}m{}\033[0m", code, tag);
}

std::string or_dash(const std::optional<std::string>& s) {
  return s && !s->empty() ? *s : std::string("-");
}

std::string or_dash(const std::optional<Date>& d) {
  return d ? format_date(*d) : "-";
}

std::string describe_row(const ProcessingTime& row) {
  std::string what = row.form;
  if (!row.category.empty()) {
    what += " (" + row.category + ")";
  }
  return fmt::format("{} at {}: {}, published {} ({})", what,
                     row.office.empty() ? "any office" : row.office, describe(row.time),
                     format_date(row.published), row.source);
}

void print_notice(std::ostream& out, const std::optional<Notice>& notice) {
  if (notice) {
    out << wrap("Note: " + notice_text(*notice), k_text_width, "");
  }
}

void print_closing(std::ostream& out, const std::optional<Notice>& notice) {
  if (notice) {
    print_notice(out, notice);
    out << '\n';
  }
  out << k_disclaimer << '\n';
}

void print_findings(std::ostream& out, std::span<const Finding> findings, bool color) {
  for (const Finding& f : findings) {
    out << "  " << severity_tag(f.severity, color) << ' ' << bold(f.title, color) << '\n';
    out << "    since " << format_date(f.since);
    if (f.due) {
      out << ", due " << format_date(*f.due);
    }
    out << " (" << f.rule << ")\n";
    out << wrap("Why: " + text::printable(f.reason), k_text_width, "    ");
    out << wrap("How: " + text::printable(f.how), k_text_width, "    ");
    out << wrap("Source: " + f.source, k_text_width, "    ");
  }
}

void print_next(std::ostream& out, const Evaluation& ev) {
  for (const NextStep& n : ev.next) {
    std::string line = fmt::format("{}  {}", n.on ? format_date(*n.on) : "(no date)", n.title);
    if (n.condition) {
      line += ", " + *n.condition;
    }
    out << wrap(line, k_text_width, "    ");
  }
}

}  // namespace casewatch::cli
