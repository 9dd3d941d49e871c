// SPDX-License-Identifier: MIT
#include "casewatch/util/text.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <optional>

namespace casewatch::text {
namespace {

// One UTF-8 sequence at the start of `s`: its code point and length, or length 0 when the
// bytes there are not well-formed UTF-8 (RFC 3629, section 4).
struct Decoded {
  char32_t cp = 0;
  std::size_t len = 0;
};

Decoded decode(std::string_view s) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  if (s.empty()) {
    return {};
  }
  unsigned char b0 = byte(0);
  if (b0 < 0x80) {
    return {b0, 1};
  }
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1Fu;
    min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0Fu;
    min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07u;
    min = 0x10000;
  } else {
    return {};
  }
  if (s.size() < len) {
    return {};
  }
  for (std::size_t i = 1; i < len; ++i) {
    if ((byte(i) & 0xC0) != 0x80) {
      return {};
    }
    cp = (cp << 6) | (byte(i) & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return {};
  }
  return {cp, len};
}

bool is_control(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

// The controls of bidirectional text: marks (U+200E, U+200F), embeddings and overrides
// (U+202A-U+202E) and isolates (U+2066-U+2069). Printed raw they reorder what a terminal
// shows around them ("abc\u202Etxt.exe" shows as "abcexe.txt").
bool is_bidi_control(char32_t cp) {
  return cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// Windows-1252 bytes 0x80-0x9F; the others equal their Latin-1 code points.
constexpr std::array<char32_t, 32> k_cp1252_high = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

}  // namespace

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    Decoded d = decode(s.substr(i));
    if (d.len == 0) {
      return false;
    }
    i += d.len;
  }
  return true;
}

std::optional<std::string> problem(std::string_view s, bool multi_line) {
  std::size_t i = 0;
  while (i < s.size()) {
    Decoded d = decode(s.substr(i));
    if (d.len == 0) {
      return fmt::format("is not UTF-8 text (byte 0x{:02X} at position {})",
                         static_cast<unsigned char>(s[i]), i + 1);
    }
    bool allowed = d.cp == '\t' || (multi_line && (d.cp == '\n' || d.cp == '\r'));
    if (is_control(d.cp) && !allowed) {
      return fmt::format("holds a control character (U+{:04X}) at position {}{}",
                         static_cast<std::uint32_t>(d.cp), i + 1,
                         d.cp == '\n' || d.cp == '\r' ? "; give it on one line" : "");
    }
    i += d.len;
  }
  return std::nullopt;
}

std::string windows1252_to_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    auto b = static_cast<unsigned char>(ch);
    if (b < 0x80) {
      out += ch;
    } else if (b < 0xA0) {
      append_utf8(out, k_cp1252_high[b - 0x80]);
    } else {
      append_utf8(out, b);
    }
  }
  return out;
}

namespace {

// `s` a code point at a time: a byte that is not UTF-8 is written as \xNN; a code point
// `escape` has text for is written as that text; every other is copied as it is.
template <class Escape>
std::string escaped(std::string_view s, Escape escape) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    // A run of printable ASCII, which no escape changes, copied at once.
    std::size_t plain = i;
    while (plain < s.size() && s[plain] >= 0x20 && s[plain] < 0x7F) {
      ++plain;
    }
    if (plain > i) {
      out.append(s.substr(i, plain - i));
      i = plain;
      continue;
    }
    Decoded d = decode(s.substr(i));
    if (d.len == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i]));
      ++i;
      continue;
    }
    if (std::optional<std::string> e = escape(d.cp)) {
      out += *e;
    } else {
      out.append(s.substr(i, d.len));
    }
    i += d.len;
  }
  return out;
}

}  // namespace

std::string printable(std::string_view s) {
  return escaped(s, [](char32_t cp) -> std::optional<std::string> {
    if (!is_control(cp) && cp != 0x2028 && cp != 0x2029 && !is_bidi_control(cp)) {
      return std::nullopt;
    }
    switch (cp) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      default:
        return cp < 0x100 ? fmt::format("\\x{:02x}", static_cast<std::uint32_t>(cp))
                          : fmt::format("\\u{:04x}", static_cast<std::uint32_t>(cp));
    }
  });
}

std::string utf8_or_escaped(std::string_view s) {
  if (is_valid_utf8(s)) {
    return std::string(s);
  }
  return escaped(s, [](char32_t) -> std::optional<std::string> { return std::nullopt; });
}

std::string shorten(std::string_view s, std::size_t max_chars) {
  std::size_t i = 0;
  std::size_t chars = 0;
  while (i < s.size()) {
    if (chars == max_chars) {
      return std::string(s.substr(0, i)) + "…";
    }
    Decoded d = decode(s.substr(i));
    i += d.len == 0 ? 1 : d.len;
    ++chars;
  }
  return std::string(s);
}

std::string quoted(std::string_view s, std::size_t max_chars) {
  // Built by appends: GCC 12 at -O3 misjudges `"'" + std::string&&` as an overlapping copy
  // (-Wrestrict).
  std::string body = printable(shorten(s, max_chars));
  std::string out;
  out.reserve(body.size() + 2);
  out += '\'';
  out += body;
  out += '\'';
  return out;
}

namespace {

bool in(char32_t cp, char32_t lo, char32_t hi) {
  return cp >= lo && cp <= hi;
}

// Zero columns: combining marks, zero-width spaces and joiners, variation selectors.
bool is_zero_width(char32_t cp) {
  return in(cp, 0x0300, 0x036F) || in(cp, 0x0483, 0x0489) || in(cp, 0x0591, 0x05BD) ||
         in(cp, 0x0610, 0x061A) || in(cp, 0x064B, 0x065F) || in(cp, 0x0E31, 0x0E31) ||
         in(cp, 0x0E34, 0x0E3A) || in(cp, 0x0E47, 0x0E4E) || in(cp, 0x1AB0, 0x1AFF) ||
         in(cp, 0x1DC0, 0x1DFF) || in(cp, 0x200B, 0x200F) || in(cp, 0x20D0, 0x20FF) ||
         in(cp, 0xFE00, 0xFE0F) || in(cp, 0xFE20, 0xFE2F) || cp == 0xFEFF ||
         in(cp, 0xE0100, 0xE01EF);
}

// Two columns: the East Asian Wide and Fullwidth blocks, and the emoji blocks terminals
// draw wide.
bool is_wide(char32_t cp) {
  return in(cp, 0x1100, 0x115F) || in(cp, 0x231A, 0x231B) || in(cp, 0x2329, 0x232A) ||
         in(cp, 0x23E9, 0x23EC) || in(cp, 0x2E80, 0x303E) || in(cp, 0x3041, 0x33FF) ||
         in(cp, 0x3400, 0x4DBF) || in(cp, 0x4E00, 0x9FFF) || in(cp, 0xA000, 0xA4CF) ||
         in(cp, 0xA960, 0xA97F) || in(cp, 0xAC00, 0xD7A3) || in(cp, 0xF900, 0xFAFF) ||
         in(cp, 0xFE10, 0xFE19) || in(cp, 0xFE30, 0xFE6F) || in(cp, 0xFF00, 0xFF60) ||
         in(cp, 0xFFE0, 0xFFE6) || in(cp, 0x1F300, 0x1F64F) || in(cp, 0x1F900, 0x1F9FF) ||
         in(cp, 0x20000, 0x2FFFD) || in(cp, 0x30000, 0x3FFFD);
}

std::size_t width_of(char32_t cp) {
  if (cp < 0x0300) {  // below the first block of either kind
    return 1;
  }
  if (is_zero_width(cp)) {
    return 0;
  }
  return is_wide(cp) ? 2 : 1;
}

}  // namespace

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') {
      ch = static_cast<char>(ch - 'A' + 'a');
    }
  }
  return out;
}

std::string_view plural(std::size_t n, std::string_view one, std::string_view many) {
  return n == 1 ? one : many;
}

std::string count(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, plural(n, one, many));
}

std::string count(std::size_t n, std::string_view one) {
  return n == 1 ? fmt::format("1 {}", one) : fmt::format("{} {}s", n, one);
}

std::string shell_word(std::string_view s) {
  static constexpr std::string_view k_safe =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-";
  if (!s.empty() && s.find_first_not_of(k_safe) == std::string_view::npos) {
    return std::string(s);
  }
  std::string out = "'";
  for (char ch : s) {
    out += ch == '\'' ? std::string_view("'\\''") : std::string_view(&ch, 1);
  }
  return out + "'";
}

std::string search_key(std::string_view s) {
  // U+00C0 to U+017F (Latin-1 Supplement and Latin Extended-A): each letter's base letters,
  // lower case; "" for the two signs among them (kept as they are).
  static constexpr std::array<std::string_view, 0xC0> k_latin = {
      "a", "a", "a",  "a",  "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o",  "o",  "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
      "a", "a", "a",  "a",  "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o",  "o",  "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",
      "a", "a", "a",  "a",  "a", "a", "c",  "c", "c", "c", "c", "c", "c", "c", "d",  "d",
      "d", "d", "e",  "e",  "e", "e", "e",  "e", "e", "e", "e", "e", "g", "g", "g",  "g",
      "g", "g", "g",  "g",  "h", "h", "h",  "h", "i", "i", "i", "i", "i", "i", "i",  "i",
      "i", "i", "ij", "ij", "j", "j", "k",  "k", "k", "l", "l", "l", "l", "l", "l",  "l",
      "l", "l", "l",  "n",  "n", "n", "n",  "n", "n", "n", "n", "n", "o", "o", "o",  "o",
      "o", "o", "oe", "oe", "r", "r", "r",  "r", "r", "r", "s", "s", "s", "s", "s",  "s",
      "s", "s", "t",  "t",  "t", "t", "t",  "t", "u", "u", "u", "u", "u", "u", "u",  "u",
      "u", "u", "u",  "u",  "w", "w", "y",  "y", "y", "z", "z", "z", "z", "z", "z",  "s"};
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      out += static_cast<char>(std::tolower(b0));
      ++i;
      continue;
    }
    if ((b0 & 0xE0U) == 0xC0U && i + 1 < s.size() &&
        (static_cast<unsigned char>(s[i + 1]) & 0xC0U) == 0x80U) {
      unsigned cp = ((b0 & 0x1FU) << 6U) | (static_cast<unsigned char>(s[i + 1]) & 0x3FU);
      if (cp >= 0x300 && cp <= 0x36F) {
        i += 2;  // a combining accent (text in decomposed form)
        continue;
      }
      if (cp >= 0xC0 && cp < 0x180 && !k_latin[cp - 0xC0].empty()) {
        out += k_latin[cp - 0xC0];
        i += 2;
        continue;
      }
    }
    out += s[i];
    ++i;
  }
  return out;
}

std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {  // ASCII: one column, as width_of says
      ++width;
      ++i;
      continue;
    }
    Decoded d = decode(s.substr(i));
    if (d.len == 0) {  // a byte that is not UTF-8: one column
      ++width;
      ++i;
      continue;
    }
    width += width_of(d.cp);
    i += d.len;
  }
  return width;
}

std::string fit_width(std::string_view s, std::size_t columns) {
  if (display_width(s) <= columns) {
    return std::string(s);
  }
  if (columns == 0) {
    return {};
  }
  std::size_t budget = columns - 1;  // one column for the ellipsis
  std::size_t width = 0;
  std::size_t end = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    Decoded d = decode(s.substr(i));
    std::size_t len = d.len == 0 ? 1 : d.len;
    std::size_t w = d.len == 0 ? 1 : width_of(d.cp);
    if (width + w > budget) {
      break;
    }
    width += w;
    i += len;
    end = i;
  }
  std::string out(s.substr(0, end));
  while (!out.empty() && out.back() == ' ') {
    out.pop_back();
  }
  return out + "…";
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1);
  std::vector<std::size_t> cur(b.size() + 1);
  std::vector<std::size_t> before(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    prev[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], before[j - 2] + 1);  // a transposition
      }
    }
    before = prev;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace casewatch::text
