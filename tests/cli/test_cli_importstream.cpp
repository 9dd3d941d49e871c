// SPDX-License-Identifier: MIT
// Importing a JSON export of any size: read as a stream, with no cap on the file's size (a
// CSV keeps its 64 MiB cap).
#include <fmt/format.h>

#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

constexpr std::size_t k_over_64_mib = (std::size_t{64} << 20U) + (std::size_t{1} << 20U);

// `n` cases as a law office's sheet: I-485, I-765, N-400 and I-130 in turn, with real
// receipt formats, dates, labels and notes.
std::string sheet(int n) {
  static const char* const forms[] = {"I-485", "I-765", "N-400", "I-130"};
  std::string out = "receipt,form,received,label,note\n";
  for (int i = 0; i < n; ++i) {
    const char* prefix = i % 2 == 0 ? "IOE09" : "EAC24";
    out += fmt::format("{}{:08d},{},2024-{:02d}-{:02d},\"Client {}, \"\"family\"\"\",{}\n", prefix,
                       10000000 + i, forms[i % 4], 1 + i % 12, 1 + i % 28, i,
                       i % 5 == 0 ? "\"asked about [EAD] {renewal}\"" : "");
  }
  return out;
}

class ImportStream : public Cli {
 protected:
  fs::path write(const std::string& name, const std::string& content) {
    fs::path p = m_dir / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
};

TEST_F(ImportStream, AnExportOfHundredsOfCasesRoundTripsWithItsJournal) {
  ASSERT_EQ(run({"import", write("sheet.csv", sheet(300)).string()}).code, 0);
  ASSERT_EQ(run({"event", "#1", "rfe", "--on", "2025-01-10", "--due", "2025-04-04"}).code, 0);
  ASSERT_EQ(run({"event", "#2", "transfer", "--office", "NYC", "--on", "2025-02-01"}).code, 0);
  ASSERT_EQ(run({"event", "#3", "note", "--on", "2025-03-01", "--note", "called, no answer"}).code,
            0);
  ASSERT_EQ(run({"undo"}).code, 0);  // an entry that undoes another
  auto first = run({"export"});
  ASSERT_EQ(first.code, 0) << first.err;
  fs::path file = write("all.json", first.out);

  fs::path other = m_dir / "other.db";
  auto imported = run({"--db", other.string(), "import", file.string()});
  ASSERT_EQ(imported.code, 0) << imported.err;
  EXPECT_EQ(imported.out, fmt::format("Imported 300 cases and 2 events from {}.\n", file.string()));
  auto again = run({"--db", other.string(), "export"});
  ASSERT_EQ(again.code, 0) << again.err;
  // The same cases, events and journal, plus the import's own entry.
  json first_doc = json::parse(first.out);
  json again_doc = json::parse(again.out);
  ASSERT_EQ(first_doc["cases"].size(), 300U);
  ASSERT_EQ(first_doc["journal"].size(), 5U);
  ASSERT_EQ(again_doc["journal"].size(), 6U);
  again_doc["journal"].erase(5);
  EXPECT_EQ(again_doc, first_doc);
  auto verify = run({"--db", other.string(), "log", "--verify"});
  EXPECT_EQ(verify.code, 0) << verify.err;
  EXPECT_NE(verify.out.find("journal intact: 6 entries"), std::string::npos) << verify.out;
}

TEST_F(ImportStream, AJsonExportOver64MiBIsRead) {
  ASSERT_EQ(run({"import", write("sheet.csv", sheet(20)).string()}).code, 0);
  auto exported = run({"export"});
  ASSERT_EQ(exported.code, 0) << exported.err;
  // The same export with 65 MiB of blanks between its cases: valid JSON, over the CSV cap.
  std::string big = exported.out;
  auto second = big.find(",\n    {");
  ASSERT_NE(second, std::string::npos);
  big.insert(second + 1, std::string(k_over_64_mib, ' '));
  fs::path file = write("big.json", big);
  ASSERT_GT(fs::file_size(file), k_over_64_mib);

  fs::path other = m_dir / "other.db";
  auto imported = run({"--db", other.string(), "import", file.string()});
  ASSERT_EQ(imported.code, 0) << imported.err;
  EXPECT_EQ(imported.out, fmt::format("Imported 20 cases and 0 events from {}.\n", file.string()));
  auto again = run({"--db", other.string(), "export"});
  json again_doc = json::parse(again.out);
  json first_doc = json::parse(exported.out);
  EXPECT_EQ(again_doc["cases"], first_doc["cases"]);
  EXPECT_EQ(run({"--db", other.string(), "log", "--verify"}).code, 0);

  // Past the 64 MiB, text after the document is still refused at its byte, and nothing is
  // imported.
  const std::string before = dump();
  std::ofstream(file, std::ios::binary | std::ios::app) << "]";
  fs::path trailing = file;
  auto refused = run({"import", trailing.string()});
  expect_one_error_line(refused,
                        fmt::format("big.json: not valid JSON at byte {}: ", big.size() + 1));
  EXPECT_NE(refused.err.find("unexpected ']'; expected end of input"), std::string::npos);
  EXPECT_EQ(dump(), before);
}

TEST_F(ImportStream, ACsvOver64MiBIsStillRefused) {
  std::string csv = sheet(3);
  csv += std::string(k_over_64_mib, '\n');
  fs::path file = write("huge.csv", csv);
  const std::string before = dump();
  expect_one_error_line(
      run({"import", file.string()}),
      fmt::format("'{}' is larger than 64 MiB; casewatch reads files up to 64 MiB", file.string()));
  EXPECT_EQ(dump(), before);
}

}  // namespace
}  // namespace casewatch_test
