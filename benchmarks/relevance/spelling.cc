#include "spelling.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <stdexcept>
#include <vector>

namespace tim::bench {

namespace {

const icu::Normalizer2& Normalizer(bool compose) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer =
      compose ? icu::Normalizer2::getNFCInstance(status)
              : icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU normalization data missing");
  return *normalizer;
}

icu::UnicodeString Normalize(const icu::UnicodeString& text, bool compose) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out = Normalizer(compose).normalize(text, status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU normalization failed");
  return out;
}

icu::UnicodeString FromUtf8(std::string_view text) {
  return icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
}

std::string ToUtf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

bool IsToneMark(UChar32 c) {
  return c == 0x0300 || c == 0x0301 || c == 0x0303 || c == 0x0309 || c == 0x0323;
}

bool IsVowel(UChar32 base) {
  switch (u_tolower(base)) {
    case 'a': case 'e': case 'i': case 'o': case 'u': case 'y':
      return true;
    default:
      return false;
  }
}

// A letter of a decomposed word: its base and the combining marks after it.
struct Letter {
  UChar32 base;
  std::vector<UChar32> marks;

  bool HasTone() const {
    for (UChar32 mark : marks) {
      if (IsToneMark(mark)) return true;
    }
    return false;
  }
  bool Plain() const { return marks.empty(); }
  bool Is(char c) const { return u_tolower(base) == c; }
};

std::vector<Letter> Letters(const icu::UnicodeString& nfd) {
  std::vector<Letter> letters;
  for (int32_t i = 0; i < nfd.length();) {
    const UChar32 c = nfd.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK && !letters.empty()) {
      letters.back().marks.push_back(c);
    } else {
      letters.push_back({c, {}});
    }
  }
  return letters;
}

// Whether the last two letters are an oa, oe or uy pair whose tone may sit
// on either vowel: no other vowel or qu before it (the i of an initial gi
// belongs to the consonant), no circumflex, breve or horn, one tone mark.
bool HasMovableTone(const std::vector<Letter>& letters) {
  const size_t n = letters.size();
  if (n < 2) return false;
  const Letter& first = letters[n - 2];
  const Letter& second = letters[n - 1];
  const bool pair = (first.Is('o') && (second.Is('a') || second.Is('e'))) ||
                    (first.Is('u') && second.Is('y'));
  if (!pair || first.HasTone() == second.HasTone()) return false;
  if (first.marks.size() + second.marks.size() != 1) return false;
  if (n >= 3) {
    const Letter& before = letters[n - 3];
    if (first.Is('u') && before.Is('q')) return false;
    const bool gi = n == 4 && letters[0].Is('g') && before.Is('i') && before.Plain();
    if (IsVowel(before.base) && !gi) return false;
  }
  return true;
}

// The word with its tone moved to the other vowel of the pair, or nullopt.
std::optional<icu::UnicodeString> SwapWord(const icu::UnicodeString& word) {
  std::vector<Letter> letters = Letters(Normalize(word, /*compose=*/false));
  if (!HasMovableTone(letters)) return std::nullopt;
  Letter& first = letters[letters.size() - 2];
  Letter& second = letters[letters.size() - 1];
  std::swap(first.marks, second.marks);
  icu::UnicodeString out;
  for (const Letter& letter : letters) {
    out.append(letter.base);
    for (UChar32 mark : letter.marks) out.append(mark);
  }
  return Normalize(out, /*compose=*/true);
}

}  // namespace

std::string StripDiacritics(std::string_view text) {
  const icu::UnicodeString nfd = Normalize(FromUtf8(text), /*compose=*/false);
  icu::UnicodeString out;
  for (int32_t i = 0; i < nfd.length();) {
    const UChar32 c = nfd.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    if (c == 0x0111) {
      out.append(static_cast<UChar32>('d'));
    } else if (c == 0x0110) {
      out.append(static_cast<UChar32>('D'));
    } else {
      out.append(c);
    }
  }
  return ToUtf8(Normalize(out, /*compose=*/true));
}

std::string Decompose(std::string_view text) {
  return ToUtf8(Normalize(FromUtf8(text), /*compose=*/false));
}

std::string Lowercase(std::string_view text) {
  return ToUtf8(Normalize(FromUtf8(text).toLower(), /*compose=*/true));
}

std::optional<std::string> SwapTonePlacement(std::string_view text) {
  std::string out;
  bool changed = false;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(start, end - start);
    const std::optional<icu::UnicodeString> swapped = SwapWord(FromUtf8(word));
    if (start > 0) out += ' ';
    out += swapped ? ToUtf8(*swapped) : std::string(word);
    changed |= swapped.has_value();
    start = end + 1;
  }
  if (!changed) return std::nullopt;
  return out;
}

}  // namespace tim::bench
