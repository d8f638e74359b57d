// posting_cache.h: the posting lists a process searches again, decoded
// once and kept in memory for the next searches of the same database
// revision.
//
// Xapian decodes a posting list an entry at a time through several layers:
// about 75 instructions a step and 300 a skip (callgrind). A two-syllable
// word reads 6 lists (folded, exact and title per syllable) of thousands of
// entries to walk its matches and weigh them, and that was half of its
// search. Lucene decodes blocks of 128 entries at a few instructions each.
// A list kept here as two arrays costs a load per entry.
//
// Lists are kept from the process's second search on (NoteSearch): a
// process that searches once, the CLI's, pays nothing for them.
//
// Thread-safe: searches on several threads share a cache; a list, once
// kept, never changes while anyone holds it.
#ifndef TIM_SRC_QUERY_POSTING_CACHE_H_
#define TIM_SRC_QUERY_POSTING_CACHE_H_

#include <xapian.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "query/revision_caches.h"

namespace tim {

// A term's postings: the documents that hold it, ascending, and its wdf in
// each. (16 bits: a list with a larger wdf is not kept.)
struct PostingList {
  std::vector<Xapian::docid> ids;
  std::vector<uint16_t> wdfs;
};

// The kept lists of one revision of one database. What they take counts
// against a budget shared with other caches (`used`): once it is spent,
// lists are no longer kept, and are read from Xapian as before.
class PostingCache {
 public:
  // `searched`: whether the process has finished a search (shared by the
  // caches of a PostingCaches).
  PostingCache(size_t budget, std::shared_ptr<std::atomic<size_t>> used,
               std::shared_ptr<const std::atomic<bool>> searched)
      : budget_(budget, std::move(used)), searched_(std::move(searched)) {}
  PostingCache(const PostingCache&) = delete;
  PostingCache& operator=(const PostingCache&) = delete;

  // `term`'s list in `db` (the revision this cache is for), or null: no
  // article holds it, the budget is spent, or the process is in its first
  // search (then nothing is decoded).
  std::shared_ptr<const PostingList> Find(const Xapian::Database& db, const std::string& term);

  // Every document's length by docid (0 for a docid no document has), on
  // the same terms.
  std::shared_ptr<const std::vector<Xapian::termcount>> Lengths(const Xapian::Database& db);

 private:
  BudgetShare budget_;  // of every cache of a PostingCaches
  const std::shared_ptr<const std::atomic<bool>> searched_;
  std::mutex mutex_;
  // By term; null for a term decided against (the budget, or no article
  // holds it), which is not read again.
  std::unordered_map<std::string, std::shared_ptr<const PostingList>> lists_;
  std::shared_ptr<const std::vector<Xapian::termcount>> lengths_;
  bool lengths_refused_ = false;
};

// The caches of the databases a process reads, by revision
// (revision_caches.h), sharing one budget.
class PostingCaches {
 public:
  explicit PostingCaches(size_t budget);

  // The process's: a budget of TIM_POSTING_CACHE_MB MiB from the
  // environment (0 keeps no list), 256 by default.
  static PostingCaches& Process();

  // The cache of `db`'s revision, or null: no budget, or none that
  // RevisionOf() names.
  std::shared_ptr<PostingCache> For(const Xapian::Database& db) {
    return budget_ == 0 ? nullptr : caches_.For(db);
  }

  // Tells that the process has finished a search: from now on, lists are
  // kept as they are read.
  void NoteSearch() { searched_->store(true, std::memory_order_relaxed); }

 private:
  const size_t budget_;
  std::shared_ptr<std::atomic<size_t>> used_ = std::make_shared<std::atomic<size_t>>(0);
  std::shared_ptr<std::atomic<bool>> searched_ = std::make_shared<std::atomic<bool>>(false);
  RevisionCaches<PostingCache> caches_;
};

}  // namespace tim

#endif  // TIM_SRC_QUERY_POSTING_CACHE_H_
