#include "search/weight_ranking.h"

#include <algorithm>

#include "index/schema.h"
#include "query/same_weight.h"
#include "search/ranked_order.h"

namespace tim {

namespace {

std::vector<RankedMatch> RankedMatches(const Xapian::MSet& mset) {
  std::vector<RankedMatch> ranked;
  for (auto it = mset.begin(); it != mset.end(); ++it) ranked.push_back({*it, it.get_weight()});
  return ranked;
}

// RankByWeight's order with Xapian reading the content hash of every match
// it weighs: it orders equal weights, and here groups of weights equal to
// rounding are ordered again, the window widened until each group at the
// page's edges lies within it.
std::vector<RankedMatch> RankByWeightReadingHashes(Xapian::Enquire& enquire,
                                                   const Xapian::Database& db, size_t first,
                                                   size_t count, const Matcher& matcher) {
  enquire.set_sort_by_relevance_then_value(schema::kContentHashSlot, false);
  std::vector<RankedMatch> page;
  for (size_t margin = 1; count > 0; margin *= 4) {
    const size_t before = std::min(first, margin);
    const size_t asked = before + count + margin;
    std::vector<RankedMatch> ranked = RankedMatches(enquire.get_mset(
        DocCount(first - before), DocCount(asked), matcher.check, nullptr, matcher.decider));
    if (ranked.size() <= before) break;
    const std::vector<size_t> groups = WeightGroups(ranked);
    const size_t last = std::min(ranked.size(), before + count) - 1;
    // A group cut by the window, whose weights differ (equal ones Xapian
    // ordered by hash already), may have members outside it.
    auto cut = [&](size_t edge, size_t inside) {
      if (groups[edge] != groups[inside]) return false;
      for (size_t i = 0; i < ranked.size(); ++i) {
        if (groups[i] == groups[edge] && ranked[i].weight != ranked[edge].weight) return true;
      }
      return false;
    };
    const bool more = (before < first && cut(0, before)) ||
                      (ranked.size() == asked && cut(ranked.size() - 1, last));
    if (more && margin < db.get_doccount()) continue;
    SortTiesByContent(db, &ranked);
    page.assign(ranked.begin() + static_cast<std::ptrdiff_t>(before),
                ranked.begin() + static_cast<std::ptrdiff_t>(last + 1));
    break;
  }
  enquire.set_sort_by_relevance();
  return page;
}

}  // namespace

std::vector<RankedMatch> WeightSpy::Weighing(double weight) const {
  std::vector<RankedMatch> matches;
  for (const RankedMatch& match : seen_) {
    if (SameWeight(match.weight, weight)) matches.push_back(match);
  }
  std::sort(matches.begin(), matches.end(), XapianOrder);
  return matches;
}

std::vector<RankedMatch> WeightSpy::Ranked(size_t count) const {
  std::vector<RankedMatch> ranked = seen_;
  const size_t kept = std::min(count, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(kept),
                    ranked.end(), XapianOrder);
  ranked.resize(kept);
  return ranked;
}

std::vector<RankedMatch> PageOfTies(const Xapian::Database& db, std::vector<RankedMatch> ranked,
                                    size_t before, size_t count, const WeightSpy& spy) {
  const size_t end = std::min(ranked.size(), before + count);
  const bool tie_before = before && SameWeight(ranked[0].weight, ranked[1].weight);
  const bool tie_after =
      ranked.size() > end && SameWeight(ranked[end - 1].weight, ranked[end].weight);
  std::vector<RankedMatch> page(ranked.begin() + static_cast<std::ptrdiff_t>(before),
                                ranked.begin() + static_cast<std::ptrdiff_t>(end));
  if (!tie_before && !tie_after) {
    SortTiesByContent(db, &page);
    return page;
  }
  const double first_weight = page.front().weight, last_weight = page.back().weight;
  const bool one_group = tie_before && tie_after && SameWeight(first_weight, last_weight);
  auto in_edge_group = [&](const RankedMatch& match) {
    return (tie_before && SameWeight(match.weight, first_weight)) ||
           (tie_after && SameWeight(match.weight, last_weight));
  };
  std::vector<RankedMatch> around;  // from the first group's first match on
  size_t skipped = 0;               // of it, ranked before the page
  if (tie_before) {
    around = spy.Weighing(first_weight);
    for (const RankedMatch& match : around) {
      skipped += WeightSpy::XapianOrder(match, page.front());
    }
  }
  for (const RankedMatch& match : page) {
    if (!in_edge_group(match)) around.push_back(match);
  }
  if (tie_after && !one_group) {
    for (const RankedMatch& match : spy.Weighing(last_weight)) around.push_back(match);
  }
  SortTiesByContent(db, &around);
  const size_t from = std::min(around.size(), skipped);
  return {around.begin() + static_cast<std::ptrdiff_t>(from),
          around.begin() + static_cast<std::ptrdiff_t>(std::min(around.size(), from + count))};
}

std::vector<RankedMatch> RankByWeight(Xapian::Enquire& enquire, const Xapian::Database& db,
                                      size_t first, size_t count, const Matcher& matcher) {
  if (db.size() > 1) return RankByWeightReadingHashes(enquire, db, first, count, matcher);
  const size_t before = first > 0 ? 1 : 0;
  WeightSpy spy;
  enquire.add_matchspy(&spy);
  auto rank = [&](Xapian::doccount check) {
    return enquire.get_mset(DocCount(first - before),
                            DocCount(count > 0 ? count + before + 1 : 0), check, nullptr,
                            matcher.decider);
  };
  Xapian::MSet mset = rank(matcher.check);
  if (mset.get_max_possible() == 0 && matcher.check < db.get_doccount()) {
    // Weighing nothing, every match ties, and Xapian stops once it has the
    // page: the spy must see them all.
    spy.Clear();
    mset = rank(db.get_doccount());
  }
  enquire.clear_matchspies();
  std::vector<RankedMatch> ranked = RankedMatches(mset);
  if (ranked.size() <= before || count == 0) return {};
  return PageOfTies(db, std::move(ranked), before, count, spy);
}

}  // namespace tim
