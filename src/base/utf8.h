// utf8.h: UTF-8 validation, encoding and decoding, shared by every reader
// of outside text.
#ifndef TIM_SRC_BASE_UTF8_H_
#define TIM_SRC_BASE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tim {

// True if `text` is well-formed UTF-8 (no overlong forms, surrogates or
// values past U+10FFFF, no truncated sequence). On failure, sets
// *error_offset (when given) to the offset of the first bad byte.
bool IsValidUtf8(std::string_view text, size_t* error_offset = nullptr);

// The UTF-8 bytes of one code point.
struct Utf8Bytes {
  char bytes[4];
  uint8_t length;
};

// The UTF-8 encoding of the code point `cp` (at most U+10FFFF); constexpr,
// so that the analyzer's letter tables are encoded at compile time.
constexpr Utf8Bytes EncodeUtf8(char32_t cp) {
  if (cp < 0x80) return {{static_cast<char>(cp), 0, 0, 0}, 1};
  if (cp < 0x800) {
    return {{static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F)), 0, 0},
            2};
  }
  if (cp < 0x10000) {
    return {{static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
             static_cast<char>(0x80 | (cp & 0x3F)), 0},
            3};
  }
  return {{static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
           static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))},
          4};
}

// Appends the UTF-8 encoding of the code point `cp` (at most U+10FFFF) to
// `out`.
inline void AppendUtf8(char32_t cp, std::string* out) {
  const Utf8Bytes encoded = EncodeUtf8(cp);
  out->append(encoded.bytes, encoded.length);
}

// Decodes the code point at s[pos] (pos < s.size()) into *cp; returns its
// length in bytes. A malformed or truncated sequence yields U+FFFD and
// length 1, which is all a scanner of outside text needs.
size_t DecodeUtf8(std::string_view s, size_t pos, char32_t* cp);

// The byte order mark U+FEFF, which some editors put at the start of a file.
inline constexpr std::string_view kBom = "\xEF\xBB\xBF";

// True for the bytes that continue a multi-byte sequence (10xxxxxx).
inline bool IsContinuationByte(char c) {
  return (static_cast<uint8_t>(c) & 0xC0) == 0x80;
}

// The number of code points of `s` (valid UTF-8).
size_t CountCodePoints(std::string_view s);

// Byte offset just past the first `n` code points of `s`.
size_t OffsetOfCodePoint(std::string_view s, size_t n);

// Decodes the code point starting at s[0] (assumed valid UTF-8); 0 for an
// empty or truncated `s`.
char32_t DecodeFirst(std::string_view s);

}  // namespace tim

#endif  // TIM_SRC_BASE_UTF8_H_
