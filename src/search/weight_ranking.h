// weight_ranking.h: Xapian's ranking of a query by weight on a local
// database, with tim's order among equal weights (content hashes,
// ranked_order.h) rather than Xapian's docids, which shards renumber.
#ifndef TIM_SRC_SEARCH_WEIGHT_RANKING_H_
#define TIM_SRC_SEARCH_WEIGHT_RANKING_H_

#include <xapian.h>

#include <cstddef>
#include <utility>
#include <vector>

#include "query/remote_ranking.h"

namespace tim {

// How Xapian's matcher is asked for a ranking: the matches it must check
// (get_mset's check_at_least) and its match decider.
struct Matcher {
  Xapian::doccount check = 0;
  const Xapian::MatchDecider* decider = nullptr;
};

// Sees every match Xapian's matcher weighs at or above its running minimum
// weight, so every match that ties with one it ranks, and the weight (on a
// database of one shard: on several it sees a shard's own docids).
class WeightSpy : public Xapian::MatchSpy {
 public:
  WeightSpy() = default;
  // A spy that has seen `seen`, weighed elsewhere (term_scorer.h).
  explicit WeightSpy(std::vector<RankedMatch> seen) : seen_(std::move(seen)) {}
  void operator()(const Xapian::Document& document, double weight) override {
    seen_.push_back({document.get_docid(), weight});
  }
  void Clear() { seen_.clear(); }
  // The matches seen weighing `weight` (SameWeight), by weight.
  std::vector<RankedMatch> Weighing(double weight) const;
  // The first `count` matches seen, in XapianOrder.
  std::vector<RankedMatch> Ranked(size_t count) const;
  // Xapian's order: by weight, then by docid.
  static bool XapianOrder(const RankedMatch& a, const RankedMatch& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.id < b.id;
  }

 private:
  std::vector<RankedMatch> seen_;
};

// The page `ranked` (Xapian's items from the page's first - `before`, one
// more on each side) in content-hash order among equal weights. Where the
// page's first or last weight ties across its edge, the whole group of
// matches of that weight comes from `spy`, as Xapian kept only some of it.
std::vector<RankedMatch> PageOfTies(const Xapian::Database& db, std::vector<RankedMatch> ranked,
                                    size_t before, size_t count, const WeightSpy& spy);

// The matches [first, first + count) of `enquire`'s query by weight, those
// of equal weight (to rounding) in content-hash order: an order of their
// own, which a database of several shards keeps (docids, Xapian's tie
// order, depend on how the articles were split). Xapian reading a hash for
// every candidate it weighs (RankByWeightReadingHashes) cost 5-14 % of the
// latency mix's instructions: on one database Xapian ranks in docid order,
// one more match on each side of the page, and a spy keeps the weights, so
// that only ties read hashes (PageOfTies). On shards a spy sees a shard's
// own docids, and each document it is handed is opened: that cost more
// than the hashes.
std::vector<RankedMatch> RankByWeight(Xapian::Enquire& enquire, const Xapian::Database& db,
                                      size_t first, size_t count, const Matcher& matcher);

}  // namespace tim

#endif  // TIM_SRC_SEARCH_WEIGHT_RANKING_H_
