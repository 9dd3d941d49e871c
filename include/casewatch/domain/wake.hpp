// SPDX-License-Identifier: MIT
// What the wake dates of the incremental daily check rest on (issue #14, docs/rules.md
// "Wake dates"). A case's evaluation changes only on its wake date (Evaluation::wake), when
// the case or its events change, or when something every case shares changes: the rules
// themselves, the processing-time table or the Visa Bulletin. wake_basis() names the last
// three in one string; `check` stores it with the wake dates and evaluates every case again
// when it differs.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "casewatch/domain/bulletin.hpp"
#include "casewatch/domain/processing_time.hpp"

namespace casewatch {

// Raise it with any change of what a rule finds, of a finding's identity or of a wake date:
// stored wake dates of an older version are then worked out again.
inline constexpr int k_rules_version = 5;
// The digest of what evaluate() finds on the fixed cases of tests/unit/test_rules_version.cpp,
// one per rules version, the current one last: that test fails when what the rules find
// changes and k_rules_version was not raised.
inline constexpr std::array<std::string_view, 5> k_rules_digests = {
    "0c25d3ee6f66b910bd3fe22750489c04059eabd2d90604eac77a1637642ea329",
    "0cec81123357e9abbbb627ceb1850406badaa3406bbe03e4c81d640b9aecb9cf",
    "7a0f026e6d3d079cbb07d94a7dda22158e5012f9b2841e813cfa17d8f3e8d711",
    "d68a3e697b53d6b8773567cdf6107f4b0f23e1c592a01691723806db22ee0cd6",
    // 5: every stage of a consular clock and the Ombudsman window's ends as next steps; a
    // confirmed unknown form, NBC's field office, the priority date's exact wake.
    "46effce61468e5c1d16bbbe07071a5759992d4bca322812af51a442b68fb4ec0",
};

// "rules 1 times <sha-256> bulletin <sha-256>", from every row of both tables.
std::string wake_basis(const ProcessingTimeTable& table, const BulletinTable& bulletin);

}  // namespace casewatch
