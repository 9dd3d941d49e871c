// SPDX-License-Identifier: MIT
// The rule `priority-date` (docs/rules.md): the Visa Bulletin against a case's priority date.
#include "casewatch/domain/priority_date.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <iterator>
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
std::string day_words(int n) {
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
    s += fmt::format(": not current, your priority date is {} after it", day_words(*v.days_behind));
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
    s += fmt::format("; {} {} from {} ({}).", moved > 0 ? "advanced" : "moved back",
                     day_words(moved > 0 ? moved : -moved), format_month(prev),
                     format_cell(*v.previous));
  } else {
    s += fmt::format("; it was {} in {}.", format_cell(*v.previous), format_month(prev));
  }
  return s;
}

}  // namespace

namespace rules_detail {
namespace {

// The first month after `m` whose rows may give other findings than `m`'s (docs/rules.md
// `priority-date`): a month not stored, a cutoff of either chart that differs, another
// chart chosen by USCIS (when `by_choice`: an adjustment not yet filed), or the month the
// "since" of an unchanged run would move.
Month next_change(const BulletinTable& t, Month m, std::string_view category,
                  std::string_view column, Month since, bool by_choice) {
  const BulletinTable::Cells fa = t.cells(Chart::final_action, category, column);
  const BulletinTable::Cells dff = t.cells(Chart::dates_for_filing, category, column);
  auto chosen = [&](Month x) {
    const ChartChoice* c = by_choice ? t.choice(x) : nullptr;
    return c == nullptr ? std::optional<std::pair<Chart, Chart>>()
                        : std::pair(c->family, c->employment);
  };
  const auto fa_m = fa.at(m);
  const auto dff_m = dff.at(m);
  const auto chosen_m = chosen(m);
  // unchanged_since looks this far back at most.
  const Month cap = since + date::months{thresholds::k_bulletin_history_months};
  Month x = m + date::months{1};
  while (x.ok() && x <= cap && t.has_month(x) && fa.at(x) == fa_m && dff.at(x) == dff_m &&
         chosen(x) == chosen_m) {
    x += date::months{1};
  }
  return x;
}

}  // namespace

// The rule itself, on the shared facts: words only when they are printed (Facts::add), and
// the wake through Facts::reached on the first day of the month the bulletin's rows change.
void rule_priority_date(const BulletinTable& bulletin, Facts& f) {
  const Case& c = f.c;
  const Status status = f.out.status;
  // A petition keeps watching the bulletin after its approval (docs/rules.md, "Petition not
  // yet approved").
  constexpr std::array<std::string_view, 5> k_petitions = {"I-130", "I-140", "I-360", "I-526",
                                                           "I-526E"};
  bool petition = std::find(k_petitions.begin(), k_petitions.end(), c.form) != k_petitions.end();
  if ((status != Status::pending && !(petition && status == Status::approved)) || !c.preference) {
    return;
  }
  const std::string rule(k_rule);
  Month m = month_of(f.as_of);
  const std::string& category = *c.preference;
  if (category == k_immediate_relative) {
    std::optional<Date> since = c.priority_date ? c.priority_date
                                : c.received    ? c.received
                                                : c.sent;
    if (since) {
      f.add(
          rule, Severity::info, *since, "no-queue",
          [] {
            return Texts{
                "Immediate relative: no Visa Bulletin wait",
                "An immediate relative of a U.S. citizen (a spouse, an unmarried child under 21, "
                "a parent of a citizen 21 or older) is not counted against the preference "
                "limits: a visa number is always available, so no priority date has to become "
                "current.",
                "Nothing to watch in the bulletin; the processing-time rules apply to the case."};
          },
          k_src_immediate);
    }
    return;
  }
  if (!c.priority_date) {
    return;
  }
  Date pd = *c.priority_date;
  std::string_view column = chargeability_column(c.chargeability.value_or(""));
  auto where = [&] {
    std::string w = fmt::format("{}, {}", label(category), describe_column(column));
    if (!c.chargeability) {
      w += " (no --chargeability given)";
    }
    return w;
  };
  // For titles: "F2B Mexico", "EB-3 all areas".
  auto who = [&] {
    return fmt::format("{} {}", label(category),
                       column == k_all_areas ? "all areas" : describe_column(column));
  };
  if (bulletin.empty()) {
    f.add(
        rule, Severity::info, pd, "no-bulletin",
        [&] {
          return Texts{
              "No Visa Bulletin stored",
              fmt::format("The case waits for a visa number in {} with priority date {}; "
                          "casewatch can say whether it is current once the bulletins are "
                          "stored.",
                          where(), format_date(pd)),
              "Import the monthly bulletins: casewatch bulletin import visa_bulletin.csv (the "
              "CC0 dataset visa-bulletin-data), or type this month's cutoff: casewatch "
              "bulletin set YYYY-MM final CATEGORY COUNTRY DATE"};
        },
        k_src_bulletin);
    return;
  }
  // Every finding below rests on m's rows: it holds until the first day of the month they
  // change (a finding dated by m itself changes with the next month).
  auto holds_until = [&](Month change) {
    if (change.ok()) {  // else no later month in the calendar
      f.reached(first_day(change));
    }
  };
  if (!bulletin.has_month(m)) {
    f.add(
        rule, Severity::info, first_day(m), "month-missing",
        [&] {
          auto latest = bulletin.latest_month();
          return Texts{
              fmt::format("The {} Visa Bulletin is not stored", format_month(m)),
              fmt::format("The latest stored bulletin is {}; casewatch does not guess this "
                          "month's cutoffs for {}.",
                          latest ? format_month(*latest) : std::string("none"), where()),
              fmt::format("Import it: casewatch bulletin import visa_bulletin.csv, or casewatch "
                          "bulletin set {} final {} {} DATE",
                          format_month(m), category, column)};
        },
        k_src_bulletin);
    holds_until(m + date::months{1});
    return;
  }
  ChartVerdict fa = chart_verdict(bulletin, m, Chart::final_action, category, column, pd);
  ChartVerdict dff = chart_verdict(bulletin, m, Chart::dates_for_filing, category, column, pd);
  if (!fa.cell && !dff.cell) {
    f.add(
        rule, Severity::info, first_day(m), "no-row",
        [&] {
          return Texts{
              fmt::format("The {} bulletin has no {} row", format_month(m), label(category)),
              fmt::format("No cutoff is stored for {} in {}.", where(), format_month(m)),
              fmt::format("Check the preference (casewatch edit {} --preference ...) or set "
                          "the cutoff: casewatch bulletin set {} final {} {} DATE",
                          display_name(c), format_month(m), category, column)};
        },
        k_src_bulletin);
    holds_until(m + date::months{1});
    return;
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
  auto reason = [&] {
    std::string r = fmt::format("Priority date {} in {}, {} bulletin. {} {}", format_date(pd),
                                where(), format_month(m), describe_verdict(fa, m, category),
                                describe_verdict(dff, m, category));
    if (path == VisaPath::adjustment && !filed_i485 && choice) {
      r += fmt::format(" USCIS accepts {} filings on the {} chart this month.", to_string(kind),
                       describe(decisive));
    }
    return r;
  };
  Month since_month = unchanged_since(bulletin, m, category, column);
  Date since = first_day(since_month);
  auto chart_words = [&] { return std::string(describe(decisive)); };
  // The month dated findings (chart-unknown, retrogressed) change with the next month.
  Month change = next_change(bulletin, m, category, column, since_month,
                             path == VisaPath::adjustment && !filed_i485);

  if (path == VisaPath::adjustment && !filed_i485 && !choice) {
    f.add(
        rule, Severity::info, first_day(m), "chart-unknown",
        [&] {
          return Texts{
              fmt::format("USCIS's chart for {} is not stored", format_month(m)),
              fmt::format("Whether an I-485 may be filed on the dates-for-filing chart in {} "
                          "depends on USCIS's choice for {} cases, which casewatch does not "
                          "assume; until it is stored only the final action chart is used.",
                          format_month(m), to_string(kind)),
              fmt::format("Import or set it from USCIS's page: casewatch bulletin chart {} "
                          "family=filing employment=final (as that page says), or casewatch "
                          "bulletin import uscis_chart.json",
                          format_month(m))};
        },
        k_src_uscis_chart);
    change = m + date::months{1};
  }

  if (decider.retrogressed) {
    f.add(
        rule, Severity::urgent, first_day(m), "retrogressed",
        [&] {
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
          return Texts{
              fmt::format("Priority date no longer current: {} retrogressed ({}, {})", who(),
                          chart_words(), format_month(m)),
              reason() + " " + consequence,
              "Nothing to file; watch the next bulletins (casewatch bulletin import ...) and "
              "keep every notice. The Department of State explains movements in each "
              "bulletin."};
        },
        k_src_bulletin);
    holds_until(m + date::months{1});
    return;
  }
  holds_until(change);
  if (decider.current && filed_i485) {
    f.add(
        rule, Severity::info, since, "current",
        [&] {
          return Texts{
              fmt::format("Priority date current: USCIS may approve the I-485 ({}, {})", who(),
                          format_month(m)),
              reason(),
              "Nothing to file for the bulletin; the processing-time rules say when to ask "
              "about the case."};
        },
        k_src_bulletin);
    return;
  }
  if (decider.current && path == VisaPath::adjustment) {
    f.add(
        rule, Severity::action, since, "may-file",
        [&] {
          return Texts{
              fmt::format("You may file the I-485: priority date current ({}, {})", chart_words(),
                          format_month(m)),
              reason(),
              fmt::format("File Form I-485 (https://www.uscis.gov/i-485) while the date is "
                          "current on the chart USCIS accepts in the month it receives the "
                          "package; then record it: casewatch add --form I-485 --sent DATE "
                          "--priority-date {} --preference {}",
                          format_date(pd), category)};
        },
        k_src_uscis_chart);
    return;
  }
  if (petition && status == Status::pending && path == VisaPath::consular &&
      (decider.current || dff.current)) {
    f.add(
        rule, Severity::info, since, "petition-pending",
        [&] {
          std::string assumed =
              c.path ? std::string()
                     : fmt::format(
                           " casewatch assumed the {} path; set it: casewatch edit {} --path "
                           "consular|adjustment.",
                           to_string(path), display_name(c));
          return Texts{
              fmt::format("Priority date current, but the petition is still pending ({}, {})",
                          who(), format_month(m)),
              reason() +
                  " Your priority date is current, but the petition is still pending with "
                  "USCIS; the NVC stage begins after approval." +
                  assumed,
              "If the beneficiary is in the United States, adjustment of status (Form I-485) "
              "may be possible: consult an attorney. Otherwise nothing to file until USCIS "
              "approves the petition."};
        },
        k_src_bulletin);
    return;
  }
  if (decider.current) {  // consular, final action
    f.add(
        rule, Severity::action, since, "interview",
        [&] {
          return Texts{
              fmt::format("Priority date current: the NVC may schedule the interview ({}, {})",
                          who(), format_month(m)),
              reason(),
              "Keep the NVC case complete (ceac.state.gov) and watch for the interview letter; "
              "the medical exam is done after it is scheduled."};
        },
        k_src_bulletin);
    return;
  }
  if (path == VisaPath::consular && dff.current) {
    f.add(
        rule, Severity::action, since, "documents",
        [&] {
          return Texts{
              fmt::format("Priority date current for filing: the NVC may ask for documents "
                          "({}, {})",
                          who(), format_month(m)),
              reason(),
              "Watch for the NVC's welcome email; then pay the fees, file the DS-260 and upload "
              "the civil documents and the affidavit of support at ceac.state.gov."};
        },
        k_src_bulletin);
    return;
  }
  f.add(
      rule, Severity::info, since, "waiting",
      [&] {
        std::string title;
        if (decider.cell && decider.cell->status == Cell::Status::unavailable) {
          title = fmt::format("Priority date not current: {} is unavailable ({}, {})", who(),
                              chart_words(), format_month(m));
        } else if (decider.days_behind) {
          title =
              fmt::format("Priority date not current: {} behind the {} cutoff ({}, {})",
                          day_words(*decider.days_behind), chart_words(), who(), format_month(m));
        } else {
          title = fmt::format("Priority date not current ({}, {}, {})", who(), chart_words(),
                              format_month(m));
        }
        return Texts{std::move(title), reason(),
                     "Nothing to do yet; casewatch check reports a new bulletin month when a "
                     "cutoff moves."};
      },
      k_src_bulletin);
}

}  // namespace rules_detail

std::optional<Date> rule_priority_date(const Case& c, Status status, const BulletinTable& bulletin,
                                       Date as_of, bool words, std::vector<Finding>& out) {
  static const HolidayCalendar k_holidays;
  Evaluation ev;
  ev.status = status;
  rules_detail::Facts f{
      {as_of, ev}, c, k_holidays, {}, {}, std::string(), words ? Detail::full : Detail::dates};
  rules_detail::rule_priority_date(bulletin, f);
  out.insert(out.end(), std::make_move_iterator(ev.findings.begin()),
             std::make_move_iterator(ev.findings.end()));
  return ev.wake;
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
