// SPDX-License-Identifier: MIT
#include "case_options.hpp"

#include <fmt/format.h>

#include "casewatch/util/text.hpp"

namespace casewatch::cli {
namespace {

std::optional<std::string> given(const CLI::Option* o, const std::string& value) {
  if (o == nullptr || o->count() == 0) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

void CaseOptions::add_to(CLI::App& cmd) {
  form_opt = cmd.add_option("--form", form, "USCIS form: I-485, N-400, I-130, I-765...");
  received_opt =
      cmd.add_option("--received", received, "The Received Date on the I-797C receipt notice");
  sent_opt = cmd.add_option("--sent", sent, "The date you sent the filing (before a receipt)");
  category_opt =
      cmd.add_option("--category", category, "USCIS form category, e.g. 131A-FAM, 147-C9");
  office_opt = cmd.add_option("--office", office,
                              "USCIS office code, e.g. QNS, NBC, NSC (default: from the receipt)");
  label_opt = cmd.add_option("--label", label, "Your name for the case");
  priority_opt = cmd.add_option("--priority-date", priority_date, "The priority date");
  premium_opt = cmd.add_option("--premium", premium, "The date premium processing (I-907) started");
  note_opt = cmd.add_option("--note", note, "A note");
  preference_opt = cmd.add_option("--preference", preference,
                                  "Visa Bulletin category: F1 F2A F2B F3 F4 EB1-EB5 EW SR, or IR");
  chargeability_opt = cmd.add_option("--chargeability", chargeability,
                                     "Country of chargeability (birth): name or ISO code");
  path_opt =
      cmd.add_option("--path", path, "adjustment or consular (default: adjustment for an I-485)");
  holder_opt = cmd.add_option("--holder", holder,
                              "The person the case is for (a label; documents use the same)");
  marriage_track_opt = cmd.add_flag("--marriage-track", marriage_track,
                                    "N-400: 3 years married to a U.S. citizen (not 5 years)");
  married_opt = cmd.add_option("--married", married, "N-400 marriage track: the marriage date");
  spouse_opt = cmd.add_option("--spouse-citizen-since", spouse_citizen_since,
                              "N-400 marriage track: the day the spouse became a citizen");
  form_known_opt =
      cmd.add_flag("--form-known", form_known,
                   "Confirm a form casewatch does not know (no typo): the 6-month rule applies");
  derivative_opt =
      cmd.add_option("--derivative-of", derivative_of,
                     "A derivative's case: the principal's case (receipt, #id or label)");
}

void CaseOptions::apply_derivative(Context& ctx, Case& c) const {
  if (derivative_opt == nullptr || derivative_opt->count() == 0) {
    return;
  }
  if (derivative_of.empty()) {
    c.derivative_of.reset();
    return;
  }
  Case principal = ctx.resolve_case_or_label(derivative_of);
  if (c.id != 0 && principal.id == c.id) {
    throw UsageError(fmt::format("--derivative-of: {} is this case; give the principal's case",
                                 text::quoted(derivative_of)));
  }
  c.derivative_of = principal.id;
}

CaseText CaseOptions::text() const {
  CaseText t;
  t.form = given(form_opt, form);
  t.category = given(category_opt, category);
  t.office = given(office_opt, office);
  t.received = given(received_opt, received);
  t.sent = given(sent_opt, sent);
  t.label = given(label_opt, label);
  t.priority_date = given(priority_opt, priority_date);
  t.premium_start = given(premium_opt, premium);
  t.note = given(note_opt, note);
  t.preference = given(preference_opt, preference);
  t.chargeability = given(chargeability_opt, chargeability);
  t.path = given(path_opt, path);
  t.holder = given(holder_opt, holder);
  t.married = given(married_opt, married);
  t.spouse_citizen_since = given(spouse_opt, spouse_citizen_since);
  if (marriage_track_opt != nullptr && marriage_track_opt->count() > 0) {
    t.marriage_track = marriage_track ? "yes" : "no";
  }
  if (form_known_opt != nullptr && form_known_opt->count() > 0) {
    t.form_known = form_known ? "yes" : "no";
  }
  return t;
}

Case checked_case(Context& ctx, const Case& base, const CaseText& text, bool allow_clear,
                  bool any_status) {
  CaseCheck how;
  how.today = ctx.as_of();
  how.names = FieldNames::options;
  how.allow_clear = allow_clear;
  how.any_status = any_status;
  how.form_again_confirms = allow_clear;  // edit
  auto checked = check_case(base, text, how);
  if (!checked) {
    throw UsageError(checked.error());
  }
  for (const std::string& w : checked->warnings) {
    ctx.warn(w);
  }
  return checked->value;
}

std::string summary(const Case& c) {
  std::string s = c.receipt ? fmt::format("{} (#{})", *c.receipt, c.id) : fmt::format("#{}", c.id);
  s += ": " + c.form;
  if (c.category) {
    s += " " + *c.category;
  }
  if (c.received) {
    s += ", received " + format_date(*c.received);
  } else if (c.sent) {
    s += ", sent " + format_date(*c.sent);
  }
  if (c.office) {
    s += ", office " + *c.office;
  }
  if (c.label) {
    s += fmt::format(", \"{}\"", text::printable(*c.label));
  }
  return s;
}

}  // namespace casewatch::cli
