#include "index/changesets.h"

#include <cstdlib>
#include <string>

#include "index/database_directory.h"

namespace tim {

unsigned RecordedChangesets(const Xapian::Database& db) {
  const std::string value = db.get_metadata(kChangesetsKey);
  return static_cast<unsigned>(std::strtoul(value.c_str(), nullptr, 10));
}

unsigned RecordedChangesets(const std::string& path) {
  if (!HoldsDatabase(path)) return 0;
  return RecordedChangesets(Xapian::Database(path));
}

void RecordChangesets(Xapian::WritableDatabase& db, unsigned count) {
  db.set_metadata(kChangesetsKey, count ? std::to_string(count) : "");
}

void KeepChangesets(unsigned count) {
  if (count == 0) return;
  setenv("XAPIAN_MAX_CHANGESETS", std::to_string(count).c_str(), /*overwrite=*/0);
}

bool WritesChangesets() {
  // Xapian reads it with atoi().
  const char* value = std::getenv("XAPIAN_MAX_CHANGESETS");
  return value && std::atoi(value) > 0;
}

}  // namespace tim
