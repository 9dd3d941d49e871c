// SPDX-License-Identifier: MIT
// Deadlines (docs/rules.md): premium processing, RFE and NOID responses, appeals and motions.
#include <fmt/format.h>

#include <array>

#include "casewatch/domain/status.hpp"
#include "facts.hpp"

namespace casewatch::rules_detail {
namespace {

// What a denial allows, by form (docs/rules.md `appeal-window`). A row with a category applies
// to that category only and is looked up first; every form not listed has no appeal, only
// a motion (8 CFR 103.5(a)(1)(i)).
struct FormRemedy {
  std::string_view form;
  std::string_view category;
  Remedy remedy;
};
constexpr std::array<FormRemedy, 29> k_remedies = {{
    {"N-400", "", Remedy::n336},
    {"I-130", "", Remedy::eoir29},
    {"I-129", "", Remedy::aao_appeal},
    // E, E-3 and TN: no appeal, a motion only (I-290B jurisdiction chart). 137-H1B1 is a
    // regular H-1B (visa issued abroad), not the H-1B1 classification: appealable.
    {"I-129", "137-E", Remedy::motion_only},
    {"I-129", "137-E3", Remedy::motion_only},
    {"I-129", "137-TN", Remedy::motion_only},
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

}  // namespace

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
                    "{}, and no decision, RFE, NOID or notice of an investigation is logged in "
                    "that time "
                    "(8 CFR 106.4).",
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
      f.out.deadlines.push_back(
          Deadline{rule, due, fmt::format("{} response due", what), e.id, !e.due.has_value()});
    }
    // A stage never begins before the event's own date; the first is the event's date.
    auto at_least = [&](Date x) { return std::max(x, e.date); };
    const std::array<Stage, 5> stages = {{
        {e.date, Severity::info, "open"},
        {at_least(due - days{t::k_due_action_days_before}), Severity::action, "soon"},
        {at_least(due - days{t::k_due_urgent_days_before}), Severity::urgent, "urgent"},
        {due, Severity::urgent, "today"},
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
    std::string_view assumed = e.due ? "" : " (assumed: check the notice)";
    if (current->name == "passed") {
      f.add(
          rule, Severity::urgent, current->from, "passed",
          [&] {
            return Texts{
                fmt::format("{} response period has passed ({} was the last day{})", what, d(due),
                            assumed),
                fmt::format("Per 8 CFR 103.2(b)(8), {}; no response is logged. USCIS may deny "
                            "the case as abandoned or decide it on the record (8 CFR "
                            "103.2(b)(13)); a denial for abandonment has no appeal, only a "
                            "motion to reopen.",
                            basis()),
                fmt::format("If you did respond, record it: casewatch event {} response. If not, "
                            "consult an immigration attorney promptly about what you may still do.",
                            f.name)};
          },
          source, due);
    } else {
      f.add(
          rule, current->severity, current->from, std::string(current->name),
          [&] {
            std::string title =
                left == 0 ? fmt::format("{} response due today ({}{})", what, d(due), assumed)
                          : fmt::format("{} response due {}{} ({} left)", what, d(due), assumed,
                                        plural_days(left));
            return Texts{title, fmt::format("Per 8 CFR 103.2(b)(8), {}.", basis()), how};
          },
          source, due);
    }
    f.mark_last(std::nullopt, !e.due.has_value());
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
        what =
            "The petitioner may appeal the petition's denial to the AAO or file a motion on "
            "Form I-290B; if the petition was approved but the extension of stay or change of "
            "status was denied, a motion only (8 CFR 214.1(c)(5), 248.3(g))";
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
                ? fmt::format("Denied on {}: no appeal; a motion (Form I-290B) is due by {} ({})",
                              d(denied->date), d(due), left_words)
                : fmt::format("{}: file by {} ({})", short_title, d(due), left_words);
        std::string when =
            remedy == Remedy::eoir29
                ? fmt::format("Denied on {}: due {} days after the decision, {}.", d(denied->date),
                              t::k_appeal_days, d(due))
                : fmt::format(
                      "Denied on {}: due {} days after the decision, {} (33 days when the "
                      "decision was mailed; the earlier date is shown to be safe).",
                      d(denied->date), t::k_appeal_days, d(due));
        std::string who;
        if (remedy == Remedy::aao_appeal || f.c.form == "I-129") {
          who =
              " Only the affected party, the petitioner or the applicant, may file (8 CFR "
              "103.3(a)(1)(iii)(B)); a beneficiary may file only where the notice says so (an "
              "I-140 revocation).";
        }
        if (!is_business_day(due, f.holidays)) {
          who +=
              " That day is a weekend or holiday: file by the business day before it to be "
              "safe.";
        }
        return Texts{title, fmt::format("{} {} {}.{}", k_notice_first, when, what, who),
                     fmt::format("File {} by {}. Consider consulting an immigration attorney "
                                 "before you file.",
                                 form, d(due))};
      },
      source, due);
}

}  // namespace casewatch::rules_detail

namespace casewatch {
using namespace rules_detail;

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

}  // namespace casewatch
