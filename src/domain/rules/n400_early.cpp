// SPDX-License-Identifier: MIT
// The rule `n400-early` (docs/rules.md): the earliest day a green card holder may file Form
// N-400, the trips that break continuous residence, and physical presence.
// Sources: INA 316(a), 319(a), 334(a); 8 CFR 334.2(b) (90 days early), 316.5(c)(1) (trips
// of more than 6 months and of 1 year), 316.2(a)(4) and 319.1(a)(4) (physical presence);
// USCIS Policy Manual vol. 12, part G, ch. 3 (the marriage track);
// https://www.uscis.gov/citizenship/learn-about-citizenship/citizenship-and-naturalization/early-filing-calculator
#include <array>

#include "documents.hpp"

namespace casewatch::rules_detail {
namespace {
constexpr std::string_view k_rule = "n400-early";
constexpr std::array<std::string_view, 1> k_n400 = {"N-400"};
constexpr std::string_view k_src_316 = "https://www.ecfr.gov/current/title-8/section-316.5";
}  // namespace

void rule_n400_early(DocFacts& f) {
  const Document& doc = f.d;
  if (!doc.since) {
    return;
  }
  const Case* track_case = f.holder_case("N-400");
  const bool marriage = track_case != nullptr && track_case->marriage_track;
  const int years = marriage ? t::k_n400_marriage_years : t::k_n400_residence_years;
  // E = since + 5 (3) years - 90 days, February 29 -> March 1.
  Date e = add_days(filing_months(*doc.since, years * 12), -t::k_n400_early_days);
  std::string basis =
      fmt::format("{} years after {} less 90 days (8 CFR 334.2(b))", years, d(*doc.since));
  if (marriage) {
    for (auto [on, what] :
         {std::pair{track_case->married, "the marriage"},
          std::pair{track_case->spouse_citizen_since, "your spouse's citizenship"}}) {
      if (on) {
        Date x = filing_months(*on, t::k_n400_marriage_years * 12);
        if (x > e) {
          e = x;
          basis = fmt::format("3 years after {} on {}", what, d(*on));
        }
      }
    }
  }
  // Trips since the card: 1 year or more breaks continuous residence (E moves to the return
  // + 4 years + 1 day, 2 years + 1 day on the marriage track, with no 90-day early filing);
  // more than 6 months is a presumed break.
  std::optional<Date> broken_since;  // the return that moved E
  bool abroad_broken = false;        // a trip still under way that has lasted a year
  for (const Trip& trip : f.trips) {
    if (trip.left > f.as_of || (trip.returned && *trip.returned <= *doc.since)) {
      if (trip.left > f.as_of) {
        f.wake_at(trip.left);
      }
      continue;
    }
    if (!trip.returned || *trip.returned > f.as_of) {
      // Still abroad on as_of.
      Date year = add_months(trip.left, t::k_trip_break_months);
      if (trip.returned) {
        f.wake_at(*trip.returned);
      }
      if (f.reached(year)) {
        abroad_broken = true;
        broken_since = year;
      }
      continue;
    }
    Date back = *trip.returned;
    if (one_year_or_more(trip.left, back)) {
      Date x = add_days(
          filing_months(back,
                        (marriage ? t::k_after_break_years_marriage : t::k_after_break_years) * 12),
          1);
      if (x > e) {
        e = x;
        basis = fmt::format(
            "{} years and a day after your return on {} from a trip of a year or "
            "more (8 CFR 316.5(c)(1)(ii))",
            marriage ? 2 : 4, d(back));
        broken_since = back;
      }
    } else if (longer_than_six_months(trip.left, back)) {
      f.add(
          k_rule, Severity::info, back, "presumed-break",
          [&] {
            return Texts{
                fmt::format("A trip of more than 6 months ({} to {})", d(trip.left), d(back)),
                "A trip of more than 6 months and less than a year is a presumed break in "
                "continuous residence unless rebutted (8 CFR 316.5(c)(1)(i)).",
                "Keep evidence of your ties (a job kept, taxes filed, a home kept) to rebut it; "
                "consider an attorney before filing."};
          },
          k_src_316);
    }
  }
  // Physical presence in [E - years, E): the days not inside a trip (the days of leaving and
  // of returning count as present). A trip still under way counts as abroad until as_of.
  Date start = add_months(e, -years * 12);
  int abroad = 0;
  for (const Trip& trip : f.trips) {
    if (trip.left > f.as_of) {
      continue;
    }
    Date back = trip.returned && *trip.returned <= f.as_of ? *trip.returned : add_days(f.as_of, 1);
    if (!trip.returned || *trip.returned > f.as_of) {
      f.wake_at(add_days(f.as_of, 1));
    }
    Date from = std::max(add_days(trip.left, 1), start);
    Date to = std::min(back, e);  // exclusive
    if (from < to) {
      abroad += days_between(from, to);
    }
  }
  const int needed = marriage ? t::k_presence_days_marriage : t::k_presence_days;
  const int present = days_between(start, e) - abroad;
  if (present < needed) {
    f.add(
        k_rule, Severity::info, f.pre_window(), "presence",
        [&] {
          return Texts{fmt::format("Physical presence: {} days of the {} needed", present, needed),
                       fmt::format("Between {} and {} your trips leave {} days in the United "
                                   "States; an N-400 needs {} (8 CFR 316.2(a)(4), 319.1(a)(4)).",
                                   d(start), d(add_days(e, -1)), present, needed),
                       "Check your trips (casewatch trip list); the early filing calculator at "
                       "uscis.gov counts from your own dates."};
        },
        k_src_n400_early);
  }

  auto n400 = f.renewal(k_n400, *doc.since);
  if (n400 && n400->status == Status::approved) {
    return;
  }
  if (n400) {
    if (n400->received < e) {
      f.add(
          k_rule, Severity::urgent, n400->received, "filed-early",
          [&] {
            return Texts{"N-400 filed early: USCIS may deny it and keep the fee",
                         fmt::format("Your N-400 was received on {}, before the earliest filing "
                                     "date {} ({}).",
                                     d(n400->received), d(e), basis),
                         "Consult an attorney: withdrawing and filing again from the earliest "
                         "date may be an option."};
          },
          k_src_n400_early);
    }
    return;
  }
  if (!abroad_broken) {
    f.calendar(k_rule, e, "Earliest day to file Form N-400");
  }
  if (abroad_broken) {
    f.add(
        k_rule, Severity::action, *broken_since, "broken",
        [&] {
          return Texts{"Continuous residence is broken by a year abroad",
                       "A trip of 1 year or more breaks continuous residence (8 CFR "
                       "316.5(c)(1)(ii)); the N-400 may be filed 4 years and a day after your "
                       "return (2 years and a day on the marriage track).",
                       fmt::format("Record your return: casewatch trip add {} --left DATE "
                                   "--returned DATE; consult an attorney about a reentry permit.",
                                   f.holder_option())};
        },
        k_src_316);
  } else if (!f.reached(e)) {
    const bool broken = broken_since.has_value();
    f.add(
        k_rule, broken ? Severity::action : Severity::info, broken ? *broken_since : f.pre_window(),
        broken ? "broken" : "waiting",
        [&] {
          return Texts{fmt::format("{}you may file Form N-400 from {}",
                                   broken ? "Continuous residence is broken: " : "", d(e)),
                       fmt::format("The earliest filing date is {}: {}.", d(e), basis),
                       "An N-400 received even a day early may be denied with its fee; casewatch "
                       "says when the day comes."};
        },
        broken ? k_src_316 : k_src_n400_early);
  } else {
    f.add(
        k_rule, Severity::info, e, "open",
        [&] {
          return Texts{fmt::format("You may file Form N-400 (since {})", d(e)),
                       fmt::format("The earliest filing date was {}: {}.", d(e), basis),
                       fmt::format("File at https://www.uscis.gov/n-400; then record it: {}",
                                   f.record_filing("N-400"))};
        },
        k_src_n400_early);
  }
}

}  // namespace casewatch::rules_detail
