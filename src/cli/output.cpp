// SPDX-License-Identifier: MIT
#include "casewatch/cli/output.hpp"

#include <fmt/format.h>

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ostream>

#include "casewatch/util/text.hpp"

namespace casewatch::cli {
namespace {

using text::display_width;

// The width used when neither COLUMNS nor the terminal says, and the narrowest we wrap to.
constexpr std::size_t k_default_width = 80;
constexpr std::size_t k_narrowest = 40;
constexpr std::size_t k_widest = 1000;

// COLUMNS as a number of columns, when it is one.
std::optional<std::size_t> columns_variable() {
  const char* v = std::getenv("COLUMNS");
  if (v == nullptr || *v == '\0') {
    return std::nullopt;
  }
  char* end = nullptr;
  long n = std::strtol(v, &end, 10);
  if (*end != '\0' || n <= 0) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(std::clamp<long>(n, k_narrowest, k_widest));
}

std::optional<std::size_t> terminal_columns() {
  struct winsize ws {};
  if (::isatty(STDOUT_FILENO) != 0 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
      ws.ws_col > 0) {
    return std::clamp<std::size_t>(ws.ws_col, k_narrowest, k_widest);
  }
  return std::nullopt;
}

}  // namespace

std::size_t text_width() {
  static const std::size_t width = [] {
    if (auto n = columns_variable()) {
      return *n;
    }
    return terminal_columns().value_or(k_default_width);
  }();
  return width;
}

std::optional<std::size_t> table_width() {
  static const std::optional<std::size_t> width = [] {
    if (auto n = columns_variable()) {
      return std::optional<std::size_t>(n);
    }
    return terminal_columns();
  }();
  return width;
}

Table::Table(std::vector<std::string> header) : m_header(std::move(header)) {}

void Table::add(std::vector<std::string> row, std::string_view style) {
  for (std::string& cell : row) {
    cell = text::printable(cell);  // a label may not move the cursor or recolor the terminal
  }
  m_rows.push_back(std::move(row));
  m_styles.emplace_back(style);
}

void Table::limit(std::size_t column, std::size_t most, std::size_t least) {
  if (m_limits.size() <= column) {
    m_limits.resize(column + 1);
  }
  m_limits[column] = Limit{most, std::min(least, most)};
}

void Table::drop_order(std::vector<std::size_t> columns) {
  m_drop_order = std::move(columns);
}

Table::Widths Table::widths(std::optional<std::size_t> max_width) const {
  std::vector<std::size_t> widths(m_header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  };
  measure(m_header);
  for (std::size_t i = 0; i < m_measured.size() && i < widths.size(); ++i) {
    widths[i] = std::max(widths[i], m_measured[i]);
  }
  for (const auto& r : m_rows) {
    measure(r);
  }
  auto limit_of = [&](std::size_t i) {
    return i < m_limits.size() ? m_limits[i] : std::optional<Limit>();
  };
  for (std::size_t i = 0; i < widths.size(); ++i) {
    if (auto l = limit_of(i)) {
      widths[i] = std::max(std::min(widths[i], l->most), display_width(m_header[i]));
    }
  }
  std::vector<bool> shown(widths.size(), true);
  auto result = [&] {
    Widths out(widths.size());
    for (std::size_t i = 0; i < widths.size(); ++i) {
      if (shown[i]) {
        out[i] = widths[i];
      }
    }
    return out;
  };
  if (!max_width) {
    return result();
  }
  // The narrowest a column may be: a limited one its least (never narrower than its header),
  // any other its widest cell.
  auto floor = [&](std::size_t i) {
    auto l = limit_of(i);
    return l ? std::min(widths[i], std::max(l->least, display_width(m_header[i]))) : widths[i];
  };
  auto total = [&](auto width_of) {
    std::size_t sum = 0;
    std::size_t columns = 0;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      if (shown[i]) {
        sum += width_of(i);
        ++columns;
      }
    }
    return sum + (columns == 0 ? 0 : 2 * (columns - 1));
  };
  // Leave out columns, in the stated order, until the narrowest widths fit.
  for (std::size_t column : m_drop_order) {
    if (total(floor) <= *max_width) {
      break;
    }
    if (column < shown.size()) {
      shown[column] = false;
    }
  }
  // Then narrow the limited columns, the widest first, one column at a time, down to their
  // least width.
  while (total([&](std::size_t i) { return widths[i]; }) > *max_width) {
    std::optional<std::size_t> widest;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      if (shown[i] && limit_of(i) && widths[i] > floor(i) &&
          (!widest || widths[i] > widths[*widest])) {
        widest = i;
      }
    }
    if (!widest) {
      break;
    }
    --widths[*widest];
  }
  return result();
}

std::vector<std::string> Table::measure(std::vector<std::string> row) {
  if (m_measured.size() < row.size()) {
    m_measured.resize(row.size(), 0);
  }
  for (std::size_t i = 0; i < row.size(); ++i) {
    row[i] = text::printable(row[i]);
    m_measured[i] = std::max(m_measured[i], display_width(row[i]));
  }
  return row;
}

void Table::print_header(std::ostream& out, bool color, std::optional<std::size_t> max_width) {
  m_widths = widths(max_width);
  print_line(out, m_header, m_widths, true, {}, color);
}

void Table::print_row(std::ostream& out, const std::vector<std::string>& row,
                      std::string_view style, bool color) const {
  print_line(out, row, m_widths, false, style, color);
}

void Table::print(std::ostream& out, bool color, std::optional<std::size_t> max_width) const {
  Widths widths = this->widths(max_width);
  print_line(out, m_header, widths, true, {}, color);
  for (std::size_t i = 0; i < m_rows.size(); ++i) {
    print_line(out, m_rows[i], widths, false, m_styles[i], color);
  }
}

void Table::print_line(std::ostream& out, const std::vector<std::string>& row, const Widths& widths,
                       bool header, std::string_view style, bool color) {
  std::string s;
  for (std::size_t i = 0; i < row.size(); ++i) {
    std::optional<std::size_t> width = i < widths.size() ? widths[i] : std::nullopt;
    if (i < widths.size() && !width) {
      continue;  // left out
    }
    std::string cell = width ? text::fit_width(row[i], *width) : row[i];
    if (width) {
      cell.append(*width - display_width(cell), ' ');
    }
    s += cell;
    s += "  ";
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
    out << wrap("Note: " + notice_text(*notice), text_width(), "");
  }
}

std::string notice_line(const Notice& notice, std::size_t width) {
  if (notice.kind != k_times_stale) {
    return text::shorten(notice_text(notice), width);
  }
  std::string line = fmt::format("times: published {}, {} old — casewatch times fetch",
                                 format_date(notice.published),
                                 text::count(static_cast<std::size_t>(notice.days_old), "day"));
  if (display_width(line) <= width) {
    return line;
  }
  return fmt::format("times: {} old — casewatch times fetch",
                     text::count(static_cast<std::size_t>(notice.days_old), "day"));
}

void print_notice_line(std::ostream& out, const std::optional<Notice>& notice) {
  if (notice) {
    out << notice_line(*notice, text_width()) << '\n';
  }
}

void print_closing(std::ostream& out, const std::optional<Notice>& notice, NoticeForm form) {
  if (notice) {
    if (form == NoticeForm::line) {
      print_notice_line(out, notice);
    } else {
      print_notice(out, notice);
    }
    out << '\n';
  }
  out << k_disclaimer << '\n';
}

void print_findings(std::ostream& out, std::span<const Finding> findings, bool color) {
  for (const Finding& f : findings) {
    // The title wrapped like the paragraphs under it; in color the tag colored and the
    // title bold, line by line.
    std::string plain_tag = fmt::format("[{}]", to_string(f.severity));
    std::string head = wrap(plain_tag + ' ' + text::printable(f.title), text_width(), "  ");
    std::size_t start = 0;
    for (bool first = true; start < head.size(); first = false) {
      std::size_t end = head.find('\n', start);
      std::string_view line(head.data() + start, end - start);
      start = end + 1;
      if (!color) {
        out << line << '\n';
      } else if (first) {
        std::size_t title_at = std::min(line.size(), 2 + plain_tag.size() + 1);
        out << "  " << severity_tag(f.severity, true) << ' ' << bold(line.substr(title_at), true)
            << '\n';
      } else {
        out << "  " << bold(line.substr(2), true) << '\n';
      }
    }
    out << "    since " << format_date(f.since);
    if (f.due) {
      out << ", due " << format_date(*f.due);
    }
    out << " (" << f.rule << ")\n";
    out << wrap("Why: " + text::printable(f.reason), text_width(), "    ");
    out << wrap("How: " + text::printable(f.how), text_width(), "    ");
    out << wrap("Source: " + f.source, text_width(), "    ");
  }
}

void print_next(std::ostream& out, const Evaluation& ev) {
  for (const NextStep& n : ev.next) {
    std::string line = fmt::format("{}  {}", n.on ? format_date(*n.on) : "(no date)", n.title);
    if (n.on && n.assumed) {
      line = fmt::format("{} {}  {}", format_date(*n.on), k_office_assumed_mark, n.title);
    }
    if (n.condition) {
      line += ", " + *n.condition;
    }
    out << wrap(line, text_width(), "    ");
  }
}

}  // namespace casewatch::cli
