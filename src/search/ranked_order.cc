#include "search/ranked_order.h"

#include <algorithm>

#include "index/schema.h"
#include "query/same_weight.h"

namespace tim {

Xapian::BM25Weight Bm25Of(const SearchRequest& request) {
  return Xapian::BM25Weight(request.bm25_k1, 0, 1, request.bm25_b, 0.5);
}

std::unordered_map<Xapian::docid, std::string> ContentHashes(
    const Xapian::Database& db, const std::vector<Xapian::docid>& ids) {
  std::unordered_map<Xapian::docid, std::string> hashes;
  Xapian::ValueIterator value = db.valuestream_begin(schema::kContentHashSlot);
  for (Xapian::docid id : ids) {
    value.skip_to(id);
    if (value == db.valuestream_end(schema::kContentHashSlot)) break;
    if (value.get_docid() == id) hashes[id] = *value;
  }
  return hashes;
}

std::vector<size_t> WeightGroups(const std::vector<RankedMatch>& ranked) {
  std::vector<size_t> groups(ranked.size());
  for (size_t i = 1, first = 0; i < ranked.size(); ++i) {
    const bool same = SameWeight(ranked[first].weight, ranked[i].weight);
    groups[i] = groups[i - 1] + (same ? 0 : 1);
    if (!same) first = i;
  }
  return groups;
}

void SortTiesByContent(const Xapian::Database& db, std::vector<RankedMatch>* ranked,
                       const std::unordered_map<Xapian::docid, std::string>* known) {
  const std::vector<size_t> groups = WeightGroups(*ranked);
  std::vector<Xapian::docid> tied;
  for (size_t i = 0; i < ranked->size(); ++i) {
    const bool ties_before = i > 0 && groups[i - 1] == groups[i];
    const bool ties_after = i + 1 < ranked->size() && groups[i + 1] == groups[i];
    if ((ties_before || ties_after) && !(known && known->count((*ranked)[i].id))) {
      tied.push_back((*ranked)[i].id);
    }
  }
  if (tied.empty() && !known) return;
  std::sort(tied.begin(), tied.end());
  std::unordered_map<Xapian::docid, std::string> hashes = ContentHashes(db, tied);
  if (known) hashes.insert(known->begin(), known->end());
  for (size_t begin = 0, end = 0; begin < ranked->size(); begin = end) {
    while (end < ranked->size() && groups[end] == groups[begin]) ++end;
    std::stable_sort(ranked->begin() + static_cast<std::ptrdiff_t>(begin),
                     ranked->begin() + static_cast<std::ptrdiff_t>(end),
                     [&](const RankedMatch& a, const RankedMatch& b) {
                       return hashes[a.id] < hashes[b.id];
                     });
  }
}

void SortByWeight(const Xapian::Database& db, std::vector<RankedMatch>* ranked,
                  const std::unordered_map<Xapian::docid, std::string>& known) {
  std::stable_sort(ranked->begin(), ranked->end(),
                   [](const RankedMatch& a, const RankedMatch& b) { return a.weight > b.weight; });
  SortTiesByContent(db, ranked, &known);
}

std::vector<RankedMatch> Slice(std::vector<RankedMatch> ranked, size_t first, size_t count) {
  if (first >= ranked.size()) return {};
  ranked.erase(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(first));
  ranked.resize(std::min(ranked.size(), count));
  return ranked;
}

}  // namespace tim
