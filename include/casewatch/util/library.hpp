// SPDX-License-Identifier: MIT
#pragma once

#include <initializer_list>
#include <string>

namespace casewatch {

// A shared library opened when first needed rather than at start-up: libcurl and libcrypto
// (with the dozen libraries they need) cost every command about 15 ms before main() when
// linked, and only the commands that go on the network or write the journal use them.
class Library {
 public:
  // Opens the first of `names` (file names for the dynamic loader, e.g. "libcurl.so.4")
  // that loads; throws std::runtime_error naming `what` and why when none does. The library
  // stays loaded until the process ends.
  Library(std::string what, std::initializer_list<const char*> names);

  // Sets `function` to the library's function `name`; throws std::runtime_error when the
  // library has none.
  template <typename Function>
  void load(Function*& function, const char* name) const {
    function = reinterpret_cast<Function*>(symbol(name));
  }

 private:
  [[nodiscard]] void* symbol(const char* name) const;
  std::string m_what;
  void* m_handle = nullptr;
};

}  // namespace casewatch
