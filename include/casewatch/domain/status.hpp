// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/domain/case.hpp"
#include "casewatch/domain/dates.hpp"
#include "casewatch/util/expected.hpp"

// USCIS's own status words (docs/rules.md, "USCIS's status words"): the catalogue of status
// titles and the event kind each means, the dates in a status paragraph, and the three
// shapes a status reaches a user in (the Case Status API's JSON, a myUSCIS account's JSON,
// text copied from the Case Status page). Pure: no I/O, no clock; every input is untrusted.
namespace casewatch::status {

// Where a status was read: the Case Status API, a myUSCIS account, copied text.
enum class Source { api, myuscis, text };
std::string_view to_string(Source s);

// One title of the catalogue. `kind` is empty for a title that is an observation only
// ("Case Not In System Yet": nothing happened to the case).
struct Title {
  std::string_view title;  // as USCIS writes it
  std::optional<EventKind> kind;
  // What the status does not say and the user should record from the paper notice, with
  // the command ("{case}" stands for the case): an appointment's own date.
  std::string_view hint = {};
  // A second event the title records on the same date: "Case Was Approved And USCIS
  // Notified The U.S. Consulate or Port of Entry" is the approval and sent-to-dos.
  std::optional<EventKind> also = {};
};

// Every title casewatch knows, in the order of docs/rules.md.
std::span<const Title> catalogue();

// The form of a title that titles are compared in: HTML entities decoded (&#039; &amp;
// &nbsp; ...), ASCII letters lower-cased, every run of characters that are not letters
// or digits one space, no space at either end ("Response To USCIS&#039; Request" ->
// "response to uscis request").
std::string normalize_title(std::string_view title);

// Decodes the HTML entities of `text` (named: amp, lt, gt, quot, apos, nbsp; numeric:
// &#39; &#x27;). An entity it does not know is left as it is.
std::string decode_entities(std::string_view text);

// The catalogue's title that `title` names, ignoring case, spacing, punctuation and HTML
// entities; every "Case Was Rejected ..." variant is the rejection. Null when unknown.
const Title* find_title(std::string_view title);

// The kind a title not in the catalogue means, read by its words (docs/rules.md, "USCIS's
// status words"): "denied", "dismissed", "terminated" -> denied; "rejected" -> rejected;
// "revoked", "rescinded" -> revoked; "intent to deny/revoke/terminate/rescind" -> noid;
// "returned", "undeliverable", "held for 180 days" -> notice-returned or card-returned by
// the noun; "approved" -> approved; "evidence" with "sent"/"mailed" -> rfe; "produced" ->
// card-produced; "mailed" -> card-mailed (a card or document) or notice-mailed. Empty when
// the words say none of these (the title is kept as a note).
std::optional<EventKind> kind_by_words(std::string_view title);

// Whether a title is an automatic revocation ("Case Was Automatically Revoked"): it has no
// appeal (8 CFR 205.1).
bool automatic_revocation(std::string_view title);

// The dates of a status paragraph: `date` is the one after "On" or "As of" ("On July 7,
// 2021, we ..."). `due` is USCIS's own follow-up date after "by" ("If you do not receive
// your card by December 20, 2026, ..."; "an address update by ..."): for an RFE or a NOID
// notice that is the day from which one may ask for a copy of the notice, never a response
// deadline. `response_due` is a response date the paragraph states as one ("respond by
// D", "we must receive your response by D"); real status texts do not give one. Each is
// empty when the paragraph does not say it.
struct ParagraphDates {
  std::optional<Date> date;
  std::optional<Date> due;
  std::optional<Date> response_due;
};
ParagraphDates paragraph_dates(std::string_view paragraph);

// One status of a case as a document shows it: the current one or a past one (the API's
// hist_case_status).
struct Observation {
  std::string title;         // entities decoded; may be empty (a history entry without text)
  std::string paragraph;     // entities decoded; empty when the source gives none
  std::optional<Date> date;  // empty when the source does not date it (myUSCIS's status)
  std::optional<Date> due;   // ParagraphDates::due
  std::optional<Date> response_due;  // ParagraphDates::response_due
  bool current = false;
};

// One case as one document shows it.
struct Snapshot {
  std::string receipt;  // normalized; empty when copied text names none
  std::optional<std::string> form;
  std::optional<Date> submitted;  // the date USCIS received the filing, when given
  std::optional<Date> updated;    // when USCIS last changed the case, when given
  Source source = Source::text;
  // Which page of the source the document is, when a source has several ("case" and
  // "status" for myUSCIS): each page's digest is kept apart, so that the two pages read in
  // turn are no change. Empty for a source of one page.
  std::string page;
  std::vector<Observation> observations;  // oldest first; the current status last
  // A digest of the document's content for this case (whitespace and key order do not
  // count): a changed digest with no new status is a "silent update".
  std::string fingerprint;
};

// Case Status API JSON: one answer object, an array of them, or JSON Lines. An error body
// ({"errors": [{"code", "message"}]}) is an Error carrying USCIS's message.
Expected<std::vector<Snapshot>> parse_api(std::string_view text);
// A myUSCIS page as saved from the browser ({"data": {...}}), or an array of them: the case
// page (…/case-service/api/cases/{n}: receiptNumber, formType, submissionTimestamp,
// updatedAtTimestamp; a status title only in the older caseStatus) or the status page
// (…/case-service/api/case_status/{n}: statusTitle, statusText, currentActionCodeDate,
// historicalCaseStatuses [{date, statusTitle}]; its receipt from receiptNumber or the
// text). {"data": null} or an error body: an Error saying to sign in and copy the page
// again.
Expected<std::vector<Snapshot>> parse_myuscis(std::string_view text);
// Text copied from the Case Status page: blocks of a title line and its paragraph. The
// receipt and form are taken from the paragraph ("Receipt Number IOE0912345678", "Form
// I-765"); a block naming no receipt has an empty one (status add names the case). Blocks
// of one receipt make one snapshot.
Expected<std::vector<Snapshot>> parse_text(std::string_view text);
// The public Case Status page's own JSON ({"CaseStatusResponse": {"receiptNumber",
// "detailsEng": {"actionCodeText", "actionCodeDesc", "formNum"}}}), read as its text is.
Expected<std::vector<Snapshot>> parse_case_status_response(std::string_view text);
// A Case Status page saved from the browser as HTML: its status title (the heading USCIS's
// words name) and the paragraph after it. Any other web page: an Error saying to copy its
// text.
Expected<std::vector<Snapshot>> parse_html(std::string_view text);
// Tells the shape by content: JSON with "case_status" or "errors" is the API, JSON with
// "data" is myUSCIS, JSON with "CaseStatusResponse" the Case Status page's, a document
// starting with '<' is HTML, anything not starting with '{' or '[' is text.
Expected<std::vector<Snapshot>> parse_document(std::string_view text);

// The most a document may hold.
inline constexpr std::size_t k_max_snapshots = 10'000;
inline constexpr std::size_t k_max_observations = 1'000;  // per snapshot

// The most one status document may be: one answer of the Case Status API, one myUSCIS page,
// one element of an array of them or one line of JSON Lines. Real ones are a few KB (an
// answer with a long history about 10 KB); 1 MiB is a hundred times that, and keeps the
// memory of reading one (its JSON tree, up to about a hundred times its text) bounded. It is
// also the most `status fetch` reads of an answer.
inline constexpr std::size_t k_max_document_bytes = std::size_t{1} << 20U;
// The longest status title and status paragraph (characters, once entities are decoded).
// USCIS's titles are under 100 characters and its paragraphs under 1,500.
inline constexpr std::size_t k_max_title_chars = 200;
inline constexpr std::size_t k_max_paragraph_chars = 5'000;

}  // namespace casewatch::status
