#include "query_builder.h"

#include <gtest/gtest.h>

#include "tim/error.h"

namespace tim {
namespace {

std::string Describe(const std::string& query) {
  return BuildQuery(query).query.get_description();
}

TEST(QueryBuilderTest, UnaccentedQueryUsesFoldedTermsOnly) {
  const std::string description = Describe("dam phan");
  EXPECT_NE(description.find("dam"), std::string::npos) << description;
  EXPECT_EQ(description.find("Edam"), std::string::npos) << description;
}

TEST(QueryBuilderTest, AccentedQueryAddsExactBoosts) {
  const std::string description = Describe("đàm phán");
  EXPECT_NE(description.find("Eđàm"), std::string::npos) << description;
  EXPECT_NE(description.find("PHRASE"), std::string::npos) << description;
}

TEST(QueryBuilderTest, NfdAndToneStylesGiveTheSameQuery) {
  EXPECT_EQ(Describe("hoà bình"), Describe("hòa bình"));
  EXPECT_EQ(Describe("ho\xcc\x80" "a bi\xcc\x80nh"), Describe("hòa bình"));
}

TEST(QueryBuilderTest, HighlightKeysExcludeNegatedTerms) {
  const BuiltQuery built = BuildQuery("Ukraine -Nga");
  EXPECT_EQ(built.highlight_keys, std::vector<std::string>{"ukraine"});
}

TEST(QueryBuilderTest, SyntaxErrorsFallBackOrThrow) {
  for (const char* query : {"\"đàm phán", "(Nga OR Mỹ", "Nga)", "Nga OR", "NOT"}) {
    const BuiltQuery built = BuildQuery(query);
    EXPECT_EQ(built.warnings.size(), 1u) << query;
    EXPECT_THROW(BuildQuery(query, /*strict=*/true), Error) << query;
  }
}

TEST(QueryBuilderTest, StrictErrorSaysWhere) {
  try {
    BuildQuery("Nga \"đàm phán", true);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("character 5"), std::string::npos) << e.what();
  }
}

TEST(QueryBuilderTest, EmptyQueryMatchesAllAndPunctuationMatchesNothing) {
  EXPECT_EQ(BuildQuery("  ").query.get_description(),
            Xapian::Query(Xapian::Query::MatchAll).get_description());
  const BuiltQuery punctuation = BuildQuery("?!");
  EXPECT_TRUE(punctuation.query.empty());
  EXPECT_EQ(punctuation.warnings.size(), 1u);
}

}  // namespace
}  // namespace tim
