#include "query/revision_caches.h"

#include <cstdlib>

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
  const char* megabytes = std::getenv(name);
  return size_t{megabytes ? std::strtoul(megabytes, nullptr, 10) : fallback} << 20;
}

}  // namespace tim
