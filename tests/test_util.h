// test_util.h: fixtures shared by the tests: temporary directories, the
// seed articles, the corpus sample and running the real `tim` binary.
#ifndef TIM_TESTS_TEST_UTIL_H_
#define TIM_TESTS_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tim/article.h"

namespace tim::testing {

// A fresh directory, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `contents` to path()/name and returns the full path.
  std::string Write(const std::string& name, const std::string& contents) const;

 private:
  std::filesystem::path path_;
};

// An article with just an id and a body.
inline Article MakeArticle(const std::string& id, const std::string& body) {
  Article article;
  article.id = id;
  article.body = body;
  return article;
}

// The number of code points of UTF-8 `s`, counted here rather than by the
// library under test.
inline size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// The five seed articles shipped in seeds/.
std::string SeedsDir();
std::string ReadFile(const std::string& path);

// The corpus sample (sample-2k.jsonl): $TIM_CORPUS_DIR, else ../shared/corpus
// beside the source tree. nullopt when absent (a fresh clone has none).
std::optional<std::string> CorpusSamplePath();
inline constexpr char kNoCorpusMessage[] =
    "corpus sample not found (set TIM_CORPUS_DIR to the directory holding "
    "sample-2k.jsonl; CI has it at ../shared/corpus)";

// The corpus sample ingested into a database, built once per test binary
// and reused by every corpus test; returns its path.
std::string CachedSampleDatabase(const std::string& sample);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `binary` with `args` (no shell involved), stdin from /dev/null.
CommandResult RunProgram(const std::string& binary,
                         const std::vector<std::string>& args);

// Runs the tim binary.
inline CommandResult RunTim(const std::vector<std::string>& args) {
  return RunProgram(TIM_BINARY, args);
}

// A program running in the background (the `tim` binary unless `program`
// names another), its output in files of `dir`; killed on destruction if
// it still runs.
class Child {
 public:
  // With `pipe_stdin`, the child's standard input is a pipe written through
  // WriteInput() and closed by CloseInput(); else it is `stdin_path`.
  Child(const std::vector<std::string>& args, const TempDir& dir, bool pipe_stdin,
        const std::string& stdin_path = "/dev/null", const std::string& program = TIM_BINARY);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  bool Running();
  void WriteInput(const std::string& text);
  void CloseInput();
  // The raw wait status.
  int Wait();
  std::string out() const { return ReadFile(out_); }
  std::string err() const { return ReadFile(err_); }

 private:
  pid_t pid_ = -1;
  int input_ = -1;
  int status_ = -1;
  std::string out_, err_;
};

// Polls `condition` every 10 ms until it holds or `child` ends; a hung
// test fails after a generous bound rather than waiting forever.
template <typename Condition>
bool WaitUntil(Child& child, Condition condition) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (std::chrono::steady_clock::now() < give_up) {
    if (condition()) return true;
    if (!child.Running()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ADD_FAILURE() << "condition never held";
  return false;
}

// A loopback port nothing listens on now.
int FreePort();
// True if something accepts connections on loopback `port`.
bool Accepts(int port);

// The lines of `text`, sorted: output that may come in any order.
std::vector<std::string> SortedLines(const std::string& text);

// `count` articles of a couple of kilobytes made of the seed texts, as JSON
// Lines, each with its own id ("art-N", N from `first`) and body.
std::string SyntheticBatch(size_t count, size_t first = 0);

// Every id term of the database at `db_path` names exactly one article
// (gtest expectations).
void ExpectNoDuplicateIds(const std::string& db_path);

}  // namespace tim::testing

#endif  // TIM_TESTS_TEST_UTIL_H_
