// SPDX-License-Identifier: MIT
#include "casewatch/cli/json_writer.hpp"
#include "casewatch/util/json_indent.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace casewatch::cli {
namespace {

TEST(JsonWriter, WritesWhatNlohmannWritesIndented) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("text", std::string_view("quote \" backslash \\ newline \n tab \t bell \x07 é"));
  w.field("n", 42);
  w.field("half", 25.5);
  w.field("date", make_date(2025, 1, 10));
  w.field("none", std::optional<std::string>());
  w.key("empty");
  w.begin_array();
  w.end_array();
  w.key("list");
  w.begin_array();
  w.value(1);
  w.begin_object();
  w.end_object();
  w.end_array();
  w.end_object();
  auto parsed = nlohmann::ordered_json::parse(out);
  EXPECT_EQ(parsed["text"], "quote \" backslash \\ newline \n tab \t bell \x07 é");
  EXPECT_EQ(parsed["half"], 25.5);
  EXPECT_EQ(parsed["date"], "2025-01-10");
  EXPECT_TRUE(parsed["none"].is_null());
  EXPECT_EQ(out, parsed.dump(2));  // the same bytes as nlohmann's indented output
}

// Plain ASCII is written as it is; a quote, a backslash, a control character, DEL, UTF-8 or
// a byte that is not UTF-8 anywhere in the text gives nlohmann's escapes ("\\xff" for the
// byte, as every output shows it).
TEST(JsonWriter, StringsPlainOrEscapedAsNlohmannWrites) {
  for (std::string_view s : {"", "plain ASCII text 123 ~", "at the end \"", "\\ first", "del \x7f",
                             "ctl \x01 \x1f", "é UTF-8", "tail é"}) {
    std::string out;
    append_json_string(out, s);
    EXPECT_EQ(out, nlohmann::json(std::string(s)).dump()) << s;
  }
  std::string out;
  append_json_string(out, "bad \xff byte");
  EXPECT_EQ(out, R"("bad \\xff byte")");
}

}  // namespace
}  // namespace casewatch::cli

namespace casewatch {
namespace {

// What the export wrote before it streamed: the value dumped with two spaces a level, every
// line after the first indented by 2 * depth more.
std::string indented_whole(const std::string& compact, std::size_t depth) {
  std::string dumped = nlohmann::ordered_json::parse(compact).dump(2);
  std::string out;
  for (char ch : dumped) {
    out += ch;
    if (ch == '\n') {
      out.append(2 * depth, ' ');
    }
  }
  return out;
}

std::string indented_in_pieces(const std::string& compact, std::size_t depth, std::size_t piece,
                               bool* whole = nullptr) {
  std::string out;
  JsonIndenter indent(depth, [&](std::string_view s) { out.append(s); });
  for (std::size_t at = 0; at < compact.size(); at += piece) {
    indent.feed(std::string_view(compact).substr(at, piece));
  }
  bool ok = indent.finish();
  if (whole != nullptr) {
    *whole = ok;
  }
  return out;
}

// A journal entry's changes as the store writes them: compact, keys sorted, with strings
// that hold the characters that matter to a re-indenter (brackets, commas, colons, quotes,
// backslashes) and empty arrays and objects.
const std::string k_changes = nlohmann::json::parse(R"([
  {"after": {"id": 7, "receipt": "IOE0912345678", "form": "I-485", "note": "call: {Mon}, [Tue]",
             "label": "Chen \"A\" \\ co", "received": "2024-03-18", "office": null},
   "before": null, "key": {"id": 7}, "op": "insert", "table": "cases"},
  {"after": {}, "before": {"list": [], "nested": [[1, 2], [{"a": []}]]}, "key": {"id": -3},
   "op": "update", "table": "events", "x": 1.5e-7}
])")
                                  .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);

TEST(JsonIndenter, GivesWhatTheWholeValueDumpedWithIndentGivesInPiecesOfAnySize) {
  const std::string expected = indented_whole(k_changes, 3);
  for (std::size_t piece :
       {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{64}, k_changes.size()}) {
    bool whole = false;
    EXPECT_EQ(indented_in_pieces(k_changes, 3, piece, &whole), expected) << "pieces of " << piece;
    EXPECT_TRUE(whole);
  }
  EXPECT_EQ(indented_in_pieces("[]", 0, 1), "[]");
  EXPECT_EQ(indented_in_pieces("{}", 2, 1), "{}");
  EXPECT_EQ(indented_in_pieces("[[],{}]", 0, 1), "[\n  [],\n  {}\n]");
}

TEST(JsonIndenter, SaysWhenTheTextWasNotOneWholeValue) {
  for (std::string text : {"[", "[{\"a\":1}", "]", "\"open", "{\"a\":[1,2]}}"}) {
    bool whole = true;
    (void)indented_in_pieces(text, 1, 1, &whole);
    EXPECT_FALSE(whole) << text;
  }
}

}  // namespace
}  // namespace casewatch
