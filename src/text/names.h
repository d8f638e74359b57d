// names.h: the key under which tim groups, filters and looks up the name of
// a publisher, agency or category.
#ifndef TIM_SRC_TEXT_NAMES_H_
#define TIM_SRC_TEXT_NAMES_H_

#include <string>
#include <string_view>

namespace tim {

// The key a publisher is filtered and counted under: its folded syllables
// joined by single spaces, so "Dân trí", "DÂN TRÍ" and "dan tri" agree.
std::string SourceKey(std::string_view source);

}  // namespace tim

#endif  // TIM_SRC_TEXT_NAMES_H_
