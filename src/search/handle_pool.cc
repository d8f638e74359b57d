#include "search/handle_pool.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>

#include "index/database_directory.h"
#include "index/xapian_errors.h"
#include "tim/error.h"

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
      for (const StubShard& shard : StubShards(path, stamp.stub)) {
        if (levels == 0) break;
        if (shard.remote()) continue;  // no files here: Borrow asks its server
        const Stamp part = ReadStamp(shard.path, levels - 1);
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
// for a database of several shards: each shard's, which `handle` holds;
// nor for a remote one: its figures, and `remote_changes`, how often a
// remote shard was found changed.)
std::string RevisionKey(const Handle& handle, uint64_t remote_changes) {
  std::string key;
  for (const Xapian::Database& db : handle.shards.empty() ? std::vector{*handle.db} : handle.shards) {
    key += db.get_uuid() + ":";
    if (!handle.remote) {
      key += std::to_string(db.get_revision()) + " ";
      continue;
    }
    key += std::to_string(db.get_doccount()) + ":" + std::to_string(db.get_lastdocid()) + ":" +
           std::to_string(db.get_total_length()) + " ";
  }
  return handle.remote ? key + std::to_string(remote_changes) : key;
}

Xapian::Database OpenShard(const std::string& path, const StubShard& shard) {
  if (!shard.remote()) return Xapian::Database(shard.path);
  try {
    return Xapian::Remote::open(shard.host, shard.port);
  } catch (const Xapian::NetworkError& e) {
    throw Error(ErrorCode::kIo, path + "/" + kStubFile + ": cannot reach the remote shard " +
                                    shard.host + ":" + std::to_string(shard.port) +
                                    " (is its xapian-tcpsrv running?): " + Describe(e));
  }
}

// The database at `handle`'s path; for a stub naming several, or a remote
// one, their union, each opened into `handle->shards` too (they share what
// they read with the union, so a reopen of it moves them along).
void OpenDatabase(const std::string& path, Handle* handle) {
  const std::vector<StubShard> shards = StubShards(path);
  handle->remote = std::any_of(shards.begin(), shards.end(),
                               [](const StubShard& shard) { return shard.remote(); });
  if (shards.size() < 2 && !handle->remote) {
    handle->db = std::make_unique<Xapian::Database>(path);
    return;
  }
  handle->db = std::make_unique<Xapian::Database>();
  for (const StubShard& shard : shards) {
    handle->shards.push_back(OpenShard(path, shard));
    handle->db->add_database(handle->shards.back());
  }
}

}  // namespace

Handle HandlePool::Open() {
  for (int attempt = 1;; ++attempt) {
    Handle handle;
    // The stamp is read first: a change after it makes the next Borrow
    // look again, never miss one.
    handle.stamp = ReadStamp(path_);
    try {
      OpenDatabase(path_, &handle);
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
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string revision = RevisionKey(*handle, remote_changes_);
  if (!latest_facets_ || revision != latest_revision_) {
    latest_facets_ = std::make_shared<const FacetTable>(handle->remote);
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
  // A remote shard's server alone knows whether it changed (one round trip
  // each: reopen() says whether any shard moved on).
  if (handle->stamp != now || handle->remote) {
    handle->stamp = now;
    if (handle->db->reopen() && handle->remote) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++remote_changes_;
    }
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
