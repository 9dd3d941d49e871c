// SPDX-License-Identifier: MIT
#include "casewatch/domain/status.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <fstream>
#include <set>
#include <sstream>

#include "casewatch/domain/catalog.hpp"
#include "casewatch/domain/rules.hpp"
#include "status_fixture.hpp"

namespace casewatch::status {
namespace {

using testing::day;
using testing::fixture;

TEST(StatusTitle, ComparesIgnoringCaseSpacingPunctuationAndEntities) {
  EXPECT_EQ(normalize_title("  Response To USCIS&#039;  Request For Evidence Was Received "),
            "response to uscis request for evidence was received");
  EXPECT_EQ(normalize_title("Petition/Application Was Rejected For Insufficient Funds"),
            "petition application was rejected for insufficient funds");
  const Title* t = find_title("response to uscis' request for evidence was RECEIVED");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->kind, EventKind::response);
  ASSERT_NE(find_title("CARD WAS MAILED TO ME."), nullptr);
  EXPECT_EQ(find_title("Card Was Mailed To Me")->kind, EventKind::card_mailed);
  // Every combination of rejection reasons is a rejection.
  const Title* combo = find_title("Case Rejected For Form Not Signed And Incorrect Form Version");
  ASSERT_NE(combo, nullptr);
  EXPECT_EQ(combo->kind, EventKind::rejected);
  // The G-28 of a representative, not the filing.
  EXPECT_EQ(find_title("Form G-28 Was Rejected Because It Was Improperly Filed")->kind,
            EventKind::note);
  EXPECT_EQ(find_title("Case Was Hugged"), nullptr);
  EXPECT_EQ(find_title("Case Not In System Yet")->kind, std::nullopt);
}

TEST(StatusTitle, DecodesEntities) {
  EXPECT_EQ(decode_entities("USCIS&#039; &amp; &#x41;&quot;&nbsp;x &bogus; &#0; &"),
            "USCIS' & A\" x &bogus; &#0; &");
}

TEST(StatusDates, TakesOnAsOfAndBy) {
  auto received = paragraph_dates(
      "On October 1, 2026, we received your Form I-485, Receipt Number IOE0912345678, and sent "
      "you the receipt notice. If you do not receive your receipt notice by December 1, 2026, "
      "contact the USCIS Contact Center.");
  EXPECT_EQ(received.date, day(2026, 10, 1));
  EXPECT_EQ(received.due, day(2026, 12, 1));
  auto as_of = paragraph_dates(
      "As of July 07, 2021, fingerprints relating to your Form I-765 "
      "have been applied to your case.");
  EXPECT_EQ(as_of.date, day(2021, 7, 7));
  EXPECT_EQ(as_of.due, std::nullopt);
  auto returned = paragraph_dates(
      "On November 2, 2026, the Post Office returned your new card. We will destroy your new "
      "card if we do not receive an address update by January 30, 2027.");
  EXPECT_EQ(returned.date, day(2026, 11, 2));
  EXPECT_EQ(returned.due, day(2027, 1, 30));
  auto none = paragraph_dates(
      "We completed your interview and we must review your case. Do not contact us before June "
      "40, 2026.");
  EXPECT_EQ(none.date, std::nullopt);
  EXPECT_EQ(none.due, std::nullopt);
}

// A text block for every title of the catalogue: its kind, date and due, the receipt and
// form taken from the paragraph.
TEST(StatusText, EveryTitleOfTheCatalogue) {
  std::set<std::string> seen;
  for (const Title& t : catalogue()) {
    std::string block = std::string(t.title) +
                        "\n\nOn November 2, 2026, we updated your Form I-130, Petition for Alien "
                        "Relative, Receipt Number IOE0912345678. If you do not hear from us by "
                        "December 2, 2026, contact us.\n";
    auto parsed = parse_text(block);
    ASSERT_TRUE(parsed) << t.title << ": " << parsed.error();
    ASSERT_EQ(parsed->size(), 1U) << t.title;
    const Snapshot& s = parsed->front();
    EXPECT_EQ(s.receipt, "IOE0912345678");
    EXPECT_EQ(s.form, "I-130");
    EXPECT_EQ(s.source, Source::text);
    ASSERT_EQ(s.observations.size(), 1U) << t.title;
    const Observation& o = s.observations.front();
    EXPECT_EQ(o.title, t.title);
    EXPECT_EQ(o.date, day(2026, 11, 2));
    EXPECT_EQ(o.due, day(2026, 12, 2));
    EXPECT_TRUE(o.current);
    const Title* found = find_title(o.title);
    ASSERT_NE(found, nullptr) << t.title;
    EXPECT_EQ(found->kind, t.kind) << t.title;
    EXPECT_TRUE(seen.insert(normalize_title(t.title)).second) << "twice: " << t.title;
  }
  EXPECT_GE(catalogue().size(), 80U);
}

TEST(StatusText, TwoBlocksOfOneCase) {
  auto parsed = parse_text(fixture("text-two-blocks.txt"));
  ASSERT_TRUE(parsed) << parsed.error();
  ASSERT_EQ(parsed->size(), 1U);
  const Snapshot& s = parsed->front();
  EXPECT_EQ(s.receipt, "IOE0912345678");
  EXPECT_EQ(s.form, "I-485");
  ASSERT_EQ(s.observations.size(), 2U);
  EXPECT_EQ(s.observations[0].title, "Response To USCIS' Request For Evidence Was Received");
  EXPECT_EQ(s.observations[0].date, day(2026, 10, 20));
  EXPECT_FALSE(s.observations[0].current);
  EXPECT_EQ(s.observations[1].date, day(2026, 10, 27));
  EXPECT_EQ(s.observations[1].due, day(2026, 11, 26));
  EXPECT_TRUE(s.observations[1].current);
}

TEST(StatusText, RefusesWhatIsNoStatus) {
  EXPECT_FALSE(parse_text("\n \n"));
  auto bad = parse_text("Case Was Approved\nOn \x01 May 2, 2026");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("control character"), std::string::npos) << bad.error();
}

TEST(StatusApi, WithHistory) {
  auto parsed = parse_document(fixture("api-with-history.json"));
  ASSERT_TRUE(parsed) << parsed.error();
  ASSERT_EQ(parsed->size(), 1U);
  const Snapshot& s = parsed->front();
  EXPECT_EQ(s.source, Source::api);
  EXPECT_EQ(s.receipt, "EAC2490012345");
  EXPECT_EQ(s.form, "I-765");
  EXPECT_EQ(s.submitted, day(2026, 9, 2));
  EXPECT_EQ(s.updated, day(2026, 11, 20));
  ASSERT_EQ(s.observations.size(), 4U);
  EXPECT_EQ(s.observations[0].title, "Case Was Received");
  EXPECT_EQ(s.observations[0].date, day(2026, 9, 2));
  EXPECT_EQ(s.observations[2].title, "New Card Is Being Produced");
  EXPECT_EQ(s.observations[2].date, day(2026, 11, 16));
  EXPECT_EQ(s.observations[3].title, "Card Was Mailed To Me");
  EXPECT_EQ(s.observations[3].date, day(2026, 11, 20));
  EXPECT_EQ(s.observations[3].due, day(2026, 12, 20));
  EXPECT_TRUE(s.observations[3].current);
  EXPECT_EQ(s.fingerprint.size(), 16U);
}

TEST(StatusApi, WithoutHistoryAndWithoutDates) {
  auto plain = parse_document(fixture("api-no-history.json"));
  ASSERT_TRUE(plain) << plain.error();
  ASSERT_EQ(plain->front().observations.size(), 1U);
  EXPECT_EQ(plain->front().observations[0].date, day(2026, 10, 5));
  auto ioe = parse_document(fixture("api-ioe-no-dates.json"));
  ASSERT_TRUE(ioe) << ioe.error();
  EXPECT_EQ(ioe->front().submitted, std::nullopt);
  EXPECT_EQ(ioe->front().updated, std::nullopt);
  EXPECT_EQ(ioe->front().observations[0].date, day(2026, 10, 28));  // "As of"
  // JSON Lines: one answer a line.
  auto lines =
      parse_document(fixture("api-no-history.json") + "\n" + fixture("api-ioe-no-dates.json"));
  ASSERT_TRUE(lines) << lines.error();
  EXPECT_EQ(lines->size(), 2U);
}

TEST(StatusApi, AnErrorBodyIsUscisMessage) {
  auto err = parse_document(fixture("api-error.json"));
  ASSERT_FALSE(err);
  EXPECT_EQ(err.error(),
            "the answer: USCIS answered with an error: The receipt number you entered is not "
            "valid. Check the number and try again. (code 1002)");
}

TEST(StatusMyUscis, SignedInAndOut) {
  auto in = parse_document(fixture("myuscis-signed-in.json"));
  ASSERT_TRUE(in) << in.error();
  const Snapshot& s = in->front();
  EXPECT_EQ(s.source, Source::myuscis);
  EXPECT_EQ(s.receipt, "IOE0912345678");
  EXPECT_EQ(s.form, "I-485");
  EXPECT_EQ(s.submitted, day(2026, 3, 2));
  EXPECT_EQ(s.updated, day(2026, 10, 14));
  ASSERT_EQ(s.observations.size(), 1U);
  EXPECT_EQ(s.observations[0].title, "Interview Was Scheduled");
  EXPECT_EQ(find_title("Interview Was Scheduled")->kind, EventKind::note);
  EXPECT_FALSE(find_title("Interview Was Scheduled")->hint.empty());
  EXPECT_EQ(s.observations[0].date, std::nullopt);  // dated by `updated` on import
  // The silent-update pair: the same status, another event code: another fingerprint.
  auto later = parse_document(fixture("myuscis-signed-in-updated.json"));
  ASSERT_TRUE(later);
  EXPECT_EQ(later->front().observations[0].title, "Interview Was Scheduled");
  EXPECT_NE(later->front().fingerprint, s.fingerprint);
  EXPECT_EQ(parse_document(fixture("myuscis-signed-in.json"))->front().fingerprint, s.fingerprint);

  auto out = parse_document(fixture("myuscis-signed-out.json"));
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().find("sign in to your USCIS account and copy the page again"),
            std::string::npos)
      << out.error();
  EXPECT_FALSE(parse_document(R"({"error": "Unauthorized"})"));
}

TEST(StatusDocument, RefusesWhatIsNotAStatus) {
  EXPECT_FALSE(parse_document(""));
  EXPECT_FALSE(parse_document(R"({"cases": []})"));
  EXPECT_FALSE(parse_document(std::string(200, '[')));
  auto bad_receipt = parse_document(
      R"({"case_status": {"receiptNumber": "IOE12", "current_case_status_text_en": "Case Was Approved"}})");
  ASSERT_FALSE(bad_receipt);
  EXPECT_NE(bad_receipt.error().find("receiptNumber"), std::string::npos);
  auto wrong_type =
      parse_document(R"({"case_status": {"receiptNumber": "IOE0912345678", "formType": 485}})");
  ASSERT_FALSE(wrong_type);
  EXPECT_NE(wrong_type.error().find("formType is not a string"), std::string::npos);
}

// Issue 21, item 1: many '&' with no ';' after them. Each '&' looked for a ';' in the rest
// of the text, so a few MB took minutes; now it looks only as far as the longest entity.
TEST(StatusRobustness, ManyAmpersandsWithoutSemicolonDecodeInOnePass) {
  const std::string ampersands(std::size_t{4} << 20U, '&');
  EXPECT_EQ(decode_entities(ampersands), ampersands);
  std::string near_misses;
  for (int i = 0; i < 200'000; ++i) {
    near_misses += "&amp &#x41 &nbsp";
  }
  EXPECT_EQ(decode_entities(near_misses + "&amp;&#x41;"), near_misses + "&A");
  // An entity of the longest length still decodes; one a character longer is left as it is.
  EXPECT_EQ(decode_entities("&#x010FFFF;"), "\xf4\x8f\xbf\xbf");
  EXPECT_EQ(decode_entities("&#00000065;"), "A");
  EXPECT_EQ(decode_entities("&#000000065;"), "&#000000065;");
  EXPECT_EQ(normalize_title(ampersands.substr(0, 1'000'000)), "");
}

// Issue 21, item 7: an entity naming a control character (&#x1b;) gave the status a raw ESC,
// which export wrote and import then refused. Decoded text passes the checks typed text does.
TEST(StatusRobustness, DecodedControlCharactersAreRefusedAsTypedOnes) {
  auto api = parse_document(
      R"({"case_status": {"receiptNumber": "IOE0912345678", "current_case_status_text_en": )"
      R"("Case Was Approved&#x1b;[2J", "current_case_status_desc_en": "On May 1, 2026, we approved."}})");
  ASSERT_FALSE(api);
  EXPECT_NE(api.error().find("holds a control character (U+001B) at position 18"),
            std::string::npos)
      << api.error();
  EXPECT_NE(api.error().find("once its HTML entities are decoded, holds"), std::string::npos)
      << api.error();
  // A line break is fine in a paragraph, not in a title.
  auto paragraph = parse_document(
      R"({"case_status": {"receiptNumber": "IOE0912345678", "current_case_status_text_en": )"
      R"("Case Was Approved", "current_case_status_desc_en": "On May 1, 2026,&#13;&#10;we approved."}})");
  ASSERT_TRUE(paragraph) << paragraph.error();
  EXPECT_EQ(paragraph->front().observations.back().paragraph, "On May 1, 2026,\r\nwe approved.");
  EXPECT_FALSE(parse_document(
      R"({"case_status": {"receiptNumber": "IOE0912345678", "current_case_status_text_en": )"
      R"("Case Was&#10;Approved"}})"));
  auto history = parse_document(
      R"({"case_status": {"receiptNumber": "IOE0912345678", "hist_case_status": )"
      R"([{"completed_text_en": "Case Was Received&#x9b;", "date": "01-02-2026"}]}})");
  ASSERT_FALSE(history);
  EXPECT_NE(history.error().find("U+009B"), std::string::npos) << history.error();
  auto myuscis = parse_document(
      R"({"data": {"receiptNumber": "IOE0912345678", "caseStatus": "Case Was Approved&#27;"}})");
  ASSERT_FALSE(myuscis);
  EXPECT_NE(myuscis.error().find("U+001B"), std::string::npos) << myuscis.error();
  auto copied = parse_text("Case Was Approved&#x1b;]0;title\n\nOn May 1, 2026, we approved it.\n");
  ASSERT_FALSE(copied);
  EXPECT_NE(copied.error().find("U+001B"), std::string::npos) << copied.error();
  auto copied_paragraph = parse_text("Case Was Approved\n\nOn May 1, 2026, we&#7; approved it.\n");
  ASSERT_FALSE(copied_paragraph);
  EXPECT_NE(copied_paragraph.error().find("U+0007"), std::string::npos) << copied_paragraph.error();
}

// Issue 21, item 3: a JSON status was read whole into a tree 35 to 120 times its size (a 30
// MB answer took 3.5 GB). One status document is now at most k_max_document_bytes, and a file
// of many is read one document at a time.
TEST(StatusRobustness, OneDocumentHasALimitAndAFileOfManyIsReadOneAtATime) {
  const std::string answer_head =
      R"({"case_status": {"receiptNumber": "IOE0912345678", "current_case_status_text_en": )"
      R"("Case Was Approved", "current_case_status_desc_en": "On May 1, 2026, we approved it.", )"
      R"("padding": [)";
  std::string big = answer_head;
  for (std::size_t i = 0; big.size() <= k_max_document_bytes; ++i) {
    big += i == 0 ? "{}" : ",{}";
  }
  big += "]}}";
  auto whole = parse_document(big);
  ASSERT_FALSE(whole);
  EXPECT_EQ(whole.error(),
            "the document is larger than 1 MiB, more than any status document USCIS gives (a few "
            "KB)");
  auto api = parse_api(big);
  ASSERT_FALSE(api);
  EXPECT_EQ(api.error(), whole.error());

  const std::string small = answer_head + "{}]}}";
  auto in_array = parse_document("[" + small + ",\n " + big + "]");
  ASSERT_FALSE(in_array);
  EXPECT_EQ(in_array.error(),
            "element 2 of the array is larger than 1 MiB, more than any status document USCIS "
            "gives (a few KB)");
  auto in_lines = parse_document(small + "\n\n" + big + "\n");
  ASSERT_FALSE(in_lines);
  EXPECT_EQ(in_lines.error(),
            "line 3 is larger than 1 MiB, more than any status document USCIS gives (a few KB)");
  auto page = parse_myuscis(R"({"data": {"receiptNumber": "IOE0912345678", "x": ")" +
                            std::string(k_max_document_bytes, 'x') + "\"}}");
  ASSERT_FALSE(page);
  EXPECT_NE(page.error().find("larger than 1 MiB"), std::string::npos) << page.error();

  // Many documents, each small: a file far larger than the limit reads, in order.
  std::string many = "[";
  const std::size_t n = 3'000;
  for (std::size_t i = 0; i < n; ++i) {
    std::string one = small;
    std::string receipt = fmt::format("IOE{:010}", 912345678 + i);
    one.replace(one.find("IOE0912345678"), 13, receipt);
    one.replace(one.find("{}]"), 3,
                fmt::format("\"{}\", \"]\\\"[{{\", {}]", std::string(400, ' '), i));
    many += (i == 0 ? "" : ",") + one;
  }
  many += "]";
  ASSERT_GT(many.size(), k_max_document_bytes);
  auto read = parse_document(many);
  ASSERT_TRUE(read) << read.error();
  ASSERT_EQ(read->size(), n);
  EXPECT_EQ(read->front().receipt, "IOE0912345678");
  EXPECT_EQ(read->back().receipt, fmt::format("IOE{:010}", 912345678 + n - 1));
  auto lines = parse_document(small + "\n" + small);
  ASSERT_TRUE(lines) << lines.error();
  EXPECT_EQ(lines->size(), 2U);
  // The document's own errors are said as before.
  auto bad = parse_document("[" + small + ", {\"case_status\": {}}]");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), "answer 2: receiptNumber is missing");
  auto broken = parse_document(small + "\n{\"case_status\": \n");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().substr(0, 22), "line 2: not valid JSON") << broken.error();
}

// Issue 21: a status title of 10 MB was taken. Titles and paragraphs have a length a real
// one never reaches.
TEST(StatusRobustness, TitlesAndParagraphsHaveALimit) {
  auto api_with = [](const std::string& title, const std::string& paragraph) {
    return fmt::format(
        R"({{"case_status": {{"receiptNumber": "IOE0912345678", "current_case_status_text_en": "{}", "current_case_status_desc_en": "{}"}}}})",
        title, paragraph);
  };
  const std::string title_at_limit(k_max_title_chars, 'x');
  EXPECT_TRUE(parse_document(api_with(title_at_limit, "p")));
  // Characters, not bytes: 200 two-byte characters are fine.
  std::string wide_title;
  for (std::size_t i = 0; i < k_max_title_chars; ++i) {
    wide_title += "\xc3\xa9";
  }
  EXPECT_TRUE(parse_document(api_with(wide_title, "p")));
  auto long_title = parse_document(api_with(title_at_limit + "x", "p"));
  ASSERT_FALSE(long_title);
  EXPECT_NE(long_title.error().find("the status title is longer than 200 characters"),
            std::string::npos)
      << long_title.error();
  auto huge_title = parse_document(api_with(std::string(10'000'000, 'x'), "p"));
  ASSERT_FALSE(huge_title);
  EXPECT_LT(huge_title.error().size(), 400U);
  const std::string paragraph_at_limit(k_max_paragraph_chars, 'p');
  EXPECT_TRUE(parse_document(api_with("Case Was Approved", paragraph_at_limit)));
  auto long_paragraph = parse_document(api_with("Case Was Approved", paragraph_at_limit + "p"));
  ASSERT_FALSE(long_paragraph);
  EXPECT_NE(long_paragraph.error().find(
                fmt::format("the status text is longer than {} characters", k_max_paragraph_chars)),
            std::string::npos)
      << long_paragraph.error();
  // Copied text: a title line, and a paragraph joined from its lines.
  auto text_title = parse_text(std::string(201, 'T') + "\n\nOn May 1, 2026, we did.\n");
  ASSERT_FALSE(text_title);
  EXPECT_NE(text_title.error().find("longer than 200 characters"), std::string::npos)
      << text_title.error();
  std::string lines = "Case Was Approved\n\n";
  for (std::size_t i = 0; i < k_max_paragraph_chars / 50; ++i) {
    lines += std::string(50, 'w') + "\n";
  }
  auto text_paragraph = parse_text(lines);
  ASSERT_FALSE(text_paragraph);
  EXPECT_NE(text_paragraph.error().find("the status text is longer than"), std::string::npos)
      << text_paragraph.error();
}

}  // namespace
}  // namespace casewatch::status

// ---- what the new kinds do to a case (docs/rules.md) --------------------------------------
namespace casewatch {
namespace {

struct Line {
  Case c;
  std::vector<Event> events;
  Line() {
    c.id = 1;
    c.receipt = "IOE0912345678";
    c.form = "I-765";
    c.category = "147-C9";
    c.received = make_date(2026, 1, 5);
  }
  Line& add(EventKind kind, Date date, std::optional<Date> due = std::nullopt,
            std::optional<std::string> source = std::nullopt,
            std::optional<std::string> title = std::nullopt) {
    Event e;
    e.id = static_cast<std::int64_t>(events.size()) + 1;
    e.case_id = 1;
    e.kind = kind;
    e.date = date;
    e.due = due;
    e.source = std::move(source);
    e.title = std::move(title);
    events.push_back(e);
    return *this;
  }
  [[nodiscard]] Evaluation at(Date as_of) const {
    static const ProcessingTimeTable k_table(builtin_processing_times());
    return evaluate(c, events, k_table, as_of);
  }
};

std::optional<Finding> finding(const Evaluation& ev, std::string_view rule,
                               std::string_view stage = {}) {
  for (const Finding& f : ev.findings) {
    if (f.rule == rule && (stage.empty() || f.stage == stage)) {
      return f;
    }
  }
  return std::nullopt;
}

Date D(int y, unsigned m, unsigned d) {
  return make_date(y, m, d);
}

TEST(StatusKinds, SetTheStatus) {
  Line l;
  l.add(EventKind::card_produced, D(2026, 8, 3));
  EXPECT_EQ(effective_status(l.c, l.events, D(2026, 8, 3)), Status::approved);
  EXPECT_EQ(effective_status(l.c, l.events, D(2026, 8, 2)), Status::pending);
  l.add(EventKind::revoked, D(2026, 9, 1));
  EXPECT_EQ(effective_status(l.c, l.events, D(2026, 9, 1)), Status::denied);
  l.add(EventKind::reopened, D(2026, 10, 1));
  EXPECT_EQ(effective_status(l.c, l.events, D(2026, 10, 1)), Status::pending);
  l.add(EventKind::rejected, D(2026, 11, 2));
  EXPECT_EQ(effective_status(l.c, l.events, D(2026, 11, 2)), Status::closed);
  EXPECT_FALSE(is_decision(EventKind::review));
  EXPECT_TRUE(may_have_due(EventKind::card_mailed));
  EXPECT_FALSE(may_have_due(EventKind::interview));
}

TEST(StatusKinds, ATransferNamingNoOfficeMakesItUnknown) {
  Line l;
  l.c.office = "NSC";
  l.add(EventKind::transfer, D(2026, 5, 20));
  EXPECT_EQ(effective_office(l.c, l.events, D(2026, 5, 19)).office, "NSC");
  auto after = effective_office(l.c, l.events, D(2026, 5, 20));
  EXPECT_EQ(after.office, std::nullopt);
  EXPECT_EQ(after.source, OfficeSource::transfer);
}

TEST(StatusKinds, RejectedMustBeSentAgain) {
  Line l;
  l.add(EventKind::rejected, D(2026, 1, 20), std::nullopt, "text",
        "Case Was Rejected Because I Did Not Sign My Form");
  auto ev = l.at(D(2026, 1, 21));
  EXPECT_EQ(ev.status, Status::closed);
  auto f = finding(ev, "rejected");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::urgent);
  EXPECT_EQ(f->since, D(2026, 1, 20));
  EXPECT_NE(f->reason.find("receipt number is void"), std::string::npos);
  EXPECT_FALSE(finding(ev, "inquiry"));
  l.add(EventKind::reopened, D(2026, 2, 2));
  EXPECT_FALSE(finding(l.at(D(2026, 2, 3)), "rejected"));
}

TEST(StatusKinds, ReturnedCardIsUrgentUntilMailedAgain) {
  Line l;
  l.add(EventKind::approved, D(2026, 8, 3))
      .add(EventKind::card_mailed, D(2026, 8, 6), D(2026, 9, 15))
      .add(EventKind::card_returned, D(2026, 8, 20), D(2026, 11, 18));
  auto ev = l.at(D(2026, 9, 20));
  auto f = finding(ev, "returned", "card");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::urgent);
  EXPECT_EQ(f->due, D(2026, 11, 18));
  EXPECT_NE(f->title.find("before 2026-11-18"), std::string::npos);
  // USCIS has the card: no "card not received" e-Request.
  EXPECT_FALSE(finding(ev, "non-delivery"));
  l.add(EventKind::card_mailed, D(2026, 9, 25));
  EXPECT_FALSE(finding(l.at(D(2026, 9, 26)), "returned"));
}

TEST(StatusKinds, NoShowIsUrgentUntilANewAppointment) {
  Line l;
  l.add(EventKind::no_show, D(2026, 4, 2));
  auto f = finding(l.at(D(2026, 4, 3)), "no-show");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->severity, Severity::urgent);
  EXPECT_NE(f->reason.find("103.2(b)(13)"), std::string::npos);
  l.add(EventKind::biometrics, D(2026, 5, 1));  // rescheduled, in the future on 2026-04-10
  EXPECT_FALSE(finding(l.at(D(2026, 4, 10)), "no-show"));
}

TEST(StatusKinds, RevokedOpensTheFifteenDayAppeal) {
  Line l;
  l.c.form = "I-140";
  l.add(EventKind::approved, D(2026, 3, 1)).add(EventKind::revoked, D(2026, 6, 1));
  auto on_due = l.at(D(2026, 6, 16));
  auto f = finding(on_due, "appeal-window", "revoked");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->due, D(2026, 6, 16));
  EXPECT_EQ(f->severity, Severity::urgent);
  EXPECT_FALSE(finding(l.at(D(2026, 6, 17)), "appeal-window"));
}

TEST(StatusKinds, BiometricsDoneStartsTheFmjPremiumClock) {
  Line l;
  l.c.category = "147-C3";
  l.c.premium_start = D(2026, 3, 2);
  l.add(EventKind::biometrics_done, D(2026, 3, 20));
  // 30 business days from 2026-03-20 run to 2026-05-01; the finding from 2026-05-02.
  EXPECT_FALSE(finding(l.at(D(2026, 5, 1)), "premium"));
  EXPECT_TRUE(finding(l.at(D(2026, 5, 2)), "premium"));
}

TEST(StatusFinding, SeverityByKindForThirtyDays) {
  Line l;
  l.add(EventKind::card_mailed, D(2026, 11, 20), D(2026, 12, 20), "api", "Card Was Mailed To Me");
  auto ev = l.at(D(2026, 11, 28));
  auto f = finding(ev, "status");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->title, "USCIS: Card Was Mailed To Me (on 2026-11-20)");
  EXPECT_EQ(f->severity, Severity::info);
  EXPECT_EQ(f->stage, "card-mailed");
  EXPECT_TRUE(finding(l.at(D(2026, 12, 20)), "status"));
  EXPECT_FALSE(finding(l.at(D(2026, 12, 21)), "status"));
  // A typed event is no USCIS status.
  Line typed;
  typed.add(EventKind::denied, D(2026, 11, 2));
  EXPECT_FALSE(finding(typed.at(D(2026, 11, 3)), "status"));
  Line denied;
  denied.add(EventKind::denied, D(2026, 11, 2), std::nullopt, "text", "Case Was Denied");
  EXPECT_EQ(finding(denied.at(D(2026, 11, 3)), "status")->severity, Severity::urgent);
  Line rfe;
  rfe.add(EventKind::rfe, D(2026, 11, 2), std::nullopt, "myuscis",
          "Request for Additional Evidence Was Sent");
  EXPECT_EQ(finding(rfe.at(D(2026, 11, 3)), "status")->severity, Severity::action);
}

TEST(StatusFinding, ASilentUpdate) {
  Line l;
  l.add(EventKind::note, D(2026, 10, 14), std::nullopt, "myuscis", "Interview Was Scheduled")
      .add(EventKind::updated, D(2026, 11, 3), std::nullopt, "myuscis");
  auto ev = l.at(D(2026, 11, 4));
  auto silent = finding(ev, "status", "updated");
  ASSERT_TRUE(silent);
  EXPECT_EQ(silent->severity, Severity::info);
  EXPECT_EQ(silent->title, "USCIS updated the case without a new status on 2026-11-03");
  EXPECT_TRUE(finding(ev, "status", "note"));
  // A new status after it: the silent update is no longer news.
  l.add(EventKind::review, D(2026, 11, 10), std::nullopt, "myuscis",
        "Case Is Being Actively Reviewed By USCIS");
  EXPECT_FALSE(finding(l.at(D(2026, 11, 11)), "status", "updated"));
}

}  // namespace
}  // namespace casewatch
