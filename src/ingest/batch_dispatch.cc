// Dispatching and steps (the dispatcher thread): input order restored,
// duplicate bodies dropped, steps chosen, filled and finished.
#include <algorithm>
#include <filesystem>
#include <utility>

#include "index/database_directory.h"
#include "index/xapian_errors.h"
#include "ingest/batch.h"

namespace tim::ingest {

namespace {

namespace fs = std::filesystem;

// A staged step rewrites the whole database when it merges; it pays when
// the step's input is at least 1/kStagedMinFraction of the database's size.
constexpr uint64_t kStagedMinFraction = 16;
// Used to guess a step's size before any record has been read.
constexpr uint64_t kTypicalRecordBytes = 4096;

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
  if (jobs_ > 1 && WorthStaging(documents) && CanSwap(db_path())) {
    return NewStagedStep(this, jobs_, documents);
  }
  return NewDirectStep(this);
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
  return step_bytes * kStagedMinFraction >= DirectoryBytes(db_path());
}

void Batch::FinishStep() {
  if (!step_) return;
  if (step_->Finish()) ++commits_;
  step_.reset();
  bodies_.EndStep();  // the next step's snapshot holds them
}

}  // namespace tim::ingest
