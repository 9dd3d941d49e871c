// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/domain/case.hpp"
#include "casewatch/domain/document.hpp"
#include "casewatch/util/expected.hpp"

// The one definition of a valid case and a valid event. The command line (add, edit,
// event) and import (CSV and JSON) build every case and event through these functions, so a
// value refused by one is refused by the other, in the same words.
namespace casewatch {

// How a message names a field: as the command-line option ("--received", "--premium",
// "--on") or as the field of the export formats ("field received", "premium_start",
// "date").
enum class FieldNames { options, fields };

// The name of `field` (an export field name: "received", "premium_start", "date") in a
// message: "--received", "--premium", "--on" for options; the field name itself for fields.
std::string field_name(std::string_view field, FieldNames names);

// A value built from text, and the warnings about it (a form, office or category USCIS does
// not list, an unknown receipt prefix), worded for the user; the caller prints them.
template <typename T>
struct Checked {
  T value;
  std::vector<std::string> warnings;
};

// A form, category or office typed alone (times set|unset|list|categories, list --form),
// checked as check_case and check_event check it, in the same words: its shape, a category
// as printed on the notice ("(c)(9)": 147-C9), and the warnings about a value USCIS does
// not list, with the nearest listed ones ("did you mean I-485?"). `head` names the value in
// an error ("--form", "FORM"). An office is checked against `form`'s offices when `form` is
// given.
Expected<Checked<std::string>> check_form(std::string_view head, std::string_view text);
Expected<Checked<std::string>> check_category(std::string_view head, std::string_view text,
                                              std::string_view form);
Expected<Checked<std::string>> check_office(std::string_view head, std::string_view text,
                                            std::string_view form = {});

// The raw text of a case's fields, as the user typed them. std::nullopt: not given (the
// field keeps its value). An empty text clears an optional field when `allow_clear`, and is
// refused otherwise; the form and the receipt cannot be cleared.
struct CaseText {
  std::optional<std::string> receipt, form, category, office, received, sent, priority_date,
      premium_start, label, note, status;
  // The Visa Bulletin fields: a preference category (F2B, EB-2, IR), a country of
  // chargeability (its name or ISO code) and adjustment|consular.
  std::optional<std::string> preference, chargeability, path;
  // The person (a label shared with documents and trips), and an N-400's marriage track
  // (docs/rules.md `n400-early`): the marriage date and the spouse's citizenship date.
  // marriage_track: "yes" or "no" (also true/false, 1/0; in a file "" is "no").
  std::optional<std::string> holder, married, spouse_citizen_since, marriage_track;
  // form_known: yes/no as marriage_track; yes confirms a form casewatch does not know
  // (docs/rules.md `form-unknown`). Another form clears it.
  std::optional<std::string> form_known;
};

struct CaseCheck {
  Date today;  // no date may be after it
  FieldNames names = FieldNames::options;
  bool allow_clear = false;  // edit: "" clears an optional field
  bool any_status = false;   // import: all five statuses; edit: pending or closed
  // import: a date may be this many days after `today` (k_import_slack_days)
  int slack_days = 0;
  // edit: the stored form given again confirms it (docs/rules.md `form-unknown`)
  bool form_again_confirms = false;
};

// An imported file may hold dates one day after today: it was written in a time zone where
// that day has begun (docs/cli.md, "Spreadsheets in an office").
inline constexpr int k_import_slack_days = 1;

// Applies the given fields to `base` (a new Case for add and import, the stored one for
// edit) and checks the whole case: a receipt of 3 letters and 10 digits, a form, category
// and office of their shapes, dates not after `today`, received not before sent, a receipt
// needs a received date and a case without one needs sent, text that is UTF-8 on one line
// (the note may have several). The error is "<field>: <what is wrong and what is accepted>",
// e.g. "--received: 2027-01-01 is after today (2026-11-28); give the date it happened".
Expected<Checked<Case>> check_case(const Case& base, const CaseText& text, const CaseCheck& how);

// The raw text of an event's fields. `date` is required ("today" is a date); the others are
// optional, and an empty text is the same as not given.
struct EventText {
  std::string kind;
  std::optional<std::string> date, due, ref, office, note;
  // expedite: --basis (repeatable), --channel, --need-by; visa-issued and entered: --class;
  // evidence: --for (the expedite's number); 221g: --admin.
  std::vector<std::string> basis{};
  std::optional<std::string> channel{}, need_by{}, visa_class{}, for_seq{};
  bool admin = false;
  // event edit: the need-by date stored before, which may be in the past by now.
  std::optional<Date> kept_need_by{};
};

// Builds an event of case `c` (its form for the office warnings, its name for a hint):
// a known kind, a date not after `today` unless the kind is an appointment, a due date only
// on rfe and noid and not before the event, an office with (and required by) transfer only,
// ref on one line, note on several. `case_id` is c.id. With the case's other `events`
// (docs/cli.md, "Event kinds"): a visa-issued needs the approval on or before it, a
// 221g-response a 221g, an evidence an expedite (--for N); an expedite's --basis and
// --channel are from their lists ("did you mean"), its --need-by not before today.
Expected<Checked<Event>> check_event(const Case& c, const EventText& text, Date today,
                                     FieldNames names = FieldNames::options, int slack_days = 0,
                                     std::span<const Event> events = {});

// The raw text of a document's fields (docs/cli.md `doc`). `renewed_by` is resolved to a
// case by the caller (a receipt or #id names a stored case).
struct DocumentText {
  std::optional<std::string> kind, since, expires, category, holder, note;
};

// Applies the given fields to `base` (a new Document for doc add and import, the stored one
// for doc edit) and checks the whole document: a known kind; `since` not after `today`;
// `expires` not before `since`; a conditional card of at most 2 years; an EAD category of
// 8 CFR 274a.12 in any printed spelling ("(c)(9)", "c09", "C9": "C09"), else "did you mean";
// a category on an EAD only; the dates each rule needs (an EAD, DACA or advance parole
// needs `expires`, a green card `since` or `expires`). "" clears an optional field when
// `how.allow_clear`.
Expected<Checked<Document>> check_document(const Document& base, const DocumentText& text,
                                           const CaseCheck& how);

// A case that renews a document of `kind` (docs/cli.md `doc`, --renewed-by): one of
// renewing_forms(kind), else an error naming the case and the forms that do.
std::optional<Error> check_renewed_by(DocumentKind kind, const Case& c,
                                      FieldNames names = FieldNames::options);

// The raw text of a trip abroad.
struct TripText {
  std::optional<std::string> holder, left, returned;
};

// A trip of `holder`: `left` and `returned` not after `today`, `returned` not before `left`,
// and no overlap with `others` (the trips stored; those of another holder are ignored): the
// error names the trip it overlaps.
Expected<Trip> check_trip(const TripText& text, std::span<const Trip> others, Date today,
                          FieldNames names = FieldNames::options);

}  // namespace casewatch
