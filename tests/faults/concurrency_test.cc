// Readers during writes: threads sharing one Searcher, a thread opening a
// fresh Searcher for every search and a thread running `tim search`
// processes search without a break while `tim ingest` (direct steps,
// staged batches) and `tim delete` run. No search fails, and the number of
// articles a query finds only ever moves by whole committed steps, in one
// direction. Then, commit by commit, a Searcher kept open (with and
// without Reopen) and a `tim search --batch -` process kept running see
// each commit as soon as it is made. Nothing here depends on timing: how
// many states the readers catch mid-way varies, what they may see does not.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "faults/fault_util.h"
#include "test_util.h"
#include "tim/searcher.h"

namespace tim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunTim;
using testing::SeedBatch;
using testing::TempDir;

constexpr char kMarker[] = "phienbanmoi";  // in every batch article's body

SearchRequest MarkerRequest() {
  SearchRequest request;
  request.query = kMarker;
  request.limit = 1;
  request.match = MatchMode::kAll;
  request.suggest_accents = false;
  return request;
}

// What one reader saw, in order.
struct ReadLog {
  std::string reader;
  std::vector<long> totals;
  std::vector<std::string> errors;
};

// Reads with `read` until `writing` is over, then once more.
void ReadWhile(const std::atomic<bool>& writing, const std::function<long()>& read,
               ReadLog* log) {
  bool last = false;
  while (!last) {
    last = !writing.load();
    try {
      log->totals.push_back(read());
    } catch (const std::exception& e) {
      log->errors.push_back(e.what());
    }
    // Leaves the writer some of the machine's cores (not a correctness need).
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

long ProcessSearch(const fs::path& db) {
  const auto result = RunTim({"search", "--db", db.string(), "--json", "--limit", "1",
                              "--match", "all", "--no-suggest", kMarker});
  if (result.exit_code != 0) throw std::runtime_error("tim search: " + result.err);
  return json::parse(result.out)["total"].get<long>();
}

// `tim search --batch -` kept running: a query line in, a JSON line out.
class BatchSearchProcess {
 public:
  explicit BatchSearchProcess(const fs::path& db) {
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      close(in[1]);
      close(out[0]);
      execl(TIM_BINARY, TIM_BINARY, "search", "--db", db.c_str(), "--batch", "-", "--limit",
            "1", "--match", "all", "--no-suggest", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    to_ = fdopen(in[1], "w");
    from_ = fdopen(out[0], "r");
  }
  ~BatchSearchProcess() {
    fclose(to_);
    fclose(from_);
    int status = 0;
    waitpid(pid_, &status, 0);
  }

  long Total(const std::string& query) {
    std::fprintf(to_, "%s\n", query.c_str());
    std::fflush(to_);
    char line[65536];
    if (!std::fgets(line, sizeof line, from_)) throw std::runtime_error("no answer");
    return json::parse(line)["total"].get<long>();
  }

 private:
  pid_t pid_ = -1;
  FILE* to_ = nullptr;
  FILE* from_ = nullptr;
};

class ConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(RunTim({"ingest", "--db", db().string(), testing::SeedsDir()}).exit_code, 0);
  }

  fs::path db() const { return dir_.path() / "db"; }

  void Run(const std::vector<std::string>& args) {
    const auto result = RunTim(args);
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }

  std::string WriteBatch(const std::string& name, size_t first, size_t count) {
    return dir_.Write(name, SeedBatch("art", first, count, 1500, kMarker));
  }

  // Runs `write` while the readers read, then checks what they saw: only
  // totals in `allowed`, each reader's in order (rising for ingests,
  // falling for deletes).
  void ReadDuring(const std::function<void()>& write, const std::set<long>& allowed,
                  bool rising) {
    const Searcher shared(db().string());
    std::atomic<bool> writing{true};
    std::vector<ReadLog> logs(4);
    logs[0].reader = logs[1].reader = "thread sharing a Searcher";
    logs[2].reader = "thread opening a Searcher each time";
    logs[3].reader = "tim search processes";
    const std::function<long()> reads[] = {
        [&] { return static_cast<long>(shared.Search(MarkerRequest()).total); },
        [&] { return static_cast<long>(shared.Search(MarkerRequest()).total); },
        [&] { return static_cast<long>(Searcher(db().string()).Search(MarkerRequest()).total); },
        [&] { return ProcessSearch(db()); }};
    std::vector<std::thread> readers;
    for (size_t i = 0; i < logs.size(); ++i) {
      readers.emplace_back([&, i] { ReadWhile(writing, reads[i], &logs[i]); });
    }
    write();
    writing = false;
    for (std::thread& reader : readers) reader.join();
    for (const ReadLog& log : logs) ExpectSaneReads(log, allowed, rising);
  }

  void ExpectSaneReads(const ReadLog& log, const std::set<long>& allowed, bool rising) {
    SCOPED_TRACE(log.reader);
    EXPECT_TRUE(log.errors.empty()) << log.errors.size() << " failed, first: " << log.errors[0];
    std::set<long> seen(log.totals.begin(), log.totals.end());
    for (long total : seen) EXPECT_TRUE(allowed.count(total)) << "half a batch: " << total;
    const bool ordered = rising ? std::is_sorted(log.totals.begin(), log.totals.end())
                                : std::is_sorted(log.totals.rbegin(), log.totals.rend());
    EXPECT_TRUE(ordered) << "a reader went back to an older state";
    EXPECT_EQ(log.totals.back(), rising ? *allowed.rbegin() : *allowed.begin());
    std::cout << log.reader << ": " << log.totals.size() << " searches, " << seen.size()
              << " states\n";
  }

  TempDir dir_;
};

std::set<long> Multiples(long step, long last) {
  std::set<long> totals;
  for (long total = 0; total <= last; total += step) totals.insert(total);
  return totals;
}

TEST_F(ConcurrencyTest, ReadersDuringADirectIngestSeeWholeSteps) {
  const std::string batch = WriteBatch("batch.jsonl", 0, 800);
  ReadDuring([&] {
    Run({"ingest", "--db", db().string(), "--jobs", "1", "--commit-every", "100", batch});
  }, Multiples(100, 800), /*rising=*/true);
}

TEST_F(ConcurrencyTest, ReadersDuringStagedIngestsSeeWholeBatches) {
  const std::string first = WriteBatch("first.jsonl", 0, 600);
  const std::string second = WriteBatch("second.jsonl", 600, 600);
  ReadDuring([&] {
    Run({"ingest", "--db", db().string(), "--jobs", "2", first});
    Run({"ingest", "--db", db().string(), "--jobs", "2", second});
  }, {0, 600, 1200}, /*rising=*/true);
  EXPECT_FALSE(fs::exists(dir_.path() / ".db.tim-staging"));
}

TEST_F(ConcurrencyTest, ReadersDuringDeletesSeeWholeDeletes) {
  Run({"ingest", "--db", db().string(), WriteBatch("batch.jsonl", 0, 400)});
  ReadDuring([&] {
    for (int round = 0; round < 8; ++round) {
      std::vector<std::string> args = {"delete", "--db", db().string()};
      for (int i = 0; i < 50; ++i) args.push_back("art-" + std::to_string(round * 50 + i));
      Run(args);
    }
  }, Multiples(50, 400), /*rising=*/false);
}

// Commit by commit: direct steps, a staged batch, deletes.
TEST_F(ConcurrencyTest, LongLivedReadersSeeEachCommit) {
  Searcher reopened(db().string());
  const Searcher never_reopened(db().string());
  BatchSearchProcess batch_process(db());
  long expected = 0;
  const auto expect_seen = [&](const std::string& after) {
    SCOPED_TRACE("after " + after);
    reopened.Reopen();
    EXPECT_EQ(static_cast<long>(reopened.Search(MarkerRequest()).total), expected);
    EXPECT_EQ(static_cast<long>(never_reopened.Search(MarkerRequest()).total), expected);
    EXPECT_EQ(batch_process.Total(kMarker), expected);
  };
  expect_seen("opening");
  // Each run commits one more step of 30 after the earlier, unchanged ones
  // (each a commit too). Two commits in a row give the version file the
  // inode it had before them on ext4: a Searcher that told commits apart
  // by that inode answered from the older commit.
  for (int k = 1; k <= 6; ++k) {
    const std::string part = dir_.Write("part.jsonl", SeedBatch("art", 0, 30 * k, 1500, kMarker));
    Run({"ingest", "--db", db().string(), "--jobs", "1", "--commit-every", "30", part});
    expected = 30 * k;
    expect_seen("direct step " + std::to_string(k));
  }
  Run({"ingest", "--db", db().string(), "--jobs", "2", WriteBatch("big.jsonl", 180, 600)});
  ASSERT_FALSE(fs::exists(dir_.path() / ".db.tim-staging"));
  expected = 780;
  expect_seen("a staged batch");
  Run({"delete", "--db", db().string(), "art-0", "art-100", "art-600"});
  expected = 777;
  expect_seen("a delete");
}

}  // namespace
}  // namespace tim
