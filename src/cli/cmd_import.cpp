// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <istream>
#include <ostream>
#include <set>

#include "casewatch/domain/interchange.hpp"
#include "casewatch/util/text.hpp"
#include "commands.hpp"
#include "files.hpp"
#include "progress.hpp"

namespace casewatch::cli {
namespace {

struct ImportOptions {
  std::string path;
  std::string encoding = "utf-8";
  bool update = false;
  bool dry_run = false;
  bool overwrite_edits = false;
};

// The command a journal entry records ("edit" for "casewatch --db x.db edit 7 ..."): the
// first word that is no option, nor the value of a global option that takes one.
std::string command_of(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false;
  bool any = false;
  for (char c : line) {
    if (c == '\'') {
      quoted = !quoted;
      any = true;
    } else if (c == ' ' && !quoted) {
      if (any) {
        words.push_back(std::move(word));
      }
      word.clear();
      any = false;
    } else {
      word += c;
      any = true;
    }
  }
  if (any) {
    words.push_back(std::move(word));
  }
  static const std::set<std::string, std::less<>> k_with_value = {"--db", "--as-of", "--log-file",
                                                                  "--progress", "--color"};
  for (std::size_t i = 1; i < words.size(); ++i) {
    if (words[i].starts_with('-')) {
      if (k_with_value.contains(words[i])) {
        ++i;
      }
      continue;
    }
    return words[i];
  }
  return {};
}

// The fields of stored cases corrected since an import last set them: changed last by a
// command other than import (edit, event, a status fetch), as the journal says (docs/cli.md,
// "Spreadsheets in an office").
Corrections corrections(store::Store& store) {
  Corrections out;
  for (const auto& [id, fields] : store.last_field_writes()) {
    for (const auto& [field, write] : fields) {
      std::string command = command_of(write.command);
      if (command != "import") {
        out[id][field] = fmt::format("'{}' on {}", command.empty() ? "casewatch" : command,
                                     write.at.substr(0, 10));
      }
    }
  }
  return out;
}

// "(none)" for an empty value, else the value quoted when it has spaces.
std::string shown_value(const std::string& v) {
  return v.empty() ? "(none)" : text::printable(v);
}

// Events numbered in the file keep their numbers; the others get the next ones.
void number_events(std::vector<Event>& events) {
  std::int64_t last = 0;
  for (const Event& e : events) {
    last = std::max(last, e.seq);
  }
  for (Event& e : events) {
    if (e.seq <= 0) {
      e.seq = ++last;
    }
  }
}

// Refuses the file with the domain's message: one error line per line of it, each naming
// the file.
[[noreturn]] void refuse(const std::string& path, const std::string& message) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    auto end = message.find('\n', start);
    lines.push_back(fmt::format("{}: {}", path, message.substr(start, end - start)));
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  std::string last = std::move(lines.back());
  lines.pop_back();
  throw UsageError(std::move(lines), last);
}

// The input as a stream buffer: the bytes already read (`head`), then the rest a piece at a
// time, each piece from Windows-1252 when asked (a byte at a time: pieces convert alone).
class InputBuf : public std::streambuf {
 public:
  // `progress`, when given, counts the bytes read.
  InputBuf(InputFile& in, std::string head, bool windows1252, Progress* progress)
      : m_in(in), m_windows1252(windows1252), m_piece(std::move(head)), m_progress(progress) {
    if (m_windows1252) {
      m_piece = text::windows1252_to_utf8(m_piece);
    }
    setg(m_piece.data(), m_piece.data(), m_piece.data() + m_piece.size());
  }

 protected:
  int_type underflow() override {
    if (gptr() == egptr()) {
      std::size_t n = m_in.read(m_raw.data(), m_raw.size());
      if (n == 0) {
        return traits_type::eof();
      }
      if (m_progress != nullptr) {
        m_progress->tick(n);
      }
      std::string_view raw(m_raw.data(), n);
      m_piece = m_windows1252 ? text::windows1252_to_utf8(raw) : std::string(raw);
      setg(m_piece.data(), m_piece.data(), m_piece.data() + m_piece.size());
    }
    return traits_type::to_int_type(*gptr());
  }

 private:
  InputFile& m_in;
  bool m_windows1252;
  std::string m_piece;
  Progress* m_progress;
  std::array<char, std::size_t{1} << 16U> m_raw{};
};

// Reads the start of the input into `head`, enough to tell JSON from CSV: true when its first
// non-blank byte is '{' (a JSON export).
bool starts_json(InputFile& in, std::string& head, Progress& progress) {
  std::array<char, 4096> buf{};
  std::size_t first = std::string::npos;
  while (first == std::string::npos && head.size() <= k_max_input_bytes) {
    std::size_t n = in.read(buf.data(), buf.size());
    if (n == 0) {
      break;
    }
    head.append(buf.data(), n);
    progress.tick(n);
    first = head.find_first_not_of(" \t\r\n");
  }
  return first != std::string::npos && head[first] == '{';
}

// Reads a JSON export as a stream, of any size, handing its cases and entries to `sinks`
// when any (else keeping them); `progress`, when given, counts the bytes read. Refuses it
// (exit 2) with the domain's message.
ExportRead read_json(Context& ctx, const ImportOptions& o, InputFile& in, std::string head,
                     std::vector<std::string>* warnings, Progress* progress,
                     const ExportSinks& sinks = {}) {
  InputBuf source(in, std::move(head), o.encoding == "windows-1252", progress);
  std::istream stream(&source);
  auto read = read_export_json(stream, ctx.as_of(), warnings, sinks);
  if (!read) {
    refuse(o.path, read.error());
  }
  return std::move(read).value();
}

// Reads the file whole: a JSON export as a stream, of any size; a CSV up to
// k_max_input_bytes. Refuses it (exit 2) with the domain's message.
ExportRead read_input(Context& ctx, const ImportOptions& o, InputFile& in, std::string head,
                      bool json, std::vector<std::string>& warnings, Progress& progress) {
  if (json) {
    return read_json(ctx, o, in, std::move(head), &warnings, &progress);
  }
  in.read_rest(head);
  progress.set(head.size());
  if (o.encoding == "windows-1252") {
    head = text::windows1252_to_utf8(head);
  }
  auto read = import_cases_csv(head, ctx.as_of(), &warnings);
  if (!read) {
    refuse(o.path, read.error());
  }
  ExportRead out;
  out.cases = std::move(read).value();
  return out;
}

// What an import keeps of each case of the file between its check and its write: what a
// link may name it by, its form (what a renewed document needs), the principal it names.
struct FileCases {
  std::vector<CaseRefKeys> keys;
  std::vector<std::string> forms;
  std::vector<std::optional<std::string>> derivative_of;
  std::vector<std::string> origins;

  void add(const CaseRecordIO& r) {
    keys.push_back({r.c.receipt, r.c.label});
    forms.push_back(r.c.form);
    derivative_of.push_back(r.derivative_of);
    origins.push_back(r.origin);
  }
  [[nodiscard]] std::size_t size() const { return keys.size(); }
  // The case as a renewed document's check sees it.
  [[nodiscard]] Case at(std::size_t i) const {
    Case c;
    c.receipt = keys[i].receipt;
    c.label = keys[i].label;
    c.form = forms[i];
    return c;
  }
};

// The documents and trips an import adds, and where the links of its records point, all
// checked before anything is written.
struct Links {
  std::vector<CaseLink> principal;                       // per added case
  std::vector<std::pair<Document, CaseLink>> documents;  // to add, with the renewing case
  std::vector<Trip> trips;                               // to add
  std::size_t unchanged = 0;                             // with --update: already stored
};

// What the import did (or, with --dry-run, would do): each field changed or kept, then the
// counts.
void report(Context& ctx, const ImportOptions& o, const ImportPlan& plan, std::size_t added,
            std::size_t n_events, std::size_t n_times, const Links& links) {
  const std::string& path = o.path;
  std::size_t kept = 0;
  for (const FieldChange& c : plan.changes) {
    kept += c.kept ? 1 : 0;
  }
  if (ctx.json()) {
    nlohmann::ordered_json j = {{"imported", added}, {"events", n_events}};
    if (n_times > 0) {
      j["times"] = n_times;
    }
    if (!links.documents.empty() || !links.trips.empty()) {
      j["documents"] = links.documents.size();
      j["trips"] = links.trips.size();
    }
    if (o.update) {
      j["added"] = added;
      j["updated"] = plan.updated.size();
      j["unchanged"] = plan.unchanged;
      j["changes"] = nlohmann::ordered_json::array();
      for (const FieldChange& c : plan.changes) {
        j["changes"].push_back({{"id", c.id},
                                {"field", c.field},
                                {"from", c.from.empty() ? nlohmann::ordered_json(nullptr)
                                                        : nlohmann::ordered_json(c.from)},
                                {"to", c.to},
                                {"kept", c.kept}});
      }
    }
    if (o.dry_run) {
      j["dry_run"] = true;
    }
    print_json(ctx, j);
    return;
  }
  if (ctx.quiet()) {
    return;
  }
  for (const FieldChange& c : plan.changes) {
    if (c.kept) {
      ctx.out() << fmt::format("{}: {} kept {} (corrected with {}; the sheet says {})\n", c.who,
                               c.field, shown_value(c.from), c.corrected_by, shown_value(c.to));
    } else {
      ctx.out() << fmt::format("{}: {} {} → {}\n", c.who, c.field, shown_value(c.from),
                               shown_value(c.to));
    }
  }
  std::string would = o.dry_run ? "Would import" : "Imported";
  if (o.update) {
    ctx.out() << fmt::format(
        "{} {}: {} added, {} updated, {} unchanged{}.\n", would, path, added, plan.updated.size(),
        plan.unchanged,
        kept == 0 ? std::string() : fmt::format(", {} kept", text::count(kept, "corrected value")));
    if (kept > 0 && !o.dry_run) {
      ctx.out() << "A corrected value stays; import with --overwrite-edits to take the sheet's.\n";
    }
  } else {
    ctx.out() << fmt::format(
        "{} {} and {}{} from {}.\n", would, text::count(added, "case", "cases"),
        text::count(n_events, "event", "events"),
        n_times == 0
            ? std::string()
            : fmt::format(" ({})", text::count(n_times, "processing time", "processing times")),
        path);
  }
  if (!links.documents.empty() || !links.trips.empty() || links.unchanged > 0) {
    ctx.out() << fmt::format(
        "{} {} and {}{}.\n", o.dry_run ? "Would add" : "Added",
        text::count(links.documents.size(), "document", "documents"),
        text::count(links.trips.size(), "trip", "trips"),
        links.unchanged == 0
            ? std::string()
            : fmt::format(" ({} stored already, left as they are)", links.unchanged));
  }
  if (o.dry_run) {
    ctx.out() << "Nothing was written (--dry-run).\n";
  }
}

// The same document (docs/cli.md, `import`): the same holder and kind with the same dates.
bool same_document(const Document& a, const Document& b) {
  return a.holder == b.holder && a.kind == b.kind && a.since == b.since && a.expires == b.expires;
}

Links plan_links(store::Store& store, const FileCases& added, const ExportRead& read,
                 const ImportOptions& o, Date today) {
  Links out;
  std::vector<Case> stored;
  bool any = !read.documents.empty() ||
             std::any_of(added.derivative_of.begin(), added.derivative_of.end(),
                         [](const std::optional<std::string>& ref) { return ref.has_value(); });
  if (any) {
    stored = store.all_cases();
  }
  auto resolve = [&](const std::string& ref, const std::string& origin, std::string_view field) {
    auto link = resolve_case_ref(ref, added.keys, stored, origin, field);
    if (!link) {
      refuse(o.path, link.error());
    }
    return *link;
  };
  for (std::size_t i = 0; i < added.size(); ++i) {
    const std::optional<std::string>& ref = added.derivative_of[i];
    CaseLink link;
    if (ref) {
      link = resolve(*ref, added.origins[i], "derivative_of");
      if (link.in_file == i) {
        refuse(o.path, fmt::format("{}, field derivative_of: {} is this case; give the "
                                   "principal's case",
                                   added.origins[i], text::quoted(*ref)));
      }
    }
    out.principal.push_back(link);
  }
  std::vector<Document> stored_documents;
  if (!read.documents.empty()) {
    stored_documents = store.all_documents();
  }
  for (const DocumentIO& d : read.documents) {
    auto same = std::find_if(stored_documents.begin(), stored_documents.end(),
                             [&](const Document& s) { return same_document(s, d.d); });
    if (same != stored_documents.end()) {
      if (!o.update) {
        refuse(o.path, fmt::format("{}: this database holds it already ({}); import --update "
                                   "leaves it as it is",
                                   d.origin, document_name(same->id)));
      }
      ++out.unchanged;
      continue;
    }
    CaseLink link;
    if (d.renewed_by) {
      link = resolve(*d.renewed_by, d.origin, "renewed_by");
      const Case c = link.in_file ? added.at(*link.in_file)
                                  : *std::find_if(stored.begin(), stored.end(), [&](const Case& x) {
                                      return x.id == link.stored;
                                    });
      if (auto problem = check_renewed_by(d.d.kind, c, FieldNames::fields)) {
        refuse(o.path, d.origin + ", " + problem->message);
      }
    }
    out.documents.emplace_back(d.d, link);
  }
  // Trips: checked again against the stored ones (an overlap is refused); with --update a
  // trip stored already is left as it is.
  std::vector<Trip> trips;
  if (!read.trips.empty()) {
    trips = store.all_trips();
  }
  for (std::size_t i = 0; i < read.trips.size(); ++i) {
    const Trip& t = read.trips[i];
    bool stored_already = std::any_of(trips.begin(), trips.end(), [&](const Trip& s) {
      return s.holder == t.holder && s.left == t.left && s.returned == t.returned;
    });
    if (stored_already && o.update) {
      ++out.unchanged;
      continue;
    }
    TripText text{t.holder, format_date(t.left),
                  t.returned ? std::optional(format_date(*t.returned)) : std::nullopt};
    auto checked = check_trip(text, trips, today, FieldNames::fields);
    if (!checked) {
      refuse(o.path, fmt::format("trip {}, {}", i + 1, checked.error()));
    }
    trips.push_back(t);
    out.trips.push_back(t);
  }
  return out;
}

store::JournalEntry to_store(JournalEntryIO&& e) {
  store::JournalEntry j;
  j.id = e.id;
  j.at = std::move(e.at);
  j.user = std::move(e.user);
  j.command = std::move(e.command);
  j.changes = std::move(e.changes);
  j.undoes = e.undoes;
  j.prev_hash = std::move(e.prev_hash);
  j.hash = std::move(e.hash);
  return j;
}

// The cases written so far: their new ids in file order, the derivatives whose principal
// comes later in the file, and the events written.
struct Written {
  std::vector<CaseId> ids;
  std::vector<std::size_t> later;
  std::size_t events = 0;
};

// Writes the file's i-th case and its events (the file's cases in its order; a derivative
// whose principal comes later gets its link once that one is written, by write_rest).
void write_case(store::Store& store, CaseRecordIO r, std::size_t i, const Links& links,
                Written& done) {
  const CaseLink& link = links.principal[i];
  r.c.derivative_of = link.stored;
  if (link.in_file && *link.in_file < i) {
    r.c.derivative_of = done.ids[*link.in_file];
  } else if (link.in_file) {
    done.later.push_back(i);
  }
  CaseId id = store.insert_case(r.c);
  done.ids.push_back(id);
  number_events(r.events);
  for (Event e : r.events) {
    e.case_id = id;
    store.insert_event(e);
    ++done.events;
  }
}

// What follows the cases: the derivatives' later links, the documents, trips, the stored
// cases an update changes, and the processing times.
void write_rest(store::Store& store, const ImportPlan& plan, const Links& links,
                const ExportRead& read, const Written& done) {
  for (std::size_t i : done.later) {
    std::optional<Case> c = store.find_case(done.ids[i]);
    c->derivative_of = done.ids[*links.principal[i].in_file];
    store.update_case(*c);
  }
  for (std::size_t i = 0; i < links.documents.size(); ++i) {
    Document d = links.documents[i].first;
    const CaseLink& link = links.documents[i].second;
    d.renewed_by = link.in_file ? std::optional(done.ids[*link.in_file]) : link.stored;
    store.insert_document(d);
  }
  for (const Trip& t : links.trips) {
    store.insert_trip(t);
  }
  for (const Case& c : plan.updated) {
    store.update_case(c);
  }
  for (const ProcessingTime& row : read.times) {
    store.upsert_time(row);
  }
}

// Values USCIS does not list, each said once.
void say_warnings(Context& ctx, const std::vector<std::string>& warnings) {
  std::set<std::string> said;
  for (const std::string& w : warnings) {
    if (said.insert(w).second) {
      ctx.warn(w);
    }
  }
}

void say_not_copied(Context& ctx, const std::string& path, std::size_t entries) {
  ctx.warn(fmt::format(
      "the journal of {} ({} entries) was not copied: this database has a journal of its own, "
      "and one chain cannot hold both; keep the file as the record of its history",
      path, entries));
}

// A JSON export imported in flat memory, whatever its size: read twice. The first pass checks
// everything (each case and event, receipts twice or stored already, links, the journal's
// chain) keeping only what links need; nothing is written unless all holds. The second pass
// reads the file again and writes each case as it comes, in one transaction.
// `progress` counts the bytes of the first pass, then the cases written.
int import_export(Context& ctx, const ImportOptions& o, InputFile& in, std::string head,
                  Progress& progress) {
  const std::string& path = o.path;
  auto& store = ctx.store();
  std::vector<std::string> warnings;
  const std::vector<Case> stored = store.all_cases();
  const ImportHow how;
  std::optional<ImportPlanner> planner;
  FileCases file;
  std::size_t n_events = 0;
  std::size_t n_case_arrays = 1;  // a document may give "cases" twice: the last counts
  auto start_cases = [&] {
    planner.emplace(stored, ctx.as_of(), how, false);
    file = {};
    n_events = 0;
  };
  store::JournalChain chain;
  std::optional<std::int64_t> first;
  std::optional<std::int64_t> last;
  std::size_t n_entries = 0;
  std::size_t n_journal_arrays = 1;
  ExportSinks check;
  check.on_case = [&](std::size_t /*i*/, CaseRecordIO&& r) {
    if (!planner) {
      start_cases();
    }
    file.add(r);
    n_events += r.events.size();
    planner->take(std::move(r));
  };
  check.on_cases_again = [&] {
    start_cases();
    ++n_case_arrays;
  };
  check.on_entry = [&](JournalEntryIO&& e) {
    store::JournalEntry j = to_store(std::move(e));
    first = first.value_or(j.id);
    last = j.id;
    ++n_entries;
    chain.next(j, [&] { return store::journal_hash(j); });
  };
  check.on_journal_again = [&] {
    chain = store::JournalChain();
    first.reset();
    last.reset();
    n_entries = 0;
    ++n_journal_arrays;
  };
  ExportRead read = read_json(ctx, o, in, std::move(head), &warnings, &progress, check);
  if (read.journal_error) {
    throw UsageError(fmt::format("{}: {}", path, *read.journal_error));
  }
  if (!planner) {
    start_cases();
  }
  auto plan = std::move(*planner).finish();
  if (!plan) {
    refuse(path, plan.error());
  }
  say_warnings(ctx, warnings);
  Links links = plan_links(store, file, read, o, ctx.as_of());
  if (o.dry_run) {
    progress.finish();
    report(ctx, o, *plan, file.size(), n_events, read.times.size(), links);
    return 0;
  }
  bool copy = n_entries > 0 && !store.last_journal_entry();
  if (n_entries > 0 && !copy) {
    say_not_copied(ctx, path, n_entries);
  }
  progress.phase("Importing", "cases", file.size());
  auto tx = store.begin_write();
  if (copy) {
    try {
      store::JournalCheck checked = chain.result();
      if (checked.bad) {
        throw store::Conflict(fmt::format("its journal does not verify at entry #{} ({})",
                                          *checked.bad, checked.why));
      }
      store.begin_journal_copy(*first, *last);
    } catch (const store::Conflict& e) {
      throw UsageError(fmt::format("{}: {}; nothing was imported", path, e.what()));
    }
  }
  // The second pass: only the last "cases" and "journal" arrays count, as in the first.
  Written done;
  done.ids.reserve(file.size());
  std::size_t case_array = 1;
  std::size_t journal_array = 1;
  ExportSinks write;
  write.on_case = [&](std::size_t i, CaseRecordIO&& r) {
    if (case_array == n_case_arrays) {
      write_case(store, std::move(r), i, links, done);
      progress.tick();
    }
  };
  write.on_cases_again = [&] { ++case_array; };
  write.on_entry = [&](JournalEntryIO&& e) {
    if (copy && journal_array == n_journal_arrays) {
      store.copy_journal_entry(to_store(std::move(e)));
    }
  };
  write.on_journal_again = [&] { ++journal_array; };
  InputFile again(path);
  read_json(ctx, o, again, std::string(), nullptr, nullptr, write);
  if (done.ids.size() != file.size()) {
    throw UsageError(fmt::format("{} changed while it was imported; nothing was imported", path));
  }
  write_rest(store, *plan, links, read, done);
  tx.commit();
  progress.finish();
  report(ctx, o, *plan, file.size(), done.events, read.times.size(), links);
  return 0;
}

int run_import(Context& ctx, const ImportOptions& o) {
  const std::string& path = o.path;
  if (o.encoding != "utf-8" && o.encoding != "windows-1252") {
    throw UsageError(
        fmt::format("--encoding: {} is not an encoding casewatch reads; use utf-8 "
                    "or windows-1252",
                    text::quoted(o.encoding)));
  }
  if (o.overwrite_edits && !o.update) {
    throw UsageError(
        "--overwrite-edits goes with --update (it says which values an update replaces)");
  }
  InputFile in(path);
  // One line for the whole import (docs/cli.md, "Progress"): the file read, then the cases
  // written.
  Progress progress(ctx, "Reading " + (path == "-" ? std::string("standard input") : path), "",
                    std::nullopt, ProgressUnit::bytes);
  progress.set_total(in.size());
  std::string head;
  const bool json = starts_json(in, head, progress);
  if (json && !o.update && path != "-") {
    return import_export(ctx, o, in, std::move(head), progress);
  }
  // A CSV (at most k_max_input_bytes), an update, or standard input (read once): held whole.
  std::vector<std::string> warnings;
  ExportRead read = read_input(ctx, o, in, std::move(head), json, warnings, progress);
  bool has_events = std::any_of(read.cases.begin(), read.cases.end(),
                                [](const CaseRecordIO& r) { return !r.events.empty(); });
  if (o.update && has_events) {
    throw UsageError(fmt::format(
        "{}: --update takes a CSV (case fields only); this export carries events, which an "
        "update never changes: import it into a new database, or export the changes as CSV",
        path));
  }
  if (read.journal_error) {
    throw UsageError(fmt::format("{}: {}", path, *read.journal_error));
  }
  std::vector<store::JournalEntry> journal;
  journal.reserve(read.journal.size());
  for (JournalEntryIO& e : read.journal) {
    journal.push_back(to_store(std::move(e)));
  }
  read.journal.clear();
  auto& store = ctx.store();
  // The stored cases, read once: the file's rows are matched against them in memory.
  ImportHow how;
  how.update = o.update;
  how.overwrite_edits = o.overwrite_edits;
  if (o.update && !o.overwrite_edits) {
    how.corrected = corrections(store);
  }
  auto plan = plan_import(std::move(read.cases), store.all_cases(), ctx.as_of(), how);
  if (!plan) {
    refuse(path, plan.error());
  }
  say_warnings(ctx, warnings);
  FileCases file;
  for (const CaseRecordIO& r : plan->added) {
    file.add(r);
  }
  Links links = plan_links(store, file, read, o, ctx.as_of());
  if (o.dry_run) {
    std::size_t n_events = 0;
    for (const CaseRecordIO& r : plan->added) {
      n_events += r.events.size();
    }
    progress.finish();
    report(ctx, o, *plan, plan->added.size(), n_events, read.times.size(), links);
    return 0;
  }
  bool copy = !journal.empty() && !store.last_journal_entry();
  if (!journal.empty() && !copy) {
    say_not_copied(ctx, path, journal.size());
  }
  // The updated cases are written in write_rest, after the added ones.
  const std::size_t n_written = plan->added.size() + plan->updated.size();
  progress.phase("Importing", "cases", n_written);
  auto tx = store.begin_write();
  if (copy) {
    try {
      store.copy_journal(journal);
    } catch (const store::Conflict& e) {
      throw UsageError(fmt::format("{}: {}; nothing was imported", path, e.what()));
    }
  }
  Written done;
  for (std::size_t i = 0; i < plan->added.size(); ++i) {
    write_case(store, plan->added[i], i, links, done);
    progress.tick();
  }
  write_rest(store, *plan, links, read, done);
  progress.set(n_written);
  tx.commit();
  progress.finish();
  report(ctx, o, *plan, plan->added.size(), done.events, read.times.size(), links);
  return 0;
}

}  // namespace

Runner register_import(CLI::App& command) {
  auto o = std::make_shared<ImportOptions>();
  auto* cmd = &command;
  cmd->add_option("FILE", o->path, "A casewatch JSON export or a CSV file ('-': stdin)")
      ->required();
  cmd->add_flag("--update", o->update,
                "Take an updated sheet again: stored cases (matched by receipt) get the "
                "sheet's changed values, new ones are added");
  cmd->add_flag("--dry-run", o->dry_run,
                "Check the file and print what the import would change, writing nothing");
  cmd->add_flag("--overwrite-edits", o->overwrite_edits,
                "With --update: the sheet's values replace those corrected with edit or event "
                "since the last import (which are kept otherwise)");
  cmd->add_option("--encoding", o->encoding,
                  "The file's encoding: utf-8 (the default) or windows-1252 (what Excel on "
                  "Windows saves as plain 'CSV')");
  cmd->footer(
      "The format is told by the content: JSON starts with '{'. A CSV needs a header row with\n"
      "the case field names or the usual ones of a law office (Receipt #, Form Type, Date\n"
      "Received, Client, Notes...), any case, in any order; form, and received (with a\n"
      "receipt) or sent (without), are required. Other columns are named in a warning and not\n"
      "read; empty rows are skipped. Every row is checked before anything is written; each bad\n"
      "row is reported with its line and field, and nothing is imported. With --update a\n"
      "case already stored takes the sheet's non-empty values (an empty cell keeps the stored\n"
      "one; events are never touched); each field changed is printed, and a value corrected\n"
      "with edit or event since the last import stays unless --overwrite-edits. A row whose\n"
      "receipt has come gives it to the stored case of the same form, sent date and label.\n"
      "Text must be UTF-8; a sheet saved by Excel as plain 'CSV' is Windows-1252: give\n"
      "--encoding windows-1252.");
  return [o](Context& ctx) { return run_import(ctx, *o); };
}

}  // namespace casewatch::cli
