// SIGKILL at chosen points of every write path of the real `tim` binary:
// a direct commit, --commit-every, a staged build into a new database and
// into an existing one, the compaction that merges it, the directory swap
// and `tim delete`. The fault injector (fault_injector.cc) kills tim at
// the Nth file-system change of a phase (a block write, an fsync, a
// rename...), N drawn from a fixed seed, before or after that change.
// After each kill the database opens, passes xapian-check and holds a
// state a reader may see (the old one, the new one, or whole steps), and
// re-running the command finishes the job: the right count, no duplicate
// ids, no staging directory left, the user's files in the database
// directory untouched.
//
// TIM_FAULT_SEED=N picks other kill points (the seed is printed).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "faults/fault_util.h"
#include "test_util.h"

namespace tim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ArticleCount;
using testing::CommandResult;
using testing::RunTim;
using testing::SeedBatch;
using testing::TempDir;

constexpr int kKilledExit = 128 + 9;  // RunProgram's code for SIGKILL
constexpr char kNewBodyWord[] = "phienbanmoi";

// A write path to kill, as paths relative to a work directory that holds
// the database ("db") and its inputs: "@x" in an argument is WORK/x.
struct KillPlan {
  std::vector<std::string> command;
  std::string match;      // events holding WORK + match count
  std::string arm;        // if set, counting starts after such an event
  int kills = 0;
  // What the database may hold after a kill (or a run that finished).
  std::function<void(const fs::path& db)> expect_possible_state;
  std::vector<std::string> rerun;  // finishes the job after a kill
  uint64_t final_count = 0;
  // Checks of the rerun's output, given the count the kill left.
  std::function<void(const CommandResult& rerun, uint64_t left)> expect_rerun;
};

std::vector<std::string> InWork(const std::vector<std::string>& args, const fs::path& work) {
  std::vector<std::string> out;
  for (const std::string& arg : args) {
    out.push_back(arg.rfind('@', 0) == 0 ? (work / arg.substr(1)).string() : arg);
  }
  return out;
}

uint64_t NameSeed(const std::string& name) {
  uint64_t seed = 12;
  if (const char* chosen = std::getenv("TIM_FAULT_SEED")) seed = std::strtoull(chosen, nullptr, 10);
  for (const char c : name) seed = (seed ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return seed;
}

bool IsXapianFile(const fs::path& file) {
  const std::string name = file.filename().string();
  return name == "iamglass" || name == "flintlock" || file.extension() == ".glass";
}

// The regular files a user keeps in the database directory, by name.
std::vector<std::pair<fs::path, std::string>> UserFiles(const fs::path& db) {
  std::vector<std::pair<fs::path, std::string>> files;
  for (const auto& entry : fs::recursive_directory_iterator(db)) {
    const fs::path relative = fs::relative(entry.path(), db);
    if (entry.is_regular_file() && !IsXapianFile(relative)) {
      files.emplace_back(relative, testing::ReadFile(entry.path().string()));
    }
  }
  return files;
}

class KillTest : public ::testing::Test {
 protected:
  fs::path base_db() const { return base_.path() / "db"; }

  // The state before the command: a database of the seeds (unless
  // `seeds` is false: a new database), with a user's README (and, in an
  // existing database, a notes folder) beside Xapian's files.
  void MakeBase(bool seeds) {
    if (seeds) {
      ASSERT_EQ(RunTim({"ingest", "--db", base_db().string(), testing::SeedsDir()}).exit_code, 0);
      base_.Write("db/notes/todo.txt", "kiểm tra chỉ mục\n");
    }
    base_.Write("db/README.md", "Chỉ mục tin tức của dự án.\n");
  }

  void Ingest(const std::string& file) {
    const auto result = RunTim({"ingest", "--db", base_db().string(),
                                (base_.path() / file).string()});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }

  // Copies the state before into a fresh work directory.
  void Restore(const TempDir& work) const {
    fs::copy(base_.path(), work.path(), fs::copy_options::recursive);
  }

  std::vector<std::string> PlanEnv(const KillPlan& plan, const fs::path& work) const {
    std::vector<std::string> env = testing::InjectorEnv();
    env.push_back("TIM_FAULT_MATCH=" + work.string() + plan.match);
    if (!plan.arm.empty()) env.push_back("TIM_FAULT_ARM=" + plan.arm);
    return env;
  }

  // How many events of the plan an uninterrupted run goes through.
  long CountEvents(const KillPlan& plan) {
    TempDir work;
    Restore(work);
    std::vector<std::string> env = PlanEnv(plan, work.path());
    const fs::path log = work.path() / "events.log";
    env.push_back("TIM_FAULT_LOG=" + log.string());
    const auto run = testing::RunTimWithEnv(env, InWork(plan.command, work.path()));
    EXPECT_EQ(run.exit_code, 0) << run.err;
    const std::string events = testing::ReadFile(log.string());
    return std::count(events.begin(), events.end(), '\n');
  }

  void KillAndRecover(const KillPlan& plan, long event, bool after) {
    TempDir work;
    Restore(work);
    const fs::path db = work.path() / "db";
    std::vector<std::string> env = PlanEnv(plan, work.path());
    env.push_back("TIM_FAULT_AT=" + std::to_string(event));
    env.push_back(std::string("TIM_FAULT_AFTER=") + (after ? "1" : "0"));
    const auto killed = testing::RunTimWithEnv(env, InWork(plan.command, work.path()));
    if (killed.exit_code == kKilledExit) {
      ++kills_;
    } else {
      EXPECT_EQ(killed.exit_code, 0) << killed.err;  // done before that event
    }
    uint64_t left = 0;
    if (const auto count = ArticleCount(db)) {
      left = *count;
      testing::ExpectXapianCheckPasses(db);
      EXPECT_EQ(RunTim({"stats", "--db", db.string()}).exit_code, 0);
    }
    plan.expect_possible_state(db);

    const auto rerun = RunTim(InWork(plan.rerun, work.path()));
    ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
    EXPECT_EQ(ArticleCount(db), plan.final_count);
    testing::ExpectNoDuplicateIds(db.string());
    testing::ExpectXapianCheckPasses(db);
    EXPECT_FALSE(fs::exists(work.path() / ".db.tim-staging"));
    EXPECT_EQ(UserFiles(db), UserFiles(base_db()));
    if (plan.expect_rerun) plan.expect_rerun(rerun, left);
  }

  void Run(const KillPlan& plan) {
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::mt19937_64 random(NameSeed(name));
    const long events = CountEvents(plan);
    ASSERT_GT(events, 0) << "no event holds " << plan.match;
    std::uniform_int_distribution<long> pick(1, events);
    // Few events: each of them, before and after; else a random sample.
    const bool every = plan.kills >= 2 * events;
    for (int i = 0; i < plan.kills && !HasFatalFailure(); ++i) {
      const long event = every ? std::min<long>(i / 2 + 1, events) : pick(random);
      const bool after = every ? i % 2 == 1 : random() % 2 == 1;
      SCOPED_TRACE(name + ": kill at event " + std::to_string(event) + " of " +
                   std::to_string(events) + (after ? ", after it" : ", before it"));
      KillAndRecover(plan, event, after);
    }
    std::cout << name << ": " << kills_ << " kills of " << plan.kills << " runs, "
              << events << " events to choose from\n";
    // A run may end before its event when threads write in another order.
    EXPECT_GE(kills_ * 4, plan.kills * 3);
  }

  // The seeds, then a batch of 200 articles that two jobs stage.
  KillPlan StagedBatchOnTheSeeds();

  TempDir base_;
  int kills_ = 0;
};

std::function<void(const fs::path&)> CountIsOneOf(std::vector<uint64_t> counts) {
  return [counts](const fs::path& db) {
    const uint64_t count = ArticleCount(db).value_or(0);
    EXPECT_NE(std::find(counts.begin(), counts.end(), count), counts.end())
        << "a half-written batch: " << count << " articles";
  };
}

std::function<void(const CommandResult&, uint64_t)> AddsTheRest(uint64_t total) {
  return [total](const CommandResult& rerun, uint64_t left) {
    const json report = json::parse(rerun.out);
    EXPECT_EQ(report["added"].get<uint64_t>(), total - left) << rerun.out;
    EXPECT_EQ(report["duplicates"], 0) << rerun.out;
  };
}

// Ingests `batch` with `flags`, killed while the database holds `before`
// articles until it holds `after`; the rerun adds the rest.
KillPlan IngestPlan(const std::vector<std::string>& flags, const std::string& batch,
                    uint64_t before, uint64_t after) {
  KillPlan plan;
  plan.command = {"ingest", "--db", "@db"};
  plan.command.insert(plan.command.end(), flags.begin(), flags.end());
  plan.rerun = plan.command;
  plan.rerun.push_back("--json");
  plan.command.push_back("@" + batch);
  plan.rerun.push_back("@" + batch);
  plan.expect_possible_state = CountIsOneOf({before, after});
  plan.final_count = after;
  plan.expect_rerun = AddsTheRest(after);
  return plan;
}

KillPlan KillTest::StagedBatchOnTheSeeds() {
  MakeBase(/*seeds=*/true);
  base_.Write("batch.jsonl", SeedBatch("art", 0, 200));
  return IngestPlan({"--jobs", "2"}, "batch.jsonl", 5, 205);
}

TEST_F(KillTest, DirectCommit) {
  MakeBase(/*seeds=*/true);
  base_.Write("batch.jsonl", SeedBatch("art", 0, 60));
  KillPlan plan = IngestPlan({"--jobs", "1"}, "batch.jsonl", 5, 65);
  plan.match = "/db/";
  plan.kills = 8;
  Run(plan);
}

TEST_F(KillTest, CommitEveryKeepsWholeSteps) {
  MakeBase(/*seeds=*/true);
  base_.Write("batch.jsonl", SeedBatch("art", 0, 60));
  KillPlan plan = IngestPlan({"--jobs", "1", "--commit-every", "15"}, "batch.jsonl", 5, 65);
  plan.match = "/db/";
  plan.kills = 8;
  plan.expect_possible_state = CountIsOneOf({5, 20, 35, 50, 65});
  plan.expect_rerun = [](const CommandResult& rerun, uint64_t left) {
    const json report = json::parse(rerun.out);
    EXPECT_EQ(report["unchanged"].get<uint64_t>(), left - 5) << rerun.out;
    EXPECT_EQ(report["added"].get<uint64_t>(), 65 - left) << rerun.out;
  };
  Run(plan);
}

TEST_F(KillTest, StagedBuildOfANewDatabase) {
  MakeBase(/*seeds=*/false);
  base_.Write("batch.jsonl", SeedBatch("art", 0, 200));
  KillPlan plan = IngestPlan({"--jobs", "2"}, "batch.jsonl", 0, 200);
  plan.match = "/";  // everything: creating it, the shards, the merge, the swap
  plan.kills = 10;
  Run(plan);
}

TEST_F(KillTest, StagedShardsOfABigBatch) {
  KillPlan plan = StagedBatchOnTheSeeds();
  plan.match = "/.db.tim-staging/shard";
  plan.kills = 8;
  Run(plan);
}

// A batch replacing every article: merged, then compacted again to drop
// the old versions (merged-compact).
TEST_F(KillTest, CompactionOfAReplacingBatch) {
  MakeBase(/*seeds=*/true);
  base_.Write("old.jsonl", SeedBatch("art", 0, 200));
  Ingest("old.jsonl");
  base_.Write("new.jsonl", SeedBatch("art", 0, 200, 1500, kNewBodyWord));
  KillPlan plan = IngestPlan({"--jobs", "2"}, "new.jsonl", 205, 205);
  plan.match = "/.db.tim-staging/merged";
  plan.kills = 8;
  plan.expect_possible_state = [](const fs::path& db) {
    EXPECT_EQ(ArticleCount(db), 205u);
    const long replaced = testing::SearchTotal(db, kNewBodyWord);
    EXPECT_TRUE(replaced == 0 || replaced == 200) << replaced << " articles replaced";
  };
  plan.expect_rerun = [](const CommandResult& rerun, uint64_t) {
    const json report = json::parse(rerun.out);
    EXPECT_EQ(report["replaced"].get<uint64_t>() + report["unchanged"].get<uint64_t>(), 200u)
        << rerun.out;
  };
  Run(plan);
}

TEST_F(KillTest, TheDirectoryExchange) {
  KillPlan plan = StagedBatchOnTheSeeds();
  plan.match = "/db -> ";  // the exchange itself: right before it, right after it
  plan.kills = 2;
  Run(plan);
}

// Everything after the exchange: moving the user's files back, syncing,
// reopening, removing the old database.
TEST_F(KillTest, AfterTheDirectoryExchange) {
  KillPlan plan = StagedBatchOnTheSeeds();
  plan.match = "/";
  plan.arm = "exchange ";
  plan.kills = 10;
  Run(plan);
}

TEST_F(KillTest, Delete) {
  MakeBase(/*seeds=*/true);
  base_.Write("batch.jsonl", SeedBatch("art", 0, 60));
  Ingest("batch.jsonl");
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) ids.push_back("art-" + std::to_string(i * 6));
  KillPlan plan;
  plan.command = {"delete", "--db", "@db"};
  plan.command.insert(plan.command.end(), ids.begin(), ids.end());
  plan.match = "/db/";
  plan.kills = 8;
  plan.expect_possible_state = CountIsOneOf({65, 55});
  plan.rerun = {"delete", "--db", "@db", "--missing-ok"};
  plan.rerun.insert(plan.rerun.end(), ids.begin(), ids.end());
  plan.final_count = 55;
  Run(plan);
}

}  // namespace
}  // namespace tim
