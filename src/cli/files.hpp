// SPDX-License-Identifier: MIT
// Internal: reading and writing the user's files for the interchange commands.
#pragma once

#include <string>

namespace casewatch::cli {

// The whole content of `path` ("-" for standard input). Throws UsageError naming the path
// when it cannot be read.
std::string read_file(const std::string& path);

// Writes `content` to `path` private to the user (0600), through a temporary file renamed
// over it, so a reader never sees half a file. Throws UsageError naming the path.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace casewatch::cli
