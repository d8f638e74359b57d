#include "query/query_builder.h"

#include <gtest/gtest.h>

#include "text/common_spellings.h"
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

// Common spellings are read from the position maps, others from their
// exact terms (common_spellings.h).
TEST(QueryBuilderTest, AccentedQueryAddsExactBoosts) {
  ASSERT_TRUE(IsCommonSpelling("người"));
  ASSERT_FALSE(IsCommonSpelling("hãy"));
  const std::string description = Describe("người Việt hãy");
  EXPECT_NE(description.find("EXACT(người)"), std::string::npos) << description;
  EXPECT_NE(description.find("EXACT(việt)"), std::string::npos) << description;
  EXPECT_NE(description.find("Ehãy"), std::string::npos) << description;
  EXPECT_EQ(description.find("Engười"), std::string::npos) << description;
  EXPECT_EQ(Describe("nguoi viet hay").find("EXACT"), std::string::npos);
  EXPECT_NE(Describe("đàm phán").find("PHRASE"), std::string::npos);
}

TEST(QueryBuilderTest, NfdAndToneStylesGiveTheSameQuery) {
  EXPECT_EQ(Describe("hoà bình"), Describe("hòa bình"));
  EXPECT_EQ(Describe("ho\xcc\x80" "a bi\xcc\x80nh"), Describe("hòa bình"));
}

// `typed` read as `accented`, described.
std::string DescribeReadAs(const std::string& typed, const std::string& accented) {
  BuiltQuery built = BuildQuery(typed);
  ReadAs(accented, &built);
  return built.query.get_description();
}

TEST(QueryBuilderTest, ReadAsGivesTheAccentedQuery) {
  // "minh" has no diacritic: as typed in "lúc bình minh" it still weighs
  // exactly, and so it does in "luc binh minh" read as that.
  EXPECT_EQ(DescribeReadAs("luc binh minh", "lúc bình minh"), Describe("lúc bình minh"));
  EXPECT_NE(DescribeReadAs("luc binh minh", "lúc bình minh").find("Eminh"),
            std::string::npos);
  EXPECT_EQ(DescribeReadAs("Arsenal doat \"Sieu Cup\" -MU", "arsenal đoạt \"siêu cup\" -MU"),
            Describe("arsenal đoạt \"siêu cup\" -MU"));
}

TEST(QueryBuilderTest, ReadAsTakesTheAccentedStopwords) {
  // Typed "thi" could be the stopword "thì", so it is optional; read as
  // "thị" it is required, as in the written query.
  BuiltQuery built = BuildQuery("thi ngai xuat");
  EXPECT_EQ(built.query.get_description().find("AND_MAYBE thi"), std::string::npos);
  ReadAs("thị ngại xuất", &built);
  EXPECT_EQ(built.query.get_description(), Describe("thị ngại xuất"));
  ASSERT_EQ(built.match.op, MatchTree::Op::kAnd);
  EXPECT_EQ(built.match.children.size(), 3u);
  EXPECT_EQ(built.match.children[0].term, "thi");
}

TEST(QueryBuilderTest, ReadAsIgnoresOtherWords) {
  BuiltQuery built = BuildQuery("dam phan");
  const std::string before = built.query.get_description();
  ReadAs("hòa bình", &built);
  EXPECT_EQ(built.query.get_description(), before);
  ReadAs("đàm phán hòa bình", &built);
  EXPECT_EQ(built.query.get_description(), before);
  ReadAs("đàm phán", &built);
  EXPECT_NE(built.query.get_description(), before);
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
