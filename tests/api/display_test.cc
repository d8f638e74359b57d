// DisplayText: record text made safe for a terminal (hardening finding 14).
#include "tim/display.h"

#include <gtest/gtest.h>

namespace tim {
namespace {

TEST(DisplayTextTest, VietnameseTextIsUnchanged) {
  EXPECT_EQ(DisplayText("Đàm phán ở Hà Nội: \"giá xăng\" tăng 5%"),
            "Đàm phán ở Hà Nội: \"giá xăng\" tăng 5%");
}

TEST(DisplayTextTest, ANewlineCannotForgeAnotherLine) {
  EXPECT_EQ(DisplayText("id\ntim: error: forged"), "id\\x0atim: error: forged");
  EXPECT_EQ(DisplayText("a\r\tb"), "a\\x0d\\x09b");
}

TEST(DisplayTextTest, TerminalEscapesAreShownNotSent) {
  EXPECT_EQ(DisplayText("\x1b]0;owned\x07\x1b[2J"), "\\x1b]0;owned\\x07\\x1b[2J");
  EXPECT_EQ(DisplayText(std::string_view("a\0b\x7f", 4)), "a\\x00b\\x7f");
  EXPECT_EQ(DisplayText("\xc2\x9b" "31m"), "\\u009b31m");  // C1 CSI
}

TEST(DisplayTextTest, BidiOverridesAreShown) {
  EXPECT_EQ(DisplayText("abc\u202Etxt.exe\u2066x\u200F"), "abc\\u202etxt.exe\\u2066x\\u200f");
}

TEST(DisplayTextTest, InvalidUtf8IsShownByteByByte) {
  EXPECT_EQ(DisplayText("a\xff\xc3"), "a\\xff\\xc3");
  EXPECT_EQ(DisplayText("\xc0\xaf"), "\\xc0\\xaf");            // overlong '/'
  EXPECT_EQ(DisplayText("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate
}

TEST(DisplayTextTest, BodiesKeepTheirLines) {
  EXPECT_EQ(DisplayText("một\n\thai\x1b", DisplayLines::kKeep), "một\n\thai\\x1b");
}

}  // namespace
}  // namespace tim
