// SPDX-License-Identifier: MIT
// evaluate_document() (docs/rules.md, "Document windows"): the facts of one document worked
// out once, then each rule of its kind, then the findings and calendar dates sorted.
#include "documents.hpp"

#include <algorithm>
#include <array>
#include <tuple>

#include "casewatch/util/text.hpp"

namespace casewatch {
namespace {

bool same_holder(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  return a && b && *a == *b;
}

}  // namespace

namespace rules_detail {

Date filing_months(Date d, int months) {
  Date out = add_months(d, months);
  if (date::year_month_day(out).day() != date::year_month_day(d).day()) {
    return add_days(out, 1);  // February 29's anniversary: March 1
  }
  return out;
}

std::optional<Renewal> DocFacts::renewal(std::span<const std::string_view> forms, Date after) {
  std::optional<Renewal> best;
  bool best_linked = false;
  for (const HolderCase& hc : cases) {
    const Case& c = *hc.c;
    if (std::find(forms.begin(), forms.end(), c.form) == forms.end() || !c.received) {
      continue;
    }
    bool linked = d.renewed_by && *d.renewed_by == c.id;
    if (!linked && (!same_holder(c.holder, d.holder) || *c.received <= after)) {
      continue;
    }
    if (!reached(*c.received)) {
      continue;  // received after as_of: it counts from its received date
    }
    // A decision dated after as_of changes what the rules say on its date.
    for (const Event& e : hc.events) {
      if (e.date > as_of) {
        wake_at(e.date);
      }
    }
    Status s = effective_status(c, hc.events, as_of);
    if (s == Status::withdrawn || s == Status::denied || s == Status::closed) {
      continue;  // it renews nothing
    }
    if (!best || (linked && !best_linked) ||
        (linked == best_linked && *c.received > best->received)) {
      best = Renewal{&c, *c.received, s};
      best_linked = linked;
    }
  }
  return best;
}

std::string DocFacts::holder_option() const {
  return "--holder " + (d.holder ? text::shell_word(*d.holder) : std::string("LABEL"));
}

std::string DocFacts::record_filing(std::string_view form) const {
  return fmt::format("casewatch add RECEIPT --form {} --received DATE {}", form, holder_option());
}

const Case* DocFacts::holder_case(std::string_view form) const {
  const Case* found = nullptr;
  for (const HolderCase& hc : cases) {
    if (hc.c->form == form &&
        (same_holder(hc.c->holder, d.holder) || (d.renewed_by && *d.renewed_by == hc.c->id))) {
      if (found == nullptr || hc.c->id > found->id) {
        found = hc.c;
      }
    }
  }
  return found;
}

bool stamp_before_extension_ends(DocFacts& f, std::string_view rule, const Renewal& r, Date until,
                                 int months, std::string_view extra, std::string_view source) {
  Date stamp = add_days(until, -t::k_stamp_before_days);
  if (!f.reached(stamp)) {
    return false;
  }
  const std::string& form = r.c->form;
  f.add(
      rule, Severity::action, stamp, "stamp",
      [&] {
        return Texts{
            fmt::format("Ask for an I-551 stamp: the {} receipt's extension ends {}", form,
                        d(until)),
            fmt::format("Your {} received on {} is still pending; the card with its receipt "
                        "notice is evidence of status until {} ({} months past the card's "
                        "expiry, as USCIS announced; check uscis.gov).{}",
                        form, d(r.received), d(until), months, extra),
            fmt::format("Call the USCIS Contact Center ({}) for an appointment at a field "
                        "office for an I-551 stamp (ADIT) before {}.",
                        k_contact_center, d(until))};
      },
      source, until);
  return true;
}

}  // namespace rules_detail

using namespace rules_detail;

std::span<const std::string_view> document_rule_ids() {
  // Six ids of rule_ids() (the one list), from i751-window on.
  auto all = rule_ids();
  auto first = std::find(all.begin(), all.end(), "i751-window");
  return all.subspan(static_cast<std::size_t>(first - all.begin()), 6);
}

Evaluation evaluate_document(const Document& d, std::span<const HolderCase> cases,
                             std::span<const Trip> trips, Date as_of, Detail detail) {
  Evaluation ev;
  ev.as_of = as_of;
  std::vector<HolderCase> mine;
  for (const HolderCase& hc : cases) {
    if (same_holder(hc.c->holder, d.holder) || (d.renewed_by && *d.renewed_by == hc.c->id)) {
      mine.push_back(hc);
    }
  }
  std::vector<Trip> theirs;
  for (const Trip& t : trips) {
    if (d.holder && t.holder == *d.holder) {
      theirs.push_back(t);
    }
  }
  std::sort(theirs.begin(), theirs.end(), [](const Trip& a, const Trip& b) {
    return std::tie(a.left, a.id) < std::tie(b.left, b.id);
  });
  DocFacts f{{as_of, ev}, d, mine, theirs, detail};
  if (detail == Detail::inquiry) {
    return ev;
  }
  switch (d.kind) {
    case DocumentKind::conditional_green_card:
      rule_i751_window(f);
      break;
    case DocumentKind::green_card:
      rule_n400_early(f);
      rule_green_card_renewal(f);
      break;
    case DocumentKind::ead:
      rule_ead_renewal(f);
      break;
    case DocumentKind::daca:
      rule_daca_renewal(f);
      break;
    case DocumentKind::advance_parole:
      rule_advance_parole(f);
      break;
    case DocumentKind::visa:
    case DocumentKind::i94:
      break;
  }
  auto rank = [](Severity s) { return -static_cast<int>(s); };
  std::stable_sort(ev.findings.begin(), ev.findings.end(), [&](const auto& a, const auto& b) {
    return std::tuple(rank(a.severity), a.since, a.rule) <
           std::tuple(rank(b.severity), b.since, b.rule);
  });
  std::stable_sort(ev.next.begin(), ev.next.end(), [](const auto& a, const auto& b) {
    return std::tie(*a.on, a.rule) < std::tie(*b.on, b.rule);
  });
  return ev;
}

}  // namespace casewatch
