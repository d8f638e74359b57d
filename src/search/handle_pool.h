// handle_pool.h: the Xapian handles a Searcher reads through, each brought
// up to the latest commit when borrowed.
//
// Handles are not thread-safe, so each search borrows one for itself and
// gives it back; a search finding none idle opens one more. A commit
// replaces the database's version file (iamglass) by a rename and a staged
// batch swaps in a whole new directory, whose revision numbers may repeat
// the old one's: a stat of the directory and a read of the version file
// per borrow tell either apart. (The version file's inode does not: ext4
// gives the next commit's file the inode the last one freed.)
#ifndef TIM_SRC_SEARCH_HANDLE_POOL_H_
#define TIM_SRC_SEARCH_HANDLE_POOL_H_

#include <sys/types.h>
#include <xapian.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "index/facet_table.h"
#include "index/stored_article_codec.h"

namespace tim {

// What tells a handle that the database changed since it looked.
struct Stamp {
  dev_t device = 0;
  ino_t directory = 0;
  std::string version;  // the version file's bytes: the uuid and revision
  std::string stub;     // stub files' text: a replica's, shards', their replicas'
  friend bool operator==(const Stamp&, const Stamp&) = default;
};

// A Xapian handle with the facet table of the revision it reads.
struct Handle {
  std::unique_ptr<Xapian::Database> db;
  // A database of several shards: each of them, sharing *db's internals.
  std::vector<Xapian::Database> shards;
  // Some shard is served by xapian-tcpsrv, which runs Xapian's own matching
  // only (search_run.h).
  bool remote = false;
  std::unique_ptr<StoredDataReader> stored;  // reads *db
  std::shared_ptr<const FacetTable> facets;
  Stamp stamp;  // of the database when *db last (re)opened
};

class HandlePool {
 public:
  explicit HandlePool(std::string path) : path_(std::move(path)) {}

  const std::string& path() const { return path_; }

  // Opens a handle on the latest commit (Xapian errors propagate).
  Handle Open();

  // Runs `body` with a borrowed handle. A writer's commit can invalidate
  // what a handle was reading (DatabaseModifiedError): the handle then
  // moves to the new revision and `body` runs once more.
  template <typename Body>
  auto WithHandle(Body&& body) {
    Handle handle = Borrow();
    try {
      auto result = [&] {
        try {
          return body(handle);
        } catch (const Xapian::DatabaseModifiedError&) {
          handle.db->reopen();
          Refresh(&handle);
          return body(handle);
        }
      }();
      Return(std::move(handle));
      return result;
    } catch (...) {
      Return(std::move(handle));
      throw;
    }
  }

  void Return(Handle handle);

  // Closes the idle handles and drops the cached facet tables.
  void Clear();

 private:
  // A handle reading the latest commit: an idle one brought up to date
  // (reopened after a commit, replaced after a swap), or a new one.
  Handle Borrow();
  // Gives `handle` the facet table of the revision it now reads, building
  // one if no other handle has it yet.
  void Refresh(Handle* handle);

  const std::string path_;
  std::mutex mutex_;  // guards everything below
  std::vector<Handle> idle_;
  std::shared_ptr<const FacetTable> latest_facets_;
  std::string latest_revision_;  // RevisionKey of latest_facets_
  uint64_t remote_changes_ = 0;  // remote shards found changed (RevisionKey)
};

}  // namespace tim

#endif  // TIM_SRC_SEARCH_HANDLE_POOL_H_
