// SPDX-License-Identifier: MIT
#include "casewatch/util/sha256.hpp"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace casewatch::sha256 {

// SHA-256 through OpenSSL's EVP digest interface.
struct Hasher::Context {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  Context() {
    if (md == nullptr || EVP_DigestInit_ex(md, EVP_sha256(), nullptr) != 1) {
      EVP_MD_CTX_free(md);
      throw std::runtime_error("SHA-256 is not available (OpenSSL)");
    }
  }
  ~Context() { EVP_MD_CTX_free(md); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  Context(Context&&) = delete;
  Context& operator=(Context&&) = delete;
};

Hasher::Hasher() : m_context(std::make_unique<Context>()) {}
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::update(std::string_view piece) {
  if (!piece.empty() && EVP_DigestUpdate(m_context->md, piece.data(), piece.size()) != 1) {
    throw std::runtime_error("SHA-256 failed (OpenSSL)");
  }
}

std::string Hasher::hex() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(m_context->md, digest.data(), &size) != 1 ||
      EVP_DigestInit_ex(m_context->md, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed (OpenSSL)");
  }
  constexpr std::string_view digits = "0123456789abcdef";
  std::string out;
  out.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    out += digits[digest[i] >> 4U];
    out += digits[digest[i] & 0xfU];
  }
  return out;
}

std::string hex(std::string_view data) {
  Hasher h;
  h.update(data);
  return h.hex();
}

}  // namespace casewatch::sha256
