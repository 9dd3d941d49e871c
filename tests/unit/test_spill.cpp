// SPDX-License-Identifier: MIT
// The sorted reports' store of rendered rows (src/cli/spill.hpp): what comes back, in what
// order, whether it stayed in memory or went to sorted runs in a temporary file.
#include "../../src/cli/spill.hpp"

#include "casewatch/domain/case.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace casewatch::cli {
namespace {

using Rows = SpilledRows<int>;

// Adds `n` rows of about `size` bytes with keys in [0, distinct), and checks that they come
// back in the order of a stable sort of what was added.
void expect_sorted_back(std::size_t n, std::size_t size, int distinct, unsigned seed) {
  std::mt19937 random(seed);
  Rows rows(std::less<int>{});
  std::vector<std::pair<int, std::string>> added;
  for (std::size_t i = 0; i < n; ++i) {
    int key = static_cast<int>(random() % static_cast<unsigned>(distinct));
    // The text names its place in the order added, so that ties show their order.
    std::string text = std::to_string(i) + ':' +
                       std::string(size + random() % 64, static_cast<char>('a' + key % 26));
    rows.add(key, text);
    added.emplace_back(key, std::move(text));
  }
  std::stable_sort(added.begin(), added.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::size_t at = 0;
  rows.each_sorted([&](int key, std::string_view text) {
    ASSERT_LT(at, added.size());
    EXPECT_EQ(key, added[at].first) << "row " << at;
    EXPECT_EQ(text, added[at].second) << "row " << at;
    ++at;
  });
  EXPECT_EQ(at, added.size());
}

TEST(SpilledRows, GivesBackInMemoryRowsInOrderOfTheirKeysTiesAsAdded) {
  expect_sorted_back(1000, 40, 17, 1);
}

TEST(SpilledRows, MergesTheRunsWrittenToTheFileInOrderTiesAsAdded) {
  // About 13 MiB: three sorted runs in the file and one in memory, many equal keys across
  // runs, and rows larger than the read buffer too.
  expect_sorted_back(20000, 600, 50, 2);
  expect_sorted_back(60, Rows::k_read_bytes * 3, 5, 3);
}

TEST(SpilledRows, EndsExactlyAtARunsEndAndGivesNothingWhenEmpty) {
  Rows rows(std::greater<int>{});
  std::string big(Rows::k_spill_bytes, 'x');
  rows.add(1, big);  // fills a run: spilled at once, nothing left in memory
  rows.add(2, "two");
  std::vector<int> keys;
  rows.each_sorted([&](int key, std::string_view text) {
    keys.push_back(key);
    EXPECT_EQ(text.size(), key == 1 ? big.size() : 3U);
  });
  EXPECT_EQ(keys, (std::vector<int>{2, 1}));
  Rows none(std::less<int>{});
  bool called = false;
  none.each_sorted([&](int, std::string_view) { called = true; });
  EXPECT_FALSE(called);
}

// A report's key as list and overdue have them: dates that may be missing, and padding.
struct ReportKey {
  int urgency;
  std::optional<Date> due;
  CaseId id;
};

TEST(SpilledRows, KeysWithMissingDatesComeBackFromTheFileAsTheyWere) {
  SpilledRows<ReportKey> rows([](const ReportKey& a, const ReportKey& b) {
    return std::tuple(a.urgency, !a.due, a.due.value_or(Date{}), a.id) <
           std::tuple(b.urgency, !b.due, b.due.value_or(Date{}), b.id);
  });
  const std::string text(1000, 'r');
  const int n = 9000;  // about 9 MB: two runs in the file and one in memory
  for (int i = n - 1; i >= 0; --i) {
    std::optional<Date> due;
    if (i % 3 != 0) {
      due = make_date(2025, 1, 1) + date::days{i % 400};
    }
    rows.add(ReportKey{i % 4, due, i}, std::to_string(i) + text);
  }
  std::vector<ReportKey> seen;
  rows.each_sorted([&](const ReportKey& key, std::string_view t) {
    EXPECT_EQ(t, std::to_string(key.id) + text);
    seen.push_back(key);
  });
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(n));
  for (std::size_t i = 1; i < seen.size(); ++i) {
    const ReportKey& a = seen[i - 1];
    const ReportKey& b = seen[i];
    ASSERT_LE(std::tuple(a.urgency, !a.due, a.due.value_or(Date{}), a.id),
              std::tuple(b.urgency, !b.due, b.due.value_or(Date{}), b.id));
  }
  // Urgency 0, the earliest due date (2025-01-01: ids 400, 800...), then the lower id.
  EXPECT_EQ(seen.front().id, 400);
  EXPECT_EQ(seen.front().due, make_date(2025, 1, 1));
}

}  // namespace
}  // namespace casewatch::cli
