#include "index/shard_docids.h"

#include <string>

#include "tim/error.h"

namespace tim {

ShardDocids::ShardDocids(const Xapian::Database& whole, const Xapian::Database& part) {
  count_ = static_cast<Xapian::docid>(whole.size());
  if (count_ <= 1) {
    count_ = 1;
    return;
  }
  const std::string shards = whole.get_uuid(), wanted = part.get_uuid();
  size_t start = 0;
  for (Xapian::docid i = 0; i < count_; ++i) {
    const size_t end = shards.find(':', start);
    if (shards.compare(start, end - start, wanted) == 0) {
      index_ = i;
      return;
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  throw Error(ErrorCode::kInternal, "a shard that is not one of the database's: " + wanted);
}

}  // namespace tim
