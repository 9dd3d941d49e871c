// SPDX-License-Identifier: MIT
#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {}  // namespace
}  // namespace casewatch_test
