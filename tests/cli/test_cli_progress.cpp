// SPDX-License-Identifier: MIT
// The progress line of long work (docs/cli.md, "Progress"), driven through a pseudo-terminal:
// drawn on stderr when it is a terminal, fitted to its width, erased at the end (and before
// a warning); nothing into a pipe, with -q or --progress never; stdout the same byte for
// byte. CASEWATCH_PROGRESS_DELAY_MS=0 (a knob for tests: progress.cpp) draws it without the
// second of work a small test does not last.
#include <fmt/format.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "../http_test_server.hpp"
#include "casewatch/util/text.hpp"
#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

constexpr const char* k_now = "CASEWATCH_PROGRESS_DELAY_MS=0";

// What a terminal shows after `bytes`: lines of cells, a carriage return going back to the
// left margin and a line break (the terminal's \r\n) to the next line; trailing blanks
// dropped. Enough of a terminal for what casewatch writes on stderr.
std::vector<std::string> screen(const std::string& bytes) {
  std::vector<std::vector<std::string>> lines(1);
  std::size_t col = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    char c = bytes[i];
    if (c == '\r') {
      col = 0;
    } else if (c == '\n') {
      lines.emplace_back();
      col = 0;
    } else {
      auto u = static_cast<unsigned char>(c);
      std::size_t len = u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : u >= 0xC0 ? 2 : 1;
      auto& line = lines.back();
      if (line.size() <= col) {
        line.resize(col + 1, " ");
      }
      line[col++] = bytes.substr(i, len);
      i += len - 1;
    }
  }
  std::vector<std::string> out;
  for (const auto& cells : lines) {
    std::string s;
    for (const auto& cell : cells) {
      s += cell;
    }
    s.erase(s.find_last_not_of(' ') + 1);
    out.push_back(s);
  }
  while (!out.empty() && out.back().empty()) {
    out.pop_back();
  }
  return out;
}

// Each line drawn: the text between carriage returns, blanks dropped ("" for an erasure).
std::vector<std::string> drawings(const std::string& bytes) {
  std::vector<std::string> out;
  std::size_t at = bytes.find('\r');
  while (at != std::string::npos) {
    std::size_t next = bytes.find_first_of("\r\n", at + 1);
    std::string piece = bytes.substr(at + 1, next == std::string::npos ? next : next - at - 1);
    piece.erase(piece.find_last_not_of(' ') + 1);
    out.push_back(piece);
    at = next == std::string::npos ? next : bytes.find('\r', next);
  }
  return out;
}

class CliProgress : public Cli {
 protected:
  struct PtyResult {
    int code = -1;
    std::string out;       // stdout (a file)
    std::string terminal;  // everything written to the terminal (stderr)
  };

  // Runs casewatch with stderr on a pseudo-terminal `columns` wide and stdout into a file.
  PtyResult run_on_terminal(const std::vector<std::string>& args,
                            const std::vector<std::string>& env = {}, int columns = 80) {
    std::vector<std::string> argv_s = {CASEWATCH_BIN};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<std::string> env_s = environment(env);
    std::vector<char*> argv = c_strings(argv_s);
    std::vector<char*> envp = c_strings(env_s);
    fs::path out_path = m_dir / ("pty-stdout." + std::to_string(++m_runs));

    int master = -1;
    int slave = -1;
    struct winsize ws {};
    ws.ws_col = static_cast<unsigned short>(columns);
    ws.ws_row = 24;
    if (::openpty(&master, &slave, nullptr, nullptr, &ws) != 0) {
      ADD_FAILURE() << "openpty: " << std::strerror(errno);
      return {};
    }
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(master);
      int in = ::open("/dev/null", O_RDONLY);
      int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(in, 0);
      ::dup2(out, 1);
      ::dup2(slave, 2);
      ::close(in);
      ::close(out);
      ::close(slave);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(slave);
    PtyResult r;
    // Read until the child's end closes the terminal (EIO), so it never blocks on a full one.
    std::array<char, 4096> buf{};
    while (true) {
      ssize_t n = ::read(master, buf.data(), buf.size());
      if (n > 0) {
        r.terminal.append(buf.data(), static_cast<std::size_t>(n));
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        break;
      }
    }
    ::close(master);
    int status = 0;
    ::waitpid(pid, &status, 0);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out_path);
    return r;
  }

  // A law office's sheet of `n` cases.
  fs::path sheet(int n) {
    std::string csv = "receipt,form,received,label\n";
    for (int i = 0; i < n; ++i) {
      csv += fmt::format("IOE09{:08d},I-765,2024-{:02d}-{:02d},Client {}\n", 10000000 + i,
                         1 + i % 12, 1 + i % 28, i);
    }
    fs::path p = m_dir / fmt::format("sheet-{}.csv", n);
    std::ofstream(p, std::ios::binary) << csv;
    return p;
  }

  // Every drawing fits `columns` less one; the last one erases; the screen is left as it
  // would be without the line.
  static void expect_drawn_and_erased(const PtyResult& r, const std::string& label,
                                      std::size_t columns = 80) {
    std::vector<std::string> drawn = drawings(r.terminal);
    ASSERT_FALSE(drawn.empty()) << r.terminal;
    bool seen = false;
    for (const std::string& d : drawn) {
      EXPECT_LE(casewatch::text::display_width(d), columns - 1) << d;
      seen = seen || d.starts_with(label);
    }
    EXPECT_TRUE(seen) << label << " in: " << r.terminal;
    EXPECT_TRUE(r.terminal.ends_with(" \r")) << "erased at the end: " << r.terminal;
    EXPECT_EQ(drawn.back(), "") << r.terminal;
    for (const std::string& line : screen(r.terminal)) {
      EXPECT_EQ(line.find(label), std::string::npos) << "left on the screen: " << line;
    }
  }
};

TEST_F(CliProgress, AnImportOnATerminalDrawsItsLineAndErasesIt) {
  PtyResult r = run_on_terminal({"import", sheet(400).string()}, {k_now});
  ASSERT_EQ(r.code, 0) << r.terminal;
  expect_drawn_and_erased(r, "Reading ");
  EXPECT_TRUE(screen(r.terminal).empty()) << r.terminal;
  EXPECT_NE(r.out.find("Imported 400 cases"), std::string::npos) << r.out;
  // The file's bytes, as a bar: a file's size is known.
  EXPECT_NE(r.terminal.find("KiB"), std::string::npos) << r.terminal;
  EXPECT_NE(r.terminal.find("%"), std::string::npos) << r.terminal;
}

TEST_F(CliProgress, TheLineFitsANarrowTerminal) {
  fs::path file = sheet(50);
  PtyResult r = run_on_terminal({"import", file.string()}, {k_now}, 40);
  ASSERT_EQ(r.code, 0) << r.terminal;
  expect_drawn_and_erased(r, "Reading", 40);
}

TEST_F(CliProgress, NothingWithinTheFirstSecond) {
  // Without the test's knob: a small import is over before the line would appear.
  PtyResult r = run_on_terminal({"import", sheet(3).string()});
  ASSERT_EQ(r.code, 0) << r.terminal;
  EXPECT_EQ(r.terminal, "");
}

TEST_F(CliProgress, QuietAndNeverSilenceIt) {
  fs::path file = sheet(20);
  int n = 0;
  for (const std::vector<std::string>& silence :
       {std::vector<std::string>{"-q"}, std::vector<std::string>{"--progress", "never"},
        std::vector<std::string>{"--progress", "always", "-q"}}) {
    std::vector<std::string> args = silence;
    for (const std::string& a : {std::string("--db"), (m_dir / fmt::format("q{}.db", ++n)).string(),
                                 std::string("import"), file.string()}) {
      args.push_back(a);
    }
    PtyResult r = run_on_terminal(args, {k_now});
    ASSERT_EQ(r.code, 0) << r.terminal;
    EXPECT_EQ(r.terminal, "") << silence[0];
  }
  // The same on the same terminal, without them, draws it.
  PtyResult shown = run_on_terminal({"import", file.string()}, {k_now});
  ASSERT_EQ(shown.code, 0) << shown.terminal;
  EXPECT_NE(shown.terminal, "");
}

TEST_F(CliProgress, APipeGetsNoneOfItUnlessAlways) {
  Result piped = run({"import", sheet(50).string()}, {k_now});
  ASSERT_EQ(piped.code, 0) << piped.err;
  EXPECT_EQ(piped.err, "") << "stderr is a file: no progress line";
  Result always = run({"--db", (m_dir / "always.db").string(), "--progress", "always", "import",
                       sheet(50).string()},
                      {k_now});
  ASSERT_EQ(always.code, 0) << always.err;
  EXPECT_TRUE(always.err.starts_with("\rReading ")) << always.err;
  EXPECT_TRUE(always.err.ends_with(" \r")) << always.err;
  EXPECT_EQ(always.out, piped.out);
}

TEST_F(CliProgress, StdoutIsTheSameWithAndWithoutIt) {
  ASSERT_EQ(run({"import", sheet(300).string()}).code, 0);
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"export"}, std::vector<std::string>{"export", "--format", "csv"},
        std::vector<std::string>{"check", "--dry-run"},
        std::vector<std::string>{"--json", "check", "--dry-run"}}) {
    Result plain = run(command);
    ASSERT_EQ(plain.code, 0) << plain.err;
    PtyResult shown = run_on_terminal(command, {k_now});
    ASSERT_EQ(shown.code, 0) << shown.terminal;
    EXPECT_EQ(shown.out, plain.out) << command[0];
    expect_drawn_and_erased(shown, command[0] == "export" ? "Exporting" : "Checking");
  }
}

TEST_F(CliProgress, ExportToAFileCountsTheCasesThenSaysWhatItWrote) {
  ASSERT_EQ(run({"import", sheet(120).string()}).code, 0);
  fs::path out = m_dir / "all.json";
  PtyResult r = run_on_terminal({"export", "-o", out.string()}, {k_now});
  ASSERT_EQ(r.code, 0) << r.terminal;
  EXPECT_NE(r.terminal.find("/120 cases"), std::string::npos) << "the total is known";
  // The line is erased before the closing message, which stays alone on its line.
  std::vector<std::string> lines = screen(r.terminal);
  ASSERT_EQ(lines.size(), 1U) << r.terminal;
  EXPECT_TRUE(lines[0].starts_with("Exported 120 cases and 0 events to")) << lines[0];
  EXPECT_EQ(r.out, "");
}

TEST_F(CliProgress, AWarningStartsAtTheLeftMargin) {
  // An unknown column is warned of while the file's line is drawn.
  std::string csv = "receipt,form,received,shoe size\nIOE0910000001,I-765,2024-01-02,9\n";
  fs::path p = m_dir / "odd.csv";
  std::ofstream(p, std::ios::binary) << csv;
  PtyResult r = run_on_terminal({"import", p.string()}, {k_now});
  ASSERT_EQ(r.code, 0) << r.terminal;
  std::vector<std::string> lines = screen(r.terminal);
  ASSERT_FALSE(lines.empty()) << r.terminal;
  for (const std::string& line : lines) {
    EXPECT_TRUE(line.starts_with("casewatch: warning: ")) << line;
  }
  EXPECT_NE(r.terminal.find("Reading "), std::string::npos) << "drawn before the warning";
}

TEST_F(CliProgress, TimesFetchCountsTheBytesOfTheDownload) {
  casewatch::testing::HttpTestServer server(m_dir);
  std::string csv =
      "form_name,form_subtype,office_code,publication_date,range_upper,range_upper_unit,"
      "service_request_date\n";
  for (int i = 0; i < 2000; ++i) {
    csv += fmt::format("I-130,134A-IR,SCD,\"November 15, 2026\",{},Months,\"October 01, 2025\"\n",
                       13 + i % 3);
  }
  server.route("/t.csv", {{{"body", csv}}});
  std::vector<std::string> args = {"times", "fetch", "--url", server.url("/t.csv")};
  PtyResult r = run_on_terminal(args, {k_now, "CASEWATCH_HTTP_TIMEOUT=5"});
  ASSERT_EQ(r.code, 0) << r.terminal;
  expect_drawn_and_erased(r, "Downloading t.csv");
  EXPECT_TRUE(screen(r.terminal).empty()) << r.terminal;
  EXPECT_NE(r.out.find("Fetched t.csv"), std::string::npos) << r.out;
  Result plain =
      run({"--db", (m_dir / "plain.db").string(), "times", "fetch", "--url", server.url("/t.csv")});
  ASSERT_EQ(plain.code, 0) << plain.err;
  EXPECT_EQ(plain.err, "");
  EXPECT_EQ(plain.out, r.out);
}

TEST_F(CliProgress, ABadChoiceIsAUsageError) {
  std::string before = dump();
  expect_one_error_line(run({"--progress", "sometimes", "list"}),
                        "--progress: 'sometimes' is not a choice; use auto, always or never");
  EXPECT_EQ(dump(), before);
}

}  // namespace
}  // namespace casewatch_test
