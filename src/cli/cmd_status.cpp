// SPDX-License-Identifier: MIT
// `status import FILE...` and `status add CASE`: USCIS's own status words become dated
// events (docs/cli.md, docs/rules.md "USCIS's status words").
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <iterator>
#include <ostream>
#include <sstream>

#include "case_now.hpp"
#include "casewatch/cli/json.hpp"
#include "casewatch/domain/status.hpp"
#include "casewatch/domain/validate.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"
#include "files.hpp"
#include "status_fetch.hpp"
#include "status_import.hpp"

namespace casewatch::cli {
namespace {

struct StatusOptions {
  CLI::App* import = nullptr;
  CLI::App* add = nullptr;
  CLI::App* fetch = nullptr;
  std::vector<std::string> fetch_cases;
  std::vector<std::string> files;
  bool add_missing = false;
  std::string which;
  std::string text;
  CLI::Option* text_opt = nullptr;
};

using Input = StatusInput;
using Outcome = StatusOutcome;

// The office a paragraph names ("to our Queens NY office", "Nebraska Service Center"):
// the longest office name of USCIS's list found in it.
std::optional<std::string> office_in(const Context& ctx, std::string_view paragraph) {
  std::optional<std::string> best;
  std::size_t best_len = 0;
  for (const std::string& code : ctx.catalog().offices()) {
    std::string name = ctx.catalog().office_name(code);
    if (name.size() > best_len && paragraph.find(name) != std::string_view::npos) {
      best = code;
      best_len = name.size();
    }
  }
  return best;
}

bool same_title(const std::optional<std::string>& a, std::string_view b) {
  return a && status::normalize_title(*a) == status::normalize_title(b);
}

// Whether `e` is already in the timeline (docs/rules.md, "USCIS's status words"): the same kind
// on the same date with the same USCIS title, or a typed event of the same kind and date
// (the user recorded it by hand before importing).
bool known(const std::vector<Event>& timeline, const Event& e) {
  return std::any_of(timeline.begin(), timeline.end(), [&](const Event& x) {
    if (x.kind != e.kind || x.date != e.date) {
      return false;
    }
    if (e.kind == EventKind::updated) {
      return true;
    }
    if (!x.source) {
      return e.kind != EventKind::note;
    }
    return e.title ? same_title(x.title, *e.title) : !x.title;
  });
}

std::string hint_for(std::string_view hint, const std::string& name) {
  std::string out(hint);
  if (auto at = out.find("{case}"); at != std::string::npos) {
    out.replace(at, 6, name);
  }
  return out;
}

// An event a snapshot means; `undated` when the status carried no date of its own (a
// myUSCIS page: it is dated by the page's last change).
struct Observed {
  Event event;
  bool undated = false;
};

// Whether an undated status is the one the timeline already ends with: the latest imported
// status has its title (a page changed since, its status did not).
bool still_current(const std::vector<Event>& timeline, const Event& e) {
  const Event* latest = nullptr;
  for (const Event& x : timeline) {
    if (x.source && x.kind != EventKind::updated &&
        (latest == nullptr || x.date > latest->date ||
         (x.date == latest->date && x.id > latest->id))) {
      latest = &x;
    }
  }
  return latest != nullptr && e.title && same_title(latest->title, *e.title);
}

// The events one snapshot means for case `c` (its name for the hints), warnings said.
std::vector<Observed> events_of_snapshot(Context& ctx, const Input& in, const Case& c) {
  const status::Snapshot& s = in.snapshot;
  std::vector<Observed> out;
  std::string name = display_name(c);
  for (const status::Observation& o : s.observations) {
    if (o.title.empty()) {
      continue;
    }
    const status::Title* t = status::find_title(o.title);
    if (t != nullptr && !t->kind) {
      continue;  // an observation only: nothing happened to the case
    }
    Event e;
    e.case_id = c.id;
    e.kind = t != nullptr ? *t->kind : EventKind::note;
    e.source = std::string(status::to_string(s.source));
    e.observed = ctx.as_of();
    e.title = o.title;
    std::optional<Date> date = o.date;
    if (!date && o.current) {
      date = s.updated;
    }
    if (!date) {
      ctx.warn(fmt::format("{}: {}: the status {} carries no date; recorded on {}", in.origin, name,
                           text::quoted(o.title), format_date(ctx.as_of())));
      date = ctx.as_of();
    }
    if (*date > ctx.as_of()) {
      ctx.warn(fmt::format("{}: {}: the status {} is dated {}, after {}; skipped", in.origin, name,
                           text::quoted(o.title), format_date(*date), format_date(ctx.as_of())));
      continue;
    }
    e.date = *date;
    if (o.due && may_have_due(e.kind) && *o.due >= e.date) {
      e.due = o.due;
    }
    if (t == nullptr) {
      ctx.warn(
          fmt::format("{}: {}: USCIS's status title {} is not in casewatch's catalogue; "
                      "kept whole as a note",
                      in.origin, name, text::quoted(o.title)));
      e.note = o.paragraph.empty() ? o.title : o.title + "\n" + o.paragraph;
    } else if (e.kind == EventKind::note && !o.paragraph.empty()) {
      e.note = o.paragraph;
    }
    if (t != nullptr && !t->hint.empty()) {
      ctx.warn(fmt::format("{}: {}: {}", in.origin, name, hint_for(t->hint, name)));
    }
    if (e.kind == EventKind::transfer) {
      e.office = office_in(ctx, o.paragraph);
    }
    if ((e.kind == EventKind::rfe || e.kind == EventKind::noid) && !e.due) {
      ctx.warn(fmt::format(
          "{}: {}: USCIS's status gives no response date; give the one printed on the notice "
          "(casewatch event {} {} --on {} --due DATE); assuming {}",
          in.origin, name, name, to_string(e.kind), format_date(e.date),
          format_date(default_response_due(c.form, e.kind, e.date))));
    }
    out.push_back(Observed{std::move(e), !o.date});
  }
  return out;
}

// A case for a receipt not in the database (--add): the form and dates the status carries.
Case new_case(Context& ctx, const Input& in) {
  const status::Snapshot& s = in.snapshot;
  if (!s.form) {
    throw UsageError(
        fmt::format("{}: {}: the status names no form, so the case cannot be added; add it with "
                    "'casewatch add {} --form FORM --received DATE' and import again",
                    in.origin, s.receipt, s.receipt));
  }
  std::optional<Date> received = s.submitted;
  for (const status::Observation& o : s.observations) {
    const status::Title* t = status::find_title(o.title);
    if (!received && t != nullptr && t->kind == EventKind::receipt && o.date) {
      received = o.date;
    }
  }
  if (!received) {
    for (const status::Observation& o : s.observations) {
      if (o.date && (!received || *o.date < *received)) {
        received = o.date;
      }
    }
  }
  if (!received) {
    throw UsageError(fmt::format(
        "{}: {}: the status carries no date USCIS received the case, so the case cannot be "
        "added; add it with 'casewatch add {} --form {} --received DATE' and import again",
        in.origin, s.receipt, s.receipt, *s.form));
  }
  CaseText text;
  text.receipt = s.receipt;
  text.form = *s.form;
  text.received = format_date(*received);
  auto checked = check_case(Case{}, text, CaseCheck{ctx.as_of(), FieldNames::fields});
  if (!checked) {
    throw UsageError(fmt::format("{}: {}: {}", in.origin, s.receipt, checked.error()));
  }
  for (const std::string& w : checked->warnings) {
    ctx.warn(w);
  }
  return checked->value;
}

// What `status import` and `status add` print: every snapshot's outcome.
int print_outcomes(Context& ctx, const std::vector<Outcome>& outcomes) {
  if (ctx.json()) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Outcome& o : outcomes) {
      list.push_back(status_outcome_json(o));
    }
    print_json(ctx, {{"cases", list}});
    return 0;
  }
  if (ctx.quiet()) {
    return 0;
  }
  for (const Outcome& o : outcomes) {
    ctx.out() << status_outcome_line(o);
  }
  return 0;
}

int import_snapshots(Context& ctx, const std::vector<Input>& inputs, bool add_missing,
                     const std::optional<Case>& named) {
  return print_outcomes(ctx, import_statuses(ctx, inputs, add_missing, named));
}

int run_status_import(Context& ctx, const StatusOptions& o) {
  std::vector<Input> inputs;
  for (const std::string& path : o.files) {
    std::string origin = path == "-" ? "standard input" : path;
    auto parsed = status::parse_document(read_file(path));
    if (!parsed) {
      throw UsageError(fmt::format("{}: {}", text::printable(origin), parsed.error()));
    }
    std::vector<status::Snapshot> snapshots = std::move(parsed).value();
    for (status::Snapshot& s : snapshots) {
      if (s.receipt.empty()) {
        throw UsageError(fmt::format(
            "{}: the status {} names no receipt number; give the case: casewatch status add "
            "CASE",
            text::printable(origin),
            text::quoted(s.observations.empty() ? "" : s.observations.back().title)));
      }
      inputs.push_back(Input{origin, std::move(s)});
    }
  }
  return import_snapshots(ctx, inputs, o.add_missing, std::nullopt);
}

int run_status_add(Context& ctx, const StatusOptions& o) {
  Case c = ctx.resolve_case(o.which);
  std::string text;
  std::string origin = "the text";
  if (o.text_opt->count() > 0) {
    text = o.text;
  } else {
    text = read_file("-");
    origin = "standard input";
  }
  auto parsed = status::parse_document(text);
  if (!parsed) {
    throw UsageError(fmt::format("{}: {}", origin, parsed.error()));
  }
  std::vector<Input> inputs;
  std::vector<status::Snapshot> snapshots = std::move(parsed).value();
  for (status::Snapshot& s : snapshots) {
    if (!s.receipt.empty() && c.receipt && s.receipt != *c.receipt) {
      throw UsageError(fmt::format("{}: the status is about {}, not {}; nothing was recorded",
                                   origin, s.receipt, display_name(c)));
    }
    s.receipt = c.receipt.value_or(display_name(c));
    inputs.push_back(Input{origin, std::move(s)});
  }
  return import_snapshots(ctx, inputs, false, c);
}

}  // namespace

std::vector<StatusOutcome> import_statuses(Context& ctx, const std::vector<StatusInput>& inputs,
                                           bool add_missing, const std::optional<Case>& named) {
  auto& store = ctx.store();
  // Check everything, and say what is skipped, before anything is written.
  std::vector<Outcome> outcomes;
  std::vector<std::optional<Case>> cases;
  for (const Input& in : inputs) {
    Outcome o;
    o.receipt = in.snapshot.receipt;
    std::optional<Case> c = named;
    if (!c) {
      c = store.find_case_by_receipt(in.snapshot.receipt);
    }
    if (!c && add_missing) {
      // One case per receipt, even when several files name it.
      auto earlier = std::find_if(outcomes.begin(), outcomes.end(), [&](const Outcome& x) {
        return x.added && x.receipt == o.receipt;
      });
      if (earlier == outcomes.end()) {
        c = new_case(ctx, in);
        o.added = true;
      }
    } else if (!c) {
      o.skipped = true;
      ctx.warn(
          fmt::format("{}: {} is not in the database; skipped (import again with --add to "
                      "add it)",
                      in.origin, o.receipt));
    }
    outcomes.push_back(std::move(o));
    cases.push_back(std::move(c));
  }

  auto tx = store.begin_write();
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    Outcome& o = outcomes[i];
    if (o.skipped) {
      continue;
    }
    std::optional<Case>& slot = cases[i];
    if (!slot) {  // a receipt added by an earlier snapshot of this import
      slot = store.find_case_by_receipt(o.receipt);
    } else if (o.added) {
      slot->id = store.insert_case(*slot);
    } else {
      // Found before the write lock was had: read again, so that the events go to the case
      // as it is now (another casewatch may have removed or changed it meanwhile).
      slot = case_now(ctx, *slot, o.receipt);
    }
    Case c = *slot;
    o.case_id = c.id;
    std::vector<Event> timeline = store.events_of(c.id);
    std::string source(status::to_string(inputs[i].snapshot.source));
    bool decision = false;
    for (Observed& seen : events_of_snapshot(ctx, inputs[i], c)) {
      Event& e = seen.event;
      e.case_id = c.id;
      if (known(timeline, e) || (seen.undated && still_current(timeline, e))) {
        continue;
      }
      e.id = store.insert_event(e);
      decision = decision || is_decision(e.kind);
      if (e.kind == EventKind::premium_requested && !c.premium_start) {
        c.premium_start = e.date;  // USCIS's date starts the premium clock
        store.update_case(c);
      }
      timeline.push_back(e);
      o.events.push_back(e);
    }
    // A snapshot that changed with no new status: a silent update.
    const std::string& fp = inputs[i].snapshot.fingerprint;
    auto before = store.snapshot_fingerprint(c.id, source);
    if (before && *before != fp && o.events.empty()) {
      Event u;
      u.case_id = c.id;
      u.kind = EventKind::updated;
      u.date = std::min(inputs[i].snapshot.updated.value_or(ctx.as_of()), ctx.as_of());
      u.source = source;
      u.observed = ctx.as_of();
      if (!known(timeline, u)) {
        u.id = store.insert_event(u);
        timeline.push_back(u);
        o.silent_update = u.date;
      }
    }
    store.record_snapshot(c.id, source, fp, ctx.as_of());
    if (decision) {
      Status st = effective_status(c, timeline, Date::max());
      store.set_status(c.id, st);
    }
  }
  tx.commit();
  return outcomes;
}

nlohmann::ordered_json status_outcome_json(const StatusOutcome& o) {
  nlohmann::ordered_json evs = nlohmann::ordered_json::array();
  for (const Event& e : o.events) {
    evs.push_back(event_json(e));
  }
  nlohmann::ordered_json j;
  j["receipt"] = o.receipt;
  j["case_id"] = o.case_id ? nlohmann::ordered_json(*o.case_id) : nullptr;
  j["added"] = o.added;
  j["skipped"] = o.skipped;
  j["events"] = evs;
  j["silent_update"] =
      o.silent_update ? nlohmann::ordered_json(format_date(*o.silent_update)) : nullptr;
  return j;
}

std::string status_outcome_line(const StatusOutcome& o) {
  if (o.skipped) {
    return fmt::format("{}: not in the database; skipped.\n", o.receipt);
  }
  std::string added = o.added ? " (case added)" : "";
  if (o.events.empty()) {
    return o.silent_update
               ? fmt::format("{}{}: USCIS updated the case without a new status on {}.\n",
                             o.receipt, added, format_date(*o.silent_update))
               : fmt::format("{}{}: nothing new.\n", o.receipt, added);
  }
  std::vector<std::string> words;
  for (const Event& e : o.events) {
    words.push_back(
        fmt::format("{} on {}", e.title ? *e.title : to_string(e.kind), format_date(e.date)));
  }
  return text::printable(fmt::format("{}{}: {} new event{} ({})", o.receipt, added, o.events.size(),
                                     o.events.size() == 1 ? "" : "s", fmt::join(words, ", "))) +
         ".\n";
}

Runner register_status(CLI::App& command) {
  auto o = std::make_shared<StatusOptions>();
  auto* cmd = &command;
  cmd->require_subcommand(1);
  o->import = cmd->add_subcommand(
      "import", "Import Case Status API JSON, myUSCIS JSON or copied status text");
  o->import->add_option("FILE", o->files, "Files to read ('-': standard input)")->required();
  o->import->add_flag("--add", o->add_missing,
                      "Add a case that is not in the database, from the form and dates the "
                      "status carries");
  o->import->footer(
      "The shape is told by the content: Case Status API JSON (\"case_status\"; one answer, an\n"
      "array or JSON Lines), a myUSCIS case page (\"data\"), or text copied from the Case\n"
      "Status page (a status title line and its paragraph, one or more). Everything is checked\n"
      "before anything is written, in one transaction; importing a file again adds nothing.\n"
      "Example: casewatch status import status.json");
  o->add = cmd->add_subcommand("add", "Record a status block copied from the Case Status page");
  o->add->add_option("CASE", o->which, "Receipt number or case id (#7)")->required();
  o->text_opt = o->add->add_option("--text", o->text,
                                   "The status title and paragraph (default: standard input)");
  o->add->footer(
      "Example: casewatch status add IOE0912345678 --text $'Card Was Mailed To Me\\nOn November "
      "20, 2026, we mailed your new card ...'");
  o->fetch = cmd->add_subcommand(
      "fetch",
      "Ask the USCIS Case Status API (the network, on request only) and import the answers");
  o->fetch->add_option(
      "CASE", o->fetch_cases,
      "Receipt numbers or case ids (default: every case with a receipt not closed or withdrawn)");
  o->fetch->footer(
      "Needs the office's own Case Status API credentials (developer.uscis.gov) in\n"
      "$XDG_CONFIG_HOME/casewatch/uscis-api.json, mode 0600: client_id, client_secret,\n"
      "token_url, api_base. Sends receipt numbers to api_base and the credentials to\n"
      "token_url, nothing else. Every answer is imported as by 'status import', all in one\n"
      "transaction. Exit 0 when done (a receipt USCIS does not know is a warning), 1 when the\n"
      "run stopped (what was fetched before is imported), 2 on bad input, credentials or\n"
      "--offline. Example: casewatch status fetch IOE0912345678");
  return [o](Context& ctx) {
    if (o->add->parsed()) {
      return run_status_add(ctx, *o);
    }
    if (o->fetch->parsed()) {
      return run_status_fetch(ctx, o->fetch_cases);
    }
    return run_status_import(ctx, *o);
  };
}

}  // namespace casewatch::cli
