// SPDX-License-Identifier: MIT
#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <ostream>

#include "casewatch/util/text.hpp"
#include "commands.hpp"

namespace casewatch::cli {
namespace {

// `s` quoted for /bin/sh when it needs to be.
std::string shell_quote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789/._-+=:@") == std::string::npos) {
    return s;
  }
  std::string out = "'";
  for (char c : s) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

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

int run_cron(Context& ctx, const std::string& at) {
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
  std::string line =
      fmt::format("{} {} * * * {}", minute, hour,
                  cron_escape(fmt::format("{} --db {} check", shell_quote(exe), shell_quote(db))));
  if (ctx.json()) {
    print_json(ctx, {{"crontab", line}});
  } else {
    ctx.out() << line << '\n';
  }
  return 0;
}

}  // namespace

Runner register_cron(CLI::App& app) {
  auto at = std::make_shared<std::string>("07:17");
  auto* cmd = app.add_subcommand("cron", "Print a crontab line that runs the daily check");
  cmd->add_option("--at", *at, "Time of day, HH:MM (default 07:17)");
  cmd->footer(
      "Install it (keeping your other cron jobs):\n"
      "  (crontab -l 2>/dev/null; casewatch cron) | crontab -\n"
      "cron mails what the job prints; 'check' prints only when something is new.");
  return [at](Context& ctx) { return run_cron(ctx, *at); };
}

}  // namespace casewatch::cli
