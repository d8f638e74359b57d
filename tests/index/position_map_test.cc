#include "index/position_map.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <map>
#include <random>
#include <set>

#include "index/document_builder.h"
#include "index/schema.h"
#include "query/phrase_query.h"
#include "test_util.h"
#include "text/analyzer.h"
#include "text/common_spellings.h"

namespace tim {
namespace {

std::vector<std::string> FoldedSyllables(const std::string& text) {
  std::vector<std::string> folded;
  for (const Token& token : Tokenize(NormalizeText(text))) folded.push_back(token.folded);
  return folded;
}

std::string MapOf(const std::vector<std::string>& syllables) {
  PositionMapBuilder builder;
  for (const std::string& syllable : syllables) builder.Add(syllable);
  return builder.Encode();
}

// True if `phrase` stands in `text` consecutively: the truth maps answer.
bool Contains(const std::vector<std::string>& text, const std::vector<std::string>& phrase) {
  return std::search(text.begin(), text.end(), phrase.begin(), phrase.end()) != text.end();
}

std::string SeedBody() {
  const std::string dir = testing::SeedsDir();
  return testing::ReadFile(dir + "/000_ffa5402f6aae78c4.txt");
}

TEST(PositionMapTest, FindsEverySpanOfARealArticle) {
  const std::vector<std::string> text = FoldedSyllables(SeedBody());
  ASSERT_GT(text.size(), 300u);
  const std::string map = MapOf(text);
  for (size_t length = 1; length <= 8; ++length) {
    for (size_t start = 0; start + length <= text.size(); start += 7) {
      const std::vector<std::string> span(text.begin() + start, text.begin() + start + length);
      EXPECT_TRUE(PhraseMatcher(span).Matches(map)) << start << "+" << length;
    }
  }
  // The whole text is one phrase too (phrases have no length limit).
  EXPECT_TRUE(PhraseMatcher(text).Matches(map));
}

// Pairs of the article's own syllables, adjacent or not: the map agrees
// with the text on every one.
TEST(PositionMapTest, AgreesWithTheTextOnRandomPairsAndTriples) {
  const std::vector<std::string> text = FoldedSyllables(SeedBody());
  const std::string map = MapOf(text);
  std::mt19937 random(42);
  std::uniform_int_distribution<size_t> pick(0, text.size() - 1);
  int adjacent = 0, apart = 0;
  for (int i = 0; i < 3000; ++i) {
    std::vector<std::string> phrase = {text[pick(random)], text[pick(random)]};
    if (i % 3 == 0) phrase.push_back(text[pick(random)]);
    const bool truth = Contains(text, phrase);
    (truth ? adjacent : apart) += 1;
    EXPECT_EQ(PhraseMatcher(phrase).Matches(map), truth) << phrase[0] << " " << phrase[1];
  }
  EXPECT_GT(apart, 1000);
}

// Slots take 8 bits up to 212 distinct syllables, then 9, 10, ... bits,
// packed several to a word: every width finds what the text holds.
TEST(PositionMapTest, AgreesWithTheTextAtEverySlotWidth) {
  std::mt19937 random(1);
  for (int distinct : {40, 300, 700, 1500, 3000, 7000}) {
    std::uniform_int_distribution<int> pick(0, distinct - 1);
    std::vector<std::string> text;
    for (int i = 0; i < 3 * distinct; ++i) {
      text.emplace_back("s");
      text.back() += std::to_string(pick(random));
    }
    const std::string map = MapOf(text);
    std::uniform_int_distribution<size_t> at(0, text.size() - 2);
    for (int i = 0; i < 500; ++i) {
      const size_t start = at(random);
      const std::vector<std::string> present = {text[start], text[start + 1]};
      EXPECT_TRUE(PhraseMatcher(present).Matches(map)) << distinct;
      const std::vector<std::string> any = {text[at(random)], text[at(random)]};
      EXPECT_EQ(PhraseMatcher(any).Matches(map), Contains(text, any)) << distinct;
    }
  }
}

// Whichever syllable the scan anchors on, the answer is the text's: at
// the sequence's ends too, where the anchor's place leaves no room before
// or after it.
TEST(PositionMapTest, EveryAnchorGivesTheSameAnswer) {
  const std::vector<std::string> text = FoldedSyllables(SeedBody());
  const std::string map = MapOf(text);
  std::mt19937 random(7);
  std::uniform_int_distribution<size_t> pick(0, text.size() - 1);
  std::vector<std::vector<std::string>> phrases = {
      {text[0], text[1], text[2]}, {text[text.size() - 3], text[text.size() - 2], text.back()}};
  for (int i = 0; i < 600; ++i) {
    const size_t start = pick(random) % (text.size() - 3);
    std::vector<std::string> phrase(text.begin() + start, text.begin() + start + 2 + i % 3);
    if (i % 2) phrase[i % phrase.size()] = text[pick(random)];
    phrases.push_back(std::move(phrase));
  }
  for (const std::vector<std::string>& phrase : phrases) {
    PhraseMatcher matcher(phrase);
    for (size_t anchor = 0; anchor <= phrase.size(); ++anchor) {
      EXPECT_EQ(matcher.Matches(map, anchor), Contains(text, phrase))
          << phrase[0] << " " << phrase[1] << " anchor " << anchor;
    }
  }
  // A phrase longer than the text, on any anchor.
  std::vector<std::string> longer = text;
  longer.push_back(text[0]);
  EXPECT_FALSE(PhraseMatcher(longer).Matches(map, longer.size() - 1));
}

TEST(PositionMapTest, RepeatedSyllablesOverlap) {
  const std::string map = MapOf({"a", "a", "a", "b", "c"});
  EXPECT_TRUE(PhraseMatcher({"a", "a", "b"}).Matches(map));
  EXPECT_TRUE(PhraseMatcher({"a", "a", "a", "b"}).Matches(map));
  EXPECT_FALSE(PhraseMatcher({"a", "a", "a", "a"}).Matches(map));
  EXPECT_FALSE(PhraseMatcher({"b", "a"}).Matches(map));
}

TEST(PositionMapTest, NoPhraseAcrossABreak) {
  PositionMapBuilder builder;
  for (const char* syllable : {"hoa", "binh"}) builder.Add(syllable);
  builder.AddBreak();
  for (const char* syllable : {"dam", "phan"}) builder.Add(syllable);
  const std::string map = builder.Encode();
  EXPECT_TRUE(PhraseMatcher({"hoa", "binh"}).Matches(map));
  EXPECT_TRUE(PhraseMatcher({"dam", "phan"}).Matches(map));
  EXPECT_FALSE(PhraseMatcher({"binh", "dam"}).Matches(map));
}

// A long document (tables of figures, lists of names) has thousands of
// distinct syllables: the perfect hash still separates them all.
TEST(PositionMapTest, SeparatesThousandsOfDistinctSyllables) {
  std::vector<std::string> text;
  for (int i = 0; i < 20000; ++i) {
    text.emplace_back("x");
    text.back() += std::to_string(i * 7919 % 20000);
  }
  const std::string map = MapOf(text);
  for (size_t start = 0; start + 2 <= text.size(); start += 97) {
    EXPECT_TRUE(PhraseMatcher({text[start], text[start + 1]}).Matches(map)) << start;
    EXPECT_FALSE(PhraseMatcher({text[start + 1], text[start]}).Matches(map)) << start;
  }
  EXPECT_LT(map.size(), text.size() * 2 + text.size() / 2);
}

TEST(PositionMapTest, DamagedMapsMatchNothingAndDoNotCrash) {
  const std::vector<std::string> text = FoldedSyllables(SeedBody());
  const std::string map = MapOf(text);
  const std::vector<std::string> last = {text[text.size() - 2], text.back()};
  ASSERT_TRUE(PhraseMatcher(last).Matches(map));
  for (size_t size = 0; size < map.size(); ++size) {
    EXPECT_FALSE(PhraseMatcher(last).Matches(map.substr(0, size))) << size;
  }
  std::mt19937 random(7);
  for (int i = 0; i < 200; ++i) {
    std::string noise(static_cast<size_t>(random() % 64), '\0');
    for (char& byte : noise) byte = static_cast<char>(random());
    PhraseMatcher(last).Matches(noise);  // any answer, but no crash (ASan)
  }
  EXPECT_EQ(PositionMapBuilder().Encode(), "");
}

// Found by position_map_fuzz: a length near 2^64 made the number of words
// of the sequence wrap to a few, which the size check let through, and
// the phrase scan read far past the value.
TEST(PositionMapTest, HugeCountsInADamagedMapMatchNothing) {
  const std::string fuzzed = {'.', ' ', '\xff', '\xff', '\xff', '\xff', '\xff', '\xff',
                              '\xff', '\xff', '\xff', '\'', 'a', ' ', 'n', 'i', '~', ' ', '%', 'a'};
  EXPECT_FALSE(PhraseMatcher({"ha", "noi"}).Matches(fuzzed));
  EXPECT_FALSE(PhraseMatcher({"a"}).Matches(fuzzed));
  std::string huge_distinct = {'\x01'};
  for (int i = 0; i < 9; ++i) huge_distinct += '\xff';
  huge_distinct += std::string("\x01\x01", 2) + std::string(16, 'a');
  EXPECT_FALSE(PhraseMatcher({"a"}).Matches(huge_distinct));
  EXPECT_FALSE(CommonSpellingMatcher("a").CommonWdf(huge_distinct, 1).has_value());
}

// A small database: the article with the phrase, one with the same
// syllables apart, and one written before position maps (schema 3), with
// Xapian positions instead.
class PhraseQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Xapian::WritableDatabase db(dir_.path().string(), Xapian::DB_CREATE);
    Article together = testing::MakeArticle("together", "Hai bên đàm phán hòa bình tại Hà Nội.");
    Article apart = testing::MakeArticle("apart", "Hòa giải và bình luận về cuộc đàm thoại, phán quyết.");
    together_ = db.add_document(BuildDocument(together));
    apart_ = db.add_document(BuildDocument(apart));
    Xapian::Document old;
    Xapian::termpos pos = 0;
    for (const std::string& syllable : FoldedSyllables("Lễ ký hòa bình và đàm phán")) {
      old.add_posting(syllable, ++pos);
    }
    old_ = db.add_document(old);
    db.commit();
  }

  std::vector<Xapian::docid> Matches(const Xapian::Query& query) {
    Xapian::Enquire enquire{Xapian::Database(dir_.path().string())};
    enquire.set_query(query);
    std::vector<Xapian::docid> ids;
    for (Xapian::docid id : enquire.get_mset(0, 10)) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  testing::TempDir dir_;
  Xapian::docid together_ = 0, apart_ = 0, old_ = 0;
};

TEST_F(PhraseQueryTest, MatchesOnlyWhereTheSyllablesStandTogether) {
  EXPECT_EQ(Matches(PhraseQuery({"dam", "phan"})),
            (std::vector<Xapian::docid>{together_, old_}));
  EXPECT_EQ(Matches(PhraseQuery({"hoa", "binh"})),
            (std::vector<Xapian::docid>{together_, old_}));
  EXPECT_EQ(Matches(PhraseQuery({"phan", "hoa", "binh"})),
            (std::vector<Xapian::docid>{together_}));
  EXPECT_EQ(Matches(PhraseQuery({"binh", "hoa"})), std::vector<Xapian::docid>{});
}

TEST_F(PhraseQueryTest, WeighsLikeTheAndOfItsSyllables) {
  Xapian::Enquire enquire{Xapian::Database(dir_.path().string())};
  enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("dam"),
                                  Xapian::Query("phan")));
  std::map<Xapian::docid, double> and_weights;
  for (Xapian::MSetIterator it = enquire.get_mset(0, 10).begin(); it != Xapian::MSetIterator(); ++it) {
    and_weights[*it] = it.get_weight();
  }
  enquire.set_query(PhraseQuery({"dam", "phan"}));
  const Xapian::MSet phrase = enquire.get_mset(0, 10);
  ASSERT_EQ(phrase.size(), 2u);
  for (Xapian::MSetIterator it = phrase.begin(); it != phrase.end(); ++it) {
    EXPECT_GT(it.get_weight(), 0);
    EXPECT_DOUBLE_EQ(it.get_weight(), and_weights.at(*it));
  }
}

// The weights of `query`'s matches, by document.
std::map<Xapian::docid, double> Weights(const std::string& db, const Xapian::Query& query) {
  Xapian::Enquire enquire{Xapian::Database(db)};
  enquire.set_query(query);
  std::map<Xapian::docid, double> weights;
  const Xapian::MSet mset = enquire.get_mset(0, 10);
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) weights[*it] = it.get_weight();
  return weights;
}

TEST_F(PhraseQueryTest, AdjacencyBoostsOnlyWhereTheSyllablesStandTogether) {
  const Xapian::Query required(Xapian::Query::OP_AND, Xapian::Query("hoa"), Xapian::Query("binh"));
  const std::string db = dir_.path().string();
  const auto plain = Weights(db, required);
  const Xapian::Query boost = AdjacencyBoost({"hoa", "binh"}, nullptr);
  const auto boosted = Weights(db, Xapian::Query(Xapian::Query::OP_AND_MAYBE, required, boost));
  EXPECT_GT(boosted.at(together_), plain.at(together_));
  EXPECT_GT(boosted.at(old_), plain.at(old_));  // by Xapian's positions
  EXPECT_DOUBLE_EQ(boosted.at(apart_), plain.at(apart_));
  // A second boost that holds nowhere adds nothing: Xapian asks an OR of
  // boosts for the weight of one that said no.
  const Xapian::Query boosts[] = {required, boost, AdjacencyBoost({"binh", "hoa"}, nullptr)};
  EXPECT_EQ(Weights(db, Xapian::Query(Xapian::Query::OP_AND_MAYBE, std::begin(boosts),
                                      std::end(boosts))),
            boosted);
  // So does it when a filter leads the match (as in accent suggestions).
  const Xapian::Query any(Xapian::Query::OP_OR, Xapian::Query("hoa"), Xapian::Query("binh"));
  const Xapian::Query only(IdTerm("together"));
  const Xapian::Query any_boosts[] = {any, boost, AdjacencyBoost({"binh", "hoa"}, nullptr)};
  EXPECT_EQ(Weights(db, Xapian::Query(Xapian::Query::OP_FILTER,
                                      Xapian::Query(Xapian::Query::OP_AND_MAYBE,
                                                    std::begin(any_boosts), std::end(any_boosts)),
                                      only)),
            Weights(db, Xapian::Query(Xapian::Query::OP_FILTER,
                                      Xapian::Query(Xapian::Query::OP_AND_MAYBE, any, boost),
                                      only)));
}

// An adjacency boost weighs what its syllables weigh, under the query's
// BM25 parameters: where they stand together, the boost doubles the AND.
TEST_F(PhraseQueryTest, AdjacencyBoostsWeighWithTheQuerysBm25) {
  Xapian::Enquire enquire{Xapian::Database(dir_.path().string())};
  enquire.set_weighting_scheme(Xapian::BM25Weight(2.0, 0, 1, 0.8, 0.5));
  const Xapian::Query required(Xapian::Query::OP_AND, Xapian::Query("hoa"), Xapian::Query("binh"));
  auto boosts = std::make_shared<MapWindow>();
  boosts->k1 = 2.0;
  boosts->b = 0.8;
  auto weight_of_together = [&](const Xapian::Query& query) {
    enquire.set_query(query);
    const Xapian::MSet mset = enquire.get_mset(0, 10);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      if (*it == together_) return it.get_weight();
    }
    return 0.0;
  };
  const double plain = weight_of_together(required);
  EXPECT_DOUBLE_EQ(weight_of_together(Xapian::Query(Xapian::Query::OP_AND_MAYBE, required,
                                                    AdjacencyBoost({"hoa", "binh"}, nullptr, boosts))),
                   2 * plain);
  // With Xapian's default parameters instead, it weighs something else.
  EXPECT_NE(weight_of_together(Xapian::Query(Xapian::Query::OP_AND_MAYBE, required,
                                             AdjacencyBoost({"hoa", "binh"}, nullptr))),
            2 * plain);
}

// The second pass reads its window's maps, lengths and wdfs once for all
// its boosts: they weigh the window's articles as reading each article's
// own would, and nothing outside it (the pass's docid filter drops those).
TEST_F(PhraseQueryTest, AWindowWeighsItsArticlesAsTheirOwnMapsWould) {
  ASSERT_TRUE(IsCommonSpelling("bình"));
  const std::string db = dir_.path().string();
  const Xapian::Query required(Xapian::Query::OP_AND, Xapian::Query("hoa"), Xapian::Query("binh"));
  auto boosted = [&](const std::shared_ptr<const MapWindow>& window) {
    const Xapian::Query boosts[] = {required, AdjacencyBoost({"hoa", "binh"}, nullptr, window),
                                    ExactBoost("binh", "bình", nullptr, window)};
    return Weights(db, Xapian::Query(Xapian::Query::OP_AND_MAYBE, std::begin(boosts),
                                     std::end(boosts)));
  };
  const auto window =
      ReadWindow(Xapian::Database(db), {together_, apart_}, {"hoa", "binh"}, 1, 0.5);
  ASSERT_EQ(window->maps.size(), 2u);
  const auto own = boosted(std::make_shared<MapWindow>());
  const auto windowed = boosted(window);
  EXPECT_GT(own.at(together_), Weights(db, required).at(together_));
  EXPECT_DOUBLE_EQ(windowed.at(together_), own.at(together_));
  EXPECT_DOUBLE_EQ(windowed.at(apart_), own.at(apart_));
  EXPECT_GT(own.at(old_), Weights(db, required).at(old_));
  EXPECT_DOUBLE_EQ(windowed.at(old_), Weights(db, required).at(old_));
}

// A caption's syllables are held with a wdf of 0: the window says which
// articles hold a syllable apart from its wdf (a relaxed match's coverage
// counts them).
TEST(MapWindowTest, TellsASyllableHeldWithAWdfOfZero) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path().string(), Xapian::DB_CREATE);
  Xapian::Document captioned, plain;
  captioned.add_term("anh", 0);
  captioned.add_term("cau", 2);
  plain.add_term("cau");
  const Xapian::docid first = db.add_document(captioned);
  const Xapian::docid second = db.add_document(plain);
  db.commit();
  const auto window = ReadWindow(db, {first, second}, {"anh", "cau"}, 1, 0.5);
  ASSERT_NE(window->HeldOf("anh"), nullptr);
  EXPECT_EQ(*window->HeldOf("anh"), (std::vector<bool>{true, false}));
  EXPECT_EQ(*window->WdfsOf("anh"), (std::vector<Xapian::termcount>{0, 0}));
  EXPECT_EQ(*window->HeldOf("cau"), (std::vector<bool>{true, true}));
  EXPECT_EQ(*window->WdfsOf("cau"), (std::vector<Xapian::termcount>{2, 1}));
  EXPECT_EQ(window->HeldOf("nha"), nullptr);
}

TEST_F(PhraseQueryTest, ExactBoostsWhereTheCommonSpellingIs) {
  ASSERT_TRUE(IsCommonSpelling("bình"));
  const std::string db = dir_.path().string();
  const Xapian::Query required("binh");
  const auto plain = Weights(db, required);
  const auto boosted = Weights(db, Xapian::Query(Xapian::Query::OP_AND_MAYBE, required,
                                                 ExactBoost("binh", "bình", nullptr)));
  EXPECT_GT(boosted.at(together_), plain.at(together_));
  EXPECT_GT(boosted.at(apart_), plain.at(apart_));
  // The old document has no spellings and no exact terms: its weight stays.
  EXPECT_DOUBLE_EQ(boosted.at(old_), plain.at(old_));
}

// Databases written before schema 5 hold exact spellings as "E" terms.
TEST(ExactBoostTest, ReadsTheExactTermsOfOlderDatabases) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path().string(), Xapian::DB_CREATE);
  Xapian::Document sells, tables;
  for (Xapian::Document* doc : {&sells, &tables}) {
    doc->add_term("ban");
    doc->add_term("nha");
    doc->add_value(schema::kPositionMapSlot, MapOf({"ban", "nha"}));  // no spellings
  }
  sells.add_term(std::string(schema::kExactPrefix) + "bán");
  tables.add_term(std::string(schema::kExactPrefix) + "bàn");
  const Xapian::docid sells_id = db.add_document(sells);
  const Xapian::docid tables_id = db.add_document(tables);
  db.commit();
  const auto weights = Weights(dir.path().string(),
                               Xapian::Query(Xapian::Query::OP_AND_MAYBE, Xapian::Query("ban"),
                                             ExactBoost("ban", "bán", nullptr)));
  EXPECT_GT(weights.at(sells_id), weights.at(tables_id));
}

// The point of position maps: the index keeps no Xapian positions.
TEST(PositionMapDocumentTest, DocumentsCarryAMapAndNoPositions) {
  const Xapian::Document doc =
      BuildDocument(testing::MakeArticle("id", "Hai bên đàm phán hòa bình."));
  EXPECT_FALSE(doc.get_value(schema::kPositionMapSlot).empty());
  for (Xapian::TermIterator term = doc.termlist_begin(); term != doc.termlist_end(); ++term) {
    EXPECT_EQ(term.positionlist_count(), 0u) << *term;
  }
}

// A common spelling (common_spellings.h) is read from the map, another
// from its exact term; a number has no accented variant, so it has
// neither, and accented queries ask for none.
TEST(DocumentTermsTest, CommonSpellingsGoToTheMapOthersToTerms) {
  ASSERT_TRUE(IsCommonSpelling("năm"));
  ASSERT_TRUE(IsCommonSpelling("hay"));
  ASSERT_FALSE(IsCommonSpelling("hãy"));
  const Xapian::Document doc = BuildDocument(
      testing::MakeArticle("id", "Năm 2022 hay năm 2023? Hãy nhớ: hãy nhớ năm ấy."));
  std::set<std::string> terms(doc.termlist_begin(), doc.termlist_end());
  EXPECT_TRUE(terms.count("2022"));
  EXPECT_FALSE(terms.count("E2022"));
  EXPECT_FALSE(terms.count("Enăm"));
  EXPECT_FALSE(terms.count("Ehay"));
  EXPECT_TRUE(terms.count("Ehãy"));
  const std::string map = doc.get_value(schema::kPositionMapSlot);
  EXPECT_EQ(CommonSpellingMatcher("nam").CommonWdf(map, 3), 3u);  // all common
  EXPECT_EQ(CommonSpellingMatcher("hay").CommonWdf(map, 3), 1u);  // "hay" once, "hãy" twice
  EXPECT_EQ(CommonSpellingMatcher("2022").CommonWdf(map, 1), 0u);
  EXPECT_TRUE(HasExactTerm("g7"));
  EXPECT_FALSE(HasExactTerm("2022"));
}

// A map of `text`: (folded, spelt the common way) pairs, of wdf 1 each.
std::string MapWithSpellings(const std::vector<std::pair<std::string, bool>>& text) {
  PositionMapBuilder builder;
  for (const auto& [folded, common] : text) builder.AddSpelling(builder.Add(folded), common, 1);
  return builder.Encode();
}

TEST(SpellingTest, CountsTheCommonSpelling) {
  const std::string map = MapWithSpellings(
      {{"ban", true}, {"nha", false}, {"ban", false}, {"ban", true}, {"hoa", true}});
  EXPECT_EQ(CommonSpellingMatcher("ban").CommonWdf(map, 3), 2u);
  EXPECT_EQ(CommonSpellingMatcher("nha").CommonWdf(map, 1), 0u);
  // Spelt only the common way: the syllable's wdf, whatever it is.
  EXPECT_EQ(CommonSpellingMatcher("hoa").CommonWdf(map, 7), 7u);
  // Phrases read the same map.
  EXPECT_TRUE(PhraseMatcher({"ban", "nha", "ban"}).Matches(map));
  // Maps without spellings (schema 4, or nothing spelt the common way) say so.
  EXPECT_EQ(CommonSpellingMatcher("ban").CommonWdf(MapOf({"ban", "nha"}), 1), std::nullopt);
  EXPECT_EQ(CommonSpellingMatcher("ban").CommonWdf(MapWithSpellings({{"ban", false}}), 1),
            std::nullopt);
}

// Random texts at every slot width from 8 to 12 bits: each syllable's
// common-spelling count is the text's.
TEST(SpellingTest, AgreesWithTheTextAtEverySlotWidth) {
  std::mt19937 random(11);
  for (size_t distinct : {10, 150, 300, 700, 1500, 3000}) {
    std::vector<std::pair<std::string, bool>> text;
    std::map<std::string, uint32_t> common, all;
    for (size_t i = 0; i < distinct * 3; ++i) {
      std::string folded = "s";
      folded += std::to_string(random() % distinct);
      // Some syllables are never, some always spelt the common way.
      const bool spelt_common = folded.back() == '0'   ? false
                                : folded.back() == '1' ? true
                                                       : random() % 2 == 0;
      text.emplace_back(folded, spelt_common);
      common[folded] += spelt_common;
      ++all[folded];
    }
    const std::string map = MapWithSpellings(text);
    for (const auto& [folded, total] : all) {
      EXPECT_EQ(CommonSpellingMatcher(folded).CommonWdf(map, total), common[folded])
          << distinct << " " << folded;
    }
  }
}

TEST(SpellingTest, DamagedSpellingsGiveNoWrongCountAndDoNotCrash) {
  std::vector<std::pair<std::string, bool>> text = {{"hoa", true}, {"binh", false}};
  for (int i = 0; i < 40; ++i) {
    std::string syllable = "s";
    syllable += std::to_string(i);
    text.emplace_back(syllable, i % 3 == 0);
  }
  text.push_back({"s3", false});  // some common: its count, 1, is stored
  const std::string map = MapWithSpellings(text);
  for (size_t size = 0; size < map.size(); ++size) {
    const std::string cut = map.substr(0, size);
    const auto hoa = CommonSpellingMatcher("hoa").CommonWdf(cut, 1);
    EXPECT_TRUE(!hoa || *hoa == 1) << size;
    const auto s3 = CommonSpellingMatcher("s3").CommonWdf(cut, 2);
    EXPECT_TRUE(!s3 || *s3 == 0 || *s3 == 1) << size;
  }
  EXPECT_EQ(CommonSpellingMatcher("s3").CommonWdf(map, 2), 1u);
  std::mt19937 random(5);
  for (int i = 0; i < 200; ++i) {
    std::string noise(static_cast<size_t>(random() % 64), '\0');
    for (char& byte : noise) byte = static_cast<char>(random());
    CommonSpellingMatcher("ban").CommonWdf(noise, 1);  // any answer, but no crash (ASan)
  }
}

}  // namespace
}  // namespace tim
