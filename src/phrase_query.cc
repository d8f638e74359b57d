#include "phrase_query.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "position_map.h"
#include "schema.h"

namespace tim {

namespace {

// The documents holding the phrase: those with all its syllables, walked
// as an AND, each checked against its position map. Weighted, a document
// weighs what its syllables weigh under Xapian's default BM25; else
// nothing (PhraseQuery filters the AND of the syllables with it).
class PhraseSource : public Xapian::PostingSource {
 public:
  PhraseSource(std::vector<std::string> folded, bool weighted,
               std::shared_ptr<const AdjacencySwitch> adjacency)
      : folded_(folded),
        matcher_(std::move(folded)),
        weighted_(weighted),
        adjacency_(std::move(adjacency)) {}

  void init(const Xapian::Database& db) override {
    db_ = db;
    postings_.clear();
    rarest_ = db.get_doccount();
    for (const std::string& term : folded_) {
      postings_.push_back(db.postlist_begin(term));
      rarest_ = std::min(rarest_, db.get_termfreq(term));
    }
    rarest_ = std::min(rarest_ + 1, db.get_doccount());
    maps_ = db.valuestream_begin(schema::kPositionMapSlot);
    map_docid_ = 0;
    docid_ = 0;
    at_end_ = false;
    if (weighted_) InitWeights();
  }

  // Xapian leads an AND with its least frequent list and checks the others
  // on each candidate; leading, this list would check the map of every
  // document with all the syllables up to the next phrase. One more than
  // the rarest syllable leaves the lead to a syllable.
  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return rarest_; }
  Xapian::doccount get_termfreq_max() const override { return rarest_; }

  void next(double) override { FindFrom(docid_ + 1); }
  void skip_to(Xapian::docid id, double) override {
    if (id > docid_) FindFrom(id);
  }
  // Only `id` is looked at: Xapian checks a boost on each candidate, and
  // walking on to the next document with the phrase would check maps
  // nobody asked about (an AND's check does that: boosts as filtered ANDs
  // took 4.2x the instructions on 3-4 syllable queries).
  //
  // A boost says yes to every document it is asked about, weighing 0 where
  // the syllables are not adjacent: Xapian 1.4 lost documents when a boost
  // said no inside a filtered query, and a weight of 0 adds nothing. A
  // phrase filter must say no.
  bool check(Xapian::docid id, double) override {
    docid_ = id;
    weight_ = 0;
    const bool holds = !Off() && AllAt(id) && Holds(id);
    if (holds) weight_ = Weight();
    return holds || weighted_;
  }
  bool at_end() const override { return at_end_; }
  Xapian::docid get_docid() const override { return docid_; }
  // Xapian 1.4 may ask after check() said no (an OR of boosts does):
  // hence a stored weight, 0 then.
  double get_weight() const override { return weight_; }
  PhraseSource* clone() const override {
    return new PhraseSource(folded_, weighted_, adjacency_);
  }
  std::string get_description() const override {
    std::string description = "PHRASE(";
    for (const std::string& term : folded_) description += term + " ";
    description.back() = ')';
    return description;
  }

 private:
  bool Off() const { return adjacency_ && !adjacency_->on; }

  // True if every syllable's list has `id`.
  bool AllAt(Xapian::docid id) {
    for (Xapian::PostingIterator& posting : postings_) {
      posting.skip_to(id);
      if (posting == Xapian::PostingIterator() || *posting != id) return false;
    }
    return true;
  }

  void FindFrom(Xapian::docid id) {
    while (!Off() && AlignAt(&id)) {
      if (Holds(id)) {
        docid_ = id;
        weight_ = Weight();
        return;
      }
      ++id;
    }
    at_end_ = true;
  }

  // Moves every syllable's list to the first document from *id on that
  // has them all; false if there is none.
  bool AlignAt(Xapian::docid* id) {
    for (bool aligned = false; !aligned;) {
      aligned = true;
      for (Xapian::PostingIterator& posting : postings_) {
        posting.skip_to(*id);
        if (posting == Xapian::PostingIterator()) return false;
        if (*posting > *id) {
          *id = *posting;
          aligned = false;
        }
      }
    }
    return true;
  }

  bool Holds(Xapian::docid id) {
    const std::string* map = MapOf(id);
    return map ? matcher_.Matches(*map) : HoldsByPositions(id);
  }

  // The document's position map, or null if it has none.
  const std::string* MapOf(Xapian::docid id) {
    if (id < map_docid_) maps_ = db_.valuestream_begin(schema::kPositionMapSlot);
    map_docid_ = id;
    if (maps_ == Xapian::ValueIterator()) return nullptr;
    maps_.skip_to(id);
    if (maps_ == Xapian::ValueIterator() || maps_.get_docid() != id) return nullptr;
    map_ = *maps_;
    return &map_;
  }

  // Documents indexed before position maps existed (schema 3) have
  // Xapian's positions instead.
  bool HoldsByPositions(Xapian::docid id) const {
    for (Xapian::PositionIterator first = db_.positionlist_begin(id, folded_[0]);
         first != db_.positionlist_end(id, folded_[0]); ++first) {
      bool phrase = true;
      for (size_t i = 1; i < folded_.size() && phrase; ++i) {
        Xapian::PositionIterator next = db_.positionlist_begin(id, folded_[i]);
        next.skip_to(*first + static_cast<Xapian::termpos>(i));
        phrase = next != db_.positionlist_end(id, folded_[i]) &&
                 *next == *first + i;
      }
      if (phrase) return true;
    }
    return false;
  }

  // Xapian::BM25Weight with its default parameters (k1 = 1, k3 = 1, b =
  // 0.5, min_normlen = 0.5) and each syllable once in the query.
  void InitWeights() {
    const double documents = db_.get_doccount();
    average_length_ = db_.get_avlength();
    termweights_.clear();
    double max = 0;
    for (const std::string& term : folded_) {
      const double frequency = db_.get_termfreq(term);
      double odds = (documents - frequency + 0.5) / (frequency + 0.5);
      if (odds < 2) odds = odds / 2 + 1;
      termweights_.push_back(std::log(odds) * (kK1 + 1));
      max += termweights_.back();
    }
    set_maxweight(max);
  }

  double Weight() const {
    if (!weighted_) return 0;
    const double length = postings_[0].get_doclength();
    const double norm =
        average_length_ > 0 ? std::max(length / average_length_, kMinNormLength) : kMinNormLength;
    const double k = kK1 * (norm * kB + (1 - kB));
    double weight = 0;
    for (size_t i = 0; i < postings_.size(); ++i) {
      const double wdf = postings_[i].get_wdf();
      weight += termweights_[i] * wdf / (k + wdf);
    }
    return weight;
  }

  static constexpr double kK1 = 1, kB = 0.5, kMinNormLength = 0.5;

  const std::vector<std::string> folded_;
  PhraseMatcher matcher_;
  const bool weighted_;
  const std::shared_ptr<const AdjacencySwitch> adjacency_;
  double average_length_ = 0;
  std::vector<double> termweights_;
  Xapian::Database db_;
  std::vector<Xapian::PostingIterator> postings_;
  Xapian::doccount rarest_ = 0;
  Xapian::ValueIterator maps_;
  Xapian::docid map_docid_ = 0;
  std::string map_;
  Xapian::docid docid_ = 0;
  double weight_ = 0;
  bool at_end_ = false;
};

}  // namespace

Xapian::Query PhraseQuery(const std::vector<std::string>& folded) {
  std::vector<Xapian::Query> syllables(folded.begin(), folded.end());
  if (syllables.size() == 1) return syllables[0];
  const Xapian::Query all(Xapian::Query::OP_AND, syllables.begin(), syllables.end());
  return Xapian::Query(Xapian::Query::OP_FILTER, all,
                       Xapian::Query((new PhraseSource(folded, false, {}))->release()));
}

Xapian::Query AdjacencyBoost(const std::vector<std::string>& folded,
                             std::shared_ptr<const AdjacencySwitch> adjacency) {
  return Xapian::Query((new PhraseSource(folded, true, std::move(adjacency)))->release());
}

}  // namespace tim
