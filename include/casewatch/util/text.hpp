// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// Text as it enters and leaves casewatch: every value a user gives (an argument, a CSV or
// JSON field, a status text) is checked here before it is stored, and every value printed
// to a terminal or quoted in a message goes through here on the way out.
namespace casewatch::text {

// True when `s` is well-formed UTF-8 (no overlong forms, no surrogates, nothing past
// U+10FFFF).
bool is_valid_utf8(std::string_view s);

// What is wrong with `s` as a value of one line ("is not UTF-8: byte 0xE9 at position 4",
// "holds a control character (U+001B) at position 2"), or nothing when it is fine. Tab is
// allowed; line breaks are allowed only when `multi_line`.
std::optional<std::string> problem(std::string_view s, bool multi_line = false);

// Appends code point `cp` (a Unicode scalar value: at most U+10FFFF, no surrogate) to `out`
// as UTF-8.
void append_utf8(std::string& out, char32_t cp);

// Windows-1252 (what Excel on Windows writes as "CSV") to UTF-8. Every byte maps to a
// character; the five bytes the code page leaves undefined map to U+FFFD.
std::string windows1252_to_utf8(std::string_view s);

// `s` safe to print on a terminal: control characters, DEL, the line and paragraph
// separators, the controls of bidirectional text (U+200E, U+200F, U+202A-U+202E,
// U+2066-U+2069) and bytes that are not UTF-8 are shown escaped (\n, \t, \x1b, \u202e,
// \xe9), so a value can never move the cursor, change colors or reorder what is around it.
// Everything else is unchanged.
std::string printable(std::string_view s);

// `s` as UTF-8, for a stored value (perhaps written outside casewatch) on its way into a
// format that carries only UTF-8 (JSON, CSV, iCalendar): each byte that is not part of a
// well-formed UTF-8 sequence is written as the four characters \xNN, as printable() shows
// it; everything else is unchanged. Valid text comes back as it is. The one place every
// output path escapes such bytes.
std::string utf8_or_escaped(std::string_view s);

// `s` cut to at most `max_chars` code points with "…" at the end when it is longer, never
// inside a UTF-8 sequence; for quoting a value in a message.
std::string shorten(std::string_view s, std::size_t max_chars = 60);

// A value quoted in a message: printable() of shorten(), between single quotes.
std::string quoted(std::string_view s, std::size_t max_chars = 60);

// `s` with the ASCII letters in lower case, for comparing ignoring case.
std::string ascii_lower(std::string_view s);

// `n` and the word that goes with it: "1 case", "2 cases", "0 cases"; count(n, "entry",
// "entries") for a plural that is not the word and "s". With plural(), the one home of plural
// forms in messages.
std::string count(std::size_t n, std::string_view one, std::string_view many);
std::string count(std::size_t n, std::string_view one);

// The word of the two that goes with `n`, without the number: plural(n, "has", "have").
std::string_view plural(std::size_t n, std::string_view one, std::string_view many);

// `s` as one word a POSIX shell reads back as `s`: unchanged when it is not empty and holds
// only ASCII letters, digits and _@%+=:,./- ; else between single quotes, a quote inside
// written '\'' ("#42" -> '#42', "Ana's" -> 'Ana'\''s'). The one home of shell quoting: the
// commands the advice prints, the command line the journal records, cron's line.
std::string shell_word(std::string_view s);

// `s` for finding a name however it is typed: lower case, and the Latin letters with
// accents or ligatures as their base letters ("José Núñez" is "jose nunez", "ß" is "ss").
// Other bytes are kept as they are.
std::string search_key(std::string_view s);

// The number of terminal columns `s` takes: East Asian wide and fullwidth characters (CJK,
// Hangul, fullwidth forms, most emoji) take two, combining marks and zero-width characters
// none, everything else one; a byte that is not UTF-8 takes one.
std::size_t display_width(std::string_view s);

// `s` cut to at most `columns` display columns, with "…" at the end when it was longer;
// never inside a UTF-8 sequence or between a character and its combining marks.
std::string fit_width(std::string_view s, std::size_t columns);

// The number of single-character insertions, deletions, substitutions and swaps of two
// neighbours that turn `a` into `b` (bytes), for "did you mean": I-4855 is 1 from I-485.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace casewatch::text
