// remote_ranking.h: rankings on a database with remote shards.
//
// A stub's "remote HOST:PORT" shards are served by Debian's stock
// xapian-tcpsrv, which runs Xapian's own operators, weights and value sorts
// only: tim's posting sources and match deciders cannot be sent to it (a
// source goes to a server only if it can be serialised and the server has
// it registered; the stock server registers Xapian's own). So tim ranks
// there by a query's built-in part (CompiledQuery::BuiltInPass), which
// matches more than the query: tim keeps the matches it lists itself
// (match_set.h reads the remote posting lists and position maps), and adds
// on the client the weights its own sources would have added
// (ClientWeights). Rankings come out as on a local database.
#ifndef TIM_SRC_QUERY_REMOTE_RANKING_H_
#define TIM_SRC_QUERY_REMOTE_RANKING_H_

#include <xapian.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "index/stored_article_codec.h"
#include "index/facet_table.h"
#include "query/match_set.h"
#include "query/query_compiler.h"

namespace tim {

// The weights posting sources add to documents, computed on the client:
// each source init()ed on the whole database and asked about documents in
// ascending docid order (init() again to go back), where its conditions
// match.
class ClientWeights {
 public:
  // `db` and `facets` (its table, for date ranges in conditions) must
  // outlive this.
  ClientWeights(ClientSources sources, const Xapian::Database& db, const FacetTable& facets);
  ~ClientWeights();

  bool empty() const { return sources_.empty(); }
  // At least the sum of any document's weights.
  double max_weight() const { return max_weight_; }
  // The sum of the weights of each of `ids` (sorted, ascending).
  std::vector<double> Of(const std::vector<Xapian::docid>& ids);

 private:
  void Init();

  ClientSources sources_;
  const Xapian::Database& db_;
  const FacetTable& facets_;
  // Each source's conditions' cursors.
  std::vector<std::vector<std::unique_ptr<MatchCursor>>> conditions_;
  double max_weight_ = 0;
  Xapian::docid last_ = 0;  // the last document asked about
};

// Xapian counts documents in 32 bits: `n`, or the most it can count.
Xapian::doccount DocCount(size_t n);

// A match and its weight.
struct RankedMatch {
  Xapian::docid id;
  double weight;
};

// What a ranking adds on the client to the weights Xapian gives matches
// (each of which it may change): at most `max_added` to any.
struct ClientPart {
  std::function<void(std::vector<RankedMatch>*)> adjust;
  double max_added = 0;
};

// The matches of `enquire`'s query (of Xapian's own parts, ranked by
// weight, then as it orders ties) that `keep` accepts, weighed as `client`
// adjusts them, by weight, descending, those of equal weight in Xapian's
// order. The first `enough` are the best of all; matches after them may be
// missing. Xapian ranks deeper until then; its last ranking goes to
// `*ranking` when given.
std::vector<RankedMatch> BestKept(Xapian::Enquire& enquire, size_t enough,
                                  const std::function<bool(Xapian::docid)>& keep,
                                  const ClientPart& client = {},
                                  Xapian::MSet* ranking = nullptr);

// The weights under `query` (of Xapian's own parts) of `ids` (sorted
// documents, which it matches, whose id terms are `id_terms`), with
// `enquire`'s weighting scheme: a remote database cannot restrict a ranking
// to docids, so the query is restricted to their id terms.
std::vector<double> WeightsOf(Xapian::Enquire& enquire, const Xapian::Query& query,
                              const std::vector<Xapian::docid>& ids,
                              const std::vector<std::string>& id_terms);

// The id term (IdTerm) of the stored article `data`.
std::string StoredIdTerm(const std::string& data);

// The id terms of `ids`, documents of `db`, read from their stored articles.
std::vector<std::string> IdTermsOf(const Xapian::Database& db, StoredDataReader& stored,
                                   const std::vector<Xapian::docid>& ids);

}  // namespace tim

#endif  // TIM_SRC_QUERY_REMOTE_RANKING_H_
