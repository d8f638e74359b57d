// corpus.h: streaming the shared news corpus (JSON Lines, optionally
// gzip-compressed) into benchmarks, one article at a time.
#ifndef TIM_BENCHMARKS_COMMON_CORPUS_H_
#define TIM_BENCHMARKS_COMMON_CORPUS_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "tim/article.h"

namespace tim::bench {

// The corpus file to use: `flag_value` if set, else $TIM_CORPUS (a file),
// else $TIM_CORPUS_DIR/vnnews.jsonl.gz, else ../shared/corpus/vnnews.jsonl.gz
// relative to the source tree or the working directory. nullopt if none
// exists.
std::optional<std::string> FindCorpus(const std::string& flag_value,
                                      const std::string& file_name = "vnnews.jsonl.gz");

// Calls `sink` for each article of `path` (.jsonl or .jsonl.gz), stopping
// after `limit` articles (0: all) or when `sink` returns false. Fields are
// read as they are (no normalization). Returns the number of articles read.
size_t ReadCorpus(const std::string& path, size_t limit,
                  const std::function<bool(const Article&)>& sink);

// Calls `sink` for the articles of `path` whose index (0-based, counting
// every article of the file) `keep` accepts. Others are not parsed, so a
// small sample costs little more than decompressing the file. Returns the
// number of articles in the file.
size_t ReadCorpusSample(const std::string& path,
                        const std::function<bool(size_t index)>& keep,
                        const std::function<void(const Article&)>& sink);

}  // namespace tim::bench

#endif  // TIM_BENCHMARKS_COMMON_CORPUS_H_
