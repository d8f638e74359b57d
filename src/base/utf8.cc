#include "base/utf8.h"

#include <cstdint>

namespace tim {

namespace {

bool IsContinuation(uint8_t byte) { return (byte & 0xC0) == 0x80; }

// Length of the well-formed sequence starting at text[i], or 0. The ranges
// of the second byte are those of Unicode's Table 3-7, which rule out
// overlong forms, surrogates and code points past U+10FFFF.
size_t SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t lead = byte(i);
  if (lead < 0x80) return 1;
  size_t length;
  uint8_t second_min = 0x80, second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;
    if (lead == 0xED) second_max = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;
    if (lead == 0xF4) second_max = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < second_min || byte(i + 1) > second_max) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (!IsContinuation(byte(i + k))) return 0;
  }
  return length;
}

}  // namespace

bool IsValidUtf8(std::string_view text, size_t* error_offset) {
  size_t i = 0;
  while (i < text.size()) {
    // Skip ASCII quickly: most of any text is spaces, digits and punctuation.
    if (static_cast<uint8_t>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t length = SequenceLength(text, i);
    if (length == 0) {
      if (error_offset) *error_offset = i;
      return false;
    }
    i += length;
  }
  return true;
}

size_t DecodeUtf8(std::string_view s, size_t pos, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  const size_t len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC2 ? 2 : 0;
  if (len == 0 || b0 > 0xF4 || s.size() - pos < len) {
    *cp = 0xFFFD;
    return 1;
  }
  char32_t value = b0 & (0x7F >> len);
  for (size_t i = 1; i < len; ++i) {
    if (!IsContinuationByte(s[pos + i])) {
      *cp = 0xFFFD;
      return 1;
    }
    value = (value << 6) | (static_cast<unsigned char>(s[pos + i]) & 0x3F);
  }
  *cp = value;
  return len;
}

size_t CountCodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += !IsContinuationByte(c);
  return n;
}

size_t OffsetOfCodePoint(std::string_view s, size_t n) {
  size_t i = 0;
  while (i < s.size() && n > 0) {
    ++i;
    while (i < s.size() && IsContinuationByte(s[i])) ++i;
    --n;
  }
  return i;
}

char32_t DecodeFirst(std::string_view s) {
  const auto b = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  if (s.empty()) return 0;
  if (b(0) < 0x80) return b(0);
  if (b(0) < 0xE0 && s.size() >= 2) return (b(0) & 0x1F) << 6 | (b(1) & 0x3F);
  if (b(0) < 0xF0 && s.size() >= 3) {
    return (b(0) & 0x0F) << 12 | (b(1) & 0x3F) << 6 | (b(2) & 0x3F);
  }
  if (s.size() >= 4) {
    return (b(0) & 0x07) << 18 | (b(1) & 0x3F) << 12 | (b(2) & 0x3F) << 6 |
           (b(3) & 0x3F);
  }
  return 0;
}

}  // namespace tim
