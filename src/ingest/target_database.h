// target_database.h: the database ingest writes, opened for writing and
// locked for tim's writers from the start of a batch to its end, across
// the swaps of staged steps.
#ifndef TIM_SRC_INGEST_TARGET_DATABASE_H_
#define TIM_SRC_INGEST_TARGET_DATABASE_H_

#include <xapian.h>

#include <filesystem>
#include <optional>
#include <string>

#include "index/database_directory.h"

namespace tim {

// Opens (creating if needed) the database at `path` for writing; the
// caller holds its LockDatabaseForWriting. Its commits write changesets if
// `changesets` (else the database's record) says so (index/changesets.h).
// Throws Error(kDatabaseLocked) if a writer that is not tim's holds it.
Xapian::WritableDatabase OpenWritableDatabase(const std::string& path,
                                              std::optional<unsigned> changesets = std::nullopt);

// What OpenWritableDatabase sets in the environment for a database keeping
// `kept` changesets (index/changesets.h); nothing for 0. Writers opening
// databases on several threads call it first, on one, since setenv is not
// thread-safe; their own calls then change nothing.
void PrepareProcessForChangesets(unsigned kept);

namespace ingest {

class TargetDatabase {
 public:
  // Locks and opens the database at `path` (see OpenWritableDatabase for
  // `changesets`) and removes what a killed run left in its staging
  // directory. Throws Error.
  TargetDatabase(const std::string& path, std::optional<unsigned> changesets);

  const std::string& path() const { return path_; }
  Xapian::WritableDatabase& db() { return *db_; }

  // Swaps the staged database at `merged` in for this one, which stays
  // locked until the new one is open.
  void SwapIn(const std::filesystem::path& merged);

  // Closes the database and, if this batch created it and it holds no
  // article (a first ingest that failed), removes it, so that it does not
  // pass for a database the user made. Call last.
  void RemoveIfNewAndEmpty() noexcept;

 private:
  const std::string path_;
  DatabaseOrigin origin_;
  DirectoryLock lock_;  // the writers' lock, which survives a swap
  std::optional<Xapian::WritableDatabase> db_;  // holds Xapian's lock too
};

}  // namespace ingest
}  // namespace tim

#endif  // TIM_SRC_INGEST_TARGET_DATABASE_H_
