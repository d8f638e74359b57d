#include "snippet.h"

#include <gtest/gtest.h>

namespace tim {
namespace {

std::string Marked(const HighlightedText& snippet) {
  std::string out;
  size_t done = 0;
  for (const auto& [begin, end] : snippet.highlights) {
    out += snippet.text.substr(done, begin - done) + "[" +
           snippet.text.substr(begin, end - begin) + "]";
    done = end;
  }
  return out + snippet.text.substr(done);
}

TEST(SnippetTest, HighlightsFoldedMatchesWithTheirOwnAccents) {
  const HighlightedText snippet =
      MakeSnippet("Hai bên đàm phán tại Hà Nội.", {"dam", "phan"}, 200);
  EXPECT_EQ(Marked(snippet), "Hai bên [đàm] [phán] tại Hà Nội.");
}

TEST(SnippetTest, PicksTheWindowWithMostDistinctTerms) {
  std::string text = "Kursk mở đầu. ";
  for (int i = 0; i < 40; ++i) text += "câu chuyện không liên quan gì. ";
  text += "Cuối cùng Kursk và Sumy cùng xuất hiện ở đây.";
  for (int i = 0; i < 40; ++i) text += " thêm một đoạn văn nữa.";
  const HighlightedText snippet = MakeSnippet(text, {"kursk", "sumy"}, 80);
  EXPECT_NE(snippet.text.find("Sumy"), std::string::npos) << snippet.text;
  EXPECT_EQ(snippet.highlights.size(), 2u);
  EXPECT_EQ(snippet.text.rfind("…", 0), 0u);  // cut before
  EXPECT_GE(snippet.text.size(), 3u);
  EXPECT_EQ(snippet.text.substr(snippet.text.size() - 3), "…");  // and after
}

TEST(SnippetTest, LengthIsInCharactersNotBytes) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "đường ";
  const HighlightedText snippet = MakeSnippet(text, {"duong"}, 60);
  size_t chars = 0;
  for (unsigned char c : snippet.text) chars += (c & 0xC0) != 0x80;
  EXPECT_LE(chars, 62u);  // 60 plus the ellipsis
  EXPECT_GE(chars, 50u);
}

TEST(SnippetTest, NoMatchGivesTheStartAndNewlinesBecomeSpaces) {
  const HighlightedText snippet = MakeSnippet("Dòng một.\nDòng hai.", {"xyz"}, 200);
  EXPECT_EQ(snippet.text, "Dòng một. Dòng hai.");
  EXPECT_TRUE(snippet.highlights.empty());
  EXPECT_TRUE(MakeSnippet("", {"x"}, 10).text.empty());
}

}  // namespace
}  // namespace tim
