// SPDX-License-Identifier: MIT
// `casewatch doc add|list|show|edit|rm` and `casewatch trip add|list|rm` (docs/cli.md).
#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "casewatch/cli/json.hpp"
#include "casewatch/util/text.hpp"
#include "documents.hpp"

namespace casewatch::cli {

using json = nlohmann::ordered_json;

DocumentWorld load_document_world(store::Store& store) {
  DocumentWorld w;
  w.cases = load_all(store);
  std::vector<std::string> problems;
  w.trips = store.all_trips(&problems);
  warn_stored_problems(problems);
  return w;
}

Evaluation evaluate_document_now(Context& ctx, const Document& d, const DocumentWorld& world,
                                 Detail detail) {
  std::vector<HolderCase> cases;
  for (const CaseRecord& r : world.cases) {
    if ((d.holder && r.c.holder == d.holder) || (d.renewed_by && *d.renewed_by == r.c.id)) {
      cases.push_back(HolderCase{&r.c, r.events});
    }
  }
  return evaluate_document(d, cases, world.trips, ctx.as_of(), detail);
}

std::vector<DocumentReport> evaluate_documents(Context& ctx, std::string_view match,
                                               Detail detail) {
  std::string needle = text::ascii_lower(match);
  auto in = [&](std::string_view field) {
    return text::ascii_lower(field).find(needle) != std::string::npos;
  };
  return evaluate_documents_if(
      ctx,
      [&](const Document& d) {
        return needle.empty() || in(d.holder.value_or("")) || in(d.note.value_or("")) ||
               in(to_string(d.kind)) || text::ascii_lower(document_name(d.id)) == needle;
      },
      detail);
}

std::vector<DocumentReport> evaluate_documents_if(Context& ctx,
                                                  const std::function<bool(const Document&)>& pick,
                                                  Detail detail) {
  auto& store = ctx.store();
  std::vector<std::string> problems;
  auto docs = store.all_documents(&problems);
  warn_stored_problems(problems);
  std::erase_if(docs, [&](const Document& d) { return !pick(d); });
  std::vector<DocumentReport> out;
  if (docs.empty()) {
    return out;  // the cases are not read
  }
  DocumentWorld world = load_document_world(store);
  for (Document& d : docs) {
    Evaluation ev = evaluate_document_now(ctx, d, world, detail);
    out.push_back(DocumentReport{std::move(d), std::move(ev)});
  }
  return out;
}

Document resolve_document(Context& ctx, std::string_view arg) {
  auto id = parse_document_name(arg);
  if (!id && !arg.empty() && arg.find_first_not_of("0123456789") == std::string_view::npos &&
      arg.size() < 19) {
    id = std::stoll(std::string(arg));
  }
  if (!id) {
    throw UsageError(fmt::format("{} is not a document; give its id as doc list shows it (d2)",
                                 text::quoted(arg)));
  }
  auto d = ctx.store().find_document(*id);
  if (!d) {
    throw UsageError(
        fmt::format("there is no document {} (casewatch doc list shows them)", document_name(*id)));
  }
  return *d;
}

std::string document_summary(const Document& d) {
  std::string s = fmt::format("{}: {}", document_name(d.id), to_string(d.kind));
  if (d.category) {
    s += " " + ead_category_printed(*d.category);
  }
  if (d.since) {
    s += ", since " + format_date(*d.since);
  }
  if (d.expires) {
    s += ", expires " + format_date(*d.expires);
  }
  if (d.holder) {
    s += fmt::format(", holder \"{}\"", text::printable(*d.holder));
  }
  if (d.renewed_by) {
    s += fmt::format(", renewed by case #{}", *d.renewed_by);
  }
  return s;
}

json document_json(const Document& d) {
  auto date = [](const std::optional<Date>& x) {
    return x ? json(format_date(*x)) : json(nullptr);
  };
  auto str = [](const std::optional<std::string>& x) { return x ? json(*x) : json(nullptr); };
  return json{{"id", document_name(d.id)},
              {"kind", std::string(to_string(d.kind))},
              {"since", date(d.since)},
              {"expires", date(d.expires)},
              {"category", d.category ? json(ead_category_printed(*d.category)) : json(nullptr)},
              {"holder", str(d.holder)},
              {"renewed_by", d.renewed_by ? json(*d.renewed_by) : json(nullptr)},
              {"note", str(d.note)}};
}

json document_finding_json(const Finding& f, const Document& d) {
  json j{{"document_id", document_name(d.id)},
         {"holder", d.holder ? json(*d.holder) : json(nullptr)},
         {"kind", std::string(to_string(d.kind))},
         {"rule", f.rule},
         {"severity", std::string(to_string(f.severity))},
         {"since", format_date(f.since)},
         {"stage", f.stage},
         {"title", f.title},
         {"reason", f.reason},
         {"how", f.how},
         {"source", f.source}};
  if (f.until) {
    j["until"] = format_date(*f.until);
  }
  return j;
}

namespace {

// The options of doc add and doc edit.
struct DocOptions {
  std::string which;  // edit, show, rm: the document
  std::string kind, since, expires, category, holder, renewed_by, note;
  CLI::Option* since_opt = nullptr;
  CLI::Option* expires_opt = nullptr;
  CLI::Option* category_opt = nullptr;
  CLI::Option* holder_opt = nullptr;
  CLI::Option* renewed_opt = nullptr;
  CLI::Option* note_opt = nullptr;
  bool yes = false;

  void add_fields(CLI::App& cmd) {
    since_opt =
        cmd.add_option("--since", since, "The date on the card (Resident Since, Valid From)");
    expires_opt = cmd.add_option("--expires", expires, "The last day it is valid (Card Expires)");
    category_opt =
        cmd.add_option("--category", category, "EAD category as printed: (c)(9), c09, A05");
    holder_opt = cmd.add_option("--holder", holder, "The person who holds it (a label)");
    renewed_opt =
        cmd.add_option("--renewed-by", renewed_by, "The case that renews it (receipt or #id)");
    note_opt = cmd.add_option("--note", note, "A note");
  }
  [[nodiscard]] DocumentText text() const {
    auto given = [](const CLI::Option* o, const std::string& v) {
      return o != nullptr && o->count() > 0 ? std::optional<std::string>(v) : std::nullopt;
    };
    DocumentText t;
    t.since = given(since_opt, since);
    t.expires = given(expires_opt, expires);
    t.category = given(category_opt, category);
    t.holder = given(holder_opt, holder);
    t.note = given(note_opt, note);
    return t;
  }
};

Document checked_document(Context& ctx, const Document& base, const DocOptions& o, bool is_edit) {
  DocumentText t = o.text();
  if (!is_edit) {
    t.kind = o.kind;
  }
  CaseCheck how;
  how.today = ctx.as_of();
  how.allow_clear = is_edit;
  auto checked = check_document(base, t, how);
  if (!checked) {
    throw UsageError(checked.error());
  }
  for (const std::string& w : checked->warnings) {
    ctx.warn(w);
  }
  Document d = checked->value;
  if (o.renewed_opt != nullptr && o.renewed_opt->count() > 0) {
    if (o.renewed_by.empty()) {
      d.renewed_by.reset();
    } else {
      Case c = ctx.resolve_case(o.renewed_by);
      if (auto problem = check_renewed_by(d.kind, c)) {
        throw UsageError(problem->message);
      }
      d.renewed_by = c.id;
    }
  }
  return d;
}

void print_document(Context& ctx, const Document& d, const Evaluation& ev) {
  std::ostream& out = ctx.out();
  out << document_summary(d) << "\n";
  if (d.note) {
    out << "  note: " << text::printable(*d.note) << "\n";
  }
  if (ev.findings.empty()) {
    out << "  No finding on " << format_date(ev.as_of) << ".\n";
  }
  for (const Finding& f : ev.findings) {
    out << fmt::format("  [{}] {} (since {}{})\n", to_string(f.severity), f.title,
                       format_date(f.since),
                       f.until ? ", until " + format_date(*f.until) : std::string());
    out << "    why: " << f.reason << "\n";
    out << "    how: " << f.how << "\n";
    out << "    source: " << f.source << "\n";
  }
  for (const NextStep& n : ev.next) {
    out << fmt::format("  {}: {}\n", format_date(*n.on), n.title);
  }
}

json document_with_findings_json(const Document& d, const Evaluation& ev) {
  json j = document_json(d);
  json findings = json::array();
  for (const Finding& f : ev.findings) {
    findings.push_back(document_finding_json(f, d));
  }
  j["findings"] = std::move(findings);
  j["next"] = next_steps_json(ev.next);
  return j;
}

int run_doc_add(Context& ctx, const DocOptions& o) {
  Document d = checked_document(ctx, Document{}, o, false);
  d.recorded = ctx.as_of();
  auto& store = ctx.store();
  auto tx = store.begin_write();
  d.id = store.insert_document(d);
  tx.commit();
  Evaluation ev = evaluate_document_now(ctx, d, load_document_world(store));
  if (ctx.json()) {
    print_json(ctx, {{"document", document_with_findings_json(d, ev)}});
    return 0;
  }
  if (!ctx.quiet()) {
    ctx.out() << "Added " << document_summary(d) << ".\n";
    if (!ev.findings.empty()) {
      ctx.out() << fmt::format("Now: {} (since {}). See: casewatch doc show {}\n",
                               ev.findings.front().title, format_date(ev.findings.front().since),
                               document_name(d.id));
    } else if (!ev.next.empty()) {
      ctx.out() << fmt::format("Next: {} on {}.\n", ev.next.front().title,
                               format_date(*ev.next.front().on));
    }
  }
  return 0;
}

int run_doc_list(Context& ctx) {
  auto& store = ctx.store();
  std::vector<std::string> problems;
  auto docs = store.all_documents(&problems);
  warn_stored_problems(problems);
  DocumentWorld world = load_document_world(store);
  if (ctx.json()) {
    json arr = json::array();
    for (const Document& d : docs) {
      arr.push_back(document_with_findings_json(d, evaluate_document_now(ctx, d, world)));
    }
    print_json(ctx, {{"as_of", format_date(ctx.as_of())}, {"documents", arr}});
    return 0;
  }
  if (docs.empty()) {
    if (!ctx.quiet()) {
      ctx.out() << "No documents. Add one: casewatch doc add green-card --since DATE --holder "
                   "LABEL\n";
    }
    return 0;
  }
  ctx.out() << fmt::format("{:<5} {:<22} {:<12} {:<10} {:<10} {}\n", "ID", "KIND", "HOLDER",
                           "SINCE", "EXPIRES", "NOW");
  for (const Document& d : docs) {
    Evaluation ev = evaluate_document_now(ctx, d, world);
    const Finding* f = ev.most_pressing();
    std::string kind(to_string(d.kind));
    if (d.category) {
      kind += " " + ead_category_printed(*d.category);
    }
    ctx.out() << fmt::format(
        "{:<5} {:<22} {:<12} {:<10} {:<10} {}\n", document_name(d.id), kind,
        text::printable(d.holder.value_or("-")), d.since ? format_date(*d.since) : "-",
        d.expires ? format_date(*d.expires) : "-",
        f != nullptr ? fmt::format("{}: {}", to_string(f->severity), f->title) : "-");
  }
  return 0;
}

}  // namespace

int show_document(Context& ctx, std::string_view which) {
  Document d = resolve_document(ctx, which);
  Evaluation ev = evaluate_document_now(ctx, d, load_document_world(ctx.store()));
  if (ctx.json()) {
    print_json(ctx, {{"as_of", format_date(ctx.as_of())},
                     {"document", document_with_findings_json(d, ev)}});
    return 0;
  }
  print_document(ctx, d, ev);
  return 0;
}

namespace {

int run_doc_edit(Context& ctx, const DocOptions& o) {
  Document found = resolve_document(ctx, o.which);
  Document d = checked_document(ctx, found, o, true);
  auto& store = ctx.store();
  auto tx = store.begin_write();
  if (!store.find_document(d.id)) {
    throw UsageError(fmt::format("document {} was removed meanwhile", document_name(d.id)));
  }
  store.update_document(d);
  tx.commit();
  if (ctx.json()) {
    print_json(ctx, {{"document", document_json(d)}});
  } else if (!ctx.quiet()) {
    ctx.out() << "Changed " << document_summary(d) << ".\n";
  }
  return 0;
}

int run_doc_rm(Context& ctx, const DocOptions& o) {
  Document d = resolve_document(ctx, o.which);
  auto& store = ctx.store();
  auto tx = store.begin_write();
  store.delete_document(d.id);
  tx.commit();
  if (ctx.json()) {
    print_json(ctx, {{"deleted", document_json(d)}});
  } else if (!ctx.quiet()) {
    ctx.out() << "Deleted " << document_summary(d) << " (casewatch undo brings it back).\n";
  }
  return 0;
}

struct TripOptions {
  std::string holder, left, returned, which;
  CLI::Option* returned_opt = nullptr;
};

// The end of a trip in words: its return, "now (abroad)" while away, or none yet for a trip
// that has not left.
std::string trip_end(const Trip& t, Date as_of) {
  if (t.returned) {
    return format_date(*t.returned);
  }
  return t.left > as_of ? "no return date (planned)" : "now (abroad)";
}

std::string trip_summary(const Trip& t, Date as_of) {
  return fmt::format("trip {} of \"{}\": {} to {}", t.id, text::printable(t.holder),
                     format_date(t.left), trip_end(t, as_of));
}

json trip_json(const Trip& t) {
  return json{{"id", t.id},
              {"holder", t.holder},
              {"left", format_date(t.left)},
              {"returned", t.returned ? json(format_date(*t.returned)) : json(nullptr)}};
}

int run_trip_add(Context& ctx, const TripOptions& o) {
  auto& store = ctx.store();
  TripText text{
      o.holder, o.left,
      o.returned_opt->count() > 0 ? std::optional<std::string>(o.returned) : std::nullopt};
  auto tx = store.begin_write();
  auto trips = store.all_trips();
  auto checked = check_trip(text, trips, ctx.as_of());
  if (!checked) {
    throw UsageError(checked.error());
  }
  Trip trip = *checked;
  trip.id = store.insert_trip(trip);
  tx.commit();
  const Trip* t = &trip;
  if (ctx.json()) {
    print_json(ctx, {{"trip", trip_json(*t)}});
  } else if (!ctx.quiet()) {
    ctx.out() << "Added " << trip_summary(*t, ctx.as_of()) << ".\n";
    if (t->returned && one_year_or_more(t->left, *t->returned)) {
      ctx.out() << "A trip of a year or more breaks continuous residence for naturalization "
                   "(see casewatch doc list).\n";
    } else if (t->returned && longer_than_six_months(t->left, *t->returned)) {
      ctx.out() << "A trip of more than 6 months is a presumed break in continuous residence "
                   "(see casewatch doc list).\n";
    }
  }
  return 0;
}

int run_trip_list(Context& ctx) {
  std::vector<std::string> problems;
  auto trips = ctx.store().all_trips(&problems);
  warn_stored_problems(problems);
  if (ctx.json()) {
    json arr = json::array();
    for (const Trip& t : trips) {
      arr.push_back(trip_json(t));
    }
    print_json(ctx, {{"trips", arr}});
    return 0;
  }
  if (trips.empty() && !ctx.quiet()) {
    ctx.out() << "No trips. Add one: casewatch trip add --holder LABEL --left DATE --returned "
                 "DATE\n";
  }
  for (const Trip& t : trips) {
    if (!t.returned && t.left > ctx.as_of()) {
      ctx.out() << fmt::format("{:<4} {:<12} {} (planned, no return date)\n", t.id,
                               text::printable(t.holder), format_date(t.left));
      continue;
    }
    int days = days_between(t.left, t.returned.value_or(ctx.as_of()));
    ctx.out() << fmt::format(
        "{:<4} {:<12} {} to {}  {} days\n", t.id, text::printable(t.holder), format_date(t.left),
        t.returned ? format_date(*t.returned) : std::string("(abroad)  "), days);
  }
  return 0;
}

int run_trip_rm(Context& ctx, const TripOptions& o) {
  if (o.which.empty() || o.which.find_first_not_of("0123456789") != std::string::npos ||
      o.which.size() > 18) {
    throw UsageError(
        fmt::format("{} is not a trip number; trip list shows them", text::quoted(o.which)));
  }
  auto& store = ctx.store();
  auto tx = store.begin_write();
  if (!store.delete_trip(std::stoll(o.which))) {
    throw UsageError(fmt::format("there is no trip {} (casewatch trip list shows them)", o.which));
  }
  tx.commit();
  if (!ctx.quiet() && !ctx.json()) {
    ctx.out() << "Deleted trip " << o.which << " (casewatch undo brings it back).\n";
  } else if (ctx.json()) {
    print_json(ctx, {{"deleted", {{"trip", std::stoll(o.which)}}}});
  }
  return 0;
}

}  // namespace

Runner register_doc(CLI::App& command) {
  auto o = std::make_shared<DocOptions>();
  command.require_subcommand(1);
  auto* add = command.add_subcommand("add", "Add a document a person holds");
  std::string kinds;
  for (DocumentKind k : all_document_kinds()) {
    kinds += fmt::format("\n  {:<24}{}", to_string(k), describe(k));
  }
  add->add_option("KIND", o->kind, "The kind of document:" + kinds)->required();
  o->add_fields(*add);
  add->footer(
      "Examples:\n"
      "  casewatch doc add conditional-green-card --since 2025-03-10 --holder Ana\n"
      "  casewatch doc add ead --category \"(c)(9)\" --expires 2026-05-20 --holder Ana");
  command.add_subcommand("list", "Every document, with what it needs now");
  auto* show = command.add_subcommand("show", "One document: its fields, findings and dates");
  show->add_option("DOC", o->which, "The document (d2)")->required();
  auto* edit = command.add_subcommand("edit", "Change a document's fields (\"\" clears one)");
  // Options of its own (their CLI::Option pointers tell what was given).
  auto e = std::make_shared<DocOptions>();
  edit->add_option("DOC", e->which, "The document (d2)")->required();
  e->add_fields(*edit);
  auto* rm = command.add_subcommand("rm", "Delete a document (undo brings it back)");
  rm->add_option("DOC", o->which, "The document (d2)")->required();
  return [o, e, &command](Context& ctx) {
    if (command.got_subcommand("add")) {
      return run_doc_add(ctx, *o);
    }
    if (command.got_subcommand("list")) {
      return run_doc_list(ctx);
    }
    if (command.got_subcommand("show")) {
      return show_document(ctx, o->which);
    }
    if (command.got_subcommand("edit")) {
      return run_doc_edit(ctx, *e);
    }
    return run_doc_rm(ctx, *o);
  };
}

Runner register_trip(CLI::App& command) {
  auto o = std::make_shared<TripOptions>();
  command.require_subcommand(1);
  auto* add = command.add_subcommand("add", "Add a trip abroad of a person");
  add->add_option("--holder", o->holder, "The person (a label)")->required();
  add->add_option("--left", o->left, "The day you left the United States")->required();
  o->returned_opt =
      add->add_option("--returned", o->returned, "The day you came back (none: still abroad)");
  command.add_subcommand("list", "Every trip, by person and date");
  auto* rm = command.add_subcommand("rm", "Delete a trip (undo brings it back)");
  rm->add_option("N", o->which, "The trip's number (trip list)")->required();
  return [o, &command](Context& ctx) {
    if (command.got_subcommand("add")) {
      return run_trip_add(ctx, *o);
    }
    if (command.got_subcommand("list")) {
      return run_trip_list(ctx);
    }
    return run_trip_rm(ctx, *o);
  };
}

}  // namespace casewatch::cli
