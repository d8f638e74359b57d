// phrase_query.h: Xapian queries for syllables that stand together, read
// from the documents' position maps (position_map.h): tim's index has no
// Xapian positions, so OP_PHRASE would match nothing.
#ifndef TIM_SRC_PHRASE_QUERY_H_
#define TIM_SRC_PHRASE_QUERY_H_

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

namespace tim {

// Matches the documents where the folded syllables `folded` (at least one)
// stand together in this order, weighted like the AND of the syllables,
// as Xapian's OP_PHRASE is.
Xapian::Query PhraseQuery(const std::vector<std::string>& folded);

// Turns a query's adjacency boosts off and on, for ranking in two passes
// (see Searcher): reading a position map costs a block read, so checking
// every candidate made multi-syllable queries 1.5x slower than Xapian's
// positions, which are stored by syllable.
struct AdjacencySwitch {
  bool on = true;
};

// Weighs the documents where the folded syllables `folded` stand together,
// for an OP_AND_MAYBE boost: by Xapian's default BM25 weights of the
// syllables, each counted once in the query. Unlike PhraseQuery inside an
// OP_AND_MAYBE, it only ever checks the document it is asked about. While
// `adjacency` is off, it matches nothing and reads nothing.
Xapian::Query AdjacencyBoost(const std::vector<std::string>& folded,
                             std::shared_ptr<const AdjacencySwitch> adjacency = {});

}  // namespace tim

#endif  // TIM_SRC_PHRASE_QUERY_H_
