// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>

// An invariant of a fuzz target: when it does not hold, say which and abort, so that
// libFuzzer keeps the input as a crash file.
#define FUZZ_CHECK(condition)                                                                      \
  do {                                                                                             \
    if (!(condition)) {                                                                            \
      std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #condition, __FILE__, __LINE__); \
      std::abort();                                                                                \
    }                                                                                              \
  } while (false)

namespace casewatch::fuzz {

// The bytes libFuzzer gives, as text.
inline std::string_view as_text(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A time limit that grows with the input, for the targets run on inputs up to 1 MB: reading
// is linear, so `size` bytes may take k_base plus k_per_byte each (22 s at 1 MB: the slowest
// realistic input, a case with 19,000 events read four times over, takes 9-16 s
// instrumented on a busy 2-core machine); a path that is quadratic somewhere takes far
// longer on the large inputs and is a finding ("fuzz invariant failed: within_time_limit").
class TimeLimit {
 public:
  explicit TimeLimit(std::size_t size) : m_size(size) {}
  [[nodiscard]] bool within_time_limit() const {
    auto took = std::chrono::steady_clock::now() - m_start;
    return took <= k_base + k_per_byte * static_cast<long long>(m_size);
  }

 private:
  static constexpr std::chrono::milliseconds k_base{2'000};
  static constexpr std::chrono::microseconds k_per_byte{20};
  std::size_t m_size;
  std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

}  // namespace casewatch::fuzz
