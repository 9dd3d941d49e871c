// SPDX-License-Identifier: MIT
// `report -o FILE.html` (docs/cli.md `report`): the office's morning report as one
// self-contained web page: the overview of `list`, a section per case (its findings with why,
// how and source, its next steps, its timeline as inline SVG), a print style sheet; no script
// and nothing from outside.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "casewatch/cli/output.hpp"
#include "casewatch/cli/overview.hpp"
#include "casewatch/domain/timeline.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"
#include "files.hpp"
#include "html.hpp"

namespace casewatch::cli {
namespace {

struct ReportOptions {
  std::string output;
  std::string match;
  bool force = false;
};

// One case of the report, worked out once.
struct Entry {
  Case c;
  std::vector<Event> events;
  Evaluation ev;
  std::optional<Finding> now;
  RowKey key;
};

// Scripts are refused by the page itself, whatever its text holds; styles only from the page.
constexpr std::string_view k_policy =
    "default-src 'none'; script-src 'none'; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; style-src 'unsafe-inline'; img-src data:";

constexpr std::string_view k_style = R"(
body { font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 62em; color: #1a1a1a;
       line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; border-bottom: 1px solid #bbb; padding-bottom: 0.2em; margin-top: 2em; }
h3 { font-size: 1em; margin: 1em 0 0.3em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { text-align: left; padding: 0.25em 0.5em; border-bottom: 1px solid #ddd;
         vertical-align: top; }
th { background: #f0f0f0; }
tr.urgent td { color: #a00000; font-weight: bold; }
td:nth-child(1), td:nth-child(5), td:nth-child(8) { white-space: nowrap; }
.meta { color: #444; margin: 0.2em 0 0.8em; }
.finding { border-left: 4px solid #888; padding: 0.2em 0.8em; margin: 0.8em 0; }
.finding.urgent { border-color: #c00000; }
.finding.action { border-color: #d08000; }
.finding.info { border-color: #3070c0; }
.tag { font-weight: bold; text-transform: uppercase; font-size: 0.8em; }
.finding p { margin: 0.3em 0; }
.label { white-space: pre-wrap; }
svg.timeline { width: 100%; height: auto; max-width: 760px; display: block; margin: 0.5em 0;
               font-size: 11px; }
svg.timeline text { fill: #1a1a1a; }
svg.timeline .axis, svg.timeline .tick { stroke: #999; }
svg.timeline .today-line { stroke: #c00000; stroke-dasharray: 3 2; }
svg.timeline .processing rect { fill: #7aa6d6; }
svg.timeline .ombudsman rect { fill: #e0a040; }
svg.timeline .response rect { fill: #d06060; }
svg.timeline .decision rect { fill: #9070c0; }
svg.timeline .received circle, svg.timeline .event circle { fill: #333; }
svg.timeline .inquiry polygon { fill: #d08000; }
svg.timeline .next polygon { fill: #2a8a2a; }
svg.timeline .today rect { fill: #c00000; }
footer { margin-top: 2em; color: #555; font-size: 0.9em; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; color: #000; }
  h2 { break-after: avoid; }
  section.case { break-inside: avoid; }
  tr { break-inside: avoid; }
  a { color: #000; text-decoration: none; }
  .finding a::after { content: " <" attr(href) ">"; font-size: 0.85em; }
  nav.toc { display: none; }
}
)";

std::string cell(std::string_view s) {
  return "<td>" + html::escape(s) + "</td>";
}

std::string anchor(const Case& c) {
  return fmt::format("case-{}", c.id);
}

void overview(std::string& page, const std::vector<Entry>& entries, Date as_of) {
  page += "<section id=\"overview\">\n<h2>Overview</h2>\n";
  page +=
      "<table>\n<thead><tr><th>Case</th><th>Label</th><th>Form</th><th>Office</th>"
      "<th>Received</th><th>Days</th><th>Now</th><th>Due</th><th>Next</th></tr></thead>\n"
      "<tbody>\n";
  for (const Entry& e : entries) {
    const Case& c = e.c;
    auto days = days_pending(c, as_of);
    bool urgent = e.now && e.now->severity == Severity::urgent;
    page += urgent ? "<tr class=\"urgent\">" : "<tr>";
    page +=
        fmt::format("<td><a href=\"#{}\">{}</a></td>", anchor(c), html::escape(display_name(c)));
    page += cell(or_dash(c.label)) + cell(c.form) + cell(or_dash(e.ev.office.office));
    page += cell(c.received ? format_date(*c.received) : "sent " + or_dash(c.sent));
    page += cell(days ? std::to_string(*days) : "-");
    page += cell(now_text(Row{e.ev, e.now})) + cell(due_text(e.ev));
    page += cell(next_text(next_beside(e.ev, e.now)));
    page += "</tr>\n";
  }
  page += "</tbody>\n</table>\n</section>\n";
}

void section(std::string& page, const Entry& e, const Catalog& catalog) {
  const Case& c = e.c;
  page += fmt::format("<section class=\"case\" id=\"{}\">\n<h2>{}", anchor(c),
                      html::escape(display_name(c)));
  if (c.label) {
    page += " <span class=\"label\">" + html::escape(*c.label) + "</span>";
  }
  page += "</h2>\n";
  std::string title = catalog.form_title(c.form);
  std::string meta = c.form + (title.empty() ? "" : " (" + title + ")");
  if (e.ev.office.office) {
    meta += ", office " + *e.ev.office.office;
  }
  if (c.received) {
    meta += ", received " + format_date(*c.received);
  }
  meta += fmt::format(", {}", to_string(e.ev.status));
  if (e.ev.inquiry_date) {
    meta += ", inquiry date " + format_date(*e.ev.inquiry_date);
    if (e.ev.office_assumed) {
      meta += " " + std::string(k_office_assumed_mark);
    }
  }
  page += "<p class=\"meta\">" + html::escape(meta) + "</p>\n";
  if (auto t = make_timeline(c, e.events, e.ev)) {
    page += html::svg_timeline(*t);
  } else {
    page += "<p class=\"meta\">No timeline: the case has no received date.</p>\n";
  }
  if (e.ev.findings.empty()) {
    page += "<p>Nothing to do now.</p>\n";
  }
  for (const Finding& f : e.ev.findings) {
    std::string severity(to_string(f.severity));
    page += fmt::format("<div class=\"finding {}\">\n<h3><span class=\"tag\">{}</span> {}</h3>\n",
                        severity, severity, html::escape(f.title));
    std::string when = "since " + format_date(f.since);
    if (f.due) {
      when += ", due " + format_date(*f.due) + (f.assumed ? " (assumed)" : "");
    }
    if (f.until) {
      when += ", until " + format_date(*f.until);
    }
    page +=
        fmt::format("<p class=\"meta\">{} ({})</p>\n", html::escape(when), html::escape(f.rule));
    page += "<p><strong>Why:</strong> " + html::linked(f.reason) + "</p>\n";
    page += "<p><strong>How:</strong> " + html::linked(f.how) + "</p>\n";
    page += "<p><strong>Source:</strong> " + html::linked(f.source) + "</p>\n</div>\n";
  }
  if (!e.ev.next.empty()) {
    page += "<h3>Next</h3>\n<ul>\n";
    for (const NextStep& n : e.ev.next) {
      std::string line = (n.on ? format_date(*n.on) : "(no date)") +
                         (n.on && n.assumed ? " " + std::string(k_office_assumed_mark) : "") +
                         "  " + n.title + (n.condition ? ", " + *n.condition : "");
      page += "<li>" + html::escape(line) + "</li>\n";
    }
    page += "</ul>\n";
  }
  page += "</section>\n";
}

// Refuses an output that is a directory, or a file that exists without --force, before
// anything is read or written.
void check_output(const ReportOptions& o) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p(o.output);
  if (fs::is_directory(p, ec)) {
    throw UsageError(fmt::format("-o: {} is a directory; give a file name, such as {}",
                                 text::quoted(o.output),
                                 text::quoted((p / "report.html").string())));
  }
  if (fs::exists(fs::symlink_status(p, ec)) && !o.force) {
    throw UsageError(
        fmt::format("-o: {} exists; add --force to replace it", text::quoted(o.output)));
  }
  fs::path dir = p.parent_path();
  if (!dir.empty() && !fs::is_directory(dir, ec)) {
    throw UsageError(
        fmt::format("-o: the directory {} does not exist", text::quoted(dir.string())));
  }
}

int run_report(Context& ctx, const ReportOptions& o) {
  check_output(o);
  std::vector<Entry> entries;
  StaleNotice stale;
  for_each_record(ctx.store(), o.match, [&](Case& c, std::vector<Event>& events) {
    Evaluation ev = evaluate_case(ctx, c, events, Detail::full);
    if (!kept_in_overview(ev)) {
      return;
    }
    stale.add(ev);
    std::optional<Finding> now;
    if (const Finding* f = ev.most_pressing()) {
      now = *f;
    }
    RowKey key = row_key(c, ev, now);
    entries.push_back(Entry{std::move(c), std::move(events), std::move(ev), std::move(now), key});
  });
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return row_before(a.key, b.key, SortBy::urgency);
  });
  Date as_of = ctx.as_of();
  std::string page;
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += fmt::format("<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n",
                      html::escape(k_policy));
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += fmt::format("<title>casewatch report, {}</title>\n", format_date(as_of));
  page += "<style>" + std::string(k_style) + "</style>\n</head>\n<body>\n<header>\n";
  page += fmt::format("<h1>Cases as of {}</h1>\n", format_date(as_of));
  std::string what = text::count(entries.size(), "case", "cases");
  if (!o.match.empty()) {
    what += " matching " + text::quoted(o.match);
  }
  page += "<p class=\"meta\">" + html::escape(what) +
          ", most pressing first (as <code>casewatch list</code> sorts them).</p>\n</header>\n";
  if (std::optional<Notice> notice = stale.notice(as_of)) {
    page += "<p><strong>Note:</strong> " + html::escape(notice_text(*notice)) + "</p>\n";
  }
  if (entries.empty()) {
    page += "<p>No case to report.</p>\n";
  } else {
    overview(page, entries, as_of);
  }
  for (const Entry& e : entries) {
    section(page, e, ctx.catalog());
  }
  page += "<footer><p>" + html::escape(k_disclaimer) + "</p></footer>\n</body>\n</html>\n";
  write_file_atomically(o.output, page);
  if (!ctx.quiet()) {
    std::cerr << fmt::format("Wrote a report of {} to {}.\n", what, o.output);
  }
  return 0;
}

}  // namespace

Runner register_report(CLI::App& command) {
  auto o = std::make_shared<ReportOptions>();
  auto* cmd = &command;
  cmd->add_option("-o,--output", o->output, "Write the page to FILE.html (private, 0600)")
      ->required();
  add_match_option(cmd, o->match);
  cmd->add_flag("--force", o->force, "Replace FILE if it exists");
  cmd->footer(
      "One self-contained HTML page, for the screen and for paper: the overview of 'casewatch\n"
      "list' (the same cases, in the same order), then a section per case with its findings\n"
      "(why, how, source), next steps and timeline. No script, nothing loaded from outside.");
  return [o](Context& ctx) { return run_report(ctx, *o); };
}

}  // namespace casewatch::cli
