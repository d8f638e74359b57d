#include "index/xapian_errors.h"

#include <xapian.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <new>

#include "index/database_directory.h"

namespace tim {

Error DatabaseLockedError(const std::string& context) {
  return Error(ErrorCode::kDatabaseLocked,
               context + ": the database is locked by another writer "
                         "(another `tim ingest` or `tim delete` is running)");
}

std::optional<Error> CorruptTableError(const std::string& db_path) {
  // A table this process may not read fails the check too.
  if (auto denied = PermissionError(db_path, DatabaseAccess::kRead)) return denied;
  for (const char* table : {"postlist", "termlist", "docdata", "position", "spelling",
                            "synonym"}) {
    const std::string file = db_path + "/" + table + ".glass";
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) continue;
    try {
      Xapian::Database::check(file, 0, nullptr);
    } catch (const Xapian::Error& e) {
      return Error(ErrorCode::kCorruption, file + " is corrupt: " + e.get_msg() +
                                               "; run xapian-check " + db_path);
    }
  }
  return std::nullopt;
}

std::string Describe(const Xapian::Error& e) {
  const char* reason = e.get_error_string();
  return reason ? e.get_msg() + " (" + reason + ")" : e.get_msg();
}

namespace {

// Xapian reports a full disk as a failed write ("Error writing block 7")
// and keeps errno apart.
bool IsDiskFull(const Xapian::Error& e) {
  const char* reason = e.get_error_string();
  return reason != nullptr && (std::strcmp(reason, std::strerror(ENOSPC)) == 0 ||
                               std::strcmp(reason, std::strerror(EDQUOT)) == 0);
}

[[noreturn]] void RethrowXapianError(const std::string& context) {
  try {
    throw;
  } catch (const Xapian::DatabaseLockError& e) {
    // "Unable to get write lock on db: already locked" is another writer;
    // anything else (a lock file this process may not create) is not.
    if (e.get_msg().ends_with(": already locked")) throw DatabaseLockedError(context);
    throw Error(ErrorCode::kIo, context + ": " + Describe(e));
  } catch (const Xapian::DatabaseNotFoundError&) {
    throw Error(ErrorCode::kNotFound, context + ": no database there");
  } catch (const Xapian::DatabaseCorruptError& e) {
    throw Error(ErrorCode::kCorruption,
                context + ": the database is corrupt (" + e.get_msg() + ")");
  } catch (const Xapian::DatabaseOpeningError& e) {
    throw Error(ErrorCode::kNotFound,
                context + ": cannot open the database (" + Describe(e) + ")");
  } catch (const Xapian::DatabaseError& e) {
    // A table shorter than its own blocks say is damaged, not unreadable.
    if (e.get_msg().starts_with("EOF reading block")) {
      throw Error(ErrorCode::kCorruption, context + ": the database is corrupt (" + e.get_msg() + ")");
    }
    throw Error(ErrorCode::kIo, context + ": " + Describe(e));
  } catch (const Xapian::NetworkError& e) {
    throw Error(ErrorCode::kIo, context + ": a remote shard's server failed (" + Describe(e) + ")");
  } catch (const Xapian::InvalidArgumentError& e) {
    throw Error(ErrorCode::kInvalidArgument, context + ": " + e.get_msg());
  } catch (const Xapian::Error& e) {
    throw Error(ErrorCode::kInternal,
                context + ": " + e.get_type() + ": " + e.get_msg());
  }
}

}  // namespace

void RethrowAsTimError(const std::string& context) {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const Xapian::Error& e) {
    if (!IsDiskFull(e)) RethrowXapianError(context);
    throw Error(ErrorCode::kIo, context + ": the disk is full (" + Describe(e) + ")");
  } catch (const std::bad_alloc&) {
    throw Error(ErrorCode::kInternal, context + ": out of memory");
  } catch (const std::exception& e) {
    throw Error(ErrorCode::kInternal, context + ": " + e.what());
  }
}

}  // namespace tim
