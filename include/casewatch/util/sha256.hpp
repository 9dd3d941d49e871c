// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace casewatch::sha256 {

// The SHA-256 digest (FIPS 180-4) of `data`, as 64 lowercase hexadecimal digits.
std::string hex(std::string_view data);

// The same digest of a text given in pieces (update, in order), so that a long text is
// never whole in memory: Hasher h; h.update(a); h.update(b); h.hex() == hex(a + b).
class Hasher {
 public:
  Hasher();
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;

  void update(std::string_view piece);
  // The digest of every piece given; the hasher then starts again, empty.
  std::string hex();

 private:
  struct Context;
  std::unique_ptr<Context> m_context;
};

}  // namespace casewatch::sha256
