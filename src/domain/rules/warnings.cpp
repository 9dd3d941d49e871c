// SPDX-License-Identifier: MIT
// One-line warnings about a pending case (docs/rules.md): travel while advance parole is
// pending (ap-travel), a work permit renewal without an automatic extension (ead-gap).
#include <fmt/format.h>

#include <array>

#include "facts.hpp"

namespace casewatch::rules_detail {

inline constexpr std::string_view k_src_abandon_ap =
    "https://www.ecfr.gov/current/title-8/section-223.2";
inline constexpr std::string_view k_src_ead_ifr =
    "https://www.federalregister.gov/citation/90-FR-48799";

void rule_ap_travel(Facts& f) {
  if (!f.pending() || f.c.form != "I-131" || f.c.category != "141B-OTH") {
    return;
  }
  std::optional<Date> since = f.c.received ? f.c.received : f.c.sent;
  if (!since) {
    return;
  }
  f.add(
      "ap-travel", Severity::info, *since, "open",
      [&] {
        return Texts{
            "Do not leave the United States before the advance parole is approved",
            "Leaving abandons the I-131 (8 CFR 223.2(d)), and a pending I-485 too unless you "
            "hold H-1B, L-1, K-3/K-4 or V status and return in it (8 CFR 245.2(a)(4)(ii)).",
            fmt::format("In an emergency, the USCIS Contact Center ({}) can arrange an emergency "
                        "appointment for advance parole. Consult an attorney before any travel.",
                        k_contact_center)};
      },
      k_src_abandon_ap);
}

void rule_ead_gap(Facts& f) {
  // The categories that had the automatic extension of a renewal (docs/rules.md `ead-gap`).
  constexpr std::array<std::string_view, 7> k_extended = {
      "147-A3", "147-A5", "147-C8", "147-C9", "147-C10", "147-C26", "147-539C26"};
  if (!f.pending() || f.c.form != "I-765" || !f.c.category || !f.c.received ||
      std::find(k_extended.begin(), k_extended.end(), *f.c.category) == k_extended.end()) {
    return;
  }
  Date from =
      make_date(t::k_ead_no_extension_year, t::k_ead_no_extension_month, t::k_ead_no_extension_day);
  if (*f.c.received < from) {
    return;
  }
  f.add(
      "ead-gap", Severity::info, *f.c.received, "open",
      [&] {
        return Texts{
            "If this renews a work permit: no automatic extension of your current card",
            fmt::format("A renewal filed on or after {} does not automatically extend your "
                        "current card (90 FR 48799): work authorization ends on the card's expiry "
                        "date unless USCIS decides first. This I-765 was received on {}.",
                        d(from), d(*f.c.received)),
            "Record the card you hold with its expiry, so that casewatch counts down to it "
            "(ead-renewal): casewatch doc add ead --category CATEGORY --expires DATE --holder "
            "NAME, and give this case the same --holder. If losing work would cause severe "
            "financial loss, you may ask USCIS for an expedite."};
      },
      k_src_ead_ifr);
}

}  // namespace casewatch::rules_detail
