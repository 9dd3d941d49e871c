// SPDX-License-Identifier: MIT
// The fixture of the black-box tests: runs the built binary in a fresh temporary directory, as
// a user would, and checks stdout, stderr, the exit code and what the database holds afterwards.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "casewatch/store/store.hpp"

extern char** environ;

namespace casewatch_test {

namespace fs = std::filesystem;
using nlohmann::json;

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The day every test run takes as today (CASEWATCH_TODAY).
inline constexpr const char* k_today = "2026-11-28";

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    m_dir = fs::temp_directory_path() / ("casewatch-cli-" + std::to_string(rd()));
    fs::create_directories(m_dir);
    m_db = m_dir / "data" / "cases.db";
  }
  void TearDown() override {
    if (HasFailure()) {
      std::cerr << "Test data left in " << m_dir << '\n';
    } else {
      fs::remove_all(m_dir);
    }
  }

  // A started casewatch process, whose output goes to files of its own.
  struct Process {
    pid_t pid = -1;
    fs::path out;
    fs::path err;
  };

  // Starts casewatch with `args`, stdin from /dev/null, in a scrubbed environment.
  // `stdout_to`: where standard output goes: empty for a file of the test's own (read back
  // into Result::out), a path such as "/dev/full", or "closed" for no standard output at all.
  // The scrubbed environment of a run, with `env`'s variables.
  std::vector<std::string> environment(const std::vector<std::string>& env) const {
    // Every run is on one fixed day, whatever the clock says: a test's expectations do not
    // move with the calendar. A test that needs another day gives CASEWATCH_TODAY itself.
    std::vector<std::string> env_s = {"CASEWATCH_DB=" + m_db.string(),
                                      "NO_COLOR=1",
                                      "TZ=UTC",
                                      std::string("CASEWATCH_TODAY=") + k_today,
                                      "HOME=" + m_dir.string(),
                                      "PATH=/usr/bin:/bin"};
    for (const std::string& e : env) {
      // A variable given here replaces the default of the same name.
      std::string name = e.substr(0, e.find('=') + 1);
      std::erase_if(env_s, [&](const std::string& d) { return d.starts_with(name); });
      env_s.push_back(e);
    }
    return env_s;
  }

  // `strings` as the null-terminated array of an exec call (pointing into `strings`).
  static std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) {
      out.push_back(s.data());
    }
    out.push_back(nullptr);
    return out;
  }

  Process spawn(const std::vector<std::string>& args, const std::vector<std::string>& env = {},
                const std::string& stdout_to = {}) {
    std::vector<std::string> argv_s = {CASEWATCH_BIN};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<std::string> env_s = environment(env);
    std::vector<char*> argv = c_strings(argv_s);
    std::vector<char*> envp = c_strings(env_s);
    Process p;
    ++m_runs;
    p.out = m_dir / ("stdout." + std::to_string(m_runs));
    p.err = m_dir / ("stderr." + std::to_string(m_runs));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (stdout_to == "closed") {
      posix_spawn_file_actions_addclose(&fa, 1);
    } else {
      posix_spawn_file_actions_addopen(&fa, 1,
                                       stdout_to.empty() ? p.out.c_str() : stdout_to.c_str(),
                                       O_WRONLY | O_CREAT | O_TRUNC, 0600);
    }
    posix_spawn_file_actions_addopen(&fa, 2, p.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int rc = posix_spawn(&p.pid, argv[0], &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
      ADD_FAILURE() << "cannot run " << CASEWATCH_BIN;
      p.pid = -1;
    }
    return p;
  }

  // Waits for `p` and collects what it printed.
  static Result finish(const Process& p) {
    Result r;
    if (p.pid < 0) {
      return r;
    }
    int status = 0;
    waitpid(p.pid, &status, 0);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(p.out);
    r.err = slurp(p.err);
    return r;
  }

  Result run(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    return finish(spawn(args, env));
  }

  // Runs with standard output sent to `stdout_to` (see spawn).
  Result run_to(const std::string& stdout_to, const std::vector<std::string>& args) {
    return finish(spawn(args, {}, stdout_to));
  }

  // Everything the database holds, as text, to prove a refused command changed nothing.
  std::string dump() {
    if (!fs::exists(m_db)) {
      return "(no file)";
    }
    SQLite::Database db(m_db.string());
    std::string s;
    for (const char* table : {"cases", "events", "processing_times"}) {
      SQLite::Statement q(db, std::string("SELECT * FROM ") + table);
      while (q.executeStep()) {
        for (int i = 0; i < q.getColumnCount(); ++i) {
          s += q.getColumn(i).isNull() ? "NULL" : q.getColumn(i).getString();
          s += '|';
        }
        s += '\n';
      }
    }
    return s;
  }

  // An empty database of the current schema, as the first `add` would create it (the
  // commands that only read refuse a missing one).
  void create_database() { casewatch::store::Store created(m_db); }

  void add_sample_cases() {
    ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--category", "131A-FAM", "--office",
                   "QNS", "--received", "2023-05-02", "--label", "Ana AOS"})
                  .code,
              0);
    ASSERT_EQ(run({"add", "IOE0923456789", "--form", "n400", "--category", "160A", "--office",
                   "QNS", "--received", "06/03/2024", "--label", "Ana N-400"})
                  .code,
              0);
    ASSERT_EQ(run({"add", "EAC-24-900-12345", "--form", "I-130", "--category", "134A-IR",
                   "--received", "February 5, 2024", "--label", "Mother"})
                  .code,
              0);
  }

  fs::path m_dir;
  fs::path m_db;
  int m_runs = 0;
};

inline void expect_one_error_line(const Result& r, const std::string& needle) {
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_TRUE(r.err.starts_with("casewatch: error: ")) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
}

}  // namespace casewatch_test
