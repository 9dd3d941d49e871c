// SPDX-License-Identifier: MIT
// Internal: reading and writing the user's files for the interchange commands.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace casewatch::cli {

// The most read_file reads: a larger input is refused.
inline constexpr std::size_t k_max_input_bytes = std::size_t{64} << 20U;  // 64 MiB

// The whole content of `path` ("-" for standard input). Throws UsageError naming the path
// when it cannot be read, is no regular file (a FIFO, a device, a directory, a socket), or
// is larger than k_max_input_bytes.
std::string read_file(const std::string& path);

// Writes `content` to `path` private to the user (0600), through a temporary file renamed
// over it, so a reader never sees half a file. Throws UsageError naming the path.
void write_file_atomically(const std::string& path, const std::string& content);

// The same for content written as it is made: `produce` is given a function that appends
// a piece. What `produce` throws passes through, and leaves no file behind.
using Sink = std::function<void(std::string_view)>;
void write_file_atomically(const std::string& path,
                           const std::function<void(const Sink&)>& produce);

}  // namespace casewatch::cli
