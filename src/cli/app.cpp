// SPDX-License-Identifier: MIT
#include "casewatch/cli/app.hpp"

#include <fmt/format.h>
#include <spdlog/cfg/env.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <map>

#include "casewatch/net/http.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"
#include "fd_output.hpp"
#include "progress.hpp"

namespace casewatch::cli {
namespace {

constexpr int k_exit_ok = 0;
constexpr int k_exit_failure = 1;
constexpr int k_exit_usage = 2;

// The log file's own logger, so that a fatal error reaches the file as well as stderr.
std::shared_ptr<spdlog::logger> g_file_log;
// The command's name as typed, for the log file's line of the run.
std::string g_command_name;

// Today in the local time zone; $CASEWATCH_TODAY (YYYY-MM-DD) when set, the seam that lets
// tests and a reader of the docs run every command on a fixed day.
Date local_today() {
  if (const char* fixed = std::getenv("CASEWATCH_TODAY"); fixed != nullptr && *fixed != '\0') {
    std::optional<Date> d = parse_iso_date(fixed);
    if (!d) {
      throw UsageError(
          fmt::format("CASEWATCH_TODAY: {} is not a date; give YYYY-MM-DD", text::quoted(fixed)));
    }
    return *d;
  }
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&now, &tm);
  return make_date(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                   static_cast<unsigned>(tm.tm_mday));
}

// The first word of argv that is not an option or an option's value: the command name the
// user meant. Which global options take a value, `app` says.
std::optional<std::string> command_word(const CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") {
      return std::nullopt;
    }
    if (arg.starts_with("-")) {
      // A flag expects no value (CLI11 gives every option a type size of 1).
      const CLI::Option* global = app.get_option_no_throw(std::string(arg));
      if (global != nullptr && global->get_expected_max() != 0) {
        ++i;
      }
      continue;
    }
    return std::string(arg);
  }
  return std::nullopt;
}

// The command line as typed, each word quoted for a POSIX shell when it needs to be; the
// program is called "casewatch" whatever path started it.
std::string command_line(int argc, char** argv) {
  std::string line = "casewatch";
  for (int i = 1; i < argc; ++i) {
    line += ' ';
    line += text::shell_word(argv[i]);
  }
  return text::printable(line);
}

void set_up_logging(const GlobalOptions& options) {
  // Each message erases the progress line first (progress.hpp).
  spdlog::sink_ptr stderr_sink = progress_aware_stderr_sink();
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

// Whether the parsed command may create the database on first use (the command table says
// which: those that add cases or rows); the others refuse a missing one.
bool creates_database(CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands()) {
    const CommandInfo* info = find_command(sub->get_name());
    if (info == nullptr) {
      continue;
    }
    auto nested = const_cast<CLI::App*>(sub)->get_subcommands();
    return creates_database(*info,
                            nested.empty() ? std::string_view() : nested.front()->get_name());
  }
  return false;
}

// The nearest of `names` to `word`, when it is close enough to be a likely typo.
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& names) {
  std::optional<std::string> best;
  std::size_t best_distance = word.size() <= 4 ? 2 : 3;
  for (const std::string& name : names) {
    std::size_t d = text::edit_distance(word, name);
    if (d < best_distance || (name.starts_with(word) && word.size() >= 3 && !best)) {
      best_distance = std::min(best_distance, d);
      best = name;
    }
  }
  return best;
}

// Every option name `cmd` and the app accept ("--json", "-q").
std::vector<std::string> option_names(const CLI::App& app, const CLI::App& cmd) {
  std::vector<std::string> names;
  for (const CLI::App* a : {&app, &cmd}) {
    for (const CLI::Option* opt : a->get_options()) {
      for (const std::string& l : opt->get_lnames()) {
        names.push_back("--" + l);
      }
      for (const std::string& s : opt->get_snames()) {
        names.push_back("-" + s);
      }
    }
  }
  return names;
}

// "unknown option '--jsn' (did you mean '--json'?)" for the first word of argv that looks
// like an option and is none of `cmd`'s; nothing when there is no such word.
std::optional<std::string> unknown_option_hint(const CLI::App& app, const CLI::App& cmd, int argc,
                                               char** argv) {
  std::vector<std::string> names = option_names(app, cmd);
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") {
      break;
    }
    if (!arg.starts_with("-") || arg == "-" ||
        arg.find_first_not_of("-0123456789") == std::string_view::npos) {
      continue;
    }
    std::string_view name = arg.substr(0, arg.find('='));
    if (!name.starts_with("--") && name.size() > 2) {
      name = name.substr(0, 2);  // -qv: the first of the short flags
    }
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      continue;
    }
    auto close = nearest(name, names);
    return fmt::format("unknown option {}{}", text::quoted(name),
                       close ? fmt::format(" (did you mean '{}'?)", *close) : std::string());
  }
  return std::nullopt;
}

// What a bare `casewatch` prints: what it is, the commands, and where to read more.
std::string usage_summary(const CLI::App& app) {
  std::string out =
      "usage: casewatch [--db PATH] [--as-of DATE] [--json] [-q] [-v] COMMAND [ARGS]\n\n"
      "casewatch keeps your pending USCIS cases and tells you what you may do next, and "
      "when.\n\nCommands:\n";
  std::size_t width = 0;
  for (const CLI::App* sub : app.get_subcommands({})) {
    width = std::max(width, sub->get_name().size());
  }
  for (const CLI::App* sub : app.get_subcommands({})) {
    out += fmt::format("  {:<{}}  {}\n", sub->get_name(), width, sub->get_description());
  }
  out +=
      "\nStart with: casewatch add RECEIPT --form FORM --received DATE\n"
      "Run 'casewatch help COMMAND' for a command's options, 'casewatch --help' for the global "
      "ones.\n";
  return out;
}

// `casewatch help [COMMAND [SUBCOMMAND]]`: the help of the app or of that command, on
// stdout, exit 0.
int print_help(CLI::App& app, int argc, char** argv) {
  const CLI::App* target = &app;
  std::string path;
  // "casewatch" and the commands above `target`: its usage line names the whole command, as
  // `casewatch A B --help` does ("Usage: casewatch bulletin set ...").
  std::string parents;
  bool after_help = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (!after_help) {
      after_help = arg == "help";
      continue;
    }
    if (arg.starts_with("-")) {
      continue;
    }
    std::vector<std::string> names;
    const CLI::App* next = nullptr;
    for (const CLI::App* sub : const_cast<CLI::App*>(target)->get_subcommands({})) {
      names.push_back(sub->get_name());
      if (sub->get_name() == arg) {
        next = sub;
      }
    }
    if (next == nullptr) {
      auto close = nearest(arg, names);
      throw UsageError(
          fmt::format("help: {} is not a command{}; {}", text::quoted(arg),
                      close ? fmt::format(" (did you mean '{}'?)", *close) : std::string(),
                      names.empty() ? fmt::format("'casewatch {}' has no subcommands", path)
                                    : fmt::format("the commands are: {}", fmt::join(names, ", "))));
    }
    parents = target == &app ? std::string("casewatch") : parents + " " + target->get_name();
    target = next;
    path += (path.empty() ? "" : " ") + std::string(arg);
  }
  std::cout << (target == &app ? usage_summary(app) : target->help(parents));
  return k_exit_ok;
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
  app.set_version_flag("-V,--version", std::string("casewatch ") + CASEWATCH_VERSION);
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
  app.add_option("--progress", options.progress,
                 "Progress of long work on stderr: auto, always or never");
  app.add_flag("--offline", options.offline,
               "Refuse every network fetch (also CASEWATCH_OFFLINE=1)");
  app.footer(
      "Dates: YYYY-MM-DD, MM/DD/YYYY, 'Month D, YYYY', today, yesterday.\n"
      "A CASE is a receipt number (IOE0912345678) or a case id (#7 or 7).\n"
      "Exit codes: 0 success, 1 runtime failure, 2 bad input or usage.\n"
      "Run 'casewatch COMMAND --help' for a command's options.");

  std::vector<std::pair<CLI::App*, Runner>> commands;
  for (const CommandInfo& info : command_table()) {
    CLI::App* sub = app.add_subcommand(std::string(info.name), std::string(info.summary));
    commands.emplace_back(sub, info.registration(*sub));
  }
  // `help` is answered before parsing (print_help); it is a command here so that the usage
  // summary and --help list it.
  app.add_subcommand("help", "Print the help of a command: casewatch help [COMMAND]")
      ->allow_extras();

  if (argc <= 1) {
    // A bare `casewatch`: what it is and the commands, like a version-control tool does.
    std::cout << usage_summary(app);
    return k_exit_ok;
  }
  const std::optional<std::string> word = command_word(app, argc, argv);
  g_command_name = word.value_or("");
  if (word == "help") {
    return print_help(app, argc, argv);
  }

  if (word) {
    bool known = std::any_of(commands.begin(), commands.end(),
                             [&](const auto& c) { return c.first->get_name() == *word; });
    if (!known) {
      std::vector<std::string> names;
      for (const CLI::App* sub : app.get_subcommands({})) {
        names.push_back(sub->get_name());
      }
      auto closest = nearest(*word, names);
      throw UsageError(
          fmt::format("unknown command {}{}; the commands are: {}", text::quoted(*word),
                      closest ? fmt::format(" (did you mean '{}'?)", *closest) : std::string(),
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
    const bool extras = dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr;
    if (extras && deepest->get_option_no_throw("--on") != nullptr) {
      // `event CASE KIND 2026-11-02`: the date is an option, not a third word.
      // A word that reads as a date and is no option's value.
      for (int i = 2; i < argc; ++i) {
        std::string extra = argv[i];
        if (argv[i - 1][0] != '-' && parse_date(extra, Date{})) {
          throw UsageError(
              fmt::format("{} looks like a date: give it with --on ('casewatch {} ... --on {}')",
                          text::quoted(extra), path, extra));
        }
      }
    }
    auto nested = const_cast<CLI::App*>(deepest)->get_subcommands({});
    if (!nested.empty() && !extras) {
      std::vector<std::string> names;
      for (const CLI::App* n : nested) {
        names.push_back(n->get_name());
      }
      throw UsageError(
          fmt::format("'casewatch {}' needs one of: {}", path, fmt::join(names, ", ")));
    }
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
      if (auto hint = unknown_option_hint(app, *deepest, argc, argv)) {
        throw UsageError(fmt::format("{}; run 'casewatch {} --help' for its options", *hint, path));
      }
    }
    throw UsageError(fmt::format("{}; run 'casewatch {} --help' for its options", e.what(), path));
  }
  for (const auto& [sub, runner] : commands) {
    if (options.json && sub->parsed() && !find_command(sub->get_name())->json) {
      throw UsageError(fmt::format("--json: 'casewatch {}' has no JSON output{}", sub->get_name(),
                                   sub->get_name() == "calendar" ? " (it writes iCalendar)" : ""));
    }
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
  ctx.set_command_line(command_line(argc, argv));
  ctx.set_output_check([&sink] { return sink.finish(); });
  ctx.set_may_create(creates_database(app));
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

namespace {

int run_guarded(int argc, char** argv) {
  bool stdout_closed = guard_standard_descriptors();
  try {
    return run_app(argc, argv, stdout_closed);
  } catch (const UsageError& e) {
    for (const std::string& line : e.first()) {
      print_error(line);
    }
    print_error(e.what());
    return k_exit_usage;
  } catch (const net::Refused& e) {
    print_error(e.what());
    return k_exit_usage;
  } catch (const CommandFailed& e) {
    print_error(e.what());
    return k_exit_failure;
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
}

}  // namespace

int run(int argc, char** argv) {
  auto start = std::chrono::steady_clock::now();
  int code = run_guarded(argc, argv);
  if (g_file_log) {
    // One line a run in the log file, whatever the level: which command, how it ended, how
    // long it took. Only the command's name: its arguments may hold case data.
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    g_file_log->log(spdlog::level::info, "run: casewatch {}: exit {}, {} ms",
                    text::printable(g_command_name), code, ms);
    g_file_log->flush();
    g_file_log.reset();
  }
  return code;
}

}  // namespace casewatch::cli
