// SPDX-License-Identifier: MIT
#include "html.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "casewatch/util/text.hpp"

namespace casewatch::cli::html {
namespace {

// The drawing's measures, in SVG user units (about pixels at 100%).
constexpr int k_width = 760;
constexpr int k_words = 270;  // the date and words of a row
constexpr int k_chart = k_width - k_words - 10;
constexpr int k_row = 18;
constexpr int k_top = 30;  // the years and the axis

std::string_view class_of(TimelineKind k) {
  switch (k) {
    case TimelineKind::received:
      return "received";
    case TimelineKind::processing:
      return "processing";
    case TimelineKind::inquiry:
      return "inquiry";
    case TimelineKind::event:
      return "event";
    case TimelineKind::ombudsman:
      return "ombudsman";
    case TimelineKind::response:
      return "response";
    case TimelineKind::decision:
      return "decision";
    case TimelineKind::today:
      return "today";
    case TimelineKind::next:
      return "next";
  }
  return "event";
}

}  // namespace

std::string escape(std::string_view raw) {
  std::string s = text::is_valid_utf8(raw) ? std::string(raw) : text::utf8_or_escaped(raw);
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if ((static_cast<unsigned char>(ch) < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f) {
          out += ' ';
        } else {
          out += ch;
        }
    }
  }
  return out;
}

std::string linked(std::string_view s) {
  std::string out;
  std::size_t at = 0;
  while (at < s.size()) {
    std::size_t https = s.find("https://", at);
    std::size_t http = s.find("http://", at);
    std::size_t start = std::min(https, http);
    if (start == std::string_view::npos) {
      break;
    }
    std::size_t end = start;
    while (end < s.size() && s[end] != ' ' && s[end] != '\n' && s[end] != '\t' && s[end] != '"' &&
           s[end] != '<' && s[end] != '>') {
      ++end;
    }
    while (end > start && std::string_view(".,;:)'").find(s[end - 1]) != std::string_view::npos) {
      --end;
    }
    out += escape(s.substr(at, start - at));
    std::string url = escape(s.substr(start, end - start));
    out += fmt::format("<a href=\"{}\">{}</a>", url, url);
    at = end;
  }
  out += escape(s.substr(at));
  return out;
}

std::string svg_timeline(const Timeline& t) {
  int rows = static_cast<int>(t.items.size());
  int height = k_top + rows * k_row + 6;
  auto x = [&](Date d) {
    return k_words + static_cast<int>(timeline_column(t, d, static_cast<std::size_t>(k_chart)));
  };
  std::string s = fmt::format(
      "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" "
      "role=\"img\" aria-label=\"{}\">\n",
      k_width, height,
      escape(fmt::format("Timeline from {} to {}", format_date(t.from), format_date(t.to))));
  // The axis and each year's first day.
  s += fmt::format("<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", k_words,
                   k_top - 6, k_words + k_chart, k_top - 6);
  int first = static_cast<int>(date::year_month_day{t.from}.year());
  s +=
      fmt::format("<text class=\"year\" x=\"{}\" y=\"{}\">{}</text>\n", k_words, k_top - 12, first);
  int last_label = k_words;
  for (int y = first + 1; make_date(y, 1, 1) <= t.to; ++y) {
    int at = x(make_date(y, 1, 1));
    s += fmt::format("<line class=\"tick\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", at,
                     k_top - 10, at, height);
    if (at - last_label >= 36 && at + 30 <= k_words + k_chart) {
      s += fmt::format("<text class=\"year\" x=\"{}\" y=\"{}\">{}</text>\n", at + 2, k_top - 12, y);
      last_label = at;
    }
  }
  int today = x(t.as_of);
  s += fmt::format("<line class=\"today-line\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", today,
                   k_top - 10, today, height);
  int y = k_top;
  for (const TimelineItem& i : t.items) {
    int mid = y + k_row / 2;
    std::string words = format_date(i.from) + "  " + i.label;
    if (i.to) {
      words += " to " + format_date(*i.to);
    }
    if (i.assumed) {
      words += " (assumed)";
    }
    std::string cls(class_of(i.kind));
    s += fmt::format("<g class=\"{}\"><title>{}</title>", cls, escape(words));
    s += fmt::format("<text x=\"0\" y=\"{}\">{}</text>", mid + 4,
                     escape(text::fit_width(words, 44)));
    int from = x(i.from);
    if (i.to) {
      int to = x(*i.to);
      s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2\"/>", from, y + 4,
                       std::max(to - from, 2), k_row - 8);
    } else if (i.kind == TimelineKind::inquiry) {
      s += fmt::format("<polygon points=\"{},{} {},{} {},{} {},{}\"/>", from, mid - 6, from + 6,
                       mid, from, mid + 6, from - 6, mid);
    } else if (i.kind == TimelineKind::next) {
      s += fmt::format("<polygon points=\"{},{} {},{} {},{}\"/>", from - 5, mid - 6, from + 6, mid,
                       from - 5, mid + 6);
    } else if (i.kind == TimelineKind::today) {
      s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"3\" height=\"{}\"/>", from - 1, y + 2,
                       k_row - 4);
    } else {
      s += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"5\"/>", from, mid);
    }
    s += "</g>\n";
    y += k_row;
  }
  s += "</svg>\n";
  return s;
}

}  // namespace casewatch::cli::html
