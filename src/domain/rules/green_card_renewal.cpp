// SPDX-License-Identifier: MIT
// The rule `green-card-renewal` (docs/rules.md): renewing a 10-year green card on Form I-90.
// Sources: 8 CFR 264.5(b)(2) (renewal of an expiring card); https://www.uscis.gov/i-90 (file
// within 6 months of expiry). The 36-month extension by the I-90 receipt notice: as USCIS
// announced (2024); check uscis.gov. A conditional card is never renewed on I-90
// (i751-window).
#include "documents.hpp"

namespace casewatch::rules_detail {
namespace {
constexpr std::string_view k_rule = "green-card-renewal";
constexpr std::string_view k_status_stays =
    " Permanent residence does not end when the card expires; the card is the evidence of it.";
}  // namespace

void rule_green_card_renewal(DocFacts& f) {
  const Document& doc = f.d;
  if (!doc.expires) {
    return;
  }
  const Date x = *doc.expires;
  auto r = f.renewal(renewing_forms(doc.kind), doc.since ? *doc.since : add_months(x, -120));
  if (r && r->status == Status::approved) {
    return;
  }
  if (r) {
    Date until = add_months(x, t::k_i90_receipt_extension_months);
    if (!stamp_before_extension_ends(f, k_rule, *r, until, t::k_i90_receipt_extension_months,
                                     k_status_stays, k_src_i90)) {
      f.add(
          k_rule, Severity::info, r->received, "extended",
          [&] {
            return Texts{
                fmt::format("Green card extended until {} by the I-90 receipt", d(until)),
                fmt::format("The I-90 was received on {}: the receipt notice with your card is "
                            "evidence of status until {}, 36 months past {} (as USCIS "
                            "announced; check uscis.gov).{}",
                            d(r->received), d(until), d(x), k_status_stays),
                "Carry the card and the receipt notice together."};
          },
          k_src_i90, until);
    }
    return;
  }
  // Six months before the expiry, on the safe side (an end of month that the earlier month
  // lacks moves to the next day).
  const Date from = filing_months(x, -t::k_green_card_renew_months);
  f.calendar(k_rule, from, "Form I-90 (green card renewal) may be filed from today");
  f.calendar(k_rule, x, "The green card expires");
  if (!f.reached(from)) {
    return;
  }
  const bool expired = !f.within(x);
  f.add(
      k_rule, Severity::info, expired ? add_days(x, 1) : from, expired ? "expired" : "open",
      [&] {
        return Texts{expired
                         ? fmt::format("The green card expired on {}: renew it on Form I-90", d(x))
                         : fmt::format("You may file Form I-90: the green card expires {}", d(x)),
                     fmt::format("A 10-year card may be renewed within 6 months of its expiry "
                                 "({} onward).{}",
                                 d(from), k_status_stays),
                     fmt::format("File Form I-90 as https://www.uscis.gov/i-90 says; then "
                                 "record it: {}",
                                 f.record_filing("I-90"))};
      },
      k_src_i90, expired ? std::nullopt : std::optional<Date>(x));
}

}  // namespace casewatch::rules_detail
