// SPDX-License-Identifier: MIT
#pragma once

#include <date/date.h>

#include <string>
#include <string_view>
#include <vector>

namespace casewatch::ical {

// An all-day event of an iCalendar file.
struct AllDayEvent {
  std::string uid;  // stable across runs for the same event
  date::sys_days day;
  std::string summary;
  std::string description;
};

// TEXT escaping of RFC 5545 §3.3.11: backslash, semicolon, comma and newline.
std::string escape_text(std::string_view s);

// Folds one content line at 75 octets (RFC 5545 §3.1): CRLF and a space before each
// continuation, never inside a UTF-8 sequence. The result ends with CRLF.
std::string fold(std::string_view line);

// A VCALENDAR (VERSION 2.0, PRODID `prodid`) with one VEVENT per event: UID, DTSTAMP
// (`stamp` at 00:00:00 UTC, so the same input gives the same file), all-day DTSTART and
// DTEND, SUMMARY and DESCRIPTION. CRLF line ends throughout.
std::string render(const std::vector<AllDayEvent>& events, std::string_view prodid,
                   date::sys_days stamp);

// render() in pieces, for a calendar written as it goes: the head, each event, the tail.
std::string render_head(std::string_view prodid);
std::string render_event(const AllDayEvent& e, date::sys_days stamp);
std::string render_tail();

}  // namespace casewatch::ical
