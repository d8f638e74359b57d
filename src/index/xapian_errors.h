// xapian_errors.h: turning Xapian's exceptions into tim::Error at the edge.
#ifndef TIM_SRC_INDEX_XAPIAN_ERRORS_H_
#define TIM_SRC_INDEX_XAPIAN_ERRORS_H_

#include <xapian.h>

#include <optional>
#include <string>

#include "tim/error.h"

namespace tim {

// Runs `body`, translating any Xapian::Error into a tim::Error whose
// message starts with `context` ("opening database index/").
template <typename Body>
auto TranslateXapianErrors(const std::string& context, Body&& body)
    -> decltype(body());

// Xapian's message and, when it has one, the system's reason:
// "Error writing block 7 (Input/output error)".
std::string Describe(const Xapian::Error& e);

// The error of a writer that finds the database locked, after `context`.
Error DatabaseLockedError(const std::string& context);

// If a table of the database at `db_path` fails Xapian's check, the error
// naming it ("db/postlist.glass is corrupt: <what the check found>; run
// xapian-check db"), or PermissionError's when this process may not read
// one; else nullopt. For a failed open, whose Xapian message
// names no file and may mislead ("call reopen() and retry").
std::optional<Error> CorruptTableError(const std::string& db_path);

// TranslateXapianErrors for a read of the database at `db_path`: a
// Xapian::DatabaseError (a damaged block met mid-search: "EOF reading
// block N") becomes CorruptTableError's message when a table fails the
// check.
template <typename Body>
auto TranslateReadErrors(const std::string& db_path, const std::string& context, Body&& body)
    -> decltype(body());

// TranslateReadErrors for a whole write (an ingest, a delete): a
// corruption an inner step already translated is named the same way.
template <typename Body>
auto TranslateWriteErrors(const std::string& db_path, const std::string& context, Body&& body)
    -> decltype(body());

// Implementation detail: rethrows the active exception as tim::Error.
[[noreturn]] void RethrowAsTimError(const std::string& context);

template <typename Body>
auto TranslateXapianErrors(const std::string& context, Body&& body)
    -> decltype(body()) {
  try {
    return body();
  } catch (const Error&) {
    throw;
  } catch (...) {
    RethrowAsTimError(context);
  }
}

template <typename Body>
auto TranslateReadErrors(const std::string& db_path, const std::string& context, Body&& body)
    -> decltype(body()) {
  return TranslateXapianErrors(context, [&] {
    try {
      return body();
    } catch (const Xapian::DatabaseError&) {
      if (auto corrupt = CorruptTableError(db_path)) throw *corrupt;
      throw;
    }
  });
}

template <typename Body>
auto TranslateWriteErrors(const std::string& db_path, const std::string& context, Body&& body)
    -> decltype(body()) {
  return TranslateReadErrors(db_path, context, [&] {
    try {
      return body();
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kCorruption) throw;
      if (auto corrupt = CorruptTableError(db_path)) throw *corrupt;
      throw;
    }
  });
}

}  // namespace tim

#endif  // TIM_SRC_INDEX_XAPIAN_ERRORS_H_
