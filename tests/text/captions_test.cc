#include "text/captions.h"

#include <string>

#include <gtest/gtest.h>

namespace tim {
namespace {

TEST(IsCaptionLineTest, Captions) {
  const char* kLines[] = {
      "Ảnh: AFP",
      "Ảnh: Bongz Nguyễn",
      "  Ảnh minh họa  ",
      "Ảnh minh hoạ",
      "Một cô giáo (Ảnh minh họa).",
      "Quy định mới (Ảnh minh họa: Alamy).",
      "Một tàu ngầm hạt nhân của Nga. Ảnh: gCaptain",
      "Nga cắm cờ ở Pokrovsk. Ảnh: Kyiv Independent.",
      "Nhận thừa kế quá lớn\u00A0(Ảnh:\u00A0Getty).",
      "Trần Ngô Quang Ngọc (áo xanh) khi du học tại Mỹ (Ảnh: NVCC).\"",
      "Hình ảnh từ hiện trường – ẢNH: TTXVN",
      "Sinh viên tại Tokyo (Ảnh: Hội thanh niên và sinh viên Việt Nam tại "
      "Nhật Bản cung cấp).",
      "Yang Geun Mo tại lớp học (Nguồn: The Korea Times).",
      "Nguồn: Reuters",
      "Nguồn ảnh: Getty Images",
      "Nguồn hình ảnh, Getty Images",
      "Chụp lại hình ảnh,",
      "Getty,",
      "Hà Nội,",
  };
  for (const char* line : kLines) EXPECT_TRUE(IsCaptionLine(line)) << line;
}

TEST(IsCaptionLineTest, NotCaptions) {
  const char* kLines[] = {
      "",
      "   ",
      "Tờ Axios (Mỹ), dẫn lời các quan chức Mỹ giấu tên.",
      "Ảnh hưởng của lạm phát đến đời sống người dân.",
      "Một số hình ảnh: người dân xếp hàng từ sáng sớm.",
      "Nguồn tin của Axios cho biết Washington muốn một sự bảo đảm.",
      "Nguồn: theo báo cáo của Bộ Tài chính công bố hôm qua, chi tiêu công "
      "tăng mạnh trong quý ba nhờ các dự án hạ tầng lớn được giải ngân.",
      "Những “nút thắt” trong đàm phán",
      "Theo ông, sau đó, Tổng thống Putin tuyên bố Nga sẵn sàng chấp nhận.",
      "Tuy nhiên, chiến sự vẫn tiếp diễn,",
      "Ảnh:",
  };
  for (const char* line : kLines) EXPECT_FALSE(IsCaptionLine(line)) << line;
}

// A credit is looked for only near the end of a line: a long paragraph
// (well over the 256 bytes a credit may take) is a caption when it ends
// with one, whatever it says before, and not when "Ảnh: ..." stands only
// at its start.
TEST(IsCaptionLineTest, LongLinesAreJudgedByTheirEnd) {
  std::string paragraph;
  while (paragraph.size() < 600) {
    paragraph += "Ảnh hưởng của lạm phát đến đời sống người dân rất rõ. ";
  }
  EXPECT_TRUE(IsCaptionLine(paragraph + "- Ảnh: REUTERS"));
  EXPECT_FALSE(IsCaptionLine("Ảnh: REUTERS. " + paragraph));
  EXPECT_FALSE(IsCaptionLine(paragraph));
}

}  // namespace
}  // namespace tim
