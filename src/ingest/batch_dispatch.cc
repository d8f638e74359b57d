// Dispatching and steps (the dispatcher thread): input order restored,
// duplicate bodies dropped, steps chosen, filled and finished.
#include <algorithm>
#include <filesystem>
#include <utility>

#include "index/changesets.h"
#include "index/database_directory.h"
#include "index/xapian_errors.h"
#include "ingest/batch.h"

namespace tim::ingest {

namespace {

namespace fs = std::filesystem;

// A staged step rewrites the whole database when it merges; it pays when
// the step's input is at least 1/kStagedMinFraction of the database's size.
constexpr uint64_t kStagedMinFraction = 16;
// A database that keeps changesets (index/changesets.h) is written in place,
// so that replicas receive the step as a changeset, unless a whole copy of
// the staged database moves less: a changeset holds every block the step's
// flushes wrote, 231 MB for 7,895 corpus articles (23.7 MB of input) into a
// 242 MB database, about what a copy of the result moves.
constexpr uint64_t kStagedMinFractionWithChangesets = 10;
// Used to guess a step's size before any record has been read.
constexpr uint64_t kTypicalRecordBytes = 4096;
// Disk a staged step takes beyond the database's own size, per byte of
// input: the shards, then the merged database, both alive until the swap.
// Measured on the 2k corpus sample: 9.7 MB of JSON make a 10.9 MB
// database once compacted, and the uncompacted shards are larger.
constexpr uint64_t kStagingBytesPerInputByte = 3;

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

}  // namespace

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
  if (bodies_.Find(article, &original)) {
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

std::unique_ptr<Step> Batch::NewStep() {
  Xapian::doccount documents = 0;
  TranslateXapianErrors("reading " + db_path(), [&] {
    Xapian::Database snapshot(db_path());
    documents = snapshot.get_doccount();
    bodies_.StartStep(documents ? std::optional(std::move(snapshot))
                                : std::nullopt);
  });
  if (jobs_ > 1 && WorthStaging(documents) && CanSwap(db_path()) &&
      RoomToStage()) {
    return NewStagedStep(this, jobs_, documents);
  }
  return NewDirectStep(this);
}

uint64_t Batch::StepInputBytes() const {
  if (options_.commit_every == 0) {
    // The whole batch is the step. Standard input has no known size (0):
    // taken for a small daily batch.
    return input_total_;
  }
  const uint64_t records = records_seen_;
  const uint64_t per_record =
      records ? input_bytes_ / records : kTypicalRecordBytes;
  return options_.commit_every * std::max<uint64_t>(per_record, 1);
}

bool Batch::WorthStaging(Xapian::doccount main_documents) {
  if (main_documents == 0) return true;
  // A swapped-in database has a new UUID, which replicas copy whole.
  const uint64_t fraction =
      WritesChangesets() ? kStagedMinFractionWithChangesets : kStagedMinFraction;
  return StepInputBytes() * fraction >= DirectoryBytes(db_path());
}

// Staging holds the shards and the merged copy of the whole database until
// the swap, while a direct step grows the database in place. On a disk
// without room for the former, the latter is the one that can succeed; and
// Xapian 1.4.22 cannot be trusted to fail cleanly there: when a write
// fails with ENOSPC while a shard's commit flushes its postings, it calls
// std::terminate from inside WritableDatabase::commit() (seen in about half
// the runs on a full tmpfs) instead of throwing.
bool Batch::RoomToStage() const {
  std::error_code ec;
  const fs::space_info space = fs::space(StagingPath(db_path()).parent_path(), ec);
  if (ec) return true;  // unknown: staging reports its own errors
  const uint64_t needed =
      DirectoryBytes(db_path()) + kStagingBytesPerInputByte * StepInputBytes();
  return space.available >= needed;
}

void Batch::FinishStep() {
  if (!step_) return;
  if (step_->Finish()) ++commits_;
  step_.reset();
  bodies_.EndStep();  // the next step's snapshot holds them
}

}  // namespace tim::ingest
