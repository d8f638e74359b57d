#include "ingest/duplicate_bodies.h"

#include <functional>
#include <utility>

#include "index/document_builder.h"
#include "tim/error.h"
#include "tim/json.h"

namespace tim::ingest {

namespace {

// Bodies per step whose first article's id is kept for duplicate warnings.
constexpr size_t kMaxNamedBodies = 100000;

std::string IdOfDocument(const Xapian::Database& db, StoredDataReader& stored,
                         Xapian::docid id) {
  try {
    return ArticleFromJson(stored.Read(db.get_document(id))).id;
  } catch (const Error&) {
    return "#" + std::to_string(id);
  }
}

}  // namespace

void DuplicateBodies::StartStep(std::optional<Xapian::Database> snapshot) {
  snapshot_data_.reset();
  snapshot_ = std::move(snapshot);
  if (snapshot_) snapshot_data_.emplace(*snapshot_);
}

void DuplicateBodies::EndStep() {
  seen_.clear();
  seen_names_.clear();
}

bool DuplicateBodies::Find(const PreparedArticle& article,
                           std::string* original) {
  // The first article kept with this body: in the database, or earlier in
  // the step.
  const uint64_t id_hash = std::hash<std::string>{}(article.id);
  if (const auto it = seen_.find(article.fingerprint); it != seen_.end()) {
    if (it->second == id_hash) return false;
    const auto name = seen_names_.find(article.fingerprint);
    *original = name != seen_names_.end() ? name->second : "(earlier in the batch)";
    return true;
  }
  std::string first = article.id;
  bool duplicate = false;
  if (snapshot_) {
    const std::string term = FingerprintTerm(article.fingerprint);
    std::optional<Xapian::docid> own;
    for (Xapian::PostingIterator p = snapshot_->postlist_begin(term);
         p != snapshot_->postlist_end(term); ++p) {
      if (!own) own = FindDocument(*snapshot_, article.id_term).value_or(0);
      if (*p != *own) {
        first = IdOfDocument(*snapshot_, *snapshot_data_, *p);
        duplicate = true;
        break;
      }
    }
  }
  seen_.emplace(article.fingerprint, std::hash<std::string>{}(first));
  if (seen_names_.size() < kMaxNamedBodies) {
    seen_names_.emplace(article.fingerprint, first);
  }
  if (duplicate) *original = std::move(first);
  return duplicate;
}

}  // namespace tim::ingest
