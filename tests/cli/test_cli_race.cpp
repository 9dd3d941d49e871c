// SPDX-License-Identifier: MIT
// Commands that read a case and write it back, run at the same moment as others (issue 21):
// each read happens under the write lock, so every race ends with each command's effect in
// the database, or with a clear exit 2 and nothing written (docs/cli.md "Running together").
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

class CliRace : public Cli {
 protected:
  json show(const std::string& which) {
    Result r = run({"show", which, "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }
  // The journal entries whose command line holds `word`.
  int entries_with(const std::string& word) {
    SQLite::Database db(m_db.string());
    SQLite::Statement q(db, "SELECT count(*) FROM journal WHERE instr(command, :w) > 0");
    q.bind(":w", word);
    q.executeStep();
    return q.getColumn(0).getInt();
  }
  int count(const std::string& sql) {
    SQLite::Database db(m_db.string());
    return db.execAndGet(sql).getInt();
  }
};

// The rounds of a race: `n`, or fewer when CASEWATCH_RACE_ROUNDS says so (the sanitizer run
// of .ci/test, where each process is ten times slower: there the races check memory safety,
// the full count runs in the -Werror build).
int rounds(int n) {
  if (const char* v = std::getenv("CASEWATCH_RACE_ROUNDS"); v != nullptr && *v != '\0') {
    return std::clamp(std::atoi(v), 1, n);
  }
  return n;
}

std::string text_of(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

// A refusal because the case went away meanwhile: one clear line, exit 2, no SQLite words.
void expect_removed_meanwhile(const Result& r) {
  EXPECT_EQ(r.code, 2) << r.err;
  // Removed while it waited for the lock, or before it looked.
  EXPECT_TRUE(r.err.find("removed by another casewatch") != std::string::npos ||
              r.err.find("no case") != std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("constraint"), std::string::npos) << r.err;
}

TEST_F(CliRace, ThreeEditsOfOneCaseAtOnceKeepEachField) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--category", "131A-FAM", "--office",
                 "QNS", "--received", "2023-05-02"})
                .code,
            0);
  int lost = 0;
  for (int round = 0; round < rounds(50); ++round) {
    std::string label = "label " + std::to_string(round);
    std::string note = "note " + std::to_string(round);
    std::string received = round % 2 == 0 ? "2023-05-01" : "2023-05-02";
    auto a = spawn({"edit", "IOE0912345678", "--label", label});
    auto b = spawn({"edit", "IOE0912345678", "--note", note});
    auto c = spawn({"edit", "IOE0912345678", "--received", received});
    Result ra = finish(a);
    Result rb = finish(b);
    Result rc = finish(c);
    ASSERT_EQ(ra.code, 0) << ra.err;
    ASSERT_EQ(rb.code, 0) << rb.err;
    ASSERT_EQ(rc.code, 0) << rc.err;
    json got = show("IOE0912345678")["case"];
    if (text_of(got, "label") != label || text_of(got, "note") != note ||
        text_of(got, "received") != received) {
      ++lost;
      ADD_FAILURE() << "round " << round << ": " << got.dump();
    }
  }
  EXPECT_EQ(lost, 0);
}

TEST_F(CliRace, AnEditRacingTheUndoOfItsCasesAddIsWrittenOrRefused) {
  for (int round = 0; round < rounds(40); ++round) {
    std::string receipt = fmt::format("IOE09123456{:02}", round);
    ASSERT_EQ(run({"add", receipt, "--form", "I-485", "--received", "2023-05-02"}).code, 0);
    std::string label = "edited " + std::to_string(round);
    auto e = spawn({"edit", receipt, "--label", label});
    auto u = spawn({"undo"});
    Result re = finish(e);
    Result ru = finish(u);
    ASSERT_EQ(ru.code, 0) << ru.err;
    std::string edit_command = "edit " + receipt;
    if (re.code == 0) {
      // Written (and then undone, as the newest change): its entry is in the journal.
      EXPECT_EQ(entries_with(edit_command), 1) << "round " << round << ": " << re.out;
    } else {
      expect_removed_meanwhile(re);
      EXPECT_EQ(entries_with(edit_command), 0) << "round " << round;
    }
  }
}

TEST_F(CliRace, AnEventRacingTheUndoOfItsCasesAddIsRecordedOrRefused) {
  for (int round = 0; round < rounds(40); ++round) {
    std::string receipt = fmt::format("IOE09123457{:02}", round);
    ASSERT_EQ(run({"add", receipt, "--form", "I-485", "--received", "2023-05-02"}).code, 0);
    auto e = spawn({"event", receipt, "e-request", "--on", "2025-01-10"});
    auto u = spawn({"undo"});
    Result re = finish(e);
    Result ru = finish(u);
    ASSERT_EQ(ru.code, 0) << ru.err;
    if (re.code == 0) {
      EXPECT_EQ(entries_with("event " + receipt), 1) << "round " << round;
    } else {
      expect_removed_meanwhile(re);
    }
  }
  EXPECT_EQ(count("SELECT count(*) FROM pragma_foreign_key_check"), 0);
}

TEST_F(CliRace, AStatusImportRacingTheUndoOfItsCasesAddIsRecordedOrRefused) {
  std::string file = std::string(CASEWATCH_TEST_DATA) + "/status/text-card-mailed.txt";
  for (int round = 0; round < rounds(40); ++round) {
    ASSERT_EQ(run({"add", "EAC2490012345", "--form", "I-765", "--received", "2024-06-03"}).code, 0);
    int before = entries_with("status import");
    auto s = spawn({"status", "import", file});
    auto u = spawn({"undo"});
    Result rs = finish(s);
    Result ru = finish(u);
    ASSERT_EQ(ru.code, 0) << ru.err;
    if (rs.code == 0 && rs.out.find("skipped") == std::string::npos) {
      EXPECT_EQ(entries_with("status import"), before + 1) << "round " << round;
    } else if (rs.code == 0) {
      EXPECT_EQ(entries_with("status import"), before) << "round " << round;  // gone before
    } else {
      expect_removed_meanwhile(rs);
    }
    // Whatever is left of the case goes, for the next round.
    run({"rm", "EAC2490012345", "--yes"});
  }
}

TEST_F(CliRace, AnEventEditAndAnEventRmRacingEditsOfTheCaseLoseNothing) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2023-05-02"}).code, 0);
  for (int round = 0; round < rounds(30); ++round) {
    ASSERT_EQ(
        run({"event", "IOE0912345678", "rfe", "--on", "2025-02-03", "--due", "2025-05-01"}).code,
        0);
    json events = show("IOE0912345678")["events"];
    ASSERT_FALSE(events.empty());
    std::string n = std::to_string(events.back()["n"].get<int>());
    // Appended, not `"n" + string`: GCC 12 at -O3 warns falsely (-Wrestrict) on that.
    std::string ref = std::string("SRMT").append(std::to_string(round));
    std::string note = std::string("n").append(std::to_string(round));
    auto a = spawn({"event", "edit", "IOE0912345678", n, "--ref", ref});
    auto b = spawn({"event", "edit", "IOE0912345678", n, "--note", note});
    Result ra = finish(a);
    Result rb = finish(b);
    ASSERT_EQ(ra.code, 0) << ra.err;
    ASSERT_EQ(rb.code, 0) << rb.err;
    json last = show("IOE0912345678")["events"].back();
    EXPECT_EQ(text_of(last, "ref"), ref) << "round " << round << ": " << last.dump();
    EXPECT_EQ(text_of(last, "note"), note) << "round " << round << ": " << last.dump();
    // Removing it twice at once: one removes it, the other says it is not there.
    auto c = spawn({"event", "rm", "IOE0912345678", n});
    auto d = spawn({"event", "rm", "IOE0912345678", n});
    Result rc = finish(c);
    Result rd = finish(d);
    EXPECT_EQ((rc.code == 0) + (rd.code == 0), 1) << rc.err << rd.err;
    EXPECT_EQ(rc.code + rd.code, 2) << rc.err << rd.err;
  }
}

TEST_F(CliRace, TwoRemovalsOfOneCaseAtOnceRemoveItOnce) {
  for (int round = 0; round < rounds(30); ++round) {
    std::string receipt = fmt::format("IOE09123458{:02}", round);
    ASSERT_EQ(run({"add", receipt, "--form", "I-485", "--received", "2023-05-02"}).code, 0);
    auto a = spawn({"rm", receipt, "--yes"});
    auto b = spawn({"rm", receipt, "--yes"});
    Result ra = finish(a);
    Result rb = finish(b);
    EXPECT_EQ(ra.code + rb.code, 2) << ra.err << rb.err;
    const Result& refused = ra.code == 0 ? rb : ra;
    if (ra.code == 2 || rb.code == 2) {
      EXPECT_NE(refused.err.find("no case"), std::string::npos) << refused.err;
    }
    EXPECT_EQ(entries_with("rm " + receipt), 1) << "round " << round;
  }
}

}  // namespace
}  // namespace casewatch_test
