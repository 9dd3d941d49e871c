// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "case_options.hpp"
#include "casewatch/cli/json.hpp"
#include "commands.hpp"
#include "documents.hpp"

namespace casewatch::cli {
namespace {

struct AddOptions {
  std::string receipt;
  CaseOptions fields;
};

// After a write, one line on what the case's next step is, so the user sees the point.
void print_outlook(Context& ctx, const Evaluation& ev) {
  if (!ev.findings.empty()) {
    const Finding& f = ev.findings.front();
    ctx.out() << fmt::format("Now: {} (since {}). See: casewatch suggest {}\n", f.title,
                             format_date(f.since),
                             f.receipt ? *f.receipt : fmt::format("'#{}'", f.case_id));
  } else if (const NextStep* n = ev.earliest_next()) {
    ctx.out() << fmt::format("Next: {}{}{}.\n", n->title,
                             n->on
                                 ? " from " + format_date(*n->on) +
                                       (n->assumed ? fmt::format(" {}", k_office_assumed_mark) : "")
                                 : "",
                             n->condition ? ", " + *n->condition : "");
  }
}

int run_add(Context& ctx, const AddOptions& o) {
  CaseText text = o.fields.text();
  if (!o.receipt.empty()) {
    text.receipt = o.receipt;
  }
  Case c = checked_case(ctx, Case{}, text, false);
  o.fields.apply_derivative(ctx, c);
  auto& store = ctx.store();
  if (c.receipt) {
    if (auto existing = store.find_case_by_receipt(*c.receipt)) {
      throw UsageError(
          fmt::format("case {} already exists (#{}); change it with 'casewatch edit {}'",
                      *c.receipt, existing->id, *c.receipt));
    }
  }
  auto tx = store.begin_write();
  c.id = store.insert_case(c);
  // A renewal of the holder's document (docs/cli.md `add`): the holder's document of a kind
  // this form renews, not linked yet, the latest to expire; an N-400 is read by the holder's
  // green card (n400-early) without a link.
  std::optional<Document> linked;
  std::optional<Document> n400_card;
  if (c.holder) {
    for (Document& d : store.all_documents()) {
      if (d.holder != c.holder) {
        continue;
      }
      auto forms = renewing_forms(d.kind);
      if (!d.renewed_by && std::find(forms.begin(), forms.end(), c.form) != forms.end() &&
          (!linked || d.expires > linked->expires)) {
        linked = d;
      }
      if (c.form == "N-400" && d.kind == DocumentKind::green_card) {
        n400_card = d;
      }
    }
    if (linked) {
      linked->renewed_by = c.id;
      store.update_document(*linked);
    }
  }
  tx.commit();

  Evaluation ev = evaluate_case(ctx, c, {});
  if (ctx.json()) {
    print_json(ctx, {{"case", case_json(c, ev)}});
    return 0;
  }
  if (!ctx.quiet()) {
    ctx.out() << "Added " << summary(c) << ".\n";
    if (!c.receipt) {
      ctx.out() << fmt::format(
          "When the receipt arrives: casewatch edit '#{}' --receipt RECEIPT --received DATE\n",
          c.id);
    }
    if (linked) {
      ctx.out() << fmt::format("Linked to {}: this case renews it.\n", document_summary(*linked));
    }
    if (n400_card) {
      ctx.out() << fmt::format("Read with {} (n400-early): casewatch doc show {}\n",
                               document_summary(*n400_card), document_name(n400_card->id));
    }
    print_outlook(ctx, ev);
  }
  return 0;
}

}  // namespace

Runner register_add(CLI::App& command) {
  auto o = std::make_shared<AddOptions>();
  auto* cmd = &command;
  cmd->add_option("RECEIPT", o->receipt, "The receipt number, e.g. IOE0912345678");
  o->fields.add_to(*cmd);
  cmd->footer(
      "Examples:\n"
      "  casewatch add IOE0912345678 --form I-485 --category 131A-FAM --office QNS \\\n"
      "      --received 2023-05-02 --label \"Ana AOS\"\n"
      "  casewatch add --sent 2026-03-02 --form I-130 --label \"Mother\"\n"
      "  casewatch add IOE0912345679 --form I-130 --received 2026-01-05 --derivative-of "
      "IOE0912345678");
  return [o](Context& ctx) { return run_add(ctx, *o); };
}

}  // namespace casewatch::cli
