// Match modes (MatchMode): every word first, the articles with most of the
// query's content words when none has them all.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fixtures.h"
#include "test_util.h"
#include "tim/error.h"
#include "tim/index_writer.h"
#include "tim/searcher.h"

namespace tim {
namespace {

class MatchModeTest : public testing::DatabaseTest {
 protected:
  void SetUp() override {
    // id, body
    const std::pair<const char*, const char*> articles[] = {
        {"fire",
         "Vụ cháy chung cư mini ở phố Khương Hạ khiến 56 người tử vong, "
         "lực lượng cứu hỏa đã cứu được nhiều cư dân."},
        {"scattered",
         "Người dân chung tay hỗ trợ cư dân vùng lũ; một chiếc xe mini "
         "chở hàng cứu trợ đến nơi."},
        {"coach",
         "Ông Kim Sang-sik được bổ nhiệm dẫn dắt đội tuyển Việt Nam từ "
         "tháng 5, thay thế ông Troussier."},
        {"weather",
         "Trời mưa lớn ở Hà Nội suốt đêm qua, nhiều tuyến phố ngập sâu."},
        {"fuel",
         "Giá xăng tăng thêm 500 đồng mỗi lít từ chiều nay, theo đà giá dầu "
         "thế giới."},
        {"star",
         "Ngôi sao ca nhạc kể chuyện giá vé máy bay, tiền xăng xe và chi phí "
         "tăng cao khi đi lưu diễn."},
    };
    IndexWriter writer(db());
    for (const auto& [id, body] : articles) writer.Add(testing::MakeArticle(id, body));
    writer.Commit();
  }


  SearchResponse Search(const std::string& query, MatchMode match = MatchMode::kAuto) {
    SearchRequest request;
    request.query = query;
    request.match = match;
    request.facets = {"source"};
    return Searcher(db()).Search(request);
  }

  static std::vector<std::string> Ids(const SearchResponse& response) {
    std::vector<std::string> ids;
    for (const Hit& hit : response.hits) ids.push_back(hit.id);
    return ids;
  }

};

TEST_F(MatchModeTest, ParsesModes) {
  EXPECT_EQ(ParseMatchMode("all"), MatchMode::kAll);
  EXPECT_EQ(ParseMatchMode("any"), MatchMode::kAny);
  EXPECT_EQ(ParseMatchMode("auto"), MatchMode::kAuto);
  EXPECT_THROW(ParseMatchMode("most"), Error);
}

TEST_F(MatchModeTest, AQuestionFindsTheArticleWithoutItsQuestionWords) {
  const SearchResponse response = Search("ai là huấn luyện viên đội tuyển Việt Nam");
  EXPECT_TRUE(response.relaxed);
  ASSERT_FALSE(response.hits.empty());
  EXPECT_EQ(response.hits[0].id, "coach");
}

// A short question ("why does the price of petrol rise") keeps every word
// required, but its question phrase is no word of the topic: "tại sao"
// required "sao" (a star), and only an article that happened to hold it
// matched. Typed with and without diacritics.
TEST_F(MatchModeTest, AQuestionPhraseIsNotRequired) {
  for (const std::string query : {"tại sao giá xăng tăng", "tai sao gia xang tang"}) {
    SCOPED_TRACE(query);
    const SearchResponse response = Search(query);
    EXPECT_FALSE(response.relaxed);
    const std::vector<std::string> ids = Ids(response);
    ASSERT_EQ(ids.size(), 2u);
    EXPECT_EQ(ids[0], "fuel");
  }
  // Alone, "sao" is a word like any other.
  EXPECT_EQ(Ids(Search("ngôi sao")), std::vector<std::string>{"star"});
  EXPECT_EQ(Search("sao giá xăng tăng").total, 1u);
  // Marked by the user, it is required again.
  EXPECT_EQ(Ids(Search("tại +sao giá xăng tăng")), std::vector<std::string>{"star"});
  EXPECT_EQ(Ids(Search("tai AND sao gia xang tang")), std::vector<std::string>{"star"});
}

// No article writes "tại sao", so the suggestion for the question typed
// without diacritics restores "giá xăng tăng" and leaves "tai" plain: it may
// still be "tại", and "tai sao" a question phrase. Typed so among accented
// words, "tai" is the word as typed (an ear), which no article has.
TEST_F(MatchModeTest, APlainQuestionPhraseIsOneOnlyInAQueryTypedPlain) {
  const SearchResponse suggested = Search("tai sao gia xang tang");
  EXPECT_EQ(suggested.suggestion, std::optional<std::string>("tai sao giá xăng tăng"));
  EXPECT_FALSE(suggested.relaxed);
  EXPECT_EQ(Ids(suggested), (std::vector<std::string>{"fuel", "star"}));
  EXPECT_EQ(Search("tai sao giá xăng tăng", MatchMode::kAll).total, 0u);
}

TEST_F(MatchModeTest, AllFindsNothingWhereNothingHasEveryWord) {
  const SearchResponse response =
      Search("ai là huấn luyện viên đội tuyển Việt Nam", MatchMode::kAll);
  EXPECT_FALSE(response.relaxed);
  EXPECT_EQ(response.total, 0u);
  EXPECT_TRUE(response.hits.empty());
}

TEST_F(MatchModeTest, AutoKeepsEveryWordWhenSomeArticleHasThem) {
  const SearchResponse response = Search("chung cư mini");
  EXPECT_FALSE(response.relaxed);
  EXPECT_EQ(response.total, 2u);
}

TEST_F(MatchModeTest, SyllablesTogetherRankAboveScatteredOnes) {
  const SearchResponse response = Search("vụ cháy chung cư mini bao nhiêu người chết");
  EXPECT_TRUE(response.relaxed);
  const std::vector<std::string> ids = Ids(response);
  ASSERT_GE(ids.size(), 2u);
  EXPECT_EQ(ids[0], "fire");
  const auto scattered = std::find(ids.begin(), ids.end(), "scattered");
  EXPECT_NE(scattered, ids.end());
}

// Adjacency alone: both articles have the question's matching syllables
// (cháy, chung, cư, mini, người) once each, the same length and title, so
// only "chung cư mini" standing together can order them (without the
// adjacency boost they tie, and the scattered one, added first, ranks
// first).
TEST(RelaxedAdjacency, AMultiSyllableWordTogetherRanksAboveItsSyllablesScattered) {
  testing::TempDir dir;
  const std::string db = (dir.path() / "db").string();
  {
    IndexWriter writer(db);
    // The same title for both (an article without one is titled by its
    // body's start, which would weigh the syllables differently).
    auto article = [](const std::string& id, const std::string& body) {
      Article made = testing::MakeArticle(id, body);
      made.title = "Tin nhanh trong ngày";
      return made;
    };
    writer.Add(article("scattered",
                       "Đêm qua lửa cháy dữ dội tại một kho hàng, người dân chung tay dập "
                       "lửa, cảnh sát đưa cư dân ra ngoài bằng xe mini cứu hộ."));
    writer.Add(article("together",
                       "Đêm qua lửa cháy dữ dội tại một chung cư mini nằm sâu trong ngõ hẹp, "
                       "cảnh sát phong tỏa hiện trường và đưa người dân ra ngoài."));
    writer.Commit();
  }
  for (const char* query : {"vụ cháy chung cư mini ở quận Thanh Xuân làm bao nhiêu người "
                            "thiệt mạng",
                            "vu chay chung cu mini o quan Thanh Xuan lam bao nhieu nguoi "
                            "thiet mang"}) {
    SearchRequest request;
    request.query = query;
    const SearchResponse response = Searcher(db).Search(request);
    EXPECT_TRUE(response.relaxed) << query;
    std::vector<std::string> ids;
    for (const Hit& hit : response.hits) ids.push_back(hit.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"together", "scattered"})) << query;
  }
}

TEST_F(MatchModeTest, TotalAndFacetsDescribeTheRelaxedSet) {
  const SearchResponse response = Search("mưa chung cư", MatchMode::kAny);
  EXPECT_TRUE(response.relaxed);
  EXPECT_EQ(response.total, 3u);  // fire, scattered, weather
  EXPECT_EQ(response.hits.size(), 3u);
  uint64_t counted = 0;
  for (const Facet& facet : response.facets) {
    for (const FacetValue& value : facet.values) counted += value.count;
  }
  EXPECT_EQ(counted, 3u);
}

TEST_F(MatchModeTest, PlusMakesAWordRequired) {
  const SearchResponse response = Search("mưa +chung cư", MatchMode::kAny);
  EXPECT_EQ(response.total, 2u);  // fire, scattered: both have "chung"
  for (const Hit& hit : response.hits) EXPECT_NE(hit.id, "weather");
}

TEST_F(MatchModeTest, QuotedPhrasesStayRequired) {
  const SearchResponse response = Search("\"chung cư mini\" khiến mưa", MatchMode::kAny);
  EXPECT_EQ(Ids(response), std::vector<std::string>{"fire"});
}

TEST_F(MatchModeTest, UnaccentedQuestionRanksLikeTheAccentedOne) {
  const SearchResponse accented = Search("ai là huấn luyện viên đội tuyển Việt Nam");
  const SearchResponse plain = Search("ai la huan luyen vien doi tuyen viet nam");
  EXPECT_TRUE(plain.relaxed);
  ASSERT_FALSE(plain.hits.empty());
  EXPECT_EQ(plain.hits[0].id, accented.hits[0].id);
}

TEST_F(MatchModeTest, CliSaysWhenTheQueryWasRelaxed) {
  const auto human = testing::RunTim({"search", "--db", db(), "ai là huấn luyện viên"});
  EXPECT_EQ(human.exit_code, 0) << human.err;
  EXPECT_NE(human.out.find("Relaxed match: showing the articles with most"), std::string::npos) << human.out;
  const auto json = testing::RunTim({"search", "--db", db(), "--json", "ai là huấn luyện viên"});
  EXPECT_EQ(nlohmann::json::parse(json.out)["match"], "relaxed");
  const auto all = testing::RunTim(
      {"search", "--db", db(), "--json", "--match", "all", "ai là huấn luyện viên"});
  const auto parsed = nlohmann::json::parse(all.out);
  EXPECT_EQ(parsed["match"], "all");
  EXPECT_EQ(parsed["total"], 0);
}

// A relaxed match ranks the article holding all of the query's words above
// a short one repeating its two rarest, which BM25 alone prefers (the
// others are common in this database).
TEST(RelaxedCoverageTest, MostOfTheWordsBeatTwoRareOnesRepeated) {
  testing::TempDir dir;
  const std::string db = (dir.path() / "db").string();
  IndexWriter writer(db);
  writer.Add(testing::MakeArticle(
      "most", "Tại Glasgow, hội nghị thượng đỉnh về biến đổi khí hậu kêu gọi các nước "
              "phát triển năng lượng tái tạo và giảm khí thải nhà kính trong mười năm tới, "
              "trong khi nhiều quốc gia đang phát triển đề nghị được hỗ trợ tài chính."));
  writer.Add(testing::MakeArticle("rare", "Glasgow: khí thải. Glasgow, khí thải."));
  for (int i = 0; i < 8; ++i) {
    writer.Add(testing::MakeArticle("other" + std::to_string(i),
                                    "Hội nghị về biến đổi khí hậu bàn cách dùng năng lượng "
                                    "tái tạo trong năm tới."));
  }
  writer.Commit();
  SearchRequest request;
  request.query = "hội nghị Glasgow biến đổi khí hậu năng lượng tái tạo khí thải";
  const SearchResponse response = Searcher(db).Search(request);
  EXPECT_TRUE(response.relaxed);
  ASSERT_GE(response.hits.size(), 2u);
  EXPECT_EQ(response.hits[0].id, "most") << response.hits[0].score << " " << response.hits[1].id << " " << response.hits[1].score;
}

// A pasted paragraph (more than five rare syllables that articles have)
// matches the articles holding two of them; a shorter query, or one whose
// other words no article has, those holding one. A syllable typed twice
// counts once.
TEST(RelaxedMinimumTest, AParagraphNeedsTwoOfItsRareWords) {
  testing::TempDir dir;
  const std::string db = (dir.path() / "db").string();
  IndexWriter writer(db);
  writer.Add(testing::MakeArticle("one", "Kiwi được bán ở chợ."));
  writer.Add(testing::MakeArticle("two", "Kiwi và xoài được bán ở chợ."));
  writer.Add(testing::MakeArticle("four", "Ổi, mít, nhãn và vải."));
  for (int i = 0; i < 40; ++i) {
    writer.Add(testing::MakeArticle("other" + std::to_string(i), "Tin thời tiết hôm nay."));
  }
  writer.Commit();
  const auto ids = [&](const std::string& query) {
    SearchRequest request;
    request.query = query;
    request.match = MatchMode::kAny;
    const SearchResponse response = Searcher(db).Search(request);
    std::set<std::string> found;
    for (const Hit& hit : response.hits) found.insert(hit.id);
    EXPECT_EQ(response.total, found.size()) << query;
    return found;
  };
  EXPECT_EQ(ids("kiwi xoài ổi mít nhãn vải"), (std::set<std::string>{"two", "four"}));
  EXPECT_EQ(ids("kiwi kiwi xoài ổi mít nhãn vải"), (std::set<std::string>{"two", "four"}));
  EXPECT_EQ(ids("kiwi ổi mít nhãn vải"), (std::set<std::string>{"one", "two", "four"}));
  EXPECT_EQ(ids("kiwi gấc sấu dâu bơ chanh"), (std::set<std::string>{"one", "two"}));
}

}  // namespace
}  // namespace tim
