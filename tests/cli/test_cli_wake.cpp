// SPDX-License-Identifier: MIT
// The incremental daily check (issue #14): a `check` that reads only the cases whose wake
// date has come, or that changed, reports exactly what a full pass reports. The property
// test keeps two copies of one database with random cases, applies the same random changes
// to both every day (events, case edits, removals, processing-time rows, Visa Bulletin
// cells), and runs `check --full` on one and the daily `check` on the other, day after day.
#include <cctype>
#include <cstdlib>

#include "casewatch/domain/bulletin.hpp"
#include "casewatch/domain/catalog.hpp"
#include "casewatch/domain/document.hpp"
#include "casewatch/domain/identifiers.hpp"
#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

using casewatch::Case;
using casewatch::Date;
using casewatch::Event;
using casewatch::EventKind;
using casewatch::make_date;
using casewatch::store::Store;

int env_or(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && std::atoi(v) > 0 ? std::atoi(v) : fallback;
}

// Random cases and changes, the same for both databases.
class World {
 public:
  explicit World(std::uint64_t seed) : m_rng(seed) {}

  std::size_t pick(std::size_t n) { return static_cast<std::size_t>(m_rng() % n); }
  int days(int lo, int hi) {
    return lo + static_cast<int>(pick(static_cast<std::size_t>(hi - lo + 1)));
  }

  Case random_case(long i) {
    const auto& rows = casewatch::builtin_processing_times();
    const casewatch::ProcessingTime& row = rows[pick(rows.size())];
    Case c;
    static constexpr std::array<std::string_view, 5> k_prefixes = {"IOE", "EAC", "WAC", "LIN",
                                                                   "MSC"};
    c.receipt = std::string(k_prefixes[pick(k_prefixes.size())]) + std::to_string(2190000000L + i);
    c.form = row.form;
    if (pick(5) != 0) {
      c.category = row.category;
    }
    if (pick(3) != 0) {
      c.office = row.office;
    }
    c.received = make_date(2021, 1, 4) + date::days{days(0, 5 * 365)};
    if (pick(6) == 0) {
      c.premium_start = *c.received + date::days{days(0, 60)};
    }
    if (pick(5) == 0) {
      c.priority_date = *c.received - date::days{days(0, 3000)};
      c.preference = pick(2) == 0 ? "EB2" : "F2A";
      c.chargeability = pick(3) == 0 ? "IN" : "ROW";
    }
    return c;
  }

  Event random_event(casewatch::CaseId id, Date around) {
    auto kinds = casewatch::all_event_kinds();
    Event e;
    e.case_id = id;
    // Decisions are rarer, so that most cases stay pending and the ladder is exercised.
    do {
      e.kind = kinds[pick(kinds.size())];
    } while (casewatch::is_decision(e.kind) && pick(4) != 0);
    e.date = around + date::days{days(-200, 120)};
    if ((e.kind == EventKind::rfe || e.kind == EventKind::noid) && pick(2) == 0) {
      e.due = e.date + date::days{days(20, 90)};
    }
    return e;
  }

  std::mt19937_64& rng() { return m_rng; }

 private:
  std::mt19937_64 m_rng;
};

class Wake : public Cli {
 protected:
  fs::path m_full;
  fs::path m_daily;

  Result check(const fs::path& db, Date day, bool full) {
    std::vector<std::string> args = {"check", "--json", "--as-of", casewatch::format_date(day)};
    if (full) {
      args.emplace_back("--full");
    }
    return run(args, {"CASEWATCH_DB=" + db.string()});
  }

  // `check --full` on one database and the daily `check` on the other, on `day`: the same
  // output. Returns how many findings were new.
  std::size_t check_both(Date day) {
    Result full = check(m_full, day, true);
    Result daily = check(m_daily, day, false);
    EXPECT_EQ(full.code, 0) << full.err;
    EXPECT_EQ(daily.code, 0) << daily.err;
    EXPECT_EQ(daily.out, full.out) << "on " << casewatch::format_date(day);
    return full.code == 0 ? json::parse(full.out)["new"].size() : 0;
  }

  // Applies `change` to both databases, each in one transaction.
  template <typename F>
  void on_both(F change) {
    for (const fs::path& db : {m_full, m_daily}) {
      Store s(db);
      auto tx = s.begin_write();
      change(s);
      tx.commit();
    }
  }
};

TEST_F(Wake, TheDailyCheckReportsWhatAFullPassReportsEveryDayFor400Days) {
  const int n_cases = env_or("CASEWATCH_PROPERTY_CASES", 2000);
  const int n_days = env_or("CASEWATCH_PROPERTY_DAYS", 400);
  m_full = m_dir / "full.db";
  m_daily = m_dir / "daily.db";
  World w(20261128);
  std::vector<casewatch::CaseId> ids;
  {
    Store s(m_full);
    auto tx = s.begin_write();
    for (long i = 0; i < n_cases; ++i) {
      Case c = w.random_case(i);
      c.id = s.insert_case(c);
      ids.push_back(c.id);
      for (std::size_t k = w.pick(5); k > 0; --k) {
        s.insert_event(w.random_event(c.id, *c.received + date::days{w.days(30, 900)}));
      }
    }
    tx.commit();
  }
  fs::copy_file(m_full, m_daily);

  Date day = make_date(2026, 1, 1);
  std::size_t reported = 0;
  for (int i = 0; i < n_days; ++i, day += date::days{1}) {
    // The day's changes: a few events, now and then an edit, a removal, a processing-time
    // row or a month of the Visa Bulletin.
    for (std::size_t k = w.pick(4); k > 0; --k) {
      casewatch::CaseId id = ids[w.pick(ids.size())];
      Event e = w.random_event(id, day);
      on_both([&](Store& s) {
        if (s.find_case(id)) {
          s.insert_event(e);
        }
      });
    }
    if (w.pick(10) == 0) {
      casewatch::CaseId id = ids[w.pick(ids.size())];
      std::size_t what = w.pick(3);
      on_both([&](Store& s) {
        auto c = s.find_case(id);
        if (!c) {
          return;
        }
        if (what == 0) {
          c->status = c->status == casewatch::Status::pending ? casewatch::Status::closed
                                                              : casewatch::Status::pending;
          s.update_case(*c);
        } else if (what == 1) {
          c->office.reset();
          s.update_case(*c);
        } else {
          auto events = s.events_of(id);
          if (!events.empty()) {
            s.delete_event(events.back().id);
          }
        }
      });
    }
    if (w.pick(100) == 0) {
      casewatch::CaseId id = ids[w.pick(ids.size())];
      on_both([&](Store& s) {
        if (s.find_case(id)) {
          s.delete_case(id);
        }
      });
    }
    if (w.pick(45) == 0) {
      const auto& rows = casewatch::builtin_processing_times();
      casewatch::ProcessingTime row = rows[w.pick(rows.size())];
      row.time.halves = 2 * w.days(1, 40);
      row.published = day;
      row.inquiry_date.reset();
      row.source = "set";
      on_both([&](Store& s) { s.upsert_time(row); });
    }
    if (w.pick(30) == 0) {
      casewatch::Month m = casewatch::month_of(day + date::days{w.days(0, 40)});
      std::vector<casewatch::BulletinRow> cells;
      for (std::string_view category : {"EB2", "F2A"}) {
        for (std::string_view column : {"IN", "ROW"}) {
          casewatch::BulletinRow r;
          r.month = m;
          r.chart = casewatch::Chart::final_action;
          r.category = category;
          r.column = column;
          if (w.pick(4) == 0) {
            r.cell.status = casewatch::Cell::Status::current;
          } else {
            r.cell.status = casewatch::Cell::Status::date;
            r.cell.cutoff = make_date(2016, 1, 1) + date::days{w.days(0, 3000)};
          }
          r.source = "test";
          cells.push_back(r);
        }
      }
      on_both([&](Store& s) { s.store_bulletin(cells); });
    }

    reported += check_both(day);
    ASSERT_FALSE(HasFailure()) << "on " << casewatch::format_date(day);
  }
  // Not a test that passes by reporting nothing: the days brought findings.
  EXPECT_GT(reported, static_cast<std::size_t>(n_cases) / 4);
  // And both agree on every current finding at the end.
  EXPECT_EQ(run({"check", "--all", "--json", "--dry-run", "--as-of", casewatch::format_date(day)},
                {"CASEWATCH_DB=" + m_daily.string()})
                .out,
            run({"check", "--all", "--json", "--dry-run", "--as-of", casewatch::format_date(day)},
                {"CASEWATCH_DB=" + m_full.string()})
                .out);
  std::cerr << "[ wake ] " << n_cases << " cases, " << n_days << " days, " << reported
            << " findings reported\n";
}

// The same property for what people hold: holders with cases of the forms that renew their
// documents (and an I-131 for advance parole), documents of every kind the rules know, and
// every day random trips added or removed, documents added, edited or removed, events added.
// A trip or a document changes what a case's rules say (ap-travel, ead-gap): the daily check
// reports what a full pass reports.
TEST_F(Wake, TheDailyCheckReportsWhatAFullPassReportsWithDocumentsAndTrips) {
  const int n_holders = env_or("CASEWATCH_PROPERTY_HOLDERS", 40);
  const int n_days = env_or("CASEWATCH_PROPERTY_HOLDER_DAYS", 60);
  m_full = m_dir / "full.db";
  m_daily = m_dir / "daily.db";
  World w(20261207);
  const std::vector<std::pair<std::string, std::string>> forms = {
      {"I-131", "141B-OTH"}, {"I-765", "147-C9"}, {"I-751", ""}, {"I-90", ""}, {"N-400", ""}};
  const std::vector<casewatch::DocumentKind> kinds = {
      casewatch::DocumentKind::conditional_green_card, casewatch::DocumentKind::green_card,
      casewatch::DocumentKind::ead, casewatch::DocumentKind::daca,
      casewatch::DocumentKind::advance_parole};
  const Date start = make_date(2026, 11, 1);
  auto random_document = [&](const std::string& holder) {
    casewatch::Document d;
    d.kind = kinds[w.pick(kinds.size())];
    d.holder = holder;
    d.recorded = start;
    Date expires = start + date::days{w.days(-30, 200)};
    if (d.kind == casewatch::DocumentKind::conditional_green_card) {
      d.since = casewatch::add_months(expires, -24);
    } else if (d.kind == casewatch::DocumentKind::green_card) {
      d.since = casewatch::add_months(expires, -120);
    } else if (d.kind == casewatch::DocumentKind::ead) {
      d.category = "C09";
    }
    d.expires = expires;
    return d;
  };
  std::vector<casewatch::CaseId> ids;
  std::vector<std::string> holders;
  {
    Store s(m_full);
    auto tx = s.begin_write();
    for (int i = 0; i < n_holders; ++i) {
      std::string holder = "H" + std::to_string(i);
      holders.push_back(holder);
      for (std::size_t k = 1 + w.pick(2); k > 0; --k) {
        const auto& [form, category] = forms[w.pick(forms.size())];
        Case c;
        c.receipt = "IOE" + std::to_string(2290000000L + static_cast<long>(ids.size()));
        c.form = form;
        if (!category.empty()) {
          c.category = category;
        }
        c.holder = holder;
        c.received = start + date::days{w.days(-400, 30)};
        c.id = s.insert_case(c);
        ids.push_back(c.id);
      }
      for (std::size_t k = 1 + w.pick(2); k > 0; --k) {
        s.insert_document(random_document(holder));
      }
    }
    tx.commit();
  }
  fs::copy_file(m_full, m_daily);

  Date day = start;
  std::size_t reported = 0;
  std::vector<Date> busy_until(holders.size(), start);  // trips of one holder do not overlap
  for (int i = 0; i < n_days; ++i, day += date::days{1}) {
    if (w.pick(5) == 0) {  // a trip planned, or recorded afterwards
      std::size_t h = w.pick(holders.size());
      Date left = std::max(busy_until[h], day + date::days{w.days(-20, 40)}) + date::days{1};
      casewatch::Trip t{0, holders[h], left, left + date::days{w.days(1, 30)}};
      busy_until[h] = *t.returned;
      on_both([&](Store& s) { s.insert_trip(t); });
    }
    if (w.pick(10) == 0) {
      on_both([&](Store& s) {
        auto trips = s.all_trips();
        if (!trips.empty()) {
          s.delete_trip(trips[trips.size() / 2].id);
        }
      });
    }
    if (w.pick(8) == 0) {  // a document added, its expiry moved, or removed
      std::size_t what = w.pick(3);
      casewatch::Document added = random_document(holders[w.pick(holders.size())]);
      int shift = w.days(1, 90);
      on_both([&](Store& s) {
        auto docs = s.all_documents();
        if (what == 0 || docs.empty()) {
          s.insert_document(added);
        } else if (what == 1) {
          casewatch::Document d = docs[docs.size() / 3];
          d.expires = *d.expires + date::days{shift};
          if (d.since && d.kind == casewatch::DocumentKind::conditional_green_card) {
            d.since = casewatch::add_months(*d.expires, -24);
          }
          s.update_document(d);
        } else {
          s.delete_document(docs[docs.size() / 2].id);
        }
      });
    }
    if (w.pick(4) == 0) {  // a decision or a step on one case
      casewatch::CaseId id = ids[w.pick(ids.size())];
      Event e;
      e.case_id = id;
      e.kind = w.pick(3) == 0 ? EventKind::approved : EventKind::biometrics;
      e.date = day + date::days{w.days(-10, 0)};
      on_both([&](Store& s) { s.insert_event(e); });
    }
    reported += check_both(day);
    ASSERT_FALSE(HasFailure()) << "on " << casewatch::format_date(day);
  }
  EXPECT_GT(reported, static_cast<std::size_t>(n_holders));
  std::cerr << "[ wake ] " << n_holders << " holders, " << n_days << " days, " << reported
            << " findings reported\n";
}

// The number just before `tail` in a check's -v log line, or "?".
std::string number_before(const Result& r, std::string_view tail) {
  auto at = r.err.find(tail);
  if (at == std::string::npos) {
    return "?";
  }
  auto from = at;
  while (from > 0 && std::isdigit(static_cast<unsigned char>(r.err[from - 1])) != 0) {
    --from;
  }
  return r.err.substr(from, at - from);
}

// How many cases a check read ("... (3 evaluated, 0 resting) ..." or "... 3 evaluated, the
// others resting ...").
std::string evaluated(const Result& r) {
  return number_before(r, " evaluated");
}

// How many documents a check read ("...; 2 of the documents evaluated").
std::string documents_evaluated(const Result& r) {
  return number_before(r, " of the documents evaluated");
}

// Documents rest like cases (docs/cli.md "check"): the daily pass reads a document when its
// wake date has come, when it changed, or when one of its holder's cases did.
TEST_F(Wake, TheDailyCheckReadsOnlyTheDocumentsWhoseDayHasComeOrThatChanged) {
  ASSERT_EQ(run({"add", "IOE0912345671", "--form", "I-485", "--received", "2026-01-05", "--holder",
                 "Ana"})
                .code,
            0);
  ASSERT_EQ(
      run({"doc", "add", "conditional-green-card", "--since", "2025-02-20", "--holder", "Ana"})
          .code,
      0);
  ASSERT_EQ(run({"doc", "add", "green-card", "--since", "2020-02-01", "--expires", "2030-02-01",
                 "--holder", "Bo"})
                .code,
            0);
  Result first = run({"-v", "check", "--as-of", "2026-11-02"});
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_EQ(documents_evaluated(first), "2") << first.err;
  Result quiet = run({"-v", "check", "--as-of", "2026-11-03"});
  EXPECT_EQ(documents_evaluated(quiet), "0") << quiet.err;
  // An event on Ana's case wakes Ana's card, not Bo's.
  ASSERT_EQ(run({"event", "IOE0912345671", "biometrics", "--on", "2026-11-03"}).code, 0);
  Result event = run({"-v", "check", "--as-of", "2026-11-04"});
  EXPECT_EQ(documents_evaluated(event), "1") << event.err;
  // The day the I-751 window opens (90 days before 2027-02-20), Ana's card wakes by itself.
  Result opens = run({"-v", "check", "--as-of", "2026-11-22"});
  EXPECT_EQ(documents_evaluated(opens), "1") << opens.err;
  EXPECT_NE(opens.out.find("I-751"), std::string::npos) << opens.out;
  // A document edited: the next check reads everything again.
  ASSERT_EQ(run({"doc", "edit", "d2", "--expires", "2030-03-01"}).code, 0);
  EXPECT_EQ(documents_evaluated(run({"-v", "check", "--as-of", "2026-11-23"})), "2");
}

TEST_F(Wake, TheDailyCheckReadsOnlyTheCasesWhoseDayHasComeOrThatChanged) {
  add_sample_cases();
  Result first = run({"-v", "check", "--as-of", "2026-11-02"});
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_EQ(evaluated(first), "3") << first.err;
  // The next day nothing woke: no case is read, and nothing is printed.
  Result quiet = run({"-v", "check", "--as-of", "2026-11-03"});
  EXPECT_EQ(quiet.out, "");
  EXPECT_EQ(evaluated(quiet), "0") << quiet.err;
  EXPECT_NE(quiet.err.find("resting"), std::string::npos) << quiet.err;
  // An event marks its case: it alone is read, and its new finding reported.
  ASSERT_EQ(
      run({"event", "IOE0912345678", "rfe", "--on", "2026-11-03", "--due", "2026-12-01"}).code, 0);
  Result rfe = run({"-v", "check", "--as-of", "2026-11-04"});
  EXPECT_EQ(evaluated(rfe), "1") << rfe.err;
  EXPECT_NE(rfe.out.find("RFE"), std::string::npos) << rfe.out;
  // --full reads them all, and finds nothing more.
  Result full = run({"-v", "check", "--full", "--as-of", "2026-11-04"});
  EXPECT_EQ(evaluated(full), "3") << full.err;
  EXPECT_EQ(full.out, "");
  // New processing times change every case's dates: all are read again.
  ASSERT_EQ(run({"times", "set", "I-130", "--category", "134A-IR", "--office", "NBC", "--months",
                 "9", "--published", "2026-11-01"})
                .code,
            0);
  Result times = run({"-v", "check", "--as-of", "2026-11-05"});
  EXPECT_EQ(evaluated(times), "3") << times.err;
  // A date before the day the wake dates were worked out on reads every case too.
  Result back = run({"-v", "check", "--dry-run", "--as-of", "2026-11-01"});
  EXPECT_EQ(evaluated(back), "3") << back.err;
}

// A first check of more cases than one batch of wake dates (4,096) stores them in batches
// during its pass; the daily checks after it report what full passes report.
TEST_F(Wake, AFirstCheckOfMoreCasesThanABatchStoresEveryWakeDate) {
  m_full = m_dir / "full.db";
  m_daily = m_dir / "daily.db";
  World world(14);
  {
    Store s(m_full);
    auto tx = s.begin_write();
    for (long i = 0; i < 5000; ++i) {
      Case c = world.random_case(i);
      c.id = s.insert_case(c);
      s.insert_event(world.random_event(c.id, *c.received + date::days{300}));
    }
    tx.commit();
  }
  Date day = make_date(2026, 11, 2);
  Result first = run({"-v", "check", "--json", "--as-of", casewatch::format_date(day)},
                     {"CASEWATCH_DB=" + m_full.string()});
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_EQ(evaluated(first), "5000") << first.err;
  {
    SQLite::Database db(m_full.string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM wake").getInt64(), 5000);
  }
  fs::copy_file(m_full, m_daily);
  for (int step : {1, 30, 90, 200}) {
    Date next = day + date::days{step};
    Result full = check(m_full, next, true);
    Result daily = check(m_daily, next, false);
    ASSERT_EQ(full.code, 0) << full.err;
    ASSERT_EQ(daily.code, 0) << daily.err;
    EXPECT_EQ(daily.out, full.out) << "on " << casewatch::format_date(next);
  }
}

TEST_F(Wake, AFindingWhoseHookFailedAfterNewTimesIsOfferedAgainNextDay) {
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--category", "131A-FAM", "--office",
                 "QNS", "--received", "2025-09-02"})
                .code,
            0);
  ASSERT_EQ(run({"check", "--as-of", "2026-03-02"}).code, 0);
  // USCIS's newer, shorter time puts the case past its inquiry date at once.
  ASSERT_EQ(run({"times", "set", "I-485", "--category", "131A-FAM", "--office", "QNS", "--months",
                 "5", "--published", "2026-02-15"})
                .code,
            0);
  Result failed = run({"check", "--as-of", "2026-03-03", "--notify", "exit 1"});
  EXPECT_EQ(failed.code, 1) << failed.err;
  EXPECT_NE(failed.out.find("(inquiry)"), std::string::npos) << failed.out;
  Result again = run({"check", "--as-of", "2026-03-04"});
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_NE(again.out.find("(inquiry)"), std::string::npos) << again.out;
}

}  // namespace
}  // namespace casewatch_test
