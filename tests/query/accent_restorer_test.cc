// Accent restoration from the seed articles' own text.
#include "query/accent_restorer.h"

#include <gtest/gtest.h>

#include <memory>

#include "test_util.h"
#include "tim/index_writer.h"

namespace tim {
namespace {

class AccentRestorerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const std::string path = (dir_->path() / "db").string();
    IngestPaths(path, {testing::SeedsDir()});
    db_ = new Xapian::Database(path);
  }
  static void TearDownTestSuite() {
    delete db_;
    delete dir_;
  }

  static std::optional<std::string> Suggest(std::string_view query) {
    return SuggestAccents(*db_, query);
  }

  static testing::TempDir* dir_;
  static Xapian::Database* db_;
};

testing::TempDir* AccentRestorerTest::dir_ = nullptr;
Xapian::Database* AccentRestorerTest::db_ = nullptr;

TEST_F(AccentRestorerTest, RestoresWordsOfTheSeeds) {
  struct Case {
    const char* query;
    const char* expected;
  };
  const Case cases[] = {
      {"dam phan", "đàm phán"},
      // The seeds write hòa bình five times and hoà bình once.
      {"hoa binh", "hòa bình"},
      {"lien minh chau au", "liên minh châu âu"},
      {"dam phan hoa binh", "đàm phán hòa bình"},
      {"Dam Phan", "đàm phán"},
      {"ngoai truong nga", "ngoại trưởng nga"},
      {"dam phan  ukraine", "đàm phán  ukraine"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Suggest(c.query), std::optional<std::string>(c.expected)) << c.query;
  }
}

TEST_F(AccentRestorerTest, KeepsQuerySyntax) {
  EXPECT_EQ(Suggest("\"dam phan\" OR hoa binh"),
            std::optional<std::string>("\"đàm phán\" OR hòa bình"));
  EXPECT_EQ(Suggest("dam phan -nga"), std::optional<std::string>("đàm phán -nga"));
  EXPECT_EQ(Suggest("dam phan -điện"), std::optional<std::string>("đàm phán -điện"));
  EXPECT_EQ(Suggest("(dam phan) NOT nga"),
            std::optional<std::string>("(đàm phán) NOT nga"));
  EXPECT_EQ(Suggest("title:ngoai truong"),
            std::optional<std::string>("title:ngoại trưởng"));
  EXPECT_EQ(Suggest("source:\"dan tri\" dam phan"),
            std::optional<std::string>("source:\"dan tri\" đàm phán"));
}

TEST_F(AccentRestorerTest, WordsNeverSeenKeepTheirForm) {
  // No seed has every word: any of them is searched instead.
  EXPECT_EQ(Suggest("dam phan xyzzyq"),
            std::optional<std::string>("đàm phán xyzzyq"));
}

TEST_F(AccentRestorerTest, NothingToSuggest) {
  EXPECT_EQ(Suggest("đàm phán"), std::nullopt);  // already accented
  EXPECT_EQ(Suggest("dam phán"), std::nullopt);  // partly accented
  EXPECT_EQ(Suggest("xyzzyq qwrtz"), std::nullopt);
  EXPECT_EQ(Suggest("ukraine"), std::nullopt);  // already as written
  EXPECT_EQ(Suggest("UKRAINE"), std::nullopt);  // only the case would change
  EXPECT_EQ(Suggest(""), std::nullopt);
  EXPECT_EQ(Suggest("\" ( -"), std::nullopt);
  EXPECT_EQ(Suggest("source:unknown"), std::nullopt);
}

TEST_F(AccentRestorerTest, DecomposedDiacriticsCountAsDiacritics) {
  EXPECT_EQ(Suggest("da\xcc\x80m pha\xcc\x81n"), std::nullopt);  // NFD "dàm phán"
}

// Articles written for one test each, in a database of their own.
class AccentRestorerCasesTest : public ::testing::Test {
 protected:
  std::optional<std::string> SuggestFrom(const std::vector<std::string>& bodies,
                                         std::string_view query) {
    const std::string path = (dir_.path() / "db").string();
    {
      IndexWriter writer(path);
      for (size_t i = 0; i < bodies.size(); ++i) {
        std::string id = "a";
        id += std::to_string(i);
        writer.Add(testing::MakeArticle(id, bodies[i]));
      }
      writer.Commit();
    }
    return SuggestAccents(Xapian::Database(path), query);
  }

  testing::TempDir dir_;
};

TEST_F(AccentRestorerCasesTest, TheLongestRunDecides) {
  // "có" is far more frequent, but only "cổ" stands between these words.
  EXPECT_EQ(SuggestFrom({"Có ai có thể kể chuyện cổ tích? Có, có chứ, có nhiều."},
                        "chuyen co tich"),
            std::optional<std::string>("chuyện cổ tích"));
  EXPECT_EQ(SuggestFrom({"Có ai có thể kể chuyện cổ tích? Có, có chứ, có nhiều."}, "co"),
            std::optional<std::string>("có"));
}

TEST_F(AccentRestorerCasesTest, AWordRightAfterAFullRunDoesNotOverwriteIt) {
  // Regression: the token after a run as long as the query took the place
  // of the run's first token ("cầu cầu tạm thay").
  EXPECT_EQ(SuggestFrom({"Gấp rút làm cầu tạm thay cầu Cây Sung bị sập."}, "lam cau tam thay"),
            std::optional<std::string>("làm cầu tạm thay"));
}

TEST_F(AccentRestorerCasesTest, LinesTypedWithoutDiacriticsAreNotEvidence) {
  EXPECT_EQ(SuggestFrom({"Tiêu đề: mong sao yen vy se vuot qua duoc cu soc nay\n"
                         "Mong Yến Vy vượt qua được cú sốc."},
                        "vuot qua duoc cu soc"),
            std::optional<std::string>("vượt qua được cú sốc"));
}

TEST_F(AccentRestorerCasesTest, NamesDoNotMakeALineLookTypedWithoutDiacritics) {
  EXPECT_EQ(SuggestFrom({"Chelsea sa thải HLV Ranieri"}, "chelsea sa thai hlv ranieri"),
            std::optional<std::string>("chelsea sa thải hlv ranieri"));
}

TEST_F(AccentRestorerCasesTest, RunsBreakAtSentenceEndsNotAtCommas) {
  // Across the period, "hoa" stands next to "binh" only as "hoa. Bình";
  // across the comma, "hòa, bình" counts.
  EXPECT_EQ(SuggestFrom({"Họ trồng hoa. Bình yên. Họ muốn hòa, bình an."}, "hoa binh"),
            std::optional<std::string>("hòa bình"));
}

TEST_F(AccentRestorerCasesTest, FollowsTheArticlesTonePlacement) {
  EXPECT_EQ(SuggestFrom({"Hoà bình và hoà giải.", "Hoà bình lập lại.", "Hòa bình."},
                        "hoa binh"),
            std::optional<std::string>("hoà bình"));
}

TEST_F(AccentRestorerCasesTest, LinesWithLettersOfOtherScriptsAreReadToo) {
  // Cyrillic and Han letters are not Vietnamese: such a line is read by the
  // analyzer's tokenizer, the others by the restorer's own scanner; both
  // count the same runs.
  EXPECT_EQ(SuggestFrom({"Đám đông ở Москва.\nĐàm phán ở Москва và 北京.\nĐàm phán xong."},
                        "dam phan o"),
            std::optional<std::string>("đàm phán ở"));
}

TEST_F(AccentRestorerCasesTest, IAndYAfterOneConsonantAreTheSameSyllable) {
  // "ky" folds to "ki", as "kỹ" and "kĩ" do; the spelling follows the text.
  EXPECT_EQ(SuggestFrom({"Kỹ thuật số cần kỹ sư."}, "ky thuat"),
            std::optional<std::string>("kỹ thuật"));
  EXPECT_EQ(SuggestFrom({"Kĩ thuật số cần kĩ sư."}, "ki thuat"),
            std::optional<std::string>("kĩ thuật"));
}

TEST_F(AccentRestorerCasesTest, TokensTooLongToIndexDoNotBreakARun) {
  // The analyzer drops a token over 64 bytes, so "đám" and "phàn" are
  // adjacent: a run of two, longer than the runs of "đàm" and "phán".
  const std::string filler(70, 'x');
  EXPECT_EQ(SuggestFrom({"Họ nói đám " + filler + " phàn.", "Đàm. Phán."}, "dam phan"),
            std::optional<std::string>("đám phàn"));
}

TEST_F(AccentRestorerCasesTest, TheBestMatchingArticlesAreRead) {
  // 42 articles have the phrase; the 20 read are the best ranked, the short
  // ones writing "hoà", not the first 20 indexed, which write "hòa".
  std::vector<std::string> bodies;
  std::string padding;
  for (int i = 0; i < 60; ++i) padding += " Thời tiết hôm nay đẹp, trời trong xanh.";
  for (int i = 0; i < 21; ++i) bodies.push_back("Tin tức." + padding + " Hòa bình.");
  for (int i = 0; i < 21; ++i) bodies.push_back("Hoà bình.");
  EXPECT_EQ(SuggestFrom(bodies, "hoa binh"), std::optional<std::string>("hoà bình"));
}

}  // namespace
}  // namespace tim
