// Shards on other machines: a stub's `remote HOST:PORT` lines, each served
// by Debian's stock xapian-tcpsrv (xapian-tools), on loopback. That server
// runs Xapian's own matching only, none of tim's posting sources or match
// deciders; tim lists the matches and weighs what its sources add itself
// (src/query/remote_ranking.h), so a database of remote shards answers as
// one database of the same articles, and follows each shard's new commits.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.h"
#include "tim/index_writer.h"
#include "tim/searcher.h"

namespace tim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunTim;
using testing::TempDir;

constexpr char kTcpServer[] = "/usr/bin/xapian-tcpsrv";
constexpr size_t kArticles = 900;
constexpr size_t kShards = 3;

// xapian-tcpsrv serving the database at `path` on a free loopback port,
// its output in a directory of its own.
class ShardServer {
 public:
  explicit ShardServer(const std::string& path) {
    for (int attempt = 0; attempt < 5 && !server_; ++attempt) {
      port_ = testing::FreePort();
      server_ = std::make_unique<testing::Child>(
          std::vector<std::string>{"--interface", "127.0.0.1", "--port", std::to_string(port_),
                                   path},
          dir_, /*pipe_stdin=*/false, "/dev/null", kTcpServer);
      if (!testing::WaitUntil(*server_, [&] { return testing::Accepts(port_); })) server_.reset();
    }
  }
  bool running() const { return server_ != nullptr; }
  // The stub line naming it.
  std::string StubLine() const { return "remote 127.0.0.1:" + std::to_string(port_) + "\n"; }

 private:
  TempDir dir_;
  int port_ = 0;
  std::unique_ptr<testing::Child> server_;
};

bool HasTcpServer() { return fs::exists(kTcpServer); }

constexpr char kNoTcpServerMessage[] =
    "remote shards test skipped: xapian-tcpsrv comes with Debian's xapian-tools, which is not "
    "installed";

// A database of `shards` (paths), each served by its own server, as the
// stub in `stub_dir` lists them; with `local_first`, the first shard is
// listed as a local one ("auto PATH").
class RemoteShards {
 public:
  RemoteShards(const std::vector<std::string>& shards, const std::string& stub_dir,
               bool local_first = false) {
    std::string stub;
    for (size_t i = 0; i < shards.size(); ++i) {
      if (i == 0 && local_first) {
        stub += "auto " + shards[i] + "\n";
        continue;
      }
      servers_.push_back(std::make_unique<ShardServer>(shards[i]));
      if (!servers_.back()->running()) return;
      stub += servers_.back()->StubLine();
    }
    fs::create_directories(stub_dir);
    std::ofstream(stub_dir + "/XAPIANDB") << stub;
    running_ = true;
  }
  bool running() const { return running_; }

 private:
  std::vector<std::unique_ptr<ShardServer>> servers_;
  bool running_ = false;
};

std::vector<std::string> ShardPaths(const std::string& db, size_t count) {
  std::vector<std::string> paths;
  for (size_t i = 0; i < count; ++i) paths.push_back(db + "/shard" + std::to_string(i));
  return paths;
}

void Ingest(const std::vector<std::string>& args) {
  std::vector<std::string> words = {"ingest"};
  words.insert(words.end(), args.begin(), args.end());
  const auto result = RunTim(words);
  ASSERT_EQ(result.exit_code, 0) << result.err;
}

// 900 articles of the corpus sample as one database and as 3 shards served
// by 3 servers: every shard remote, and the first local, the others remote.
class RemoteShardsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto sample = testing::CorpusSamplePath();
    if (!sample || !HasTcpServer()) return;
    dir_ = new TempDir;
    std::ifstream in(*sample);
    std::string all, line;
    for (size_t k = 0; k < kArticles && std::getline(in, line); ++k) all += line + "\n";
    const std::string file = dir_->Write("all.jsonl", all);
    Ingest({"--db", One(), file});
    Ingest({"--db", Sharded(), "--shards", std::to_string(kShards), file});
    remote_ = new RemoteShards(ShardPaths(Sharded(), kShards), Remote());
    mixed_ = new RemoteShards(ShardPaths(Sharded(), kShards), Mixed(), /*local_first=*/true);
  }
  static void TearDownTestSuite() {
    delete mixed_;
    delete remote_;
    delete dir_;
    mixed_ = remote_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!HasTcpServer()) {
      if (std::getenv("CI")) FAIL() << "xapian-tools is not installed";
      GTEST_SKIP() << kNoTcpServerMessage;
    }
    if (!dir_) GTEST_SKIP() << testing::kNoCorpusMessage;
    ASSERT_TRUE(remote_->running() && mixed_->running()) << "xapian-tcpsrv did not start";
  }

  static std::string One() { return (dir_->path() / "one").string(); }
  static std::string Sharded() { return (dir_->path() / "sharded").string(); }
  static std::string Remote() { return (dir_->path() / "remote").string(); }
  static std::string Mixed() { return (dir_->path() / "mixed").string(); }

  inline static TempDir* dir_ = nullptr;
  inline static RemoteShards* remote_ = nullptr;
  inline static RemoteShards* mixed_ = nullptr;
};

// tim_equivalence's 340 searches and similar articles, as whole JSON:
// phrases and exact-spelling checks, adjacency and recency boosts,
// relaxed questions, accent suggestions, filters, facets, sorts and pages.
// (Each search of remote shards costs hundreds of round trips: the shards
// of which one is local answer the searches without the latency mix.)
TEST_F(RemoteShardsTest, SearchAnswersAsOneDatabase) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{One(), Remote()},
        std::vector<std::string>{"--mix", "", "--similar", "2", One(), Mixed()}}) {
    const auto result = testing::RunProgram(TIM_EQUIVALENCE_BINARY, args);
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_NE(result.out.find("all identical"), std::string::npos) << result.out;
  }
}

TEST_F(RemoteShardsTest, OtherCommandsAnswerAsOneDatabase) {
  auto run = [](const std::string& db, const std::vector<std::string>& args) {
    std::vector<std::string> words = {args[0], "--db", db};
    words.insert(words.end(), args.begin() + 1, args.end());
    const auto result = RunTim(words);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  };
  json one = json::parse(run(One(), {"stats", "--json"}));
  json remote = json::parse(run(Remote(), {"stats", "--json"}));
  for (json* stats : {&one, &remote}) {
    stats->erase("path");
    stats->erase("size_bytes");
  }
  EXPECT_EQ(one, remote);
  // Export walks the matches in docid order, which depends on the split.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"export", "bóng đá"},
        std::vector<std::string>{"export", "\"Hà Nội\"", "--format", "csv"}}) {
    EXPECT_EQ(testing::SortedLines(run(One(), args)), testing::SortedLines(run(Remote(), args))) << args[1];
  }
  const std::string id =
      json::parse(run(One(), {"search", "--json", "--limit", "1", "bóng đá"}))["hits"][0]["id"];
  EXPECT_EQ(run(One(), {"show", "--json", id}), run(Remote(), {"show", "--json", id}));
}

// The seeds in two shards, each served remotely, for the tests that change
// a shard: its server reads each new commit.
class RemoteSeedShardsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HasTcpServer()) {
      if (std::getenv("CI")) FAIL() << "xapian-tools is not installed";
      GTEST_SKIP() << kNoTcpServerMessage;
    }
    Ingest({"--db", sharded_, "--shards", "2", testing::SeedsDir()});
    shards_ = std::make_unique<RemoteShards>(ShardPaths(sharded_, 2), remote_);
    ASSERT_TRUE(shards_->running()) << "xapian-tcpsrv did not start";
  }

  TempDir dir_;
  const std::string sharded_ = (dir_.path() / "sharded").string();
  const std::string remote_ = (dir_.path() / "remote").string();
  std::unique_ptr<RemoteShards> shards_;
};

TEST_F(RemoteSeedShardsTest, ALongLivedSearcherSeesEachCommitOfAShard) {
  const Searcher searcher(remote_);
  SearchRequest request;
  request.query = "zyxwquark";
  request.facets = {"source"};
  EXPECT_EQ(searcher.Search(request).total, 0u);
  Article article;
  article.id = "unicorn";
  article.title = "Kỳ lân xuất hiện";
  article.source = "Tin Mới";
  article.body = "Một con kỳ lân zyxwquark được nhìn thấy ở ngoại ô.";
  {
    IndexWriter writer(sharded_ + "/shard1");
    writer.Add(article);
    writer.Commit();
  }
  SearchResponse found = searcher.Search(request);
  ASSERT_EQ(found.total, 1u);
  EXPECT_EQ(found.hits[0].id, "unicorn");
  ASSERT_EQ(found.facets[0].values.size(), 1u);
  EXPECT_EQ(found.facets[0].values[0].value, "Tin Mới");
  {
    IndexWriter writer(sharded_ + "/shard1");
    writer.Delete("unicorn");
    writer.Commit();
  }
  found = searcher.Search(request);
  EXPECT_EQ(found.total, 0u);
  EXPECT_TRUE(found.facets[0].values.empty());
}

TEST_F(RemoteSeedShardsTest, WritingIsRefusedAndAServerThatIsDownIsNamed) {
  const auto refused = RunTim({"ingest", "--db", remote_, testing::SeedsDir()});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("names a remote shard (127.0.0.1:"), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("which tim cannot write to"), std::string::npos) << refused.err;

  const std::string dead = (dir_.path() / "dead").string();
  fs::create_directories(dead);
  const int port = testing::FreePort();
  std::ofstream(dead + "/XAPIANDB") << "remote 127.0.0.1:" << port << "\n";
  const auto down = RunTim({"search", "--db", dead, "kỳ lân"});
  EXPECT_NE(down.exit_code, 0);
  EXPECT_NE(down.err.find("cannot reach the remote shard 127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << down.err;
  EXPECT_EQ(std::count(down.err.begin(), down.err.end(), '\n'), 1) << down.err;
}

}  // namespace
}  // namespace tim
