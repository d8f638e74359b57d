#include "query/revision_caches.h"

#include <cstdlib>
#include <string_view>

namespace tim {

std::optional<Revision> RevisionOf(const Xapian::Database& db) {
  if (db.size() != 1) return std::nullopt;
  Revision at;
  try {
    at.database = db.get_uuid();
    // tim searches read-only handles, whose revision is their content. A
    // writer's own handle also reads what it has not committed, which its
    // counts and length tell (all but a replacement of the same length).
    at.revision = std::to_string(db.get_revision()) + ":" + std::to_string(db.get_lastdocid()) +
                  ":" + std::to_string(db.get_doccount()) + ":" +
                  std::to_string(db.get_total_length());
  } catch (const Xapian::Error&) {
    return std::nullopt;  // in memory: no revision to tell by
  }
  if (at.database.empty()) return std::nullopt;
  return at;
}

size_t MebibytesFromEnvironment(const char* name, size_t fallback) {
  const char* text = std::getenv(name);
  const std::string_view megabytes = text ? text : "";
  // Digits only, and few enough to count bytes in: anything else (unset,
  // empty, "-1", "64MB") leaves the default.
  const bool number = !megabytes.empty() && megabytes.size() <= 9 &&
                      megabytes.find_first_not_of("0123456789") == std::string_view::npos;
  return (number ? std::stoul(std::string(megabytes)) : fallback) << 20;
}

}  // namespace tim
