// match_set.h: the exact set of articles a query matches, computed from
// posting lists rather than by Xapian's matcher.
//
// Exact totals and facet counts need every match. Xapian's matcher gets
// there by weighing every candidate and building a Document for each one a
// MatchDecider or MatchSpy sees, about 16 times the cost of walking the
// posting lists themselves (callgrind, a 50,000-article syllable). So tim
// describes what a query *requires* as a MatchTree, enumerates it here, and
// leaves Xapian only the top of the ranking, where it can prune.
#ifndef TIM_SRC_QUERY_MATCH_SET_H_
#define TIM_SRC_QUERY_MATCH_SET_H_

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tim {

class FacetTable;

// What a query requires of a document, as boolean structure over terms and
// date ranges. Optional parts (boosts) are left out: they change the order,
// not the set.
struct MatchTree {
  enum class Op {
    kNothing,      // matches no document
    kAll,          // matches every document
    kTerm,         // documents indexing `term`
    kDateRange,    // documents whose date span overlaps [from_key, to_key]
    kAnd,
    kOr,
    kAndNot,       // children[0] without any of the others
    kAtLeast,      // at least `minimum` of the children
    // The children's syllables (kTerm) standing together in this order, as
    // each article's position map tells (phrase_query.h).
    kPhrase,
  };
  Op op = Op::kNothing;
  std::string term;
  uint32_t from_key = 0;         // kDateRange: YYYYMMDD, 0 = open
  uint32_t to_key = 99999999;    // kDateRange: YYYYMMDD (99 = end of period)
  bool with_inferred_dates = false;  // kDateRange: dates read from the text too
  size_t minimum = 1;                // kAtLeast
  std::vector<MatchTree> children;

  static MatchTree Term(std::string term);
  // The folded `syllables` standing together (a Term if there is one).
  static MatchTree Phrase(const std::vector<std::string>& syllables);
  static MatchTree Combine(Op op, std::vector<MatchTree> children);
  // At least `minimum` of `children` (an OR if that is one).
  static MatchTree AtLeast(size_t minimum, std::vector<MatchTree> children);

  // False if any part needs Xapian's matcher. Phrases do, unless
  // `with_phrases`: a cursor checks a position map per article with their
  // syllables, which Xapian's matcher, pruning, checks for fewer.
  bool Enumerable(bool with_phrases = false) const;
};

// Walks the documents `tree` matches (tree.Enumerable(true)) in docid order
// without reading whole posting lists: an AND leapfrogs from its rarest
// part with skip_to, so a frequent word costs only the skips a rare one
// asks of it, and a date range is checked on the candidates rather than
// listed. (Words of similar frequency are still read whole and
// intersected: leapfrogging them would step through both anyway.) `tree`,
// `db` and `facets` must outlive the cursor.
class MatchCursor {
 public:
  MatchCursor(const MatchTree& tree, const Xapian::Database& db,
              const FacetTable& facets);
  ~MatchCursor();
  MatchCursor(const MatchCursor&) = delete;
  MatchCursor& operator=(const MatchCursor&) = delete;

  // The next match, or 0 after the last one.
  Xapian::docid Next();
  // The first match at or after `target` (the last one returned if it is
  // there already), or 0 if there is none.
  Xapian::docid SkipTo(Xapian::docid target);
  // At least as many documents as the tree matches.
  uint64_t Estimate() const;

  class Node;

 private:
  // A tree that is one posting list is walked directly: the common query
  // of one word, where every match costs what the walk costs.
  Xapian::PostingIterator postings_;
  const Xapian::PostingIterator postings_end_;
  bool plain_ = false;
  uint64_t plain_estimate_ = 0;
  std::unique_ptr<Node> root_;
  Xapian::docid last_ = 0;
};

// Matches the documents `tree` matches (tree.Enumerable()), weighing
// nothing: for OP_FILTER, where Xapian has no operator for a part of the
// tree (kAtLeast). Date ranges in `tree` would read the date table of a
// FacetTable of the source's own. It needs nothing of the whole on a
// database of several shards: each shard's clone walks the tree on its
// shard, in its docids.
Xapian::Query MatchFilter(MatchTree tree);

// Whether CountMatches() counts `tree`'s matches without visiting them (a
// posting list's length, or every document).
bool CountsWithoutWalking(const MatchTree& tree);

// How many documents `tree` matches (tree.Enumerable(true)); a single term or
// every document costs no walk at all.
uint64_t CountMatches(const MatchTree& tree, const Xapian::Database& db,
                      const FacetTable& facets);

// The sorted ids of the documents `tree` matches (tree.Enumerable(true)).
std::vector<Xapian::docid> Enumerate(const MatchTree& tree,
                                     const Xapian::Database& db,
                                     const FacetTable& facets);

}  // namespace tim

#endif  // TIM_SRC_QUERY_MATCH_SET_H_
