// Reading a batch's input (the calling thread).
#include <utility>

#include "ingest/batch.h"

namespace tim::ingest {

namespace {

// What an article's text takes in memory as read.
uint64_t ArticleBytes(const Article& article) {
  uint64_t bytes = article.id.size() + article.url.size() + article.title.size() +
                   article.source.size() + article.category.size() + article.body.size();
  for (const auto& [name, value] : article.extra_fields) bytes += name.size() + value.size();
  return bytes;
}

}  // namespace

void Batch::Read(const std::vector<std::string>& paths) {
  ReadOptions read;
  read.invalid_utf8 = options_.invalid_utf8;
  // Every shard reads the whole input; the first reports what is wrong
  // with it.
  const bool reports = route_.index == 0;
  const BadRecordHandler skip = [this, reports](const std::string& message) {
    if (!reports) return;
    ++records_read_;
    Record record;
    record.bad = message;
    Push(std::move(record));
  };
  if (options_.skip_bad_records) read.on_bad = skip;
  read.on_skip = skip;
  read.on_warning = [this, reports](const std::string& message) {
    if (!reports) return;
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
  if (route_.count > 1 && ShardOf(article.id, route_.count) != route_.index) return;
  ++records_read_;
  Record record;
  record.memory = memory_.Take(ArticleBytes(article));
  if (failed()) throw Stopped{};
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

}  // namespace tim::ingest
