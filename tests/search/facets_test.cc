// Facets and filters end to end: exact counts, OR within a facet, AND
// across facets, drill-sideways counts, limits, and the query fields.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "fixtures.h"
#include "test_util.h"
#include "tim/error.h"
#include "tim/index_writer.h"
#include "tim/searcher.h"

namespace tim {
namespace {

using testing::TempDir;

// Six articles: three publishers (one spelled two ways), two categories,
// dates of every precision and none.
constexpr char kBatch[] =
    R"({"id":"v1","source":"VnExpress","category":"Thể thao","date":"2025-10-28","body":"Đội tuyển bóng đá thắng lớn."})" "\n"
    R"({"id":"v2","source":"VnExpress","category":"Kinh doanh","date":"2025-09","body":"Giá vàng và bóng đá."})" "\n"
    R"({"id":"d1","source":"Dân trí","category":"Thể thao","date":"2024-05-01","body":"Bóng đá nữ giành huy chương."})" "\n"
    R"({"id":"d2","source":"DÂN TRÍ","category":"Kinh doanh","date":"2016","body":"Giá vàng giảm mạnh."})" "\n"
    R"({"id":"t1","source":"Tuổi Trẻ","category":"Thể thao","body":"Bóng đá học đường."})" "\n"
    R"({"id":"t2","source":"Tuổi Trẻ","body":"Giá xăng tăng."})" "\n";

class FacetsTest : public testing::DatabaseTest {
 protected:
  void SetUp() override {
    IngestPaths(db(), {dir_.Write("batch.jsonl", kBatch)});
  }

  SearchResponse Search(SearchRequest request) {
    return Searcher(db()).Search(request);
  }
  static std::map<std::string, uint64_t> Counts(const SearchResponse& r,
                                                const std::string& facet) {
    std::map<std::string, uint64_t> counts;
    for (const Facet& f : r.facets) {
      if (f.name != facet) continue;
      for (const FacetValue& v : f.values) counts[v.value] = v.count;
    }
    return counts;
  }
  static std::set<std::string> Ids(const SearchResponse& r) {
    std::set<std::string> ids;
    for (const Hit& hit : r.hits) ids.insert(hit.id);
    return ids;
  }

};

TEST_F(FacetsTest, SpellingsOfOnePublisherAreOneValue) {
  SearchRequest request;
  request.facets = {"source", "category"};
  const SearchResponse response = Search(request);
  EXPECT_EQ(Counts(response, "source"),
            (std::map<std::string, uint64_t>{{"VnExpress", 2}, {"Dân trí", 2}, {"Tuổi Trẻ", 2}}));
  EXPECT_EQ(Counts(response, "category"),
            (std::map<std::string, uint64_t>{{"Thể thao", 3}, {"Kinh doanh", 2}, {"unknown", 1}}));
}

TEST_F(FacetsTest, DateHistogramsAreInDateOrderWithUnknownLast) {
  SearchRequest request;
  request.facets = {"year", "month", "day"};
  const SearchResponse response = Search(request);
  std::vector<std::string> years;
  for (const FacetValue& v : response.facets[0].values) years.push_back(v.value);
  EXPECT_EQ(years, (std::vector<std::string>{"2016", "2024", "2025", "unknown"}));
  EXPECT_EQ(Counts(response, "month"),
            (std::map<std::string, uint64_t>{{"2024-05", 1}, {"2025-09", 1}, {"2025-10", 1}, {"unknown", 3}}));
  EXPECT_EQ(Counts(response, "day"),
            (std::map<std::string, uint64_t>{{"2024-05-01", 1}, {"2025-10-28", 1}, {"unknown", 4}}));
}

TEST_F(FacetsTest, OrWithinAFacetAndAcrossFacets) {
  SearchRequest request;
  request.facet_filters = {{"source", {"vnexpress", "dan tri"}}, {"category", {"the thao"}}};
  EXPECT_EQ(Ids(Search(request)), (std::set<std::string>{"v1", "d1"}));
  request.facet_filters = {{"year", {"2025", "unknown"}}};
  EXPECT_EQ(Ids(Search(request)), (std::set<std::string>{"v1", "v2", "t1", "t2"}));
}

TEST_F(FacetsTest, FiltersGiveTheSameMatchesWhetherOrNotTheirFacetIsCounted) {
  // Uncounted facets' filters run inside the query; counted ones beside it.
  for (const char* query : {"", "bóng đá", "giá"}) {
    SearchRequest request;
    request.query = query;
    request.facet_filters = {{"source", {"vnexpress", "dan tri"}},
                             {"category", {"the thao", "kinh doanh"}}};
    request.facets = {};
    const SearchResponse pushed = Search(request);
    request.facets = {"source", "category"};
    const SearchResponse counted = Search(request);
    EXPECT_EQ(Ids(pushed), Ids(counted)) << query;
    EXPECT_EQ(pushed.total, counted.total) << query;
  }
}

TEST_F(FacetsTest, FilteredFacetStillCountsItsOtherValues) {
  SearchRequest request;
  request.query = "bóng đá";
  request.facets = {"source", "category"};
  request.facet_filters = {{"source", {"VnExpress"}}};
  const SearchResponse response = Search(request);
  EXPECT_EQ(response.total, 2u);  // v1, v2
  // Drill-sideways: the source facet ignores its own filter...
  EXPECT_EQ(Counts(response, "source"),
            (std::map<std::string, uint64_t>{{"VnExpress", 2}, {"Dân trí", 1}, {"Tuổi Trẻ", 1}}));
  // ...while the other facets count only what passes it.
  EXPECT_EQ(Counts(response, "category"),
            (std::map<std::string, uint64_t>{{"Thể thao", 1}, {"Kinh doanh", 1}}));
}

TEST_F(FacetsTest, UnknownFilterValueMatchesNothing) {
  SearchRequest request;
  request.facet_filters = {{"source", {"Người Lao Động"}}};
  EXPECT_EQ(Search(request).total, 0u);
  request.facet_filters = {{"colour", {"red"}}};
  EXPECT_THROW(Search(request), Error);
}

TEST_F(FacetsTest, FacetLimitSumsTheRestAsOther) {
  SearchRequest request;
  request.facets = {"category", "year"};
  request.facet_limit = 1;
  const SearchResponse response = Search(request);
  EXPECT_EQ(Counts(response, "category"),
            (std::map<std::string, uint64_t>{{"Thể thao", 3}, {"other", 3}}));
  // 2025 and unknown tie at 2: ties go to the smaller label.
  EXPECT_EQ(Counts(response, "year"),
            (std::map<std::string, uint64_t>{{"2025", 2}, {"other", 4}}));
}

TEST_F(FacetsTest, QueryFieldsFilterLikeFacets) {
  SearchRequest request;
  request.query = "source:\"dân trí\"";
  EXPECT_EQ(Ids(Search(request)), (std::set<std::string>{"d1", "d2"}));
  request.query = "category:\"the thao\" -source:vnexpress";
  EXPECT_EQ(Ids(Search(request)), (std::set<std::string>{"d1", "t1"}));
  request.query = "giá date:2016..2025-09";
  EXPECT_EQ(Ids(Search(request)), (std::set<std::string>{"v2", "d2"}));
  request.query = "date:..2024";
  EXPECT_EQ(Ids(Search(request)), (std::set<std::string>{"d1", "d2"}));
  request.query = "date:2025";
  EXPECT_EQ(Ids(Search(request)), (std::set<std::string>{"v1", "v2"}));
}

TEST_F(FacetsTest, BadDateInQueryWarnsOrFailsWhenStrict) {
  SearchRequest request;
  request.query = "giá date:2023-13";
  const SearchResponse response = Search(request);
  ASSERT_EQ(response.warnings.size(), 1u);
  EXPECT_NE(response.warnings[0].find("bad date"), std::string::npos);
  request.strict_syntax = true;
  EXPECT_THROW(Search(request), Error);
}

TEST_F(FacetsTest, RecencyBoostPrefersNewerArticles) {
  SearchRequest request;
  request.query = "bóng đá";
  request.facets = {};
  request.recency_half_life_days = 30;
  request.recency_weight = 10;  // dominates the text score
  const SearchResponse response = Search(request);
  ASSERT_EQ(response.hits.size(), 4u);
  EXPECT_EQ(response.hits[0].id, "v1");  // 2025-10-28, the newest
  EXPECT_EQ(response.hits[1].id, "v2");  // 2025-09
  EXPECT_EQ(response.total, 4u);         // the boost adds no matches
}

TEST_F(FacetsTest, MatchedTermsAreTheWordsAsWritten) {
  SearchRequest request;
  request.query = "bong da";
  request.facet_filters = {{"source", {"Tuổi Trẻ"}}};
  const SearchResponse response = Search(request);
  ASSERT_EQ(response.hits.size(), 1u);
  EXPECT_EQ(response.hits[0].matched_terms, (std::vector<std::string>{"bóng", "đá"}));
}

TEST_F(FacetsTest, SimilarFindsArticlesSharingWords) {
  SearchRequest request;
  request.facets = {};
  const SearchResponse response = Searcher(db()).Similar("v2", request);
  const std::set<std::string> ids = Ids(response);
  EXPECT_EQ(ids.count("v2"), 0u);  // never the article itself
  EXPECT_EQ(ids.count("d2"), 1u);  // shares "giá vàng"
  EXPECT_THROW(Searcher(db()).Similar("no-such-id", request), Error);
}

TEST(InferredDatesTest, FiltersAndFacetsUseThemOnlyWhenAsked) {
  TempDir dir;
  const std::string db = (dir.path() / "db").string();
  IngestPaths(db, {dir.Write("batch.jsonl",
      R"({"id":"meta","date":"2022-11-20","body":"Bóng đá: trận đấu ngày 2/1/2020."})" "\n"
      R"({"id":"text","body":"Ngày 09 tháng 11 năm 2022, đội bóng đá thắng."})" "\n"
      R"({"id":"none","body":"Bóng đá không có ngày."})" "\n")});
  const Searcher searcher(db);
  SearchRequest request;
  request.facets = {"date_kind", "year"};
  request.from = Date{2022, 0, 0};
  request.to = Date{2022, 12, 31};
  SearchResponse response = searcher.Search(request);
  EXPECT_EQ(response.total, 1u);  // metadata dates only: "meta"
  request.with_inferred_dates = true;
  response = searcher.Search(request);
  EXPECT_EQ(response.total, 2u);  // "text" too, never "none"
  request.from.reset();
  request.to.reset();
  response = searcher.Search(request);
  std::map<std::string, uint64_t> kinds, years;
  for (const FacetValue& v : response.facets[0].values) kinds[v.value] = v.count;
  for (const FacetValue& v : response.facets[1].values) years[v.value] = v.count;
  EXPECT_EQ(kinds, (std::map<std::string, uint64_t>{{"metadata", 1}, {"inferred", 1}, {"unknown", 1}}));
  EXPECT_EQ(years, (std::map<std::string, uint64_t>{{"2022", 2}, {"unknown", 1}}));
  request.facet_filters = {{"date_kind", {"inferred"}}};
  response = searcher.Search(request);
  ASSERT_EQ(response.hits.size(), 1u);
  EXPECT_EQ(response.hits[0].id, "text");
}

}  // namespace
// Xapian refuses terms over 245 bytes; a long source or category once
// aborted the whole batch with "Term too long" (hardening finding 8).
TEST(LongFacetValuesTest, LongSourceAndCategoryAreIndexedAndFilterable) {
  TempDir dir;
  std::string source;
  std::string category;
  for (int i = 0; i < 40; ++i) source += "Báo Người Lao Động ";
  for (int i = 0; i < 40; ++i) category += "Thời sự quốc tế ";
  const std::string record = R"({"id":"long","source":")" + source +
                             R"(","category":")" + category +
                             R"(","body":"Giá vàng tăng mạnh."})" "\n";
  const std::string db = (dir.path() / "db").string();
  IngestPaths(db, {dir.Write("batch.jsonl", record)});
  SearchRequest request;
  request.facet_filters = {{"source", {source}}, {"category", {category}}};
  const SearchResponse response = Searcher(db).Search(request);
  ASSERT_EQ(response.total, 1u);
  EXPECT_EQ(response.hits[0].id, "long");
}

}  // namespace tim
