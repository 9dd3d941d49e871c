// SPDX-License-Identifier: MIT
// The consular stage (docs/rules.md, "The consular stage"): after an approved petition on the
// consular path, the NVC, the one-year clocks of INA 203(g) and 22 CFR 42.81(e), the visa's
// validity (INA 221(c)), the Immigrant Fee and the first year after admission.
// Sources:
// https://travel.state.gov/content/travel/en/us-visas/immigrate/the-immigrant-visa-process.html;
// INA 203(g) (8 U.S.C. 1153(g)); INA 221(c) (8 U.S.C. 1201(c)); 22 CFR 42.81, 42.83; 9 FAM
// 504.13; 8 CFR 205.1(a)(1); 8 CFR 216.4.
#include <fmt/format.h>

#include <array>
#include <span>

#include "facts.hpp"

namespace casewatch::rules_detail {
namespace {

constexpr std::string_view k_src_iv_process =
    "https://travel.state.gov/content/travel/en/us-visas/immigrate/the-immigrant-visa-process.html";
constexpr std::string_view k_src_nvc_inquiry =
    "https://travel.state.gov/content/travel/en/us-visas/immigrate/nvc-contact-information.html";
constexpr std::string_view k_src_203g = "https://www.law.cornell.edu/uscode/text/8/1153";
constexpr std::string_view k_src_4281 = "https://www.ecfr.gov/current/title-22/section-42.81";
constexpr std::string_view k_src_221c = "https://www.law.cornell.edu/uscode/text/8/1201";
constexpr std::string_view k_src_immigrant_fee =
    "https://www.uscis.gov/forms/filing-fees/uscis-immigrant-fee";
constexpr std::string_view k_src_i751 = "https://www.uscis.gov/i-751";

constexpr std::array<std::string_view, 5> k_consular_forms = {"I-130", "I-140", "I-360", "I-526",
                                                              "I-526E"};

// A stage of a clock: from `from` on, `severity` and `stage`.
struct Stage {
  Date from;
  Severity severity;
  std::string_view stage;
  std::string_view step;  // the next step's title before `from`
};

// The last stage reached on as_of (stages ascending), or null; every stage not reached is a
// next step, anchored on `anchor` and named by its stage (the calendar has an event for each
// stage of the clock; the clock's last day is a deadline).
const Stage* stage_on(Facts& f, std::span<const Stage> stages, std::string_view rule,
                      std::int64_t anchor, const std::string& condition) {
  const Stage* out = nullptr;
  for (const Stage& s : stages) {
    if (f.reached(s.from)) {
      out = &s;
    } else if (!s.step.empty()) {
      f.next(std::string(rule), s.from, std::string(s.step), condition, anchor);
      f.out.next.back().stage = std::string(s.stage);
    }
  }
  return out;
}

// The visa class given on the entry, else on the visa.
std::optional<std::string> visa_class(const Facts& f) {
  if (const Event* e = f.latest({EventKind::entered}); e != nullptr && e->visa_class) {
    return e->visa_class;
  }
  if (const Event* v = f.latest({EventKind::visa_issued}); v != nullptr && v->visa_class) {
    return v->visa_class;
  }
  return std::nullopt;
}

// The path said: given, or assumed (docs/rules.md, "The consular stage").
std::string path_words(const Facts& f) {
  return f.c.path ? std::string()
                  : fmt::format(
                        " casewatch assumes the consular path (no --path given); if the "
                        "beneficiary adjusts status in the United States: casewatch edit "
                        "{} --path adjustment.",
                        f.name);
}

// The priority date is not current on the final action chart of a month (false when the
// month is not stored).
bool not_current_in(const BulletinTable& bulletin, const Case& c, Month m) {
  if (!bulletin.has_month(m)) {
    return false;
  }
  ChartVerdict fa =
      chart_verdict(bulletin, m, Chart::final_action, *c.preference,
                    chargeability_column(c.chargeability.value_or("")), *c.priority_date);
  return fa.cell && !fa.current;
}

// The priority date is not current on as_of's month; the wake is the first later month that
// says otherwise (at most two years ahead).
bool date_not_current(const BulletinTable& bulletin, Facts& f) {
  const Case& c = f.c;
  if (!c.preference || *c.preference == k_immediate_relative || !c.priority_date ||
      bulletin.empty()) {
    return false;
  }
  Month now = month_of(f.as_of);
  bool out = not_current_in(bulletin, c, now);
  for (int i = 1; i <= 24; ++i) {
    Month m = now + date::months{i};
    if (not_current_in(bulletin, c, m) != out) {
      f.wake_at(first_day(m));
      break;
    }
  }
  return out;
}

void rule_nvc_transfer(const BulletinTable& bulletin, Facts& f) {
  const Event* approved = f.latest({EventKind::approved});
  if (approved == nullptr ||
      f.latest({EventKind::nvc_case, EventKind::nvc_notice, EventKind::nvc_fee_paid,
                EventKind::ds260, EventKind::civil_docs, EventKind::nvc_activity, EventKind::dq,
                EventKind::iv_interview, EventKind::g221, EventKind::visa_issued,
                EventKind::visa_refused, EventKind::entered, EventKind::nvc_terminated}) !=
          nullptr) {
    return;
  }
  Date a = approved->date;
  Date ask = a + days{t::k_nvc_transfer_days};
  bool waiting_visa = date_not_current(bulletin, f);
  const Event* sent = f.latest({EventKind::sent_to_dos});
  auto reason = [&] {
    return fmt::format(
        "Approved on {}{}. The NVC creates the case and writes with its case number; casewatch "
        "asks after {} days, a convention, not a rule.{}",
        d(a),
        sent != nullptr
            ? fmt::format("; USCIS sent it to the Department of State on {}", d(sent->date))
            : std::string(),
        t::k_nvc_transfer_days, path_words(f));
  };
  std::string record =
      fmt::format("When the NVC writes: casewatch event {} nvc-case --ref NVC_CASE_NUMBER", f.name);
  if (waiting_visa || !f.reached(ask)) {
    if (!waiting_visa) {
      f.next("nvc-transfer", ask, "ask the NVC about the approved petition",
             "if no NVC case number has come", approved->id);
    }
    f.add(
        "nvc-transfer", Severity::info, a, waiting_visa ? "not-current" : "sent",
        [&] {
          return Texts{"USCIS sends the approved petition to the NVC",
                       reason() + (waiting_visa ? " The priority date is not current: the NVC "
                                                  "may wait to act until it is."
                                                : ""),
                       record};
        },
        k_src_iv_process);
    return;
  }
  f.add(
      "nvc-transfer", Severity::action, ask, "ask",
      [&] {
        return Texts{
            fmt::format("No NVC case {} days after the approval: you may ask the NVC",
                        t::k_nvc_transfer_days),
            reason(),
            fmt::format("Ask the NVC through its Public Inquiry Form with the receipt number "
                        "({}). {}",
                        f.c.receipt.value_or("on the approval notice"), record)};
      },
      k_src_nvc_inquiry);
}

// Ends the 203(g) clock: the case reached the consulate, or the registration ended.
bool at_consulate(const Facts& f, Date after) {
  for (const Event& e : f.events) {
    if (e.date < after) {
      continue;
    }
    if (e.kind == EventKind::g221 || e.kind == EventKind::visa_issued ||
        e.kind == EventKind::visa_refused || e.kind == EventKind::entered ||
        e.kind == EventKind::nvc_terminated) {
      return true;
    }
    // An interview attended (not followed by a no-show) ends it.
    if (e.kind == EventKind::iv_interview && f.after(e, EventKind::no_show) == nullptr) {
      return true;
    }
  }
  return false;
}

void rule_nvc_203g(Facts& f) {
  const Event* n = nullptr;
  for (const Event& e : f.events) {
    bool step = e.kind == EventKind::nvc_notice || e.kind == EventKind::nvc_fee_paid ||
                e.kind == EventKind::ds260 || e.kind == EventKind::civil_docs ||
                e.kind == EventKind::nvc_activity || e.kind == EventKind::reinstated ||
                (e.kind == EventKind::iv_interview && f.after(e, EventKind::no_show) != nullptr);
    if (step && (n == nullptr || e.date >= n->date)) {
      n = &e;
    }
  }
  if (n == nullptr || at_consulate(f, n->date)) {
    return;
  }
  Date act_by = add_months(n->date, t::k_nvc_203g_months);
  Date liable = act_by + days{1};
  Date reinstate_by = add_months(n->date, t::k_nvc_reinstate_months);
  std::string cond = "if nothing more is done with the NVC";
  const std::array<Stage, 4> stages = {{
      {add_months(n->date, t::k_nvc_203g_info_months), Severity::info, "quiet",
       "the NVC's one-year clock: nine months without a step"},
      {add_months(n->date, t::k_nvc_203g_action_months), Severity::action, "act",
       "act with the NVC (INA 203(g))"},
      {add_months(n->date, t::k_nvc_203g_urgent_months), Severity::urgent, "closing",
       "one month left to act with the NVC"},
      {liable, Severity::urgent, "liable", "the registration may be terminated"},
  }};
  const Stage* s = stage_on(f, stages, "nvc-203g", n->id, cond);
  if (f.within(act_by)) {
    f.out.deadlines.push_back(
        Deadline{"nvc-203g", act_by, "Act with the NVC (INA 203(g))", n->id, false});
  }
  if (s == nullptr) {
    return;
  }
  std::string last = fmt::format("{} on {}", to_string(n->kind), d(n->date));
  f.add(
      "nvc-203g", s->severity, s->from, std::string(s->stage),
      [&] {
        if (s->stage == "liable") {
          return Texts{
              "The NVC may terminate the registration",
              fmt::format("The last step with the NVC was {}; a year ran out on {}. The "
                          "Department of State may terminate the registration (INA 203(g)) and "
                          "the petition is then revoked (8 CFR 205.1(a)(1)).",
                          last, d(act_by)),
              fmt::format("Reinstatement may be asked until {} if the delay was beyond your "
                          "control (22 CFR 42.83): contact the NVC now (Public Inquiry Form) and "
                          "consider an attorney. Record each step: casewatch event {} "
                          "nvc-activity",
                          d(reinstate_by), f.name)};
        }
        return Texts{
            fmt::format("Act with the NVC by {}", d(act_by)),
            fmt::format("The last step with the NVC was {}. After a year without contact the "
                        "Department of State may terminate the registration (INA 203(g)). A "
                        "retrogression during the year may extend it (9 FAM 504.13): do not rely "
                        "on it.",
                        last),
            fmt::format("Pay the fees, submit the DS-260 or upload the documents in CEAC, or "
                        "write to the NVC, before {}. Record it: casewatch event {} ds260 (or "
                        "nvc-fee-paid, civil-docs, nvc-activity)",
                        d(act_by), f.name)};
      },
      k_src_203g, act_by);
}

void rule_iv_221g(Facts& f) {
  const Event* g = f.latest({EventKind::g221});
  if (g == nullptr) {
    return;
  }
  for (EventKind k : {EventKind::g221_response, EventKind::visa_issued, EventKind::visa_refused,
                      EventKind::entered, EventKind::nvc_terminated}) {
    if (k != EventKind::g221_response || !g->admin) {
      if (f.after(*g, k) != nullptr) {
        return;
      }
    }
  }
  if (g->admin) {
    Date inquire = g->date + days{t::k_221g_admin_inquire_days};
    Date attorney = g->date + days{t::k_221g_admin_attorney_days};
    std::string cond = "while administrative processing goes on";
    const std::array<Stage, 3> stages = {{
        {g->date, Severity::info, "admin", ""},
        {inquire, Severity::info, "inquire", "you may ask the consulate about the case"},
        {attorney, Severity::action, "attorney", "consider an attorney"},
    }};
    const Stage* s = stage_on(f, stages, "iv-221g-admin", g->id, cond);
    f.add(
        "iv-221g-admin", s->severity, s->from, std::string(s->stage),
        [&] {
          std::string now = s->stage == "admin"     ? "nothing to send unless the consulate asks"
                            : s->stage == "inquire" ? "you may inquire with the consulate"
                                                    : "consider an attorney";
          return Texts{
              fmt::format("Administrative processing since {}: {}", d(g->date), now),
              fmt::format("The consulate refused the visa under INA 221(g) on {} for "
                          "administrative processing. casewatch says \"you may inquire\" from "
                          "{} and \"consider an attorney\" from {}: conventions, not rules.",
                          d(g->date), d(inquire), d(attorney)),
              fmt::format("Nothing to send unless the consulate asks; you may write to the "
                          "consulate through its website with the case number. When the visa "
                          "comes: casewatch event {} visa-issued --due EXPIRY --class CLASS",
                          f.name)};
        },
        k_src_4281);
    return;
  }
  Date y = add_months(g->date, t::k_221g_months);
  std::string cond = "if what the consulate asked has not been sent";
  const std::array<Stage, 5> stages = {{
      {y - days{t::k_221g_info_days_before}, Severity::info, "open",
       "send what the 221(g) asked for"},
      {y - days{t::k_221g_action_days_before}, Severity::action, "act",
       "two months left to answer the 221(g)"},
      {y - days{t::k_221g_urgent_days_before}, Severity::urgent, "closing",
       "one month left to answer the 221(g)"},
      {y, Severity::urgent, "due", "the 221(g) year ends today"},
      {y + days{1}, Severity::urgent, "terminated", "the registration may be terminated"},
  }};
  const Stage* s = stage_on(f, stages, "iv-221g-docs", g->id, cond);
  if (f.within(y)) {
    f.out.deadlines.push_back(
        Deadline{"iv-221g-docs", y, "Answer the 221(g) (22 CFR 42.81(e))", g->id, false});
  }
  if (s == nullptr) {
    return;
  }
  f.add(
      "iv-221g-docs", s->severity, s->from, std::string(s->stage),
      [&] {
        if (s->stage == "terminated") {
          return Texts{
              "The 221(g) year has ended",
              fmt::format("The consulate asked for documents under INA 221(g) on {}; a year ran "
                          "out on {} with no response recorded. The registration is then "
                          "terminated (22 CFR 42.83).",
                          d(g->date), d(y)),
              "Contact the consulate and an attorney: reinstatement may be possible only in "
              "limited cases."};
        }
        return Texts{
            s->stage == "due" ? std::string("Due today: send what the 221(g) asked for")
                              : fmt::format("Send what the 221(g) asked for by {}", d(y)),
            fmt::format("The consulate refused the visa under INA 221(g) on {} and asked for "
                        "documents. Within one year the case is reconsidered without a new "
                        "application fee (22 CFR 42.81(e)); after it the registration is "
                        "terminated (42.83).",
                        d(g->date)),
            fmt::format("Send the documents as the 221(g) letter says. Record it: casewatch "
                        "event {} 221g-response",
                        f.name)};
      },
      k_src_4281, y);
}

void rule_visa_validity(Facts& f) {
  const Event* v = f.latest({EventKind::visa_issued});
  if (v == nullptr || f.after(*v, EventKind::entered) != nullptr) {
    return;
  }
  bool assumed = !v->due;
  Date expiry = v->due.value_or(add_months(v->date, t::k_visa_validity_months) - days{1});
  std::string cond = "if not yet in the United States";
  const std::array<Stage, 4> stages = {{
      {expiry - days{t::k_visa_info_days_before}, Severity::info, "valid",
       "two months left on the visa"},
      {expiry - days{t::k_visa_action_days_before}, Severity::action, "enter",
       "one month left on the visa"},
      {expiry - days{t::k_visa_urgent_days_before}, Severity::urgent, "closing",
       "one week left on the visa"},
      {expiry + days{1}, Severity::urgent, "expired", "the visa expires unused"},
  }};
  const Stage* s = stage_on(f, stages, "visa-validity", v->id, cond);
  if (f.within(expiry)) {
    f.out.deadlines.push_back(Deadline{
        "visa-validity", expiry, "Enter the United States (the visa expires)", v->id, assumed});
  }
  if (s == nullptr) {
    return;
  }
  std::string expiry_words =
      assumed ? fmt::format(
                    "{} (assumed: issued + 6 months - 1 day; give the date printed on "
                    "the visa: casewatch event edit {} {} --due DATE)",
                    d(expiry), f.name, v->seq)
              : d(expiry);
  f.add(
      "visa-validity", s->severity, s->from, std::string(s->stage),
      [&] {
        if (s->stage == "expired") {
          return Texts{"The visa expired unused",
                       fmt::format("The immigrant visa issued on {} expired on {} and no entry is "
                                   "recorded.",
                                   d(v->date), expiry_words),
                       "Contact the consulate and an attorney."};
        }
        return Texts{fmt::format("Enter the United States by {}", d(expiry)),
                     fmt::format("The immigrant visa was issued on {}; it is valid until {} "
                                 "(INA 221(c): at most six months).",
                                 d(v->date), expiry_words),
                     fmt::format("Travel and enter by then. Record the admission: casewatch "
                                 "event {} entered --on DATE --class CLASS",
                                 f.name)};
      },
      k_src_221c, expiry);
  f.mark_last(std::nullopt, assumed);
}

// Classes that pay no Immigrant Fee: adopted children (IR-3, IH-3, IR-4, IH-4), returning
// residents (SB-1), Iraqi and Afghan special immigrants (SI, SQ), K visas.
bool fee_exempt(const std::optional<std::string>& cls) {
  if (!cls) {
    return false;
  }
  for (std::string_view x : {"IR3", "IH3", "IR4", "IH4", "SB1", "SI", "SQ"}) {
    if (cls->starts_with(x)) {
      return true;
    }
  }
  return cls->starts_with("K");
}

void rule_immigrant_fee(Facts& f) {
  const Event* v = f.latest({EventKind::visa_issued});
  if (v == nullptr || f.latest({EventKind::immigrant_fee_paid}) != nullptr ||
      fee_exempt(visa_class(f))) {
    return;
  }
  f.add(
      "immigrant-fee", Severity::action, v->date, "unpaid",
      [&] {
        return Texts{"Pay the USCIS Immigrant Fee",
                     fmt::format("The immigrant visa was issued on {}; no Immigrant Fee payment "
                                 "is recorded. The green card is not produced until it is paid.",
                                 d(v->date)),
                     fmt::format("Pay it online at {} with the A-number and DOS case ID on the "
                                 "visa packet. Record it: casewatch event {} immigrant-fee-paid",
                                 k_src_immigrant_fee, f.name)};
      },
      k_src_immigrant_fee);
}

void rule_lpr_evidence(Facts& f) {
  const Event* e = f.latest({EventKind::entered});
  if (e == nullptr) {
    return;
  }
  // The stamped visa is evidence for one year: until E + 1 year (docs/rules.md).
  Date evidence_until = add_months(e->date, t::k_lpr_evidence_months);
  Date no_card = add_months(e->date, t::k_lpr_no_card_months);
  const Event* card = nullptr;
  for (const Event& x : f.events) {
    if ((x.kind == EventKind::delivered || x.kind == EventKind::card_produced ||
         x.kind == EventKind::card_mailed) &&
        x.date >= e->date) {
      card = &x;
    }
  }
  std::optional<std::string> cls = visa_class(f);
  bool conditional = cls && (cls->starts_with("CR") || cls->starts_with("C2"));
  Date a = add_months(e->date, t::k_conditional_months);
  Date window = a - days{t::k_i751_window_days};
  // One dated step at a time (the calendar names a step by rule and event): the card's,
  // then the I-751 window's first day; its last day is a deadline.
  bool card_step = card == nullptr && !f.reached(no_card);
  if (conditional) {
    if (!card_step && !f.reached(window)) {
      f.next("lpr-evidence", window, "you may file Form I-751 (remove the conditions)",
             fmt::format("conditional residence since {} ends on {}", d(e->date), d(a)), e->id);
    }
    if (f.within(a)) {
      f.out.deadlines.push_back(Deadline{
          "lpr-evidence", a, "File Form I-751 (conditional residence ends)", e->id, false});
    }
  }
  std::string i751 =
      conditional ? fmt::format(
                        " As a {} entry the residence is conditional for two years: file Form "
                        "I-751 from {} to {} (8 CFR 216.4).",
                        *cls, d(window), d(a))
                  : std::string();
  if (card == nullptr && f.reached(no_card)) {
    f.add(
        "lpr-evidence", Severity::action, no_card, "no-card",
        [&] {
          return Texts{"No green card 10 months after entry: ask for an appointment",
                       fmt::format("Admitted on {}; no card is recorded. The visa with the "
                                   "admission stamp is evidence of permanent residence until "
                                   "{}.{}",
                                   d(e->date), d(evidence_until), i751),
                       fmt::format("Check that the Immigrant Fee was paid, then call the Contact "
                                   "Center ({}) for an appointment for temporary evidence (an "
                                   "I-551 stamp). When the card comes: casewatch event {} "
                                   "delivered",
                                   k_contact_center, f.name)};
        },
        k_src_i751);
    return;
  }
  if (card_step) {
    f.next("lpr-evidence", no_card, "ask for an appointment if no green card has come",
           "if no card has arrived", e->id);
  }
  if (!f.within(evidence_until)) {
    return;
  }
  f.add(
      "lpr-evidence", Severity::info, e->date, "evidence",
      [&] {
        return Texts{
            fmt::format("The visa with the admission stamp is evidence until {}",
                        d(evidence_until)),
            fmt::format("Admitted on {}{}. The stamped visa is evidence of permanent "
                        "residence until {}.{}",
                        d(e->date), cls ? " as " + *cls : std::string(), d(evidence_until), i751),
            fmt::format("Keep the passport with the stamp. When the card comes: "
                        "casewatch event {} delivered",
                        f.name)};
      },
      k_src_i751);
  f.mark_last(evidence_until);
}

}  // namespace

bool on_consular_stage(const Facts& f) {
  return f.out.status == Status::approved && effective_path(f.c) == VisaPath::consular &&
         std::find(k_consular_forms.begin(), k_consular_forms.end(), f.c.form) !=
             k_consular_forms.end();
}

void rule_consular(const BulletinTable& bulletin, Facts& f) {
  if (!on_consular_stage(f)) {
    return;
  }
  std::size_t findings = f.out.findings.size();
  std::size_t next = f.out.next.size();
  rule_nvc_transfer(bulletin, f);
  rule_nvc_203g(f);
  rule_iv_221g(f);
  rule_visa_validity(f);
  rule_immigrant_fee(f);
  rule_lpr_evidence(f);
  // The case stays in the overview until it ends (an entry, a refusal, a termination), and
  // after that while the consular stage still says something.
  bool ended =
      f.latest({EventKind::entered, EventKind::visa_refused, EventKind::nvc_terminated}) != nullptr;
  f.out.consular = !ended || f.out.findings.size() > findings || f.out.next.size() > next;
}

}  // namespace casewatch::rules_detail
