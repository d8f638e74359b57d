// article_files.h: reads articles from the files users give to `tim ingest`.
//
// Formats, by name, else by content:
//  - seed text (*.txt, *.txt.gz, and a file of another name whose first
//    character that is not blank is not "{"): the whole file
//    is one article; id = file name without extension. The first line may
//    begin with optional whitespace and "date YYYY[-MM[-DD]]", after which
//    the article text continues on the same line. A UTF-8 BOM is dropped,
//    CRLF becomes LF and the body is trimmed; the title is left empty.
//  - JSON Lines (*.jsonl, *.jsonl.gz, "-" for standard input, and a file
//    of another name, such as the pipe of `<(zcat x.jsonl.gz)`, that starts
//    with "{" after blanks): one object
//    per line with string fields id, url, title, source, date, category,
//    body (only body is required; id defaults to "<file stem>:<line>", the
//    stem of standard input being "stdin"). Blank lines are skipped.
//    Unknown fields are kept in Article::extra_fields. HTML entities left by
//    crawlers ("NN&amp;PTNT", "&nbsp;", "&#39;") are decoded in title,
//    source, category and body, which are trimmed. Lines over 16 MiB are
//    refused, so memory stays bounded.
// Any input may be gzip-compressed: it is recognized by its content, not its
// name. Each input is read once, from its start, so a pipe or a FIFO works
// like a file. Directories are recursed in sorted order, reading *.txt, *.jsonl and
// their .gz forms and skipping hidden entries; a file named explicitly is
// read whatever its extension.
#ifndef TIM_SRC_INPUT_ARTICLE_FILES_H_
#define TIM_SRC_INPUT_ARTICLE_FILES_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tim/article.h"
#include "tim/index_writer.h"

namespace tim {

// Where a record came from, for error messages ("seeds/x.txt:1").
struct RecordLocation {
  std::string file;
  size_t line = 0;  // 1-based line where the record starts
  std::string ToString() const { return file + ":" + std::to_string(line); }
};

// Receives one article at a time, so a batch is never held whole.
using ArticleSink =
    std::function<void(Article&& article, const RecordLocation& where)>;

// Called for a malformed record when the caller chose to skip bad records;
// `message` is one line, "file:line: what is wrong".
using BadRecordHandler = std::function<void(const std::string& message)>;

// The path that stands for standard input, and its name in messages.
inline constexpr char kStdinPath[] = "-";
inline constexpr char kStdinName[] = "<stdin>";

struct ReadOptions {
  // What to do with a record that is not valid UTF-8 (see InvalidUtf8).
  InvalidUtf8 invalid_utf8 = InvalidUtf8::kError;
  // Malformed records go here instead of being thrown, if set.
  BadRecordHandler on_bad;
  // Records dropped by the invalid_utf8 policy (kSkip) go here.
  BadRecordHandler on_skip;
  // Notes that drop nothing: "x.jsonl:3: invalid UTF-8 ... (repaired...)".
  std::function<void(const std::string& message)> on_warning;
  // Bytes of input consumed (as stored: compressed for .gz) since the last
  // call, for progress reports.
  std::function<void(uint64_t bytes)> on_input_bytes;
};

// The files ReadArticles reads for `path`, in order: `path` itself, the
// article files under a directory, or "-". Throws Error(kNotFound/kIo).
std::vector<std::string> ListArticleFiles(const std::string& path);

// Reads every article under `path` (file, directory or "-") into `sink`.
// Text is returned as read (validated as UTF-8, not normalized). Throws
// Error(kNotFound/kIo) for a missing or unreadable path, and
// Error(kInvalidInput) naming file and line for invalid UTF-8 (under
// InvalidUtf8::kError), a malformed JSON line, a missing or empty body, a
// field of the wrong type, a bad date (in JSON or a seed header), an empty
// seed file, a binary file or corrupt compressed data -- unless
// `options.on_bad` is set, in which case the record is reported there and
// skipped (a bad JSON line skips that line, a bad seed file that file, a
// binary file the whole file; corrupt compressed data always throws).
// Problems with a whole file carry no line: "x.txt: empty article (no
// text)", "x.txt: binary file, not text". Exceptions thrown by `sink`
// propagate.
void ReadArticles(const std::string& path, const ArticleSink& sink,
                  const ReadOptions& options);
// The same with default options but `on_bad`.
void ReadArticles(const std::string& path, const ArticleSink& sink,
                  const BadRecordHandler& on_bad = nullptr);

}  // namespace tim

#endif  // TIM_SRC_INPUT_ARTICLE_FILES_H_
