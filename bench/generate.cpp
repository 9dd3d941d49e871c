// SPDX-License-Identifier: MIT
// casewatch_bench_generate N DB: writes N realistic pending cases with their events into a
// new casewatch database, for the benchmark (bench/run). Forms, categories and offices come
// from the built-in USCIS table; received dates spread over 2021-2026; about a third of the
// cases have an e-Request, some a reply, an RFE, a transfer or an interview, none after
// 2026-11-27 (the benchmark's day, so that the export imports). Deterministic:
// the same N gives the same database.
#include <filesystem>
#include <iostream>
#include <optional>
#include <random>
#include <string>

#include "casewatch/domain/catalog.hpp"
#include "casewatch/domain/identifiers.hpp"
#include "casewatch/store/store.hpp"

namespace {

using casewatch::Case;
using casewatch::Date;
using casewatch::Event;
using casewatch::EventKind;

constexpr std::array<std::string_view, 7> k_prefixes = {"IOE", "EAC", "WAC", "LIN",
                                                        "SRC", "MSC", "YSC"};

int generate(long n, const std::filesystem::path& path) {
  if (std::filesystem::exists(path)) {
    std::cerr << "casewatch_bench_generate: " << path << " exists; give a new file\n";
    return 2;
  }
  const auto& rows = casewatch::builtin_processing_times();
  std::mt19937_64 rng(20241018);
  auto pick = [&](std::size_t size) {
    return static_cast<std::size_t>(rng() % static_cast<std::uint64_t>(size));
  };
  const Date first = casewatch::make_date(2021, 1, 4);
  const int span_days = 5 * 365;
  const Date last_day = casewatch::make_date(2026, 11, 27);  // the benchmark's --as-of

  casewatch::store::Store store(path);
  // Written 10,000 cases a transaction, as a database fills over many commands: one
  // journal entry each, not one entry of every row.
  constexpr long k_per_write = 10'000;
  std::optional<casewatch::store::Store::WriteTransaction> tx;
  for (long i = 0; i < n; ++i) {
    if (i % k_per_write == 0) {
      if (tx) {
        tx->commit();
      }
      tx.emplace(store.begin_write());
    }
    const casewatch::ProcessingTime& row = rows[pick(rows.size())];
    Case c;
    std::string_view prefix = k_prefixes[pick(k_prefixes.size())];
    c.receipt = std::string(prefix) + std::to_string(2100000000L + i);
    c.form = row.form;
    c.category = row.category;
    if (casewatch::is_single_field_office(row.office) || prefix == "IOE" || pick(2) == 0) {
      c.office = row.office;
    }
    c.received = first + date::days{static_cast<int>(pick(span_days))};
    c.label = "Case " + std::to_string(i);
    c.id = store.insert_case(c);

    auto add = [&](EventKind kind, int days_after_received, std::optional<Date> due = {}) {
      Event e;
      e.case_id = c.id;
      e.kind = kind;
      e.date = *c.received + date::days{days_after_received};
      if (e.date > last_day) {
        return;  // not yet happened: import refuses events after today
      }
      e.due = due;
      store.insert_event(e);
    };
    add(EventKind::receipt, 10);
    if (pick(3) == 0) {
      add(EventKind::e_request, 400 + static_cast<int>(pick(300)));
      if (pick(2) == 0) {
        add(EventKind::reply, 730);
      }
    }
    if (pick(8) == 0) {
      // The due date printed on the notice: 84 days, the regulation's most (docs/rules.md
      // `rfe-due`).
      int rfe_day = 200 + static_cast<int>(pick(200));
      add(EventKind::rfe, rfe_day, *c.received + date::days{rfe_day + 84});
    }
    if (pick(10) == 0) {
      add(EventKind::congress, 760);
    }
    if (row.form == "N-400" && pick(2) == 0) {
      add(EventKind::interview, 150 + static_cast<int>(pick(150)));
    }
  }
  if (tx) {
    tx->commit();
  }
  std::cout << "wrote " << n << " cases to " << path.string() << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  long n = argc == 3 ? std::strtol(argv[1], nullptr, 10) : 0;
  if (n <= 0) {
    std::cerr << "usage: casewatch_bench_generate N DB\n";
    return 2;
  }
  try {
    return generate(n, argv[2]);
  } catch (const std::exception& e) {
    std::cerr << "casewatch_bench_generate: " << e.what() << '\n';
    return 1;
  }
}
