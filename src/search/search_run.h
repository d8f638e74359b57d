// search_run.h: one search on one database handle: the exact match set,
// counted into the total and the facets, and the requested page of hits.
//
// The page is ranked by Xapian in one pass, or in two when the query has
// map boosts (query_compiler.h): the first pass without them, then its
// best kAdjacencyWindow (or kExactWindow) articles again with them. A
// relevance-ranked first page is then rescored from the hits' titles.
#ifndef TIM_SRC_SEARCH_SEARCH_RUN_H_
#define TIM_SRC_SEARCH_SEARCH_RUN_H_

#include <functional>

#include "query/query_compiler.h"
#include "search/facet_collector.h"
#include "search/handle_pool.h"
#include "tim/searcher.h"

namespace tim {

// Fills `response`'s total, hits and facets with the results of `query`
// for `request`, on `handle`. `filters` are the facet filters the facet
// counts apply (the others are in `query`); with `rescore_titles`, the
// first hits are rescored from their titles, for queries the user typed.
void RunSearch(const CompiledQuery& query, const SearchRequest& request,
               const FacetFilters& filters, bool rescore_titles, Handle& handle,
               SearchResponse* response);

// Calls `visit` with each docid `query` matches that passes `filters`, in
// docid order, until it returns false; returns how many it was called
// with. Constant memory: the exact match set is walked, never listed.
uint64_t VisitMatches(const CompiledQuery& query, const FacetFilters& filters,
                      bool with_inferred_dates, Handle& handle,
                      const std::function<bool(Xapian::docid)>& visit);

}  // namespace tim

#endif  // TIM_SRC_SEARCH_SEARCH_RUN_H_
