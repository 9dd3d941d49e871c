// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/domain/case.hpp"
#include "casewatch/domain/dates.hpp"
#include "casewatch/domain/status.hpp"
#include "casewatch/util/expected.hpp"

// What a status means for a case's timeline (docs/rules.md, "USCIS's status words"): which
// events one snapshot adds, which it already holds, how an undated status is dated, the
// date a case added from a status was received, and a silent update. Pure: the timeline,
// the case and `as_of` are given; nothing is read or written.
namespace casewatch::status {

// Whether `e` is already in the timeline: the same kind on the same date with the same
// USCIS title, or a typed event of the same kind and date (the user recorded it by hand
// before importing).
bool already_recorded(std::span<const Event> timeline, const Event& e);

// The office a transfer paragraph names, as an office code (empty: none named).
using OfficeFinder = std::function<std::optional<std::string>(std::string_view paragraph)>;

struct ImportPlan {
  std::vector<Event> events;           // the new events, in the order they are recorded
  std::optional<Event> silent_update;  // an `updated` event: the document changed, no status
  // What the user is told, each naming the case ("IOE0912345678: ..."); the caller adds
  // where the status came from.
  std::vector<std::string> warnings;
  // Set when a status was refused for this case (dated before it was received, or after
  // as_of): the rest of the snapshot still imports.
  std::size_t refused = 0;
  std::size_t accepted = 0;  // statuses read (new or already in the timeline)
};

// The events snapshot `s` adds to case `c`, whose recorded events are `timeline`, on
// `as_of`. `fingerprint_before` is the digest of the last document of this source seen for
// the case (empty: none). A status with no date of its own is dated by the document's last
// change when it is the current one, else `as_of`; an undated status the timeline already
// ends with is not added again. A status dated after `as_of`, or before the case was
// received, is refused with a warning. An RFE or NOID takes a due date only from a stated
// response date ("respond by D"), never from "If you do not receive ... by D".
ImportPlan plan_import(const Snapshot& s, const Case& c, std::span<const Event> timeline,
                       Date as_of, const OfficeFinder& office_in,
                       const std::optional<std::string>& fingerprint_before);

// The key the digest of a snapshot's document is kept under for its case: the source, and
// its page when the source has several ("myuscis-case", "myuscis-status"), so that pages
// read in turn are no change.
std::string fingerprint_key(const Snapshot& s);

// The date USCIS received the case a snapshot is about, for a case added from it: the
// document's submission date, else the date of a receipt status, else its earliest dated
// status. An Error naming what to add by hand when it has none, or names no form.
Expected<Date> received_date(const Snapshot& s);

}  // namespace casewatch::status
