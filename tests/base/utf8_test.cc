#include "base/utf8.h"

#include <gtest/gtest.h>

namespace tim {
namespace {

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Hà Nội đàm phán"));
  EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x98\x80"));  // U+1F600, four bytes
}

TEST(Utf8Test, RejectsMalformedSequencesAndSaysWhere) {
  struct Case { const char* text; size_t offset; } cases[] = {
      {"H\xe0 N\xf4i", 1},      // Latin-1 bytes
      {"ab\xc0\xaf", 2},        // overlong '/'
      {"\xed\xa0\x80", 0},      // UTF-16 surrogate
      {"\xf4\x90\x80\x80", 0},  // past U+10FFFF
      {"abc\xe1\xba", 3},       // truncated at the end
      {"\x80", 0},              // lone continuation byte
  };
  for (const Case& c : cases) {
    size_t offset = 99;
    EXPECT_FALSE(IsValidUtf8(c.text, &offset)) << c.text;
    EXPECT_EQ(offset, c.offset) << c.text;
  }
}

}  // namespace
}  // namespace tim
