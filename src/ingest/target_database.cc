#include "ingest/target_database.h"

#include <cstdlib>
#include <cstring>
#include <utility>

#include "index/changesets.h"
#include "index/xapian_errors.h"
#include "tim/index_writer.h"

namespace tim {

namespace {

// Xapian 1.4 buffers a batch's postings in std::maps keyed by term, then by
// docid, and flushes them every XAPIAN_FLUSH_THRESHOLD documents (default
// 10000). Walking those maps is a cache miss per level, so small batches
// win: on 20,000 corpus articles in one transaction, 10000 took 77 s and
// 420 MB, 1000 took 27 s and 66 MB, 300 took 26 s and 31 MB.
constexpr char kFlushThreshold[] = "300";
// With changesets, a flush writes every block it touches into the commit's
// changeset, even blocks a later flush of the same commit rewrites: 7,895
// corpus articles into a 242 MB database made 1,027 MB of changesets in
// 9.3 s at 300 documents a flush, 231 MB in 6.4 s at 2000 (peak RSS 66 MB
// and 94 MB).
constexpr char kChangesetFlushThreshold[] = "2000";

}  // namespace

void PrepareProcessForChangesets(unsigned kept) {
  if (kept == 0) return;
  KeepChangesets(kept);
  // The flush threshold too, unless the user chose one.
  const char* threshold = std::getenv("XAPIAN_FLUSH_THRESHOLD");
  if (threshold && std::strcmp(threshold, kFlushThreshold) != 0) return;
  setenv("XAPIAN_FLUSH_THRESHOLD", kChangesetFlushThreshold, /*overwrite=*/1);
}

void TuneProcessForIngest() {
  // Xapian reads it when a WritableDatabase opens; an explicit setting by
  // the user wins.
  setenv("XAPIAN_FLUSH_THRESHOLD", kFlushThreshold, /*overwrite=*/0);
}

Xapian::WritableDatabase OpenWritableDatabase(const std::string& path,
                                              std::optional<unsigned> changesets) {
  return TranslateReadErrors(path, "opening database " + path + " for writing", [&] {
    PrepareProcessForChangesets(changesets ? *changesets : RecordedChangesets(path));
    return Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
  });
}

namespace ingest {

TargetDatabase::TargetDatabase(const std::string& path, std::optional<unsigned> changesets)
    : path_(path), origin_(OriginOf(path)), lock_(LockDatabaseForWriting(path)) {
  // Another writer may have made the database while this one waited.
  if (OriginOf(path) == DatabaseOrigin::kExisting) origin_ = DatabaseOrigin::kExisting;
  db_.emplace(OpenWritableDatabase(path, changesets));
  // Left by a run that was killed: we hold the lock, so it is nobody's.
  RemoveStaging(RealDatabasePath(path), StagingPath(path));
}

void TargetDatabase::SwapIn(const std::filesystem::path& merged) {
  // The old database stays locked while the new one moves in, and the new
  // one is locked before it does, so no other writer can slip a change
  // into either and lose it, or take the database from this batch.
  DirectoryLock next(merged);
  SwapInDatabase(RealDatabasePath(path_), merged);
  db_->close();
  db_.reset();
  lock_ = std::move(next);
  db_.emplace(OpenWritableDatabase(path_));
}

void TargetDatabase::RemoveIfNewAndEmpty() noexcept {
  if (origin_ == DatabaseOrigin::kExisting || !db_) return;
  try {
    if (db_->get_doccount() > 0) return;  // steps committed before a failure
    db_->close();
    db_.reset();
  } catch (...) {
    return;  // whatever it holds, it is not ours to remove
  }
  // Still under the writers' lock: no other writer is using it.
  RemoveNewDatabase(path_, origin_);
}

}  // namespace ingest
}  // namespace tim
