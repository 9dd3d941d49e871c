// SPDX-License-Identifier: MIT
#include "casewatch/domain/validate.hpp"

#include <gtest/gtest.h>

#include "casewatch/domain/interchange.hpp"

namespace casewatch {
namespace {

const Date k_today = make_date(2026, 11, 28);

CaseCheck options_check() {
  CaseCheck how;
  how.today = k_today;
  return how;
}

CaseCheck fields_check() {
  CaseCheck how;
  how.today = k_today;
  how.names = FieldNames::fields;
  how.allow_clear = true;
  how.any_status = true;
  return how;
}

CaseText aos() {
  CaseText t;
  t.receipt = "ioe-091-234-5678";
  t.form = "i485";
  t.category = "131a-fam";
  t.office = "qns";
  t.received = "5/2/2023";
  t.label = "Ana AOS";
  return t;
}

TEST(ValidateCase, BuildsANormalizedCase) {
  auto r = check_case(Case{}, aos(), options_check());
  ASSERT_TRUE(r) << r.error();
  const Case& c = r->value;
  EXPECT_EQ(c.receipt, "IOE0912345678");
  EXPECT_EQ(c.form, "I-485");
  EXPECT_EQ(c.category, "131A-FAM");
  EXPECT_EQ(c.office, "QNS");
  EXPECT_EQ(c.received, make_date(2023, 5, 2));
  EXPECT_EQ(c.label, "Ana AOS");
  EXPECT_TRUE(r->warnings.empty()) << r->warnings.front();
}

// The same rule in the same words, named as an option or as a field.
TEST(ValidateCase, OneWordingNamedAsOptionOrField) {
  struct Row {
    CaseText text;
    const char* option_error;
    const char* field_error;
  };
  CaseText after_today = aos();
  after_today.received = "2027-01-01";
  CaseText before_sent = aos();
  before_sent.sent = "2023-06-01";
  CaseText no_received = aos();
  no_received.received.reset();
  CaseText no_sent;
  no_sent.form = "I-130";
  CaseText no_form = aos();
  no_form.form.reset();
  CaseText bad_premium = aos();
  bad_premium.premium_start = "2025-02-30";
  CaseText bad_label = aos();
  bad_label.label = "Ana\x1b[31m";
  CaseText bad_category = aos();
  bad_category.category = "131A FAM!";
  for (const Row& row : {
           Row{after_today,
               "--received: 2027-01-01 is after today (2026-11-28); give the date it happened",
               "field received: 2027-01-01 is after today (2026-11-28); give the date it "
               "happened"},
           Row{before_sent,
               "--received: 2023-05-02 is before --sent 2023-06-01; USCIS cannot receive a "
               "filing before it was sent",
               "field received: 2023-05-02 is before sent 2023-06-01; USCIS cannot receive a "
               "filing before it was sent"},
           Row{no_received,
               "--received: the value is missing; case IOE0912345678 has a receipt number, so "
               "it needs the Received Date on its receipt notice",
               "field received: the value is missing; case IOE0912345678 has a receipt "
               "number"},
           Row{no_sent,
               "--sent: the value is missing; a case without a receipt number needs the date "
               "you sent the filing",
               "field sent: the value is missing; a case without a receipt number needs the "
               "date you sent the filing"},
           Row{no_form, "--form: the value is missing; every case needs its form (e.g. I-485)",
               "field form: the value is missing; every case needs its form (e.g. I-485)"},
           Row{bad_premium, "--premium: '2025-02-30' is not a valid date",
               "field premium_start: '2025-02-30' is not a valid date"},
           Row{bad_label, "--label: the value 'Ana\\x1b[31m' holds a control character (U+001B)",
               "field label: the value 'Ana\\x1b[31m' holds a control character (U+001B)"},
           Row{bad_category, "--category: ", "field category: "},
       }) {
    auto as_option = check_case(Case{}, row.text, options_check());
    ASSERT_FALSE(as_option) << row.option_error;
    EXPECT_TRUE(as_option.error().starts_with(row.option_error)) << as_option.error();
    auto as_field = check_case(Case{}, row.text, fields_check());
    ASSERT_FALSE(as_field) << row.field_error;
    EXPECT_TRUE(as_field.error().starts_with(row.field_error)) << as_field.error();
  }
}

TEST(ValidateCase, EmptyValueClearsOnlyWhenAllowed) {
  Case stored = check_case(Case{}, aos(), options_check())->value;
  CaseText clear;
  clear.label = "";
  clear.office = "";
  auto refused = check_case(stored, clear, options_check());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), "--office: the value is empty");
  CaseCheck edit = options_check();
  edit.allow_clear = true;
  auto cleared = check_case(stored, clear, edit);
  ASSERT_TRUE(cleared) << cleared.error();
  EXPECT_FALSE(cleared->value.label);
  EXPECT_FALSE(cleared->value.office);
  EXPECT_EQ(cleared->value.category, "131A-FAM");  // not given: kept
  // The received date of a case with a receipt cannot be cleared.
  CaseText no_received;
  no_received.received = "";
  auto r = check_case(stored, no_received, edit);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().starts_with("--received: the value is missing")) << r.error();
}

TEST(ValidateCase, StatusOnTheCommandLineIsPendingOrClosed) {
  CaseText t = aos();
  t.status = "denied";
  auto edit = check_case(Case{}, t, options_check());
  ASSERT_FALSE(edit);
  EXPECT_TRUE(edit.error().starts_with("--status: 'denied' is not accepted; use pending or closed"))
      << edit.error();
  auto import = check_case(Case{}, t, fields_check());
  ASSERT_TRUE(import) << import.error();
  EXPECT_EQ(import->value.status, Status::denied);
  t.status = "lost";
  auto bad = check_case(Case{}, t, fields_check());
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().starts_with("field status: 'lost' is not a status")) << bad.error();
}

TEST(ValidateCase, WarnsAboutWhatUscisDoesNotListWithoutRefusing) {
  CaseText t;
  t.receipt = "ABC2490012345";
  t.form = "I-999";
  t.office = "ZZZ";
  t.received = "2024-06-01";
  auto r = check_case(Case{}, t, fields_check());
  ASSERT_TRUE(r) << r.error();
  ASSERT_EQ(r->warnings.size(), 3U);
  EXPECT_TRUE(r->warnings[0].starts_with("receipt prefix ABC is not one USCIS is known to use"));
  EXPECT_TRUE(r->warnings[1].starts_with("USCIS publishes no processing time for form I-999"));
  EXPECT_TRUE(r->warnings[2].starts_with("office ZZZ is not in the USCIS office list"));
  CaseText cat = aos();
  cat.category = "147-C9";  // an I-765 category, not an I-485 one
  auto c = check_case(Case{}, cat, options_check());
  ASSERT_TRUE(c) << c.error();
  ASSERT_EQ(c->warnings.size(), 1U);
  EXPECT_TRUE(c->warnings[0].starts_with("I-485 has no category 147-C9 in the USCIS list"))
      << c->warnings[0];
}

// docs/rules.md `form-unknown`: --form-known, or the same form again on edit, confirms a
// form casewatch does not know and silences its warning; another form clears it; a form
// casewatch knows needs no confirmation.
TEST(ValidateCase, AnUnknownFormIsConfirmedUntilTheFormChanges) {
  CaseText t = aos();
  t.form = "I-4855";
  t.category.reset();
  t.office.reset();
  t.form_known = "yes";
  auto added = check_case(Case{}, t, options_check());
  ASSERT_TRUE(added) << added.error();
  EXPECT_TRUE(added->value.form_confirmed);
  EXPECT_TRUE(added->warnings.empty());
  // Not confirmed: the warning, no flag.
  t.form_known.reset();
  auto plain = check_case(Case{}, t, options_check());
  ASSERT_TRUE(plain) << plain.error();
  EXPECT_FALSE(plain->value.form_confirmed);
  ASSERT_EQ(plain->warnings.size(), 1U);
  // edit: the same form again confirms it; in an import it does not.
  CaseCheck edit = options_check();
  edit.allow_clear = true;
  edit.form_again_confirms = true;
  CaseText same;
  same.form = "i-4855";
  auto again = check_case(plain->value, same, edit);
  ASSERT_TRUE(again) << again.error();
  EXPECT_TRUE(again->value.form_confirmed);
  EXPECT_TRUE(again->warnings.empty());
  edit.form_again_confirms = false;
  EXPECT_FALSE(check_case(plain->value, same, edit)->value.form_confirmed);
  // Another form clears it.
  CaseText other;
  other.form = "I-4856";
  edit.form_again_confirms = true;
  auto changed = check_case(again->value, other, edit);
  ASSERT_TRUE(changed) << changed.error();
  EXPECT_FALSE(changed->value.form_confirmed);
  // A form casewatch knows is never "confirmed"; a bad value is refused, naming it.
  CaseText known = aos();
  known.form_known = "yes";
  EXPECT_FALSE(check_case(Case{}, known, options_check())->value.form_confirmed);
  known.form_known = "maybe";
  auto bad = check_case(Case{}, known, options_check());
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("--form-known: 'maybe' is not yes or no"), std::string::npos)
      << bad.error();
}

TEST(ValidateValue, AFormOfficeOrCategoryAloneIsCheckedAsInACase) {
  // The same words as check_case, under the caller's head.
  auto form = check_form("FORM", "i4855");
  ASSERT_TRUE(form) << form.error();
  EXPECT_EQ(form->value, "I-4855");
  ASSERT_EQ(form->warnings.size(), 1U);
  CaseText t = aos();
  t.form = "i4855";
  t.category.reset();
  t.office.reset();
  auto c = check_case(Case{}, t, options_check());
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->warnings, form->warnings);
  EXPECT_NE(form->warnings[0].find("(did you mean I-485?)"), std::string::npos);
  auto bad = check_form("--form", "I 485 X9");
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().starts_with("--form: ")) << bad.error();

  auto office = check_office("--office", "bro");
  ASSERT_TRUE(office) << office.error();
  EXPECT_EQ(office->value, "BRO");
  ASSERT_EQ(office->warnings.size(), 1U);
  EXPECT_NE(office->warnings[0].find("(did you mean BNY (Brooklyn NY)?)"), std::string::npos)
      << office->warnings[0];

  // A receipt's prefix is refused with the office it means; YSC and NBC are offices too.
  auto prefix = check_office("--office", "msc", "I-485");
  ASSERT_FALSE(prefix);
  EXPECT_EQ(prefix.error(),
            "--office: MSC is a receipt prefix, not an office; receipts that start with MSC are "
            "the National Benefits Center's: give NBC");
  EXPECT_FALSE(check_office("--office", "EAC"));
  EXPECT_TRUE(check_office("--office", "YSC"));
  EXPECT_TRUE(check_office("--office", "NBC"));

  auto printed = check_category("--category", "(c)(9)", "I-765");
  ASSERT_TRUE(printed) << printed.error();
  EXPECT_EQ(printed->value, "147-C9");
  EXPECT_TRUE(printed->warnings.empty());
  auto two = check_category("--category", "c8", "I-765");
  ASSERT_FALSE(two);
  EXPECT_TRUE(two.error().starts_with("--category: 'c8' is printed on more than one I-765"))
      << two.error();
}

Case stored_case() {
  Case c;
  c.id = 7;
  c.receipt = "IOE0912345678";
  c.form = "I-485";
  c.received = make_date(2023, 5, 2);
  return c;
}

TEST(ValidateEvent, BuildsAnRfeWithItsDueDate) {
  EventText t{"RFE", "2025-02-03", "2025-05-01", "", std::nullopt, std::nullopt};
  auto r = check_event(stored_case(), t, k_today);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->value.case_id, 7);
  EXPECT_EQ(r->value.kind, EventKind::rfe);
  EXPECT_EQ(r->value.date, make_date(2025, 2, 3));
  EXPECT_EQ(r->value.due, make_date(2025, 5, 1));
  EXPECT_FALSE(r->value.ref);  // empty: not given
}

TEST(ValidateEvent, RefusesWhatNoEventCanHold) {
  struct Row {
    EventText text;
    const char* option_error;
    const char* field_error;
  };
  for (const Row& row : {
           Row{{"biometrics", "2025-01-10", "2025-02-01", {}, {}, {}},
               "--due: only an rfe or noid event (the response due date), a receipt, "
               "card-mailed, notice-mailed or card-returned event (USCIS's own \"by\" date) or "
               "a visa-issued event (the visa's expiry) has a due date, not biometrics",
               "field due: only an rfe or noid event (the response due date)"},
           Row{{"noid", "2025-03-01", "2025-02-01", {}, {}, {}},
               "--due: 2025-02-01 is before the noid date 2025-03-01",
               "field due: 2025-02-01 is before the noid date 2025-03-01"},
           Row{{"transfer", "2025-03-01", {}, {}, {}, {}},
               "--office: the value is missing; a transfer event needs the code of the new "
               "office (e.g. QNS)",
               "field office: the value is missing; a transfer event needs the code"},
           Row{{"e-request", "2025-03-01", {}, {}, "QNS", {}},
               "--office: only a transfer event has an office (the new one); to set the case's "
               "office use 'casewatch edit IOE0912345678 --office QNS'",
               "field office: only a transfer event has an office (the new one), not e-request"},
           Row{{"e-request", "2026-12-01", {}, {}, {}, {}},
               "--on: 2026-12-01 is after today (2026-11-28); give the date it happened",
               "field date: 2026-12-01 is after today (2026-11-28)"},
           Row{{"e-request", std::nullopt, {}, {}, {}, {}},
               "--on: the value is missing",
               "field date: the value is missing; every event needs its date"},
           Row{{"erfe", "2025-03-01", {}, {}, {}, {}},
               "KIND: 'erfe' is not an event kind",
               "field kind: 'erfe' is not an event kind"},
           Row{{"call", "2025-03-01", {}, "SR\nMT", {}, {}},
               "--ref: the value 'SR\\nMT' holds a control character (U+000A)",
               "field ref: the value 'SR\\nMT' holds a control character (U+000A)"},
       }) {
    auto as_option = check_event(stored_case(), row.text, k_today);
    ASSERT_FALSE(as_option) << row.option_error;
    EXPECT_TRUE(as_option.error().starts_with(row.option_error)) << as_option.error();
    auto as_field = check_event(stored_case(), row.text, k_today, FieldNames::fields);
    ASSERT_FALSE(as_field) << row.field_error;
    EXPECT_TRUE(as_field.error().starts_with(row.field_error)) << as_field.error();
  }
}

TEST(ValidateEvent, AppointmentsMayBeInTheFutureAndNotesSpanLines) {
  EventText t{"interview", "2027-01-15", {}, {}, {}, "bring\r\nthe I-693"};
  auto r = check_event(stored_case(), t, k_today);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->value.date, make_date(2027, 1, 15));
  EXPECT_EQ(r->value.note, "bring\r\nthe I-693");
  EventText transfer{"transfer", "2025-03-01", {}, {}, "zzz", {}};
  auto moved = check_event(stored_case(), transfer, k_today);
  ASSERT_TRUE(moved) << moved.error();
  EXPECT_EQ(moved->value.office, "ZZZ");
  ASSERT_EQ(moved->warnings.size(), 1U);
  EXPECT_TRUE(moved->warnings[0].starts_with("office ZZZ is not in the USCIS office list"));
}

// A case decided without a decision event (a CSV import) stays decided; a case decided by
// an event follows the event's date.
TEST(ValidateStatus, StoredDecisionWithoutEventHolds) {
  Case c = stored_case();
  c.status = Status::denied;
  EXPECT_EQ(effective_status(c, {}, k_today), Status::denied);
  Event approved;
  approved.id = 1;
  approved.kind = EventKind::approved;
  approved.date = make_date(2025, 8, 1);
  std::vector<Event> events = {approved};
  c.status = Status::approved;
  EXPECT_EQ(effective_status(c, events, make_date(2025, 7, 31)), Status::pending);
  EXPECT_EQ(effective_status(c, events, make_date(2025, 8, 1)), Status::approved);
}

// Import goes through the same definition: a due date on the wrong kind or before its event
// is refused, named by case, event and field.
TEST(ValidateImport, JsonRefusesDueOnTheWrongKindAndBeforeTheEvent) {
  auto doc = [](const std::string& event) {
    return R"({"format": "casewatch-export", "version": 1, "cases": [
        {"receipt": "IOE0912345678", "form": "I-485", "received": "2023-05-02",
         "events": [)" +
           event + "]}]}";
  };
  auto wrong_kind = import_cases_json(
      doc(R"({"kind": "interview", "date": "2025-01-10", "due": "2025-02-01"})"), k_today);
  ASSERT_FALSE(wrong_kind);
  EXPECT_EQ(wrong_kind.error(),
            "case 1 (IOE0912345678), event 1, field due: only an rfe or noid event (the "
            "response due date), a receipt, card-mailed, notice-mailed or card-returned event "
            "(USCIS's own \"by\" date) or a visa-issued event (the visa's expiry) has a due "
            "date, not interview");
  auto before = import_cases_json(
      doc(R"({"kind": "rfe", "date": "2025-02-03", "due": "2025-01-01"})"), k_today);
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error(),
            "case 1 (IOE0912345678), event 1, field due: 2025-01-01 is before the rfe date "
            "2025-02-03; the response is due after the notice");
  auto office_on_call =
      import_cases_json(doc(R"({"kind": "call", "date": "2025-02-03", "office": "QNS"})"), k_today);
  ASSERT_FALSE(office_on_call);
  EXPECT_TRUE(office_on_call.error().starts_with(
      "case 1 (IOE0912345678), event 1, field office: only a transfer event has an office"))
      << office_on_call.error();
  auto ok = import_cases_json(doc(R"({"kind": "rfe", "date": "2025-02-03", "due": "2025-05-01"})"),
                              k_today);
  ASSERT_TRUE(ok) << ok.error();
  EXPECT_EQ((*ok)[0].events[0].due, make_date(2025, 5, 1));
}

TEST(ValidateImport, CsvCarriesTheWarningsAndTheDecidedStatus) {
  std::vector<std::string> warnings;
  auto r = import_cases_csv(
      "receipt,form,received,office,status\n"
      "EAC2490012345,I-765,2024-06-01,ZZZ,denied\n",
      k_today, &warnings);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ((*r)[0].c.status, Status::denied);
  EXPECT_EQ(effective_status((*r)[0].c, (*r)[0].events, k_today), Status::denied);
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_TRUE(warnings[0].starts_with("line 2: office ZZZ is not in the USCIS office list"))
      << warnings[0];
}

}  // namespace
}  // namespace casewatch
