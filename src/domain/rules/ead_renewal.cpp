// SPDX-License-Identifier: MIT
// The rule `ead-renewal` (docs/rules.md): when to renew a work permit (EAD), and what a
// pending renewal does to the card it renews, before and after 2025-10-30.
// Sources: 8 CFR 274a.12, 274a.13(d); the interim final rule of 2025-10-30, 90 FR 48799 (no
// automatic extension for a renewal received on or after that day),
// https://www.federalregister.gov/citation/90-FR-48799 ; https://www.uscis.gov/i-765. The
// 540-day extension and its list of categories: as USCIS announced (2024, 89 FR 24628);
// check uscis.gov.
#include <array>

#include "documents.hpp"

namespace casewatch::rules_detail {
namespace {

constexpr std::string_view k_rule = "ead-renewal";

// The categories whose timely renewal extended the card up to 540 days (as USCIS announced;
// check uscis.gov): 8 CFR 274a.13(d)(1) and the list of 2024. A12 and C19 (TPS) as the
// country's Federal Register notice says.
constexpr std::array<std::string_view, 16> k_extended = {"A03", "A05", "A07", "A08", "A10", "A12",
                                                         "C08", "C09", "C10", "C16", "C19", "C20",
                                                         "C22", "C24", "C26", "C31"};

bool is_tps(std::string_view k) {
  return k == "A12" || k == "C19";
}

}  // namespace

void rule_ead_renewal(DocFacts& f) {
  const Document& doc = f.d;
  if (!doc.expires) {
    return;
  }
  const Date x = *doc.expires;
  const std::string k = doc.category.value_or("");
  // fmt, not `" " + string`: GCC 12 at -O3 warns falsely (-Wrestrict) on that operator.
  const std::string printed = k.empty() ? "" : fmt::format(" {}", ead_category_printed(k));
  // What the category adds to every finding's reason.
  std::string aside;
  if (is_tps(k)) {
    aside =
        " A TPS card may be extended by Federal Register notice for your country: check the "
        "notice.";
  } else if (k == "C33") {
    aside = " A DACA work permit (c)(33) is never extended automatically.";
  }
  const Date no_extension_from =
      make_date(t::k_ead_no_extension_year, t::k_ead_no_extension_month, t::k_ead_no_extension_day);
  // A renewal is an I-765 received after the card's first day (else within its last year).
  auto r = f.renewal(renewing_forms(doc.kind), doc.since ? *doc.since : add_months(x, -12));
  if (r && r->status == Status::approved) {
    return;  // the new card is a document of its own
  }
  const Date lapse = add_days(x, 1);
  auto lapsed = [&](Date since, std::string why) {
    f.add(
        k_rule, Severity::urgent, since, "lapsed",
        [&] {
          return Texts{fmt::format("Work permit{} expired on {}: work authorization has lapsed",
                                   printed, d(add_days(since, -1))),
                       why + aside,
                       "Stop work on this card unless you hold another basis; if losing the job "
                       "causes severe financial loss, you may ask USCIS for an expedite of the "
                       "renewal. Consult an attorney."};
        },
        r ? k_src_ead_rule : k_src_i765);
  };
  if (r) {
    const bool extended = r->received < no_extension_from && r->received <= x &&
                          std::find(k_extended.begin(), k_extended.end(), k) != k_extended.end();
    if (extended) {
      Date until = add_days(x, t::k_ead_extension_days);
      if (f.within(until)) {
        f.add(
            k_rule, Severity::info, r->received, "extended",
            [&] {
              return Texts{
                  fmt::format("Work permit{} automatically extended up to {}", printed, d(until)),
                  fmt::format("The renewal received on {} (before {}) extends the card that "
                              "expires {} up to 540 days, to {}, or the decision if earlier (8 "
                              "CFR 274a.13(d), as USCIS announced; check uscis.gov).{}",
                              d(r->received), d(no_extension_from), d(x), d(until), aside),
                  "Show the expired card with the I-797C receipt notice (Form I-9, list A)."};
            },
            k_src_i765, until);
      } else {
        lapsed(add_days(until, 1),
               fmt::format("The automatic extension of up to 540 days ended on {}.", d(until)));
      }
      return;
    }
    const Date urgent = add_days(x, -t::k_ead_no_extension_urgent_days);
    if (!f.reached(urgent)) {
      f.add(
          k_rule, Severity::info, r->received, "pending",
          [&] {
            return Texts{
                fmt::format("Renewal pending: the work permit{} still ends on {}", printed, d(x)),
                fmt::format("The renewal received on {} does not extend the current card{}: "
                            "work authorization ends on {} unless USCIS approves first.{}",
                            d(r->received),
                            r->received >= no_extension_from
                                ? fmt::format(" (received on or after {}, 90 FR 48799)",
                                              d(no_extension_from))
                                : std::string(" (its category had no automatic extension)"),
                            d(x), aside),
                "casewatch says when it becomes urgent (30 days before the expiry)."};
          },
          k_src_ead_rule, x);
    } else if (f.within(x)) {
      f.add(
          k_rule, Severity::urgent, urgent, "closing",
          [&] {
            return Texts{
                fmt::format("Work authorization ends on {} unless USCIS approves first", d(x)),
                fmt::format("The renewal received on {} is pending and does not extend "
                            "the card{} (90 FR 48799).{}",
                            d(r->received), printed, aside),
                "If losing the job would cause severe financial loss, you may ask for "
                "an expedite (casewatch event CASE expedite once asked); tell your "
                "employer the date."};
          },
          k_src_ead_rule, x);
    } else {
      lapsed(lapse, fmt::format("The renewal received on {} is still pending and extends nothing "
                                "(90 FR 48799).",
                                d(r->received)));
    }
    return;
  }
  const Date from = add_days(x, -t::k_ead_renew_from_days);
  const Date action = add_days(x, -t::k_ead_action_days);
  const Date urgent = add_days(x, -t::k_ead_urgent_days);
  f.calendar(k_rule, from, "A work permit renewal (Form I-765) may be filed from today");
  f.calendar(k_rule, x, "The work permit expires");
  auto file_texts = [&](std::string title) {
    return Texts{std::move(title),
                 fmt::format("The work permit{} expires on {}; a renewal may be filed up to 180 "
                             "days before, from {}. A renewal received on or after {} does not "
                             "extend the card (90 FR 48799): file early.{}",
                             printed, d(x), d(from), d(no_extension_from), aside),
                 fmt::format("File Form I-765 as https://www.uscis.gov/i-765 says; then record "
                             "it: {}",
                             f.record_filing("I-765"))};
  };
  if (!f.reached(from)) {
    return;
  } else if (!f.reached(action)) {
    f.add(
        k_rule, Severity::info, from, "open",
        [&] {
          return file_texts(
              fmt::format("You may file the work permit renewal (up to 180 days before {})", d(x)));
        },
        k_src_i765, x);
  } else if (!f.reached(urgent)) {
    f.add(
        k_rule, Severity::action, action, "due",
        [&] {
          return file_texts(fmt::format("File the work permit renewal: it expires {}", d(x)));
        },
        k_src_i765, x);
  } else if (f.within(x)) {
    f.add(
        k_rule, Severity::urgent, urgent, "closing",
        [&] {
          return file_texts(fmt::format("File the work permit renewal now: it expires {}", d(x)));
        },
        k_src_i765, x);
  } else {
    lapsed(lapse, "No renewal is recorded.");
  }
}

}  // namespace casewatch::rules_detail
