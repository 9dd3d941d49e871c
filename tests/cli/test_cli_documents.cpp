// SPDX-License-Identifier: MIT
// `doc` and `trip` (docs/cli.md): documents a person holds and trips abroad, their findings,
// the refusal of bad input (exit 2, the value named, nothing written), undo, and the link an
// `add` makes to the holder's document.
#include <fstream>

#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

class CliDocuments : public Cli {
 protected:
  std::size_t rows(const std::string& table) {
    SQLite::Database db(m_db.string());
    return static_cast<std::size_t>(db.execAndGet("SELECT count(*) FROM " + table).getInt64());
  }
};

TEST_F(CliDocuments, AddListShowEditRemove) {
  // Today is 2026-11-28: the conditional resident's window opens 2026-12-10.
  Result add =
      run({"doc", "add", "conditional-green-card", "--since", "2025-03-10", "--holder", "Ana"});
  ASSERT_EQ(add.code, 0) << add.err;
  EXPECT_NE(add.out.find("Added d1: conditional-green-card, since 2025-03-10, holder \"Ana\""),
            std::string::npos)
      << add.out;
  EXPECT_NE(add.out.find("You may file Form I-751 from 2026-12-10"), std::string::npos) << add.out;
  Result ead = run(
      {"doc", "add", "ead", "--category", "(c)(9)", "--expires", "2026-05-20", "--holder", "Ana"});
  ASSERT_EQ(ead.code, 0) << ead.err;
  Result list = run({"doc", "list"});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("d2    ead (c)(9)"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("urgent: Work permit (c)(9) expired on 2026-05-20"), std::string::npos)
      << list.out;
  Result show = run({"--json", "doc", "show", "d1"});
  ASSERT_EQ(show.code, 0) << show.err;
  json j = json::parse(show.out);
  EXPECT_EQ(j["document"]["id"], "d1");
  EXPECT_EQ(j["document"]["findings"][0]["rule"], "i751-window");
  EXPECT_EQ(j["document"]["findings"][0]["document_id"], "d1");
  EXPECT_EQ(j["document"]["findings"][0]["stage"], "before");
  EXPECT_EQ(j["document"]["next"][0]["on"], "2026-12-10");
  EXPECT_EQ(j["document"]["next"][1]["on"], "2027-03-10");
  // As of the window's first day.
  Result open = run({"--as-of", "2026-12-10", "doc", "show", "d1"});
  EXPECT_NE(open.out.find("[action] File Form I-751: the 90-day window is open until 2027-03-10"),
            std::string::npos)
      << open.out;
  ASSERT_EQ(run({"doc", "edit", "d2", "--expires", "2027-05-20"}).code, 0);
  EXPECT_NE(run({"doc", "show", "d2"}).out.find("expires 2027-05-20"), std::string::npos);
  ASSERT_EQ(run({"doc", "rm", "d2"}).code, 0);
  EXPECT_EQ(rows("documents"), 1U);
  ASSERT_EQ(run({"undo"}).code, 0);
  EXPECT_EQ(rows("documents"), 2U);
}

// Documents and trips go with a whole JSON export; a CSV or a --match export says once on
// stderr that it leaves them out; an import checks them before writing anything, and
// --update leaves a document stored already as it is (docs/cli.md, `export`, `import`).
TEST_F(CliDocuments, AnExportCarriesDocumentsAndTrips) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--received", "2024-01-02"}).code, 0);
  Result none = run({"export", "--format", "csv"});
  ASSERT_EQ(none.code, 0) << none.err;
  EXPECT_EQ(none.err, "");
  ASSERT_EQ(run({"doc", "add", "green-card", "--since", "2022-01-15", "--expires", "2032-01-15",
                 "--holder", "Ana"})
                .code,
            0);
  ASSERT_EQ(
      run({"trip", "add", "--holder", "Ana", "--left", "2024-04-01", "--returned", "2024-05-01"})
          .code,
      0);
  Result csv = run({"export", "--format", "csv"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(csv.err,
            "casewatch: warning: documents and trips go only with --format json; this CSV leaves "
            "out the 1 document and 1 trip of this database\n");
  Result matched = run({"export", "--match", "nobody"});
  EXPECT_NE(matched.err.find("documents and trips go with a whole export"), std::string::npos)
      << matched.err;
  Result both = run({"export"});
  ASSERT_EQ(both.code, 0) << both.err;
  EXPECT_EQ(both.err, "");
  fs::path file = m_dir / "export.json";
  std::ofstream(file, std::ios::binary) << both.out;
  // Into this database again: the same document is refused, nothing written.
  std::string before = dump();
  Result again = run({"import", file.string()});
  EXPECT_EQ(again.code, 2);
  EXPECT_EQ(dump(), before);
  // --update leaves it as it is (a JSON with events is refused by --update: this one has none).
  Result update = run({"import", "--update", file.string()});
  ASSERT_EQ(update.code, 0) << update.err;
  EXPECT_NE(update.out.find("Added 0 documents and 0 trips (2 stored already"), std::string::npos)
      << update.out;
  EXPECT_EQ(rows("documents"), 1U);
  EXPECT_EQ(rows("trips"), 1U);
  // A bad document in a file: exit 2 naming it, nothing written.
  std::string text = both.out;
  const std::string expires = "\"expires\": \"2032-01-15\"";
  text.replace(text.find(expires), expires.size(), "\"expires\": \"2020-01-15\"");
  const std::string other = "CASEWATCH_DB=" + (m_dir / "other.db").string();
  std::ofstream(m_dir / "bad.json", std::ios::binary) << text;
  Result bad = run({"import", (m_dir / "bad.json").string()}, {other});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("document 1, "), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("2020-01-15"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(m_dir / "other.db") &&
               run({"list"}, {other}).out.find("IOE0912345678") != std::string::npos);
}

TEST_F(CliDocuments, BadInputIsRefusedNamingTheValueAndWritesNothing) {
  ASSERT_EQ(run({"doc", "add", "green-card", "--since", "2022-01-15", "--holder", "Ana"}).code, 0);
  std::size_t journal = rows("journal");
  struct Bad {
    std::vector<std::string> args;
    std::string says;
  };
  const Bad bad[] = {
      {{"doc", "add", "ead", "--category", "c99", "--expires", "2027-01-01"},
       "--category: 'c99' is not an EAD category of 8 CFR 274a.12 (did you mean C09 (c)(9)"},
      {{"doc", "add", "ead", "--since", "2026-06-01", "--expires", "2026-05-31"},
       "--expires: 2026-05-31 is before --since 2026-06-01"},
      {{"doc", "add", "conditional-green-card", "--since", "2025-03-10", "--expires", "2027-03-11"},
       "--expires: 2027-03-11 is more than 2 years after --since 2025-03-10"},
      {{"doc", "add", "passport", "--since", "2020-01-01"}, "'passport' is not a document kind"},
      {{"doc", "edit", "d9", "--expires", "2027-01-01"}, "there is no document d9"},
      {{"trip", "add", "--holder", "Ana", "--left", "2025-08-01", "--returned", "2025-07-01"},
       "--returned: 2025-07-01 is before --left 2025-08-01"},
  };
  for (const Bad& b : bad) {
    Result r = run(b.args);
    EXPECT_EQ(r.code, 2) << b.args[2];
    EXPECT_NE(r.err.find(b.says), std::string::npos) << r.err;
  }
  EXPECT_EQ(rows("documents"), 1U);
  EXPECT_EQ(rows("trips"), 0U);
  EXPECT_EQ(rows("journal"), journal);
}

TEST_F(CliDocuments, TripsAndTheEarliestNaturalizationDate) {
  ASSERT_EQ(run({"doc", "add", "green-card", "--since", "2022-01-15", "--holder", "Ana"}).code, 0);
  Result trip =
      run({"trip", "add", "--holder", "Ana", "--left", "2024-04-01", "--returned", "2025-06-01"});
  ASSERT_EQ(trip.code, 0) << trip.err;
  EXPECT_NE(trip.out.find("breaks continuous residence"), std::string::npos) << trip.out;
  Result overlap =
      run({"trip", "add", "--holder", "Ana", "--left", "2025-05-01", "--returned", "2025-07-01"});
  EXPECT_EQ(overlap.code, 2);
  EXPECT_NE(overlap.err.find("overlaps trip 1 of Ana (2024-04-01 to 2025-06-01)"),
            std::string::npos)
      << overlap.err;
  Result show = run({"doc", "show", "d1"});
  EXPECT_NE(show.out.find("Continuous residence is broken: you may file Form N-400 from "
                          "2029-06-02"),
            std::string::npos)
      << show.out;
  Result list = run({"trip", "list"});
  EXPECT_NE(list.out.find("2024-04-01 to 2025-06-01  426 days"), std::string::npos) << list.out;
  ASSERT_EQ(run({"trip", "rm", "1"}).code, 0);
  EXPECT_NE(run({"doc", "show", "d1"}).out.find("You may file Form N-400 (since 2026-10-17)"),
            std::string::npos);
}

TEST_F(CliDocuments, AddOfARenewalLinksTheHoldersDocument) {
  ASSERT_EQ(
      run({"doc", "add", "ead", "--category", "c09", "--expires", "2027-05-20", "--holder", "Ana"})
          .code,
      0);
  Result add = run({"add", "IOE0912345678", "--form", "I-765", "--category", "147-C9", "--received",
                    "2026-11-02", "--holder", "Ana"});
  ASSERT_EQ(add.code, 0) << add.err;
  EXPECT_NE(add.out.find("Linked to d1: ead (c)(9), expires 2027-05-20, holder \"Ana\", renewed "
                         "by case #1: this case renews it."),
            std::string::npos)
      << add.out;
  Result show = run({"doc", "show", "d1"});
  EXPECT_NE(show.out.find("Renewal pending: the work permit (c)(9) still ends on 2027-05-20"),
            std::string::npos)
      << show.out;
  // --renewed-by names a case of a form that renews the kind.
  ASSERT_EQ(run({"add", "IOE0912345679", "--form", "I-485", "--received", "2026-01-02"}).code, 0);
  Result wrong = run({"doc", "edit", "d1", "--renewed-by", "IOE0912345679"});
  EXPECT_EQ(wrong.code, 2);
  EXPECT_NE(wrong.err.find("--renewed-by: case IOE0912345679 (I-485) does not renew a document "
                           "of kind ead; give a case of form I-765"),
            std::string::npos)
      << wrong.err;
}

// A trip may be recorded before it leaves: one planned while the I-131 for advance parole is
// pending is urgent at once (docs/rules.md `ap-travel`), not only after the person has gone.
TEST_F(CliDocuments, APlannedTripWhileAdvanceParoleIsPendingIsUrgent) {
  ASSERT_EQ(run({"add", "IOE0912345679", "--form", "I-131", "--category", "141B-OTH", "--received",
                 "2026-09-01", "--holder", "Ana"})
                .code,
            0);
  Result planned =
      run({"trip", "add", "--holder", "Ana", "--left", "2026-12-20", "--returned", "2027-01-03"});
  ASSERT_EQ(planned.code, 0) << planned.err;
  EXPECT_NE(planned.out.find("Added trip 1 of \"Ana\": 2026-12-20 to 2027-01-03."),
            std::string::npos)
      << planned.out;
  Result suggest = run({"suggest", "IOE0912345679"});
  EXPECT_NE(suggest.out.find("[urgent]"), std::string::npos) << suggest.out;
  EXPECT_NE(suggest.out.find("2026-12-20"), std::string::npos) << suggest.out;
  Result open = run({"trip", "add", "--holder", "Ana", "--left", "2027-02-01"});
  EXPECT_EQ(open.code, 0) << open.err;
  EXPECT_NE(open.out.find("2027-02-01 to no return date (planned)"), std::string::npos) << open.out;
  EXPECT_NE(run({"trip", "list"}).out.find("2027-02-01 (planned, no return date)"),
            std::string::npos);
  EXPECT_EQ(rows("trips"), 2U);
}

}  // namespace
}  // namespace casewatch_test
