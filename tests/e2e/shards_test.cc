// A database made of several shards (a directory whose XAPIANDB stub file
// lists them, Xapian's own format) answers every command exactly as one
// database of the same articles: hits in the same order, scores (to
// rounding), totals, facets, suggestions, snippets, phrases, filters,
// sorts, pages, similar articles, export, stats and show. The shards are
// made by `tim ingest --shards`, which routes each article by a hash of its
// id: docids differ from one database's, and ties of score or date must
// not depend on them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_util.h"
#include "tim/error.h"
#include "tim/index_writer.h"
#include "tim/searcher.h"

namespace tim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunTim;
using testing::TempDir;

constexpr size_t kArticles = 900;

class ShardsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto sample = testing::CorpusSamplePath();
    if (!sample) return;
    dir_ = new TempDir;
    std::ifstream in(*sample);
    std::string all, line;
    for (size_t k = 0; k < kArticles && std::getline(in, line); ++k) all += line + "\n";
    const std::string file = dir_->Write("all.jsonl", all);
    Ingest(One(), file);
    Ingest(Sharded(), file, {"--shards", std::to_string(kShards)});
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!dir_) GTEST_SKIP() << testing::kNoCorpusMessage;
  }

  static void Ingest(const std::string& db, const std::string& file,
                     const std::vector<std::string>& options = {}) {
    std::vector<std::string> words = {"ingest", "--db", db, file};
    words.insert(words.end(), options.begin(), options.end());
    const auto result = RunTim(words);
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
      // The same lines: export walks the index in docid order, which
      // depends on the split.
      EXPECT_EQ(testing::SortedLines(one), testing::SortedLines(sharded)) << context;
      return;
    }
    json a = json::parse(one), b = json::parse(sharded);
    for (json* answer : {&a, &b}) {
      answer->erase("took_ms");
      answer->erase("path");
      answer->erase("size_bytes");
    }
    EXPECT_EQ(a, b) << context;
  }

  static constexpr size_t kShards = 3;
  inline static TempDir* dir_ = nullptr;
};

// tim_equivalence's searches (the README's examples, filters, sorts, deep
// pages, questions, the latency mix in four orders and pages) and similar
// articles, compared as whole JSON.
TEST_F(ShardsTest, SearchAnswersAsOneDatabase) {
  const auto result = testing::RunProgram(TIM_EQUIVALENCE_BINARY, {One(), Sharded()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("all identical"), std::string::npos) << result.out;
}

// Copies of an article (other ids, the same text) weigh alike. In shards
// whose term statistics differ, Xapian adds the parts of a score in other
// orders, and the copies weigh a unit in the last place apart: they must
// still come in content-hash order, as on one database. Two shards built
// apart (a stub written by hand): the first holds "alpha" and "bravo"
// often, the second "echo" and "foxtrot"; six copies of an article holding
// all six words are split between them.
TEST_F(ShardsTest, CopiesInShardsOfOtherStatisticsRankAsOnOneDatabase) {
  const std::vector<std::string> words = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot"};
  const std::vector<std::string> filler = {"tin", "tức", "hôm", "nay", "về", "kinh", "tế",
                                           "xã", "hội", "thể", "thao", "văn", "hóa", "giáo"};
  auto article = [&](const std::string& id, size_t seed, size_t length,
                     const std::vector<bool>& holds) {
    std::string body;
    for (size_t j = 0; j < length; ++j) body += filler[(seed * 7 + j * 3) % filler.size()] + " ";
    for (size_t w = 0; w < words.size(); ++w) {
      if (holds[w]) body += words[w] + " ";
    }
    return json{{"id", id}, {"title", "Tin"}, {"date", "2024-01-02"}, {"body", body}}.dump() + "\n";
  };
  auto id = [](std::string prefix, size_t n) { return prefix += std::to_string(n); };
  std::string parts[2];
  for (size_t copy = 0; copy < 6; ++copy) {
    parts[copy % 2] += article(id("k~", copy), 0, 40, std::vector<bool>(6, true));
  }
  for (size_t i = 0; i < 300; ++i) {
    const size_t r = i % 10;
    parts[0] += article(id("a", i), i, 30, {r < 6, r < 3, r == 0, r == 9, false, false});
    parts[1] += article(id("b", i), i + 1, 30, {r == 9, false, false, r == 0, r < 3, r < 6});
  }
  TempDir dir;
  const std::string one = (dir.path() / "one").string(), sharded = (dir.path() / "sharded").string();
  Ingest(one, dir.Write("all.jsonl", parts[0] + parts[1]));
  for (size_t shard = 0; shard < 2; ++shard) {
    const std::string name = id("s", shard);
    Ingest(sharded + "/" + name, dir.Write(name + ".jsonl", parts[shard]));
  }
  std::ofstream(sharded + "/XAPIANDB") << "auto s0\nauto s1\n";
  const auto result = testing::RunProgram(TIM_EQUIVALENCE_BINARY, {one, sharded});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
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
}

// FNV-1a of `id` modulo `count`: the shard the README promises.
unsigned ExpectedShard(const std::string& id, unsigned count) {
  uint64_t hash = 14695981039346656037ull;
  for (const unsigned char byte : id) hash = (hash ^ byte) * 1099511628211ull;
  return static_cast<unsigned>(hash % count);
}

TEST_F(ShardsTest, IngestRoutesEachArticleToItsShard) {
  TempDir dir;
  const std::string db = (dir.path() / "news").string();
  const std::string all = (dir_->path() / "all.jsonl").string();
  const auto made = RunTim({"ingest", "--db", db, "--shards", "3", "--json", all});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(json::parse(made.out)["added"], kArticles);
  // Each article in the shard its id names, once.
  size_t articles = 0;
  for (unsigned shard = 0; shard < 3; ++shard) {
    const std::string path = db + "/shard" + std::to_string(shard);
    const auto exported = RunTim({"export", "--db", path, "--format", "csv", "--fields", "id"});
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    std::istringstream ids(exported.out);
    std::string id;
    std::getline(ids, id);  // the header
    while (std::getline(ids, id)) {
      if (id.ends_with('\r')) id.pop_back();  // CSV lines end in CRLF
      ++articles;
      EXPECT_EQ(ExpectedShard(id, 3), shard) << id;
    }
  }
  EXPECT_EQ(articles, kArticles);

  // Again: nothing changes; a new version replaces the old in its shard.
  const auto again = RunTim({"ingest", "--db", db, "--json", all});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)["unchanged"], kArticles);
  const std::string id = json::parse(RunTim({"search", "--db", db, "--json", "--limit", "1",
                                             "bóng đá"}).out)["hits"][0]["id"];
  const std::string changed = dir.Write(
      "changed.jsonl", json{{"id", id}, {"body", "Bài viết mới Zyxwabc."}}.dump() + "\n");
  const auto replaced = RunTim({"ingest", "--db", db, "--json", changed});
  EXPECT_EQ(json::parse(replaced.out)["replaced"], 1);
  EXPECT_EQ(json::parse(RunTim({"stats", "--db", db, "--json"}).out)["documents"], kArticles);
  EXPECT_EQ(json::parse(RunTim({"search", "--db", db, "--json", "Zyxwabc"}).out)["total"], 1);
  const auto deleted = RunTim({"delete", "--db", db, "--json", "--missing-ok", id, "nope"});
  EXPECT_EQ(json::parse(deleted.out)["deleted"], json::array({id}));
  EXPECT_EQ(json::parse(RunTim({"stats", "--db", db, "--json"}).out)["documents"],
            kArticles - 1);

  const auto from_stdin = RunTim({"ingest", "--db", db, "-"});
  EXPECT_EQ(from_stdin.exit_code, 2);
  EXPECT_NE(from_stdin.err.find("not standard input"), std::string::npos) << from_stdin.err;
  const auto recount = RunTim({"ingest", "--db", db, "--shards", "2", all});
  EXPECT_NE(recount.err.find("is a database of 3 shards, not 2"), std::string::npos)
      << recount.err;
  try {
    IndexWriter writer(db);
    ADD_FAILURE() << "an IndexWriter opened a database of shards";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("is a database of 3 shards"), std::string::npos)
        << e.what();
  }
}

TEST_F(ShardsTest, ALongLivedSearcherFollowsEachShard) {
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
