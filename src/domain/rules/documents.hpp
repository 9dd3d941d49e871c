// SPDX-License-Identifier: MIT
// What the document rules share (docs/rules.md, "Document windows"): the facts of one
// document on one date, and each rule's entry point. Private to src/domain/rules/.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "casewatch/domain/document_rules.hpp"
#include "casewatch/domain/thresholds.hpp"
#include "facts.hpp"

namespace casewatch::rules_detail {

inline constexpr std::string_view k_src_i751 = "https://www.uscis.gov/i-751";
inline constexpr std::string_view k_src_216 = "https://www.ecfr.gov/current/title-8/section-216.4";
inline constexpr std::string_view k_src_n400_early =
    "https://www.uscis.gov/citizenship/learn-about-citizenship/citizenship-and-naturalization/"
    "early-filing-calculator";
inline constexpr std::string_view k_src_i765 = "https://www.uscis.gov/i-765";
inline constexpr std::string_view k_src_ead_rule =
    "https://www.federalregister.gov/citation/90-FR-48799";
inline constexpr std::string_view k_src_daca_renew = "https://www.uscis.gov/daca";
inline constexpr std::string_view k_src_i90 = "https://www.uscis.gov/i-90";
inline constexpr std::string_view k_src_i131 = "https://www.uscis.gov/i-131";

// `d` plus `months`, on the safe side for an earliest filing date: an anniversary of
// February 29 in a year without one is March 1 (a deadline's is February 28: add_months).
Date filing_months(Date d, int months);

// The case that renews the document, as the rules see it on as_of.
struct Renewal {
  const Case* c = nullptr;
  Date received{};
  Status status = Status::pending;
};

// Everything a document rule needs on one date.
struct DocFacts : Clock {
  const Document& d;
  std::span<const HolderCase> cases;  // the holder's (and the renewed_by case)
  std::span<const Trip> trips;        // the holder's, by date left
  Detail detail = Detail::full;

  // The day a finding before a window starts: the document's since, else the day recorded.
  [[nodiscard]] Date pre_window() const { return d.since.value_or(d.recorded); }

  // The latest case of one of `forms` renewing the document on as_of: the one renewed_by
  // names, else the holder's latest received after `after`. Cases received after as_of do not
  // count yet (their received date is a wake date).
  std::optional<Renewal> renewal(std::span<const std::string_view> forms, Date after);
  // The holder's latest case of `form`, received or not (the N-400's marriage track).
  [[nodiscard]] const Case* holder_case(std::string_view form) const;
  // `--holder` and the document's holder as a shell word, or LABEL when it names none.
  [[nodiscard]] std::string holder_option() const;
  // The command that records a filing of `form` by the holder, as a finding's "How" gives it.
  [[nodiscard]] std::string record_filing(std::string_view form) const;

  template <typename TextFn>
  void add(std::string_view rule, Severity severity, Date since, std::string_view stage,
           TextFn&& texts, std::string_view source, std::optional<Date> until = std::nullopt) {
    Finding f;
    f.rule = std::string(rule);
    f.severity = severity;
    f.since = since;
    f.stage = std::string(stage);
    f.source = std::string(source);
    f.until = until;
    f.document_id = d.id;
    if (detail == Detail::full) {
      Texts t = texts();
      f.title = std::move(t.title);
      f.reason = std::move(t.reason);
      f.how = std::move(t.how);
    }
    out.findings.push_back(std::move(f));
  }
  // A calendar date of the document (an opening or a last day), kept while still to come.
  void calendar(std::string_view rule, Date on, std::string title) {
    if (on >= as_of) {
      out.next.push_back(NextStep{std::string(rule), on, std::move(title), std::nullopt, 0});
    }
  }
};

// The card, extended by the receipt notice of pending renewal `r` until `until` (`months`
// past its expiry, as USCIS announced), needs an I-551 stamp before then: the finding
// `rule` "stamp" (action, from 90 days before `until`) with `extra` after its reason.
// False, and nothing added, before that day.
bool stamp_before_extension_ends(DocFacts& f, std::string_view rule, const Renewal& r, Date until,
                                 int months, std::string_view extra, std::string_view source);

// One file each.
void rule_i751_window(DocFacts& f);
void rule_n400_early(DocFacts& f);
void rule_ead_renewal(DocFacts& f);
void rule_daca_renewal(DocFacts& f);
void rule_green_card_renewal(DocFacts& f);
void rule_advance_parole(DocFacts& f);

}  // namespace casewatch::rules_detail
