#include "query/common_syllables.h"

#include <algorithm>
#include <cstddef>
#include <utility>

namespace tim {

namespace {

// Common: in more than kCommonFraction of the articles. At least
// kMinMatching syllables match (the rarest), so that a query of common
// words still finds articles, and at most kMaxMatching, the rarest, for a
// pasted paragraph. Chosen on the tune half of the relevance benchmark's
// natural queries (benchmarks/relevance/README.md). So is the minimum of
// two (nDCG@10 of the descriptions as typed; questions did not change):
// it kept 0.959; two of five as well kept 0.961 (and lost 0.016 on the
// held-out half); four of every ten, rounded up, 0.955; half, 0.910.
constexpr double kCommonFraction = 0.05;
constexpr size_t kMinMatching = 5;
constexpr size_t kMaxMatching = 10;

}  // namespace

RelaxedSyllables ChooseRelaxedSyllables(const Xapian::Database& db,
                                        std::vector<std::string> folded) {
  std::sort(folded.begin(), folded.end());
  folded.erase(std::unique(folded.begin(), folded.end()), folded.end());
  std::vector<std::pair<Xapian::doccount, std::string>> found;
  for (std::string& syllable : folded) {
    // A syllable no article has matches nothing either way.
    if (const Xapian::doccount df = db.get_termfreq(syllable); df > 0) {
      found.emplace_back(df, std::move(syllable));
    }
  }
  std::sort(found.begin(), found.end());
  const Xapian::doccount documents = db.get_doccount();
  const auto rare = static_cast<size_t>(
      std::count_if(found.begin(), found.end(), [&](const auto& entry) {
        return entry.first <= kCommonFraction * documents;
      }));
  const size_t matching =
      std::min(std::max(rare, std::min(found.size(), kMinMatching)), kMaxMatching);
  RelaxedSyllables roles;
  for (size_t i = matching; i < found.size(); ++i) roles.weight_only.insert(found[i].second);
  roles.minimum = matching > kMinMatching ? 2 : 1;
  return roles;
}

MatchTree RelaxedMatchTree(size_t minimum, std::vector<MatchTree> matching) {
  const auto by_term = [](const MatchTree& a, const MatchTree& b) { return a.term < b.term; };
  std::sort(matching.begin(), matching.end(), by_term);
  matching.erase(std::unique(matching.begin(), matching.end(),
                             [](const MatchTree& a, const MatchTree& b) {
                               return a.term == b.term;
                             }),
                 matching.end());
  return MatchTree::AtLeast(minimum, std::move(matching));
}

Xapian::Query RankedAtLeast(const std::vector<Xapian::Query>& alternatives,
                            const MatchTree& match, bool built_in) {
  Xapian::Query any(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
  if (match.op != MatchTree::Op::kAtLeast || built_in) return any;
  return Xapian::Query(Xapian::Query::OP_FILTER, any, MatchFilter(match));
}

}  // namespace tim
