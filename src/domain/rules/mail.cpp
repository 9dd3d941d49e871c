// SPDX-License-Identifier: MIT
// Mail (docs/rules.md): the lockbox, a card or notice not delivered or returned.
#include <fmt/format.h>

#include "facts.hpp"

namespace casewatch::rules_detail {

void rule_lockbox(Facts& f) {
  if (!f.pending() || f.c.receipt || !f.c.sent) {
    return;
  }
  Date runs_out = add_business_days(*f.c.sent, t::k_lockbox_business_days, f.holidays);
  Date since = runs_out + days{1};
  if (!f.reached(since)) {
    f.next("lockbox", since, "ask the lockbox about your package", "if no receipt arrives", 0);
    return;
  }
  f.add(
      "lockbox", Severity::action, since, "open",
      [&] {
        return Texts{
            fmt::format("No receipt {} business days after filing: you may contact the lockbox",
                        t::k_lockbox_business_days),
            fmt::format("Sent on {}; {} business days ran out on {} and no receipt number is "
                        "recorded.",
                        d(*f.c.sent), t::k_lockbox_business_days, d(runs_out)),
            fmt::format(
                "Email lockboxsupport@uscis.dhs.gov with the form, the applicant's name, the "
                "mailing address, the delivery confirmation, the payment method and proof "
                "the payment was processed. Never include the A-number or Social Security "
                "number. When the receipt arrives: casewatch edit {} --receipt R --received D",
                f.name)};
      },
      k_src_lockbox);
}

// Each mailing is its own finding (docs/rules.md `non-delivery`): a `delivered` with a ref ends the
// mailing with that ref; without a ref it ends every mailing dated on or before it.
void rule_non_delivery(Facts& f) {
  if (f.out.status == Status::withdrawn || f.out.status == Status::closed) {
    return;  // nothing is evaluated for a withdrawn or closed case
  }
  for (const Event& mailed : f.events) {
    if (mailed.kind != EventKind::card_mailed && mailed.kind != EventKind::notice_mailed) {
      continue;
    }
    bool ended = std::any_of(f.events.begin(), f.events.end(), [&](const Event& x) {
      // USCIS has it back: the `returned` finding says what to do instead.
      bool returned =
          mailed.kind == EventKind::card_mailed
              ? x.kind == EventKind::card_returned || x.kind == EventKind::card_destroyed
              : x.kind == EventKind::notice_returned;
      if (returned) {
        return x.date >= mailed.date;
      }
      if (x.kind != EventKind::delivered) {
        return false;
      }
      return x.ref ? mailed.ref && *mailed.ref == *x.ref : x.date >= mailed.date;
    });
    if (ended) {
      continue;
    }
    bool card = mailed.kind == EventKind::card_mailed;
    std::string_view what = card ? "card" : "notice";
    // The stage tells apart two mailings of one kind on the same day.
    int same_day = 0;
    for (const Event& x : f.events) {
      if (&x == &mailed) {
        break;
      }
      same_day += x.kind == mailed.kind && x.date == mailed.date ? 1 : 0;
    }
    std::string stage =
        same_day == 0 ? std::string(what) : fmt::format("{}-{}", what, same_day + 1);
    // USCIS's own "if you do not receive it by D" (the event's due date) replaces + 30 days.
    Date since = mailed.due ? *mailed.due + days{1} : mailed.date + days{t::k_non_delivery_days};
    if (!f.reached(since)) {
      f.next("non-delivery", since, fmt::format("e-Request: {} not received", what),
             fmt::format("if the {} mailed on {} has not arrived", what, d(mailed.date)),
             mailed.id);
      continue;
    }
    f.add(
        "non-delivery", Severity::action, since, stage,
        [&] {
          std::string ref = mailed.ref ? fmt::format(" ({})", *mailed.ref) : "";
          return Texts{
              fmt::format("The {} USCIS mailed on {} has not arrived", what, d(mailed.date)),
              mailed.due ? fmt::format("USCIS mailed the {}{} on {} and said to contact it if it "
                                       "did not arrive by {}; no delivery is logged.",
                                       what, ref, d(mailed.date), d(*mailed.due))
                         : fmt::format("USCIS mailed the {}{} on {}; {} later no delivery is "
                                       "logged.",
                                       what, ref, d(mailed.date),
                                       plural_days(days_between(mailed.date, f.as_of))),
              fmt::format("Check USPS tracking and the address USCIS has on file, then file the "
                          "e-Request for a {} not received at {}. A returned card is destroyed "
                          "after about 60 business days. When it arrives: casewatch event {} "
                          "delivered{}",
                          what, k_src_e_request, f.name,
                          mailed.ref ? " --ref " + shell_word(*mailed.ref) : "")};
        },
        k_src_e_request);
  }
}

// A card or notice returned to USCIS (docs/rules.md `returned`): urgent until a later
// mailing or delivery; USCIS's destroy date (the event's due) is the deadline.
void rule_returned(Facts& f) {
  if (f.out.status == Status::withdrawn || f.out.status == Status::closed) {
    return;
  }
  for (const Event& r : f.events) {
    if (r.kind != EventKind::card_returned && r.kind != EventKind::notice_returned) {
      continue;
    }
    bool card = r.kind == EventKind::card_returned;
    bool resolved = std::any_of(f.events.begin(), f.events.end(), [&](const Event& x) {
      bool again = card ? x.kind == EventKind::card_mailed || x.kind == EventKind::delivered ||
                              x.kind == EventKind::card_destroyed
                        : x.kind == EventKind::notice_mailed || x.kind == EventKind::delivered;
      return again && x.id != r.id && (x.date > r.date || (x.date == r.date && x.id > r.id));
    });
    if (resolved) {
      continue;
    }
    std::string_view what = card ? "card" : "notice";
    f.add(
        "returned", Severity::urgent, r.date, std::string(what),
        [&] {
          return Texts{
              r.due
                  ? fmt::format("The Post Office returned your {} to USCIS: update your "
                                "address before {}",
                                what, d(*r.due))
                  : fmt::format("The Post Office returned your {} to USCIS on {}", what, d(r.date)),
              card ? fmt::format("USCIS says the {} came back on {}{}. USCIS destroys a returned "
                                 "card it cannot deliver; a destroyed card must be applied for "
                                 "again with a new form and fee.",
                                 what, d(r.date),
                                 r.due ? fmt::format(" and will be destroyed if no address "
                                                     "update arrives by {}",
                                                     d(*r.due))
                                       : std::string())
                   : fmt::format("USCIS says a notice for this case came back on {}; USCIS "
                                 "says this could have a serious effect on the case (a "
                                 "deadline you do not know of).",
                                 d(r.date)),
              fmt::format("Update your address now: Form AR-11 online at {} and ask USCIS to "
                          "update it on this case (e-Request or the Contact Center, {}){}. "
                          "Record what follows: casewatch event {} {}.",
                          k_src_ar11, k_contact_center,
                          card ? "" : "; request a copy of the notice through an e-Request", f.name,
                          card ? "card-mailed" : "notice-mailed")};
        },
        k_src_ar11, r.due);
  }
}

}  // namespace casewatch::rules_detail
