// SPDX-License-Identifier: MIT
#include "casewatch/domain/interchange.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "casewatch/util/json_limits.hpp"

namespace casewatch {
namespace {

const Date k_today = make_date(2026, 11, 27);

std::vector<CaseRecordIO> sample() {
  CaseRecordIO a;
  a.c.id = 1;
  a.c.receipt = "IOE0912345678";
  a.c.form = "I-485";
  a.c.category = "131A-FAM";
  a.c.office = "QNS";
  a.c.received = make_date(2023, 5, 2);
  a.c.label = "Ana, \"AOS\"";
  a.c.note = "two\nlines; and a, comma";
  Event e;
  e.kind = EventKind::e_request;
  e.date = make_date(2025, 1, 10);
  e.ref = "SRMT123456";
  Event t;
  t.kind = EventKind::transfer;
  t.date = make_date(2025, 2, 1);
  t.office = "NYC";
  a.events = {e, t};
  CaseRecordIO b;
  b.c.id = 2;
  b.c.form = "I-130";
  b.c.sent = make_date(2026, 3, 2);
  b.c.status = Status::closed;
  return {a, b};
}

TEST(Interchange, JsonRoundTripsEveryFieldAndEvent) {
  std::string text = export_json(sample());
  auto back = import_cases_json(text, k_today);
  ASSERT_TRUE(back) << back.error();
  ASSERT_EQ(back->size(), 2U);
  // Ids are not read back, so give the same ones to compare the text.
  auto cases = *back;
  cases[0].c.id = 1;
  cases[1].c.id = 2;
  EXPECT_EQ(export_json(cases), text);
  EXPECT_EQ((*back)[0].events[1].office, "NYC");
  EXPECT_EQ((*back)[1].c.status, Status::closed);
}

TEST(Interchange, CsvRoundTripsTheCaseFields) {
  std::string text = export_csv(sample());
  EXPECT_TRUE(text.starts_with(std::string(k_case_csv_header) + "\n"));
  auto back = import_cases_csv(text, k_today);
  ASSERT_TRUE(back) << back.error();
  auto cases = *back;
  cases[0].c.id = 1;
  cases[1].c.id = 2;
  EXPECT_EQ(export_csv(cases), text);
  EXPECT_EQ((*back)[0].c.note, "two\nlines; and a, comma");
}

TEST(Interchange, CsvColumnsInAnyOrderAndMissingOptionalOnes) {
  auto r =
      import_cases_csv("label,received,form,receipt\nAna,5/2/2023,i485,ioe-0912345678\n", k_today);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ((*r)[0].c.form, "I-485");
  EXPECT_EQ((*r)[0].c.receipt, "IOE0912345678");
  EXPECT_EQ((*r)[0].c.received, make_date(2023, 5, 2));
  EXPECT_EQ((*r)[0].c.status, Status::pending);
}

TEST(Interchange, ErrorsNameTheLineAndTheField) {
  struct Row {
    const char* text;
    const char* error_start;
  };
  for (const Row& row : {
           Row{"receipt,form,received\nIOE0912345678,I-485,2023-05-02\nIOE0912345679,I-485,"
               "2025-02-30\n",
               "line 3, field received: '2025-02-30' is not a valid date"},
           Row{"receipt,form,received\nIOE091234567,I-485,2023-05-02\n",
               "line 2, field receipt: 'IOE091234567' is not a receipt number"},
           Row{"receipt,form,received\nIOE0912345678,I-485,2027-01-01\n",
               "line 2, field received: 2027-01-01 is after today (2026-11-27)"},
           Row{"receipt,received\nIOE0912345678,2023-05-02\n",
               "line 1: the header has no column 'form'"},
           Row{"receipt,form\nIOE0912345678,I-485\n",
               "line 2, field received: the value is missing"},
           Row{"receipt,form,received,status\nIOE0912345678,I-485,2023-05-02,lost\n",
               "line 2, field status: 'lost' is not a status"},
           Row{"receipt,form,received\nIOE0912345678,I-485,2023-05-02\nIOE0912345678,N-400,"
               "2023-05-02\n",
               "line 3, field receipt: IOE0912345678 appears twice (also line 2)"},
       }) {
    auto r = import_cases_csv(row.text, k_today);
    ASSERT_FALSE(r) << row.text;
    EXPECT_TRUE(r.error().starts_with(row.error_start)) << r.error();
  }
}

TEST(Interchange, JsonErrorsNameTheCaseAndTheField) {
  auto bad_event = import_cases_json(
      R"({"format": "casewatch-export", "version": 1, "cases": [{"receipt": "IOE0912345678",
          "form": "I-485", "received": "2023-05-02", "events": [{"kind": "erfe",
          "date": "2025-01-10"}]}]})",
      k_today);
  ASSERT_FALSE(bad_event);
  EXPECT_TRUE(bad_event.error().starts_with(
      "case 1 (IOE0912345678), event 1, field kind: 'erfe' is not an event kind"))
      << bad_event.error();
  auto not_export = import_cases_json(R"({"cases": []})", k_today);
  ASSERT_FALSE(not_export);
  EXPECT_NE(not_export.error().find("not a casewatch export"), std::string::npos);
  EXPECT_FALSE(import_cases_json("{oops", k_today));
  // import_cases tells JSON from CSV by content.
  EXPECT_TRUE(import_cases(" \n" + export_json(sample()), k_today));
  EXPECT_TRUE(import_cases(export_csv(sample()), k_today));
}

TEST(JsonLimits, CountsNestingOutsideStrings) {
  EXPECT_EQ(json_limits::json_depth(R"({"cases": [{"events": [{}]}]})"), 5U);
  EXPECT_EQ(json_limits::json_depth(R"({"note": "[[[{{{\"[[["})"), 1U);
  EXPECT_EQ(json_limits::json_depth("plain text"), 0U);
  EXPECT_FALSE(json_limits::depth_problem(std::string(64, '[')));
  auto p = json_limits::depth_problem("{\n\"a\":" + std::string(65, '['));
  ASSERT_TRUE(p);
  EXPECT_EQ(*p,
            "arrays and objects nest more than 64 deep (line 2); casewatch reads at most 64 "
            "levels");
}

TEST(Interchange, RefusesDeepNestingBeforeParsing) {
  // 75,000 levels in a 150 KB file used to overflow the stack (SIGSEGV).
  std::string deep = R"({"format": "casewatch-export", "version": 1, "cases": )" +
                     std::string(75000, '[') + std::string(75000, ']') + "}";
  auto r = import_cases(deep, k_today);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("more than 64 deep"), std::string::npos) << r.error();
}

TEST(Interchange, JsonWrongTypesNameTheCaseTheFieldAndWhatIsExpected) {
  auto doc = [](const std::string& top, const std::string& case2) {
    return R"({"format": "casewatch-export", )" + top + R"(, "cases": [
        {"receipt": "EAC2490012345", "form": "I-765", "received": "2024-06-01"},
        {"receipt": "IOE0912345678", "form": "I-485", )" +
           case2 + "}]}";
  };
  const std::string v1 = R"("version": 1)";
  const std::string rec = R"("received": "2023-05-02")";
  struct Case {
    std::string text;
    const char* error;
  };
  for (
      const Case& c : {
          Case{doc(R"("version": "1")", rec),
               "field version: expected the whole number 1 (the export version this "
               "casewatch reads), got \"1\""},
          Case{doc(R"("version": 4.4e64)", rec), "field version: expected the whole number 1"},
          Case{doc(R"("version": 1.0)", rec), "got 1.0"},
          Case{doc(R"("version": true)", rec), "got true"},
          Case{doc(R"("version": 1e400)", rec), "not valid JSON"},
          Case{R"({"format": 1, "version": 1, "cases": []})",
               "not a casewatch export: the document needs \"format\": \"casewatch-export\", "
               "got 1"},
          Case{doc(v1, R"("received": 20230502)"),
               "case 2 (IOE0912345678), field received: expected a date as text "
               "(\"2024-10-18\") or null, got 20230502"},
          Case{doc(v1, R"("received": true)"), "case 2 (IOE0912345678), field received:"},
          Case{doc(v1, rec + R"(, "label": 1.9)"),
               "case 2 (IOE0912345678), field label: expected text or null, got 1.9"},
          Case{doc(v1, rec + R"(, "note": {"a": 1})"),
               "case 2 (IOE0912345678), field note: expected text or null, got {\"a\":1}"},
          Case{doc(v1, rec + R"(, "events": 5)"),
               "case 2 (IOE0912345678), field events: expected an array of events, got 5"},
          Case{doc(v1, rec + R"(, "events": [[1]])"),
               "case 2 (IOE0912345678), event 1, field event: expected an object, got [1]"},
          Case{doc(v1, rec + R"(, "events": [{"kind": 3, "date": "2025-01-10"}])"),
               "case 2 (IOE0912345678), event 1, field kind: expected an event kind as text"},
          Case{doc(v1, rec + R"(, "events": [{"kind": "rfe", "date": ["2025-01-10"]}])"),
               "case 2 (IOE0912345678), event 1, field date: expected a date as text"},
          Case{doc(v1, rec + R"(, "label": "Ana\u001b[31m")"),
               "case 2 (IOE0912345678), field label: the value 'Ana\\x1b[31m' holds a control "
               "character (U+001B)"},
          Case{doc(v1, rec + R"(, "label": "two\nlines")"),
               "case 2 (IOE0912345678), field label: the value 'two\\nlines' holds a control "
               "character (U+000A)"},
          Case{
              doc(v1,
                  rec +
                      R"(, "events": [{"kind": "rfe", "date": "2025-01-10", "ref": "a\tb\u0007"}])"),
              "case 2 (IOE0912345678), event 1, field ref: the value 'a\\tb\\x07' holds a control "
              "character (U+0007)"},
          Case{R"({"format": "casewatch-export", "version": 1, "cases": [{"receipt": 5}]})",
               "case 1, field receipt: expected text or null, got 5"},
          Case{R"({"format": "casewatch-export", "version": 1, "cases": {}})",
               "field cases: expected an array of cases, got {}"},
      }) {
    auto r = import_cases_json(c.text, k_today);
    ASSERT_FALSE(r) << c.text;
    EXPECT_NE(r.error().find(c.error), std::string::npos) << r.error();
  }
  // A multi-line note is fine, in a case and in an event.
  auto ok =
      import_cases_json(doc(v1, rec + R"(, "note": "line one\nline two", "events": [{"kind": "note",
          "date": "2025-01-10", "note": "called\r\nno answer"}])"),
                        k_today);
  ASSERT_TRUE(ok) << ok.error();
  EXPECT_EQ((*ok)[1].c.note, "line one\nline two");
}

TEST(Interchange, CsvRefusesTextThatIsNotUtf8WithTheEncodingHint) {
  auto r = import_cases_csv(
      "receipt,form,received,label\nEAC2490012345,I-765,2024-06-01,Ana\n"
      "IOE0912345678,I-485,2023-05-02,Jos\xe9\n",
      k_today);
  ASSERT_FALSE(r);
  EXPECT_EQ(
      r.error(),
      "line 3, field label: the value 'Jos\\xe9' is not UTF-8 text (byte 0xE9 at position 4); save "
      "the sheet as 'CSV UTF-8', or import it with --encoding windows-1252");
  auto control = import_cases_csv(
      "receipt,form,received,office\nIOE0912345678,I-485,2023-05-02,\"QN\nS\"\n", k_today);
  ASSERT_FALSE(control);
  EXPECT_TRUE(
      control.error().starts_with("line 2, field office: the value 'QN\\nS' holds a control"))
      << control.error();
  // Bytes in a column casewatch does not read do not matter; a BOM is skipped.
  auto ignored = import_cases_csv(
      "\xEF\xBB\xBFreceipt,form,received,comment\nIOE0912345678,I-485,2023-05-02,\xff\n", k_today);
  ASSERT_TRUE(ignored) << ignored.error();
  EXPECT_EQ((*ignored)[0].c.receipt, "IOE0912345678");
}

// A sheet as a law office exports it from Excel: its own header names in any case, a BOM,
// CRLF, dates as on notices and as Excel writes them, columns casewatch does not read, and
// the empty row at the end.
TEST(Interchange, CsvTakesASpreadsheetAsItComes) {
  std::vector<std::string> warnings;
  auto r = import_cases_csv(
      "\xEF\xBB\xBF"
      "Client,RECEIPT #,Form Type,Category,Office,Date Received,Priority Date,Notes,Attorney\r\n"
      "Ana Lima,IOE0912345678,I-485,131A-FAM,QNS,4/5/2023,2019-03-01 00:00:00,RFE answered,JK\r\n"
      "Bo Chen,EAC2490012345,I-765,147-C9,,2024-06-01 00:00:00,,,JK\r\n"
      ",,,,,,,,\r\n",
      k_today, &warnings);
  ASSERT_TRUE(r) << r.error();
  ASSERT_EQ(r->size(), 2U);
  const Case& a = (*r)[0].c;
  EXPECT_EQ(a.label, "Ana Lima");
  EXPECT_EQ(a.receipt, "IOE0912345678");
  EXPECT_EQ(a.form, "I-485");
  EXPECT_EQ(a.office, "QNS");
  EXPECT_EQ(a.received, make_date(2023, 4, 5));
  EXPECT_EQ(a.priority_date, make_date(2019, 3, 1));
  EXPECT_EQ(a.note, "RFE answered");
  EXPECT_EQ((*r)[1].c.received, make_date(2024, 6, 1));
  EXPECT_EQ((*r)[1].c.office, std::nullopt);
  ASSERT_FALSE(warnings.empty());
  EXPECT_EQ(warnings.front(),
            "the column 'Attorney' not imported: casewatch has no field for it (the columns it "
            "reads: receipt,form,category,office,received,sent,priority_date,premium_start,label,"
            "note,status,preference,chargeability,path,holder,marriage_track,married,"
            "spouse_citizen_since,form_known)");
}

TEST(Interchange, CsvHeadersMatchIgnoringCaseAndPunctuation) {
  EXPECT_EQ(csv_header_field("Receipt Number"), "receipt");
  EXPECT_EQ(csv_header_field(" receipt_number "), "receipt");
  EXPECT_EQ(csv_header_field("DATE RECEIVED"), "received");
  EXPECT_EQ(csv_header_field("Received Date"), "received");
  EXPECT_EQ(csv_header_field("priority_date"), "priority_date");
  EXPECT_EQ(csv_header_field("Beneficiary"), "label");
  EXPECT_EQ(csv_header_field("Name"), "label");
  EXPECT_EQ(csv_header_field("Attorney"), std::nullopt);
  EXPECT_EQ(csv_header_field(""), std::nullopt);
  // Two columns for one field: the sheet is refused rather than one silently dropped.
  auto two = import_cases_csv("Client,Name,Form,Sent\nAna,Ana Lima,I-130,2026-03-02\n", k_today);
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error(),
            "line 1: the columns 'Client' and 'Name' both give the label; keep one, or rename the "
            "other");
}

TEST(Interchange, CsvReportsEveryBadRowThenCountsThem) {
  auto r = import_cases_csv(
      "receipt,form,received\n"
      "IOE0912345678,I-485,2023-05-02\n"
      "IOE091234567,I-485,2023-05-02\n"
      "IOE0912345679,I-485,2025-02-30\n"
      "IOE0912345670,,2023-05-02\n",
      k_today);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(),
            "line 3, field receipt: 'IOE091234567' is not a receipt number; a receipt number is 3 "
            "letters and 10 digits, as on the I-797 notice (e.g. IOE0912345678)\n"
            "line 4, field received: '2025-02-30' is not a valid date; use YYYY-MM-DD, "
            "MM/DD/YYYY (month first, as on USCIS notices), 'Month D, YYYY', 'today' or "
            "'yesterday'\n"
            "line 5, field form: the value is missing; every case needs its form (e.g. I-485)\n"
            "3 rows are not valid; nothing was imported");
  // Past the limit, the rest are counted (60 errors, each its own: the same error of several
  // rows is said once).
  std::string many = "receipt,form,received\n";
  for (int i = 0; i < 60; ++i) {
    many += fmt::format("IOE09{:08},I-485,20{:02}-02-30\n", i, i);
  }
  auto m = import_cases_csv(many, k_today);
  ASSERT_FALSE(m);
  EXPECT_EQ(std::count(m.error().begin(), m.error().end(), '\n'), 50);
  EXPECT_TRUE(
      m.error().ends_with("\n60 rows are not valid (10 more not listed); nothing was "
                          "imported"))
      << m.error();
}

TEST(Interchange, PlanImportAddsUpdatesAndCountsUnchanged) {
  Case stored_a;
  stored_a.id = 7;
  stored_a.receipt = "IOE0912345678";
  stored_a.form = "I-485";
  stored_a.office = "QNS";
  stored_a.received = make_date(2023, 4, 5);
  stored_a.label = "Ana Lima";
  stored_a.note = "kept";
  Case stored_b = stored_a;
  stored_b.id = 8;
  stored_b.receipt = "IOE0912345679";
  auto read = import_cases_csv(
      "receipt,form,office,received,label,note\n"
      "IOE0912345678,I-485,NYC,4/5/2023,Ana Lima,\n"      // office changed, note empty: kept
      "IOE0912345679,I-485,QNS,4/5/2023,Ana Lima,kept\n"  // the same
      "EAC2490012345,I-765,,2024-06-01,Bo Chen,\n",       // new
      k_today);
  ASSERT_TRUE(read) << read.error();
  auto refused = plan_import(*read, {stored_a, stored_b}, k_today, ImportHow{});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(),
            "line 2, field receipt: case IOE0912345678 is already in the database (#7)\n"
            "line 3, field receipt: case IOE0912345679 is already in the database (#8)\n"
            "2 cases are already in the database; nothing was imported; to take the file's "
            "changes to the stored cases, import it with --update");
  ImportHow update;
  update.update = true;
  auto plan = plan_import(*read, {stored_a, stored_b}, k_today, update);
  ASSERT_TRUE(plan) << plan.error();
  ASSERT_EQ(plan->added.size(), 1U);
  EXPECT_EQ(plan->added[0].c.receipt, "EAC2490012345");
  ASSERT_EQ(plan->updated.size(), 1U);
  EXPECT_EQ(plan->updated[0].id, 7);
  EXPECT_EQ(plan->updated[0].office, "NYC");
  EXPECT_EQ(plan->updated[0].note, "kept");
  EXPECT_EQ(plan->unchanged, 1U);
}

// issue #26: a field corrected since the last import keeps its value unless told otherwise,
// and each field changed or kept is said.
TEST(Interchange, PlanImportKeepsACorrection) {
  Case stored;
  stored.id = 12;
  stored.receipt = "IOE0912345678";
  stored.form = "I-485";
  stored.category = "131A-FAM";
  stored.received = make_date(2023, 4, 5);
  stored.label = "Ana";
  auto read = import_cases_csv(
      "receipt,form,category,received,label,note\n"
      "IOE0912345678,I-485,131A-HRIFA,4/5/2023,Ana,new note\n",
      k_today);
  ASSERT_TRUE(read) << read.error();
  ImportHow how;
  how.update = true;
  how.corrected[12]["category"] = "'edit' on 2026-11-20";
  auto plan = plan_import(*read, {stored}, k_today, how);
  ASSERT_TRUE(plan) << plan.error();
  ASSERT_EQ(plan->updated.size(), 1U);
  EXPECT_EQ(plan->updated[0].category, "131A-FAM");
  EXPECT_EQ(plan->updated[0].note, "new note");
  ASSERT_EQ(plan->changes.size(), 2U);
  EXPECT_EQ(plan->changes[0].who, "#12 Ana");
  EXPECT_EQ(plan->changes[0].field, "category");
  EXPECT_TRUE(plan->changes[0].kept);
  EXPECT_EQ(plan->changes[0].corrected_by, "'edit' on 2026-11-20");
  EXPECT_EQ(plan->changes[1].field, "note");
  EXPECT_EQ(plan->changes[1].from, "");
  EXPECT_FALSE(plan->changes[1].kept);
  how.overwrite_edits = true;
  auto over = plan_import(*read, {stored}, k_today, how);
  ASSERT_TRUE(over) << over.error();
  EXPECT_EQ(over->updated[0].category, "131A-HRIFA");
}

}  // namespace
}  // namespace casewatch
