// SPDX-License-Identifier: MIT
#include "casewatch/domain/case.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "casewatch/domain/identifiers.hpp"
#include "casewatch/domain/kind_table.hpp"
#include "casewatch/util/text.hpp"

namespace casewatch {
namespace {

struct KindInfo {
  EventKind kind;
  std::string_view name;
  std::string_view description;
};

constexpr std::array<KindInfo, 56> k_kinds = {{
    {EventKind::receipt, "receipt", "the receipt notice (I-797C) arrived"},
    {EventKind::biometrics, "biometrics", "biometrics appointment (may be a future date)"},
    {EventKind::interview, "interview", "interview (may be a future date)"},
    {EventKind::rfe, "rfe", "Request for Evidence issued (--due: the date on the notice)"},
    {EventKind::noid, "noid", "Notice of Intent to Deny issued (--due: the date on the notice)"},
    {EventKind::response, "response", "you answered an RFE or NOID"},
    {EventKind::transfer, "transfer", "the case moved to another office (--office)"},
    {EventKind::e_request, "e-request", "you filed an e-Request (--ref: the SRMT number)"},
    {EventKind::call, "call", "you called the USCIS Contact Center"},
    {EventKind::reply, "reply", "USCIS answered a request"},
    {EventKind::expedite, "expedite", "you asked for an expedite"},
    {EventKind::ombudsman, "ombudsman", "you filed DHS Form 7001 with the CIS Ombudsman"},
    {EventKind::congress, "congress", "you asked your member of Congress for help"},
    {EventKind::mandamus, "mandamus", "a mandamus or APA suit was filed"},
    {EventKind::notice_mailed, "notice-mailed", "USCIS says it mailed a notice"},
    {EventKind::card_mailed, "card-mailed", "USCIS says it mailed a card"},
    {EventKind::delivered, "delivered", "the mailed card or notice arrived"},
    {EventKind::approved, "approved", "the case was approved"},
    {EventKind::denied, "denied", "the case was denied"},
    {EventKind::withdrawn, "withdrawn", "the case was withdrawn"},
    {EventKind::note, "note", "a note for your records"},
    {EventKind::premium_requested, "premium-requested",
     "USCIS received a premium processing request"},
    {EventKind::biometrics_done, "biometrics-done", "USCIS took (or reused) your fingerprints"},
    {EventKind::no_show, "no-show", "USCIS says no one came to an appointment"},
    {EventKind::review, "review", "USCIS is actively reviewing the case"},
    {EventKind::interview_cancelled, "interview-cancelled", "USCIS cancelled the interview"},
    {EventKind::expedite_denied, "expedite-denied", "USCIS denied an expedite request"},
    {EventKind::card_produced, "card-produced",
     "USCIS is producing the card or document (approved)"},
    {EventKind::card_returned, "card-returned",
     "the Post Office returned the card to USCIS (--due: the date USCIS destroys it)"},
    {EventKind::card_destroyed, "card-destroyed", "USCIS destroyed a card it could not deliver"},
    {EventKind::notice_returned, "notice-returned", "the Post Office returned a notice to USCIS"},
    {EventKind::rejected, "rejected", "USCIS rejected the filing: send it again (new receipt)"},
    {EventKind::revoked, "revoked", "USCIS revoked the approval"},
    {EventKind::reopened, "reopened", "USCIS reopened the case: pending again"},
    {EventKind::updated, "updated", "USCIS changed the case without a new status"},
    {EventKind::closed, "closed", "USCIS closed the case (the benefit came by other means)"},
    {EventKind::sent_to_dos, "sent-to-dos",
     "USCIS sent the approved petition to the Department of State (NVC)"},
    {EventKind::nvc_case, "nvc-case", "the NVC created the case (--ref: the NVC case number)"},
    {EventKind::nvc_notice, "nvc-notice",
     "an NVC notice: Welcome letter, fee bill, visa available"},
    {EventKind::nvc_fee_paid, "nvc-fee-paid", "you paid the NVC fees"},
    {EventKind::ds260, "ds260", "you submitted Form DS-260"},
    {EventKind::civil_docs, "civil-docs", "you uploaded the civil documents to CEAC"},
    {EventKind::nvc_activity, "nvc-activity", "any other step you took in CEAC"},
    {EventKind::dq, "dq", "the NVC found the case documentarily qualified"},
    {EventKind::iv_interview, "iv-interview", "the visa interview (may be a future date)"},
    {EventKind::g221, "221g",
     "the consulate refused under 221(g): documents asked (--admin: administrative "
     "processing)"},
    {EventKind::g221_response, "221g-response", "you sent what the 221(g) asked for"},
    {EventKind::visa_issued, "visa-issued",
     "the immigrant visa was issued (--due: its expiry; --class CR1, IR1, F2A...)"},
    {EventKind::visa_refused, "visa-refused", "the consulate refused the visa"},
    {EventKind::entered, "entered", "admitted to the United States on the visa (--class)"},
    {EventKind::immigrant_fee_paid, "immigrant-fee-paid", "you paid the USCIS Immigrant Fee"},
    {EventKind::nvc_terminated, "nvc-terminated",
     "the Department of State terminated the registration"},
    {EventKind::reinstated, "reinstated", "the terminated registration was reinstated"},
    {EventKind::evidence, "evidence",
     "evidence sent for an expedite (--for N: the expedite's number; --note: what)"},
    {EventKind::expedite_approved, "expedite-approved", "USCIS approved an expedite request"},
    {EventKind::expedite_withdrawn, "expedite-withdrawn", "you withdrew an expedite request"},
}};

constexpr std::array<std::string_view, 5> k_bases = {"financial", "humanitarian", "nonprofit",
                                                     "government", "error"};
constexpr std::array<std::string_view, 3> k_channels = {"call", "online", "letter"};

constexpr std::array<EventKind, 56> k_kind_order = [] {
  std::array<EventKind, 56> out{};
  for (std::size_t i = 0; i < k_kinds.size(); ++i) {
    out[i] = k_kinds[i].kind;
  }
  return out;
}();

const KindInfo& info(EventKind k) {
  return k_kinds[static_cast<std::size_t>(k)];
}

constexpr std::array<std::string_view, 5> k_status_names = {"pending", "approved", "denied",
                                                            "withdrawn", "closed"};

}  // namespace

std::string_view to_string(Status s) {
  return k_status_names[static_cast<std::size_t>(s)];
}

Expected<Status> parse_status(std::string_view text) {
  for (std::size_t i = 0; i < k_status_names.size(); ++i) {
    if (text == k_status_names[i]) {
      return static_cast<Status>(i);
    }
  }
  return Error{fmt::format("{} is not a status; use one of: {}", text::quoted(text),
                           fmt::join(k_status_names, ", "))};
}

std::string_view to_string(VisaPath p) {
  return p == VisaPath::adjustment ? "adjustment" : "consular";
}

Expected<VisaPath> parse_visa_path(std::string_view text) {
  std::string t;
  for (char ch : text) {
    t += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  if (t == "adjustment" || t == "aos") {
    return VisaPath::adjustment;
  }
  if (t == "consular" || t == "cp") {
    return VisaPath::consular;
  }
  return Error{
      fmt::format("{} is not a path; use adjustment (Form I-485 in the United States) "
                  "or consular (an immigrant visa abroad)",
                  text::quoted(text))};
}

VisaPath effective_path(const Case& c) {
  if (c.path) {
    return *c.path;
  }
  return c.form == "I-485" ? VisaPath::adjustment : VisaPath::consular;
}

std::string display_name(const Case& c) {
  return c.receipt ? *c.receipt : fmt::format("#{}", c.id);
}

std::string_view to_string(EventKind k) {
  return info(k).name;
}

std::string_view describe(EventKind k) {
  return info(k).description;
}

std::span<const EventKind> all_event_kinds() {
  return k_kind_order;
}

Expected<EventKind> parse_event_kind(std::string_view text) {
  return parse_kind(text, k_kinds, "an event kind", "erequest", "e-request");
}

bool may_be_future(EventKind k) {
  return k == EventKind::biometrics || k == EventKind::interview || k == EventKind::iv_interview;
}

std::optional<Status> status_after(EventKind k) {
  switch (k) {
    case EventKind::approved:
    case EventKind::card_produced:
      return Status::approved;
    case EventKind::denied:
    case EventKind::revoked:
      return Status::denied;
    case EventKind::withdrawn:
      return Status::withdrawn;
    case EventKind::rejected:
    case EventKind::closed:
      return Status::closed;
    case EventKind::reopened:
      return Status::pending;
    default:
      return std::nullopt;
  }
}

bool is_decision(EventKind k) {
  return status_after(k).has_value();
}

bool may_have_due(EventKind k) {
  switch (k) {
    case EventKind::rfe:
    case EventKind::noid:
    case EventKind::receipt:
    case EventKind::card_mailed:
    case EventKind::notice_mailed:
    case EventKind::card_returned:
    case EventKind::visa_issued:
      return true;
    default:
      return false;
  }
}

bool is_contact(EventKind k) {
  return k == EventKind::e_request || k == EventKind::call;
}

bool is_consular(EventKind k) {
  return k >= EventKind::sent_to_dos && k <= EventKind::reinstated;
}

std::span<const std::string_view> expedite_bases() {
  return k_bases;
}

std::span<const std::string_view> expedite_channels() {
  return k_channels;
}

std::vector<Event> events_as_of(std::span<const Event> events, Date as_of) {
  std::vector<Event> out;
  out.reserve(events.size());
  for (const Event& e : events) {
    if (e.date <= as_of) {
      out.push_back(e);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Event& a, const Event& b) {
    return a.date != b.date ? a.date < b.date : a.id < b.id;
  });
  return out;
}

Status effective_status(const Case& c, std::span<const Event> events, Date as_of) {
  const Event* latest = nullptr;
  for (const Event& e : events) {
    if (is_decision(e.kind) && e.date <= as_of &&
        (latest == nullptr || e.date > latest->date ||
         (e.date == latest->date && e.id > latest->id))) {
      latest = &e;
    }
  }
  if (latest != nullptr) {
    return *status_after(latest->kind);
  }
  bool any_decision =
      std::any_of(events.begin(), events.end(), [](const Event& e) { return is_decision(e.kind); });
  if (!any_decision) {
    // Closed by the user, or decided without a decision event (a case imported from a CSV,
    // which carries the status but no events): the stored status holds on every date.
    return c.status;
  }
  return c.status == Status::closed ? Status::closed : Status::pending;
}

EffectiveOffice effective_office(const Case& c, std::span<const Event> events, Date as_of) {
  EffectiveOffice out;
  const Event* transfer = nullptr;
  for (const Event& e : events) {
    if (e.kind == EventKind::transfer && e.date <= as_of &&
        (transfer == nullptr || e.date > transfer->date ||
         (e.date == transfer->date && e.id > transfer->id))) {
      transfer = &e;
    }
  }
  if (transfer != nullptr) {
    out.office = transfer->office;
    out.source = OfficeSource::transfer;
  } else if (c.office) {
    out.office = c.office;
    out.source = OfficeSource::user;
  } else if (c.receipt) {
    out.office = office_from_receipt(*c.receipt);
    out.source = out.office ? OfficeSource::receipt_prefix : OfficeSource::none;
  }
  // Source: egov.uscis.gov/processing-times/more-info: for these forms an NBC notice means
  // the local field office's time applies.
  static constexpr std::array<std::string_view, 4> k_field_office_forms = {"I-485", "N-400",
                                                                           "N-600", "N-600K"};
  if (out.office == "NBC" && std::find(k_field_office_forms.begin(), k_field_office_forms.end(),
                                       c.form) != k_field_office_forms.end()) {
    out.office.reset();
    out.nbc_field_office_form = true;
  }
  return out;
}

std::optional<int> days_pending(const Case& c, Date as_of) {
  if (!c.received || *c.received > as_of) {
    return std::nullopt;
  }
  return days_between(*c.received, as_of);
}

}  // namespace casewatch
