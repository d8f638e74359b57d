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

// Which syllables of a relaxed match decide which articles match, and how
// many of them an article must hold.
struct RelaxedSyllables {
  // The common ones, which only add weight to the articles the others (the
  // matching ones) match.
  std::set<std::string> weight_only;
  // How many of the matching ones an article must hold.
  size_t minimum = 1;
};

// The roles of the syllables `folded` (folded keys, in any order, repeats
// allowed) in `db`. Any of many words matches most of the corpus through
// its common ones ("người", "năm"), which costs a pass over most articles
// and ranks articles by how many common words they hold. As
// Elasticsearch's common terms query and Meilisearch's "frequency"
// strategy do, the rare syllables decide which articles match. An article
// must hold two of them when more than five of those the articles have
// match (a pasted paragraph), else one, as Elasticsearch's
// minimum_should_match does: weighing the thousands of articles holding
// only one rare word of a paragraph was most of its cost, and they are
// hardly ever among the best. Reads document frequencies; Xapian errors
// propagate.
RelaxedSyllables ChooseRelaxedSyllables(const Xapian::Database& db,
                                        std::vector<std::string> folded);

// At least `minimum` of the distinct ones of `matching` (MatchTree::Term
// each, repeats allowed: a syllable typed twice is still one).
MatchTree RelaxedMatchTree(size_t minimum, std::vector<MatchTree> matching);

// The articles `match` (MatchTree::AtLeast over `alternatives`' matches)
// matches, ranked by the `alternatives` they hold. Xapian has no operator
// for "at least": the match tree filters their OR (not when `built_in`:
// remote shards run no filter of tim's, and the caller keeps the matches).
Xapian::Query RankedAtLeast(const std::vector<Xapian::Query>& alternatives,
                            const MatchTree& match, bool built_in = false);

}  // namespace tim

#endif  // TIM_SRC_QUERY_COMMON_SYLLABLES_H_
