// SPDX-License-Identifier: MIT
#include "casewatch/cli/app.hpp"

#include <fmt/format.h>
#include <spdlog/cfg/env.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <iostream>
#include <map>

#include "casewatch/net/http.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"
#include "fd_output.hpp"

namespace casewatch::cli {
namespace {

constexpr int k_exit_ok = 0;
constexpr int k_exit_failure = 1;
constexpr int k_exit_usage = 2;

// The global options that take a value, for finding the command name in argv.
constexpr std::array<std::string_view, 4> k_valued_globals = {"--db", "--as-of", "--log-file",
                                                              "--color"};

// The log file's own logger, so that a fatal error reaches the file as well as stderr.
std::shared_ptr<spdlog::logger> g_file_log;

Date local_today() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&now, &tm);
  return make_date(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                   static_cast<unsigned>(tm.tm_mday));
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1);
  std::vector<std::size_t> cur(b.size() + 1);
  std::vector<std::size_t> before(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    prev[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], before[j - 2] + 1);  // a transposition
      }
    }
    before = prev;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// The first word of argv that is not an option: the command name the user meant.
std::optional<std::string> command_word(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") {
      return std::nullopt;
    }
    if (arg.starts_with("-")) {
      if (std::find(k_valued_globals.begin(), k_valued_globals.end(), arg) !=
          k_valued_globals.end()) {
        ++i;
      }
      continue;
    }
    return std::string(arg);
  }
  return std::nullopt;
}

void set_up_logging(const GlobalOptions& options) {
  auto stderr_sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  stderr_sink->set_pattern("casewatch: %l: %v");
  std::vector<spdlog::sink_ptr> sinks{stderr_sink};
  if (!options.log_file.empty()) {
    // Private like the database: at debug level the log holds case data.
    int fd = ::open(options.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
      throw UsageError(
          fmt::format("--log-file: cannot open '{}': {}", options.log_file, std::strerror(errno)));
    }
    ::close(fd);
    auto file_sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.log_file);
    file_sink->set_pattern("%Y-%m-%d %H:%M:%S [%l] %v");
    sinks.push_back(file_sink);
    g_file_log = std::make_shared<spdlog::logger>("casewatch-file", file_sink);
  }
  auto logger = std::make_shared<spdlog::logger>("casewatch", sinks.begin(), sinks.end());
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::warn);
  spdlog::cfg::load_env_levels();  // SPDLOG_LEVEL=debug overrides the default
  // Flags on the command line win over the environment.
  if (options.quiet) {
    spdlog::set_level(spdlog::level::err);
  } else if (options.verbose >= 2) {
    spdlog::set_level(spdlog::level::debug);
  } else if (options.verbose == 1) {
    spdlog::set_level(spdlog::level::info);
  }
}

int run_app(int argc, char** argv, bool stdout_closed) {
  GlobalOptions options;
  CLI::App app{
      "casewatch keeps your pending USCIS cases and tells you what you may do next, and when:\n"
      "an e-Request, the CIS Ombudsman, your member of Congress, an attorney about mandamus,\n"
      "and which RFE, NOID or appeal deadline is near. Information, not legal advice.",
      "casewatch"};
  app.fallthrough();  // before any subcommand: global options work after the command name
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Print help for every command");
  app.set_version_flag("--version", std::string("casewatch ") + CASEWATCH_VERSION);
  auto* db_option =
      app.add_option("--db", options.db,
                     "The database file (default: $CASEWATCH_DB, else "
                     "$XDG_DATA_HOME/casewatch/cases.db, else ~/.local/share/casewatch/cases.db)");
  auto* as_of_option = app.add_option(
      "--as-of", options.as_of, "Evaluate as if today were DATE; events after it do not count");
  app.add_flag("--json", options.json, "Print one JSON document on stdout");
  app.add_flag("-q,--quiet", options.quiet, "Print no confirmations or warnings");
  app.add_flag("-v,--verbose", options.verbose, "More log output on stderr (-vv: debug)");
  app.add_option("--log-file", options.log_file, "Also write the log to PATH");
  app.add_option("--color", options.color, "Color in text output: auto, always or never");
  app.add_flag("--offline", options.offline,
               "Refuse every network fetch (also CASEWATCH_OFFLINE=1)");
  app.footer(
      "Dates: YYYY-MM-DD, MM/DD/YYYY, 'Month D, YYYY', today, yesterday.\n"
      "A CASE is a receipt number (IOE0912345678) or a case id (#7 or 7).\n"
      "Exit codes: 0 success, 1 runtime failure, 2 bad input or usage.\n"
      "Run 'casewatch COMMAND --help' for a command's options.");

  std::vector<std::pair<CLI::App*, Runner>> commands;
  auto add = [&](Runner (*reg)(CLI::App&)) {
    Runner r = reg(app);
    commands.emplace_back(app.get_subcommands([](CLI::App*) { return true; }).back(), std::move(r));
  };
  add(register_add);
  add(register_edit);
  add(register_rm);
  add(register_event);
  add(register_list);
  add(register_show);
  add(register_overdue);
  add(register_suggest);
  add(register_times);
  add(register_check);
  add(register_cron);
  add(register_export);
  add(register_import);
  add(register_calendar);
  add(register_completion);

  if (auto word = command_word(argc, argv)) {
    bool known = std::any_of(commands.begin(), commands.end(),
                             [&](const auto& c) { return c.first->get_name() == *word; });
    if (!known) {
      std::vector<std::string> names;
      std::string closest;
      std::size_t best = 3;
      for (const auto& c : commands) {
        names.push_back(c.first->get_name());
        std::size_t dist = edit_distance(*word, c.first->get_name());
        if (dist < best) {
          best = dist;
          closest = c.first->get_name();
        }
      }
      throw UsageError(
          fmt::format("unknown command '{}'{}; the commands are: {}", *word,
                      closest.empty() ? "" : fmt::format(" (did you mean '{}'?)", closest),
                      fmt::join(names, ", ")));
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e, std::cout, std::cerr);
  } catch (const CLI::ParseError& e) {
    // The command path the user reached ("times import"), and its app.
    const CLI::App* deepest = &app;
    std::string path;
    while (!deepest->get_subcommands().empty()) {
      deepest = deepest->get_subcommands().front();
      path += (path.empty() ? "" : " ") + deepest->get_name();
    }
    if (path.empty()) {
      if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
        throw UsageError("a command is required; run 'casewatch --help' for the list");
      }
      throw UsageError(std::string(e.what()) + "; run 'casewatch --help' for the options");
    }
    auto nested = const_cast<CLI::App*>(deepest)->get_subcommands({});
    if (!nested.empty()) {
      std::vector<std::string> names;
      for (const CLI::App* n : nested) {
        names.push_back(n->get_name());
      }
      throw UsageError(
          fmt::format("'casewatch {}' needs one of: {}", path, fmt::join(names, ", ")));
    }
    throw UsageError(fmt::format("{}; run 'casewatch {} --help' for its options", e.what(), path));
  }

  options.db_given = db_option->count() > 0;
  options.as_of_given = as_of_option->count() > 0;
  set_up_logging(options);
  FdOutput sink(STDOUT_FILENO);
  if (stdout_closed) {
    sink.set_closed();
  }
  std::ostream out(&sink);
  Context ctx(options, local_today(), out);
  ctx.set_output_check([&sink] { return sink.finish(); });
  for (auto& [sub, runner] : commands) {
    if (sub->parsed()) {
      int code = runner(ctx);
      ctx.finish_output();
      return code;
    }
  }
  throw UsageError("a command is required; run 'casewatch --help' for the list");
}

void print_error(const std::string& message) {
  std::cout.flush();
  // A message may quote what the user typed: never let it drive the terminal.
  std::cerr << "casewatch: error: " << text::printable(message) << '\n';
  if (g_file_log) {
    g_file_log->error(text::printable(message));
    g_file_log->flush();
  }
}

}  // namespace

int run(int argc, char** argv) {
  bool stdout_closed = guard_standard_descriptors();
  try {
    return run_app(argc, argv, stdout_closed);
  } catch (const UsageError& e) {
    print_error(e.what());
    return k_exit_usage;
  } catch (const net::Refused& e) {
    print_error(e.what());
    return k_exit_usage;
  } catch (const OutputError& e) {
    print_error(e.what());
    return k_exit_failure;
  } catch (const store::Conflict& e) {
    print_error(e.what());
    return k_exit_usage;
  } catch (const store::StorageError& e) {
    print_error(e.what());
    return k_exit_failure;
  } catch (const spdlog::spdlog_ex& e) {
    print_error(e.what());
    return k_exit_failure;
  } catch (const std::exception& e) {
    print_error(e.what());
    return k_exit_failure;
  }
  return k_exit_ok;
}

}  // namespace casewatch::cli
