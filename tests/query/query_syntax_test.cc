// The query language read into a syntax tree, its errors and its limits.
#include "query/query_syntax.h"

#include <gtest/gtest.h>

#include "tim/error.h"
#include "tim/searcher.h"

namespace tim {
namespace {

using Kind = SyntaxNode::Kind;

TEST(QuerySyntaxTest, ReadsWordsPhrasesFieldsAndOperators) {
  const ParsedQuery parsed =
      ParseQuery("đàm phán \"hòa bình\" title:Kremlin -Kursk source:\"Dân trí\" date:2023..");
  ASSERT_EQ(parsed.root.kind, Kind::kAnd);
  const std::vector<SyntaxNode>& clauses = parsed.root.children;
  ASSERT_EQ(clauses.size(), 7u);
  EXPECT_EQ(clauses[0].tokens[0].exact, "đàm");
  EXPECT_EQ(clauses[0].tokens[0].folded, "dam");
  EXPECT_TRUE(clauses[2].quoted);
  EXPECT_EQ(clauses[2].tokens.size(), 2u);
  EXPECT_TRUE(clauses[3].in_title);
  EXPECT_TRUE(clauses[4].negated);
  EXPECT_EQ(clauses[5].kind, Kind::kFilter);
  EXPECT_EQ(clauses[5].value, "Dân trí");
  EXPECT_EQ(clauses[6].kind, Kind::kDateRange);
  EXPECT_EQ(clauses[6].from, (Date{2023, 0, 0}));
  EXPECT_FALSE(clauses[6].to);
  EXPECT_TRUE(parsed.accented);
  EXPECT_TRUE(parsed.warnings.empty());
}

TEST(QuerySyntaxTest, TokensPointIntoTheNormalizedQuery) {
  const ParsedQuery parsed = ParseQuery("(Nga OR \"Mỹ\") -Kursk");
  std::vector<std::string> words;
  std::vector<const SyntaxNode*> pending = {&parsed.root};
  while (!pending.empty()) {
    const SyntaxNode* node = pending.back();
    pending.pop_back();
    for (const Token& token : node->tokens) {
      words.push_back(parsed.normalized.substr(token.begin, token.end - token.begin));
    }
    for (auto it = node->children.rbegin(); it != node->children.rend(); ++it) {
      pending.push_back(&*it);
    }
  }
  EXPECT_EQ(words, (std::vector<std::string>{"Nga", "Mỹ", "Kursk"}));
}

TEST(QuerySyntaxTest, OperatorsGroupAndMarkWhatFollowsThem) {
  const ParsedQuery parsed = ParseQuery("(Nga OR Mỹ) AND NOT Kursk");
  ASSERT_EQ(parsed.root.children.size(), 2u);
  const SyntaxNode& group = parsed.root.children[0];
  EXPECT_TRUE(group.grouped);
  ASSERT_EQ(group.kind, Kind::kOr);
  EXPECT_FALSE(group.children[0].after_operator);
  EXPECT_TRUE(group.children[1].after_operator);
  const SyntaxNode& excluded = parsed.root.children[1];
  EXPECT_TRUE(excluded.negated);
  EXPECT_TRUE(excluded.after_operator);
}

TEST(QuerySyntaxTest, SyntaxErrorsFallBackOrThrow) {
  for (const char* query : {"\"đàm phán", "(Nga OR Mỹ", "Nga)", "Nga OR", "NOT", "date:2023-13"}) {
    const ParsedQuery parsed = ParseQuery(query);
    EXPECT_EQ(parsed.warnings.size(), 1u) << query;
    EXPECT_THROW(ParseQuery(query, /*strict=*/true), Error) << query;
  }
}

TEST(QuerySyntaxTest, StrictErrorSaysWhere) {
  try {
    ParseQuery("Nga \"đàm phán", true);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("character 5"), std::string::npos) << e.what();
  }
}

// Hardening finding 3: ~10,000 nested parentheses (20 KB) overflowed the
// stack of the recursive parser, with and without strict, and in the
// plain-words fallback for unbalanced ones.
TEST(QuerySyntaxTest, TenThousandNestedParenthesesAreASyntaxError) {
  const std::string deep = std::string(4000, '(') + "Nga" + std::string(4000, ')');
  const std::string unbalanced = std::string(4000, '(') + "Nga";
  for (const std::string& query : {deep, unbalanced}) {
    const ParsedQuery parsed = ParseQuery(query);
    ASSERT_EQ(parsed.warnings.size(), 1u);
    EXPECT_NE(parsed.warnings[0].find("searched for its words instead"), std::string::npos);
    ASSERT_EQ(parsed.root.children.size(), 1u);
    EXPECT_EQ(parsed.root.children[0].tokens[0].folded, "nga");
    EXPECT_THROW(ParseQuery(query, /*strict=*/true), Error);
  }
  try {
    ParseQuery(deep, true);
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("nested more than 32 deep at character 33"),
              std::string::npos) << e.what();
    EXPECT_LT(std::string(e.what()).size(), 300u);  // the query is not repeated whole
  }
}

TEST(QuerySyntaxTest, NestingUpToTheLimitIsFine) {
  const std::string query = std::string(kMaxQueryDepth, '(') + "Nga OR Mỹ" +
                            std::string(kMaxQueryDepth, ')');
  const ParsedQuery parsed = ParseQuery(query, /*strict=*/true);
  EXPECT_TRUE(parsed.warnings.empty());
}

// Hardening finding 4: 2,000 ORed words took 12.5 s on the corpus and
// 100 KB of words 49 s and 1.4 GB. A query over kMaxQueryBytes is refused
// (2,000 ORed words are 17 KB); in a shorter one, the words past
// kMaxQueryWords are left out, with a warning saying from where.
std::string OrOfWords(int words) {
  std::string query = "w0";
  for (int i = 1; i < words; ++i) query += " OR w" + std::to_string(i);
  return query;
}

TEST(QuerySyntaxTest, TwoThousandOrTermsAreRefusedAndNineHundredCut) {
  EXPECT_THROW(ParseQuery(OrOfWords(2000)), Error);
  const std::string query = OrOfWords(900);
  ASSERT_LE(query.size(), kMaxQueryBytes);
  const ParsedQuery parsed = ParseQuery(query);
  ASSERT_EQ(parsed.warnings.size(), 1u);
  EXPECT_NE(parsed.warnings[0].find("more than 100 words"), std::string::npos)
      << parsed.warnings[0];
  // Read as if the query ended after its 100th word, not at a dangling OR.
  ASSERT_EQ(parsed.root.kind, Kind::kOr);
  EXPECT_EQ(parsed.root.children.size(), kMaxQueryWords);
  try {
    ParseQuery(query, /*strict=*/true);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("more than 100 words"), std::string::npos) << e.what();
  }
}

TEST(QuerySyntaxTest, ACutQueryClosesItsGroups) {
  std::string query = "Nga (";
  for (int i = 0; i < 120; ++i) {
    query += 'w';  // (GCC 12 warns falsely about "w" + std::to_string(i))
    query += std::to_string(i);
    query += " OR ";
  }
  query += "x)";
  const ParsedQuery parsed = ParseQuery(query);
  ASSERT_EQ(parsed.warnings.size(), 1u) << parsed.warnings[0];
  ASSERT_EQ(parsed.root.children.size(), 2u);
  EXPECT_TRUE(parsed.root.children[1].grouped);
  EXPECT_EQ(parsed.root.children[1].children.size(), kMaxQueryWords - 1);
}

TEST(QuerySyntaxTest, ALongQueryOfPlainWordsKeepsItsFirstWords) {
  std::string query;
  for (int i = 0; i < 150; ++i) query += "từ" + std::to_string(i) + " ";
  const ParsedQuery parsed = ParseQuery(query);
  ASSERT_EQ(parsed.warnings.size(), 1u);
  EXPECT_NE(parsed.warnings[0].find("from character 491 on were left out"), std::string::npos)
      << parsed.warnings[0];
  size_t words = 0;
  for (const SyntaxNode& clause : parsed.root.children) words += clause.tokens.size();
  EXPECT_EQ(words, kMaxQueryWords);
  EXPECT_EQ(parsed.root.children[99].tokens[0].exact, "từ99");
}

TEST(QuerySyntaxTest, HundredKilobytesOfWordsAreRefused) {
  std::string query;
  while (query.size() < 100 * 1024) query += "chung cư mini ";
  try {
    ParseQuery(query);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("the limit is 8192"), std::string::npos) << e.what();
  }
}

// Whether the user typed diacritics (đ too) in the words searched for,
// quoted or in the title too; not in an excluded word or a filter's value.
TEST(QuerySyntaxTest, TellsWhetherTheSearchedWordsWereTypedWithDiacritics) {
  for (const char* typed : {"cung cấp", "đo", "\"tai nạn\" xe", "title:điện tai nan",
                            "tai (nan OR xế)", "NOT xe tai nạn"}) {
    EXPECT_TRUE(ParseQuery(typed).typed_diacritics) << typed;
  }
  for (const char* plain : {"cung cap", "tai nan -điện", "tai nan NOT (xe OR điện)",
                            "tai nan source:\"Dân trí\"", " "}) {
    EXPECT_FALSE(ParseQuery(plain).typed_diacritics) << plain;
  }
}

TEST(QuerySyntaxTest, BlankAndEmptyQueries) {
  EXPECT_TRUE(ParseQuery(" \t").blank);
  const ParsedQuery punctuation = ParseQuery("?!");
  EXPECT_FALSE(punctuation.blank);
  EXPECT_TRUE(IsEmpty(punctuation.root));
  ASSERT_EQ(punctuation.warnings.size(), 1u);
  EXPECT_EQ(punctuation.warnings[0], "the query has no searchable words");
  EXPECT_FALSE(IsEmpty(ParseQuery("source:x").root));
}

}  // namespace
}  // namespace tim
