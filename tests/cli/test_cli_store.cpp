// SPDX-License-Identifier: MIT
// The database under faults: read-only files and directories, a full disk, many processes at
// once, rows changed behind casewatch's back, and input files that never end.
#include <sys/mount.h>
#include <sys/stat.h>

#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

// A small tmpfs mounted for one test (root only); unmounted at the end.
class Tmpfs {
 public:
  Tmpfs(const fs::path& dir, const std::string& size) : m_dir(dir) {
    fs::create_directories(dir);
    m_ok = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
  }
  ~Tmpfs() {
    if (m_ok) {
      ::umount2(m_dir.c_str(), MNT_DETACH);
    }
  }
  Tmpfs(const Tmpfs&) = delete;
  Tmpfs& operator=(const Tmpfs&) = delete;
  [[nodiscard]] bool ok() const { return m_ok; }
  bool remount_read_only() {
    return ::mount("tmpfs", m_dir.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr) == 0;
  }

 private:
  fs::path m_dir;
  bool m_ok = false;
};

// A distinct, well-formed receipt number for process `i`.
std::string fmt_receipt(int i) {
  std::string digits = std::to_string(900000 + i);
  return "IOE0912" + digits.substr(digits.size() - 6);
}

void expect_failure_line(const Result& r, const std::string& needle) {
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(r.err.starts_with("casewatch: error: ")) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
}

TEST_F(Cli, StoreReadOnlyDirectoryStillListsAndExports) {
  Tmpfs mnt(m_dir / "mnt", "4m");
  if (!mnt.ok()) {
    GTEST_SKIP() << "mounting a tmpfs is not permitted here";
  }
  m_db = m_dir / "mnt" / "cases.db";
  add_sample_cases();
  ASSERT_TRUE(mnt.remount_read_only());
  Result list = run({"list", "--all"});
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("Ana AOS"), std::string::npos) << list.out;
  Result exported = run({"export"});
  EXPECT_EQ(exported.code, 0) << exported.err;
  EXPECT_NE(exported.out.find("IOE0912345678"), std::string::npos);
  Result add = run({"add", "IOE0934567890", "--form", "I-765", "--received", "2024-06-03"});
  expect_failure_line(
      add, "cannot write " + m_db.string() + ": the file (or its directory) is read-only");
  EXPECT_FALSE(fs::exists(m_dir / "mnt" / "cases.db-shm"));
}

TEST_F(Cli, StoreFullDiskSaysSoAndStillLists) {
  Tmpfs mnt(m_dir / "mnt", "400k");
  if (!mnt.ok()) {
    GTEST_SKIP() << "mounting a tmpfs is not permitted here";
  }
  m_db = m_dir / "mnt" / "cases.db";
  add_sample_cases();
  {
    // Fill the disk.
    std::ofstream fill(m_dir / "mnt" / "fill", std::ios::binary);
    std::string block(4096, 'x');
    while (fill.write(block.data(), static_cast<std::streamsize>(block.size()))) {
      fill.flush();
    }
  }
  Result list = run({"list", "--all"});
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("Mother"), std::string::npos) << list.out;
  Result add = run({"add", "IOE0934567890", "--form", "I-765", "--received", "2024-06-03", "--note",
                    std::string(20000, 'n')});
  expect_failure_line(add, "the disk is full");
  EXPECT_EQ(add.err.find("disk I/O error"), std::string::npos) << add.err;
  fs::remove(m_dir / "mnt" / "fill");
  EXPECT_EQ(run({"add", "IOE0934567890", "--form", "I-765", "--received", "2024-06-03"}).code, 0);
}

TEST_F(Cli, StoreTwentyConcurrentAddsOfOneReceiptAddOneCase) {
  create_database();  // the file exists: the race is on the receipt alone
  std::vector<Process> ps;
  for (int i = 0; i < 20; ++i) {
    ps.push_back(spawn({"add", "IOE0912345678", "--form", "I-485", "--received", "2023-05-02"}));
  }
  int ok = 0;
  int exists = 0;
  for (const Process& p : ps) {
    Result r = finish(p);
    if (r.code == 0) {
      ++ok;
    } else if (r.code == 2 && r.err.find("already exists") != std::string::npos) {
      ++exists;
    } else {
      ADD_FAILURE() << r.code << ' ' << r.err;
    }
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(exists, 19);
  SQLite::Database db(m_db.string());
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM cases").getInt(), 1);
}

TEST_F(Cli, StoreFortyProcessesCreateTheDatabaseAtOnce) {
  std::vector<Process> ps;
  for (int i = 0; i < 40; ++i) {
    ps.push_back(spawn({"add", fmt_receipt(i), "--form", "I-765", "--received", "2024-06-03"}));
  }
  for (const Process& p : ps) {
    Result r = finish(p);
    EXPECT_EQ(r.code, 0) << r.err;
  }
  SQLite::Database db(m_db.string());
  EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM cases").getInt(), 40);
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), casewatch::store::k_schema_version);
}

TEST_F(Cli, StoreATamperedRowIsSkippedWithAWarning) {
  add_sample_cases();
  {
    SQLite::Database db(m_db.string(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE cases SET received = 'garbage' WHERE id = 2");
  }
  Result list = run({"list", "--all"});
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("Ana AOS"), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find("Ana N-400"), std::string::npos) << list.out;
  EXPECT_NE(list.err.find("case #2 skipped: its received date 'garbage' is not a date"),
            std::string::npos)
      << list.err;
  EXPECT_EQ(list.err.find("IOE0923456789"), std::string::npos) << list.err;
  EXPECT_EQ(std::count(list.err.begin(), list.err.end(), '\n'), 1) << list.err;
  EXPECT_EQ(run({"overdue"}).code, 0);
  Result edit = run({"edit", "2", "--received", "2024-06-03"});
  EXPECT_EQ(edit.code, 0) << edit.err;
  Result again = run({"list", "--all"});
  EXPECT_NE(again.out.find("Ana N-400"), std::string::npos) << again.out;
  EXPECT_EQ(again.err, "");
}

TEST_F(Cli, StoreAFileThatIsNotADatabaseIsRefusedInOneLine) {
  fs::create_directories(m_db.parent_path());
  { std::ofstream(m_db) << "receipt,form\nIOE0912345678,I-485\n"; }
  Result r = run({"list"});
  expect_failure_line(r, "it is not a SQLite database");
  EXPECT_EQ(slurp(m_db), "receipt,form\nIOE0912345678,I-485\n");
  fs::remove(m_db);
  {
    SQLite::Database db(m_db.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA user_version = -1");
  }
  expect_failure_line(run({"list"}), "is not a casewatch database (its schema version is -1)");
}

TEST_F(Cli, StoreInputThatIsNoRegularFileIsRefused) {
  fs::path fifo = m_dir / "cases.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  expect_one_error_line(run({"import", fifo.string()}),
                        "cannot read '" + fifo.string() + "': it is a FIFO (named pipe)");
  expect_one_error_line(run({"times", "import", "/dev/zero"}),
                        "cannot read '/dev/zero': it is a character device");
  fs::path big = m_dir / "big.csv";
  { std::ofstream(big) << "receipt,form\n"; }
  fs::resize_file(big, (std::uintmax_t{64} << 20U) + 1);
  expect_one_error_line(run({"import", big.string()}),
                        "is larger than 64 MiB; casewatch reads files up to 64 MiB");
  EXPECT_EQ(dump(), "(no file)");
}

TEST_F(Cli, StoreAnEndlessProcessingTimeViewIsCut) {
  fs::path endless = m_dir / "times.sqlite";
  {
    SQLite::Database db(endless.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(
        "CREATE VIEW processing_time AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
        "FROM n) SELECT 'I-485' AS form_name, '131A-FAM' AS form_type, 'NBC' AS office_code, "
        "'2026-11-14' AS publication_date, 12 AS range_upper, 'Months' AS range_upper_unit, "
        "'2025-01-01' AS service_request_date FROM n");
  }
  expect_one_error_line(run({"times", "import", endless.string()}),
                        "its rows hold more than 64 MiB; casewatch reads up to 64 MiB");
}

}  // namespace
}  // namespace casewatch_test
