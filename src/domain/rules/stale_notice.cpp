// SPDX-License-Identifier: MIT
// The notice of stale processing times (docs/rules.md `times-stale`).
#include <fmt/format.h>

#include "casewatch/util/text.hpp"
#include "facts.hpp"

namespace casewatch {
using rules_detail::d;
using rules_detail::plural_days;
namespace t = thresholds;
using date::days;

void StaleNotice::add(const Evaluation& ev) {
  if (ev.status != Status::pending || ev.choice.row == nullptr) {
    return;
  }
  add(ev.choice.row->published, ev.as_of);
}

Date StaleNotice::stale_before(Date as_of) {
  return as_of - days{t::k_times_stale_days};
}

void StaleNotice::add(Date published, Date as_of, std::size_t cases) {
  if (cases == 0 || days_between(published, as_of) <= t::k_times_stale_days) {
    return;
  }
  m_cases += cases;
  if (!m_oldest || published < *m_oldest) {
    m_oldest = published;
  }
}

std::optional<Notice> StaleNotice::notice(Date as_of) const {
  if (m_cases == 0 || !m_oldest) {
    return std::nullopt;
  }
  return Notice{std::string(k_times_stale), *m_oldest, days_between(*m_oldest, as_of), m_cases};
}

std::string notice_text(const Notice& n) {
  if (n.kind != "times-stale") {
    return n.kind;
  }
  return fmt::format(
      "The processing {} used by {} {} published on {}, {} ago; USCIS updates them around "
      "the 15th of each month. Refresh them: casewatch times import FILE, or casewatch times set "
      "FORM --category KEY --office CODE --months N --published DATE (the figures of {}).",
      text::plural(n.cases, "time", "times"), text::count(n.cases, "case"),
      text::plural(n.cases, "was", "were"), d(n.published), plural_days(n.days_old),
      "https://egov.uscis.gov/processing-times/");
}

}  // namespace casewatch
