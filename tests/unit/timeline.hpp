// SPDX-License-Identifier: MIT
// What the rules' unit tests share: a date in one call, the built-in processing-time table,
// and a case with its events built up in order and evaluated as the rules see it.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "casewatch/domain/catalog.hpp"
#include "casewatch/domain/rules.hpp"

namespace casewatch::unit {

inline Date D(int y, unsigned m, unsigned d) {
  return make_date(y, m, d);
}

inline const ProcessingTimeTable& builtin() {
  static const ProcessingTimeTable k_table(builtin_processing_times());
  return k_table;
}

struct Timeline {
  Case c;
  std::vector<Event> events;
  BulletinTable bulletin;
  const BulletinTable* shared = nullptr;  // used instead of `bulletin` when set

  // The next event, numbered as `show` numbers it; returned to set its other fields.
  Event& event(EventKind kind, Date date, std::optional<Date> due = std::nullopt) {
    Event e;
    e.id = static_cast<std::int64_t>(events.size()) + 1;
    e.seq = e.id;
    e.case_id = c.id;
    e.kind = kind;
    e.date = date;
    e.due = due;
    events.push_back(e);
    return events.back();
  }
  Timeline& add(EventKind kind, Date date, std::optional<Date> due = std::nullopt) {
    event(kind, date, due);
    return *this;
  }

  [[nodiscard]] Evaluation at(Date as_of, const ProcessingTimeTable& table,
                              Detail detail = Detail::full) const {
    return evaluate(c, events, table, shared != nullptr ? *shared : bulletin, as_of, detail);
  }
  [[nodiscard]] Evaluation at(Date as_of, Detail detail = Detail::full) const {
    return at(as_of, builtin(), detail);
  }
  // The wake date, which every level of detail must agree on.
  [[nodiscard]] std::optional<Date> wake(Date as_of) const {
    Evaluation full = at(as_of, Detail::full);
    Evaluation dates = at(as_of, Detail::dates);
    EXPECT_EQ(full.wake, dates.wake) << format_date(as_of);
    return full.wake;
  }
};

}  // namespace casewatch::unit
