// ranked_order.h: the order of a ranking's matches, and the rules both
// rankings follow: search_run.cc's, by Xapian on local databases, and
// remote_search.cc's, on remote shards.
#ifndef TIM_SRC_SEARCH_RANKED_ORDER_H_
#define TIM_SRC_SEARCH_RANKED_ORDER_H_

#include <xapian.h>

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "query/remote_ranking.h"
#include "tim/searcher.h"

namespace tim {

// Map boosts (adjacency, exact spellings) read a position map per article
// checked, a block read each (maps are stored by article, Xapian's
// positions by syllable): checking every candidate made multi-syllable
// queries 1.5x slower. So the first pass ranks without them, and only its
// best articles get them: kAdjacencyWindow if the query has adjacency
// boosts, else kExactWindow: a common spelling is in most articles with its
// syllable, and each article costs about 6 us. On 40 single-syllable
// queries, 75 or more found as many exact spellings in the top 10 as exact
// terms did; 50 lost two of "sửa"'s ten. Boosts only add weight, so the
// page is among those; an article below them that a boost alone would have
// lifted is missed.
inline constexpr size_t kAdjacencyWindow = 200;
inline constexpr size_t kExactWindow = 100;

// The BM25 weighting a search asks for.
Xapian::BM25Weight Bm25Of(const SearchRequest& request);

// The content hashes of `ids` (sorted), read through one value stream.
std::unordered_map<Xapian::docid, std::string> ContentHashes(
    const Xapian::Database& db, const std::vector<Xapian::docid>& ids);

// The group of equal weights (SameWeight with the group's first) each of
// `ranked` (by weight, descending) belongs to: 0, 1, ...
std::vector<size_t> WeightGroups(const std::vector<RankedMatch>& ranked);

// Orders each group of equal weights in `ranked` (by weight, descending)
// by content hash, reading those `known` does not hold.
void SortTiesByContent(const Xapian::Database& db, std::vector<RankedMatch>* ranked,
                       const std::unordered_map<Xapian::docid, std::string>* known = nullptr);

// `ranked` by weight, descending, those of equal weight by content hash
// (SortTiesByContent).
void SortByWeight(const Xapian::Database& db, std::vector<RankedMatch>* ranked,
                  const std::unordered_map<Xapian::docid, std::string>& known);

// `ranked` (by weight, descending) from its `first`, `count` at most.
std::vector<RankedMatch> Slice(std::vector<RankedMatch> ranked, size_t first, size_t count);

}  // namespace tim

#endif  // TIM_SRC_SEARCH_RANKED_ORDER_H_
