#include "query/term_scorer.h"

#include <algorithm>
#include <numeric>

#include "query/posting_cache.h"

namespace tim {

struct TermScorer::Leaf {
  Xapian::PostingIterator at, end;
  // The list, when the process keeps it (posting_cache.h): then read here,
  // and `at` is not used.
  std::shared_ptr<const PostingList> kept;
  size_t index = 0;  // in `kept`
  double term_weight = 0;  // BM25Weight's termweight, (k1 + 1) included
  double max_weight = 0;   // BM25Weight::get_maxpart()
  bool present = false;    // at the document being weighed
  double weight = 0;       // there, when present
  Xapian::termcount wdf = 0;
  // Where `at` stands (0 before its first move, kEnd past its end): most
  // lists are far sparser than the matches, and comparing this saves a call
  // into Xapian for each.
  Xapian::docid current = 0;

  // Moves to the first document at or after `id`; whether it is `id`.
  bool SkipTo(Xapian::docid id) {
    if (current >= id) return current == id;
    if (kept) {
      current = SkipKept(id);
    } else {
      at.skip_to(id);
      current = at == end ? kEnd : *at;
    }
    return current == id;
  }
  Xapian::termcount Wdf() const { return kept ? kept->wdfs[index] : at.get_wdf(); }
  static constexpr Xapian::docid kEnd = static_cast<Xapian::docid>(-1);

 private:
  // SkipTo in `kept`: by doubling steps, then a binary search within the
  // last, so that a near target costs a few comparisons.
  Xapian::docid SkipKept(Xapian::docid id) {
    const std::vector<Xapian::docid>& ids = kept->ids;
    size_t step = 1, low = index;
    while (low + step < ids.size() && ids[low + step] < id) {
      low += step;
      step *= 2;
    }
    const size_t high = std::min(low + step + 1, ids.size());
    index = std::lower_bound(ids.begin() + low, ids.begin() + high, id) - ids.begin();
    return index == ids.size() ? kEnd : ids[index];
  }
};

struct TermScorer::Node {
  enum class Kind {
    kLeaf,
    kAnd,       // every child
    kOr,        // any child
    kAndMaybe,  // the first child; the others add weight where they match
    kFilter,    // the first child and the others, which add no weight
    kAndNot,    // the first child and none of the others
    kNothing,
    kAnything,  // a part that weighs nothing and that every match meets
  };
  Kind kind = Kind::kNothing;
  size_t leaf = 0;
  std::vector<size_t> children;
};

namespace {

using Node = TermScorer::Node;
using Kind = Node::Kind;

// The factor of an OP_SCALE_WEIGHT query, which Xapian 1.4's API does not
// give but its description does ("Query(0 * term)"); nothing when it
// cannot be read.
std::optional<double> ScaleFactor(const Xapian::Query& query) {
  const std::string description = query.get_description();
  const std::string prefix = "Query(";
  if (description.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  const size_t star = description.find(" * ", prefix.size());
  if (star == std::string::npos) return std::nullopt;
  try {
    size_t used = 0;
    const std::string number = description.substr(prefix.size(), star - prefix.size());
    const double factor = std::stod(number, &used);
    if (used != number.size()) return std::nullopt;
    return factor;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Builds the scorer's nodes from a Xapian query; `ok` turns false at a part
// it cannot weigh as Xapian would.
class TermScorerBuilder {
 public:
  TermScorerBuilder(const Xapian::Database& db, const Bm25Params& params, std::vector<Node>* nodes,
                    std::vector<TermScorer::Leaf>* leaves)
      : db_(db), params_(params), nodes_(*nodes), leaves_(*leaves),
        cache_(PostingCaches::Process().For(db)) {
    length_factor = Bm25LengthFactor(db);
  }

  // `required`: every match of the whole query matches this part, so its
  // purely restrictive parts need no checking. `factor`: its weights' scale.
  size_t Add(const Xapian::Query& query, bool required, double factor) {
    Node node;
    const size_t count = query.get_num_subqueries();
    auto add_children = [&](auto required_child) {
      for (size_t i = 0; i < count; ++i) {
        node.children.push_back(Add(query.get_subquery(i), required_child(i), factor));
      }
    };
    switch (query.get_type()) {
      case Xapian::Query::LEAF_TERM:
        node.kind = Kind::kLeaf;
        node.leaf = AddLeaf(*query.get_terms_begin(), factor);
        break;
      case Xapian::Query::LEAF_MATCH_NOTHING:
        node.kind = Kind::kNothing;
        break;
      case Xapian::Query::OP_AND:
        node.kind = Kind::kAnd;
        add_children([&](size_t) { return required; });
        break;
      case Xapian::Query::OP_OR:
        node.kind = Kind::kOr;
        add_children([&](size_t) { return required && count == 1; });
        break;
      case Xapian::Query::OP_AND_MAYBE:
        node.kind = Kind::kAndMaybe;
        add_children([&](size_t i) { return required && i == 0; });
        break;
      case Xapian::Query::OP_FILTER:
      case Xapian::Query::OP_AND_NOT:
        node.kind = query.get_type() == Xapian::Query::OP_FILTER ? Kind::kFilter : Kind::kAndNot;
        node.children.push_back(Add(query.get_subquery(0), required, factor));
        // A restriction every match meets needs no check (it may be one
        // this file cannot read: a posting source, a value range).
        if (!required) {
          for (size_t i = 1; i < count; ++i)
            node.children.push_back(Add(query.get_subquery(i), false, 0));
        }
        break;
      case Xapian::Query::OP_VALUE_GE:
      case Xapian::Query::OP_VALUE_LE:
      case Xapian::Query::OP_VALUE_RANGE:
        // Xapian weighs a value range 0; it is known to hold only where
        // every match meets it.
        node.kind = Kind::kAnything;
        ok &= required;
        break;
      case Xapian::Query::OP_SCALE_WEIGHT: {
        const std::optional<double> scale = ScaleFactor(query);
        if (scale && *scale == 0) return Add(query.get_subquery(0), required, 0);
        ok = false;
        break;
      }
      default:
        ok = false;
    }
    nodes_.push_back(std::move(node));
    return nodes_.size() - 1;
  }

  bool ok = true;
  double length_factor = 0;
  // The documents' lengths, once a kept list is read: a kept list has no
  // Xapian iterator to give them.
  std::shared_ptr<const std::vector<Xapian::termcount>> lengths;

 private:
  size_t AddLeaf(const std::string& term, double factor) {
    TermScorer::Leaf leaf;
    leaf.kept = KeptList(term);
    if (!leaf.kept) {
      leaf.at = db_.postlist_begin(term);
      leaf.end = db_.postlist_end(term);
      if (leaf.at == leaf.end) leaf.current = TermScorer::Leaf::kEnd;  // (no article has it)
    }
    leaf.term_weight =
        Bm25TermWeight(params_, db_.get_doccount(), db_.get_termfreq(term), factor);
    leaf.max_weight = Bm25MaxPart(params_, leaf.term_weight, db_.get_wdf_upper_bound(term),
                                  db_.get_doclength_lower_bound(), length_factor);
    leaves_.push_back(std::move(leaf));
    return leaves_.size() - 1;
  }

  // `term`'s list if the process keeps it, and the documents' lengths.
  std::shared_ptr<const PostingList> KeptList(const std::string& term) {
    std::shared_ptr<const PostingList> kept = cache_ ? cache_->Find(db_, term) : nullptr;
    if (kept && !lengths) lengths = cache_->Lengths(db_);
    return lengths ? kept : nullptr;
  }

  const Xapian::Database& db_;
  const Bm25Params params_;
  std::vector<Node>& nodes_;
  std::vector<TermScorer::Leaf>& leaves_;
  std::shared_ptr<PostingCache> cache_;
};

}  // namespace

std::unique_ptr<TermScorer> TermScorer::Make(const Xapian::Query& query, const Xapian::Database& db,
                                             const Bm25Params& params) {
  // With k1 = 0 a term weighs the same in every article: nearly every
  // match ties, and Xapian keeps ties of its own choosing (left to it).
  if (query.empty() || db.size() != 1 || params.k1 == 0) return nullptr;
  std::unique_ptr<TermScorer> scorer(new TermScorer);
  TermScorerBuilder builder(db, params, &scorer->nodes_, &scorer->leaves_);
  scorer->root_ = builder.Add(query, /*required=*/true, 1.0);
  if (!builder.ok) return nullptr;
  scorer->params_ = params;
  scorer->length_factor_ = builder.length_factor;
  scorer->lengths_ = std::move(builder.lengths);
  scorer->shortest_length_part_ =
      Bm25LengthPart(params, db.get_doclength_lower_bound(), scorer->length_factor_);
  scorer->by_max_weight_.resize(scorer->leaves_.size());
  std::iota(scorer->by_max_weight_.begin(), scorer->by_max_weight_.end(), 0);
  std::stable_sort(scorer->by_max_weight_.begin(), scorer->by_max_weight_.end(),
                   [&](size_t a, size_t b) {
                     return scorer->leaves_[a].max_weight > scorer->leaves_[b].max_weight;
                   });
  for (const Leaf& leaf : scorer->leaves_) scorer->max_weight_ += leaf.max_weight;
  return scorer;
}

TermScorer::~TermScorer() = default;

double TermScorer::Bar(size_t keep) {
  const double bar = heaviest_.size() >= keep && keep > 0 ? heaviest_.top() * (1 - 1e-6) : 0;
  if (bar != essential_bar_) ChooseEssential(bar);
  return bar;
}

Xapian::docid TermScorer::NextEssential(Xapian::docid target) {
  Xapian::docid next = Leaf::kEnd;
  for (size_t i = 0; i < essential_; ++i) {
    Leaf& leaf = leaves_[by_max_weight_[i]];
    leaf.SkipTo(target);
    next = std::min(next, leaf.current);
  }
  return next;
}

void TermScorer::Offer(Xapian::docid id, double bar, size_t keep,
                       std::vector<RankedMatch>* weighed) {
  const std::optional<double> weight = Weigh(id, bar);
  if (!weight) return;
  weighed->push_back({id, *weight});
  heaviest_.push(*weight);
  if (heaviest_.size() > keep) heaviest_.pop();
}

void TermScorer::WeighAll(std::span<const Xapian::docid> ids, size_t keep,
                          std::vector<RankedMatch>* weighed) {
  auto at = ids.begin();
  while (at != ids.end()) {
    const double bar = Bar(keep);
    // A document in none of the essential lists weighs less than the bar:
    // the matches before the next document of any of them are passed over.
    const Xapian::docid next = NextEssential(*at);
    at = std::lower_bound(at, ids.end(), next);
    if (at == ids.end() || *at != next) continue;
    Offer(*at++, bar, keep, weighed);
  }
}

std::optional<double> TermScorer::Weigh(Xapian::docid id, double bar) {
  // What the document may weigh: at first every term at its largest
  // weight; then, term by term (the heaviest first), nothing for an absent
  // one and, for a present one, its weight from its count at the shortest
  // length (BM25 weighs shorter documents more).
  double bound = max_weight_;
  const Leaf* any_present = nullptr;
  for (size_t index : by_max_weight_) {
    Leaf& leaf = leaves_[index];
    leaf.present = leaf.SkipTo(id);
    if (leaf.max_weight == 0) continue;
    double most = 0;
    if (leaf.present) {
      any_present = &leaf;
      leaf.wdf = leaf.Wdf();
      most = Bm25SumPart(leaf.term_weight, leaf.wdf, shortest_length_part_);
    }
    bound -= leaf.max_weight - most;
    if (bound < bar) return std::nullopt;
  }
  const Xapian::termcount length = !any_present ? 0
                                   : lengths_   ? (*lengths_)[id]
                                                : any_present->at.get_doclength();
  // BM25Weight::get_sumpart(), term for term, its length part once.
  const double length_part = Bm25LengthPart(params_, length, length_factor_);
  for (Leaf& leaf : leaves_) {
    // (A term that only restricts weighs 0 where present.)
    const bool weighs = leaf.present && leaf.max_weight != 0;
    leaf.weight = weighs ? Bm25SumPart(leaf.term_weight, leaf.wdf, length_part) : 0;
  }
  double weight = 0;
  Evaluate(nodes_[root_], &weight);
  return weight;
}

void TermScorer::ChooseEssential(double bar) {
  essential_bar_ = bar;
  // The lightest lists whose largest weights together stay below the bar
  // cannot lift a document over it by themselves.
  double light = 0;
  essential_ = by_max_weight_.size();
  while (essential_ > 0 && light + leaves_[by_max_weight_[essential_ - 1]].max_weight < bar) {
    light += leaves_[by_max_weight_[--essential_]].max_weight;
  }
}

bool TermScorer::Evaluate(const Node& node, double* weight) const {
  switch (node.kind) {
    case Kind::kLeaf: {
      const Leaf& leaf = leaves_[node.leaf];
      if (leaf.present) *weight += leaf.weight;
      return leaf.present;
    }
    case Kind::kNothing:
      return false;
    case Kind::kAnything:
      return true;
    case Kind::kAnd: {
      double sum = 0;
      for (size_t child : node.children) {
        if (!Evaluate(nodes_[child], &sum)) return false;
      }
      *weight += sum;
      return true;
    }
    case Kind::kOr: {
      bool any = false;
      for (size_t child : node.children) any |= Evaluate(nodes_[child], weight);
      return any;
    }
    case Kind::kAndMaybe: {
      if (!Evaluate(nodes_[node.children[0]], weight)) return false;
      for (size_t i = 1; i < node.children.size(); ++i) Evaluate(nodes_[node.children[i]], weight);
      return true;
    }
    case Kind::kFilter:
    case Kind::kAndNot: {
      double sum = 0;
      if (!Evaluate(nodes_[node.children[0]], &sum)) return false;
      for (size_t i = 1; i < node.children.size(); ++i) {
        double none = 0;
        const bool matches = Evaluate(nodes_[node.children[i]], &none);
        if (matches != (node.kind == Kind::kFilter)) return false;
      }
      *weight += sum;
      return true;
    }
  }
  return false;
}

}  // namespace tim
