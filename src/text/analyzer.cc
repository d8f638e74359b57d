// analyzer.cc: NormalizeText, Tokenize and the key functions.
//
// Tokenize runs over every article at ingest, so it works on UTF-8 in one
// pass: each token is decoded into Letters (base letter, modifier, tone)
// with a static table of the Vietnamese letters, the spelling rules work on
// that form, and both keys are written from it. ICU only classifies code
// points outside ASCII and the table (quotes, dashes, other scripts) and
// computes the keys of the rare token holding a letter the table does not
// know (ü, ç, Ω, 中); NormalizeText is ICU's NFC plus a few replacements.
//
// One file of ~700 lines on purpose: the letter table, the spelling rules
// and the key writers share the private Letters form and the one-pass
// scanner that fills it, which the compiler inlines into Tokenize's loop
// (the hottest code of ingest); split, they would need that form in a
// header for nothing else to use.
#include "text/analyzer.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>

#include <unicode/bytestream.h>
#include <unicode/casemap.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "base/utf8.h"

namespace tim {

namespace {

// ---------------------------------------------------------------------------
// Letters
// ---------------------------------------------------------------------------

enum Modifier : uint8_t { kNoModifier, kCircumflex, kBreve, kHorn, kStroke };
enum Tone : uint8_t { kNoTone, kGrave, kAcute, kHook, kTilde, kDotBelow };

// A letter as the key builders see it: "Ấ" is {'a', kCircumflex, kAcute},
// "đ" is {'d', kStroke, kNoTone}. `base` is lowercase ASCII (a digit or, in
// ExactKey, any ASCII character), so the folded key is just the bases.
// Aligned so that a copy is a single 32-bit move: byte-wise copies of table
// entries cost a store-forwarding stall on every letter.
struct alignas(4) Letter {
  char base;
  uint8_t modifier;
  uint8_t tone;
};

// The Vietnamese vowels: one row per base letter and modifier, one column
// per Tone.
struct VowelRow {
  char base;
  Modifier modifier;
  char32_t lower[6];
  char32_t upper[6];
};

constexpr VowelRow kVowelRows[] = {
    {'a', kNoModifier,
     {U'a', U'à', U'á', U'ả', U'ã', U'ạ'},
     {U'A', U'À', U'Á', U'Ả', U'Ã', U'Ạ'}},
    {'a', kBreve,
     {U'ă', U'ằ', U'ắ', U'ẳ', U'ẵ', U'ặ'},
     {U'Ă', U'Ằ', U'Ắ', U'Ẳ', U'Ẵ', U'Ặ'}},
    {'a', kCircumflex,
     {U'â', U'ầ', U'ấ', U'ẩ', U'ẫ', U'ậ'},
     {U'Â', U'Ầ', U'Ấ', U'Ẩ', U'Ẫ', U'Ậ'}},
    {'e', kNoModifier,
     {U'e', U'è', U'é', U'ẻ', U'ẽ', U'ẹ'},
     {U'E', U'È', U'É', U'Ẻ', U'Ẽ', U'Ẹ'}},
    {'e', kCircumflex,
     {U'ê', U'ề', U'ế', U'ể', U'ễ', U'ệ'},
     {U'Ê', U'Ề', U'Ế', U'Ể', U'Ễ', U'Ệ'}},
    {'i', kNoModifier,
     {U'i', U'ì', U'í', U'ỉ', U'ĩ', U'ị'},
     {U'I', U'Ì', U'Í', U'Ỉ', U'Ĩ', U'Ị'}},
    {'o', kNoModifier,
     {U'o', U'ò', U'ó', U'ỏ', U'õ', U'ọ'},
     {U'O', U'Ò', U'Ó', U'Ỏ', U'Õ', U'Ọ'}},
    {'o', kCircumflex,
     {U'ô', U'ồ', U'ố', U'ổ', U'ỗ', U'ộ'},
     {U'Ô', U'Ồ', U'Ố', U'Ổ', U'Ỗ', U'Ộ'}},
    {'o', kHorn,
     {U'ơ', U'ờ', U'ớ', U'ở', U'ỡ', U'ợ'},
     {U'Ơ', U'Ờ', U'Ớ', U'Ở', U'Ỡ', U'Ợ'}},
    {'u', kNoModifier,
     {U'u', U'ù', U'ú', U'ủ', U'ũ', U'ụ'},
     {U'U', U'Ù', U'Ú', U'Ủ', U'Ũ', U'Ụ'}},
    {'u', kHorn,
     {U'ư', U'ừ', U'ứ', U'ử', U'ữ', U'ự'},
     {U'Ư', U'Ừ', U'Ứ', U'Ử', U'Ữ', U'Ự'}},
    {'y', kNoModifier,
     {U'y', U'ỳ', U'ý', U'ỷ', U'ỹ', U'ỵ'},
     {U'Y', U'Ỳ', U'Ý', U'Ỷ', U'Ỹ', U'Ỵ'}},
};
constexpr int kNumVowelRows = sizeof(kVowelRows) / sizeof(kVowelRows[0]);

// Letters read as đ: the Vietnamese pair and the look-alikes that
// NormalizeText maps to it (ɖ U+0256 lies outside the table's ranges and is
// handled by UnmaskD).
constexpr char32_t kDStrokeLetters[] = {U'đ', U'Đ', U'ð', U'Ð', U'Ɖ'};

// Every non-ASCII letter above lies in one of these two ranges.
constexpr char32_t kLatinFirst = 0x00C0, kLatinLast = 0x01B0;
constexpr char32_t kAdditionalFirst = 0x1EA0, kAdditionalLast = 0x1EF9;

// Code point -> Letter for the two ranges; base 0 marks a code point that
// is not a Vietnamese letter (ß, ü, ×...).
struct LetterTable {
  std::array<Letter, kLatinLast - kLatinFirst + 1> latin{};
  std::array<Letter, kAdditionalLast - kAdditionalFirst + 1> additional{};
  int size = 0;

  constexpr void Set(char32_t c, Letter letter) {
    if (c >= kLatinFirst && c <= kLatinLast) {
      latin[c - kLatinFirst] = letter;
      ++size;
    } else if (c >= kAdditionalFirst && c <= kAdditionalLast) {
      additional[c - kAdditionalFirst] = letter;
      ++size;
    }
  }
};

constexpr LetterTable BuildLetterTable() {
  LetterTable table;
  for (const VowelRow& row : kVowelRows) {
    for (uint8_t tone = kNoTone; tone <= kDotBelow; ++tone) {
      // The plain vowels are ASCII and fall outside both ranges.
      const Letter letter = {row.base, row.modifier, tone};
      table.Set(row.lower[tone], letter);
      table.Set(row.upper[tone], letter);
    }
  }
  for (char32_t c : kDStrokeLetters) table.Set(c, {'d', kStroke, kNoTone});
  return table;
}

constexpr LetterTable kLetterTable = BuildLetterTable();
// 12 vowels x 6 tones x 2 cases, less the 12 ASCII ones, plus the đ forms.
static_assert(kLetterTable.size == 12 * 6 * 2 - 12 + 5,
              "a Vietnamese letter lies outside the table's ranges");

inline Letter LookupLetter(UChar32 c) {
  if (c >= static_cast<UChar32>(kLatinFirst) &&
      c <= static_cast<UChar32>(kLatinLast)) {
    return kLetterTable.latin[c - kLatinFirst];
  }
  if (c >= static_cast<UChar32>(kAdditionalFirst) &&
      c <= static_cast<UChar32>(kAdditionalLast)) {
    return kLetterTable.additional[c - kAdditionalFirst];
  }
  return Letter{};
}

// (base, modifier) -> index into kVowelRows, or -1.
constexpr std::array<int8_t, 26 * 5> BuildRowIndex() {
  std::array<int8_t, 26 * 5> index{};
  for (int8_t& i : index) i = -1;
  for (int row = 0; row < kNumVowelRows; ++row) {
    index[(kVowelRows[row].base - 'a') * 5 + kVowelRows[row].modifier] =
        static_cast<int8_t>(row);
  }
  return index;
}

constexpr std::array<int8_t, 26 * 5> kRowIndex = BuildRowIndex();

// The lowercase vowels of kVowelRows, UTF-8 encoded.
constexpr std::array<std::array<Utf8Bytes, 6>, kNumVowelRows> BuildEncoded() {
  std::array<std::array<Utf8Bytes, 6>, kNumVowelRows> encoded{};
  for (int row = 0; row < kNumVowelRows; ++row) {
    for (int tone = kNoTone; tone <= kDotBelow; ++tone) {
      encoded[row][tone] = EncodeUtf8(kVowelRows[row].lower[tone]);
    }
  }
  return encoded;
}

constexpr std::array<std::array<Utf8Bytes, 6>, kNumVowelRows> kEncodedVowels =
    BuildEncoded();
constexpr Utf8Bytes kEncodedDStroke = EncodeUtf8(U'đ');

// The lowercase precomposed form of a letter that has a modifier or a tone
// (so it is a Vietnamese vowel or đ).
const Utf8Bytes& Compose(Letter letter) {
  if (letter.modifier == kStroke) return kEncodedDStroke;
  const int row = kRowIndex[(letter.base - 'a') * 5 + letter.modifier];
  return kEncodedVowels[row][letter.tone];
}

bool IsVowel(char base) {
  switch (base) {
    case 'a': case 'e': case 'i': case 'o': case 'u': case 'y':
      return true;
    default:
      return false;
  }
}

bool IsPlain(Letter letter) {
  return letter.modifier == kNoModifier && letter.tone == kNoTone;
}

// Applies the combining mark `c` to `last`, as NFC would compose them, but
// in any order (NFD puts the dot below before the circumflex of "ậ"). False
// if `c` is not a Vietnamese mark or does not fit that letter.
bool ApplyMark(UChar32 c, Letter* last) {
  uint8_t tone = kNoTone;
  uint8_t modifier = kNoModifier;
  switch (c) {
    case 0x0300: tone = kGrave; break;
    case 0x0301: tone = kAcute; break;
    case 0x0309: tone = kHook; break;
    case 0x0303: tone = kTilde; break;
    case 0x0323: tone = kDotBelow; break;
    case 0x0302: modifier = kCircumflex; break;
    case 0x0306: modifier = kBreve; break;
    case 0x031B: modifier = kHorn; break;
    default: return false;
  }
  if (tone != kNoTone) {
    if (last->tone != kNoTone || !IsVowel(last->base)) return false;
    last->tone = tone;
    return true;
  }
  if (last->modifier != kNoModifier || last->base < 'a' || last->base > 'z' ||
      kRowIndex[(last->base - 'a') * 5 + modifier] < 0) {
    return false;
  }
  last->modifier = modifier;
  return true;
}

constexpr std::array<char, 128> BuildAsciiLower() {
  std::array<char, 128> lower{};
  for (int c = 0; c < 128; ++c) {
    lower[c] = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return lower;
}

constexpr std::array<char, 128> kAsciiLower = BuildAsciiLower();

// Adds non-ASCII code point `c` to the *count letters at `letters`: a letter
// of the table, or a Vietnamese mark fitting the letter before it. False for
// anything else, which sends the token down the ICU path.
inline bool AddNonAscii(UChar32 c, Letter* letters, size_t* count) {
  const Letter letter = LookupLetter(c);
  if (letter.base != 0) {
    letters[(*count)++] = letter;
    return true;
  }
  return *count > 0 && ApplyMark(c, &letters[*count - 1]);
}

// Returned instead of a letter count for text the table cannot spell.
constexpr size_t kNotInTable = static_cast<size_t>(-1);

// Decodes all of `text` into `letters` (room for text.size() of them), as
// ScanToken does for a token, and returns how many; or kNotInTable.
size_t ParseLetters(std::string_view text, Letter* letters) {
  const size_t n = text.size();
  size_t count = 0;
  size_t i = 0;
  while (i < n) {
    const uint8_t byte = static_cast<uint8_t>(text[i]);
    if (byte < 0x80) {
      letters[count++] = {kAsciiLower[byte], kNoModifier, kNoTone};
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(text.data(), i, n, c);
    if (!AddNonAscii(c, letters, &count)) return kNotInTable;
  }
  return count;
}

// ---------------------------------------------------------------------------
// Canonical spelling
// ---------------------------------------------------------------------------

// Vietnamese writes the tone of an open syllable ending in oa, oe or uy in
// two ways: on the first vowel (hòa, khỏe, thủy), the more common in the
// news corpus by about two to one, or on the second (hoà, khoẻ, thuỷ). The
// two never contrast, so the key always puts it on the first. Left alone: a syllable with a final
// consonant, where both conventions agree (hoàn, khoảng, huýt); "qu" + y,
// where u belongs to the initial (quý, quỷ); and longer vowel clusters
// (khuỷu, ngoẻo), where the pair is not at the end.
void MoveToneToFirstVowelOfPair(std::span<Letter> letters) {
  const size_t n = letters.size();
  if (n < 2) return;
  Letter& first = letters[n - 2];
  Letter& second = letters[n - 1];
  if (second.tone == kNoTone || first.tone != kNoTone ||
      first.modifier != kNoModifier || second.modifier != kNoModifier) {
    return;
  }
  const bool is_pair = (first.base == 'o' && second.base == 'a') ||
                       (first.base == 'o' && second.base == 'e') ||
                       (first.base == 'u' && second.base == 'y');
  if (!is_pair) return;
  if (n >= 3) {
    const Letter before = letters[n - 3];
    if (first.base == 'u' && before.base == 'q') return;
    // The i of an initial "gi" is part of the consonant, not of the vowels.
    const bool gi_initial = n == 4 && letters[0].base == 'g' &&
                            before.base == 'i' && IsPlain(before);
    if (IsVowel(before.base) && !gi_initial) return;
  }
  first.tone = second.tone;
  second.tone = kNoTone;
}

// After a single initial consonant the vowel /i/ is spelled both i and y
// (kĩ/kỹ, lí/lý, mĩ/mỹ, tỉ/tỷ, hi/hy, even ti/ty in "công ty"); the key
// uses i, as school textbooks do, though the press mostly writes y. A y
// alone (ý, y) or after anything else (quy, thy, xy) is left as it is.
void SpellIAfterSingleConsonant(std::span<Letter> letters) {
  if (letters.size() != 2) return;
  const Letter consonant = letters[0];
  Letter& vowel = letters[1];
  if (vowel.base != 'y' || vowel.modifier != kNoModifier) return;
  const bool single_consonant =
      (consonant.base == 'd' && consonant.modifier == kStroke) ||
      (IsPlain(consonant) &&
       std::string_view("bdhklmnrstv").find(consonant.base) !=
           std::string_view::npos);
  if (single_consonant) vowel.base = 'i';
}

// Applies the spelling rules to `letters` and writes both keys.
void WriteKeys(std::span<Letter> letters, Token* token) {
  MoveToneToFirstVowelOfPair(letters);
  SpellIAfterSingleConsonant(letters);
  const size_t n = letters.size();
  // Sized for the worst case, three bytes a letter, then trimmed: this keeps
  // the loop free of capacity checks (measured faster than appending).
  token->exact.resize(3 * n);
  token->folded.resize(n);
  char* exact = token->exact.data();
  char* folded = token->folded.data();
  size_t length = 0;
  for (size_t i = 0; i < n; ++i) {
    const Letter letter = letters[i];
    folded[i] = letter.base;
    if (IsPlain(letter)) {
      exact[length++] = letter.base;
    } else {
      const Utf8Bytes& encoded = Compose(letter);
      std::memcpy(exact + length, encoded.bytes, 3);
      length += encoded.length;
    }
  }
  token->exact.resize(length);
}

// Computes the keys of `text` from the letter table; false if the table
// cannot spell it.
bool ComputeKeysWithTable(std::string_view text, Token* token) {
  std::vector<Letter> letters(text.size());
  const size_t count = ParseLetters(text, letters.data());
  if (count == kNotInTable) return false;
  WriteKeys(std::span(letters.data(), count), token);
  return true;
}

// ---------------------------------------------------------------------------
// ICU path
// ---------------------------------------------------------------------------

[[noreturn]] void DieOnMissingIcuData(UErrorCode status) {
  std::fprintf(stderr, "tim: ICU normalization data unavailable: %s\n",
               u_errorName(status));
  std::abort();
}

const icu::Normalizer2& Nfc() {
  static const icu::Normalizer2* const nfc = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* instance = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) DieOnMissingIcuData(status);
    return instance;
  }();
  return *nfc;
}

const icu::Normalizer2& Nfd() {
  static const icu::Normalizer2* const nfd = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* instance = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status)) DieOnMissingIcuData(status);
    return instance;
  }();
  return *nfd;
}

// Texts are articles and queries, far below ICU's 2 GiB string limit.
icu::StringPiece ToStringPiece(std::string_view text) {
  return icu::StringPiece(text.data(), static_cast<int32_t>(text.size()));
}

bool IsNormalized(const icu::Normalizer2& normalizer, std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const bool normalized =
      normalizer.isNormalizedUTF8(ToStringPiece(text), status);
  return normalized && U_SUCCESS(status);
}

// Returns `text` normalized. The caller has checked IsNormalized first:
// almost all text already is, and the check is much cheaper.
std::string NormalizeSlow(const icu::Normalizer2& normalizer,
                          std::string_view text) {
  std::string out;
  icu::StringByteSink<std::string> sink(&out,
                                        static_cast<int32_t>(text.size()));
  UErrorCode status = U_ZERO_ERROR;
  normalizer.normalizeUTF8(0, ToStringPiece(text), sink, nullptr, status);
  if (U_FAILURE(status)) return std::string(text);
  return out;
}

std::string Normalize(const icu::Normalizer2& normalizer,
                      std::string_view text) {
  if (IsNormalized(normalizer, text)) return std::string(text);
  return NormalizeSlow(normalizer, text);
}

// The Vietnamese letter for a look-alike NormalizeText would have replaced.
UChar32 UnmaskD(UChar32 c) {
  switch (c) {
    case 0x00D0: case 0x0189: return 0x0110;  // Ð Ɖ -> Đ
    case 0x00F0: case 0x0256: return 0x0111;  // ð ɖ -> đ
    default: return c;
  }
}

// Folds the letters that have no decomposition but that readers take for a
// base letter with a mark, as in the foreign names of the news (Søren,
// Łukasz, Yılmaz). đ is the Vietnamese one.
UChar32 FoldUndecomposable(UChar32 c) {
  switch (c) {
    case 0x0111: return 'd';  // đ
    case 0x00F8: return 'o';  // ø
    case 0x0142: return 'l';  // ł
    case 0x0131: return 'i';  // ı
    default: return c;
  }
}

// Computes the keys with ICU: full lowercase and NFC give the exact key,
// unless the result is spelled by the table (a deprecated U+0341 tone mark,
// say), and removing nonspacing and enclosing marks gives the folded key.
void ComputeKeysWithIcu(std::string_view text, Token* token) {
  std::string clean;
  for (size_t i = 0; i < text.size();) {
    UChar32 c;
    U8_NEXT(text.data(), i, text.size(), c);
    if (c < 0) c = 0xFFFD;  // Ill-formed UTF-8.
    AppendUtf8(static_cast<char32_t>(UnmaskD(c)), &clean);
  }
  std::string lower;
  icu::StringByteSink<std::string> sink(&lower);
  UErrorCode status = U_ZERO_ERROR;
  icu::CaseMap::utf8ToLower("", 0, ToStringPiece(clean), sink, nullptr,
                            status);
  if (U_FAILURE(status)) lower = clean;
  std::string exact = Normalize(Nfc(), lower);
  if (ComputeKeysWithTable(exact, token)) return;
  const std::string decomposed = Normalize(Nfd(), exact);
  std::string folded;
  for (size_t i = 0; i < decomposed.size();) {
    UChar32 c;
    U8_NEXT(decomposed.data(), i, decomposed.size(), c);
    if (U_GET_GC_MASK(c) & (U_GC_MN_MASK | U_GC_ME_MASK)) continue;
    AppendUtf8(static_cast<char32_t>(FoldUndecomposable(c)), &folded);
  }
  token->folded = Normalize(Nfc(), folded);
  token->exact = std::move(exact);
}

void ComputeKeys(std::string_view text, Token* token) {
  if (!ComputeKeysWithTable(text, token)) ComputeKeysWithIcu(text, token);
}

// ---------------------------------------------------------------------------
// Splitting
// ---------------------------------------------------------------------------

constexpr std::array<bool, 128> BuildAsciiWordTable() {
  std::array<bool, 128> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = table[c - 'a' + 'A'] = true;
  return table;
}

constexpr std::array<bool, 128> kAsciiWordChar = BuildAsciiWordTable();

enum class CharClass { kSeparator, kWord, kMark };

// The class of a non-ASCII code point.
inline CharClass ClassifyNonAscii(UChar32 c) {
  if (LookupLetter(c).base != 0) return CharClass::kWord;
  if (c < 0) return CharClass::kSeparator;  // Ill-formed UTF-8.
  const uint32_t mask = U_GET_GC_MASK(c);
  if (mask & (U_GC_L_MASK | U_GC_ND_MASK)) return CharClass::kWord;
  if (mask & U_GC_M_MASK) return CharClass::kMark;
  return CharClass::kSeparator;
}

// Returns the offset of the first letter or digit at or after `i`. Marks
// with no letter before them are skipped like any other separator.
size_t SkipSeparators(std::string_view text, size_t i) {
  while (i < text.size()) {
    const uint8_t byte = static_cast<uint8_t>(text[i]);
    if (byte < 0x80) {
      if (kAsciiWordChar[byte]) return i;
      ++i;
      continue;
    }
    size_t next = i;
    UChar32 c;
    U8_NEXT(text.data(), next, text.size(), c);
    if (ClassifyNonAscii(c) == CharClass::kWord) return i;
    i = next;
  }
  return i;
}

// Returns the offset of the first separator at or after `i`.
size_t SkipWordCharacters(std::string_view text, size_t i) {
  while (i < text.size()) {
    const uint8_t byte = static_cast<uint8_t>(text[i]);
    if (byte < 0x80) {
      if (!kAsciiWordChar[byte]) return i;
      ++i;
      continue;
    }
    size_t next = i;
    UChar32 c;
    U8_NEXT(text.data(), next, text.size(), c);
    if (ClassifyNonAscii(c) == CharClass::kSeparator) return i;
    i = next;
  }
  return i;
}

// Finds the end of the token starting at `begin` (a letter or digit) and,
// in the same pass since this is the hot loop of ingest, decodes it into
// `letters` (room for kMaxTokenBytes): *count is set to how many, or to
// kNotInTable, as for a token too long to keep.
size_t ScanToken(std::string_view text, size_t begin, Letter* letters,
                 size_t* count) {
  const size_t n = text.size();
  size_t i = begin;
  size_t k = 0;
  bool in_table = true;
  while (i < n) {
    if (i - begin >= kMaxTokenBytes) {
      // `letters` may be full (a letter takes at least a byte), and any more
      // of the token makes it too long to keep: only its end matters now.
      // A multi-byte letter can step over the limit itself, hence >=.
      const size_t end = SkipWordCharacters(text, i);
      if (end == i) break;
      *count = kNotInTable;
      return end;
    }
    const uint8_t byte = static_cast<uint8_t>(text[i]);
    if (byte < 0x80) {
      if (!kAsciiWordChar[byte]) break;
      letters[k++] = {kAsciiLower[byte], kNoModifier, kNoTone};
      ++i;
      continue;
    }
    size_t next = i;
    UChar32 c;
    U8_NEXT(text.data(), next, n, c);
    if (ClassifyNonAscii(c) == CharClass::kSeparator) break;
    in_table = in_table && AddNonAscii(c, letters, &k);
    i = next;
  }
  *count = in_table ? k : kNotInTable;
  return i;
}

// ---------------------------------------------------------------------------
// NormalizeText
// ---------------------------------------------------------------------------

// Whether `byte` can start one of the sequences NormalizeText replaces.
inline bool IsSpecialLeadByte(uint8_t byte) {
  switch (byte) {
    case 0xC2: case 0xC3: case 0xC6: case 0xC9:
    case 0xE2: case 0xE3: case 0xEF:
      return true;
    default:
      return false;
  }
}

// The replacement of code point `c` in NormalizeText, or nullptr to keep it.
const char* Replacement(UChar32 c) {
  switch (c) {
    case 0x00D0: case 0x0189:
      return "Đ";
    case 0x00F0: case 0x0256:
      return "đ";
    case 0x00A0: case 0x202F: case 0x205F: case 0x3000:
      return " ";
    case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
      return "";
    default:
      return (c >= 0x2000 && c <= 0x200A) ? " " : nullptr;
  }
}

// Applies Replacement to `text`; returns false (and leaves *out alone) if
// nothing needed replacing, which is the common case.
bool ReplaceSpecialCharacters(std::string_view text, std::string* out) {
  size_t copied = 0;
  for (size_t i = 0; i < text.size();) {
    if (!IsSpecialLeadByte(static_cast<uint8_t>(text[i]))) {
      ++i;
      continue;
    }
    const size_t start = i;
    UChar32 c;
    U8_NEXT(text.data(), i, text.size(), c);
    const char* replacement = Replacement(c);
    if (replacement == nullptr) continue;
    if (copied == 0) out->reserve(text.size());
    out->append(text.substr(copied, start - copied));
    out->append(replacement);
    copied = i;
  }
  if (copied == 0) return false;
  out->append(text.substr(copied));
  return true;
}

}  // namespace

std::string NormalizeText(std::string_view text) {
  // Replacing first lets NFC compose across a removed zero-width character
  // ("a", U+200B, U+0300 -> "à"), and the replacements are NFC-inert.
  std::string replaced;
  if (ReplaceSpecialCharacters(text, &replaced)) {
    if (IsNormalized(Nfc(), replaced)) return replaced;
    return NormalizeSlow(Nfc(), replaced);
  }
  return Normalize(Nfc(), text);
}

namespace {

// Tokenize, writing the keys of the tokens `wanted(letters, first)` wants.
template <typename Wanted>
void TokenizeWanted(std::string_view normalized, Wanted wanted,
                    const std::function<void(const Token&)>& emit) {
  Token token;
  std::array<Letter, kMaxTokenBytes> letters{};
  size_t begin = SkipSeparators(normalized, 0);
  while (begin < normalized.size()) {
    size_t count;
    const size_t end = ScanToken(normalized, begin, letters.data(), &count);
    if (end - begin <= kMaxTokenBytes) {
      if (count == kNotInTable) {
        ComputeKeysWithIcu(normalized.substr(begin, end - begin), &token);
      } else if (wanted(count, letters[0].base)) {
        WriteKeys(std::span(letters.data(), count), &token);
      } else {
        token.exact.clear();
        token.folded.clear();
      }
      token.begin = static_cast<uint32_t>(begin);
      token.end = static_cast<uint32_t>(end);
      emit(token);
    }
    begin = SkipSeparators(normalized, end);
  }
}

}  // namespace

void Tokenize(std::string_view normalized,
              const std::function<void(const Token&)>& emit) {
  TokenizeWanted(normalized, [](size_t, char) { return true; }, emit);
}

void Tokenize(std::string_view normalized, const KeyShapes& shapes,
              const std::function<void(const Token&)>& emit) {
  TokenizeWanted(
      normalized, [&](size_t letters, char first) { return shapes.May(letters, first); }, emit);
}

std::vector<Token> Tokenize(std::string_view normalized) {
  std::vector<Token> tokens;
  Tokenize(normalized, [&tokens](const Token& token) {
    tokens.push_back(token);
  });
  return tokens;
}

std::string ExactKey(std::string_view word) {
  Token token;
  ComputeKeys(word, &token);
  return token.exact;
}

std::string FoldedKey(std::string_view word) {
  Token token;
  ComputeKeys(word, &token);
  return token.folded;
}

}  // namespace tim
