#include "tim/display.h"

#include <cstdio>

namespace tim {
namespace {

bool IsBidiControl(char32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

void AppendEscape(const char* format, unsigned value, std::string* out) {
  char escape[8];
  std::snprintf(escape, sizeof escape, format, value);
  *out += escape;
}

// The length of the valid UTF-8 sequence at the start of `text` and its
// code point, or 0 if it does not start with one.
size_t DecodeValid(std::string_view text, char32_t* c) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned lead = byte(0);
  size_t length = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2
                : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
  if (length == 0 || length > text.size()) return 0;
  char32_t code = length == 1 ? lead : lead & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code = code << 6 | (byte(i) & 0x3F);
  }
  // Overlong forms, surrogates and code points past U+10FFFF are invalid.
  static constexpr char32_t kLeast[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kLeast[length] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
    return 0;
  }
  *c = code;
  return length;
}

}  // namespace

std::string DisplayText(std::string_view text, DisplayLines lines) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    char32_t c = 0;
    const size_t length = DecodeValid(text, &c);
    if (length == 0) {
      AppendEscape("\\x%02x", static_cast<unsigned char>(text[0]), &out);
      text.remove_prefix(1);
      continue;
    }
    const bool kept_space = lines == DisplayLines::kKeep && (c == '\n' || c == '\t');
    if ((c < 0x20 && !kept_space) || c == 0x7F) {
      AppendEscape("\\x%02x", static_cast<unsigned>(c), &out);
    } else if ((c >= 0x80 && c <= 0x9F) || IsBidiControl(c)) {
      AppendEscape("\\u%04x", static_cast<unsigned>(c), &out);
    } else {
      out.append(text.substr(0, length));
    }
    text.remove_prefix(length);
  }
  return out;
}

}  // namespace tim
