// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <ostream>
#include <stdexcept>
#include <vector>

#include "casewatch/util/text.hpp"
#include "commands.hpp"

namespace casewatch::cli {
namespace {

std::string own_path() {
  std::array<char, 4096> buf{};
  ssize_t n = ::readlink("/proc/self/exe", buf.data(), buf.size() - 1);
  if (n <= 0) {
    return "casewatch";
  }
  return std::string(buf.data(), static_cast<std::size_t>(n));
}

// `s` as cron reads it in the command part of a line: an unescaped % ends the command
// (the rest becomes its standard input), so every % is escaped.
std::string cron_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

// What a program printed and how it ended.
struct Ran {
  int status = -1;  // the exit status; 127 when it could not be started
  std::string out;
};

// Runs `argv` (found on PATH) with stdin from /dev/null and stderr discarded, and returns
// what it printed on stdout.
Ran run_program(const std::vector<std::string>& argv) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw std::runtime_error(fmt::format("cannot run {}: {}", argv[0], std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  for (const std::string& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  pid_t pid = 0;
  int err = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  Ran ran;
  if (err != 0) {
    ::close(fds[0]);
    ran.status = 127;
    return ran;
  }
  std::array<char, 4096> buf{};
  for (;;) {
    ssize_t n = ::read(fds[0], buf.data(), buf.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    ran.out.append(buf.data(), static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  ran.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  return ran;
}

// The comment line that marks casewatch's own line in a crontab, one per database.
std::string marker_for(const std::string& db) {
  return "# casewatch: the daily check of " + db;
}

enum class Installed { added, replaced, unchanged };

// Puts `line` into the user's crontab under its marker, replacing the line an earlier
// `cron --install` put there for the same database, keeping every other line.
Installed install(const std::string& line, const std::string& db) {
  Ran listed = run_program({"crontab", "-l"});
  if (listed.status == 127) {
    throw std::runtime_error(
        "cannot run crontab: is cron installed? Without it, run the printed line from your "
        "system's scheduler");
  }
  // `crontab -l` fails when the user has no crontab yet: that is an empty one.
  std::string current = listed.status == 0 ? listed.out : std::string();
  std::string marker = marker_for(db);
  std::vector<std::string> kept;
  bool found = false;
  bool same = false;
  std::size_t pos = 0;
  std::vector<std::string> lines;
  while (pos < current.size()) {
    std::size_t end = current.find('\n', pos);
    if (end == std::string::npos) {
      end = current.size();
    }
    lines.push_back(current.substr(pos, end - pos));
    pos = end + 1;
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] == marker) {
      found = true;
      if (i + 1 < lines.size()) {
        same = same || lines[i + 1] == line;
        ++i;  // our line follows its marker
      }
      continue;
    }
    kept.push_back(lines[i]);
  }
  if (found && same) {
    return Installed::unchanged;
  }
  kept.push_back(marker);
  kept.push_back(line);
  std::string text = fmt::format("{}\n", fmt::join(kept, "\n"));
  std::string dir = std::filesystem::temp_directory_path().string();
  std::string path = dir + "/casewatch-crontab-XXXXXX";
  int fd = ::mkstemp(path.data());
  if (fd < 0) {
    throw std::runtime_error(
        fmt::format("cannot write a temporary file in {}: {}", dir, std::strerror(errno)));
  }
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  Ran loaded = written ? run_program({"crontab", path}) : Ran{};
  ::unlink(path.c_str());
  if (!written || loaded.status != 0) {
    throw std::runtime_error(fmt::format(
        "crontab refused the new table (exit {}); your crontab is unchanged", loaded.status));
  }
  return found ? Installed::replaced : Installed::added;
}

int run_cron(Context& ctx, const std::string& at, bool install_line) {
  unsigned hour = 0;
  unsigned minute = 0;
  char colon = 0;
  char extra = 0;
  bool ok = (at.size() == 4 || at.size() == 5) &&
            std::sscanf(at.c_str(), "%2u%c%2u%c", &hour, &colon, &minute, &extra) == 3 &&
            colon == ':' && at.find_first_not_of("0123456789:") == std::string::npos &&
            at.size() - at.find(':') == 3 && hour < 24 && minute < 60;
  if (!ok) {
    throw UsageError(fmt::format("--at: {} is not a time of day; use HH:MM or H:MM, e.g. 07:17",
                                 text::quoted(at)));
  }
  std::string db = std::filesystem::absolute(ctx.db_path()).lexically_normal().string();
  std::string exe = own_path();
  for (const std::string* path : {&db, &exe}) {
    if (path->find_first_of("\n\r") != std::string::npos) {
      throw UsageError(fmt::format(
          "the path {} holds a line break, which a crontab line cannot carry; move the file to "
          "a path without one",
          text::quoted(*path)));
    }
  }
  std::string line = fmt::format(
      "{} {} * * * {}", minute, hour,
      cron_escape(fmt::format("{} --db {} check", text::shell_word(exe), text::shell_word(db))));
  if (!install_line) {
    if (ctx.json()) {
      print_json(ctx, {{"crontab", line}});
    } else {
      ctx.out() << line << '\n';
    }
    return 0;
  }
  Installed done = install(line, db);
  std::string_view word = done == Installed::added      ? "added"
                          : done == Installed::replaced ? "replaced"
                                                        : "unchanged";
  if (ctx.json()) {
    print_json(ctx, {{"crontab", line}, {"installed", word}});
  } else {
    ctx.out() << (done == Installed::added      ? "Added to your crontab:\n"
                  : done == Installed::replaced ? "Replaced in your crontab:\n"
                                                : "Already in your crontab:\n")
              << "  " << line << '\n';
  }
  return 0;
}

}  // namespace

Runner register_cron(CLI::App& command) {
  auto at = std::make_shared<std::string>("07:17");
  auto install_line = std::make_shared<bool>(false);
  auto* cmd = &command;
  cmd->add_option("--at", *at, "Time of day, HH:MM or H:MM (default 07:17)");
  cmd->add_flag("--install", *install_line,
                "Put the line into your crontab, replacing the one an earlier --install put "
                "there for the same database; your other lines stay");
  cmd->footer(
      "cron mails what the job prints; 'check' prints only when something is new.\n"
      "'casewatch cron --install' installs the line; running it again changes nothing,\n"
      "or replaces the line when --at or the database changed.");
  return [at, install_line](Context& ctx) { return run_cron(ctx, *at, *install_line); };
}

}  // namespace casewatch::cli
