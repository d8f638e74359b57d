// A second pass's syllables weighed from its window (WindowTerm), on the
// corpus sample: the articles and the weights of the terms themselves, to
// the last bit, alone and added up in a query's tree.
#include "query/window_term.h"

#include <gtest/gtest.h>

#include <map>
#include <numeric>

#include "query/docid_filter.h"
#include "fixtures.h"

namespace tim {
namespace {

class WindowTermTest : public testing::SampleDatabaseTest {
 protected:
  void SetUp() override {
    SampleDatabaseTest::SetUp();
    if (IsSkipped()) return;
    window_ids_.resize(300);  // articles with and without each syllable
    std::iota(window_ids_.begin(), window_ids_.end(), Xapian::docid{101});
  }

  // Each window article `query` matches, and its weight (BM25 with k1, b).
  std::map<Xapian::docid, double> Weights(const Xapian::Query& query, double k1, double b) const {
    Xapian::Enquire enquire(db_);
    enquire.set_weighting_scheme(Xapian::BM25Weight(k1, 0, 1, b, 0.5));
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, query, DocidFilter(window_ids_, &db_)));
    std::map<Xapian::docid, double> weights;
    const Xapian::MSet mset = enquire.get_mset(0, db_.get_doccount(), db_.get_doccount());
    for (auto it = mset.begin(); it != mset.end(); ++it) weights[*it] = it.get_weight();
    return weights;
  }

  std::vector<Xapian::docid> window_ids_;
};

// Function words (va: in most articles), common and rare syllables.
const std::vector<std::string> kSyllables = {"va", "nguoi", "gia", "xang", "bong", "da"};

TEST_F(WindowTermTest, WeighsAsTheTermToTheLastBit) {
  for (const auto& [k1, b] : {std::pair{1.0, 0.5}, {1.6, 0.9}, {1.0, 0.0}, {2.0, 1.0}}) {
    const auto window = ReadWindow(db_, window_ids_, kSyllables, k1, b);
    for (const std::string& syllable : kSyllables) {
      const auto expected = Weights(Xapian::Query(syllable), k1, b);
      ASSERT_FALSE(expected.empty()) << syllable;
      ASSERT_LT(expected.size(), window_ids_.size()) << syllable;
      // Exactly equal: a last-bit difference would reorder ties.
      EXPECT_EQ(Weights(WindowTerm(syllable, db_, window), k1, b), expected)
          << syllable << " k1 " << k1 << " b " << b;
    }
  }
}

// Xapian combines the window's terms as it would the terms (it is told
// their frequencies), so the sums come out in the same order.
TEST_F(WindowTermTest, AddsUpInAQueryAsTheTermsDo) {
  const auto window = ReadWindow(db_, window_ids_, kSyllables, 1, 0.5);
  auto query = [&](auto term) {
    std::vector<Xapian::Query> rare, common;
    for (size_t i = 2; i < kSyllables.size(); ++i) {
      rare.push_back(Xapian::Query(Xapian::Query::OP_AND_MAYBE, term(kSyllables[i]),
                                   Xapian::Query("S" + kSyllables[i])));
    }
    const Xapian::Query parts[] = {Xapian::Query(Xapian::Query::OP_OR, rare.begin(), rare.end()),
                                   term("va"), term("nguoi")};
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, std::begin(parts), std::end(parts));
  };
  const auto expected =
      Weights(query([](const std::string& s) { return Xapian::Query(s); }), 1, 0.5);
  ASSERT_GT(expected.size(), 10u);
  EXPECT_EQ(Weights(query([&](const std::string& s) { return WindowTerm(s, db_, window); }), 1,
                    0.5),
            expected);
}

TEST_F(WindowTermTest, IsTheTermWhereTheWindowLacksIt) {
  const auto window = ReadWindow(db_, window_ids_, {"va"}, 1, 0.5);
  auto description = [](const Xapian::Query& query) { return query.get_description(); };
  EXPECT_EQ(description(WindowTerm("gia", db_, window)), description(Xapian::Query("gia")));
  EXPECT_EQ(description(WindowTerm("va", db_, nullptr)), description(Xapian::Query("va")));
  EXPECT_NE(description(WindowTerm("va", db_, window)), description(Xapian::Query("va")));
}

}  // namespace
}  // namespace tim
