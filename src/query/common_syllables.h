// common_syllables.h: which syllables of a many-word query decide which
// articles match, and how many of them, and which only add weight (the
// common ones). Used by the
// relaxed match (query_compiler.h) and by the accent suggestion's search
// for evidence (accent_restorer.h), so that both find the same articles.
#ifndef TIM_SRC_QUERY_COMMON_SYLLABLES_H_
#define TIM_SRC_QUERY_COMMON_SYLLABLES_H_

#include <xapian.h>

#include <set>
#include <string>
#include <vector>

#include "query/match_set.h"

namespace tim {

// The syllables of `folded` (folded keys, in any order, repeats allowed)
// that only add weight to the articles the others match in `db`. Any of
// many words matches most of the corpus through its common ones ("người",
// "năm"), which costs a pass over most articles and ranks articles by how
// many common words they hold. As Elasticsearch's common terms query and
// Meilisearch's "frequency" strategy do, the rare syllables decide which
// articles match. Reads document frequencies; Xapian errors propagate.
std::set<std::string> WeightOnlySyllables(const Xapian::Database& db,
                                          std::vector<std::string> folded);

// The match of a relaxed match's `matching` syllables (MatchTree::Term
// each, repeats allowed): an article must hold two of the distinct ones
// when more than five match (a pasted paragraph), else one, as
// Elasticsearch's minimum_should_match does. Weighing the thousands of
// articles holding only one rare word of a paragraph was most of its cost,
// and they are hardly ever among the best. Chosen on the tune half of the
// natural queries (nDCG@10 of the descriptions as typed; questions did not
// change): this rule kept 0.959; two of five as well kept 0.961 (and lost
// 0.016 on the held-out half); four of every ten, rounded up, 0.955; half,
// 0.910.
MatchTree RelaxedMatchTree(std::vector<MatchTree> matching);

// The articles `match` (MatchTree::AtLeast over `alternatives`' matches)
// matches, ranked by the `alternatives` they hold. Xapian has no operator
// for "at least": the match tree filters their OR.
Xapian::Query RankedAtLeast(const std::vector<Xapian::Query>& alternatives,
                            const MatchTree& match);

}  // namespace tim

#endif  // TIM_SRC_QUERY_COMMON_SYLLABLES_H_
