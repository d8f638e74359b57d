// The first ranking pass weighed by TermScorer, on the corpus sample: the
// weights Xapian gives, and Xapian's best articles among those it keeps.
#include "query/term_scorer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "query/match_set.h"
#include "query/query_compiler.h"
#include "fixtures.h"

namespace tim {
namespace {

// Keyword queries, and questions and descriptions as typed (relaxed).
const char* const kQueries[] = {
    "kinh tế",
    "người",
    "giá xăng tăng",
    "Hà Nội -mưa",
    "bóng đá OR thể thao",
    "kinh tế source:VnExpress",
    "giá vàng date:2020",
    "title:\"Hà Nội\" mưa",
    "kinh tế OR source:VnExpress",
    "ai là huấn luyện viên đội tuyển Việt Nam",
    "vụ cháy chung cư mini ở Hà Nội làm bao nhiêu người chết",
    "tại sao giá vàng trong nước lại tăng mạnh như thế nào",
    "giá xăng tăng xyzzyq",  // a syllable no article has
};

class TermScorerTest : public testing::SampleDatabaseTest {
 protected:
  CompiledQuery Compile(const char* text, bool relaxed) const {
    return CompiledQuery(ParseQuery(text), {}, {}, relaxed, &db_);
  }

  // Xapian's best `count` matches of `query` and their weights, every match
  // checked: its pruned ranking can miss some (see the last test).
  std::vector<RankedMatch> XapianBest(const Xapian::Query& query, size_t count) const {
    Xapian::Enquire enquire(db_);
    enquire.set_weighting_scheme(Xapian::BM25Weight(1, 0, 1, 0.5, 0.5));
    enquire.set_query(query);
    std::vector<RankedMatch> best;
    const Xapian::MSet mset =
        enquire.get_mset(0, static_cast<Xapian::doccount>(count), db_.get_doccount());
    for (auto it = mset.begin(); it != mset.end(); ++it) best.push_back({*it, it.get_weight()});
    return best;
  }
};

double WeightOf(const std::vector<RankedMatch>& weighed, Xapian::docid id) {
  for (const RankedMatch& match : weighed) {
    if (match.id == id) return match.weight;
  }
  return -1;
}

TEST_F(TermScorerTest, WeighsAsXapianDoes) {
  size_t checked = 0;  // queries that match (every word: not all of them)
  for (bool relaxed : {false, true}) {
    for (const char* text : kQueries) {
      const CompiledQuery query = Compile(text, relaxed);
      std::vector<RankedMatch> best = XapianBest(query.first_pass(), 30);
      if (best.empty()) continue;
      ++checked;
      std::sort(best.begin(), best.end(),
                [](const RankedMatch& a, const RankedMatch& b) { return a.id < b.id; });
      std::vector<Xapian::docid> ids;
      for (const RankedMatch& match : best) ids.push_back(match.id);
      auto scorer = TermScorer::Make(query.first_pass(), db_, {});
      ASSERT_TRUE(scorer) << text;
      std::vector<RankedMatch> weighed;
      scorer->WeighAll(ids, /*keep=*/0, &weighed);  // keeping all: weighs all
      ASSERT_EQ(weighed.size(), ids.size()) << text;
      for (const RankedMatch& match : best) {
        EXPECT_NEAR(WeightOf(weighed, match.id), match.weight, 1e-12 * match.weight)
            << text << " (relaxed " << relaxed << "), docid " << match.id;
      }
    }
  }
  EXPECT_GE(checked, 2 * std::size(kQueries) - 3);
}

// Every match offered, in docid order, as the search's walk offers them:
// those it does not weigh are certainly below the best `keep`.
TEST_F(TermScorerTest, KeepsXapiansBestAmongAllMatches) {
  const FacetTable facets;
  size_t offered = 0, weighed_in_all = 0;
  for (bool relaxed : {false, true}) {
    for (const char* text : kQueries) {
      const CompiledQuery query = Compile(text, relaxed);
      const std::vector<Xapian::docid> matches = Enumerate(query.match(), db_, facets);
      auto scorer = TermScorer::Make(query.first_pass(), db_, {});
      ASSERT_TRUE(scorer) << text;
      std::vector<RankedMatch> weighed;
      const size_t keep = 11;
      for (size_t from = 0; from < matches.size(); from += 256) {
        const size_t to = std::min(matches.size(), from + 256);
        scorer->WeighAll(std::span(matches).subspan(from, to - from), keep, &weighed);
      }
      offered += matches.size();
      weighed_in_all += weighed.size();
      for (const RankedMatch& match : XapianBest(query.first_pass(), keep)) {
        EXPECT_NEAR(WeightOf(weighed, match.id), match.weight, 1e-12 * match.weight)
            << text << " (relaxed " << relaxed << "), docid " << match.id;
      }
    }
  }
  // The point of it: most matches are passed over unweighed.
  EXPECT_LT(weighed_in_all * 2, offered);
}

// Xapian 1.4.22's matcher, when it prunes, misses articles of such an OR
// of AND_MAYBEs (a syllable and its title term): on the sample, one "a"
// and "bát" article that belongs in the best 50 (found checking every
// match). The scorer prunes by the same bounds and keeps it.
TEST_F(TermScorerTest, KeepsWhatXapiansPrunedRankingMisses) {
  auto syllable = [](const std::string& folded) {
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, Xapian::Query(folded),
                         Xapian::Query("S" + folded));
  };
  const Xapian::Query query(Xapian::Query::OP_OR, syllable("a"), syllable("bat"));
  auto scorer = TermScorer::Make(query, db_, {});
  ASSERT_TRUE(scorer);
  std::vector<RankedMatch> weighed;
  const size_t keep = 50;
  scorer->WeighAll(Enumerate(MatchTree::Combine(MatchTree::Op::kOr,
                                                {MatchTree::Term("a"), MatchTree::Term("bat")}),
                             db_, FacetTable()),
                   keep, &weighed);
  std::sort(weighed.begin(), weighed.end(), [](const RankedMatch& a, const RankedMatch& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.id < b.id;
  });
  const std::vector<RankedMatch> best = XapianBest(query, keep);
  ASSERT_EQ(best.size(), keep);
  ASSERT_GE(weighed.size(), keep);
  for (size_t i = 0; i < keep; ++i) {
    EXPECT_EQ(weighed[i].id, best[i].id) << "at " << i;
    EXPECT_NEAR(weighed[i].weight, best[i].weight, 1e-12 * best[i].weight) << "at " << i;
  }
}

TEST_F(TermScorerTest, LeavesToXapianWhatItCannotWeigh) {
  // A weight from a posting source.
  Xapian::ValueWeightPostingSource by_value(0);
  EXPECT_FALSE(TermScorer::Make(Xapian::Query(&by_value), db_, {}));
  // A quoted phrase is checked by a posting source of tim's: in an OR, not
  // every match meets it.
  EXPECT_FALSE(TermScorer::Make(Compile("\"giá xăng\" OR kinh tế", false).first_pass(), db_, {}));
  EXPECT_TRUE(TermScorer::Make(Compile("\"giá xăng\" kinh tế", false).first_pass(), db_, {}));
  // Match-all weighs through the empty term.
  EXPECT_FALSE(TermScorer::Make(Xapian::Query::MatchAll, db_, {}));
  // A weight scaled by another factor than 0.
  EXPECT_FALSE(TermScorer::Make(
      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query("gia"), 2.0), db_, {}));
}

}  // namespace
}  // namespace tim
