// SPDX-License-Identifier: MIT
// Internal to the cli layer: processing-times files (times import, times fetch) and the
// fetch of the community dataset or a URL (times fetch, check --fetch-times).
#pragma once

#include <optional>
#include <string>

#include "casewatch/cli/context.hpp"
#include "casewatch/domain/processing_time.hpp"
#include "casewatch/net/http.hpp"

namespace casewatch::cli {

// Parses one processing-times file of any of the three formats, told by its content: a
// SQLite file with the table processing_time, USCIS's JSON, or the CSV. Rows get `source`
// ("import:<file name>"). Throws UsageError naming `shown` (the path, or the URL).
ParsedTimes parse_times_file(const std::string& path, const std::string& shown,
                             const std::string& source);

// The one warning for the rows of a SQLite dataset skipped because their upper bound is no
// time casewatch reads, naming `shown` and the first such row; empty when none was.
std::optional<std::string> odd_rows_warning(const ParsedTimes& parsed, const std::string& shown);

// The list of the community dataset's releases (GitHub's release JSON: the latest release
// object, or a list whose first published release is taken; its first *.db asset is the
// dataset). CASEWATCH_TIMES_RELEASES_URL overrides it (tests).
inline constexpr const char* k_times_releases_url =
    "https://api.github.com/repos/jzebedee/uscis/releases/latest";

// The client options of this run: the environment's (net::Options::from_environment) and
// --offline.
net::Options net_options(const Context& ctx);

// What a fetch of processing times did.
struct TimesFetchReport {
  std::string url;   // the file fetched (after the release list)
  std::string name;  // its file name, as in the rows' source "import:<name>"
  std::size_t bytes = 0;
  std::size_t added = 0;
  std::size_t replaced = 0;
  std::size_t unchanged = 0;
  std::size_t skipped_without_time = 0;
  std::optional<Date> published;  // the latest publication date among the rows
  std::size_t cases_with_new_inquiry_date = 0;
};

// Fetches processing times from `url` (empty: the dataset's latest release) to a private
// temporary file, checks it, and imports it in one transaction exactly as `times import`
// does, recording the fetch. Nothing changes on any failure. Throws net::NetError (or
// net::Refused), UsageError, StorageError.
TimesFetchReport fetch_times(Context& ctx, const std::string& url);

// "312 rows newer, published 2026-11-15; 4 cases have a new inquiry date"
std::string describe(const TimesFetchReport& report);

// The days after which check --fetch-times fetches again.
inline constexpr int k_times_fetch_after_days = 7;

// check --fetch-times: fetches when neither a fetch nor the newest row of the table is
// within k_times_fetch_after_days of today; a failure is a warning. Returns the report of
// a fetch made, else nothing.
std::optional<TimesFetchReport> fetch_times_if_stale(Context& ctx);

}  // namespace casewatch::cli
