// Hostile and out-of-range requests on the seeds (hardening issue, query
// side): each is a clear error or a documented answer, never a crash.
#include <gtest/gtest.h>

#include <limits>

#include "test_util.h"
#include "tim/error.h"
#include "tim/index_writer.h"
#include "tim/searcher.h"

namespace tim {
namespace {

class QueryLimitsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    IngestPaths(db(), {testing::SeedsDir()});
    searcher_ = new Searcher(db());
  }
  static void TearDownTestSuite() {
    delete searcher_;
    delete dir_;
  }
  static std::string db() { return (dir_->path() / "db").string(); }

  static SearchRequest Request(const std::string& query) {
    SearchRequest request;
    request.query = query;
    return request;
  }

  static testing::TempDir* dir_;
  static Searcher* searcher_;
};

testing::TempDir* QueryLimitsTest::dir_ = nullptr;
Searcher* QueryLimitsTest::searcher_ = nullptr;

// Finding 3: ~10,000 nested parentheses crashed the parser, with and
// without strict, and the fallback for unbalanced ones.
TEST_F(QueryLimitsTest, DeeplyNestedParenthesesSearchThePlainWords) {
  const std::string deep = std::string(4000, '(') + "Kursk" + std::string(4000, ')');
  const std::string unbalanced = std::string(8000, '(') + "Kursk";
  for (const std::string& query : {deep, unbalanced}) {
    const SearchResponse response = searcher_->Search(Request(query));
    EXPECT_EQ(response.total, 1u);
    ASSERT_EQ(response.warnings.size(), 1u);
    SearchRequest strict = Request(query);
    strict.strict_syntax = true;
    EXPECT_THROW(searcher_->Search(strict), Error);
  }
}

// Finding 4: no bound on a query's cost.
TEST_F(QueryLimitsTest, OverlongQueriesAreRefusedAndLongOnesCut) {
  std::string huge;
  while (huge.size() < 100 * 1024) huge += "Kursk OR ";
  try {
    searcher_->Search(Request(huge));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  }
  std::string long_query = "Kursk";
  for (int i = 0; i < 300; ++i) long_query += " OR Kremlin";
  const SearchResponse response = searcher_->Search(Request(long_query));
  ASSERT_FALSE(response.warnings.empty());
  EXPECT_NE(response.warnings.back().find("were left out"), std::string::npos);
  EXPECT_GE(response.total, 1u);
}

// Finding 10: an offset of 2^32 or more returned the first page again
// (Xapian counts in 32 bits), and offset + limit overflowed.
TEST_F(QueryLimitsTest, OffsetsPastTheMatchesGiveNoHits) {
  const size_t huge = std::numeric_limits<size_t>::max();
  for (const SortOrder sort : {SortOrder::kRelevance, SortOrder::kNewestFirst}) {
    for (const size_t offset : {size_t{1} << 32, (size_t{1} << 32) + 1, huge - 1, huge}) {
      SearchRequest request = Request("Ukraine");
      request.sort = sort;
      request.offset = offset;
      request.limit = huge;
      const SearchResponse response = searcher_->Search(request);
      EXPECT_TRUE(response.hits.empty()) << offset;
      EXPECT_EQ(response.total, 5u);
    }
    SearchRequest all = Request("Ukraine");
    all.sort = sort;
    all.limit = huge;
    const SearchResponse response = searcher_->Search(all);
    ASSERT_EQ(response.hits.size(), 5u);
    EXPECT_EQ(response.hits.back().rank, 5u);
  }
}

// Finding 12: `--filter source=` (an empty value) gave 0 hits, or 5 when
// the source facet was counted.
TEST_F(QueryLimitsTest, AnEmptyFilterValueIsAnErrorWhateverTheFacets) {
  for (const std::vector<std::string>& facets :
       {std::vector<std::string>{}, std::vector<std::string>{"source"}}) {
    SearchRequest request = Request("Ukraine");
    request.facets = facets;
    request.facet_filters["source"] = {""};
    EXPECT_THROW(searcher_->Search(request), Error);
    request.facet_filters.clear();
    request.sources = {" "};
    EXPECT_THROW(searcher_->Search(request), Error);
  }
}

// The same root: a value without a key ("!!!", a misspelt date kind)
// meant the unknown value to the facet counts, and nothing to the terms.
TEST_F(QueryLimitsTest, AValueNamingNothingMatchesNothingWhateverTheFacets) {
  const std::pair<const char*, const char*> filters[] = {
      {"source", "!!!"}, {"category", "!!!"}, {"date_kind", "metdata"}};
  for (const auto& [facet, value] : filters) {
    for (const std::vector<std::string>& facets :
         {std::vector<std::string>{}, std::vector<std::string>{facet}}) {
      SearchRequest request = Request("Ukraine");
      request.facets = facets;
      request.facet_filters[facet] = {value};
      EXPECT_EQ(searcher_->Search(request).total, 0u) << facet << "=" << value;
    }
  }
  SearchRequest unknown = Request("Ukraine");
  unknown.facet_filters["date_kind"] = {"unknown"};
  EXPECT_GT(searcher_->Search(unknown).total, 0u);
}

}  // namespace
}  // namespace tim
