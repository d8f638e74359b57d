// term_scorer.h: BM25 weights of a query of terms, computed here as
// Xapian's matcher computes them (BM25Weight, the same statistics), for a
// walk over the matches that tim makes anyway to count them.
//
// Why: a relaxed query (a question, a pasted paragraph) matches most of
// the corpus through its commoner syllables, and Xapian's ranking pass
// weighed every one of those matches with all its posting lists (folded,
// title, exact) for a window of 200: most of the query's time, after a
// separate walk that counted them. Here the same walk counts and weighs,
// and a match that cannot reach the best so far is dropped once its rare
// syllables are found missing (MaxScore: the posting lists are tried by
// their largest possible weight, largest first), before its length and
// counts are read.
//
// A TermScorer weighs one database (not shards: their statistics are
// the union's) from one thread; it reads the database while it lives.
#ifndef TIM_SRC_QUERY_TERM_SCORER_H_
#define TIM_SRC_QUERY_TERM_SCORER_H_

#include <xapian.h>

#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <span>
#include <vector>

#include "query/bm25.h"
#include "query/remote_ranking.h"

namespace tim {

class TermScorer {
 public:
  // A scorer for `query`'s weights on one database, or null when it has a
  // part this file cannot weigh as Xapian would (a posting source that
  // weighs, match-all, a scaled weight other than 0, k1 = 0) or cannot
  // check where a match may lack it (a posting source or a value range):
  // the caller ranks with Xapian then. Parts that only restrict the
  // matches (a filter's right side, an excluded part) are not checked
  // where every match meets them: the matches offered already do.
  static std::unique_ptr<TermScorer> Make(const Xapian::Query& query, const Xapian::Database& db,
                                          const Bm25Params& params);
  ~TermScorer();

  // Weighs the matches `ids` (ascending, and after those of earlier
  // calls), appending to `weighed` each that may be among the `keep`
  // heaviest of all the matches offered: those certainly below the
  // keep-th heaviest weighed so far are neither weighed nor appended.
  void WeighAll(std::span<const Xapian::docid> ids, size_t keep, std::vector<RankedMatch>* weighed);

  struct Node;
  struct Leaf;

 private:
  TermScorer() = default;
  // The weight of the match `id`, or nothing when it is certainly below
  // `bar`.
  std::optional<double> Weigh(Xapian::docid id, double bar);
  // The bar a match must reach to be among the `keep` heaviest so far, a
  // little below: the sums here and Xapian's add the same parts in other
  // orders. Chooses the essential lists for it.
  double Bar(size_t keep);
  // Weighs the match `id` against `bar`, keeping it in `weighed` and among
  // the heaviest (`keep`) when it may reach it.
  void Offer(Xapian::docid id, double bar, size_t keep, std::vector<RankedMatch>* weighed);
  // The first document at or after `target` in an essential list, moving
  // them there (Leaf::kEnd when none has one).
  Xapian::docid NextEssential(Xapian::docid target);
  // Chooses the essential lists for `bar` (MaxScore): the heaviest, those
  // of which a document must hold one to weigh `bar` or more.
  void ChooseEssential(double bar);
  // Whether the node matches the document its leaves stand at
  // (Leaf::present), adding its weight there (Leaf::weight) to `weight`.
  bool Evaluate(const Node& node, double* weight) const;

  std::vector<Node> nodes_;  // children before their parents
  size_t root_ = 0;
  std::vector<Leaf> leaves_;
  std::vector<size_t> by_max_weight_;  // leaves, largest possible weight first
  double max_weight_ = 0;              // of the whole query
  size_t essential_ = 0;               // the first of by_max_weight_
  double essential_bar_ = -1;          // the bar they were chosen for
  // The heaviest weights so far (WeighAll's `keep`), the lightest on top.
  std::priority_queue<double, std::vector<double>, std::greater<>> heaviest_;
  Bm25Params params_;
  double length_factor_ = 0;  // 1 / the average document length
  // Every document's length, when a list is read from the process's
  // cache (posting_cache.h); else a present list's iterator gives it.
  std::shared_ptr<const std::vector<Xapian::termcount>> lengths_;
  // Bm25LengthPart() at the shortest document's length.
  double shortest_length_part_ = 0;
};

}  // namespace tim

#endif  // TIM_SRC_QUERY_TERM_SCORER_H_
