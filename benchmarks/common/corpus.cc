#include "corpus.h"

#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "tim/json.h"

namespace tim::bench {

namespace {

namespace fs = std::filesystem;

bool IsBlank(const std::string& line) {
  return line.find_first_not_of(" \r\n\t") == std::string::npos;
}

// Calls `fn` with each line of `path` (gzip or plain) until it returns
// false.
void ForEachLine(const std::string& path, const std::function<bool(const std::string&)>& fn) {
  // gzopen reads plain files too, so one reader serves .jsonl and .jsonl.gz.
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) throw std::runtime_error("cannot open corpus " + path);
  gzbuffer(file, 1 << 20);
  std::string line;
  char buffer[1 << 16];
  bool more = true;
  while (more) {
    line.clear();
    while (true) {
      if (!gzgets(file, buffer, sizeof buffer)) {
        more = false;
        break;
      }
      line += buffer;
      if (!line.empty() && line.back() == '\n') break;
    }
    if (!fn(line)) break;
  }
  gzclose(file);
}

}  // namespace

std::optional<std::string> FindCorpus(const std::string& flag_value,
                                      const std::string& file_name) {
  std::vector<fs::path> candidates;
  if (!flag_value.empty()) return flag_value;
  if (const char* file = std::getenv("TIM_CORPUS")) return std::string(file);
  if (const char* dir = std::getenv("TIM_CORPUS_DIR")) candidates.push_back(fs::path(dir) / file_name);
#ifdef TIM_SOURCE_DIR
  candidates.push_back(fs::path(TIM_SOURCE_DIR) / ".." / "shared" / "corpus" / file_name);
#endif
  candidates.push_back(fs::path("..") / "shared" / "corpus" / file_name);
  for (const fs::path& candidate : candidates) {
    if (fs::exists(candidate)) return candidate.string();
  }
  return std::nullopt;
}

size_t ReadCorpus(const std::string& path, size_t limit,
                  const std::function<bool(const Article&)>& sink) {
  size_t count = 0;
  ForEachLine(path, [&](const std::string& line) {
    if (IsBlank(line)) return true;
    const Article article = ArticleFromJson(line);
    ++count;
    return sink(article) && (limit == 0 || count < limit);
  });
  return count;
}

size_t ReadCorpusSample(const std::string& path,
                        const std::function<bool(size_t index)>& keep,
                        const std::function<void(const Article&)>& sink) {
  size_t count = 0;
  ForEachLine(path, [&](const std::string& line) {
    if (IsBlank(line)) return true;
    if (keep(count++)) sink(ArticleFromJson(line));
    return true;
  });
  return count;
}

}  // namespace tim::bench
