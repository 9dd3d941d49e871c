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
  const std::string abandons =
      "Leaving abandons the I-131 (8 CFR 223.2(d)), and a pending I-485 too unless you hold "
      "H-1B, L-1, K-3/K-4 or V status and return in it (8 CFR 245.2(a)(4)(ii)).";
  const std::string emergency = fmt::format(
      "In an emergency, the USCIS Contact Center ({}) can arrange an emergency appointment for "
      "advance parole.",
      k_contact_center);
  // A trip of the holder that leaves while the I-131 is pending (on or after its receipt,
  // before a decision dated on or before the day it leaves): urgent, one per trip. The
  // status on a trip's day reads every event dated by then, those after as_of too.
  std::vector<Event> all = f.events;
  all.insert(all.end(), f.scheduled.begin(), f.scheduled.end());
  bool any_trip = false;
  for (const Trip& trip : f.holdings.trips) {
    if (trip.holder != f.c.holder || trip.left < *since ||
        effective_status(f.c, all, trip.left) != Status::pending) {
      continue;
    }
    any_trip = true;
    f.add(
        "ap-travel", Severity::urgent, *since, fmt::format("trip-{}", d(trip.left)),
        [&] {
          bool gone = trip.left <= f.as_of;
          std::string back = trip.returned ? fmt::format(", back {}", d(*trip.returned)) : "";
          return Texts{
              gone
                  ? fmt::format("You left on {} while the advance parole was pending", d(trip.left))
                  : fmt::format("Your trip leaves on {}, before the advance parole is approved",
                                d(trip.left)),
              fmt::format("The trip of {}{} starts while this I-131 (received {}) is pending. {}",
                          d(trip.left), back, d(*since), abandons),
              fmt::format("Consult an attorney {}; you may wait for the approval before "
                          "leaving. {}",
                          gone ? "now" : "before the trip", emergency)};
        },
        k_src_abandon_ap);
  }
  if (any_trip) {
    return;
  }
  f.add(
      "ap-travel", Severity::info, *since, "open",
      [&] {
        return Texts{"Do not leave the United States before the advance parole is approved",
                     abandons, emergency + " Consult an attorney before any travel."};
      },
      k_src_abandon_ap);
}

namespace {

// What ead-gap asks for: the card held as an ead document with its expiry, unless it is
// recorded (then its expiry and the ead-renewal finding that counts down to it).
std::string held_card_how(const Facts& f) {
  constexpr std::string_view k_expedite =
      " If losing work would cause severe financial loss, you may ask USCIS for an expedite.";
  const Document* card = nullptr;
  for (const Document& doc : f.holdings.documents) {
    if (doc.kind != DocumentKind::ead) {
      continue;
    }
    bool renewed = doc.renewed_by && *doc.renewed_by == f.c.id;
    bool card_renewed = card != nullptr && card->renewed_by && *card->renewed_by == f.c.id;
    if (card == nullptr || (renewed && !card_renewed) ||
        (renewed == card_renewed &&
         doc.expires.value_or(Date::min()) > card->expires.value_or(Date::min()))) {
      card = &doc;
    }
  }
  if (card == nullptr) {
    return fmt::format(
        "Record the card you hold with its expiry, so that casewatch counts down to it "
        "(ead-renewal): casewatch doc add ead --category CATEGORY --expires DATE --holder "
        "NAME, and give this case the same --holder.{}",
        k_expedite);
  }
  const std::string name = document_name(card->id);
  if (!card->expires) {
    return fmt::format(
        "Give the expiry printed on your card ({}) so that casewatch counts down to it "
        "(ead-renewal): casewatch doc edit {} --expires DATE.{}",
        name, name, k_expedite);
  }
  return fmt::format(
      "Your card ({}) expires {}: ead-renewal counts down to that day and says what to do "
      "before it (casewatch doc show {}).{}",
      name, d(*card->expires), name, k_expedite);
}

}  // namespace

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
            held_card_how(f)};
      },
      k_src_ead_ifr);
}

}  // namespace casewatch::rules_detail
