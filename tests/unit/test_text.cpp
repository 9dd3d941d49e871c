// SPDX-License-Identifier: MIT
#include "casewatch/util/text.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>

namespace casewatch::text {
namespace {

TEST(Text, Utf8IsValidatedStrictly) {
  EXPECT_TRUE(is_valid_utf8("José Ñúñez 王小明 🙂"));
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_FALSE(is_valid_utf8("Jos\xe9"));                 // Windows-1252 é
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));                // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));            // a UTF-16 surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));        // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));                // cut short
  EXPECT_FALSE(is_valid_utf8(std::string(100, '\x80')));  // continuation bytes alone
}

TEST(Text, ProblemNamesTheByteOrTheControlCharacter) {
  EXPECT_FALSE(problem("Ana: green card"));
  EXPECT_FALSE(problem("tab\tis fine"));
  EXPECT_EQ(*problem("Jos\xe9"), "is not UTF-8 text (byte 0xE9 at position 4)");
  EXPECT_EQ(*problem("a\x1b[31mred"), "holds a control character (U+001B) at position 2");
  EXPECT_EQ(*problem("two\nlines"),
            "holds a control character (U+000A) at position 4; give it on one line");
  EXPECT_FALSE(problem("two\nlines", true));
  EXPECT_TRUE(problem(std::string("nul\0byte", 8), true));
}

TEST(Text, Windows1252BecomesUtf8) {
  EXPECT_EQ(windows1252_to_utf8("Jos\xe9 Mu\xf1oz"), "José Muñoz");
  EXPECT_EQ(windows1252_to_utf8("\x93quoted\x94 \x80 5"), "“quoted” € 5");
  EXPECT_TRUE(is_valid_utf8(windows1252_to_utf8(std::string("\x81\x8d\x8f\x90\x9d\xff"))));
}

TEST(Text, PrintableEscapesWhatCouldMoveTheTerminal) {
  EXPECT_EQ(printable("Ana \xe7\x8e\x8b"), "Ana 王");
  EXPECT_EQ(printable("a\x1b[2Jb"), "a\\x1b[2Jb");
  EXPECT_EQ(printable("line\nbreak\r"), "line\\nbreak\\r");
  EXPECT_EQ(printable("Jos\xe9"), "Jos\\xe9");
  EXPECT_EQ(printable("\xc2\x9b"), "\\x9b");  // the 8-bit CSI
  // Runs of plain ASCII are copied as they are, up to the byte that is not: DEL, a tab.
  EXPECT_EQ(printable("Ana Maria\x7f Silva\tJr."), "Ana Maria\\x7f Silva\\tJr.");
}

// Issue 21: the bidirectional controls reorder what a terminal shows ("evil\u202etxt.exe"
// shows as "evilexe.txt"), so they are shown escaped like the C0 and C1 controls.
TEST(Text, PrintableEscapesBidiControls) {
  EXPECT_EQ(printable("evil\u202etxt.exe"), "evil\\u202etxt.exe");
  for (std::uint32_t cp : {0x200EU, 0x200FU, 0x202AU, 0x202BU, 0x202CU, 0x202DU, 0x202EU, 0x2066U,
                           0x2067U, 0x2068U, 0x2069U}) {
    std::string one;
    one += static_cast<char>(0xE0 | (cp >> 12));
    one += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    one += static_cast<char>(0x80 | (cp & 0x3F));
    EXPECT_EQ(printable("a" + one + "b"), fmt::format("a\\u{:04x}b", cp));
  }
  // Their neighbours are text.
  EXPECT_EQ(printable("\u200d\u2010\u2030\u2065\u206a"), "\u200d\u2010\u2030\u2065\u206a");
}

TEST(Text, ShortenCutsAtACharacter) {
  EXPECT_EQ(shorten("short", 10), "short");
  EXPECT_EQ(shorten("0123456789", 10), "0123456789");
  EXPECT_EQ(shorten("0123456789a", 10), "0123456789…");
  EXPECT_EQ(shorten("王王王王", 2), "王王…");
  EXPECT_EQ(quoted(std::string(1000, 'x'), 5), "'xxxxx…'");
}

// issue #26: "nunez" finds "José Núñez".
TEST(Text, SearchKeyFoldsCaseAndLatinAccents) {
  EXPECT_EQ(search_key("José Núñez"), "jose nunez");
  EXPECT_EQ(search_key("ÇAĞLAR Øre Straße Æsa Łódź"), "caglar ore strasse aesa lodz");
  EXPECT_EQ(search_key("Jose\xcc\x81"), "jose");            // decomposed: e and a combining accent
  EXPECT_EQ(search_key("王小明 × \xe9"), "王小明 × \xe9");  // kept: no Latin letter, not UTF-8
  EXPECT_EQ(count(1, "case", "cases"), "1 case");
  EXPECT_EQ(count(0, "case", "cases"), "0 cases");
}

}  // namespace
}  // namespace casewatch::text

namespace casewatch::text {
namespace {

// The one home of plural forms: a regular word, an irregular one given, and the word alone.
TEST(Text, CountSaysTheNumberWithItsWord) {
  EXPECT_EQ(text::count(1, "case"), "1 case");
  EXPECT_EQ(text::count(0, "case"), "0 cases");
  EXPECT_EQ(text::count(4, "case"), "4 cases");
  EXPECT_EQ(text::count(1, "entry", "entries"), "1 entry");
  EXPECT_EQ(text::count(2, "status", "statuses"), "2 statuses");
  EXPECT_EQ(text::plural(1, "has", "have"), "has");
  EXPECT_EQ(text::plural(3, "has", "have"), "have");
}

// One shell quoting for every printed command, the journal's command line and cron's line:
// what it returns, a POSIX shell reads back as the value.
TEST(Text, ShellWordQuotesWhatAShellWouldReadOtherwise) {
  EXPECT_EQ(text::shell_word("EAC2190012345"), "EAC2190012345");
  EXPECT_EQ(text::shell_word("/tmp/cases.db"), "/tmp/cases.db");
  EXPECT_EQ(text::shell_word("a,b%c@d+e=f:g"), "a,b%c@d+e=f:g");
  EXPECT_EQ(text::shell_word(""), "''");
  EXPECT_EQ(text::shell_word("#42"), "'#42'");
  EXPECT_EQ(text::shell_word("Ana's mother"), "'Ana'\\''s mother'");
  EXPECT_EQ(text::shell_word("$HOME"), "'$HOME'");
  EXPECT_EQ(text::shell_word("José"), "'José'");
  EXPECT_EQ(text::shell_word("a`b`"), "'a`b`'");
}

TEST(DisplayWidth, WideCharactersTakeTwoColumnsAndMarksNone) {
  EXPECT_EQ(display_width("Ana"), 3U);
  EXPECT_EQ(display_width("王小明"), 6U);
  EXPECT_EQ(display_width("김민준"), 6U);
  EXPECT_EQ(display_width("ＡＢ"), 4U);        // fullwidth Latin
  EXPECT_EQ(display_width("José"), 4U);        // precomposed é
  EXPECT_EQ(display_width("Jose\u0301"), 4U);  // e + combining acute
  EXPECT_EQ(display_width("Nguyễn"), 6U);
  EXPECT_EQ(display_width("\xff"), 1U);  // not UTF-8: one column, as printed escaped
  EXPECT_EQ(display_width("Why: 王 since 2026-11-27"), 24U);  // ASCII one column each
}

TEST(DisplayWidth, FitWidthCutsWithAnEllipsisNeverInsideACharacter) {
  EXPECT_EQ(fit_width("Ana", 3), "Ana");
  EXPECT_EQ(fit_width("Maria Fernandez", 7), "Maria…");  // the blank before … dropped
  EXPECT_EQ(fit_width("Maria Fernandez", 8), "Maria F…");
  EXPECT_EQ(fit_width("王小明的案件", 7), "王小明…");
  EXPECT_EQ(fit_width("王小明的案件", 6), "王小…");  // a wide one that would overflow waits
  EXPECT_EQ(display_width(fit_width("王小明的案件", 6)), 5U);
  EXPECT_EQ(fit_width("Jose\u0301 Luis", 5), "Jose\u0301…");
  EXPECT_EQ(fit_width("abc", 0), "");
}

}  // namespace
}  // namespace casewatch::text
