// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace casewatch::sha256 {

// The SHA-256 digest (FIPS 180-4) of `data`, as 64 lowercase hexadecimal digits.
std::string hex(std::string_view data);

}  // namespace casewatch::sha256
