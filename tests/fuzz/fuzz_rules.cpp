// SPDX-License-Identifier: MIT
// The rules over random cases and dates, with the built-in processing-time table.
// Invariants: no crash, findings sorted (most severe first, then by since and rule), every
// finding's `since` on or before as_of, deadlines open on as_of and sorted. It ends: a
// loop that never does is reported as a timeout. The wake is later than as_of, and the day
// before it gives the same status and finding keys.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "casewatch/domain/catalog.hpp"
#include "casewatch/domain/rules.hpp"
#include "fuzz_check.hpp"

namespace {

using namespace casewatch;

// A date from 2015 to `last`, where the rules and the table have something to say.
Date some_date(FuzzedDataProvider& in, Date last) {
  const Date first = make_date(2015, 1, 1);
  return first + date::days{in.ConsumeIntegralInRange<int>(0, days_between(first, last))};
}

std::optional<Date> maybe_date(FuzzedDataProvider& in, Date last) {
  return in.ConsumeBool() ? std::optional<Date>(some_date(in, last)) : std::nullopt;
}

// A value from the real lists half of the time, any text the other half.
template <std::size_t N>
std::string pick(FuzzedDataProvider& in, const std::array<const char*, N>& real) {
  if (in.ConsumeBool()) {
    return real[in.ConsumeIntegralInRange<std::size_t>(0, N - 1)];
  }
  return in.ConsumeRandomLengthString(16);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ProcessingTimeTable table(builtin_processing_times());
  FuzzedDataProvider in(data, size);

  constexpr std::array<const char*, 8> forms = {"I-485", "I-765", "N-400", "I-130",
                                                "I-131", "I-140", "I-751", "I-129F"};
  constexpr std::array<const char*, 6> categories = {"131A-FAM", "147-C9", "131A",
                                                     "147-C8",   "131B",   "111A"};
  constexpr std::array<const char*, 7> offices = {"QNS", "NSC", "ESC", "CSC", "NBC", "FOD", "SCD"};
  constexpr std::array<const char*, 4> receipts = {"IOE0912345678", "EAC2490012345",
                                                   "MSC2391234567", "LIN2400012345"};

  // "Today": the case's dates and past events are on or before it, as validation ensures
  // on the day they are entered; appointments and due dates may come after it.
  const Date as_of = some_date(in, make_date(2030, 12, 31));
  const Date later = as_of + date::days{2 * 366};

  Case c;
  c.id = 1;
  if (in.ConsumeBool()) {
    c.receipt = pick(in, receipts);
  }
  c.form = pick(in, forms);
  if (in.ConsumeBool()) {
    c.category = pick(in, categories);
  }
  if (in.ConsumeBool()) {
    c.office = pick(in, offices);
  }
  c.received = maybe_date(in, as_of);
  c.sent = maybe_date(in, as_of);
  c.priority_date = maybe_date(in, as_of);
  c.premium_start = maybe_date(in, as_of);
  c.status = static_cast<Status>(in.ConsumeIntegralInRange<int>(0, 4));
  // What import and the store guarantee of every case (check_whole in interchange.cpp).
  if (c.receipt && !c.received) {
    c.received = c.sent.value_or(as_of);
  }
  if (!c.receipt && !c.sent) {
    c.sent = c.received.value_or(as_of);
  }
  if (c.received && c.sent && *c.received < *c.sent) {
    std::swap(*c.received, *c.sent);
  }

  std::vector<Event> events;
  const int n_events = in.ConsumeIntegralInRange<int>(0, 6);
  for (int k = 0; k < n_events; ++k) {
    Event e;
    e.id = k + 1;
    e.case_id = 1;
    e.kind = static_cast<EventKind>(
        in.ConsumeIntegralInRange<int>(0, static_cast<int>(EventKind::note)));
    e.date = some_date(in, may_be_future(e.kind) ? later : as_of);
    e.due = maybe_date(in, later);
    if (in.ConsumeBool()) {
      e.office = pick(in, offices);
    }
    if (in.ConsumeBool()) {
      e.ref = in.ConsumeRandomLengthString(12);
    }
    events.push_back(std::move(e));
  }
  const Detail detail = static_cast<Detail>(in.ConsumeIntegralInRange<int>(0, 2));

  Evaluation ev = evaluate(c, events, table, as_of, detail);
  FUZZ_CHECK(ev.as_of == as_of);
  auto rank = [](Severity s) { return -static_cast<int>(s); };
  for (std::size_t i = 0; i < ev.findings.size(); ++i) {
    const Finding& f = ev.findings[i];
    FUZZ_CHECK(f.since <= as_of);
    FUZZ_CHECK(!f.rule.empty());
    if (i > 0) {
      const Finding& p = ev.findings[i - 1];
      FUZZ_CHECK(std::tuple(rank(p.severity), p.since, p.rule) <=
                 std::tuple(rank(f.severity), f.since, f.rule));
    }
  }
  for (std::size_t i = 0; i < ev.deadlines.size(); ++i) {
    FUZZ_CHECK(ev.deadlines[i].due >= as_of);
    FUZZ_CHECK(i == 0 || ev.deadlines[i - 1].due <= ev.deadlines[i].due);
  }
  (void)ev.days_overdue();
  (void)ev.earliest_next();
  // The wake (rules.hpp): later than as_of, and nothing about the status or the findings'
  // keys changes on the day before it (or a year on, when there is none).
  FUZZ_CHECK(!ev.wake || *ev.wake > as_of);
  if (detail != Detail::inquiry) {
    Date probe = ev.wake ? *ev.wake - date::days{1} : as_of + date::days{366};
    Evaluation then = evaluate(c, events, table, probe, detail);
    auto keys = [](const Evaluation& e) {
      std::vector<FindingKey> k;
      for (const Finding& f : e.findings) {
        k.push_back(key_of(f));
      }
      std::sort(k.begin(), k.end());
      return k;
    };
    FUZZ_CHECK(then.status == ev.status);
    FUZZ_CHECK(keys(then) == keys(ev));
  }
  return 0;
}
