// utf8.h: UTF-8 validation, shared by every reader of outside text.
#ifndef TIM_SRC_UTF8_H_
#define TIM_SRC_UTF8_H_

#include <cstddef>
#include <string_view>

namespace tim {

// True if `text` is well-formed UTF-8 (no overlong forms, surrogates or
// values past U+10FFFF, no truncated sequence). On failure, sets
// *error_offset (when given) to the offset of the first bad byte.
bool IsValidUtf8(std::string_view text, size_t* error_offset = nullptr);

}  // namespace tim

#endif  // TIM_SRC_UTF8_H_
