// SPDX-License-Identifier: MIT
#include "fd_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace casewatch::cli {

FdOutput::FdOutput(int fd) : m_fd(fd) {
  setp(m_buffer.data(), m_buffer.data() + m_buffer.size());
}

FdOutput::~FdOutput() {
  drain();
}

void FdOutput::set_closed() {
  m_closed = true;
}

bool FdOutput::write_all(const char* data, std::size_t size) {
  if (m_error != 0) {
    return false;
  }
  if (m_closed && size > 0) {
    m_error = EBADF;
    return false;
  }
  while (size > 0) {
    ssize_t n = ::write(m_fd, data, size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      m_error = n < 0 ? errno : EIO;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool FdOutput::drain() {
  std::size_t pending = static_cast<std::size_t>(pptr() - pbase());
  setp(m_buffer.data(), m_buffer.data() + m_buffer.size());
  return pending == 0 || write_all(m_buffer.data(), pending);
}

FdOutput::int_type FdOutput::overflow(int_type ch) {
  if (!drain()) {
    return traits_type::eof();
  }
  if (!traits_type::eq_int_type(ch, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(ch);
    pbump(1);
  }
  return traits_type::not_eof(ch);
}

std::streamsize FdOutput::xsputn(const char* s, std::streamsize n) {
  auto room = static_cast<std::streamsize>(epptr() - pptr());
  if (n <= room) {
    std::memcpy(pptr(), s, static_cast<std::size_t>(n));
    pbump(static_cast<int>(n));
    return n;
  }
  if (!drain() || !write_all(s, static_cast<std::size_t>(n))) {
    return 0;
  }
  return n;
}

int FdOutput::sync() {
  return drain() ? 0 : -1;
}

std::string FdOutput::finish() {
  drain();
  if (m_error == 0) {
    return {};
  }
  return m_error == EBADF ? "standard output is closed" : std::strerror(m_error);
}

bool guard_standard_descriptors() {
  bool out_closed = false;
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) {
      continue;
    }
    out_closed = out_closed || fd == STDOUT_FILENO;
    int null = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    if (null >= 0 && null != fd) {
      ::dup2(null, fd);
      ::close(null);
    }
  }
  return out_closed;
}

}  // namespace casewatch::cli
