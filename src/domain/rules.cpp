// SPDX-License-Identifier: MIT
#include "casewatch/domain/rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <tuple>

#include "casewatch/domain/thresholds.hpp"

namespace casewatch {
namespace {

namespace t = thresholds;
using date::days;

// Sources, cited in docs/rules.md too.
constexpr std::string_view k_src_more_info = "https://egov.uscis.gov/processing-times/more-info";
constexpr std::string_view k_src_web_alerts = "https://www.dhs.gov/cis-ombudsman-web-alerts";
constexpr std::string_view k_src_reply_goal =
    "https://www.uscis.gov/newsroom/alerts/"
    "uscis-updates-guidance-on-case-assistance-and-feedback";
constexpr std::string_view k_src_ombudsman = "https://www.dhs.gov/case-assistance";
constexpr std::string_view k_src_congress =
    "https://www.passage.law/blog/how-and-when-to-request-congressional-assistance-on-your-case/";
constexpr std::string_view k_src_mandamus = "https://www.law.cornell.edu/uscode/text/28/1361";
constexpr std::string_view k_src_1447b = "https://www.law.cornell.edu/uscode/text/8/1447";
constexpr std::string_view k_src_lockbox =
    "https://www.uscis.gov/about-us/organization/directorates-and-program-offices/"
    "management-directorate/office-of-intake-and-document-production/lockbox-filing-information";
constexpr std::string_view k_src_e_request = "https://egov.uscis.gov/e-request";
constexpr std::string_view k_src_premium =
    "https://www.govregs.com/regulations/expand/title8_chapterI_part106_section106.4";
constexpr std::string_view k_src_rfe = "https://www.law.cornell.edu/cfr/text/8/103.2";
constexpr std::string_view k_src_appeal = "https://www.law.cornell.edu/cfr/text/8/103.3";
constexpr std::string_view k_src_n336 = "https://www.law.cornell.edu/cfr/text/8/336.2";
constexpr std::string_view k_src_eoir29 = "https://www.law.cornell.edu/cfr/text/8/1003.3";
constexpr std::string_view k_src_times = "https://egov.uscis.gov/processing-times/";

constexpr std::string_view k_contact_center = "800-375-5283";

constexpr std::array<std::string_view, 15> k_rule_ids = {
    "inquiry",    "inquiry-followup", "ombudsman",     "congress",        "mandamus",
    "n400-1447b", "lockbox",          "non-delivery",  "premium",         "rfe-due",
    "noid-due",   "appeal-window",    "office-needed", "category-needed", "times-stale"};

std::string d(Date x) {
  return format_date(x);
}

// The words of a finding.
struct Texts {
  std::string title;
  std::string reason;
  std::string how;
};

// Everything the rules share about one case, worked out once.
struct Facts {
  const Case& c;
  Date as_of;
  const HolidayCalendar& holidays;
  std::vector<Event> events;     // dated on or before as_of, oldest first
  std::vector<Event> scheduled;  // dated after as_of: appointments, for planning only
  std::string name;              // receipt or #id, for the commands in `how`
  Evaluation& out;
  Detail detail = Detail::full;

  [[nodiscard]] bool pending() const { return out.status == Status::pending; }
  [[nodiscard]] bool outside() const {
    return pending() && out.inquiry_date && as_of >= *out.inquiry_date;
  }

  // The latest event of one of `kinds` (by date, then order recorded).
  [[nodiscard]] const Event* latest(std::initializer_list<EventKind> kinds) const {
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      if (std::find(kinds.begin(), kinds.end(), it->kind) != kinds.end()) {
        return &*it;
      }
    }
    return nullptr;
  }
  [[nodiscard]] const Event* first(std::initializer_list<EventKind> kinds) const {
    for (const Event& e : events) {
      if (std::find(kinds.begin(), kinds.end(), e.kind) != kinds.end()) {
        return &e;
      }
    }
    return nullptr;
  }
  // An event of `kind` after `e`: dated on or after it and recorded later (RULES.md).
  [[nodiscard]] const Event* after(const Event& e, EventKind kind) const {
    for (const Event& x : events) {
      if (x.kind == kind && x.date >= e.date && x.id > e.id) {
        return &x;
      }
    }
    return nullptr;
  }
  [[nodiscard]] const Event* last_contact() const {
    return latest({EventKind::e_request, EventKind::call});
  }

  // Adds a finding. `texts` makes its title, reason and how; it runs only when the caller
  // asked for texts, so that commands that need dates only (overdue, list, the first pass of
  // check) do not pay for the words.
  template <typename TextFn>
  void add(std::string rule, Severity severity, Date since, std::string stage, TextFn&& texts,
           std::string_view source, std::optional<Date> due = std::nullopt) {
    Finding finding{c.id, c.receipt, std::move(rule),     severity, since, std::move(stage), {},
                    {},   {},        std::string(source), due};
    if (detail == Detail::full) {
      Texts t = texts();
      finding.title = std::move(t.title);
      finding.reason = std::move(t.reason);
      finding.how = std::move(t.how);
    }
    out.findings.push_back(std::move(finding));
  }
  void next(std::string rule, Date on, std::string title,
            std::optional<std::string> condition = std::nullopt) {
    out.next.push_back(NextStep{std::move(rule), on, std::move(title), std::move(condition)});
  }
};

std::string office_phrase(const ProcessingTime& row) {
  std::string where = row.office.empty() ? "any office" : "at " + row.office;
  std::string what = row.category.empty() ? row.form : row.form + " (" + row.category + ")";
  return fmt::format("{} {}", what, where);
}

// The reply clock of the last contact: the last day of USCIS's 15 business days.
Date reply_due(const Event& contact, const HolidayCalendar& holidays) {
  return add_business_days(contact.date, t::k_reply_goal_business_days, holidays);
}

// ---- inquiry date and the rows ----------------------------------------------------------

void work_out_inquiry_date(const ProcessingTimeTable& table, Facts& f) {
  Evaluation& ev = f.out;
  if (!f.c.received) {
    return;
  }
  Date received = *f.c.received;
  std::optional<std::string_view> category;
  if (f.c.category) {
    category = *f.c.category;
  }
  std::optional<std::string_view> office;
  if (ev.office.office) {
    office = *ev.office.office;
  }
  ev.choice = table.choose(f.c.form, category, office, received);
  switch (ev.choice.outcome) {
    case ChoiceOutcome::found: {
      const ProcessingTime& row = *ev.choice.row;
      Date by_time = add_posted_time(received, row.time);
      ev.inquiry_date = by_time;
      // Received before USCIS's own published inquiry date: USCIS declared the case
      // eligible on the publication date.
      if (row.inquiry_date && received < *row.inquiry_date) {
        ev.inquiry_date = std::min(by_time, row.published);
      }
      break;
    }
    case ChoiceOutcome::no_row_for_form:
      ev.inquiry_date = add_months(received, t::k_no_posted_time_months);
      break;
    case ChoiceOutcome::office_needed:
      break;
  }
}

// ---- the ladder -------------------------------------------------------------------------

void rule_inquiry(Facts& f) {
  Evaluation& ev = f.out;
  if (!f.pending() || !ev.inquiry_date) {
    return;
  }
  Date inquiry = *ev.inquiry_date;
  std::string_view source = ev.choice.row != nullptr ? k_src_more_info : k_src_web_alerts;
  if (f.as_of < inquiry) {
    f.next("inquiry", inquiry, "e-Request: case outside normal processing time",
           "if the case is still pending");
    return;
  }
  // The words are made only when asked for (Detail::full).
  auto reason = [&] {
    std::string basis;
    if (ev.choice.row != nullptr) {
      const ProcessingTime& row = *ev.choice.row;
      basis = fmt::format("USCIS posts {} for {} (published {})", describe(row.time),
                          office_phrase(row), d(row.published));
      if (row.inquiry_date && *f.c.received < *row.inquiry_date && inquiry == row.published) {
        basis += fmt::format(
            ", and the case was received before USCIS's published case inquiry date {}, so "
            "USCIS considered it eligible for an inquiry from {}",
            d(*row.inquiry_date), d(row.published));
      } else {
        basis += fmt::format(": received {} + {} = {}", d(*f.c.received), describe(row.time),
                             d(inquiry));
      }
    } else {
      basis = fmt::format(
          "USCIS posts no processing time for {}; a case pending more than {} months may be "
          "inquired about: received {} + {} months = {}",
          f.c.form, t::k_no_posted_time_months, d(*f.c.received), t::k_no_posted_time_months,
          d(inquiry));
    }
    int overdue = days_between(inquiry, f.as_of);
    return overdue == 0 ? basis + ". That date is today."
                        : fmt::format("{}. It is {} day{} past that date.", basis, overdue,
                                      overdue == 1 ? "" : "s");
  };
  const Event* contact = f.last_contact();
  if (contact != nullptr && f.after(*contact, EventKind::reply) == nullptr) {
    Date due = reply_due(*contact, f.holidays);
    if (f.as_of <= due) {
      f.add(
          "inquiry", Severity::info, inquiry, "waiting",
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
  f.add(
      "inquiry", Severity::action, inquiry, "open",
      [&] {
        std::string how = fmt::format(
            "File the e-Request \"Case outside normal processing time\" at {} or call the USCIS "
            "Contact Center at {}. Then record it with its SRMT number: casewatch event {} "
            "e-request --ref SRMT...",
            k_src_e_request, k_contact_center, f.name);
        if (contact != nullptr && contact->date >= inquiry) {
          how = fmt::format(
              "You contacted USCIS on {}; the other findings say what may come next. {}",
              d(contact->date), how);
        }
        return Texts{"Case outside normal processing time: you may file an e-Request", reason(),
                     how};
      },
      source);
}

void rule_inquiry_followup(Facts& f) {
  if (!f.pending()) {
    return;
  }
  const Event* contact = f.last_contact();
  if (contact == nullptr || f.after(*contact, EventKind::reply) != nullptr) {
    return;
  }
  Date due = reply_due(*contact, f.holidays);
  Date since = due + days{1};
  if (f.as_of < since) {
    f.next("inquiry-followup", since, "follow up on your unanswered request",
           "if USCIS has not answered");
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
  if (!f.pending() || !ev.inquiry_date || f.first({EventKind::ombudsman}) != nullptr) {
    return;
  }
  const Event* contact = f.last_contact();
  Date inquiry = *ev.inquiry_date;
  if (contact == nullptr) {
    f.next("ombudsman", std::max(inquiry, f.as_of) + days{t::k_ombudsman_min_contact_age_days},
           "CIS Ombudsman (DHS Form 7001)",
           fmt::format("{} days after an e-Request or call, if the case is still pending",
                       t::k_ombudsman_min_contact_age_days));
    return;
  }
  Date opens = std::max(inquiry, contact->date + days{t::k_ombudsman_min_contact_age_days});
  Date closes = contact->date + days{t::k_ombudsman_max_contact_age_days};
  if (f.as_of < opens) {
    if (opens <= closes) {
      f.next("ombudsman", opens, "CIS Ombudsman (DHS Form 7001)", "if the case is still pending");
    }
    return;
  }
  int age = days_between(contact->date, f.as_of);
  if (f.as_of <= closes) {
    f.add(
        "ombudsman", Severity::action, opens, "open",
        [&] {
          return Texts{
              "You may ask the CIS Ombudsman for help (DHS Form 7001)",
              fmt::format(
                  "The case is outside normal processing time since {}, and your last USCIS "
                  "contact, on {}, is {} days old; the Ombudsman asks for a contact at least "
                  "{} and at most {} days old.",
                  d(inquiry), d(contact->date), age, t::k_ombudsman_min_contact_age_days,
                  t::k_ombudsman_max_contact_age_days),
              fmt::format(
                  "Submit DHS Form 7001 at {} with your SRMT numbers. {} Record it: casewatch "
                  "event {} ombudsman",
                  k_src_ombudsman, k_ombudsman_caveats, f.name)};
        },
        k_src_ombudsman);
    return;
  }
  f.add(
      "ombudsman", Severity::info, closes + days{1}, "contact-too-old",
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
  if (!f.pending() || !ev.inquiry_date) {
    return;
  }
  Date inquiry = *ev.inquiry_date;
  const Event* contact = f.last_contact();
  const Event* last_congress = f.latest({EventKind::congress});
  // The earliest day the 60 days since the last congressional inquiry allow (else none).
  Date after_congress =
      last_congress != nullptr ? last_congress->date + days{t::k_congress_repeat_days} : inquiry;
  if (contact == nullptr) {
    f.next("congress",
           std::max(std::max(inquiry, f.as_of) + days{t::k_congress_after_contact_days},
                    after_congress),
           "congressional inquiry",
           fmt::format("{} days after an e-Request or call that USCIS does not answer",
                       t::k_congress_after_contact_days));
    return;
  }
  if (f.after(*contact, EventKind::reply) != nullptr) {
    return;  // USCIS answered the last contact; contact it again first
  }
  Date since =
      std::max({inquiry, contact->date + days{t::k_congress_after_contact_days}, after_congress});
  if (f.as_of < since) {
    f.next("congress", since, "congressional inquiry", "if USCIS has not answered");
    return;
  }
  std::string reason = fmt::format(
      "The case is outside normal processing time since {}; your last USCIS contact, on {}, "
      "is {} days old and no reply is logged. Waiting {} days after an unanswered contact is a "
      "practitioners' convention, not a rule.",
      d(inquiry), d(contact->date), days_between(contact->date, f.as_of),
      t::k_congress_after_contact_days);
  if (last_congress != nullptr) {
    reason += fmt::format(" Your last congressional inquiry, on {}, is more than {} days old.",
                          d(last_congress->date), t::k_congress_repeat_days);
  }
  f.add(
      "congress", Severity::action, since, "open",
      [&] {
        return Texts{
            "You may ask your member of Congress for help", reason,
            fmt::format(
                "Use the casework form on the website of one member, your representative "
                "or one of your senators (not all at once), with a signed Privacy Act release "
                "listing every receipt number. Record it: casewatch event {} congress",
                f.name)};
      },
      k_src_congress);
}

void rule_mandamus(Facts& f) {
  Evaluation& ev = f.out;
  if (!f.pending() || !ev.inquiry_date) {
    return;
  }
  Date from = add_months(*ev.inquiry_date, t::k_mandamus_months_past_inquiry);
  const Event* contact = f.first({EventKind::e_request, EventKind::call});
  const Event* escalation = f.first({EventKind::ombudsman, EventKind::congress});
  std::optional<std::string> missing;
  if (contact == nullptr && escalation == nullptr) {
    missing = "after a USCIS contact and an escalation (Ombudsman or Congress) are logged";
  } else if (contact == nullptr) {
    missing = "after a USCIS contact (e-Request or call) is logged";
  } else if (escalation == nullptr) {
    missing = "after an escalation (Ombudsman or Congress) is logged";
  }
  if (missing || f.as_of < from) {
    // On today's facts the earliest escalation is a congressional inquiry 30 days after a
    // contact, and the earliest contact is today.
    Date on = from;
    if (contact == nullptr) {
      on = std::max(on,
                    std::max(*ev.inquiry_date, f.as_of) + days{t::k_congress_after_contact_days});
    } else if (escalation == nullptr) {
      on = std::max({on, f.as_of, contact->date + days{t::k_congress_after_contact_days}});
    }
    f.next("mandamus", on, "attorney consultation about mandamus", missing);
    return;
  }
  Date since = std::max({from, contact->date, escalation->date});
  f.add(
      "mandamus", Severity::info, since, "open",
      [&] {
        return Texts{
            "Consider consulting an immigration attorney about a mandamus suit",
            fmt::format(
                "The case is outside normal processing time since {} ({} months or more), "
                "and your log shows a USCIS contact ({}) and an escalation ({}, {}). "
                "8 U.S.C. 1571(b) states Congress's view that benefits be decided within 180 "
                "days (30 for I-129); it is not binding.",
                d(*ev.inquiry_date), t::k_mandamus_months_past_inquiry, d(contact->date),
                to_string(escalation->kind), d(escalation->date)),
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
  if (interview == nullptr) {
    // A scheduled interview does not count yet, but the user can plan with its date.
    auto it = std::find_if(f.scheduled.begin(), f.scheduled.end(),
                           [](const Event& e) { return e.kind == EventKind::interview; });
    if (it != f.scheduled.end()) {
      f.next(
          "n400-1447b", it->date + days{t::k_n400_decision_days + 1},
          "8 U.S.C. 1447(b): 120 days after the interview",
          fmt::format("if the interview on {} takes place and USCIS has not decided", d(it->date)));
    }
    return;
  }
  Date since = interview->date + days{t::k_n400_decision_days + 1};
  if (f.as_of < since) {
    f.next("n400-1447b", since, "8 U.S.C. 1447(b): 120 days after the interview",
           "if USCIS has not decided");
    return;
  }
  f.add(
      "n400-1447b", Severity::action, since, "open",
      [&] {
        return Texts{
            "N-400 undecided 120 days after the interview: 8 U.S.C. 1447(b)",
            fmt::format("Your interview (the initial examination) was on {}. USCIS decides within "
                        "{} days of it (8 CFR 335.3), by {}; no decision is logged.",
                        d(interview->date), t::k_n400_decision_days,
                        d(interview->date + days{t::k_n400_decision_days})),
            "8 U.S.C. 1447(b) lets you ask the U.S. district court where you live to decide your "
            "application or send it back to USCIS with instructions. Consult an immigration "
            "attorney about it."};
      },
      k_src_1447b);
}

void rule_lockbox(Facts& f) {
  if (!f.pending() || f.c.receipt || !f.c.sent) {
    return;
  }
  Date runs_out = add_business_days(*f.c.sent, t::k_lockbox_business_days, f.holidays);
  Date since = runs_out + days{1};
  if (f.as_of < since) {
    f.next("lockbox", since, "ask the lockbox about your package", "if no receipt arrives");
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

void rule_non_delivery(Facts& f) {
  const Event* mailed = f.latest({EventKind::card_mailed, EventKind::notice_mailed});
  if (mailed == nullptr || f.after(*mailed, EventKind::delivered) != nullptr) {
    return;
  }
  std::string_view what = mailed->kind == EventKind::card_mailed ? "card" : "notice";
  Date since = mailed->date + days{t::k_non_delivery_days};
  if (f.as_of < since) {
    f.next("non-delivery", since, fmt::format("e-Request: {} not received", what),
           fmt::format("if the {} has not arrived", what));
    return;
  }
  f.add(
      "non-delivery", Severity::action, since, "open",
      [&] {
        return Texts{
            fmt::format("The {} USCIS mailed on {} has not arrived", what, d(mailed->date)),
            fmt::format("USCIS mailed the {} on {}; {} days later no delivery is logged.", what,
                        d(mailed->date), days_between(mailed->date, f.as_of)),
            fmt::format("Check USPS tracking and the address USCIS has on file, then file the "
                        "e-Request for a {} not received at {}. A returned card is destroyed after "
                        "about 60 business days. When it arrives: casewatch event {} delivered",
                        what, k_src_e_request, f.name)};
      },
      k_src_e_request);
}

void rule_premium(Facts& f) {
  if (!f.pending() || !f.c.premium_start) {
    return;
  }
  const std::string cat = f.c.category.value_or("");
  int clock = t::k_premium_business_days;
  bool after_biometrics = false;
  if (f.c.form == "I-140" && (cat == "136A-E13" || cat == "136A-NIW")) {
    clock = t::k_premium_long_business_days;
  } else if ((f.c.form == "I-539" && (cat == "139A-FMJ" || cat == "139B-FMJ")) ||
             (f.c.form == "I-765" && cat == "147-C3")) {
    clock = t::k_premium_fmj_opt_business_days;
    after_biometrics = true;
  }
  Date start = *f.c.premium_start;
  if (after_biometrics) {
    if (const Event* bio = f.latest({EventKind::biometrics})) {
      start = std::max(start, bio->date);
    }
  }
  // An RFE or NOID within the clock stops it; the response starts a new full clock. Only
  // an RFE or NOID recorded after that response can stop the new clock (a response dated
  // the same day as its RFE used to stop the clock again forever).
  const Event* resumed_by = nullptr;
  while (true) {
    Date end = add_business_days(start, clock, f.holidays);
    const Event* stop = nullptr;
    for (const Event& e : f.events) {
      if ((e.kind == EventKind::rfe || e.kind == EventKind::noid) && e.date >= start &&
          e.date <= end && (resumed_by == nullptr || e.id > resumed_by->id)) {
        stop = &e;
        break;
      }
    }
    if (stop == nullptr) {
      Date since = end + days{1};
      if (f.as_of < since) {
        f.next("premium", since, "premium processing refund",
               "if USCIS has not decided or sent an RFE or NOID");
        return;
      }
      f.add(
          "premium", Severity::action, since, "open",
          [&] {
            return Texts{
                "Premium processing clock ran out: you may ask for a refund",
                fmt::format(
                    "Premium processing started on {}; USCIS had {} business days, to {}, and "
                    "no decision, RFE or NOID is logged in that time.",
                    d(start), clock, d(end)),
                "Ask USCIS to refund the premium processing fee (8 CFR 106.4), through the premium "
                "processing contact of the office handling the case; the case keeps premium "
                "handling."};
          },
          k_src_premium);
      return;
    }
    const Event* response = f.after(*stop, EventKind::response);
    if (response == nullptr) {
      return;  // stopped: waiting for the response
    }
    start = response->date;
    resumed_by = response;
  }
}

void rule_response_due(Facts& f) {
  if (!f.pending()) {
    return;
  }
  for (const Event& e : f.events) {
    if (e.kind != EventKind::rfe && e.kind != EventKind::noid) {
      continue;
    }
    if (f.after(e, EventKind::response) != nullptr) {
      continue;
    }
    bool rfe = e.kind == EventKind::rfe;
    std::string rule = rfe ? "rfe-due" : "noid-due";
    std::string_view what = rfe ? "RFE" : "NOID";
    int period = !rfe                  ? t::k_noid_response_days
                 : f.c.form == "I-539" ? t::k_rfe_response_days_i539
                                       : t::k_rfe_response_days;
    Date due = e.due.value_or(e.date + days{period});
    std::string basis =
        e.due ? fmt::format("the {} dated {} gives {} as the due date", what, d(e.date), d(due))
              : fmt::format(
                    "the {} is dated {}; {} days later is {} (when it came by mail, add 3 "
                    "days by giving the date on the notice with --due)",
                    what, d(e.date), period, d(due));
    struct Stage {
      Date from;
      Severity severity;
      std::string_view name;
    };
    if (f.as_of <= due) {
      f.out.deadlines.push_back(Deadline{rule, due, fmt::format("{} response due", what)});
    }
    const std::array<Stage, 4> stages = {{
        {due - days{t::k_due_info_days_before}, Severity::info, "upcoming"},
        {due - days{t::k_due_action_days_before}, Severity::action, "soon"},
        {due - days{t::k_due_urgent_days_before}, Severity::urgent, "urgent"},
        {due + days{1}, Severity::urgent, "passed"},
    }};
    const Stage* current = nullptr;
    const Stage* coming = nullptr;
    for (const Stage& s : stages) {
      if (f.as_of >= s.from) {
        current = &s;
      } else if (coming == nullptr) {
        coming = &s;
      }
    }
    if (coming != nullptr) {
      f.next(rule, coming->from,
             coming->name == "passed"
                 ? fmt::format("{} response period ends ({} was the last day)", what, d(due))
                 : fmt::format("{} response due {}: {} days left", what, d(due),
                               days_between(coming->from, due)),
             "until you send the response");
    }
    if (current == nullptr) {
      continue;
    }
    int left = days_between(f.as_of, due);
    std::string how = fmt::format(
        "Send the complete response so that USCIS receives it by {}; USCIS grants no "
        "extensions. Record it: casewatch event {} response",
        d(due), f.name);
    if (current->name == "passed") {
      f.add(
          rule, Severity::urgent, current->from, "passed",
          [&] {
            return Texts{
                fmt::format("{} response period has passed ({} was the last day)", what, d(due)),
                fmt::format("Per 8 CFR 103.2(b)(8), {}; no response is logged.", basis),
                fmt::format("If you did respond, record it: casewatch event {} response. If not, "
                            "consult an immigration attorney promptly about what you may still do.",
                            f.name)};
          },
          k_src_rfe, due);
    } else {
      f.add(
          rule, current->severity, current->from, std::string(current->name),
          [&] {
            return Texts{fmt::format("{} response due {} ({} day{} left)", what, d(due), left,
                                     left == 1 ? "" : "s"),
                         fmt::format("Per 8 CFR 103.2(b)(8), {}.", basis), how};
          },
          k_src_rfe, due);
    }
  }
}

void rule_appeal_window(Facts& f) {
  if (f.out.status != Status::denied) {
    return;
  }
  const Event* denied = f.latest({EventKind::denied});
  if (denied == nullptr) {
    return;
  }
  Date due = denied->date + days{t::k_appeal_days};
  if (f.as_of > due) {
    return;
  }
  std::string_view form = "Form I-290B (notice of appeal or motion)";
  std::string_view where = "";
  std::string_view source = k_src_appeal;
  if (f.c.form == "N-400") {
    form = "Form N-336 (request for a hearing on a naturalization decision)";
    source = k_src_n336;
  } else if (f.c.form == "I-130") {
    form = "Form EOIR-29 (appeal to the Board of Immigration Appeals)";
    where = ", filed with the USCIS office that decided the petition";
    source = k_src_eoir29;
  }
  f.out.deadlines.push_back(
      Deadline{"appeal-window", due,
               fmt::format("Appeal or motion due ({})", form.substr(0, form.find(" (")))});
  int left = days_between(f.as_of, due);
  f.add(
      "appeal-window", Severity::urgent, denied->date, "open",
      [&] {
        return Texts{
            fmt::format("Appeal window: file by {} ({} day{} left)", d(due), left,
                        left == 1 ? "" : "s"),
            fmt::format("Denied on {}. An appeal or motion is due {} days after the decision, {} "
                        "(33 days when the decision was mailed; the earlier date is shown to be "
                        "safe).",
                        d(denied->date), t::k_appeal_days, d(due)),
            fmt::format("{}{}. Consider consulting an immigration attorney before you file.", form,
                        where)};
      },
      source, due);
}

void rule_office_needed(Facts& f) {
  Evaluation& ev = f.out;
  if (!f.pending() || ev.choice.outcome != ChoiceOutcome::office_needed || !f.c.received) {
    return;
  }
  std::string why =
      ev.office.nbc_field_office_form
          ? fmt::format(
                "{} cases at the National Benefits Center are decided by the local field "
                "office, and USCIS posts a time for each field office.",
                f.c.form)
      : ev.office.office
          ? fmt::format(
                "USCIS posts no {} time for office {}, and its times for {} differ "
                "from one field office to the next.",
                f.c.form, *ev.office.office, f.c.form)
          : fmt::format(
                "USCIS posts {} times for each field office, and this case names "
                "no office{}.",
                f.c.form, f.c.receipt ? " (its receipt prefix does not tell one)" : "");
  f.add(
      "office-needed", Severity::info, *f.c.received, "open",
      [&] {
        return Texts{
            "Set the office to compare this case with processing times",
            why + " Until the office is known, the rules that need the inquiry date wait.",
            fmt::format(
                "Set it when you know it (the interview notice or the case status names it): "
                "casewatch edit {} --office CODE. Codes: casewatch times list --form {}",
                f.name, f.c.form)};
      },
      k_src_more_info);
}

void rule_category_needed(Facts& f) {
  Evaluation& ev = f.out;
  if (!f.pending() || ev.choice.category_candidates.empty() || ev.choice.row == nullptr) {
    return;
  }
  std::vector<std::string> listed;
  for (const ProcessingTime* r : ev.choice.category_candidates) {
    listed.push_back(fmt::format("{} {}", r->category, describe(r->time)));
  }
  const ProcessingTime& row = *ev.choice.row;
  f.add(
      "category-needed", Severity::info, *f.c.received, "open",
      [&] {
        return Texts{
            "Set the category for a precise processing time",
            fmt::format("USCIS posts {} categories of {} at {}: {}. casewatch assumed the slowest, "
                        "{} ({}), so that it never suggests an inquiry too early.",
                        listed.size(), f.c.form, row.office, fmt::join(listed, ", "), row.category,
                        describe(row.time)),
            fmt::format(
                "casewatch edit {} --category KEY (the categories: casewatch times list --form "
                "{})",
                f.name, f.c.form)};
      },
      k_src_more_info);
}

void rule_times_stale(Facts& f) {
  Evaluation& ev = f.out;
  if (!f.pending() || ev.choice.row == nullptr) {
    return;
  }
  const ProcessingTime& row = *ev.choice.row;
  Date since = row.published + days{t::k_times_stale_days + 1};
  if (f.as_of < since) {
    return;
  }
  int age = days_between(row.published, f.as_of);
  f.add(
      "times-stale", Severity::info, since, "open",
      [&] {
        return Texts{
            fmt::format("The processing time used is {} days old", age),
            fmt::format("The row for {} ({}) was published on {}, {} days before {}; USCIS updates "
                        "its times around the 15th of each month.",
                        office_phrase(row), row.source, d(row.published), age, d(f.as_of)),
            fmt::format("Check {} and record the current time: casewatch times set {} --months N "
                        "--category {} --office {} --published DATE --inquiry-date DATE",
                        k_src_times, row.form, row.category.empty() ? "K" : row.category,
                        row.office.empty() ? "O" : row.office)};
      },
      k_src_times);
}

}  // namespace

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::info:
      return "info";
    case Severity::action:
      return "action";
    case Severity::urgent:
      return "urgent";
  }
  return "info";
}

FindingKey key_of(const Finding& f) {
  return FindingKey{f.case_id, f.rule, f.since, f.stage};
}

std::optional<int> Evaluation::days_overdue() const {
  if (status != Status::pending || !inquiry_date || as_of < *inquiry_date) {
    return std::nullopt;
  }
  return days_between(*inquiry_date, as_of);
}

const NextStep* Evaluation::earliest_next() const {
  return next.empty() ? nullptr : &next.front();
}

std::span<const std::string_view> rule_ids() {
  return k_rule_ids;
}

Evaluation evaluate(const Case& c, std::span<const Event> events, const ProcessingTimeTable& table,
                    Date as_of, const HolidayCalendar& holidays, Detail detail) {
  Evaluation ev;
  ev.as_of = as_of;
  std::vector<Event> scheduled;
  for (const Event& e : events) {
    if (e.date > as_of) {
      scheduled.push_back(e);
    }
  }
  std::sort(scheduled.begin(), scheduled.end(), [](const Event& a, const Event& b) {
    return std::tie(a.date, a.id) < std::tie(b.date, b.id);
  });
  Facts f{c,  as_of, holidays, events_as_of(events, as_of), std::move(scheduled), display_name(c),
          ev, detail};
  ev.status = effective_status(c, f.events, as_of);
  ev.office = effective_office(c, f.events, as_of);
  work_out_inquiry_date(table, f);
  if (detail == Detail::inquiry) {
    return ev;
  }

  rule_inquiry(f);
  rule_inquiry_followup(f);
  rule_ombudsman(f);
  rule_congress(f);
  rule_mandamus(f);
  rule_n400_1447b(f);
  rule_lockbox(f);
  rule_non_delivery(f);
  rule_premium(f);
  rule_response_due(f);
  rule_appeal_window(f);
  rule_office_needed(f);
  rule_category_needed(f);
  rule_times_stale(f);

  auto rank = [](Severity s) { return -static_cast<int>(s); };
  std::stable_sort(ev.findings.begin(), ev.findings.end(), [&](const auto& a, const auto& b) {
    return std::tuple(rank(a.severity), a.since, a.rule) <
           std::tuple(rank(b.severity), b.since, b.rule);
  });
  std::stable_sort(ev.next.begin(), ev.next.end(), [](const auto& a, const auto& b) {
    return std::tie(a.on, a.rule) < std::tie(b.on, b.rule);
  });
  std::stable_sort(ev.deadlines.begin(), ev.deadlines.end(), [](const auto& a, const auto& b) {
    return std::tie(a.due, a.rule) < std::tie(b.due, b.rule);
  });
  return ev;
}

Evaluation evaluate(const Case& c, std::span<const Event> events, const ProcessingTimeTable& table,
                    Date as_of, Detail detail) {
  static const HolidayCalendar k_holidays;
  return evaluate(c, events, table, as_of, k_holidays, detail);
}

}  // namespace casewatch
