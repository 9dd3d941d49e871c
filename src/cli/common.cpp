// SPDX-License-Identifier: MIT
#include <spdlog/spdlog.h>

#include <ostream>
#include <set>

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

Evaluation evaluate_case(Context& ctx, const Case& c, const std::vector<Event>& events,
                         Detail detail) {
  return evaluate(c, events, ctx.times(), ctx.as_of(), detail);
}

void print_json(Context& ctx, const nlohmann::ordered_json& j) {
  ctx.out() << j.dump(2) << '\n';
}

}  // namespace casewatch::cli
