// writer.h: the thread that adds a step's documents to one database: the
// main database inside a transaction (a direct step), or a staging shard
// (a staged step).
#ifndef TIM_SRC_INGEST_WRITER_H_
#define TIM_SRC_INGEST_WRITER_H_

#include <xapian.h>

#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "index/stored_article_codec.h"
#include "ingest/bounded_queue.h"
#include "ingest/prepared_article.h"

namespace tim::ingest {

class Batch;

class Writer {
 public:
  // `target` must outlive the writer. A shard commits as it goes; its
  // `base_path`, if any, is the database it will be merged into, which
  // tells added from replaced.
  Writer(Batch* batch, Xapian::WritableDatabase* target, std::string name,
         bool shard, std::string base_path);
  ~Writer() { Abort(); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // False once the batch has failed.
  bool Put(PreparedArticle&& article) {
    return queue_.Push(std::move(article));
  }
  // Waits until everything put is written (and committed, for a shard).
  void Finish() {
    queue_.Close();
    Join();
  }
  void Abort() {
    queue_.Abort();
    Join();
  }

  // Id terms of base documents this shard replaces. Valid after Finish().
  const std::vector<std::string>& superseded() const { return superseded_; }
  // Documents added to the target; valid after Finish().
  Xapian::doccount written() const { return written_; }
  // Documents added or replaced; valid after Finish().
  Xapian::doccount changes() const { return changes_; }

 private:
  void Join() {
    if (thread_.joinable()) thread_.join();
  }
  void Run();
  // Returns true if it wrote anything.
  bool Write(PreparedArticle& article);
  // Replaces the JSON data of `document` with its compressed form, when
  // the batch compresses. (After the unchanged check: the content hash is
  // of the JSON.)
  void Compress(Xapian::Document* document);

  Batch* const batch_;
  Xapian::WritableDatabase* const target_;
  const std::string name_;
  const std::string base_path_;
  const bool shard_;
  BoundedQueue<PreparedArticle> queue_;
  std::optional<StoredDataCompressor> compressor_;  // with a dictionary
  std::optional<Xapian::Database> base_;  // used by thread_ only
  std::vector<std::string> superseded_;
  Xapian::doccount written_ = 0;
  Xapian::doccount changes_ = 0;
  std::thread thread_;  // last: starts once the rest is built
};

}  // namespace tim::ingest

#endif  // TIM_SRC_INGEST_WRITER_H_
