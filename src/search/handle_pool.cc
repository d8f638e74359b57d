#include "search/handle_pool.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <optional>

#include "index/database_directory.h"

namespace tim {

namespace {

// The version file's bytes of the database in `dir` ("" if none).
std::string ReadVersionFile(const std::string& dir) {
  for (const char* version : {"/iamglass", "/iamchert"}) {
    const int fd = open((dir + version).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    char bytes[4096];
    const ssize_t n = read(fd, bytes, sizeof bytes);
    close(fd);
    return n > 0 ? std::string(bytes, static_cast<size_t>(n)) : std::string();
  }
  return {};
}

// `levels`: how deep stubs naming stubs are followed (shards that are
// replicas: a stub naming each shard's replica stub).
Stamp ReadStamp(const std::string& path, int levels = 2) {
  Stamp stamp;
  struct stat st {};
  if (stat(path.c_str(), &st) == 0) {
    stamp.device = st.st_dev;
    stamp.directory = st.st_ino;
  }
  stamp.version = ReadVersionFile(path);
  if (stamp.version.empty()) {
    // A stub: a replica's names its live copy ("auto replica_0"), whose
    // version file changes with each changeset applied; shards, each, and
    // a shard that is a replica, its own stub and live copy.
    std::ifstream file(path + "/" + kStubFile, std::ios::binary);
    stamp.stub.assign(std::istreambuf_iterator<char>(file), {});
    try {
      for (const std::string& shard : StubDatabases(path, stamp.stub)) {
        if (levels == 0) break;
        const Stamp part = ReadStamp(shard, levels - 1);
        stamp.version += part.version;
        stamp.stub += part.stub;
      }
    } catch (const Error&) {
      // Opening the database reports it.
    }
  }
  return stamp;
}

// Which database and revision a handle reads: revisions alone repeat
// across a swap, the database's UUID does not. (Xapian gives no revision
// for a database of several shards: each shard's, which `handle` holds.)
std::string RevisionKey(const Handle& handle) {
  std::string key;
  for (const Xapian::Database& db : handle.shards.empty() ? std::vector{*handle.db} : handle.shards) {
    key += db.get_uuid() + ":" + std::to_string(db.get_revision()) + " ";
  }
  return key;
}

// The database at `path`; for a stub naming several, their union, each
// opened into `*shards` too (they share what they read with the union, so
// a reopen of it moves them along).
std::unique_ptr<Xapian::Database> OpenDatabase(const std::string& path,
                                               std::vector<Xapian::Database>* shards) {
  const std::vector<std::string> paths = StubDatabases(path);
  if (paths.size() < 2) return std::make_unique<Xapian::Database>(path);
  auto whole = std::make_unique<Xapian::Database>();
  for (const std::string& shard : paths) {
    shards->emplace_back(shard);
    whole->add_database(shards->back());
  }
  return whole;
}

}  // namespace

Handle HandlePool::Open() {
  for (int attempt = 1;; ++attempt) {
    Handle handle;
    // The stamp is read first: a change after it makes the next Borrow
    // look again, never miss one.
    handle.stamp = ReadStamp(path_);
    try {
      handle.db = OpenDatabase(path_, &handle.shards);
      handle.stored = std::make_unique<StoredDataReader>(*handle.db, handle.shards);
      Refresh(&handle);
      return handle;
    } catch (const Xapian::DatabaseError&) {
      // Xapian opens a database's files one by one: a staged batch swapped
      // in meanwhile mixes two databases, which reads as corrupt ("Expected
      // block 98 to be level 1"). The stamp tells; the new one opens.
      if (attempt == 3 || ReadStamp(path_) == handle.stamp) throw;
    }
  }
}

void HandlePool::Refresh(Handle* handle) {
  const std::string revision = RevisionKey(*handle);
  std::lock_guard<std::mutex> lock(mutex_);
  if (!latest_facets_ || revision != latest_revision_) {
    latest_facets_ = std::make_shared<const FacetTable>();
    latest_revision_ = revision;
  }
  handle->facets = latest_facets_;
}

Handle HandlePool::Borrow() {
  const Stamp now = ReadStamp(path_);
  std::optional<Handle> handle;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Handles of a swapped-out directory keep its deleted files open.
    // So do handles of a replica's copy that a full copy replaced (Xapian
    // cannot reopen a stub).
    std::erase_if(idle_, [&](const Handle& h) {
      return h.stamp.directory != now.directory || h.stamp.stub != now.stub;
    });
    if (!idle_.empty()) {
      handle = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!handle) return Open();
  if (handle->stamp != now) {
    handle->stamp = now;
    handle->db->reopen();
    Refresh(&*handle);
  }
  return std::move(*handle);
}

void HandlePool::Return(Handle handle) {
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.push_back(std::move(handle));
}

void HandlePool::Clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.clear();
  latest_facets_.reset();
  latest_revision_.clear();
}

}  // namespace tim
