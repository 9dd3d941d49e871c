// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <ostream>
#include <set>

#include "casewatch/cli/json.hpp"
#include "casewatch/cli/output.hpp"
#include "commands.hpp"
#include "files.hpp"
#include "times_fetch.hpp"

namespace casewatch::cli {
namespace {

// The widths of the description and office columns of the times tables: whole in a pipe
// (USCIS's longest description is 177 characters, "NSC (Nebraska Service Center)" 29),
// narrowed on a terminal to fit.
inline constexpr std::size_t k_description_columns = 180;
inline constexpr std::size_t k_office_columns = 40;

struct TimesOptions {
  CLI::App* list = nullptr;
  CLI::App* set = nullptr;
  CLI::App* import = nullptr;
  CLI::App* unset = nullptr;
  CLI::App* fetch = nullptr;
  std::string url;
  CLI::App* categories = nullptr;
  CLI::App* offices = nullptr;
  std::vector<std::string> files;
  // list
  std::string form_filter, office_filter;
  // set
  std::string form, months, weeks, category, office, inquiry_date, published;
  CLI::Option* months_opt = nullptr;
  CLI::Option* weeks_opt = nullptr;
};

// USCIS's description of `form`'s category `key`, trimmed; empty when it lists none.
std::string category_description(const Context& ctx, std::string_view form, std::string_view key) {
  for (const Category& c : ctx.catalog().categories(form)) {
    if (c.key == key) {
      auto first = c.description.find_first_not_of(" \t\r\n");
      auto last = c.description.find_last_not_of(" \t\r\n");
      return first == std::string::npos ? "" : c.description.substr(first, last - first + 1);
    }
  }
  return "";
}

// "QNS (Queens NY)"; the code alone for an office USCIS does not list.
std::string office_with_name(const Context& ctx, const std::string& office) {
  std::string name = ctx.catalog().office_name(office);
  return name.empty() ? office : fmt::format("{} ({})", office, name);
}

int run_list(Context& ctx, const TimesOptions& o) {
  std::optional<std::string> form;
  std::optional<std::string> office;
  if (!o.form_filter.empty()) {
    form = ctx.parse_form("--form", o.form_filter);
  }
  if (!o.office_filter.empty()) {
    office = ctx.parse_office("--office", o.office_filter);
  }
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  Table table({"FORM", "CATEGORY", "DESCRIPTION", "OFFICE", "TIME", "PUBLISHED", "INQUIRY DATE",
               "AGE", "SOURCE"});
  table.limit(2, k_description_columns, k_least_columns);  // DESCRIPTION
  table.limit(3, k_office_columns, k_least_columns);       // OFFICE
  for (const ProcessingTime& r : ctx.times().rows()) {
    if ((form && r.form != *form) || (office && r.office != *office)) {
      continue;
    }
    int age = days_between(r.published, ctx.as_of());
    std::string description =
        r.category.empty() ? "" : category_description(ctx, r.form, r.category);
    std::string office_name = r.office.empty() ? "" : ctx.catalog().office_name(r.office);
    if (ctx.json()) {
      auto j = time_json(r);
      j["age_days"] = age;
      j["category_description"] =
          description.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(description);
      j["office_name"] =
          office_name.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(office_name);
      rows.push_back(std::move(j));
      continue;
    }
    table.add(
        {r.form, r.category.empty() ? "*" : r.category, description.empty() ? "-" : description,
         r.office.empty() ? "*" : office_with_name(ctx, r.office), describe(r.time),
         format_date(r.published), or_dash(r.inquiry_date), fmt::format("{}d", age), r.source});
  }
  if (ctx.json()) {
    print_json(ctx, {{"rows", rows}});
    return 0;
  }
  if (table.empty()) {
    throw UsageError(fmt::format(
        "no processing-time rows match{}{}; forms with rows: {}", form ? " --form " + *form : "",
        office ? " --office " + *office : "", fmt::join(ctx.catalog().forms(), " ")));
  }
  table.print(ctx.out(), ctx.color(), table_width());
  // The stale-data notice whole, over the user's pending cases (none without a database).
  if (ctx.database_exists()) {
    StaleNotice stale;
    for_each_record(ctx.store(), {}, [&](Case& c, std::vector<Event>& events) {
      stale.add(evaluate_case(ctx, c, events, Detail::inquiry));
    });
    if (auto notice = stale.notice(ctx.as_of())) {
      ctx.out() << '\n';
      print_notice(ctx.out(), notice);
    }
  }
  return 0;
}

// The categories of the form, each with its description and the offices that post a time for
// it, from the table in use (the built-in rows and the user's).
int run_categories(Context& ctx, const TimesOptions& o) {
  auto checked = check_form("FORM", o.form);
  if (!checked) {
    throw UsageError(checked.error());
  }
  const std::string form = checked->value;
  const Catalog& catalog = ctx.catalog();
  std::optional<std::string> office;
  if (!o.office.empty()) {
    office = ctx.parse_office("--office", o.office, catalog.has_form(form) ? form : "");
  }
  struct Posted {
    std::set<std::string> offices;
    bool any_office = false;  // a row of the user's for every office
  };
  // The USCIS list's categories first, in its order, then any only the user's rows name.
  std::vector<std::string> keys;
  std::map<std::string, Posted> posted;
  for (const Category& c : catalog.categories(form)) {
    keys.push_back(c.key);
    posted[c.key];
  }
  for (const ProcessingTime& r : ctx.times().rows()) {
    if (r.form != form) {
      continue;
    }
    if (!posted.contains(r.category)) {
      keys.push_back(r.category);
    }
    Posted& p = posted[r.category];
    if (r.office.empty()) {
      p.any_office = true;
    } else {
      p.offices.insert(r.office);
    }
  }
  if (keys.empty()) {
    auto nearest = catalog.nearest_forms(form);
    throw UsageError(fmt::format(
        "FORM: USCIS lists no categories for {} and no processing-time row names it{}; "
        "'casewatch times list' shows the forms with times",
        form,
        nearest.empty() ? "" : fmt::format(" (did you mean {}?)", fmt::join(nearest, " or "))));
  }
  std::sort(keys.begin() + static_cast<std::ptrdiff_t>(catalog.categories(form).size()),
            keys.end());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  Table table({"CATEGORY", "DESCRIPTION", "OFFICES"});
  table.limit(1, k_description_columns, k_least_columns);  // DESCRIPTION
  for (const std::string& key : keys) {
    const Posted& p = posted[key];
    if (office && !p.any_office && !p.offices.contains(*office)) {
      continue;
    }
    std::string description = category_description(ctx, form, key);
    std::vector<std::string> offices(p.offices.begin(), p.offices.end());
    if (ctx.json()) {
      list.push_back(
          {{"category", key.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(key)},
           {"description",
            description.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(description)},
           {"offices", offices},
           {"any_office", p.any_office}});
      continue;
    }
    if (p.any_office) {
      offices.insert(offices.begin(), "*");
    }
    table.add({key.empty() ? "*" : key,
               description.empty() ? (key.empty() ? "(every category)" : "-") : description,
               offices.empty() ? "-" : fmt::format("{}", fmt::join(offices, " "))});
  }
  if (ctx.json()) {
    std::string title = catalog.form_title(form);
    print_json(ctx,
               {{"form", form},
                {"title", title.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(title)},
                {"categories", list}});
    return 0;
  }
  if (table.empty()) {
    auto at = catalog.offices_for(form);
    throw UsageError(fmt::format(
        "no {} category has a processing time at {}; {}", form, *office,
        at.empty() ? fmt::format("'casewatch times categories {}' lists them", form)
                   : fmt::format("{} times are posted for: {}", form, fmt::join(at, " "))));
  }
  table.print(ctx.out(), ctx.color(), table_width());
  return 0;
}

// `times offices`: every office code USCIS lists, with its name (what an unknown office's
// warning points to).
int run_offices(Context& ctx) {
  const Catalog& catalog = ctx.catalog();
  if (ctx.json()) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const std::string& code : catalog.offices()) {
      list.push_back({{"office", code}, {"name", catalog.office_name(code)}});
    }
    print_json(ctx, {{"offices", list}});
    return 0;
  }
  Table table({"OFFICE", "NAME"});
  for (const std::string& code : catalog.offices()) {
    table.add({code, catalog.office_name(code)});
  }
  table.print(ctx.out(), ctx.color(), table_width());
  return 0;
}

int run_set(Context& ctx, const TimesOptions& o) {
  ProcessingTime row;
  row.form = ctx.parse_form("FORM", o.form);
  bool by_months = o.months_opt->count() > 0;
  bool by_weeks = o.weeks_opt->count() > 0;
  if (by_months == by_weeks) {
    throw UsageError("give the posted time as exactly one of --months N or --weeks N");
  }
  auto time = parse_posted_time(by_months ? o.months : o.weeks, by_months ? "months" : "weeks");
  if (!time) {
    throw UsageError(fmt::format("{}: {}", by_months ? "--months" : "--weeks", time.error()));
  }
  row.time = *time;
  if (!o.category.empty()) {
    row.category = ctx.parse_category("--category", o.category, row.form);
  }
  if (!o.office.empty()) {
    row.office = ctx.parse_office("--office", o.office, row.form);
  }
  if (row.category.empty()) {
    // docs/rules.md: a row no case could ever choose is never stored silently. Without
    // --category, the form's only category at that office is meant; with several, ask.
    std::set<std::string> keys;
    for (const ProcessingTime& r : ctx.times().rows()) {
      if (r.form == row.form && !r.category.empty() &&
          (row.office.empty() || r.office == row.office)) {
        keys.insert(r.category);
      }
    }
    if (keys.size() == 1) {
      row.category = *keys.begin();
    } else if (keys.size() > 1) {
      std::vector<std::string> named;
      for (const std::string& k : keys) {
        std::string description = category_description(ctx, row.form, k);
        named.push_back(description.empty() ? k : fmt::format("{} ({})", k, description));
      }
      throw UsageError(fmt::format(
          "{}{} has {} categories; give the one the posted time is for with --category: {}",
          row.form, row.office.empty() ? "" : " at " + row.office, keys.size(),
          fmt::join(named, "; ")));
    }
  }
  row.published =
      o.published.empty() ? ctx.as_of() : ctx.parse_past_date("--published", o.published);
  if (!o.inquiry_date.empty()) {
    row.inquiry_date = ctx.parse_date("--inquiry-date", o.inquiry_date);
  }
  row.source = "set";
  // Per key the newest publication wins, whatever its source (docs/rules.md): say when this row
  // is kept but another stays in use.
  const ProcessingTime* winner = ctx.times().winner(row.form, row.category, row.office);
  if (winner != nullptr && winner->source != "set" && !supersedes(row, *winner)) {
    ctx.warn(fmt::format("stored, but the row published {} ({}) is newer and stays in use: {}",
                         format_date(winner->published), winner->source, describe_row(*winner)));
  }
  auto& store = ctx.store();
  auto tx = store.begin_write();
  store.upsert_time(row);
  tx.commit();
  if (ctx.json()) {
    print_json(ctx, {{"row", time_json(row)}});
  } else if (!ctx.quiet()) {
    ctx.out() << "Set " << describe_row(row) << ".\n";
  }
  return 0;
}

int run_unset(Context& ctx, const TimesOptions& o) {
  std::string form = ctx.parse_form("FORM", o.form);
  std::string category;
  std::string office;
  if (!o.category.empty()) {
    category = ctx.parse_category("--category", o.category, form);
  }
  if (!o.office.empty()) {
    office = ctx.parse_office("--office", o.office, form);
  }
  auto& store = ctx.store();
  auto tx = store.begin_write();
  if (!store.delete_time(form, category, office)) {
    std::vector<std::string> own;
    for (const ProcessingTime& r : store.stored_times()) {
      if (r.source == "set" && r.form == form) {
        own.push_back(fmt::format("{}{}{}", r.form,
                                  r.category.empty() ? "" : " --category " + r.category,
                                  r.office.empty() ? "" : " --office " + r.office));
      }
    }
    throw UsageError(fmt::format(
        "no row of yours for {}{}{}; {}", form, category.empty() ? "" : " --category " + category,
        office.empty() ? "" : " --office " + office,
        own.empty() ? fmt::format("you set none for {} ('casewatch times list --form {}' shows the "
                                  "built-in and imported rows, which unset does not remove)",
                                  form, form)
                    : fmt::format("yours for {}: {}", form, fmt::join(own, "; "))));
  }
  tx.commit();
  if (ctx.json()) {
    print_json(ctx, {{"removed", {{"form", form}, {"category", category}, {"office", office}}}});
  } else if (!ctx.quiet()) {
    ctx.out() << fmt::format("Removed your row for {}{}{}; 'casewatch undo' brings it back.\n",
                             form, category.empty() ? "" : " " + category,
                             office.empty() ? "" : " at " + office);
  }
  return 0;
}

int run_import(Context& ctx, const TimesOptions& o) {
  std::vector<std::pair<std::string, ParsedTimes>> files;
  for (const std::string& path : o.files) {
    // All validated before any write.
    files.emplace_back(
        path,
        parse_times_file(path, path, "import:" + std::filesystem::path(path).filename().string()));
    if (auto w = odd_rows_warning(files.back().second, path)) {
      ctx.warn(*w);
    }
  }
  auto& store = ctx.store();
  auto tx = store.begin_write();
  std::vector<std::pair<std::string, store::Store::ImportCounts>> counts;
  for (const auto& [path, parsed] : files) {
    counts.emplace_back(path, store.import_times(parsed.rows));
  }
  tx.commit();
  nlohmann::ordered_json report = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto& [path, c] = counts[i];
    std::size_t skipped = files[i].second.skipped_without_time;
    if (ctx.json()) {
      report.push_back({{"file", path},
                        {"added", c.added},
                        {"replaced", c.replaced},
                        {"unchanged", c.unchanged},
                        {"skipped_without_time", skipped}});
    } else if (!ctx.quiet()) {
      ctx.out() << fmt::format(
          "Imported {}: {} new, {} replaced by a newer publication, {} unchanged{}.\n", path,
          c.added, c.replaced, c.unchanged,
          skipped > 0 ? fmt::format(" ({} without a posted time skipped)", skipped) : "");
    }
  }
  if (ctx.json()) {
    print_json(ctx, {{"files", report}});
  }
  return 0;
}

int run_fetch(Context& ctx, const TimesOptions& o) {
  TimesFetchReport r = fetch_times(ctx, o.url);
  if (ctx.json()) {
    print_json(ctx, {{"url", r.url},
                     {"file", r.name},
                     {"bytes", r.bytes},
                     {"added", r.added},
                     {"replaced", r.replaced},
                     {"unchanged", r.unchanged},
                     {"skipped_without_time", r.skipped_without_time},
                     {"published", r.published ? nlohmann::ordered_json(format_date(*r.published))
                                               : nlohmann::ordered_json(nullptr)},
                     {"cases_with_new_inquiry_date", r.cases_with_new_inquiry_date}});
  } else if (!ctx.quiet()) {
    ctx.out() << fmt::format("Fetched {} ({} bytes) from {}: {}.\n", r.name, r.bytes,
                             net::url_host(r.url), describe(r));
  }
  return 0;
}

}  // namespace

Runner register_times(CLI::App& command) {
  auto o = std::make_shared<TimesOptions>();
  auto* cmd = &command;
  cmd->require_subcommand(1);
  o->list = cmd->add_subcommand("list", "Rows with their source and age");
  o->list->add_option("--form", o->form_filter, "Only this form");
  o->list->add_option("--office", o->office_filter, "Only this office");
  o->set = cmd->add_subcommand("set", "Set a row of your own; it wins over the built-in one");
  o->set->add_option("FORM", o->form, "The form, e.g. I-485")->required();
  o->months_opt = o->set->add_option("--months", o->months, "The posted time in months (8, 25.5)");
  o->weeks_opt = o->set->add_option("--weeks", o->weeks, "The posted time in weeks");
  o->set->add_option("--category", o->category, "The form category (default: any)");
  o->set->add_option("--office", o->office, "The office code (default: any)");
  o->set->add_option("--inquiry-date", o->inquiry_date, "USCIS's published case inquiry date");
  o->set->add_option("--published", o->published, "When USCIS published it (default: today)");
  o->unset = cmd->add_subcommand("unset", "Remove a row you set with 'times set'");
  o->unset->add_option("FORM", o->form, "The form, e.g. I-485")->required();
  o->unset->add_option("--category", o->category, "The row's category (default: any)");
  o->unset->add_option("--office", o->office, "The row's office code (default: any)");
  o->categories = cmd->add_subcommand(
      "categories", "The form's categories, their USCIS descriptions and the offices with times");
  o->categories->add_option("FORM", o->form, "The form, e.g. I-765")->required();
  o->categories->add_option("--office", o->office,
                            "Only the categories with a time at this office");
  o->offices = cmd->add_subcommand("offices", "The USCIS office codes and their names");
  o->import = cmd->add_subcommand(
      "import", "Rows from USCIS's JSON, the USCIS CSV, or the community SQLite dataset");
  o->import->add_option("FILE", o->files, "Files to import (all or nothing)")->required();
  o->import->footer(
      "Formats, told by content: USCIS's processing-times JSON (data.processing_time with\n"
      "subtypes); the CSV of USCIS's data (form_name, form_subtype, office_code,\n"
      "publication_date, range_upper, range_upper_unit, service_request_date); a SQLite file\n"
      "with a table processing_time of the same columns. Importing again changes nothing; a\n"
      "newer publication replaces an older one for the same form, category and office.");
  o->fetch = cmd->add_subcommand(
      "fetch", "Fetch the latest processing times (the network, on request only) and import them");
  o->fetch->add_option("--url", o->url,
                       "Fetch this https URL of a .db, .csv or USCIS JSON file instead");
  o->fetch->footer(
      "Without --url: the latest release of the community dataset that republishes USCIS's\n"
      "processing times daily as a SQLite file (github.com/jzebedee/uscis). Sends nothing\n"
      "about your cases. The file is checked, then imported in one transaction as by\n"
      "'times import'; on any failure nothing changes. Refused with --offline or\n"
      "CASEWATCH_OFFLINE=1.");
  o->set->footer(
      "Example, from the USCIS processing-times page:\n"
      "  casewatch times set I-485 --category 131A-FAM --office QNS --months 21 \\\n"
      "      --published 2026-11-14 --inquiry-date 2024-02-10");
  return [o](Context& ctx) {
    if (o->set->parsed()) {
      return run_set(ctx, *o);
    }
    if (o->import->parsed()) {
      return run_import(ctx, *o);
    }
    if (o->unset->parsed()) {
      return run_unset(ctx, *o);
    }
    if (o->fetch->parsed()) {
      return run_fetch(ctx, *o);
    }
    if (o->categories->parsed()) {
      return run_categories(ctx, *o);
    }
    if (o->offices->parsed()) {
      return run_offices(ctx);
    }
    return run_list(ctx, *o);
  };
}

}  // namespace casewatch::cli
