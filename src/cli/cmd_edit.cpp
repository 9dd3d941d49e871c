// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <ostream>

#include "case_now.hpp"
#include "case_options.hpp"
#include "casewatch/cli/json.hpp"
#include "commands.hpp"

namespace casewatch::cli {
namespace {

struct EditOptions {
  std::string which;
  std::string receipt;
  std::string status;
  CLI::Option* receipt_opt = nullptr;
  CLI::Option* status_opt = nullptr;
  CaseOptions fields;
};

int run_edit(Context& ctx, const EditOptions& o) {
  Case found = ctx.resolve_case_or_label(o.which);
  auto& store = ctx.store();
  // The case is read again under the write lock: the fields this edit does not change keep
  // what another casewatch wrote a moment ago, and a case removed meanwhile is not
  // "updated".
  auto tx = store.begin_write();
  Case c = case_now(ctx, found, o.which);
  Case before = c;
  CaseText text = o.fields.text();
  if (o.receipt_opt->count() > 0) {
    text.receipt = o.receipt;
  }
  if (o.status_opt->count() > 0) {
    text.status = o.status;
  }
  c = checked_case(ctx, before, text, true);
  o.fields.apply_derivative(ctx, c);
  if (c.receipt && c.receipt != before.receipt) {
    if (auto other = store.find_case_by_receipt(*c.receipt)) {
      throw UsageError(
          fmt::format("receipt {} already belongs to case #{}", *c.receipt, other->id));
    }
  }
  store.update_case(c);
  tx.commit();

  auto events = store.events_of(c.id);
  Evaluation ev = evaluate_case(ctx, c, events);
  if (ctx.json()) {
    print_json(ctx, {{"case", case_json(c, ev)}});
  } else if (!ctx.quiet()) {
    ctx.out() << "Updated " << summary(c) << ".\n";
  }
  return 0;
}

}  // namespace

Runner register_edit(CLI::App& command) {
  auto o = std::make_shared<EditOptions>();
  auto* cmd = &command;
  cmd->add_option("CASE", o->which, "Receipt number, case id (#7) or a label that names one case")
      ->required();
  o->receipt_opt = cmd->add_option("--receipt", o->receipt, "Set the receipt number");
  o->status_opt = cmd->add_option("--status", o->status, "pending or closed");
  o->fields.add_to(*cmd);
  cmd->footer(
      "Examples:\n"
      "  casewatch edit '#3' --receipt IOE0998765432 --received 2026-04-20\n"
      "  casewatch edit IOE0912345678 --office QNS --category 131A-FAM\n"
      "  casewatch edit IOE0912345678 --note ''      (clears the note)");
  return [o](Context& ctx) { return run_edit(ctx, *o); };
}

}  // namespace casewatch::cli
