// SPDX-License-Identifier: MIT
#include "casewatch/cli/app.hpp"

int main(int argc, char** argv) {
  return casewatch::cli::run(argc, argv);
}
