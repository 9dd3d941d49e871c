// SPDX-License-Identifier: MIT
#include "casewatch/cli/json_writer.hpp"

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

}  // namespace
}  // namespace casewatch::cli
