#include "query/posting_cache.h"

namespace tim {

namespace {

// `term`'s list, or an empty one when it cannot be kept.
PostingList Decode(const Xapian::Database& db, const std::string& term) {
  PostingList list;
  if (db.get_wdf_upper_bound(term) > UINT16_MAX) return list;
  const Xapian::doccount count = db.get_termfreq(term);
  list.ids.reserve(count);
  list.wdfs.reserve(count);
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
    list.ids.push_back(*it);
    list.wdfs.push_back(static_cast<uint16_t>(it.get_wdf()));
  }
  return list;
}

size_t BytesOf(const PostingList& list) {
  return list.ids.capacity() * sizeof(list.ids[0]) + list.wdfs.capacity() * sizeof(list.wdfs[0]);
}

}  // namespace

std::shared_ptr<const PostingList> PostingCache::Find(const Xapian::Database& db,
                                                      const std::string& term) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = lists_.find(term);
    if (it != lists_.end()) return it->second;
    if (!searched_->load(std::memory_order_relaxed)) return nullptr;
  }
  // Decoded outside the lock: other threads' searches need not wait.
  auto list = std::make_shared<const PostingList>(Decode(db, term));
  const bool kept = !list->ids.empty() && budget_.Spend(BytesOf(*list));
  std::lock_guard<std::mutex> lock(mutex_);
  std::shared_ptr<const PostingList>& entry = lists_[term];
  if (entry || !kept) {  // another thread's came first, or refused
    if (kept) budget_.Refund(BytesOf(*list));
    return entry;
  }
  entry = std::move(list);
  return entry;
}

std::shared_ptr<const std::vector<Xapian::termcount>> PostingCache::Lengths(
    const Xapian::Database& db) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (lengths_ || lengths_refused_ || !searched_->load(std::memory_order_relaxed)) {
      return lengths_;
    }
  }
  auto lengths = std::make_shared<std::vector<Xapian::termcount>>(size_t{db.get_lastdocid()} + 1);
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    (*lengths)[*it] = it.get_doclength();
  }
  const size_t bytes = lengths->capacity() * sizeof(Xapian::termcount);
  const bool kept = budget_.Spend(bytes);
  std::lock_guard<std::mutex> lock(mutex_);
  if (lengths_ || !kept) {
    if (kept) budget_.Refund(bytes);
    lengths_refused_ = !kept;
    return lengths_;
  }
  lengths_ = std::move(lengths);
  return lengths_;
}

PostingCaches::PostingCaches(size_t budget)
    : budget_(budget), caches_([this](const Xapian::Database&) {
        return std::make_shared<PostingCache>(budget_, used_, searched_);
      }) {}

PostingCaches& PostingCaches::Process() {
  // Never destroyed: freeing every list as the process ends is work for
  // nothing.
  static PostingCaches& caches =
      *new PostingCaches(MebibytesFromEnvironment("TIM_POSTING_CACHE_MB", 256));
  return caches;
}

}  // namespace tim
