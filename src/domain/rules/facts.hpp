// SPDX-License-Identifier: MIT
// What every rule family shares (docs/rules.md): the facts a case's events give (Facts), the
// words of a finding (Texts), the phrase helpers and the sources they cite, and each family's
// entry points. Private to src/domain/rules/.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/domain/rules.hpp"
#include "casewatch/domain/thresholds.hpp"
#include "casewatch/util/text.hpp"

namespace casewatch::rules_detail {

namespace t = thresholds;
using date::days;

// Sources, cited in docs/rules.md too: official pages where one exists.
inline constexpr std::string_view k_src_more_info =
    "https://egov.uscis.gov/processing-times/more-info";
inline constexpr std::string_view k_src_web_alerts = "https://www.dhs.gov/cis-ombudsman-web-alerts";
inline constexpr std::string_view k_src_reply_goal =
    "https://www.uscis.gov/newsroom/alerts/"
    "uscis-updates-guidance-on-case-assistance-and-feedback";
inline constexpr std::string_view k_src_ombudsman = "https://www.dhs.gov/case-assistance";
// The Privacy Act, 5 U.S.C. 552a(b): why the member's office asks for a signed release. No
// official page sets a time for a congressional inquiry (the text says the 30 days are a
// convention).
inline constexpr std::string_view k_src_congress =
    "https://www.law.cornell.edu/uscode/text/5/552a#b";
inline constexpr std::string_view k_src_visa_245 = "https://www.law.cornell.edu/uscode/text/8/1255";
inline constexpr std::string_view k_src_mandamus =
    "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title28-section1361"
    "&num=0&edition=prelim";
inline constexpr std::string_view k_src_1447b =
    "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1447"
    "&num=0&edition=prelim";
inline constexpr std::string_view k_src_lockbox =
    "https://www.uscis.gov/about-us/organization/directorates-and-program-offices/"
    "management-directorate/office-of-intake-and-document-production/lockbox-filing-information";
inline constexpr std::string_view k_src_e_request = "https://egov.uscis.gov/e-request";
inline constexpr std::string_view k_src_premium =
    "https://www.ecfr.gov/current/title-8/section-106.4";
inline constexpr std::string_view k_src_rfe = "https://www.ecfr.gov/current/title-8/section-103.2";
inline constexpr std::string_view k_src_n14 = "https://www.ecfr.gov/current/title-8/section-335.7";
inline constexpr std::string_view k_src_i290b = "https://www.uscis.gov/i-290b/jurisdiction";
inline constexpr std::string_view k_src_n336 = "https://www.ecfr.gov/current/title-8/section-336.2";
inline constexpr std::string_view k_src_eoir29 = "https://www.uscis.gov/eoir-29";
inline constexpr std::string_view k_src_daca =
    "https://www.ecfr.gov/current/title-8/section-236.21";
inline constexpr std::string_view k_src_i601a = "https://www.uscis.gov/i-601a";
inline constexpr std::string_view k_src_ar11 = "https://www.uscis.gov/ar-11";
inline constexpr std::string_view k_src_revocation =
    "https://www.ecfr.gov/current/title-8/section-205.2";
inline constexpr std::string_view k_src_case_status =
    "https://egov.uscis.gov/casestatus/landing.do";

inline constexpr std::string_view k_contact_center = "800-375-5283";

std::string d(Date x);
// A word as a POSIX shell reads it back, so that every printed command can be pasted.
using text::shell_word;
std::string plural_days(int n);
// "on 2024-10-18, 771 days ago" (the age of a publication, in the past tense).
std::string published_ago(Date published, Date as_of);
std::string_view what_of(EventKind k);

// The words of a finding.
struct Texts {
  std::string title;
  std::string reason;
  std::string how;
};

// The date the rules look from and the evaluation they fill, shared by a case's facts and a
// document's. Every comparison of as_of with a date that decides a finding goes through
// reached() and within(), so that the evaluation knows the first later day on which one of
// them gives another answer (Evaluation::wake). Never call them from a finding's words (they
// run for Detail::full only, and the wake must be the same for every detail).
struct Clock {
  Date as_of;
  Evaluation& out;

  void wake_at(Date x) {
    if (!out.wake || x < *out.wake) {
      out.wake = x;
    }
  }
  // as_of >= x. While it is not, x is the day it becomes true.
  bool reached(Date x) {
    if (as_of >= x) {
      return true;
    }
    wake_at(x);
    return false;
  }
  // as_of <= x. While it is, the day after x is the day it becomes false.
  bool within(Date x) {
    if (as_of > x) {
      return false;
    }
    wake_at(add_days(x, 1));
    return true;
  }
};

// Everything the rules share about one case, worked out once.
struct Facts : Clock {
  const Case& c;
  const HolidayCalendar& holidays;
  std::vector<Event> events;     // dated on or before as_of, oldest first
  std::vector<Event> scheduled;  // dated after as_of: appointments, for planning only
  std::string name;              // receipt or '#id', shell-safe, for the commands in `how`
  Detail detail = Detail::full;
  // The first RFE or NOID with no response after it: USCIS is waiting for the applicant
  // and the delay ladder pauses (docs/rules.md, "Waiting on the applicant").
  const Event* waiting = nullptr;
  // The latest response that answered an RFE or NOID: the ladder resumes on its date.
  const Event* resumed = nullptr;
  // A pending I-485 with a preference waits for a visa number, not for processing, while
  // its priority date is not current on the final action chart (docs/rules.md, "Waiting on
  // a visa number"): the delay ladder pauses.
  bool visa_unavailable = false;
  // A pending I-485 with a preference and a priority date, and no Visa Bulletin stored.
  bool visa_unknown = false;
  // The date became current on the first day of a month after it was not: the ladder
  // resumes 120 days later (a convention from USCIS liaison guidance, not a rule).
  std::optional<Date> visa_resumes{};
  // A form neither USCIS's lists nor the processing-time table know (form-unknown): no
  // delay step until it is confirmed.
  bool form_unknown = false;
  // The rows of the case's form and category at each office, when the office is unknown and
  // the slowest was assumed (office-assumed); empty otherwise.
  std::vector<const ProcessingTime*> office_candidates{};
  // What the case's holder holds (ap-travel, ead-gap); empty when the caller gave none.
  Holdings holdings{};

  [[nodiscard]] bool pending() const { return out.status == Status::pending; }

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
  // An event of `kind` after `e`: dated on or after it and recorded later (docs/rules.md).
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
  // The earliest day the ladder may act on: the inquiry date, or the day it resumed.
  [[nodiscard]] Date floor(Date inquiry) const {
    Date x = resumed != nullptr ? std::max(inquiry, resumed->date) : inquiry;
    return visa_resumes ? std::max(x, *visa_resumes) : x;
  }
  // USCIS acted on the case on or after a contact (docs/rules.md, "What ends the reply
  // clock"): a reply to it, or an RFE, NOID, interview, biometrics, transfer or decision
  // dated on or after it.
  [[nodiscard]] const Event* answer_to(const Event& contact) const {
    if (const Event* r = after(contact, EventKind::reply)) {
      return r;
    }
    for (const Event& x : events) {
      if (x.date >= contact.date && x.id != contact.id &&
          (x.kind == EventKind::rfe || x.kind == EventKind::noid ||
           x.kind == EventKind::interview || x.kind == EventKind::biometrics ||
           x.kind == EventKind::transfer || is_decision(x.kind))) {
        return &x;
      }
    }
    return nullptr;
  }
  // The last contact, when it was made once the case was outside processing time.
  [[nodiscard]] const Event* delay_contact() const {
    const Event* contact = last_contact();
    return contact != nullptr && out.inquiry_date && contact->date >= *out.inquiry_date ? contact
                                                                                        : nullptr;
  }
  // The delay ladder (follow-up, Ombudsman, Congress, mandamus) is off: the case waits for a
  // visa number, or its form is not confirmed.
  [[nodiscard]] bool ladder_off() const { return visa_unavailable || form_unknown; }
  // The event a floor date rests on (0: the case itself).
  [[nodiscard]] std::int64_t floor_anchor(Date inquiry) const {
    if (visa_resumes && *visa_resumes > inquiry &&
        (resumed == nullptr || *visa_resumes >= resumed->date)) {
      return 0;
    }
    return resumed != nullptr && resumed->date > inquiry ? resumed->id : 0;
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
  // Marks the finding just added: the last day of its window, and whether its due date was
  // assumed (docs/json.md `until`, `assumed`).
  void mark_last(std::optional<Date> until, bool assumed = false) {
    out.findings.back().until = until;
    out.findings.back().assumed = assumed;
  }
  // A step dated by what happened; `anchor` is the event the date rests on.
  void next(std::string rule, Date on, std::string title, std::optional<std::string> condition,
            std::int64_t anchor) {
    out.next.push_back(
        NextStep{std::move(rule), on, std::move(title), std::move(condition), anchor});
  }
  // A step that waits on something the user has not done: no date; `waits_for` says what.
  void next_undated(std::string rule, std::string title, std::string waits_for) {
    out.next.push_back(
        NextStep{std::move(rule), std::nullopt, std::move(title), std::move(waits_for), 0});
  }
};

// "I-765 at QNS", "I-485 at any office" (a user's aggregate row).
std::string office_phrase(const ProcessingTime& row);
// "USCIS posted 9 months for N-400 at QNS on 2024-10-18, 771 days ago (category 160A)".
std::string posted_phrase(const ProcessingTime& row, Date as_of);
// Appends the row note ("used 147-C9 at SCD, ...") to a reason resting on the row.
std::string with_row_note(std::string reason, const Evaluation& ev);
// The reply clock of the last contact: the last day of USCIS's 15 business days.
Date reply_due(const Event& contact, const HolidayCalendar& holidays);
// The response due date of an RFE or NOID: the date on the notice, else the default.
Date response_due(const Event& e, std::string_view form);
// "the RFE of 2025-02-03, due 2025-04-28".
std::string waiting_phrase(const Facts& f);
// The reason of a finding that rests on the inquiry date: why the case is outside
// processing time, with the row and its age.
std::string outside_basis(const Facts& f);

// The facts (facts.cpp).
void work_out_inquiry_date(const ProcessingTimeTable& table, Facts& f);
// Who USCIS is waiting for, and since when the ladder may act again (docs/rules.md,
// "Waiting on the applicant").
void work_out_waiting(Facts& f);

// The delay ladder (ladder.cpp).
void rule_inquiry(Facts& f);
void rule_inquiry_followup(Facts& f);
void rule_ombudsman(Facts& f);
void rule_congress(Facts& f);
void rule_mandamus(Facts& f);
void rule_n400_1447b(Facts& f);

// Mail (mail.cpp).
void rule_lockbox(Facts& f);
void rule_non_delivery(Facts& f);
void rule_returned(Facts& f);

// Deadlines (deadlines.cpp).
void rule_premium(Facts& f);
void rule_response_due(Facts& f);
void rule_appeal_window(Facts& f);

// The case's status (case_status.cpp).
void rule_rejected(Facts& f);
void rule_no_show(Facts& f);
void rule_status(Facts& f);
void rule_office_needed(Facts& f);
void rule_category_needed(Facts& f);
void rule_office_assumed(Facts& f);
void rule_form_unknown(Facts& f);
void rule_ap_travel(Facts& f);
void rule_ead_gap(Facts& f);

// The consular stage (consular.cpp): an approved I-130, I-140, I-360, I-526 or I-526E on the
// consular path; the rules nvc-transfer, nvc-203g, iv-221g-docs, iv-221g-admin,
// visa-validity, immigrant-fee and lpr-evidence. Sets Evaluation::consular.
bool on_consular_stage(const Facts& f);
void rule_consular(const BulletinTable& bulletin, Facts& f);

// Expedite requests (expedite.cpp): expedite-basis, expedite-followup, expedite-needby,
// expedite-approved-stalled, and the denial's info.
void rule_expedite(Facts& f);

// The Visa Bulletin on as_of for a pending I-485 with a preference (priority_date.cpp): sets
// visa_unavailable, visa_unknown and visa_resumes.
void work_out_visa(const BulletinTable& bulletin, Facts& f);
// The rule `priority-date` (priority_date.cpp): the Visa Bulletin of as_of's month; wakes on
// the first day of the month the bulletin's rows for the case change.
void rule_priority_date(const BulletinTable& bulletin, Facts& f);

}  // namespace casewatch::rules_detail
