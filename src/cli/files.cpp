// SPDX-License-Identifier: MIT
#include "files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "casewatch/cli/context.hpp"

namespace casewatch::cli {

std::string read_file(const std::string& path) {
  std::stringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw UsageError(fmt::format("cannot read '{}': it is a directory", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw UsageError(fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
  }
  ss << in.rdbuf();
  return ss.str();
}

namespace {

bool write_fully(int fd, const std::string& content, int& err) {
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
    if (!write_fully(fd, content, err)) {
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
  bool ok = write_fully(fd, content, err);
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
