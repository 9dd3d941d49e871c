// SPDX-License-Identifier: MIT
// Internal: the case fields that `add` and `edit` share, and their validation.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "casewatch/cli/context.hpp"

namespace casewatch::cli {

// The raw text of the case options, and which were given.
struct CaseOptions {
  std::string form, category, office, received, sent, label, priority_date, premium, note;
  CLI::Option* form_opt = nullptr;
  CLI::Option* category_opt = nullptr;
  CLI::Option* office_opt = nullptr;
  CLI::Option* received_opt = nullptr;
  CLI::Option* sent_opt = nullptr;
  CLI::Option* label_opt = nullptr;
  CLI::Option* priority_opt = nullptr;
  CLI::Option* premium_opt = nullptr;
  CLI::Option* note_opt = nullptr;

  void add_to(CLI::App& cmd);

  // Validates every given option and applies it to `c`. With `allow_clear`, an empty value
  // clears an optional field (edit). Throws UsageError before anything is written.
  void apply(Context& ctx, Case& c, bool allow_clear) const;
};

// Checks the whole case after the options were applied (a receipt needs a received date,
// received not before sent, a known receipt prefix); throws UsageError or warns.
void check_case(Context& ctx, const Case& c);

// "IOE0912345678 (#1): I-485, received 2023-05-02, office QNS, \"Ana AOS\"".
std::string summary(const Case& c);

}  // namespace casewatch::cli
