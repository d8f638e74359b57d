#include "search/snippet.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "text/analyzer.h"

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

// The straightforward snippet: every word of the text tokenized, the best
// window searched over all of them. MakeSnippet must give the same result.
HighlightedText ReferenceSnippet(std::string_view text,
                                 const std::unordered_set<std::string>& keys,
                                 size_t max_chars, std::vector<std::string>* matched) {
  struct Word {
    size_t begin, end, char_begin, char_end;
    int key;
  };
  std::vector<Word> words;
  std::vector<std::string> found;
  auto chars = [&](size_t offset) {
    size_t n = 0;
    for (size_t i = 0; i < offset; ++i) n += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    return n;
  };
  for (const Token& token : Tokenize(text)) {
    int key = -1;
    if (keys.count(token.folded)) {
      auto it = std::find(found.begin(), found.end(), token.folded);
      key = static_cast<int>(it - found.begin());
      if (it == found.end()) found.push_back(token.folded);
      if (std::find(matched->begin(), matched->end(), token.exact) == matched->end()) {
        matched->push_back(token.exact);
      }
    }
    words.push_back({token.begin, token.end, chars(token.begin), chars(token.end), key});
  }
  if (words.empty()) return {};
  size_t first = 0;
  std::pair<size_t, size_t> best{0, 0};
  for (size_t f = 0; f < words.size(); ++f) {
    if (words[f].key < 0) continue;
    std::vector<int> seen(found.size());
    std::pair<size_t, size_t> score{0, 0};
    for (size_t i = f; i < words.size() && words[i].char_end - words[f].char_begin <= max_chars; ++i) {
      if (words[i].key < 0) continue;
      if (!seen[words[i].key]++) ++score.first;
      ++score.second;
    }
    if (score > best) best = score, first = f;
  }
  const size_t match_char = words[first].char_begin;
  while (first > 0 && match_char - words[first - 1].char_begin <= max_chars / 4) --first;
  size_t last = first;
  while (last + 1 < words.size() && words[last + 1].char_end - words[first].char_begin <= max_chars) ++last;
  // Render as MakeSnippet does: whitespace runs as one space, ellipses at cuts.
  auto collapsed = [](std::string_view piece, std::string* out) {
    for (char c : piece) {
      const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
      if (!space) out->push_back(c);
      else if (out->empty() || out->back() != ' ') out->push_back(' ');
    }
  };
  HighlightedText out;
  const bool cut_before = first > 0, cut_after = last + 1 < words.size();
  if (cut_before) out.text += "…";
  size_t done = cut_before ? words[first].begin : 0;
  for (size_t i = first; i <= last; ++i) {
    if (words[i].key < 0) continue;
    collapsed(text.substr(done, words[i].begin - done), &out.text);
    const size_t begin = out.text.size();
    out.text.append(text.substr(words[i].begin, words[i].end - words[i].begin));
    out.highlights.emplace_back(begin, out.text.size());
    done = words[i].end;
  }
  collapsed(text.substr(done, (cut_after ? words[last].end : text.size()) - done), &out.text);
  if (!out.text.empty() && out.text.back() == ' ') out.text.pop_back();
  if (cut_after) out.text += "…";
  return out;
}

TEST(SnippetTest, WindowsOnlyTheNeighbourhoodOfTheMatchYetPicksAsBefore) {
  const std::vector<std::string> pieces = {
      "đàm", "phán", "Đàm", "PHÁN", "hòa", "bình", "Hà", "Nội", "người", "ngươi",
      "—", ",", ".", "\n\n", "“", "”", "(", ")", "G7", "9/11", "TP.HCM", "ño",
      "  ", "\t", "Ấn", "Độ", "chiến", "tranh", "a", "xyz"};
  std::mt19937 random(42);
  for (int round = 0; round < 400; ++round) {
    std::string text;
    const size_t words = random() % 300;
    for (size_t i = 0; i < words; ++i) {
      text += pieces[random() % pieces.size()];
      if (random() % 4 != 0) text += ' ';
    }
    std::unordered_set<std::string> keys;
    for (const char* key : {"dam", "phan", "hoa", "binh", "ha", "noi", "nguoi", "g7", "no"}) {
      if (random() % 3 == 0) keys.insert(key);
    }
    const size_t max_chars = 10 + random() % 200;
    std::vector<std::string> matched, expected_matched;
    const HighlightedText snippet = MakeSnippet(text, keys, max_chars, &matched);
    const HighlightedText expected = ReferenceSnippet(text, keys, max_chars, &expected_matched);
    ASSERT_EQ(snippet.text, expected.text) << "round " << round << ": " << text;
    ASSERT_EQ(snippet.highlights, expected.highlights) << "round " << round;
    ASSERT_EQ(matched, expected_matched) << "round " << round;
  }
}

}  // namespace
}  // namespace tim
