// tim/index_writer.h: adding articles to a tim database.
//
// A database is a directory holding a Xapian database. One IndexWriter at a
// time may hold a database open for writing; a second one, in this process or
// another, fails at once with ErrorCode::kDatabaseLocked.
//
// Changes form one batch: nothing is visible to searchers, and nothing reaches
// the disk as committed, until Commit(). Destroying a writer without Commit()
// (or an error part-way) leaves the database exactly as it was before the
// batch. An IndexWriter is not thread-safe; use it from one thread.
#ifndef TIM_INDEX_WRITER_H_
#define TIM_INDEX_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tim/article.h"

namespace tim {

// What Add() did with an article.
enum class AddOutcome {
  kAdded,      // the id was new
  kReplaced,   // the id existed with other content; the old version is gone
  kUnchanged,  // the id existed with exactly this content; nothing written
};

class IndexWriter {
 public:
  // Opens the database at `db_path`, creating the directory if needed. A
  // database that keeps changesets (IngestOptions::changesets) gets them for
  // this writer's commits too.
  explicit IndexWriter(const std::string& db_path);
  ~IndexWriter();  // rolls back uncommitted changes
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Normalizes and indexes `article` (see README, "Text analysis"). Throws
  // Error(kInvalidInput) for an article without id or body. Once the
  // database holds 500 articles without a compression dictionary, the next
  // Add trains one on them (0.3 s for news articles, once; README, "Index
  // size").
  AddOutcome Add(const Article& article);

  // Removes the article with `id`; returns false if there was none.
  bool Delete(const std::string& id);

  // Makes every change since the last Commit() durable and visible.
  void Commit();

  // Forgets every change since the last Commit().
  void Rollback();

  // Number of articles, counting uncommitted changes.
  size_t document_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What ingest does with a record that is not valid UTF-8.
enum class InvalidUtf8 {
  kError,   // a bad record: the batch aborts, or skip_bad_records skips it
  kSkip,    // the record is skipped and reported; the batch goes on
  kRepair,  // each bad sequence becomes U+FFFD; reported, then indexed
};

// Where a running ingest stands, for progress displays.
struct IngestProgress {
  uint64_t records = 0;      // records read so far, bad ones included
  uint64_t input_bytes = 0;  // input consumed, as stored (compressed .gz)
  uint64_t input_total = 0;  // all input, as stored; 0 if unknown (stdin)
  double elapsed_seconds = 0;
  bool finishing = false;    // everything is read; committing or merging
};

struct IngestOptions {
  // Publisher used for articles whose metadata names none (`--source`).
  std::string default_source;
  // Skip malformed records (reporting them) instead of aborting the batch.
  bool skip_bad_records = false;
  InvalidUtf8 invalid_utf8 = InvalidUtf8::kError;
  // Skip an article whose body (normalized, whitespace folded) is already
  // indexed, or earlier in the batch, under another id. Without it such an
  // article is indexed and only counted as a duplicate.
  bool dedupe = false;
  // 0: the whole batch is one atomic commit. N: commit after every N
  // records, so an interrupted batch keeps its finished steps; each step is
  // atomic, and running the batch again completes it without duplicates.
  size_t commit_every = 0;
  // Threads that analyse and index; 0 means one per core. With more than
  // one, a batch large next to the database is built in parallel shards
  // beside it and merged in; the database still changes atomically.
  unsigned jobs = 0;
  // For replicas made with Xapian's xapian-replicate: keep the changesets
  // of the last N commits, so that a replica less than N commits behind
  // updates incrementally (README, "Replicas"); 0 stops keeping them. The
  // database records it: every later writer (ingest, delete, IndexWriter)
  // keeps them too, and ingest writes a batch under a tenth of the
  // database's size in place rather than beside it (a swapped-in database
  // is copied whole by replicas). Unset: as the database says.
  // Writing changesets sets XAPIAN_MAX_CHANGESETS in the process's
  // environment, unless it is set already (Xapian reads it at each commit).
  std::optional<unsigned> changesets;
  // More than 1: make a new database of this many shards (a directory whose
  // XAPIANDB stub lists them, README "Shards"), each article in the shard
  // FNV-1a(id) mod N names. A database of shards is written so whatever
  // this says: each shard's part of a batch is atomic, the whole is not
  // (run it again after a failure), standard input is refused (every shard
  // reads the input), and duplicate bodies are spotted within a shard.
  unsigned shards = 0;
  // Called on the calling thread after each record read, and once when
  // reading is over. Must not throw.
  std::function<void(const IngestProgress& progress)> on_progress;
};

struct IngestReport {
  size_t added = 0;
  size_t replaced = 0;
  size_t unchanged = 0;
  // Articles whose body is already indexed under another id (or earlier in
  // the batch); indexed anyway, or skipped with IngestOptions::dedupe.
  size_t duplicates = 0;
  // Records read but not indexed: bad records skipped (the `errors`) and
  // duplicates skipped by dedupe.
  size_t skipped = 0;
  // Bad records: malformed, invalid UTF-8, no body, impossible date...
  // (skipped with skip_bad_records or InvalidUtf8::kSkip; otherwise the
  // first one aborts the batch and no report is returned).
  size_t errors = 0;
  size_t commits = 0;        // atomic steps committed (see commit_every)
  uint64_t input_bytes = 0;  // input read, as stored
  // One line each, "file:line: what", in the order found; at most
  // kMaxReportWarnings, the rest only counted in warnings_omitted.
  std::vector<std::string> warnings;
  size_t warnings_omitted = 0;
  double elapsed_seconds = 0;

  static constexpr size_t kMaxReportWarnings = 100;

  // Articles indexed or found unchanged.
  size_t articles_read() const { return added + replaced + unchanged; }
  // Every record read, skipped ones included.
  size_t records() const { return articles_read() + skipped; }
};

// Reads every article in `paths` (files, directories, recursed, or "-" for
// JSON Lines on standard input; seed text, .jsonl and .jsonl.gz), adds them
// to the database at `db_path` and commits. The batch is atomic (or each
// step of it, with commit_every): on any error the database is left as it
// was and an Error naming the file and line is thrown. Ingesting the same
// records again changes nothing (they are counted as unchanged). Memory
// stays bounded whatever the size of the batch.
IngestReport IngestPaths(const std::string& db_path,
                         const std::vector<std::string>& paths,
                         const IngestOptions& options = {});

// Tunes Xapian for ingest in this process. Xapian 1.4 takes the number of
// changes a transaction buffers before it flushes them from the
// environment only (XAPIAN_FLUSH_THRESHOLD, default 10000); this sets it to
// 300 unless the user set it. Small flushes are faster (20,000 corpus
// articles in one transaction: 26 s and 31 MB at 300, 77 s and 420 MB at
// 10000) and bound the memory of a batch by 300 articles' postings.
// Without it ingest is as correct, only slower and larger in memory.
// It calls setenv, which is not thread-safe: call it at the start of main,
// before any thread runs, and before the first IndexWriter or IngestPaths.
// The tim CLI and the Python module call it.
void TuneProcessForIngest();

struct DeleteReport {
  std::vector<std::string> deleted;    // in the order given
  std::vector<std::string> not_found;  // ids with no article, as given
};

// Removes the articles with `ids` in one atomic commit; ids without an
// article are listed in not_found and change nothing.
DeleteReport DeleteArticles(const std::string& db_path,
                            const std::vector<std::string>& ids);

}  // namespace tim

#endif  // TIM_INDEX_WRITER_H_
