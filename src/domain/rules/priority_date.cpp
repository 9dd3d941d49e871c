// SPDX-License-Identifier: MIT
// The rule `priority-date` (docs/rules.md): the Visa Bulletin against a case's priority date.
#include "casewatch/domain/priority_date.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "casewatch/domain/thresholds.hpp"
#include "facts.hpp"

namespace casewatch {
namespace {

constexpr std::string_view k_rule = "priority-date";
constexpr std::string_view k_src_bulletin =
    "https://travel.state.gov/content/travel/en/legal/visa-law0/visa-bulletin.html";
constexpr std::string_view k_src_uscis_chart =
    "https://www.uscis.gov/green-card/green-card-processes-and-procedures/"
    "visa-availability-priority-dates/adjustment-of-status-filing-charts-from-the-visa-bulletin";
constexpr std::string_view k_src_immediate =
    "https://www.uscis.gov/green-card/green-card-eligibility/"
    "green-card-for-immediate-relatives-of-us-citizen";

// "3,666 days", "1 day".
std::string days(int n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      grouped += ',';
    }
    grouped += digits[i];
  }
  return fmt::format("{}{} day{}", n < 0 ? "-" : "", grouped, n == 1 || n == -1 ? "" : "s");
}

// "EB-2", "F2B", "EB4_RW".
std::string label(std::string_view category) {
  if (category.size() == 3 && category.substr(0, 2) == "EB") {
    return fmt::format("EB-{}", category[2]);
  }
  return std::string(category);
}

std::string_view chart_title(Chart c) {
  return c == Chart::final_action ? "Final action" : "Dates for filing";
}

// The first month of the unbroken run of stored months whose cells in both charts are
// those of `m`: a new month is news only when a cutoff changed.
Month unchanged_since(const BulletinTable& t, Month m, std::string_view category,
                      std::string_view column) {
  const BulletinTable::Cells fa_cells = t.cells(Chart::final_action, category, column);
  const BulletinTable::Cells dff_cells = t.cells(Chart::dates_for_filing, category, column);
  auto fa = fa_cells.at(m);
  auto dff = dff_cells.at(m);
  Month first = m;
  Month p = m;
  for (int n = 0; n < thresholds::k_bulletin_history_months; ++n) {
    p -= date::months{1};
    if (!t.has_month(p) || fa_cells.at(p) != fa || dff_cells.at(p) != dff) {
      break;
    }
    first = p;
  }
  return first;
}

// One chart in words: "Final action cutoff 2009-02-15: not current, your priority date is
// 3,666 days after it; unchanged from 2026-06."
std::string describe_verdict(const ChartVerdict& v, Month m, std::string_view category) {
  if (!v.cell) {
    return fmt::format("{}: the {} bulletin has no {} row.", chart_title(v.chart), format_month(m),
                       label(category));
  }
  std::string s;
  switch (v.cell->status) {
    case Cell::Status::current:
      s = fmt::format("{}: C (current)", chart_title(v.chart));
      break;
    case Cell::Status::unavailable:
      s = fmt::format("{}: U (unavailable: no visa numbers this month)", chart_title(v.chart));
      break;
    case Cell::Status::date:
      s = fmt::format("{} cutoff {}", chart_title(v.chart), format_cell(*v.cell));
      break;
  }
  if (v.current) {
    s += fmt::format(": current since {}", format_month(*v.current_since));
  } else if (v.days_behind && *v.days_behind == 0) {
    s += ": not current, your priority date is the cutoff itself (it must be earlier)";
  } else if (v.days_behind) {
    s += fmt::format(": not current, your priority date is {} after it", days(*v.days_behind));
  } else if (v.cell->status == Cell::Status::unavailable) {
    s += ": not current";
  }
  Month prev = m - date::months{1};
  if (!v.previous) {
    s += fmt::format("; the {} bulletin is not stored.", format_month(prev));
  } else if (*v.previous == *v.cell) {
    s += fmt::format("; unchanged from {}.", format_month(prev));
  } else if (v.previous->cutoff && v.cell->cutoff) {
    int moved = days_between(*v.previous->cutoff, *v.cell->cutoff);
    s +=
        fmt::format("; {} {} from {} ({}).", moved > 0 ? "advanced" : "moved back",
                    days(moved > 0 ? moved : -moved), format_month(prev), format_cell(*v.previous));
  } else {
    s += fmt::format("; it was {} in {}.", format_cell(*v.previous), format_month(prev));
  }
  return s;
}

struct Ctx {
  const Case& c;
  const BulletinTable& t;
  Month m;
  bool words;
  std::vector<Finding>& out;
};

void add(Ctx& x, Severity severity, Date since, std::string_view stage, std::string title,
         std::string reason, std::string how, std::string_view source) {
  Finding f;
  f.case_id = x.c.id;
  f.receipt = x.c.receipt;
  f.rule = std::string(k_rule);
  f.severity = severity;
  f.since = since;
  f.stage = std::string(stage);
  if (x.words) {
    f.title = std::move(title);
    f.reason = std::move(reason);
    f.how = std::move(how);
    f.source = std::string(source);
  }
  x.out.push_back(std::move(f));
}

}  // namespace

namespace {

// The rule itself. True when what it appended rests on as_of's month; false when it does
// not look at the month (a case that is not pending, has no preference or no priority date,
// an immediate relative, no bulletin stored).
bool priority_findings(const Case& c, Status status, const BulletinTable& bulletin, Date as_of,
                       bool words, std::vector<Finding>& out) {
  // A petition keeps watching the bulletin after its approval (docs/rules.md, "Petition not
  // yet approved").
  constexpr std::array<std::string_view, 5> k_petitions = {"I-130", "I-140", "I-360", "I-526",
                                                           "I-526E"};
  bool petition = std::find(k_petitions.begin(), k_petitions.end(), c.form) != k_petitions.end();
  if ((status != Status::pending && !(petition && status == Status::approved)) || !c.preference) {
    return false;
  }
  Month m = month_of(as_of);
  Ctx x{c, bulletin, m, words, out};
  const std::string& category = *c.preference;
  if (category == k_immediate_relative) {
    std::optional<Date> since = c.priority_date ? c.priority_date
                                : c.received    ? c.received
                                                : c.sent;
    if (since) {
      add(x, Severity::info, *since, "no-queue", "Immediate relative: no Visa Bulletin wait",
          "An immediate relative of a U.S. citizen (a spouse, an unmarried child under 21, a "
          "parent of a citizen 21 or older) is not counted against the preference limits: a visa "
          "number is always available, so no priority date has to become current.",
          "Nothing to watch in the bulletin; the processing-time rules apply to the case.",
          k_src_immediate);
    }
    return false;
  }
  if (!c.priority_date) {
    return false;
  }
  Date pd = *c.priority_date;
  std::string_view column = chargeability_column(c.chargeability.value_or(""));
  std::string where = fmt::format("{}, {}", label(category), describe_column(column));
  // For titles: "F2B Mexico", "EB-3 all areas".
  std::string who = fmt::format("{} {}", label(category),
                                column == k_all_areas ? "all areas" : describe_column(column));
  if (!c.chargeability) {
    where += " (no --chargeability given)";
  }
  if (bulletin.empty()) {
    add(x, Severity::info, pd, "no-bulletin", "No Visa Bulletin stored",
        fmt::format("The case waits for a visa number in {} with priority date {}; casewatch "
                    "can say whether it is current once the bulletins are stored.",
                    where, format_date(pd)),
        "Import the monthly bulletins: casewatch bulletin import visa_bulletin.csv (the CC0 "
        "dataset visa-bulletin-data), or type this month's cutoff: casewatch "
        "bulletin set YYYY-MM final CATEGORY COUNTRY DATE",
        k_src_bulletin);
    return false;
  }
  if (!bulletin.has_month(m)) {
    auto latest = bulletin.latest_month();
    add(x, Severity::info, first_day(m), "month-missing",
        fmt::format("The {} Visa Bulletin is not stored", format_month(m)),
        fmt::format("The latest stored bulletin is {}; casewatch does not guess this month's "
                    "cutoffs for {}.",
                    latest ? format_month(*latest) : std::string("none"), where),
        fmt::format("Import it: casewatch bulletin import visa_bulletin.csv, or casewatch "
                    "bulletin set {} final {} {} DATE",
                    format_month(m), category, column),
        k_src_bulletin);
    return true;
  }
  ChartVerdict fa = chart_verdict(bulletin, m, Chart::final_action, category, column, pd);
  ChartVerdict dff = chart_verdict(bulletin, m, Chart::dates_for_filing, category, column, pd);
  if (!fa.cell && !dff.cell) {
    add(x, Severity::info, first_day(m), "no-row",
        fmt::format("The {} bulletin has no {} row", format_month(m), label(category)),
        fmt::format("No cutoff is stored for {} in {}.", where, format_month(m)),
        fmt::format("Check the preference (casewatch edit {} --preference ...) or set the cutoff: "
                    "casewatch bulletin set {} final {} {} DATE",
                    display_name(c), format_month(m), category, column),
        k_src_bulletin);
    return true;
  }

  VisaPath path = effective_path(c);
  VisaKind kind = kind_of_category(category);
  bool filed_i485 = path == VisaPath::adjustment && c.form == "I-485";
  const ChartChoice* choice = bulletin.choice(m);
  // The chart that decides this case now: final action for an I-485 on file (approval) and
  // for a consular case (the interview); for an adjustment not yet filed, USCIS's chart of
  // the month (final action when the choice is not stored: it always allows filing).
  Chart decisive = Chart::final_action;
  if (path == VisaPath::adjustment && !filed_i485 && choice) {
    decisive = kind == VisaKind::family ? choice->family : choice->employment;
  }
  const ChartVerdict& decider = decisive == Chart::final_action ? fa : dff;
  std::string reason = fmt::format("Priority date {} in {}, {} bulletin. {} {}", format_date(pd),
                                   where, format_month(m), describe_verdict(fa, m, category),
                                   describe_verdict(dff, m, category));
  if (path == VisaPath::adjustment && !filed_i485 && choice) {
    reason += fmt::format(" USCIS accepts {} filings on the {} chart this month.", to_string(kind),
                          describe(decisive));
  }
  Date since = first_day(unchanged_since(bulletin, m, category, column));
  std::string chart_words(describe(decisive));

  if (path == VisaPath::adjustment && !filed_i485 && !choice) {
    add(x, Severity::info, first_day(m), "chart-unknown",
        fmt::format("USCIS's chart for {} is not stored", format_month(m)),
        fmt::format("Whether an I-485 may be filed on the dates-for-filing chart in {} depends "
                    "on USCIS's choice for {} cases, which casewatch does not assume; until it "
                    "is stored only the final action chart is used.",
                    format_month(m), to_string(kind)),
        fmt::format("Import or set it from USCIS's page: casewatch bulletin chart {} "
                    "family=filing employment=final (as that page says), or casewatch bulletin "
                    "import uscis_chart.json",
                    format_month(m)),
        k_src_uscis_chart);
  }

  if (decider.retrogressed) {
    std::string consequence;
    if (filed_i485) {
      consequence =
          "USCIS cannot approve the pending I-485 until the date is current again; the "
          "case stays pending. Consult an attorney about your situation.";
    } else if (path == VisaPath::adjustment) {
      consequence =
          "An I-485 cannot be filed on this chart until the date is current again; one "
          "already filed stays pending and cannot be approved meanwhile.";
    } else {
      consequence =
          "The consulate cannot issue the immigrant visa until the date is current "
          "again; an interview may be postponed.";
    }
    add(x, Severity::urgent, first_day(m), "retrogressed",
        fmt::format("Priority date no longer current: {} retrogressed ({}, {})", who, chart_words,
                    format_month(m)),
        reason + " " + consequence,
        "Nothing to file; watch the next bulletins (casewatch bulletin import ...) and keep "
        "every notice. The Department of State explains movements in each bulletin.",
        k_src_bulletin);
    return true;
  }
  if (decider.current && filed_i485) {
    add(x, Severity::info, since, "current",
        fmt::format("Priority date current: USCIS may approve the I-485 ({}, {})", who,
                    format_month(m)),
        reason,
        "Nothing to file for the bulletin; the processing-time rules say when to ask about the "
        "case.",
        k_src_bulletin);
    return true;
  }
  if (decider.current && path == VisaPath::adjustment) {
    add(x, Severity::action, since, "may-file",
        fmt::format("You may file the I-485: priority date current ({}, {})", chart_words,
                    format_month(m)),
        reason,
        fmt::format("File Form I-485 (https://www.uscis.gov/i-485) while the date is current "
                    "on the chart USCIS accepts in the month it receives the package; then "
                    "record it: casewatch add --form I-485 --sent DATE --priority-date {} "
                    "--preference {}",
                    format_date(pd), category),
        k_src_uscis_chart);
    return true;
  }
  if (petition && status == Status::pending && path == VisaPath::consular &&
      (decider.current || dff.current)) {
    std::string assumed =
        c.path ? std::string()
               : fmt::format(
                     " casewatch assumed the {} path; set it: casewatch edit {} --path "
                     "consular|adjustment.",
                     to_string(path), display_name(c));
    add(x, Severity::info, since, "petition-pending",
        fmt::format("Priority date current, but the petition is still pending ({}, {})", who,
                    format_month(m)),
        reason +
            " Your priority date is current, but the petition is still pending with "
            "USCIS; the NVC stage begins after approval." +
            assumed,
        "If the beneficiary is in the United States, adjustment of status (Form I-485) may be "
        "possible: consult an attorney. Otherwise nothing to file until USCIS approves the "
        "petition.",
        k_src_bulletin);
    return true;
  }
  if (decider.current) {  // consular, final action
    add(x, Severity::action, since, "interview",
        fmt::format("Priority date current: the NVC may schedule the interview ({}, {})", who,
                    format_month(m)),
        reason,
        "Keep the NVC case complete (ceac.state.gov) and watch for the interview letter; the "
        "medical exam is done after it is scheduled.",
        k_src_bulletin);
    return true;
  }
  if (path == VisaPath::consular && dff.current) {
    add(x, Severity::action, since, "documents",
        fmt::format("Priority date current for filing: the NVC may ask for documents ({}, {})", who,
                    format_month(m)),
        reason,
        "Watch for the NVC's welcome email; then pay the fees, file the DS-260 and upload the "
        "civil documents and the affidavit of support at ceac.state.gov.",
        k_src_bulletin);
    return true;
  }
  std::string title;
  if (decider.cell && decider.cell->status == Cell::Status::unavailable) {
    title = fmt::format("Priority date not current: {} is unavailable ({}, {})", who, chart_words,
                        format_month(m));
  } else if (decider.days_behind) {
    title = fmt::format("Priority date not current: {} behind the {} cutoff ({}, {})",
                        days(*decider.days_behind), chart_words, who, format_month(m));
  } else {
    title =
        fmt::format("Priority date not current ({}, {}, {})", who, chart_words, format_month(m));
  }
  add(x, Severity::info, since, "waiting", std::move(title), reason,
      "Nothing to do yet; casewatch check reports a new bulletin month when a cutoff moves.",
      k_src_bulletin);
  return true;
}

// The (since, stage) of each finding from `first` on: with the case and the rule, its key.
std::vector<std::pair<Date, std::string>> keys_from(const std::vector<Finding>& findings,
                                                    std::size_t first) {
  std::vector<std::pair<Date, std::string>> keys;
  for (std::size_t i = first; i < findings.size(); ++i) {
    keys.emplace_back(findings[i].since, findings[i].stage);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace

std::optional<Date> rule_priority_date(const Case& c, Status status, const BulletinTable& bulletin,
                                       Date as_of, bool words, std::vector<Finding>& out) {
  std::size_t first = out.size();
  if (!priority_findings(c, status, bulletin, as_of, words, out)) {
    return std::nullopt;
  }
  // The findings rest on the month only: the next month whose findings have other keys is
  // the wake. A month past the stored ones is "month-missing" since its first day, so the
  // walk ends at the latest stored month + 1; the cap bounds it anyway.
  // How many months ahead the wake looks for a change (a bound on the work, not a rule).
  constexpr int k_wake_months = 24;
  std::vector<std::pair<Date, std::string>> now = keys_from(out, first);
  Month m = month_of(as_of);
  std::vector<Finding> probe;
  for (int k = 1; k <= k_wake_months; ++k) {
    Month next = m + date::months{k};
    if (!next.ok()) {
      return std::nullopt;  // no later month in the calendar
    }
    probe.clear();
    priority_findings(c, status, bulletin, first_day(next), false, probe);
    if (keys_from(probe, 0) != now) {
      return first_day(next);
    }
  }
  Month after = m + date::months{k_wake_months + 1};
  return after.ok() ? std::optional<Date>(first_day(after)) : std::nullopt;
}

namespace rules_detail {

void work_out_visa(const BulletinTable& bulletin, Facts& f) {
  const Case& c = f.c;
  if (!f.pending() || c.form != "I-485" || !c.preference || *c.preference == k_immediate_relative ||
      !c.priority_date || effective_path(c) != VisaPath::adjustment) {
    return;
  }
  if (bulletin.empty()) {
    f.visa_unknown = true;
    return;
  }
  Month m = month_of(f.as_of);
  if (!bulletin.has_month(m)) {
    return;  // the priority-date finding asks for the month; casewatch does not guess it
  }
  std::string_view column = chargeability_column(c.chargeability.value_or(""));
  ChartVerdict fa =
      chart_verdict(bulletin, m, Chart::final_action, *c.preference, column, *c.priority_date);
  if (!fa.cell) {
    return;
  }
  if (!fa.current) {
    f.visa_unavailable = true;
    return;
  }
  // Current since the first day of a month after a stored month that was not.
  if (!fa.current_since) {
    return;
  }
  ChartVerdict before = chart_verdict(bulletin, *fa.current_since - date::months{1},
                                      Chart::final_action, *c.preference, column, *c.priority_date);
  if (before.cell && !before.current) {
    f.visa_resumes = first_day(*fa.current_since) + days{thresholds::k_visa_resume_days};
  }
}

}  // namespace rules_detail
}  // namespace casewatch
