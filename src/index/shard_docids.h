// shard_docids.h: where a shard's documents sit in a database made of
// several (a stub file listing them, database_directory.h).
//
// Xapian numbers the documents of a database of n shards by interleaving
// theirs: the i-th shard's document d (from 0) is (d - 1) * n + i + 1 of
// the whole. The whole's UUID is the shards' UUIDs joined by ':'.
#ifndef TIM_SRC_INDEX_SHARD_DOCIDS_H_
#define TIM_SRC_INDEX_SHARD_DOCIDS_H_

#include <xapian.h>

namespace tim {

class ShardDocids {
 public:
  // A database of one shard: every docid is its own.
  ShardDocids() = default;
  // `part` as one of the shards of `whole` (or `whole` itself), as Xapian
  // hands it to a posting source's init(). Error(kInternal) if it is not.
  ShardDocids(const Xapian::Database& whole, const Xapian::Database& part);

  bool whole() const { return count_ == 1; }
  Xapian::docid ToWhole(Xapian::docid local) const { return (local - 1) * count_ + index_ + 1; }
  // True if the whole's document `id` is in this shard.
  bool Holds(Xapian::docid id) const { return (id - 1) % count_ == index_; }
  // The local docid of the whole's document `id`, which Holds().
  Xapian::docid ToLocal(Xapian::docid id) const { return (id - 1) / count_ + 1; }
  Xapian::docid count() const { return count_; }

 private:
  Xapian::docid index_ = 0;
  Xapian::docid count_ = 1;
};

}  // namespace tim

#endif  // TIM_SRC_INDEX_SHARD_DOCIDS_H_
