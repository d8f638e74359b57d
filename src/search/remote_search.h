// remote_search.h: a search's ranking on a database with remote shards,
// whose servers (Debian's stock xapian-tcpsrv) run Xapian's own matching
// only: Xapian's part there, tim's here (query/remote_ranking.h), in the
// order search_run.cc's rankings give on a local database.
#ifndef TIM_SRC_SEARCH_REMOTE_SEARCH_H_
#define TIM_SRC_SEARCH_REMOTE_SEARCH_H_

#include <xapian.h>

#include <string>
#include <vector>

#include "query/query_compiler.h"
#include "query/remote_ranking.h"
#include "search/handle_pool.h"
#include "tim/searcher.h"

namespace tim {

// The matches [first, first + count) of `accepted` (sorted: the matches of
// `query` its filters accept), as Rank (search_run.cc) ranks them: in two
// passes if the query has map boosts. `enquire` weighs as `request` asks.
std::vector<RankedMatch> RankRemotely(const CompiledQuery& query, const SearchRequest& request,
                                      Handle& handle, size_t first, size_t count,
                                      const std::vector<Xapian::docid>& accepted,
                                      Xapian::Enquire* enquire);

// The weights of `ids` (sorted matches of `query`; `id_terms`, their id
// terms) under its SinglePass(): the scores of a page sorted by date.
std::vector<double> WeighRemotely(const CompiledQuery& query, const SearchRequest& request,
                                  Handle& handle, const std::vector<Xapian::docid>& ids,
                                  const std::vector<std::string>& id_terms);

}  // namespace tim

#endif  // TIM_SRC_SEARCH_REMOTE_SEARCH_H_
