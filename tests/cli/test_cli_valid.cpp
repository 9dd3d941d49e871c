// SPDX-License-Identifier: MIT
// One definition of a valid case and event: the command line and import refuse the same
// values in the same words, and an export comes back through import with its data.
#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

// The cases of an export, without the ids the database assigns; with `events`, their events.
json cases_of(const std::string& export_json, bool events) {
  json doc = json::parse(export_json);
  json cases = doc.at("cases");
  for (json& c : cases) {
    c.erase("id");
    if (!events) {
      c.erase("events");
    }
  }
  return cases;
}

class CliValid : public Cli {
 protected:
  // Three cases: a denied I-765 (by its event), a pending I-485 with every field, and a
  // closed I-130 without a receipt.
  void add_varied_cases() {
    ASSERT_EQ(run({"add", "EAC2490012345", "--form", "I-765", "--category", "147-C9", "--received",
                   "2024-06-01", "--label", "EAD"})
                  .code,
              0);
    ASSERT_EQ(run({"event", "EAC2490012345", "denied", "--on", "2025-05-20"}).code, 0);
    ASSERT_EQ(run({"add",
                   "IOE0912345678",
                   "--form",
                   "I-485",
                   "--category",
                   "131A-FAM",
                   "--office",
                   "QNS",
                   "--received",
                   "2023-05-02",
                   "--sent",
                   "2023-04-28",
                   "--priority-date",
                   "2023-04-28",
                   "--premium",
                   "2023-06-01",
                   "--label",
                   "Ana, \"AOS\"",
                   "--note",
                   "two\nlines"})
                  .code,
              0);
    ASSERT_EQ(run({"add", "--sent", "2026-03-02", "--form", "I-130", "--label", "Mother"}).code, 0);
    ASSERT_EQ(run({"edit", "#3", "--status", "closed"}).code, 0);
  }
};

TEST_F(CliValid, CsvExportImportKeepsEveryCaseFieldAndTheDecidedStatus) {
  add_varied_cases();
  const fs::path csv = m_dir / "cases.csv";
  ASSERT_EQ(run({"export", "--format", "csv", "-o", csv.string()}).code, 0);
  const std::string other = (m_dir / "other.db").string();
  Result imported = run({"--db", other, "import", csv.string()});
  ASSERT_EQ(imported.code, 0) << imported.err;

  Result before = run({"export", "--format", "json"});
  Result after = run({"--db", other, "export", "--format", "json"});
  ASSERT_EQ(before.code, 0) << before.err;
  ASSERT_EQ(after.code, 0) << after.err;
  // Every field of every case, compared as data (the CSV carries no events).
  EXPECT_EQ(cases_of(after.out, false), cases_of(before.out, false));
  EXPECT_EQ(cases_of(after.out, false)[0].at("status"), "denied");

  // The rules see the imported case as denied, as they see the original.
  Result list_before = run({"--json", "list", "--all", "--sort", "id"});
  Result list_after = run({"--db", other, "--json", "list", "--all", "--sort", "id"});
  ASSERT_EQ(list_after.code, 0) << list_after.err;
  json a = json::parse(list_before.out).at("cases");
  json b = json::parse(list_after.out).at("cases");
  ASSERT_EQ(a.size(), 3U);
  ASSERT_EQ(b.size(), 3U);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(b[i].at("status"), a[i].at("status")) << b[i].dump();
  }
  EXPECT_EQ(b[0].at("status"), "denied");
  EXPECT_EQ(b[2].at("status"), "closed");
}

TEST_F(CliValid, JsonExportImportKeepsCasesAndEvents) {
  add_varied_cases();
  ASSERT_EQ(
      run({"event", "IOE0912345678", "rfe", "--on", "2025-02-03", "--due", "2025-05-01"}).code, 0);
  ASSERT_EQ(
      run({"event", "IOE0912345678", "transfer", "--on", "2025-03-01", "--office", "NYC"}).code, 0);
  const fs::path file = m_dir / "cases.json";
  ASSERT_EQ(run({"export", "-o", file.string()}).code, 0);
  const std::string other = (m_dir / "other.db").string();
  ASSERT_EQ(run({"--db", other, "import", file.string()}).code, 0);
  Result before = run({"export", "--format", "json"});
  Result after = run({"--db", other, "export", "--format", "json"});
  EXPECT_EQ(cases_of(after.out, true), cases_of(before.out, true));
}

// The same value is refused by `event` and by `import`, with the same words after the
// name of the option or the place in the file.
TEST_F(CliValid, EventAndImportRefuseADueDateTheSameWay) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2023-05-02"}).code, 0);
  const std::string before = dump();
  const std::string wrong_kind =
      "only an rfe or noid event (the response due date), a receipt, card-mailed, "
      "notice-mailed or card-returned event (USCIS's own \"by\" date) or a visa-issued event "
      "(the visa's expiry) has a due date, not interview";
  expect_one_error_line(
      run({"event", "IOE0912345678", "interview", "--on", "2025-01-10", "--due", "2025-02-01"}),
      "--due: " + wrong_kind);
  const std::string too_early = "2025-01-01 is before the rfe date 2025-02-03";
  expect_one_error_line(
      run({"event", "IOE0912345678", "rfe", "--on", "2025-02-03", "--due", "2025-01-01"}),
      "--due: " + too_early);
  EXPECT_EQ(dump(), before);

  auto doc = [](const std::string& event) {
    return R"({"format": "casewatch-export", "version": 1, "cases": [
        {"receipt": "EAC2490012345", "form": "I-765", "received": "2024-06-01",
         "events": [)" +
           event + "]}]}";
  };
  const fs::path file = m_dir / "in.json";
  std::ofstream(file) << doc(R"({"kind": "interview", "date": "2025-01-10", "due": "2025-02-01"})");
  expect_one_error_line(run({"import", file.string()}),
                        "case 1 (EAC2490012345), event 1, field due: " + wrong_kind);
  std::ofstream(file) << doc(R"({"kind": "rfe", "date": "2025-02-03", "due": "2025-01-01"})");
  expect_one_error_line(run({"import", file.string()}),
                        "case 1 (EAC2490012345), event 1, field due: " + too_early);
  EXPECT_EQ(dump(), before);
}

TEST_F(CliValid, AddAndImportRefuseReceivedBeforeSentTheSameWay) {
  expect_one_error_line(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2023-05-02",
                             "--sent", "2023-06-01"}),
                        "--received: 2023-05-02 is before --sent 2023-06-01; USCIS cannot "
                        "receive a filing before it was sent");
  const fs::path file = m_dir / "in.csv";
  std::ofstream(file) << "receipt,form,received,sent\n"
                         "EAC2490012345,I-765,2024-06-01,\n"
                         "IOE0912345678,I-485,2023-05-02,2023-06-01\n";
  expect_one_error_line(run({"import", file.string()}),
                        "line 3, field received: 2023-05-02 is before sent 2023-06-01; USCIS "
                        "cannot receive a filing before it was sent");
  EXPECT_EQ(dump(), "(no file)");
}

TEST_F(CliValid, ImportWarnsLikeAddAboutAnUnknownReceiptPrefix) {
  const fs::path file = m_dir / "in.csv";
  std::ofstream(file) << "receipt,form,received\nABC2490012345,I-765,2024-06-01\n";
  Result r = run({"import", file.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("receipt prefix ABC is not one USCIS is known to use"), std::string::npos)
      << r.err;
  Result add = run({"add", "ABC2490012346", "--form", "I-765", "--received", "2024-06-01"});
  ASSERT_EQ(add.code, 0) << add.err;
  EXPECT_NE(add.err.find("receipt prefix ABC is not one USCIS is known to use"), std::string::npos)
      << add.err;
}

TEST_F(CliValid, AnEventDateTypedAsAThirdWordPointsToOn) {
  add_sample_cases();
  std::string before = dump();
  Result r = run({"event", "IOE0912345678", "e-request", "2026-11-02"});
  expect_one_error_line(r, "'2026-11-02' looks like a date: give it with --on");
  EXPECT_EQ(dump(), before);
  // Another stray word is named as not expected, not as a missing subcommand.
  Result stray = run({"event", "IOE0912345678", "e-request", "yes"});
  expect_one_error_line(stray, "yes");
  EXPECT_EQ(stray.err.find("needs one of"), std::string::npos) << stray.err;
}

}  // namespace
}  // namespace casewatch_test
