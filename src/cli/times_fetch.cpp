// SPDX-License-Identifier: MIT
#include "times_fetch.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "casewatch/net/release_list.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"
#include "files.hpp"
#include "progress.hpp"

namespace casewatch::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_sqlite_magic{"SQLite format 3\0", 16};

// A private temporary file (0600, from mkstemp), removed when it goes out of scope.
class TempFile {
 public:
  TempFile() {
    std::string name = (fs::temp_directory_path() / "casewatch-fetch-XXXXXX").string();
    int fd = ::mkstemp(name.data());
    if (fd < 0) {
      throw store::StorageError(
          fmt::format("cannot create a temporary file for the download in {}: {}",
                      fs::temp_directory_path().string(), std::strerror(errno)));
    }
    ::close(fd);
    m_path = name;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove(m_path, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  [[nodiscard]] const fs::path& path() const { return m_path; }

 private:
  fs::path m_path;
};

// The inquiry date of every pending case with the table as it is now.
std::map<CaseId, std::optional<Date>> inquiry_dates(Context& ctx,
                                                    const std::vector<CaseRecord>& records) {
  std::map<CaseId, std::optional<Date>> out;
  for (const CaseRecord& r : records) {
    if (r.c.status == Status::pending) {
      out[r.c.id] = evaluate_case(ctx, r.c, r.events, Detail::dates).inquiry_date;
    }
  }
  return out;
}

}  // namespace

ParsedTimes parse_times_file(const std::string& path, const std::string& shown,
                             const std::string& source) {
  // Opened as every input is (files.hpp): a FIFO, a device or a socket is refused at once,
  // without waiting for a writer.
  InputFile in(path);
  std::string text(k_sqlite_magic.size(), '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    std::size_t n = in.read(text.data() + got, text.size() - got);
    if (n == 0) {
      break;
    }
    got += n;
  }
  text.resize(got);
  Expected<ParsedTimes> parsed = Error{""};
  if (text == k_sqlite_magic && path != "-") {
    // A SQLite file is read by the store within its own bounds, never whole into memory.
    try {
      parsed = parse_processing_time_records(store::read_processing_time_table(path), source, true);
    } catch (const store::StorageError& e) {
      std::string message = e.what();
      if (shown != path) {
        for (auto at = message.find(path); at != std::string::npos; at = message.find(path)) {
          message.replace(at, path.size(), shown);
        }
      }
      throw UsageError(message);
    }
  } else {
    in.read_rest(text);
    if (auto first = text.find_first_not_of(" \t\r\n");
        first != std::string::npos && (text[first] == '{' || text[first] == '[')) {
      parsed = parse_processing_times_json(text, source);
    } else {
      parsed = parse_processing_times_csv(text, source);
    }
  }
  if (!parsed) {
    throw UsageError(fmt::format("{}: {}", shown, parsed.error()));
  }
  if (parsed->rows.empty()) {
    throw UsageError(fmt::format("{}: no processing-time rows in it", shown));
  }
  return std::move(parsed).value();
}

std::optional<std::string> odd_rows_warning(const ParsedTimes& parsed, const std::string& shown) {
  if (parsed.skipped_odd == 0) {
    return std::nullopt;
  }
  return fmt::format(
      "{}: {} skipped: the upper bound is no time casewatch reads (months or weeks, in "
      "whole or half units); the first: {}",
      shown, text::count(parsed.skipped_odd, "row"), text::printable(parsed.first_odd));
}

net::Options net_options(const Context& ctx) {
  net::Options o = net::Options::from_environment();
  o.offline = o.offline || ctx.options().offline;
  return o;
}

TimesFetchReport fetch_times(Context& ctx, const std::string& url) {
  net::Client client(net_options(ctx));
  TimesFetchReport report;
  if (url.empty()) {
    const char* over = std::getenv("CASEWATCH_TIMES_RELEASES_URL");
    net::Request list;
    list.url = over != nullptr && *over != '\0' ? over : k_times_releases_url;
    list.what = "the processing-times dataset's release list";
    list.headers = {"Accept: application/vnd.github+json"};
    net::Response r = client.get_ok(list);
    net::DatasetAsset asset = net::pick_dataset_asset(r.body, net::url_host(r.final_url));
    spdlog::info("latest dataset release {}: {}", asset.release, asset.name);
    report.url = asset.url;
    report.name = net::file_name_of("/" + asset.name);
  } else {
    if (auto problem = net::url_problem(url)) {
      throw UsageError("--url: " + *problem);
    }
    report.url = url;
    report.name = net::file_name_of(url);
  }
  TempFile file;
  net::Request get;
  get.url = report.url;
  get.what = "the processing times " + report.name;
  // No processing-times file casewatch reads is larger (times import's limit): stop there.
  get.max_body = std::max(k_max_input_bytes, store::k_max_table_bytes);
  Progress progress(ctx, "Downloading " + report.name, "", std::nullopt, ProgressUnit::bytes);
  get.on_progress = [&progress](std::size_t received, std::optional<std::size_t> total) {
    progress.set_total(total);
    progress.set(received);
  };
  net::Response got = client.download(get, file.path());
  progress.finish();
  report.bytes = got.bytes;
  ParsedTimes parsed;
  try {
    parsed = parse_times_file(file.path().string(), report.name, "import:" + report.name);
  } catch (const UsageError& e) {
    throw net::NetError(fmt::format("the file fetched from {} is no processing-time data: {}",
                                    net::url_host(got.final_url), e.what()));
  }
  report.skipped_without_time = parsed.skipped_without_time;
  if (auto w = odd_rows_warning(parsed, report.name)) {
    ctx.warn(*w);
  }
  for (const ProcessingTime& row : parsed.rows) {
    if (!report.published || row.published > *report.published) {
      report.published = row.published;
    }
  }

  auto& store = ctx.store();
  auto tx = store.begin_write();
  auto records = load_all(store);
  auto before = inquiry_dates(ctx, records);
  store::Store::ImportCounts counts = store.import_times(parsed.rows);
  store.count_requests("times", ctx.today(), 1);
  ctx.reload_times();
  auto after = inquiry_dates(ctx, records);
  tx.commit();
  report.added = counts.added;
  report.replaced = counts.replaced;
  report.unchanged = counts.unchanged;
  for (const auto& [id, date] : after) {
    if (auto it = before.find(id); it == before.end() || it->second != date) {
      ++report.cases_with_new_inquiry_date;
    }
  }
  return report;
}

std::string describe(const TimesFetchReport& r) {
  std::size_t newer = r.added + r.replaced;
  std::string rows =
      newer == 0 ? fmt::format("no row newer than those stored ({} unchanged)", r.unchanged)
                 : fmt::format("{} newer{}", text::count(newer, "row"),
                               r.published ? ", published " + format_date(*r.published) : "");
  std::size_t n = r.cases_with_new_inquiry_date;
  return fmt::format("{}; {} {} a new inquiry date", rows, text::count(n, "case"),
                     text::plural(n, "has", "have"));
}

std::optional<TimesFetchReport> fetch_times_if_stale(Context& ctx) {
  std::optional<Date> newest = ctx.store().last_fetch("times");
  for (const ProcessingTime& row : ctx.times().rows()) {
    if (row.source != "built-in" && (!newest || row.published > *newest)) {
      newest = row.published;
    }
  }
  if (newest && days_between(*newest, ctx.today()) < k_times_fetch_after_days) {
    spdlog::info("processing times fetched or published {}: not fetching", format_date(*newest));
    return std::nullopt;
  }
  try {
    TimesFetchReport r = fetch_times(ctx, "");
    spdlog::info("fetched {}: {}", r.name, describe(r));
    return r;
  } catch (const std::exception& e) {
    ctx.warn(fmt::format("processing times not fetched; checking with the table as it is: {}",
                         e.what()));
    ctx.reload_times();
    return std::nullopt;
  }
}

}  // namespace casewatch::cli
