// SPDX-License-Identifier: MIT
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/domain/processing_time.hpp"

namespace casewatch {

// A form category (USCIS form subtype): its key and English description.
struct Category {
  std::string key;
  std::string description;
};

// USCIS's lists of forms, categories and offices, as published with the processing times
// (data/*.csv, embedded in the binary at build time). Used for help text and to warn about
// a form, category or office USCIS does not list. Pure data: no I/O after construction.
class Catalog {
 public:
  // Parses the three lists (the CSV files of data/). Fails naming the file's line.
  static Expected<Catalog> parse(std::string_view forms_csv, std::string_view categories_csv,
                                 std::string_view offices_csv);

  [[nodiscard]] bool has_form(std::string_view form) const;
  // A form casewatch knows, with or without a processing time: one USCIS lists here, or one
  // its rules name (I-192, I-290B, I-601A, ...). Any other form gets the finding
  // `form-unknown` and no delay step (docs/rules.md), unless imported times list it.
  [[nodiscard]] bool knows_form(std::string_view form) const;
  // The form's English title ("Application to Register Permanent Residence or Adjust
  // Status"), or empty for an unknown form.
  [[nodiscard]] std::string form_title(std::string_view form) const;
  [[nodiscard]] std::vector<std::string> forms() const;

  // The categories USCIS lists for `form` (empty for an unknown form).
  [[nodiscard]] const std::vector<Category>& categories(std::string_view form) const;
  [[nodiscard]] bool has_category(std::string_view form, std::string_view category) const;

  [[nodiscard]] bool has_office(std::string_view office) const;
  // "Queens NY", "Nebraska Service Center"; empty for an unknown code.
  [[nodiscard]] std::string office_name(std::string_view office) const;
  [[nodiscard]] std::vector<std::string> offices() const;
  // The offices USCIS lists for `form`, sorted (empty for an unknown form).
  [[nodiscard]] std::vector<std::string> offices_for(std::string_view form) const;

  // "Did you mean": the listed forms, categories of `form` and offices nearest to a value
  // not listed, best first, at most three; empty when none is near. Forms and category keys
  // by edit distance (I-4855: I-485); offices also by their names, whose words may be typed
  // in part (BRO, "Brooklyn": BNY).
  [[nodiscard]] std::vector<std::string> nearest_forms(std::string_view form) const;
  [[nodiscard]] std::vector<std::string> nearest_categories(std::string_view form,
                                                            std::string_view category) const;
  [[nodiscard]] std::vector<std::string> nearest_offices(std::string_view office) const;

  // The categories of `form` whose USCIS description prints `text` as a regulation's
  // paragraph, as forms and notices do: "(c)(9)", "c9", "C09" and "(c)9" are all the
  // "[(c)(9)]" of 147-C9. Several when the code is printed on more than one (c)(8).
  [[nodiscard]] std::vector<std::string> categories_printed_as(std::string_view form,
                                                               std::string_view text) const;
  // The categories of `form` whose USCIS description is `text`, and the offices whose name
  // is `text` with or without its state ("Queens" and "Queens NY" are QNS), ignoring case,
  // accents and everything but letters and digits.
  [[nodiscard]] std::vector<std::string> categories_described_as(std::string_view form,
                                                                 std::string_view text) const;
  [[nodiscard]] std::vector<std::string> offices_named(std::string_view text) const;

 private:
  std::map<std::string, std::string, std::less<>> m_forms;
  std::map<std::string, std::vector<Category>, std::less<>> m_categories;
  std::map<std::string, std::string, std::less<>> m_offices;
  std::map<std::string, std::set<std::string>, std::less<>> m_form_offices;
};

// The lists and table compiled into the binary: USCIS data published 2024-10-18.
// Parsed on first use; the embedded files are checked by the test suite.
const Catalog& builtin_catalog();
const std::vector<ProcessingTime>& builtin_processing_times();

// The publication the built-in table comes from, for messages ("2024-10-18").
inline constexpr std::string_view k_builtin_publication = "2024-10-18";

}  // namespace casewatch
