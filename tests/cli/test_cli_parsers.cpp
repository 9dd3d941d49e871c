// SPDX-License-Identifier: MIT
#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

// A sheet as Excel on Windows saves it as plain "CSV": Windows-1252, CRLF.
const std::string k_windows_1252_csv =
    "receipt,form,received,label\r\n"
    "EAC2490012345,I-765,06/01/2024,Mother\r\n"
    "IOE0912345678,I-485,05/02/2023,Jos\xe9 AOS\r\n";

TEST_F(Cli, ImportRefusesWindows1252UnlessTheEncodingIsGiven) {
  add_sample_cases();
  const std::string before = dump();
  fs::path file = m_dir / "sheet.csv";
  std::ofstream(file, std::ios::binary) << k_windows_1252_csv;
  auto refused = run({"import", file.string()});
  expect_one_error_line(
      refused, "sheet.csv: line 3, field label: the value 'Jos\\xe9 AOS' is not UTF-8 text");
  EXPECT_NE(refused.err.find("--encoding windows-1252"), std::string::npos) << refused.err;
  EXPECT_EQ(dump(), before);

  expect_one_error_line(run({"import", "--encoding", "latin1", file.string()}),
                        "--encoding: 'latin1' is not an encoding casewatch reads; use utf-8 or "
                        "windows-1252");
  EXPECT_EQ(dump(), before);
}

TEST_F(Cli, ImportConvertsWindows1252AndEveryJsonOutputStaysValid) {
  fs::path file = m_dir / "sheet.csv";
  std::ofstream(file, std::ios::binary) << k_windows_1252_csv;
  auto imported = run({"import", "--encoding", "windows-1252", file.string()});
  ASSERT_EQ(imported.code, 0) << imported.err;

  auto exported = run({"export"});
  ASSERT_EQ(exported.code, 0) << exported.err;
  json doc = json::parse(exported.out);  // throws, failing the test, if not valid JSON
  ASSERT_EQ(doc["cases"].size(), 2U);
  EXPECT_EQ(doc["cases"][1]["label"], "Jos\xc3\xa9 AOS");

  auto listed = run({"--json", "list"});
  ASSERT_EQ(listed.code, 0) << listed.err;
  EXPECT_NE(listed.out.find("Jos\xc3\xa9 AOS"), std::string::npos) << listed.out;
  EXPECT_TRUE(json::accept(listed.out)) << listed.out;

  // The UTF-8 export imports again, byte for byte the same cases.
  fs::path again = m_dir / "again.json";
  std::ofstream(again, std::ios::binary) << exported.out;
  fs::path other = m_dir / "other.db";
  ASSERT_EQ(run({"--db", other.string(), "import", again.string()}).code, 0);
  // The same cases; the journal is the one exported plus the import's own entry.
  json round = json::parse(run({"--db", other.string(), "export"}).out);
  json original = json::parse(exported.out);
  ASSERT_EQ(round["journal"].size(), original["journal"].size() + 1);
  round["journal"].erase(round["journal"].size() - 1);
  EXPECT_EQ(round, original);
}

TEST_F(Cli, DeeplyNestedJsonIsAnErrorNotACrash) {
  add_sample_cases();
  const std::string before = dump();
  fs::path file = m_dir / "deep.json";
  std::ofstream(file) << std::string(75000, '[') + std::string(75000, ']');
  expect_one_error_line(run({"times", "import", file.string()}), "more than 64 deep");
  fs::path cases = m_dir / "deep-cases.json";
  std::ofstream(cases) << "{\"format\": \"casewatch-export\", \"version\": 1, \"cases\": " +
                              std::string(75000, '[') + std::string(75000, ']') + "}";
  expect_one_error_line(run({"import", cases.string()}), "more than 64 deep");
  EXPECT_EQ(dump(), before);
}

TEST_F(Cli, PostedTimesOutOfRangeAreUsageErrors) {
  expect_one_error_line(run({"times", "set", "I-485", "--months", "2147483647"}),
                        "--months: '2147483647' is not a processing time; give a number of "
                        "months from 0.5 to 240");
  expect_one_error_line(run({"times", "set", "I-485", "--weeks", "-0.5"}),
                        "'-0.5' is not a processing time");
}

}  // namespace
}  // namespace casewatch_test
