// SPDX-License-Identifier: MIT
#include "casewatch/store/change_log.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace casewatch::store {

ChangeLog::ChangeLog(std::size_t spill_after) : m_spill_after(spill_after) {}

void ChangeLog::add(std::string_view change) {
  if (m_count > 0) {
    m_memory += ',';
    ++m_bytes;
  }
  m_memory += change;
  m_bytes += change.size();
  ++m_count;
  if (m_memory.size() > m_spill_after) {
    spill();
  }
}

void ChangeLog::spill() {
  if (!m_file) {
    m_file.reset(std::tmpfile());
    if (!m_file) {
      throw std::runtime_error(
          fmt::format("cannot keep the journal entry of this change in a temporary file: {}",
                      std::strerror(errno)));
    }
  }
  if (std::fwrite(m_memory.data(), 1, m_memory.size(), m_file.get()) != m_memory.size()) {
    throw std::runtime_error(
        fmt::format("cannot keep the journal entry of this change in a temporary file: {}",
                    std::strerror(errno)));
  }
  m_memory.clear();
}

void ChangeLog::read(const std::function<void(std::string_view)>& put) const {
  put("[");
  if (m_file) {
    if (std::fflush(m_file.get()) != 0 || std::fseek(m_file.get(), 0, SEEK_SET) != 0) {
      throw std::runtime_error(fmt::format("cannot read the journal entry of this change back: {}",
                                           std::strerror(errno)));
    }
    std::vector<char> piece(std::size_t{1} << 20U);
    std::size_t n = 0;
    while ((n = std::fread(piece.data(), 1, piece.size(), m_file.get())) > 0) {
      put(std::string_view(piece.data(), n));
    }
    if (std::ferror(m_file.get()) != 0 || std::fseek(m_file.get(), 0, SEEK_END) != 0) {
      throw std::runtime_error(fmt::format("cannot read the journal entry of this change back: {}",
                                           std::strerror(errno)));
    }
  }
  for (std::size_t at = 0; at < m_memory.size(); at += std::size_t{1} << 20U) {
    put(std::string_view(m_memory).substr(at, std::size_t{1} << 20U));
  }
  put("]");
}

std::string ChangeLog::text() const {
  std::string out;
  out.reserve(bytes());
  read([&](std::string_view piece) { out += piece; });
  return out;
}

void ChangeLog::clear() {
  m_count = 0;
  m_bytes = 0;
  m_memory.clear();
  m_memory.shrink_to_fit();
  m_file.reset();
}

}  // namespace casewatch::store
