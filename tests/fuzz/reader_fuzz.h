// reader_fuzz.h: the article reader on a file of fuzzed bytes, with bad
// records thrown and with them skipped (the first byte chooses).
#ifndef TIM_TESTS_FUZZ_READER_FUZZ_H_
#define TIM_TESTS_FUZZ_READER_FUZZ_H_

#include <cstdlib>

#include "base/utf8.h"
#include "fuzz_input.h"
#include "input/article_files.h"
#include "tim/error.h"

namespace tim::fuzz {

inline int ReadArticleFile(const uint8_t* data, size_t size, const std::string& name) {
  if (size == 0) return -1;
  const bool skip_bad = data[0] & 1;
  const std::string path = WriteInputFile(AsText(data + 1, size - 1), name);
  ReadOptions options;
  options.invalid_utf8 = (data[0] & 2) ? InvalidUtf8::kRepair : InvalidUtf8::kError;
  if (skip_bad) options.on_bad = [](const std::string&) {};
  try {
    ReadArticles(path, [](Article&& article, const RecordLocation&) {
      // What the reader passes on is valid UTF-8 with a body.
      if (article.body.empty() || !IsValidUtf8(article.body) ||
          !IsValidUtf8(article.id) || !IsValidUtf8(article.title)) {
        std::abort();
      }
    }, options);
  } catch (const Error&) {
    // A bad record or file is an answer, not a crash.
  }
  return 0;
}

}  // namespace tim::fuzz

#endif  // TIM_TESTS_FUZZ_READER_FUZZ_H_
