#include "query/phrase_query.h"

#include "query/sharded_source.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string_view>

#include "index/position_map.h"
#include "index/schema.h"
#include "query/map_window.h"

namespace tim {

namespace {

// Xapian::BM25Weight with k3 = 1 and min_normlen = 0.5 (the defaults), each
// term once in the query.
class Bm25 {
 public:
  void Init(const Xapian::Database& db, const MapWindow* window) {
    documents_ = db.get_doccount();
    average_length_ = db.get_avlength();
    if (window) {
      k1_ = window->k1;
      b_ = window->b;
    }
  }

  // The weight of a term in `frequency` documents, at a wdf far above k1.
  double TermWeight(double frequency) const {
    double odds = (documents_ - frequency + 0.5) / (frequency + 0.5);
    if (odds < 2) odds = odds / 2 + 1;
    return std::log(odds) * (k1_ + 1);
  }

  double Weight(double term_weight, double wdf, double document_length) const {
    const double norm = average_length_ > 0
                            ? std::max(document_length / average_length_, kMinNormLength)
                            : kMinNormLength;
    const double k = k1_ * (norm * b_ + (1 - b_));
    return term_weight * wdf / (k + wdf);
  }

 private:
  static constexpr double kMinNormLength = 0.5;
  double k1_ = 1, b_ = 0.5;
  double documents_ = 0;
  double average_length_ = 0;
};

// The documents holding the phrase: those with all its syllables, walked
// as an AND, each checked against its position map. Weighted, a document
// weighs what its syllables weigh under Xapian's default BM25; else
// nothing (PhraseQuery filters the AND of the syllables with it).
class PhraseSource : public Xapian::PostingSource {
 public:
  PhraseSource(std::vector<std::string> folded, bool weighted,
               std::shared_ptr<const MapWindow> window)
      : folded_(folded),
        matcher_(std::move(folded)),
        weighted_(weighted),
        window_(std::move(window)) {}

  void init(const Xapian::Database& db) override {
    db_ = db;
    postings_.clear();
    rarest_ = db.get_doccount();
    for (const std::string& term : folded_) rarest_ = std::min(rarest_, db.get_termfreq(term));
    rarest_ = std::min(rarest_ + 1, db.get_doccount());
    maps_.Init(db, window_.get());
    window_wdfs_.clear();
    for (const std::string& term : folded_) {
      const auto* wdfs = maps_.WindowWdfs(term);
      if (!wdfs) {
        window_wdfs_.clear();
        break;
      }
      window_wdfs_.push_back(wdfs);
    }
    wdfs_.assign(folded_.size(), 0);
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
    const bool holds = window_wdfs_.empty()
                           ? !maps_.OutsideWindow(id) && AllAt(id) && Holds(id)
                           : AllInWindowAt(id) && Holds(id);
    if (holds) weight_ = Weight();
    return holds || weighted_;
  }
  bool at_end() const override { return at_end_; }
  Xapian::docid get_docid() const override { return docid_; }
  // Xapian 1.4 may ask after check() said no (an OR of boosts does):
  // hence a stored weight, 0 then.
  double get_weight() const override { return weight_; }
  PhraseSource* clone() const override {
    return new PhraseSource(folded_, weighted_, window_);
  }
  std::string get_description() const override {
    std::string description = "PHRASE(";
    for (const std::string& term : folded_) description += term + " ";
    description.back() = ')';
    return description;
  }

 private:
  // The syllables' posting lists, opened when first needed: a window's
  // articles need none, and a remote shard sends a list whole.
  std::vector<Xapian::PostingIterator>& Postings() {
    if (postings_.empty()) {
      for (const std::string& term : folded_) postings_.push_back(db_.postlist_begin(term));
    }
    return postings_;
  }

  // True if every syllable's list has `id`; then reads their wdfs there.
  bool AllAt(Xapian::docid id) {
    for (Xapian::PostingIterator& posting : Postings()) {
      posting.skip_to(id);
      if (posting == Xapian::PostingIterator() || *posting != id) return false;
    }
    ReadListWdfs();
    return true;
  }

  // The same from the window's wdfs, false outside the window.
  bool AllInWindowAt(Xapian::docid id) {
    place_ = maps_.Place(id);
    if (!place_) return false;
    for (size_t i = 0; i < wdfs_.size(); ++i) {
      wdfs_[i] = (*window_wdfs_[i])[*place_];
      if (wdfs_[i] == 0) return false;
    }
    return true;
  }

  // With every list at the same document.
  void ReadListWdfs() {
    place_.reset();
    for (size_t i = 0; i < wdfs_.size(); ++i) wdfs_[i] = postings_[i].get_wdf();
  }

  void FindFrom(Xapian::docid id) {
    while (AlignAt(&id)) {
      ReadListWdfs();
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
      for (Xapian::PostingIterator& posting : Postings()) {
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
    const std::string* map = maps_.MapOf(id);
    return map ? matcher_.Matches(*map, RarestHere()) : HoldsByPositions(id);
  }

  // The syllable the document has least often.
  size_t RarestHere() const {
    return std::min_element(wdfs_.begin(), wdfs_.end()) - wdfs_.begin();
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

  void InitWeights() {
    bm25_.Init(db_, window_.get());
    term_weights_.clear();
    double max = 0;
    for (const std::string& term : folded_) {
      term_weights_.push_back(bm25_.TermWeight(db_.get_termfreq(term)));
      max += term_weights_.back();
    }
    set_maxweight(max);
  }

  double Weight() const {
    if (!weighted_) return 0;
    const double length =
        place_ ? window_->lengths[*place_] : postings_[0].get_doclength();
    double weight = 0;
    for (size_t i = 0; i < wdfs_.size(); ++i) {
      weight += bm25_.Weight(term_weights_[i], wdfs_[i], length);
    }
    return weight;
  }

  const std::vector<std::string> folded_;
  PhraseMatcher matcher_;
  const bool weighted_;
  const std::shared_ptr<const MapWindow> window_;
  Bm25 bm25_;
  std::vector<double> term_weights_;
  Xapian::Database db_;
  std::vector<Xapian::PostingIterator> postings_;
  // The window's wdfs of each syllable, when it has them all.
  std::vector<const std::vector<Xapian::termcount>*> window_wdfs_;
  // At the current document: each syllable's wdf, and its place in the
  // window when they come from there.
  std::vector<Xapian::termcount> wdfs_;
  std::optional<size_t> place_;
  Xapian::doccount rarest_ = 0;
  MapReader maps_;
  Xapian::docid docid_ = 0;
  double weight_ = 0;
  bool at_end_ = false;
};

// The documents with the syllable, weighted by how often they write it in
// its common spelling (see ExactBoost).
class ExactSource : public Xapian::PostingSource {
 public:
  ExactSource(std::string folded, std::string exact, std::shared_ptr<const MapWindow> window)
      : folded_(folded), exact_(std::move(exact)), matcher_(std::move(folded)),
        window_(std::move(window)) {}

  void init(const Xapian::Database& db) override {
    frequency_ = db.get_termfreq(folded_);
    maps_.Init(db, window_.get());
    window_wdfs_ = maps_.WindowWdfs(folded_);
    bm25_.Init(db, window_.get());
    db_ = db;
    postings_open_ = exact_postings_open_ = false;
    const Xapian::doccount old_frequency = db.get_termfreq(ExactTerm());
    term_weight_ = bm25_.TermWeight(old_frequency > 0 ? old_frequency : EstimateFrequency(db));
    set_maxweight(term_weight_);
    // From the start again, after the estimate.
    exact_postings_open_ = false;
    weight_ = 0;
    docid_ = 0;
  }

  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return frequency_; }
  Xapian::doccount get_termfreq_max() const override { return frequency_; }

  void next(double) override {
    ++Postings();
    Weigh();
  }
  void skip_to(Xapian::docid id, double) override {
    Postings().skip_to(id);
    Weigh();
  }
  // Says yes to every document asked about, as PhraseSource::check does.
  bool check(Xapian::docid id, double) override {
    weight_ = 0;
    if (window_wdfs_) {
      WeighInWindow(id);
    } else if (!maps_.OutsideWindow(id)) {
      Postings().skip_to(id);
      if (!AtEnd() && *postings_ == id) Weigh();
    }
    docid_ = id;
    return true;
  }
  bool at_end() const override { return docid_ == 0 && AtEnd(); }
  Xapian::docid get_docid() const override { return docid_; }
  double get_weight() const override { return weight_; }
  ExactSource* clone() const override { return new ExactSource(folded_, exact_, window_); }
  std::string get_description() const override { return "EXACT(" + exact_ + ")"; }

 private:
  // The folded syllable's posting list, and the exact form's (before
  // schema 5), opened when first needed: a window's articles need neither,
  // and a remote shard sends a list whole.
  Xapian::PostingIterator& Postings() {
    if (!postings_open_) postings_ = db_.postlist_begin(folded_);
    postings_open_ = true;
    return postings_;
  }
  Xapian::PostingIterator& ExactPostings() {
    if (!exact_postings_open_) exact_postings_ = db_.postlist_begin(ExactTerm());
    exact_postings_open_ = true;
    return exact_postings_;
  }
  // (Unopened, the list is at its start: at its end only if empty.)
  bool AtEnd() const {
    return postings_open_ ? postings_ == Xapian::PostingIterator() : frequency_ == 0;
  }
  std::string ExactTerm() const { return schema::kExactPrefix + exact_; }

  // The folded syllable's frequency times the share of the window's
  // articles with the syllable that write it exactly; the folded
  // frequency alone without a window.
  double EstimateFrequency(const Xapian::Database& db) {
    if (!maps_.Windowed()) return frequency_;
    size_t with_syllable = 0, exact = 0;
    Xapian::PostingIterator list;
    if (!window_wdfs_) list = db.postlist_begin(folded_);
    for (size_t place = 0; place < window_->maps.size(); ++place) {
      const Xapian::docid id = window_->maps[place].first;
      Xapian::termcount folded_wdf = 0;
      if (window_wdfs_) {
        folded_wdf = (*window_wdfs_)[place];
      } else {
        list.skip_to(id);
        if (list == Xapian::PostingIterator()) break;
        if (*list == id) folded_wdf = list.get_wdf();
      }
      if (folded_wdf == 0) continue;
      ++with_syllable;
      if (ExactWdf(id, folded_wdf) > 0) ++exact;
    }
    if (with_syllable == 0) return frequency_;
    return std::max(1.0, static_cast<double>(frequency_) * exact / with_syllable);
  }

  // The weight of the document postings_ is at.
  void Weigh() {
    weight_ = 0;
    docid_ = AtEnd() ? 0 : *postings_;
    if (AtEnd()) return;
    const Xapian::termcount wdf = ExactWdf(*postings_, postings_.get_wdf());
    if (wdf > 0) weight_ = bm25_.Weight(term_weight_, wdf, postings_.get_doclength());
  }

  // The weight of `id`, from the window's wdfs and lengths.
  void WeighInWindow(Xapian::docid id) {
    const std::optional<size_t> place = maps_.Place(id);
    if (!place || (*window_wdfs_)[*place] == 0) return;
    const Xapian::termcount wdf = ExactWdf(id, (*window_wdfs_)[*place]);
    if (wdf > 0) weight_ = bm25_.Weight(term_weight_, wdf, window_->lengths[*place]);
  }

  // The wdf of the common spelling in `id`, which has the folded syllable
  // `folded_wdf` times.
  Xapian::termcount ExactWdf(Xapian::docid id, Xapian::termcount folded_wdf) {
    if (const std::string* map = maps_.MapOf(id)) {
      if (auto wdf = matcher_.CommonWdf(*map, folded_wdf)) return *wdf;
    }
    // Written before schema 5: the exact form is a term.
    Xapian::PostingIterator& exact = ExactPostings();
    exact.skip_to(id);
    if (exact == Xapian::PostingIterator() || *exact != id) return 0;
    return exact.get_wdf();
  }

  const std::string folded_, exact_;
  CommonSpellingMatcher matcher_;
  const std::shared_ptr<const MapWindow> window_;
  Xapian::Database db_;
  Xapian::PostingIterator postings_, exact_postings_;
  bool postings_open_ = false, exact_postings_open_ = false;
  // The window's wdfs of the folded syllable, if it has them.
  const std::vector<Xapian::termcount>* window_wdfs_ = nullptr;
  Xapian::doccount frequency_ = 0;
  MapReader maps_;
  // Where it stands: the document checked last, else postings_'s (0 at
  // the end). Xapian asks after a check, when postings_ may lag behind.
  Xapian::docid docid_ = 0;
  Bm25 bm25_;
  double term_weight_ = 0;
  double weight_ = 0;
};

}  // namespace

Xapian::Query PhraseQuery(const std::vector<std::string>& folded, bool built_in) {
  std::vector<Xapian::Query> syllables(folded.begin(), folded.end());
  if (syllables.size() == 1) return syllables[0];
  const Xapian::Query all(Xapian::Query::OP_AND, syllables.begin(), syllables.end());
  if (built_in) return all;
  return Xapian::Query(Xapian::Query::OP_FILTER, all,
                       Xapian::Query((new PhraseSource(folded, false, {}))->release()));
}

std::unique_ptr<Xapian::PostingSource> PhraseMatches(std::vector<std::string> folded) {
  return std::make_unique<PhraseSource>(std::move(folded), false, nullptr);
}

std::unique_ptr<Xapian::PostingSource> AdjacencyBoostSource(
    const std::vector<std::string>& folded, std::shared_ptr<const MapWindow> window) {
  return std::make_unique<PhraseSource>(folded, true, std::move(window));
}

std::unique_ptr<Xapian::PostingSource> ExactBoostSource(
    const std::string& folded, const std::string& exact, std::shared_ptr<const MapWindow> window) {
  return std::make_unique<ExactSource>(folded, exact, std::move(window));
}

Xapian::Query AdjacencyBoost(const std::vector<std::string>& folded, const Xapian::Database* db,
                             std::shared_ptr<const MapWindow> window) {
  return SourceQuery(AdjacencyBoostSource(folded, std::move(window)).release(), db);
}

Xapian::Query ExactBoost(const std::string& folded, const std::string& exact,
                         const Xapian::Database* db, std::shared_ptr<const MapWindow> window) {
  return SourceQuery(ExactBoostSource(folded, exact, std::move(window)).release(), db);
}

}  // namespace tim
