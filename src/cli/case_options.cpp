// SPDX-License-Identifier: MIT
#include "case_options.hpp"

#include <fmt/format.h>

#include "casewatch/domain/identifiers.hpp"
#include "casewatch/util/text.hpp"

namespace casewatch::cli {
namespace {

bool given(const CLI::Option* o) {
  return o != nullptr && o->count() > 0;
}

template <typename T, typename Parse>
void set_optional(std::optional<T>& field, const CLI::Option* o, const std::string& text,
                  bool allow_clear, Parse&& parse) {
  if (!given(o)) {
    return;
  }
  if (text.empty()) {
    if (!allow_clear) {
      throw UsageError(fmt::format("{}: the value is empty", o->get_name()));
    }
    field.reset();
    return;
  }
  field = parse(text);
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
}

void CaseOptions::apply(Context& ctx, Case& c, bool allow_clear) const {
  if (given(form_opt)) {
    c.form = ctx.parse_form("--form", form);
  }
  set_optional(c.category, category_opt, category, allow_clear,
               [&](const std::string& t) { return ctx.parse_category("--category", t, c.form); });
  set_optional(c.office, office_opt, office, allow_clear,
               [&](const std::string& t) { return ctx.parse_office("--office", t, c.form); });
  set_optional(c.received, received_opt, received, allow_clear,
               [&](const std::string& t) { return ctx.parse_past_date("--received", t); });
  set_optional(c.sent, sent_opt, sent, allow_clear,
               [&](const std::string& t) { return ctx.parse_past_date("--sent", t); });
  set_optional(c.priority_date, priority_opt, priority_date, allow_clear,
               [&](const std::string& t) { return ctx.parse_past_date("--priority-date", t); });
  set_optional(c.premium_start, premium_opt, premium, allow_clear,
               [&](const std::string& t) { return ctx.parse_past_date("--premium", t); });
  set_optional(c.label, label_opt, label, allow_clear,
               [&](const std::string& t) { return ctx.parse_text("--label", t); });
  set_optional(c.note, note_opt, note, allow_clear,
               [&](const std::string& t) { return ctx.parse_text("--note", t, true); });
}

void check_case(Context& ctx, const Case& c) {
  if (c.receipt && !c.received) {
    throw UsageError(fmt::format(
        "case {} needs --received, the Received Date on its receipt notice", *c.receipt));
  }
  if (!c.receipt && !c.sent) {
    throw UsageError("a case without a receipt number needs --sent, the date you sent the filing");
  }
  if (c.received && c.sent && *c.received < *c.sent) {
    throw UsageError(
        fmt::format("--received {} is before --sent {}; USCIS cannot receive a "
                    "filing before it was sent",
                    format_date(*c.received), format_date(*c.sent)));
  }
  if (c.receipt && !is_known_receipt_prefix(*c.receipt)) {
    ctx.warn(
        fmt::format("receipt prefix {} is not one USCIS is known to use (EAC, WAC, LIN, "
                    "SRC, YSC, MSC, NBC, IOE); check the number on the notice",
                    c.receipt->substr(0, 3)));
  }
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
