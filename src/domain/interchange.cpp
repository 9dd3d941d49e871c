// SPDX-License-Identifier: MIT
#include "casewatch/domain/interchange.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <istream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <streambuf>
#include <unordered_map>

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

// A stored text for the export: bytes that are not UTF-8 (written outside casewatch) escaped,
// as every output shows them.
json opt(const std::optional<std::string>& s) {
  return s ? json(text::utf8_or_escaped(*s)) : json(nullptr);
}
json opt(const std::optional<Date>& d) {
  return d ? json(format_date(*d)) : json(nullptr);
}

constexpr std::array<std::string_view, 19> k_case_fields = {
    "receipt", "form", "category", "office", "received", "sent", "priority_date", "premium_start",
    "label", "note", "status",
    // The Visa Bulletin fields.
    "preference", "chargeability", "path",
    // The person, and an N-400's marriage track (docs/rules.md `n400-early`).
    "holder", "marriage_track", "married", "spouse_citizen_since",
    // A form casewatch does not know, confirmed (docs/rules.md `form-unknown`).
    "form_known"};

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
  if (field == "holder")
    return &t.holder;
  if (field == "marriage_track")
    return &t.marriage_track;
  if (field == "married")
    return &t.married;
  if (field == "spouse_citizen_since")
    return &t.spouse_citizen_since;
  if (field == "form_known")
    return &t.form_known;
  return nullptr;
}

// Builds the case from its fields' text through the one definition of a valid case. In a
// file an empty value is a value not given.
Expected<Checked<Case>> build_case(const CaseText& text, Date today) {
  CaseCheck how;
  how.today = today;
  how.slack_days = k_import_slack_days;
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
      field == "premium_start" || field == "date" || field == "due" || field == "married" ||
      field == "spouse_citizen_since") {
    return "a date as text (\"2024-10-18\") or null";
  }
  if (field == "status") {
    return "a status as text (\"pending\") or null";
  }
  if (field == "marriage_track" || field == "form_known") {
    return "\"yes\", \"no\" or null";
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

// A receipt given twice in a file: by the case at `where`, and before by the one at `also`.
std::string twice_message(std::string_view where, std::string_view receipt, std::string_view also) {
  return fmt::format("{}, field receipt: {} appears twice (also {})", where, receipt, also);
}

// Every receipt seen before in the file, naming where.
template <typename Where>
std::vector<std::string> duplicate_errors(const std::vector<CaseRecordIO>& cases, Where&& where) {
  std::vector<std::string> out;
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (!cases[i].c.receipt) {
      continue;
    }
    auto [it, inserted] = seen.emplace(*cases[i].c.receipt, i);
    if (!inserted) {
      out.push_back(twice_message(where(i), *cases[i].c.receipt, where(it->second)));
    }
  }
  return out;
}

template <typename Where>
std::optional<Error> check_duplicates(const std::vector<CaseRecordIO>& cases, Where&& where) {
  auto errors = duplicate_errors(cases, where);
  if (errors.empty()) {
    return std::nullopt;
  }
  return Error{errors.front()};
}

// "lines 4, 9 and 12" (at most five named, then how many more).
std::string lines_named(const std::vector<std::string>& lines) {
  constexpr std::size_t k_named = 5;
  if (lines.size() == 1) {
    return "line " + lines.front();
  }
  std::vector<std::string> named(
      lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(std::min(lines.size(), k_named)));
  if (lines.size() > k_named) {
    return fmt::format("lines {} and {} more", fmt::join(named, ", "), lines.size() - k_named);
  }
  std::string last = named.back();
  named.pop_back();
  return fmt::format("lines {} and {}", fmt::join(named, ", "), last);
}

// The same error of several rows said once, where the first of them was: "3 rows (lines 4,
// 9 and 12), field category: ...". Errors that name no line stay as they are.
std::vector<std::string> grouped(const std::vector<std::string>& errors) {
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // what, lines
  std::map<std::string, std::size_t, std::less<>> index;
  for (const std::string& e : errors) {
    std::string_view v = e;
    std::size_t digits = v.starts_with("line ") ? v.find_first_not_of("0123456789", 5) : 0;
    if (digits == 0 || digits == 5 || digits == std::string_view::npos ||
        v.substr(digits, 2) != ", ") {
      groups.push_back({e, {}});
      continue;
    }
    std::string what(v.substr(digits + 2));
    std::string line(v.substr(5, digits - 5));
    auto [it, added] = index.emplace(what, groups.size());
    if (added) {
      groups.push_back({what, {line}});
    } else {
      groups[it->second].second.push_back(line);
    }
  }
  std::vector<std::string> out;
  for (const auto& [what, lines] : groups) {
    if (lines.empty()) {
      out.push_back(what);
    } else if (lines.size() == 1) {
      out.push_back(fmt::format("line {}, {}", lines.front(), what));
    } else {
      out.push_back(fmt::format("{} rows ({}), {}", lines.size(), lines_named(lines), what));
    }
  }
  return out;
}

// One error of a file, or several: one line each (the same error of several rows once), up
// to k_max_listed_errors, then a line that counts them ("3 rows are not valid; nothing was
// imported").
Error row_errors(const std::vector<std::string>& all, std::string_view what) {
  if (all.size() == 1) {
    return Error{all.front()};
  }
  std::vector<std::string> errors = grouped(all);
  std::string out;
  std::size_t listed = std::min(errors.size(), k_max_listed_errors);
  for (std::size_t i = 0; i < listed; ++i) {
    out += errors[i];
    out += '\n';
  }
  if (listed < errors.size()) {
    out += fmt::format("{} {} ({} more not listed); nothing was imported", all.size(), what,
                       errors.size() - listed);
  } else {
    out += fmt::format("{} {}; nothing was imported", all.size(), what);
  }
  return Error{out};
}

// A cell with nothing but blanks.
bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// A header as a law office writes it: letters and digits only, lower case ("Receipt #" is
// "receipt", "Date Received" is "datereceived", "priority_date" is "prioritydate").
std::string header_key(std::string_view header) {
  std::string out;
  for (char c : header) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0) {
      out += static_cast<char>(std::tolower(u));
    }
  }
  return out;
}

}  // namespace

const std::vector<CsvColumn>& csv_columns() {
  static const std::vector<CsvColumn> k_columns = {
      {"receipt",
       {"Receipt", "Receipt #", "Receipt Number", "Receipt No", "Case Number", "Case #",
        "USCIS Receipt Number"}},
      {"form", {"Form", "Form Type", "Form #", "Form Number", "USCIS Form"}},
      {"category",
       {"Category", "Form Category", "Eligibility Category", "Classification", "Subtype"}},
      {"office", {"Office", "Office Code", "Field Office", "Service Center", "USCIS Office"}},
      {"received",
       {"Received", "Received Date", "Date Received", "Receipt Date", "Date of Receipt"}},
      {"sent", {"Sent", "Sent Date", "Date Sent", "Mailed", "Date Mailed", "Filed", "Date Filed"}},
      {"priority_date", {"Priority Date", "PD"}},
      {"premium_start", {"Premium Start", "Premium Processing Start", "Premium Start Date"}},
      {"label",
       {"Label", "Client", "Client Name", "Name", "Beneficiary", "Beneficiary Name", "Applicant",
        "Applicant Name"}},
      {"note", {"Note", "Notes", "Remarks"}},
      {"status", {"Status", "Case Status"}},
      // The Visa Bulletin fields.
      {"preference", {"Preference", "Preference Category", "Visa Preference"}},
      {"chargeability", {"Chargeability", "Country of Chargeability"}},
      {"path", {"Path"}},
      // The person, and an N-400's marriage track.
      {"holder", {"Holder", "Person"}},
      {"marriage_track", {"Marriage Track"}},
      {"married", {"Married", "Marriage Date", "Date of Marriage"}},
      {"spouse_citizen_since", {"Spouse Citizen Since", "Spouse Naturalized"}},
      {"form_known", {"Form Known"}},
  };
  return k_columns;
}

std::optional<std::string_view> csv_header_field(std::string_view header) {
  std::string key = header_key(header);
  if (key.empty()) {
    return std::nullopt;
  }
  for (const CsvColumn& c : csv_columns()) {
    if (header_key(c.field) == key) {
      return c.field;
    }
    for (std::string_view alias : c.aliases) {
      if (header_key(alias) == key) {
        return c.field;
      }
    }
  }
  return std::nullopt;
}

namespace {

json case_export(const Case& c, const std::vector<Event>& events,
                 const std::optional<std::string>& principal) {
  json j;
  j["id"] = c.id;
  j["receipt"] = opt(c.receipt);
  j["form"] = text::utf8_or_escaped(c.form);
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
  j["holder"] = opt(c.holder);
  j["marriage_track"] = c.marriage_track ? json("yes") : json(nullptr);
  j["married"] = opt(c.married);
  j["spouse_citizen_since"] = opt(c.spouse_citizen_since);
  // The principal's case as the file names it (its receipt, else its label), never an id.
  j["derivative_of"] = principal ? json(text::utf8_or_escaped(*principal)) : json(nullptr);
  j["form_known"] = c.form_confirmed ? json("yes") : json(nullptr);
  j["events"] = json::array();
  for (const Event& e : events) {
    json basis = json::array();
    for (const std::string& b : e.basis) {
      basis.push_back(b);
    }
    j["events"].push_back({{"n", e.seq > 0 ? json(e.seq) : json(nullptr)},
                           {"kind", std::string(to_string(e.kind))},
                           {"date", format_date(e.date)},
                           {"due", opt(e.due)},
                           {"ref", opt(e.ref)},
                           {"office", opt(e.office)},
                           {"note", opt(e.note)},
                           {"basis", std::move(basis)},
                           {"channel", opt(e.channel)},
                           {"need_by", opt(e.need_by)},
                           {"class", opt(e.visa_class)},
                           {"for", e.for_seq ? json(*e.for_seq) : json(nullptr)},
                           {"admin", e.admin},
                           {"source", opt(e.source)},
                           {"observed", opt(e.observed)},
                           {"title", opt(e.title)}});
  }
  return j;
}

}  // namespace

std::string export_json(const std::vector<CaseRecordIO>& cases) {
  json out;
  out["format"] = k_format;
  out["version"] = k_version;
  out["cases"] = json::array();
  std::vector<Case> all;
  for (const CaseRecordIO& r : cases) {
    all.push_back(r.c);
  }
  for (const CaseRecordIO& r : cases) {
    out["cases"].push_back(case_export(r.c, r.events, principal_ref(r.c, all)));
  }
  return out.dump(2) + "\n";
}

std::string export_json_head() {
  return fmt::format("{{\n  \"format\": \"{}\",\n  \"version\": {},\n  \"cases\": [", k_format,
                     k_version);
}

std::string indent_json(std::string_view dumped, std::size_t depth) {
  std::string out;
  out.reserve(dumped.size() + dumped.size() / 8);
  std::string indent = "\n" + std::string(2 * depth, ' ');
  std::size_t from = 0;
  for (std::size_t nl = dumped.find('\n'); nl != std::string_view::npos;
       nl = dumped.find('\n', from)) {
    out.append(dumped.substr(from, nl - from));
    out += indent;
    from = nl + 1;
  }
  out.append(dumped.substr(from));
  return out;
}

std::string export_json_case(const Case& c, const std::vector<Event>& events,
                             const std::optional<std::string>& principal) {
  return indent_json(case_export(c, events, principal).dump(2), 2);
}

std::string case_ref(const Case& c, std::size_t position) {
  if (c.receipt) {
    return *c.receipt;
  }
  if (c.label) {
    return *c.label;
  }
  return fmt::format("case {}", position + 1);
}

std::optional<std::string> principal_ref(const Case& c, std::span<const Case> all) {
  if (!c.derivative_of) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].id == *c.derivative_of) {
      return case_ref(all[i], i);
    }
  }
  return std::nullopt;
}

namespace {

// "10.5" or "4": a posted time's value as `times set` takes it.
std::string posted_value(const PostedTime& t) {
  return t.halves % 2 == 0 ? std::to_string(t.halves / 2) : fmt::format("{}.5", t.halves / 2);
}

// A processing-time row of an export: {"form", "category", "office", "time", "unit",
// "published", "inquiry_date", "source"} (docs/json.md).
Expected<ProcessingTime> time_from_json(const json& j, std::size_t i) {
  auto where = [i](std::string_view field) {
    return fmt::format("times row {}, field {}", i + 1, field);
  };
  if (!j.is_object()) {
    return Error{fmt::format("times row {}: expected an object, got {}", i + 1, shown(j))};
  }
  auto str = [&](std::string_view field) -> Expected<std::string> {
    auto it = j.find(std::string(field));
    if (it == j.end() || !it->is_string()) {
      return Error{fmt::format("{}: expected text, got {}", where(field),
                               it == j.end() ? std::string("nothing") : shown(*it))};
    }
    return it->get<std::string>();
  };
  ProcessingTime row;
  for (auto [field, into] : {std::pair<std::string_view, std::string*>{"form", &row.form},
                             {"category", &row.category},
                             {"office", &row.office},
                             {"source", &row.source}}) {
    auto v = str(field);
    if (!v) {
      return Error{v.error()};
    }
    *into = *v;
  }
  if (row.form.empty() || row.source.empty()) {
    return Error{
        fmt::format("{}: the value is missing", where(row.form.empty() ? "form" : "source"))};
  }
  auto value = str("time");
  auto unit = str("unit");
  if (!value || !unit) {
    return Error{!value ? value.error() : unit.error()};
  }
  auto time = parse_posted_time(*value, *unit);
  if (!time) {
    return Error{fmt::format("{}: {}", where("time"), time.error())};
  }
  row.time = *time;
  auto published = str("published");
  if (!published) {
    return Error{published.error()};
  }
  auto p = parse_iso_date(*published);
  if (!p) {
    return Error{fmt::format("{}: {} is not a date (YYYY-MM-DD)", where("published"),
                             text::quoted(*published))};
  }
  row.published = *p;
  if (j.contains("inquiry_date") && !j["inquiry_date"].is_null()) {
    auto t = str("inquiry_date");
    auto d = t ? parse_iso_date(*t) : std::nullopt;
    if (!d) {
      return Error{fmt::format("{}: expected a date as text (\"2024-10-18\") or null",
                               where("inquiry_date"))};
    }
    row.inquiry_date = *d;
  }
  return row;
}

}  // namespace

std::string export_json_times(const std::vector<ProcessingTime>& rows) {
  if (rows.empty()) {
    return "";
  }
  json times = json::array();
  for (const ProcessingTime& r : rows) {
    times.push_back({{"form", text::utf8_or_escaped(r.form)},
                     {"category", text::utf8_or_escaped(r.category)},
                     {"office", text::utf8_or_escaped(r.office)},
                     {"time", posted_value(r.time)},
                     {"unit", std::string(to_string(r.time.unit))},
                     {"published", format_date(r.published)},
                     {"inquiry_date", opt(r.inquiry_date)},
                     {"source", text::utf8_or_escaped(r.source)}});
  }
  return ",\n  \"times\": " + indent_json(times.dump(2), 1);
}

std::string export_json_documents(const std::vector<Document>& documents,
                                  const std::vector<Trip>& trips,
                                  const std::function<std::optional<std::string>(CaseId)>& ref) {
  if (documents.empty() && trips.empty()) {
    return {};
  }
  json docs = json::array();
  for (const Document& d : documents) {
    std::optional<std::string> renewed_by = d.renewed_by ? ref(*d.renewed_by) : std::nullopt;
    docs.push_back(
        {{"id", document_name(d.id)},
         {"kind", std::string(to_string(d.kind))},
         {"since", opt(d.since)},
         {"expires", opt(d.expires)},
         {"category", d.category ? json(ead_category_printed(*d.category)) : json(nullptr)},
         {"holder", opt(d.holder)},
         {"renewed_by", opt(renewed_by)},
         {"note", opt(d.note)},
         {"recorded", format_date(d.recorded)}});
  }
  json out_trips = json::array();
  for (const Trip& t : trips) {
    out_trips.push_back({{"holder", text::utf8_or_escaped(t.holder)},
                         {"left", format_date(t.left)},
                         {"returned", opt(t.returned)}});
  }
  return fmt::format(",\n  \"documents\": {},\n  \"trips\": {}", indent_json(docs.dump(2), 1),
                     indent_json(out_trips.dump(2), 1));
}

namespace {

// The `i`-th document (from 0) of an export's "documents", through check_document.
Expected<DocumentIO> document_from_json(const json& j, std::size_t i, Date today) {
  std::string origin = fmt::format("document {}", i + 1);
  auto bad = [&](std::string_view field, const std::string& why) {
    return Error{fmt::format("{}, field {}: {}", origin, field, why)};
  };
  if (!j.is_object()) {
    return bad("(document)", fmt::format("expected an object, got {}", shown(j)));
  }
  DocumentText t;
  DocumentIO out;
  out.origin = origin;
  Document base;
  base.recorded = today;
  for (std::string_view name :
       {"kind", "since", "expires", "category", "holder", "note", "renewed_by", "recorded"}) {
    auto it = j.find(std::string(name));
    if (it == j.end()) {
      continue;
    }
    auto value = text_of(*it, name == "kind" || name == "category" || name == "holder" ||
                                      name == "note" || name == "renewed_by"
                                  ? "text or null"
                                  : expected_for("received"));
    if (!value) {
      return bad(name, value.error());
    }
    if (value->empty()) {
      continue;
    }
    if (name == "renewed_by") {
      out.renewed_by = *value;
    } else if (name == "recorded") {
      auto day = parse_date(*value, today);
      if (!day) {
        return bad(name, day.error());
      }
      base.recorded = *day;
    } else {
      std::optional<std::string>& slot = name == "kind"       ? t.kind
                                         : name == "since"    ? t.since
                                         : name == "expires"  ? t.expires
                                         : name == "category" ? t.category
                                         : name == "holder"   ? t.holder
                                                              : t.note;
      slot = *value;
    }
  }
  CaseCheck how;
  how.today = today;
  how.slack_days = k_import_slack_days;
  how.names = FieldNames::fields;
  auto checked = check_document(base, t, how);
  if (!checked) {
    return Error{fmt::format("{}, {}", origin, checked.error())};
  }
  out.d = checked->value;
  return out;
}

// The `i`-th trip (from 0) of an export's "trips", through check_trip against the file's
// trips before it.
Expected<Trip> trip_from_json(const json& j, std::size_t i, std::span<const Trip> before,
                              Date today) {
  std::string origin = fmt::format("trip {}", i + 1);
  if (!j.is_object()) {
    return Error{fmt::format("{}, field (trip): expected an object, got {}", origin, shown(j))};
  }
  TripText t;
  for (std::string_view name : {"holder", "left", "returned"}) {
    auto it = j.find(std::string(name));
    if (it == j.end()) {
      continue;
    }
    auto value = text_of(*it, name == "holder" ? "text" : expected_for("received"));
    if (!value) {
      return Error{fmt::format("{}, field {}: {}", origin, name, value.error())};
    }
    if (!value->empty()) {
      (name == "holder" ? t.holder : name == "left" ? t.left : t.returned) = *value;
    }
  }
  auto checked = check_trip(t, before, today, FieldNames::fields);
  if (!checked) {
    return Error{fmt::format("{}, {}", origin, checked.error())};
  }
  return *checked;
}

}  // namespace

Expected<CaseLink> resolve_case_ref(std::string_view ref, std::span<const CaseRefKeys> file,
                                    const std::vector<Case>& stored, std::string_view origin,
                                    std::string_view field) {
  auto none = [&] {
    return Error{
        fmt::format("{}, field {}: {} names no case of the file or the database; give "
                    "a receipt, a label or \"case N\" (the file's N-th case)",
                    origin, field, text::quoted(std::string(ref)))};
  };
  if (ref.starts_with("case ")) {
    std::size_t n = 0;
    std::string_view digits = ref.substr(5);
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec == std::errc{} && p == digits.data() + digits.size() && n >= 1 && n <= file.size()) {
      return CaseLink{n - 1, std::nullopt};
    }
    return none();
  }
  // A receipt first (it is unique), then a label (which must name one case).
  for (bool by_label : {false, true}) {
    std::vector<std::size_t> in_file;
    for (std::size_t i = 0; i < file.size(); ++i) {
      const auto& key = by_label ? file[i].label : file[i].receipt;
      if (key && *key == ref) {
        in_file.push_back(i);
      }
    }
    std::vector<CaseId> in_store;
    for (const Case& c : stored) {
      const auto& key = by_label ? c.label : c.receipt;
      if (key && *key == ref) {
        in_store.push_back(c.id);
      }
    }
    if (in_file.size() == 1) {
      return CaseLink{in_file.front(), std::nullopt};
    }
    if (in_file.empty() && in_store.size() == 1) {
      return CaseLink{std::nullopt, in_store.front()};
    }
    if (in_file.size() + in_store.size() > 1) {
      return Error{fmt::format("{}, field {}: {} names {} cases; give the receipt", origin, field,
                               text::quoted(std::string(ref)), in_file.size() + in_store.size())};
    }
  }
  return none();
}

std::span<const std::string_view> case_field_names() {
  return k_case_fields;
}

std::string case_field_text(const Case& c, std::string_view field) {
  auto o = [](const auto& v) -> std::string {
    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::optional<Date>>) {
      return v ? format_date(*v) : "";
    } else {
      return v ? text::utf8_or_escaped(*v) : "";
    }
  };
  if (field == "receipt")
    return o(c.receipt);
  if (field == "form")
    return text::utf8_or_escaped(c.form);
  if (field == "category")
    return o(c.category);
  if (field == "office")
    return o(c.office);
  if (field == "received")
    return o(c.received);
  if (field == "sent")
    return o(c.sent);
  if (field == "priority_date")
    return o(c.priority_date);
  if (field == "premium_start")
    return o(c.premium_start);
  if (field == "label")
    return o(c.label);
  if (field == "note")
    return o(c.note);
  if (field == "status")
    return std::string(to_string(c.status));
  if (field == "preference")
    return o(c.preference);
  if (field == "chargeability")
    return o(c.chargeability);
  if (field == "path")
    return c.path ? std::string(to_string(*c.path)) : "";
  if (field == "holder")
    return o(c.holder);
  if (field == "marriage_track")
    return c.marriage_track ? "yes" : "";
  if (field == "married")
    return o(c.married);
  if (field == "spouse_citizen_since")
    return o(c.spouse_citizen_since);
  if (field == "form_known")
    return c.form_confirmed ? "yes" : "";
  return "";
}

std::string export_csv_row(const Case& c) {
  std::string out;
  for (std::string_view field : k_case_fields) {
    if (!out.empty() || field != k_case_fields.front()) {
      out += ',';
    }
    out += csv::quote(case_field_text(c, field));
  }
  out += '\n';
  return out;
}

std::string export_csv(const std::vector<CaseRecordIO>& cases) {
  std::string out(k_case_csv_header);
  out += '\n';
  for (const CaseRecordIO& r : cases) {
    out += export_csv_row(r.c);
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
  // The field each column gives, by its header; columns that give none are named once.
  std::vector<std::string_view> field_of(header.size());
  std::map<std::string_view, std::size_t> column_of;
  std::vector<std::string> unused;
  for (std::size_t col = 0; col < header.size(); ++col) {
    auto field = csv_header_field(header[col]);
    if (!field) {
      bool has_values = std::any_of(
          records->begin() + 1, records->end(),
          [&](const csv::Record& r) { return col < r.fields.size() && !is_blank(r.fields[col]); });
      if (!is_blank(header[col])) {
        unused.push_back(text::quoted(header[col], 30));
      } else if (has_values) {
        unused.push_back(fmt::format("column {} (no name)", col + 1));
      }
      continue;
    }
    auto [it, inserted] = column_of.emplace(*field, col);
    if (!inserted) {
      return Error{fmt::format(
          "line 1: the columns {} and {} both give the {}; keep one, or rename the other",
          text::quoted(header[it->second], 30), text::quoted(header[col], 30), *field)};
    }
    field_of[col] = *field;
  }
  if (!column_of.contains("form")) {
    return Error{fmt::format(
        "line 1: the header has no column 'form' (or 'Form Type', 'Form #'); expected the "
        "columns {}",
        k_case_csv_header)};
  }
  if (!unused.empty()) {
    said.push_back(
        fmt::format("{} {} not imported: casewatch has no field for {} (the columns it reads: {})",
                    unused.size() == 1 ? "the column" : "the columns", fmt::join(unused, ", "),
                    unused.size() == 1 ? "it" : "them", k_case_csv_header));
  }
  std::vector<CaseRecordIO> out;
  std::vector<std::string> errors;
  // Each warning once, with the rows it is about.
  std::map<std::string, std::size_t, std::less<>> warned;
  std::vector<std::pair<std::string, std::vector<std::string>>> warned_order;
  for (std::size_t i = 1; i < records->size(); ++i) {
    const csv::Record& rec = (*records)[i];
    if (std::all_of(rec.fields.begin(), rec.fields.end(), is_blank)) {
      continue;  // an empty row, such as the last one a spreadsheet writes
    }
    CaseRecordIO r;
    r.line = rec.line;
    r.origin = fmt::format("line {}", rec.line);
    CaseText& t = r.given;
    bool encoding = false;  // a value read is not UTF-8: the file may be Windows-1252
    for (std::size_t col = 0; col < header.size(); ++col) {
      std::string value = col < rec.fields.size() ? rec.fields[col] : std::string();
      std::optional<std::string>* field =
          field_of[col].empty() ? nullptr : text_field(t, field_of[col]);
      if (field == nullptr || value.empty()) {
        continue;  // a column casewatch does not read, or a value not given
      }
      encoding = encoding || !text::is_valid_utf8(value);
      *field = std::move(value);
    }
    auto built = build_case(t, today);
    if (!built) {
      errors.push_back(fmt::format("line {}, {}{}", rec.line, built.error(),
                                   encoding ? "; save the sheet as 'CSV UTF-8', or import it "
                                              "with --encoding windows-1252"
                                            : ""));
      continue;
    }
    r.c = built->value;
    for (const std::string& w : built->warnings) {
      auto [it, added] = warned.emplace(w, warned_order.size());
      if (added) {
        warned_order.push_back({w, {}});
      }
      warned_order[it->second].second.push_back(std::to_string(rec.line));
    }
    out.push_back(std::move(r));
  }
  auto duplicates = duplicate_errors(out, [&](std::size_t i) { return out[i].origin; });
  errors.insert(errors.end(), duplicates.begin(), duplicates.end());
  if (!errors.empty()) {
    return row_errors(errors, "rows are not valid");
  }
  for (const auto& [w, lines] : warned_order) {
    said.push_back(fmt::format("{}: {}", lines_named(lines), w));
  }
  if (warnings != nullptr) {
    warnings->insert(warnings->end(), said.begin(), said.end());
  }
  return out;
}

namespace {

// The `i`-th case (from 0) of an export's "cases", through build_case and check_event. What
// USCIS does not list goes to `said`.
Expected<CaseRecordIO> case_from_json(const json& jc, std::size_t i, Date today,
                                      std::vector<std::string>& said) {
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
  CaseText& t = r.given;
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
  if (auto it = jc.find("derivative_of"); it != jc.end()) {
    auto value = text_of(*it, "the principal's receipt or label, or null");
    if (!value) {
      return Error{fmt::format("{}, field derivative_of: {}", where(), value.error())};
    }
    if (!value->empty()) {
      r.derivative_of = *value;
    }
  }
  if (jc.contains("events") && !jc["events"].is_null()) {
    if (!jc["events"].is_array()) {
      return Error{fmt::format("{}, field events: expected an array of events, got {}", where(),
                               shown(jc["events"]))};
    }
    const json& events = jc["events"];
    std::unordered_map<std::int64_t, std::int64_t> numbered;  // an event's number: its id
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
      // The options of a few kinds (docs/json.md): checked as `event` checks them. A need-by
      // date stored before may be past by now: it is kept as `event edit` keeps it.
      for (std::string_view name : {"channel", "need_by", "class", "for"}) {
        auto it = je.find(std::string(name));
        if (it == je.end() || it->is_null()) {
          continue;
        }
        std::string value;
        if (name == "for" && it->is_number_integer()) {
          value = std::to_string(it->get<std::int64_t>());
        } else if (auto v =
                       text_of(*it, name == "for" ? "the expedite's number" : "text or null")) {
          value = *v;
        } else {
          return fail(name, v.error());
        }
        if (name == "channel") {
          et.channel = value;
        } else if (name == "need_by") {
          et.need_by = value;
          if (auto day = parse_date(value, today)) {
            et.kept_need_by = *day;
          }
        } else if (name == "class") {
          et.visa_class = value;
        } else {
          et.for_seq = value;
        }
      }
      if (auto it = je.find("basis"); it != je.end() && !it->is_null()) {
        if (!it->is_array()) {
          return fail("basis", fmt::format("expected an array of bases, got {}", shown(*it)));
        }
        for (const json& b : *it) {
          auto v = text_of(b, "a basis as text (\"financial\")");
          if (!v) {
            return fail("basis", v.error());
          }
          et.basis.push_back(*v);
        }
      }
      if (auto it = je.find("admin"); it != je.end() && !it->is_null()) {
        if (!it->is_boolean()) {
          return fail("admin", fmt::format("expected true or false, got {}", shown(*it)));
        }
        et.admin = it->get<bool>();
      }
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
      auto built_event =
          check_event(r.c, et, today, FieldNames::fields, k_import_slack_days, r.events);
      if (!built_event) {
        return Error{fmt::format("{}, event {}, {}", where(), k + 1, built_event.error())};
      }
      Event e = built_event->value;
      // Where a status import found it (docs/json.md): kept as read.
      for (std::string_view name : {"source", "observed", "title"}) {
        auto it = je.find(std::string(name));
        if (it == je.end()) {
          continue;
        }
        auto value = text_of(*it, name == "observed" ? expected_for("received") : "text or null");
        if (!value) {
          return fail(name, value.error());
        }
        if (value->empty()) {
          continue;
        }
        if (name == "observed") {
          auto day = parse_date(*value, today);
          if (!day) {
            return fail(name, day.error());
          }
          e.observed = *day;
        } else {
          (name == "source" ? e.source : e.title) = *value;
        }
      }
      said.insert(said.end(), built_event->warnings.begin(), built_event->warnings.end());
      e.id = static_cast<std::int64_t>(k + 1);
      // The event's number in its case, kept when given (an export); else numbered anew.
      if (auto n = je.find("n"); n != je.end() && !n->is_null()) {
        if (!n->is_number_integer() || n->get<std::int64_t>() < 1) {
          return fail("n", fmt::format("expected the event's number, a whole number from 1, "
                                       "got {}",
                                       shown(*n)));
        }
        e.seq = n->get<std::int64_t>();
        auto [other, added] = numbered.emplace(e.seq, e.id);
        if (!added) {
          return fail("n", fmt::format("event {} has the number {} too", other->second, e.seq));
        }
      }
      r.events.push_back(std::move(e));
    }
  }
  return r;
}

// A journal entry of an export, checked as the store needs it; `changes` is the text of its
// "changes" array (built a row at a time, as the store wrote it), used when the entry's
// "changes" is an array.
Expected<JournalEntryIO> entry_from_json(const json& j, std::size_t i, std::string changes) {
  auto bad = [&](std::string_view field) {
    return Error{
        fmt::format("journal entry {}, field {}: missing or of the wrong type", i + 1, field)};
  };
  if (!j.is_object()) {
    return bad("(entry)");
  }
  JournalEntryIO e;
  if (!j.contains("id") || !j["id"].is_number_integer()) {
    return bad("id");
  }
  e.id = j["id"].get<std::int64_t>();
  for (auto [name, slot] :
       {std::pair{"at", &e.at}, std::pair{"user", &e.user}, std::pair{"command", &e.command},
        std::pair{"prev_hash", &e.prev_hash}, std::pair{"hash", &e.hash}}) {
    if (!j.contains(name) || !j[name].is_string()) {
      return bad(name);
    }
    *slot = j[name].get<std::string>();
  }
  if (!j.contains("changes") || !j["changes"].is_array()) {
    return bad("changes");
  }
  e.changes = std::move(changes);
  if (j.contains("undoes") && !j["undoes"].is_null()) {
    if (!j["undoes"].is_number_integer()) {
      return bad("undoes");
    }
    e.undoes = j["undoes"].get<std::int64_t>();
  }
  return e;
}

// An export as the parser reads it (nlohmann's SAX interface): each element of "cases" and
// of "journal", and each row of an entry's "changes", is built here on a stack of the
// containers open in it and taken as soon as it is complete, then let go. Nothing is ever
// looked for in a container (nlohmann's callback parser looks through the parent for a
// dropped element at every end, which made a kept array of many objects quadratic). What
// the reader does not use is not kept at all: the values of top-level fields other than
// format, version, cases and journal, and the fields of a case, an event and a journal entry
// it does not read. A key given twice counts once, the last, in the place of the first (as a
// JSON object keeps it).
class ExportSax {
 public:
  explicit ExportSax(Date today, const ExportSinks* sinks = nullptr)
      : m_today(today), m_sinks(sinks) {}

  bool null() { return value(json(nullptr)); }
  bool boolean(bool v) { return value(json(v)); }
  bool number_integer(json::number_integer_t v) { return value(json(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return value(json(v)); }
  bool number_float(json::number_float_t v, const json::string_t& /*text*/) {
    return value(json(v));
  }
  bool string(json::string_t& v) { return value(json(std::move(v))); }
  bool binary(json::binary_t& v) { return value(json::binary(std::move(v))); }
  bool start_object(std::size_t /*size*/) {
    open(false);
    return true;
  }
  bool start_array(std::size_t /*size*/) {
    open(true);
    return true;
  }
  bool end_object() {
    close();
    return true;
  }
  bool end_array() {
    close();
    return true;
  }
  bool key(json::string_t& k) {
    on_key(k);
    return true;
  }
  // Thrown as the parser made it (a parse_error with its byte, an out_of_range), as the
  // DOM parser does.
  template <typename Exception>
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const Exception& ex) {
    throw ex;
  }

  // The document's top-level fields that are read (format, version; cases and journal as
  // an empty array when they were one, else their value); null when it is no object.
  json doc;
  // The cases (of the last "cases" array), the first error of one, and their warnings.
  std::vector<CaseRecordIO> cases;
  std::optional<Error> case_error;
  std::vector<std::string> said;
  // The entries (of the last "journal" array), and the first error of one.
  std::vector<JournalEntryIO> journal;
  std::optional<Error> journal_error;
  // With sinks: the first receipt given twice, found as the cases came.
  std::optional<Error> twice;

 private:
  // What a container open is: the document, its cases or journal array, a case, a case's
  // events array, an event, a journal entry, an entry's changes, a value built whole (a row
  // of changes, a field's value), or one not kept.
  enum class Role { root, cases, journal, case_, events, event, entry, changes, build, skip };
  // Objects with more keys than this find a key given again through an index.
  static constexpr std::size_t k_index_from = 16;

  struct Frame {
    Role role = Role::skip;
    bool array = false;
    json value;                                          // what is built, for the roles that build
    std::string key;                                     // an object's last key
    bool keep_key = true;                                // whether the value of `key` is kept
    std::unordered_map<std::string, std::size_t> index;  // a big object's keys, where each is
  };

  static bool builds(Role r) {
    return r == Role::case_ || r == Role::events || r == Role::event || r == Role::entry ||
           r == Role::build;
  }

  Role role_of_new(bool array) const {
    if (m_frames.empty()) {
      return array ? Role::skip : Role::root;
    }
    const Frame& up = m_frames.back();
    switch (up.role) {
      case Role::root:
        if (!up.keep_key) {
          return Role::skip;
        }
        if (up.key == "cases") {
          return array ? Role::cases : Role::build;  // built for the message that shows it
        }
        if (up.key == "journal") {
          return array ? Role::journal : Role::skip;  // only its type is said
        }
        return Role::build;
      case Role::cases:
        return array ? Role::build : Role::case_;
      case Role::journal:
        return array ? Role::build : Role::entry;
      case Role::case_:
        if (!up.keep_key) {
          return Role::skip;
        }
        return array && up.key == "events" ? Role::events : Role::build;
      case Role::events:
        return array ? Role::build : Role::event;
      case Role::entry:
        if (!up.keep_key) {
          return Role::skip;
        }
        return array && up.key == "changes" ? Role::changes : Role::build;
      case Role::event:
        return up.keep_key ? Role::build : Role::skip;
      case Role::changes:
      case Role::build:
        return Role::build;
      case Role::skip:
        return Role::skip;
    }
    return Role::skip;
  }

  // Whether an object of `role` keeps the value of key `k`: the fields the reader reads.
  static bool keeps(Role role, std::string_view k) {
    auto one_of = [k](std::initializer_list<std::string_view> names) {
      return std::find(names.begin(), names.end(), k) != names.end();
    };
    switch (role) {
      case Role::root:
        return one_of({"format", "version", "cases", "times", "documents", "trips", "journal"});
      case Role::case_:
        return k == "events" || k == "derivative_of" ||
               std::find(k_case_fields.begin(), k_case_fields.end(), k) != k_case_fields.end();
      case Role::event:
        return one_of({"n", "kind", "date", "due", "ref", "office", "note", "basis", "channel",
                       "need_by", "class", "for", "admin", "source", "observed", "title"});
      case Role::entry:
        return one_of({"id", "at", "user", "command", "changes", "undoes", "prev_hash", "hash"});
      default:
        return true;
    }
  }

  void open(bool array) {
    Frame f;
    f.role = role_of_new(array);
    f.array = array;
    if (builds(f.role)) {
      f.value = array ? json::array() : json::object();
    }
    if (f.role == Role::root) {
      doc = json::object();
    }
    if (f.role == Role::entry) {
      m_changes.clear();
      m_changes_done.clear();
    }
    m_frames.push_back(std::move(f));
  }

  void close() {
    Frame f = std::move(m_frames.back());
    m_frames.pop_back();
    switch (f.role) {
      case Role::root:
        return;
      case Role::changes:
        m_changes_done = "[" + m_changes + "]";
        m_changes.clear();
        value(json::array());
        return;
      case Role::cases:
      case Role::journal:
        value(json::array());  // its elements were taken as they came
        return;
      case Role::skip:
        value(f.array ? json::array() : json::object());  // only its type counts
        return;
      default:
        value(std::move(f.value));
    }
  }

  void on_key(json::string_t& k) {
    Frame& f = m_frames.back();
    f.keep_key = keeps(f.role, k);
    f.key = std::move(k);
    if (f.role == Role::root && f.key == "cases") {
      cases.clear();
      case_error.reset();
      said.clear();
      m_said.clear();
      m_receipts.clear();
      twice.reset();
      if (m_sinks != nullptr && m_cases_began && m_sinks->on_cases_again) {
        m_sinks->on_cases_again();
      }
      m_cases_began = true;
      m_n_cases = 0;
    } else if (f.role == Role::root && f.key == "journal") {
      journal.clear();
      journal_error.reset();
      if (m_sinks != nullptr && m_journal_began && m_sinks->on_journal_again) {
        m_sinks->on_journal_again();
      }
      m_journal_began = true;
      m_n_entries = 0;
    } else if (f.role == Role::entry && f.key == "changes") {
      m_changes.clear();
      m_changes_done.clear();
    }
  }

  // A complete value (a scalar, or a container just closed), given to what holds it.
  bool value(json&& v) {
    if (m_frames.empty()) {
      return true;  // the document itself, when it is no object: only that counts
    }
    Frame& up = m_frames.back();
    switch (up.role) {
      case Role::cases:
        take_case(v);
        break;
      case Role::journal:
        take_entry(v);
        break;
      case Role::changes:
        // As the store wrote it: compact, keys sorted.
        if (!m_changes.empty()) {
          m_changes += ',';
        }
        m_changes +=
            nlohmann::json(v).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        break;
      case Role::root:
        if (up.keep_key) {
          doc[up.key] = std::move(v);
        }
        break;
      case Role::skip:
        break;
      default:
        if (up.array) {
          up.value.get_ref<json::array_t&>().push_back(std::move(v));
        } else if (up.keep_key) {
          set(up, std::move(v));
        }
    }
    return true;
  }

  // Sets the member `f.key` of the object `f` builds, as operator[] would, without a search
  // through every key of a big object.
  static void set(Frame& f, json&& v) {
    auto& items = static_cast<json::object_t::Container&>(f.value.get_ref<json::object_t&>());
    if (items.size() < k_index_from) {
      for (auto& item : items) {
        if (item.first == f.key) {
          item.second = std::move(v);
          return;
        }
      }
    } else {
      if (f.index.empty()) {
        for (std::size_t i = 0; i < items.size(); ++i) {
          f.index.emplace(items[i].first, i);
        }
      }
      auto [at, added] = f.index.emplace(f.key, items.size());
      if (!added) {
        items[at->second].second = std::move(v);
        return;
      }
    }
    items.emplace_back(std::move(f.key), std::move(v));
  }

  void take_case(const json& jc) {
    std::size_t i = m_n_cases++;
    if (case_error) {
      return;  // the first error is the one said
    }
    const std::size_t said_before = said.size();
    auto r = case_from_json(jc, i, m_today, said);
    if (!r) {
      case_error = Error{r.error()};
      return;
    }
    if (m_sinks == nullptr) {
      cases.push_back(std::move(r).value());
      return;
    }
    // Handed on: what is kept of a case is its receipt, and its warnings once each.
    std::size_t kept = said_before;
    for (std::size_t w = said_before; w < said.size(); ++w) {
      if (m_said.insert(said[w]).second) {
        said[kept++] = std::move(said[w]);
      }
    }
    said.resize(kept);
    if (r->c.receipt) {
      auto [it, added] = m_receipts.emplace(*r->c.receipt, i);
      if (!added && !twice) {
        twice =
            Error{twice_message(r->origin, *r->c.receipt, fmt::format("case {}", it->second + 1))};
      }
    }
    if (m_sinks->on_case) {
      m_sinks->on_case(i, std::move(r).value());
    }
  }

  void take_entry(const json& j) {
    std::size_t i = m_n_entries++;
    if (journal_error) {
      return;
    }
    auto e = entry_from_json(j, i, std::move(m_changes_done));
    m_changes_done.clear();
    if (!e) {
      journal_error = Error{e.error()};
      return;
    }
    if (m_sinks == nullptr) {
      journal.push_back(std::move(e).value());
    } else if (m_sinks->on_entry) {
      m_sinks->on_entry(std::move(e).value());
    }
  }

  Date m_today;
  const ExportSinks* m_sinks;
  bool m_cases_began = false;
  bool m_journal_began = false;
  std::set<std::string, std::less<>> m_said;                   // with sinks: the warnings said
  std::map<std::string, std::size_t, std::less<>> m_receipts;  // with sinks: where each was
  std::vector<Frame> m_frames;  // the arrays and objects open, outermost first
  std::size_t m_n_cases = 0;
  std::size_t m_n_entries = 0;
  std::string m_changes;       // the current entry's rows so far, joined by ','
  std::string m_changes_done;  // the current entry's changes, once its array is complete
};

// A text in memory as a stream buffer (read only).
class TextBuf : public std::streambuf {
 public:
  explicit TextBuf(std::string_view text) {
    // The get area is only read: std::streambuf has no const one.
    char* p = const_cast<char*>(text.data());  // NOLINT(cppcoreguidelines-pro-type-const-cast)
    setg(p, p, p + text.size());
  }
};

// Gives the parser what `source` gives, piece by piece as the source has them, each piece
// scanned for nesting first: the parser never sees a piece that nests too deep (it sees an
// end instead, and problem() says why).
class DepthCheckedBuf : public std::streambuf {
 public:
  explicit DepthCheckedBuf(std::streambuf* source) : m_source(source) {}

  // Scans the rest of the source, to its end or until it nests too deep: after a syntax
  // error (or a NUL byte, where the parser ends) the nesting is still said first, as when the
  // whole text was scanned before parsing.
  void drain() {
    while (!m_scan.stopped() && next() > 0) {
    }
  }
  [[nodiscard]] std::optional<std::string> problem() const { return m_scan.problem(); }

 protected:
  int_type underflow() override {
    if (gptr() == egptr()) {
      if (m_scan.stopped()) {
        return traits_type::eof();
      }
      std::size_t n = next();
      if (n == 0 || m_scan.stopped()) {
        return traits_type::eof();
      }
      setg(m_buf.data(), m_buf.data(), m_buf.data() + n);
    }
    return traits_type::to_int_type(*gptr());
  }

 private:
  // Reads and scans the source's next piece (what its buffer holds, at most m_buf's size):
  // its size, 0 at the end.
  std::size_t next() {
    if (traits_type::eq_int_type(m_source->sgetc(), traits_type::eof())) {
      return 0;
    }
    std::streamsize avail = std::max<std::streamsize>(m_source->in_avail(), 1);
    std::streamsize n = m_source->sgetn(
        m_buf.data(), std::min<std::streamsize>(avail, static_cast<std::streamsize>(m_buf.size())));
    if (n <= 0) {
      return 0;
    }
    auto size = static_cast<std::size_t>(n);
    m_scan.feed({m_buf.data(), size});
    return size;
  }

  std::streambuf* m_source;
  json_limits::DepthScan m_scan;
  std::array<char, std::size_t{1} << 16U> m_buf{};
};

}  // namespace

Expected<ExportRead> read_export_json(std::istream& in, Date today,
                                      std::vector<std::string>* warnings) {
  return read_export_json(in, today, warnings, ExportSinks{});
}

Expected<ExportRead> read_export_json(std::istream& in, Date today,
                                      std::vector<std::string>* warnings,
                                      const ExportSinks& sinks) {
  const bool streamed = sinks.on_case || sinks.on_entry;
  DepthCheckedBuf buf(in.rdbuf());
  std::istream checked(&buf);
  ExportSax reader(today, streamed ? &sinks : nullptr);
  std::optional<Error> syntax;
  try {
    json::sax_parse(checked, &reader);
  } catch (const json::parse_error& e) {
    syntax = Error{fmt::format("not valid JSON at byte {}: {}", e.byte, library_message(e))};
  } catch (const json::exception& e) {
    syntax = Error{fmt::format("not valid JSON: {}", library_message(e))};
  }
  // The parser stops early at a syntax error, and at a NUL byte (its end of input): the rest
  // is still scanned, so that nesting too deep anywhere is said first.
  buf.drain();
  if (auto p = buf.problem()) {
    return Error{"not a JSON document casewatch reads: " + *p};
  }
  if (syntax) {
    return *syntax;
  }
  json& doc = reader.doc;
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
  // An array of cases is empty here: its elements were taken as they came.
  if (!doc.contains("cases") || !doc["cases"].is_array()) {
    return Error{fmt::format("field cases: expected an array of cases, got {}",
                             doc.contains("cases") ? shown(doc["cases"]) : "nothing")};
  }
  if (reader.case_error) {
    return *reader.case_error;
  }
  ExportRead out;
  out.cases = std::move(reader.cases);
  if (auto e = check_duplicates(out.cases, [&](std::size_t i) { return out.cases[i].origin; })) {
    return *e;
  }
  if (reader.twice) {
    return *reader.twice;
  }
  if (doc.contains("times") && !doc["times"].is_null()) {
    if (!doc["times"].is_array()) {
      return Error{fmt::format("field times: expected an array of processing-time rows, got {}",
                               shown(doc["times"]))};
    }
    for (std::size_t i = 0; i < doc["times"].size(); ++i) {
      auto row = time_from_json(doc["times"][i], i);
      if (!row) {
        return Error{row.error()};
      }
      out.times.push_back(std::move(row).value());
    }
  }
  for (std::string_view field : {"documents", "trips"}) {
    const std::string key(field);
    if (!doc.contains(key) || doc[key].is_null()) {
      continue;
    }
    if (!doc[key].is_array()) {
      return Error{fmt::format("field {}: expected an array, got {}", field, shown(doc[key]))};
    }
    for (std::size_t i = 0; i < doc[key].size(); ++i) {
      if (field == "documents") {
        auto d = document_from_json(doc[key][i], i, today);
        if (!d) {
          return Error{d.error()};
        }
        out.documents.push_back(std::move(d).value());
      } else {
        auto t = trip_from_json(doc[key][i], i, out.trips, today);
        if (!t) {
          return Error{t.error()};
        }
        out.trips.push_back(*t);
      }
    }
  }
  if (doc.contains("journal") && !doc["journal"].is_null()) {
    if (!doc["journal"].is_array()) {
      out.journal_error = "field journal: expected an array of entries";
    } else if (reader.journal_error) {
      out.journal_error = reader.journal_error->message;
    } else {
      out.journal = std::move(reader.journal);
    }
  }
  if (warnings != nullptr) {
    warnings->insert(warnings->end(), reader.said.begin(), reader.said.end());
  }
  return out;
}

Expected<std::vector<CaseRecordIO>> import_cases_json(std::string_view text, Date today,
                                                      std::vector<std::string>* warnings) {
  TextBuf buf(text);
  std::istream in(&buf);
  auto read = read_export_json(in, today, warnings);
  if (!read) {
    return Error{read.error()};
  }
  return std::move(read).value().cases;
}

namespace {

// "#12 Ana", or "#12 IOE0912345678" without a label.
std::string who(const Case& c) {
  if (c.label) {
    return fmt::format("#{} {}", c.id, text::printable(*c.label));
  }
  return fmt::format("#{}{}", c.id, c.receipt ? " " + *c.receipt : std::string());
}

// The stored cases without a receipt that a row of the file is: the same form, sent date
// and label.
std::vector<const Case*> same_case(const std::vector<const Case*>& pool, const Case& row) {
  std::vector<const Case*> out;
  for (const Case* c : pool) {
    if (c != nullptr && c->form == row.form && c->sent == row.sent && c->label == row.label) {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

ImportPlanner::ImportPlanner(const std::vector<Case>& stored, Date today, const ImportHow& how,
                             bool keep_added)
    : m_today(today), m_how(how), m_keep_added(keep_added) {
  for (const Case& c : stored) {
    if (c.receipt) {
      m_by_receipt.emplace(*c.receipt, &c);
    } else if (how.update) {
      m_without_receipt.push_back(&c);
    }
  }
}

void ImportPlanner::take(CaseRecordIO&& r) {
  const bool update = m_how.update;
  const Date today = m_today;
  const ImportHow& how = m_how;
  ImportPlan& plan = m_plan;
  std::vector<std::string>& errors = m_errors;
  std::vector<const Case*>& without_receipt = m_without_receipt;
  const Case* match = nullptr;
  if (r.c.receipt) {
    auto it = m_by_receipt.find(*r.c.receipt);
    match = it == m_by_receipt.end() ? nullptr : it->second;
  }
  if (match == nullptr && update) {
    // A case sent without a receipt, whose receipt has come: the same case, never a second.
    auto found = same_case(without_receipt, r.c);
    if (found.size() > 1) {
      std::vector<std::string> names;
      for (const Case* c : found) {
        names.push_back(fmt::format("#{}", c->id));
      }
      errors.push_back(fmt::format(
          "{}: {} stored cases without a receipt have its form {}, sent date {} and label "
          "{} ({}); give each its receipt with 'casewatch edit ID --receipt R' first",
          r.origin, found.size(), r.c.form, r.c.sent ? format_date(*r.c.sent) : "(none)",
          text::quoted(r.c.label.value_or("")), fmt::join(names, ", ")));
      return;
    }
    if (found.size() == 1) {
      match = found.front();
      std::replace(without_receipt.begin(), without_receipt.end(), match,
                   static_cast<const Case*>(nullptr));  // each stored case matches one row
    }
  }
  if (match == nullptr) {
    ++m_added;
    if (m_keep_added) {
      plan.added.push_back(std::move(r));
    }
    return;
  }
  if (!update) {
    errors.push_back(fmt::format("{}, field receipt: case {} is already in the database (#{})",
                                 r.origin, *r.c.receipt, match->id));
    return;
  }
  CaseCheck check;
  check.today = today;
  check.slack_days = k_import_slack_days;
  check.names = FieldNames::fields;
  check.any_status = true;
  auto merged = check_case(*match, r.given, check);
  // A correction made since the last import stays, unless told otherwise.
  std::vector<FieldChange> changes;
  CaseText given = r.given;
  auto corrected = how.corrected.find(match->id);
  bool kept = false;
  if (merged) {
    for (std::string_view field : k_case_fields) {
      std::string from = case_field_text(*match, field);
      std::string to = case_field_text(merged->value, field);
      if (from == to) {
        continue;
      }
      FieldChange change{match->id, who(*match), std::string(field), from, to, false, {}};
      if (corrected != how.corrected.end() && !how.overwrite_edits) {
        auto by = corrected->second.find(field);
        if (by != corrected->second.end()) {
          change.kept = true;
          change.corrected_by = by->second;
          text_field(given, field)->reset();
          kept = true;
        }
      }
      changes.push_back(std::move(change));
    }
    if (kept) {
      merged = check_case(*match, given, check);
    }
  }
  if (!merged) {
    errors.push_back(fmt::format("{}, {} (with the values stored for case {})", r.origin,
                                 merged.error(), display_name(*match)));
    return;
  }
  plan.changes.insert(plan.changes.end(), changes.begin(), changes.end());
  bool same = std::all_of(k_case_fields.begin(), k_case_fields.end(), [&](std::string_view f) {
    return case_field_text(*match, f) == case_field_text(merged->value, f);
  });
  if (same) {
    ++plan.unchanged;
  } else {
    plan.updated.push_back(merged->value);
  }
}

Expected<ImportPlan> ImportPlanner::finish() && {
  const bool update = m_how.update;
  std::vector<std::string>& errors = m_errors;
  if (!errors.empty()) {
    Error e =
        row_errors(errors, update ? "rows are not valid" : "cases are already in the database");
    if (!update) {
      e.message += errors.size() == 1 ? "; nothing was imported" : "";
      e.message += "; to take the file's changes to the stored cases, import it with --update";
    }
    return e;
  }
  return std::move(m_plan);
}

Expected<ImportPlan> plan_import(std::vector<CaseRecordIO> read, const std::vector<Case>& stored,
                                 Date today, const ImportHow& how) {
  ImportPlanner planner(stored, today, how);
  for (CaseRecordIO& r : read) {
    planner.take(std::move(r));
  }
  return std::move(planner).finish();
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
