// A database made of several shards (a directory whose XAPIANDB stub file
// lists them, Xapian's own format) answers every command exactly as one
// database of the same articles: hits, scores (to rounding), totals,
// facets, suggestions, snippets, phrases, filters, sorts, pages, similar
// articles, export, stats and show.
//
// The shards here take the corpus sample's records in turn (record k to
// shard k mod n, each ingested in order), so that Xapian's interleaved
// docids are the single database's: articles of equal score or date keep
// the same order (tim breaks such ties by docid, which another split of
// the articles would change).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_util.h"
#include "tim/searcher.h"

namespace tim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunTim;
using testing::TempDir;

constexpr size_t kArticles = 900;

// Equal JSON, numbers to 1e-9 relative: Xapian sums a score's parts in
// another order across shards.
bool SameJson(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) {
    const double x = a.get<double>(), y = b.get<double>();
    return std::abs(x - y) <= 1e-9 * std::max({1.0, std::abs(x), std::abs(y)});
  }
  if (a.type() != b.type() || a.size() != b.size()) return false;
  if (a.is_object()) {
    for (const auto& [key, value] : a.items()) {
      if (!b.contains(key) || !SameJson(value, b[key])) return false;
    }
    return true;
  }
  if (a.is_array()) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (!SameJson(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

class ShardsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto sample = testing::CorpusSamplePath();
    if (!sample) return;
    dir_ = new TempDir;
    std::ifstream in(*sample);
    std::vector<std::string> parts(kShards);
    std::string all, line;
    for (size_t k = 0; k < kArticles && std::getline(in, line); ++k) {
      all += line + "\n";
      parts[k % kShards] += line + "\n";
    }
    // One writer each, so that docids follow the input.
    Ingest(One(), dir_->Write("all.jsonl", all));
    fs::create_directories(Sharded());
    std::ofstream stub(fs::path(Sharded()) / "XAPIANDB");
    for (size_t i = 0; i < kShards; ++i) {
      const std::string name = "shard" + std::to_string(i);
      Ingest((fs::path(Sharded()) / name).string(),
             dir_->Write(name + ".jsonl", parts[i]));
      stub << "auto " << name << "\n";
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!dir_) GTEST_SKIP() << testing::kNoCorpusMessage;
  }

  static void Ingest(const std::string& db, const std::string& file) {
    const auto result = RunTim({"ingest", "--db", db, "--jobs", "1", file});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  static std::string One() { return (dir_->path() / "one").string(); }
  static std::string Sharded() { return (dir_->path() / "sharded").string(); }

  // `tim COMMAND --db DB ARGS...` on both, the same JSON.
  void ExpectSameAnswer(const std::string& command, const std::vector<std::string>& args) {
    auto run = [&](const std::string& db) {
      std::vector<std::string> words = {command, "--db", db};
      words.insert(words.end(), args.begin(), args.end());
      const auto result = RunTim(words);
      EXPECT_EQ(result.exit_code, 0) << result.err;
      return result.out;
    };
    const std::string one = run(One()), sharded = run(Sharded());
    std::string context = command;
    for (const std::string& arg : args) context += " " + arg;
    if (command == "export") {
      EXPECT_EQ(one, sharded) << context;
      return;
    }
    json a = json::parse(one), b = json::parse(sharded);
    for (json* answer : {&a, &b}) {
      answer->erase("took_ms");
      answer->erase("path");
      answer->erase("size_bytes");
    }
    EXPECT_TRUE(SameJson(a, b)) << context << "\none:     " << a.dump().substr(0, 3000)
                                << "\nsharded: " << b.dump().substr(0, 3000);
  }

  static constexpr size_t kShards = 3;
  inline static TempDir* dir_ = nullptr;
};

TEST_F(ShardsTest, SearchAnswersAsOneDatabase) {
  const std::vector<std::vector<std::string>> queries = {
      {"Hà Nội"},
      {"ha noi"},
      {"bóng đá", "--facets", "source,year,month,cites"},
      {"\"giá vàng\""},
      {"\"gia vang\""},
      {"giá vàng", "--source", "Dân trí", "--facets", "source"},
      {"\"Hà Nội\"", "--filter", "source=Dân trí", "--facets", "source,year"},
      {"chính phủ", "--from", "2016", "--to", "2016-12"},
      {"bóng đá", "--sort", "date", "--limit", "15"},
      {"\"bóng đá\"", "--sort", "-date", "--facets", "source"},
      {"kinh tế", "--offset", "40", "--limit", "10"},
      {"ai là huấn luyện viên đội tuyển Việt Nam"},
      {"tai sao gia xang lai tang"},
      {"vụ cháy chung cư mini ở Hà Nội làm bao nhiêu người chết"},
      {"Nga OR Mỹ -Trung"},
      {"title:bão"},
      {"giá vàng", "--match", "any", "--limit", "20"},
      {""},
      {"", "--sort", "date", "--offset", "100"},
  };
  for (const auto& query : queries) {
    std::vector<std::string> args = {"--json"};
    args.insert(args.end(), query.begin(), query.end());
    ExpectSameAnswer("search", args);
  }
}

TEST_F(ShardsTest, OtherCommandsAnswerAsOneDatabase) {
  ExpectSameAnswer("stats", {"--json"});
  ExpectSameAnswer("export", {"bóng đá"});
  ExpectSameAnswer("export", {"\"Hà Nội\"", "--format", "csv", "--fields", "id,date,title"});
  const json hit = json::parse(RunTim({"search", "--db", One(), "--json", "--limit", "1",
                                       "--offset", "7", "bóng đá"})
                                   .out)["hits"][0];
  const std::string id = hit["id"];
  ExpectSameAnswer("show", {"--json", id});
  ExpectSameAnswer("similar", {"--json", id});
}

TEST_F(ShardsTest, WritesGoToEachShardAndReadersFollowThem) {
  const auto refused = RunTim({"ingest", "--db", Sharded(), testing::SeedsDir()});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("is a database of 3 shards"), std::string::npos) << refused.err;
  EXPECT_NE(RunTim({"delete", "--db", Sharded(), "x"}).exit_code, 0);

  // A copy, so that the other tests keep their database as it was.
  TempDir copy;
  const fs::path sharded = copy.path() / "sharded";
  fs::copy(Sharded(), sharded, fs::copy_options::recursive);
  SearchRequest request;
  request.query = "Zyxwabc";
  request.facets = {"source"};
  const Searcher searcher(sharded.string());
  EXPECT_EQ(searcher.Search(request).total, 0u);
  Ingest((sharded / "shard1").string(),
         copy.Write("new.jsonl", R"({"id":"late","source":"Tuổi Trẻ","body":"Tin Zyxwabc."})" "\n"));
  const SearchResponse after = searcher.Search(request);
  EXPECT_EQ(after.total, 1u);
  ASSERT_EQ(after.facets[0].values.size(), 1u);
  EXPECT_EQ(after.facets[0].values[0].value, "Tuổi Trẻ");
}

}  // namespace
}  // namespace tim
