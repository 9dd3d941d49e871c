// SPDX-License-Identifier: MIT
// Internal to the cli layer: the rows of a sorted report over every case, kept in a
// temporary file while only their sort keys stay in memory, so that the memory of a report
// does not grow with the text of its rows.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace casewatch::cli {

// Pieces of text added with a key, given back in the order of their keys (equal keys in
// the order added). The text stays in memory up to k_spill_bytes, then goes to an unnamed
// temporary file (in memory still when none can be made).
template <typename Key>
class SpilledRows {
 public:
  static constexpr std::size_t k_spill_bytes = std::size_t{4} << 20U;

  void add(Key key, std::string_view text) {
    m_items.push_back(Item{std::move(key), m_file_bytes + m_buffer.size(), text.size()});
    m_buffer.append(text);
    if (m_buffer.size() >= k_spill_bytes) {
      spill();
    }
  }
  [[nodiscard]] bool empty() const { return m_items.empty(); }
  [[nodiscard]] std::size_t size() const { return m_items.size(); }

  // Calls visit(key, text) for each piece, in the order of `less` on the keys.
  template <typename Less, typename Visit>
  void each_sorted(Less less, Visit visit) {
    std::stable_sort(m_items.begin(), m_items.end(),
                     [&](const Item& a, const Item& b) { return less(a.key, b.key); });
    std::string piece;
    for (const Item& item : m_items) {
      if (item.offset >= m_file_bytes) {
        visit(item.key, std::string_view(m_buffer).substr(item.offset - m_file_bytes, item.length));
        continue;
      }
      piece.resize(item.length);
      std::size_t got = 0;
      while (got < item.length) {
        ssize_t n = ::pread(::fileno(m_file.get()), piece.data() + got, item.length - got,
                            static_cast<off_t>(item.offset + got));
        if (n < 0 && errno == EINTR) {
          continue;
        }
        if (n <= 0) {
          throw std::runtime_error(std::string("cannot read back a temporary file: ") +
                                   (n < 0 ? std::strerror(errno) : "it is shorter"));
        }
        got += static_cast<std::size_t>(n);
      }
      visit(item.key, std::string_view(piece));
    }
  }

 private:
  struct Item {
    Key key;
    std::size_t offset;
    std::size_t length;
  };
  struct Close {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };

  void spill() {
    if (!m_file && !m_no_file) {
      m_file.reset(std::tmpfile());  // unlinked at once: nothing is left behind
      m_no_file = !m_file;
    }
    if (!m_file) {
      return;  // no temporary file: the text stays in memory
    }
    if (std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_file.get()) != m_buffer.size() ||
        std::fflush(m_file.get()) != 0) {
      throw std::runtime_error(std::string("cannot write a temporary file: ") +
                               std::strerror(errno));
    }
    m_file_bytes += m_buffer.size();
    m_buffer.clear();
  }

  std::vector<Item> m_items;
  std::string m_buffer;
  std::size_t m_file_bytes = 0;
  std::unique_ptr<std::FILE, Close> m_file;
  bool m_no_file = false;
};

// A table row as one piece of text (its style first), and back. The cells are escaped
// (Table::measure), so they hold no control character: the unit separator parts them.
inline std::string pack_row(const std::vector<std::string>& cells, std::string_view style) {
  std::string out(style);
  for (const std::string& cell : cells) {
    out += '\x1f';
    out += cell;
  }
  return out;
}
inline std::vector<std::string> unpack_row(std::string_view text, std::string& style) {
  std::vector<std::string> cells;
  std::size_t at = text.find('\x1f');
  style = std::string(text.substr(0, at));
  while (at != std::string_view::npos) {
    std::size_t next = text.find('\x1f', at + 1);
    cells.emplace_back(text.substr(at + 1, next == std::string_view::npos ? next : next - at - 1));
    at = next;
  }
  return cells;
}

}  // namespace casewatch::cli
