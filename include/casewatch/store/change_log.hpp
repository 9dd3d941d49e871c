// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace casewatch::store {

// The changes of one open write, for its journal entry: the JSON array of the row changes
// recorded, held in memory up to `spill_after` bytes and beyond that in an unnamed temporary
// file, so that an import of any size journals its rows in flat memory. Read back in pieces.
class ChangeLog {
 public:
  static constexpr std::size_t k_spill_after = std::size_t{4} << 20U;  // 4 MiB
  explicit ChangeLog(std::size_t spill_after = k_spill_after);

  // Adds one change (a JSON object, as the journal keeps it).
  void add(std::string_view change);
  [[nodiscard]] bool empty() const { return m_count == 0; }
  [[nodiscard]] std::size_t count() const { return m_count; }
  // The bytes of the whole array ("[" the changes joined by "," "]").
  [[nodiscard]] std::size_t bytes() const { return m_bytes + 2; }
  // True when the changes went to the temporary file (too many to keep in memory).
  [[nodiscard]] bool spilled() const { return m_file != nullptr; }
  // The whole array handed to `put` in order, in pieces of at most about 1 MiB.
  void read(const std::function<void(std::string_view)>& put) const;
  // The whole array as one text (for an entry that stayed in memory).
  [[nodiscard]] std::string text() const;
  void clear();

 private:
  void spill();

  std::size_t m_spill_after;
  std::size_t m_count = 0;
  std::size_t m_bytes = 0;  // of the changes joined by ","
  std::string m_memory;     // the changes joined by ",", not yet in the file
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> m_file{nullptr, std::fclose};
};

}  // namespace casewatch::store
