// Enumerating a MatchTree by leapfrogging posting lists must give exactly
// the set that evaluating the tree document by document gives.
#include "query/match_set.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <set>

#include "index/facet_table.h"
#include "index/schema.h"

namespace tim {
namespace {

using Op = MatchTree::Op;

// A document as the test models it: its terms and its metadata date span.
struct ModelDoc {
  bool deleted = false;
  std::set<std::string> terms;
  uint32_t start = 0, end = 0;  // YYYYMMDD, 0: undated
};

constexpr int kTerms = 6;
std::string TermName(int i) {
  std::string name(1, 't');
  name += std::to_string(i);
  return name;
}

class MatchSetTest : public ::testing::Test {
 protected:
  MatchSetTest() : db_(std::string(), Xapian::DB_BACKEND_INMEMORY) {}

  // `count` documents; term i appears with probability 1/(i+1)^2-ish, so
  // some lists are dense and some rare; every fifth is undated and a few
  // are deleted. The first half is dated at random; the second in
  // ingest order, a year after another, as batches come, so that whole
  // blocks of docids lie outside a range.
  void Build(int count, uint32_t seed) {
    std::mt19937 random(seed);
    docs_.assign(count + 1, {});
    for (int id = 1; id <= count; ++id) {
      ModelDoc& model = docs_[id];
      Xapian::Document doc;
      for (int t = 0; t < kTerms; ++t) {
        if (random() % ((t + 1) * (t + 1)) == 0) {
          model.terms.insert(TermName(t));
          doc.add_boolean_term(TermName(t));
        }
      }
      if (id % 5 != 0) {
        const uint32_t year =
            id <= count / 2 ? random() % 6 : (id - count / 2) * 6 / (count / 2 + 1);
        model.start = 20200101 + year * 10000 + (random() % 12) * 100;
        model.end = model.start + random() % 40;
        doc.add_value(schema::kDateStartSlot, std::to_string(model.start));
        doc.add_value(schema::kDateEndSlot, std::to_string(model.end));
      }
      db_.add_document(doc);
    }
    for (int id = 7; id <= count; id += 23) {
      db_.delete_document(id);
      docs_[id].deleted = true;
    }
  }

  bool Matches(const MatchTree& tree, const ModelDoc& doc) const {
    auto any = [&](size_t from) {
      for (size_t i = from; i < tree.children.size(); ++i) {
        if (Matches(tree.children[i], doc)) return true;
      }
      return false;
    };
    switch (tree.op) {
      case Op::kNothing:
      case Op::kPhrase:  // the model has no positions
        return false;
      case Op::kAll:
        return true;
      case Op::kTerm:
        return doc.terms.count(tree.term) > 0;
      case Op::kDateRange:
        return doc.start != 0 && doc.start <= tree.to_key && doc.end >= tree.from_key;
      case Op::kAnd:
        for (const MatchTree& child : tree.children) {
          if (!Matches(child, doc)) return false;
        }
        return true;
      case Op::kOr:
        return any(0);
      case Op::kAndNot:
        return Matches(tree.children[0], doc) && !any(1);
      case Op::kAtLeast:
        return static_cast<size_t>(std::count_if(
                   tree.children.begin(), tree.children.end(),
                   [&](const MatchTree& child) { return Matches(child, doc); })) >=
               tree.minimum;
    }
    return false;
  }

  std::vector<Xapian::docid> Expected(const MatchTree& tree) const {
    std::vector<Xapian::docid> ids;
    for (Xapian::docid id = 1; id < docs_.size(); ++id) {
      if (!docs_[id].deleted && Matches(tree, docs_[id])) ids.push_back(id);
    }
    return ids;
  }

  MatchTree RandomTree(std::mt19937& random, int depth) const {
    const int kind = static_cast<int>(random() % (depth > 0 ? 9 : 3));
    if (kind == 0) {
      MatchTree range;
      range.op = Op::kDateRange;
      range.from_key = 20200000 + (random() % 6) * 10000;
      range.to_key = range.from_key + (random() % 3) * 10000 + 9999;
      return range;
    }
    if (kind == 1 && random() % 4 == 0) {
      MatchTree all;
      all.op = Op::kAll;
      return all;
    }
    if (kind <= 2) return MatchTree::Term(TermName(static_cast<int>(random() % kTerms)));
    std::vector<MatchTree> children;
    const int n = 2 + static_cast<int>(random() % 3);
    for (int i = 0; i < n; ++i) children.push_back(RandomTree(random, depth - 1));
    if (kind == 8) return MatchTree::AtLeast(2 + random() % (n - 1), std::move(children));
    const Op ops[] = {Op::kAnd, Op::kAnd, Op::kOr, Op::kAndNot, Op::kAnd};
    return MatchTree::Combine(ops[kind - 3], std::move(children));
  }

  Xapian::WritableDatabase db_;
  FacetTable facets_;
  std::vector<ModelDoc> docs_;
};

TEST_F(MatchSetTest, RandomTreesMatchADocumentByDocumentEvaluation) {
  Build(3000, 7);
  std::mt19937 random(11);
  for (int i = 0; i < 300; ++i) {
    const MatchTree tree = RandomTree(random, 3);
    const std::vector<Xapian::docid> expected = Expected(tree);
    EXPECT_EQ(Enumerate(tree, db_, facets_), expected) << "tree " << i;
    EXPECT_EQ(CountMatches(tree, db_, facets_), expected.size()) << "tree " << i;
  }
}

// Xapian ranks a relaxed match through MatchFilter: it must match exactly
// what the cursor counts, also when Xapian skips through it from a term.
TEST_F(MatchSetTest, AFilterMatchesWhatTheCursorEnumerates) {
  Build(3000, 9);
  std::mt19937 random(13);
  Xapian::Enquire enquire(db_);
  for (int i = 0; i < 100; ++i) {
    const MatchTree tree = RandomTree(random, 3);
    for (const bool skipped : {false, true}) {
      Xapian::Query query = MatchFilter(tree);
      MatchTree expected_tree = tree;
      if (skipped) {
        query = Xapian::Query(Xapian::Query::OP_AND, Xapian::Query(TermName(3)), query);
        expected_tree = MatchTree::Combine(Op::kAnd, {MatchTree::Term(TermName(3)), tree});
      }
      enquire.set_query(query);
      enquire.set_docid_order(Xapian::Enquire::ASCENDING);
      std::vector<Xapian::docid> found;
      for (Xapian::docid id : enquire.get_mset(0, db_.get_doccount())) found.push_back(id);
      EXPECT_EQ(found, Expected(expected_tree)) << "tree " << i << (skipped ? ", skipped" : "");
    }
  }
}

TEST_F(MatchSetTest, SingleTermsAndEverythingCountExactlyDespiteDeletions) {
  Build(500, 3);
  MatchTree all;
  all.op = Op::kAll;
  EXPECT_EQ(CountMatches(all, db_, facets_), Expected(all).size());
  for (int t = 0; t < kTerms; ++t) {
    const MatchTree term = MatchTree::Term(TermName(t));
    EXPECT_EQ(CountMatches(term, db_, facets_), Expected(term).size()) << t;
  }
  EXPECT_EQ(CountMatches(MatchTree::Term("absent"), db_, facets_), 0u);
}

TEST_F(MatchSetTest, AnEmptyDatabaseMatchesNothing) {
  MatchTree range;
  range.op = Op::kDateRange;
  const MatchTree tree = MatchTree::Combine(Op::kAnd, {MatchTree::Term("t0"), range});
  EXPECT_TRUE(Enumerate(tree, db_, facets_).empty());
  MatchCursor cursor(tree, db_, facets_);
  EXPECT_EQ(cursor.Next(), 0u);
  EXPECT_EQ(cursor.Next(), 0u);
}

TEST_F(MatchSetTest, CursorStopsAfterTheLastMatch) {
  Build(100, 5);
  const MatchTree term = MatchTree::Term("t0");
  MatchCursor cursor(term, db_, facets_);
  std::vector<Xapian::docid> ids;
  for (Xapian::docid id = cursor.Next(); id != 0; id = cursor.Next()) ids.push_back(id);
  EXPECT_EQ(ids, Expected(term));
  EXPECT_EQ(cursor.Next(), 0u);
}

}  // namespace
}  // namespace tim
