// The query compiler: what a parsed query becomes for Xapian and for the
// match set, read through the queries' descriptions.
#include "query/query_compiler.h"

#include <gtest/gtest.h>

#include <map>

#include "index/document_builder.h"
#include "test_util.h"
#include "text/common_spellings.h"
#include "tim/error.h"

namespace tim {
namespace {

CompiledQuery Compile(const ParsedQuery& parsed) { return CompiledQuery(parsed, {}, {}); }

// The whole ranking, map boosts included.
std::string Describe(const std::string& query) {
  return Compile(ParseQuery(query)).SinglePass().get_description();
}

TEST(QueryCompilerTest, UnaccentedQueryUsesFoldedTermsOnly) {
  const std::string description = Describe("dam phan");
  EXPECT_NE(description.find("dam"), std::string::npos) << description;
  EXPECT_EQ(description.find("Edam"), std::string::npos) << description;
}

// Common spellings are read from the position maps, others from their
// exact terms (common_spellings.h).
TEST(QueryCompilerTest, AccentedQueryAddsExactBoosts) {
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

// The first pass leaves out what reads position maps, and only that.
TEST(QueryCompilerTest, TheFirstPassHasNoMapBoosts) {
  const CompiledQuery compiled = Compile(ParseQuery("người Việt hãy"));
  EXPECT_TRUE(compiled.has_map_boosts());
  EXPECT_TRUE(compiled.has_adjacency_boosts());
  const std::string first = compiled.first_pass().get_description();
  EXPECT_EQ(first.find("EXACT("), std::string::npos) << first;
  EXPECT_EQ(first.find("PHRASE("), std::string::npos) << first;
  EXPECT_NE(first.find("Ehãy"), std::string::npos) << first;
  const CompiledQuery exact_only = Compile(ParseQuery("người"));
  EXPECT_TRUE(exact_only.has_map_boosts());
  EXPECT_FALSE(exact_only.has_adjacency_boosts());
  const CompiledQuery none = Compile(ParseQuery("nguoi"));
  EXPECT_FALSE(none.has_map_boosts());
  EXPECT_EQ(none.SinglePass().get_description(), none.first_pass().get_description());
}

// In a relaxed match the function words are left to the second pass,
// which weighs only the first pass's best articles.
TEST(QueryCompilerTest, ARelaxedFirstPassLeavesTheFunctionWordsToTheSecond) {
  const ParsedQuery parsed = ParseQuery("giá của vàng tăng");
  const CompiledQuery relaxed(parsed, {}, {}, /*relaxed=*/true);
  ASSERT_TRUE(relaxed.has_map_boosts());
  EXPECT_EQ(relaxed.first_pass().get_description().find("cua"), std::string::npos)
      << relaxed.first_pass().get_description();
  EXPECT_NE(relaxed.SinglePass().get_description().find("cua"), std::string::npos);
  EXPECT_NE(Compile(parsed).first_pass().get_description().find("cua"), std::string::npos);
}

// The weights of `query`'s matches in `db`, by document.
std::map<Xapian::docid, double> Weights(const Xapian::Database& db, const Xapian::Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  std::map<Xapian::docid, double> weights;
  const Xapian::MSet mset = enquire.get_mset(0, 10);
  for (auto it = mset.begin(); it != mset.end(); ++it) weights[*it] = it.get_weight();
  return weights;
}

// The second pass weighs a common spelling by its share of the window's
// articles with the syllable (phrase_query.h's ExactBoost): "năm", written
// in one of the four articles with folded "nam", weighs more there than
// the folded syllable's frequency alone would make it.
TEST(QueryCompilerTest, TheSecondPassReadsTheMapsOfItsWindow) {
  ASSERT_TRUE(IsCommonSpelling("năm"));
  testing::TempDir dir;
  std::vector<Xapian::docid> all;
  {
    Xapian::WritableDatabase db(dir.path().string(), Xapian::DB_CREATE);
    int n = 0;
    for (const char* body : {"Năm mới đã đến.", "Nằm nghỉ ở nhà.", "Miền Nam nắng.", "Nằm im."}) {
      all.push_back(db.add_document(BuildDocument(testing::MakeArticle(std::to_string(++n), body))));
    }
    db.commit();
  }
  const Xapian::Database db(dir.path().string());
  const CompiledQuery compiled(ParseQuery("năm"), {}, {});
  ASSERT_TRUE(compiled.has_map_boosts());
  const auto second = Weights(db, compiled.SecondPass(db, all));
  const auto single = Weights(db, compiled.SinglePass());
  EXPECT_GT(second.at(all[0]), single.at(all[0]));
  EXPECT_DOUBLE_EQ(second.at(all[1]), single.at(all[1]));  // no "năm" to weigh
}

TEST(QueryCompilerTest, NfdAndToneStylesGiveTheSameQuery) {
  EXPECT_EQ(Describe("hoà bình"), Describe("hòa bình"));
  EXPECT_EQ(Describe("ho\xcc\x80" "a bi\xcc\x80nh"), Describe("hòa bình"));
}

// `typed`, read with the exact keys of `accented`'s syllables, one for
// each of its own in order.
std::string DescribeReadAs(const std::string& typed, const std::string& accented) {
  const ParsedQuery parsed = ParseQuery(typed);
  std::vector<const Token*> tokens;
  std::vector<const SyntaxNode*> pending = {&parsed.root};
  while (!pending.empty()) {
    const SyntaxNode* node = pending.back();
    pending.pop_back();
    for (const Token& token : node->tokens) tokens.push_back(&token);
    for (auto it = node->children.rbegin(); it != node->children.rend(); ++it) {
      pending.push_back(&*it);
    }
  }
  const std::vector<Token> written = Tokenize(NormalizeText(accented));
  EXPECT_EQ(tokens.size(), written.size());
  std::vector<Spelling> spellings;
  for (size_t i = 0; i < tokens.size() && i < written.size(); ++i) {
    spellings.push_back({tokens[i]->begin, written[i].exact});
  }
  return Compile(ReadAs(parsed, spellings)).SinglePass().get_description();
}

TEST(QueryCompilerTest, ReadAsGivesTheAccentedQuery) {
  // "minh" has no diacritic: as typed in "lúc bình minh" it still weighs
  // exactly, and so it does in "luc binh minh" read as that.
  EXPECT_EQ(DescribeReadAs("luc binh minh", "lúc bình minh"), Describe("lúc bình minh"));
  EXPECT_NE(DescribeReadAs("luc binh minh", "lúc bình minh").find("Eminh"),
            std::string::npos);
  EXPECT_EQ(DescribeReadAs("Arsenal doat \"Sieu Cup\" -MU", "arsenal đoạt \"siêu cup\" -MU"),
            Describe("arsenal đoạt \"siêu cup\" -MU"));
}

TEST(QueryCompilerTest, ReadAsTakesTheAccentedStopwords) {
  // Typed "thi" could be the stopword "thì", so it is optional; read as
  // "thị" it is required, as in the written query.
  EXPECT_EQ(Describe("thi ngai xuat").find("AND_MAYBE thi"), std::string::npos);
  EXPECT_EQ(DescribeReadAs("thi ngai xuat", "thị ngại xuất"), Describe("thị ngại xuất"));
  const CompiledQuery compiled = Compile(ParseQuery("thị ngại xuất"));
  ASSERT_EQ(compiled.match().op, MatchTree::Op::kAnd);
  EXPECT_EQ(compiled.match().children.size(), 3u);
  EXPECT_EQ(compiled.match().children[0].term, "thi");
}

TEST(QueryCompilerTest, ReadAsChangesOnlyTheSpelledSyllables) {
  const ParsedQuery parsed = ParseQuery("dam phan");
  const ParsedQuery read = ReadAs(parsed, {{4, "phán"}});
  EXPECT_TRUE(read.accented);
  EXPECT_EQ(read.root.children[0].tokens[0].exact, "dam");
  EXPECT_EQ(read.root.children[1].tokens[0].exact, "phán");
  EXPECT_EQ(read.root.children[1].tokens[0].folded, "phan");
  EXPECT_FALSE(ReadAs(parsed, {{1, "đàm"}}).accented);  // no syllable starts there
}

// The folded syllables the match of `parsed` requires (an AND of terms).
std::vector<std::string> RequiredSyllables(const ParsedQuery& parsed) {
  const MatchTree match = Compile(parsed).match();
  if (match.op == MatchTree::Op::kTerm) return {match.term};
  std::vector<std::string> syllables;
  for (const MatchTree& child : match.children) syllables.push_back(child.term);
  return syllables;
}

std::vector<std::string> RequiredSyllables(const std::string& query) {
  return RequiredSyllables(ParseQuery(query));
}

using Syllables = std::vector<std::string>;

// Typed among accented words, a plain syllable means itself: "cung cấp"
// (to supply) requires "cung", no function word "cũng" (also); "hiện nay"
// "nay", not "này"; "tai nạn" "tai", not "tại". Nor is "tai sao" "tại sao".
TEST(QueryCompilerTest, AnAccentedQueryRequiresItsPlainSyllables) {
  EXPECT_EQ(RequiredSyllables("cung cấp"), (Syllables{"cung", "cap"}));
  EXPECT_EQ(RequiredSyllables("hiện nay"), (Syllables{"hien", "nay"}));
  EXPECT_EQ(RequiredSyllables("tai nạn"), (Syllables{"tai", "nan"}));
  EXPECT_EQ(RequiredSyllables("tai sao giá xăng"), (Syllables{"tai", "sao", "gia", "xang"}));
  // Typed as the function words, they are still optional.
  EXPECT_EQ(RequiredSyllables("cũng cấp"), (Syllables{"cap"}));
  EXPECT_EQ(RequiredSyllables("tại sao giá xăng"), (Syllables{"gia", "xang"}));
}

// Typed without diacritics, a plain syllable may be the function word it
// folds to ("tai sao": "tại sao"), also when an accent suggestion restored
// the other words and left it plain.
TEST(QueryCompilerTest, AnUnaccentedQueryKeepsItsPlainFunctionWords) {
  EXPECT_EQ(RequiredSyllables("cung cap"), (Syllables{"cap"}));
  const ParsedQuery parsed = ParseQuery("tai sao gia xang tang");
  EXPECT_EQ(RequiredSyllables(parsed), (Syllables{"gia", "xang", "tang"}));
  const ParsedQuery read = ReadAs(parsed, {{8, "giá"}, {12, "xăng"}, {17, "tăng"}});
  ASSERT_TRUE(read.accented);
  EXPECT_FALSE(read.typed_diacritics);
  EXPECT_EQ(RequiredSyllables(read), (Syllables{"gia", "xang", "tang"}));
}

TEST(QueryCompilerTest, HighlightKeysExcludeNegatedTerms) {
  for (const char* query : {"Ukraine -Nga", "Ukraine NOT Nga", "Ukraine -(Nga OR Mỹ)"}) {
    EXPECT_EQ(Compile(ParseQuery(query)).highlight_keys(), std::vector<std::string>{"ukraine"})
        << query;
  }
}

TEST(QueryCompilerTest, EmptyQueryMatchesAllAndPunctuationMatchesNothing) {
  const CompiledQuery all = Compile(ParseQuery("  "));
  EXPECT_EQ(all.first_pass().get_description(),
            Xapian::Query(Xapian::Query::MatchAll).get_description());
  EXPECT_EQ(all.match().op, MatchTree::Op::kAll);
  const ParsedQuery punctuation = ParseQuery("?!");
  EXPECT_TRUE(Compile(punctuation).empty());
  EXPECT_EQ(punctuation.warnings.size(), 1u);
}

// The search's filters narrow both halves, so totals count what is ranked.
TEST(QueryCompilerTest, FiltersGoToTheQueryAndTheMatchSet) {
  SearchFilters filters;
  filters.from = Date{2023, 0, 0};
  filters.any_of_terms = {{"XSdan tri", "XSvnexpress"}};
  const CompiledQuery compiled(ParseQuery("Ukraine"), filters, {});
  const std::string description = compiled.first_pass().get_description();
  EXPECT_NE(description.find("VALUE_GE 1 20230000"), std::string::npos) << description;
  EXPECT_NE(description.find("XSvnexpress"), std::string::npos) << description;
  const MatchTree& match = compiled.match();
  ASSERT_EQ(match.op, MatchTree::Op::kAnd);
  ASSERT_EQ(match.children.size(), 2u);
  EXPECT_EQ(match.children[1].op, MatchTree::Op::kOr);
  ASSERT_EQ(match.children[0].op, MatchTree::Op::kAnd);
  EXPECT_EQ(match.children[0].children[1].op, MatchTree::Op::kDateRange);
  EXPECT_EQ(match.children[0].children[1].from_key, 20230000u);
}

// "More like this" is a tree of index terms: any of them, not the article.
TEST(QueryCompilerTest, IndexTermsCompileAsTheyAre) {
  ParsedQuery similar;
  similar.blank = false;
  similar.root = SyntaxNode::Group(
      SyntaxNode::Kind::kAnd,
      {SyntaxNode::Group(SyntaxNode::Kind::kOr,
                         {SyntaxNode::Term("nato"), SyntaxNode::Term("kremlin")}),
       SyntaxNode::Term("Qa1", /*negated=*/true)});
  const CompiledQuery compiled = Compile(similar);
  EXPECT_EQ(compiled.first_pass().get_description(),
            "Query(((nato OR kremlin) AND_NOT Qa1))");
  EXPECT_EQ(compiled.highlight_keys(), (std::vector<std::string>{"nato", "kremlin"}));
  ASSERT_EQ(compiled.match().op, MatchTree::Op::kAndNot);
  EXPECT_EQ(compiled.match().children[1].term, "Qa1");
}

// Hardening finding 4: 2,000 ORed words took 12.5 s, in part because each
// OR nested the query one level deeper; alternatives are one OR now.
TEST(QueryCompilerTest, OrOfManyWordsIsOneFlatOr) {
  std::string query = "a0";
  for (int i = 1; i < 50; ++i) query += " OR a" + std::to_string(i);
  const CompiledQuery compiled = Compile(ParseQuery(query));
  ASSERT_EQ(compiled.match().op, MatchTree::Op::kOr);
  EXPECT_EQ(compiled.match().children.size(), 50u);
}

}  // namespace
}  // namespace tim
