// SPDX-License-Identifier: MIT
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>

#include "case_now.hpp"
#include "case_options.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"

namespace casewatch::cli {
namespace {

struct RmOptions {
  std::string which;
  bool yes = false;
};

int run_rm(Context& ctx, const RmOptions& o) {
  Case c = ctx.resolve_case(o.which);
  auto& store = ctx.store();
  std::size_t n_events = store.events_of(c.id).size();
  std::string what = fmt::format("{} and its {}", summary(c), text::count(n_events, "event"));
  if (!o.yes) {
    if (::isatty(STDIN_FILENO) == 0) {
      throw UsageError(
          fmt::format("not deleting {} without --yes: standard input is not a terminal to ask on",
                      display_name(c)));
    }
    std::cerr << "Delete " << what << "? [y/N] " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    if (answer != "y" && answer != "Y" && answer != "yes") {
      std::cerr << "Nothing deleted.\n";
      return 0;
    }
  }
  // Asked about the case as it was; removed as it is now, under the write lock (another
  // casewatch may have removed it meanwhile, or recorded an event).
  auto tx = store.begin_write();
  Case now = case_now(ctx, c, o.which);
  n_events = store.events_of(now.id).size();
  what = fmt::format("{} and its {}", summary(now), text::count(n_events, "event"));
  c = now;
  store.delete_case(c.id);
  tx.commit();
  if (ctx.json()) {
    print_json(ctx, {{"deleted",
                      {{"id", c.id},
                       {"receipt", c.receipt ? nlohmann::ordered_json(*c.receipt)
                                             : nlohmann::ordered_json(nullptr)}}},
                     {"events", n_events}});
    return 0;
  }
  if (!ctx.quiet()) {
    ctx.out() << "Deleted " << what << ".\n";
  }
  return 0;
}

}  // namespace

Runner register_rm(CLI::App& command) {
  auto o = std::make_shared<RmOptions>();
  auto* cmd = &command;
  cmd->add_option("CASE", o->which, "Receipt number or case id (#7)")->required();
  cmd->add_flag("-y,--yes", o->yes, "Do not ask (required when not on a terminal)");
  return [o](Context& ctx) { return run_rm(ctx, *o); };
}

}  // namespace casewatch::cli
