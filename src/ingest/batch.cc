#include "ingest/batch.h"

#include <algorithm>
#include <thread>
#include <utility>

#include "base/hash.h"
#include "index/changesets.h"
#include "index/xapian_errors.h"
#include "ingest/dictionary_choice.h"
#include "ingest/ingest_pipeline.h"
#include "tim/error.h"

namespace tim {

namespace ingest {

namespace {

namespace fs = std::filesystem;

}  // namespace

Batch::Batch(const std::string& db_path, const IngestOptions& options, ShardRoute route)
    : options_(options),
      route_(route),
      jobs_(JobCount(options.jobs)),
      target_(db_path, options.changesets),
      changesets_(options.changesets ? *options.changesets
                                     : TranslateXapianErrors("reading " + db_path, [&] {
                                         return RecordedChangesets(target_.db());
                                       })),
      read_queue_(kQueuePerJob * jobs_),
      built_(kQueuePerJob * jobs_ * 2) {}

Batch::~Batch() = default;

void Batch::Fail(std::exception_ptr error) noexcept {
  {
    std::lock_guard lock(mutex_);
    if (!failure_) failure_ = error;
  }
  failed_ = true;
  memory_.Abort();
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

IngestReport Batch::Run(const std::vector<std::string>& paths) {
  for (const std::string& path : paths) {
    for (const std::string& file : ListArticleFiles(path)) {
      std::error_code ec;
      const uintmax_t size = file == kStdinPath ? 0 : fs::file_size(file, ec);
      if (!ec) input_total_ += size;
    }
  }
  dictionary_ = ChooseDictionary(main(), db_path(), paths, options_);
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
      built.article->memory = std::move(record->memory);
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

}  // namespace ingest

unsigned JobCount(unsigned requested) {
  if (requested > 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

unsigned ShardOf(std::string_view id, unsigned count) {
  return static_cast<unsigned>(Fnv1a(id) % count);
}

IngestReport RunIngest(const std::string& db_path,
                       const std::vector<std::string>& paths,
                       const IngestOptions& options, ShardRoute route) {
  return TranslateWriteErrors(db_path, "writing to " + db_path, [&] {
    ingest::Batch batch(db_path, options, route);
    try {
      return batch.Run(paths);
    } catch (...) {
      // A first ingest that fails leaves no empty database behind.
      batch.RemoveIfNewAndEmpty();
      throw;
    }
  });
}

}  // namespace tim
