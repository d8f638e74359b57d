#include "query/map_cache.h"


namespace tim {

MapCache::MapCache(Xapian::docid last_docid, size_t budget,
                   std::shared_ptr<std::atomic<size_t>> used)
    : size_(size_t{last_docid} + 1),
      blocks_(new std::atomic<Block*>[(size_ + kBlockSlots - 1) / kBlockSlots]),  // null
      budget_(budget, std::move(used)) {}

MapCache::~MapCache() {
  for (size_t b = 0; b * kBlockSlots < size_; ++b) delete blocks_[b].load();
}

MapCache::Block* MapCache::BlockOf(Xapian::docid id) {
  std::atomic<Block*>& at = blocks_[id / kBlockSlots];
  Block* block = at.load(std::memory_order_acquire);
  if (block || !budget_.Spend(sizeof(Block))) return block;
  auto made = std::make_unique_for_overwrite<Block>();  // no zeroing: slots start empty
  if (at.compare_exchange_strong(block, made.get(), std::memory_order_acq_rel)) {
    return made.release();
  }
  budget_.Refund(sizeof(Block));  // another thread made it first
  return block;
}

const std::string* MapCache::Keep(Xapian::docid id, std::string* map) {
  Block* block = id < size_ ? BlockOf(id) : nullptr;
  if (!block) return nullptr;
  Slot& slot = block->slots[id % kBlockSlots];
  uint8_t state = kEmpty;
  if (!slot.state.compare_exchange_strong(state, kWriting, std::memory_order_acquire)) {
    return state == kKept ? &slot.map : nullptr;
  }
  if (!budget_.Spend(map->capacity())) {
    slot.state.store(kEmpty, std::memory_order_release);
    return nullptr;
  }
  slot.map = std::move(*map);
  slot.state.store(kKept, std::memory_order_release);
  return &slot.map;
}

MapCaches::MapCaches(size_t budget)
    : budget_(budget), caches_([this](const Xapian::Database& db) {
        return std::make_shared<MapCache>(db.get_lastdocid(), budget_, used_);
      }) {}

MapCaches& MapCaches::Process() {
  // Never destroyed: freeing every map as the process ends is work for
  // nothing.
  static MapCaches& caches = *new MapCaches(MebibytesFromEnvironment("TIM_MAP_CACHE_MB", 256));
  return caches;
}

}  // namespace tim
