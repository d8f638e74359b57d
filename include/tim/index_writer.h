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
#include <functional>
#include <memory>
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
  // Opens the database at `db_path`, creating the directory if needed.
  explicit IndexWriter(const std::string& db_path);
  ~IndexWriter();  // rolls back uncommitted changes
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Normalizes and indexes `article` (see README, "Text analysis"). Throws
  // Error(kInvalidInput) for an article without id or body.
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

struct IngestOptions {
  // Publisher used for articles whose metadata names none (`--source`).
  std::string default_source;
  // Skip malformed records (reporting them) instead of aborting the batch.
  bool skip_bad_records = false;
  // Called after each article with the number read so far.
  std::function<void(size_t articles_read)> on_progress;
};

struct IngestReport {
  size_t added = 0;
  size_t replaced = 0;
  size_t unchanged = 0;
  size_t skipped = 0;             // malformed records skipped (skip_bad_records)
  std::vector<std::string> warnings;  // one line each: "file:line: what"
  double elapsed_seconds = 0;

  size_t articles_read() const { return added + replaced + unchanged; }
};

// Reads every article in `paths` (files or directories, recursed; seed text
// files and .jsonl), adds them to the database at `db_path` and commits, as
// one atomic batch: on any error the database is left as it was and an Error
// naming the file and line is thrown.
IngestReport IngestPaths(const std::string& db_path,
                         const std::vector<std::string>& paths,
                         const IngestOptions& options = {});

}  // namespace tim

#endif  // TIM_INDEX_WRITER_H_
