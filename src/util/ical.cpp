// SPDX-License-Identifier: MIT
#include "casewatch/util/ical.hpp"

#include <fmt/format.h>

#include "casewatch/util/text.hpp"

namespace casewatch::ical {
namespace {

constexpr std::size_t k_max_octets = 75;
// A UTF-8 sequence has at most 3 continuation bytes: looking further back than that for
// its start can only meet bytes that are not UTF-8, and then the cut stays where it is.
constexpr std::size_t k_max_continuation = 3;

std::string basic_date(date::sys_days d) {
  date::year_month_day ymd{d};
  return fmt::format("{:04}{:02}{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

std::string escape_text(std::string_view raw) {
  // Bytes that are not UTF-8 (a stored value written outside casewatch) are escaped first:
  // iCalendar is UTF-8.
  std::string valid = text::utf8_or_escaped(raw);
  std::string_view s = valid;
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string fold(std::string_view line) {
  std::string out;
  std::size_t limit = k_max_octets;  // the first line has 75 octets, the others 74 + a space
  while (line.size() > limit) {
    std::size_t cut = limit;
    while (cut > limit - k_max_continuation && is_continuation(line[cut])) {
      --cut;  // do not split a UTF-8 sequence
    }
    if (is_continuation(line[cut])) {
      cut = limit;  // not UTF-8 here: cut at the limit, so every pass makes progress
    }
    out.append(line.substr(0, cut));
    out += "\r\n ";
    line.remove_prefix(cut);
    limit = k_max_octets - 1;
  }
  out.append(line);
  out += "\r\n";
  return out;
}

std::string render_head(std::string_view prodid) {
  std::string out;
  out += fold("BEGIN:VCALENDAR");
  out += fold("VERSION:2.0");
  out += fold(fmt::format("PRODID:{}", prodid));
  out += fold("CALSCALE:GREGORIAN");
  out += fold("METHOD:PUBLISH");
  return out;
}

std::string render_event(const AllDayEvent& e, date::sys_days stamp) {
  std::string out;
  out += fold("BEGIN:VEVENT");
  out += fold("UID:" + e.uid);
  out += fold("DTSTAMP:" + basic_date(stamp) + "T000000Z");
  out += fold("DTSTART;VALUE=DATE:" + basic_date(e.day));
  out += fold("DTEND;VALUE=DATE:" + basic_date(e.day + date::days{1}));
  out += fold("SUMMARY:" + escape_text(e.summary));
  if (!e.description.empty()) {
    out += fold("DESCRIPTION:" + escape_text(e.description));
  }
  out += fold("TRANSP:TRANSPARENT");
  out += fold("END:VEVENT");
  return out;
}

std::string render_tail() {
  return fold("END:VCALENDAR");
}

std::string render(const std::vector<AllDayEvent>& events, std::string_view prodid,
                   date::sys_days stamp) {
  std::string out = render_head(prodid);
  for (const AllDayEvent& e : events) {
    out += render_event(e, stamp);
  }
  out += render_tail();
  return out;
}

}  // namespace casewatch::ical
