// phrase_query.h: Xapian queries read from the documents' position maps
// (position_map.h): syllables that stand together, and syllables written
// in their common spelling. tim's index has no Xapian positions, so
// OP_PHRASE would match nothing, and no terms for common spellings since
// schema 5.
#ifndef TIM_SRC_QUERY_PHRASE_QUERY_H_
#define TIM_SRC_QUERY_PHRASE_QUERY_H_

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

#include "query/map_window.h"

namespace tim {

// Matches the documents where the folded syllables `folded` (at least one)
// stand together in this order, weighted like the AND of the syllables,
// as Xapian's OP_PHRASE is.
// Unweighted, it needs nothing of the whole on a database of several
// shards: each shard's clone checks its own documents.
// `built_in`: only the AND, which remote shards can run (the caller checks
// the phrase: PhraseMatches).
Xapian::Query PhraseQuery(const std::vector<std::string>& folded, bool built_in = false);

// The documents PhraseQuery(folded) matches (two syllables or more), as a
// posting source for the caller to init() and walk, outside Xapian's
// matcher: remote shards run no source of tim's.
std::unique_ptr<Xapian::PostingSource> PhraseMatches(std::vector<std::string> folded);

// Map boosts, for an OP_AND_MAYBE: each only ever checks the document it is
// asked about, says yes to it, and weighs 0 where it does not apply. `db`:
// the database searched (null: one of a single shard), whose statistics
// they weigh with and whose docids `window` holds (sharded_source.h).
// Weights are Xapian's BM25 with `window`'s k1 and b (without a window,
// the defaults).

// Weighs the documents where the folded syllables `folded` stand together:
// by the syllables' weights, each counted once in the query.
Xapian::Query AdjacencyBoost(const std::vector<std::string>& folded, const Xapian::Database* db,
                             std::shared_ptr<const MapWindow> window = {});

// Weighs the documents that write the syllable `folded` as `exact`, its
// common spelling (common_spellings.h: "năm" for "nam"), by the exact
// form's wdf. Its document frequency is nowhere in the index; it is
// estimated as the folded syllable's times the share of the window's
// articles with the syllable that write it so (the folded syllable's alone
// without a window's maps). Databases before schema 5 have exact ("E") terms
// instead, and their frequencies.
Xapian::Query ExactBoost(const std::string& folded, const std::string& exact,
                         const Xapian::Database* db, std::shared_ptr<const MapWindow> window = {});

// The sources of AdjacencyBoost and ExactBoost, to weigh documents outside
// Xapian's matcher (remote shards run no source of tim's): init() on the
// whole database, then check() each document, in ascending docid order.
std::unique_ptr<Xapian::PostingSource> AdjacencyBoostSource(
    const std::vector<std::string>& folded, std::shared_ptr<const MapWindow> window);
std::unique_ptr<Xapian::PostingSource> ExactBoostSource(
    const std::string& folded, const std::string& exact, std::shared_ptr<const MapWindow> window);

}  // namespace tim

#endif  // TIM_SRC_QUERY_PHRASE_QUERY_H_
