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

// Appends the UTF-8 encoding of the code point `cp` (at most U+10FFFF) to
// `out`.
void AppendUtf8(char32_t cp, std::string* out);

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
