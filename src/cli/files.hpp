// SPDX-License-Identifier: MIT
// Internal: reading and writing the user's files for the interchange commands.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace casewatch::cli {

// The most read_file reads: a larger input is refused.
inline constexpr std::size_t k_max_input_bytes = std::size_t{64} << 20U;  // 64 MiB

// The whole content of `path` ("-" for standard input). Throws UsageError naming the path
// when it cannot be read, is no regular file (a FIFO, a device, a directory, a socket), or
// is larger than k_max_input_bytes.
std::string read_file(const std::string& path);

// An input opened as read_file opens it (the same checks and messages), read in pieces with
// no limit on its size.
class InputFile {
 public:
  explicit InputFile(const std::string& path);  // "-": standard input
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile();
  // Up to `size` more bytes into `out`: how many, 0 at the end. Throws UsageError when a read
  // fails.
  std::size_t read(char* out, std::size_t size);
  // The rest of the input appended to `text`, refused (read_file's UsageError) when the two
  // together are larger than k_max_input_bytes.
  void read_rest(std::string& text);
  // "'path'" or "standard input", as messages name it.
  [[nodiscard]] const std::string& name() const { return m_name; }
  // A regular file's size when it was opened; nothing for a pipe or standard input.
  [[nodiscard]] std::optional<std::uint64_t> size() const { return m_size; }

 private:
  int m_fd = -1;
  bool m_owned = false;
  std::string m_name;
  std::optional<std::uint64_t> m_size;  // a regular file's size when opened
};

// Writes `content` to `path` private to the user (0600), through a temporary file renamed
// over it, so a reader never sees half a file. Throws UsageError naming the path.
void write_file_atomically(const std::string& path, const std::string& content);

// The same for content written as it is made: `produce` is given a function that appends
// a piece. What `produce` throws passes through, and leaves no file behind.
using Sink = std::function<void(std::string_view)>;
void write_file_atomically(const std::string& path,
                           const std::function<void(const Sink&)>& produce);

}  // namespace casewatch::cli
