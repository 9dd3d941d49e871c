// SPDX-License-Identifier: MIT
// Whole outputs under test: what `list`, `show`, `overdue`, `suggest`, `check`, `calendar`,
// `log`, `--help` and `help COMMAND` (every command and subcommand) print, in text and JSON,
// compared byte for byte with the golden files of tests/cli/golden/.
//
// The sample: the three cases of .ci/demo (an I-485 at QNS received 2023-05-02 with an
// e-Request on 2026-09-14, an N-400 with an interview on 2026-03-02, an I-130 with an EAC
// receipt of 2024-02-05) and an I-765 with an RFE due 2026-12-10, on 2026-11-28 (the
// fixture's CASEWATCH_TODAY), written at CASEWATCH_NOW=2026-11-28T09:14:03Z by
// CASEWATCH_USER=ana, so that the journal too prints the same bytes on every run.
//
// When an output changes on purpose, regenerate every file with one command and read the
// diff as a user would read the output:
//
//   CASEWATCH_UPDATE_GOLDEN=1 build/ci/casewatch_cli_tests --gtest_filter='Golden*'
//   git diff tests/cli/golden/
//
// With CASEWATCH_UPDATE_GOLDEN set (to anything but 0) the tests write the files instead of
// comparing them; the help files are written afresh (the file of a removed command goes).
// A file that differs is also left, as printed, in the test's directory, named on failure.
//
// Also here: every rule id of rule_ids() has its section in docs/rules.md.
#include <cstdlib>
#include <tuple>

#include "casewatch/domain/rules.hpp"
#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

const std::vector<std::string> k_env = {"CASEWATCH_USER=ana", "CASEWATCH_NOW=2026-11-28T09:14:03Z"};

bool updating() {
  const char* v = std::getenv("CASEWATCH_UPDATE_GOLDEN");
  return v != nullptr && *v != '\0' && std::string_view(v) != "0";
}

fs::path golden_dir() {
  return fs::path(CASEWATCH_GOLDEN_DIR);
}

// The lines of `s`, each with its line break.
std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t end = s.find('\n', start);
    end = end == std::string::npos ? s.size() : end + 1;
    lines.push_back(s.substr(start, end - start));
    start = end;
  }
  return lines;
}

class Golden : public Cli {
 protected:
  Result cw(const std::vector<std::string>& args) { return run(args, k_env); }

  // The sample cases, as .ci/demo adds them, and the case with an RFE.
  void add_golden_cases() {
    const std::vector<std::vector<std::string>> commands = {
        {"add", "IOE0912345678", "--form", "I-485", "--category", "131A-FAM", "--office", "QNS",
         "--received", "2023-05-02", "--label", "Ana: green card through family"},
        {"add", "IOE0923456789", "--form", "N-400", "--category", "160A", "--office", "QNS",
         "--received", "2024-06-03", "--label", "Luis: citizenship"},
        {"add", "EAC2490012345", "--form", "I-130", "--category", "134A-IR", "--received",
         "2024-02-05", "--label", "Mother: relative petition"},
        {"add", "WAC2590054321", "--form", "I-765", "--category", "147-C9", "--received",
         "2025-06-16", "--label", "Chen: work permit"},
        {"event", "IOE0912345678", "e-request", "--on", "2026-09-14", "--ref", "SRMT0123456789"},
        {"event", "IOE0923456789", "interview", "--on", "2026-03-02"},
        {"event", "WAC2590054321", "rfe", "--on", "2026-10-26", "--due", "2026-12-10"},
    };
    for (const auto& args : commands) {
      Result r = cw(args);
      ASSERT_EQ(r.code, 0) << args[0] << ' ' << args[1] << ": " << r.err;
    }
  }

  // Runs `args`, expects exit 0 and nothing on stderr, and compares stdout with `name`.
  void expect_output(const std::string& name, const std::vector<std::string>& args) {
    Result r = cw(args);
    EXPECT_EQ(r.code, 0) << name << ": " << r.err;
    EXPECT_EQ(r.err, "") << name;
    expect_golden(name, r.out);
  }

  // Compares `actual` with the golden file `name`, or writes it when updating.
  void expect_golden(const std::string& name, std::string actual) {
    // The test's directory is random; no output should name it, but if one does, the
    // golden file says $DIR.
    for (std::size_t at = 0; (at = actual.find(m_dir.string(), at)) != std::string::npos;) {
      actual.replace(at, m_dir.string().size(), "$DIR");
    }
    fs::path file = golden_dir() / name;
    if (updating()) {
      fs::create_directories(file.parent_path());
      std::ofstream(file, std::ios::binary) << actual;
      return;
    }
    if (!fs::exists(file)) {
      ADD_FAILURE() << file << " is missing; CASEWATCH_UPDATE_GOLDEN=1 writes it";
      return;
    }
    std::string expected = slurp(file);
    if (expected == actual) {
      return;
    }
    std::ofstream(m_dir / name, std::ios::binary) << actual;
    auto want = lines_of(expected);
    auto got = lines_of(actual);
    std::size_t i = 0;
    while (i < want.size() && i < got.size() && want[i] == got[i]) {
      ++i;
    }
    ADD_FAILURE() << name << " differs from " << file << " at line " << i + 1
                  << "\n  expected: " << (i < want.size() ? want[i] : "(end of file)\n")
                  << "  printed:  " << (i < got.size() ? got[i] : "(end of output)\n")
                  << "the whole output is in " << m_dir / name
                  << "; if the change is meant: CASEWATCH_UPDATE_GOLDEN=1 "
                     "casewatch_cli_tests --gtest_filter='Golden*'";
  }
};

TEST_F(Golden, List) {
  add_golden_cases();
  expect_output("list.txt", {"list"});
  expect_output("list.json", {"list", "--json"});
  expect_output("list-all.txt", {"list", "--all", "--sort", "id"});
}

TEST_F(Golden, Show) {
  add_golden_cases();
  expect_output("show.txt", {"show", "IOE0912345678"});
  expect_output("show.json", {"show", "IOE0912345678", "--json"});
  expect_output("show-rfe.txt", {"show", "WAC2590054321"});
}

TEST_F(Golden, Overdue) {
  add_golden_cases();
  expect_output("overdue.txt", {"overdue"});
  expect_output("overdue.json", {"overdue", "--json"});
}

TEST_F(Golden, Suggest) {
  add_golden_cases();
  expect_output("suggest.txt", {"suggest"});
  expect_output("suggest.json", {"suggest", "--json"});
}

TEST_F(Golden, Check) {
  add_golden_cases();
  expect_output("check.json", {"check", "--json", "--dry-run"});
  expect_output("check.txt", {"check"});
  // What the first check reported is not news the day after: silent.
  Result again = cw({"check", "--as-of", "2026-11-29"});
  EXPECT_EQ(again.code, 0) << again.err;
  expect_golden("check-next-day.txt", again.out);
}

TEST_F(Golden, Calendar) {
  add_golden_cases();
  expect_output("calendar.ics", {"calendar"});
}

TEST_F(Golden, Log) {
  add_golden_cases();
  expect_output("log.txt", {"log"});
  expect_output("log.json", {"log", "--json"});
  expect_output("log-verify.txt", {"log", "--verify"});
}

// `show --timeline` at 80 columns, in ASCII (NO_COLOR, the fixture's) and in UTF-8.
TEST_F(Golden, Timeline) {
  add_golden_cases();
  auto env = [](std::vector<std::string> more) {
    std::vector<std::string> all = k_env;
    all.insert(all.end(), more.begin(), more.end());
    return all;
  };
  for (const auto& [name, args, extra] :
       std::vector<std::tuple<std::string, std::vector<std::string>, std::vector<std::string>>>{
           {"timeline.txt", {"show", "IOE0912345678", "--timeline"}, {"COLUMNS=80"}},
           {"timeline-utf8.txt",
            {"show", "IOE0912345678", "--timeline"},
            {"COLUMNS=80", "NO_COLOR=", "LANG=C.UTF-8"}},
           {"timeline-n400.txt", {"show", "IOE0923456789", "--timeline"}, {"COLUMNS=80"}},
           {"timeline-rfe-utf8.txt",
            {"show", "WAC2590054321", "--timeline"},
            {"COLUMNS=80", "NO_COLOR=", "LC_ALL=en_US.UTF-8"}}}) {
    Result r = run(args, env(extra));
    EXPECT_EQ(r.code, 0) << name << ": " << r.err;
    EXPECT_EQ(r.err, "") << name;
    expect_golden(name, r.out);
  }
}

// The subcommands a help text lists under "Subcommands:".
std::vector<std::string> subcommands_of(const std::string& help) {
  std::vector<std::string> names;
  std::istringstream in(help);
  std::string line;
  bool listing = false;
  while (std::getline(in, line)) {
    if (line == "Subcommands:") {
      listing = true;
    } else if (listing && line.starts_with("  ") && line.size() > 2 && line[2] != ' ') {
      names.push_back(line.substr(2, line.find(' ', 2) - 2));
    } else if (listing) {
      listing = !line.empty() && line.starts_with("  ");
    }
  }
  return names;
}

TEST_F(Golden, Help) {
  if (updating()) {
    for (const auto& entry : fs::directory_iterator(golden_dir())) {
      if (entry.path().filename().string().starts_with("help")) {
        fs::remove(entry.path());
      }
    }
  }
  Result top = cw({"--help"});
  EXPECT_EQ(top.code, 0) << top.err;
  expect_golden("help.txt", top.out);
  std::vector<std::string> commands = subcommands_of(top.out);
  ASSERT_GE(commands.size(), 10U) << top.out;
  for (const std::string& command : commands) {
    Result r = cw({"help", command});
    EXPECT_EQ(r.code, 0) << command << ": " << r.err;
    EXPECT_EQ(r.err, "") << command;
    expect_golden("help-" + command + ".txt", r.out);
    for (const std::string& sub : subcommands_of(r.out)) {
      Result s = cw({"help", command, sub});
      EXPECT_EQ(s.code, 0) << command << ' ' << sub << ": " << s.err;
      EXPECT_EQ(s.err, "") << command << ' ' << sub;
      expect_golden("help-" + command + "-" + sub + ".txt", s.out);
    }
  }
}

// Each rule id of the code (rule_ids(), the one list) has its section in docs/rules.md: a
// "### " heading under "## The rules" that names it in backticks; and each such heading
// names at least one id of the list, so that no section outlives its rule.
TEST(RulesDoc, EveryRuleIdHasItsSection) {
  std::string doc = slurp(fs::path(CASEWATCH_SOURCE_DIR) / "docs" / "rules.md");
  ASSERT_FALSE(doc.empty());
  std::vector<std::string> headings;
  bool in_rules = false;
  std::istringstream in(doc);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("## ")) {
      in_rules = line == "## The rules";
    } else if (in_rules && line.starts_with("### ")) {
      headings.push_back(line);
    }
  }
  ASSERT_FALSE(headings.empty()) << "docs/rules.md has no \"## The rules\" with ### sections";
  auto names = [](const std::string& heading, std::string_view id) {
    // Appended, not `"`" + string`: GCC 12 at -O3 warns falsely (-Wrestrict) on that.
    std::string quoted = "`";
    quoted.append(id).append("`");
    return heading.find(quoted) != std::string::npos;
  };
  for (std::string_view id : casewatch::rule_ids()) {
    bool found = std::any_of(headings.begin(), headings.end(),
                             [&](const std::string& h) { return names(h, id); });
    EXPECT_TRUE(found) << "docs/rules.md has no \"### `" << id << "`\" section under \"## The "
                       << "rules\"";
  }
  for (const std::string& h : headings) {
    bool known = std::any_of(casewatch::rule_ids().begin(), casewatch::rule_ids().end(),
                             [&](std::string_view id) { return names(h, id); });
    EXPECT_TRUE(known) << "docs/rules.md: \"" << h << "\" names no id of rule_ids()";
  }
}

}  // namespace
}  // namespace casewatch_test
