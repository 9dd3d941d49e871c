// SPDX-License-Identifier: MIT
// util/library.hpp: a shared library opened when first needed.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string>

#include "casewatch/util/library.hpp"
#include "casewatch/util/sha256.hpp"

namespace casewatch {
namespace {

TEST(Library, LoadsAFunctionOfTheFirstFileThatOpens) {
  Library lib("the C library", {"libcasewatch-none.so.0", "libc.so.6"});
  std::size_t (*length)(const char*) = nullptr;
  lib.load(length, "strlen");
  ASSERT_NE(length, nullptr);
  EXPECT_EQ(length("casewatch"), 9U);
}

TEST(Library, NamesTheLibraryWhenNoneOpens) {
  try {
    Library lib("libnothing", {"libcasewatch-none.so.0"});
    FAIL() << "no library opened";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot load libnothing (libcasewatch-none.so.0)"),
              std::string::npos)
        << e.what();
  }
}

TEST(Library, NamesTheMissingFunction) {
  Library lib("the C library", {"libc.so.6"});
  void (*none)() = nullptr;
  try {
    lib.load(none, "casewatch_no_such_function");
    FAIL() << "loaded a function that does not exist";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("has no function casewatch_no_such_function"),
              std::string::npos)
        << e.what();
  }
}

// libcrypto opened on first use gives the digests of FIPS 180-4's examples.
TEST(Library, Sha256ThroughTheOpenedLibcrypto) {
  EXPECT_EQ(sha256::hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256::hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace casewatch
