// SPDX-License-Identifier: MIT
#include "casewatch/domain/interchange.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "casewatch/domain/identifiers.hpp"
#include "casewatch/domain/validate.hpp"
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

constexpr std::array<std::string_view, 14> k_case_fields = {
    "receipt", "form", "category", "office", "received", "sent", "priority_date", "premium_start",
    "label", "note", "status",
    // The Visa Bulletin fields.
    "preference", "chargeability", "path"};

// The member of CaseText that holds a case field's text, or nullptr for a column casewatch
// does not read.
std::optional<std::string>* text_field(CaseText& t, std::string_view field) {
  if (field == "receipt")
    return &t.receipt;
  if (field == "form")
    return &t.form;
  if (field == "category")
    return &t.category;
  if (field == "office")
    return &t.office;
  if (field == "received")
    return &t.received;
  if (field == "sent")
    return &t.sent;
  if (field == "priority_date")
    return &t.priority_date;
  if (field == "premium_start")
    return &t.premium_start;
  if (field == "label")
    return &t.label;
  if (field == "note")
    return &t.note;
  if (field == "status")
    return &t.status;
  if (field == "preference")
    return &t.preference;
  if (field == "chargeability")
    return &t.chargeability;
  if (field == "path")
    return &t.path;
  return nullptr;
}

// Builds the case from its fields' text through the one definition of a valid case. In a
// file an empty value is a value not given.
Expected<Checked<Case>> build_case(const CaseText& text, Date today) {
  CaseCheck how;
  how.today = today;
  how.names = FieldNames::fields;
  how.allow_clear = true;
  how.any_status = true;
  return check_case(Case{}, text, how);
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
    j["preference"] = opt(c.preference);
    j["chargeability"] = opt(c.chargeability);
    j["path"] = c.path ? json(std::string(to_string(*c.path))) : json(nullptr);
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
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}", o(c.receipt), csv::quote(c.form),
                       o(c.category), o(c.office), o(c.received), o(c.sent), o(c.priority_date),
                       o(c.premium_start), o(c.label), o(c.note), to_string(c.status));
    out += fmt::format(",{},{},{}\n", o(c.preference), o(c.chargeability),
                       c.path ? to_string(*c.path) : "");
  }
  return out;
}

Expected<std::vector<CaseRecordIO>> import_cases_csv(std::string_view text, Date today,
                                                     std::vector<std::string>* warnings) {
  std::vector<std::string> said;
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
    CaseText t;
    bool encoding = false;  // a value read is not UTF-8: the file may be Windows-1252
    for (std::size_t col = 0; col < header.size(); ++col) {
      std::string value = col < rec.fields.size() ? rec.fields[col] : std::string();
      std::optional<std::string>* field = text_field(t, header[col]);
      if (field == nullptr || value.empty()) {
        continue;  // a column casewatch does not read, or a value not given
      }
      encoding = encoding || !text::is_valid_utf8(value);
      *field = std::move(value);
    }
    auto built = build_case(t, today);
    if (!built) {
      return Error{fmt::format("line {}, {}{}", rec.line, built.error(),
                               encoding ? "; save the sheet as 'CSV UTF-8', or import it "
                                          "with --encoding windows-1252"
                                        : "")};
    }
    r.c = built->value;
    said.insert(said.end(), built->warnings.begin(), built->warnings.end());
    out.push_back(std::move(r));
  }
  if (auto e = check_duplicates(out, [&](std::size_t i) { return out[i].origin; })) {
    return *e;
  }
  if (warnings != nullptr) {
    warnings->insert(warnings->end(), said.begin(), said.end());
  }
  return out;
}

Expected<std::vector<CaseRecordIO>> import_cases_json(std::string_view text, Date today,
                                                      std::vector<std::string>* warnings) {
  std::vector<std::string> said;
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
    CaseText t;
    for (std::string_view field : k_case_fields) {
      auto it = jc.find(std::string(field));
      if (it == jc.end()) {
        continue;
      }
      auto value = text_of(*it, expected_for(field));
      if (!value) {
        return Error{fmt::format("{}, field {}: {}", where(), field, value.error())};
      }
      if (!value->empty()) {
        *text_field(t, field) = *value;
      }
    }
    auto built = build_case(t, today);
    if (!built) {
      return Error{fmt::format("{}, {}", where(), built.error())};
    }
    r.c = built->value;
    said.insert(said.end(), built->warnings.begin(), built->warnings.end());
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
        // The event's fields as text, each checked for its type.
        EventText et;
        for (std::string_view name : {"kind", "date", "due", "ref", "office", "note"}) {
          auto it = je.find(std::string(name));
          if (it == je.end()) {
            continue;
          }
          auto value =
              text_of(*it, name == "kind" ? "an event kind as text (\"rfe\")" : expected_for(name));
          if (!value) {
            return fail(name, value.error());
          }
          if (name == "kind") {
            et.kind = *value;
          } else if (!value->empty()) {
            std::optional<std::string>& slot = name == "date"     ? et.date
                                               : name == "due"    ? et.due
                                               : name == "ref"    ? et.ref
                                               : name == "office" ? et.office
                                                                  : et.note;
            slot = *value;
          }
        }
        auto built_event = check_event(r.c, et, today, FieldNames::fields);
        if (!built_event) {
          return Error{fmt::format("{}, event {}, {}", where(), k + 1, built_event.error())};
        }
        Event e = built_event->value;
        said.insert(said.end(), built_event->warnings.begin(), built_event->warnings.end());
        e.id = static_cast<std::int64_t>(k + 1);
        r.events.push_back(std::move(e));
      }
    }
    out.push_back(std::move(r));
  }
  if (auto e = check_duplicates(out, [&](std::size_t i) { return out[i].origin; })) {
    return *e;
  }
  if (warnings != nullptr) {
    warnings->insert(warnings->end(), said.begin(), said.end());
  }
  return out;
}

Expected<std::vector<CaseRecordIO>> import_cases(std::string_view text, Date today,
                                                 std::vector<std::string>* warnings) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    return import_cases_json(text, today, warnings);
  }
  return import_cases_csv(text, today, warnings);
}

}  // namespace casewatch
