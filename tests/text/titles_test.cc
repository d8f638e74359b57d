#include "text/titles.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "base/utf8.h"
#include "test_util.h"

namespace tim {
namespace {

using testing::CodePoints;

TEST(DeriveTitleTest, FirstSentence) {
  const struct {
    std::string_view body;
    std::string_view title;
  } kCases[] = {
      {"Câu một. Câu hai.", "Câu một."},
      {"Hỏi gì? Đáp.", "Hỏi gì?"},
      {"Tuyệt vời! Thật.", "Tuyệt vời!"},
      {"Chỉ một dòng không dấu chấm", "Chỉ một dòng không dấu chấm"},
      {"Giá vàng tăng.\nDòng hai.", "Giá vàng tăng."},
      {"Người dân TP. Huế sửa xe sau lũ. Câu sau.",
       "Người dân TP. Huế sửa xe sau lũ."},
      {"Ông đến TP.HCM hôm qua. Câu sau.", "Ông đến TP.HCM hôm qua."},
      {"Lạm phát 3.5% năm nay. Câu sau.", "Lạm phát 3.5% năm nay."},
      {"GS. TS Dương Tấn Nhựt nói. Câu sau.", "GS. TS Dương Tấn Nhựt nói."},
      {"Sách của J.K. Rowling bán chạy. Câu sau.",
       "Sách của J.K. Rowling bán chạy."},
      {"Các thứ v.v. được bán. Câu sau.", "Các thứ v.v. được bán."},
      {"Họ bị đánh bại… Chúng tôi đã thấy.", "Họ bị đánh bại…"},
      {"Mối chúa… đã bay đi. Câu sau.", "Mối chúa… đã bay đi."},
      {"Ông nói: “Đã xong.” Rồi đi.", "Ông nói: “Đã xong.”"},
      {"Nga đạt “tiến triển”. Câu sau.", "Nga đạt “tiến triển”."},
      {"Gia nhập NATO. Câu sau.", "Gia nhập NATO."},
      {"Calpine Corp. - tập đoàn điện. Câu sau.",
       "Calpine Corp. - tập đoàn điện."},
      // No sentence ends before its first letter.
      {"... Mặt trời lặn. Câu sau.", "... Mặt trời lặn."},
      {"1 . Luật quy định. Câu sau.", "1 . Luật quy định."},
      // A dialogue dash is not part of the title.
      {"- Không phải. Câu sau.", "Không phải."},
      {"– Vâng. Câu sau.", "Vâng."},
      {"-5 độ C ở Sa Pa. Câu sau.", "-5 độ C ở Sa Pa."},
      {"“Trích dẫn không đóng? Vì sao. Tất cả”, ông nói.",
       "Trích dẫn không đóng?"},
      {"“Trích dẫn đầy đủ.” Câu sau.", "“Trích dẫn đầy đủ.”"},
      {"\"Hỏi thật sao? Ừ\", ông nói.", "Hỏi thật sao?"},
      {"  \n\n  Dòng đầu sau khoảng trắng.  ", "Dòng đầu sau khoảng trắng."},
      {"Chú thích ảnh - Ảnh: AFP\nNội dung thật. Câu sau.", "Nội dung thật."},
      {"Chỉ có chú thích (Ảnh: AFP).", "Chỉ có chú thích (Ảnh: AFP)."},
      {"Ảnh: AFP\n\nẢnh minh họa", "Ảnh: AFP"},
      {"", ""},
      {" \n\t\n", ""},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(DeriveTitle(c.body), c.title) << c.body;
  }
}

TEST(DeriveTitleTest, BbcCaptionLayout) {
  const std::string body =
      "Một chiếc xe tăng bị phá hủy ở Kharkiv\n\n"
      "Nguồn hình ảnh, Getty Images\n\n"
      "Chụp lại hình ảnh,\n\n"
      "Một chiếc xe tăng bị phá hủy ở Kharkiv\n\n"
      "Nội dung bài viết bắt đầu. Câu sau.";
  EXPECT_EQ(DeriveTitle(body), "Nội dung bài viết bắt đầu.");
}

TEST(DeriveTitleTest, CutsAtWordBoundaryCountingCharacters) {
  // 30 words of 4 characters but 6 to 8 bytes each.
  std::string body;
  for (int i = 0; i < 30; ++i) body += i ? " Việt" : "Việt";
  for (size_t max : {10u, 11u, 12u, 13u, 20u, 57u, 120u}) {
    const std::string title = DeriveTitle(body, max);
    EXPECT_TRUE(IsValidUtf8(title)) << max;
    EXPECT_LE(CodePoints(title), max) << max << ": " << title;
    ASSERT_TRUE(title.ends_with("…")) << max << ": " << title;
    const std::string_view kept(title.data(),
                                title.size() - std::string_view("…").size());
    EXPECT_TRUE(kept.ends_with("Việt")) << max << ": " << title;
    EXPECT_GT(CodePoints(title), max - 6) << max << ": " << title;
  }
  // Exactly at the limit: not cut.
  EXPECT_EQ(DeriveTitle("Việt Nam", 8), "Việt Nam");
  EXPECT_EQ(DeriveTitle("Việt Nam ơi", 8), "Việt…");
  // No dangling comma before the ellipsis.
  EXPECT_EQ(DeriveTitle("Hà Nội, Huế, Đà Nẵng và TP.HCM", 14), "Hà Nội, Huế…");
}

TEST(DeriveTitleTest, CutsAWordWithoutSpacesAtACharacter) {
  std::string body;
  for (int i = 0; i < 50; ++i) body += "ệ";
  const std::string title = DeriveTitle(body, 10);
  EXPECT_TRUE(IsValidUtf8(title));
  EXPECT_EQ(CodePoints(title), 10u);
  EXPECT_TRUE(title.ends_with("ệ…"));
}

}  // namespace
}  // namespace tim
