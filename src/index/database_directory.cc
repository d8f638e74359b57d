#include "index/database_directory.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <optional>
#include <string>
#include <vector>

#include "tim/error.h"
#include "index/xapian_errors.h"

namespace tim {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void ThrowIo(const std::string& what, int error) {
  throw Error(ErrorCode::kIo, what + ": " + std::strerror(error));
}

// What may sit in a directory that does not hold a database yet: the
// repository's index/ ships a README so that git keeps the directory.
bool IsPlaceholder(const fs::directory_entry& entry) {
  static const char* const kNames[] = {"README", "README.md", "README.txt",
                                       ".gitignore", ".gitkeep"};
  const std::string name = entry.path().filename().string();
  std::error_code ec;
  return entry.is_regular_file(ec) &&
         std::find_if(std::begin(kNames), std::end(kNames), [&](const char* n) {
           return name == n;
         }) != std::end(kNames);
}


std::vector<fs::directory_entry> Entries(const fs::path& dir) {
  std::vector<fs::directory_entry> entries;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    entries.push_back(*it);
  }
  if (ec) throw Error(ErrorCode::kIo, "cannot read directory " + dir.string() + ": " + ec.message());
  return entries;
}

// "a, b, c and 4 more".
std::string ListNames(const std::vector<std::string>& names) {
  constexpr size_t kShown = 3;
  std::string list;
  for (size_t i = 0; i < names.size() && i < kShown; ++i) {
    if (i > 0) list += ", ";
    list += names[i];
  }
  if (names.size() > kShown) list += " and " + std::to_string(names.size() - kShown) + " more";
  return list;
}

bool InGroup(gid_t gid) {
  if (gid == getegid()) return true;
  std::vector<gid_t> groups(static_cast<size_t>(std::max(getgroups(0, nullptr), 0)));
  const int count = getgroups(static_cast<int>(groups.size()), groups.data());
  return std::find(groups.begin(), groups.begin() + std::max(count, 0), gid) !=
         groups.begin() + std::max(count, 0);
}

// Whether this process can create a file owned as `st` is: a process that
// is not root gives its files its own uid, and only its own groups.
bool CanOwnLike(const struct stat& st) {
  return geteuid() == 0 || (st.st_uid == geteuid() && InGroup(st.st_gid));
}

void CopyOwnerAndMode(const fs::path& path, const struct stat& like) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) ThrowIo("cannot read " + path.string(), errno);
  if ((st.st_uid != like.st_uid || st.st_gid != like.st_gid) &&
      lchown(path.c_str(), like.st_uid, like.st_gid) != 0) {
    ThrowIo("cannot give " + path.string() + " the owner of the database", errno);
  }
  if (!S_ISLNK(st.st_mode) && chmod(path.c_str(), like.st_mode & 07777) != 0) {
    ThrowIo("cannot give " + path.string() + " the permissions of the database", errno);
  }
}

// Gives `built` and its files the owner, group and permissions of `db`
// and of its files (a file new to the database takes those of iamglass):
// a private database (0700/0600) stays private.
void MatchOwnersAndModes(const fs::path& db, const fs::path& built) {
  struct stat dir {}, version {};
  if (stat(db.c_str(), &dir) != 0) ThrowIo("cannot read " + db.string(), errno);
  const bool has_version = lstat((db / "iamglass").c_str(), &version) == 0;
  for (const fs::directory_entry& entry : Entries(built)) {
    struct stat old {};
    if (lstat((db / entry.path().filename()).c_str(), &old) == 0 && S_ISREG(old.st_mode)) {
      CopyOwnerAndMode(entry.path(), old);
    } else if (has_version) {
      CopyOwnerAndMode(entry.path(), version);
    }
  }
  CopyOwnerAndMode(built, dir);
}

// Swaps the directories `a` and `b` in one step, so a reader opening `a`
// finds either the old database or the new one, never neither.
void ExchangeDirectories(const fs::path& a, const fs::path& b) {
  if (renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0) {
    return;
  }
  if (errno != EINVAL && errno != ENOSYS) {
    ThrowIo("cannot swap in the new database " + b.string(), errno);
  }
  // A filesystem without RENAME_EXCHANGE: two renames, with a moment in
  // between when `a` does not exist.
  const fs::path aside = b.string() + ".old";
  if (std::rename(a.c_str(), aside.c_str()) != 0) {
    ThrowIo("cannot move " + a.string() + " aside", errno);
  }
  if (std::rename(b.c_str(), a.c_str()) != 0) {
    const int error = errno;
    std::rename(aside.c_str(), a.c_str());
    ThrowIo("cannot move the new database to " + a.string(), error);
  }
  std::rename(aside.c_str(), b.c_str());
}

// Moves every entry of `from` that is not a database file into `to`,
// unless `to` has one of that name; returns the names left behind.
std::vector<std::string> MoveUserEntries(const fs::path& from, const fs::path& to) {
  std::vector<std::string> left;
  for (const fs::directory_entry& entry : Entries(from)) {
    if (IsDatabaseFile(entry.path())) continue;
    const fs::path target = to / entry.path().filename();
    struct stat st {};
    if (lstat(target.c_str(), &st) == 0 || std::rename(entry.path().c_str(), target.c_str()) != 0) {
      left.push_back(entry.path().string());
    }
  }
  return left;
}

// "root" for a uid, or the number when it has no name.
std::string UserName(uid_t uid) {
  const struct passwd* user = getpwuid(uid);
  return user ? std::string(user->pw_name) : std::to_string(uid);
}

// The error when this process may not access `file` with `mode` (R_OK,
// W_OK, X_OK) as its effective user, for the database at `db`.
std::optional<Error> AccessDenied(const fs::path& file, int mode, const std::string& db,
                                  DatabaseAccess access) {
  if (faccessat(AT_FDCWD, file.c_str(), mode, AT_EACCESS) == 0) return std::nullopt;
  const int error = errno;
  const std::string what = access == DatabaseAccess::kWrite ? "write to" : "read";
  if (error == EROFS) {
    return Error(ErrorCode::kIo, "cannot " + what + " the database " + db + ": " +
                                     file.string() + " is on a read-only filesystem");
  }
  if (error != EACCES && error != EPERM) return std::nullopt;
  std::string message = "no permission to " + what + " the database " + db;
  if (file != fs::path(db)) message += ": " + file.string();
  struct stat st {};
  if (stat(file.c_str(), &st) != 0) return Error(ErrorCode::kIo, message);
  char mode_text[8];
  std::snprintf(mode_text, sizeof mode_text, "%04o", st.st_mode & 07777);
  message += std::string(" (owner ") + UserName(st.st_uid) + ", mode " + mode_text + ")";
  if (st.st_uid == geteuid()) {
    const char* grant = access == DatabaseAccess::kWrite ? "u+rw" : "u+r";
    message += std::string("; give yourself access: chmod ") +
               (S_ISDIR(st.st_mode) ? "u+rwx" : grant) + " " + file.string();
  } else {
    message += "; run tim as " + UserName(st.st_uid) + ", or change its owner or permissions";
  }
  return Error(ErrorCode::kIo, message);
}

// The files a reader opens (version file, tables), or a writer writes
// (those and the lock file).
bool NeedsAccess(const fs::path& file, DatabaseAccess access) {
  const std::string name = file.filename().string();
  if (name == "flintlock") return access == DatabaseAccess::kWrite;
  return IsDatabaseFile(file) && name != "v.tmp" && name != "v.rtmp" &&
         !name.starts_with("changes");
}

}  // namespace

std::optional<Error> PermissionError(const std::string& path, DatabaseAccess access) {
  const bool write = access == DatabaseAccess::kWrite;
  if (auto denied = AccessDenied(path, R_OK | X_OK | (write ? W_OK : 0), path, access)) {
    return denied;
  }
  std::error_code ec;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    if (!NeedsAccess(it->path(), access) || !it->is_regular_file(ec)) continue;
    if (auto denied = AccessDenied(it->path(), R_OK | (write ? W_OK : 0), path, access)) {
      return denied;
    }
  }
  return std::nullopt;
}

bool HoldsDatabase(const fs::path& dir) {
  std::error_code ec;
  return fs::exists(dir / "iamglass", ec) || fs::exists(dir / "iamchert", ec);
}

bool HoldsStub(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / kStubFile, ec);
}

std::vector<StubShard> StubShards(const std::string& dir) {
  std::ifstream file(dir + "/" + kStubFile, std::ios::binary);
  return StubShards(dir, std::string(std::istreambuf_iterator<char>(file), {}));
}

namespace {

// A "remote HOST:PORT" line's server, as Xapian's own stub reader takes it
// (the port after the last colon); Xapian's other remote form, a program
// to run, is not a shard on another machine.
StubShard RemoteShard(const std::string& dir, const std::string& line) {
  const std::string address = line.substr(7);
  const size_t colon = address.rfind(':');
  const bool digits = colon != std::string::npos && colon + 1 < address.size() &&
                      address.size() - colon <= 6 &&
                      address.find_first_not_of("0123456789", colon + 1) == std::string::npos;
  if (colon == 0 || !digits || std::stoul(address.substr(colon + 1)) > 65535) {
    throw Error(ErrorCode::kInvalidArgument,
                dir + "/" + kStubFile + ": tim reads remote shards as 'remote HOST:PORT' (a " +
                    "xapian-tcpsrv), not '" + line + "'");
  }
  StubShard shard;
  shard.host = address.substr(0, colon);
  shard.port = static_cast<unsigned>(std::stoul(address.substr(colon + 1)));
  return shard;
}

}  // namespace

std::vector<StubShard> StubShards(const std::string& dir, const std::string& stub) {
  std::istringstream lines(stub);
  std::vector<StubShard> shards;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.starts_with('#')) continue;
    if (line.starts_with("remote ")) {
      shards.push_back(RemoteShard(dir, line));
      continue;
    }
    if (!line.starts_with("auto ")) {
      throw Error(ErrorCode::kInvalidArgument,
                  dir + "/" + kStubFile + ": tim reads local databases ('auto PATH') and " +
                      "remote ones ('remote HOST:PORT'), not '" + line + "'");
    }
    const std::string path = line.substr(5);
    StubShard shard;
    shard.path = path.starts_with('/') ? path : dir + "/" + path;
    shards.push_back(std::move(shard));
  }
  return shards;
}

std::vector<std::string> StubDatabases(const std::string& dir, const std::string& doing) {
  std::vector<std::string> paths;
  for (const StubShard& shard : StubShards(dir)) {
    if (shard.remote()) {
      throw Error(ErrorCode::kInvalidArgument,
                  dir + "/" + kStubFile + " names a remote shard (" + shard.host + ":" +
                      std::to_string(shard.port) + "), which tim cannot " + doing +
                      ": run tim on the machine that holds it, on its own database");
    }
    paths.push_back(shard.path);
  }
  return paths;
}

bool IsDatabaseFile(const fs::path& file) {
  // Xapian 1.4's glass and chert files: version files, the lock, tables,
  // the temporary version files of a commit or a replica, and changesets
  // ("changes17", with XAPIAN_MAX_CHANGESETS).
  const std::string name = file.filename().string();
  const std::string extension = file.extension().string();
  const bool changeset = name.size() > 7 && name.rfind("changes", 0) == 0 &&
                         name.find_first_not_of("0123456789", 7) == std::string::npos;
  return name == "iamglass" || name == "iamchert" || name == "flintlock" ||
         name == "uuid" || name == "v.tmp" || name == "v.rtmp" || changeset ||
         extension == ".glass" || extension == ".DB" || extension == ".baseA" ||
         extension == ".baseB";
}

DatabaseOrigin OriginOf(const std::string& db_path) {
  std::error_code ec;
  if (!fs::exists(db_path, ec)) return DatabaseOrigin::kNewDirectory;
  return HoldsDatabase(db_path) ? DatabaseOrigin::kExisting
                                : DatabaseOrigin::kNewInEmptyDirectory;
}

void RemoveNewDatabase(const std::string& db_path, DatabaseOrigin origin) noexcept {
  if (origin == DatabaseOrigin::kExisting) return;
  std::error_code ec;
  for (fs::directory_iterator it(db_path, ec), end; !ec && it != end; it.increment(ec)) {
    if (IsDatabaseFile(it->path())) fs::remove(it->path(), ec);
  }
  // remove() leaves a directory that is not empty.
  if (origin == DatabaseOrigin::kNewDirectory) fs::remove(db_path, ec);
}

namespace {

// Why tim does not write to the database of stub `path` names.
std::string StubWriteError(const std::string& path) {
  size_t shards = 0;
  try {
    shards = StubDatabases(path).size();
  } catch (const Error& e) {
    return e.what();
  }
  if (shards > 1) {
    return path + " is a database of " + std::to_string(shards) +
           " shards (its XAPIANDB file lists them): tim ingest and tim delete write to it, "
           "an IndexWriter writes one database (open the shard that holds the article)";
  }
  return path + " is a replica (it holds the XAPIANDB stub file that xapian-replicate "
                "writes), which only xapian-replicate may change; write to its master "
                "database instead";
}

}  // namespace

DirectoryLock LockDatabaseForWriting(const std::string& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) {
    fs::create_directories(path, ec);
    if (ec) {
      throw Error(ErrorCode::kIo,
                  "cannot create database directory " + path + ": " + ec.message());
    }
  } else if (!fs::is_directory(status)) {
    throw Error(ErrorCode::kInvalidArgument,
                path + " is not a directory, so it cannot hold a database");
  } else if (auto denied = PermissionError(path, DatabaseAccess::kWrite)) {
    throw *denied;
  } else if (HoldsStub(path)) {
    throw Error(ErrorCode::kInvalidArgument, StubWriteError(path));
  } else if (!HoldsDatabase(path)) {
    std::vector<std::string> foreign;
    for (const fs::directory_entry& entry : Entries(path)) {
      if (!IsPlaceholder(entry)) foreign.push_back(entry.path().filename().string());
    }
    std::sort(foreign.begin(), foreign.end());
    if (!foreign.empty()) {
      throw Error(ErrorCode::kInvalidArgument,
                  path + " is not a tim database and is not empty (it holds " +
                      ListNames(foreign) +
                      "); give a new or empty directory for the database");
    }
  }
  return DirectoryLock(path);
}

DirectoryLock::DirectoryLock(const fs::path& path) {
  // Lock, then check that the path still names the locked directory: a
  // writer swapping in a new one may have moved it away meanwhile.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) ThrowIo("cannot open database directory " + path.string(), errno);
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      close(fd);
      if (error == EWOULDBLOCK) throw DatabaseLockedError("opening database " + path.string());
      ThrowIo("cannot lock database directory " + path.string(), error);
    }
    struct stat held {}, named {};
    if (fstat(fd, &held) == 0 && stat(path.c_str(), &named) == 0 &&
        held.st_dev == named.st_dev && held.st_ino == named.st_ino) {
      fd_ = fd;
      return;
    }
    close(fd);
  }
  throw DatabaseLockedError("opening database " + path.string());
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) close(fd_);
}

DirectoryLock::DirectoryLock(DirectoryLock&& other) noexcept : fd_(other.fd_) {
  other.fd_ = -1;
}

DirectoryLock& DirectoryLock::operator=(DirectoryLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

fs::path RealDatabasePath(const std::string& db_path) {
  std::error_code ec;
  fs::path db = fs::canonical(db_path, ec);
  if (ec) db = fs::absolute(fs::path(db_path)).lexically_normal();
  if (db.filename().empty()) db = db.parent_path();
  return db;
}

fs::path StagingPath(const std::string& db_path) {
  const fs::path db = RealDatabasePath(db_path);
  std::string name = ".";
  name += db.filename().string();
  name += ".tim-staging";
  return db.parent_path() / name;
}

bool CanSwap(const std::string& db_path) {
  const fs::path db = RealDatabasePath(db_path);
  struct stat self {}, parent {};
  if (stat(db.c_str(), &self) != 0 || stat(db.parent_path().c_str(), &parent) != 0 ||
      self.st_dev != parent.st_dev || access(db.parent_path().c_str(), W_OK) != 0 ||
      !CanOwnLike(self)) {
    return false;
  }
  // A database file that is a link, or that this process could not give
  // its owner, would not survive the swap as it is.
  for (const fs::directory_entry& entry : Entries(db)) {
    if (!IsDatabaseFile(entry.path())) continue;
    struct stat st {};
    if (lstat(entry.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode) || !CanOwnLike(st)) {
      return false;
    }
  }
  return true;
}

void SwapInDatabase(const fs::path& db, const fs::path& built) {
  MatchOwnersAndModes(db, built);
  ExchangeDirectories(db, built);
  // A crash from here on leaves the user's files in `built`, which
  // RemoveStaging moves back before it removes anything.
  const std::vector<std::string> left = MoveUserEntries(built, db);
  if (!left.empty()) {
    throw Error(ErrorCode::kIo, "the new database is in place, but " + ListNames(left) +
                                    " could not be moved back into " + db.string());
  }
  SyncPath(db);
  SyncPath(db.parent_path());
}

void RemoveStaging(const fs::path& db, const fs::path& staging) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(staging, ec))) return;
  std::vector<std::string> left;
  for (const fs::directory_entry& entry : Entries(staging)) {
    if (entry.is_directory(ec) && !entry.is_symlink(ec)) {
      for (std::string& name : MoveUserEntries(entry.path(), db)) left.push_back(std::move(name));
    } else {
      left.push_back(entry.path().string());  // tim only makes directories there
    }
  }
  if (!left.empty()) {
    throw Error(ErrorCode::kIo, "a staging directory left by an interrupted ingest holds " +
                                    ListNames(left) + ", which tim did not create: move " +
                                    "them into " + db.string() + " or away, then remove " +
                                    staging.string());
  }
  fs::remove_all(staging, ec);
  if (ec) {
    throw Error(ErrorCode::kIo, "cannot remove the staging directory " + staging.string() +
                                    " left by an interrupted ingest: " + ec.message());
  }
}

void SyncPath(const fs::path& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  fsync(fd);
  close(fd);
}

void SyncDirectory(const fs::path& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    SyncPath(it->path());
  }
  SyncPath(dir);
}

}  // namespace tim
