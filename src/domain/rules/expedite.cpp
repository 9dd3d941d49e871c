// SPDX-License-Identifier: MIT
// Expedite requests (docs/rules.md, "Expedite requests"): the checklist of each basis, the
// follow-up, the need-by date, an approved expedite with no decision, and a denial.
// Source: USCIS Policy Manual, vol. 1, part A, ch. 5
// (https://www.uscis.gov/policy-manual/volume-1-part-a-chapter-5) and
// https://www.uscis.gov/forms/filing-guidance/how-to-make-an-expedite-request.
#include "casewatch/domain/expedite.hpp"

#include <fmt/format.h>

#include "facts.hpp"

namespace casewatch {
namespace {

constexpr std::string_view k_src_expedite =
    "https://www.uscis.gov/policy-manual/volume-1-part-a-chapter-5";

struct BasisWords {
  std::string_view basis;
  std::string_view criteria;
  std::string_view evidence;
};

// The criteria of each basis, and the evidence that shows them.
constexpr std::array<BasisWords, 5> k_basis_words = {{
    {"financial",
     "severe financial loss to a company or a person, caused by the delay (a job, a home, a "
     "company's payroll); needing a work permit is not enough by itself, and the loss must not "
     "come from your own late filing or late RFE response",
     "proof of the loss: a letter from the employer with the date the job ends, bank "
     "statements, bills, a lease or mortgage notice"},
    {"humanitarian",
     "urgent humanitarian reasons: a serious illness, a disability, a death in the family, "
     "extreme living conditions; for a travel document (Form I-131), the need to travel",
     "a doctor's letter, a death certificate, or proof of the trip and why it cannot wait"},
    {"nonprofit",
     "a nonprofit organization designated by the IRS whose request furthers the cultural or "
     "social interests of the United States",
     "the IRS determination letter and a letter on the interest the case serves"},
    {"government",
     "a U.S. government agency (federal, state or local) asks, for the national interest or "
     "public safety; the request comes from the agency",
     "the agency's own request, sent by the agency"},
    {"error",
     "a clear USCIS error (a wrong notice or card, a lost file, a decision on the wrong facts)",
     "the notice with the error and proof of the correct facts"},
}};

const BasisWords* words_of(std::string_view basis) {
  for (const BasisWords& w : k_basis_words) {
    if (w.basis == basis) {
      return &w;
    }
  }
  return nullptr;
}

}  // namespace

bool premium_eligible(const Case& c) {
  if (c.form == "I-129" || c.form == "I-140" || c.form == "I-539") {
    return true;
  }
  return c.form == "I-765" && c.category &&
         (c.category->find("C3") != std::string::npos ||
          c.category->find("(c)(3)") != std::string::npos);
}

std::optional<ExpediteChecklist> expedite_checklist(const Case& c, std::span<const Event> events,
                                                    Date as_of, bool rfe_open) {
  std::vector<Event> timeline = events_as_of(events, as_of);
  const Event* request = nullptr;
  for (const Event& e : timeline) {
    if (e.kind == EventKind::expedite) {
      request = &e;
    }
  }
  if (request == nullptr) {
    return std::nullopt;
  }
  ExpediteChecklist out;
  out.request = *request;
  for (const Event& e : timeline) {
    bool later = e.date >= request->date && e.id > request->id;
    if (later && !out.outcome &&
        (e.kind == EventKind::expedite_approved || e.kind == EventKind::expedite_denied ||
         e.kind == EventKind::expedite_withdrawn)) {
      out.outcome = e;
    }
    if (e.kind == EventKind::evidence && e.for_seq == request->seq) {
      out.evidence.push_back(
          fmt::format("{}: {}", format_date(e.date), e.note.value_or("(no description)")));
    }
  }
  for (const std::string& b : request->basis) {
    if (const BasisWords* w = words_of(b)) {
      out.criteria.push_back(fmt::format("{}: {}", b, w->criteria));
    }
  }
  std::string name = display_name(c);
  if (request->basis.empty()) {
    out.missing.push_back(
        "the basis: USCIS decides on the criteria of a basis (financial, humanitarian, "
        "nonprofit, government, error); record the request with --basis");
  }
  if (out.evidence.empty()) {
    std::vector<std::string> what;
    for (const std::string& b : request->basis) {
      if (const BasisWords* w = words_of(b)) {
        what.emplace_back(w->evidence);
      }
    }
    out.missing.push_back(fmt::format(
        "evidence{}; record each piece sent: casewatch event {} evidence --for {} --note "
        "\"what was sent\"",
        what.empty() ? std::string() : fmt::format(" ({})", fmt::join(what, "; ")), name,
        request->seq));
  }
  if (!request->ref) {
    out.missing.push_back(fmt::format(
        "the reference USCIS gave for the request (for the follow-up): casewatch event edit {} "
        "{} --ref REF",
        name, request->seq));
  }
  if (premium_eligible(c) && std::find(request->basis.begin(), request->basis.end(), "nonprofit") ==
                                 request->basis.end()) {
    out.flags.push_back(fmt::format(
        "{} is a form{} premium processing can speed up: USCIS generally does not expedite what "
        "premium processing can buy (Form I-907)",
        c.form, c.form == "I-539" ? " (F, M or J) that" : " that"));
  }
  if (rfe_open) {
    out.flags.push_back(
        "an RFE or NOID waits for your answer: answer it first; USCIS decides nothing before");
  }
  return out;
}

namespace rules_detail {

// The latest expedite and its checklist, for the rules below.
std::optional<ExpediteChecklist> checklist_of(const Facts& f) {
  return expedite_checklist(f.c, f.events, f.as_of, f.waiting != nullptr);
}

void rule_expedite(Facts& f) {
  if (!f.pending()) {
    return;
  }
  auto list = checklist_of(f);
  if (!list) {
    return;
  }
  const Event& x = list->request;
  const std::optional<Event>& outcome = list->outcome;
  std::string ref = x.ref ? fmt::format(" (reference {})", *x.ref) : "";
  if (outcome && outcome->kind == EventKind::expedite_denied) {
    f.add(
        "expedite-basis", Severity::info, outcome->date, "denied",
        [&] {
          return Texts{
              "USCIS denied the expedite request",
              fmt::format("The expedite request of {}{} was denied on {}.", d(x.date), ref,
                          d(outcome->date)),
              "The CIS Ombudsman does not review expedite denials. You may ask again with new "
              "evidence; the delay steps go on unchanged."};
        },
        k_src_expedite);
    return;
  }
  if (outcome && outcome->kind == EventKind::expedite_withdrawn) {
    return;
  }
  if (outcome && outcome->kind == EventKind::expedite_approved) {
    Date since = add_months(outcome->date, t::k_expedite_stalled_months) + days{1};
    if (!f.reached(since)) {
      f.next("expedite-approved-stalled", since, "ask why the expedited case is not decided",
             "if no decision comes", outcome->id);
      return;
    }
    f.add(
        "expedite-approved-stalled", Severity::action, since, "open",
        [&] {
          return Texts{
              "The expedite was approved but the case is not decided",
              fmt::format("USCIS approved the expedite on {}; {} months later no decision is "
                          "recorded.",
                          d(outcome->date), t::k_expedite_stalled_months),
              fmt::format("Call the Contact Center ({}) and ask for Tier 2, citing the approved "
                          "expedite{}; you may also ask your member of Congress. Record the "
                          "call: casewatch event {} call",
                          k_contact_center, ref, f.name)};
        },
        k_src_expedite);
    return;
  }
  // Open: the checklist, the follow-up, the need-by date.
  Severity basis_severity = Severity::info;
  f.add(
      "expedite-basis", basis_severity, x.date, "open",
      [&] {
        std::string criteria = list->criteria.empty()
                                   ? "no basis recorded"
                                   : fmt::format("{}", fmt::join(list->criteria, "; "));
        std::string evidence = list->evidence.empty()
                                   ? "none logged"
                                   : fmt::format("{}", fmt::join(list->evidence, "; "));
        std::string missing =
            list->missing.empty() ? "nothing" : fmt::format("{}", fmt::join(list->missing, "; "));
        std::string flags =
            list->flags.empty() ? "" : fmt::format(" Note: {}.", fmt::join(list->flags, "; "));
        return Texts{
            fmt::format("Expedite request of {}: check it meets the criteria", d(x.date)),
            fmt::format("Criteria: {}. Evidence logged: {}.{}", criteria, evidence, flags),
            fmt::format("Missing: {}. USCIS decides expedites case by case (casewatch suggest "
                        "{} prints the checklist).",
                        missing, f.name)};
      },
      k_src_expedite);
  if (const Event* answer = f.answer_to(x)) {
    (void)answer;  // USCIS acted on the case: no follow-up for silence
  } else {
    Date runs_out = add_business_days(x.date, t::k_expedite_followup_business_days, f.holidays);
    Date since = runs_out + days{1};
    if (!f.reached(since)) {
      f.next("expedite-followup", since, "follow up on the expedite request (ask for Tier 2)",
             "if USCIS has not answered", x.id);
    } else {
      f.add(
          "expedite-followup", Severity::action, since, "open",
          [&] {
            return Texts{
                "No answer to the expedite request: follow up",
                fmt::format("Expedite asked on {}{}; {} business days ran out on {} with no "
                            "outcome and no USCIS action recorded. USCIS publishes no time for "
                            "expedites: 15 business days is its general goal for a service "
                            "request.",
                            d(x.date), ref, t::k_expedite_followup_business_days, d(runs_out)),
                fmt::format("Call the Contact Center ({}) and ask for Tier 2, citing the "
                            "reference. Record the call: casewatch event {} call; the outcome: "
                            "casewatch event {} expedite-approved (or expedite-denied)",
                            k_contact_center, f.name, f.name)};
          },
          k_src_expedite);
    }
  }
  if (x.need_by) {
    Date since = *x.need_by - days{t::k_expedite_needby_days};
    if (!f.within(*x.need_by)) {
      return;
    }
    if (!f.reached(since)) {
      f.next("expedite-needby", since, "the need-by date is two weeks away",
             fmt::format("if the expedite is not decided by {}", d(*x.need_by)), x.id);
      return;
    }
    f.add(
        "expedite-needby", Severity::urgent, since, "open",
        [&] {
          return Texts{
              fmt::format("Needed by {}: the expedite is not decided", d(*x.need_by)),
              fmt::format("The expedite of {} says the benefit is needed by {}, {} from today.",
                          d(x.date), d(*x.need_by), plural_days(days_between(f.as_of, *x.need_by))),
              "Consider an emergency appointment at a field office for travel (call the "
              "Contact Center), a congressional caseworker (casewatch event " +
                  f.name + " congress), or an attorney."};
        },
        k_src_expedite);
    f.mark_last(*x.need_by);
  }
}

}  // namespace rules_detail
}  // namespace casewatch
