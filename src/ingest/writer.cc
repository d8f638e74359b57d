#include "ingest/writer.h"

#include <exception>
#include <memory>
#include <utility>

#include "index/xapian_errors.h"
#include "ingest/add_decision.h"
#include "ingest/batch.h"

namespace tim::ingest {

namespace {

// Documents a staging shard takes between commits, for the same reason as
// TuneProcessForIngest's flush threshold, against the system time of
// writing the tables at every commit: on the whole corpus (69,895
// articles, 2 jobs, idle machine), 100 took 56-60 s wall and 101-109 s CPU
// (17-18 s of it system), 300 took 53-54 s and 95-98 s (8 s system) with
// 100 MB peak RSS, 1000 took 55 s and 100 s.
constexpr Xapian::doccount kShardCommitEvery = 300;
// Or once it took this much input: Xapian buffers a commit's postings and
// positions in memory, ~1 byte for every byte of text, so that 20 records
// of 15 MiB a shard held 700 MB between commits (hardening 7).
constexpr uint64_t kShardCommitBytes = 32ull << 20;

std::optional<StoredDataCompressor> CompressorFor(
    const std::shared_ptr<const StoredDataDictionary>& dictionary) {
  if (!dictionary) return std::nullopt;
  return std::optional<StoredDataCompressor>(std::in_place, dictionary);
}

}  // namespace

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
      uint64_t bytes_since_commit = 0;
      while (std::optional<PreparedArticle> article = queue_.Pop()) {
        if (!Write(*article) || !shard_) continue;
        bytes_since_commit += article->memory.bytes();
        if (++since_commit == kShardCommitEvery || bytes_since_commit >= kShardCommitBytes) {
          target_->commit();
          since_commit = 0;
          bytes_since_commit = 0;
        }
      }
      if (shard_ && !batch_->failed()) target_->commit();
    });
  } catch (...) {
    queue_.Abort();
    batch_->Fail(std::current_exception());
  }
}

void Writer::Compress(Xapian::Document* document) {
  if (compressor_) compressor_->Store(document);
}

bool Writer::Write(PreparedArticle& article) {
  const AddDecision in_target = DecideAdd(*target_, article);
  if (in_target.outcome == AddOutcome::kUnchanged) {
    batch_->Count(AddOutcome::kUnchanged);
    return false;
  }
  if (in_target.outcome == AddOutcome::kReplaced) {
    Compress(&article.document);
    target_->replace_document(in_target.existing, article.document);
    ++changes_;
    batch_->Count(AddOutcome::kReplaced);
    return true;
  }
  // The id is new to `target_`; a shard's base may hold it.
  const AddOutcome outcome =
      base_ ? DecideAdd(*base_, article).outcome : AddOutcome::kAdded;
  if (outcome == AddOutcome::kUnchanged) {
    batch_->Count(AddOutcome::kUnchanged);
    return false;
  }
  if (outcome == AddOutcome::kReplaced) superseded_.push_back(article.id_term);
  Compress(&article.document);
  target_->add_document(article.document);
  ++written_;
  ++changes_;
  batch_->Count(outcome);
  return true;
}

}  // namespace tim::ingest
