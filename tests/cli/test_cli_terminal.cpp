// SPDX-License-Identifier: MIT
// The terminal and the shell: usage and help, typos in options, --json where there is none,
// text that fits the screen, a database that is never created by a command that only reads,
// cron --install, the run summary in the log file, completion, and cases named by label.
#include <sys/stat.h>

#include "casewatch/util/text.hpp"
#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

TEST_F(Cli, ABareCasewatchPrintsAShortUsageAndExitsZero) {
  Result r = run({});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("usage: casewatch")) << r.out;
  for (const char* command : {"add", "list", "suggest", "check", "help"}) {
    EXPECT_NE(r.out.find("\n  " + std::string(command) + " "), std::string::npos) << command;
  }
  EXPECT_LT(lines_of(r.out).size(), 40U) << "a short summary, not the whole help";
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(dump(), "(no file)") << "usage opens no database";
}

TEST_F(Cli, HelpNamesACommandAndVersionHasAShortFlag) {
  Result r = run({"help", "times"});
  EXPECT_EQ(r.code, 0) << r.err;
  for (const char* sub : {"set", "import", "list"}) {
    EXPECT_NE(r.out.find(sub), std::string::npos) << r.out;
  }
  Result nested = run({"help", "times", "set"});
  EXPECT_EQ(nested.code, 0) << nested.err;
  EXPECT_NE(nested.out.find("--months"), std::string::npos) << nested.out;
  EXPECT_EQ(run({"help"}).out, run({}).out);
  expect_one_error_line(run({"help", "tmes"}), "'tmes' is not a command (did you mean 'times'?)");

  Result v = run({"-V"});
  EXPECT_EQ(v.code, 0);
  EXPECT_TRUE(v.out.starts_with("casewatch ")) << v.out;
  EXPECT_EQ(v.out, run({"--version"}).out);
}

TEST_F(Cli, AnUnknownOptionGetsTheNearestOne) {
  add_sample_cases();
  expect_one_error_line(run({"list", "--jsno"}),
                        "unknown option '--jsno' (did you mean '--json'?)");
  expect_one_error_line(run({"list", "--sotr", "due"}), "(did you mean '--sort'?)");
  expect_one_error_line(
      run({"add", "IOE0912345670", "--recieved", "2024-01-02", "--form", "I-765"}),
      "(did you mean '--received'?)");
  Result r = run({"list", "--zzzzzzzz"});
  expect_one_error_line(r, "unknown option '--zzzzzzzz'; run 'casewatch list --help'");
}

TEST_F(Cli, JsonOnACommandWithoutJsonIsAUsageError) {
  add_sample_cases();
  std::string before = dump();
  expect_one_error_line(run({"calendar", "--json"}), "--json: 'casewatch calendar' has no JSON");
  expect_one_error_line(run({"completion", "bash", "--json"}), "has no JSON output");
  expect_one_error_line(run({"export", "--format", "csv", "--json"}), "this export is CSV");
  expect_one_error_line(run({"--json", "export", "-o", (m_dir / "x.csv").string()}),
                        "this export is CSV");
  EXPECT_FALSE(fs::exists(m_dir / "x.csv"));
  EXPECT_EQ(run({"export", "--json"}).code, 0) << "an export is JSON already";
  EXPECT_EQ(dump(), before);
}

TEST_F(Cli, ListFitsTheTerminalAndCountsTheColumnsOfEachCharacter) {
  ASSERT_EQ(
      run({"add", "IOE0912345678", "--form", "I-485", "--category", "131A-FAM", "--office", "QNS",
           "--received", "2023-05-02", "--label", "王小明 绿卡 家庭 移民 申请 案件 标签"})
          .code,
      0);
  ASSERT_EQ(
      run({"add", "IOE0923456789", "--form", "I-765", "--received", "2024-06-03", "--label", "Ana"})
          .code,
      0);
  ASSERT_EQ(run({"add", "EAC2490012345", "--form", "I-130", "--category", "134A-IR", "--received",
                 "2024-02-05", "--label",
                 "Maria Guadalupe Fernandez de la Cruz Hernandez, mother of the petitioner"})
                .code,
            0);
  for (int columns : {200, 100}) {
    Result r = run({"--as-of", "2026-11-28", "list"}, {"COLUMNS=" + std::to_string(columns)});
    ASSERT_EQ(r.code, 0) << r.err;
    std::vector<std::string> rows = lines_of(r.out);
    ASSERT_GE(rows.size(), 4U) << r.out;
    // FORM starts in the same display column on every row, whatever the label's script.
    std::size_t form_column =
        casewatch::text::display_width(rows[0].substr(0, rows[0].find("FORM")));
    for (std::size_t i = 0; i < rows.size(); ++i) {
      EXPECT_LE(casewatch::text::display_width(rows[i]), static_cast<std::size_t>(columns))
          << rows[i];
      if (i > 0 && rows[i].find("I-") != std::string::npos) {
        EXPECT_EQ(casewatch::text::display_width(rows[i].substr(0, rows[i].find("I-"))),
                  form_column)
            << r.out;
      }
    }
    EXPECT_NE(r.out.find("Maria Guadalu"), std::string::npos);
    EXPECT_EQ(r.out.find("mother of the petitioner"), std::string::npos)
        << "a long label is cut with an ellipsis";
    EXPECT_NE(r.out.find("…"), std::string::npos);
  }
  // Into a pipe without COLUMNS, rows are whole except the label's limit.
  Result piped = run({"--as-of", "2026-11-28", "list"});
  EXPECT_NE(piped.out.find("Maria Guadalupe Fernandez"), std::string::npos);
}

TEST_F(Cli, AdviceWrapsToTheWidthItIsGiven) {
  add_sample_cases();
  for (int columns : {60, 120}) {
    Result r = run({"--as-of", "2026-11-28", "suggest", "IOE0912345678"},
                   {"COLUMNS=" + std::to_string(columns)});
    ASSERT_EQ(r.code, 0) << r.err;
    std::size_t widest = 0;
    for (const std::string& line : lines_of(r.out)) {
      if (line.find("https://") == std::string::npos) {  // a URL is one word
        widest = std::max(widest, casewatch::text::display_width(line));
      }
    }
    EXPECT_LE(widest, static_cast<std::size_t>(columns)) << r.out;
    EXPECT_GT(widest, static_cast<std::size_t>(columns) - 25) << "uses the width it has";
  }
}

TEST_F(Cli, CommandsThatOnlyReadNeverCreateADatabase) {
  fs::path typo = m_dir / "data" / "casses.db";
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"show", "5"},
                                             {"list"},
                                             {"overdue"},
                                             {"suggest"},
                                             {"check"},
                                             {"export"},
                                             {"calendar"},
                                             {"event", "5", "call"},
                                             {"edit", "5", "--label", "x"},
                                             {"rm", "5", "--yes"}}) {
    std::vector<std::string> with_db = {"--db", typo.string()};
    with_db.insert(with_db.end(), args.begin(), args.end());
    Result r = run(with_db);
    expect_one_error_line(r, "no database at " + typo.string());
    EXPECT_NE(r.err.find("'casewatch add' creates it"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(typo)) << args[0];
    EXPECT_FALSE(fs::exists(typo.parent_path())) << args[0];
  }
  // The processing-time table needs no database of the user's.
  Result times = run({"--db", typo.string(), "times", "list", "--form", "I-485"});
  EXPECT_EQ(times.code, 0) << times.err;
  EXPECT_NE(times.out.find("I-485"), std::string::npos);
  EXPECT_FALSE(fs::exists(typo));
  // The commands that add something create it.
  EXPECT_EQ(run({"--db", typo.string(), "add", "IOE0912345678", "--form", "I-485", "--received",
                 "2023-05-02"})
                .code,
            0);
  EXPECT_TRUE(fs::exists(typo));
  EXPECT_EQ(run({"--db", typo.string(), "show", "1"}).code, 0);
}

TEST_F(Cli, ALeadingTildeInTheDatabasePathIsTheHomeDirectory) {
  Result r = run({"add", "IOE0912345678", "--form", "I-485", "--received", "2023-05-02"},
                 {"CASEWATCH_DB=~/office/cases.db"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(m_dir / "office" / "cases.db"));
  EXPECT_FALSE(fs::exists(fs::path("~")));
  Result cron = run({"cron"}, {"CASEWATCH_DB=~/office/cases.db"});
  EXPECT_NE(cron.out.find("--db " + (m_dir / "office" / "cases.db").string()), std::string::npos)
      << cron.out;
  Result show = run({"--db=~/office/cases.db", "show", "1"});
  EXPECT_EQ(show.code, 0) << show.err;
}

// A stand-in for crontab(1) that keeps the table in a file: `-l` prints it (exit 1 when
// there is none, as the real one does), `crontab FILE` replaces it.
void write_fake_crontab(const fs::path& bin, const fs::path& table) {
  fs::create_directories(bin);
  std::ofstream script(bin / "crontab");
  script << "#!/bin/sh\n"
         << "table='" << table.string() << "'\n"
         << "if [ \"$1\" = -l ]; then\n"
         << "  [ -f \"$table\" ] || { echo 'no crontab for user' >&2; exit 1; }\n"
         << "  cat \"$table\"; exit 0\n"
         << "fi\n"
         << "cp \"$1\" \"$table\"\n";
  script.close();
  ::chmod((bin / "crontab").c_str(), 0755);
}

TEST_F(Cli, CronInstallAddsOrReplacesItsOwnLineAndKeepsTheOthers) {
  add_sample_cases();
  fs::path bin = m_dir / "bin";
  fs::path table = m_dir / "crontab.txt";
  write_fake_crontab(bin, table);
  std::vector<std::string> env = {"PATH=" + bin.string() + ":/usr/bin:/bin"};

  Result first = run({"cron", "--install"}, env);
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_TRUE(first.out.starts_with("Added to your crontab:")) << first.out;
  std::string after_first = slurp(table);
  EXPECT_NE(after_first.find("17 7 * * * "), std::string::npos) << after_first;

  Result again = run({"cron", "--install"}, env);
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_TRUE(again.out.starts_with("Already in your crontab:")) << again.out;
  EXPECT_EQ(slurp(table), after_first) << "idempotent";

  // The user's own lines stay; a new time replaces casewatch's line.
  {
    std::ofstream t(table, std::ios::app);
    t << "0 3 * * 0 /usr/local/bin/backup --all\n";
  }
  Result moved = run({"cron", "--install", "--at", "8:05"}, env);
  EXPECT_EQ(moved.code, 0) << moved.err;
  EXPECT_TRUE(moved.out.starts_with("Replaced in your crontab:")) << moved.out;
  std::string final_table = slurp(table);
  EXPECT_NE(final_table.find("0 3 * * 0 /usr/local/bin/backup --all\n"), std::string::npos);
  EXPECT_NE(final_table.find("5 8 * * * "), std::string::npos) << final_table;
  EXPECT_EQ(final_table.find("17 7 * * * "), std::string::npos) << final_table;
  std::size_t ours = 0;
  for (const std::string& line : lines_of(final_table)) {
    ours += line.ends_with(" check") ? 1U : 0U;
  }
  EXPECT_EQ(ours, 1U) << final_table;

  // Without crontab on PATH: exit 1, saying so.
  Result missing = run({"cron", "--install"}, {"PATH=" + (m_dir / "nowhere").string()});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("cannot run crontab"), std::string::npos) << missing.err;
}

TEST_F(Cli, TheLogFileGetsOneLineForEachRun) {
  add_sample_cases();
  fs::path log = m_dir / "casewatch.log";
  ASSERT_EQ(run({"--log-file", log.string(), "list"}).code, 0);
  ASSERT_EQ(run({"--log-file", log.string(), "show", "99"}).code, 2);
  std::string text = slurp(log);
  EXPECT_NE(text.find("run: casewatch list: exit 0"), std::string::npos) << text;
  EXPECT_NE(text.find("run: casewatch show: exit 2"), std::string::npos) << text;
  EXPECT_EQ(text.find("IOE0912345678"), std::string::npos) << "no case data at this level";
  EXPECT_EQ(text.find("Ana"), std::string::npos) << "no case data at this level";
}

TEST_F(Cli, CompletionOffersCasesShellsAndTheStatusesEditTakes) {
  add_sample_cases();
  Result cases = run({"completion", "--cases"});
  ASSERT_EQ(cases.code, 0) << cases.err;
  EXPECT_EQ(cases.out, "IOE0912345678\nIOE0923456789\nEAC2490012345\n");
  Result bash = run({"completion", "bash"});
  ASSERT_EQ(bash.code, 0) << bash.err;
  EXPECT_NE(bash.out.find("compgen -W \"pending closed\""), std::string::npos);
  EXPECT_NE(bash.out.find("completion --cases"), std::string::npos);
  EXPECT_NE(bash.out.find("bash zsh"), std::string::npos);
  Result zsh = run({"completion", "zsh"});
  EXPECT_NE(zsh.out.find("_casewatch_cases"), std::string::npos);
  EXPECT_NE(zsh.out.find(":status:(pending closed)"), std::string::npos);
  expect_one_error_line(run({"completion"}), "name the shell");
  // Without a database there is nothing to offer, and nothing is created.
  Result none = run({"--db", (m_dir / "none.db").string(), "completion", "--cases"});
  EXPECT_EQ(none.code, 0);
  EXPECT_EQ(none.out, "");
  EXPECT_FALSE(fs::exists(m_dir / "none.db"));
}

TEST_F(Cli, ShowAndSuggestTakeALabelThatNamesOneCase) {
  add_sample_cases();
  Result exact = run({"show", "ana aos"});
  ASSERT_EQ(exact.code, 0) << exact.err;
  EXPECT_NE(exact.out.find("IOE0912345678"), std::string::npos);
  Result part = run({"--as-of", "2026-11-28", "suggest", "Mother"});
  ASSERT_EQ(part.code, 0) << part.err;
  EXPECT_NE(part.out.find("EAC2490012345"), std::string::npos);
  Result several = run({"show", "Ana"});
  expect_one_error_line(several,
                        "'Ana' is part of the labels of 2 cases: IOE0912345678 'Ana AOS', "
                        "IOE0923456789 'Ana N-400'");
  expect_one_error_line(run({"show", "Nobody"}), "'Nobody' names no case");
  // Commands that change a case still want its receipt or id.
  expect_one_error_line(run({"rm", "Mother", "--yes"}), "'Mother' names no case");
}

// The overview of issue #23 (docs/cli.md `list`): at 80 and 60 columns each case is one
// line no wider than the terminal, whose NOW says what to do in a few words; the columns
// left out at 60 are the stated ones.
class Overview : public Cli {
 protected:
  void add_overview_cases() {
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
        // No due date recorded: casewatch assumes 84 days, to 2026-12-07.
        {"event", "WAC2590054321", "rfe", "--on", "2026-09-14"},
    };
    for (const auto& args : commands) {
      Result r = run(args);
      ASSERT_EQ(r.code, 0) << args[0] << ' ' << args[1] << ": " << r.err;
    }
  }

  // The lines of the table (up to the first blank line).
  static std::vector<std::string> table_of(const std::string& out) {
    std::vector<std::string> rows;
    for (const std::string& line : lines_of(out)) {
      if (line.empty()) {
        break;
      }
      rows.push_back(line);
    }
    return rows;
  }
};

TEST_F(Overview, At80And60ColumnsEachCaseIsOneLineThatSaysWhatToDo) {
  add_overview_cases();
  for (int columns : {80, 60}) {
    SCOPED_TRACE(columns);
    Result r = run({"list"}, {"COLUMNS=" + std::to_string(columns)});
    ASSERT_EQ(r.code, 0) << r.err;
    for (const std::string& line : lines_of(r.out)) {
      EXPECT_LE(casewatch::text::display_width(line), static_cast<std::size_t>(columns))
          << line << "\n"
          << r.out;
    }
    Result overdue = run({"overdue"}, {"COLUMNS=" + std::to_string(columns)});
    ASSERT_EQ(overdue.code, 0) << overdue.err;
    for (const std::string& line : lines_of(overdue.out)) {
      EXPECT_LE(casewatch::text::display_width(line), static_cast<std::size_t>(columns))
          << line << "\n"
          << overdue.out;
    }
    std::vector<std::string> rows = table_of(r.out);
    ASSERT_EQ(rows.size(), 5U) << "a header and one line per case:\n" << r.out;
    auto row_of = [&](const std::string& receipt) {
      auto it = std::find_if(rows.begin(), rows.end(),
                             [&](const std::string& row) { return row.starts_with(receipt); });
      return it == rows.end() ? std::string() : *it;
    };
    // NOW in a few words, whole.
    EXPECT_NE(row_of("WAC2590054321").find("RFE due 12-07?"), std::string::npos) << r.out;
    EXPECT_NE(row_of("EAC2490012345").find("  e-Request"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("[action]"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("[urgent]"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("days left"), std::string::npos) << "NEXT is left out:\n" << r.out;
    // The columns left out first: RECEIVED, then OFFICE, then NEXT (docs/cli.md).
    EXPECT_EQ(rows[0].find("RECEIVED"), std::string::npos) << rows[0];
    EXPECT_EQ(rows[0].find("OFFICE"), std::string::npos) << rows[0];
    EXPECT_NE(rows[0].find("CASE"), std::string::npos) << rows[0];
    EXPECT_NE(rows[0].find("NOW"), std::string::npos) << rows[0];
    if (columns == 80) {
      EXPECT_NE(rows[0].find("LABEL"), std::string::npos) << rows[0];
      EXPECT_NE(rows[0].find("DUE"), std::string::npos) << rows[0];
      EXPECT_NE(row_of("WAC2590054321").find("2026-12-07?"), std::string::npos) << r.out;
    } else {
      EXPECT_EQ(rows[0].find("FORM"), std::string::npos) << rows[0];
      EXPECT_NE(rows[0].find("LABEL"), std::string::npos) << rows[0];
    }
  }
  // Into a pipe every column is there, whole.
  Result piped = run({"list"});
  std::vector<std::string> rows = table_of(piped.out);
  ASSERT_EQ(rows.size(), 5U) << piped.out;
  for (const char* column :
       {"CASE", "LABEL", "FORM", "OFFICE", "RECEIVED", "DAYS", "NOW", "DUE", "NEXT"}) {
    EXPECT_NE(rows[0].find(column), std::string::npos) << column;
  }
  EXPECT_NE(piped.out.find("Ana: green card through family"), std::string::npos);
}

TEST_F(Overview, TheStaleNoticeIsOneLineInTheOverviewAndWholeWhereAsked) {
  add_overview_cases();
  const std::string line = "times: published 2024-10-18, 771 days old — casewatch times fetch\n";
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"list"}, {"overdue"}, {"suggest"}}) {
    Result r = run(args, {"COLUMNS=80"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("\n" + line), std::string::npos) << args[0] << ":\n" << r.out;
    EXPECT_EQ(r.out.find("Note: "), std::string::npos) << args[0] << ":\n" << r.out;
  }
  Result list = run({"list"}, {"COLUMNS=80"});
  EXPECT_TRUE(list.out.ends_with("\n\n" + line)) << list.out;
  // Too wide for 60 columns: the shorter form.
  Result narrow = run({"list"}, {"COLUMNS=60"});
  EXPECT_TRUE(narrow.out.ends_with("\ntimes: 771 days old — casewatch times fetch\n"))
      << narrow.out;
  // Whole in show and times list.
  Result show = run({"show", "IOE0912345678"}, {"COLUMNS=1000"});
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_NE(show.out.find("\nNote: The processing time used by 1 case was published on "
                          "2024-10-18, 771 days ago; USCIS updates them"),
            std::string::npos)
      << show.out;
  Result times = run({"times", "list"}, {"COLUMNS=1000"});
  ASSERT_EQ(times.code, 0) << times.err;
  EXPECT_NE(times.out.find("\n\nNote: The processing times used by 4 cases were published on "
                           "2024-10-18, 771 days ago; USCIS updates them"),
            std::string::npos)
      << times.out;
}

TEST_F(Overview, TheMonthlyNoticeAloneIsNotCalledNoNewFindings) {
  ASSERT_EQ(run({"add", "EAC2490012345", "--form", "I-130", "--category", "134A-IR", "--received",
                 "2024-02-05"})
                .code,
            0);
  Result first = run({"check"});
  ASSERT_EQ(first.code, 0) << first.err;
  ASSERT_NE(first.out.find("new finding"), std::string::npos) << first.out;
  // The next month: nothing new about the case, the notice again.
  Result next = run({"check", "--as-of", "2026-12-01"}, {"COLUMNS=1000"});
  ASSERT_EQ(next.code, 0) << next.err;
  EXPECT_TRUE(next.out.starts_with("casewatch, 2026-12-01: the processing times are out of date\n"))
      << next.out;
  EXPECT_EQ(next.out.find("no new findings"), std::string::npos) << next.out;
  EXPECT_NE(next.out.find("Note: The processing time used by 1 case was published on 2024-10-18"),
            std::string::npos)
      << next.out;
}

TEST_F(Overview, ShowWrapsItsFieldsBetweenWords) {
  add_overview_cases();
  Result r = run({"show", "IOE0912345678"}, {"COLUMNS=50"});
  ASSERT_EQ(r.code, 0) << r.err;
  bool continued = false;
  for (const std::string& line : lines_of(r.out)) {
    if (line == "Timeline") {
      break;  // the fields end here
    }
    EXPECT_LE(casewatch::text::display_width(line), 50U) << line << "\n" << r.out;
    continued = continued || (line.starts_with(std::string(17, ' ')) && line[17] != ' ');
  }
  // The value's next lines start under its first column.
  EXPECT_TRUE(continued) << r.out;
  EXPECT_NE(r.out.find("\n  time used      I-485 (131A-FAM) at QNS: 25.5\n" + std::string(17, ' ') +
                       "months, published 2024-10-18\n"),
            std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace casewatch_test
