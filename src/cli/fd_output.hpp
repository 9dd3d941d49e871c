// SPDX-License-Identifier: MIT
// Internal to the cli layer: standard output that knows whether it was written.
#pragma once

#include <array>
#include <cstddef>
#include <streambuf>
#include <string>

namespace casewatch::cli {

// A buffered stream buffer over a file descriptor that remembers the first write error
// (a full disk, a closed descriptor, a reader that went away). Commands print through it,
// and nothing is recorded as reported until finish() has said that every byte got out.
class FdOutput : public std::streambuf {
 public:
  explicit FdOutput(int fd);
  ~FdOutput() override;
  FdOutput(const FdOutput&) = delete;
  FdOutput& operator=(const FdOutput&) = delete;

  // Marks the descriptor as closed when the process started: writing anything then fails
  // (printing nothing loses nothing).
  void set_closed();

  // Writes what is buffered. Empty when every byte so far was written, else why not
  // ("No space left on device").
  std::string finish();

 protected:
  int_type overflow(int_type ch) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  bool drain();
  bool write_all(const char* data, std::size_t size);

  int m_fd;
  int m_error = 0;
  bool m_closed = false;
  std::array<char, 1 << 16> m_buffer{};
};

// Makes sure descriptors 0, 1 and 2 are open, so that no file casewatch opens (the database)
// can take their place and receive its output. Returns true when standard output was closed.
bool guard_standard_descriptors();

}  // namespace casewatch::cli
