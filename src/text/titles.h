// titles.h: a display title for an article published without one.
#ifndef TIM_SRC_TEXT_TITLES_H_
#define TIM_SRC_TEXT_TITLES_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace tim {

// A display title for an article that has none: the first real sentence of
// `body` (NFC), skipping captions and credit lines, cut at a word boundary
// to at most `max_chars` code points (with "…" when cut; a `max_chars`
// below 2 counts as 2). Empty only if `body` has no text.
std::string DeriveTitle(std::string_view body, size_t max_chars = 120);

}  // namespace tim

#endif  // TIM_SRC_TEXT_TITLES_H_
