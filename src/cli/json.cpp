// SPDX-License-Identifier: MIT
#include "casewatch/cli/json.hpp"

#include "casewatch/domain/bulletin.hpp"

namespace casewatch::cli {
namespace {

using json = nlohmann::ordered_json;

std::optional<std::string_view> office_source(const EffectiveOffice& o) {
  if (!o.office) {
    return std::nullopt;
  }
  switch (o.source) {
    case OfficeSource::user:
      return "user";
    case OfficeSource::receipt_prefix:
      return "receipt";
    case OfficeSource::transfer:
      return "transfer";
    case OfficeSource::none:
      break;
  }
  return std::nullopt;
}

// Writes one value with `write` and reads it back as a document.
template <typename F>
json as_document(F&& write) {
  std::string text;
  JsonWriter w(text);
  write(w);
  return json::parse(text);
}

}  // namespace

void write_case_fields(JsonWriter& w, const Case& c, const Evaluation& ev) {
  w.field("id", static_cast<std::int64_t>(c.id));
  w.field("receipt", c.receipt);
  w.field("form", c.form);
  w.field("category", c.category);
  w.field("office", ev.office.office);
  w.field("office_source", office_source(ev.office));
  w.field("received", c.received);
  w.field("sent", c.sent);
  w.field("priority_date", c.priority_date);
  w.field("premium_start", c.premium_start);
  w.field("label", c.label);
  w.field("note", c.note);
  w.field("status", to_string(ev.status));
  w.field("days_pending", days_pending(c, ev.as_of));
  w.field("preference", c.preference);
  w.field("chargeability", c.chargeability);
  if (c.preference) {
    w.field("chargeability_column", chargeability_column(c.chargeability.value_or("")));
    w.field("path", to_string(effective_path(c)));
  } else {
    w.field("chargeability_column", std::optional<std::string>());
    w.field("path", c.path ? std::optional<std::string>(std::string(to_string(*c.path)))
                           : std::optional<std::string>());
  }
  w.field("holder", c.holder);
  if (c.derivative_of) {  // a derivative's case: the principal's case id
    w.field("derivative_of", static_cast<std::int64_t>(*c.derivative_of));
  }
  if (c.form_confirmed) {  // docs/rules.md `form-unknown`: the user confirmed the form
    w.field("form_known", true);
  }
}

void write_event(JsonWriter& w, const Event& e) {
  w.begin_object();
  w.field("n", static_cast<std::int64_t>(e.seq));
  w.field("kind", to_string(e.kind));
  w.field("date", e.date);
  w.field("due", e.due);
  w.field("ref", e.ref);
  w.field("office", e.office);
  w.field("note", e.note);
  if (e.source) {  // imported from USCIS's status words
    w.field("source", e.source);
    w.field("observed", e.observed);
    w.field("title", e.title);
  }
  // The options of a few kinds, present when given (docs/json.md).
  if (!e.basis.empty()) {
    w.key("basis");
    w.begin_array();
    for (const std::string& b : e.basis) {
      w.value(b);
    }
    w.end_array();
  }
  if (e.channel) {
    w.field("channel", e.channel);
  }
  if (e.need_by) {
    w.field("need_by", e.need_by);
  }
  if (e.visa_class) {
    w.field("class", e.visa_class);
  }
  if (e.for_seq) {
    w.field("for", static_cast<std::int64_t>(*e.for_seq));
  }
  if (e.admin) {
    w.field("admin", true);
  }
  w.end_object();
}

void write_finding(JsonWriter& w, const Finding& f, const Case& c) {
  w.begin_object();
  w.field("receipt", f.receipt);
  w.field("case_id", static_cast<std::int64_t>(f.case_id));
  w.field("label", c.label);
  w.field("form", c.form);
  w.field("rule", f.rule);
  w.field("severity", to_string(f.severity));
  w.field("since", f.since);
  w.field("stage", f.stage);
  w.field("title", f.title);
  w.field("reason", f.reason);
  w.field("how", f.how);
  w.field("source", f.source);
  if (f.due) {
    w.field("due", *f.due);
    w.field("assumed", f.assumed);
  }
  if (f.until) {
    w.field("until", *f.until);
  }
  w.end_object();
}

void write_next(JsonWriter& w, const NextStep& n) {
  w.begin_object();
  w.field("rule", n.rule);
  w.field("on", n.on);
  w.field("title", n.title);
  w.field("condition", n.condition);
  w.field("assumed", n.assumed);
  w.end_object();
}

void write_time(JsonWriter& w, const ProcessingTime& row) {
  auto opt = [](const std::string& s) {
    return s.empty() ? std::nullopt : std::optional<std::string_view>(s);
  };
  w.begin_object();
  w.field("form", row.form);
  w.field("category", opt(row.category));
  w.field("office", opt(row.office));
  w.field("value", row.time.value());
  w.field("unit", to_string(row.time.unit));
  w.field("published", row.published);
  w.field("published_inquiry_date", row.inquiry_date);
  w.field("source", row.source);
  w.end_object();
}

void write_findings(JsonWriter& w, std::span<const Finding> findings, const Case& c) {
  w.begin_array();
  for (const auto& f : findings) {
    write_finding(w, f, c);
  }
  w.end_array();
}

void write_notices(JsonWriter& w, const std::optional<Notice>& notice, std::optional<bool> is_new) {
  w.key("notices");
  w.begin_array();
  if (notice) {
    w.begin_object();
    w.field("kind", notice->kind);
    w.field("published", notice->published);
    w.field("days_old", static_cast<std::int64_t>(notice->days_old));
    w.field("cases", static_cast<std::int64_t>(notice->cases));
    if (is_new) {
      w.field("new", *is_new);
    }
    w.end_object();
  }
  w.end_array();
}

void write_next_steps(JsonWriter& w, std::span<const NextStep> next) {
  w.begin_array();
  for (const auto& n : next) {
    write_next(w, n);
  }
  w.end_array();
}

void begin_cases_document(JsonWriter& w, Date as_of) {
  w.begin_object();
  w.field("as_of", as_of);
  w.key("cases");
  w.begin_array();
}

void end_cases_document(JsonWriter& w, const std::optional<Notice>& notice) {
  w.end_array();
  write_notices(w, notice);
  w.end_object();
}

json case_json(const Case& c, const Evaluation& ev) {
  return as_document([&](JsonWriter& w) {
    w.begin_object();
    write_case_fields(w, c, ev);
    w.end_object();
  });
}

json event_json(const Event& e) {
  return as_document([&](JsonWriter& w) { write_event(w, e); });
}

json finding_json(const Finding& f, const Case& c) {
  return as_document([&](JsonWriter& w) { write_finding(w, f, c); });
}

json next_json(const NextStep& n) {
  return as_document([&](JsonWriter& w) { write_next(w, n); });
}

json time_json(const ProcessingTime& row) {
  return as_document([&](JsonWriter& w) { write_time(w, row); });
}

json findings_json(std::span<const Finding> findings, const Case& c) {
  return as_document([&](JsonWriter& w) { write_findings(w, findings, c); });
}

json notices_json(const std::optional<Notice>& notice) {
  return as_document([&](JsonWriter& w) {
    w.begin_object();
    write_notices(w, notice);
    w.end_object();
  })["notices"];
}

json next_steps_json(std::span<const NextStep> next) {
  return as_document([&](JsonWriter& w) { write_next_steps(w, next); });
}

}  // namespace casewatch::cli
