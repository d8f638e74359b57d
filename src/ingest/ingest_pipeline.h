// ingest_pipeline.h: how a batch of articles gets into a database.
//
// The calling thread reads records; `jobs` threads turn them into Xapian
// documents (the analysis); one dispatcher takes them back in input order,
// spots duplicate bodies and hands each document to a writer thread. A step
// (the whole batch, or commit_every articles) is written either
//  - directly: one writer adds to the database inside a Xapian transaction,
//    committed at the end of the step; or
//  - staged, when the step is large next to the database: one writer per
//    job builds a shard in a staging directory beside the database, and the
//    shards are compacted together with the database into a new one, which
//    replaces the old with one atomic rename (RENAME_EXCHANGE).
// Either way readers see the whole step or nothing, and a crash leaves the
// database as it was before the step.
#ifndef TIM_SRC_INGEST_INGEST_PIPELINE_H_
#define TIM_SRC_INGEST_INGEST_PIPELINE_H_

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tim/article.h"
#include "tim/index_writer.h"

namespace tim {

// An article ready for the index.
struct PreparedArticle {
  Xapian::Document document;
  std::string id;            // normalized
  std::string id_term;       // IdTerm(id)
  std::string content_hash;  // the document's kContentHashSlot value
  uint64_t fingerprint = 0;  // BodyFingerprint() of the normalized body
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

// Opens (creating if needed) the database at `path` for writing; the
// caller holds its LockDatabaseForWriting. Throws Error(kDatabaseLocked) if
// a writer that is not tim's holds it.
Xapian::WritableDatabase OpenWritableDatabase(const std::string& path);

// The whole of IngestPaths.
IngestReport RunIngest(const std::string& db_path,
                       const std::vector<std::string>& paths,
                       const IngestOptions& options);

}  // namespace tim

#endif  // TIM_SRC_INGEST_INGEST_PIPELINE_H_
