// snippet.h: the passage of an article that best shows why it matched.
#ifndef TIM_SRC_SEARCH_SNIPPET_H_
#define TIM_SRC_SEARCH_SNIPPET_H_

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "tim/searcher.h"

namespace tim {

// Picks the window of about `max_chars` characters of `text` (normalized)
// holding the most distinct `folded_keys`, cut at word boundaries, with "…"
// where text was cut; the matching words are highlighted. Newlines become
// spaces. Without any match, returns the start of the text. When
// `matched_words` is given, it receives the distinct exact keys of the
// matching words anywhere in `text`, in order of first appearance.
HighlightedText MakeSnippet(std::string_view text,
                            const std::unordered_set<std::string>& folded_keys,
                            size_t max_chars,
                            std::vector<std::string>* matched_words = nullptr);

}  // namespace tim

#endif  // TIM_SRC_SEARCH_SNIPPET_H_
