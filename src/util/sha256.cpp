// SPDX-License-Identifier: MIT
#include "casewatch/util/sha256.hpp"

#include <openssl/evp.h>
#include <openssl/opensslv.h>

#include <array>
#include <stdexcept>

#include "casewatch/util/library.hpp"

#define CASEWATCH_TEXT(x) #x
#define CASEWATCH_SONAME(major) "libcrypto.so." CASEWATCH_TEXT(major)

namespace casewatch::sha256 {
namespace {

// OpenSSL's EVP digest interface, from libcrypto opened on first use (util/library.hpp).
struct Evp {
  decltype(&::EVP_MD_CTX_new) ctx_new;
  decltype(&::EVP_MD_CTX_free) ctx_free;
  decltype(&::EVP_sha256) sha256;
  decltype(&::EVP_DigestInit_ex) init;
  decltype(&::EVP_DigestUpdate) update;
  decltype(&::EVP_DigestFinal_ex) final;
};

const Evp& evp() {
  static const Evp api = [] {
#if OPENSSL_VERSION_MAJOR >= 3
    Library lib("libcrypto", {CASEWATCH_SONAME(OPENSSL_VERSION_MAJOR), "libcrypto.so"});
#else
    Library lib("libcrypto", {"libcrypto.so.1.1", "libcrypto.so"});
#endif
    Evp e{};
    lib.load(e.ctx_new, "EVP_MD_CTX_new");
    lib.load(e.ctx_free, "EVP_MD_CTX_free");
    lib.load(e.sha256, "EVP_sha256");
    lib.load(e.init, "EVP_DigestInit_ex");
    lib.load(e.update, "EVP_DigestUpdate");
    lib.load(e.final, "EVP_DigestFinal_ex");
    return e;
  }();
  return api;
}

}  // namespace

struct Hasher::Context {
  EVP_MD_CTX* md = evp().ctx_new();
  Context() {
    if (md == nullptr || evp().init(md, evp().sha256(), nullptr) != 1) {
      evp().ctx_free(md);
      throw std::runtime_error("SHA-256 is not available (OpenSSL)");
    }
  }
  ~Context() { evp().ctx_free(md); }
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
  if (!piece.empty() && evp().update(m_context->md, piece.data(), piece.size()) != 1) {
    throw std::runtime_error("SHA-256 failed (OpenSSL)");
  }
}

std::string Hasher::hex() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (evp().final(m_context->md, digest.data(), &size) != 1 ||
      evp().init(m_context->md, evp().sha256(), nullptr) != 1) {
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
