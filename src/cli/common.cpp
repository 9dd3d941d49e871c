// SPDX-License-Identifier: MIT
#include <ostream>

#include "commands.hpp"

namespace casewatch::cli {

std::vector<CaseRecord> load_all(store::Store& store) {
  std::vector<CaseRecord> out;
  for (Case& c : store.all_cases()) {
    out.push_back(CaseRecord{std::move(c), {}});
  }
  // Cases come ordered by id and events by case id: merge them in one pass.
  std::size_t i = 0;
  for (Event& e : store.all_events()) {
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
