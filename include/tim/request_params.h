// tim/request_params.h: requests from named text parameters, the form in
// which a URL query string (`?q=dam+phan&source=VnExpress&limit=5`) or a
// JSON object (`{"q": "dam phan", "source": ["VnExpress"], "limit": 5}`)
// carries them. The names are those of `tim search`'s and `tim ingest`'s
// options, with `_` for `-` (`--facet-limit` is `facet_limit`), so that the
// server, the CLI and other embedders read a request one way.
//
// Every function throws Error(kInvalidArgument) with a message naming the
// parameter and what is wrong with it: an unknown name, a value that is not
// a number, a date, a sort order..., a parameter given twice that is not
// repeatable, or text that is not valid UTF-8. All are thread-safe.
#ifndef TIM_REQUEST_PARAMS_H_
#define TIM_REQUEST_PARAMS_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tim/index_writer.h"
#include "tim/searcher.h"

namespace tim {

// Decoded (name, value) pairs in the order given; repeatable names repeat.
using Params = std::vector<std::pair<std::string, std::string>>;

// A search request from its parameters; absent ones keep SearchRequest's
// defaults:
//   q                    the query (SearchRequest::query)
//   limit, offset        whole numbers
//   sort                 relevance | date | -date (ParseSortOrder)
//   match                all | any | auto (ParseMatchMode)
//   source               a publisher; repeatable (OR)
//   filter               FACET=VALUE (AddFacetFilter); repeatable
//   from, to             YYYY[-MM[-DD]] (ParseDate)
//   facets               source,year,... or none (ParseFacetList)
//   facet_limit          a whole number
//   recency              half-life in days (recency_half_life_days)
//   recency_weight, bm25_k1, bm25_b   numbers
//   inferred_dates, suggest, strict   booleans: true/1/empty or false/0
//                        (with_inferred_dates, suggest_accents,
//                        strict_syntax)
SearchRequest SearchRequestFromParams(const Params& params);

// Ingest options from their parameters:
//   source               publisher of articles that name none
//   skip_bad, dedupe     booleans
//   invalid_utf8         error | skip | repair (ParseInvalidUtf8)
IngestOptions IngestOptionsFromParams(const Params& params);

// The parameters a JSON object gives: a string, number or boolean member is
// one parameter, an array of them a repeated one ({"source": ["A", "B"]}).
// A JSON string alone stands for {"q": that string}. Throws for anything
// else (invalid JSON, null, nested objects).
Params ParamsFromJson(std::string_view json);

// "error", "skip" or "repair" (`--invalid-utf8`).
InvalidUtf8 ParseInvalidUtf8(std::string_view name);

// Throws Error(kInvalidArgument) "WHAT is not valid UTF-8 (byte N)" unless
// `text` is well-formed UTF-8; for text that reaches tim by other ways than
// the functions above (an article id in a URL path).
void RequireUtf8(std::string_view what, std::string_view text);

}  // namespace tim

#endif  // TIM_REQUEST_PARAMS_H_
