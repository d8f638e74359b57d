#include "index/xapian_errors.h"

#include <xapian.h>

#include <filesystem>
#include <new>

namespace tim {

Error DatabaseLockedError(const std::string& context) {
  return Error(ErrorCode::kDatabaseLocked,
               context + ": the database is locked by another writer "
                         "(another `tim ingest` or `tim delete` is running)");
}

std::optional<Error> CorruptTableError(const std::string& db_path) {
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

void RethrowAsTimError(const std::string& context) {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const Xapian::DatabaseLockError&) {
    throw DatabaseLockedError(context);
  } catch (const Xapian::DatabaseNotFoundError&) {
    throw Error(ErrorCode::kNotFound, context + ": no database there");
  } catch (const Xapian::DatabaseCorruptError& e) {
    throw Error(ErrorCode::kCorruption,
                context + ": the database is corrupt (" + e.get_msg() + ")");
  } catch (const Xapian::DatabaseOpeningError& e) {
    throw Error(ErrorCode::kNotFound,
                context + ": cannot open the database (" + e.get_msg() + ")");
  } catch (const Xapian::DatabaseError& e) {
    throw Error(ErrorCode::kIo, context + ": " + e.get_msg());
  } catch (const Xapian::InvalidArgumentError& e) {
    throw Error(ErrorCode::kInvalidArgument, context + ": " + e.get_msg());
  } catch (const Xapian::Error& e) {
    throw Error(ErrorCode::kInternal,
                context + ": " + e.get_type() + ": " + e.get_msg());
  } catch (const std::bad_alloc&) {
    throw Error(ErrorCode::kInternal, context + ": out of memory");
  } catch (const std::exception& e) {
    throw Error(ErrorCode::kInternal, context + ": " + e.what());
  }
}

}  // namespace tim
