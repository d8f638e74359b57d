#include "search/handle_pool.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>

namespace tim {

namespace {

Stamp ReadStamp(const std::string& path) {
  Stamp stamp;
  struct stat st {};
  if (stat(path.c_str(), &st) == 0) {
    stamp.device = st.st_dev;
    stamp.directory = st.st_ino;
  }
  for (const char* version : {"/iamglass", "/iamchert"}) {
    const int fd = open((path + version).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    char bytes[4096];
    const ssize_t n = read(fd, bytes, sizeof bytes);
    close(fd);
    if (n > 0) stamp.version.assign(bytes, static_cast<size_t>(n));
    break;
  }
  return stamp;
}

// Which database and revision a handle reads: revisions alone repeat
// across a swap, the database's UUID does not.
std::string RevisionKey(const Xapian::Database& db) {
  return db.get_uuid() + ":" + std::to_string(db.get_revision());
}

}  // namespace

Handle HandlePool::Open() {
  Handle handle;
  // The stamp is read first: a change after it makes the next Borrow
  // look again, never miss one.
  handle.stamp = ReadStamp(path_);
  handle.db = std::make_unique<Xapian::Database>(path_);
  handle.stored = std::make_unique<StoredDataReader>(*handle.db);
  Refresh(&handle);
  return handle;
}

void HandlePool::Refresh(Handle* handle) {
  const std::string revision = RevisionKey(*handle->db);
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
    std::erase_if(idle_, [&](const Handle& h) { return h.stamp.directory != now.directory; });
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
