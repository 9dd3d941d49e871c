// SPDX-License-Identifier: MIT
// `casewatch bulletin`: the Visa Bulletin's cutoffs and USCIS's chart choice by month
// (docs/cli.md; the rule that reads them is `priority-date`, docs/rules.md).
#include <fmt/format.h>

#include <filesystem>
#include <ostream>

#include "casewatch/cli/output.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"
#include "files.hpp"
#include "progress.hpp"

namespace casewatch::cli {
namespace {

struct BulletinOptions {
  CLI::App* list = nullptr;
  CLI::App* set = nullptr;
  CLI::App* chart = nullptr;
  CLI::App* import = nullptr;
  std::vector<std::string> files;
  // list
  std::string category_filter, country_filter, month_filter;
  bool all = false;
  // set
  std::string month, chart_name, category, country, cutoff;
  // chart
  std::string chart_month;
  std::vector<std::string> choices;
};

Month parse_month_arg(std::string_view what, std::string_view text) {
  auto m = parse_month(text);
  if (!m) {
    throw UsageError(fmt::format("{}: {}", what, m.error()));
  }
  return *m;
}

// A category of the bulletin (IR has none).
std::string parse_category_arg(std::string_view what, std::string_view text) {
  auto c = parse_preference(text);
  if (!c) {
    throw UsageError(fmt::format("{}: {}", what, c.error()));
  }
  if (*c == k_immediate_relative) {
    throw UsageError(
        fmt::format("{}: immediate relatives (IR) have no row in the Visa Bulletin; "
                    "give a preference category such as F2B or EB2",
                    what));
  }
  return *c;
}

// A column of the bulletin: a column code, a country with a column, or ROW / "all".
std::string parse_column_arg(std::string_view what, std::string_view text) {
  if (auto p = chargeability_problem(text)) {
    throw UsageError(fmt::format("{}: {}", what, *p));
  }
  std::string_view column = chargeability_column(text);
  std::string lower = text::ascii_lower(text);
  if (column == k_all_areas && lower != "row" && lower != "all" && lower != "all areas") {
    throw UsageError(
        fmt::format("{}: {} has no column of its own in the Visa Bulletin; give ROW "
                    "(all chargeability areas) or one of {}",
                    what, text::quoted(text), fmt::join(bulletin_columns(), ", ")));
  }
  return std::string(column);
}

nlohmann::ordered_json cell_json(const BulletinRow& r) {
  nlohmann::ordered_json j;
  j["month"] = format_month(r.month);
  j["chart"] = std::string(to_string(r.chart));
  j["category"] = r.category;
  j["country"] = r.column;
  j["status"] = r.cell.status == Cell::Status::date      ? "date"
                : r.cell.status == Cell::Status::current ? "current"
                                                         : "unavailable";
  j["date"] = r.cell.cutoff ? nlohmann::ordered_json(format_date(*r.cell.cutoff))
                            : nlohmann::ordered_json(nullptr);
  j["source"] = r.source;
  return j;
}

nlohmann::ordered_json choice_json(const ChartChoice& c) {
  return {{"month", format_month(c.month)},
          {"family", std::string(to_string(c.family))},
          {"employment", std::string(to_string(c.employment))},
          {"source", c.source}};
}

int run_list(Context& ctx, const BulletinOptions& o) {
  const BulletinTable& t = ctx.bulletin();
  std::optional<std::string> category;
  std::optional<std::string> column;
  std::optional<Month> month;
  if (!o.category_filter.empty()) {
    category = parse_category_arg("--category", o.category_filter);
  }
  if (!o.country_filter.empty()) {
    if (auto p = chargeability_problem(o.country_filter)) {
      throw UsageError(fmt::format("--country: {}", *p));
    }
    column = std::string(chargeability_column(o.country_filter));
  }
  if (!o.month_filter.empty()) {
    month = parse_month_arg("--month", o.month_filter);
  } else if (!o.all) {
    month = t.latest_month();
  }
  nlohmann::ordered_json cells = nlohmann::ordered_json::array();
  nlohmann::ordered_json charts = nlohmann::ordered_json::array();
  Table table({"MONTH", "CHART", "CATEGORY", "COUNTRY", "CUTOFF", "SOURCE"});
  for (const BulletinRow& r : t.rows()) {
    if ((month && r.month != *month) || (category && r.category != *category) ||
        (column && r.column != *column)) {
      continue;
    }
    if (ctx.json()) {
      cells.push_back(cell_json(r));
    } else {
      table.add({format_month(r.month), std::string(describe(r.chart)), r.category, r.column,
                 format_cell(r.cell), r.source});
    }
  }
  for (const ChartChoice& c : t.choices()) {
    if (!month || c.month == *month) {
      charts.push_back(choice_json(c));
    }
  }
  if (ctx.json()) {
    print_json(ctx, {{"cells", cells}, {"uscis_chart", charts}});
    return 0;
  }
  if (table.empty()) {
    if (t.empty()) {
      throw UsageError(
          "no Visa Bulletin is stored; import one: casewatch bulletin import visa_bulletin.csv, "
          "or set a cutoff: casewatch bulletin set 2026-07 final F2B MX 2009-02-15");
    }
    throw UsageError(fmt::format(
        "no stored cell matches{}{}{}; the latest stored month is {}",
        month ? " month " + format_month(*month) : "", category ? " category " + *category : "",
        column ? " country " + *column : "", format_month(*t.latest_month())));
  }
  table.print(ctx.out(), ctx.color());
  if (charts.empty() && month) {
    ctx.out() << fmt::format(
        "USCIS's chart for {} is not stored: casewatch bulletin chart {} family=... "
        "employment=...\n",
        format_month(*month), format_month(*month));
  }
  for (const ChartChoice& c : t.choices()) {
    if (month && c.month == *month) {
      ctx.out() << fmt::format(
          "USCIS accepts adjustment filings in {} on: family {}, employment {} ({}).\n",
          format_month(c.month), describe(c.family), describe(c.employment), c.source);
    }
  }
  return 0;
}

int run_set(Context& ctx, const BulletinOptions& o) {
  BulletinRow row;
  row.month = parse_month_arg("MONTH", o.month);
  auto chart = parse_chart(o.chart_name);
  if (!chart) {
    throw UsageError(fmt::format("CHART: {}", chart.error()));
  }
  row.chart = *chart;
  row.category = parse_category_arg("CATEGORY", o.category);
  row.column = parse_column_arg("COUNTRY", o.country);
  auto cell = parse_cell(o.cutoff);
  if (!cell) {
    throw UsageError(fmt::format("CUTOFF: {}", cell.error()));
  }
  row.cell = *cell;
  row.source = "set";
  auto& store = ctx.store();
  auto tx = store.begin_write();
  store.store_bulletin({row});
  tx.commit();
  if (ctx.json()) {
    print_json(ctx, {{"cell", cell_json(row)}});
  } else if (!ctx.quiet()) {
    ctx.out() << fmt::format("Set {} {} {} {}: {}.\n", format_month(row.month), describe(row.chart),
                             row.category, describe_column(row.column), format_cell(row.cell));
  }
  return 0;
}

int run_chart(Context& ctx, const BulletinOptions& o) {
  ChartChoice c;
  c.month = parse_month_arg("MONTH", o.chart_month);
  c.source = "set";
  bool family = false;
  bool employment = false;
  for (const std::string& arg : o.choices) {
    auto eq = arg.find('=');
    std::string kind = text::ascii_lower(arg.substr(0, eq));
    if (eq == std::string::npos || (kind != "family" && kind != "employment")) {
      throw UsageError(
          fmt::format("{} is not a chart choice; write family=filing|final and "
                      "employment=filing|final",
                      text::quoted(arg)));
    }
    auto chart = parse_chart(std::string_view(arg).substr(eq + 1));
    if (!chart) {
      throw UsageError(fmt::format("{}: {}", kind, chart.error()));
    }
    (kind == "family" ? c.family : c.employment) = *chart;
    (kind == "family" ? family : employment) = true;
  }
  if (!family || !employment) {
    throw UsageError(
        fmt::format("give both choices, as USCIS's page states them: casewatch bulletin chart {} "
                    "family=filing|final employment=filing|final",
                    format_month(c.month)));
  }
  auto& store = ctx.store();
  auto tx = store.begin_write();
  store.store_chart_choices({c});
  tx.commit();
  if (ctx.json()) {
    print_json(ctx, {{"uscis_chart", choice_json(c)}});
  } else if (!ctx.quiet()) {
    ctx.out() << fmt::format("Set USCIS's charts for {}: family {}, employment {}.\n",
                             format_month(c.month), describe(c.family), describe(c.employment));
  }
  return 0;
}

// One file: the dataset's CSV, JSON or SQLite table of cells, or its uscis_chart.json.
struct ParsedFile {
  std::string path;
  std::vector<BulletinRow> rows;
  std::vector<ChartChoice> choices;
};

ParsedFile parse_bulletin_file(const std::string& path) {
  ParsedFile out;
  out.path = path;
  std::string source = "import:" + std::filesystem::path(path).filename().string();
  std::string text = read_file(path);
  Expected<ParsedBulletin> parsed = Error{""};
  if (text.starts_with(std::string_view("SQLite format 3\0", 16))) {
    try {
      parsed = parse_bulletin_records(store::read_visa_bulletin_table(path), source);
    } catch (const store::StorageError& e) {
      throw UsageError(e.what());
    }
  } else if (auto first = text.find_first_not_of(" \t\r\n");
             first != std::string::npos && text[first] == '{') {
    auto choices = parse_chart_choices_json(text, source);
    if (!choices) {
      throw UsageError(fmt::format("{}: {}", path, choices.error()));
    }
    if (choices->empty()) {
      throw UsageError(fmt::format("{}: no month in it", path));
    }
    out.choices = std::move(choices).value();
    return out;
  } else if (first != std::string::npos && text[first] == '[') {
    parsed = parse_bulletin_json(text, source);
  } else {
    parsed = parse_bulletin_csv(text, source);
  }
  if (!parsed) {
    throw UsageError(fmt::format("{}: {}", path, parsed.error()));
  }
  if (parsed->rows.empty()) {
    throw UsageError(fmt::format("{}: no Visa Bulletin rows in it", path));
  }
  out.rows = std::move(parsed->rows);
  return out;
}

int run_import(Context& ctx, const BulletinOptions& o) {
  std::vector<ParsedFile> files;
  Progress reading(ctx, "Reading the Visa Bulletin", "files", o.files.size());
  for (const std::string& path : o.files) {
    files.push_back(parse_bulletin_file(path));  // all validated before any write
    reading.tick();
  }
  reading.finish();
  std::size_t n_cells = 0;
  for (const ParsedFile& f : files) {
    n_cells += f.rows.size() + f.choices.size();
  }
  Progress storing(ctx, "Storing the Visa Bulletin", "cells", n_cells);
  auto& store = ctx.store();
  auto tx = store.begin_write();
  std::vector<store::Store::ImportCounts> counts;
  for (const ParsedFile& f : files) {
    counts.push_back(f.rows.empty() ? store.store_chart_choices(f.choices)
                                    : store.store_bulletin(f.rows));
    storing.tick(f.rows.size() + f.choices.size());
  }
  tx.commit();
  storing.finish();
  nlohmann::ordered_json report = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto& c = counts[i];
    bool cells = !files[i].rows.empty();
    if (ctx.json()) {
      report.push_back({{"file", files[i].path},
                        {"kind", cells ? "bulletin" : "uscis_chart"},
                        {"added", c.added},
                        {"replaced", c.replaced},
                        {"unchanged", c.unchanged}});
    } else if (!ctx.quiet()) {
      ctx.out() << fmt::format(
          "Imported {}: {} {}: {} new, {} changed, {} unchanged.\n", files[i].path,
          cells ? files[i].rows.size() : files[i].choices.size(),
          cells ? "cells" : "months of USCIS's chart choice", c.added, c.replaced, c.unchanged);
    }
  }
  if (ctx.json()) {
    print_json(ctx, {{"files", report}});
  }
  return 0;
}

}  // namespace

Runner register_bulletin(CLI::App& command) {
  auto o = std::make_shared<BulletinOptions>();
  auto* cmd = &command;
  cmd->require_subcommand(1);
  o->list = cmd->add_subcommand("list", "The stored cutoffs (the latest month unless told)");
  o->list->add_option("--category", o->category_filter, "Only this category (F2B, EB2, ...)");
  o->list->add_option("--country", o->country_filter, "Only this column (MX, India, ROW, ...)");
  o->list->add_option("--month", o->month_filter, "Only this month (YYYY-MM)");
  o->list->add_flag("--all", o->all, "Every stored month");
  o->set = cmd->add_subcommand("set", "Type one cutoff from the bulletin");
  o->set->add_option("MONTH", o->month, "The bulletin's month, YYYY-MM")->required();
  o->set->add_option("CHART", o->chart_name, "final (Final Action) or filing (Dates for Filing)")
      ->required();
  o->set->add_option("CATEGORY", o->category, "F1 F2A F2B F3 F4 EB1 EB2 EB3 EW EB4 SR EB5 ...")
      ->required();
  o->set->add_option("COUNTRY", o->country, "ROW, CN, IN, MX, PH, SV_GT_HN, VN (or the name)")
      ->required();
  o->set->add_option("CUTOFF", o->cutoff, "A date (2009-02-15 or 15FEB09), C or U")->required();
  o->set->footer(
      "Example, from the July 2026 bulletin (F2B, Mexico, Final Action Dates):\n"
      "  casewatch bulletin set 2026-07 final F2B MX 2009-02-15");
  o->chart = cmd->add_subcommand("chart", "USCIS's chart for adjustment filings in a month");
  o->chart->add_option("MONTH", o->chart_month, "The month, YYYY-MM")->required();
  o->chart->add_option("CHOICE", o->choices, "family=filing|final employment=filing|final")
      ->required();
  o->chart->footer(
      "From uscis.gov, \"Adjustment of Status Filing Charts from the Visa Bulletin\":\n"
      "  casewatch bulletin chart 2026-07 family=filing employment=final");
  o->import = cmd->add_subcommand(
      "import", "Cutoffs or USCIS's chart choices from the Visa Bulletin dataset's files");
  o->import->add_option("FILE", o->files, "Files to import (all or nothing)")->required();
  o->import->footer(
      "Formats, told by content: the long table of the CC0 dataset visa-bulletin-data (on GitHub)\n"
      "as CSV (visa_bulletin.csv), JSON (visa_bulletin.json) or SQLite (visa_bulletin.sqlite,\n"
      "table visa_bulletin), columns bulletin, chart, kind, category, country, status, date;\n"
      "and its uscis_chart.json. Importing again changes nothing; a changed cell replaces the\n"
      "stored one.");
  return [o](Context& ctx) {
    if (o->set->parsed()) {
      return run_set(ctx, *o);
    }
    if (o->chart->parsed()) {
      return run_chart(ctx, *o);
    }
    if (o->import->parsed()) {
      return run_import(ctx, *o);
    }
    return run_list(ctx, *o);
  };
}

}  // namespace casewatch::cli
