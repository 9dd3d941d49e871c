// SPDX-License-Identifier: MIT
#include "status_fetch.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>

#include "casewatch/net/uscis_api.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"
#include "progress.hpp"
#include "times_fetch.hpp"
#include "uscis_budget.hpp"

namespace casewatch::cli {
namespace {

constexpr const char* k_origin = "the Case Status API";

// The statuses one found answer holds, about `receipt` only; an answer casewatch cannot
// read is a refusal for that receipt.
std::optional<std::string> take_answer(const net::CaseStatusResult& got,
                                       std::vector<StatusInput>& inputs) {
  auto parsed = status::parse_document(got.body);
  if (!parsed) {
    return fmt::format("the answer is no status casewatch reads: {}", parsed.error());
  }
  std::vector<status::Snapshot> snapshots = std::move(parsed).value();
  if (snapshots.empty()) {
    return std::string("the answer holds no status");
  }
  for (status::Snapshot& s : snapshots) {
    if (s.receipt.empty()) {
      s.receipt = got.receipt;
    }
    if (s.receipt != got.receipt) {
      return fmt::format("the answer is about {}, not {}", text::quoted(s.receipt), got.receipt);
    }
  }
  for (status::Snapshot& s : snapshots) {
    inputs.push_back(StatusInput{k_origin, std::move(s)});
  }
  return std::nullopt;
}

nlohmann::ordered_json misses_json(const std::vector<StatusMiss>& misses) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const StatusMiss& m : misses) {
    list.push_back({{"receipt", m.receipt}, {"message", m.message}});
  }
  return list;
}

}  // namespace

std::vector<Case> cases_to_fetch(Context& ctx, const std::vector<std::string>& args) {
  std::vector<Case> out;
  if (!args.empty()) {
    for (const std::string& arg : args) {
      Case c = ctx.resolve_case(arg);
      if (!c.receipt) {
        std::string name = display_name(c);
        throw UsageError(fmt::format(
            "{} has no receipt number, so USCIS cannot be asked for its status; give it one: "
            "casewatch edit {} --receipt RECEIPT",
            name, name));
      }
      if (std::none_of(out.begin(), out.end(), [&](const Case& x) { return x.id == c.id; })) {
        out.push_back(std::move(c));
      }
    }
    return out;
  }
  std::vector<std::string> problems;
  for (Case& c : ctx.store().all_cases(&problems)) {
    // Decided cases too: after "Case Was Approved" come the card's mailing and delivery,
    // and after a denial a reopening; a case the user closed or withdrew is done.
    if (c.receipt && c.status != Status::closed && c.status != Status::withdrawn) {
      out.push_back(std::move(c));
    }
  }
  warn_stored_problems(problems);
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.id < b.id; });
  return out;
}

StatusFetchReport fetch_statuses(Context& ctx, const std::vector<Case>& cases) {
  net::ApiConfig config = net::read_api_config(net::default_api_config_path());
  StatusFetchReport report;
  report.host = net::url_host(config.api_base);
  net::Options options = net_options(ctx);
  if (options.offline) {
    // Before the client: even the budget is not touched.
    throw net::Refused(
        fmt::format("not fetching case statuses from {}: casewatch is offline (--offline or "
                    "CASEWATCH_OFFLINE=1)",
                    report.host));
  }
  // An answer is one status document: more than a real one can be is refused as it comes.
  options.max_body = status::k_max_document_bytes;
  net::Client http(options);
  StoreBudget budget(ctx.store());
  net::CaseStatusClient api(http, config, net::default_token_cache_path(), budget);

  // Ask first, outside the import's transaction (the budget commits its own).
  std::vector<StatusInput> inputs;
  Progress progress(ctx, "Fetching statuses", "cases", cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    progress.set(i);
    const std::string& receipt = *cases[i].receipt;
    net::CaseStatusResult got;
    try {
      got = api.fetch(receipt);
    } catch (const net::NetError& e) {
      report.requests = api.requests();
      bool first = inputs.empty() && report.not_found.empty() && report.refused.empty();
      if (first && dynamic_cast<const net::Refused*>(&e) != nullptr) {
        throw;  // nothing asked yet: the user's input or choice (exit 2)
      }
      report.stopped = e.what();
      for (std::size_t j = i; j < cases.size(); ++j) {
        report.not_fetched.push_back(*cases[j].receipt);
      }
      break;
    }
    using Outcome = net::CaseStatusResult::Outcome;
    if (got.outcome == Outcome::not_found) {
      ctx.warn(fmt::format("USCIS knows no case {} (404)", receipt));
      report.not_found.push_back({receipt, text::printable(got.message)});
      continue;
    }
    std::optional<std::string> problem =
        got.outcome == Outcome::refused ? got.message : take_answer(got, inputs);
    if (!problem) {
      ++report.found;
    } else {
      ctx.warn(fmt::format("USCIS gave no status for {}: {}", receipt, text::printable(*problem)));
      report.refused.push_back({receipt, text::printable(*problem)});
    }
  }
  progress.finish();
  report.requests = api.requests();
  if (!inputs.empty()) {
    report.outcomes = import_statuses(ctx, inputs, false, std::nullopt);
  }
  return report;
}

int run_status_fetch(Context& ctx, const std::vector<std::string>& args) {
  std::vector<Case> cases = cases_to_fetch(ctx, args);
  StatusFetchReport r;
  if (!cases.empty()) {
    r = fetch_statuses(ctx, cases);
  }
  std::size_t news = static_cast<std::size_t>(std::count_if(
      r.outcomes.begin(), r.outcomes.end(), [](const StatusOutcome& o) { return o.changed(); }));
  if (ctx.json()) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const StatusOutcome& o : r.outcomes) {
      list.push_back(status_outcome_json(o));
    }
    print_json(ctx, {{"api", r.host.empty() ? nlohmann::ordered_json(nullptr)
                                            : nlohmann::ordered_json(r.host)},
                     {"asked", cases.size()},
                     {"found", r.found},
                     {"cases", list},
                     {"not_found", misses_json(r.not_found)},
                     {"refused", misses_json(r.refused)},
                     {"not_fetched", r.not_fetched},
                     {"stopped", r.stopped ? nlohmann::ordered_json(*r.stopped)
                                           : nlohmann::ordered_json(nullptr)},
                     {"requests", r.requests}});
  } else if (!ctx.quiet()) {
    if (cases.empty()) {
      ctx.out() << "No open case with a receipt number: nothing to fetch.\n";
    } else {
      // Only what changed; a case with nothing new is silent.
      for (const StatusOutcome& o : r.outcomes) {
        if (o.changed()) {
          ctx.out() << status_outcome_line(o);
        }
      }
      std::string line = fmt::format("Fetched {} of {} from {}: {} with news", r.found,
                                     text::count(cases.size(), "status", "statuses"), r.host,
                                     text::count(news, "case"));
      if (!r.not_found.empty()) {
        line += fmt::format(", {} not found", r.not_found.size());
      }
      if (!r.refused.empty()) {
        line += fmt::format(", {} without a status", r.refused.size());
      }
      if (!r.not_fetched.empty()) {
        line += fmt::format(", {} not fetched (the run stopped)", r.not_fetched.size());
      }
      ctx.out() << line << ".\n";
    }
  }
  if (r.stopped) {
    ctx.finish_output();
    throw CommandFailed(fmt::format("{}; {} not fetched; {}", *r.stopped,
                                    text::count(r.not_fetched.size(), "status", "statuses"),
                                    r.found == 0
                                        ? std::string("none fetched before the stop")
                                        : fmt::format("the {} fetched before the stop {} imported",
                                                      text::count(r.found, "status", "statuses"),
                                                      text::plural(r.found, "is", "are"))));
  }
  return 0;
}

void fetch_statuses_for_check(Context& ctx) {
  try {
    std::vector<Case> cases = cases_to_fetch(ctx, {});
    if (cases.empty()) {
      spdlog::info("no open case with a receipt number: no status fetched");
      return;
    }
    StatusFetchReport r = fetch_statuses(ctx, cases);
    std::size_t news = static_cast<std::size_t>(std::count_if(
        r.outcomes.begin(), r.outcomes.end(), [](const StatusOutcome& o) { return o.changed(); }));
    // Counts only: no receipt in the log above debug level.
    spdlog::info("fetched {} of {} from {}: {} with news, {} not found, {} without a status",
                 r.found, text::count(cases.size(), "status", "statuses"), r.host,
                 text::count(news, "case"), r.not_found.size(), r.refused.size());
    if (r.stopped) {
      ctx.warn(fmt::format(
          "case statuses not all fetched ({} of {} not fetched); checking with those fetched: "
          "{}",
          r.not_fetched.size(), cases.size(), *r.stopped));
    }
  } catch (const std::exception& e) {
    ctx.warn(fmt::format("case statuses not fetched; checking with the timelines as they are: {}",
                         e.what()));
  }
}

}  // namespace casewatch::cli
