// SPDX-License-Identifier: MIT
// Pictures (docs/cli.md `show --timeline`, `report`): a case's timeline in the terminal, in
// UTF-8 and in ASCII, within the width; the office's report as one self-contained HTML page,
// well formed (Python's html.parser), every text escaped, opened in headless Chromium.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "cli_fixture.hpp"

namespace casewatch_test {
namespace {

// The environment of a UTF-8 terminal without NO_COLOR (the fixture sets NO_COLOR=1).
const std::vector<std::string> k_utf8 = {"NO_COLOR=", "LANG=en_US.UTF-8"};

std::size_t widest_line(const std::string& s) {
  std::size_t widest = 0;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t end = s.find('\n', start);
    end = end == std::string::npos ? s.size() : end;
    // Display columns: count the bytes that start a UTF-8 character.
    std::size_t cols = 0;
    for (std::size_t i = start; i < end; ++i) {
      cols += (static_cast<unsigned char>(s[i]) & 0xC0U) != 0x80U ? 1U : 0U;
    }
    widest = std::max(widest, cols);
    start = end + 1;
  }
  return widest;
}

bool is_ascii(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 128; });
}

class Pictures : public Cli {
 protected:
  void add_life() {
    ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--category", "131A-FAM", "--office",
                   "QNS", "--received", "2023-05-02", "--label", "Ana: green card"})
                  .code,
              0);
    ASSERT_EQ(run({"event", "IOE0912345678", "e-request", "--on", "2026-09-14"}).code, 0);
    ASSERT_EQ(run({"event", "IOE0912345678", "rfe", "--on", "2026-10-26"}).code, 0);
  }

  // Runs `command` through the shell; its exit code.
  static int shell(const std::string& command) {
    int rc = std::system(command.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  }
};

TEST_F(Pictures, TimelineFitsEightyColumnsInAPipeWhateverColumnsSays) {
  add_life();
  for (const char* columns : {"COLUMNS=80", "COLUMNS=200", "COLUMNS="}) {
    Result r = run({"show", "IOE0912345678", "--timeline"}, {columns});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_LE(widest_line(r.out), 80U) << columns << '\n' << r.out;
    EXPECT_TRUE(is_ascii(r.out)) << r.out;
  }
  Result narrow = run({"show", "IOE0912345678", "--timeline"}, {"COLUMNS=60"});
  ASSERT_EQ(narrow.code, 0) << narrow.err;
  EXPECT_LE(widest_line(narrow.out), 60U) << narrow.out;
}

TEST_F(Pictures, TimelineDrawsEachPartAtItsDate) {
  add_life();
  Result r = run({"show", "IOE0912345678", "--timeline"});
  ASSERT_EQ(r.code, 0) << r.err;
  // 25.5 months from 2023-05-02: 2025-06-17 (docs/rules.md, "Adding a posted time").
  EXPECT_NE(r.out.find("2023-05-02  received"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2023-05-02  posted time 25.5 months"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2025-06-17  inquiry date"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2026-09-14  e-request"), std::string::npos) << r.out;
  // 60 to 90 days after the e-Request; the RFE's 84 days, assumed.
  EXPECT_NE(r.out.find("2026-11-13  Ombudsman window"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2026-12-13"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2026-10-26  RFE response period"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2027-01-18?"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2026-11-28  today"), std::string::npos) << r.out;
}

TEST_F(Pictures, TimelineUtf8OnlyWhenTheLocaleSaysSoAndNoColorIsUnset) {
  add_life();
  Result utf8 = run({"show", "IOE0912345678", "--timeline"}, k_utf8);
  ASSERT_EQ(utf8.code, 0) << utf8.err;
  EXPECT_NE(utf8.out.find("█"), std::string::npos) << utf8.out;
  EXPECT_NE(utf8.out.find("●"), std::string::npos) << utf8.out;
  // LC_ALL wins over LANG; LC_CTYPE when LC_ALL is unset.
  Result c_locale =
      run({"show", "IOE0912345678", "--timeline"}, {"NO_COLOR=", "LANG=en_US.UTF-8", "LC_ALL=C"});
  EXPECT_TRUE(is_ascii(c_locale.out)) << c_locale.out;
  Result ctype = run({"show", "IOE0912345678", "--timeline"}, {"NO_COLOR=", "LC_CTYPE=C.utf8"});
  EXPECT_FALSE(is_ascii(ctype.out)) << ctype.out;
  // NO_COLOR set: plain ASCII whatever the locale.
  Result no_color =
      run({"show", "IOE0912345678", "--timeline"}, {"NO_COLOR=1", "LANG=en_US.UTF-8"});
  EXPECT_TRUE(is_ascii(no_color.out)) << no_color.out;
  EXPECT_NE(no_color.out.find('#'), std::string::npos) << no_color.out;
}

TEST_F(Pictures, TimelineOfACaseWithoutReceivedDateSaysWhatItNeeds) {
  ASSERT_EQ(run({"add", "--form", "I-485", "--sent", "2026-10-01", "--label", "Ana: not yet"}).code,
            0);
  std::string before = dump();
  Result r = run({"show", "#1", "--timeline"});
  expect_one_error_line(r, "edit '#1' --received DATE");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(dump(), before);
}

TEST_F(Pictures, TimelineRefusesJsonAndDocuments) {
  add_life();
  expect_one_error_line(run({"show", "IOE0912345678", "--timeline", "--json"}), "--timeline");
  expect_one_error_line(run({"show", "d1", "--timeline"}), "document");
}

// ---- report ------------------------------------------------------------------------------

TEST_F(Pictures, ReportRefusesADirectoryAndAnExistingFileWithoutForce) {
  add_life();
  fs::path dir = m_dir / "out";
  fs::create_directories(dir);
  Result r = run({"report", "-o", dir.string()});
  expect_one_error_line(r, "is a directory");
  EXPECT_TRUE(fs::is_empty(dir));

  fs::path file = m_dir / "report.html";
  std::ofstream(file) << "mine";
  expect_one_error_line(run({"report", "-o", file.string()}), "add --force");
  EXPECT_EQ(slurp(file), "mine");

  Result forced = run({"report", "-o", file.string(), "--force"});
  ASSERT_EQ(forced.code, 0) << forced.err;
  EXPECT_TRUE(slurp(file).starts_with("<!DOCTYPE html>"));
  // No temporary file left beside it.
  for (const auto& e : fs::directory_iterator(m_dir)) {
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
  }
  expect_one_error_line(run({"report", "-o", (m_dir / "nowhere" / "r.html").string()}),
                        "does not exist");
}

TEST_F(Pictures, ReportEscapesEveryLabelAndIsWellFormed) {
  const std::string evil = "<script>alert(1)</script> & \"x\"";
  ASSERT_EQ(run({"add", "IOE0912345678", "--form", "I-485", "--category", "131A-FAM", "--office",
                 "QNS", "--received", "2023-05-02", "--label", evil})
                .code,
            0);
  ASSERT_EQ(run({"event", "IOE0912345678", "e-request", "--on", "2026-09-14", "--note",
                 "<img src=x onerror=alert(2)>"})
                .code,
            0);
  fs::path file = m_dir / "report.html";
  Result r = run({"report", "-o", file.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  std::string page = slurp(file);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"),
            std::string::npos);
  EXPECT_NE(page.find("Content-Security-Policy"), std::string::npos);
  EXPECT_NE(page.find("script-src &#39;none&#39;"), std::string::npos);
  EXPECT_NE(page.find("@media print"), std::string::npos);
  EXPECT_NE(page.find("<svg class=\"timeline\""), std::string::npos);
  // Sources and addresses in the words are links.
  EXPECT_NE(page.find("<a href=\"https://egov.uscis.gov/processing-times/more-info\">"),
            std::string::npos);
  std::string cmd = "/usr/bin/python3 '" + std::string(CASEWATCH_TEST_DATA) + "/html_check.py' '" +
                    file.string() + "' > '" + (m_dir / "check.txt").string() + "' 2>&1";
  EXPECT_EQ(shell(cmd), 0) << slurp(m_dir / "check.txt");
}

TEST_F(Pictures, TheHtmlCheckFindsWhatItLooksFor) {
  // The checker itself refuses a page that is not well formed or runs a script.
  fs::path bad = m_dir / "bad.html";
  std::ofstream(bad) << "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" "
                        "content=\"default-src 'none'\"></head><body><p><b>x</p>"
                        "<script>1</script></body></html>";
  std::string cmd = "/usr/bin/python3 '" + std::string(CASEWATCH_TEST_DATA) + "/html_check.py' '" +
                    bad.string() + "' > /dev/null";
  EXPECT_EQ(shell(cmd), 1);
}

TEST_F(Pictures, ReportFollowsListAndMatch) {
  add_life();
  ASSERT_EQ(run({"add", "IOE0923456789", "--form", "N-400", "--category", "160A", "--office", "QNS",
                 "--received", "2024-06-03", "--label", "Luis: citizenship"})
                .code,
            0);
  ASSERT_EQ(run({"event", "IOE0923456789", "interview", "--on", "2026-03-02"}).code, 0);
  fs::path file = m_dir / "all.html";
  ASSERT_EQ(run({"report", "-o", file.string()}).code, 0);
  std::string page = slurp(file);
  // The overview's order is list's.
  Result list = run({"list"});
  std::size_t ana = list.out.find("IOE0912345678");
  std::size_t luis = list.out.find("IOE0923456789");
  ASSERT_NE(ana, std::string::npos);
  ASSERT_NE(luis, std::string::npos);
  EXPECT_EQ(ana < luis, page.find("#case-1\"") < page.find("#case-2\""));
  EXPECT_NE(page.find("id=\"case-1\""), std::string::npos);
  EXPECT_NE(page.find("id=\"case-2\""), std::string::npos);

  fs::path one = m_dir / "luis.html";
  Result r = run({"report", "-o", one.string(), "--match", "luis"});
  ASSERT_EQ(r.code, 0) << r.err;
  page = slurp(one);
  EXPECT_NE(page.find("id=\"case-2\""), std::string::npos);
  EXPECT_EQ(page.find("id=\"case-1\""), std::string::npos);
  EXPECT_NE(r.err.find("Wrote a report of 1 case"), std::string::npos) << r.err;
}

// A 40-case office opened in a real browser: every case rendered, no script run.
TEST_F(Pictures, ReportRendersEveryCaseOfAFortyCaseOfficeInChromium) {
  const fs::path chromium = "/usr/bin/chromium";
  if (!fs::exists(chromium)) {
    GTEST_SKIP() << "headless Chromium is not installed (Debian package chromium, in .ci/deps)";
  }
  std::vector<std::string> receipts;
  for (int i = 0; i < 40; ++i) {
    std::string receipt = fmt::format("IOE09{:08d}", 10000000 + i);
    receipts.push_back(receipt);
    // Every fifth label tries markup that would run a script if it were not escaped.
    std::string label = i % 5 == 0 ? fmt::format("<script>document.title='ran{}'</script>", i)
                                   : fmt::format("Client {} & \"family\"", i);
    ASSERT_EQ(run({"add", receipt, "--form", i % 2 == 0 ? "I-485" : "N-400", "--category",
                   i % 2 == 0 ? "131A-FAM" : "160A", "--office", "QNS", "--received",
                   fmt::format("2024-{:02d}-{:02d}", 1 + i % 12, 1 + i % 28), "--label", label})
                  .code,
              0);
    if (i % 3 == 0) {
      ASSERT_EQ(run({"event", receipt, "e-request", "--on", "2026-09-14"}).code, 0);
    }
  }
  fs::path file = m_dir / "office.html";
  Result r = run({"report", "-o", file.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  fs::path dom = m_dir / "dom.html";
  std::string cmd = "timeout 120 " + chromium.string() +
                    " --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir='" +
                    (m_dir / "profile").string() + "' --dump-dom 'file://" + file.string() +
                    "' > '" + dom.string() + "' 2> '" + (m_dir / "chromium.err").string() + "'";
  ASSERT_EQ(shell(cmd), 0) << slurp(m_dir / "chromium.err");
  std::string page = slurp(dom);
  ASSERT_FALSE(page.empty()) << slurp(m_dir / "chromium.err");
  // Rendered: each case has its row in the overview and its section with a drawn timeline.
  std::size_t sections = 0;
  for (std::size_t at = 0; (at = page.find("<section class=\"case\"", at)) != std::string::npos;
       ++at) {
    ++sections;
  }
  EXPECT_EQ(sections, 40U);
  std::size_t svgs = 0;
  for (std::size_t at = 0; (at = page.find("<svg class=\"timeline\"", at)) != std::string::npos;
       ++at) {
    ++svgs;
  }
  EXPECT_EQ(svgs, 40U);
  for (const std::string& receipt : receipts) {
    EXPECT_NE(page.find(">" + receipt + "</a>"), std::string::npos) << receipt;
  }
  // No script ran: none is in the document, and the title is the page's own.
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_NE(page.find("<title>casewatch report, 2026-11-28</title>"), std::string::npos);
  EXPECT_EQ(page.find("<title>ran"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;document.title='ran0'&lt;/script&gt;"), std::string::npos);
}

}  // namespace
}  // namespace casewatch_test
