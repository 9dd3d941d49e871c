// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/domain/dates.hpp"
#include "casewatch/util/expected.hpp"

namespace casewatch {

using CaseId = std::int64_t;

enum class Status { pending, approved, denied, withdrawn, closed };

std::string_view to_string(Status s);
// Accepts the five status words; fails naming the value and the accepted ones.
Expected<Status> parse_status(std::string_view text);

// How a green-card case ends (docs/rules.md `priority-date`): adjustment of status in the
// United States (Form I-485) or an immigrant visa abroad through the NVC and a consulate.
enum class VisaPath { adjustment, consular };
std::string_view to_string(VisaPath p);
// "adjustment" or "consular" (any case; also "aos", "cp"). Fails naming the value.
Expected<VisaPath> parse_visa_path(std::string_view text);

// A pending (or decided) USCIS case. `receipt` is empty until the receipt notice arrives
// (a case added with --sent). `office` is what the user gave, if anything: the office the
// rules use is effective_office().
struct Case {
  CaseId id = 0;
  std::optional<std::string> receipt;
  std::string form;
  std::optional<std::string> category;
  std::optional<std::string> office;
  std::optional<Date> received;
  std::optional<Date> sent;
  std::optional<Date> priority_date;
  std::optional<Date> premium_start;
  std::optional<std::string> label;
  std::optional<std::string> note;
  Status status = Status::pending;  // as stored: pending/closed set by the user, or a decision
  // The Visa Bulletin fields (docs/rules.md `priority-date`): a bulletin category code or
  // IR (bulletin.hpp parse_preference), the country of chargeability as the user states
  // it, and the path, empty when it follows from the form (effective_path).
  std::optional<std::string> preference;
  std::optional<std::string> chargeability;
  std::optional<VisaPath> path;
  // The person the case is for (a label; documents and trips carry the same labels,
  // docs/rules.md "Document windows").
  std::optional<std::string> holder{};
  // An N-400 on the 3-year track of a spouse of a U.S. citizen (docs/rules.md `n400-early`):
  // the marriage date and the day the spouse became a citizen.
  bool marriage_track = false;
  std::optional<Date> married{};
  std::optional<Date> spouse_citizen_since{};
  // A derivative's own case names the principal's case (docs/cli.md `--derivative-of`).
  std::optional<CaseId> derivative_of;
  // The user confirmed a form casewatch does not know (docs/rules.md `form-unknown`): the
  // case keeps the 6-month rule. Cleared when the form changes.
  bool form_confirmed = false;
};

// The path the rules use: the user's, else adjustment for an I-485 and consular for any
// other form (an I-130, I-140 or I-526 alone ends abroad until the user says otherwise).
VisaPath effective_path(const Case& c);

// "IOE0912345678", or "#7" before the receipt arrives.
std::string display_name(const Case& c);

enum class EventKind {
  receipt,
  biometrics,
  interview,
  rfe,
  noid,
  response,
  transfer,
  e_request,
  call,
  reply,
  expedite,
  ombudsman,
  congress,
  mandamus,
  notice_mailed,
  card_mailed,
  delivered,
  approved,
  denied,
  withdrawn,
  note,
  // USCIS's own status words (status import; docs/rules.md says what each does).
  premium_requested,
  biometrics_done,
  no_show,
  review,
  interview_cancelled,
  expedite_denied,
  card_produced,
  card_returned,
  card_destroyed,
  notice_returned,
  rejected,
  revoked,
  reopened,
  updated,
  closed,
  // The consular stage after an approved petition (docs/rules.md, "The consular stage").
  sent_to_dos,
  nvc_case,
  nvc_notice,
  nvc_fee_paid,
  ds260,
  civil_docs,
  nvc_activity,
  dq,
  iv_interview,
  g221,
  g221_response,
  visa_issued,
  visa_refused,
  entered,
  immigrant_fee_paid,
  nvc_terminated,
  reinstated,
  // Expedite requests (docs/rules.md, "Expedite requests").
  evidence,
  expedite_approved,
  expedite_withdrawn,
};

// The command-line and JSON spelling: "e-request", "card-mailed", "rfe".
std::string_view to_string(EventKind k);
// Parses a kind as spelled by to_string (any case, '_' for '-'); fails listing all kinds.
Expected<EventKind> parse_event_kind(std::string_view text);
// All kinds, in one fixed order, for help text.
std::span<const EventKind> all_event_kinds();
// A one-line description for help text ("USCIS asked for more evidence").
std::string_view describe(EventKind k);

// Appointments may be dated in the future; everything else has already happened.
bool may_be_future(EventKind k);
// The status a kind sets (docs/rules.md, "Dates and clocks"): approved and card-produced
// approve, denied and revoked deny, withdrawn withdraws, rejected closes (the filing must be
// sent again), closed closes (USCIS closed the case: the benefit came by other means),
// reopened makes the case pending again. Empty for every other kind.
std::optional<Status> status_after(EventKind k);
// A kind that sets the status (status_after is not empty): recording one sets the case's
// status.
bool is_decision(EventKind k);
// Kinds that may carry a due date: rfe and noid (the response due date), and the kinds
// USCIS states its own follow-up date for ("if you do not receive your card by D"):
// receipt, card-mailed, notice-mailed, card-returned (the date USCIS destroys the card).
bool may_have_due(EventKind k);
// e-request and call: a contact with USCIS (docs/rules.md, "Dates and clocks").
bool is_contact(EventKind k);
// The consular stage's kinds, from sent-to-dos to reinstated (docs/rules.md, "The consular
// stage").
bool is_consular(EventKind k);

// The bases of an expedite request (docs/rules.md `expedite-basis`), in a fixed order.
std::span<const std::string_view> expedite_bases();
// The channels of an expedite request: call, online, letter.
std::span<const std::string_view> expedite_channels();

// An entry of a case's timeline. `id` grows with the order of recording, which breaks
// ties between events of the same date. `seq` is the event's number within its case
// (1, 2, 3... in the order recorded, never reused after a removal): "event 3" stays event 3.
// 0 until stored.
struct Event {
  std::int64_t id = 0;
  CaseId case_id = 0;
  std::int64_t seq = 0;
  EventKind kind = EventKind::note;
  Date date;
  std::optional<Date> due;
  std::optional<std::string> ref;
  std::optional<std::string> office;
  std::optional<std::string> note;
  // Set for events imported from USCIS's status words (status import/add): where they came
  // from ("api", "myuscis", "text"), when the status was seen, and USCIS's title as written.
  std::optional<std::string> source;
  std::optional<Date> observed;
  std::optional<std::string> title;
  // expedite: the bases asked on (docs/rules.md `expedite-basis`: financial, humanitarian,
  // nonprofit, government, error), the channel (call, online, letter) and the date the
  // benefit is needed by.
  std::vector<std::string> basis;
  std::optional<std::string> channel;
  std::optional<Date> need_by;
  // visa-issued, entered: the visa class (CR1, IR1, F2A, EB2...), upper case.
  std::optional<std::string> visa_class;
  // evidence: the number (seq) of the expedite event it supports.
  std::optional<std::int64_t> for_seq;
  // 221g: administrative processing (--admin) rather than a request for documents.
  bool admin = false;
};

// The events of a case as the rules see them on `as_of`: those dated on or before it,
// oldest first (ties in the order recorded).
std::vector<Event> events_as_of(std::span<const Event> events, Date as_of);

// The status on `as_of` (docs/rules.md, "Dates and clocks"): that set by the latest decision event
// (is_decision) dated on or before it; else closed if the user closed the case; else pending. A
// case with a stored decision but no decision event at all (imported from a CSV, which has no
// events) keeps its stored status on every date.
Status effective_status(const Case& c, std::span<const Event> events, Date as_of);

// Where the office the rules use came from.
enum class OfficeSource { none, user, receipt_prefix, transfer };

struct EffectiveOffice {
  std::optional<std::string> office;  // empty: unknown
  OfficeSource source = OfficeSource::none;
  // True when the office would be NBC but the form is decided by a field office, so the
  // office is unknown until the user sets it or a transfer names it.
  bool nbc_field_office_form = false;
};

// The office on `as_of` (docs/rules.md, "The processing time of a case"): the latest transfer
// dated on or before `as_of` (unknown when it names no office: USCIS's status words say a
// case moved without always saying where), else the user's office, else the one the receipt prefix
// implies. NBC cases of I-485, N-400, N-600 and N-600K are decided by the local field
// office, so for them NBC means "unknown".
EffectiveOffice effective_office(const Case& c, std::span<const Event> events, Date as_of);

// Days from the received date to `as_of`; empty without a received date or when the case
// was received after `as_of`.
std::optional<int> days_pending(const Case& c, Date as_of);

}  // namespace casewatch
