// Replicas made and updated by Debian's stock xapian-replicate-server and
// xapian-replicate (xapian-tools), on loopback: `tim search --db REPLICA`
// answers exactly like the master after the first copy, a small batch, a
// batch large enough to be staged, deletes and a full copy, and a Searcher
// kept open on the replica (as `tim serve` keeps one) follows each update.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "test_util.h"
#include "tim/json.h"
#include "tim/searcher.h"

namespace tim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::Accepts;
using testing::Child;
using testing::FreePort;
using testing::RunProgram;
using testing::RunTim;
using testing::TempDir;

constexpr char kServer[] = "/usr/bin/xapian-replicate-server";
constexpr char kClient[] = "/usr/bin/xapian-replicate";

// The bytes of the files under `dir`.
uint64_t DirectoryBytes(const std::string& dir) {
  uint64_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) bytes += entry.file_size();
  }
  return bytes;
}

// SyntheticBatch articles from "art-`first`" on, about `bytes` of them
// (within a line: their size cycles over the five seeds).
std::string BatchOfBytes(uint64_t bytes, size_t first) {
  const size_t line = testing::SyntheticBatch(5, first).size() / 5;
  return testing::SyntheticBatch(bytes / line + 1, first);
}

class ReplicaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kServer) || !fs::exists(kClient)) {
      if (std::getenv("CI")) FAIL() << "xapian-tools is not installed";
      GTEST_SKIP() << "replica test skipped: xapian-replicate-server and xapian-replicate come "
                      "with Debian's xapian-tools, which is not installed";
    }
    fs::create_directories(masters_);
    for (int attempt = 0; attempt < 5 && !server_; ++attempt) StartServer();
    ASSERT_TRUE(server_) << "xapian-replicate-server did not start";
  }

  // Starts the server on a free port. Another test may take the port in
  // between: then this server exits at once (unable to bind) and server_
  // stays empty.
  void StartServer() {
    port_ = FreePort();
    server_.emplace(std::vector<std::string>{"-I", "127.0.0.1", "-p", std::to_string(port_),
                                             masters_.string()},
                    server_dir_, /*pipe_stdin=*/false, "/dev/null", kServer);
    const bool accepts = testing::WaitUntil(*server_, [&] { return Accepts(port_); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (!accepts || !server_->Running()) server_.reset();
  }

  // One round of xapian-replicate; returns what it reports ("Update
  // complete: 0 copies, 1 changesets, new live database").
  std::string Replicate() {
    const auto result = RunProgram(kClient, {"-h", "127.0.0.1", "-p", std::to_string(port_),
                                             "-m", master_name_, "-o", "-v", replica_});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    return result.out;
  }

  void Ingest(const std::vector<std::string>& args) {
    std::vector<std::string> command = {"ingest", "--db", master_, "--jobs", "2"};
    command.insert(command.end(), args.begin(), args.end());
    const auto result = RunTim(command);
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }

  // tim_equivalence's searches (every word, relaxed, unaccented, phrases,
  // filters, facets, sorts, deep pages, similar articles), whole JSON; and
  // the long-lived Searcher, as a fresh one on the master.
  void ExpectReplicaAnswersAs(const std::string& master, const Searcher& long_lived) {
    const auto result = RunProgram(TIM_EQUIVALENCE_BINARY, {master, replica_});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    const Searcher fresh_master(master);
    SearchRequest request;
    request.query = "bản tin";
    request.facets = {"source", "year"};
    SearchResponse kept = long_lived.Search(request), fresh = fresh_master.Search(request);
    kept.took_ms = fresh.took_ms = 0;
    EXPECT_EQ(ToJson(kept), ToJson(fresh));
  }

  TempDir dir_, server_dir_;
  const fs::path masters_ = dir_.path() / "masters";
  // Unique, so that a replica can never come from another test's server.
  const std::string master_name_ = dir_.path().filename().string();
  const std::string master_ = (masters_ / master_name_).string();
  const std::string replica_ = (dir_.path() / "replica").string();
  int port_ = 0;
  std::optional<Child> server_;
};

TEST_F(ReplicaTest, FollowsEveryKindOfWriteIncrementally) {
  Ingest({"--changesets", "20", testing::SeedsDir()});
  EXPECT_NE(Replicate().find("1 copies"), std::string::npos);
  const Searcher replica(replica_);
  ExpectReplicaAnswersAs(master_, replica);

  Ingest({dir_.Write("small.jsonl", testing::SyntheticBatch(3))});
  EXPECT_NE(Replicate().find("0 copies, 1 changesets"), std::string::npos);
  ExpectReplicaAnswersAs(master_, replica);

  // A thirteenth of the database: without changesets it would be built
  // beside the database and swapped in (a sixteenth is enough), so the
  // replica would copy it whole.
  Ingest({dir_.Write("medium.jsonl", BatchOfBytes(DirectoryBytes(master_) / 13, 3))});
  EXPECT_NE(Replicate().find("0 copies, 1 changesets"), std::string::npos);
  ExpectReplicaAnswersAs(master_, replica);

  ASSERT_EQ(RunTim({"delete", "--db", master_, "art-0", "art-7"}).exit_code, 0);
  EXPECT_NE(Replicate().find("0 copies, 1 changesets"), std::string::npos);
  ExpectReplicaAnswersAs(master_, replica);

  // Twice the database: staged, whose changesets would outweigh a copy.
  Ingest({dir_.Write("large.jsonl", BatchOfBytes(DirectoryBytes(master_) * 2, 100))});
  EXPECT_NE(Replicate().find("1 copies"), std::string::npos);
  ExpectReplicaAnswersAs(master_, replica);
  // The swapped-in database still keeps changesets.
  ASSERT_EQ(RunTim({"delete", "--db", master_, "art-100"}).exit_code, 0);
  EXPECT_NE(Replicate().find("0 copies, 1 changesets"), std::string::npos);
  ExpectReplicaAnswersAs(master_, replica);

  const auto stats = RunTim({"stats", "--db", replica_, "--json"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_EQ(json::parse(stats.out)["changesets"], 20);
}

TEST_F(ReplicaTest, FollowsAWholeCopyAfterASwap) {
  Ingest({testing::SeedsDir()});
  Replicate();
  const Searcher replica(replica_);
  ExpectReplicaAnswersAs(master_, replica);
  // Without changesets, a large batch is built beside the database and
  // swapped in: a new database, which the replica copies whole into a new
  // directory and names in its stub.
  const std::string stub_before = testing::ReadFile(replica_ + "/XAPIANDB");
  Ingest({dir_.Write("large.jsonl", testing::SyntheticBatch(400))});
  EXPECT_NE(Replicate().find("1 copies"), std::string::npos);
  EXPECT_NE(testing::ReadFile(replica_ + "/XAPIANDB"), stub_before);
  ExpectReplicaAnswersAs(master_, replica);
}

// A database of shards replicates shard by shard: each shard a master, each
// replica a shard of a stub written once on the replica's machine.
TEST_F(ReplicaTest, ShardsReplicateOneByOne) {
  const std::string news = (masters_ / "news").string();
  auto ingest = [&](const std::vector<std::string>& args) {
    std::vector<std::string> command = {"ingest", "--db", news};
    command.insert(command.end(), args.begin(), args.end());
    const auto result = RunTim(command);
    ASSERT_EQ(result.exit_code, 0) << result.err;
  };
  auto replicate = [&] {
    std::string reports;
    for (const std::string shard : {"shard0", "shard1"}) {
      const auto result =
          RunProgram(kClient, {"-h", "127.0.0.1", "-p", std::to_string(port_), "-m",
                               "news/" + shard, "-o", "-v", replica_ + "/" + shard});
      EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
      reports += result.out;
    }
    return reports;
  };
  ingest({"--shards", "2", "--changesets", "20",
          dir_.Write("base.jsonl", testing::SyntheticBatch(300))});
  fs::create_directories(replica_);
  replicate();
  std::ofstream(replica_ + "/XAPIANDB") << "auto shard0\nauto shard1\n";
  const Searcher replica(replica_);
  ExpectReplicaAnswersAs(news, replica);

  ingest({dir_.Write("small.jsonl", testing::SyntheticBatch(3, 1000))});
  EXPECT_EQ(replicate().find("1 copies"), std::string::npos);  // changesets only
  ExpectReplicaAnswersAs(news, replica);
  ASSERT_EQ(RunTim({"delete", "--db", news, "art-3", "art-4"}).exit_code, 0);
  replicate();
  ExpectReplicaAnswersAs(news, replica);
  // Whole copies (each shard's part is staged and swapped in).
  ingest({dir_.Write("large.jsonl", testing::SyntheticBatch(600, 2000))});
  EXPECT_NE(replicate().find("1 copies"), std::string::npos);
  ExpectReplicaAnswersAs(news, replica);
}

TEST_F(ReplicaTest, RefusesWritesToTheReplica) {
  Ingest({testing::SeedsDir()});
  Replicate();
  const auto result = RunTim({"ingest", "--db", replica_, testing::SeedsDir()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("is a replica"), std::string::npos) << result.err;
  EXPECT_NE(RunTim({"delete", "--db", replica_, "art-1"}).exit_code, 0);
}

}  // namespace
}  // namespace tim
