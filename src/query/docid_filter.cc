#include "query/docid_filter.h"

#include "query/sharded_source.h"

#include <algorithm>
#include <cstddef>

namespace tim {

namespace {

class DocidSource : public Xapian::PostingSource {
 public:
  explicit DocidSource(std::vector<Xapian::docid> ids) : ids_(std::move(ids)) {}

  Xapian::doccount get_termfreq_min() const override { return Size(); }
  Xapian::doccount get_termfreq_est() const override { return Size(); }
  Xapian::doccount get_termfreq_max() const override { return Size(); }
  void init(const Xapian::Database&) override { started_ = false; }
  void next(double) override {
    index_ = started_ ? index_ + 1 : 0;
    started_ = true;
  }
  void skip_to(Xapian::docid id, double) override {
    if (!started_) index_ = 0;
    started_ = true;
    index_ = static_cast<size_t>(
        std::lower_bound(ids_.begin() + static_cast<std::ptrdiff_t>(index_), ids_.end(), id) -
        ids_.begin());
  }
  bool at_end() const override { return index_ >= ids_.size(); }
  Xapian::docid get_docid() const override { return ids_[index_]; }
  DocidSource* clone() const override { return new DocidSource(ids_); }

 private:
  Xapian::doccount Size() const { return static_cast<Xapian::doccount>(ids_.size()); }

  std::vector<Xapian::docid> ids_;
  size_t index_ = 0;
  bool started_ = false;
};

}  // namespace

Xapian::Query DocidFilter(std::vector<Xapian::docid> ids, const Xapian::Database* db) {
  return SourceQuery(new DocidSource(std::move(ids)), db);
}

}  // namespace tim
