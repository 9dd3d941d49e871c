// SPDX-License-Identifier: MIT
#include "casewatch/domain/validate.hpp"

#include "casewatch/domain/rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <span>

#include "casewatch/domain/bulletin.hpp"
#include "casewatch/domain/catalog.hpp"
#include "casewatch/domain/identifiers.hpp"
#include "casewatch/domain/rules.hpp"
#include "casewatch/util/text.hpp"

namespace casewatch {
namespace {

// The message head: "--received" or "field received".
std::string head(std::string_view field, FieldNames names) {
  return names == FieldNames::options ? field_name(field, names)
                                      : "field " + field_name(field, names);
}

Error fail(std::string_view field, FieldNames names, std::string_view why) {
  return Error{fmt::format("{}: {}", head(field, names), why)};
}

// Text a person typed: UTF-8, on one line unless `multi_line`.
std::optional<Error> text_problem(std::string_view field, FieldNames names, std::string_view t,
                                  bool multi_line) {
  if (auto p = text::problem(t, multi_line)) {
    return fail(field, names, fmt::format("the value {} {}", text::quoted(t), *p));
  }
  return std::nullopt;
}

Expected<Date> any_date(std::string_view field, FieldNames names, std::string_view t, Date today) {
  auto d = parse_date(t, today);
  if (!d) {
    return fail(field, names, d.error());
  }
  return *d;
}

// A date not after `today`, or not more than `slack_days` after it (a file written where
// the day has already begun, CaseCheck::slack_days).
Expected<Date> past_date(std::string_view field, FieldNames names, std::string_view t, Date today,
                         int slack_days = 0) {
  auto d = any_date(field, names, t, today);
  if (d && *d > today + date::days{slack_days}) {
    return fail(field, names,
                fmt::format("{} is after today ({}); give the date it happened{}", format_date(*d),
                            format_date(today),
                            slack_days > 0 ? fmt::format(" (a file may be {} day ahead, written "
                                                         "in a time zone where it has begun)",
                                                         slack_days)
                                           : std::string()));
  }
  return d;
}

// " (did you mean I-485?)", or nothing when no listed value is near.
std::string did_you_mean(const std::vector<std::string>& nearest) {
  if (nearest.empty()) {
    return "";
  }
  return fmt::format(" (did you mean {}?)", fmt::join(nearest, " or "));
}

// "BNY (Brooklyn NY)" for each office.
std::vector<std::string> with_names(const std::vector<std::string>& offices) {
  std::vector<std::string> out;
  for (const std::string& o : offices) {
    out.push_back(fmt::format("{} ({})", o, builtin_catalog().office_name(o)));
  }
  return out;
}

void warn_form(const std::string& form, std::vector<std::string>& warnings) {
  const Catalog& catalog = builtin_catalog();
  if (catalog.has_form(form)) {
    return;
  }
  if (catalog.knows_form(form)) {
    warnings.push_back(
        fmt::format("USCIS publishes no processing time for form {}; casewatch will use the "
                    "6-month rule for it (forms with times: casewatch times list)",
                    form));
  } else {
    // docs/rules.md `form-unknown`: no delay step until the form is one casewatch knows.
    warnings.push_back(fmt::format(
        "USCIS publishes no processing time for form {}{}, and casewatch does not know that "
        "form: it will suggest no e-Request or other step for the delay until the form is "
        "corrected, confirmed (--form-known) or its processing times are imported (forms with "
        "times: casewatch times list)",
        form, did_you_mean(catalog.nearest_forms(form))));
  }
}

void warn_office(const std::string& office, std::string_view form,
                 std::vector<std::string>& warnings) {
  const Catalog& catalog = builtin_catalog();
  auto for_form = catalog.offices_for(form);
  if (!catalog.has_office(office)) {
    warnings.push_back(fmt::format(
        "office {} is not in the USCIS office list of {}{} (a new field office?); "
        "'casewatch times offices' lists the codes",
        office, k_builtin_publication, did_you_mean(with_names(catalog.nearest_offices(office)))));
  } else if (!for_form.empty() &&
             std::find(for_form.begin(), for_form.end(), office) == for_form.end()) {
    warnings.push_back(
        fmt::format("USCIS posts no {} time for office {}; it posts {} times for: {}", form, office,
                    form, fmt::join(for_form, " ")));
  }
}

void warn_category(const std::string& category, std::string_view form,
                   std::vector<std::string>& warnings) {
  const Catalog& catalog = builtin_catalog();
  const auto& known = catalog.categories(form);
  if (!known.empty() && !catalog.has_category(form, category)) {
    std::vector<std::string> keys;
    for (const auto& k : known) {
      keys.push_back(k.key);
    }
    warnings.push_back(fmt::format(
        "{} has no category {} in the USCIS list{}; its categories: {}", form, category,
        did_you_mean(catalog.nearest_categories(form, category)), fmt::join(keys, ", ")));
  }
}

void take(std::vector<std::string>& warnings, const std::vector<std::string>& more) {
  warnings.insert(warnings.end(), more.begin(), more.end());
}

void warn_receipt(const std::string& receipt, std::vector<std::string>& warnings) {
  if (!is_known_receipt_prefix(receipt)) {
    warnings.push_back(
        fmt::format("receipt prefix {} is not one USCIS is known to use (EAC, WAC, LIN, SRC, "
                    "YSC, MSC, NBC, IOE); check the number on the notice",
                    receipt.substr(0, 3)));
  }
}

}  // namespace

std::string field_name(std::string_view field, FieldNames names) {
  if (names == FieldNames::fields) {
    return std::string(field);
  }
  if (field == "premium_start") {
    return "--premium";
  }
  if (field == "priority_date") {
    return "--priority-date";
  }
  if (field == "date") {
    return "--on";
  }
  if (field == "kind") {
    return "KIND";
  }
  std::string out = "--" + std::string(field);
  std::replace(out.begin(), out.end(), '_', '-');  // spouse_citizen_since
  return out;
}

Expected<Checked<std::string>> check_form(std::string_view head, std::string_view text) {
  if (auto p = text::problem(text, false)) {
    return Error{fmt::format("{}: the value {} {}", head, text::quoted(text), *p)};
  }
  auto f = normalize_form(text);
  if (!f) {
    return Error{fmt::format("{}: {}", head, f.error())};
  }
  Checked<std::string> out{*f, {}};
  warn_form(out.value, out.warnings);
  return out;
}

Expected<Checked<std::string>> check_category(std::string_view head, std::string_view text,
                                              std::string_view form) {
  if (auto p = text::problem(text, false)) {
    return Error{fmt::format("{}: the value {} {}", head, text::quoted(text), *p)};
  }
  const Catalog& catalog = builtin_catalog();
  auto v = normalize_category(text);
  if (v && catalog.has_category(form, *v)) {
    return Checked<std::string>{*v, {}};
  }
  // As USCIS describes it: "Family-based adjustment applications" is 131A-FAM.
  auto described = catalog.categories_described_as(form, text);
  if (described.size() == 1) {
    return Checked<std::string>{described.front(), {}};
  }
  // A Visa Bulletin preference category typed as the form's category.
  if (parse_preference(text)) {
    return Error{fmt::format(
        "{}: {} is a preference category of the Visa Bulletin, not a category of {}; give it as "
        "the preference (add or edit --preference, the column preference of a sheet)",
        head, text::quoted(text), form.empty() ? std::string("the form") : std::string(form))};
  }
  // As printed on the form or the notice: "(c)(9)" is 147-C9.
  auto printed = catalog.categories_printed_as(form, text);
  if (printed.size() == 1) {
    return Checked<std::string>{printed.front(), {}};
  }
  if (printed.size() > 1) {
    std::vector<std::string> each;
    for (const std::string& key : printed) {
      for (const Category& k : catalog.categories(form)) {
        if (k.key == key) {
          each.push_back(fmt::format("{} ({})", key, k.description));
        }
      }
    }
    return Error{fmt::format(
        "{}: {} is printed on more than one {} category: {}; give the key of the one on the "
        "notice",
        head, text::quoted(text), form, fmt::join(each, "; "))};
  }
  if (!v) {
    return Error{fmt::format("{}: {}", head, v.error())};
  }
  Checked<std::string> out{*v, {}};
  warn_category(out.value, form, out.warnings);
  return out;
}

Expected<Checked<std::string>> check_office(std::string_view head, std::string_view text,
                                            std::string_view form) {
  if (auto p = text::problem(text, false)) {
    return Error{fmt::format("{}: the value {} {}", head, text::quoted(text), *p)};
  }
  auto v = normalize_office(text);
  const Catalog& catalog = builtin_catalog();
  if (!v || !catalog.has_office(*v)) {
    // Its name as USCIS lists it, or its city ("Queens", "Brooklyn NY"): the code is stored.
    auto named = catalog.offices_named(text);
    if (named.size() > 1 && !form.empty()) {
      auto of_form = catalog.offices_for(form);
      std::erase_if(named, [&](const std::string& o) {
        return std::find(of_form.begin(), of_form.end(), o) == of_form.end();
      });
    }
    if (named.size() == 1) {
      v = named.front();
    }
  }
  if (!v) {
    return Error{fmt::format("{}: {}", head, v.error())};
  }
  // A receipt's prefix (MSC, EAC...) is not the office's code: say which office it means.
  if (!catalog.has_office(*v) && v->size() == 3) {
    if (auto office = office_from_receipt(*v); office && *office != *v) {
      return Error{fmt::format(
          "{}: {} is a receipt prefix, not an office; receipts that start with {} are the {}'s: "
          "give {}",
          head, *v, *v, catalog.office_name(*office), *office)};
    }
  }
  Checked<std::string> out{*v, {}};
  warn_office(out.value, form, out.warnings);
  return out;
}

Expected<Checked<Case>> check_case(const Case& base, const CaseText& text, const CaseCheck& how) {
  Checked<Case> out{base, {}};
  Case& c = out.value;
  const FieldNames names = how.names;

  // Every given value: text a person typed, then not empty unless it may be cleared.
  struct Given {
    std::string_view field;
    const std::optional<std::string>* text;
  };
  const Given given[] = {{"receipt", &text.receipt},
                         {"form", &text.form},
                         {"category", &text.category},
                         {"office", &text.office},
                         {"received", &text.received},
                         {"sent", &text.sent},
                         {"priority_date", &text.priority_date},
                         {"premium_start", &text.premium_start},
                         {"label", &text.label},
                         {"note", &text.note},
                         {"status", &text.status},
                         {"preference", &text.preference},
                         {"chargeability", &text.chargeability},
                         {"path", &text.path},
                         {"holder", &text.holder},
                         {"married", &text.married},
                         {"spouse_citizen_since", &text.spouse_citizen_since}};
  for (const Given& g : given) {
    if (!g.text->has_value()) {
      continue;
    }
    const std::string& t = **g.text;
    if (auto e = text_problem(g.field, names, t, g.field == "note")) {
      return *e;
    }
    bool clearable = g.field != "receipt" && g.field != "form" && g.field != "status";
    if (t.empty() && clearable && !how.allow_clear) {
      return fail(g.field, names, "the value is empty");
    }
  }

  if (text.receipt) {
    auto r = normalize_receipt(*text.receipt);
    if (!r) {
      return fail("receipt", names, r.error());
    }
    c.receipt = *r;
    warn_receipt(*c.receipt, out.warnings);
  }
  std::vector<std::string> form_warnings;
  if (text.form) {
    if (text.form->empty()) {
      return fail("form", names, "the value is missing; every case needs its form (e.g. I-485)");
    }
    auto f = check_form(head("form", names), *text.form);
    if (!f) {
      return Error{f.error()};
    }
    // docs/rules.md `form-unknown`: the same form typed again (edit) confirms it; another
    // form is not the one confirmed.
    if (how.form_again_confirms && f->value == base.form) {
      c.form_confirmed = true;
    } else if (f->value != base.form) {
      c.form_confirmed = false;
    }
    c.form = f->value;
    form_warnings = f->warnings;
  }
  // A yes/no field: yes, true, 1; no, false, 0 or "".
  auto set_yes_no = [&](bool& field, std::string_view name,
                        const std::optional<std::string>& t) -> std::optional<Error> {
    if (!t) {
      return std::nullopt;
    }
    std::string v = text::ascii_lower(*t);
    if (v == "yes" || v == "true" || v == "1") {
      field = true;
    } else if (v.empty() || v == "no" || v == "false" || v == "0") {
      field = false;
    } else {
      return fail(name, names, fmt::format("{} is not yes or no", text::quoted(*t)));
    }
    return std::nullopt;
  };
  if (auto e = set_yes_no(c.form_confirmed, "form_known", text.form_known)) {
    return *e;
  }
  // docs/rules.md `form-unknown`: a form casewatch knows needs no confirmation, and a
  // confirmed form says nothing more about it.
  if (builtin_catalog().knows_form(c.form)) {
    c.form_confirmed = false;
  }
  if (!c.form_confirmed) {
    take(out.warnings, form_warnings);
  }
  if (c.form.empty()) {
    return fail("form", names, "the value is missing; every case needs its form (e.g. I-485)");
  }
  // An optional field: "" clears it (only reached when clearing is allowed).
  auto set_text = [&](std::optional<std::string>& field, const std::optional<std::string>& t,
                      auto&& normalize) -> std::optional<Error> {
    if (!t) {
      return std::nullopt;
    }
    if (t->empty()) {
      field.reset();
      return std::nullopt;
    }
    auto v = normalize(*t);
    if (!v) {
      return Error{v.error()};
    }
    field = *v;
    return std::nullopt;
  };
  if (auto e =
          set_text(c.category, text.category, [&](const std::string& t) -> Expected<std::string> {
            auto v = check_category(head("category", names), t, c.form);
            if (!v) {
              return Error{v.error()};
            }
            take(out.warnings, v->warnings);
            return v->value;
          })) {
    return *e;
  }
  if (auto e = set_text(c.office, text.office, [&](const std::string& t) -> Expected<std::string> {
        auto v = check_office(head("office", names), t, c.form);
        if (!v) {
          return Error{v.error()};
        }
        take(out.warnings, v->warnings);
        return v->value;
      })) {
    return *e;
  }
  auto set_date = [&](std::optional<Date>& field, std::string_view name,
                      const std::optional<std::string>& t) -> std::optional<Error> {
    if (!t) {
      return std::nullopt;
    }
    if (t->empty()) {
      field.reset();
      return std::nullopt;
    }
    auto d = past_date(name, names, *t, how.today, how.slack_days);
    if (!d) {
      return Error{d.error()};
    }
    field = *d;
    return std::nullopt;
  };
  if (auto e = set_date(c.received, "received", text.received)) {
    return *e;
  }
  if (auto e = set_date(c.sent, "sent", text.sent)) {
    return *e;
  }
  if (auto e = set_date(c.priority_date, "priority_date", text.priority_date)) {
    return *e;
  }
  if (auto e = set_date(c.premium_start, "premium_start", text.premium_start)) {
    return *e;
  }
  auto plain = [](const std::string& t) -> Expected<std::string> { return t; };
  if (auto e = set_text(c.label, text.label, plain)) {
    return *e;
  }
  if (auto e = set_text(c.note, text.note, plain)) {
    return *e;
  }
  if (auto e = set_text(c.preference, text.preference,
                        [&](const std::string& t) -> Expected<std::string> {
                          auto v = parse_preference(t);
                          if (!v) {
                            return fail("preference", names, v.error());
                          }
                          return *v;
                        })) {
    return *e;
  }
  if (auto e = set_text(c.chargeability, text.chargeability,
                        [&](const std::string& t) -> Expected<std::string> {
                          if (auto p = chargeability_problem(t)) {
                            return fail("chargeability", names, *p);
                          }
                          return t;
                        })) {
    return *e;
  }
  if (auto e = set_text(c.holder, text.holder, plain)) {
    return *e;
  }
  if (auto e = set_date(c.married, "married", text.married)) {
    return *e;
  }
  if (auto e =
          set_date(c.spouse_citizen_since, "spouse_citizen_since", text.spouse_citizen_since)) {
    return *e;
  }
  if (auto e = set_yes_no(c.marriage_track, "marriage_track", text.marriage_track)) {
    return *e;
  }
  if (c.marriage_track && c.form != "N-400") {
    return fail("marriage_track", names,
                fmt::format("only an N-400 is filed on the marriage track (3 years married to a "
                            "U.S. citizen), not {}",
                            c.form));
  }
  if (text.path) {
    if (text.path->empty()) {
      c.path.reset();
    } else {
      auto p = parse_visa_path(*text.path);
      if (!p) {
        return fail("path", names, p.error());
      }
      c.path = *p;
    }
  }
  if (text.status) {
    auto s = parse_status(*text.status);
    if (!s) {
      return fail("status", names, s.error());
    }
    if (!how.any_status && *s != Status::pending && *s != Status::closed) {
      return fail("status", names,
                  fmt::format("{} is not accepted; use pending or closed (record approved, denied "
                              "or withdrawn as an event: casewatch event CASE {})",
                              text::quoted(*text.status), to_string(*s)));
    }
    c.status = *s;
  }

  // The whole case.
  if (c.receipt && !c.received) {
    return fail("received", names,
                fmt::format("the value is missing; case {} has a receipt number, so it needs the "
                            "Received Date on its receipt notice",
                            *c.receipt));
  }
  if (!c.receipt && !c.sent) {
    return fail("sent", names,
                fmt::format("the value is missing; a case without a receipt number needs the date "
                            "you sent the filing{}",
                            names == FieldNames::options
                                ? " (or give the receipt number: casewatch add IOE0912345678 "
                                  "--form ... --received ...)"
                                : ""));
  }
  if (c.received && c.sent && *c.received < *c.sent) {
    return fail(
        "received", names,
        fmt::format("{} is before {} {}; USCIS cannot receive a filing before it was sent",
                    format_date(*c.received), field_name("sent", names), format_date(*c.sent)));
  }
  return out;
}

namespace {

// A word from `list`, or the error naming the value, the nearest word and the list.
Expected<std::string> one_of(std::string_view field, FieldNames names, std::string_view t,
                             std::span<const std::string_view> list) {
  std::string low;
  for (char ch : t) {
    low += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  std::vector<std::string> near;
  std::size_t best = 3;
  for (std::string_view w : list) {
    if (w == low) {
      return std::string(w);
    }
    std::size_t dist = text::edit_distance(low, w);
    if (dist < best || (low.size() >= 3 && w.starts_with(low))) {
      best = std::min(dist, best);
      near = {std::string(w)};
    }
  }
  return fail(field, names,
              fmt::format("{} is not one of {}{}", text::quoted(t), fmt::join(list, ", "),
                          did_you_mean(near)));
}

std::string strip_hash(std::string_view s) {
  return std::string(s.starts_with('#') ? s.substr(1) : s);
}

// The checks that need the case's other events (docs/cli.md, "Event kinds").
std::optional<Error> check_against(const Case& c, Event& e, const EventText& text, FieldNames names,
                                   std::span<const Event> events) {
  auto dated = [&](EventKind k) {
    return std::any_of(events.begin(), events.end(), [&](const Event& x) {
      return x.kind == k && x.date <= e.date && x.id != e.id;
    });
  };
  // A case imported approved without its approval event (a CSV) is taken as approved.
  bool any_approval = std::any_of(events.begin(), events.end(), [&](const Event& x) {
    return x.kind == EventKind::approved && x.id != e.id;
  });
  if (e.kind == EventKind::visa_issued && (any_approval || c.status != Status::approved) &&
      !dated(EventKind::approved)) {
    return fail("date", names,
                fmt::format("a visa is issued after the petition's approval, and {} has no "
                            "approval on or before {}; record it first (event {} approved "
                            "--on DATE)",
                            display_name(c), format_date(e.date), display_name(c)));
  }
  if (e.kind == EventKind::g221_response && !dated(EventKind::g221)) {
    return fail("kind", names,
                fmt::format("a 221g-response answers a 221(g) refusal, and {} has no 221g on or "
                            "before {}; record the 221g first",
                            display_name(c), format_date(e.date)));
  }
  if (e.kind == EventKind::evidence) {
    const Event* target = nullptr;
    std::vector<std::string> numbers;
    for (const Event& x : events) {
      if (x.kind != EventKind::expedite) {
        continue;
      }
      numbers.push_back(fmt::format("{} ({})", x.seq, format_date(x.date)));
      bool match = !text.for_seq || std::to_string(x.seq) == strip_hash(*text.for_seq);
      if (match && (target == nullptr || !text.for_seq)) {
        target = &x;  // without --for: the latest expedite recorded
      }
    }
    if (target == nullptr) {
      return fail(text.for_seq ? "for" : "kind", names,
                  numbers.empty()
                      ? fmt::format("evidence supports an expedite request, and {} has none; "
                                    "record it first (event {} expedite --basis ...)",
                                    display_name(c), display_name(c))
                      : fmt::format("{} is not an expedite of {}; its expedites: {}",
                                    text::quoted(*text.for_seq), display_name(c),
                                    fmt::join(numbers, ", ")));
    }
    e.for_seq = target->seq;
  }
  return std::nullopt;
}

}  // namespace

namespace {

// The options of a few kinds only: --basis, --channel, --need-by (expedite), --class
// (visa-issued, entered), --for (evidence), --admin (221g).
std::optional<Error> check_event_options(Event& e, const EventText& text, Date today,
                                         FieldNames names) {
  auto only = [&](std::string_view field, bool given, bool allowed, std::string_view kinds) {
    return given && !allowed ? std::optional(fail(field, names,
                                                  fmt::format("only {} takes it, not {}", kinds,
                                                              to_string(e.kind))))
                             : std::nullopt;
  };
  bool expedite = e.kind == EventKind::expedite;
  bool with_class = e.kind == EventKind::visa_issued || e.kind == EventKind::entered;
  if (auto p = only("basis", !text.basis.empty(), expedite, "an expedite event")) {
    return p;
  }
  if (auto p = only("channel", text.channel.has_value(), expedite, "an expedite event")) {
    return p;
  }
  if (auto p = only("need_by", text.need_by.has_value() || text.kept_need_by.has_value(), expedite,
                    "an expedite event")) {
    return p;
  }
  if (auto p = only("class", text.visa_class.has_value(), with_class,
                    "a visa-issued or entered event")) {
    return p;
  }
  if (auto p = only("for", text.for_seq.has_value(), e.kind == EventKind::evidence,
                    "an evidence event")) {
    return p;
  }
  if (auto p = only("admin", text.admin, e.kind == EventKind::g221, "a 221g event")) {
    return p;
  }
  for (const std::string& b : text.basis) {
    auto basis = one_of("basis", names, b, expedite_bases());
    if (!basis) {
      return Error{basis.error()};
    }
    if (std::find(e.basis.begin(), e.basis.end(), *basis) == e.basis.end()) {
      e.basis.push_back(*basis);
    }
  }
  if (text.channel) {
    auto channel = one_of("channel", names, *text.channel, expedite_channels());
    if (!channel) {
      return Error{channel.error()};
    }
    e.channel = *channel;
  }
  if (text.need_by) {
    auto need_by = any_date("need_by", names, *text.need_by, today);
    if (!need_by) {
      return Error{need_by.error()};
    }
    if (*need_by < today && *need_by != text.kept_need_by) {
      return fail("need_by", names,
                  fmt::format("{} is in the past (today is {}); give the date the benefit is "
                              "still needed by",
                              format_date(*need_by), format_date(today)));
    }
    e.need_by = *need_by;
  } else {
    e.need_by = text.kept_need_by;
  }
  if (text.visa_class) {
    std::string cls;
    for (char ch : *text.visa_class) {
      if (ch != '-') {
        cls += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      }
    }
    bool shaped = cls.size() >= 2 && cls.size() <= 4 &&
                  std::isalpha(static_cast<unsigned char>(cls.front())) &&
                  std::all_of(cls.begin(), cls.end(),
                              [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)); });
    if (!shaped) {
      return fail("class", names,
                  fmt::format("{} is not a visa class; give it as printed on the visa: CR1, "
                              "CR2, IR1, IR2, F2A, EB2...",
                              text::quoted(*text.visa_class)));
    }
    e.visa_class = cls;
  }
  if (text.for_seq && text.for_seq->find_first_not_of("#0123456789") != std::string::npos) {
    return fail("for", names,
                fmt::format("{} is not an event number; give the expedite's number as 'show' "
                            "prints it",
                            text::quoted(*text.for_seq)));
  }
  e.admin = text.admin;
  return std::nullopt;
}

}  // namespace

Expected<Checked<Event>> check_event(const Case& c, const EventText& text, Date today,
                                     FieldNames names, int slack_days,
                                     std::span<const Event> events) {
  Checked<Event> out;
  Event& e = out.value;
  e.case_id = c.id;
  if (auto p = text_problem("kind", names, text.kind, false)) {
    return *p;
  }
  auto kind = parse_event_kind(text.kind);
  if (!kind) {
    return fail("kind", names, kind.error());
  }
  e.kind = *kind;
  const std::pair<std::string_view, const std::optional<std::string>*> given[] = {
      {"date", &text.date},
      {"due", &text.due},
      {"ref", &text.ref},
      {"office", &text.office},
      {"note", &text.note}};
  for (const auto& [field, t] : given) {
    if (t->has_value()) {
      if (auto p = text_problem(field, names, **t, field == "note")) {
        return *p;
      }
    }
  }
  auto present = [](const std::optional<std::string>& t) { return t && !t->empty(); };

  if (!present(text.date)) {
    return fail("date", names, "the value is missing; every event needs its date");
  }
  auto date = may_be_future(e.kind) ? any_date("date", names, *text.date, today)
                                    : past_date("date", names, *text.date, today, slack_days);
  if (!date) {
    return Error{date.error()};
  }
  e.date = *date;

  if (present(text.due)) {
    if (!may_have_due(e.kind)) {
      return fail("due", names,
                  fmt::format("only an rfe or noid event (the response due date), a receipt, "
                              "card-mailed, notice-mailed or card-returned event (USCIS's own "
                              "\"by\" date) or a visa-issued event (the visa's expiry) has a "
                              "due date, not {}",
                              to_string(e.kind)));
    }
    auto due = any_date("due", names, *text.due, today);
    if (!due) {
      return Error{due.error()};
    }
    if (*due < e.date) {
      return fail("due", names,
                  fmt::format("{} is before the {} date {}; the response is due after the notice",
                              format_date(*due), to_string(e.kind), format_date(e.date)));
    }
    e.due = *due;
  } else if (e.kind == EventKind::rfe || e.kind == EventKind::noid) {
    // docs/rules.md `rfe-due`: the date on the notice wins; without it the rules assume the
    // longest period USCIS may give, which is not the date on the notice.
    Date assumed = default_response_due(c.form, e.kind, e.date);
    out.warnings.push_back(fmt::format(
        "give the response date printed on the notice ({}); assuming {}, {} days after the {} of "
        "{}",
        names == FieldNames::options ? "--due DATE" : "the due field", format_date(assumed),
        default_response_days(c.form, e.kind), e.kind == EventKind::rfe ? "RFE" : "NOID",
        format_date(e.date)));
  }

  if (e.kind == EventKind::transfer) {
    if (!present(text.office)) {
      return fail("office", names,
                  "the value is missing; a transfer event needs the code of the new office "
                  "(e.g. QNS)");
    }
    auto office = check_office(head("office", names), *text.office, c.form);
    if (!office) {
      return Error{office.error()};
    }
    take(out.warnings, office->warnings);
    e.office = office->value;
  } else if (present(text.office)) {
    return fail("office", names,
                names == FieldNames::options
                    ? fmt::format("only a transfer event has an office (the new one); to set the "
                                  "case's office use 'casewatch edit {} --office {}'",
                                  display_name(c), text::printable(*text.office))
                    : fmt::format("only a transfer event has an office (the new one), not {}",
                                  to_string(e.kind)));
  }
  if (present(text.ref)) {
    e.ref = *text.ref;
  }
  if (present(text.note)) {
    e.note = *text.note;
  }
  if (auto p = check_event_options(e, text, today, names)) {
    return *p;
  }
  if (auto p = check_against(c, e, text, names, events)) {
    return *p;
  }
  return out;
}

Expected<Checked<Document>> check_document(const Document& base, const DocumentText& text,
                                           const CaseCheck& how) {
  Checked<Document> out{base, {}};
  Document& doc = out.value;
  const FieldNames names = how.names;
  const std::pair<std::string_view, const std::optional<std::string>*> given[] = {
      {"kind", &text.kind},         {"since", &text.since},   {"expires", &text.expires},
      {"category", &text.category}, {"holder", &text.holder}, {"note", &text.note}};
  for (const auto& [field, t] : given) {
    if (!t->has_value()) {
      continue;
    }
    if (auto p = text_problem(field, names, **t, field == "note")) {
      return *p;
    }
    if ((*t)->empty() && field != "kind" && !how.allow_clear) {
      return fail(field, names, "the value is empty");
    }
  }
  if (text.kind) {
    auto k = parse_document_kind(*text.kind);
    if (!k) {
      return fail("kind", names, k.error());
    }
    doc.kind = *k;
  }
  auto set_date = [&](std::optional<Date>& field, std::string_view name,
                      const std::optional<std::string>& t, bool past) -> std::optional<Error> {
    if (!t) {
      return std::nullopt;
    }
    if (t->empty()) {
      field.reset();
      return std::nullopt;
    }
    auto d = past ? past_date(name, names, *t, how.today) : any_date(name, names, *t, how.today);
    if (!d) {
      return Error{d.error()};
    }
    field = *d;
    return std::nullopt;
  };
  if (auto e = set_date(doc.since, "since", text.since, true)) {
    return *e;
  }
  if (auto e = set_date(doc.expires, "expires", text.expires, false)) {
    return *e;
  }
  if (text.holder) {
    doc.holder = text.holder->empty() ? std::nullopt : text.holder;
  }
  if (text.note) {
    doc.note = text.note->empty() ? std::nullopt : text.note;
  }
  if (text.category) {
    if (text.category->empty()) {
      doc.category.reset();
    } else {
      auto key = ead_category_key(*text.category);
      auto known = ead_categories();
      if (!key || std::find(known.begin(), known.end(), *key) == known.end()) {
        std::vector<std::string> keys(known.begin(), known.end());
        std::string typed = key ? *key : *text.category;
        for (char& ch : typed) {
          ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        }
        std::vector<std::string> near;
        for (std::size_t dist = 1; dist <= 2 && near.empty(); ++dist) {
          for (const std::string& k : keys) {
            if (text::edit_distance(typed, k) == dist && near.size() < 3) {
              near.push_back(fmt::format("{} {}", k, ead_category_printed(k)));
            }
          }
        }
        return fail("category", names,
                    fmt::format("{} is not an EAD category of 8 CFR 274a.12{}; give it as "
                                "printed on the card, e.g. (c)(9), c09 or A05",
                                text::quoted(*text.category), did_you_mean(near)));
      }
      doc.category = *key;
    }
  }

  // The whole document.
  const std::string kind(to_string(doc.kind));
  if (doc.category && doc.kind != DocumentKind::ead) {
    return fail("category", names,
                fmt::format("only a work permit (ead) has a category, not a {}", kind));
  }
  if ((doc.kind == DocumentKind::ead || doc.kind == DocumentKind::daca ||
       doc.kind == DocumentKind::advance_parole) &&
      !doc.expires) {
    return fail("expires", names,
                fmt::format("the value is missing; a {} needs the last day it is valid", kind));
  }
  if ((doc.kind == DocumentKind::green_card || doc.kind == DocumentKind::conditional_green_card) &&
      !doc.since && !doc.expires) {
    return fail("since", names,
                fmt::format("the value is missing; a {} needs its Resident Since date (or "
                            "{} the card's expiry)",
                            kind, field_name("expires", names)));
  }
  if (doc.since && doc.expires && *doc.expires < *doc.since) {
    return fail("expires", names,
                fmt::format("{} is before {} {}; a document expires after it is issued",
                            format_date(*doc.expires), field_name("since", names),
                            format_date(*doc.since)));
  }
  if (doc.kind == DocumentKind::conditional_green_card && doc.since && doc.expires &&
      *doc.expires > add_months(*doc.since, 24)) {
    return fail("expires", names,
                fmt::format("{} is more than 2 years after {} {}; a conditional green card is "
                            "valid for 2 years (a 10-year card is kind green-card)",
                            format_date(*doc.expires), field_name("since", names),
                            format_date(*doc.since)));
  }
  return out;
}

Expected<Trip> check_trip(const TripText& text, std::span<const Trip> others, Date today,
                          FieldNames names) {
  Trip trip;
  const std::pair<std::string_view, const std::optional<std::string>*> given[] = {
      {"holder", &text.holder}, {"left", &text.left}, {"returned", &text.returned}};
  for (const auto& [field, t] : given) {
    if (t->has_value()) {
      if (auto p = text_problem(field, names, **t, false)) {
        return *p;
      }
    }
  }
  if (!text.holder || text.holder->empty()) {
    return fail("holder", names, "the value is missing; a trip belongs to a person (a label)");
  }
  trip.holder = *text.holder;
  if (!text.left || text.left->empty()) {
    return fail("left", names, "the value is missing; give the day you left the United States");
  }
  // A trip may be recorded before it starts (a planned trip): ap-travel and n400-early count
  // it from its departure (docs/cli.md, `trip add`).
  auto left = any_date("left", names, *text.left, today);
  if (!left) {
    return Error{left.error()};
  }
  trip.left = *left;
  if (text.returned && !text.returned->empty()) {
    auto back = any_date("returned", names, *text.returned, today);
    if (!back) {
      return Error{back.error()};
    }
    if (*back < trip.left) {
      return fail(
          "returned", names,
          fmt::format("{} is before {} {}; a trip returns after it leaves", format_date(*back),
                      field_name("left", names), format_date(trip.left)));
    }
    trip.returned = *back;
  }
  // Two trips of one person overlap when each leaves before the other is back (a return and a
  // departure on the same day do not overlap).
  for (const Trip& o : others) {
    if (o.holder != trip.holder || o.id == trip.id) {
      continue;
    }
    bool before = trip.returned && *trip.returned <= o.left;
    bool after = o.returned && trip.left >= *o.returned;
    if (!before && !after) {
      return fail(
          "left", names,
          fmt::format("the trip {} to {} overlaps trip {} of {} ({} to {})", format_date(trip.left),
                      trip.returned ? format_date(*trip.returned) : "now", o.id,
                      text::printable(o.holder), format_date(o.left),
                      o.returned ? format_date(*o.returned) : "now, still abroad"));
    }
  }
  return trip;
}

}  // namespace casewatch

namespace casewatch {

std::optional<Error> check_renewed_by(DocumentKind kind, const Case& c, FieldNames names) {
  auto forms = renewing_forms(kind);
  if (std::find(forms.begin(), forms.end(), c.form) != forms.end()) {
    return std::nullopt;
  }
  return fail("renewed_by", names,
              fmt::format("case {} ({}) does not renew a document of kind {}{}", display_name(c),
                          c.form, to_string(kind),
                          forms.empty()
                              ? std::string(" (nothing renews it)")
                              : fmt::format("; give a case of form {}", fmt::join(forms, " or "))));
}

}  // namespace casewatch
