// SPDX-License-Identifier: MIT
// The delay ladder (docs/rules.md): inquiry, follow-up, Ombudsman, congress, mandamus, 1447(b).
#include <fmt/format.h>

#include "facts.hpp"

namespace casewatch::rules_detail {

// Runs after the other rules of the ladder, so that its words can say whether they name a
// next move.
void rule_inquiry(Facts& f) {
  Evaluation& ev = f.out;
  if (!f.pending() || !ev.inquiry_date || f.form_unknown) {
    return;
  }
  Date inquiry = *ev.inquiry_date;
  std::string_view source = ev.choice.row != nullptr ? k_src_more_info : k_src_web_alerts;
  constexpr std::string_view k_step = "e-Request: case outside normal processing time";
  if (!f.reached(inquiry)) {
    if (f.waiting != nullptr) {
      f.next_undated(
          "inquiry", std::string(k_step),
          fmt::format("after you respond to {} (USCIS is waiting for you)", waiting_phrase(f)));
    } else if (f.visa_unavailable) {
      f.next_undated("inquiry", std::string(k_step),
                     "after your priority date is current (USCIS cannot approve before)");
    } else {
      f.next("inquiry", inquiry, std::string(k_step), "if the case is still pending", 0);
      f.out.next.back().assumed = ev.office_assumed;
    }
    return;
  }
  // The words are made only when asked for (Detail::full).
  auto reason = [&] {
    int overdue = days_between(inquiry, f.as_of);
    std::string basis = outside_basis(f);
    basis = overdue == 0 ? basis + " That date is today."
                         : fmt::format("{} It is {} past that date.", basis, plural_days(overdue));
    if (f.visa_unknown) {
      basis +=
          " If your priority date is not current, USCIS cannot approve; store the Visa "
          "Bulletin (casewatch bulletin) so that casewatch can tell.";
    }
    return basis;
  };
  if (f.waiting != nullptr) {
    const Event& rfe = *f.waiting;
    f.add(
        "inquiry", Severity::info, std::max(inquiry, rfe.date), "paused",
        [&] {
          return Texts{
              fmt::format("Outside normal processing time; paused: USCIS is waiting for your "
                          "response to {}",
                          waiting_phrase(f)),
              reason() + fmt::format(" While USCIS waits for your response to {}, the delay "
                                     "steps (Ombudsman, Congress, mandamus) pause; they resume "
                                     "on the date of your response.",
                                     waiting_phrase(f)),
              fmt::format("Answer the {} first (see its own finding). When you have sent it: "
                          "casewatch event {} response",
                          what_of(rfe.kind), f.name)};
        },
        source);
    return;
  }
  if (f.visa_unavailable) {
    f.add(
        "inquiry", Severity::info, inquiry, "visa-unavailable",
        [&] {
          return Texts{
              fmt::format("Outside normal processing time since {}, but no visa number is "
                          "available: USCIS holds the case",
                          d(inquiry)),
              fmt::format("USCIS cannot approve until your priority date is current, INA "
                          "245(a)(3); it holds the case. So casewatch offers no e-Request, "
                          "follow-up, Ombudsman, congressional or mandamus step while the date "
                          "is not current (see the priority-date finding). {}",
                          reason()),
              "Nothing to file about the delay; watch the Visa Bulletin (casewatch bulletin "
              "import ...) and keep your address current with USCIS (Form AR-11)."};
        },
        k_src_visa_245);
    return;
  }
  Date since = f.floor(inquiry);
  if (f.visa_resumes && !f.reached(*f.visa_resumes)) {
    f.next("inquiry", *f.visa_resumes, std::string(k_step), "if the case is still pending", 0);
    return;
  }
  const Event* contact = f.last_contact();
  if (contact != nullptr && f.answer_to(*contact) == nullptr) {
    Date due = reply_due(*contact, f.holidays);
    if (f.within(due)) {
      f.add(
          "inquiry", Severity::info, std::max(since, contact->date), "waiting",
          [&] {
            return Texts{
                fmt::format("Outside normal processing time; waiting for USCIS's answer until {}",
                            d(due)),
                reason() + fmt::format(" You contacted USCIS on {} ({}{}); USCIS aims to answer "
                                       "within {} business days, by {}.",
                                       d(contact->date), to_string(contact->kind),
                                       contact->ref ? ", " + *contact->ref : "",
                                       t::k_reply_goal_business_days, d(due)),
                fmt::format(
                    "Nothing to do until then. When USCIS answers: casewatch event {} reply",
                    f.name)};
          },
          k_src_reply_goal);
      return;
    }
  }
  // After a contact made outside processing time, the inquiry itself is done: what comes
  // next is the follow-up, the Ombudsman, Congress and mandamus (docs/rules.md `inquiry`).
  if (const Event* made = f.delay_contact()) {
    f.add(
        "inquiry", Severity::info, std::max(since, made->date), "contacted",
        [&] {
          return Texts{
              fmt::format("Outside normal processing time since {}; you contacted "
                          "USCIS on {}",
                          d(inquiry), d(made->date)),
              reason() + fmt::format(" You contacted USCIS on {} ({}{}).", d(made->date),
                                     to_string(made->kind), made->ref ? ", " + *made->ref : ""),
              fmt::format("What you may do next is in the other findings and next "
                          "steps (follow-up, Ombudsman, Congress, mandamus). When USCIS "
                          "answers: casewatch event {} reply",
                          f.name)};
        },
        source);
    return;
  }
  f.add(
      "inquiry", Severity::action, since, "open",
      [&] {
        std::string how = fmt::format(
            "File the e-Request \"Case outside normal processing time\" at {} or call the USCIS "
            "Contact Center at {}. Then record it with its SRMT number: casewatch event {} "
            "e-request --ref SRMT...",
            k_src_e_request, k_contact_center, f.name);
        return Texts{"Case outside normal processing time: you may file an e-Request", reason(),
                     how};
      },
      source);
}

void rule_inquiry_followup(Facts& f) {
  if (!f.pending() || f.ladder_off()) {
    return;
  }
  const Event* contact = f.last_contact();
  if (contact == nullptr || f.answer_to(*contact) != nullptr) {
    return;  // any reply, a generic one included, or USCIS acting ends the follow-up clock
  }
  Date due = reply_due(*contact, f.holidays);
  Date since = due + days{1};
  if (!f.reached(since)) {
    f.next("inquiry-followup", since, "follow up on your unanswered request",
           "if USCIS has not answered", contact->id);
    return;
  }
  f.add(
      "inquiry-followup", Severity::action, since, "open",
      [&] {
        return Texts{
            fmt::format("No answer to your {} {}: you may follow up", d(contact->date),
                        contact->kind == EventKind::call ? "call" : "e-Request"),
            fmt::format("USCIS aims to answer a service request within {} business days; for your "
                        "contact on {}{} that ran out on {}, and no reply is logged.",
                        t::k_reply_goal_business_days, d(contact->date),
                        contact->ref ? " (" + *contact->ref + ")" : "", d(due)),
            fmt::format(
                "File a second e-Request at {}, or call {} and ask for a Tier 2 officer. Keep "
                "every SRMT number: they are your evidence later. Record it: casewatch "
                "event {} e-request --ref SRMT... (or 'call'); when USCIS answers: "
                "casewatch event {} reply",
                k_src_e_request, k_contact_center, f.name, f.name)};
      },
      k_src_reply_goal);
}

constexpr std::string_view k_ombudsman_caveats =
    "The Ombudsman cannot approve or deny cases, and filing does not pause any deadline. Its "
    "staff were put on leave in March 2025; after a lawsuit, DHS posted in May 2025 that the "
    "office remains open with far fewer staff: check https://www.dhs.gov/cisombudsman before "
    "relying on it.";

void rule_ombudsman(Facts& f) {
  Evaluation& ev = f.out;
  if (!f.pending() || !ev.inquiry_date || f.first({EventKind::ombudsman}) != nullptr ||
      f.waiting != nullptr || f.ladder_off()) {
    return;
  }
  const Event* contact = f.last_contact();
  Date inquiry = *ev.inquiry_date;
  Date floor = f.floor(inquiry);
  std::string title = "CIS Ombudsman (DHS Form 7001)";
  if (contact == nullptr) {
    f.next_undated("ombudsman", title,
                   fmt::format("after an e-Request or call is {} days old, if the case is still "
                               "pending",
                               t::k_ombudsman_min_contact_age_days));
    return;
  }
  DateSpan window = ombudsman_window(contact->date);
  Date opens = std::max(floor, window.from);
  Date closes = window.to;
  if (!f.reached(opens)) {
    if (opens <= closes) {
      bool by_contact = opens == window.from;
      std::int64_t anchor = by_contact ? contact->id : f.floor_anchor(inquiry);
      // Both ends of the window are fixed by the contact: each is a step of its own (the
      // calendar names them as it names the ends of an open window).
      f.next("ombudsman", opens, title, "if the case is still pending", anchor);
      f.out.next.back().stage = "window-opens";
      f.next("ombudsman", closes, "last day of the CIS Ombudsman window",
             "if the case is still pending", contact->id);
      f.out.next.back().stage = "window-closes";
    } else {
      f.next_undated(
          "ombudsman", title,
          fmt::format("after a new e-Request or call once the case is outside "
                      "processing time ({} to {} days after it)",
                      t::k_ombudsman_min_contact_age_days, t::k_ombudsman_max_contact_age_days));
    }
    return;
  }
  int age = days_between(contact->date, f.as_of);
  if (f.within(closes)) {
    // From the window's last day - 7 it is urgent (docs/rules.md `ombudsman`).
    Date closing = std::max(opens, closes - days{t::k_ombudsman_closing_days});
    bool urgent = f.reached(closing);
    f.add(
        "ombudsman", urgent ? Severity::urgent : Severity::action, opens,
        urgent ? "closing" : "open",
        [&] {
          int left = days_between(f.as_of, closes);
          std::string left_words =
              left == 0 ? "today is the last day" : plural_days(left) + " left";
          return Texts{
              urgent ? fmt::format("The Ombudsman window closes on {} ({}): you may ask the CIS "
                                   "Ombudsman for help (DHS Form 7001)",
                                   d(closes), left_words)
                     : fmt::format("You may ask the CIS Ombudsman for help (DHS Form 7001) until "
                                   "{}, {}",
                                   d(closes), left_words),
              with_row_note(
                  fmt::format(
                      "The case is outside normal processing time since {}; your last USCIS "
                      "contact, on {}, is {} days old, answered or not; the Ombudsman asks for a "
                      "contact at least {} and at most {} days old, so the window closes on {}.",
                      d(inquiry), d(contact->date), age, t::k_ombudsman_min_contact_age_days,
                      t::k_ombudsman_max_contact_age_days, d(closes)),
                  ev),
              fmt::format("Submit DHS Form 7001 at {} with your SRMT numbers by {}. {} Record it: "
                          "casewatch event {} ombudsman",
                          k_src_ombudsman, d(closes), k_ombudsman_caveats, f.name)};
        },
        k_src_ombudsman);
    f.mark_last(closes);
    return;
  }
  f.add(
      "ombudsman", Severity::info, std::max(closes + days{1}, floor), "contact-too-old",
      [&] {
        return Texts{
            "Contact USCIS again before asking the CIS Ombudsman",
            fmt::format("Your last USCIS contact, on {}, is {} days old; the Ombudsman asks for a "
                        "contact within the last {} days.",
                        d(contact->date), age, t::k_ombudsman_max_contact_age_days),
            fmt::format(
                "File a new e-Request at {} or call {}; {} days later you may file DHS Form "
                "7001. {}",
                k_src_e_request, k_contact_center, t::k_ombudsman_min_contact_age_days,
                k_ombudsman_caveats)};
      },
      k_src_ombudsman);
}

void rule_congress(Facts& f) {
  Evaluation& ev = f.out;
  if (!f.pending() || !ev.inquiry_date || f.waiting != nullptr || f.ladder_off()) {
    return;
  }
  Date inquiry = *ev.inquiry_date;
  const Event* contact = f.last_contact();
  const Event* last_congress = f.latest({EventKind::congress});
  std::string title = "congressional inquiry";
  if (contact == nullptr) {
    f.next_undated("congress", title,
                   fmt::format("{} days after an e-Request or call (answered or not), if the "
                               "case is still pending",
                               t::k_congress_after_contact_days));
    return;
  }
  // The latest of: the inquiry date (or the day the ladder resumed), the contact + 30 days,
  // the last congressional inquiry + 60 days; with the event each rests on.
  Date since = f.floor(inquiry);
  std::int64_t anchor = f.floor_anchor(inquiry);
  if (Date by_contact = contact->date + days{t::k_congress_after_contact_days};
      by_contact >= since) {
    since = by_contact;
    anchor = contact->id;
  }
  if (last_congress != nullptr) {
    if (Date again = last_congress->date + days{t::k_congress_repeat_days}; again >= since) {
      since = again;
      anchor = last_congress->id;
    }
  }
  if (!f.reached(since)) {
    f.next("congress", since, title, "if the case is still pending", anchor);
    return;
  }
  f.add(
      "congress", Severity::action, since, "open",
      [&] {
        std::string reason = fmt::format(
            "The case is outside normal processing time since {}; your last USCIS contact, on "
            "{}, is {} days old, answered or not (a generic reply leaves the case where it "
            "was). Waiting {} days after a contact is a practitioners' convention, not a rule.",
            d(inquiry), d(contact->date), days_between(contact->date, f.as_of),
            t::k_congress_after_contact_days);
        if (last_congress != nullptr) {
          reason +=
              fmt::format(" Your last congressional inquiry, on {}, is more than {} days old.",
                          d(last_congress->date), t::k_congress_repeat_days);
        }
        return Texts{
            "You may ask your member of Congress for help", with_row_note(reason, ev),
            fmt::format(
                "Use the casework form on the website of one member, your representative "
                "or one of your senators (not all at once), with a signed Privacy Act release "
                "listing every receipt number (the office needs your written consent to ask "
                "USCIS about you, 5 U.S.C. 552a(b)). Record it: casewatch event {} congress",
                f.name)};
      },
      k_src_congress);
}

void rule_mandamus(Facts& f) {
  Evaluation& ev = f.out;
  if (!f.pending() || !ev.inquiry_date || f.waiting != nullptr || f.ladder_off()) {
    return;
  }
  // After an N-400 interview the remedy is 8 U.S.C. 1447(b), not mandamus (n400-1447b).
  if (f.c.form == "N-400" && f.first({EventKind::interview}) != nullptr) {
    return;
  }
  Date from = add_months(*ev.inquiry_date, t::k_mandamus_months_past_inquiry);
  const Event* contact = f.first({EventKind::e_request, EventKind::call});
  const Event* escalation = f.first({EventKind::ombudsman, EventKind::congress});
  std::string title = "attorney consultation about mandamus";
  if (contact == nullptr && escalation == nullptr) {
    f.next_undated("mandamus", title,
                   "after a USCIS contact and an escalation (Ombudsman or Congress) are logged");
    return;
  }
  if (contact == nullptr) {
    f.next_undated("mandamus", title, "after a USCIS contact (e-Request or call) is logged");
    return;
  }
  if (escalation == nullptr) {
    f.next_undated("mandamus", title, "after an escalation (Ombudsman or Congress) is logged");
    return;
  }
  Date since = from;
  std::int64_t anchor = 0;
  for (const Event* e : {contact, escalation, f.resumed}) {
    if (e != nullptr && e->date > since) {
      since = e->date;
      anchor = e->id;
    }
  }
  if (f.visa_resumes && *f.visa_resumes > since) {
    since = *f.visa_resumes;
    anchor = 0;
  }
  if (!f.reached(since)) {
    f.next("mandamus", since, title, "if the case is still pending", anchor);
    return;
  }
  f.add(
      "mandamus", Severity::info, since, "open",
      [&] {
        return Texts{
            "Consider consulting an immigration attorney about a mandamus suit",
            with_row_note(
                fmt::format(
                    "The case is outside normal processing time since {} ({} months or more), "
                    "and your log shows a USCIS contact ({}) and an escalation ({}, {}). The {} "
                    "months are a convention, not law; courts have often found delays of two "
                    "years or more reasonable under the TRAC factors. 8 U.S.C. 1571(b) states "
                    "Congress's view that benefits be decided within 180 days (30 for I-129); "
                    "it is not binding.",
                    d(*ev.inquiry_date), t::k_mandamus_months_past_inquiry, d(contact->date),
                    to_string(escalation->kind), d(escalation->date),
                    t::k_mandamus_months_past_inquiry),
                ev),
            fmt::format("An immigration attorney can tell you whether a mandamus or APA "
                        "unreasonable-delay suit fits your case (28 U.S.C. 1361; 5 U.S.C. 555(b), "
                        "706(1)). Courts weigh the TRAC factors; your logged inquiries are the "
                        "evidence: casewatch show {}",
                        f.name)};
      },
      k_src_mandamus);
}

void rule_n400_1447b(Facts& f) {
  if (!f.pending() || f.c.form != "N-400") {
    return;
  }
  const Event* interview = f.first({EventKind::interview});
  std::string title = "8 U.S.C. 1447(b): 120 days after the interview";
  if (interview == nullptr) {
    // A scheduled interview does not count yet, but the user can plan with its date.
    auto it = std::find_if(f.scheduled.begin(), f.scheduled.end(),
                           [](const Event& e) { return e.kind == EventKind::interview; });
    if (it != f.scheduled.end()) {
      f.next(
          "n400-1447b", n400_decision_period(it->date).to + days{1}, title,
          fmt::format("if the interview on {} takes place and USCIS has not decided", d(it->date)),
          it->id);
    }
    return;
  }
  DateSpan period = n400_decision_period(interview->date);
  Date since = period.to + days{1};
  if (!f.reached(since)) {
    f.next("n400-1447b", since, title, "if USCIS has not decided", interview->id);
    return;
  }
  f.add(
      "n400-1447b", Severity::action, since, "open",
      [&] {
        return Texts{
            "N-400 undecided 120 days after the interview: 8 U.S.C. 1447(b)",
            fmt::format("Your interview (the initial examination) was on {}. USCIS decides within "
                        "{} days of it (8 CFR 335.3), by {}; no decision is logged.",
                        d(interview->date), t::k_n400_decision_days, d(period.to)),
            "8 U.S.C. 1447(b) lets you ask the U.S. district court where you live to decide your "
            "application or send it back to USCIS with instructions. In most courts, once such a "
            "petition is filed the court alone may decide the case, unless it sends it back to "
            "USCIS. Consult an immigration attorney about it."};
      },
      k_src_1447b);
}

}  // namespace casewatch::rules_detail

namespace casewatch {

DateSpan ombudsman_window(Date contact) {
  return DateSpan{contact + date::days{thresholds::k_ombudsman_min_contact_age_days},
                  contact + date::days{thresholds::k_ombudsman_max_contact_age_days}};
}

DateSpan n400_decision_period(Date interview) {
  return DateSpan{interview, interview + date::days{thresholds::k_n400_decision_days}};
}

}  // namespace casewatch
