// SPDX-License-Identifier: MIT
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/domain/dates.hpp"
#include "casewatch/util/csv.hpp"
#include "casewatch/util/expected.hpp"

namespace casewatch {

enum class TimeUnit { months, weeks };

// A posted processing time: USCIS's 80th-percentile figure, in whole or half units.
struct PostedTime {
  int halves = 0;  // the value times two: 25.5 months is {51, months}
  TimeUnit unit = TimeUnit::months;

  [[nodiscard]] double value() const { return halves / 2.0; }
  friend bool operator==(const PostedTime&, const PostedTime&) = default;
};

// The largest posted time read, in months or weeks (20 years; USCIS's slowest is under 10).
inline constexpr int k_max_posted_value = 240;
// The same bound in halves: a posted time is from 1 to this many halves (0.5 to 240), as
// `times set` and `times import` accept it and as a row read back from the database must be.
inline constexpr int k_max_posted_halves = 2 * k_max_posted_value;

// Parses "25.5" or "4" (digits only, whole or half, from 0.5 to k_max_posted_value) with a
// unit as USCIS
// writes it ("Month", "Months", "Week", "Weeks", any case). Fails naming the value.
Expected<PostedTime> parse_posted_time(std::string_view value, std::string_view unit);

// "months" or "weeks": the unit as stored and printed in JSON.
std::string_view to_string(TimeUnit unit);

// "25.5 months", "4 weeks".
std::string describe(const PostedTime& time);

// `d` plus a posted time (docs/rules.md, "Adding a posted time"): whole calendar months first,
// clamped at the month's end, then 15 days for a half month; weeks are 7 days, and a half
// week rounds up to 4 days so that no date comes early.
// Defined for any `halves`: the result saturates at the ends of the calendar.
Date add_posted_time(Date d, const PostedTime& time);

// One row of the processing-time table (docs/rules.md, "The processing time of a case").
// `category` and `office` are empty only in a user's aggregate row (`times set` without
// them). `source` is "built-in", "import:<file name>" or "set".
struct ProcessingTime {
  std::string form;
  std::string category;
  std::string office;
  PostedTime time;
  Date published;
  std::optional<Date> inquiry_date;  // USCIS's published case inquiry date
  std::string source;
};

// What parsing a processing-times CSV gave: the usable rows and how many rows had no time
// (USCIS writes "NA" for a few forms; they are skipped, not errors).
struct ParsedTimes {
  std::vector<ProcessingTime> rows;
  std::size_t skipped_without_time = 0;
  // Rows whose upper bound is no time casewatch reads (a unit such as "Days" or "See Notes",
  // a value such as 9.25), skipped when the reader allows it, and the first one's words.
  std::size_t skipped_odd = 0;
  std::string first_odd;
};

// Parses the USCIS processing-times CSV (the columns of the 2024-10-18 data: form_name,
// form_subtype, office_code, publication_date, range_upper, range_upper_unit,
// service_request_date; others ignored, in any order). Fails on a missing column or a bad
// value, naming the line and the column.
Expected<ParsedTimes> parse_processing_times_csv(std::string_view text, std::string_view source);

// The same from records already split into fields, the first being the header (the rows of
// the community SQLite dataset's table `processing_time` come this way). With
// `skip_odd_times` (the dataset), a row whose upper bound is no time casewatch reads is
// skipped and counted (skipped_odd) instead of refusing the file.
Expected<ParsedTimes> parse_processing_time_records(const std::vector<csv::Record>& records,
                                                    std::string_view source,
                                                    bool skip_odd_times = false);

// Parses USCIS's processing-times JSON: an object {"data": {"processing_time": {form_name,
// office_code, subtypes: [{form_type, publication_date ("October 18, 2024"), range: [{value,
// unit}, ...], service_request_date}]}}}, or an array of such objects. range[0] is the
// posted time; `unit` may also be spelled `unit_en`, `value` a number or a string. Fails
// naming the subtype and the field.
Expected<ParsedTimes> parse_processing_times_json(std::string_view text, std::string_view source);

// The kind of a USCIS office code in the processing-time table.
// Service-center kind: CSC, ESC, NSC, SSC, YSC, NBC, IPO, EFC and their aggregate SCD;
// every other code is a single field office, whose aggregate is FOD.
bool is_service_center_kind(std::string_view office);
// "SCD" for the service-center kind, "FOD" for field offices (and for FOD itself).
std::string_view aggregate_office(std::string_view office);
// True for a single field office (not SCD, FOD or a service-center-kind code).
bool is_single_field_office(std::string_view office);

// How a row was chosen for a case (docs/rules.md, "Row choice").
enum class ChoiceOutcome {
  found,           // `row` applies
  office_needed,   // the form is decided by field offices and the office is unknown
  no_row_for_form  // USCIS publishes no time for the form: the 6-month rule applies
};

struct Choice {
  ChoiceOutcome outcome = ChoiceOutcome::no_row_for_form;
  const ProcessingTime* row = nullptr;
  // The rows the slowest was chosen among, when they were of several categories because
  // the case names none (the category-needed finding lists them). Empty otherwise.
  std::vector<const ProcessingTime*> category_candidates;
};

// True when `a` wins over `b` for the same (form, category, office) (docs/rules.md):
// the later publication date wins whatever the source; on the same date a `set` row wins;
// then the slower row.
bool supersedes(const ProcessingTime& a, const ProcessingTime& b);

// The table in memory, indexed by form. Rows are kept one per (form, category, office),
// the one that supersedes the others.
class ProcessingTimeTable {
 public:
  ProcessingTimeTable() = default;
  explicit ProcessingTimeTable(std::vector<ProcessingTime> rows);

  // All rows, ordered by form, category, office.
  [[nodiscard]] const std::vector<ProcessingTime>& rows() const { return m_rows; }
  [[nodiscard]] bool has_form(std::string_view form) const;
  // The row kept for exactly this key (empty category or office for a user's aggregate
  // row), or null. A command about to store a row asks it: when the row it stores does not
  // supersede() the winner, it loses to it.
  [[nodiscard]] const ProcessingTime* winner(std::string_view form, std::string_view category,
                                             std::string_view office) const;

  // Chooses the row for a case of `form` received on `received` (docs/rules.md):
  //   1. (form, category, office)   2. (form, category, office's aggregate)
  //   2b. (form, category, any office), unless one of those rows is a single field office
  //   3. (form, any category, office)   4. (form, any category, office's aggregate)
  //   then the user's aggregate rows (`times set` without category or office), most
  //   specific first; 5. any office, unless a candidate is a single field office
  //   (office_needed); 6. no row for the form at all (no_row_for_form).
  // A `category` that no row of the form has counts as not given. Among several rows the
  // slowest wins: the latest `received` + posted time, then the earlier published inquiry
  // date, then the lower office code.
  [[nodiscard]] Choice choose(std::string_view form, std::optional<std::string_view> category,
                              std::optional<std::string_view> office, Date received) const;

 private:
  // The rows a key may choose among (before the received date picks the slowest).
  struct Candidates {
    ChoiceOutcome outcome = ChoiceOutcome::no_row_for_form;
    std::vector<std::size_t> rows;  // indices into m_rows, so a copy of the table stays right
    bool category_needed = false;
  };
  Candidates resolve(std::string_view form, std::optional<std::string_view> category,
                     std::optional<std::string_view> office) const;

  std::vector<ProcessingTime> m_rows;
  std::map<std::string, std::vector<std::size_t>, std::less<>> m_by_form;
  // Per (form, category, office): a cache, so choose() is not thread-safe.
  mutable std::map<std::string, Candidates, std::less<>> m_cache;
};

}  // namespace casewatch
