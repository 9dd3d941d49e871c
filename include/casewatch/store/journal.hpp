// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/util/expected.hpp"

// Reading the journal's rows when they may have been written outside casewatch (issue 21).
namespace casewatch::store {

// The most bytes of an entry's changes that are parsed (log, undo): more than an import of
// the largest file casewatch reads (64 MiB) journals. A larger text was written outside
// casewatch; it is hashed by log --verify and exported as it is, never parsed.
inline constexpr std::size_t k_max_journal_changes = std::size_t{256} << 20U;

// An entry's changes, read with the limits of every JSON casewatch reads (nesting at most
// json_limits::k_max_depth, at most `max_bytes`) and checked to be what casewatch writes: an
// array of objects, each with "table" (one the journal records) and "op" strings, and "key",
// "before" and "after" objects or null ("key" an object but for the table "journal").
// Otherwise why not, as a fragment ("in its changes, arrays and objects nest more than 64
// deep ..."), for a message that names the entry.
Expected<nlohmann::json> parse_changes(std::string_view changes,
                                       std::size_t max_bytes = k_max_journal_changes);

// The last entry of another database's journal that `changes` (an entry's, parsed) say
// were copied into this one by an import ({"table": "journal", "op": "copy"}), or 0. The
// entries up to it name that database's case ids.
std::int64_t copied_up_to(const nlohmann::json& changes);

// The journal's append-only triggers (journal_append_only_update, _delete) missing from the
// casewatch database at `path` (dropped outside casewatch), read through a connection of
// its own. Throws StorageError when the file cannot be read.
std::vector<std::string> missing_journal_triggers(const std::filesystem::path& path);

// Recreates the missing ones, in one IMMEDIATE transaction; returns those it recreated.
// Throws StorageError when the file cannot be written.
std::vector<std::string> restore_journal_triggers(const std::filesystem::path& path);

}  // namespace casewatch::store
