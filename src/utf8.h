// utf8.h: UTF-8 validation and encoding, shared by every reader of outside
// text.
#ifndef TIM_SRC_UTF8_H_
#define TIM_SRC_UTF8_H_

#include <cstddef>
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

}  // namespace tim

#endif  // TIM_SRC_UTF8_H_
