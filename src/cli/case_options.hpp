// SPDX-License-Identifier: MIT
// Internal: the case fields that `add` and `edit` share.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "casewatch/cli/context.hpp"
#include "casewatch/domain/validate.hpp"

namespace casewatch::cli {

// The raw text of the case options, and which were given.
struct CaseOptions {
  std::string form, category, office, received, sent, label, priority_date, premium, note;
  std::string preference, chargeability, path, derivative_of;
  std::string holder, married, spouse_citizen_since;
  bool marriage_track = false;
  bool form_known = false;
  CLI::Option* form_known_opt = nullptr;
  CLI::Option* holder_opt = nullptr;
  CLI::Option* married_opt = nullptr;
  CLI::Option* spouse_opt = nullptr;
  CLI::Option* marriage_track_opt = nullptr;
  CLI::Option* derivative_opt = nullptr;
  CLI::Option* form_opt = nullptr;
  CLI::Option* category_opt = nullptr;
  CLI::Option* office_opt = nullptr;
  CLI::Option* received_opt = nullptr;
  CLI::Option* sent_opt = nullptr;
  CLI::Option* label_opt = nullptr;
  CLI::Option* priority_opt = nullptr;
  CLI::Option* premium_opt = nullptr;
  CLI::Option* note_opt = nullptr;
  CLI::Option* preference_opt = nullptr;
  CLI::Option* chargeability_opt = nullptr;
  CLI::Option* path_opt = nullptr;

  void add_to(CLI::App& cmd);

  // The given options as the domain's raw case text (not given: std::nullopt).
  [[nodiscard]] CaseText text() const;

  // --derivative-of CASE: sets (or, with "", clears) the principal's case id on `c`; the
  // principal must exist and be another case. Throws UsageError naming the value.
  void apply_derivative(Context& ctx, Case& c) const;
};

// Builds the case from `base` and the given text through the domain's one definition of a
// valid case (validate.hpp), prints its warnings, and throws UsageError naming the option.
Case checked_case(Context& ctx, const Case& base, const CaseText& text, bool allow_clear,
                  bool any_status = false);

// "IOE0912345678 (#1): I-485, received 2023-05-02, office QNS, \"Ana AOS\"".
std::string summary(const Case& c);

}  // namespace casewatch::cli
