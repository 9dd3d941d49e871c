// SPDX-License-Identifier: MIT
// Internal to the cli layer: the rows of a sorted report over every case, kept in sorted
// runs in a temporary file, so that the memory of a report does not grow with its rows.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace casewatch::cli {

// Pieces of text added with a key, given back in the order of their keys (`less`; equal
// keys in the order added). The text and its keys stay in memory up to k_spill_bytes of
// text; then that run is sorted and written, key and text together, to an unnamed
// temporary file (kept in memory still when none can be made). The sorted runs are merged
// at the end, each read in order through a buffer of its own. So memory holds one run and a
// small buffer a run, whatever the number of rows.
template <typename Key>
class SpilledRows {
  static_assert(std::is_trivially_copyable_v<Key>, "a key is written to the file as it is");

 public:
  using Less = std::function<bool(const Key&, const Key&)>;
  static constexpr std::size_t k_spill_bytes = std::size_t{4} << 20U;
  static constexpr std::size_t k_read_bytes = std::size_t{32} << 10U;
  static constexpr std::size_t k_write_bytes = std::size_t{1} << 20U;

  explicit SpilledRows(Less less) : m_less(std::move(less)) {}

  void add(Key key, std::string_view text) {
    m_items.push_back(Item{key, m_buffer.size(), text.size()});
    m_buffer.append(text);
    if (m_buffer.size() >= k_spill_bytes) {
      spill();
    }
  }
  [[nodiscard]] bool empty() const { return size() == 0; }
  [[nodiscard]] std::size_t size() const { return m_spilled + m_items.size(); }

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
    // The runs in the file, then the one in memory (the last); each is in order.
    const int fd = ::fileno(m_file.get());
    std::vector<Reader> readers;
    readers.reserve(m_runs.size());
    for (const Run& run : m_runs) {
      readers.emplace_back(run);
    }
    std::size_t in_memory = 0;  // the next item of the run in memory
    const std::size_t memory_run = readers.size();
    auto key_of = [&](std::size_t r) -> const Key& {
      return r == memory_run ? m_items[in_memory].key : readers[r].key();
    };
    auto head_before = [&](std::size_t a, std::size_t b) {  // for the heap: later first
      const Key& x = key_of(a);
      const Key& y = key_of(b);
      if (m_less(y, x)) {
        return true;
      }
      return !m_less(x, y) && b < a;  // equal keys: the earlier run first
    };
    std::vector<std::size_t> heap;
    for (std::size_t r = 0; r < readers.size(); ++r) {
      if (readers[r].advance(fd)) {
        heap.push_back(r);
      }
    }
    if (!m_items.empty()) {
      heap.push_back(memory_run);
    }
    std::make_heap(heap.begin(), heap.end(), head_before);
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), head_before);
      const std::size_t r = heap.back();
      bool more = false;
      if (r == memory_run) {
        const Item& item = m_items[in_memory];
        visit(item.key, std::string_view(m_buffer).substr(item.offset, item.length));
        more = ++in_memory < m_items.size();
      } else {
        visit(readers[r].key(), readers[r].text());
        more = readers[r].advance(fd);
      }
      if (more) {
        std::push_heap(heap.begin(), heap.end(), head_before);
      } else {
        heap.pop_back();
      }
    }
  }

 private:
  struct Item {
    Key key;
    std::size_t offset;  // in m_buffer
    std::size_t length;
  };
  // A run in the file: records of the key's bytes, the text's length, and the text.
  struct Run {
    std::size_t begin;
    std::size_t end;
  };
  static constexpr std::size_t k_head = sizeof(Key) + sizeof(std::uint64_t);
  struct Close {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  // Reads one run's records in order, k_read_bytes at a time.
  class Reader {
   public:
    explicit Reader(const Run& run) : m_next(run.begin), m_end(run.end) {}
    // Reads the next record; false at the end of the run.
    bool advance(int fd) {
      if (m_next >= m_end) {
        return false;
      }
      std::uint64_t length = 0;
      const char* head = bytes(fd, m_next, k_head);
      std::memcpy(&m_key, head, sizeof(Key));
      std::memcpy(&length, head + sizeof(Key), sizeof length);
      m_text = std::string_view(bytes(fd, m_next + k_head, length), length);
      m_next += k_head + length;
      return true;
    }
    [[nodiscard]] const Key& key() const { return m_key; }
    [[nodiscard]] std::string_view text() const { return m_text; }

   private:
    // `n` bytes of the file at `offset`, read into the buffer when they are not all in it.
    const char* bytes(int fd, std::size_t offset, std::size_t n) {
      if (offset < m_at || offset + n > m_at + m_data.size()) {
        fill(fd, offset, std::max(n, k_read_bytes));
      }
      if (offset + n > m_at + m_data.size()) {
        throw std::runtime_error("cannot read back a temporary file: it is shorter");
      }
      return m_data.data() + (offset - m_at);
    }
    void fill(int fd, std::size_t offset, std::size_t want) {
      m_data.resize(want);
      std::size_t got = 0;
      while (got < want) {
        ssize_t n = ::pread(fd, m_data.data() + got, want - got, static_cast<off_t>(offset + got));
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
    std::size_t m_next;
    std::size_t m_end;
    Key m_key{};
    std::string_view m_text;
    std::string m_data;
    std::size_t m_at = 0;
  };

  // Sorts the items of the run in memory (stable: equal keys stay in the order added).
  void sort_run() {
    std::stable_sort(m_items.begin(), m_items.end(),
                     [&](const Item& a, const Item& b) { return m_less(a.key, b.key); });
  }

  void write(const void* data, std::size_t size) {
    if (std::fwrite(data, 1, size, m_file.get()) != size) {
      throw std::runtime_error(std::string("cannot write a temporary file: ") +
                               std::strerror(errno));
    }
    m_file_bytes += size;
  }

  // Writes the run in memory to the file in its order, and forgets it.
  void spill() {
    if (!m_file && !m_no_file) {
      m_file.reset(std::tmpfile());  // unlinked at once: nothing is left behind
      m_no_file = !m_file;
      if (m_file) {
        // The records are written one by one: through a buffer of 1 MiB, not the default
        // 4 KiB, so that a run takes a few writes.
        m_file_buffer = std::make_unique<char[]>(k_write_bytes);
        std::setvbuf(m_file.get(), m_file_buffer.get(), _IOFBF, k_write_bytes);
      }
    }
    if (!m_file) {
      return;  // no temporary file: the text stays in memory
    }
    sort_run();
    const std::size_t begin = m_file_bytes;
    for (const Item& item : m_items) {
      const auto length = static_cast<std::uint64_t>(item.length);
      write(&item.key, sizeof(Key));
      write(&length, sizeof length);
      write(m_buffer.data() + item.offset, item.length);
    }
    if (std::fflush(m_file.get()) != 0) {
      throw std::runtime_error(std::string("cannot write a temporary file: ") +
                               std::strerror(errno));
    }
    m_runs.push_back(Run{begin, m_file_bytes});
    m_spilled += m_items.size();
    m_items.clear();
    m_buffer.clear();
  }

  Less m_less;
  std::vector<Item> m_items;  // the run in memory
  std::string m_buffer;       // its text
  std::vector<Run> m_runs;    // the runs written to the file
  std::size_t m_spilled = 0;  // rows in them
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
