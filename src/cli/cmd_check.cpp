// SPDX-License-Identifier: MIT
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "casewatch/cli/json.hpp"
#include "casewatch/cli/notify.hpp"
#include "casewatch/cli/output.hpp"
#include "casewatch/domain/wake.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"
#include "documents.hpp"
#include "progress.hpp"
#include "spill.hpp"
#include "status_fetch.hpp"
#include "times_fetch.hpp"

namespace casewatch::cli {
namespace {

struct CheckOptions {
  bool all = false;
  bool exit_code = false;
  bool dry_run = false;
  bool record = false;
  std::string notify;
  double notify_timeout = 30;
  bool fetch_times = false;
  bool full = false;
  bool fetch = false;
};

constexpr int k_exit_new_findings = 3;
// Finding identities recorded in one go during a check's pass.
constexpr std::size_t k_keys_at_once = 4096;

// The text of `check` reads as a letter (it is what cron mails): a first line that says
// what is in it, the findings grouped by case under the case's name, label and form, the
// report's notice once, and the closing line. Nothing at all when nothing is to be said; a
// letter with only the monthly notice says so in its first line.
std::string text_head(Date as_of, std::size_t printed, std::size_t cases, std::size_t fresh,
                      bool all, bool notice) {
  using text::count;
  std::string head = fmt::format("casewatch, {}: ", format_date(as_of));
  if (all) {
    head += fmt::format("{} in {}, {} new", count(printed, "current finding"), count(cases, "case"),
                        fresh);
  } else if (fresh > 0) {
    head += fmt::format("{} in {}", count(fresh, "new finding"), count(cases, "case"));
  } else if (notice) {
    head += "the processing times are out of date";
  } else {
    head += "no new findings";
  }
  return head;
}

// The period in which a notice is reported once: the calendar month of `d` ("2026-11").
std::string month_of(Date d) {
  return format_date(d).substr(0, 7);
}

// Evaluates, runs the hooks, prints, and records unless `record` is false. With `record`,
// the caller holds the write lock, so that a second check started meanwhile waits and then
// sees what this one recorded instead of reporting it again.
//
// The daily pass reads only the cases whose wake date has come or that changed since
// (docs/cli.md "check"): the others cannot have a new finding, and what the report says of
// them (how many findings, the rows they rest on) is stored with their wake date. Every
// case is read on the first check, with --full or --all, when the rules, the processing
// times or the Visa Bulletin changed since the wake dates were worked out, or for a date
// before the day they were worked out on, or when a document or trip changed.
int evaluate_and_report(Context& ctx, const CheckOptions& o, bool record) {
  auto& store = ctx.store();
  // The case rules read the holders' documents and trips too (ap-travel, ead-gap): a change
  // to any of them changes the basis, and the next pass reads every case.
  const std::string basis =
      fmt::format("casewatch {} {} holdings {}", CASEWATCH_VERSION,
                  wake_basis(ctx.times(), ctx.bulletin()), ctx.holdings().fingerprint);
  const auto stored = store.wake_basis();
  const bool full =
      o.full || o.all || !stored || stored->basis != basis || ctx.as_of() < stored->as_of;
  const std::optional<Date> woken_by = full ? std::nullopt : std::optional(ctx.as_of());

  std::size_t current = 0;
  std::size_t fresh = 0;
  StaleNotice stale;
  // The resting cases count only in what the JSON says (`current`, the notice) and in a
  // stale-data notice not yet reported this month: a plain daily check after the month's
  // notice need not look at them at all.
  const bool notice_done = store.notice_reported(k_times_stale, month_of(ctx.as_of()));
  const bool need_resting = ctx.json() || !notice_done;
  store::Store::Resting resting;
  if (!full && need_resting) {
    resting = store.resting(ctx.as_of(), StaleNotice::stale_before(ctx.as_of()));
    current = resting.findings;
    if (resting.oldest_stale) {
      stale.add(*resting.oldest_stale, ctx.as_of(), resting.stale_cases);
    }
  }
  auto known_list = store.reported(woken_by);
  std::set<FindingKey> known(known_list.begin(), known_list.end());
  known_list = {};
  const Detail first_detail = known.empty() ? Detail::full : Detail::dates;

  // What is printed is written as each case is evaluated and kept aside (spilled to a
  // temporary file past a few MiB), so that memory does not grow with the report: the
  // first check of a large database reports every finding. Hooks run during the pass,
  // before anything is printed, as before.
  SpilledRows<std::size_t> fresh_out(
      std::less<std::size_t>{});  // text: the case blocks; JSON: the "new" objects
  SpilledRows<std::size_t> before_out(
      std::less<std::size_t>{});  // JSON with --all: the "reported_before" objects
  std::vector<FindingKey> keys;   // to record: printed, and no hook failed
  std::vector<store::Store::Wake> wakes;
  std::size_t evaluated = 0;
  std::size_t printed = 0;
  std::size_t printed_cases = 0;
  std::size_t failed = 0;
  const auto limit = std::chrono::milliseconds(static_cast<long>(o.notify_timeout * 1000));
  std::string piece;
  // A first check of a large office reads every case: a few seconds (docs/cli.md, "Progress").
  Progress progress(ctx, "Checking", "cases");
  for_each_record(
      store, "",
      [&](Case& c, std::vector<Event>& events) {
        ++evaluated;
        progress.tick();
        // In a pass over every case the wake dates, like the keys, are written in batches
        // inside the open transaction (the previous case is done with its own), so memory
        // does not grow with the cases. A daily pass reads the wake table while it steps:
        // its few wake dates are written at the end.
        if (!woken_by && wakes.size() >= k_keys_at_once) {
          if (record) {
            store.store_wakes(wakes, store::Store::WakeBasis{basis, ctx.as_of()});
          }
          wakes.clear();
        }
        // Dates first; the words only for a case with something to print. When nothing was
        // reported before (a first check), every finding is new and printed: the words are
        // worked out at once, not the dates twice.
        Evaluation ev = evaluate_case(ctx, c, events, first_detail);
        stale.add(ev);
        bool pending_on_row = ev.status == Status::pending && ev.choice.row != nullptr;
        wakes.push_back(store::Store::Wake{
            c.id, ev.wake, ev.findings.size(),
            pending_on_row ? std::optional(ev.choice.row->published) : std::nullopt});
        bool any = false;
        for (const Finding& f : ev.findings) {
          ++current;
          bool is_new = !known.contains(key_of(f));
          fresh += is_new ? 1 : 0;
          any = any || is_new || o.all;
        }
        if (!any) {
          return;
        }
        Evaluation words = first_detail == Detail::full
                               ? std::move(ev)
                               : evaluate_case(ctx, c, events, Detail::full);
        bool hook_failed = false;
        std::ostringstream block;
        if (!ctx.json()) {
          std::string name = display_name(c) + "  " + c.form;
          if (c.label) {
            name += "  " + *c.label;
          }
          block << '\n' << bold(name, ctx.color()) << '\n';
        }
        for (const Finding& f : words.findings) {
          bool is_new = !known.contains(key_of(f));
          if (!is_new && !o.all) {
            continue;
          }
          ++printed;
          // Hooks first: a finding whose hook failed is not recorded, so it is offered again.
          bool ok = true;
          if (is_new && !o.notify.empty()) {
            HookResult h = run_hook(o.notify, finding_json(f, c).dump() + "\n",
                                    {{"CASEWATCH_CASE", display_name(c)},
                                     {"CASEWATCH_RULE", f.rule},
                                     {"CASEWATCH_SEVERITY", std::string(to_string(f.severity))}},
                                    limit);
            if (!h.ok) {
              ok = false;
              hook_failed = true;
              ++failed;
              // The case id, not the receipt: no case data in logs above debug level.
              spdlog::error(
                  "--notify hook for {} of case #{} {}; it will be offered again next time", f.rule,
                  c.id, h.problem);
            }
          }
          if (ok) {
            keys.push_back(key_of(f));
          }
          // Recorded as they come, inside the open transaction: its commit waits for the
          // output, so a run that cannot print still records nothing.
          if (record && keys.size() >= k_keys_at_once) {
            store.record_reported(keys, ctx.as_of());
            keys.clear();
          }
          if (ctx.json()) {
            piece.clear();
            JsonWriter w(piece, 2);  // in "new" or "reported_before" of the document
            write_finding(w, f, c);
            (is_new ? fresh_out : before_out).add(printed, piece);
          } else {
            print_findings(block, std::span<const Finding>(&f, 1), ctx.color());
          }
        }
        ++printed_cases;
        if (!ctx.json()) {
          fresh_out.add(printed_cases, block.str());
        }
        if (hook_failed) {
          // A case whose hook failed wakes at once: the next check reads it again.
          wakes.back().on = ctx.as_of();
        }
      },
      woken_by);
  progress.finish();
  // Documents (docs/rules.md, "Documents a person holds"), each finding reported once. Like
  // the cases, the daily pass reads only the documents whose wake date has come or that
  // changed since (a write to the holder's cases marks them, migration 14); the others count
  // with the findings stored beside their wake date.
  std::vector<FindingKey> doc_keys;
  std::vector<store::Store::DocumentWake> doc_wakes;
  {
    std::map<std::int64_t, store::Store::DocumentWake> resting_docs;
    if (!full) {
      for (const store::Store::DocumentWake& w : store.document_wakes()) {
        if (!w.now && (!w.on || *w.on > ctx.as_of())) {
          resting_docs.emplace(w.document_id, w);
        }
      }
    }
    auto woken = [&](const Document& d) {
      auto it = resting_docs.find(d.id);
      if (it == resting_docs.end()) {
        return true;
      }
      current += it->second.findings;
      return false;
    };
    auto known_docs_list = store.reported_documents();
    std::set<FindingKey> known_docs(known_docs_list.begin(), known_docs_list.end());
    for (const DocumentReport& r : evaluate_documents_if(ctx, woken)) {
      doc_wakes.push_back(store::Store::DocumentWake{r.d.id, r.ev.wake, r.ev.findings.size()});
      bool any = false;
      for (const Finding& f : r.ev.findings) {
        ++current;
        bool is_new = !known_docs.contains(key_of(f));
        fresh += is_new ? 1 : 0;
        any = any || is_new || o.all;
      }
      if (!any) {
        continue;
      }
      std::ostringstream block;
      if (!ctx.json()) {
        std::string name = document_name(r.d.id) + "  " + std::string(to_string(r.d.kind));
        if (r.d.holder) {
          name += "  " + *r.d.holder;
        }
        block << '\n' << bold(name, ctx.color()) << '\n';
      }
      for (const Finding& f : r.ev.findings) {
        bool is_new = !known_docs.contains(key_of(f));
        if (!is_new && !o.all) {
          continue;
        }
        ++printed;
        nlohmann::ordered_json j = document_finding_json(f, r.d);
        bool ok = true;
        if (is_new && !o.notify.empty()) {
          HookResult h = run_hook(o.notify, j.dump() + "\n",
                                  {{"CASEWATCH_CASE", document_name(r.d.id)},
                                   {"CASEWATCH_RULE", f.rule},
                                   {"CASEWATCH_SEVERITY", std::string(to_string(f.severity))}},
                                  limit);
          if (!h.ok) {
            ok = false;
            ++failed;
            spdlog::error(
                "--notify hook for {} of document {} {}; it will be offered again next "
                "time",
                f.rule, document_name(r.d.id), h.problem);
            doc_wakes.back().now = true;  // the next check reads it again
          }
        }
        if (ok && is_new) {
          doc_keys.push_back(key_of(f));
        }
        if (ctx.json()) {
          // Indented as a value at depth 2 (in "new" or "reported_before").
          piece = j.dump(2);
          for (std::size_t at = piece.find('\n'); at != std::string::npos;
               at = piece.find('\n', at + 1)) {
            piece.insert(at + 1, "    ");
          }
          (is_new ? fresh_out : before_out).add(printed, piece);
        } else {
          print_findings(block, std::span<const Finding>(&f, 1), ctx.color());
        }
      }
      ++printed_cases;
      if (!ctx.json()) {
        fresh_out.add(printed_cases, block.str());
      }
    }
  }
  if (full || need_resting) {
    spdlog::info(
        "check as of {}: {} ({} evaluated, {} resting), {}, {} new; {} of the documents "
        "evaluated",
        format_date(ctx.as_of()), text::count(evaluated + resting.cases, "case"), evaluated,
        resting.cases, text::count(current, "current finding"), fresh, doc_wakes.size());
  } else {
    spdlog::info(
        "check as of {}: {} evaluated, the others resting, {} new; {} of the documents "
        "evaluated",
        format_date(ctx.as_of()), evaluated, fresh, doc_wakes.size());
  }
  // The stale-data notice: new on the first run of each calendar month while it lasts.
  std::optional<Notice> notice = stale.notice(ctx.as_of());
  bool notice_new = notice && !notice_done;

  // Print, then record: a run killed between the two reports the same findings again
  // next time rather than losing them.
  if (ctx.json()) {
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.field("as_of", ctx.as_of());
    w.key("new");
    w.begin_array();
    fresh_out.each_sorted([&](std::size_t, std::string_view object) {
      w.raw(object);
      ctx.out() << out;
      out.clear();
    });
    w.end_array();
    w.field("current", current);
    if (o.all) {
      w.key("reported_before");
      w.begin_array();
      before_out.each_sorted([&](std::size_t, std::string_view object) {
        w.raw(object);
        ctx.out() << out;
        out.clear();
      });
      w.end_array();
    }
    write_notices(w, notice, notice_new);
    w.end_object();
    ctx.out() << out << '\n';
  } else if (printed > 0 || (notice && (notice_new || o.all))) {
    bool show_notice = notice && (notice_new || o.all);
    std::ostream& out = ctx.out();
    out << text_head(ctx.as_of(), printed, printed_cases, fresh, o.all, show_notice) << '\n';
    fresh_out.each_sorted([&](std::size_t, std::string_view block) { out << block; });
    out << '\n';
    print_closing(out, show_notice ? notice : std::nullopt);
  }
  // Nothing is recorded unless the user could read it: a full disk or a closed stdout
  // (exit 1) leaves every finding to be offered again.
  ctx.finish_output();

  if (record) {
    store.record_reported(keys, ctx.as_of());
    store.record_reported_documents(doc_keys, ctx.as_of());
    store.store_document_wakes(doc_wakes);
    store.store_wakes(wakes, store::Store::WakeBasis{basis, ctx.as_of()});
    if (notice_new) {
      store.record_notice(notice->kind, month_of(ctx.as_of()), ctx.as_of());
    }
  }
  if (failed > 0) {
    throw CommandFailed(fmt::format("{} of {} --notify hooks failed", failed, fresh));
  }
  return o.exit_code && (fresh > 0 || notice_new) ? k_exit_new_findings : 0;
}

int run_check(Context& ctx, const CheckOptions& o) {
  // NaN fails both comparisons.
  if (!(o.notify_timeout >= 0.1 && o.notify_timeout <= 3600)) {
    throw UsageError(fmt::format("--notify-timeout: {:g} is out of range; give 0.1 to 3600 seconds",
                                 o.notify_timeout));
  }
  if (o.dry_run && o.record) {
    throw UsageError("--record and --dry-run contradict each other; give one of them");
  }
  // A look ahead (--as-of after today) is a preview: recording it would swallow the real
  // day's mail.
  bool record = !o.dry_run && (ctx.as_of() <= ctx.today() || o.record);
  if ((o.fetch_times || o.fetch) && o.dry_run) {
    ctx.warn("--dry-run records nothing: nothing fetched");
  } else if (o.fetch_times || o.fetch) {
    if (o.fetch) {
      fetch_statuses_for_check(ctx);  // a failure is a warning: the check still runs
    }
    fetch_times_if_stale(ctx);
  }
  if (!record) {
    return evaluate_and_report(ctx, o, false);
  }
  // The write lock is taken (BEGIN IMMEDIATE) before the pass and held until what was printed
  // is recorded: a second check started meanwhile waits, then sees what this one reported and
  // reports it no more. The pass can take longer than the 5 seconds another writer waits (a
  // first check over many cases, or slow --notify hooks), so a check waits for the lock as
  // long as such a pass may take; a shorter hold would need the findings decided twice.
  auto tx = ctx.store().begin_write(store::Store::k_check_lock_wait_seconds);
  int code = 0;
  try {
    code = evaluate_and_report(ctx, o, true);
  } catch (const CommandFailed&) {
    tx.commit();  // what was printed and its hook ran is recorded; the failure is said after
    throw;
  }
  tx.commit();
  return code;
}

}  // namespace

Runner register_check(CLI::App& command) {
  auto o = std::make_shared<CheckOptions>();
  auto* cmd = &command;
  cmd->add_flag("--all", o->all, "Print (and record) every current finding");
  cmd->add_flag("--exit-code", o->exit_code, "Exit 3 when something is new");
  cmd->add_flag("--dry-run", o->dry_run, "Record nothing");
  cmd->add_flag("--record", o->record,
                "With --as-of after today: record what is printed (a look ahead records "
                "nothing otherwise)");
  cmd->add_option("--notify", o->notify,
                  "Run CMD (with /bin/sh -c) once per new finding, its JSON on stdin");
  cmd->add_flag("--full", o->full,
                "Evaluate every case (the daily check reads only the cases whose day has come "
                "or that changed)");
  cmd->add_flag("--fetch-times", o->fetch_times,
                "First fetch the latest processing times when they are a week old (network)");
  cmd->add_flag(
      "--fetch", o->fetch,
      "First fetch the status of every case not closed (status fetch) and, when a week old, "
      "the processing times (network)");
  cmd->add_option("--notify-timeout", o->notify_timeout,
                  "Seconds a hook may run before it is killed (default 30)");
  cmd->footer(
      "Silent, exit 0, when nothing is new: from cron, a mail comes only when there is news.\n"
      "With --as-of after today, check shows what would be new then and records nothing\n"
      "(unless --record), so a look ahead never swallows the real day's mail.\n"
      "A finding whose --notify hook fails is not recorded: the next check offers it again,\n"
      "and this one exits 1 after everything else is done.\n"
      "Hooks get CASEWATCH_CASE, CASEWATCH_RULE and CASEWATCH_SEVERITY in their environment;\n"
      "their output goes to stderr.");
  return [o](Context& ctx) { return run_check(ctx, *o); };
}

}  // namespace casewatch::cli
