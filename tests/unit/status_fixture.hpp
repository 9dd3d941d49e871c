// SPDX-License-Identifier: MIT
// What the status tests share: a file of tests/data/status, and a date.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "casewatch/domain/dates.hpp"

namespace casewatch::status::testing {

inline std::string fixture(const std::string& name) {
  std::ifstream in(std::string(CASEWATCH_TEST_DATA) + "/status/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline Date day(int y, unsigned m, unsigned d) {
  return make_date(y, m, d);
}

}  // namespace casewatch::status::testing
