#include "query/match_set.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <memory>
#include <span>

#include "index/facet_table.h"
#include "query/phrase_query.h"
#include "query/posting_cache.h"

namespace tim {

// A part of a MatchTree as a stream of matches. SkipTo() targets never
// decrease, so every node only moves forward.
class MatchCursor::Node {
 public:
  static constexpr Xapian::docid kEnd = std::numeric_limits<Xapian::docid>::max();

  virtual ~Node() = default;

  // The first match at or after `target`, or kEnd.
  Xapian::docid SkipTo(Xapian::docid target) {
    if (target > current_) current_ = Advance(target);
    return current_;
  }
  // At least as many documents as the node matches: the rarest part of an
  // AND drives it.
  virtual uint64_t Estimate() const = 0;

 protected:
  // SkipTo(target) for a `target` past the current match.
  virtual Xapian::docid Advance(Xapian::docid target) = 0;

 private:
  Xapian::docid current_ = 0;
};

namespace {

using Node = MatchCursor::Node;
using Nodes = std::vector<std::unique_ptr<Node>>;
constexpr Xapian::docid kEnd = Node::kEnd;

class NothingNode : public Node {
 public:
  uint64_t Estimate() const override { return 0; }

 protected:
  Xapian::docid Advance(Xapian::docid) override { return kEnd; }
};

// A posting list ("" lists every document).
class TermNode : public Node {
 public:
  TermNode(const Xapian::Database& db, const std::string& term)
      : it_(db.postlist_begin(term)),
        at_(it_ == end_ ? kEnd : *it_),
        estimate_(term.empty() ? db.get_doccount() : db.get_termfreq(term)),
        per_docid_(static_cast<double>(estimate_) / (db.get_lastdocid() + 1)) {}

  uint64_t Estimate() const override { return estimate_; }

 protected:
  Xapian::docid Advance(Xapian::docid target) override {
    if (at_ >= target) return at_;
    // A skip costs about two steps (callgrind), so step when the target
    // is probably that close.
    if ((target - at_) * per_docid_ < kStepsPerSkip) {
      for (int steps = 0; steps < kStepsPerSkip && at_ < target; ++steps) {
        ++it_;
        Read();
      }
    }
    if (at_ < target) {
      it_.skip_to(target);
      Read();
    }
    return at_;
  }

 private:
  static constexpr int kStepsPerSkip = 2;

  void Read() { at_ = it_ == end_ ? kEnd : *it_; }

  const Xapian::PostingIterator end_;
  Xapian::PostingIterator it_;
  Xapian::docid at_;  // *it_, or kEnd
  uint64_t estimate_;
  double per_docid_;  // postings per docid, for guessing how far a skip goes
};

// Checked against the date table rather than listed: a range is usually
// combined with words, which then drive.
class DateRangeNode : public Node {
 public:
  DateRangeNode(const MatchTree& range, const DateSpanTable& dates,
                const Xapian::Database& db)
      : range_(range), dates_(dates), estimate_(db.get_doccount()) {}

  uint64_t Estimate() const override { return estimate_; }

 protected:
  Xapian::docid Advance(Xapian::docid target) override {
    const Xapian::docid id = dates_.NextOverlap(
        target, range_.from_key, range_.to_key, range_.with_inferred_dates);
    return id == 0 ? kEnd : id;
  }

 private:
  const MatchTree& range_;
  const DateSpanTable& dates_;
  uint64_t estimate_;
};

// Matches listed in advance: an intersection made at once, or a posting
// list the process keeps (posting_cache.h).
class ListNode : public Node {
 public:
  explicit ListNode(std::vector<Xapian::docid> ids)
      : owned_(std::move(ids)), ids_(owned_), next_(ids_.begin()) {}
  explicit ListNode(std::shared_ptr<const PostingList> list)
      : list_(std::move(list)), ids_(list_->ids), next_(ids_.begin()) {}

  uint64_t Estimate() const override { return ids_.size(); }

 protected:
  Xapian::docid Advance(Xapian::docid target) override {
    const auto end = ids_.end();
    if (next_ != end && *next_ < target) ++next_;  // the step of a walk
    if (next_ != end && *next_ < target) next_ = std::lower_bound(next_, end, target);
    return next_ == end ? kEnd : *next_;
  }

 private:
  std::vector<Xapian::docid> owned_;
  std::shared_ptr<const PostingList> list_;
  std::span<const Xapian::docid> ids_;  // owned_'s or list_'s
  std::span<const Xapian::docid>::iterator next_;
};

// Matches of a posting source walked outside Xapian's matcher.
class SourceNode : public Node {
 public:
  SourceNode(std::unique_ptr<Xapian::PostingSource> source, const Xapian::Database& db)
      : source_(std::move(source)) {
    source_->init(db);
  }

  uint64_t Estimate() const override { return source_->get_termfreq_max(); }

 protected:
  Xapian::docid Advance(Xapian::docid target) override {
    source_->skip_to(target, 0);
    return source_->at_end() ? kEnd : source_->get_docid();
  }

 private:
  std::unique_ptr<Xapian::PostingSource> source_;
};

std::unique_ptr<Node> MakePhraseNode(const MatchTree& tree, const Xapian::Database& db) {
  std::vector<std::string> syllables;
  for (const MatchTree& syllable : tree.children) syllables.push_back(syllable.term);
  return std::make_unique<SourceNode>(PhraseMatches(std::move(syllables)), db);
}

// A node combining the matches of its children.
class BranchNode : public Node {
 protected:
  explicit BranchNode(Nodes children) : children_(std::move(children)) {}

  uint64_t SumOfEstimates() const {
    uint64_t sum = 0;
    for (const auto& child : children_) sum += child->Estimate();
    return sum;
  }

  Nodes children_;
};

// Leapfrog: the rarest child proposes, the others skip to the proposal
// and either confirm it or propose a later one.
class AndNode : public BranchNode {
 public:
  explicit AndNode(Nodes children) : BranchNode(std::move(children)) {
    std::stable_sort(children_.begin(), children_.end(), [](auto& a, auto& b) {
      return a->Estimate() < b->Estimate();
    });
  }

  uint64_t Estimate() const override { return children_[0]->Estimate(); }

 protected:
  Xapian::docid Advance(Xapian::docid target) override {
    Xapian::docid candidate = children_[0]->SkipTo(target);
    size_t agreed = 1;
    while (candidate != kEnd && agreed < children_.size()) {
      const Xapian::docid next = children_[agreed]->SkipTo(candidate);
      if (next == candidate) {
        ++agreed;
      } else {
        candidate = children_[0]->SkipTo(next);
        agreed = 1;
      }
    }
    return candidate;
  }
};

class OrNode : public BranchNode {
 public:
  explicit OrNode(Nodes children) : BranchNode(std::move(children)) {}

  uint64_t Estimate() const override { return SumOfEstimates(); }

 protected:
  Xapian::docid Advance(Xapian::docid target) override {
    Xapian::docid first = kEnd;
    for (const auto& child : children_) first = std::min(first, child->SkipTo(target));
    return first;
  }
};

// The documents that at least `minimum` children match (Elasticsearch's
// minimum_should_match): at the earliest document any child proposes, the
// children proposing it are counted.
class AtLeastNode : public BranchNode {
 public:
  AtLeastNode(size_t minimum, Nodes children)
      : BranchNode(std::move(children)), minimum_(minimum) {}

  uint64_t Estimate() const override { return SumOfEstimates() / minimum_; }

 protected:
  Xapian::docid Advance(Xapian::docid target) override {
    while (true) {
      Xapian::docid first = kEnd;
      size_t at_first = 0;
      for (const auto& child : children_) {
        const Xapian::docid proposed = child->SkipTo(target);
        if (proposed < first) {
          first = proposed;
          at_first = 0;
        }
        at_first += proposed == first;
      }
      if (first == kEnd || at_first >= minimum_) return first;
      target = first + 1;
    }
  }

 private:
  const size_t minimum_;
};

// children[0] without any of the others.
class AndNotNode : public BranchNode {
 public:
  explicit AndNotNode(Nodes children) : BranchNode(std::move(children)) {}

  uint64_t Estimate() const override { return children_[0]->Estimate(); }

 protected:
  Xapian::docid Advance(Xapian::docid target) override {
    Xapian::docid candidate = children_[0]->SkipTo(target);
    while (candidate != kEnd && Excluded(candidate)) {
      candidate = children_[0]->SkipTo(candidate + 1);
    }
    return candidate;
  }

 private:
  bool Excluded(Xapian::docid id) {
    return std::any_of(children_.begin() + 1, children_.end(),
                       [id](auto& child) { return child->SkipTo(id) == id; });
  }
};

// What the nodes of a walk read: a database, its facet table and the
// posting lists the process keeps of it.
struct Sources {
  const Xapian::Database& db;
  const FacetTable& facets;
  std::shared_ptr<PostingCache> cache;

  // `term`'s kept list, or null (read it from Xapian then).
  std::shared_ptr<const PostingList> Kept(const std::string& term) const {
    return cache && !term.empty() ? cache->Find(db, term) : nullptr;
  }
};

std::unique_ptr<Node> MakeNode(const MatchTree& tree, const Sources& sources);

Nodes ChildNodes(const MatchTree& tree, const Sources& sources) {
  Nodes nodes;
  for (const MatchTree& child : tree.children) nodes.push_back(MakeNode(child, sources));
  return nodes;
}

// The parts of an AND, nested ANDs flattened into one so that the rarest
// of them all drives. "Every document" is left out beside anything else:
// every node lists only existing documents.
std::vector<const MatchTree*> AndParts(const MatchTree& tree) {
  using Op = MatchTree::Op;
  std::vector<const MatchTree*> parts;
  for (const MatchTree& child : tree.children) {
    if (child.op == Op::kAnd && !child.children.empty()) {
      const std::vector<const MatchTree*> nested = AndParts(child);
      parts.insert(parts.end(), nested.begin(), nested.end());
    } else {
      parts.push_back(&child);
    }
  }
  const auto all = [](const MatchTree* part) { return part->op == Op::kAll; };
  if (!std::all_of(parts.begin(), parts.end(), all)) {
    parts.erase(std::remove_if(parts.begin(), parts.end(), all), parts.end());
  }
  return parts;
}

// Posting lists of similar lengths share most documents' neighbourhoods:
// leapfrogging them steps through both anyway, at more cost per step than
// reading them whole and intersecting.
constexpr uint64_t kSimilarLengths = 2;

bool SimilarPostingLists(const std::vector<const MatchTree*>& parts,
                         const Xapian::Database& db) {
  if (parts.size() < 2) return false;
  uint64_t shortest = std::numeric_limits<uint64_t>::max(), longest = 0;
  for (const MatchTree* part : parts) {
    if (part->op != MatchTree::Op::kTerm) return false;
    const uint64_t length = db.get_termfreq(part->term);
    shortest = std::min(shortest, length);
    longest = std::max(longest, length);
  }
  return longest <= kSimilarLengths * shortest;
}

std::vector<Xapian::docid> Postings(const Xapian::Database& db, const std::string& term) {
  std::vector<Xapian::docid> ids;
  ids.reserve(db.get_termfreq(term));
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
    ids.push_back(*it);
  }
  return ids;
}

std::vector<Xapian::docid> IntersectPostings(const std::vector<const MatchTree*>& terms,
                                             const Sources& sources) {
  std::vector<Xapian::docid> result;
  for (const MatchTree* term : terms) {
    const std::shared_ptr<const PostingList> kept = sources.Kept(term->term);
    std::vector<Xapian::docid> read = kept ? std::vector<Xapian::docid>()
                                           : Postings(sources.db, term->term);
    const std::vector<Xapian::docid>& ids = kept ? kept->ids : read;
    if (term == terms[0]) {
      if (kept) {
        result = kept->ids;
      } else {
        result = std::move(read);
      }
      continue;
    }
    std::vector<Xapian::docid> both;
    std::set_intersection(result.begin(), result.end(), ids.begin(), ids.end(),
                          std::back_inserter(both));
    result = std::move(both);
  }
  return result;
}

std::unique_ptr<Node> MakeAnd(const MatchTree& tree, const Sources& sources) {
  const std::vector<const MatchTree*> parts = AndParts(tree);
  if (SimilarPostingLists(parts, sources.db)) {
    return std::make_unique<ListNode>(IntersectPostings(parts, sources));
  }
  Nodes nodes;
  for (const MatchTree* part : parts) nodes.push_back(MakeNode(*part, sources));
  return std::make_unique<AndNode>(std::move(nodes));
}

std::unique_ptr<Node> MakeTermNode(const std::string& term, const Sources& sources) {
  if (std::shared_ptr<const PostingList> kept = sources.Kept(term)) {
    return std::make_unique<ListNode>(std::move(kept));
  }
  return std::make_unique<TermNode>(sources.db, term);
}

std::unique_ptr<Node> MakeNode(const MatchTree& tree, const Sources& sources) {
  using Op = MatchTree::Op;
  const bool empty = tree.children.empty();
  switch (tree.op) {
    case Op::kAll:
      return std::make_unique<TermNode>(sources.db, "");
    case Op::kTerm:
      return MakeTermNode(tree.term, sources);
    case Op::kDateRange:
      return std::make_unique<DateRangeNode>(tree, sources.facets.DateSpans(sources.db),
                                             sources.db);
    case Op::kAnd:
      if (empty) break;
      return MakeAnd(tree, sources);
    case Op::kOr:
      if (empty) break;
      return std::make_unique<OrNode>(ChildNodes(tree, sources));
    case Op::kAndNot:
      if (empty) break;
      return std::make_unique<AndNotNode>(ChildNodes(tree, sources));
    case Op::kAtLeast:
      if (tree.children.size() < tree.minimum) break;
      return std::make_unique<AtLeastNode>(tree.minimum, ChildNodes(tree, sources));
    case Op::kPhrase:
      if (empty) break;
      return MakePhraseNode(tree, sources.db);
    case Op::kNothing:
      break;
  }
  return std::make_unique<NothingNode>();
}

}  // namespace

MatchTree MatchTree::Term(std::string term) {
  MatchTree tree;
  tree.op = Op::kTerm;
  tree.term = std::move(term);
  return tree;
}

MatchTree MatchTree::Phrase(const std::vector<std::string>& syllables) {
  if (syllables.size() == 1) return Term(syllables[0]);
  MatchTree tree;
  tree.op = Op::kPhrase;
  for (const std::string& syllable : syllables) tree.children.push_back(Term(syllable));
  return tree;
}

MatchTree MatchTree::Combine(Op op, std::vector<MatchTree> children) {
  if (children.size() == 1 && op != Op::kAndNot) return std::move(children[0]);
  MatchTree tree;
  tree.op = op;
  tree.children = std::move(children);
  return tree;
}

MatchTree MatchTree::AtLeast(size_t minimum, std::vector<MatchTree> children) {
  if (minimum <= 1) return Combine(Op::kOr, std::move(children));
  MatchTree tree;
  tree.op = Op::kAtLeast;
  tree.minimum = minimum;
  tree.children = std::move(children);
  return tree;
}

bool MatchTree::Enumerable(bool with_phrases) const {
  if (op == Op::kPhrase) return with_phrases;
  return std::all_of(children.begin(), children.end(), [&](const MatchTree& child) {
    return child.Enumerable(with_phrases);
  });
}

MatchCursor::MatchCursor(const MatchTree& tree, const Xapian::Database& db,
                         const FacetTable& facets) {
  const Sources sources{db, facets, PostingCaches::Process().For(db)};
  std::shared_ptr<const PostingList> kept =
      tree.op == MatchTree::Op::kTerm ? sources.Kept(tree.term) : nullptr;
  if (kept) {
    root_ = std::make_unique<ListNode>(std::move(kept));
  } else if (tree.op == MatchTree::Op::kTerm || tree.op == MatchTree::Op::kAll) {
    postings_ = db.postlist_begin(tree.op == MatchTree::Op::kAll ? "" : tree.term);
    plain_estimate_ =
        tree.op == MatchTree::Op::kAll ? db.get_doccount() : db.get_termfreq(tree.term);
    plain_ = true;
  } else {
    root_ = MakeNode(tree, sources);
  }
}

MatchCursor::~MatchCursor() = default;

Xapian::docid MatchCursor::Next() {
  if (last_ == kEnd) return 0;
  if (plain_) {
    if (last_ != 0) ++postings_;
    last_ = postings_ == postings_end_ ? kEnd : *postings_;
  } else {
    last_ = root_->SkipTo(last_ + 1);
  }
  return last_ == kEnd ? 0 : last_;
}

Xapian::docid MatchCursor::SkipTo(Xapian::docid target) {
  if (last_ == kEnd) return 0;
  if (plain_) {
    postings_.skip_to(target);
    last_ = postings_ == postings_end_ ? kEnd : *postings_;
  } else {
    last_ = root_->SkipTo(target);
  }
  return last_ == kEnd ? 0 : last_;
}

uint64_t MatchCursor::Estimate() const {
  return plain_ ? plain_estimate_ : root_->Estimate();
}

namespace {

// MatchFilter's source: a cursor over the tree, made anew on each database
// Xapian initialises it on (each shard of one, too).
class MatchSource : public Xapian::PostingSource {
 public:
  explicit MatchSource(std::shared_ptr<const MatchTree> tree) : tree_(std::move(tree)) {}

  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override {
    return static_cast<Xapian::doccount>(std::min<uint64_t>(cursor_->Estimate(), documents_));
  }
  Xapian::doccount get_termfreq_max() const override { return documents_; }
  void init(const Xapian::Database& db) override {
    cursor_ = std::make_unique<MatchCursor>(*tree_, db, facets_);
    documents_ = db.get_doccount();
    at_ = 0;
  }
  void next(double) override { at_ = cursor_->Next(); }
  void skip_to(Xapian::docid id, double) override { at_ = cursor_->SkipTo(id); }
  bool at_end() const override { return at_ == 0; }
  Xapian::docid get_docid() const override { return at_; }
  MatchSource* clone() const override { return new MatchSource(tree_); }

 private:
  std::shared_ptr<const MatchTree> tree_;
  FacetTable facets_;  // date ranges only
  std::unique_ptr<MatchCursor> cursor_;
  Xapian::doccount documents_ = 0;
  Xapian::docid at_ = 0;
};

}  // namespace

Xapian::Query MatchFilter(MatchTree tree) {
  auto* source = new MatchSource(std::make_shared<const MatchTree>(std::move(tree)));
  return Xapian::Query(source->release());
}

bool CountsWithoutWalking(const MatchTree& tree) {
  return tree.op == MatchTree::Op::kTerm || tree.op == MatchTree::Op::kAll;
}

uint64_t CountMatches(const MatchTree& tree, const Xapian::Database& db,
                      const FacetTable& facets) {
  // Posting list lengths are exact (deletions included).
  if (tree.op == MatchTree::Op::kTerm) return db.get_termfreq(tree.term);
  if (tree.op == MatchTree::Op::kAll) return db.get_doccount();
  uint64_t count = 0;
  MatchCursor cursor(tree, db, facets);
  while (cursor.Next()) ++count;
  return count;
}

std::vector<Xapian::docid> Enumerate(const MatchTree& tree,
                                     const Xapian::Database& db,
                                     const FacetTable& facets) {
  std::vector<Xapian::docid> ids;
  MatchCursor cursor(tree, db, facets);
  for (Xapian::docid id = cursor.Next(); id != 0; id = cursor.Next()) {
    ids.push_back(id);
  }
  return ids;
}

}  // namespace tim
