#include "query/sharded_source.h"

#include <algorithm>
#include <memory>
#include <string>

#include "index/shard_docids.h"

namespace tim {

namespace {

class ShardedSource : public Xapian::PostingSource {
 public:
  ShardedSource(Xapian::PostingSource* inner, Xapian::Database whole)
      : inner_(inner), whole_(std::move(whole)) {}

  void init(const Xapian::Database& part) override {
    shard_ = ShardDocids(whole_, part);
    part_documents_ = part.get_doccount();
    inner_->init(whole_);
    set_maxweight(inner_->get_maxweight());
  }

  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override {
    return std::min(inner_->get_termfreq_est() / shard_.count(), part_documents_);
  }
  Xapian::doccount get_termfreq_max() const override {
    return std::min(inner_->get_termfreq_max(), part_documents_);
  }

  void next(double min_weight) override {
    inner_->next(min_weight);
    Settle(min_weight);
  }
  void skip_to(Xapian::docid local, double min_weight) override {
    inner_->skip_to(shard_.ToWhole(local), min_weight);
    Settle(min_weight);
  }
  bool check(Xapian::docid local, double min_weight) override {
    if (!inner_->check(shard_.ToWhole(local), min_weight)) return false;
    Settle(min_weight);
    return true;
  }
  bool at_end() const override { return inner_->at_end(); }
  Xapian::docid get_docid() const override { return shard_.ToLocal(inner_->get_docid()); }
  double get_weight() const override { return inner_->get_weight(); }
  ShardedSource* clone() const override {
    Xapian::PostingSource* inner = inner_->clone();
    return inner ? new ShardedSource(inner, whole_) : nullptr;
  }
  std::string get_description() const override { return inner_->get_description(); }

 private:
  // Moves the inner source on to a document of this shard.
  void Settle(double min_weight) {
    while (!inner_->at_end() && !shard_.Holds(inner_->get_docid())) inner_->next(min_weight);
  }

  std::unique_ptr<Xapian::PostingSource> inner_;
  const Xapian::Database whole_;
  ShardDocids shard_;
  Xapian::doccount part_documents_ = 0;
};

}  // namespace

Xapian::Query SourceQuery(Xapian::PostingSource* source, const Xapian::Database* db) {
  if (!db || db->size() <= 1) return Xapian::Query(source->release());
  return Xapian::Query((new ShardedSource(source, *db))->release());
}

}  // namespace tim
