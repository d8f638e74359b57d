#include "search/remote_search.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

#include "index/schema.h"
#include "query/map_window.h"
#include "search/ranked_order.h"

namespace tim {

namespace {

// A ranking's parts on a database with remote shards (remote_ranking.h):
// the query of Xapian's own parts that their servers run, and what tim
// adds here: the weights of the query's posting sources, and the weights
// of articles that lack a phrase the built-in query weighs as its
// syllables (CompiledQuery::phrase_alternatives), weighed again without
// it. `window`: the map boosts' (none: the first pass's form).
class RemoteWeighing {
 public:
  RemoteWeighing(const CompiledQuery& query, const SearchRequest& request, Handle& handle,
                 std::shared_ptr<const MapWindow> window)
      : query_(query), handle_(handle), window_(std::move(window)), reweigher_(*handle.db) {
    ClientSources sources;
    built_in_ = query.BuiltInPass(&sources, window_);
    sources_.emplace(std::move(sources), *handle.db, *handle.facets);
    reweigher_.set_weighting_scheme(Bm25Of(request));
  }

  const Xapian::Query& built_in() const { return built_in_; }

  // Weighs the matches Xapian weighed by built_in() as the query does.
  ClientPart client() {
    return {[this](std::vector<RankedMatch>* matches) { Adjust(matches); },
            sources_->max_weight()};
  }

  // The weights of `ids` (sorted matches; `id_terms`, their id terms).
  std::vector<RankedMatch> Weigh(const std::vector<Xapian::docid>& ids,
                                 const std::vector<std::string>& id_terms) {
    const std::vector<double> weights = WeightsOf(reweigher_, built_in_, ids, id_terms);
    std::vector<RankedMatch> weighed;
    for (size_t i = 0; i < ids.size(); ++i) weighed.push_back({ids[i], weights[i]});
    Adjust(&weighed);
    return weighed;
  }

  // The weight Xapian's part gave a match last adjusted (client()).
  double XapianWeight(Xapian::docid id) const { return xapian_weights_.at(id); }

  // Adds the sources' weights to `matches`, weighed by Xapian as by this
  // query (by another's, identical but for its sources: XapianWeight()).
  void AddSources(std::vector<RankedMatch>* matches) { AddSources(ById(matches)); }

 private:
  static std::vector<RankedMatch*> ById(std::vector<RankedMatch>* matches) {
    std::vector<RankedMatch*> by_id;
    for (RankedMatch& match : *matches) by_id.push_back(&match);
    std::sort(by_id.begin(), by_id.end(),
              [](const RankedMatch* a, const RankedMatch* b) { return a->id < b->id; });
    return by_id;
  }

  void Adjust(std::vector<RankedMatch>* matches) {
    const std::vector<RankedMatch*> by_id = ById(matches);
    WeighAgainWithoutLackedPhrases(by_id);
    for (const RankedMatch* match : by_id) xapian_weights_[match->id] = match->weight;
    AddSources(by_id);
  }

  void AddSources(const std::vector<RankedMatch*>& by_id) {
    std::vector<Xapian::docid> ids;
    for (const RankedMatch* match : by_id) ids.push_back(match->id);
    const std::vector<double> added = sources_->Of(ids);
    for (size_t i = 0; i < by_id.size(); ++i) by_id[i]->weight += added[i];
  }

  void WeighAgainWithoutLackedPhrases(const std::vector<RankedMatch*>& by_id) {
    const Xapian::Database& db = *handle_.db;
    std::vector<std::unique_ptr<MatchCursor>> phrases;
    for (const MatchTree& phrase : query_.phrase_alternatives()) {
      phrases.push_back(std::make_unique<MatchCursor>(phrase, db, *handle_.facets));
    }
    if (phrases.empty()) return;
    std::map<std::vector<bool>, std::vector<RankedMatch*>> lacking;  // by the phrases lacked
    for (RankedMatch* match : by_id) {
      std::vector<bool> lacked;
      for (const auto& phrase : phrases) lacked.push_back(phrase->SkipTo(match->id) != match->id);
      if (std::find(lacked.begin(), lacked.end(), true) != lacked.end()) {
        lacking[lacked].push_back(match);
      }
    }
    for (const auto& [lacked, matches] : lacking) {
      ClientSources same_sources;
      const Xapian::Query without = query_.BuiltInPass(&same_sources, window_, &lacked);
      std::vector<Xapian::docid> ids;
      for (const RankedMatch* match : matches) ids.push_back(match->id);
      const std::vector<double> weights =
          WeightsOf(reweigher_, without, ids, IdTermsOf(db, *handle_.stored, ids));
      for (size_t i = 0; i < matches.size(); ++i) matches[i]->weight = weights[i];
    }
  }

  const CompiledQuery& query_;
  Handle& handle_;
  const std::shared_ptr<const MapWindow> window_;
  Xapian::Enquire reweigher_;
  Xapian::Query built_in_;
  std::optional<ClientWeights> sources_;
  std::unordered_map<Xapian::docid, double> xapian_weights_;
};

// What the servers' ranking brought besides the order: each item's sort
// key (the content hash, which Xapian orders ties by), and the documents,
// which it fetches in one go where each read would cost a round trip.
struct RemoteRanking {
  Xapian::MSet items;
  std::unordered_map<Xapian::docid, std::string> hashes;

  explicit RemoteRanking(Xapian::MSet mset) : items(std::move(mset)) {
    for (auto it = items.begin(); it != items.end(); ++it) hashes[*it] = it.get_sort_key();
  }

  // The position maps of `ids` (sorted, items of the ranking).
  std::vector<std::string> Maps(const std::vector<Xapian::docid>& ids) {
    auto wanted = [&](Xapian::docid id) { return std::binary_search(ids.begin(), ids.end(), id); };
    for (auto it = items.begin(); it != items.end(); ++it) {
      if (wanted(*it)) items.fetch(it);
    }
    std::unordered_map<Xapian::docid, std::string> by_id;
    for (auto it = items.begin(); it != items.end(); ++it) {
      if (wanted(*it)) by_id[*it] = it.get_document().get_value(schema::kPositionMapSlot);
    }
    std::vector<std::string> maps;
    for (Xapian::docid id : ids) maps.push_back(std::move(by_id[id]));
    return maps;
  }
};

// Rank's second pass on a database with remote shards: `best`, the
// matches `first_pass` weighed, weighed by the query with its map boosts
// (Xapian's part again only if it weighs more than the first pass's: each
// document costs a round trip to read its id).
std::vector<RankedMatch> SecondPassRemotely(const CompiledQuery& query,
                                            const SearchRequest& request, Handle& handle,
                                            const std::vector<RankedMatch>& best,
                                            const RemoteWeighing& first_pass,
                                            RemoteRanking& ranking) {
  const Xapian::Database& db = *handle.db;
  std::vector<Xapian::docid> ids;
  for (const RankedMatch& match : best) ids.push_back(match.id);
  std::sort(ids.begin(), ids.end());
  const std::vector<std::string> maps = ranking.Maps(ids);
  RemoteWeighing second(query, request, handle, query.SecondPassWindow(db, ids, &maps));
  std::vector<RankedMatch> ranked;
  if (query.second_pass_weighs_more()) {
    ranked = second.Weigh(ids, IdTermsOf(db, *handle.stored, ids));
  } else {
    for (Xapian::docid id : ids) ranked.push_back({id, first_pass.XapianWeight(id)});
    second.AddSources(&ranked);
  }
  SortByWeight(db, &ranked, ranking.hashes);
  return ranked;
}

}  // namespace

std::vector<RankedMatch> RankRemotely(const CompiledQuery& query, const SearchRequest& request,
                                      Handle& handle, size_t first, size_t count,
                                      const std::vector<Xapian::docid>& accepted,
                                      Xapian::Enquire* enquire) {
  const Xapian::Database& db = *handle.db;
  const bool two_passes = query.has_map_boosts();
  const size_t window = query.has_adjacency_boosts() ? kAdjacencyWindow : kExactWindow;
  const size_t enough = two_passes ? std::max(window, first + count) : first + count;
  RemoteWeighing first_pass(query, request, handle, nullptr);
  enquire->set_query(first_pass.built_in());
  enquire->set_sort_by_relevance_then_value(schema::kContentHashSlot, false);
  Xapian::MSet items;
  std::vector<RankedMatch> ranked = BestKept(
      *enquire, enough,
      [&](Xapian::docid id) { return std::binary_search(accepted.begin(), accepted.end(), id); },
      first_pass.client(), &items);
  enquire->set_sort_by_relevance();
  RemoteRanking ranking(std::move(items));
  SortByWeight(db, &ranked, ranking.hashes);
  ranked.resize(std::min(ranked.size(), enough));
  if (two_passes) ranked = SecondPassRemotely(query, request, handle, ranked, first_pass, ranking);
  return Slice(std::move(ranked), first, count);
}

std::vector<double> WeighRemotely(const CompiledQuery& query, const SearchRequest& request,
                                  Handle& handle, const std::vector<Xapian::docid>& ids,
                                  const std::vector<std::string>& id_terms) {
  RemoteWeighing single(query, request, handle, query.SinglePassWindow());
  std::vector<double> weights;
  for (const RankedMatch& match : single.Weigh(ids, id_terms)) weights.push_back(match.weight);
  return weights;
}

}  // namespace tim
