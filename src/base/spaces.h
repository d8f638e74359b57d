// spaces.h: spaces in UTF-8 text as readers of outside text meet them:
// ASCII whitespace, U+00A0 NO-BREAK SPACE, U+200B ZERO WIDTH SPACE and the
// byte order mark U+FEFF; trimming them and counting the words between them.
#ifndef TIM_SRC_BASE_SPACES_H_
#define TIM_SRC_BASE_SPACES_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace tim {

bool IsAsciiSpace(char c);

// Length of the Unicode space at the start of `s` (ASCII whitespace, U+00A0
// NO-BREAK SPACE, U+200B ZERO WIDTH SPACE, U+FEFF), or 0.
size_t SpaceLengthAt(std::string_view s);

// Length of the Unicode space at the end of `s`, or 0.
size_t SpaceLengthBefore(std::string_view s);

// `s` without the spaces at either end.
std::string_view TrimSpace(std::string_view s);
void TrimSpaceInPlace(std::string* s);

// The number of runs of non-space characters in `s`.
size_t CountWords(std::string_view s);

}  // namespace tim

#endif  // TIM_SRC_BASE_SPACES_H_
