// record_context.h: what a reader does with a record: the caller's sink
// and choices (skip or throw on bad records, the invalid-UTF-8 policy).
// Internal to src/input.
#ifndef TIM_SRC_INPUT_RECORD_CONTEXT_H_
#define TIM_SRC_INPUT_RECORD_CONTEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "base/utf8.h"
#include "input/article_files.h"

namespace tim::input {

// Calls `on_bad`, or throws Error(kInvalidInput) when the caller did not
// ask to skip bad records.
void ReportBad(const BadRecordHandler& on_bad, const std::string& message);

// "file:12: invalid UTF-8 at byte 7" for a bad byte at `offset` in `text`,
// which starts on line `first_line`.
std::string Utf8ErrorMessage(const std::string& file, std::string_view text,
                             size_t offset, size_t first_line);

// Replaces each ill-formed sequence of `text` with U+FFFD; returns how many
// were replaced.
size_t RepairUtf8(std::string* text);

struct Context {
  const ArticleSink& sink;
  const ReadOptions& options;

  // Calls on_bad, or throws when the caller did not ask to skip bad records.
  void Bad(const std::string& message) const {
    ReportBad(options.on_bad, message);
  }
  void Warn(const std::string& message) const {
    if (options.on_warning) options.on_warning(message);
  }

  // Applies the invalid-UTF-8 policy to `text` (which starts on line
  // `first_line` of `file`). Returns false if the record must be dropped
  // (after reporting it); true if it may go on, repaired if need be.
  bool CheckUtf8(const std::string& file, std::string* text,
                 size_t first_line) const {
    size_t offset = 0;
    if (IsValidUtf8(*text, &offset)) return true;
    const std::string message =
        Utf8ErrorMessage(file, *text, offset, first_line);
    switch (options.invalid_utf8) {
      case InvalidUtf8::kError:
        Bad(message);
        return false;
      case InvalidUtf8::kSkip:
        if (options.on_skip) options.on_skip(message + " (skipped)");
        return false;
      case InvalidUtf8::kRepair: {
        const size_t n = RepairUtf8(text);
        Warn(message + " (repaired: " + std::to_string(n) +
             (n == 1 ? " sequence" : " sequences") + " replaced by U+FFFD)");
        return true;
      }
    }
    return false;
  }
};

}  // namespace tim::input

#endif  // TIM_SRC_INPUT_RECORD_CONTEXT_H_
