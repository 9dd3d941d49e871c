// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace casewatch::cli {

// How one run of a notify hook ended.
struct HookResult {
  bool ok = false;
  std::string problem;  // why it failed: "exited with status 3", "timed out after 30 s"
};

// Runs `command` through `/bin/sh -c`, writes `input` to its standard input and closes it,
// and waits at most `limit`. The hook's standard output goes to our standard error, so that
// stdout keeps casewatch's own results; `env` adds variables to its environment. A hook that
// outlives `limit` is killed with its whole process group. Failure to start is a failure.
HookResult run_hook(const std::string& command, const std::string& input,
                    const std::vector<std::pair<std::string, std::string>>& env,
                    std::chrono::milliseconds limit);

}  // namespace casewatch::cli
