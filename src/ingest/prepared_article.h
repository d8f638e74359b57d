// prepared_article.h: an article turned into the document the index
// stores, with what ingest needs to place it (its id term, content hash and
// body fingerprint). Built by the analysis threads and by IndexWriter::Add.
#ifndef TIM_SRC_INGEST_PREPARED_ARTICLE_H_
#define TIM_SRC_INGEST_PREPARED_ARTICLE_H_

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/memory_budget.h"
#include "tim/article.h"

namespace tim {

// An article ready for the index.
struct PreparedArticle {
  Xapian::Document document;
  std::string id;            // normalized
  std::string id_term;       // IdTerm(id)
  std::string content_hash;  // the document's kContentHashSlot value
  uint64_t fingerprint = 0;  // BodyFingerprint() of the normalized body
  // In the ingest pipeline, the part of the batch's memory budget the
  // article holds until it is written or dropped; empty elsewhere.
  ingest::MemoryBudget::Share memory;
};

// Normalizes `article` (default_source for a missing publisher) and builds
// its document, with the body fingerprint term. Throws Error(kInvalidInput)
// for an article without id or body. Thread-safe.
PreparedArticle PrepareArticle(Article article,
                               const std::string& default_source);

// A 64-bit fingerprint of a normalized body with every run of whitespace
// read as one space, so that re-wrapped copies of a text agree.
uint64_t BodyFingerprint(std::string_view normalized_body);
// The boolean term holding a fingerprint: "XF" and 16 hex digits.
std::string FingerprintTerm(uint64_t fingerprint);

}  // namespace tim

#endif  // TIM_SRC_INGEST_PREPARED_ARTICLE_H_
