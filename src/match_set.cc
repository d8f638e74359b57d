#include "match_set.h"

#include <algorithm>
#include <iterator>

#include "facets.h"

namespace tim {

namespace {

using DocIds = std::vector<Xapian::docid>;

DocIds Postings(const Xapian::Database& db, const std::string& term) {
  DocIds ids;
  ids.reserve(db.get_termfreq(term));
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
    ids.push_back(*it);
  }
  return ids;
}

DocIds DatesOverlapping(const MatchTree& range, const FacetTable& facets,
                        const Xapian::Database& db) {
  const FacetTable::Dates& dates = facets.DateSpans(db);
  DocIds ids;
  const Xapian::docid last = db.get_lastdocid();
  for (Xapian::docid id = 1; id <= last; ++id) {
    if (dates.Overlap(id, range.from_key, range.to_key, range.with_inferred_dates)) {
      ids.push_back(id);
    }
  }
  return ids;
}

template <typename SetOp>
DocIds Merge(const DocIds& a, const DocIds& b, SetOp op) {
  DocIds out;
  op(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

DocIds Intersect(std::vector<DocIds> sets) {
  // Smallest first, so every step shrinks the work.
  std::sort(sets.begin(), sets.end(),
            [](const DocIds& a, const DocIds& b) { return a.size() < b.size(); });
  DocIds result = std::move(sets[0]);
  for (size_t i = 1; i < sets.size() && !result.empty(); ++i) {
    result = Merge(result, sets[i], [](auto... args) {
      return std::set_intersection(args...);
    });
  }
  return result;
}

}  // namespace

MatchTree MatchTree::Term(std::string term) {
  MatchTree tree;
  tree.op = Op::kTerm;
  tree.term = std::move(term);
  return tree;
}

MatchTree MatchTree::Combine(Op op, std::vector<MatchTree> children) {
  if (children.size() == 1 && op != Op::kAndNot) return std::move(children[0]);
  MatchTree tree;
  tree.op = op;
  tree.children = std::move(children);
  return tree;
}

bool MatchTree::Enumerable() const {
  if (op == Op::kUnsupported) return false;
  return std::all_of(children.begin(), children.end(),
                     [](const MatchTree& child) { return child.Enumerable(); });
}

std::vector<Xapian::docid> Enumerate(const MatchTree& tree,
                                     const Xapian::Database& db,
                                     const FacetTable& facets) {
  using Op = MatchTree::Op;
  switch (tree.op) {
    case Op::kNothing:
    case Op::kUnsupported:
      return {};
    case Op::kAll:
      return Postings(db, "");  // Xapian's "every document" posting list
    case Op::kTerm:
      return Postings(db, tree.term);
    case Op::kDateRange:
      return DatesOverlapping(tree, facets, db);
    case Op::kAnd: {
      std::vector<DocIds> sets;
      for (const MatchTree& child : tree.children) {
        sets.push_back(Enumerate(child, db, facets));
      }
      return Intersect(std::move(sets));
    }
    case Op::kOr: {
      DocIds result;
      for (const MatchTree& child : tree.children) {
        result = Merge(result, Enumerate(child, db, facets),
                       [](auto... args) { return std::set_union(args...); });
      }
      return result;
    }
    case Op::kAndNot: {
      DocIds result = Enumerate(tree.children[0], db, facets);
      for (size_t i = 1; i < tree.children.size(); ++i) {
        result = Merge(result, Enumerate(tree.children[i], db, facets),
                       [](auto... args) { return std::set_difference(args...); });
      }
      return result;
    }
  }
  return {};
}

}  // namespace tim
