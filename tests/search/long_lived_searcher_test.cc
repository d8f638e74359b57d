// A Searcher opened once and shared for hours (a server, `tim search
// --batch -`) answers like a fresh one after every commit, delete and
// staged batch, with no Reopen() (hardening finding 6, server and shards
// issues: its facet and date tables were cached by revision alone, which a
// swapped-in database repeats).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "test_util.h"
#include "tim/index_writer.h"
#include "tim/json.h"
#include "tim/searcher.h"

namespace tim {
namespace {

using testing::TempDir;

SearchRequest Request(const std::string& query) {
  SearchRequest request;
  request.query = query;
  request.facets = {"source", "year", "month", "cites"};
  request.limit = 20;
  return request;
}

// What a fresh Searcher answers, but the timing.
std::string Answer(const Searcher& searcher, const std::string& query) {
  SearchResponse response = searcher.Search(Request(query));
  response.took_ms = 0;
  return ToJson(response);
}

void ExpectSameAsFresh(const Searcher& long_lived, const std::string& db) {
  const Searcher fresh(db);
  for (const char* query : {"", "Ukraine", "dam phan", "Nga OR Mỹ", "bài", "\"đàm phán\""}) {
    EXPECT_EQ(Answer(long_lived, query), Answer(fresh, query)) << query;
  }
}

ino_t Inode(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(stat(path.c_str(), &st), 0);
  return st.st_ino;
}

Article Dated(const std::string& id, const std::string& source, const std::string& date,
              const std::string& body) {
  Article article = testing::MakeArticle(id, body);
  article.source = source;
  article.date = ParseDate(date);
  return article;
}

class LongLivedSearcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    IngestOptions options;
    options.jobs = 2;
    IngestPaths(db_, {testing::SeedsDir()}, options);
  }
  TempDir dir_;
  const std::string db_ = (dir_.path() / "db").string();
};

TEST_F(LongLivedSearcherTest, SeesEachCommitAndDeleteAtOnce) {
  const Searcher searcher(db_);
  const uint64_t before = searcher.Search(Request("Kursk")).total;
  {
    IndexWriter writer(db_);
    writer.Add(Dated("late", "Tuổi Trẻ", "2026-01-02", "Bài viết đến muộn về Kursk."));
    EXPECT_EQ(searcher.Search(Request("Kursk")).total, before);  // not committed
    writer.Commit();
  }
  EXPECT_EQ(searcher.Search(Request("Kursk")).total, before + 1);
  ExpectSameAsFresh(searcher, db_);
  DeleteArticles(db_, {"late", "003_f2d66ba1e9ee483f"});
  EXPECT_EQ(searcher.Search(Request("Kursk")).total, before - 1);
  ExpectSameAsFresh(searcher, db_);
}

// A quoted phrase reads the articles' position maps, which the process
// keeps (map_cache.h): an article replaced under the same id keeps its
// docid, and a map kept from before would still hold the old text.
TEST_F(LongLivedSearcherTest, SeesAReplacedArticlesPhrasesAtOnce) {
  const Searcher searcher(db_);
  const auto phrase = [&](const std::string& query) {
    return searcher.Search(Request("\"" + query + "\"")).total;
  };
  {
    IndexWriter writer(db_);
    writer.Add(testing::MakeArticle("changing", "Hội nghị mùa xuân ở Hà Nội bàn về mưa đá."));
    writer.Commit();
  }
  const uint64_t spring = phrase("mùa xuân"), hail = phrase("mưa đá");
  ASSERT_GE(spring, 1u);
  ASSERT_GE(hail, 1u);
  {
    IndexWriter writer(db_);
    writer.Add(testing::MakeArticle("changing", "Xuân này đá lở, hội nghị ở Hà Nội bàn về mùa mưa."));
    writer.Commit();
  }
  EXPECT_EQ(phrase("mùa xuân"), spring - 1);
  EXPECT_EQ(phrase("mưa đá"), hail - 1);
  ExpectSameAsFresh(searcher, db_);
}

TEST_F(LongLivedSearcherTest, SeesAStagedBatchSwappedIn) {
  const Searcher searcher(db_);
  ExpectSameAsFresh(searcher, db_);  // caches the first database's tables
  std::string batch;
  for (int i = 0; i < 200; ++i) {
    batch += "{\"id\": \"b" + std::to_string(i) +
             "\", \"source\": \"VnExpress\", \"date\": \"2019-0" + std::to_string(1 + i % 9) +
             "-01\", \"body\": \"Bài số " + std::to_string(i) + " về Ukraine, Reuters đưa tin. " +
             std::string(400, 'x') + "\"}\n";
  }
  const std::string path = dir_.Write("batch.jsonl", batch);
  const ino_t before = Inode(db_);
  IngestOptions options;
  options.jobs = 2;
  IngestPaths(db_, {path}, options);
  ASSERT_NE(Inode(db_), before) << "the batch was not staged: the test proves nothing";
  EXPECT_EQ(searcher.Search(Request("")).total, 205u);
  ExpectSameAsFresh(searcher, db_);
  // A second swap: its revision may repeat the first one's.
  DeleteArticles(db_, {"b0"});
  IngestPaths(db_, {path}, options);
  ExpectSameAsFresh(searcher, db_);
}

}  // namespace
}  // namespace tim
