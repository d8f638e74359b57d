// analyzer.h: Vietnamese text analysis shared by indexing, querying and
// snippets, so that a word is always seen the same way on both sides.
//
//   NormalizeText: how stored text and queries are cleaned (NFC, look-alike
//                  letters, odd spaces) while keeping case and tone marks.
//   Tokenize:      splits normalized text into syllable tokens, each with
//                  an exact key (lowercase, one canonical tone placement)
//                  and a folded key (no diacritics at all, đ -> d).
#ifndef TIM_SRC_TEXT_ANALYZER_H_
#define TIM_SRC_TEXT_ANALYZER_H_

#include <array>
#include <bitset>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace tim {

// Returns `text` (valid UTF-8) in NFC, with look-alike letters mapped to the
// Vietnamese ones (Ð U+00D0 and Ɖ U+0189 -> Đ U+0110; ð U+00F0 and ɖ U+0256
// -> đ U+0111), no-break and other Unicode spaces turned into ' ', and
// zero-width characters (U+200B-U+200D, U+2060, U+FEFF) removed. Case and
// tone placement are kept: this is the text tim stores and displays.
std::string NormalizeText(std::string_view text);

struct Token {
  // Lowercase, NFC, tone mark in the one canonical place ("hoà" -> "hòa",
  // "thuỷ" -> "thủy", "khoẻ" -> "khỏe"), i/y variants after a single
  // consonant unified ("kỹ" -> "kĩ"... see analyzer.cc).
  std::string exact;
  // `exact` without any diacritic ("đàm" -> "dam", "thủy" -> "thuy").
  std::string folded;
  // Byte range of the token in the text given to Tokenize.
  uint32_t begin = 0;
  uint32_t end = 0;
};

// Calls `emit` for each token of `normalized` (output of NormalizeText), in
// order. A token is a maximal run of letters (with their combining marks)
// and digits: "G7" is one token, "9/11" and "TP.HCM" are two. Tokens longer
// than kMaxTokenBytes are skipped. The Token passed to `emit` is reused.
constexpr size_t kMaxTokenBytes = 64;
void Tokenize(std::string_view normalized,
              const std::function<void(const Token&)>& emit);
std::vector<Token> Tokenize(std::string_view normalized);

// The tokens that may have one of some folded keys, told from a token's
// letters before its keys are written: as many letters as a key has bytes,
// the first one the key's first. (The spelling rules never change a first
// letter or a count of letters.)
class KeyShapes {
 public:
  template <typename Keys>  // strings
  explicit KeyShapes(const Keys& folded_keys) {
    for (const auto& key : folded_keys) {
      if (!key.empty() && key.size() <= kMaxTokenBytes) {
        first_letters_[key.size()].set(static_cast<unsigned char>(key[0]) & 0x7F);
      }
    }
  }
  bool May(size_t letters, char first) const {
    return letters <= kMaxTokenBytes &&
           first_letters_[letters][static_cast<unsigned char>(first) & 0x7F];
  }

 private:
  std::array<std::bitset<128>, kMaxTokenBytes + 1> first_letters_{};
};

// Tokenize, writing the keys only of the tokens `shapes` may have: the
// others reach `emit` with both keys empty. For a search of a few words in
// a whole article, whose other words' keys were most of the work.
void Tokenize(std::string_view normalized, const KeyShapes& shapes,
              const std::function<void(const Token&)>& emit);

// The keys of a single word, as Tokenize would compute them for it. `word`
// is meant to be one token; a character Tokenize would split on is kept,
// lowercased, rather than splitting, and no length limit applies.
std::string ExactKey(std::string_view word);
std::string FoldedKey(std::string_view word);

}  // namespace tim

#endif  // TIM_SRC_TEXT_ANALYZER_H_
