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
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace casewatch::cli {

// Pieces of text added with a key, given back in the order of their keys (`less`; equal
// keys in the order added). The text stays in memory up to k_spill_bytes; then that run is
// sorted and written, in order, to an unnamed temporary file (kept in memory still when
// none can be made). The sorted runs are merged at the end, each read in order through a
// buffer of its own: a few reads a run, not one a piece.
template <typename Key>
class SpilledRows {
 public:
  using Less = std::function<bool(const Key&, const Key&)>;
  static constexpr std::size_t k_spill_bytes = std::size_t{4} << 20U;
  static constexpr std::size_t k_read_bytes = std::size_t{64} << 10U;
  static constexpr std::size_t k_write_bytes = std::size_t{1} << 20U;

  explicit SpilledRows(Less less) : m_less(std::move(less)) {}

  void add(Key key, std::string_view text) {
    m_items.push_back(Item{std::move(key), m_buffer.size(), text.size()});
    m_buffer.append(text);
    if (m_buffer.size() >= k_spill_bytes) {
      spill();
    }
  }
  [[nodiscard]] bool empty() const { return m_items.empty(); }
  [[nodiscard]] std::size_t size() const { return m_items.size(); }

  // Calls visit(key, text) for each piece, in order.
  template <typename Visit>
  void each_sorted(Visit visit) {
    sort_run();
    if (m_runs.empty()) {
      for (const Item& item : m_items) {
        visit(item.key, std::string_view(m_buffer).substr(item.offset, item.length));
      }
      return;
    }
    // The runs in the file, then the one in memory; each is in order.
    std::vector<Run> runs = m_runs;
    runs.push_back(Run{m_run_start, m_items.size(), true});
    auto head_before = [&](std::size_t a, std::size_t b) {  // for the heap: later first
      const Item& x = m_items[runs[a].next];
      const Item& y = m_items[runs[b].next];
      if (m_less(y.key, x.key)) {
        return true;
      }
      return !m_less(x.key, y.key) && b < a;  // equal keys: the earlier run first
    };
    std::vector<std::size_t> heap;
    for (std::size_t r = 0; r < runs.size(); ++r) {
      if (runs[r].next < runs[r].end) {
        heap.push_back(r);
      }
    }
    std::make_heap(heap.begin(), heap.end(), head_before);
    std::vector<Reader> readers(runs.size());
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), head_before);
      std::size_t r = heap.back();
      const Item& item = m_items[runs[r].next];
      if (runs[r].in_memory) {
        visit(item.key, std::string_view(m_buffer).substr(item.offset, item.length));
      } else {
        visit(item.key, readers[r].take(m_file.get(), item.offset, item.length));
      }
      if (++runs[r].next < runs[r].end) {
        std::push_heap(heap.begin(), heap.end(), head_before);
      } else {
        heap.pop_back();
      }
    }
  }

 private:
  struct Item {
    Key key;
    std::size_t offset;  // in the file for a spilled run, else in m_buffer
    std::size_t length;
  };
  // The items [next, end) of m_items, in order.
  struct Run {
    std::size_t next;
    std::size_t end;
    bool in_memory;
  };
  struct Close {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  // Reads one run's pieces in the order they were written, k_read_bytes at a time.
  class Reader {
   public:
    std::string_view take(std::FILE* file, std::size_t offset, std::size_t length) {
      if (offset < m_at || offset + length > m_at + m_data.size()) {
        fill(file, offset, std::max(length, k_read_bytes));
      }
      return std::string_view(m_data).substr(offset - m_at, length);
    }

   private:
    void fill(std::FILE* file, std::size_t offset, std::size_t want) {
      m_data.resize(want);
      std::size_t got = 0;
      while (got < want) {
        ssize_t n = ::pread(::fileno(file), m_data.data() + got, want - got,
                            static_cast<off_t>(offset + got));
        if (n < 0 && errno == EINTR) {
          continue;
        }
        if (n < 0) {
          throw std::runtime_error(std::string("cannot read back a temporary file: ") +
                                   std::strerror(errno));
        }
        if (n == 0) {
          break;  // the end of the file: the last run is shorter than a buffer
        }
        got += static_cast<std::size_t>(n);
      }
      m_data.resize(got);
      m_at = offset;
    }
    std::string m_data;
    std::size_t m_at = 0;
  };

  // Sorts the items of the run in memory (stable: equal keys stay in the order added).
  void sort_run() {
    std::stable_sort(m_items.begin() + static_cast<std::ptrdiff_t>(m_run_start), m_items.end(),
                     [&](const Item& a, const Item& b) { return m_less(a.key, b.key); });
  }

  // Writes the run in memory to the file in its order; its items take their file offsets.
  void spill() {
    if (!m_file && !m_no_file) {
      m_file.reset(std::tmpfile());  // unlinked at once: nothing is left behind
      m_no_file = !m_file;
      if (m_file) {
        // The pieces are written one by one: through a buffer of 1 MiB, not the default
        // 4 KiB, so that a run takes a few writes.
        m_file_buffer = std::make_unique<char[]>(k_write_bytes);
        std::setvbuf(m_file.get(), m_file_buffer.get(), _IOFBF, k_write_bytes);
      }
    }
    if (!m_file) {
      return;  // no temporary file: the text stays in memory
    }
    sort_run();
    std::size_t at = m_file_bytes;
    for (std::size_t i = m_run_start; i < m_items.size(); ++i) {
      Item& item = m_items[i];
      if (std::fwrite(m_buffer.data() + item.offset, 1, item.length, m_file.get()) != item.length) {
        throw std::runtime_error(std::string("cannot write a temporary file: ") +
                                 std::strerror(errno));
      }
      item.offset = at;
      at += item.length;
    }
    if (std::fflush(m_file.get()) != 0) {
      throw std::runtime_error(std::string("cannot write a temporary file: ") +
                               std::strerror(errno));
    }
    m_runs.push_back(Run{m_run_start, m_items.size(), false});
    m_run_start = m_items.size();
    m_file_bytes += m_buffer.size();
    m_buffer.clear();
  }

  Less m_less;
  std::vector<Item> m_items;
  std::vector<Run> m_runs;      // the runs written to the file
  std::size_t m_run_start = 0;  // the first item of the run in m_buffer
  std::string m_buffer;
  std::size_t m_file_bytes = 0;
  std::unique_ptr<char[]> m_file_buffer;  // declared first: it outlives the file
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
