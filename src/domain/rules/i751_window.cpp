// SPDX-License-Identifier: MIT
// The rule `i751-window` (docs/rules.md): the 90 days before the second anniversary of
// conditional residence, when Form I-751 (or I-829) must be filed.
// Sources: INA 216(c)-(d) and 216A(c)-(d); 8 CFR 216.4(a) (the 90-day window, the end of
// conditional residence on the anniversary, a late petition with good cause), 216.5 (a
// waiver, any time), 216.6(a); https://www.uscis.gov/i-751. The 48-month extension of the
// card by the receipt notice: as USCIS announced (2023); check uscis.gov.
#include "documents.hpp"

namespace casewatch::rules_detail {
namespace {
constexpr std::string_view k_rule = "i751-window";
}

void rule_i751_window(DocFacts& f) {
  const Document& doc = f.d;
  if (!doc.expires && !doc.since) {
    return;
  }
  // The anniversary: the card's expiry, else since + 2 years (February 29 -> February 28, a
  // deadline); the window opens 90 days before it (March 1 - 90: an earliest filing date).
  Date a = doc.expires ? *doc.expires : add_months(*doc.since, t::k_conditional_months);
  Date a_filing = doc.expires ? *doc.expires : filing_months(*doc.since, t::k_conditional_months);
  Date opens = add_days(a_filing, -t::k_i751_window_days);
  Date urgent = add_days(a, -t::k_i751_urgent_days);
  Date after = doc.since ? *doc.since : add_months(a, -t::k_conditional_months);
  auto r = f.renewal(renewing_forms(doc.kind), after);
  const std::string form = r ? r->c->form : "I-751";
  constexpr std::string_view k_waiver =
      " A petition with a waiver of the joint filing (divorce, abuse, extreme hardship) may be "
      "filed at any time, before or after the window (8 CFR 216.5).";
  if (r && r->status == Status::approved) {
    return;  // the 10-year card comes next: a document of its own
  }
  if (r) {
    Date until = add_months(a, t::k_i751_receipt_extension_months);
    if (!stamp_before_extension_ends(f, k_rule, *r, until, t::k_i751_receipt_extension_months, "",
                                     k_src_i751)) {
      f.add(
          k_rule, Severity::info, r->received, "extended",
          [&] {
            return Texts{
                fmt::format("Conditional residence extended until {} by the {} receipt", d(until),
                            form),
                fmt::format("Your {} was received on {}: your card with the I-797 receipt notice "
                            "is evidence of status until {}, 48 months past {} (as USCIS "
                            "announced; check uscis.gov).",
                            form, d(r->received), d(until), d(a)),
                "Carry the card and the receipt notice together when you travel or start a job; "
                "casewatch says when to ask for a stamp."};
          },
          k_src_i751, until);
    }
    return;
  }
  f.calendar(k_rule, opens, "The Form I-751 window opens (conditional green card)");
  f.calendar(k_rule, a, "Last day to file Form I-751: conditional residence ends after it");
  if (!f.reached(opens)) {
    f.add(
        k_rule, Severity::info, f.pre_window(), "before",
        [&] {
          return Texts{fmt::format("You may file Form I-751 from {}", d(opens)),
                       fmt::format("Conditional residence ends on its second anniversary, {}; the "
                                   "joint petition (Form I-751, or I-829 for an investor) may be "
                                   "filed in the 90 days before it, from {} (8 CFR 216.4(a)).{}",
                                   d(a), d(opens), k_waiver),
                       "Gather evidence of the marriage (joint lease or deed, accounts, "
                       "insurance, children's birth certificates) for the petition."};
        },
        k_src_i751);
  } else if (!f.reached(urgent)) {
    f.add(
        k_rule, Severity::action, opens, "open",
        [&] {
          return Texts{fmt::format("File Form I-751: the 90-day window is open until {}", d(a)),
                       fmt::format("Conditional residence ends on {} unless Form I-751 is filed "
                                   "by then (8 CFR 216.4(a)); the window opened on {}.{}",
                                   d(a), d(opens), k_waiver),
                       fmt::format("File Form I-751 as https://www.uscis.gov/i-751 says; then "
                                   "record it: {}",
                                   f.record_filing("I-751"))};
        },
        k_src_i751, a);
  } else if (f.within(a)) {
    f.add(
        k_rule, Severity::urgent, urgent, "closing",
        [&] {
          return Texts{fmt::format("File Form I-751 now: conditional residence ends on {}", d(a)),
                       fmt::format("{} days left in the 90-day window; after {} conditional "
                                   "residence ends (8 CFR 216.4(a)(6)).{}",
                                   days_between(f.as_of, a) + 1, d(a), k_waiver),
                       fmt::format("File Form I-751 as https://www.uscis.gov/i-751 says; then "
                                   "record it: {}",
                                   f.record_filing("I-751"))};
        },
        k_src_i751, a);
  } else {
    f.add(
        k_rule, Severity::urgent, add_days(a, 1), "late",
        [&] {
          return Texts{"Conditional residence ended: no Form I-751 recorded",
                       fmt::format("Conditional residence ended on {}, 8 CFR 216.4(a)(6); a late "
                                   "petition must show good cause for the delay.{}",
                                   d(a), k_waiver),
                       fmt::format("Consult an attorney now; if you filed Form I-751, record "
                                   "it: {}",
                                   f.record_filing("I-751"))};
        },
        k_src_216);
  }
}

}  // namespace casewatch::rules_detail
