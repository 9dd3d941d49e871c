// SPDX-License-Identifier: MIT
#include "casewatch/cli/json.hpp"

namespace casewatch::cli {
namespace {

using json = nlohmann::ordered_json;

json opt(const std::optional<std::string>& s) {
  return s ? json(*s) : json(nullptr);
}
json opt(const std::optional<Date>& d) {
  return d ? json(format_date(*d)) : json(nullptr);
}
json opt(const std::optional<int>& n) {
  return n ? json(*n) : json(nullptr);
}

json office_source(OfficeSource s) {
  switch (s) {
    case OfficeSource::user:
      return "user";
    case OfficeSource::receipt_prefix:
      return "receipt";
    case OfficeSource::transfer:
      return "transfer";
    case OfficeSource::none:
      break;
  }
  return nullptr;
}

}  // namespace

json case_json(const Case& c, const Evaluation& ev) {
  json j;
  j["id"] = c.id;
  j["receipt"] = opt(c.receipt);
  j["form"] = c.form;
  j["category"] = opt(c.category);
  j["office"] = opt(ev.office.office);
  j["office_source"] = ev.office.office ? office_source(ev.office.source) : json(nullptr);
  j["received"] = opt(c.received);
  j["sent"] = opt(c.sent);
  j["priority_date"] = opt(c.priority_date);
  j["premium_start"] = opt(c.premium_start);
  j["label"] = opt(c.label);
  j["note"] = opt(c.note);
  j["status"] = std::string(to_string(ev.status));
  j["days_pending"] = opt(days_pending(c, ev.as_of));
  return j;
}

json event_json(const Event& e) {
  json j;
  j["kind"] = std::string(to_string(e.kind));
  j["date"] = format_date(e.date);
  j["due"] = opt(e.due);
  j["ref"] = opt(e.ref);
  j["office"] = opt(e.office);
  j["note"] = opt(e.note);
  return j;
}

json finding_json(const Finding& f) {
  json j;
  j["receipt"] = opt(f.receipt);
  j["case_id"] = f.case_id;
  j["rule"] = f.rule;
  j["severity"] = std::string(to_string(f.severity));
  j["since"] = format_date(f.since);
  j["stage"] = f.stage;
  j["title"] = f.title;
  j["reason"] = f.reason;
  j["how"] = f.how;
  j["source"] = f.source;
  if (f.due) {
    j["due"] = format_date(*f.due);
  }
  return j;
}

json next_json(const NextStep& n) {
  json j;
  j["rule"] = n.rule;
  j["on"] = format_date(n.on);
  j["title"] = n.title;
  j["condition"] = opt(n.condition);
  return j;
}

json time_json(const ProcessingTime& row) {
  json j;
  j["form"] = row.form;
  j["category"] = row.category.empty() ? json(nullptr) : json(row.category);
  j["office"] = row.office.empty() ? json(nullptr) : json(row.office);
  j["value"] = row.time.value();
  j["unit"] = std::string(to_string(row.time.unit));
  j["published"] = format_date(row.published);
  j["published_inquiry_date"] = opt(row.inquiry_date);
  j["source"] = row.source;
  return j;
}

json findings_json(std::span<const Finding> findings) {
  json a = json::array();
  for (const auto& f : findings) {
    a.push_back(finding_json(f));
  }
  return a;
}

json next_steps_json(std::span<const NextStep> next) {
  json a = json::array();
  for (const auto& n : next) {
    a.push_back(next_json(n));
  }
  return a;
}

}  // namespace casewatch::cli
