// batch.h: one run of the ingest pipeline (ingest_pipeline.h) and its
// stages: the calling thread reads (batch_reading.cc), `jobs` threads
// analyse (batch.cc), the dispatcher restores input order, drops duplicate
// bodies and fills steps (batch_dispatch.cc), which writers write.
#ifndef TIM_SRC_INGEST_BATCH_H_
#define TIM_SRC_INGEST_BATCH_H_

#include <xapian.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "index/stored_article_codec.h"
#include "ingest/bounded_queue.h"
#include "ingest/duplicate_bodies.h"
#include "ingest/ingest_pipeline.h"
#include "ingest/memory_budget.h"
#include "ingest/prepared_article.h"
#include "ingest/reorderer.h"
#include "ingest/step.h"
#include "ingest/target_database.h"
#include "input/article_files.h"
#include "tim/index_writer.h"

namespace tim::ingest {

// Records buffered between the stages, per thread: enough to keep every
// thread busy, few enough that memory stays small whatever the batch.
inline constexpr size_t kQueuePerJob = 64;
// Input bytes of the articles a batch holds at once, between reading and
// writing (MemoryBudget). An article takes several times its size while it
// is analysed and written (a record of 15 MiB alone peaks at 167 MB): 40
// such records in 2 jobs peaked at 1,294 MB without the budget, 570 MB
// with it (with the samples and shard commits bounded too).
inline constexpr uint64_t kArticleBytesInFlight = 48ull << 20;

class Batch {
 public:
  Batch(const std::string& db_path, const IngestOptions& options, ShardRoute route = {});
  ~Batch();

  IngestReport Run(const std::vector<std::string>& paths);

  // Records the first failure and stops every stage.
  void Fail(std::exception_ptr error) noexcept;
  bool failed() const { return failed_.load(); }
  void ThrowIfFailed();

  void Count(AddOutcome outcome);
  const std::string& db_path() const { return target_.path(); }
  // What the batch compresses the stored data with; nullptr: nothing.
  const std::shared_ptr<const StoredDataDictionary>& dictionary() const {
    return dictionary_;
  }
  Xapian::WritableDatabase& main() { return target_.db(); }
  // How many changesets the database keeps (index/changesets.h), recorded
  // by each step's commit.
  unsigned changesets() const { return changesets_; }
  // After a failure: see TargetDatabase::RemoveIfNewAndEmpty.
  void RemoveIfNewAndEmpty() noexcept { target_.RemoveIfNewAndEmpty(); }
  // Swaps the staged database at `merged` in for the main one.
  void ReplaceDatabase(const std::filesystem::path& merged) {
    target_.SwapIn(merged);
  }

 private:
  using Clock = std::chrono::steady_clock;

  // What the reader found, in input order: an article, a bad record to
  // skip, or a note about the next record. Everything goes through the
  // same queues so that counts and warnings come out in input order.
  struct Record {
    uint64_t seq = 0;
    std::optional<Article> article;
    MemoryBudget::Share memory;  // the article's
    RecordLocation where;
    std::string bad;
    std::string note;
  };
  // What a builder made of a record: an article, or why it is bad (a
  // record to skip), or a note, or the error that ends the batch here.
  struct Built {
    std::optional<PreparedArticle> article;
    std::string where;
    std::string error;
    std::string note;
    std::exception_ptr fatal;
  };

  void Read(const std::vector<std::string>& paths);
  void OnRecord(Article&& article, const RecordLocation& where);
  // Queues a record; throws Stopped once the batch has failed.
  void Push(Record&& record);
  void ReportProgress(bool finishing);
  void BuildLoop();
  void DispatchLoop();
  bool Dispatch(PreparedArticle&& article, const std::string& where);
  std::unique_ptr<Step> NewStep();
  // The input bytes the next step will read, estimated.
  uint64_t StepInputBytes() const;
  bool WorthStaging(Xapian::doccount main_documents);
  // Whether the disk has room for the database staged beside itself.
  bool RoomToStage() const;
  void FinishStep();
  void Warn(std::string message);

  const IngestOptions& options_;
  const ShardRoute route_;
  const unsigned jobs_;
  const Clock::time_point start_ = Clock::now();
  TargetDatabase target_;
  const unsigned changesets_;
  // Set before the threads start.
  std::shared_ptr<const StoredDataDictionary> dictionary_;

  MemoryBudget memory_{kArticleBytesInFlight};  // before what holds shares
  BoundedQueue<Record> read_queue_;
  Reorderer<Built> built_;

  // Set once reading stopped on an error: the records before it are still
  // dispatched, so that with commit_every the steps they fill are kept, but
  // the last, unfinished step is abandoned.
  std::atomic<bool> read_failed_{false};
  std::exception_ptr read_error_;  // reader thread until joined

  // Reader thread only.
  uint64_t next_seq_ = 0;
  uint64_t records_read_ = 0;
  uint64_t input_total_ = 0;
  std::atomic<uint64_t> input_bytes_{0};
  std::atomic<uint64_t> records_seen_{0};

  // Dispatcher thread only.
  std::unique_ptr<Step> step_;
  DuplicateBodies bodies_;

  std::atomic<size_t> added_{0}, replaced_{0}, unchanged_{0};
  std::atomic<size_t> duplicates_{0}, skipped_{0}, errors_{0}, commits_{0};

  std::mutex mutex_;
  std::vector<std::string> warnings_;  // guarded by mutex_
  size_t warnings_omitted_ = 0;        // guarded by mutex_
  std::exception_ptr failure_;         // guarded by mutex_
  std::atomic<bool> failed_{false};
};

// Thrown through ReadArticles to stop reading once the batch has failed.
struct Stopped {};

}  // namespace tim::ingest

#endif  // TIM_SRC_INGEST_BATCH_H_
