#include "query/window_term.h"

#include <utility>
#include <vector>

#include "query/bm25.h"

namespace tim {

namespace {

class WindowTermSource : public Xapian::PostingSource {
 public:
  WindowTermSource(std::string folded, std::shared_ptr<const MapWindow> window)
      : folded_(std::move(folded)),
        window_(std::move(window)),
        wdfs_(*window_->WdfsOf(folded_)),
        held_(*window_->HeldOf(folded_)) {}

  void init(const Xapian::Database& db) override {
    params_ = {window_->k1, window_->b, 0.5};
    frequency_ = db.get_termfreq(folded_);
    term_weight_ = Bm25TermWeight(params_, db.get_doccount(), frequency_, 1.0);
    length_factor_ = Bm25LengthFactor(db);
    set_maxweight(Bm25MaxPart(params_, term_weight_, db.get_wdf_upper_bound(folded_),
                              db.get_doclength_lower_bound(), length_factor_));
    started_ = false;
    place_ = 0;
  }

  // The term's own: what Xapian orders an OR's and an AND's parts by.
  Xapian::doccount get_termfreq_min() const override { return frequency_; }
  Xapian::doccount get_termfreq_est() const override { return frequency_; }
  Xapian::doccount get_termfreq_max() const override { return frequency_; }

  void next(double) override {
    if (started_) ++place_;
    started_ = true;
    SkipUnheld();
  }
  void skip_to(Xapian::docid id, double) override {
    started_ = true;
    while (place_ < held_.size() && window_->maps[place_].first < id) ++place_;
    SkipUnheld();
  }
  bool at_end() const override { return started_ && place_ >= held_.size(); }
  Xapian::docid get_docid() const override { return window_->maps[place_].first; }
  double get_weight() const override {
    const double length_part =
        Bm25LengthPart(params_, window_->lengths[place_], length_factor_);
    return Bm25SumPart(term_weight_, wdfs_[place_], length_part);
  }
  WindowTermSource* clone() const override { return new WindowTermSource(folded_, window_); }
  std::string get_description() const override { return "WINDOW(" + folded_ + ")"; }

 private:
  void SkipUnheld() {
    while (place_ < held_.size() && !held_[place_]) ++place_;
  }

  const std::string folded_;
  const std::shared_ptr<const MapWindow> window_;
  const std::vector<Xapian::termcount>& wdfs_;  // the window's, by place
  const std::vector<bool>& held_;
  Bm25Params params_;
  Xapian::doccount frequency_ = 0;
  double term_weight_ = 0;
  double length_factor_ = 0;
  bool started_ = false;
  size_t place_ = 0;  // in the window
};

}  // namespace

Xapian::Query WindowTerm(const std::string& folded, const Xapian::Database& db,
                         const std::shared_ptr<const MapWindow>& window) {
  // Xapian drops a term no article has from the query's tree (a source it
  // would keep), and sees a shard's own docids in a source on a database of
  // several, where the window has the whole's.
  if (!window || !window->WdfsOf(folded) || !window->HeldOf(folded) || db.size() != 1 ||
      db.get_termfreq(folded) == 0) {
    return Xapian::Query(folded);
  }
  return Xapian::Query((new WindowTermSource(folded, window))->release());
}

}  // namespace tim
