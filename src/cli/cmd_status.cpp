// SPDX-License-Identifier: MIT
// `status import FILE...` and `status add CASE`: USCIS's own status words become dated
// events (docs/cli.md, docs/rules.md "USCIS's status words").
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <iterator>
#include <ostream>
#include <sstream>

#include <unistd.h>

#include "case_now.hpp"
#include "casewatch/cli/json.hpp"
#include "casewatch/domain/status.hpp"
#include "casewatch/domain/status_import.hpp"
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

// A case for a receipt not in the database (--add): the form and dates the status carries.
Case new_case(Context& ctx, const Input& in) {
  const status::Snapshot& s = in.snapshot;
  auto received = status::received_date(s);
  if (!received) {
    throw UsageError(fmt::format("{}: {}: {}", in.origin, s.receipt, received.error()));
  }
  CaseText text;
  text.receipt = s.receipt;
  text.form = s.form.value_or("");
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
    if (::isatty(STDIN_FILENO) != 0) {
      std::cerr << "Paste the status (its title and the paragraph under it), then Ctrl-D:\n";
    }
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
      // A status of another case: refused for this one; the others are recorded.
      ctx.warn(fmt::format("{}: the status {} is about {}, not {}; refused", origin,
                           text::quoted(s.observations.empty() ? "" : s.observations.back().title),
                           s.receipt, display_name(c)));
      continue;
    }
    s.receipt = c.receipt.value_or(display_name(c));
    inputs.push_back(Input{origin, std::move(s)});
  }
  if (inputs.empty()) {
    throw UsageError(
        fmt::format("{}: the status is about another case than {}; nothing was "
                    "recorded",
                    origin, display_name(c)));
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
  std::size_t refused = 0;
  std::size_t accepted = 0;
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
    const status::Snapshot& snap = inputs[i].snapshot;
    std::string source = status::fingerprint_key(snap);
    const std::string& fp = snap.fingerprint;
    status::ImportPlan plan = status::plan_import(
        snap, c, timeline, ctx.as_of(),
        [&](std::string_view paragraph) { return office_in(ctx, paragraph); },
        store.snapshot_fingerprint(c.id, source));
    for (const std::string& w : plan.warnings) {
      ctx.warn(fmt::format("{}: {}", inputs[i].origin, w));
    }
    refused += plan.refused;
    accepted += plan.accepted;
    bool decision = false;
    for (Event& e : plan.events) {
      e.id = store.insert_event(e);
      decision = decision || is_decision(e.kind);
      if (e.kind == EventKind::premium_requested && !c.premium_start) {
        c.premium_start = e.date;  // USCIS's date starts the premium clock
        store.update_case(c);
      }
      timeline.push_back(e);
      o.events.push_back(e);
    }
    if (plan.silent_update) {
      Event& u = *plan.silent_update;
      u.id = store.insert_event(u);
      timeline.push_back(u);
      o.silent_update = u.date;
    }
    if (!o.events.empty()) {
      // Each new event's number in its case (what `show` prints), given by the store.
      std::vector<Event> stored = store.events_of(c.id);
      for (Event& e : o.events) {
        auto it = std::find_if(stored.begin(), stored.end(),
                               [&](const Event& x) { return x.id == e.id; });
        if (it != stored.end()) {
          e.seq = it->seq;
        }
      }
    }
    store.record_snapshot(c.id, source, fp, ctx.as_of());
    if (decision) {
      Status st = effective_status(c, timeline, Date::max());
      store.set_status(c.id, st);
    }
  }
  if (refused > 0 && accepted == 0) {
    throw UsageError(fmt::format(
        "no status could be recorded: {} refused (see above); nothing was changed", refused));
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
  return text::printable(fmt::format("{}{}: {} ({})", o.receipt, added,
                                     text::count(o.events.size(), "new event"),
                                     fmt::join(words, ", "))) +
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
