#include "input/article_files.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "base/utf8.h"
#include "input/format_readers.h"
#include "input/input_stream.h"
#include "input/record_context.h"
#include "tim/error.h"

namespace tim {

namespace {

namespace fs = std::filesystem;
using input::Context;
using input::LineReader;

enum class Format { kSeedText, kJsonLines };

// The format a name says: "-", *.jsonl and *.txt (either maybe .gz).
std::optional<Format> FormatOfName(const std::string& path) {
  if (path == kStdinPath) return Format::kJsonLines;
  const std::string_view base = input::WithoutGz(path);
  if (base.ends_with(".jsonl")) return Format::kJsonLines;
  if (base.ends_with(".txt")) return Format::kSeedText;
  return std::nullopt;
}

// The format of an input whose name does not say (a pipe such as
// <(zcat x.jsonl.gz), a .ndjson file): JSON Lines when its first byte that
// is not blank is "{", which no article's prose starts with, or when its
// first 64 KiB are blank (a seed text would be empty); seed text otherwise.
Format FormatOfContent(LineReader& reader) {
  std::string_view start = reader.Peek();
  const bool more_may_follow = start.size() == LineReader::kBufferSize;
  if (start.starts_with(kBom)) start.remove_prefix(3);
  const size_t first = start.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return more_may_follow ? Format::kJsonLines : Format::kSeedText;
  }
  return start[first] == '{' ? Format::kJsonLines : Format::kSeedText;
}

// True for the files a directory walk reads.
bool IsArticleFileName(const std::string& name) {
  return FormatOfName(name).has_value();
}

// Reads `path` once, from its start: a pipe or a FIFO cannot be read twice.
void ReadFile(const std::string& path, const Context& context) {
  input::Input input(path, context.options);
  LineReader reader(&input);
  const std::optional<Format> named = FormatOfName(path);
  if ((named ? *named : FormatOfContent(reader)) == Format::kJsonLines) {
    input::ReadJsonLinesFile(reader, context);
  } else {
    input::ReadSeedFile(reader, context);
  }
}

// Appends the article files under `dir` to *files, in sorted order.
void CollectDirectory(const fs::path& dir, std::set<fs::path>* visited,
                      std::vector<std::string>* files) {
  std::error_code ec;
  // A symbolic link may lead back up the tree; read each directory once.
  const fs::path canonical = fs::canonical(dir, ec);
  if (!ec && !visited->insert(canonical).second) return;

  std::vector<fs::path> entries;
  fs::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.empty() && name[0] != '.') entries.push_back(it->path());
  }
  if (ec) input::ThrowIoError(dir.string(), ec.value());
  std::sort(entries.begin(), entries.end());

  for (const fs::path& entry : entries) {
    const fs::file_status status = fs::status(entry, ec);
    if (fs::is_directory(status)) {
      CollectDirectory(entry, visited, files);
    } else if (fs::is_regular_file(status) &&
               IsArticleFileName(entry.filename().string())) {
      files->push_back(entry.string());
    }
  }
}

}  // namespace

std::vector<std::string> ListArticleFiles(const std::string& path) {
  if (path == kStdinPath) return {path};
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) {
    throw Error(ErrorCode::kNotFound, "no such file or directory: " + path);
  }
  if (ec) input::ThrowIoError(path, ec.value());
  std::vector<std::string> files;
  if (fs::is_directory(status)) {
    std::set<fs::path> visited;
    CollectDirectory(path, &visited, &files);
  } else {
    files.push_back(path);
  }
  return files;
}

void ReadArticles(const std::string& path, const ArticleSink& sink,
                  const ReadOptions& options) {
  const Context context{sink, options};
  for (const std::string& file : ListArticleFiles(path)) {
    ReadFile(file, context);
  }
}

void ReadArticles(const std::string& path, const ArticleSink& sink,
                  const BadRecordHandler& on_bad) {
  ReadOptions options;
  options.on_bad = on_bad;
  ReadArticles(path, sink, options);
}

}  // namespace tim
