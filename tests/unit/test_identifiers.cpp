// SPDX-License-Identifier: MIT
#include "casewatch/domain/identifiers.hpp"

#include <gtest/gtest.h>

namespace casewatch {
namespace {

TEST(Receipt, NormalizesCaseSpacesAndDashes) {
  for (const char* in :
       {"IOE0912345678", "ioe0912345678", "IOE-091-234-5678", " IOE 0912345678 "}) {
    auto r = normalize_receipt(in);
    ASSERT_TRUE(r) << in;
    EXPECT_EQ(*r, "IOE0912345678");
  }
}

TEST(Receipt, RefusesOtherShapes) {
  for (const char* bad : {"IOE091234567", "IOE09123456789", "IO0912345678X", "1230912345678",
                          "IOE09123456X8", "", "IOE*0912345678"}) {
    EXPECT_FALSE(normalize_receipt(bad)) << bad;
  }
  EXPECT_EQ(normalize_receipt("EAC123").error(),
            "'EAC123' is not a receipt number; a receipt number is 3 letters and 10 digits, as "
            "on the I-797 notice (e.g. IOE0912345678)");
}

TEST(Receipt, PrefixesAndTheOfficesTheyImply) {
  struct Row {
    const char* receipt;
    const char* office;  // "" for none
    bool known;
  };
  for (const Row& row : {Row{"EAC2190012345", "ESC", true}, Row{"WAC2190012345", "CSC", true},
                         Row{"LIN2190012345", "NSC", true}, Row{"SRC2190012345", "SSC", true},
                         Row{"YSC2190012345", "YSC", true}, Row{"MSC2190012345", "NBC", true},
                         Row{"NBC2190012345", "NBC", true}, Row{"IOE0912345678", "", true},
                         Row{"ABC0912345678", "", false}}) {
    EXPECT_EQ(is_known_receipt_prefix(row.receipt), row.known) << row.receipt;
    auto office = office_from_receipt(row.receipt);
    EXPECT_EQ(office.value_or(""), row.office) << row.receipt;
  }
}

TEST(Form, Normalizes) {
  struct Row {
    const char* in;
    const char* out;
  };
  for (const Row& row :
       {Row{"i485", "I-485"}, Row{"I485", "I-485"}, Row{"I-485", "I-485"}, Row{"i 485", "I-485"},
        Row{"i129f", "I-129F"}, Row{"n600k", "N-600K"}, Row{"I-129CW", "I-129CW"},
        Row{"g-28", "G-28"}, Row{"i-90", "I-90"}, Row{"EOIR-29", "EOIR-29"}}) {
    auto f = normalize_form(row.in);
    ASSERT_TRUE(f) << row.in;
    EXPECT_EQ(*f, row.out);
  }
  for (const char* bad : {"485", "I-", "I-485-FAM", "I-48500", "", "I-485ABCD", "ABCDE-1"}) {
    EXPECT_FALSE(normalize_form(bad)) << bad;
  }
}

TEST(Office, ThreeLetters) {
  EXPECT_EQ(*normalize_office("qns"), "QNS");
  for (const char* bad : {"QN", "QNSX", "Q1S", ""}) {
    EXPECT_FALSE(normalize_office(bad)) << bad;
  }
  EXPECT_EQ(normalize_office("Q1S").error(),
            "'Q1S' is not an office code; an office code is 3 letters, e.g. NSC, NBC, QNS (see "
            "'casewatch times list')");
}

TEST(Category, Keys) {
  EXPECT_EQ(*normalize_category("131a-fam"), "131A-FAM");
  EXPECT_EQ(*normalize_category("821SV_I"), "821SV_I");
  EXPECT_FALSE(normalize_category("131A FAM!"));
  EXPECT_FALSE(normalize_category(""));
}

}  // namespace
}  // namespace casewatch
