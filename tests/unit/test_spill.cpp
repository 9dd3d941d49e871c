// SPDX-License-Identifier: MIT
// The sorted reports' store of rendered rows (src/cli/spill.hpp): what comes back, in what
// order, whether it stayed in memory or went to sorted runs in a temporary file.
#include "../../src/cli/spill.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
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

}  // namespace
}  // namespace casewatch::cli
