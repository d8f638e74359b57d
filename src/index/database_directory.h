// database_directory.h: the directory a tim database lives in, as writers
// see it: which directories may become a database, the writers' lock, and
// swapping in a database built beside the old one without touching anything
// else the directory holds.
//
// A database directory holds Xapian's files and, possibly, files of the
// user's (the repository's index/README.md, notes, a symlink...). tim never
// deletes, copies or rewrites those: a swap moves them, with their
// permissions, owners and links, into the new directory.
#ifndef TIM_SRC_INDEX_DATABASE_DIRECTORY_H_
#define TIM_SRC_INDEX_DATABASE_DIRECTORY_H_

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tim/error.h"

namespace tim {

// True if `dir` holds a Xapian database's own files (not a stub).
bool HoldsDatabase(const std::filesystem::path& dir);

// The stub file of a database made of others: a directory holding one
// names them, one per line ("auto replica_0"). xapian-replicate makes a
// replica so, and switches the stub to a new directory after a full copy.
inline constexpr char kStubFile[] = "XAPIANDB";
// True if `dir` holds a stub file.
bool HoldsStub(const std::filesystem::path& dir);

// A database a stub line names: on this machine ("auto PATH") or served
// by xapian-tcpsrv on another ("remote HOST:PORT").
struct StubShard {
  std::string path;  // resolved against the stub's directory; empty if remote
  std::string host;  // a remote shard's server, and its port
  unsigned port = 0;
  bool remote() const { return !host.empty(); }
};

// The databases the stub file in `dir` names, in its order.
// Error(kInvalidArgument) for a line tim cannot read. Empty if there is no
// stub.
std::vector<StubShard> StubShards(const std::string& dir);
// The same for a stub file of `dir` already read into `stub`.
std::vector<StubShard> StubShards(const std::string& dir, const std::string& stub);

// The paths of StubShards(dir), for what only works on local databases
// (writing): Error(kInvalidArgument) naming a remote shard, for `doing`
// ("write to").
std::vector<std::string> StubDatabases(const std::string& dir,
                                       const std::string& doing = "write to");

// True for the files a Xapian database keeps in its directory.
bool IsDatabaseFile(const std::filesystem::path& file);

// What a process does with a database.
enum class DatabaseAccess { kRead, kWrite };

// Error(kIo) naming what this process may not read (or, for kWrite, read
// and write) in the database at `path` -- the directory or a table, with
// its owner and mode, or a read-only filesystem -- so that a permission is
// not taken for a lock held by another writer or for a missing or corrupt
// database; nullopt when it may, or when `path` does not exist.
std::optional<Error> PermissionError(const std::string& path, DatabaseAccess access);

// The writers' lock of a database: an exclusive flock on its directory.
// Xapian's own lock lives in a file inside the directory, so it moves away
// with the old directory when a staged batch is swapped in; this one is
// taken on the new directory before the swap, so no other writer can get
// in between. Not thread-safe.
class DirectoryLock {
 public:
  DirectoryLock() = default;
  // Locks the directory at `path`; Error(kDatabaseLocked) if another
  // writer holds it, Error(kIo) if it cannot be opened.
  explicit DirectoryLock(const std::filesystem::path& path);
  ~DirectoryLock();
  DirectoryLock(DirectoryLock&& other) noexcept;
  DirectoryLock& operator=(DirectoryLock&& other) noexcept;

 private:
  int fd_ = -1;
};

// Takes the writers' lock of the database at `path`, creating the
// directory if there is none. A directory that holds no database must be
// empty but for a README or .gitignore/.gitkeep (as the repository's
// index/ ships): tim will not put a database among a project's files.
// Throws Error(kInvalidArgument) naming what the directory holds,
// Error(kDatabaseLocked), or Error(kIo) (a PermissionError among others).
DirectoryLock LockDatabaseForWriting(const std::string& path);

// What the directory at a database path was before a writer first opened
// it, so that a first write that fails can leave it as it found it.
enum class DatabaseOrigin { kExisting, kNewInEmptyDirectory, kNewDirectory };
DatabaseOrigin OriginOf(const std::string& db_path);

// Removes the Xapian files of a new database at `db_path` that holds no
// article, and the directory too if it is `kNewDirectory` and nothing else
// is in it. Call once its writer is closed. Best effort: never throws.
void RemoveNewDatabase(const std::string& db_path, DatabaseOrigin origin) noexcept;

// The database directory itself, through any symbolic link, so that a
// swap replaces the database and not the link.
std::filesystem::path RealDatabasePath(const std::string& db_path);

// Where the staging shards of the database at `db_path` go: a hidden
// sibling, so that the new database can be swapped with the old in one
// rename.
std::filesystem::path StagingPath(const std::string& db_path);

// True if a database built in the staging directory can replace the one
// at `db_path` keeping everything a user sees: the parent directory is
// writable and on the same filesystem, and this process can give the new
// directory and files the old ones' owner and group.
bool CanSwap(const std::string& db_path);

// Replaces the database directory `db` (a real path) by `built`, in one
// atomic step for readers: `built` gets the permissions and owners of
// `db` and of its files, the two directories are exchanged, then
// everything in the old directory that is not the database's moves into
// the new one. Afterwards `built` holds the old database alone. The
// caller holds `db`'s DirectoryLock and a DirectoryLock of `built`.
void SwapInDatabase(const std::filesystem::path& db,
                    const std::filesystem::path& built);

// Removes the staging directory a killed run may have left beside `db`,
// first moving back into `db` whatever a swap had not yet moved over.
// Throws Error(kIo) rather than delete a file tim did not create.
void RemoveStaging(const std::filesystem::path& db,
                   const std::filesystem::path& staging);

// fsync of a file or directory; errors are ignored (best effort before a
// rename that makes the data reachable).
void SyncPath(const std::filesystem::path& path);
// SyncPath of every entry of `dir`, then of `dir`.
void SyncDirectory(const std::filesystem::path& dir);

}  // namespace tim

#endif  // TIM_SRC_INDEX_DATABASE_DIRECTORY_H_
