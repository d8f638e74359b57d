#include "query/map_cache.h"

#include <algorithm>
#include <cstdlib>

namespace tim {

MapCache::MapCache(Xapian::docid last_docid, size_t budget,
                   std::shared_ptr<std::atomic<size_t>> used)
    : size_(size_t{last_docid} + 1),
      budget_(budget),
      blocks_(new std::atomic<Block*>[(size_ + kBlockSlots - 1) / kBlockSlots]),  // null
      used_(std::move(used)) {}

MapCache::~MapCache() {
  for (size_t b = 0; b * kBlockSlots < size_; ++b) delete blocks_[b].load();
  used_->fetch_sub(own_.load(std::memory_order_relaxed));
}

MapCache::Block* MapCache::BlockOf(Xapian::docid id) {
  std::atomic<Block*>& at = blocks_[id / kBlockSlots];
  Block* block = at.load(std::memory_order_acquire);
  if (block || !Spend(sizeof(Block))) return block;
  auto made = std::make_unique_for_overwrite<Block>();  // no zeroing: slots start empty
  if (at.compare_exchange_strong(block, made.get(), std::memory_order_acq_rel)) {
    return made.release();
  }
  Refund(sizeof(Block));  // another thread made it first
  return block;
}

bool MapCache::Spend(size_t bytes) {
  own_.fetch_add(bytes, std::memory_order_relaxed);
  if (used_->fetch_add(bytes, std::memory_order_relaxed) + bytes <= budget_) return true;
  Refund(bytes);
  return false;
}

void MapCache::Refund(size_t bytes) {
  own_.fetch_sub(bytes, std::memory_order_relaxed);
  used_->fetch_sub(bytes, std::memory_order_relaxed);
}

const std::string* MapCache::Keep(Xapian::docid id, std::string* map) {
  Block* block = id < size_ ? BlockOf(id) : nullptr;
  if (!block) return nullptr;
  Slot& slot = block->slots[id % kBlockSlots];
  uint8_t state = kEmpty;
  if (!slot.state.compare_exchange_strong(state, kWriting, std::memory_order_acquire)) {
    return state == kKept ? &slot.map : nullptr;
  }
  if (!Spend(map->capacity())) {
    slot.state.store(kEmpty, std::memory_order_release);
    return nullptr;
  }
  slot.map = std::move(*map);
  slot.state.store(kKept, std::memory_order_release);
  return &slot.map;
}

MapCaches& MapCaches::Process() {
  // Never destroyed: freeing every map as the process ends is work for
  // nothing.
  static MapCaches& caches = *new MapCaches([] {
    const char* megabytes = std::getenv("TIM_MAP_CACHE_MB");
    return size_t{megabytes ? std::strtoul(megabytes, nullptr, 10) : 256} << 20;
  }());
  return caches;
}

std::shared_ptr<MapCache> MapCaches::For(const Xapian::Database& db) {
  if (budget_ == 0 || db.size() != 1) return nullptr;
  std::string database, revision;
  try {
    database = db.get_uuid();
    // tim searches read-only handles, whose revision is their content. A
    // writer's own handle also reads what it has not committed, which its
    // counts and length tell (all but a replacement of the same length).
    revision = std::to_string(db.get_revision()) + ":" + std::to_string(db.get_lastdocid()) +
               ":" + std::to_string(db.get_doccount()) + ":" +
               std::to_string(db.get_total_length());
  } catch (const Xapian::Error&) {
    return nullptr;  // remote or in-memory: no revision to tell by
  }
  if (database.empty()) return nullptr;
  std::lock_guard<std::mutex> lock(mutex_);
  const auto same = std::find_if(entries_.begin(), entries_.end(),
                                 [&](const Entry& entry) { return entry.database == database; });
  Entry entry;
  if (same != entries_.end()) {
    if (same->revision == revision) entry = std::move(*same);
    entries_.erase(same);
  }
  if (!entry.cache) {
    entry = {database, revision,
             std::make_shared<MapCache>(db.get_lastdocid(), budget_, used_)};
  }
  entries_.insert(entries_.begin(), std::move(entry));
  if (entries_.size() > kDatabases) entries_.pop_back();
  return entries_.front().cache;
}

}  // namespace tim
