// SPDX-License-Identifier: MIT
#include "casewatch/domain/status.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "casewatch/domain/identifiers.hpp"
#include "casewatch/util/json_limits.hpp"
#include "casewatch/util/text.hpp"

namespace casewatch::status {
namespace {

using json = nlohmann::json;
using K = EventKind;

constexpr std::string_view k_bio_hint =
    "the appointment's date and place are on the notice: casewatch event {case} biometrics --on "
    "DATE";
constexpr std::string_view k_interview_hint =
    "the interview's date is on the notice: casewatch event {case} interview --on DATE";

// USCIS's titles, every one seen on the Case Status page (docs/rules.md has the table with
// what each does). A known title with no kind of its own is a `note` (kept, no warning); an
// empty kind is an observation only. Older wordings of a title are listed beside it.
constexpr auto k_catalogue = std::to_array<Title>({
    {"Case Was Received", K::receipt},
    {"Case Was Received and A Receipt Notice Was Emailed", K::receipt},
    {"Case Was Received and A Receipt Notice Was Sent", K::receipt},
    {"Case Accepted By The USCIS Lockbox", K::receipt},
    {"Fees Were Waived", K::receipt},
    {"Fingerprint Fee Was Received", K::receipt},
    {"Case Was Received At Another USCIS Office", K::transfer},
    {"Request For Premium Processing Services Was Received", K::premium_requested},
    {"Premium Processing Case is Eligible for Pre-Certification", K::note},
    {"Premium Processing Case is Not Eligible for Pre-Certification", K::note},
    // The status is dated the day USCIS scheduled the appointment, not the appointment: a
    // note, and the user records the appointment from the notice (an interview dated too
    // early would start the N-400's 120 days early).
    {"Biometrics Appointment Was Scheduled", K::note, k_bio_hint},
    {"Fingerprint and Biometrics Appointment Was Scheduled", K::note, k_bio_hint},
    {"Appointment Notice Was Mailed", K::note, k_bio_hint},
    {"Case Was Updated To Show Fingerprints Were Taken", K::biometrics_done},
    {"Request To Reschedule My Appointment Was Received", K::note},
    {"Case Was Updated To Show That No One Appeared for In-Person Processing", K::no_show},
    {"Case Is Being Actively Reviewed By USCIS", K::review},
    {"Case is Ready to Be Scheduled for An Interview", K::review},
    {"Case Remains Pending", K::note},
    {"Case Is Pending at a Local Office", K::note},
    {"Request Was Processed", K::note},
    {"Interview Was Scheduled", K::note, k_interview_hint},
    {"Interview Is Scheduled", K::note, k_interview_hint},
    {"Interview Was Rescheduled", K::note, k_interview_hint},
    {"Interview Cancelled", K::interview_cancelled},
    {"Interview Cancelled And Notice Ordered", K::interview_cancelled},
    {"Interview Was Completed And My Case Must Be Reviewed", K::note, k_interview_hint},
    {"Request for Additional Evidence Was Sent", K::rfe},
    {"Request for Additional Evidence Was Mailed", K::rfe},
    {"Request for Initial Evidence Was Sent", K::rfe},
    {"Request for Initial Evidence Was Mailed", K::rfe},
    {"Request for Initial and Additional Evidence Was Mailed", K::rfe},
    {"Response To USCIS' Request For Evidence Was Received", K::response},
    {"Notice Explaining USCIS Actions Was Mailed", K::noid},
    {"Notice Explaining Actions Mailed", K::noid},
    {"Notice Of Intent To Deny Was Sent", K::noid},
    {"Intent to Revoke Notice Was Sent", K::noid},
    {"CWR Notice of Intent to Revoke Sent", K::noid},
    {"Intent To Rescind Notice Was Mailed", K::noid},
    {"Notice Of USCIS' Intent To Terminate My Status Was Mailed", K::noid},
    {"Case Was Transferred And A New Office Has Jurisdiction", K::transfer},
    {"Case Transferred And New Office Has Jurisdiction", K::transfer},
    {"Case Transferred To Another Office", K::transfer},
    {"Case Was Transferred To An Asylum Office", K::transfer},
    {"Case Was Transferred To Schedule An Interview", K::transfer},
    {"Case Was Transferred To International Office/Consulate", K::transfer},
    {"Case Was Relocated From Administrative Appeals Office To USCIS Originating Office",
     K::transfer},
    // USCIS received something from the applicant; it did not answer an inquiry.
    {"Correspondence Was Received And USCIS Is Reviewing It", K::note},
    {"Correspondence Was Received", K::note},
    {"Document and Letter Was Received", K::note},
    {"Document And Letter Was Received And Under Review", K::note},
    {"Signature Card Was Received", K::note},
    {"CNMI Semiannual Report Received", K::note},
    {"Expedite Request Received", K::expedite},
    {"Expedite Request Denied", K::expedite_denied},
    {"Expedite Request Approved", K::note},
    {"Request for Additional Information Received", K::note},
    {"Case Was Approved", K::approved},
    {"Case Approved", K::approved},
    {"Case Was Approved And My Decision Was Emailed", K::approved},
    {"Case Was Approved And A Decision Notice Was Sent", K::approved},
    // The approval and the petition's way to the NVC (docs/rules.md `nvc-transfer`).
    {"Case Was Approved And USCIS Notified The U.S. Consulate or Port of Entry",
     K::approved,
     {},
     K::sent_to_dos},
    {"Appeal Was Approved", K::approved},
    {"Request For A Duplicate Card Was Approved", K::approved},
    {"Special Immigrant Juvenile Form I-360 Approved With Deferred Action", K::approved},
    {"Special Immigrant Juvenile Form I-360 Approved Without Deferred Action", K::approved},
    // Deferred action is its own grant beside the approved I-360: the petition stands.
    {"Special Immigrant Juvenile Deferred Action Granted", K::note},
    {"Special Immigrant Juvenile Deferred Action Not Granted", K::note},
    {"Special Immigrant Juvenile Deferred Action Terminated", K::note},
    {"Case Approval Was Certified By USCIS", K::note},
    {"Case Approval Was Affirmed", K::note},
    {"Case Was Not Revoked or Cancelled By USCIS", K::note},
    {"New Card Is Being Produced", K::card_produced},
    {"Card Is Being Produced", K::card_produced},
    {"Card Was Produced", K::card_produced},
    {"Permanent Resident Card Is Being Produced", K::card_produced},
    {"Advance Parole Document Was Produced", K::card_produced},
    {"Reentry Permit Was Produced", K::card_produced},
    {"Refugee Travel Document Was Produced", K::card_produced},
    {"Travel Document Did Not Meet Quality Standards And Has To Be Reproduced", K::note},
    {"Card Was Mailed To Me", K::card_mailed},
    {"Card Was Picked Up By The United States Postal Service", K::card_mailed},
    {"Document Was Mailed To Me", K::card_mailed},
    {"Document Was Mailed", K::card_mailed},
    {"Travel Document Was Mailed", K::card_mailed},
    {"Document Was Mailed But I Did Not Receive It", K::note},
    {"Card Was Delivered To Me By The Post Office", K::delivered},
    {"Document Was Personally Delivered To Me", K::delivered},
    {"Card Is Being Returned to USCIS by Post Office", K::card_returned},
    {"Card Was Returned To USCIS", K::card_returned},
    {"Card Was Determined As Undeliverable By The Post Office", K::card_returned},
    {"Document Was Returned To USCIS", K::card_returned},
    {"Document Was Returned As Undeliverable", K::card_returned},
    {"Document Was Returned To USCIS And Is Being Held", K::card_returned},
    {"Document Is Being Held For 180 Days", K::card_returned},
    {"Travel Document Was Returned to USCIS And Will Be Held For 180 Days", K::card_returned},
    {"Card Was Destroyed", K::card_destroyed},
    {"Document Destroyed", K::card_destroyed},
    {"Travel Document Was Destroyed After USCIS Held It For 180 Days", K::card_destroyed},
    {"Document Was Destroyed After USCIS Held It For 180 Days", K::card_destroyed},
    // The applicant sent the card or document back with a letter.
    {"Card Destroyed", K::note},
    {"Travel Document Was Destroyed", K::note},
    {"Document Was Destroyed And Letter Was Received", K::note},
    {"Card Was Received By USCIS Along With My Letter", K::note},
    {"Travel Document Was Received By USCIS Along With My Letter", K::note},
    {"Duplicate Notice Was Mailed", K::notice_mailed},
    {"Amended Notice Was Mailed", K::notice_mailed},
    {"Continuation Notice Was Mailed", K::notice_mailed},
    {"Eligibility Notice Was Mailed", K::notice_mailed},
    {"Decision Notice Mailed", K::notice_mailed},
    {"Prequalified Decision Notice Was Mailed", K::notice_mailed},
    {"Case Required USCIS To Send A Notice", K::notice_mailed},
    {"Notice Was Returned To USCIS Because The Post Office Could Not Deliver It",
     K::notice_returned},
    {"Case Was Denied", K::denied},
    {"Case Was Denied And My Decision Notice Mailed", K::denied},
    {"Primary And Ancillary Benefits Were Denied", K::denied},
    {"Certified Denial Of My Case Was Affirmed By Appellate Authority", K::denied},
    {"Certified Approval Of My Case Was Reversed by The Appellate Authority", K::denied},
    {"Denial Was Upheld by Court", K::denied},
    // A termination is a decision: the notice says which remedy applies.
    {"Termination Notice Sent", K::denied},
    {"Status Termination Notice Was Mailed", K::denied},
    {"Case Was Rejected Because I Did Not Sign My Form", K::rejected},
    {"Case Was Rejected Because It Was Improperly Filed", K::rejected},
    {"Case Rejected Because I Sent An Incorrect Fee", K::rejected},
    {"Case Rejected Because The Version Of The Form I Sent Is No Longer Accepted", K::rejected},
    {"Case Rejected For Incorrect Fee And Form Not Signed", K::rejected},
    {"Case Was Rejected Because My Check Or Money Order Is Not Signed", K::rejected},
    {"Petition/Application Was Rejected For Insufficient Funds", K::rejected},
    {"Request Was Rejected", K::rejected},
    {"Resubmitted Fee Was Not Accepted", K::rejected},
    {"Case Was Suspended Because My Fee Was Returned by My Bank", K::note},
    // The representative's G-28 was refused, not the filing: the case goes on.
    {"Form G-28 Was Rejected Because It Was Improperly Filed", K::note},
    {"Withdrawal Acknowledgement Notice Was Sent", K::withdrawn},
    {"Withdrawal Of My Appeal Was Acknowledged", K::note},
    // An I-140 withdrawn (or its employer closed) 180 days or more after approval stays
    // approved (8 CFR 205.1(a)(3)(iii)(C)-(D)).
    {"Petition Withdrawn/Over 180 Days/Not Automatically Revoked", K::note},
    {"Petition Business Terminated/Over 180 Days/Not Automatically Revoked", K::note},
    {"Case Closed Benefit Received By Other Means", K::closed},
    {"Case Was Automatically Revoked", K::revoked},
    {"Revocation Notice Was Sent", K::revoked},
    {"Case Approval Was Revoked", K::revoked},
    {"Case Was Reopened", K::reopened},
    {"Case Was Reopened For Reconsideration", K::reopened},
    {"Case Was Reopened Based On A Court Order", K::reopened},
    {"Appeal Was Remanded To The Originating Office For Consideration", K::reopened},
    {"Case Was Sent To The Administrative Appeals Office for Review", K::note},
    {"Appeal Was Dismissed", K::note},
    {"Appeal/Motion Was Dismissed", K::note},
    {"Appeal Was Terminated and A Notice Was Mailed To Me", K::note},
    {"Case Was Sent To The Executive Office of Immigration Review", K::note},
    {"Case Was Sent To The Executive Office for Immigration Review", K::note},
    {"Case Was Returned To USCIS By The Executive Office of Immigration Review", K::note},
    {"Case Was Returned To USCIS By The Executive Office for Immigration Review", K::note},
    {"Case Was Sent To The Department of State", K::sent_to_dos},
    {"Department of State Sent Case to USCIS For Review", K::note},
    {"Case Approval Was Reaffirmed And Mailed Back To Department Of State", K::note},
    {"Sent to CDC for Opinion", K::note},
    {"Case Is On Hold", K::note},
    {"Case Is On Hold Because Of Pending Litigation", K::note},
    {"Litigation Notice Was Mailed", K::note},
    {"Termination Of Litigation Notice Was Mailed", K::note},
    {"Visa Bulletin Not Current Or Case Held In Abeyance", K::note},
    {"Visa Bulletin Current", K::note},
    {"Name Was Updated", K::note},
    {"Date of Birth Was Updated", K::note},
    {"Filed Under Known Employer Pilot", K::note},
    {"Fee Will Be Refunded", K::note},
    {"Fee Refund Was Mailed", K::note},
    {"Premium Processing Fee Will Be Refunded", K::note},
    {"Case Status", std::nullopt},
    {"Case Not In System Yet", std::nullopt},
});

// The rejection's title for every variant ("Case Was Rejected Because ...").
const Title& rejection() {
  static const Title& t = *std::find_if(k_catalogue.begin(), k_catalogue.end(),
                                        [](const Title& x) { return x.kind == K::rejected; });
  return t;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// Appends code point `cp` as UTF-8; nothing for a value that is no scalar value.
bool append_utf8(std::string& out, unsigned long cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return false;
  }
  text::append_utf8(out, static_cast<char32_t>(cp));
  return true;
}

// A date as USCIS's files write it: "MM-DD-YYYY HH:MM:SS" (the API), an ISO date or
// timestamp (myUSCIS), "M/D/YYYY" or "Month D, YYYY". Empty for anything else.
std::optional<Date> loose_date(std::string_view s) {
  while (!s.empty() && s.front() == ' ') {
    s.remove_prefix(1);
  }
  if (std::none_of(s.begin(), s.end(),
                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    return std::nullopt;  // not "today" or "yesterday": those are the user's words
  }
  std::string text(s);
  auto digits_at = [&](std::size_t i, std::size_t n) {
    return text.size() >= i + n &&
           std::all_of(text.begin() + static_cast<long>(i), text.begin() + static_cast<long>(i + n),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
  };
  if (digits_at(0, 4) && text.size() >= 10 && text[4] == '-' && text[7] == '-') {
    text = text.substr(0, 10);  // 2026-11-20, 2026-11-20T14:03:00Z
  } else if (digits_at(0, 2) && text.size() >= 10 && text[2] == '-' && text[5] == '-' &&
             digits_at(6, 4)) {
    text = text.substr(0, 2) + "/" + text.substr(3, 2) + "/" + text.substr(6, 4);
  }
  auto parsed = parse_date(text, Date{});
  if (!parsed) {
    return std::nullopt;
  }
  return *parsed;
}

constexpr std::array<std::string_view, 12> k_months = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

// A "Month D, YYYY" date starting at `i` of `lowered` (the paragraph, lower-cased), and
// where it ends.
std::optional<std::pair<Date, std::size_t>> month_date_at(std::string_view lowered, std::size_t i) {
  for (std::string_view m : k_months) {
    if (lowered.substr(i, m.size()) != m) {
      continue;
    }
    std::size_t j = i + m.size();
    if (j >= lowered.size() || lowered[j] != ' ') {
      return std::nullopt;
    }
    ++j;
    std::size_t day_start = j;
    while (j < lowered.size() && j - day_start < 2 &&
           std::isdigit(static_cast<unsigned char>(lowered[j])) != 0) {
      ++j;
    }
    if (j == day_start || j + 6 > lowered.size() || lowered[j] != ',' || lowered[j + 1] != ' ') {
      return std::nullopt;
    }
    std::size_t year = j + 2;
    if (!std::all_of(lowered.begin() + static_cast<long>(year),
                     lowered.begin() + static_cast<long>(year + 4),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
      return std::nullopt;
    }
    auto parsed = parse_date(lowered.substr(i, year + 4 - i), Date{});
    if (!parsed) {
      return std::nullopt;
    }
    return std::pair{*parsed, year + 4};
  }
  return std::nullopt;
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 14695981039346656037ULL;
  for (char c : s) {
    h ^= static_cast<std::uint64_t>(static_cast<unsigned char>(c));
    h *= 1099511628211ULL;
  }
  return h;
}

std::string digest(std::string_view canonical) {
  return fmt::format("{:016x}", fnv1a(canonical));
}

// The number of characters of UTF-8 text.
std::size_t chars(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U; }));
}

// What is wrong with a title or a paragraph once its entities are decoded: the checks of
// typed text (an entity may name a control character: "&#x1b;"), and the length of a real
// one.
std::optional<std::string> decoded_problem(std::string_view decoded, std::string_view what,
                                           bool multi_line) {
  if (auto p = text::problem(decoded, multi_line)) {
    return fmt::format("{} {}, once its HTML entities are decoded, {}", what, text::quoted(decoded),
                       *p);
  }
  std::size_t limit = multi_line ? k_max_paragraph_chars : k_max_title_chars;
  if (chars(decoded) > limit) {
    return fmt::format("{} is longer than {} characters, more than USCIS writes: {}", what, limit,
                       text::quoted(decoded));
  }
  return std::nullopt;
}

// `text` without its HTML markup: a tag ("<a href=...>", "</b>") is removed, a line break
// or the end of a paragraph ("<br>", "</p>") is a line break. A '<' that opens no tag ("< 5
// days") stays.
constexpr std::size_t k_longest_tag = 500;

std::string strip_markup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    bool opens = text[i] == '<' && (std::isalpha(static_cast<unsigned char>(next)) != 0 ||
                                    next == '/' || next == '!');
    // A tag is looked for only as far as a real one reaches: a text of many '<' and no '>'
    // is read once.
    std::size_t close = opens ? text.substr(i, k_longest_tag).find('>') : std::string_view::npos;
    if (close == std::string_view::npos) {
      out += text[i];
      continue;
    }
    close += i;
    std::string tag;
    for (char c : text.substr(i + 1, close - i - 1)) {
      if (c == ' ' || c == '>' || (c == '/' && !tag.empty())) {
        break;
      }
      if (c != '/') {
        tag += lower(c);
      }
    }
    bool ends = text[i + 1] == '/';
    if (tag == "br" || (ends && (tag == "p" || tag == "div" || tag == "li"))) {
      if (!out.empty() && out.back() != '\n') {
        out += '\n';
      }
    }
    i = close;
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
    out.pop_back();
  }
  return out;
}

// A text value of a document: UTF-8 without control characters (line breaks allowed in a
// paragraph), entities decoded, and so still without control characters; a title at most
// k_max_title_chars long, a paragraph (`multi_line`) at most k_max_paragraph_chars.
Expected<std::string> clean(std::string_view value, std::string_view what, bool multi_line) {
  if (auto p = text::problem(value, multi_line)) {
    return Error{fmt::format("{} {}: {}", what, text::quoted(value), *p)};
  }
  std::string decoded = multi_line ? strip_markup(decode_entities(value)) : decode_entities(value);
  if (auto p = decoded_problem(decoded, what, multi_line)) {
    return Error{*p};
  }
  return decoded;
}

// What keeps `text` from being one JSON value casewatch reads, worded as parsing it would
// say it, or nothing when it is one. Checked without building its tree (nlohmann's SAX
// interface with a handler that keeps nothing), so a file of any size costs no memory.
class NoTree {
 public:
  bool null() { return true; }
  bool boolean(bool /*v*/) { return true; }
  bool number_integer(json::number_integer_t /*v*/) { return true; }
  bool number_unsigned(json::number_unsigned_t /*v*/) { return true; }
  bool number_float(json::number_float_t /*v*/, const json::string_t& /*text*/) { return true; }
  bool string(json::string_t& /*v*/) { return true; }
  bool binary(json::binary_t& /*v*/) { return true; }
  bool start_object(std::size_t /*size*/) { return true; }
  bool end_object() { return true; }
  bool start_array(std::size_t /*size*/) { return true; }
  bool end_array() { return true; }
  bool key(json::string_t& /*k*/) { return true; }
  template <typename Exception>
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const Exception& ex) {
    error = ex.what();
    return false;
  }
  std::string error;
};

std::optional<std::string> json_problem(std::string_view text) {
  if (auto p = json_limits::depth_problem(text)) {
    return "not a JSON document casewatch reads: " + *p;
  }
  NoTree check;
  if (!json::sax_parse(text, &check)) {
    return fmt::format("not valid JSON ({})", text::shorten(check.error, 120));
  }
  return std::nullopt;
}

bool is_json_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim_json_space(std::string_view s) {
  while (!s.empty() && is_json_space(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && is_json_space(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

// The text of each element of `text`, a valid JSON array, up to `most` of them.
std::vector<std::string_view> array_elements(std::string_view text, std::size_t most) {
  std::vector<std::string_view> out;
  std::size_t open = text.find('[');
  std::size_t start = open + 1;
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = start; i < text.size() && out.size() < most; ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    } else if (depth == 0 && (c == ',' || c == ']')) {
      std::string_view element = trim_json_space(text.substr(start, i - start));
      if (!element.empty()) {
        out.push_back(element);
      }
      if (c == ']') {
        break;
      }
      start = i + 1;
    }
  }
  return out;
}

// The values of a file of statuses: one JSON value, an array of them, or JSON Lines (one
// value a line). The whole file is checked first, with no tree; each value is then parsed
// on its own when it is read (at()), and refused when larger than k_max_document_bytes, so
// one status document's tree at most is in memory, whatever the size of the file.
class JsonValues {
 public:
  [[nodiscard]] std::size_t size() const { return m_texts.size(); }

  // The `i`-th value (from 0).
  [[nodiscard]] Expected<json> at(std::size_t i) const {
    std::string_view text = m_texts[i];
    if (text.size() > k_max_document_bytes) {
      std::string what = !m_lines.empty() ? fmt::format("line {}", m_lines[i])
                         : m_array        ? fmt::format("element {} of the array", i + 1)
                                          : std::string("the document");
      return Error{fmt::format(
          "{} is larger than {} MiB, more than any status document USCIS gives (a few KB)", what,
          k_max_document_bytes >> 20U)};
    }
    try {
      return json::parse(text);
    } catch (const json::exception& e) {
      return Error{fmt::format("not valid JSON ({})", text::shorten(e.what(), 120))};
    }
  }

  static Expected<JsonValues> read(std::string_view text) {
    JsonValues out;
    if (!json_problem(text)) {
      std::string_view value = trim_json_space(text);
      if (value.front() == '[') {
        out.m_array = true;
        out.m_texts = array_elements(value, k_max_snapshots + 1);
      } else {
        out.m_texts.push_back(value);
      }
      return out;
    }
    std::size_t line_no = 0;
    while (!text.empty()) {
      ++line_no;
      std::size_t nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
        continue;
      }
      if (auto p = json_problem(line)) {
        return Error{line_no == 1 && text.empty() ? *p : fmt::format("line {}: {}", line_no, *p)};
      }
      out.m_texts.push_back(trim_json_space(line));
      out.m_lines.push_back(line_no);
      if (out.m_texts.size() > k_max_snapshots) {
        break;
      }
    }
    return out;
  }

 private:
  std::vector<std::string_view> m_texts;
  std::vector<std::size_t> m_lines;  // JSON Lines: the line of each value
  bool m_array = false;
};

// A string member, or empty when absent or null; an Error when of another type.
Expected<std::optional<std::string>> string_member(const json& obj, const char* key,
                                                   std::string_view where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    return std::optional<std::string>();
  }
  if (!it->is_string()) {
    return Error{fmt::format("{}: {} is not a string", where, key)};
  }
  return std::optional<std::string>(it->get<std::string>());
}

Expected<std::string> receipt_of(const std::optional<std::string>& raw, std::string_view where) {
  if (!raw) {
    return Error{fmt::format("{}: receiptNumber is missing", where)};
  }
  auto r = normalize_receipt(*raw);
  if (!r) {
    return Error{fmt::format("{}: receiptNumber: {}", where, r.error())};
  }
  return *r;
}

std::optional<std::string> form_of(const std::optional<std::string>& raw) {
  if (!raw) {
    return std::nullopt;
  }
  auto f = normalize_form(*raw);
  return f ? std::optional<std::string>(*f) : std::nullopt;
}

Observation observe(std::string title, std::string paragraph, bool current) {
  Observation o;
  ParagraphDates dates = paragraph_dates(paragraph);
  o.date = dates.date;
  o.due = dates.due;
  o.response_due = dates.response_due;
  o.title = std::move(title);
  o.paragraph = std::move(paragraph);
  o.current = current;
  return o;
}

// The error message of an API error body, if `v` is one.
std::optional<std::string> api_error(const json& v) {
  auto it = v.find("errors");
  if (it == v.end() || !it->is_array()) {
    return std::nullopt;
  }
  std::vector<std::string> messages;
  for (const json& e : *it) {
    if (!e.is_object()) {
      continue;
    }
    std::string code =
        e.contains("code") && e["code"].is_string() ? e["code"].get<std::string>() : std::string();
    std::string msg = e.contains("message") && e["message"].is_string()
                          ? e["message"].get<std::string>()
                          : std::string();
    std::string one = text::printable(text::shorten(msg.empty() ? code : msg, 200));
    if (!code.empty() && !msg.empty()) {
      one += fmt::format(" (code {})", text::printable(text::shorten(code, 40)));
    }
    messages.push_back(one);
  }
  if (messages.empty()) {
    messages.emplace_back("no message");
  }
  return fmt::format("USCIS answered with an error: {}", fmt::join(messages, "; "));
}

// The past statuses of a document, oldest first, into `s`: the array `key` of `doc`, each
// element an object with its title under `title_key` and its date under "date" (an element
// without a title is skipped).
std::optional<Error> read_history(const json& doc, const char* key, const char* title_key,
                                  std::string_view where, Snapshot& s) {
  auto past = doc.find(key);
  if (past == doc.end() || !past->is_array()) {
    return std::nullopt;
  }
  for (const json& h : *past) {
    if (s.observations.size() >= k_max_observations) {
      return Error{fmt::format("{}: more than {} past statuses", where, k_max_observations)};
    }
    if (!h.is_object()) {
      continue;
    }
    auto htitle = string_member(h, title_key, where);
    auto hdate = string_member(h, "date", where);
    if (!htitle || !hdate) {
      return Error{!htitle ? htitle.error() : hdate.error()};
    }
    if (!*htitle) {
      continue;
    }
    auto t = clean(**htitle, "a past status", false);
    if (!t) {
      return Error{fmt::format("{}: {}", where, t.error())};
    }
    Observation o = observe(*t, "", false);
    o.date = *hdate ? loose_date(**hdate) : std::nullopt;
    s.observations.push_back(std::move(o));
  }
  std::stable_sort(s.observations.begin(), s.observations.end(),
                   [](const Observation& a, const Observation& b) {
                     return a.date.value_or(Date{}) < b.date.value_or(Date{});
                   });
  return std::nullopt;
}

Expected<Snapshot> api_snapshot(const json& v, std::string_view where) {
  if (auto e = api_error(v)) {
    return Error{fmt::format("{}: {}", where, *e)};
  }
  auto it = v.find("case_status");
  if (!v.is_object() || it == v.end() || !it->is_object()) {
    return Error{fmt::format("{}: not a Case Status API answer (no case_status object)", where)};
  }
  const json& cs = *it;
  Snapshot s;
  s.source = Source::api;
  auto receipt = string_member(cs, "receiptNumber", where);
  if (!receipt) {
    return Error{receipt.error()};
  }
  auto r = receipt_of(*receipt, where);
  if (!r) {
    return Error{r.error()};
  }
  s.receipt = *r;
  std::string where_r = fmt::format("{} ({})", where, s.receipt);
  auto form = string_member(cs, "formType", where_r);
  auto submitted = string_member(cs, "submittedDate", where_r);
  auto modified = string_member(cs, "modifiedDate", where_r);
  auto title = string_member(cs, "current_case_status_text_en", where_r);
  auto desc = string_member(cs, "current_case_status_desc_en", where_r);
  for (const auto* m : {&form, &submitted, &modified, &title, &desc}) {
    if (!*m) {
      return Error{m->error()};
    }
  }
  s.form = form_of(*form);
  s.submitted = *submitted ? loose_date(**submitted) : std::nullopt;
  s.updated = *modified ? loose_date(**modified) : std::nullopt;
  if (auto e = read_history(cs, "hist_case_status", "completed_text_en", where_r, s)) {
    return *e;
  }
  if (*title) {
    auto t = clean(**title, "the status title", false);
    auto p = clean(desc->value_or(""), "the status text", true);
    if (!t || !p) {
      return Error{fmt::format("{}: {}", where_r, !t ? t.error() : p.error())};
    }
    s.observations.push_back(observe(*t, *p, true));
  }
  s.fingerprint = digest(cs.dump());
  return s;
}

std::string receipt_in(std::string_view paragraph);
std::optional<std::string> form_in(std::string_view paragraph);

std::string_view k_sign_in = "sign in to your USCIS account and copy the page again";

Expected<Snapshot> myuscis_snapshot(const json& v, std::string_view where) {
  if (!v.is_object()) {
    return Error{fmt::format("{}: not a myUSCIS case (no data object)", where)};
  }
  auto it = v.find("data");
  if (v.contains("error") || v.contains("errors") || (it != v.end() && it->is_null())) {
    return Error{
        fmt::format("{} holds no case: the browser was not signed in; {}", where, k_sign_in)};
  }
  if (it == v.end() || !it->is_object()) {
    return Error{fmt::format("{}: not a myUSCIS case (no data object)", where)};
  }
  const json& d = *it;
  Snapshot s;
  s.source = Source::myuscis;
  // The status page (…/case_status/{n}) or the case page (…/cases/{n}).
  bool status_page = d.contains("statusTitle") || d.contains("statusText") ||
                     d.contains("historicalCaseStatuses") || d.contains("currentActionCodeDate");
  s.page = status_page ? "status" : "case";
  auto receipt = string_member(d, "receiptNumber", where);
  auto form = string_member(d, "formType", where);
  auto status = string_member(d, status_page ? "statusTitle" : "caseStatus", where);
  auto text = string_member(d, "statusText", where);
  auto action = string_member(d, "currentActionCodeDate", where);
  auto submitted = string_member(d, "submissionTimestamp", where);
  auto updated = string_member(d, "updatedAtTimestamp", where);
  for (const auto* m : {&receipt, &form, &status, &text, &action, &submitted, &updated}) {
    if (!*m) {
      return Error{m->error()};
    }
  }
  std::string paragraph;
  if (*text) {
    auto p = clean(**text, "the status text", true);
    if (!p) {
      return Error{fmt::format("{}: {}", where, p.error())};
    }
    paragraph = *p;
  }
  if (*receipt || !status_page) {
    auto r = receipt_of(*receipt, where);
    if (!r) {
      return Error{r.error()};
    }
    s.receipt = *r;
  } else {
    s.receipt = receipt_in(paragraph);  // empty: status add names the case
  }
  std::string where_r =
      s.receipt.empty() ? std::string(where) : fmt::format("{} ({})", where, s.receipt);
  s.form = *form ? form_of(*form) : form_in(paragraph);
  s.submitted = *submitted ? loose_date(**submitted) : std::nullopt;
  s.updated = *updated ? loose_date(**updated) : std::nullopt;
  if (auto e = read_history(d, "historicalCaseStatuses", "statusTitle", where_r, s)) {
    return *e;
  }
  if (*status) {
    auto t = clean(**status, "the case status", false);
    if (!t) {
      return Error{fmt::format("{}: {}", where_r, t.error())};
    }
    // The case page does not date its status: the importer dates it by updatedAtTimestamp,
    // and the same title on a later page is the same status. The status page dates it by
    // its text, else by currentActionCodeDate.
    Observation o = observe(*t, paragraph, true);
    if (!o.date && *action) {
      o.date = loose_date(**action);
    }
    s.observations.push_back(std::move(o));
  }
  s.fingerprint = digest(d.dump());
  return s;
}

// The Case Status page's own JSON: {"CaseStatusResponse": {"receiptNumber", "detailsEng":
// {"actionCodeText", "actionCodeDesc", "formNum"}}}.
Expected<Snapshot> case_status_response(const json& v, std::string_view where) {
  auto it = v.is_object() ? v.find("CaseStatusResponse") : v.end();
  if (it == v.end() || !it->is_object()) {
    return Error{fmt::format("{}: not a Case Status page answer (no CaseStatusResponse)", where)};
  }
  const json& r = *it;
  auto details = r.find("detailsEng");
  if (details == r.end() || !details->is_object()) {
    return Error{
        fmt::format("{}: the Case Status page answer holds no status (no detailsEng); "
                    "is the receipt number right?",
                    where)};
  }
  auto receipt = string_member(r, "receiptNumber", where);
  auto title = string_member(*details, "actionCodeText", where);
  auto desc = string_member(*details, "actionCodeDesc", where);
  auto form = string_member(*details, "formNum", where);
  for (const auto* m : {&receipt, &title, &desc, &form}) {
    if (!*m) {
      return Error{m->error()};
    }
  }
  Snapshot s;
  s.source = Source::text;
  auto rn = receipt_of(*receipt, where);
  if (!rn) {
    return Error{rn.error()};
  }
  s.receipt = *rn;
  std::string where_r = fmt::format("{} ({})", where, s.receipt);
  if (!*title) {
    return Error{fmt::format("{}: the answer holds no status title (actionCodeText)", where_r)};
  }
  auto t = clean(**title, "the status title", false);
  auto p = clean(desc->value_or(""), "the status text", true);
  if (!t || !p) {
    return Error{fmt::format("{}: {}", where_r, !t ? t.error() : p.error())};
  }
  s.form = *form ? form_of(*form) : form_in(*p);
  s.observations.push_back(observe(*t, *p, true));
  s.fingerprint = digest(fmt::format("{}\n{}\n", normalize_title(*t), *p));
  return s;
}

// Where a block of copied text names its receipt ("Receipt Number IOE0912345678") and form
// ("Form I-765").
std::string receipt_in(std::string_view paragraph) {
  for (std::size_t i = 0; i + 13 <= paragraph.size(); ++i) {
    if (i > 0 && is_alnum(paragraph[i - 1])) {
      continue;
    }
    std::string_view w = paragraph.substr(i, 13);
    bool shape =
        std::all_of(w.begin(), w.begin() + 3,
                    [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }) &&
        std::all_of(w.begin() + 3, w.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
    if (shape && (i + 13 == paragraph.size() || !is_alnum(paragraph[i + 13]))) {
      if (auto r = normalize_receipt(w)) {
        return *r;
      }
    }
  }
  return {};
}

std::optional<std::string> form_in(std::string_view paragraph) {
  for (std::size_t at = paragraph.find("Form "); at != std::string_view::npos;
       at = paragraph.find("Form ", at + 1)) {
    std::size_t end = at + 5;
    while (end < paragraph.size() && (is_alnum(paragraph[end]) || paragraph[end] == '-')) {
      ++end;
    }
    if (auto f = normalize_form(paragraph.substr(at + 5, end - at - 5))) {
      return *f;
    }
  }
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

std::string_view to_string(Source s) {
  switch (s) {
    case Source::api:
      return "api";
    case Source::myuscis:
      return "myuscis";
    default:
      return "text";
  }
}

std::span<const Title> catalogue() {
  return k_catalogue;
}

// "&" and the ';' of the longest entity decoded are at most this far apart, plus one.
constexpr std::size_t k_longest_entity = 11;

std::string decode_entities(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> k_named = {
      {{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "}}};
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    // The ';' is looked for only as far as the longest entity reaches ("&#x010FFFF;"): a
    // text of many '&' and no ';' is read once, not once for each '&'.
    std::size_t semi = s.substr(i, k_longest_entity).find(';');
    if (semi == std::string_view::npos) {
      out += s[i];
      continue;
    }
    semi += i;
    std::string_view name = s.substr(i + 1, semi - i - 1);
    bool done = false;
    if (!name.empty() && name[0] == '#') {
      bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
      std::string_view digits = name.substr(hex ? 2 : 1);
      unsigned long cp = 0;
      bool ok = !digits.empty();
      for (char c : digits) {
        int v = std::isdigit(static_cast<unsigned char>(c)) != 0           ? c - '0'
                : hex && std::isxdigit(static_cast<unsigned char>(c)) != 0 ? 10 + lower(c) - 'a'
                                                                           : -1;
        if (v < 0) {
          ok = false;
          break;
        }
        cp = cp * (hex ? 16UL : 10UL) + static_cast<unsigned long>(v);
        if (cp > 0x10FFFF) {
          ok = false;
          break;
        }
      }
      done = ok && append_utf8(out, cp);
    } else {
      for (const auto& [n, v] : k_named) {
        if (name == n) {
          out += v;
          done = true;
          break;
        }
      }
    }
    if (done) {
      i = semi;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string normalize_title(std::string_view title) {
  std::string decoded = decode_entities(title);
  std::string out;
  bool space = false;
  for (char c : decoded) {
    if (is_alnum(c)) {
      if (space && !out.empty()) {
        out += ' ';
      }
      space = false;
      out += lower(c);
    } else if (c != '\'') {  // USCIS' and USCIS are one word
      space = true;
    }
  }
  return out;
}

const Title* find_title(std::string_view title) {
  static const std::map<std::string, const Title*, std::less<>> k_index = [] {
    std::map<std::string, const Title*, std::less<>> m;
    for (const Title& t : k_catalogue) {
      m.emplace(normalize_title(t.title), &t);
    }
    return m;
  }();
  std::string n = normalize_title(title);
  if (auto it = k_index.find(n); it != k_index.end()) {
    return it->second;
  }
  // Every combination of reasons USCIS gives a rejection.
  for (std::string_view p :
       {"case was rejected", "case rejected", "petition application was rejected"}) {
    if (starts_with(n, p)) {
      return &rejection();
    }
  }
  return nullptr;
}

std::optional<EventKind> kind_by_words(std::string_view title) {
  std::string n = " " + normalize_title(title) + " ";
  auto has = [&](std::string_view words) {
    return n.find(fmt::format(" {} ", words)) != std::string::npos;
  };
  auto any = [&](std::initializer_list<std::string_view> words) {
    return std::any_of(words.begin(), words.end(), has);
  };
  if (any({"intent to deny", "intent to revoke", "intent to terminate", "intent to rescind"})) {
    return K::noid;
  }
  if (any({"returned", "undeliverable", "held for 180 days"})) {
    return has("notice") ? K::notice_returned : K::card_returned;
  }
  if (any({"rejected"})) {
    return K::rejected;
  }
  if (any({"revoked", "rescinded", "rescind"})) {
    return K::revoked;
  }
  if (any({"denied", "dismissed", "terminated", "termination"})) {
    return K::denied;
  }
  if (has("approved")) {
    return K::approved;
  }
  if (has("evidence") && any({"sent", "mailed"})) {
    return K::rfe;
  }
  if (has("produced")) {
    return K::card_produced;
  }
  if (has("mailed")) {
    return any({"card", "document", "permit"}) ? K::card_mailed : K::notice_mailed;
  }
  return std::nullopt;
}

bool automatic_revocation(std::string_view title) {
  return normalize_title(title) == "case was automatically revoked";
}

ParagraphDates paragraph_dates(std::string_view paragraph) {
  ParagraphDates out;
  std::string lowered;
  lowered.reserve(paragraph.size());
  for (char c : paragraph) {
    lowered += c == '\n' ? ' ' : lower(c);
  }
  auto word_before = [&](std::size_t i, std::string_view word) {
    return i >= word.size() + 1 && lowered[i - 1] == ' ' &&
           std::string_view(lowered).substr(i - 1 - word.size(), word.size()) == word &&
           (i - 1 - word.size() == 0 || !is_alnum(lowered[i - 2 - word.size()]));
  };
  for (std::size_t i = 0; i < lowered.size(); ++i) {
    if (!std::isalpha(static_cast<unsigned char>(lowered[i])) ||
        (i > 0 && std::isalpha(static_cast<unsigned char>(lowered[i - 1])))) {
      continue;
    }
    auto found = month_date_at(lowered, i);
    if (!found) {
      continue;
    }
    if (!out.date && (word_before(i, "on") || word_before(i, "as of"))) {
      out.date = found->first;
    } else if (word_before(i, "by")) {
      // The sentence says whether the date is a response date ("respond by D", "we must
      // receive your response by D") or USCIS's follow-up ("If you do not receive your
      // request for evidence by D, ... request a copy").
      std::size_t start = lowered.rfind(". ", i);
      start = start == std::string::npos ? 0 : start;
      std::string_view sentence = std::string_view(lowered).substr(start, i - start);
      bool response = (sentence.find("respond") != std::string_view::npos ||
                       sentence.find("response") != std::string_view::npos) &&
                      sentence.find("if you do not receive") == std::string_view::npos;
      std::optional<Date>& slot = response ? out.response_due : out.due;
      if (!slot) {
        slot = found->first;
      }
    }
    i = found->second - 1;
  }
  return out;
}

namespace {

// The snapshots of every value of a file, each read by `one` ("the answer", "answer 2").
Expected<std::vector<Snapshot>> snapshots_of(const JsonValues& values, std::string_view noun,
                                             std::string_view nouns,
                                             Expected<Snapshot> (*one)(const json& v,
                                                                       std::string_view where)) {
  if (values.size() > k_max_snapshots) {
    return Error{fmt::format("more than {} {} in one file", k_max_snapshots, nouns)};
  }
  std::vector<Snapshot> out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto v = values.at(i);
    if (!v) {
      return Error{v.error()};
    }
    std::string where =
        values.size() == 1 ? fmt::format("the {}", noun) : fmt::format("{} {}", noun, i + 1);
    auto s = one(*v, where);
    if (!s) {
      return Error{s.error()};
    }
    out.push_back(std::move(*s));
  }
  return out;
}

Expected<std::vector<Snapshot>> api_snapshots(const JsonValues& values) {
  return snapshots_of(values, "answer", "answers", api_snapshot);
}

Expected<std::vector<Snapshot>> myuscis_snapshots(const JsonValues& values) {
  return snapshots_of(values, "page", "pages", myuscis_snapshot);
}

Expected<std::vector<Snapshot>> case_status_snapshots(const JsonValues& values) {
  return snapshots_of(values, "answer", "answers", case_status_response);
}

// The text of an HTML element's content: tags removed, entities decoded, spaces folded.
std::string element_text(std::string_view html) {
  std::string flat = strip_markup(decode_entities(html));
  std::string out;
  bool space = false;
  for (char c : flat) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) {
      out += ' ';
      space = false;
    }
    out += c;
  }
  return out;
}

}  // namespace

Expected<std::vector<Snapshot>> parse_api(std::string_view text) {
  auto values = JsonValues::read(text);
  if (!values) {
    return Error{values.error()};
  }
  return api_snapshots(*values);
}

Expected<std::vector<Snapshot>> parse_myuscis(std::string_view text) {
  auto values = JsonValues::read(text);
  if (!values) {
    return Error{values.error()};
  }
  return myuscis_snapshots(*values);
}

Expected<std::vector<Snapshot>> parse_case_status_response(std::string_view text) {
  auto values = JsonValues::read(text);
  if (!values) {
    return Error{values.error()};
  }
  return case_status_snapshots(*values);
}

Expected<std::vector<Snapshot>> parse_html(std::string_view text) {
  constexpr std::string_view k_web_page =
      "this is a web page: copy its text (the status title and the paragraph under it) and "
      "give that instead";
  if (auto p = text::problem(text, true)) {
    return Error{fmt::format("the web page {}", *p)};
  }
  std::string lowered;
  lowered.reserve(text.size());
  for (char c : text) {
    lowered += lower(c);
  }
  // Each heading whose words are a status title, and the paragraph after it before the next
  // heading. Every search starts where the last one ended: one pass over the page.
  std::string copied;
  std::string_view page(lowered);
  for (std::size_t at = page.find("<h"); at != std::string_view::npos;
       at = page.find("<h", at + 2)) {
    char level = at + 2 < page.size() ? page[at + 2] : '\0';
    if (level < '1' || level > '4') {
      continue;
    }
    std::size_t open_end = page.find('>', at);
    std::string close = fmt::format("</h{}", level);
    std::size_t end = open_end == std::string_view::npos ? open_end : page.find(close, open_end);
    if (end == std::string_view::npos) {
      break;
    }
    std::string title = element_text(text.substr(open_end + 1, end - open_end - 1));
    std::size_t next_heading = page.find("<h", end + 1);
    std::size_t window_end = next_heading == std::string_view::npos ? page.size() : next_heading;
    std::string_view window = page.substr(end, window_end - end);
    at = end;
    if (title.empty() || title.size() > k_max_title_chars ||
        (find_title(title) == nullptr && !kind_by_words(title))) {
      continue;
    }
    std::string paragraph;
    std::size_t p = window.find("<p");
    std::size_t p_open_end = p == std::string_view::npos ? p : window.find('>', p);
    std::size_t p_end =
        p_open_end == std::string_view::npos ? p_open_end : window.find("</p", p_open_end);
    if (p_end != std::string_view::npos) {
      paragraph = element_text(text.substr(end + p_open_end + 1, p_end - p_open_end - 1));
    }
    copied += fmt::format("{}\n{}\n\n", title, paragraph);
  }
  if (copied.empty()) {
    return Error{std::string(k_web_page)};
  }
  return parse_text(copied);
}

Expected<std::vector<Snapshot>> parse_text(std::string_view text) {
  if (auto p = text::problem(text, true)) {
    return Error{fmt::format("the text {}", *p)};
  }
  struct Block {
    std::string title;
    std::string paragraph;
    std::size_t line = 0;
  };
  std::vector<Block> blocks;
  bool blank_before = true;
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    std::size_t nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty()) {
      blank_before = true;
      continue;
    }
    for (std::string_view prefix : {"Your Current Status:", "Current Status:"}) {
      if (starts_with(line, prefix)) {
        line = trim(line.substr(prefix.size()));
      }
    }
    if (line.empty()) {
      continue;
    }
    // A title: the first line, a known title, or a short line after a blank one that reads
    // like a title (no full stop) once a paragraph was read.
    bool looks_like_title = line.size() <= 120 && line.back() != '.' && line.back() != ',' &&
                            !starts_with(line, "On ") && !starts_with(line, "As of ");
    bool title = blocks.empty() || find_title(line) != nullptr ||
                 (blank_before && looks_like_title && !blocks.back().paragraph.empty());
    if (title) {
      if (blocks.size() >= k_max_observations) {
        return Error{fmt::format("more than {} status blocks", k_max_observations)};
      }
      blocks.push_back(Block{std::string(line), {}, line_no});
    } else {
      std::string& p = blocks.back().paragraph;
      p += p.empty() ? "" : "\n";
      p += line;
    }
    blank_before = false;
  }
  if (blocks.empty()) {
    return Error{"the text holds no status: copy the status title and the paragraph under it"};
  }
  std::vector<Snapshot> out;
  for (const Block& b : blocks) {
    std::string title = decode_entities(b.title);
    std::string paragraph = strip_markup(decode_entities(b.paragraph));
    for (auto [value, what, multi_line] : {std::tuple{&title, "the status title", false},
                                           std::tuple{&paragraph, "the status text", true}}) {
      if (auto p = decoded_problem(*value, what, multi_line)) {
        return Error{fmt::format("line {}: {}", b.line, *p)};
      }
    }
    std::string receipt = receipt_in(paragraph);
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const Snapshot& s) { return s.receipt == receipt; });
    if (it == out.end()) {
      Snapshot s;
      s.receipt = receipt;
      s.source = Source::text;
      out.push_back(std::move(s));
      it = std::prev(out.end());
    }
    if (!it->form) {
      it->form = form_in(paragraph);
    }
    it->fingerprint += fmt::format("{}\n{}\n", normalize_title(title), paragraph);
    it->observations.push_back(observe(std::move(title), std::move(paragraph), false));
  }
  for (Snapshot& s : out) {
    s.fingerprint = digest(s.fingerprint);
    std::stable_sort(s.observations.begin(), s.observations.end(),
                     [](const Observation& a, const Observation& b) {
                       return a.date.value_or(Date{}) < b.date.value_or(Date{});
                     });
    s.observations.back().current = true;
  }
  return out;
}

Expected<std::vector<Snapshot>> parse_document(std::string_view text) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return Error{"the file is empty"};
  }
  if (text[first] == '<') {
    return parse_html(text);
  }
  if (text[first] != '{' && text[first] != '[') {
    return parse_text(text);
  }
  // The shape: the first object's keys.
  auto values = JsonValues::read(text);
  if (!values) {
    return Error{values.error()};
  }
  for (std::size_t i = 0; i < values->size(); ++i) {
    auto v = values->at(i);
    if (!v) {
      return Error{v.error()};
    }
    if (v->is_object() && (v->contains("case_status") || v->contains("errors"))) {
      return api_snapshots(*values);
    }
    if (v->is_object() && (v->contains("data") || v->contains("error"))) {
      return myuscis_snapshots(*values);
    }
    if (v->is_object() && v->contains("CaseStatusResponse")) {
      return case_status_snapshots(*values);
    }
  }
  return Error{
      "not a status casewatch reads: JSON of the Case Status API has \"case_status\", a myUSCIS "
      "page has \"data\", the Case Status page's has \"CaseStatusResponse\""};
}

}  // namespace casewatch::status
