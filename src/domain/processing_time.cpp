// SPDX-License-Identifier: MIT
#include "casewatch/domain/processing_time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <tuple>

#include <nlohmann/json.hpp>

#include "casewatch/util/csv.hpp"
#include "casewatch/util/json_limits.hpp"
#include "casewatch/util/text.hpp"

namespace casewatch {
namespace {

constexpr int k_days_per_half_month = 15;
constexpr int k_days_per_week = 7;

constexpr std::array<std::string_view, 9> k_service_center_kind = {
    "CSC", "ESC", "NSC", "SSC", "YSC", "NBC", "IPO", "EFC", "SCD"};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Sort and identity key of a row.
auto key_of(const ProcessingTime& r) {
  return std::tie(r.form, r.category, r.office);
}

// The slowest of `rows` for a case received on `received`.
const ProcessingTime* slowest(const std::vector<const ProcessingTime*>& rows, Date received) {
  const ProcessingTime* best = nullptr;
  Date best_end{};
  for (const ProcessingTime* r : rows) {
    Date end = add_posted_time(received, r->time);
    if (best == nullptr || end > best_end) {
      best = r;
      best_end = end;
      continue;
    }
    if (end < best_end) {
      continue;
    }
    // A tie: the earlier published inquiry date is the more cautious (none counts as
    // latest), then the lower office code, then the lower category, for a stable answer.
    Date far = Date::max();
    Date ri = r->inquiry_date.value_or(far);
    Date bi = best->inquiry_date.value_or(far);
    if (std::tie(ri, r->office, r->category) < std::tie(bi, best->office, best->category)) {
      best = r;
    }
  }
  return best;
}

}  // namespace

Expected<PostedTime> parse_posted_time(std::string_view value, std::string_view unit) {
  std::string u = lower(unit);
  PostedTime t;
  if (u == "month" || u == "months") {
    t.unit = TimeUnit::months;
  } else if (u == "week" || u == "weeks") {
    t.unit = TimeUnit::weeks;
  } else {
    return Error{fmt::format("{} is not a unit of time; use months or weeks", text::quoted(unit))};
  }
  std::string_view v = value;
  int whole = 0;
  int half = 0;
  auto dot = v.find('.');
  std::string_view whole_text = v.substr(0, dot);
  // Digits only: no sign (so "-0.5" is refused), no "nan", "inf" or exponent.
  bool ok = !whole_text.empty() && whole_text.size() <= 9 &&
            std::all_of(whole_text.begin(), whole_text.end(),
                        [](char c) { return c >= '0' && c <= '9'; });
  if (ok) {
    ok = std::from_chars(whole_text.data(), whole_text.data() + whole_text.size(), whole).ec ==
         std::errc{};
  }
  if (ok && dot != std::string_view::npos) {
    std::string_view frac = v.substr(dot + 1);
    ok = frac == "5" || frac == "50" || frac == "0" || frac == "00";
    half = frac.starts_with('5') ? 1 : 0;
  }
  ok = ok && whole <= k_max_posted_value;  // so that the halves below cannot overflow
  t.halves = ok ? whole * 2 + half : 0;
  if (t.halves <= 0 || t.halves > k_max_posted_halves) {
    return Error{fmt::format(
        "{} is not a processing time; give a number of {} from 0.5 to {}, whole or half "
        "(e.g. 8 or 25.5)",
        text::quoted(value), to_string(t.unit), k_max_posted_value)};
  }
  return t;
}

std::string_view to_string(TimeUnit unit) {
  return unit == TimeUnit::months ? "months" : "weeks";
}

std::string describe(const PostedTime& time) {
  std::string number =
      time.halves % 2 == 0 ? std::to_string(time.halves / 2) : fmt::format("{}.5", time.halves / 2);
  std::string_view unit = to_string(time.unit);
  if (time.halves == 2) {
    unit.remove_suffix(1);
  }
  return fmt::format("{} {}", number, unit);
}

Date add_posted_time(Date d, const PostedTime& time) {
  // Any `halves` (a row read back from a database may hold anything) is defined: the
  // arithmetic is done in 64 bits and saturates at the ends of the calendar.
  int whole = time.halves / 2;
  bool half = time.halves % 2 != 0;
  if (time.unit == TimeUnit::months) {
    Date out = add_months(d, whole);
    return half ? add_days(out, k_days_per_half_month) : out;
  }
  long long days =
      static_cast<long long>(whole) * k_days_per_week + (half ? (k_days_per_week + 1) / 2 : 0);
  return add_days(d, days);
}

Expected<ParsedTimes> parse_processing_times_csv(std::string_view text, std::string_view source) {
  auto records = csv::parse(text);
  if (!records) {
    return Error{records.error()};
  }
  return parse_processing_time_records(*records, source);
}

Expected<ParsedTimes> parse_processing_time_records(const std::vector<csv::Record>& records_in,
                                                    std::string_view source, bool skip_odd_times) {
  const auto* records = &records_in;
  if (records->empty()) {
    return Error{"the file has no header row"};
  }
  const auto& header = records->front().fields;
  constexpr std::array<std::string_view, 7> k_columns = {
      "form_name",   "form_subtype",     "office_code",         "publication_date",
      "range_upper", "range_upper_unit", "service_request_date"};
  std::array<std::size_t, k_columns.size()> at{};
  for (std::size_t c = 0; c < k_columns.size(); ++c) {
    auto it = std::find(header.begin(), header.end(), k_columns[c]);
    if (it == header.end()) {
      return Error{
          fmt::format("line 1: the header has no column '{}'; expected the columns "
                      "of USCIS's processing-times CSV ({})",
                      k_columns[c], fmt::join(k_columns, ", "))};
    }
    at[c] = static_cast<std::size_t>(it - header.begin());
  }

  ParsedTimes out;
  for (std::size_t i = 1; i < records->size(); ++i) {
    const csv::Record& rec = (*records)[i];
    auto field = [&](std::size_t c) -> std::string_view {
      return at[c] < rec.fields.size() ? std::string_view(rec.fields[at[c]]) : "";
    };
    auto fail = [&](std::size_t c, const std::string& why) {
      return Error{fmt::format("line {}, column {}: {}", rec.line, k_columns[c], why)};
    };
    if (field(4) == "NA" || field(4).empty()) {
      ++out.skipped_without_time;
      continue;
    }
    for (std::size_t c = 0; c < k_columns.size(); ++c) {
      if (auto p = text::problem(field(c))) {
        return fail(c, "the value " + *p);
      }
    }
    ProcessingTime row;
    row.form = std::string(field(0));
    row.category = std::string(field(1));
    row.office = std::string(field(2));
    if (row.form.empty() || row.category.empty() || row.office.empty()) {
      return fail(row.form.empty() ? 0 : row.category.empty() ? 1 : 2, "the value is empty");
    }
    // Dates in these files never need "today"; any fixed date will do.
    constexpr Date k_unused_today{};
    auto published = parse_date(field(3), k_unused_today);
    if (!published) {
      return fail(3, published.error());
    }
    row.published = *published;
    auto time = parse_posted_time(field(4), field(5));
    if (!time && skip_odd_times) {
      if (out.skipped_odd++ == 0) {
        out.first_odd = fmt::format("line {}: {} {}", rec.line, field(4), field(5));
      }
      continue;
    }
    if (!time) {
      return fail(4, time.error());
    }
    row.time = *time;
    if (!field(6).empty() && field(6) != "NA") {
      auto inquiry = parse_date(field(6), k_unused_today);
      if (!inquiry) {
        return fail(6, inquiry.error());
      }
      row.inquiry_date = *inquiry;
    }
    row.source = std::string(source);
    out.rows.push_back(std::move(row));
  }
  return out;
}

namespace {

using ptjson = nlohmann::json;

// The text of `key` in `obj`: a string, null or missing (""), or, where `numbers` allows, a
// number as written. Anything else, and text that is not UTF-8 on one line, is an error.
Expected<std::string> text_at(const ptjson& obj, const char* key, bool numbers = false) {
  auto it = obj.find(key);
  if (!obj.is_object() || it == obj.end() || it->is_null()) {
    return std::string();
  }
  std::string t;
  if (it->is_string()) {
    t = it->get<std::string>();
  } else if (numbers && it->is_number()) {
    t = it->dump();
  } else {
    return Error{fmt::format("expected {}, got {}", numbers ? "a number or text" : "text",
                             text::printable(text::shorten(it->dump(), 40)))};
  }
  if (auto p = text::problem(t)) {
    return Error{"the value " + *p};
  }
  return t;
}

// The key of `obj` a field has: its snake_case name, or the camelCase one of the shape USCIS
// serves since 2026 ("form_name" or "formName").
const char* json_key(const ptjson& obj, const char* snake, const char* camel) {
  return obj.is_object() && !obj.contains(snake) && obj.contains(camel) ? camel : snake;
}

Expected<ParsedTimes> read_processing_times_json(const ptjson& doc, std::string_view source) {
  using json = ptjson;
  std::vector<const json*> documents;
  if (doc.is_array()) {
    for (const json& d : doc) {
      documents.push_back(&d);
    }
  } else {
    documents.push_back(&doc);
  }
  ParsedTimes out;
  for (std::size_t d = 0; d < documents.size(); ++d) {
    const json& top = *documents[d];
    const json* pt = nullptr;
    if (top.is_object() && top.contains("data") && top["data"].is_object()) {
      const json& data = top["data"];
      const char* key = json_key(data, "processing_time", "processingTime");
      if (data.contains(key)) {
        pt = &data[key];
      }
    }
    std::string where_doc = documents.size() > 1 ? fmt::format("document {}: ", d + 1) : "";
    if (pt == nullptr || !pt->is_object()) {
      return Error{where_doc +
                   "not a USCIS processing-times document: it needs data.processing_time"};
    }
    auto form = text_at(*pt, json_key(*pt, "form_name", "formName"));
    auto office = text_at(*pt, json_key(*pt, "office_code", "officeCode"));
    for (auto [name, v] : {std::pair{"form_name", &form}, std::pair{"office_code", &office}}) {
      if (!*v) {
        return Error{
            fmt::format("{}data.processing_time, field {}: {}", where_doc, name, v->error())};
      }
    }
    if (form->empty() || office->empty()) {
      return Error{where_doc + "data.processing_time needs form_name and office_code"};
    }
    if (!pt->contains("subtypes") || !(*pt)["subtypes"].is_array()) {
      return Error{where_doc + "data.processing_time has no subtypes array"};
    }
    const json& subtypes = (*pt)["subtypes"];
    for (std::size_t i = 0; i < subtypes.size(); ++i) {
      const json& st = subtypes[i];
      auto category_text = text_at(st, json_key(st, "form_type", "formType"));
      std::string category = category_text ? *category_text : std::string();
      auto fail = [&](std::string_view field, const std::string& why) {
        return Error{fmt::format("{}{} {} at {}, subtype {} ({}), field {}: {}", where_doc, *form,
                                 category, *office, i + 1, category, field, why)};
      };
      if (!st.is_object()) {
        return fail("subtype", fmt::format("expected an object, got {}",
                                           text::printable(text::shorten(st.dump(), 40))));
      }
      if (!category_text) {
        return fail("form_type", category_text.error());
      }
      if (category.empty()) {
        return fail("form_type", "the value is missing");
      }
      auto range_it = st.find("range");
      if (range_it == st.end() || !range_it->is_array() || range_it->empty() ||
          !(*range_it)[0].is_object()) {
        ++out.skipped_without_time;  // USCIS posts no time for this subtype
        continue;
      }
      const json& first = (*range_it)[0];
      auto value = text_at(first, "value", true);
      if (!value) {
        return fail("range[0].value", value.error());
      }
      auto unit = text_at(first, first.contains("unit")     ? "unit"
                                 : first.contains("unitEn") ? "unitEn"
                                                            : "unit_en");
      if (!unit) {
        return fail("range[0].unit", unit.error());
      }
      if (value->empty() || *value == "NA" || *value == "null") {
        ++out.skipped_without_time;
        continue;
      }
      ProcessingTime row;
      row.form = *form;
      row.category = category;
      row.office = *office;
      auto time = parse_posted_time(*value, *unit);
      if (!time) {
        return fail("range[0]", time.error());
      }
      row.time = *time;
      auto published_text = text_at(st, json_key(st, "publication_date", "publicationDate"));
      if (!published_text) {
        return fail("publication_date", published_text.error());
      }
      auto published = parse_date(*published_text, Date{});
      if (!published) {
        return fail("publication_date", published.error());
      }
      row.published = *published;
      auto inquiry = text_at(st, json_key(st, "service_request_date", "serviceRequestDate"));
      if (!inquiry) {
        return fail("service_request_date", inquiry.error());
      }
      if (!inquiry->empty() && *inquiry != "NA") {
        auto d2 = parse_date(*inquiry, Date{});
        if (!d2) {
          return fail("service_request_date", d2.error());
        }
        row.inquiry_date = *d2;
      }
      row.source = std::string(source);
      out.rows.push_back(std::move(row));
    }
  }
  return out;
}

}  // namespace

Expected<ParsedTimes> parse_processing_times_json(std::string_view text, std::string_view source) {
  using json = nlohmann::json;
  // The library's parser recurses once per level: refuse deep nesting before it sees it.
  if (auto p = json_limits::depth_problem(text)) {
    return Error{"not a processing-times document casewatch reads: " + *p};
  }
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    return Error{fmt::format("not valid JSON at byte {}: {}", e.byte, e.what())};
  } catch (const json::exception& e) {
    return Error{fmt::format("not valid JSON: {}", e.what())};
  }
  try {
    return read_processing_times_json(doc, source);
  } catch (const json::exception& e) {
    // Every access above checks its type first; this is the last line of defense.
    return Error{fmt::format("not a USCIS processing-times document: {}", e.what())};
  }
}

bool supersedes(const ProcessingTime& a, const ProcessingTime& b) {
  if (a.published != b.published) {
    return a.published > b.published;
  }
  bool a_set = a.source == "set";
  bool b_set = b.source == "set";
  if (a_set != b_set) {
    return a_set;
  }
  return add_posted_time(a.published, a.time) > add_posted_time(b.published, b.time);
}

bool is_service_center_kind(std::string_view office) {
  return std::find(k_service_center_kind.begin(), k_service_center_kind.end(), office) !=
         k_service_center_kind.end();
}

std::string_view aggregate_office(std::string_view office) {
  return is_service_center_kind(office) ? "SCD" : "FOD";
}

bool is_single_field_office(std::string_view office) {
  return !office.empty() && office != "FOD" && !is_service_center_kind(office);
}

ProcessingTimeTable::ProcessingTimeTable(std::vector<ProcessingTime> rows) {
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return key_of(a) < key_of(b); });
  for (auto& r : rows) {
    if (!m_rows.empty() && key_of(m_rows.back()) == key_of(r)) {
      if (supersedes(r, m_rows.back())) {
        m_rows.back() = std::move(r);
      }
      continue;
    }
    m_rows.push_back(std::move(r));
  }
  for (std::size_t i = 0; i < m_rows.size(); ++i) {
    m_by_form[m_rows[i].form].push_back(i);
  }
}

bool ProcessingTimeTable::has_form(std::string_view form) const {
  return m_by_form.find(form) != m_by_form.end();
}

const ProcessingTime* ProcessingTimeTable::winner(std::string_view form, std::string_view category,
                                                  std::string_view office) const {
  auto it = m_by_form.find(form);
  if (it == m_by_form.end()) {
    return nullptr;
  }
  for (std::size_t i : it->second) {
    const ProcessingTime& r = m_rows[i];
    if (r.category == category && r.office == office) {
      return &r;
    }
  }
  return nullptr;
}

Choice ProcessingTimeTable::choose(std::string_view form, std::optional<std::string_view> category,
                                   std::optional<std::string_view> office, Date received) const {
  // The candidates depend only on the key; a law office's thousands of cases share a few
  // hundred keys, so they are worked out once per key.
  std::string key;
  key.reserve(form.size() + 8 + (category ? category->size() : 0) + (office ? office->size() : 0));
  key.append(form).append(1, '\x1f');
  key.append(category.value_or("")).append(1, '\x1f');
  key.append(office.value_or("")).append(1, '\x1f');
  key += category ? 'c' : '-';
  if (office) {
    key += 'o';
  }
  auto it = m_cache.find(key);
  if (it == m_cache.end()) {
    it = m_cache.emplace(std::move(key), resolve(form, category, office)).first;
  }
  const Candidates& found = it->second;
  Choice choice;
  choice.outcome = found.outcome;
  if (found.outcome == ChoiceOutcome::found) {
    std::vector<const ProcessingTime*> rows;
    rows.reserve(found.rows.size());
    for (std::size_t i : found.rows) {
      rows.push_back(&m_rows[i]);
    }
    choice.row = slowest(rows, received);
    if (found.category_needed) {
      choice.category_candidates = std::move(rows);
    }
  }
  return choice;
}

ProcessingTimeTable::Candidates ProcessingTimeTable::resolve(
    std::string_view form, std::optional<std::string_view> category,
    std::optional<std::string_view> office) const {
  Candidates choice;
  auto it = m_by_form.find(form);
  if (it == m_by_form.end()) {
    choice.outcome = ChoiceOutcome::no_row_for_form;
    return choice;
  }
  std::vector<const ProcessingTime*> named;  // rows that name both category and office
  std::vector<const ProcessingTime*> aggregates;
  for (std::size_t i : it->second) {
    const ProcessingTime& r = m_rows[i];
    (r.category.empty() || r.office.empty() ? aggregates : named).push_back(&r);
  }
  if (category && std::none_of(named.begin(), named.end(),
                               [&](const auto* r) { return r->category == *category; })) {
    category.reset();  // a category no row has counts as not given
  }

  auto select = [&](auto&& keep) {
    std::vector<const ProcessingTime*> out;
    std::copy_if(named.begin(), named.end(), std::back_inserter(out), keep);
    return out;
  };
  auto finish = [&](std::vector<const ProcessingTime*> rows) {
    choice.outcome = ChoiceOutcome::found;
    bool several_categories = std::any_of(rows.begin(), rows.end(), [&](const auto* r) {
      return r->category != rows.front()->category;
    });
    choice.category_needed = !category && several_categories;
    for (const ProcessingTime* r : rows) {
      choice.rows.push_back(static_cast<std::size_t>(r - m_rows.data()));
    }
    return choice;
  };

  if (office) {
    std::string_view agg = aggregate_office(*office);
    if (category) {
      for (std::string_view o : {*office, agg}) {
        auto rows =
            select([&](const auto* r) { return r->category == *category && r->office == o; });
        if (!rows.empty()) {
          return finish(std::move(rows));
        }
      }
    }
    if (category) {
      // Step 2b: the category says more about the case than an office it is not posted
      // for (an I-765 147-C3 given NSC gets YSC's row), never a guess among field offices.
      auto rows = select([&](const auto* r) { return r->category == *category; });
      if (!rows.empty() && std::none_of(rows.begin(), rows.end(), [](const auto* r) {
            return is_single_field_office(r->office);
          })) {
        return finish(std::move(rows));
      }
    }
    for (std::string_view o : {*office, agg}) {
      auto rows = select([&](const auto* r) { return r->office == o; });
      if (!rows.empty()) {
        return finish(std::move(rows));
      }
    }
  }

  // The user's aggregate rows, most specific first.
  auto find_aggregate = [&](std::string_view c, std::string_view o) -> const ProcessingTime* {
    for (const auto* r : aggregates) {
      if (r->category == c && r->office == o) {
        return r;
      }
    }
    return nullptr;
  };
  std::vector<std::pair<std::string_view, std::string_view>> tries;
  if (office) {
    if (category) {
      tries.emplace_back(*category, *office);
    }
    tries.emplace_back("", *office);
  }
  if (category) {
    tries.emplace_back(*category, "");
  }
  tries.emplace_back("", "");
  for (auto [c, o] : tries) {
    if (const ProcessingTime* r = find_aggregate(c, o)) {
      choice.outcome = ChoiceOutcome::found;
      choice.rows = {static_cast<std::size_t>(r - m_rows.data())};
      return choice;
    }
  }

  // Step 5: any office, never a guess among field offices.
  std::vector<const ProcessingTime*> rows;
  if (category) {
    rows = select([&](const auto* r) { return r->category == *category; });
  }
  if (rows.empty()) {
    rows = named;
  }
  if (rows.empty() || std::any_of(rows.begin(), rows.end(), [](const auto* r) {
        return is_single_field_office(r->office);
      })) {
    choice.outcome = ChoiceOutcome::office_needed;
    return choice;
  }
  return finish(std::move(rows));
}

}  // namespace casewatch
