// `tim ingest` and `tim delete` as separate processes: the lock held by a
// running writer, SIGKILL in the middle of a batch, standard input, deleting
// and the report's JSON fields.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <xapian.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "fixtures.h"
#include "test_util.h"
#include "tim/searcher.h"

namespace tim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunTim;
using testing::ExpectNoDuplicateIds;
using testing::TempDir;

// A `tim` process running in the background, its output in files.
class Child {
 public:
  // With `pipe_stdin`, the child's standard input is a pipe written through
  // WriteInput() and closed by CloseInput(); else it is `stdin_path`.
  Child(const std::vector<std::string>& args, const TempDir& dir,
        bool pipe_stdin, const std::string& stdin_path = "/dev/null") {
    const std::string out = (dir.path() / "child.out").string();
    const std::string err = (dir.path() / "child.err").string();
    int fds[2] = {-1, -1};
    if (pipe_stdin && pipe(fds) != 0) ADD_FAILURE() << "pipe failed";
    std::vector<std::string> copies = args;
    std::string binary = TIM_BINARY;
    std::vector<char*> argv{binary.data()};
    for (std::string& arg : copies) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      const int in = pipe_stdin ? fds[0] : open(stdin_path.c_str(), O_RDONLY);
      dup2(in, 0);
      dup2(open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), 1);
      dup2(open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), 2);
      if (pipe_stdin) close(fds[1]);
      execv(argv[0], argv.data());
      _exit(127);
    }
    if (pipe_stdin) {
      close(fds[0]);
      input_ = fds[1];
    }
    out_ = out;
    err_ = err;
  }
  ~Child() {
    CloseInput();
    if (pid_ > 0 && status_ < 0) {
      kill(pid_, SIGKILL);
      Wait();
    }
  }

  pid_t pid() const { return pid_; }
  bool Running() {
    if (status_ >= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) status_ = status;
    return status_ < 0;
  }
  void WriteInput(const std::string& text) {
    ASSERT_EQ(write(input_, text.data(), text.size()),
              static_cast<ssize_t>(text.size()));
  }
  void CloseInput() {
    if (input_ >= 0) close(input_);
    input_ = -1;
  }
  // The raw wait status.
  int Wait() {
    if (status_ < 0) waitpid(pid_, &status_, 0);
    return status_;
  }
  std::string out() const { return testing::ReadFile(out_); }
  std::string err() const { return testing::ReadFile(err_); }

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

// True if some process holds a write lock on the database (without taking
// it: Xapian locks the flintlock file with fcntl).
bool WriteLocked(const std::string& db) {
  const int fd = open((fs::path(db) / "flintlock").c_str(), O_RDWR);
  if (fd < 0) return false;
  struct flock lock = {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  const bool locked = fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
  close(fd);
  return locked;
}

uint64_t DocumentCount(const std::string& db) {
  return Xapian::Database(db).get_doccount();
}

// xapian-check (xapian-tools) finds nothing wrong with the database.
void ExpectXapianCheckPasses(const std::string& db) {
  if (!fs::exists("/usr/bin/xapian-check")) {
    GTEST_SKIP() << "xapian-check not installed (Debian package xapian-tools)";
  }
  const std::string command = "/usr/bin/xapian-check '" + db + "' >/dev/null 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

// `count` articles of a couple of kilobytes made of the seed texts, each
// with its own id and body.
std::string SyntheticBatch(size_t count) {
  std::vector<std::string> texts;
  for (const auto& entry : fs::directory_iterator(testing::SeedsDir())) {
    texts.push_back(testing::ReadFile(entry.path().string()).substr(0, 2000));
  }
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    json line = {{"id", "art-" + std::to_string(i)},
                 {"body", "Bản tin số " + std::to_string(i) + ". " + texts[i % texts.size()]}};
    out += line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  }
  return out;
}

class IngestCliTest : public testing::DatabaseTest {
 protected:
  std::string Staging() const { return (dir_.path() / ".db.tim-staging").string(); }
};

TEST_F(IngestCliTest, SecondWriterIsToldTheDatabaseIsLockedAtOnce) {
  Child first({"ingest", "--db", db(), "-"}, dir_, /*pipe_stdin=*/true);
  ASSERT_TRUE(WaitUntil(first, [&] { return WriteLocked(db()); })) << first.err();

  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"ingest", "--db", db(), testing::SeedsDir()},
        std::vector<std::string>{"delete", "--db", db(), "x"}}) {
    const auto result = RunTim(args);
    EXPECT_EQ(result.exit_code, 1) << args[0];
    EXPECT_NE(result.err.find("locked by another writer"), std::string::npos)
        << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  }

  first.WriteInput(R"({"id":"x","body":"Một bài từ stdin."})" "\n");
  first.CloseInput();
  const int status = first.Wait();
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << first.err();
  EXPECT_NE(first.out().find("added 1,"), std::string::npos) << first.out();
  EXPECT_EQ(DocumentCount(db()), 1u);
}

TEST_F(IngestCliTest, KilledBetweenStepsKeepsWholeStepsAndResumes) {
  constexpr size_t kArticles = 3000, kStep = 500;
  const std::string batch = dir_.Write("batch.jsonl", SyntheticBatch(kArticles));
  {
    Child child({"ingest", "--db", db(), "--commit-every", std::to_string(kStep), batch},
                dir_, /*pipe_stdin=*/false);
    const bool mid_way = WaitUntil(child, [&] {
      return fs::exists(fs::path(db()) / "iamglass") && DocumentCount(db()) > 0;
    });
    kill(child.pid(), SIGKILL);
    child.Wait();
    if (!mid_way) std::cerr << "note: ingest finished before it could be killed\n";
  }
  const uint64_t kept = DocumentCount(db());
  EXPECT_EQ(kept % kStep, 0u) << "a step was half committed";
  ExpectXapianCheckPasses(db());

  const auto again = RunTim({"ingest", "--db", db(), "--json",
                             "--commit-every", std::to_string(kStep), batch});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const json report = json::parse(again.out);
  EXPECT_EQ(report["unchanged"], kept);
  EXPECT_EQ(report["added"], kArticles - kept);
  EXPECT_EQ(DocumentCount(db()), kArticles);
  ExpectNoDuplicateIds(db());
  ExpectXapianCheckPasses(db());
}

TEST_F(IngestCliTest, KilledWhileBuildingShardsLeavesTheDatabaseAsItWas) {
  ASSERT_EQ(RunTim({"ingest", "--db", db(), testing::SeedsDir()}).exit_code, 0);
  const std::string batch = dir_.Write("batch.jsonl", SyntheticBatch(3000));
  {
    Child child({"ingest", "--db", db(), "--jobs", "2", batch}, dir_,
                /*pipe_stdin=*/false);
    // Kill once a shard has committed part of its documents.
    const fs::path shard = fs::path(Staging()) / "shard0" / "iamglass";
    const bool mid_way = WaitUntil(child, [&] {
      std::error_code ec;
      return fs::exists(shard, ec) &&
             fs::file_size(fs::path(Staging()) / "shard0" / "postlist.glass", ec) > 0;
    });
    kill(child.pid(), SIGKILL);
    child.Wait();
    if (!mid_way) std::cerr << "note: ingest finished before it could be killed\n";
    if (!mid_way) GTEST_SKIP() << "too fast to interrupt";
  }
  EXPECT_EQ(DocumentCount(db()), 5u);
  ExpectXapianCheckPasses(db());

  const auto again = RunTim({"ingest", "--db", db(), "--json", batch});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)["added"], 3000);
  EXPECT_EQ(DocumentCount(db()), 3005u);
  EXPECT_FALSE(fs::exists(Staging()));
  ExpectNoDuplicateIds(db());
}

TEST_F(IngestCliTest, StandardInputAndTheJsonReport) {
  const std::string input = dir_.Write(
      "in.jsonl", R"({"id":"a","body":"Giá vàng tăng."})" "\n"
                  R"({"id":"b","body":"Giá  vàng tăng."})" "\n{bad\n");
  Child child({"ingest", "--db", db(), "--json", "--skip-bad", "-"}, dir_,
              /*pipe_stdin=*/false, input);
  const int status = child.Wait();
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << child.err();
  EXPECT_EQ(child.err(), "");  // no progress display in a pipe
  const json report = json::parse(child.out());
  for (const char* field :
       {"added", "replaced", "unchanged", "duplicates", "skipped", "errors", "records",
        "commits", "input_bytes", "warnings", "warnings_omitted", "elapsed_seconds",
        "docs_per_second", "mb_per_second"}) {
    EXPECT_TRUE(report.contains(field)) << field;
  }
  EXPECT_EQ(report["added"], 2);
  EXPECT_EQ(report["duplicates"], 1);
  EXPECT_EQ(report["errors"], 1);
  EXPECT_EQ(report["skipped"], 1);
  EXPECT_EQ(report["records"], 3);
  ASSERT_EQ(report["warnings"].size(), 2u);  // in input order
  EXPECT_EQ(report["warnings"][0], "<stdin>:2: same body as article 'a'");
  EXPECT_TRUE(report["warnings"][1].get<std::string>().starts_with(
      "<stdin>:3: malformed JSON: "))
      << report["warnings"][1];
}

TEST_F(IngestCliTest, HumanSummaryAndWarningsOnStderr) {
  const std::string file = dir_.Write("x.jsonl", "{\"id\":\"a\",\"body\":\"H\xe0\"}\n");
  const auto result = RunTim({"ingest", "--db", db(), "--invalid-utf8=repair", file});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(result.out.starts_with(
      "added 1, replaced 0, unchanged 0, duplicates 0, skipped 0, errors 0 in "))
      << result.out;
  EXPECT_NE(result.out.find(" docs/s, "), std::string::npos) << result.out;
  EXPECT_TRUE(result.err.starts_with("tim: warning: " + file + ":1: invalid UTF-8"))
      << result.err;
  const auto wrong = RunTim({"ingest", "--db", db(), "--invalid-utf8=fix", file});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("--invalid-utf8: invalid UTF-8 handling must be error, skip or repair"), std::string::npos)
      << wrong.err;
}

TEST_F(IngestCliTest, DeleteRemovesAtOnceAndNamesUnknownIds) {
  ASSERT_EQ(RunTim({"ingest", "--db", db(), testing::SeedsDir()}).exit_code, 0);
  const auto result =
      RunTim({"delete", "--db", db(), "003_f2d66ba1e9ee483f", "no-such-id"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "deleted 1, not found 1\n");
  EXPECT_EQ(result.err, "tim: error: no article with id 'no-such-id' in " + db() + "\n");
  const auto stats = RunTim({"stats", "--db", db(), "--json"});
  EXPECT_EQ(json::parse(stats.out)["documents"], 4);

  const auto lenient = RunTim({"delete", "--db", db(), "--missing-ok", "--json",
                               "000_ffa5402f6aae78c4", "003_f2d66ba1e9ee483f"});
  EXPECT_EQ(lenient.exit_code, 0) << lenient.err;
  EXPECT_EQ(json::parse(lenient.out),
            json::parse(R"({"deleted":["000_ffa5402f6aae78c4"],)"
                        R"("not_found":["003_f2d66ba1e9ee483f"]})"));
  EXPECT_EQ(DocumentCount(db()), 3u);

  const std::string missing = (dir_.path() / "typo").string();
  const auto nodb = RunTim({"delete", "--db", missing, "x"});
  EXPECT_EQ(nodb.exit_code, 1);
  EXPECT_FALSE(fs::exists(missing));
}

}  // namespace
}  // namespace tim
