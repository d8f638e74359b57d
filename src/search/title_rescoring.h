// title_rescoring.h: how much a hit's title says it is the article sought.
//
// A headline is the article's own summary: when the query's syllables
// stand together in a title, more so when they make up most of it, that
// article is very likely the one sought ("Arsenal đoạt Siêu Cup nước Anh"
// is the title of one article and nearly that of another). BM25 sees
// neither contiguity nor title length, so the Searcher rescores its best
// kTitleRescoreDepth hits from their titles. Folded keys only: every way
// of typing the query gets the same rescoring. (Weights tuned on
// benchmarks/relevance; its results are flat for run weights 2.5-6 and
// cover weights 0.5-1.)
#ifndef TIM_SRC_SEARCH_TITLE_RESCORING_H_
#define TIM_SRC_SEARCH_TITLE_RESCORING_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tim {

inline constexpr size_t kTitleRescoreDepth = 20;

// What a hit's score is multiplied by for its `title`, given the query's
// folded syllables `keys`: 1 unless at least two consecutive ones stand
// together in it, else 1 + 3 run / keys + run / title syllables, where run
// is the longest such run.
double TitleFactor(const std::vector<std::string>& keys, std::string_view title);

// What a hit of a relaxed match (MatchMode) is multiplied by for holding
// `held` of the query's `syllables` distinct content syllables: Lucene's
// coordination factor, as a boost. A pasted paragraph's own article holds
// most of its words, while an article sharing a few of its rare ones can
// score as high by BM25 alone. 1 + kCoverageWeight * (held / syllables)^2.
double CoverageFactor(size_t held, size_t syllables);

}  // namespace tim

#endif  // TIM_SRC_SEARCH_TITLE_RESCORING_H_
