#include "ingest/dictionary_choice.h"

#include <filesystem>
#include <system_error>

#include "index/document_builder.h"
#include "index/xapian_errors.h"
#include "input/article_files.h"
#include "tim/error.h"
#include "tim/json.h"

namespace tim::ingest {

namespace {

struct EnoughSamples {};

// The JSON of the first kTrainingSamples articles of the input, as they
// will be stored. Only regular files can be read twice: standard input, a
// FIFO or the pipe of `<(zcat x.jsonl.gz)` give none (read here, they would
// be empty, or block, when the real reading opens them again). Errors are
// left for the real reading to report.
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
      for (const std::string& file : ListArticleFiles(path)) {
        std::error_code ec;
        if (file != kStdinPath && std::filesystem::is_regular_file(file, ec)) {
          ReadArticles(file, sink, read);
        }
      }
    }
  } catch (const EnoughSamples&) {
  } catch (const Error&) {
  }
  return samples;
}

}  // namespace

std::shared_ptr<const StoredDataDictionary> ChooseDictionary(
    const Xapian::Database& db, const std::string& db_path,
    const std::vector<std::string>& paths, const IngestOptions& options) {
  TrainingSamples samples;
  auto existing = TranslateXapianErrors("reading " + db_path, [&] {
    auto dictionary = LoadDictionary(db);
    if (!dictionary) samples = SamplesFromDatabase(db);
    return dictionary;
  });
  if (existing) return existing;
  if (samples.size() < kMinTrainingSamples) samples = SamplesFromInput(paths, options);
  return TrainDictionary(samples);
}

}  // namespace tim::ingest
