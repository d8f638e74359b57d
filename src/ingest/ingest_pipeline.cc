#include "ingest/ingest_pipeline.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>

#include "index/database_directory.h"
#include "index/document_builder.h"
#include "index/schema.h"
#include "index/stored_article_codec.h"
#include "index/xapian_errors.h"
#include "input/article_files.h"
#include "tim/error.h"
#include "tim/json.h"

namespace tim {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Xapian 1.4 buffers a batch's postings in std::maps keyed by term, then by
// docid, and flushes them every XAPIAN_FLUSH_THRESHOLD documents (default
// 10000). Walking those maps is a cache miss per level, so small batches
// win: on 20,000 corpus articles in one transaction, 10000 took 77 s and
// 420 MB, 1000 took 27 s and 66 MB, 300 took 26 s and 31 MB.
constexpr char kFlushThreshold[] = "300";
// Documents a staging shard takes between commits, for the same reason,
// against the system time of writing the tables at every commit: on the
// whole corpus (69,895 articles, 2 jobs, idle machine), 100 took 56-60 s
// wall and 101-109 s CPU (17-18 s of it system), 300 took 53-54 s and
// 95-98 s (8 s system) with 100 MB peak RSS, 1000 took 55 s and 100 s.
constexpr Xapian::doccount kShardCommitEvery = 300;
// A staged step rewrites the whole database when it merges; it pays when
// the step's input is at least 1/kStagedMinFraction of the database's size.
constexpr uint64_t kStagedMinFraction = 16;
// Records buffered between the stages, per thread: enough to keep every
// thread busy, few enough that memory stays small whatever the batch.
constexpr size_t kQueuePerJob = 64;
// Bodies per step whose first article's id is kept for duplicate warnings.
constexpr size_t kMaxNamedBodies = 100000;
// Used to guess a step's size before any record has been read.
constexpr uint64_t kTypicalRecordBytes = 4096;
// How merges compact: FULL splits items across blocks when that saves
// space, 0.6 % smaller than the default on the corpus (FULLER was 2.6 %
// larger).
constexpr unsigned kCompaction = Xapian::Compactor::FULL;

// ---------------------------------------------------------------------------
// Thread plumbing.

// A FIFO of bounded size between threads.
template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity) {}

  // Blocks while the queue is full; false (dropping `item`) once closed.
  bool Push(T&& item) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
    if (closed_) return false;
    items_.push_back(std::move(item));
    not_empty_.notify_one();
    return true;
  }

  // Blocks while the queue is empty; nullopt once closed and drained.
  std::optional<T> Pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return std::nullopt;
    std::optional<T> item(std::move(items_.front()));
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }

  // No more pushes; what is queued can still be popped.
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  // Closes and drops what is queued.
  void Abort() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    items_.clear();
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  const size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
  std::deque<T> items_;  // guarded by mutex_
  bool closed_ = false;  // guarded by mutex_
};

// Puts items numbered 0, 1, 2... by several threads back in order.
template <typename T>
class Reorderer {
 public:
  explicit Reorderer(uint64_t window) : window_(window) {}

  // Blocks while `seq` is `window` or more ahead of the next item due, so
  // memory stays bounded; false once aborted.
  bool Put(uint64_t seq, T&& item) {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return aborted_ || seq < next_ + window_; });
    if (aborted_) return false;
    items_.emplace(seq, std::move(item));
    if (seq == next_) ready_.notify_one();
    return true;
  }

  // The next item in order; nullopt after the last one or once aborted.
  std::optional<T> Next() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] {
      return aborted_ || items_.count(next_) || (total_ && next_ == *total_);
    });
    const auto it = items_.find(next_);
    if (aborted_ || it == items_.end()) return std::nullopt;
    std::optional<T> item(std::move(it->second));
    items_.erase(it);
    ++next_;
    room_.notify_all();
    return item;
  }

  // There will be `total` items in all.
  void SetTotal(uint64_t total) {
    std::lock_guard lock(mutex_);
    total_ = total;
    ready_.notify_all();
  }

  void Abort() {
    std::lock_guard lock(mutex_);
    aborted_ = true;
    items_.clear();
    ready_.notify_all();
    room_.notify_all();
  }

 private:
  const uint64_t window_;
  std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::map<uint64_t, T> items_;     // guarded by mutex_
  uint64_t next_ = 0;               // guarded by mutex_
  std::optional<uint64_t> total_;   // guarded by mutex_
  bool aborted_ = false;            // guarded by mutex_
};

// Thrown through ReadArticles to stop reading once the batch has failed.
struct Stopped {};

// ---------------------------------------------------------------------------
// Files.

uint64_t DirectoryBytes(const fs::path& dir) {
  uint64_t bytes = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const uintmax_t size = it->file_size(ec);
    if (!ec) bytes += size;
    ec.clear();
  }
  return bytes;
}

[[noreturn]] void ThrowIo(const std::string& what, int error) {
  throw Error(ErrorCode::kIo, what + ": " + std::strerror(error));
}

// ---------------------------------------------------------------------------
// The batch.

class Batch;

// Adds documents to one database, in its own thread: the main database
// inside a transaction (direct), or a staging shard (staged).
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
  // True (and counted) if `db` holds the article with the same content.
  bool Unchanged(const Xapian::Database& db, Xapian::docid id,
                 const PreparedArticle& article);

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

// One atomic unit of the batch: all of it, or commit_every articles.
class Step {
 public:
  virtual ~Step() = default;
  // False once the batch has failed.
  virtual bool Put(PreparedArticle&& article) = 0;
  // Makes the step durable and visible; returns false if it changed
  // nothing. Throws on failure.
  virtual bool Finish() = 0;
  // Undoes the step after a failure; the database stays as it was.
  virtual void Abandon() noexcept = 0;
};

class Batch {
 public:
  Batch(const std::string& db_path, const IngestOptions& options);
  ~Batch();

  IngestReport Run(const std::vector<std::string>& paths);

  // Records the first failure and stops every stage.
  void Fail(std::exception_ptr error) noexcept;
  bool failed() const { return failed_.load(); }
  void ThrowIfFailed();

  void Count(AddOutcome outcome);
  const std::string& db_path() const { return db_path_; }
  // What the batch compresses the stored data with; nullptr: nothing.
  const std::shared_ptr<const StoredDataDictionary>& dictionary() const {
    return dictionary_;
  }
  Xapian::WritableDatabase& main() { return *main_; }
  // Swaps the staged database at `merged` in for the main one.
  void ReplaceDatabase(const fs::path& merged);

 private:
  // What the reader found, in input order: an article, a bad record to
  // skip, or a note about the next record. Everything goes through the
  // same queues so that counts and warnings come out in input order.
  struct Record {
    uint64_t seq = 0;
    std::optional<Article> article;
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

  std::shared_ptr<const StoredDataDictionary> ChooseDictionary(
      const std::vector<std::string>& paths);
  void Read(const std::vector<std::string>& paths);
  void OnRecord(Article&& article, const RecordLocation& where);
  // Queues a record; throws Stopped once the batch has failed.
  void Push(Record&& record);
  void ReportProgress(bool finishing);
  void BuildLoop();
  void DispatchLoop();
  bool Dispatch(PreparedArticle&& article, const std::string& where);
  bool FindDuplicate(const PreparedArticle& article, std::string* original);
  std::unique_ptr<Step> NewStep();
  bool WorthStaging(Xapian::doccount main_documents);
  void FinishStep();
  void Warn(std::string message);

  const std::string db_path_;
  const IngestOptions& options_;
  const unsigned jobs_;
  const Clock::time_point start_ = Clock::now();
  DirectoryLock lock_;  // the writers' lock, which survives a swap
  std::optional<Xapian::WritableDatabase> main_;  // holds Xapian's lock too
  // Set before the threads start.
  std::shared_ptr<const StoredDataDictionary> dictionary_;

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
  std::optional<Xapian::Database> snapshot_;  // main as of the step's start
  std::optional<StoredDataReader> snapshot_data_;  // reads snapshot_
  // Each body of the step (by fingerprint) to the first article kept with
  // it, by a hash of its id: 16 bytes an article, so memory stays small
  // whatever the batch. The ids themselves, for messages, only for the
  // first kMaxNamedBodies bodies.
  std::unordered_map<uint64_t, uint64_t> seen_;
  std::unordered_map<uint64_t, std::string> seen_names_;

  std::atomic<size_t> added_{0}, replaced_{0}, unchanged_{0};
  std::atomic<size_t> duplicates_{0}, skipped_{0}, errors_{0}, commits_{0};

  std::mutex mutex_;
  std::vector<std::string> warnings_;  // guarded by mutex_
  size_t warnings_omitted_ = 0;        // guarded by mutex_
  std::exception_ptr failure_;         // guarded by mutex_
  std::atomic<bool> failed_{false};
};

// ---------------------------------------------------------------------------
// Writer.

std::optional<StoredDataCompressor> CompressorFor(
    const std::shared_ptr<const StoredDataDictionary>& dictionary) {
  if (!dictionary) return std::nullopt;
  return std::optional<StoredDataCompressor>(std::in_place, dictionary);
}

Writer::Writer(Batch* batch, Xapian::WritableDatabase* target,
               std::string name, bool shard, std::string base_path)
    : batch_(batch),
      target_(target),
      name_(std::move(name)),
      base_path_(std::move(base_path)),
      shard_(shard),
      queue_(kQueuePerJob),
      compressor_(CompressorFor(batch->dictionary())),
      thread_([this] { Run(); }) {}

void Writer::Run() {
  try {
    TranslateXapianErrors("writing to " + name_, [&] {
      if (!base_path_.empty()) base_.emplace(base_path_);
      Xapian::doccount since_commit = 0;
      while (std::optional<PreparedArticle> article = queue_.Pop()) {
        if (!Write(*article) || !shard_) continue;
        if (++since_commit == kShardCommitEvery) {
          target_->commit();
          since_commit = 0;
        }
      }
      if (shard_ && !batch_->failed()) target_->commit();
    });
  } catch (...) {
    queue_.Abort();
    batch_->Fail(std::current_exception());
  }
}

bool Writer::Unchanged(const Xapian::Database& db, Xapian::docid id,
                       const PreparedArticle& article) {
  if (db.get_document(id).get_value(schema::kContentHashSlot) !=
      article.content_hash) {
    return false;
  }
  batch_->Count(AddOutcome::kUnchanged);
  return true;
}

void Writer::Compress(Xapian::Document* document) {
  if (compressor_) compressor_->Store(document);
}

bool Writer::Write(PreparedArticle& article) {
  if (const auto existing = FindDocument(*target_, article.id_term)) {
    if (Unchanged(*target_, *existing, article)) return false;
    Compress(&article.document);
    target_->replace_document(*existing, article.document);
    ++changes_;
    batch_->Count(AddOutcome::kReplaced);
    return true;
  }
  AddOutcome outcome = AddOutcome::kAdded;
  if (base_) {
    if (const auto old = FindDocument(*base_, article.id_term)) {
      if (Unchanged(*base_, *old, article)) return false;
      superseded_.push_back(article.id_term);
      outcome = AddOutcome::kReplaced;
    }
  }
  // The id is new to `target_`, so there is nothing to replace there.
  Compress(&article.document);
  target_->add_document(article.document);
  ++written_;
  ++changes_;
  batch_->Count(outcome);
  return true;
}

// ---------------------------------------------------------------------------
// Steps.

// Writes into the main database inside one transaction.
class DirectStep : public Step {
 public:
  explicit DirectStep(Batch* batch) : batch_(batch) {
    TranslateXapianErrors("starting a transaction on " + batch->db_path(),
                          [&] { batch->main().begin_transaction(true); });
    writer_.emplace(batch, &batch->main(), batch->db_path(), /*shard=*/false,
                    /*base_path=*/"");
  }

  bool Put(PreparedArticle&& article) override {
    return writer_->Put(std::move(article));
  }

  bool Finish() override {
    writer_->Finish();
    batch_->ThrowIfFailed();
    TranslateXapianErrors("committing to " + batch_->db_path(), [&] {
      if (batch_->dictionary() && writer_->changes() > 0) {
        SaveDictionary(*batch_->dictionary(), batch_->main());
      }
      schema::RecordSchemaVersion(batch_->main());
      batch_->main().commit_transaction();
    });
    return writer_->changes() > 0;
  }

  void Abandon() noexcept override {
    writer_->Abort();
    try {
      batch_->main().cancel_transaction();
    } catch (...) {
      // Nothing of the transaction was committed: the database is intact.
    }
  }

 private:
  Batch* const batch_;
  std::optional<Writer> writer_;
};

// Builds shards beside the database, then merges them with it.
class StagedStep : public Step {
 public:
  StagedStep(Batch* batch, unsigned shards, Xapian::doccount main_documents)
      : batch_(batch),
        staging_(StagingPath(batch->db_path())),
        main_documents_(main_documents) {
    RemoveStaging(RealDatabasePath(batch->db_path()), staging_);
    std::error_code ec;
    fs::create_directories(staging_, ec);
    if (ec) ThrowIo("cannot create " + staging_.string(), ec.value());
    databases_.reserve(shards);
    for (unsigned i = 0; i < shards; ++i) {
      const fs::path path = ShardPath(i);
      TranslateXapianErrors("creating " + path.string(), [&] {
        databases_.emplace_back(path.string(),
                                Xapian::DB_CREATE | Xapian::DB_NO_SYNC);
      });
    }
    // An empty database has nothing to supersede: no need to look there.
    const std::string base = main_documents ? batch->db_path() : "";
    for (unsigned i = 0; i < shards; ++i) {
      writers_.push_back(std::make_unique<Writer>(
          batch, &databases_[i], ShardPath(i).string(), /*shard=*/true, base));
    }
  }

  ~StagedStep() override { Abandon(); }

  bool Put(PreparedArticle&& article) override {
    const size_t shard =
        std::hash<std::string>{}(article.id_term) % writers_.size();
    return writers_[shard]->Put(std::move(article));
  }

  bool Finish() override {
    for (auto& writer : writers_) writer->Finish();
    batch_->ThrowIfFailed();
    Xapian::doccount written = 0;
    for (const auto& writer : writers_) written += writer->written();
    if (written > 0) {
      TranslateXapianErrors("merging into " + batch_->db_path(),
                            [&] { Merge(written); });
    }
    Abandon();  // what is left is the old database, or nothing
    return written > 0;
  }

  void Abandon() noexcept override {
    for (auto& writer : writers_) writer->Abort();
    writers_.clear();
    databases_.clear();
    try {
      RemoveStaging(RealDatabasePath(batch_->db_path()), staging_);
    } catch (const Error&) {
      // Left for the next run, which says what is wrong with it.
    }
  }

 private:
  fs::path ShardPath(size_t i) const {
    return staging_ / ("shard" + std::to_string(i));
  }

  void Merge(Xapian::doccount written) {
    for (Xapian::WritableDatabase& db : databases_) db.close();
    Xapian::Database sources;
    if (main_documents_ > 0) {
      sources.add_database(Xapian::Database(batch_->db_path()));
    }
    for (size_t i = 0; i < writers_.size(); ++i) {
      if (writers_[i]->written() == 0) continue;
      sources.add_database(Xapian::Database(ShardPath(i).string()));
    }
    fs::path merged = staging_ / "merged";
    sources.compact(merged.string(), kCompaction);
    const size_t superseded = Complete(merged);
    if (superseded * 8 > main_documents_ + written) {
      // Deleting leaves the space of the old versions unused: after a
      // re-ingest of the whole corpus the database had doubled in size.
      const fs::path again = staging_ / "merged-compact";
      Xapian::Database(merged.string()).compact(again.string(), kCompaction);
      fs::remove_all(merged);
      merged = again;
    }
    CheckCount(merged, main_documents_ + written - superseded);
    SyncDirectory(merged);
    batch_->ReplaceDatabase(merged);
  }

  // Deletes the old versions of the articles this step replaced (returns
  // how many) and adds the batch's dictionary, if new to the database.
  size_t Complete(const fs::path& merged) {
    Xapian::WritableDatabase db(merged.string(), Xapian::DB_OPEN);
    const size_t deleted = DeleteSuperseded(db);
    if (batch_->dictionary()) SaveDictionary(*batch_->dictionary(), db);
    schema::RecordSchemaVersion(db);
    db.commit();
    return deleted;
  }

  // The old versions come from the main database, which the merge put
  // first, so they have the lower docid of their id term.
  size_t DeleteSuperseded(Xapian::WritableDatabase& db) {
    size_t deleted = 0;
    for (const auto& writer : writers_) {
      for (const std::string& term : writer->superseded()) {
        std::vector<Xapian::docid> ids(db.postlist_begin(term),
                                       db.postlist_end(term));
        for (size_t i = 0; i + 1 < ids.size(); ++i) {
          db.delete_document(ids[i]);
          ++deleted;
        }
      }
    }
    return deleted;
  }

  // A last guard before the swap: the merge holds what it should.
  void CheckCount(const fs::path& merged, Xapian::doccount expected) {
    const Xapian::doccount actual =
        Xapian::Database(merged.string()).get_doccount();
    if (actual != expected) {
      throw Error(ErrorCode::kInternal,
                  "merged database has " + std::to_string(actual) +
                      " articles, expected " + std::to_string(expected) +
                      "; the database was left as it was");
    }
  }

  Batch* const batch_;
  const fs::path staging_;
  const Xapian::doccount main_documents_;
  std::vector<Xapian::WritableDatabase> databases_;
  std::vector<std::unique_ptr<Writer>> writers_;
};

// ---------------------------------------------------------------------------
// Batch.

unsigned JobCount(unsigned requested) {
  if (requested > 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

Batch::Batch(const std::string& db_path, const IngestOptions& options)
    : db_path_(db_path),
      options_(options),
      jobs_(JobCount(options.jobs)),
      read_queue_(kQueuePerJob * jobs_),
      built_(kQueuePerJob * jobs_ * 2) {
  lock_ = LockDatabaseForWriting(db_path);
  main_.emplace(OpenWritableDatabase(db_path));
  // Left by a run that was killed: we hold the lock, so it is nobody's.
  RemoveStaging(RealDatabasePath(db_path), StagingPath(db_path));
}

Batch::~Batch() = default;

void Batch::Fail(std::exception_ptr error) noexcept {
  {
    std::lock_guard lock(mutex_);
    if (!failure_) failure_ = error;
  }
  failed_ = true;
  read_queue_.Abort();
  built_.Abort();
}

void Batch::ThrowIfFailed() {
  std::lock_guard lock(mutex_);
  if (failure_) std::rethrow_exception(failure_);
}

void Batch::Count(AddOutcome outcome) {
  switch (outcome) {
    case AddOutcome::kAdded: ++added_; break;
    case AddOutcome::kReplaced: ++replaced_; break;
    case AddOutcome::kUnchanged: ++unchanged_; break;
  }
}

void Batch::Warn(std::string message) {
  std::lock_guard lock(mutex_);
  if (warnings_.size() < IngestReport::kMaxReportWarnings) {
    warnings_.push_back(std::move(message));
  } else {
    ++warnings_omitted_;
  }
}

void Batch::ReplaceDatabase(const fs::path& merged) {
  // The old database stays locked while the new one moves in, and the new
  // one is locked before it does, so no other writer can slip a change
  // into either and lose it, or take the database from this batch.
  DirectoryLock next(merged);
  SwapInDatabase(RealDatabasePath(db_path_), merged);
  main_->close();
  main_.reset();
  lock_ = std::move(next);
  main_.emplace(OpenWritableDatabase(db_path_));
}

IngestReport Batch::Run(const std::vector<std::string>& paths) {
  for (const std::string& path : paths) {
    for (const std::string& file : ListArticleFiles(path)) {
      std::error_code ec;
      const uintmax_t size = file == kStdinPath ? 0 : fs::file_size(file, ec);
      if (!ec) input_total_ += size;
    }
  }
  dictionary_ = ChooseDictionary(paths);
  std::vector<std::thread> builders;
  for (unsigned i = 0; i < jobs_; ++i) builders.emplace_back([this] { BuildLoop(); });
  std::thread dispatcher([this] { DispatchLoop(); });
  try {
    Read(paths);
  } catch (const Stopped&) {
    // Another stage failed; its error is the one to report.
  } catch (...) {
    read_error_ = std::current_exception();
    read_failed_ = true;
  }
  read_queue_.Close();
  built_.SetTotal(next_seq_);
  ReportProgress(/*finishing=*/true);
  for (std::thread& builder : builders) builder.join();
  dispatcher.join();
  ThrowIfFailed();
  if (read_error_) std::rethrow_exception(read_error_);

  IngestReport report;
  report.added = added_;
  report.replaced = replaced_;
  report.unchanged = unchanged_;
  report.duplicates = duplicates_;
  report.skipped = skipped_;
  report.errors = errors_;
  report.commits = commits_;
  report.input_bytes = input_bytes_;
  report.warnings = std::move(warnings_);
  report.warnings_omitted = warnings_omitted_;
  report.elapsed_seconds =
      std::chrono::duration<double>(Clock::now() - start_).count();
  return report;
}

// ---------------------------------------------------------------------------
// The dictionary (the calling thread, before the others start).

struct EnoughSamples {};

// The JSON of the first kTrainingSamples articles of the input, as they
// will be stored. Standard input cannot be read twice: it gives none.
// Errors are left for the real reading to report.
TrainingSamples SamplesFromInput(const std::vector<std::string>& paths,
                                 const IngestOptions& options) {
  TrainingSamples samples;
  ReadOptions read;
  read.invalid_utf8 = options.invalid_utf8;
  read.on_bad = [](const std::string&) {};
  const ArticleSink sink = [&](Article&& article, const RecordLocation&) {
    NormalizeArticle(&article, options.default_source);
    samples.Add(ToJson(article));
    if (samples.size() == kTrainingSamples) throw EnoughSamples{};
  };
  try {
    for (const std::string& path : paths) {
      if (path != kStdinPath) ReadArticles(path, sink, read);
    }
  } catch (const EnoughSamples&) {
  } catch (const Error&) {
  }
  return samples;
}

// The database's dictionary; else one trained on its articles; else on
// the input's first articles; nullptr when there are too few of either.
std::shared_ptr<const StoredDataDictionary> Batch::ChooseDictionary(
    const std::vector<std::string>& paths) {
  TrainingSamples samples;
  auto existing = TranslateXapianErrors("reading " + db_path_, [&] {
    auto dictionary = LoadDictionary(*main_);
    if (!dictionary) samples = SamplesFromDatabase(*main_);
    return dictionary;
  });
  if (existing) return existing;
  if (samples.size() < kMinTrainingSamples) samples = SamplesFromInput(paths, options_);
  return TrainDictionary(samples);
}

// ---------------------------------------------------------------------------
// Reading (the calling thread).

void Batch::Read(const std::vector<std::string>& paths) {
  ReadOptions read;
  read.invalid_utf8 = options_.invalid_utf8;
  const BadRecordHandler skip = [this](const std::string& message) {
    ++records_read_;
    Record record;
    record.bad = message;
    Push(std::move(record));
  };
  if (options_.skip_bad_records) read.on_bad = skip;
  read.on_skip = skip;
  read.on_warning = [this](const std::string& message) {
    Record record;
    record.note = message;
    Push(std::move(record));
  };
  read.on_input_bytes = [this](uint64_t bytes) { input_bytes_ += bytes; };
  const ArticleSink sink = [this](Article&& article,
                                  const RecordLocation& where) {
    OnRecord(std::move(article), where);
  };
  for (const std::string& path : paths) ReadArticles(path, sink, read);
}

void Batch::OnRecord(Article&& article, const RecordLocation& where) {
  ++records_read_;
  Record record;
  record.article = std::move(article);
  record.where = where;
  Push(std::move(record));
}

void Batch::Push(Record&& record) {
  record.seq = next_seq_;
  if (!read_queue_.Push(std::move(record))) throw Stopped{};
  ++next_seq_;
  ReportProgress(false);
}

void Batch::ReportProgress(bool finishing) {
  records_seen_ = records_read_;
  if (!options_.on_progress) return;
  IngestProgress progress;
  progress.records = records_read_;
  progress.input_bytes = input_bytes_;
  progress.input_total = input_total_;
  progress.elapsed_seconds =
      std::chrono::duration<double>(Clock::now() - start_).count();
  progress.finishing = finishing;
  options_.on_progress(progress);
}

// ---------------------------------------------------------------------------
// Analysis (the builder threads).

void Batch::BuildLoop() {
  while (std::optional<Record> record = read_queue_.Pop()) {
    Built built;
    built.error = std::move(record->bad);
    built.note = std::move(record->note);
    if (!record->article) {
      if (!built_.Put(record->seq, std::move(built))) return;
      continue;
    }
    built.where = record->where.ToString();
    try {
      built.article =
          PrepareArticle(std::move(*record->article), options_.default_source);
    } catch (const Error& e) {
      Error located(e.code(), built.where + ": " + e.what());
      if (options_.skip_bad_records && e.code() == ErrorCode::kInvalidInput) {
        built.error = located.what();
      } else {
        built.fatal = std::make_exception_ptr(located);
      }
    } catch (...) {
      built.fatal = std::current_exception();
    }
    if (!built_.Put(record->seq, std::move(built))) return;
  }
}

// ---------------------------------------------------------------------------
// Dispatching and steps (the dispatcher thread).

void Batch::DispatchLoop() {
  try {
    size_t in_step = 0;
    while (std::optional<Built> built = built_.Next()) {
      if (built->fatal) {
        Fail(built->fatal);
        break;
      }
      if (!built->note.empty()) {
        Warn(std::move(built->note));
        continue;
      }
      if (!built->error.empty()) {
        ++errors_;
        ++skipped_;
        Warn(std::move(built->error));
        continue;
      }
      if (!Dispatch(std::move(*built->article), built->where)) break;
      if (options_.commit_every > 0 && ++in_step >= options_.commit_every) {
        FinishStep();
        in_step = 0;
      }
    }
    if (!failed() && !read_failed_) FinishStep();
  } catch (...) {
    Fail(std::current_exception());
  }
  if (step_) {
    step_->Abandon();
    step_.reset();
  }
}

bool Batch::Dispatch(PreparedArticle&& article, const std::string& where) {
  if (!step_) step_ = NewStep();
  std::string original;
  if (FindDuplicate(article, &original)) {
    ++duplicates_;
    Warn(where + ": same body as article '" + original + "'" +
         (options_.dedupe ? "; skipped" : ""));
    if (options_.dedupe) {
      ++skipped_;
      return true;
    }
  }
  return step_->Put(std::move(article));
}

std::string IdOfDocument(const Xapian::Database& db, StoredDataReader& stored,
                         Xapian::docid id) {
  try {
    return ArticleFromJson(stored.Read(db.get_document(id))).id;
  } catch (const Error&) {
    return "#" + std::to_string(id);
  }
}

bool Batch::FindDuplicate(const PreparedArticle& article,
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

std::unique_ptr<Step> Batch::NewStep() {
  Xapian::doccount documents = 0;
  TranslateXapianErrors("reading " + db_path_, [&] {
    snapshot_data_.reset();
    snapshot_.emplace(db_path_);
    snapshot_data_.emplace(*snapshot_);
    documents = snapshot_->get_doccount();
  });
  if (documents == 0) {
    snapshot_data_.reset();
    snapshot_.reset();
  }
  if (jobs_ > 1 && WorthStaging(documents) && CanSwap(db_path_)) {
    return std::make_unique<StagedStep>(this, jobs_, documents);
  }
  return std::make_unique<DirectStep>(this);
}

bool Batch::WorthStaging(Xapian::doccount main_documents) {
  if (main_documents == 0) return true;
  uint64_t step_bytes;
  if (options_.commit_every > 0) {
    const uint64_t records = records_seen_;
    const uint64_t per_record =
        records ? input_bytes_ / records : kTypicalRecordBytes;
    step_bytes = options_.commit_every * std::max<uint64_t>(per_record, 1);
  } else {
    // The whole batch is the step. Standard input has no known size (0):
    // taken for a small daily batch.
    step_bytes = input_total_;
  }
  return step_bytes * kStagedMinFraction >= DirectoryBytes(db_path_);
}

void Batch::FinishStep() {
  if (!step_) return;
  if (step_->Finish()) ++commits_;
  step_.reset();
  seen_.clear();  // the next step's snapshot holds them
  seen_names_.clear();
}

}  // namespace

// ---------------------------------------------------------------------------
// Public within the library.

uint64_t BodyFingerprint(std::string_view body) {
  // FNV-1a over the text with whitespace runs read as one space, then
  // splitmix64's finalizer so that near-identical texts spread out.
  uint64_t hash = 14695981039346656037ull;
  bool in_space = false;
  for (const char c : body) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && in_space) continue;
    in_space = space;
    hash ^= static_cast<unsigned char>(space ? ' ' : c);
    hash *= 1099511628211ull;
  }
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9ull;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebull;
  return hash ^ (hash >> 31);
}

std::string FingerprintTerm(uint64_t fingerprint) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(fingerprint));
  return schema::kBodyFingerprintPrefix + std::string(hex);
}

PreparedArticle PrepareArticle(Article article,
                               const std::string& default_source) {
  NormalizeArticle(&article, default_source);
  if (article.id.empty()) {
    throw Error(ErrorCode::kInvalidInput, "article has no id");
  }
  if (article.body.empty()) {
    throw Error(ErrorCode::kInvalidInput,
                "article " + article.id + " has no body");
  }
  PreparedArticle prepared;
  prepared.fingerprint = BodyFingerprint(article.body);
  prepared.id_term = IdTerm(article.id);
  TranslateXapianErrors("indexing article " + article.id, [&] {
    prepared.document = BuildDocument(article);
    prepared.document.add_boolean_term(FingerprintTerm(prepared.fingerprint));
    prepared.content_hash =
        prepared.document.get_value(schema::kContentHashSlot);
  });
  prepared.id = std::move(article.id);
  return prepared;
}

Xapian::WritableDatabase OpenWritableDatabase(const std::string& path) {
  static std::once_flag tuned;
  std::call_once(tuned, [] {
    // Xapian 1.4 reads its flush threshold from the environment only; an
    // explicit setting by the user wins.
    setenv("XAPIAN_FLUSH_THRESHOLD", kFlushThreshold, /*overwrite=*/0);
  });
  return TranslateXapianErrors("opening database " + path + " for writing", [&] {
    return Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
  });
}

IngestReport RunIngest(const std::string& db_path,
                       const std::vector<std::string>& paths,
                       const IngestOptions& options) {
  Batch batch(db_path, options);
  return batch.Run(paths);
}

}  // namespace tim
