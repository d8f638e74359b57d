// map_cache.h: the position maps a process has read, kept in memory for
// the next searches of the same database revision.
//
// A map is a value (position_map.h), and Xapian keeps a slot's values in
// chunks of about 2,000 bytes: 3 maps a chunk on the corpus, so reading
// the map of each article a phrase's syllables meet costs a B-tree lookup
// and two copies, 2,400 instructions, 60 % of checking it. Lucene reads
// the same positions from files the page cache holds; here, a map once
// read is kept, and a later check of that article costs a load. All the
// maps of the 70,000-article corpus take 50 MB.
//
// Thread-safe: searches on several threads share a cache; a map, once
// kept, never changes or moves until the cache goes.
#ifndef TIM_SRC_QUERY_MAP_CACHE_H_
#define TIM_SRC_QUERY_MAP_CACHE_H_

#include <xapian.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "query/revision_caches.h"

namespace tim {

// The kept maps of one revision of one database. What they take counts
// against a budget shared with other caches (`used`): once it is spent,
// maps are no longer kept, and are read as before.
class MapCache {
 public:
  MapCache(Xapian::docid last_docid, size_t budget, std::shared_ptr<std::atomic<size_t>> used);
  ~MapCache();
  MapCache(const MapCache&) = delete;
  MapCache& operator=(const MapCache&) = delete;

  // The map of `id` (possibly ""), or null if none is kept.
  const std::string* Find(Xapian::docid id) const {
    if (id >= size_) return nullptr;
    const Block* block = blocks_[id / kBlockSlots].load(std::memory_order_acquire);
    if (!block) return nullptr;
    const Slot& slot = block->slots[id % kBlockSlots];
    return slot.state.load(std::memory_order_acquire) == kKept ? &slot.map : nullptr;
  }
  // Keeps `*map` (moving it) as the map of `id`, unless the budget is
  // spent or another thread is keeping one: the map kept (another
  // thread's, if it kept one first), or null (and `*map` is left as it
  // was).
  const std::string* Keep(Xapian::docid id, std::string* map);

 private:
  enum State : uint8_t { kEmpty, kWriting, kKept };
  // Maps live in slots by docid, made a block at a time as first needed: a
  // string allocated per map (and freed as the process ends) made a
  // one-search process, the CLI's, 7 % slower than without a cache, and
  // every slot made at once cost a search 0.7 M instructions.
  struct Slot {
    std::atomic<uint8_t> state{kEmpty};
    std::string map;
  };
  static constexpr size_t kBlockSlots = 64;
  struct Block {
    Slot slots[kBlockSlots];
  };

  // The block of `id`, made if it is not yet and the budget allows.
  Block* BlockOf(Xapian::docid id);

  const size_t size_;
  std::unique_ptr<std::atomic<Block*>[]> blocks_;
  BudgetShare budget_;  // of every cache of a MapCaches
};

// The caches of the databases a process reads, by revision
// (revision_caches.h), sharing one budget.
class MapCaches {
 public:
  explicit MapCaches(size_t budget);

  // The process's: a budget of TIM_MAP_CACHE_MB MiB from the environment
  // (0 keeps no map), 256 by default.
  static MapCaches& Process();

  // The cache of `db`'s revision, or null: no budget, or none that
  // RevisionOf() names.
  std::shared_ptr<MapCache> For(const Xapian::Database& db) {
    return budget_ == 0 ? nullptr : caches_.For(db);
  }

 private:
  const size_t budget_;
  std::shared_ptr<std::atomic<size_t>> used_ = std::make_shared<std::atomic<size_t>>(0);
  RevisionCaches<MapCache> caches_;
};

}  // namespace tim

#endif  // TIM_SRC_QUERY_MAP_CACHE_H_
