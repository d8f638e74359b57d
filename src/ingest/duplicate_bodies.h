// duplicate_bodies.h: spotting, within a step, an article whose body (its
// BodyFingerprint) is already kept under another id: in the database as
// of the step's start, or earlier in the step.
#ifndef TIM_SRC_INGEST_DUPLICATE_BODIES_H_
#define TIM_SRC_INGEST_DUPLICATE_BODIES_H_

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "index/stored_article_codec.h"
#include "ingest/prepared_article.h"

namespace tim::ingest {

// One thread's (the dispatcher's).
class DuplicateBodies {
 public:
  // Starts a step over `snapshot`, the database as of the step's start
  // (nullopt when it is empty).
  void StartStep(std::optional<Xapian::Database> snapshot);
  // Forgets the step's bodies (the next step's snapshot holds them).
  void EndStep();

  // True if the body of `article` was first kept with another id, which
  // goes to *original; else remembers `article` as its first. Throws
  // Xapian's errors.
  bool Find(const PreparedArticle& article, std::string* original);

 private:
  std::optional<Xapian::Database> snapshot_;
  std::optional<StoredDataReader> snapshot_data_;  // reads snapshot_
  // Each body of the step (by fingerprint) to the first article kept with
  // it, by a hash of its id: 16 bytes an article, so memory stays small
  // whatever the batch. The ids themselves, for messages, only for the
  // first kMaxNamedBodies bodies.
  std::unordered_map<uint64_t, uint64_t> seen_;
  std::unordered_map<uint64_t, std::string> seen_names_;
};

}  // namespace tim::ingest

#endif  // TIM_SRC_INGEST_DUPLICATE_BODIES_H_
