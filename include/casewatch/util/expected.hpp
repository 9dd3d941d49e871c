// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace casewatch {

// The error half of an Expected: a message for the user, written as a sentence fragment
// that names the bad value and what is accepted ("'2025-13-01' is not a valid date; ...").
struct Error {
  std::string message;
};

// A value or an Error. Parsers and validators return this instead of throwing, so that
// their messages can be tested as plain strings (g++ 12 has no std::expected).
template <typename T>
class Expected {
 public:
  Expected(T value) : m_state(std::move(value)) {}      // NOLINT: implicit by design
  Expected(Error error) : m_state(std::move(error)) {}  // NOLINT: implicit by design

  [[nodiscard]] bool has_value() const { return m_state.index() == 0; }
  explicit operator bool() const { return has_value(); }

  [[nodiscard]] const T& value() const& { return std::get<0>(m_state); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(m_state)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

  [[nodiscard]] const std::string& error() const { return std::get<1>(m_state).message; }

 private:
  std::variant<T, Error> m_state;
};

}  // namespace casewatch
