// SPDX-License-Identifier: MIT
#include "files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "casewatch/cli/context.hpp"

namespace casewatch::cli {

namespace {

constexpr std::size_t k_mib = std::size_t{1} << 20U;

std::string too_large(const std::string& name) {
  return fmt::format("{} is larger than {} MiB; casewatch reads files up to {} MiB", name,
                     k_max_input_bytes / k_mib, k_max_input_bytes / k_mib);
}

// What a file that is not a regular file is, in words.
std::string_view kind_of(mode_t mode) {
  if (S_ISDIR(mode)) {
    return "a directory";
  }
  if (S_ISFIFO(mode)) {
    return "a FIFO (named pipe)";
  }
  if (S_ISCHR(mode)) {
    return "a character device";
  }
  if (S_ISBLK(mode)) {
    return "a block device";
  }
  if (S_ISSOCK(mode)) {
    return "a socket";
  }
  return "not a regular file";
}

}  // namespace

InputFile::InputFile(const std::string& path) {
  if (path == "-") {
    m_fd = STDIN_FILENO;
    m_name = "standard input";
    return;
  }
  m_name = fmt::format("'{}'", path);
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
  m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (m_fd < 0) {
    throw UsageError(fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
  }
  m_owned = true;
  struct stat st {};
  if (::fstat(m_fd, &st) != 0) {
    int err = errno;
    ::close(m_fd);
    throw UsageError(fmt::format("cannot read '{}': {}", path, std::strerror(err)));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(m_fd);
    throw UsageError(
        fmt::format("cannot read '{}': it is {}; give a regular file, or '-' to read "
                    "standard input",
                    path, kind_of(st.st_mode)));
  }
  m_size = static_cast<std::uint64_t>(st.st_size);
}

InputFile::~InputFile() {
  if (m_owned) {
    ::close(m_fd);
  }
}

std::size_t InputFile::read(char* out, std::size_t size) {
  for (;;) {
    ssize_t n = ::read(m_fd, out, size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      throw UsageError(fmt::format("cannot read {}: {}", m_name, std::strerror(errno)));
    }
    return static_cast<std::size_t>(n);
  }
}

void InputFile::read_rest(std::string& text) {
  if (m_size && *m_size > k_max_input_bytes) {
    throw UsageError(too_large(m_name));
  }
  std::array<char, 65536> buf{};
  for (;;) {
    std::size_t n = read(buf.data(), buf.size());
    if (n == 0) {
      return;
    }
    if (text.size() + n > k_max_input_bytes) {
      throw UsageError(too_large(m_name));
    }
    text.append(buf.data(), n);
  }
}

std::string read_file(const std::string& path) {
  InputFile in(path);
  std::string out;
  in.read_rest(out);
  return out;
}

namespace {

bool write_fully(int fd, std::string_view content, int& err) {
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      err = n < 0 ? errno : EIO;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Writes what `produce` gives into `fd`, about a MiB at a time, and syncs it: false (with
// `err`) when a write fails.
bool fill(int fd, const std::function<void(const Sink&)>& produce, int& err) {
  constexpr std::size_t k_chunk = std::size_t{1} << 20U;
  std::string buffer;
  bool ok = true;
  produce([&](std::string_view piece) {
    if (!ok) {
      return;
    }
    buffer.append(piece);
    if (buffer.size() >= k_chunk) {
      ok = write_fully(fd, buffer, err);
      buffer.clear();
    }
  });
  if (!ok || !write_fully(fd, buffer, err)) {
    return false;
  }
  if (::fsync(fd) != 0) {
    err = errno;
    return false;
  }
  return true;
}

[[noreturn]] void write_failed(const std::string& path, int err) {
  throw std::runtime_error(fmt::format("cannot write '{}': {}", path, std::strerror(err)));
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& content) {
  write_file_atomically(path, [&](const Sink& put) { put(content); });
}

void write_file_atomically(const std::string& path,
                           const std::function<void(const Sink&)>& produce) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) {
    dir = ".";
  }
  // An unnamed file first (O_TMPFILE): a process killed while writing leaves nothing behind.
  // It gets a name only once complete, and that name is renamed over the target at once.
  int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  if (fd >= 0) {
    int err = 0;
    bool ok = false;
    try {
      ok = fill(fd, produce, err);
    } catch (...) {
      ::close(fd);  // unnamed: nothing is left
      throw;
    }
    if (!ok) {
      ::close(fd);
      write_failed(path, err);
    }
    std::string tmp = fmt::format("{}.tmp-{}", path, ::getpid());
    std::string proc = fmt::format("/proc/self/fd/{}", fd);
    ::unlink(tmp.c_str());
    if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, tmp.c_str(), AT_SYMLINK_FOLLOW) == 0) {
      ::close(fd);
      if (::rename(tmp.c_str(), path.c_str()) != 0) {
        err = errno;
        ::unlink(tmp.c_str());
        write_failed(path, err);
      }
      return;
    }
    ::close(fd);  // no /proc: fall back to a named temporary file
  } else if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
    throw UsageError(fmt::format("cannot write '{}': {}", path, std::strerror(errno)));
  }
  std::string tmp = path + ".tmp-XXXXXX";
  fd = ::mkstemp(tmp.data());  // created 0600
  if (fd < 0) {
    throw UsageError(fmt::format("cannot write '{}': {}", path, std::strerror(errno)));
  }
  int err = 0;
  bool ok = false;
  try {
    ok = fill(fd, produce, err);
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (ok && ::rename(tmp.c_str(), path.c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    write_failed(path, err);
  }
}

}  // namespace casewatch::cli
