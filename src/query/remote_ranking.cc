#include "query/remote_ranking.h"

#include <algorithm>
#include <limits>

#include "index/document_builder.h"
#include "index/stored_fields_reader.h"
#include "query/same_weight.h"
#include "tim/json.h"

namespace tim {

ClientWeights::ClientWeights(ClientSources sources, const Xapian::Database& db,
                             const FacetTable& facets)
    : sources_(std::move(sources)), db_(db), facets_(facets) {
  Init();
  for (const ClientSource& source : sources_) max_weight_ += source.source->get_maxweight();
}

ClientWeights::~ClientWeights() = default;

void ClientWeights::Init() {
  conditions_.clear();
  for (const ClientSource& source : sources_) {
    source.source->init(db_);
    auto& cursors = conditions_.emplace_back();
    for (const MatchTree& condition : source.conditions) {
      cursors.push_back(std::make_unique<MatchCursor>(condition, db_, facets_));
    }
  }
  last_ = 0;
}

std::vector<double> ClientWeights::Of(const std::vector<Xapian::docid>& ids) {
  std::vector<double> weights(ids.size(), 0.0);
  if (sources_.empty() || ids.empty()) return weights;
  if (ids.front() <= last_) Init();
  for (size_t s = 0; s < sources_.size(); ++s) {
    Xapian::PostingSource& source = *sources_[s].source;
    for (size_t i = 0; i < ids.size(); ++i) {
      const bool applies = std::all_of(
          conditions_[s].begin(), conditions_[s].end(),
          [&](const auto& cursor) { return cursor->SkipTo(ids[i]) == ids[i]; });
      // A boost says yes to any document (weighing 0 where it does not
      // apply); a value source, only to those with the value.
      if (applies && source.check(ids[i], 0) && !source.at_end() &&
          source.get_docid() == ids[i]) {
        weights[i] += source.get_weight();
      }
    }
  }
  last_ = ids.back();
  return weights;
}

Xapian::doccount DocCount(size_t n) {
  return static_cast<Xapian::doccount>(
      std::min<size_t>(n, std::numeric_limits<Xapian::doccount>::max()));
}

namespace {

// Whether `kept` (by weight) holds the best `enough` of all the matches:
// those Xapian did not rank weigh at most `least` (its least ranked
// weight) plus `client_max`. When the client adds nothing, those of
// exactly the least weight come after the ranked ones in Xapian's order of
// ties.
bool Settled(const std::vector<RankedMatch>& kept, size_t enough, double least,
             double client_max) {
  if (kept.size() < enough || enough == 0) return kept.size() >= enough;
  const double last = kept[enough - 1].weight;
  const double bound = least + client_max;
  if (last > bound && !SameWeight(last, bound)) return true;
  if (client_max > 0 || last != least) return false;
  return std::all_of(kept.begin(), kept.end(), [&](const RankedMatch& match) {
    return !SameWeight(match.weight, last) || match.weight == last;
  });
}

}  // namespace

std::vector<RankedMatch> BestKept(Xapian::Enquire& enquire, size_t enough,
                                  const std::function<bool(Xapian::docid)>& keep,
                                  const ClientPart& client, Xapian::MSet* ranking) {
  std::vector<RankedMatch> kept;
  Xapian::MSet mset;
  for (size_t asked = std::max<size_t>(2 * enough, 32);; asked *= 4) {
    mset = enquire.get_mset(0, DocCount(asked));
    kept.clear();
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      if (keep(*it)) kept.push_back({*it, it.get_weight()});
    }
    if (client.adjust) {
      client.adjust(&kept);
      std::stable_sort(kept.begin(), kept.end(), [](const RankedMatch& a, const RankedMatch& b) {
        return a.weight > b.weight;
      });
    }
    if (mset.size() < DocCount(asked) || mset.empty()) break;  // all ranked
    const double least = (--mset.end()).get_weight();
    if (Settled(kept, enough, least, client.max_added)) break;
  }
  if (ranking) *ranking = mset;
  return kept;
}

std::string StoredIdTerm(const std::string& data) {
  std::string id;
  return IdTerm(ReadStoredId(data, &id) ? id : ArticleFromJson(data).id);
}

std::vector<std::string> IdTermsOf(const Xapian::Database& db, StoredDataReader& stored,
                                   const std::vector<Xapian::docid>& ids) {
  std::vector<std::string> terms;
  for (Xapian::docid id : ids) terms.push_back(StoredIdTerm(stored.Read(db.get_document(id))));
  return terms;
}

std::vector<double> WeightsOf(Xapian::Enquire& enquire, const Xapian::Query& query,
                              const std::vector<Xapian::docid>& ids,
                              const std::vector<std::string>& id_terms) {
  const Xapian::Query any_id(Xapian::Query::OP_OR, id_terms.begin(), id_terms.end());
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, any_id));
  const Xapian::MSet weighed = enquire.get_mset(0, DocCount(ids.size()));
  std::vector<double> weights(ids.size(), 0.0);
  for (auto it = weighed.begin(); it != weighed.end(); ++it) {
    const auto at = std::lower_bound(ids.begin(), ids.end(), *it);
    if (at != ids.end() && *at == *it) {
      weights[static_cast<size_t>(at - ids.begin())] = it.get_weight();
    }
  }
  return weights;
}

}  // namespace tim
