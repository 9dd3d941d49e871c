// SPDX-License-Identifier: MIT
#include "casewatch/domain/rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <tuple>

#include "casewatch/domain/priority_date.hpp"
#include "casewatch/domain/status.hpp"
#include "casewatch/domain/thresholds.hpp"

namespace casewatch {
namespace {

namespace t = thresholds;
using date::days;

// Sources, cited in docs/rules.md too: official pages where one exists.
constexpr std::string_view k_src_more_info = "https://egov.uscis.gov/processing-times/more-info";
constexpr std::string_view k_src_web_alerts = "https://www.dhs.gov/cis-ombudsman-web-alerts";
constexpr std::string_view k_src_reply_goal =
    "https://www.uscis.gov/newsroom/alerts/"
    "uscis-updates-guidance-on-case-assistance-and-feedback";
constexpr std::string_view k_src_ombudsman = "https://www.dhs.gov/case-assistance";
// No official page sets a time for a congressional inquiry; this is practitioners' guidance.
constexpr std::string_view k_src_congress =
    "https://www.passage.law/blog/how-and-when-to-request-congressional-assistance-on-your-case/";
constexpr std::string_view k_src_mandamus =
    "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title28-section1361"
    "&num=0&edition=prelim";
constexpr std::string_view k_src_1447b =
    "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1447"
    "&num=0&edition=prelim";
constexpr std::string_view k_src_lockbox =
    "https://www.uscis.gov/about-us/organization/directorates-and-program-offices/"
    "management-directorate/office-of-intake-and-document-production/lockbox-filing-information";
constexpr std::string_view k_src_e_request = "https://egov.uscis.gov/e-request";
constexpr std::string_view k_src_premium = "https://www.ecfr.gov/current/title-8/section-106.4";
constexpr std::string_view k_src_rfe = "https://www.ecfr.gov/current/title-8/section-103.2";
constexpr std::string_view k_src_n14 = "https://www.ecfr.gov/current/title-8/section-335.7";
constexpr std::string_view k_src_i290b = "https://www.uscis.gov/i-290b/jurisdiction";
constexpr std::string_view k_src_n336 = "https://www.ecfr.gov/current/title-8/section-336.2";
constexpr std::string_view k_src_eoir29 = "https://www.uscis.gov/eoir-29";
constexpr std::string_view k_src_daca = "https://www.ecfr.gov/current/title-8/section-236.21";
constexpr std::string_view k_src_i601a = "https://www.uscis.gov/i-601a";
constexpr std::string_view k_src_ar11 = "https://www.uscis.gov/ar-11";
constexpr std::string_view k_src_revocation = "https://www.ecfr.gov/current/title-8/section-205.2";
constexpr std::string_view k_src_case_status = "https://egov.uscis.gov/casestatus/landing.do";

constexpr std::string_view k_contact_center = "800-375-5283";

constexpr std::array<std::string_view, 20> k_rule_ids = {
    "inquiry",    "inquiry-followup", "ombudsman",       "congress",    "mandamus",
    "n400-1447b", "lockbox",          "non-delivery",    "premium",     "rfe-due",
    "noid-due",   "appeal-window",    "rejected",        "returned",    "no-show",
    "status",     "office-needed",    "category-needed", "times-stale", "priority-date"};

// What a denial allows, by form (docs/rules.md `appeal-window`). A row with a category applies
// to that category only and is looked up first; every form not listed has no appeal, only
// a motion (8 CFR 103.5(a)(1)(i)).
struct FormRemedy {
  std::string_view form;
  std::string_view category;
  Remedy remedy;
};
constexpr std::array<FormRemedy, 26> k_remedies = {{
    {"N-400", "", Remedy::n336},
    {"I-130", "", Remedy::eoir29},
    {"I-129", "", Remedy::aao_appeal},
    {"I-129F", "", Remedy::aao_appeal},
    {"I-140", "", Remedy::aao_appeal},
    {"I-360", "", Remedy::aao_appeal},  // a widow(er)'s goes to the BIA: said in its text
    {"I-526", "", Remedy::aao_appeal},
    {"I-526E", "", Remedy::aao_appeal},
    {"I-600", "", Remedy::aao_appeal},
    {"I-600A", "", Remedy::aao_appeal},
    {"I-800", "", Remedy::aao_appeal},
    {"I-800A", "", Remedy::aao_appeal},
    {"I-601", "", Remedy::aao_appeal},
    {"I-212", "", Remedy::aao_appeal},
    {"I-612", "", Remedy::aao_appeal},
    {"I-821", "", Remedy::aao_appeal},
    {"I-914", "", Remedy::aao_appeal},
    {"I-918", "", Remedy::aao_appeal},
    {"N-565", "", Remedy::aao_appeal},
    {"N-600", "", Remedy::aao_appeal},
    {"N-600K", "", Remedy::aao_appeal},
    {"I-131", "141A-RT", Remedy::aao_appeal},    // reentry permit, refugee travel document
    {"I-131", "141B-OTH", Remedy::motion_only},  // advance parole
    {"I-730", "", Remedy::motion_only},
    {"I-821D", "", Remedy::none},
    {"I-601A", "", Remedy::none},
}};

std::string d(Date x) {
  return format_date(x);
}

// A word as a POSIX shell reads it back: unchanged when it holds only safe characters,
// else between single quotes ("#42" -> '#42'), so that every printed command can be pasted.
std::string shell_word(std::string_view s) {
  bool safe = !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) != 0 ||
           std::string_view("-_./:=@+,%").find(ch) != std::string_view::npos;
  });
  if (safe) {
    return std::string(s);
  }
  std::string out = "'";
  for (char ch : s) {
    out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  }
  return out + "'";
}

std::string plural_days(int n) {
  return fmt::format("{} day{}", n, n == 1 ? "" : "s");
}

// "on 2024-10-18, 771 days ago" (the age of a publication, in the past tense).
std::string published_ago(Date published, Date as_of) {
  int age = days_between(published, as_of);
  if (age <= 0) {
    return fmt::format("on {}, today", d(published));
  }
  return fmt::format("on {}, {} ago", d(published), plural_days(age));
}

std::string_view what_of(EventKind k) {
  return k == EventKind::noid ? "NOID" : "RFE";
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
  std::string name;              // receipt or '#id', shell-safe, for the commands in `how`
  Evaluation& out;
  Detail detail = Detail::full;
  // The first RFE or NOID with no response after it: USCIS is waiting for the applicant
  // and the delay ladder pauses (docs/rules.md, "Waiting on the applicant").
  const Event* waiting = nullptr;
  // The latest response that answered an RFE or NOID: the ladder resumes on its date.
  const Event* resumed = nullptr;

  [[nodiscard]] bool pending() const { return out.status == Status::pending; }

  // Every comparison of as_of with a date that decides a finding goes through these two, so
  // that the evaluation knows the first later day on which one of them gives another answer
  // (Evaluation::wake). Never call them from a finding's words (they run for Detail::full
  // only, and the wake must be the same for every detail).
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
    return resumed != nullptr ? std::max(inquiry, resumed->date) : inquiry;
  }
  // The event a floor date rests on (0: the case itself).
  [[nodiscard]] std::int64_t floor_anchor(Date inquiry) const {
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
std::string office_phrase(const ProcessingTime& row) {
  return fmt::format("{} {}", row.form, row.office.empty() ? "at any office" : "at " + row.office);
}

// "USCIS posted 9 months for N-400 at QNS on 2024-10-18, 771 days ago (category 160A)".
std::string posted_phrase(const ProcessingTime& row, Date as_of) {
  std::string who = row.source == "set" ? "USCIS posted (as you recorded it)" : "USCIS posted";
  std::string cat = row.category.empty() ? "" : fmt::format(" (category {})", row.category);
  return fmt::format("{} {} for {} {}{}", who, describe(row.time), office_phrase(row),
                     published_ago(row.published, as_of), cat);
}

// Appends the row note ("used 147-C9 at SCD, ...") to a reason resting on the row.
std::string with_row_note(std::string reason, const Evaluation& ev) {
  if (ev.row_note) {
    reason += " " + *ev.row_note;
  }
  return reason;
}

// The reply clock of the last contact: the last day of USCIS's 15 business days.
Date reply_due(const Event& contact, const HolidayCalendar& holidays) {
  return add_business_days(contact.date, t::k_reply_goal_business_days, holidays);
}

// The response due date of an RFE or NOID: the date on the notice, else the default.
Date response_due(const Event& e, std::string_view form) {
  return e.due.value_or(default_response_due(form, e.kind, e.date));
}

// "the RFE of 2025-02-03, due 2025-04-28".
std::string waiting_phrase(const Facts& f) {
  const Event& e = *f.waiting;
  return fmt::format("the {} of {}, due {}{}", what_of(e.kind), d(e.date),
                     d(response_due(e, f.c.form)), e.due ? "" : " (assumed)");
}

// ---- inquiry date and the rows ----------------------------------------------------------

// "SCD, the service centers' figure", "FOD, the field offices' figure", "YSC".
std::string row_office_words(const ProcessingTime& row) {
  if (row.office.empty()) {
    return "any office (your own row)";
  }
  if (row.office == "SCD") {
    return "SCD, the service centers' figure";
  }
  if (row.office == "FOD") {
    return "FOD, the field offices' figure";
  }
  return row.office;
}

// The sentence that says which row was used and why, when it is not the case's own
// (docs/rules.md, "Which row, said": nothing is substituted silently).
std::optional<std::string> row_note(const Case& c, const Evaluation& ev,
                                    const ProcessingTimeTable& table) {
  if (ev.choice.row == nullptr) {
    return std::nullopt;
  }
  const ProcessingTime& row = *ev.choice.row;
  const std::optional<std::string>& office = ev.office.office;
  bool category_posted = false;
  if (c.category) {
    for (const ProcessingTime& r : table.rows()) {
      if (r.form == c.form && r.category == *c.category) {
        category_posted = true;
        break;
      }
    }
  }
  std::string used =
      row.category.empty()
          ? fmt::format("used your row for any category at {}", row_office_words(row))
          : fmt::format("used {} at {}", row.category, row_office_words(row));
  bool other_category = c.category && row.category != *c.category;
  bool other_office = !office || row.office != *office;
  if (!other_category && !other_office) {
    return std::nullopt;
  }
  if (c.category && !category_posted) {
    return fmt::format("USCIS posts no {} time for category {}; {}{}.", c.form, *c.category, used,
                       ev.choice.category_candidates.empty() ? "" : ", the slowest category");
  }
  if (!office) {
    return fmt::format("The case names no office; {}, the slowest of the offices that post it.",
                       used);
  }
  if (!other_office) {
    return std::nullopt;  // the case's own office, a category chosen: category-needed says it
  }
  std::string kind = is_single_field_office(*office)        ? ", a field office"
                     : *office == "SCD" || *office == "FOD" ? ""
                                                            : ", a service center";
  std::string what = c.category && category_posted ? c.form + " " + *c.category : c.form;
  std::string why;
  if (row.office != aggregate_office(*office) && !row.office.empty() && c.category &&
      category_posted && row.category == *c.category) {
    why = fmt::format(
        ", the slowest office that posts {}: the category says more about the case "
        "than the office",
        *c.category);
  }
  return fmt::format("USCIS posts no {} time at {}{}; {}{}.", what, *office, kind, used, why);
}

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
      if (f.detail != Detail::inquiry) {
        ev.row_note = row_note(f.c, ev, table);
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

// Who USCIS is waiting for, and since when the ladder may act again (docs/rules.md,
// "Waiting on the applicant").
void work_out_waiting(Facts& f) {
  for (const Event& e : f.events) {
    if (e.kind != EventKind::rfe && e.kind != EventKind::noid) {
      continue;
    }
    const Event* response = f.after(e, EventKind::response);
    if (response == nullptr) {
      if (f.waiting == nullptr) {
        f.waiting = &e;
      }
    } else if (f.resumed == nullptr || response->date > f.resumed->date) {
      f.resumed = response;
    }
  }
}

// The reason of a finding that rests on the inquiry date: why the case is outside
// processing time, with the row and its age.
std::string outside_basis(const Facts& f) {
  const Evaluation& ev = f.out;
  Date inquiry = *ev.inquiry_date;
  if (ev.choice.row == nullptr) {
    return fmt::format(
        "USCIS posts no processing time for {}; a case pending more than {} months may be "
        "inquired about: received {} + {} months = {}.",
        f.c.form, t::k_no_posted_time_months, d(*f.c.received), t::k_no_posted_time_months,
        d(inquiry));
  }
  const ProcessingTime& row = *ev.choice.row;
  std::string basis = posted_phrase(row, f.as_of);
  if (row.inquiry_date && *f.c.received < *row.inquiry_date && inquiry == row.published) {
    basis += fmt::format(
        ", and the case was received before USCIS's published case inquiry date {}, so USCIS "
        "considered it eligible for an inquiry from {}.",
        d(*row.inquiry_date), d(row.published));
  } else {
    basis +=
        fmt::format(": received {} + {} = {}.", d(*f.c.received), describe(row.time), d(inquiry));
  }
  return with_row_note(basis, ev);
}

// ---- the ladder -------------------------------------------------------------------------

// Runs after the other rules of the ladder, so that its words can say whether they name a
// next move.
void rule_inquiry(Facts& f) {
  Evaluation& ev = f.out;
  if (!f.pending() || !ev.inquiry_date) {
    return;
  }
  Date inquiry = *ev.inquiry_date;
  std::string_view source = ev.choice.row != nullptr ? k_src_more_info : k_src_web_alerts;
  if (!f.reached(inquiry)) {
    if (f.waiting != nullptr) {
      f.next_undated(
          "inquiry", "e-Request: case outside normal processing time",
          fmt::format("after you respond to {} (USCIS is waiting for you)", waiting_phrase(f)));
    } else {
      f.next("inquiry", inquiry, "e-Request: case outside normal processing time",
             "if the case is still pending", 0);
    }
    return;
  }
  // The words are made only when asked for (Detail::full).
  auto reason = [&] {
    int overdue = days_between(inquiry, f.as_of);
    std::string basis = outside_basis(f);
    return overdue == 0 ? basis + " That date is today."
                        : fmt::format("{} It is {} past that date.", basis, plural_days(overdue));
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
  Date since = f.floor(inquiry);
  const Event* contact = f.last_contact();
  if (contact != nullptr && f.after(*contact, EventKind::reply) == nullptr) {
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
  f.add(
      "inquiry", Severity::action, since, "open",
      [&] {
        std::string how = fmt::format(
            "File the e-Request \"Case outside normal processing time\" at {} or call the USCIS "
            "Contact Center at {}. Then record it with its SRMT number: casewatch event {} "
            "e-request --ref SRMT...",
            k_src_e_request, k_contact_center, f.name);
        if (contact != nullptr && contact->date >= inquiry) {
          auto is_ladder = [](const std::string& rule) {
            return rule == "inquiry-followup" || rule == "ombudsman" || rule == "congress" ||
                   rule == "mandamus";
          };
          bool findings = std::any_of(ev.findings.begin(), ev.findings.end(),
                                      [&](const Finding& x) { return is_ladder(x.rule); });
          bool steps = std::any_of(ev.next.begin(), ev.next.end(),
                                   [&](const NextStep& x) { return is_ladder(x.rule); });
          std::string_view then = findings ? "; the other findings say what you may do now"
                                  : steps  ? "; the next steps say what may come later"
                                           : "";
          how = fmt::format(
              "You contacted USCIS on {}{}. If the delay goes on, you may contact it "
              "again. {}",
              d(contact->date), then, how);
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
    return;  // any reply, a generic one included, ends the follow-up clock
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
      f.waiting != nullptr) {
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
  Date opens = std::max(floor, contact->date + days{t::k_ombudsman_min_contact_age_days});
  Date closes = contact->date + days{t::k_ombudsman_max_contact_age_days};
  if (!f.reached(opens)) {
    if (opens <= closes) {
      bool by_contact = opens == contact->date + days{t::k_ombudsman_min_contact_age_days};
      f.next("ombudsman", opens, title, "if the case is still pending",
             by_contact ? contact->id : f.floor_anchor(inquiry));
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
    f.add(
        "ombudsman", Severity::action, opens, "open",
        [&] {
          return Texts{
              "You may ask the CIS Ombudsman for help (DHS Form 7001)",
              with_row_note(
                  fmt::format(
                      "The case is outside normal processing time since {}; your last USCIS "
                      "contact, on {}, is {} days old, answered or not; the Ombudsman asks for a "
                      "contact at least {} and at most {} days old.",
                      d(inquiry), d(contact->date), age, t::k_ombudsman_min_contact_age_days,
                      t::k_ombudsman_max_contact_age_days),
                  ev),
              fmt::format(
                  "Submit DHS Form 7001 at {} with your SRMT numbers. {} Record it: casewatch "
                  "event {} ombudsman",
                  k_src_ombudsman, k_ombudsman_caveats, f.name)};
        },
        k_src_ombudsman);
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
  if (!f.pending() || !ev.inquiry_date || f.waiting != nullptr) {
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
                "listing every receipt number. Record it: casewatch event {} congress",
                f.name)};
      },
      k_src_congress);
}

void rule_mandamus(Facts& f) {
  Evaluation& ev = f.out;
  if (!f.pending() || !ev.inquiry_date || f.waiting != nullptr) {
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
          "n400-1447b", it->date + days{t::k_n400_decision_days + 1}, title,
          fmt::format("if the interview on {} takes place and USCIS has not decided", d(it->date)),
          it->id);
    }
    return;
  }
  Date since = interview->date + days{t::k_n400_decision_days + 1};
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

void rule_premium(Facts& f) {
  if (!f.pending() || !f.c.premium_start || f.waiting != nullptr) {
    return;  // while USCIS waits for the applicant, the clock is not raised
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
  std::int64_t anchor = 0;
  if (after_biometrics) {
    if (const Event* bio = f.latest({EventKind::biometrics, EventKind::biometrics_done});
        bio != nullptr && bio->date > start) {
      start = bio->date;
      anchor = bio->id;
    }
  }
  // Premium requested while an RFE or NOID was open: the clock starts at the response.
  for (const Event& e : f.events) {
    if ((e.kind == EventKind::rfe || e.kind == EventKind::noid) && e.date < start) {
      const Event* response = f.after(e, EventKind::response);
      if (response != nullptr && response->date > start) {
        start = response->date;
        anchor = response->id;
      }
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
      if (!f.reached(since)) {
        f.next("premium", since, "premium processing refund",
               "if USCIS has not decided or sent an RFE or NOID", anchor);
        return;
      }
      f.add(
          "premium", Severity::action, since, "open",
          [&] {
            return Texts{
                "Premium processing clock ran out: you may ask for a refund",
                fmt::format(
                    "The premium processing clock started on {}; USCIS had {} business days, to "
                    "{}, and no decision, RFE or NOID is logged in that time.",
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
    anchor = response->id;
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
    std::string_view what = what_of(e.kind);
    int period = default_response_days(f.c.form, e.kind);
    Date due = response_due(e, f.c.form);
    bool n14 = rfe && f.c.form == "N-400";
    auto basis = [&] {
      if (e.due) {
        return fmt::format("the {} dated {} gives {} as the due date", what, d(e.date), d(due));
      }
      std::string why = !rfe  ? "the longest a NOID allows"
                        : n14 ? "the time an N-400's N-14 allows, 8 CFR 335.7"
                        : f.c.form == "I-539"
                            ? "USCIS's policy for an I-539"
                            : "the regulation's maximum (12 weeks), not the date on the notice";
      return fmt::format(
          "the {} is dated {}; no due date was recorded, so {} is assumed: {} days ({}). The "
          "response date printed on the notice is the one that counts (when the notice came by "
          "mail, it includes the 3 mailing days): check it and answer by that date",
          what, d(e.date), d(due), period, why);
    };
    std::string_view source = n14 && !e.due ? k_src_n14 : k_src_rfe;
    struct Stage {
      Date from;
      Severity severity;
      std::string_view name;
    };
    if (f.as_of <= due) {
      f.out.deadlines.push_back(Deadline{rule, due, fmt::format("{} response due", what), e.id});
    }
    // A stage never begins before the event's own date.
    auto at_least = [&](Date x) { return std::max(x, e.date); };
    const std::array<Stage, 4> stages = {{
        {at_least(due - days{t::k_due_info_days_before}), Severity::info, "upcoming"},
        {at_least(due - days{t::k_due_action_days_before}), Severity::action, "soon"},
        {at_least(due - days{t::k_due_urgent_days_before}), Severity::urgent, "urgent"},
        {due + days{1}, Severity::urgent, "passed"},
    }};
    const Stage* current = nullptr;
    const Stage* coming = nullptr;
    for (const Stage& s : stages) {
      if (f.reached(s.from)) {
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
             "until you send the response", e.id);
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
                fmt::format("Per 8 CFR 103.2(b)(8), {}; no response is logged.", basis()),
                fmt::format("If you did respond, record it: casewatch event {} response. If not, "
                            "consult an immigration attorney promptly about what you may still do.",
                            f.name)};
          },
          source, due);
    } else {
      f.add(
          rule, current->severity, current->from, std::string(current->name),
          [&] {
            std::string title = left == 0 ? fmt::format("{} response due today ({})", what, d(due))
                                          : fmt::format("{} response due {} ({} left)", what,
                                                        d(due), plural_days(left));
            return Texts{title, fmt::format("Per 8 CFR 103.2(b)(8), {}.", basis()), how};
          },
          source, due);
    }
  }
}

// A revoked approval (docs/rules.md `appeal-window`): an appeal on Form I-290B within 15 days,
// 18 when the notice was mailed; the earlier is shown. 8 CFR 205.2(d).
void rule_revocation_appeal(Facts& f, const Event& revoked) {
  Date due = revoked.date + days{t::k_revocation_appeal_days};
  if (!f.within(due)) {
    return;
  }
  int left = days_between(f.as_of, due);
  std::string left_words = left == 0 ? "today is the last day" : plural_days(left) + " left";
  f.out.deadlines.push_back(
      Deadline{"appeal-window", due, "Appeal of the revocation due (Form I-290B)", revoked.id});
  f.add(
      "appeal-window", Severity::urgent, revoked.date, "revoked",
      [&] {
        return Texts{
            fmt::format("Appeal of the revocation (Form I-290B): file by {} ({})", d(due),
                        left_words),
            fmt::format("The revocation notice states which remedy applies and where to file: "
                        "follow it first. Revoked on {}: an appeal is due {} days after the "
                        "decision, {} (18 days when the notice was mailed; the earlier date is "
                        "shown to be safe) (8 CFR 205.2(d)).",
                        d(revoked.date), t::k_revocation_appeal_days, d(due)),
            fmt::format("File Form I-290B by {}. Consider consulting an immigration attorney "
                        "before you file.",
                        d(due))};
      },
      k_src_revocation, due);
}

void rule_appeal_window(Facts& f) {
  if (f.out.status != Status::denied) {
    return;
  }
  const Event* denied = f.latest({EventKind::denied, EventKind::revoked});
  if (denied == nullptr) {
    return;
  }
  if (denied->kind == EventKind::revoked && denied->title &&
      status::automatic_revocation(*denied->title)) {
    // An automatic revocation (8 CFR 205.1) has no appeal.
    f.add(
        "appeal-window", Severity::info, denied->date, "none",
        [&] {
          return Texts{
              fmt::format("Automatically revoked on {}: no appeal", d(denied->date)),
              "An automatic revocation has no appeal (8 CFR 205.1). Read the notice: it says "
              "why the approval ended.",
              "Consider consulting an immigration attorney about what you may do next."};
        },
        "https://www.ecfr.gov/current/title-8/section-205.1");
    return;
  }
  if (denied->kind == EventKind::revoked) {
    rule_revocation_appeal(f, *denied);
    return;
  }
  std::optional<std::string_view> category;
  if (f.c.category) {
    category = *f.c.category;
  }
  Remedy remedy = remedy_for(f.c.form, category);
  Date due = denied->date + days{t::k_appeal_days};
  if (!f.within(due)) {
    return;
  }
  int left = days_between(f.as_of, due);
  std::string left_words = left == 0 ? "today is the last day" : plural_days(left) + " left";
  constexpr std::string_view k_notice_first =
      "The denial notice states which remedy applies and where to file: follow it first.";
  if (remedy == Remedy::none) {
    bool daca = f.c.form == "I-821D";
    f.add(
        "appeal-window", Severity::info, denied->date, "none",
        [&] {
          return Texts{
              fmt::format("Denied on {}: neither an appeal nor a motion is available",
                          d(denied->date)),
              fmt::format(
                  "{} USCIS's decision on {} cannot be appealed, and no motion to reopen or "
                  "reconsider is available{}.",
                  k_notice_first, f.c.form, daca ? " (8 CFR 236.21(b))" : ""),
              daca ? "Consider consulting an immigration attorney about what you may do next."
                   : "Consider consulting an immigration attorney; an I-601A may be filed again."};
        },
        daca ? k_src_daca : k_src_i601a);
    return;
  }
  std::string_view form;
  std::string_view short_title;
  std::string_view source = k_src_i290b;
  std::string what;
  switch (remedy) {
    case Remedy::n336:
      form = "Form N-336";
      short_title = "Hearing request due (Form N-336)";
      source = k_src_n336;
      what = "You may request a hearing on the decision on Form N-336 (8 CFR 336.2)";
      break;
    case Remedy::eoir29:
      form = "Form EOIR-29";
      short_title = "BIA appeal due (Form EOIR-29)";
      source = k_src_eoir29;
      what =
          "You may appeal to the Board of Immigration Appeals on Form EOIR-29, filed as the "
          "denial notice instructs (8 CFR 1003.3(a)(2)). The form's instructions require it to "
          "be received within 30 days even when the decision was mailed";
      break;
    case Remedy::aao_appeal:
      form = "Form I-290B";
      short_title = "Appeal or motion due (Form I-290B)";
      what = "You may file an appeal or a motion on Form I-290B (8 CFR 103.3)";
      if (f.c.form == "I-129") {
        what +=
            "; an I-129's extension or change of status has no appeal (8 CFR 214.1(c)(5)), "
            "only a motion";
      } else if (f.c.form == "I-821") {
        what += "; a TPS applicant in removal proceedings goes to the immigration judge instead";
      } else if (f.c.form == "I-360") {
        what += "; an I-360 as a widow(er) is appealed to the BIA on Form EOIR-29 instead";
      }
      break;
    case Remedy::motion_only:
    case Remedy::none:
      form = "Form I-290B";
      short_title = "Motion due (Form I-290B)";
      what = fmt::format(
          "No appeal lies from this decision; a motion to reopen or reconsider on Form I-290B "
          "is due within {} days (33 if mailed) (8 CFR 103.5(a)(1)(i){})",
          t::k_appeal_days,
          f.c.form == "I-485"   ? "; 8 CFR 245.2(a)(5)(ii)"
          : f.c.form == "I-751" ? "; an I-751 is reviewed in removal proceedings, 8 CFR "
                                  "216.4(d)(2)"
                                : "");
      break;
  }
  f.out.deadlines.push_back(Deadline{"appeal-window", due, std::string(short_title), denied->id});
  f.add(
      "appeal-window", Severity::urgent, denied->date, "open",
      [&] {
        std::string title =
            remedy == Remedy::motion_only
                ? fmt::format(
                      "No appeal lies; a motion to reopen or reconsider (Form I-290B) is "
                      "due by {} ({})",
                      d(due), left_words)
                : fmt::format("{}: file by {} ({})", short_title, d(due), left_words);
        std::string when =
            remedy == Remedy::eoir29
                ? fmt::format("Denied on {}: due {} days after the decision, {}.", d(denied->date),
                              t::k_appeal_days, d(due))
                : fmt::format(
                      "Denied on {}: due {} days after the decision, {} (33 days when the "
                      "decision was mailed; the earlier date is shown to be safe).",
                      d(denied->date), t::k_appeal_days, d(due));
        return Texts{title, fmt::format("{} {} {}.", k_notice_first, when, what),
                     fmt::format("File {} by {}. Consider consulting an immigration attorney "
                                 "before you file.",
                                 form, d(due))};
      },
      source, due);
}

// The latest event of `kinds` that is the latest decision (is_decision) of the timeline.
const Event* latest_decision(const Facts& f) {
  for (auto it = f.events.rbegin(); it != f.events.rend(); ++it) {
    if (is_decision(it->kind)) {
      return &*it;
    }
  }
  return nullptr;
}

// A rejected filing (docs/rules.md `rejected`): not pending; it must be sent again, and the
// old receipt number is void. True while the rejection is the latest decision.
void rule_rejected(Facts& f) {
  const Event* rejected = latest_decision(f);
  if (rejected == nullptr || rejected->kind != EventKind::rejected) {
    return;
  }
  f.add(
      "rejected", Severity::urgent, rejected->date, "open",
      [&] {
        return Texts{
            fmt::format("USCIS rejected the filing on {}: it must be sent again",
                        d(rejected->date)),
            fmt::format("A rejected filing is not pending: its receipt number is void, and any "
                        "date it held (received, priority) no longer counts. USCIS's status: "
                        "{}.",
                        rejected->title ? *rejected->title : std::string("rejected")),
            fmt::format("Fix what the rejection notice names (signature, fee, form edition) and "
                        "file a new package. When the new receipt arrives: casewatch add "
                        "RECEIPT --form {} --received DATE (and casewatch rm {} if you no "
                        "longer want this one listed).",
                        shell_word(f.c.form), f.name)};
      },
      k_src_case_status);
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

// No one appeared for an appointment (docs/rules.md `no-show`): the case may be denied as
// abandoned (8 CFR 103.2(b)(13)) unless a later appointment is logged.
void rule_no_show(Facts& f) {
  if (!f.pending()) {
    return;
  }
  const Event* miss = f.latest({EventKind::no_show});
  if (miss == nullptr) {
    return;
  }
  auto later = [&](EventKind k) {
    const Event* x = f.after(*miss, k);
    if (x != nullptr) {
      return true;
    }
    return std::any_of(f.scheduled.begin(), f.scheduled.end(),
                       [&](const Event& e) { return e.kind == k; });
  };
  if (later(EventKind::biometrics) || later(EventKind::interview) ||
      later(EventKind::biometrics_done)) {
    return;
  }
  f.add(
      "no-show", Severity::urgent, miss->date, "open",
      [&] {
        return Texts{
            fmt::format("USCIS says no one appeared for the appointment (status of {})",
                        d(miss->date)),
            "A missed biometrics appointment or interview lets USCIS deny the case as "
            "abandoned (8 CFR 103.2(b)(13)).",
            fmt::format("If you missed it, ask to reschedule at once (the notice says how; the "
                        "Contact Center, {}); if you did appear, tell USCIS and keep the proof. "
                        "Consider consulting an immigration attorney. Record the new "
                        "appointment: casewatch event {} biometrics --on DATE (or interview).",
                        k_contact_center, f.name)};
      },
      k_src_rfe);
}

// How pressing USCIS's own status of `k` is (docs/rules.md `status`).
Severity status_severity(EventKind k) {
  switch (k) {
    case EventKind::denied:
    case EventKind::revoked:
    case EventKind::rejected:
    case EventKind::noid:
    case EventKind::card_returned:
    case EventKind::notice_returned:
    case EventKind::card_destroyed:
    case EventKind::no_show:
      return Severity::urgent;
    case EventKind::approved:
    case EventKind::card_produced:
    case EventKind::rfe:
    case EventKind::expedite_denied:
    case EventKind::interview_cancelled:
    case EventKind::reopened:
      return Severity::action;
    default:
      return Severity::info;
  }
}

// USCIS's latest status, from status import (docs/rules.md `status`): news for 30 days
// after its date; a silent update (an `updated` event after it) likewise.
void rule_status(Facts& f) {
  const Event* latest = nullptr;
  const Event* silent = nullptr;
  for (auto it = f.events.rbegin(); it != f.events.rend(); ++it) {
    if (!it->source) {
      continue;
    }
    if (it->kind == EventKind::updated) {
      if (silent == nullptr && latest == nullptr) {
        silent = &*it;
      }
      continue;
    }
    latest = &*it;
    break;
  }
  auto fresh = [&](const Event& e) { return f.within(e.date + days{t::k_status_news_days}); };
  if (latest != nullptr && fresh(*latest)) {
    std::string title = latest->title ? *latest->title : std::string(to_string(latest->kind));
    f.add(
        "status", status_severity(latest->kind), latest->date, std::string(to_string(latest->kind)),
        [&] {
          std::string seen =
              latest->observed ? fmt::format(", seen on {}", d(*latest->observed)) : "";
          std::string due =
              latest->due ? fmt::format(" USCIS's own date in it: {}.", d(*latest->due)) : "";
          std::string extra;
          if (latest->kind == EventKind::expedite_denied) {
            extra =
                " The CIS Ombudsman does not review a USCIS expedite denial; the delay steps "
                "go on as before.";
          }
          return Texts{
              fmt::format("USCIS: {} (on {})", title, d(latest->date)),
              fmt::format("USCIS's status (from {}{}): {} ({}).{}{}", *latest->source, seen, title,
                          describe(latest->kind), due, extra),
              fmt::format("See the timeline: casewatch show {}; what you may do next: casewatch "
                          "suggest {}.",
                          f.name, f.name)};
        },
        k_src_case_status);
  }
  if (silent != nullptr && fresh(*silent)) {
    f.add(
        "status", Severity::info, silent->date, "updated",
        [&] {
          return Texts{
              fmt::format("USCIS updated the case without a new status on {}", d(silent->date)),
              fmt::format("The case's record at USCIS (from {}) changed on {} while its status "
                          "stayed the same; a notice may be on its way.",
                          *silent->source, d(silent->date)),
              fmt::format("Watch the mail and your USCIS account; casewatch show {}.", f.name)};
        },
        k_src_case_status);
  }
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
                f.name, shell_word(f.c.form))};
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
            fmt::format("USCIS posts {} categories of {} at {}: {}. casewatch assumed the slowest: "
                        "{}.",
                        listed.size(), f.c.form, row.office, fmt::join(listed, ", "),
                        posted_phrase(row, f.as_of)),
            fmt::format(
                "casewatch edit {} --category KEY (the categories: casewatch times list --form "
                "{})",
                f.name, shell_word(f.c.form))};
      },
      k_src_more_info);
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
  // `next` is kept with the dated steps first, by date.
  return next.empty() ? nullptr : &next.front();
}

const Finding* Evaluation::most_pressing() const {
  const Finding* best = nullptr;
  auto rank = [](const Finding& f) {
    return std::tuple(-static_cast<int>(f.severity), !f.due.has_value(),
                      f.due.value_or(Date::max()), f.since, std::string_view(f.rule));
  };
  for (const Finding& f : findings) {
    if (best == nullptr || rank(f) < rank(*best)) {
      best = &f;
    }
  }
  return best;
}

std::optional<Date> Evaluation::nearest_due() const {
  std::optional<Date> out;
  for (const Deadline& dl : deadlines) {
    if (dl.due >= as_of && (!out || dl.due < *out)) {
      out = dl.due;
    }
  }
  return out;
}

std::span<const std::string_view> rule_ids() {
  return k_rule_ids;
}

int default_response_days(std::string_view form, EventKind kind) {
  if (kind == EventKind::noid) {
    return t::k_noid_response_days;
  }
  if (kind != EventKind::rfe) {
    return 0;
  }
  if (form == "N-400") {
    return t::k_rfe_response_days_n400;
  }
  return form == "I-539" ? t::k_rfe_response_days_i539 : t::k_rfe_response_days;
}

Date default_response_due(std::string_view form, EventKind kind, Date date) {
  return date + days{default_response_days(form, kind)};
}

Remedy remedy_for(std::string_view form, std::optional<std::string_view> category) {
  if (category) {
    for (const FormRemedy& r : k_remedies) {
      if (r.form == form && r.category == *category) {
        return r.remedy;
      }
    }
  }
  for (const FormRemedy& r : k_remedies) {
    if (r.form == form && r.category.empty()) {
      return r.remedy;
    }
  }
  return Remedy::motion_only;
}

void StaleNotice::add(const Evaluation& ev) {
  if (ev.status != Status::pending || ev.choice.row == nullptr) {
    return;
  }
  add(ev.choice.row->published, ev.as_of);
}

Date StaleNotice::stale_before(Date as_of) {
  return as_of - days{t::k_times_stale_days};
}

void StaleNotice::add(Date published, Date as_of, std::size_t cases) {
  if (cases == 0 || days_between(published, as_of) <= t::k_times_stale_days) {
    return;
  }
  m_cases += cases;
  if (!m_oldest || published < *m_oldest) {
    m_oldest = published;
  }
}

std::optional<Notice> StaleNotice::notice(Date as_of) const {
  if (m_cases == 0 || !m_oldest) {
    return std::nullopt;
  }
  return Notice{std::string(k_times_stale), *m_oldest, days_between(*m_oldest, as_of), m_cases};
}

std::string notice_text(const Notice& n) {
  if (n.kind != "times-stale") {
    return n.kind;
  }
  return fmt::format(
      "The processing {} used by {} case{} {} published on {}, {} ago; USCIS updates them around "
      "the 15th of each month. Refresh them: casewatch times import FILE, or casewatch times set "
      "FORM --category KEY --office CODE --months N --published DATE (the figures of {}).",
      n.cases == 1 ? "time" : "times", n.cases, n.cases == 1 ? "" : "s",
      n.cases == 1 ? "was" : "were", d(n.published), plural_days(n.days_old),
      "https://egov.uscis.gov/processing-times/");
}

Evaluation evaluate(const Case& c, std::span<const Event> events, const ProcessingTimeTable& table,
                    const BulletinTable& bulletin, Date as_of, const HolidayCalendar& holidays,
                    Detail detail) {
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
  Facts f{c, as_of, holidays, events_as_of(events, as_of), std::move(scheduled),
          // The name in the words' commands; the words are made for Detail::full only.
          detail != Detail::full ? std::string()
          : c.receipt            ? shell_word(*c.receipt)
                                 : shell_word(display_name(c)),
          ev, detail};
  // An event dated after as_of counts from its date on: the status, the office and every
  // rule may change then.
  if (!f.scheduled.empty()) {
    ev.wake = f.scheduled.front().date;
  }
  ev.status = effective_status(c, events, as_of);
  ev.office = effective_office(c, f.events, as_of);
  work_out_inquiry_date(table, f);
  if (detail == Detail::inquiry) {
    return ev;
  }
  work_out_waiting(f);

  rule_inquiry_followup(f);
  rule_ombudsman(f);
  rule_congress(f);
  rule_mandamus(f);
  rule_inquiry(f);  // after the ladder: its words say whether the ladder names a next move
  rule_n400_1447b(f);
  rule_lockbox(f);
  rule_non_delivery(f);
  rule_premium(f);
  rule_response_due(f);
  rule_appeal_window(f);
  rule_rejected(f);
  rule_returned(f);
  rule_no_show(f);
  rule_status(f);
  rule_office_needed(f);
  rule_category_needed(f);
  if (auto next_month =
          rule_priority_date(c, ev.status, bulletin, as_of, detail == Detail::full, ev.findings)) {
    f.wake_at(*next_month);
  }

  auto rank = [](Severity s) { return -static_cast<int>(s); };
  std::stable_sort(ev.findings.begin(), ev.findings.end(), [&](const auto& a, const auto& b) {
    return std::tuple(rank(a.severity), a.since, a.rule) <
           std::tuple(rank(b.severity), b.since, b.rule);
  });
  // Dated steps first (by date, then rule), then the undated ones (by rule).
  std::stable_sort(ev.next.begin(), ev.next.end(), [](const auto& a, const auto& b) {
    return std::tuple(!a.on.has_value(), a.on.value_or(Date{}), a.rule) <
           std::tuple(!b.on.has_value(), b.on.value_or(Date{}), b.rule);
  });
  std::stable_sort(ev.deadlines.begin(), ev.deadlines.end(), [](const auto& a, const auto& b) {
    return std::tie(a.due, a.rule) < std::tie(b.due, b.rule);
  });
  return ev;
}

Evaluation evaluate(const Case& c, std::span<const Event> events, const ProcessingTimeTable& table,
                    const BulletinTable& bulletin, Date as_of, Detail detail) {
  static const HolidayCalendar k_holidays;
  return evaluate(c, events, table, bulletin, as_of, k_holidays, detail);
}

Evaluation evaluate(const Case& c, std::span<const Event> events, const ProcessingTimeTable& table,
                    Date as_of, const HolidayCalendar& holidays, Detail detail) {
  static const BulletinTable k_no_bulletin;
  return evaluate(c, events, table, k_no_bulletin, as_of, holidays, detail);
}

Evaluation evaluate(const Case& c, std::span<const Event> events, const ProcessingTimeTable& table,
                    Date as_of, Detail detail) {
  static const BulletinTable k_no_bulletin;
  return evaluate(c, events, table, k_no_bulletin, as_of, detail);
}

}  // namespace casewatch
