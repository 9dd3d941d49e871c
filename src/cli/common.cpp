// SPDX-License-Identifier: MIT
#include <spdlog/spdlog.h>

#include <algorithm>
#include <ostream>
#include <set>

#include "casewatch/util/text.hpp"
#include "commands.hpp"

namespace casewatch::cli {

void warn_stored_problems(const std::vector<std::string>& problems) {
  // Each once per run, though the rows may be read more than once.
  static std::set<std::string> printed;
  for (const std::string& p : problems) {
    if (printed.insert(p).second) {
      spdlog::warn(p);
    }
  }
}

std::vector<CaseRecord> load_all(store::Store& store) {
  std::vector<CaseRecord> out;
  std::vector<std::string> problems;
  for (Case& c : store.all_cases(&problems)) {
    out.push_back(CaseRecord{std::move(c), {}});
  }
  auto events = store.all_events(&problems);
  warn_stored_problems(problems);
  // Cases come ordered by id and events by case id: merge them in one pass.
  std::size_t i = 0;
  for (Event& e : events) {
    while (i < out.size() && out[i].c.id < e.case_id) {
      ++i;
    }
    if (i < out.size() && out[i].c.id == e.case_id) {
      out[i].events.push_back(std::move(e));
    }
  }
  return out;
}

CLI::Option* add_match_option(CLI::App* cmd, std::string& match) {
  return cmd->add_option(
      "--match", match,
      "Only cases whose label, note or receipt contains TEXT (any case, accents aside)");
}

bool matches(const Case& c, std::string_view match) {
  if (match.empty()) {
    return true;
  }
  // Accents and case aside: "nunez" finds "José Núñez".
  std::string needle = text::search_key(match);
  auto in = [&](const std::optional<std::string>& field) {
    return field && text::search_key(*field).find(needle) != std::string::npos;
  };
  if (in(c.label) || in(c.note) || in(c.holder)) {
    return true;
  }
  if (!c.receipt) {
    return false;
  }
  std::string compact;
  for (char ch : needle) {
    if (ch != ' ' && ch != '-') {
      compact += ch;
    }
  }
  return !compact.empty() && text::ascii_lower(*c.receipt).find(compact) != std::string::npos;
}

std::size_t for_each_record(store::Store& store, std::string_view match,
                            const std::function<void(Case&, std::vector<Event>&)>& visit,
                            std::optional<Date> woken_by) {
  std::vector<std::string> problems;
  std::size_t visited = 0;
  store.each_case(
      [&](Case& c, std::vector<Event>& events) {
        if (matches(c, match)) {
          ++visited;
          visit(c, events);
        }
      },
      &problems, woken_by);
  // As load_all warns: the cases' problems first, then the events'.
  std::stable_partition(problems.begin(), problems.end(),
                        [](const std::string& p) { return p.starts_with("case #"); });
  warn_stored_problems(problems);
  return visited;
}

Evaluation evaluate_case(Context& ctx, const Case& c, const std::vector<Event>& events,
                         Detail detail) {
  static const HolidayCalendar k_holidays;
  // The holder's documents and trips (loaded once, grouped by holder), and a document of
  // another holder that names this case as its renewal.
  const HoldingsIndex& index = ctx.holdings();
  Holdings holdings;
  const HoldingsIndex::Held* held = nullptr;
  if (c.holder) {
    if (auto it = index.by_holder.find(*c.holder); it != index.by_holder.end()) {
      held = &it->second;
      holdings = Holdings{held->documents, held->trips};
    }
  }
  std::vector<Document> merged;
  if (auto it = index.by_renewal.find(c.id); it != index.by_renewal.end()) {
    for (const Document& d : it->second) {
      if (d.holder != c.holder) {
        merged.push_back(d);
      }
    }
    if (!merged.empty()) {
      if (held != nullptr) {
        merged.insert(merged.end(), held->documents.begin(), held->documents.end());
      }
      holdings.documents = merged;
    }
  }
  return evaluate(c, events, ctx.times(), ctx.bulletin(), ctx.as_of(), k_holidays, holdings,
                  detail);
}

void print_json(Context& ctx, const nlohmann::ordered_json& j) {
  ctx.out() << j.dump(2) << '\n';
}

}  // namespace casewatch::cli
