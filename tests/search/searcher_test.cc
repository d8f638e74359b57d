// End-to-end through the library: the seed articles ingested into a real
// database, then searched.
#include "tim/searcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>
#include <set>

#include "fixtures.h"
#include "test_util.h"
#include "tim/error.h"
#include "tim/index_writer.h"

namespace tim {
namespace {

using testing::TempDir;

std::set<std::string> Ids(const SearchResponse& response) {
  std::set<std::string> ids;
  for (const Hit& hit : response.hits) ids.insert(hit.id);
  return ids;
}

const FacetValue* FindValue(const SearchResponse& response,
                            const std::string& facet, const std::string& value) {
  for (const Facet& f : response.facets) {
    if (f.name != facet) continue;
    for (const FacetValue& v : f.values) {
      if (v.value == value) return &v;
    }
  }
  return nullptr;
}

uint64_t FacetSum(const SearchResponse& response, const std::string& facet) {
  uint64_t sum = 0;
  for (const Facet& f : response.facets) {
    if (f.name != facet) continue;
    for (const FacetValue& v : f.values) sum += v.count;
  }
  return sum;
}

// Seed ids whose text contains `needle` (NFC, as written).
std::set<std::string> SeedsContaining(const std::vector<std::string>& needles) {
  std::set<std::string> ids;
  for (const auto& entry : std::filesystem::directory_iterator(testing::SeedsDir())) {
    const std::string text = testing::ReadFile(entry.path().string());
    for (const std::string& needle : needles) {
      if (text.find(needle) != std::string::npos) {
        ids.insert(entry.path().stem().string());
      }
    }
  }
  return ids;
}

// A database in `dir` holding the seed `file`, ingested with `source` as
// the source of articles that name none.
std::string IngestSeedWithSource(const TempDir& dir, const std::string& file,
                                 const std::string& source) {
  const std::string db = (dir.path() / "db").string();
  IngestOptions options;
  options.default_source = source;
  IngestPaths(db, {testing::SeedsDir() + "/" + file}, options);
  return db;
}

class SeedsTest : public testing::DatabaseTest {
 protected:
  void SetUp() override {
    report_ = IngestPaths(db(), {testing::SeedsDir()});
  }

  static SearchRequest Request(const std::string& query, size_t limit = 10) {
    SearchRequest request;
    request.query = query;
    request.limit = limit;
    return request;
  }
  SearchResponse Search(const std::string& query, size_t limit = 10) {
    return Searcher(db()).Search(Request(query, limit));
  }

  IngestReport report_;
};

TEST_F(SeedsTest, IngestsEverySeed) {
  EXPECT_EQ(report_.added, 5u);
  EXPECT_EQ(Searcher(db()).Stats().documents, 5u);
}

TEST_F(SeedsTest, ReingestingChangesNothing) {
  const IngestReport again = IngestPaths(db(), {testing::SeedsDir()});
  EXPECT_EQ(again.added, 0u);
  EXPECT_EQ(again.unchanged, 5u);
  EXPECT_EQ(Searcher(db()).Stats().documents, 5u);
}

TEST_F(SeedsTest, UnaccentedQueryFindsEverySeedWithTheAccentedWord) {
  const std::set<std::string> expected = SeedsContaining({"đàm phán", "Đàm phán"});
  ASSERT_FALSE(expected.empty());
  const SearchResponse response = Search("dam phan");
  EXPECT_EQ(response.total, expected.size());
  EXPECT_EQ(Ids(response), expected);
}

TEST_F(SeedsTest, UppercaseDIsFoldedToo) {
  // Seed 004 writes "Đàm phán" at a sentence start.
  EXPECT_EQ(Search("ĐÀM PHÁN").total, Search("dam phan").total);
}

TEST_F(SeedsTest, NfdQueryMatchesNfcText) {
  // "đàm phán" with every accent as a combining mark.
  const std::string query = "\xc4\x91" "a\xcc\x80m pha\xcc\x81n";
  const SearchResponse response = Search(query);
  EXPECT_EQ(response.total, Search("đàm phán").total);
  EXPECT_GT(response.total, 0u);
}

TEST_F(SeedsTest, TonePlacementStylesAreEquivalent) {
  // Seed 001 writes "hoà bình" (old style) and the others "hòa bình".
  const std::set<std::string> expected =
      SeedsContaining({"hòa bình", "hoà bình"});
  ASSERT_TRUE(expected.count("001_6255338c2fb240fd"));
  EXPECT_EQ(Ids(Search("\"hòa bình\"")), expected);
  EXPECT_EQ(Ids(Search("\"hoà bình\"")), expected);
}

TEST_F(SeedsTest, FromDateKeepsOnlyDatedArticlesInRange) {
  SearchRequest request;
  request.query = "dam phan";
  request.from = Date{2025, 1, 0};
  const SearchResponse response = Searcher(db()).Search(request);
  EXPECT_EQ(Ids(response), std::set<std::string>{"001_6255338c2fb240fd"});
  EXPECT_EQ(response.total, 1u);
}

TEST_F(SeedsTest, PartialDateOverlapsRange) {
  // Seed 004 is dated only "2023-08": it lies within 2023 and overlaps
  // August 2023, but not a range ending in July.
  SearchRequest request;
  request.from = Date{2023, 0, 0};
  request.to = Date{2023, 12, 31};
  EXPECT_EQ(Ids(Searcher(db()).Search(request)),
            std::set<std::string>{"004_620e17e2059e22f6"});
  request.from = Date{2023, 8, 15};
  request.to = Date{2023, 8, 20};
  EXPECT_EQ(Searcher(db()).Search(request).total, 1u);
  request.from = Date{2023, 1, 0};
  request.to = Date{2023, 7, 31};
  EXPECT_EQ(Searcher(db()).Search(request).total, 0u);
}

TEST_F(SeedsTest, DatesKeepTheirPrecision) {
  const auto article = Searcher(db()).Get("004_620e17e2059e22f6");
  ASSERT_TRUE(article.has_value());
  ASSERT_TRUE(article->date.has_value());
  EXPECT_EQ(article->date->ToString(), "2023-08");
  const SearchResponse response = Search("");
  const FacetValue* august = FindValue(response, "month", "2023-08");
  ASSERT_NE(august, nullptr);
  EXPECT_EQ(august->count, 1u);
  const FacetValue* unknown = FindValue(response, "year", "unknown");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->count, 3u);  // seeds 000, 002 and 003 carry no date
}

TEST_F(SeedsTest, FacetCountsEqualTheMatchCount) {
  for (const char* query : {"", "Ukraine", "dam phan", "NATO", "Kursk"}) {
    SearchRequest request;
    request.query = query;
    request.limit = 1;
    const SearchResponse response = Searcher(db()).Search(request);
    EXPECT_EQ(FacetSum(response, "source"), response.total) << query;
    EXPECT_EQ(FacetSum(response, "year"), response.total) << query;
    EXPECT_EQ(FacetSum(response, "month"), response.total) << query;
  }
  EXPECT_EQ(Search("Kursk").total, 1u);  // only seed 003 mentions Kursk
}

TEST_F(SeedsTest, UnknownSourceIsCounted) {
  const SearchResponse response = Search("");
  const FacetValue* unknown = FindValue(response, "source", "unknown");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->count, 5u);
}

TEST_F(SeedsTest, SourceFilterAndDefaultSource) {
  TempDir other;
  const std::string db2 = IngestSeedWithSource(other, "001_6255338c2fb240fd.txt", "Dân trí");
  IngestPaths(db2, {testing::SeedsDir() + "/003_f2d66ba1e9ee483f.txt"});
  SearchRequest request;
  request.sources = {"DAN TRI"};
  const SearchResponse response = Searcher(db2).Search(request);
  EXPECT_EQ(Ids(response), std::set<std::string>{"001_6255338c2fb240fd"});
  EXPECT_EQ(response.hits[0].source, "Dân trí");
  request.sources = {"dan tri", "unknown"};
  EXPECT_EQ(Searcher(db2).Search(request).total, 2u);
}

TEST_F(SeedsTest, HitsCarryTitleSnippetAndHighlights) {
  const SearchResponse response = Search("Kursk");
  ASSERT_EQ(response.hits.size(), 1u);
  const Hit& hit = response.hits[0];
  EXPECT_EQ(hit.title.rfind("Phát ngôn viên Điện Kremlin", 0), 0u) << hit.title;
  ASSERT_FALSE(hit.snippet.highlights.empty());
  const auto [begin, end] = hit.snippet.highlights[0];
  EXPECT_EQ(hit.snippet.text.substr(begin, end - begin), "Kursk");
  EXPECT_GT(hit.score, 0);
  EXPECT_EQ(hit.rank, 1u);
}

TEST_F(SeedsTest, TitlesSkipPhotoCaptions) {
  const auto article = Searcher(db()).Get("000_ffa5402f6aae78c4");
  ASSERT_TRUE(article.has_value());
  EXPECT_EQ(article->title.find("Ảnh"), std::string::npos) << article->title;
  EXPECT_EQ(article->title.rfind("Tờ Axios", 0), 0u) << article->title;
}

TEST_F(SeedsTest, CaptionsStaySearchable) {
  // "Lữ đoàn Jaeger" appears only in seed 000's photo caption.
  EXPECT_EQ(Ids(Search("Jaeger")), std::set<std::string>{"000_ffa5402f6aae78c4"});
}

TEST_F(SeedsTest, PaginationIsConsistent) {
  SearchRequest request = Request("Ukraine", 2);
  const Searcher searcher(db());
  const SearchResponse first = searcher.Search(request);
  request.offset = 2;
  const SearchResponse second = searcher.Search(request);
  EXPECT_EQ(first.total, second.total);
  ASSERT_EQ(second.hits.size(), 2u);
  EXPECT_EQ(second.hits[0].rank, 3u);
  EXPECT_EQ(std::set<std::string>(Ids(first)).count(second.hits[0].id), 0u);
}

TEST_F(SeedsTest, PaginationIsConsistentWhenTitlesRescore) {
  // Several syllables, so the best hits are rescored by their titles.
  SearchRequest request = Request("dam phan Ukraine", 5);
  const Searcher searcher(db());
  const SearchResponse whole = searcher.Search(request);
  ASSERT_EQ(whole.hits.size(), 5u);
  request.limit = 2;
  for (size_t offset : {0, 2, 4}) {
    request.offset = offset;
    const SearchResponse page = searcher.Search(request);
    ASSERT_EQ(page.hits.size(), offset == 4 ? 1u : 2u) << offset;
    for (size_t i = 0; i < page.hits.size(); ++i) {
      EXPECT_EQ(page.hits[i].id, whole.hits[offset + i].id) << offset;
      EXPECT_EQ(page.hits[i].rank, offset + i + 1) << offset;
      EXPECT_DOUBLE_EQ(page.hits[i].score, whole.hits[offset + i].score) << offset;
    }
  }
}

TEST_F(SeedsTest, UnaccentedQueryRanksAsItsSuggestionTyped) {
  // "ukraine" and "an" have no diacritics: their exact forms still weigh
  // in the written query, and so in the unaccented one.
  const std::pair<const char*, const char*> queries[] = {
      {"dam phan Ukraine", "đàm phán ukraine"}, {"bao dam an ninh", "bảo đảm an ninh"}};
  for (const auto& [unaccented, written] : queries) {
    const SearchResponse typed = Search(unaccented);
    const SearchResponse accented = Search(written);
    ASSERT_TRUE(typed.suggestion.has_value()) << unaccented;
    EXPECT_EQ(*typed.suggestion, written);
    ASSERT_EQ(typed.hits.size(), accented.hits.size()) << unaccented;
    ASSERT_FALSE(typed.hits.empty()) << unaccented;
    for (size_t i = 0; i < typed.hits.size(); ++i) {
      EXPECT_EQ(typed.hits[i].id, accented.hits[i].id) << unaccented;
      EXPECT_DOUBLE_EQ(typed.hits[i].score, accented.hits[i].score) << unaccented;
    }
  }
}

TEST_F(SeedsTest, SortNewestFirstPutsUndatedLast) {
  SearchRequest request;
  request.sort = SortOrder::kNewestFirst;
  const SearchResponse newest = Searcher(db()).Search(request);
  ASSERT_EQ(newest.hits.size(), 5u);
  EXPECT_EQ(newest.hits[0].id, "001_6255338c2fb240fd");
  EXPECT_EQ(newest.hits[1].id, "004_620e17e2059e22f6");
  request.sort = SortOrder::kOldestFirst;
  const SearchResponse oldest = Searcher(db()).Search(request);
  EXPECT_EQ(oldest.hits[0].id, "004_620e17e2059e22f6");
  // Sorting reads metadata dates: the last hit has none (at most a date
  // inferred from its text).
  EXPECT_TRUE(!oldest.hits[4].date || oldest.hits[4].date_inferred);
}

TEST_F(SeedsTest, StatsDescribeTheDatabase) {
  const DatabaseStats stats = Searcher(db()).Stats();
  EXPECT_EQ(stats.documents, 5u);
  EXPECT_EQ(stats.undated, 3u);
  ASSERT_TRUE(stats.earliest && stats.latest);
  EXPECT_EQ(stats.earliest->ToString(), "2023-08");
  EXPECT_EQ(stats.latest->ToString(), "2025-10-28");
  EXPECT_GT(stats.size_bytes, 0u);
}

class RankingTest : public testing::DatabaseTest {
 protected:
  void Add(const std::string& id, const std::string& body) {
    IndexWriter writer(db());
    writer.Add(testing::MakeArticle(id, body));
    writer.Commit();
  }
  std::vector<std::string> Ranked(const std::string& query) {
    SearchRequest request;
    request.query = query;
    std::vector<std::string> ids;
    for (const Hit& hit : Searcher(db()).Search(request).hits) ids.push_back(hit.id);
    return ids;
  }
};

TEST_F(RankingTest, AccentedQueryPrefersExactAccents) {
  Add("ban-table", "Cửa hàng bày một chiếc bàn gỗ lớn ở giữa phòng khách.");
  Add("ban-sell", "Cửa hàng bán gỗ lớn ở giữa phố cổ Hà Nội.");
  Add("ban-friend", "Người bạn cũ ghé cửa hàng gỗ ở giữa phố.");
  EXPECT_EQ(Ranked("bán").front(), "ban-sell");
  EXPECT_EQ(Ranked("bàn").front(), "ban-table");
  EXPECT_EQ(Ranked("bán").size(), 3u);  // the others are still found
  EXPECT_EQ(Ranked("ban").size(), 3u);
}

// "năm" is the common spelling of "nam" (common_spellings.h), "nằm" is not.
// The second pass reads the maps of the first pass's best 200 articles
// only: an uncommon spelling must be found before that.
TEST_F(RankingTest, ExactSpellingsRankFirstAmongManyArticles) {
  {
    IndexWriter writer(db());
    for (int i = 0; i < 250; ++i) {
      std::string id = "year-";
      id += std::to_string(i);
      writer.Add(testing::MakeArticle(id, "Năm nay, năm mới."));
    }
    for (int i = 0; i < 3; ++i) {
      std::string id = "lie-";
      id += std::to_string(i);
      writer.Add(testing::MakeArticle(
          id, "Con mèo nằm ngủ cả buổi chiều trên chiếc ghế cũ ngoài hiên nhà."));
    }
    for (int i = 0; i < 5; ++i) {
      std::string id = "mixed-";
      id += std::to_string(i);
      writer.Add(testing::MakeArticle(id, "Nằm nghỉ, nằm im, nằm chờ, nằm yên cả năm."));
    }
    writer.Commit();
  }
  std::vector<std::string> lying = Ranked("nằm");
  ASSERT_GE(lying.size(), 8u);
  lying.resize(8);
  for (const std::string& id : lying) EXPECT_NE(id.substr(0, 5), "year-") << id;
  // Short and dense, "mixed" articles would lead by the folded syllable;
  // they write "năm" once, the others twice.
  for (const std::string& id : Ranked("năm")) EXPECT_EQ(id.substr(0, 5), "year-") << id;
}

TEST_F(RankingTest, AdjacentSyllablesRankFirst) {
  Add("scattered", "Phiên đàm thoại kéo dài. Sau đó tòa tuyên phán quyết.");
  Add("adjacent", "Hai bên bắt đầu đàm phán. Sau đó họ kéo dài phiên họp.");
  EXPECT_EQ(Ranked("đàm phán"), (std::vector<std::string>{"adjacent", "scattered"}));
  EXPECT_EQ(Ranked("dam phan").front(), "adjacent");
  EXPECT_EQ(Ranked("\"dam phan\""), std::vector<std::string>{"adjacent"});
}

TEST_F(RankingTest, SuggestedAccentsRankExactSpellingsFirst) {
  // Typed without accents, "ban" matches all three; the articles mostly
  // write "bán", so the suggestion puts the one selling first.
  Add("sell-1", "Cửa hàng bán gỗ. Họ bán cả gỗ quý.");
  Add("sell-2", "Người dân bán gỗ ở chợ.");
  Add("table", "Chiếc bàn gỗ lớn ở giữa nhà.");
  SearchRequest request;
  request.query = "ban go";
  const SearchResponse response = Searcher(db()).Search(request);
  ASSERT_TRUE(response.suggestion.has_value());
  EXPECT_EQ(*response.suggestion, "bán gỗ");
  ASSERT_EQ(response.hits.size(), 3u);
  EXPECT_EQ(response.hits[2].id, "table");
}

TEST_F(RankingTest, PhotoCaptionsWeighLessButStaySearchable) {
  // The caption article is the shorter one, which BM25 alone would favour;
  // neither title (the first real sentence) names the Kremlin.
  Add("caption", "Điện Kremlin nhìn từ xa - Ảnh: REUTERS\nGiá dầu tăng.");
  Add("body", "Tin thế giới.\nBài viết dài về chính sách đối ngoại mới của "
              "Điện Kremlin trong năm nay, với nhiều chi tiết khác nhau.");
  EXPECT_EQ(Ranked("Kremlin"), (std::vector<std::string>{"body", "caption"}));
  EXPECT_EQ(Ranked("\"điện kremlin nhìn\""), std::vector<std::string>{"caption"});
}

TEST_F(RankingTest, OldStyleTonesFoundByNewStyleQueries) {
  Add("old-style", "Đội tuyển khoẻ mạnh, thuỷ thủ hoà giải.");
  Add("other", "Một bài khác hẳn.");
  for (const char* query : {"khỏe", "thủy thủ", "hòa giải", "khoe", "KHOẺ"}) {
    EXPECT_EQ(Ranked(query), std::vector<std::string>{"old-style"}) << query;
  }
}

TEST_F(RankingTest, StopwordsAreOptionalButCountInPhrases) {
  Add("without", "Giá vàng hôm nay tăng mạnh.");
  Add("with", "Giá của vàng miếng hôm nay.");
  // "của" is not required, but where it stands in the query it helps.
  EXPECT_EQ(Ranked("giá của vàng"), (std::vector<std::string>{"with", "without"}));
  EXPECT_EQ(Ranked("gia cua vang").size(), 2u);
  EXPECT_EQ(Ranked("\"giá của vàng\""), std::vector<std::string>{"with"});
  EXPECT_EQ(Ranked("của").size(), 1u);  // a query of stopwords only still needs them
}

TEST_F(RankingTest, BooleanOperators) {
  Add("a", "Nga và Ukraine đàm phán.");
  Add("b", "Mỹ và Ukraine ký thỏa thuận.");
  Add("c", "Nga tập trận.");
  EXPECT_EQ(Ranked("Ukraine -Nga"), std::vector<std::string>{"b"});
  EXPECT_EQ(Ranked("Ukraine NOT nga").size(), 1u);
  EXPECT_EQ(Ranked("Mỹ OR tập").size(), 2u);
  EXPECT_EQ(Ranked("(Mỹ OR Nga) AND Ukraine").size(), 2u);
  // Titles derived from the body's first sentence: only c's has "tập".
  EXPECT_EQ(Ranked("title:tập"), std::vector<std::string>{"c"});
}

// The seeds and six articles of the corpus sample whose titles share
// words: three pairs, each a target and the article BM25 alone ranks above
// it for a span of the target's title.
class TitleRankingTest : public testing::DatabaseTest {
 protected:
  void SetUp() override {
    const auto sample = testing::CorpusSamplePath();
    if (!sample) GTEST_SKIP() << testing::kNoCorpusMessage;
    const std::set<std::string> ids = {
        "baomoi-53569842", "baomoi-53571465", "baomoi-53578476",
        "baomoi-53637961", "baomoi-53636238", "baomoi-53638190"};
    std::ifstream in(*sample);
    std::string picked;
    for (std::string line; std::getline(in, line);) {
      if (ids.count(nlohmann::json::parse(line).value("id", ""))) picked += line + "\n";
    }
    const std::string file = dir_.Write("picked.jsonl", picked);
    ASSERT_EQ(IngestPaths(db(), {testing::SeedsDir(), file}).added, 11u);
  }
  std::string Top(const std::string& query) {
    SearchRequest request;
    request.query = query;
    const SearchResponse response = Searcher(db()).Search(request);
    return response.hits.empty() ? "" : response.hits[0].id;
  }
};

TEST_F(TitleRankingTest, SyllablesTogetherInATitleRankItFirst) {
  // "Hội nghị thượng đỉnh Mỹ - Nga vẫn còn bỏ ngỏ" over "Tổng thống Putin
  // ... hội nghị thượng đỉnh Nga - Mỹ"; "Đàm phán thương mại Mỹ-Trung tại
  // Malaysia ..." over "Thương mại Mỹ - Trung đạt tín hiệu tích cực sau
  // đàm phán quan trọng".
  for (const char* query : {"Hội nghị thượng đỉnh Mỹ", "hoi nghi thuong dinh My"}) {
    EXPECT_EQ(Top(query), "baomoi-53571465") << query;
  }
  for (const char* query : {"đàm phán thương mại Mỹ Trung", "dam phan thuong mai My Trung"}) {
    EXPECT_EQ(Top(query), "baomoi-53578476") << query;
  }
}

TEST_F(TitleRankingTest, QueryMakingUpAWholeTitleRanksItFirst) {
  // Over "Mỹ: Trung Quốc thông qua thỏa thuận chuyển giao TikTok".
  for (const char* query : {"Trung Quốc thông qua thỏa thuận chuyển giao TikTok",
                            "trung quoc thong qua thoa thuan chuyen giao tiktok"}) {
    EXPECT_EQ(Top(query), "baomoi-53638190") << query;
  }
}

TEST_F(SeedsTest, OneSearcherServesManyThreads) {
  const Searcher searcher(db());
  const std::vector<std::string> queries = {"dam phan", "Kursk", "hòa bình", "NATO", "Ukraine -Nga"};
  std::vector<uint64_t> expected;
  for (const std::string& query : queries) {
    SearchRequest request;
    request.query = query;
    expected.push_back(searcher.Search(request).total);
  }
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const size_t q = (i + t) % queries.size();
        SearchRequest request;
        request.query = queries[q];
        if (searcher.Search(request).total != expected[q]) ++mismatches;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

// Threads checking the same phrases in a new revision each read the maps
// and race to keep them for the process (map_cache.h): they find what one
// thread found before (an article without the phrases changes no total).
TEST_F(SeedsTest, ThreadsKeepingTheSameMapsAgree) {
  const Searcher searcher(db());
  const std::vector<std::string> queries = {"\"đàm phán\"", "\"hoa binh\"",
                                            "\"Tổng thống Nga\"", "Nga \"Ukraine\" -Kursk"};
  auto found = [&](const std::string& query) {
    const SearchResponse response = searcher.Search(Request(query));
    std::set<std::string> ids;
    for (const auto& hit : response.hits) ids.insert(hit.id);
    return std::pair{response.total, ids};
  };
  std::vector<std::pair<uint64_t, std::set<std::string>>> expected;
  for (const std::string& query : queries) {
    expected.push_back(found(query));
    ASSERT_GT(expected.back().first, 0u) << query;
  }
  {
    IndexWriter writer(db());  // a new revision, whose maps are kept anew
    writer.Add(testing::MakeArticle("unrelated", "Một bài khác."));
    writer.Commit();
  }
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = 0; i < 4 * queries.size(); ++i) {
        const size_t q = (i + t) % queries.size();
        if (found(queries[q]) != expected[q]) ++mismatches;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(SearcherErrors, MissingDatabase) {
  TempDir dir;
  try {
    Searcher searcher((dir.path() / "nope").string());
    FAIL() << "opened a database that does not exist";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos);
  }
}

TEST_F(SeedsTest, CitedAgenciesAreAFacetAFilterAndAQueryField) {
  const std::set<std::string> reuters = {"000_ffa5402f6aae78c4", "001_6255338c2fb240fd",
                                         "004_620e17e2059e22f6"};
  EXPECT_EQ(Ids(Search("cites:Reuters")), reuters);
  EXPECT_EQ(Ids(Search("cites:REUTERS.com -cites:rbc")),
            (std::set<std::string>{"000_ffa5402f6aae78c4", "004_620e17e2059e22f6"}));
  SearchRequest request;
  request.facets = {"cites"};
  request.facet_filters = {{"cites", {"Kommersant", "Axios"}}};
  const SearchResponse response = Searcher(db()).Search(request);
  EXPECT_EQ(Ids(response), (std::set<std::string>{"000_ffa5402f6aae78c4", "003_f2d66ba1e9ee483f"}));
  const FacetValue* counted = FindValue(response, "cites", "Reuters");
  ASSERT_NE(counted, nullptr);  // drill-sideways: other agencies still counted
  EXPECT_EQ(counted->count, 3u);
}

TEST_F(SeedsTest, PublisherAliasesFindTheCanonicalName) {
  TempDir other;
  const std::string db2 =
      IngestSeedWithSource(other, "001_6255338c2fb240fd.txt", "dantri.com.vn");
  const Searcher searcher(db2);
  EXPECT_EQ(searcher.Get("001_6255338c2fb240fd")->source, "Dân trí");
  for (const char* alias : {"Dân trí", "DAN TRI", "dantri.com.vn"}) {
    SearchRequest request;
    request.sources = {alias};
    EXPECT_EQ(searcher.Search(request).total, 1u) << alias;
    request.sources.clear();
    request.query = std::string("source:\"") + alias + "\"";
    EXPECT_EQ(searcher.Search(request).total, 1u) << alias;
  }
}

TEST_F(SeedsTest, UnbalancedQuoteWarnsOrFailsWhenStrict) {
  SearchRequest request;
  request.query = "\"đàm phán";
  const SearchResponse response = Searcher(db()).Search(request);
  EXPECT_EQ(response.total, Search("đàm phán").total);
  ASSERT_EQ(response.warnings.size(), 1u);
  EXPECT_NE(response.warnings[0].find("unbalanced quote"), std::string::npos);
  request.strict_syntax = true;
  EXPECT_THROW(Searcher(db()).Search(request), Error);
}

TEST_F(SeedsTest, UnknownFacetIsAnError) {
  SearchRequest request;
  request.facets = {"colour"};
  try {
    Searcher(db()).Search(request);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("colour"), std::string::npos);
  }
}

}  // namespace
}  // namespace tim
