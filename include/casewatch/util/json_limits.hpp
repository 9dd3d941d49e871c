// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// Limits checked on a JSON text before it is handed to the JSON library, whose parser
// recurses once per level of nesting: a file of 150 KB of '[' would overflow the stack.
namespace casewatch::json_limits {

// The deepest nesting any of casewatch's JSON formats needs is 5 (an export: document,
// cases, case, events, event); USCIS's processing-times JSON needs 6. 64 leaves room.
inline constexpr std::size_t k_max_depth = 64;

// The deepest nesting of arrays and objects in `text`, counting only brackets outside
// strings. Counting stops at `stop_after` (so a huge input is not scanned to the end once
// it is known to be too deep). Malformed text is counted as far as it goes.
std::size_t json_depth(std::string_view text, std::size_t stop_after = k_max_depth + 1);

// What is wrong with `text`'s nesting ("arrays and objects nest more than 64 deep at line
// 3"), or nothing when it is within `max_depth`.
std::optional<std::string> depth_problem(std::string_view text,
                                         std::size_t max_depth = k_max_depth);

}  // namespace casewatch::json_limits
