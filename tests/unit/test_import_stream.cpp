// SPDX-License-Identifier: MIT
// The JSON export read as a stream (read_export_json): the same records, journal and errors
// whatever the size of the pieces the input comes in.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <istream>
#include <nlohmann/json.hpp>
#include <streambuf>

#include "casewatch/domain/interchange.hpp"
#include "casewatch/util/json_limits.hpp"

namespace casewatch {
namespace {

const Date k_today = make_date(2026, 11, 28);

// Gives `text` `piece` bytes at a time, as a pipe or a slow disk might.
class PieceBuf : public std::streambuf {
 public:
  PieceBuf(std::string text, std::size_t piece) : m_text(std::move(text)), m_piece(piece) {}

 protected:
  int_type underflow() override {
    if (gptr() == egptr()) {
      if (m_at >= m_text.size()) {
        return traits_type::eof();
      }
      std::size_t n = std::min(m_piece, m_text.size() - m_at);
      char* p = m_text.data() + m_at;
      setg(p, p, p + n);
      m_at += n;
    }
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::string m_text;
  std::size_t m_piece;
  std::size_t m_at = 0;
};

Expected<ExportRead> read_in_pieces(const std::string& text, std::size_t piece,
                                    std::vector<std::string>* warnings = nullptr) {
  PieceBuf buf(text, piece);
  std::istream in(&buf);
  return read_export_json(in, k_today, warnings);
}

// The same read handing each case and entry on (ExportSinks), as an import of any size
// reads: what was handed, in order, a "cases" or "journal" given again starting afresh.
struct Handed {
  std::vector<CaseRecordIO> cases;
  std::vector<JournalEntryIO> journal;
  std::size_t cases_again = 0;
};
Expected<ExportRead> read_handed(const std::string& text, std::size_t piece, Handed& out,
                                 std::vector<std::string>* warnings = nullptr) {
  PieceBuf buf(text, piece);
  std::istream in(&buf);
  ExportSinks sinks;
  sinks.on_case = [&](std::size_t i, CaseRecordIO&& r) {
    EXPECT_EQ(i, out.cases.size());
    out.cases.push_back(std::move(r));
  };
  sinks.on_entry = [&](JournalEntryIO&& e) { out.journal.push_back(std::move(e)); };
  sinks.on_cases_again = [&] {
    out.cases.clear();
    ++out.cases_again;
  };
  sinks.on_journal_again = [&] { out.journal.clear(); };
  auto read = read_export_json(in, k_today, warnings, sinks);
  if (read) {
    EXPECT_TRUE(read->cases.empty());
    EXPECT_TRUE(read->journal.empty());
  }
  return read;
}

// Two cases with events, and a journal of two entries whose rows hold what a real one does:
// nested rows with their keys out of order, null, numbers, escapes and non-ASCII text.
const std::string k_cases = R"({
  "format": "casewatch-export",
  "version": 1,
  "cases": [
    {"id": 1, "receipt": "IOE0912345678", "form": "I-485", "category": "131A-FAM",
     "office": "QNS", "received": "2023-05-02", "sent": null, "priority_date": null,
     "premium_start": null, "label": "José \"AOS\"", "note": "two\nlines", "status": "pending",
     "preference": null, "chargeability": null, "path": null,
     "events": [{"n": 1, "kind": "rfe", "date": "2025-01-10", "due": "2025-04-04",
                 "ref": null, "office": null, "note": null},
                {"n": 2, "kind": "transfer", "date": "2025-02-01", "due": null, "ref": null,
                 "office": "NYC", "note": "moved [to] {NYC}"}]},
    {"id": 2, "receipt": "EAC2490012345", "form": "I-765", "category": "c09",
     "received": "2024-06-01", "status": "pending", "events": []},
    {"id": 3, "receipt": null, "form": "N-400", "sent": "2026-03-02", "events": null}
  ])";
const std::string k_journal = R"(,
  "journal": [
    {"id": 1, "at": "2026-11-20T09:14:03Z", "user": "ana", "command": "casewatch import a.csv",
     "changes": [{"table": "cases", "op": "insert", "key": {"id": 1}, "before": null,
                  "after": {"receipt": "IOE0912345678", "form": "I-485", "id": 1,
                            "label": "Jos\u00e9 \"AOS\"", "note": "two\nlines"}},
                 {"table": "events", "op": "insert", "key": {"id": 7}, "before": null,
                  "after": {"seq": 1, "kind": "rfe", "date": "2025-01-10", "weight": 1.5,
                            "big": 18446744073709551615, "neg": -3, "list": [3, "x", true]}}],
     "undoes": null, "prev_hash": "", "hash": "9f2c"},
    {"id": 2, "at": "2026-11-21T10:00:00Z", "user": "ana", "command": "casewatch undo",
     "changes": [], "undoes": 1, "prev_hash": "9f2c", "hash": "17ab"}
  ]
}
)";

// What the store's hash covers for an entry's changes, as the whole-document import made it.
std::string changes_as_before(const std::string& doc, std::size_t entry) {
  auto j = nlohmann::json::parse(doc);
  return j["journal"][entry]["changes"].dump(-1, ' ', false,
                                             nlohmann::json::error_handler_t::replace);
}

TEST(ImportStream, PiecesOfAnySizeGiveTheSameCasesAndJournal) {
  const std::string doc = k_cases + k_journal;
  std::vector<std::string> whole_warnings;
  auto whole = import_cases_json(doc, k_today, &whole_warnings);
  ASSERT_TRUE(whole) << whole.error();
  ASSERT_EQ(whole->size(), 3U);
  const std::string expected_cases = export_json(*whole);
  for (std::size_t piece : {1U, 2U, 7U, 64U, 4096U, 1U << 20U}) {
    SCOPED_TRACE(piece);
    std::vector<std::string> warnings;
    auto read = read_in_pieces(doc, piece, &warnings);
    ASSERT_TRUE(read) << read.error();
    EXPECT_EQ(export_json(read->cases), expected_cases);
    EXPECT_EQ(read->cases[0].events.size(), 2U);
    EXPECT_EQ(read->cases[0].c.label, "José \"AOS\"");
    EXPECT_EQ(read->cases[1].origin, "case 2");
    EXPECT_EQ(warnings, whole_warnings);
    EXPECT_FALSE(read->journal_error);
    ASSERT_EQ(read->journal.size(), 2U);
    const JournalEntryIO& a = read->journal[0];
    EXPECT_EQ(a.id, 1);
    EXPECT_EQ(a.at, "2026-11-20T09:14:03Z");
    EXPECT_EQ(a.user, "ana");
    EXPECT_EQ(a.command, "casewatch import a.csv");
    EXPECT_EQ(a.prev_hash, "");
    EXPECT_EQ(a.hash, "9f2c");
    EXPECT_FALSE(a.undoes);
    // Row by row, the same text as the whole array's: compact, keys sorted.
    EXPECT_EQ(a.changes, changes_as_before(doc, 0));
    EXPECT_TRUE(a.changes.starts_with(R"([{"after":{"form":"I-485","id":1,"label":"José)"))
        << a.changes;
    const JournalEntryIO& b = read->journal[1];
    EXPECT_EQ(b.changes, "[]");
    EXPECT_EQ(b.undoes, 1);
    EXPECT_EQ(b.prev_hash, "9f2c");
  }
  // Handed on instead of kept: the same cases and entries, the same warnings.
  for (std::size_t piece : {1U, 7U, 4096U}) {
    Handed handed;
    std::vector<std::string> warnings;
    auto read = read_handed(doc, piece, handed, &warnings);
    ASSERT_TRUE(read) << read.error();
    EXPECT_EQ(export_json(handed.cases), expected_cases);
    EXPECT_EQ(warnings, whole_warnings);
    ASSERT_EQ(handed.journal.size(), 2U);
    EXPECT_EQ(handed.journal[0].changes, changes_as_before(doc, 0));
    EXPECT_EQ(handed.journal[1].undoes, 1);
  }
  // Without a journal, or with a null one, there is none and nothing is wrong.
  for (const std::string& d : {k_cases + "\n}\n", k_cases + ", \"journal\": null}"}) {
    auto read = read_in_pieces(d, 7);
    ASSERT_TRUE(read) << read.error();
    EXPECT_TRUE(read->journal.empty());
    EXPECT_FALSE(read->journal_error);
  }
}

TEST(ImportStream, JournalErrorsNameTheEntryAndTheField) {
  auto journal_error = [](const std::string& journal) {
    auto read = read_in_pieces(k_cases + ", \"journal\": " + journal + "}", 7);
    EXPECT_TRUE(read) << read.error();
    return read && read->journal_error ? *read->journal_error : std::string("(none)");
  };
  const std::string good =
      R"({"id": 1, "at": "2026-11-20T09:14:03Z", "user": "ana", "command": "c", "changes": [],
          "prev_hash": "", "hash": "9f2c"})";
  EXPECT_EQ(journal_error("{}"), "field journal: expected an array of entries");
  EXPECT_EQ(journal_error("[" + good + ", 5]"),
            "journal entry 2, field (entry): missing or of the wrong type");
  EXPECT_EQ(journal_error(R"([{"id": "1"}])"),
            "journal entry 1, field id: missing or of the wrong type");
  EXPECT_EQ(journal_error(R"([{"id": 1, "at": "x", "user": "u", "command": "c",
                                "prev_hash": "", "changes": []}])"),
            "journal entry 1, field hash: missing or of the wrong type");
  EXPECT_EQ(journal_error(R"([{"id": 1, "at": "x", "user": "u", "command": "c",
                                "prev_hash": "", "hash": "h", "changes": {"a": [1]}}])"),
            "journal entry 1, field changes: missing or of the wrong type");
  EXPECT_EQ(journal_error(R"([{"id": 1, "at": "x", "user": "u", "command": "c",
                                "prev_hash": "", "hash": "h", "changes": [], "undoes": "1"}])"),
            "journal entry 1, field undoes: missing or of the wrong type");
  // The first bad entry is said, not a later one.
  EXPECT_EQ(journal_error("[" + good + R"(, {"id": 2}, {"id": "x"}])"),
            "journal entry 2, field at: missing or of the wrong type");
  // A key given twice counts once, the last, as in the document.
  EXPECT_EQ(journal_error(R"([{"id": 1, "at": "x", "user": "u", "command": "c",
                                "prev_hash": "", "hash": "h", "changes": [{"a": 1}],
                                "changes": 5}])"),
            "journal entry 1, field changes: missing or of the wrong type");
  auto twice =
      read_in_pieces(k_cases + R"(, "journal": [{"id": 1, "at": "x", "user": "u", "command": "c",
         "prev_hash": "", "hash": "h", "changes": 5, "changes": [{"b": 2, "a": 1}]}]})",
                     3);
  ASSERT_TRUE(twice) << twice.error();
  ASSERT_EQ(twice->journal.size(), 1U);
  EXPECT_EQ(twice->journal[0].changes, R"([{"a":1,"b":2}])");
}

// Each bad export gives the same message in pieces as whole, and the message the import
// always gave: nesting first, then syntax anywhere, then the document, then the first case.
TEST(ImportStream, ErrorsAreTheSameInPiecesAndKeepTheirOrder) {
  struct Bad {
    std::string text;
    std::string error;
  };
  const std::string head = R"({"format": "casewatch-export", "version": 1, "cases": [)";
  const std::string bad_case = R"({"receipt": "IOE0912345678", "form": "I-485",
      "received": "2023-05-32"})";
  const std::string good_case =
      R"({"receipt": "EAC2490012345", "form": "I-765", "received": "2024-06-01"})";
  for (const Bad& b : {
           Bad{head + good_case + "]} trailing",
               "not valid JSON at byte 132: parse error at line 1, column 132: syntax error while "
               "parsing value - invalid literal"},
           // A syntax error after a bad case: the syntax error is said.
           Bad{head + bad_case + ", " + good_case + "]",
               "not valid JSON at byte 207: parse error at line 2, column 106: syntax error while "
               "parsing object - unexpected end of input; expected '}'"},
           // Nesting too deep after a syntax error: the nesting is said.
           Bad{head + good_case + ", oops, " + std::string(70, '[') + "]}",
               "not a JSON document casewatch reads: arrays and objects nest more than 64 deep "
               "(line 1); casewatch reads at most 64 levels"},
           // The parser ends at a NUL byte; nesting too deep after it is still said.
           Bad{std::string("\"text\"\0\0 ", 9) + std::string(70, '{'),
               "not a JSON document casewatch reads: arrays and objects nest more than 64 deep"},
           // Brackets in strings and escaped quotes do not count, wherever a piece ends.
           Bad{head + R"({"receipt": "IOE0912345678", "form": "I-485", "received": "2023-05-02",
                "note": "\")" +
                   std::string(70, '[') + R"(\\"}, )" + bad_case + "]}",
               "case 2 (IOE0912345678), field received: '2023-05-32'"},
           Bad{head + "\n" + good_case + ",\n" + bad_case + "]}",
               "case 2 (IOE0912345678), field received: '2023-05-32'"},
           // The document's fields come before its cases, wherever they are.
           Bad{R"({"cases": [)" + bad_case + R"(], "format": "casewatch-export", "version": 2})",
               "field version: expected the whole number 1 (the export version this casewatch "
               "reads), got 2"},
           Bad{R"({"cases": [)" + good_case + R"(], "version": 1})",
               "not a casewatch export: the document needs \"format\": \"casewatch-export\""},
           Bad{head + good_case + ", " + good_case + "]}",
               "case 2, field receipt: EAC2490012345 appears twice (also case 1)"},
           Bad{head + good_case + R"(, [1], 5]})", "case 2: expected an object, got [1]"},
           // "cases" twice: the last one counts, as in the document.
           Bad{head + bad_case + R"(], "cases": {"a": [1]}})",
               "field cases: expected an array of cases, got {\"a\":[1]}"},
           Bad{head + "\"Jos\xe9\"]}",
               "not valid JSON at byte 61: parse error at line 1, column 61: syntax error while "
               "parsing value - invalid string: ill-formed UTF-8 byte"},
       }) {
    SCOPED_TRACE(b.text);
    auto whole = import_cases_json(b.text, k_today);
    ASSERT_FALSE(whole);
    EXPECT_NE(whole.error().find(b.error), std::string::npos) << whole.error();
    for (std::size_t piece : {1U, 7U, 4096U}) {
      auto read = read_in_pieces(b.text, piece);
      ASSERT_FALSE(read);
      EXPECT_EQ(read.error(), whole.error()) << piece;
      Handed handed;
      auto streamed = read_handed(b.text, piece, handed);
      ASSERT_FALSE(streamed);
      EXPECT_EQ(streamed.error(), whole.error()) << piece;
    }
  }
  // A receipt given twice is found as the cases come, the first time it is given again.
  Handed twice;
  auto again = read_handed(head + good_case + ", " + good_case + ", " + good_case + "]}", 3, twice);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error(), "case 2, field receipt: EAC2490012345 appears twice (also case 1)");
  // With the duplicate "cases", the first array's bad case does not count.
  auto last_wins = read_in_pieces(head + bad_case + R"(], "cases": [)" + good_case + "]}", 5);
  ASSERT_TRUE(last_wins) << last_wins.error();
  ASSERT_EQ(last_wins->cases.size(), 1U);
  EXPECT_EQ(last_wins->cases[0].c.receipt, "EAC2490012345");
  Handed handed;
  ASSERT_TRUE(read_handed(head + good_case + R"(], "cases": [)" + good_case + "]}", 5, handed));
  EXPECT_EQ(handed.cases_again, 1U);
  ASSERT_EQ(handed.cases.size(), 1U);  // a receipt in both arrays is not given twice
  EXPECT_EQ(handed.cases[0].c.receipt, "EAC2490012345");
}

TEST(ImportStream, DepthScanInPiecesCountsAsTheWholeText) {
  const std::string text =
      "{\n\"note\": \"a \\\" [[ \\\\\",\n\"x\": " + std::string(64, '[') + "\n" + "[" + "]";
  auto whole = json_limits::depth_problem(text);
  ASSERT_TRUE(whole);
  EXPECT_EQ(*whole,
            "arrays and objects nest more than 64 deep (line 3); casewatch reads at most 64 "
            "levels");
  for (std::size_t piece = 1; piece < 9; ++piece) {
    json_limits::DepthScan scan;
    bool ok = true;
    for (std::size_t at = 0; at < text.size() && ok; at += piece) {
      ok = scan.feed(std::string_view(text).substr(at, piece));
    }
    EXPECT_FALSE(ok);
    EXPECT_EQ(scan.problem(), whole) << piece;
  }
  json_limits::DepthScan fine;
  EXPECT_TRUE(fine.feed(R"({"cases": [{"events": [{}]}]})"));
  EXPECT_EQ(fine.depth(), 5U);
  EXPECT_FALSE(fine.problem());
}

// Issue 21, item 2: an array of objects the reader keeps was quadratic (the parser looked
// through the whole array at each object's end): an unknown field holding 500,000 objects
// (1.5 MB) took minutes, and so did a case with very many events. Now each is read once.
TEST(ImportStream, ManyObjectsInAKeptArrayAreReadInOnePass) {
  std::string unknown = R"({"format": "casewatch-export", "version": 1, "extra": [)";
  for (int i = 0; i < 500'000; ++i) {
    unknown += i == 0 ? "{}" : ",{}";
  }
  unknown += R"(], "cases": [{"receipt": "IOE0912345678", "form": "I-485", )"
             R"("received": "2020-01-02", "x": [)";
  for (int i = 0; i < 300'000; ++i) {
    unknown += i == 0 ? R"({"a": 1})" : R"(,{"a": 1})";
  }
  unknown += "]}]}";
  auto read = read_in_pieces(unknown, 4096);
  ASSERT_TRUE(read) << read.error();
  ASSERT_EQ(read->cases.size(), 1U);
  EXPECT_EQ(read->cases[0].c.receipt, "IOE0912345678");

  const std::size_t n = 30'000;
  std::string events =
      R"({"format": "casewatch-export", "version": 1, "cases": [)"
      R"({"receipt": "IOE0912345678", "form": "I-485", "received": "2020-01-02", "events": [)";
  for (std::size_t i = 1; i <= n; ++i) {
    events += fmt::format(R"({}{{"n": {}, "kind": "note", "date": "2021-01-01", "note": "{}"}})",
                          i == 1 ? "" : ",", i, i);
  }
  events += "]}]}";
  auto many = read_in_pieces(events, 65536);
  ASSERT_TRUE(many) << many.error();
  ASSERT_EQ(many->cases.size(), 1U);
  ASSERT_EQ(many->cases[0].events.size(), n);
  EXPECT_EQ(many->cases[0].events.back().seq, static_cast<std::int64_t>(n));
  // A number given twice still names the first event that has it.
  std::string twice = events;
  twice.replace(twice.rfind(R"("n": )"), 5 + std::to_string(n).size(), R"("n": 7)");
  auto again = read_in_pieces(twice, 65536);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error(), fmt::format("case 1 (IOE0912345678), event {}, field n: event 7 has "
                                       "the number 7 too",
                                       n));
}

// Object members given twice keep the place of the first and the value of the last, in
// small objects and in big ones alike (the rows of a journal entry's changes show it).
TEST(ImportStream, AKeyGivenTwiceKeepsTheLastValueInBigObjectsToo) {
  std::string row = "{";
  for (int i = 0; i < 40; ++i) {
    row += fmt::format(R"("k{}": {}, )", i, i);
  }
  row += R"("k3": "again", "k39": [1, {"b": 2, "a": 1, "b": 3}]})";
  const std::string doc =
      R"({"format": "casewatch-export", "version": 1, "cases": [], "journal": [)"
      R"({"id": 1, "at": "2026-11-20T09:14:03Z", "user": "ana", "command": "c", "changes": [)" +
      row + R"(], "undoes": null, "prev_hash": "", "hash": "9f2c"}]})";
  for (std::size_t piece : {1U, 7U, 4096U}) {
    auto read = read_in_pieces(doc, piece);
    ASSERT_TRUE(read) << read.error();
    ASSERT_EQ(read->journal.size(), 1U);
    EXPECT_EQ(read->journal[0].changes, changes_as_before(doc, 0)) << piece;
  }
}

}  // namespace
}  // namespace casewatch
