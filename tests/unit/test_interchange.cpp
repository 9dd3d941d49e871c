// SPDX-License-Identifier: MIT
#include "casewatch/domain/interchange.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace casewatch
