// Accent restoration from the seed articles' own text.
#include "accent_restorer.h"

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

}  // namespace
}  // namespace tim
