// Which agencies and publications an article credits or cites.
#include "text/cites.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"
#include "text/analyzer.h"

namespace tim {
namespace {

using Names = std::vector<std::string>;

Names Cites(const std::string& text) { return ExtractCites(NormalizeText(text)); }

struct Case {
  const char* text;
  Names cites;
};

void ExpectCites(const std::vector<Case>& cases) {
  for (const Case& c : cases) EXPECT_EQ(Cites(c.text), c.cites) << c.text;
}

TEST(CitesTest, PhotoCredits) {
  ExpectCites({
      {"Pháo thủ Ukraine gần Pokrovsk, ngày 11-12 - Ảnh: REUTERS", {"Reuters"}},
      {"Ngoại trưởng Nga Sergei Lavrov (Ảnh: RBC).", {"RBC"}},
      {"Ảnh minh họa: AFP/TTXVN", {"AFP", "TTXVN"}},
      {"Nguồn hình ảnh, EPA-EFE/REX/Shutterstock", {"EPA", "Shutterstock"}},
      {"Binh sĩ Ukraine. Ảnh: Reuters, AFP", {"Reuters", "AFP"}},
      {"Lễ khai mạc. Ảnh: Minh Hòa/TTXVN", {"TTXVN"}},
      {"Nguồn: Getty Images", {"Getty Images"}},
      // Photographers and ministries stand where agencies do.
      {"Toàn cảnh phiên họp. Ảnh: Tuấn Anh", {}},
      {"Ảnh: NVCC", {}},
      {"Nguồn: Bộ Y tế", {}},
      {"Ảnh hưởng của bão: Reuters đưa tin", {}},
  });
}

TEST(CitesTest, TheoCredits) {
  ExpectCites({
      {"Theo Reuters, tại cuộc gặp này, ông Putin đã đưa ra đề xuất.", {"Reuters"}},
      {"Giá dầu tăng, theo Bloomberg.", {"Bloomberg"}},
      {"Theo Tân Hoa Xã, trận động đất mạnh 6 độ.", {"Xinhua"}},
      {"Ông nói thêm, theo Reuters và AFP.", {"Reuters", "AFP"}},
      {"Theo Bộ Y tế, số ca mắc giảm.", {}},
      {"Theo ông Lavrov, hai bên vẫn đang tranh luận.", {}},
      // An unknown name inside a sentence may be anything.
      {"Theo Kicker, Bayern sẽ ký hợp đồng với tiền đạo này trong mùa hè tới.", {}},
      // Closing credits name sources only, so unknown titles count there.
      {"Kết thúc.\nMinh Anh (theo AP, Mosnews)", {"AP", "MosNews"}},
      {"Kết thúc.\n(theo Kicker)", {"Kicker"}},
      {"Kết thúc.\nTheo Bulgarianmilitary", {"Bulgarianmilitary"}},
      {"Kết thúc.\n(Theo Người Lao Động)", {"Báo Người Lao Động"}},
      {"Kết thúc.\n(Theo sách Bên cạnh điều bí ẩn)", {}},
  });
}

TEST(CitesTest, MediaNouns) {
  ExpectCites({
      {"Tờ Axios (Mỹ), dẫn lời các quan chức Mỹ giấu tên, cho biết", {"Axios"}},
      {"Trả lời phỏng vấn với báo Kommersant, ông Lavrov khẳng định", {"Kommersant"}},
      {"hãng tin AFP đưa tin", {"AFP"}},
      {"Hãng thông tấn Yonhap (Hàn Quốc) cho biết", {"Yonhap"}},
      {"hãng thông tấn Nga TASS dẫn lời", {"TASS"}},
      {"Hôm 9/11 trang tin NBC đưa tin", {"NBC"}},
      {"theo tờ Guardian và New York Times", {"The Guardian", "The New York Times"}},
      {"tờ Marca của Tây Ban Nha", {"Marca"}},
      {"Trả lời tờ Frankfurter Allgemeine Zeitung (Đức), ông nói", {"Frankfurter Allgemeine Zeitung"}},
      {"Theo báo Times of Israel, ông Trump", {"Times of Israel"}},
      {"Theo tờ Thời báo Hoàn Cầu, Bắc Kinh", {"Global Times"}},
      {"theo báo Lâm Đồng", {"Báo Lâm Đồng"}},
      {"trên tạp chí Nature vào đầu năm", {"Nature"}},
      {"kênh truyền hình Al-Jazeera công bố", {"Al Jazeera"}},
  });
}

TEST(CitesTest, NotAPublication) {
  ExpectCites({
      {"báo Mỹ cho biết", {}},
      {"báo Nga và báo Anh đều đưa tin", {}},
      {"kênh YouTube của anh ấy", {}},
      {"kênh Nhiêu Lộc - Thị Nghè", {}},
      {"kênh Tân Hóa - Lò Gốm", {}},
      {"kênh Suez của Ai Cập", {}},
      {"Đài Loan cho biết", {}},
      {"Người phát ngôn Bộ Ngoại giao Đài Loan Michel Lu", {}},
      {"lâu đài Windsor", {}},
      {"nhà báo Nguyễn Văn A", {}},
      {"thông báo Reuters", {}},
      {"hãng thông tấn Trung ương Triều Tiên", {}},
      {"tạp chí Khoa học và Đời sống", {}},
      {"tờ USD giả", {}},
      {"kênh VTV3", {"VTV"}},
  });
}

TEST(CitesTest, EachOnceInOrderOfFirstMention) {
  EXPECT_EQ(Cites("Ảnh: AFP\nTheo Reuters, ... hãng tin Reuters ... Ảnh: REUTERS. "
                  "Theo AFP, ..."),
            (Names{"AFP", "Reuters"}));
}

TEST(CitesTest, Seeds) {
  const std::vector<std::pair<std::string, Names>> kSeeds = {
      {"000_ffa5402f6aae78c4.txt", {"Reuters", "Axios"}},
      {"001_6255338c2fb240fd.txt", {"RBC", "Reuters"}},
      // "trang tin NBC" further down.
      {"002_875d31cde75c60a3.txt", {"EPA", "Shutterstock", "NBC"}},
      {"003_f2d66ba1e9ee483f.txt", {"Kommersant"}},
      {"004_620e17e2059e22f6.txt", {"Reuters"}},
  };
  for (const auto& [file, cites] : kSeeds) {
    EXPECT_EQ(Cites(testing::ReadFile(testing::SeedsDir() + "/" + file)), cites) << file;
  }
}

// Lines without a cue word are skipped untokenized; the cue words are still
// found capitalized, first on their line, and after lines without any.
TEST(CitesTest, CueWordsInAnyCaseAndLine) {
  ExpectCites({
      {"Kênh CNN cho biết.", {"CNN"}},
      {"Đài NHK đưa tin.", {"NHK"}},
      {"Tờ Axios viết", {"Axios"}},
      {"xem tiếp\nmột dòng khác\nHãng tin AFP dẫn lời", {"AFP"}},
      {"Video: Reuters", {"Reuters"}},
      {"Một dòng\n\nkhông có gì", {}},
  });
}

}  // namespace
}  // namespace tim
