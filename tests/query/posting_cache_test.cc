// The posting lists a process keeps (PostingCache): nothing before the
// process's first search ends, then each list as Xapian gives it, the
// documents' lengths, the budget; and a search that reads kept lists
// answers exactly as one that reads Xapian's.
#include "query/posting_cache.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>

#include "fixtures.h"
#include "test_util.h"

namespace tim {
namespace {

// A database of three articles; "common" is in all, "rare" in the last,
// "heavy" once with a wdf beyond 16 bits.
class PostingCacheTest : public testing::DatabaseTest {
 protected:
  void SetUp() override {
    Xapian::WritableDatabase writer(db(), Xapian::DB_CREATE);
    for (Xapian::termcount i = 1; i <= 3; ++i) {
      Xapian::Document document;
      document.add_term("common", i);
      document.add_term("filler", 10 * i);
      if (i == 3) document.add_term("rare", 2);
      if (i == 2) document.add_term("heavy", 70'000);
      writer.add_document(document);
    }
    writer.commit();
    reader_ = Xapian::Database(db());
  }

  Xapian::Database reader_;
};

TEST_F(PostingCacheTest, KeepsNothingUntilTheProcessHasSearched) {
  PostingCaches caches(1 << 20);
  const std::shared_ptr<PostingCache> cache = caches.For(reader_);
  ASSERT_NE(cache, nullptr);
  EXPECT_EQ(cache->Find(reader_, "common"), nullptr);
  EXPECT_EQ(cache->Lengths(reader_), nullptr);
  caches.NoteSearch();
  const std::shared_ptr<const PostingList> list = cache->Find(reader_, "common");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->ids, (std::vector<Xapian::docid>{1, 2, 3}));
  EXPECT_EQ(list->wdfs, (std::vector<uint16_t>{1, 2, 3}));
  EXPECT_EQ(cache->Find(reader_, "common"), list);  // kept, not decoded again
  const std::shared_ptr<const PostingList> rare = cache->Find(reader_, "rare");
  ASSERT_NE(rare, nullptr);
  EXPECT_EQ(rare->ids, (std::vector<Xapian::docid>{3}));
  EXPECT_EQ(rare->wdfs, (std::vector<uint16_t>{2}));
  EXPECT_EQ(cache->Find(reader_, "absent"), nullptr);
  EXPECT_EQ(cache->Find(reader_, "heavy"), nullptr);  // its wdf does not fit
}

TEST_F(PostingCacheTest, KeepsTheDocumentsLengths) {
  PostingCaches caches(1 << 20);
  caches.NoteSearch();
  const auto lengths = caches.For(reader_)->Lengths(reader_);
  ASSERT_NE(lengths, nullptr);
  ASSERT_EQ(lengths->size(), 4u);
  for (Xapian::docid id = 1; id <= 3; ++id) {
    EXPECT_EQ((*lengths)[id], reader_.get_doclength(id)) << id;
  }
}

TEST_F(PostingCacheTest, KeepsNothingOverItsBudget) {
  PostingCaches caches(16);  // one list of 3 postings takes 18 bytes
  caches.NoteSearch();
  const std::shared_ptr<PostingCache> cache = caches.For(reader_);
  EXPECT_EQ(cache->Find(reader_, "common"), nullptr);
  EXPECT_NE(cache->Find(reader_, "rare"), nullptr);  // 6 bytes
  EXPECT_EQ(PostingCaches(0).For(reader_), nullptr);
}

TEST(MebibytesFromEnvironmentTest, ANumberOfMebibytesElseTheDefault) {
  const char* name = "TIM_TEST_CACHE_MB";
  unsetenv(name);
  EXPECT_EQ(MebibytesFromEnvironment(name, 256), size_t{256} << 20);
  for (const auto& [text, megabytes] : std::vector<std::pair<const char*, size_t>>{
           {"0", 0}, {"12", 12}, {"", 256}, {"-1", 256}, {"64MB", 256}, {" 8", 256},
           {"99999999999999999999", 256}}) {
    setenv(name, text, 1);
    EXPECT_EQ(MebibytesFromEnvironment(name, 256), megabytes << 20) << text;
  }
  unsetenv(name);
}

// The whole JSON of `tim search --batch FILE ARGS...` on `db`, its
// timings removed, with the process's posting cache budget `megabytes`.
std::string BatchAnswers(const std::string& db, const std::string& file,
                         const std::vector<std::string>& args, const char* megabytes) {
  std::vector<std::string> command = {"search", "--db", db, "--batch", file, "--json"};
  command.insert(command.end(), args.begin(), args.end());
  setenv("TIM_POSTING_CACHE_MB", megabytes, 1);
  const testing::CommandResult result = testing::RunTim(command);
  unsetenv("TIM_POSTING_CACHE_MB");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return std::regex_replace(result.out, std::regex("\"took_ms\":[0-9.e+-]+"), "");
}

// Kept lists serve the match walk, the first pass's weights and the second
// pass's window from the second search on: each query comes three times,
// and every answer must be the one Xapian's lists give, to the last bit.
TEST(PostingCacheSearchTest, AnswersExactlyAsWithoutKeptLists) {
  const auto sample = testing::CorpusSamplePath();
  if (!sample) GTEST_SKIP() << testing::kNoCorpusMessage;
  const std::string db = testing::CachedSampleDatabase(*sample);
  const testing::TempDir dir;
  const std::string file = (dir.path() / "queries.txt").string();
  const std::vector<std::string> queries = {
      "thành phố", "người dân", "kinh tế", "thanh pho", "nguoi dan", "Hà Nội",
      "\"giá vàng\"", "bóng đá Việt Nam", "tai sao gia xang tang", "chính phủ -Hà"};
  {
    std::ofstream out(file);
    for (int round = 0; round < 3; ++round) {
      for (const std::string& query : queries) out << query << "\n";
    }
  }
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{}, {"--match", "any"}, {"--from", "2020-01-01", "--limit", "3"},
        {"--offset", "40"}}) {
    const std::string without = BatchAnswers(db, file, args, "0");
    ASSERT_FALSE(without.empty());
    EXPECT_EQ(BatchAnswers(db, file, args, "256"), without);
  }
}

}  // namespace
}  // namespace tim
