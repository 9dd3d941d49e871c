// SPDX-License-Identifier: MIT
// Internal: documents and trips as the commands show them (docs/cli.md `doc`, `trip`), and
// the rules' view of a document on ctx.as_of().
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "casewatch/domain/document_rules.hpp"
#include "commands.hpp"

namespace casewatch::cli {

// Everything the document rules read, loaded once: every case with its events, every trip.
struct DocumentWorld {
  std::vector<CaseRecord> cases;
  std::vector<Trip> trips;
};
DocumentWorld load_document_world(store::Store& store);

// A document and the rules' view of it.
struct DocumentReport {
  Document d;
  Evaluation ev;
};
// Every stored document whose holder, kind, category or note contains `match` (every one when
// empty; as `--match` matches cases), evaluated on ctx.as_of().
std::vector<DocumentReport> evaluate_documents(Context& ctx, std::string_view match = {},
                                               Detail detail = Detail::full);

// The stored documents for which `pick` is true, evaluated on ctx.as_of(); the cases the
// rules read are loaded only when one is picked.
std::vector<DocumentReport> evaluate_documents_if(Context& ctx,
                                                  const std::function<bool(const Document&)>& pick,
                                                  Detail detail = Detail::full);

// The rules' view of `d` on ctx.as_of() (document_rules.hpp).
Evaluation evaluate_document_now(Context& ctx, const Document& d, const DocumentWorld& world,
                                 Detail detail = Detail::full);

// The commands `doc` and `trip` (cmd_doc.cpp), registered from the command table.
Runner register_doc(CLI::App& command);
Runner register_trip(CLI::App& command);

// `doc show DOC` (and `show d2`): the document, its findings and its dates.
int show_document(Context& ctx, std::string_view which);

// The document named by `arg` ("d2", "D2" or "2"); UsageError naming `arg` when none.
Document resolve_document(Context& ctx, std::string_view arg);

// "d2: ead (c)(9), expires 2026-05-20, holder \"Ana\"".
std::string document_summary(const Document& d);

// The JSON of a document (docs/json.md "Documents"): id ("d2"), kind, since, expires,
// category (as printed, "(c)(9)"), holder, renewed_by (the case id), note.
nlohmann::ordered_json document_json(const Document& d);
// A finding of a document: as a case's (docs/json.md), with document_id "d2" and the
// document's holder and kind instead of case_id, label and form.
nlohmann::ordered_json document_finding_json(const Finding& f, const Document& d);

}  // namespace casewatch::cli
