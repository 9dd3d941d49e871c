// SPDX-License-Identifier: MIT
// The rule `daca-renewal` (docs/rules.md): when to renew DACA (Form I-821D with an I-765).
// Sources: 8 CFR 236.21-236.23, https://www.ecfr.gov/current/title-8/section-236.23 ;
// https://www.uscis.gov/daca (USCIS asks for renewals 150 to 120 days before expiry). DACA
// and its work permit are never extended automatically.
#include "documents.hpp"

namespace casewatch::rules_detail {
namespace {
constexpr std::string_view k_rule = "daca-renewal";
}

void rule_daca_renewal(DocFacts& f) {
  const Document& doc = f.d;
  if (!doc.expires) {
    return;
  }
  const Date x = *doc.expires;
  const Date from = add_days(x, -t::k_daca_info_days);
  const Date action = add_days(x, -t::k_daca_action_days);
  const Date urgent = add_days(x, -t::k_daca_urgent_days);
  auto r = f.renewal(renewing_forms(doc.kind), doc.since ? *doc.since : add_months(x, -24));
  if (r && r->status == Status::approved) {
    return;
  }
  if (!r) {
    f.calendar(k_rule, from, "USCIS asks for the DACA renewal from today (150 days before expiry)");
    f.calendar(k_rule, action, "File the DACA renewal by today (120 days before expiry)");
  }
  f.calendar(k_rule, x, "DACA expires");
  auto why = [&] {
    return fmt::format(
        "DACA expires on {}; USCIS asks for renewals between 150 and 120 days "
        "before expiry ({} to {}). DACA is never extended automatically.",
        d(x), d(from), d(action));
  };
  auto how = [&] {
    return fmt::format(
        "File Forms I-821D and I-765 (with I-765WS) as https://www.uscis.gov/daca says; then "
        "record it: {}",
        f.record_filing("I-821D"));
  };
  if (!f.within(x)) {
    f.add(
        k_rule, Severity::urgent, add_days(x, 1), "lapsed",
        [&] {
          return Texts{
              fmt::format("DACA expired on {}", d(x)),
              fmt::format("Deferred action and its work permit ended on {}{}.", d(x),
                          r ? fmt::format("; the renewal received on {} is pending", d(r->received))
                            : std::string()),
              "Consult an attorney; stop work on the expired card."};
        },
        k_src_daca_renew);
    return;
  }
  if (r) {
    f.add(
        k_rule, Severity::info, r->received, "pending",
        [&] {
          return Texts{fmt::format("DACA renewal pending; DACA still ends on {}", d(x)),
                       fmt::format("The I-821D received on {} does not extend DACA: if USCIS has "
                                   "not decided by {}, deferred action and work authorization "
                                   "lapse.",
                                   d(r->received), d(x)),
                       "If the decision is late, you may ask USCIS about the case (casewatch "
                       "suggest)."};
        },
        k_src_daca_renew, x);
    return;
  }
  if (!f.reached(from)) {
    return;
  }
  if (!f.reached(action)) {
    f.add(
        k_rule, Severity::info, from, "open",
        [&] {
          return Texts{"You may file the DACA renewal now", why(), how()};
        },
        k_src_daca_renew, x);
  } else if (!f.reached(urgent)) {
    f.add(
        k_rule, Severity::action, action, "due",
        [&] {
          return Texts{fmt::format("File the DACA renewal: DACA expires {}", d(x)), why(), how()};
        },
        k_src_daca_renew, x);
  } else {
    f.add(
        k_rule, Severity::urgent, urgent, "closing",
        [&] {
          return Texts{fmt::format("File the DACA renewal now: DACA expires {}", d(x)), why(),
                       how()};
        },
        k_src_daca_renew, x);
  }
}

}  // namespace casewatch::rules_detail
