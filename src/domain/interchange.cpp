// SPDX-License-Identifier: MIT
#include "casewatch/domain/interchange.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "casewatch/domain/identifiers.hpp"
#include "casewatch/util/csv.hpp"
#include "casewatch/util/json_limits.hpp"
#include "casewatch/util/text.hpp"

namespace casewatch {
namespace {

using json = nlohmann::ordered_json;

constexpr std::string_view k_format = "casewatch-export";
constexpr int k_version = 1;

json opt(const std::optional<std::string>& s) {
  return s ? json(*s) : json(nullptr);
}
json opt(const std::optional<Date>& d) {
  return d ? json(format_date(*d)) : json(nullptr);
}

constexpr std::array<std::string_view, 11> k_case_fields = {
    "receipt",       "form",          "category", "office", "received", "sent",
    "priority_date", "premium_start", "label",    "note",   "status"};

// A field's failure, as "<where>: field <name>: <why>".
struct FieldError {
  std::string field;
  std::string why;
};

// Validates the text of one case field into `c`. Empty text means "not given".
std::optional<FieldError> set_field(Case& c, std::string_view field, const std::string& text,
                                    Date today) {
  if (text.empty() ||
      std::find(k_case_fields.begin(), k_case_fields.end(), field) == k_case_fields.end()) {
    return std::nullopt;  // not given, or a column casewatch does not read
  }
  // Every value is text a person typed: UTF-8, on one line (only the note may have several).
  if (auto p = text::problem(text, field == "note")) {
    return FieldError{std::string(field), "the value " + *p};
  }
  auto past_date = [&](std::optional<Date>& out) -> std::optional<FieldError> {
    auto d = parse_date(text, today);
    if (!d) {
      return FieldError{std::string(field), d.error()};
    }
    if (*d > today) {
      return FieldError{std::string(field),
                        fmt::format("{} is after today ({})", format_date(*d), format_date(today))};
    }
    out = *d;
    return std::nullopt;
  };
  auto check = [&](const Expected<std::string>& v,
                   std::optional<std::string>& out) -> std::optional<FieldError> {
    if (!v) {
      return FieldError{std::string(field), v.error()};
    }
    out = *v;
    return std::nullopt;
  };
  if (field == "receipt") {
    return check(normalize_receipt(text), c.receipt);
  }
  if (field == "form") {
    auto f = normalize_form(text);
    if (!f) {
      return FieldError{"form", f.error()};
    }
    c.form = *f;
    return std::nullopt;
  }
  if (field == "category") {
    return check(normalize_category(text), c.category);
  }
  if (field == "office") {
    return check(normalize_office(text), c.office);
  }
  if (field == "received") {
    return past_date(c.received);
  }
  if (field == "sent") {
    return past_date(c.sent);
  }
  if (field == "priority_date") {
    return past_date(c.priority_date);
  }
  if (field == "premium_start") {
    return past_date(c.premium_start);
  }
  if (field == "label") {
    c.label = text;
    return std::nullopt;
  }
  if (field == "note") {
    c.note = text;
    return std::nullopt;
  }
  if (field == "status") {
    auto s = parse_status(text);
    if (!s) {
      return FieldError{"status", s.error()};
    }
    c.status = *s;
    return std::nullopt;
  }
  return std::nullopt;  // other columns are ignored
}

// What every case needs once its fields are read.
std::optional<FieldError> check_whole(const Case& c) {
  if (c.form.empty()) {
    return FieldError{"form", "the value is missing; every case needs its form"};
  }
  if (c.receipt && !c.received) {
    return FieldError{"received", "the value is missing; a case with a receipt needs it"};
  }
  if (!c.receipt && !c.sent) {
    return FieldError{"sent", "the value is missing; a case without a receipt needs it"};
  }
  if (c.received && c.sent && *c.received < *c.sent) {
    return FieldError{"received", fmt::format("{} is before sent {}", format_date(*c.received),
                                              format_date(*c.sent))};
  }
  return std::nullopt;
}

// A JSON value in a message: its JSON text, shortened.
std::string shown(const json& v) {
  return text::printable(text::shorten(v.dump(), 40));
}

// The text of a field that holds a string or null ("" when null). `expected` says what the
// field takes, for the message when it holds another type.
Expected<std::string> text_of(const json& v, std::string_view expected) {
  if (v.is_null()) {
    return std::string();
  }
  if (v.is_string()) {
    return v.get<std::string>();
  }
  return Error{fmt::format("expected {}, got {}", expected, shown(v))};
}

std::string_view expected_for(std::string_view field) {
  if (field == "received" || field == "sent" || field == "priority_date" ||
      field == "premium_start" || field == "date" || field == "due") {
    return "a date as text (\"2024-10-18\") or null";
  }
  if (field == "status") {
    return "a status as text (\"pending\") or null";
  }
  return "text or null";
}

// The message of a library exception, without its "[json.exception.type_error.302] " tag.
std::string library_message(const nlohmann::json::exception& e) {
  std::string_view m = e.what();
  if (m.starts_with("[json.exception.")) {
    auto end = m.find("] ");
    if (end != std::string_view::npos) {
      m.remove_prefix(end + 2);
    }
  }
  return std::string(m);
}

// Parses `text` as JSON, refusing nesting deeper than casewatch's formats need before the
// library (which recurses once per level) sees it.
Expected<json> parse_json(std::string_view text) {
  if (auto p = json_limits::depth_problem(text)) {
    return Error{"not a JSON document casewatch reads: " + *p};
  }
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    return Error{fmt::format("not valid JSON at byte {}: {}", e.byte, library_message(e))};
  } catch (const json::exception& e) {
    return Error{fmt::format("not valid JSON: {}", library_message(e))};
  }
}

// Refuses a receipt seen before, naming where.
template <typename Where>
std::optional<Error> check_duplicates(const std::vector<CaseRecordIO>& cases, Where&& where) {
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (!cases[i].c.receipt) {
      continue;
    }
    auto [it, inserted] = seen.emplace(*cases[i].c.receipt, i);
    if (!inserted) {
      return Error{fmt::format("{}, field receipt: {} appears twice (also {})", where(i),
                               *cases[i].c.receipt, where(it->second))};
    }
  }
  return std::nullopt;
}

}  // namespace

std::string export_json(const std::vector<CaseRecordIO>& cases) {
  json out;
  out["format"] = k_format;
  out["version"] = k_version;
  out["cases"] = json::array();
  for (const CaseRecordIO& r : cases) {
    const Case& c = r.c;
    json j;
    j["id"] = c.id;
    j["receipt"] = opt(c.receipt);
    j["form"] = c.form;
    j["category"] = opt(c.category);
    j["office"] = opt(c.office);
    j["received"] = opt(c.received);
    j["sent"] = opt(c.sent);
    j["priority_date"] = opt(c.priority_date);
    j["premium_start"] = opt(c.premium_start);
    j["label"] = opt(c.label);
    j["note"] = opt(c.note);
    j["status"] = std::string(to_string(c.status));
    j["events"] = json::array();
    for (const Event& e : r.events) {
      j["events"].push_back({{"kind", std::string(to_string(e.kind))},
                             {"date", format_date(e.date)},
                             {"due", opt(e.due)},
                             {"ref", opt(e.ref)},
                             {"office", opt(e.office)},
                             {"note", opt(e.note)}});
    }
    out["cases"].push_back(std::move(j));
  }
  return out.dump(2) + "\n";
}

std::string export_csv(const std::vector<CaseRecordIO>& cases) {
  std::string out(k_case_csv_header);
  out += '\n';
  auto o = [](const auto& v) -> std::string {
    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::optional<Date>>) {
      return v ? format_date(*v) : "";
    } else {
      return v ? csv::quote(*v) : "";
    }
  };
  for (const CaseRecordIO& r : cases) {
    const Case& c = r.c;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", o(c.receipt), csv::quote(c.form),
                       o(c.category), o(c.office), o(c.received), o(c.sent), o(c.priority_date),
                       o(c.premium_start), o(c.label), o(c.note), to_string(c.status));
  }
  return out;
}

Expected<std::vector<CaseRecordIO>> import_cases_csv(std::string_view text, Date today) {
  auto records = csv::parse(text);
  if (!records) {
    return Error{records.error()};
  }
  if (records->empty()) {
    return Error{fmt::format("line 1: no header row; expected the columns {}", k_case_csv_header)};
  }
  const auto& header = records->front().fields;
  bool has_form = std::find(header.begin(), header.end(), "form") != header.end();
  if (!has_form) {
    return Error{fmt::format("line 1: the header has no column 'form'; expected the columns {}",
                             k_case_csv_header)};
  }
  std::vector<CaseRecordIO> out;
  for (std::size_t i = 1; i < records->size(); ++i) {
    const csv::Record& rec = (*records)[i];
    CaseRecordIO r;
    r.line = rec.line;
    r.origin = fmt::format("line {}", rec.line);
    for (std::size_t col = 0; col < header.size(); ++col) {
      std::string value = col < rec.fields.size() ? rec.fields[col] : std::string();
      if (auto e = set_field(r.c, header[col], value, today)) {
        bool encoding = !text::is_valid_utf8(value);
        return Error{fmt::format("line {}, field {}: {}{}", rec.line, e->field, e->why,
                                 encoding ? "; save the sheet as 'CSV UTF-8', or import it "
                                            "with --encoding windows-1252"
                                          : "")};
      }
    }
    if (auto e = check_whole(r.c)) {
      return Error{fmt::format("line {}, field {}: {}", rec.line, e->field, e->why)};
    }
    out.push_back(std::move(r));
  }
  if (auto e = check_duplicates(out, [&](std::size_t i) { return out[i].origin; })) {
    return *e;
  }
  return out;
}

Expected<std::vector<CaseRecordIO>> import_cases_json(std::string_view text, Date today) {
  auto parsed = parse_json(text);
  if (!parsed) {
    return Error{parsed.error()};
  }
  const json& doc = *parsed;
  const json* format = doc.is_object() && doc.contains("format") ? &doc["format"] : nullptr;
  if (format == nullptr || !format->is_string() || format->get<std::string>() != k_format) {
    return Error{fmt::format("not a casewatch export: the document needs \"format\": \"{}\"{}",
                             k_format,
                             format == nullptr ? "" : fmt::format(", got {}", shown(*format)))};
  }
  const json* version = doc.contains("version") ? &doc["version"] : nullptr;
  bool version_ok = version != nullptr &&
                    ((version->is_number_integer() && version->get<std::int64_t>() == k_version) ||
                     (version->is_number_unsigned() && version->get<std::uint64_t>() == 1U));
  if (!version_ok) {
    return Error{fmt::format(
        "field version: expected the whole number {} (the export version this casewatch "
        "reads), got {}",
        k_version, version == nullptr ? "nothing" : shown(*version))};
  }
  if (!doc.contains("cases") || !doc["cases"].is_array()) {
    return Error{fmt::format("field cases: expected an array of cases, got {}",
                             doc.contains("cases") ? shown(doc["cases"]) : "nothing")};
  }
  std::vector<CaseRecordIO> out;
  const json& cases = doc["cases"];
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const json& jc = cases[i];
    auto where = [&] {
      std::string r;
      if (jc.is_object() && jc.contains("receipt") && jc["receipt"].is_string()) {
        r = text::printable(text::shorten(jc["receipt"].get<std::string>(), 20));
      }
      return fmt::format("case {}{}", i + 1, r.empty() ? "" : " (" + r + ")");
    };
    if (!jc.is_object()) {
      return Error{fmt::format("{}: expected an object, got {}", where(), shown(jc))};
    }
    CaseRecordIO r;
    r.line = i + 1;
    r.origin = fmt::format("case {}", i + 1);
    for (std::string_view field : k_case_fields) {
      auto it = jc.find(std::string(field));
      if (it == jc.end()) {
        continue;
      }
      auto value = text_of(*it, expected_for(field));
      if (!value) {
        return Error{fmt::format("{}, field {}: {}", where(), field, value.error())};
      }
      if (auto e = set_field(r.c, field, *value, today)) {
        return Error{fmt::format("{}, field {}: {}", where(), e->field, e->why)};
      }
    }
    if (auto e = check_whole(r.c)) {
      return Error{fmt::format("{}, field {}: {}", where(), e->field, e->why)};
    }
    if (jc.contains("events") && !jc["events"].is_null()) {
      if (!jc["events"].is_array()) {
        return Error{fmt::format("{}, field events: expected an array of events, got {}", where(),
                                 shown(jc["events"]))};
      }
      const json& events = jc["events"];
      for (std::size_t k = 0; k < events.size(); ++k) {
        const json& je = events[k];
        auto fail = [&](std::string_view field, const std::string& why) {
          return Error{fmt::format("{}, event {}, field {}: {}", where(), k + 1, field, why)};
        };
        if (!je.is_object()) {
          return fail("event", fmt::format("expected an object, got {}", shown(je)));
        }
        // The event's fields as text, each checked for its type and as text.
        std::map<std::string_view, std::string> v;
        for (std::string_view name : {"kind", "date", "due", "ref", "office", "note"}) {
          auto it = je.find(std::string(name));
          if (it == je.end()) {
            continue;
          }
          auto t =
              text_of(*it, name == "kind" ? "an event kind as text (\"rfe\")" : expected_for(name));
          if (!t) {
            return fail(name, t.error());
          }
          if (auto p = text::problem(*t, name == "note")) {
            return fail(name, "the value " + *p);
          }
          v[name] = *t;
        }
        Event e;
        auto kind = parse_event_kind(v["kind"]);
        if (!kind) {
          return fail("kind", kind.error());
        }
        e.kind = *kind;
        auto d = parse_date(v["date"], today);
        if (!d) {
          return fail("date", d.error());
        }
        if (*d > today && !may_be_future(e.kind)) {
          return fail("date",
                      fmt::format("{} is after today ({})", format_date(*d), format_date(today)));
        }
        e.date = *d;
        if (const std::string& due = v["due"]; !due.empty()) {
          auto dd = parse_date(due, today);
          if (!dd) {
            return fail("due", dd.error());
          }
          e.due = *dd;
        }
        if (!v["ref"].empty()) {
          e.ref = v["ref"];
        }
        if (!v["note"].empty()) {
          e.note = v["note"];
        }
        if (const std::string& office = v["office"]; !office.empty()) {
          auto o = normalize_office(office);
          if (!o) {
            return fail("office", o.error());
          }
          e.office = *o;
        }
        if (e.kind == EventKind::transfer && !e.office) {
          return fail("office", "a transfer event needs the new office");
        }
        e.id = static_cast<std::int64_t>(k + 1);
        r.events.push_back(std::move(e));
      }
    }
    out.push_back(std::move(r));
  }
  if (auto e = check_duplicates(out, [&](std::size_t i) { return out[i].origin; })) {
    return *e;
  }
  return out;
}

Expected<std::vector<CaseRecordIO>> import_cases(std::string_view text, Date today) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    return import_cases_json(text, today);
  }
  return import_cases_csv(text, today);
}

}  // namespace casewatch
