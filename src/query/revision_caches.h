// revision_caches.h: one cache per revision of each database a process
// reads (the position maps of map_cache.h, the posting lists of
// posting_cache.h). A commit or a swap starts a new cache; only the last
// few databases' are kept.
//
// Thread-safe.
#ifndef TIM_SRC_QUERY_REVISION_CACHES_H_
#define TIM_SRC_QUERY_REVISION_CACHES_H_

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tim {

// What names a database's content: its UUID, then its revision; nothing
// for a union of several databases (each of its shards, searched, has its
// own) or a database that gives no revision (in memory).
struct Revision {
  std::string database;
  std::string revision;
};
std::optional<Revision> RevisionOf(const Xapian::Database& db);

// The size in MiB that environment variable `name` gives, in bytes; a
// value that is not a number of MiB (unset, empty, "-1", "64MB") gives
// `fallback` MiB.
size_t MebibytesFromEnvironment(const char* name, size_t fallback);

// One cache's part of a budget of bytes shared by the caches of a process
// (`used`, what they all take): given back when the cache goes.
class BudgetShare {
 public:
  BudgetShare(size_t budget, std::shared_ptr<std::atomic<size_t>> used)
      : budget_(budget), used_(std::move(used)) {}
  ~BudgetShare() { used_->fetch_sub(own_.load(std::memory_order_relaxed)); }
  BudgetShare(const BudgetShare&) = delete;
  BudgetShare& operator=(const BudgetShare&) = delete;

  // Takes `bytes` if the budget has them; whether it did.
  bool Spend(size_t bytes) {
    own_.fetch_add(bytes, std::memory_order_relaxed);
    if (used_->fetch_add(bytes, std::memory_order_relaxed) + bytes <= budget_) return true;
    Refund(bytes);
    return false;
  }
  // Gives back `bytes` spent.
  void Refund(size_t bytes) {
    own_.fetch_sub(bytes, std::memory_order_relaxed);
    used_->fetch_sub(bytes, std::memory_order_relaxed);
  }

 private:
  const size_t budget_;
  const std::shared_ptr<std::atomic<size_t>> used_;
  std::atomic<size_t> own_{0};  // this cache's part of used_
};

template <class Cache>
class RevisionCaches {
 public:
  // `make` makes the cache of a revision first asked for.
  explicit RevisionCaches(std::function<std::shared_ptr<Cache>(const Xapian::Database&)> make)
      : make_(std::move(make)) {}

  // The cache of `db`'s revision, or null when RevisionOf() names none.
  std::shared_ptr<Cache> For(const Xapian::Database& db) {
    std::optional<Revision> revision = RevisionOf(db);
    if (!revision) return nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    const auto same = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& entry) {
      return entry.at.database == revision->database;
    });
    Entry entry;
    if (same != entries_.end()) {
      if (same->at.revision == revision->revision) entry = std::move(*same);
      entries_.erase(same);
    }
    if (!entry.cache) entry = {std::move(*revision), make_(db)};
    entries_.insert(entries_.begin(), std::move(entry));
    if (entries_.size() > kDatabases) entries_.pop_back();
    return entries_.front().cache;
  }

 private:
  static constexpr size_t kDatabases = 4;

  struct Entry {
    Revision at;
    std::shared_ptr<Cache> cache;
  };

  const std::function<std::shared_ptr<Cache>(const Xapian::Database&)> make_;
  std::mutex mutex_;
  std::vector<Entry> entries_;  // the most recently asked for first
};

}  // namespace tim

#endif  // TIM_SRC_QUERY_REVISION_CACHES_H_
