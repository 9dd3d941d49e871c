// SPDX-License-Identifier: MIT
// The rule `advance-parole` (docs/rules.md): be back before the advance parole document
// expires. Sources: 8 CFR 212.5(f), 223.2; https://www.uscis.gov/i-131 (advance parole is
// not extended, only replaced by a new I-131).
#include "documents.hpp"

namespace casewatch::rules_detail {
namespace {
constexpr std::string_view k_rule = "advance-parole";
}

void rule_advance_parole(DocFacts& f) {
  const Document& doc = f.d;
  if (!doc.expires) {
    return;
  }
  const Date v = *doc.expires;
  f.calendar(k_rule, add_days(v, -t::k_parole_action_days),
             "Advance parole: 30 days left to be back in the United States");
  f.calendar(k_rule, v, "Advance parole expires: be back in the United States");
  auto texts = [&](std::string title) {
    return Texts{std::move(title),
                 fmt::format("The advance parole document is valid until {}; advance parole is "
                             "not extended, only replaced by a new I-131.",
                             d(v)),
                 fmt::format("Be back in the United States before {}; for later travel, file a "
                             "new Form I-131 and do not leave before it is approved.",
                             d(v))};
  };
  const Date info = add_days(v, -t::k_parole_info_days);
  const Date action = add_days(v, -t::k_parole_action_days);
  const Date urgent = add_days(v, -t::k_parole_urgent_days);
  if (!f.reached(info)) {
    return;
  }
  if (f.within(v)) {
    if (!f.reached(action)) {
      f.add(
          k_rule, Severity::info, info, "expiring",
          [&] { return texts(fmt::format("Advance parole expires on {}", d(v))); }, k_src_i131, v);
    } else if (!f.reached(urgent)) {
      f.add(
          k_rule, Severity::action, action, "due",
          [&] {
            return texts(fmt::format("Advance parole expires on {}: plan your return", d(v)));
          },
          k_src_i131, v);
    } else {
      f.add(
          k_rule, Severity::urgent, urgent, "closing",
          [&] { return texts(fmt::format("Be back in the United States before {}", d(v))); },
          k_src_i131, v);
    }
    return;
  }
  // Expired: only a holder still abroad (a trip under way that began on or before V) hears of
  // it.
  for (const Trip& trip : f.trips) {
    if (trip.left > f.as_of && trip.left <= v) {
      f.wake_at(trip.left);
    }
    bool abroad =
        trip.left <= v && trip.left <= f.as_of && (!trip.returned || *trip.returned > f.as_of);
    if (trip.returned && *trip.returned > f.as_of) {
      f.wake_at(*trip.returned);
    }
    if (abroad) {
      f.add(
          k_rule, Severity::urgent, add_days(v, 1), "expired-abroad",
          [&] {
            return Texts{fmt::format("Advance parole expired on {} while you are abroad", d(v)),
                         "Returning without a valid advance parole may be refused, and a pending "
                         "I-485 may be taken as abandoned (8 CFR 245.2(a)(4)(ii)).",
                         "Consult an attorney now; a U.S. consulate may help with a boarding "
                         "foil or parole."};
          },
          k_src_i131);
      return;
    }
  }
}

}  // namespace casewatch::rules_detail
