// The text forms of SearchRequest options (tim/searcher.h), shared by the
// CLI, the server and embedders.
#include <string>

#include "base/spaces.h"

#include "tim/error.h"
#include "tim/searcher.h"

namespace tim {

SortOrder ParseSortOrder(std::string_view name) {
  if (name == "relevance") return SortOrder::kRelevance;
  if (name == "date" || name == "newest") return SortOrder::kNewestFirst;
  if (name == "-date" || name == "oldest") return SortOrder::kOldestFirst;
  throw Error(ErrorCode::kInvalidArgument,
              "sort order must be relevance, date (newest first) or -date "
              "(oldest first), not '" + std::string(name) + "'");
}

MatchMode ParseMatchMode(std::string_view name) {
  if (name == "all") return MatchMode::kAll;
  if (name == "any") return MatchMode::kAny;
  if (name == "auto") return MatchMode::kAuto;
  throw Error(ErrorCode::kInvalidArgument,
              "match mode must be all, any or auto, not '" + std::string(name) + "'");
}

std::vector<std::string> ParseFacetList(std::string_view list) {
  std::vector<std::string> facets;
  if (list == "none") return facets;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view facet = list.substr(0, comma);
    if (!facet.empty()) facets.emplace_back(facet);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return facets;
}

void AddFacetFilter(std::string_view facet_equals_value, SearchRequest* request) {
  const size_t equals = facet_equals_value.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    throw Error(ErrorCode::kInvalidArgument,
                "a facet filter is FACET=VALUE (e.g. cites=Reuters), not '" +
                    std::string(facet_equals_value) + "'");
  }
  const std::string_view facet = facet_equals_value.substr(0, equals);
  const std::string_view value = facet_equals_value.substr(equals + 1);
  if (TrimSpace(value).empty()) {
    throw Error(ErrorCode::kInvalidArgument,
                "'" + std::string(facet_equals_value) + "' has no value (" +
                    std::string(facet) + "=unknown selects the articles without one)");
  }
  request->facet_filters[std::string(facet)].emplace_back(value);
}

}  // namespace tim
