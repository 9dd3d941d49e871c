// SPDX-License-Identifier: MIT
#include "casewatch/util/library.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include <stdexcept>

namespace casewatch {

Library::Library(std::string what, std::initializer_list<const char*> names)
    : m_what(std::move(what)) {
  const char* why = "no file name";
  for (const char* name : names) {
    m_handle = ::dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (m_handle != nullptr) {
      return;
    }
    why = ::dlerror();
  }
  throw std::runtime_error(
      fmt::format("cannot load {} ({}): {}", m_what, *names.begin(), why ? why : "?"));
}

void* Library::symbol(const char* name) const {
  void* p = ::dlsym(m_handle, name);
  if (p == nullptr) {
    throw std::runtime_error(fmt::format("{} has no function {}: it is too old", m_what, name));
  }
  return p;
}

}  // namespace casewatch
