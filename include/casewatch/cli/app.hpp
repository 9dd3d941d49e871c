// SPDX-License-Identifier: MIT
#pragma once

namespace casewatch::cli {

// The whole program: parses the command line, runs one command, maps every error to an
// exit code (0 success, 1 runtime failure, 2 bad input or usage; see docs/cli.md) and
// prints errors as one line "casewatch: error: ..." on stderr.
int run(int argc, char** argv);

}  // namespace casewatch::cli
