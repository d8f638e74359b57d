// query_builder.h: tim's query language, turned into a Xapian query.
//
//   đàm phán            both syllables, anywhere (AND); adjacent ranks higher
//   "đàm phán"          the phrase
//   a OR b, a AND b     boolean operators (upper case); parentheses group
//   -word, NOT word     exclusion
//   title:word          in the title only; title:"a phrase" too
//   source:"Dân trí"    from that publisher (also cites:, category:)
//   date:2025-10..2025-12, date:2023, date:..2024-06
//                       dated within the range (open ends allowed)
//
// Matching ignores diacritics and tone placement ("dam phan" finds "đàm
// phán"); a query typed with diacritics ranks exactly-accented matches first.
#ifndef TIM_SRC_QUERY_QUERY_BUILDER_H_
#define TIM_SRC_QUERY_QUERY_BUILDER_H_

#include <xapian.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/match_set.h"
#include "query/phrase_query.h"
#include "tim/article.h"

namespace tim {

struct BuiltQuery {
  // How to rank: what the query requires, plus optional boosts.
  Xapian::Query query;
  // What the query requires, for enumerating its exact match set.
  MatchTree match;
  // Folded syllables of the positive terms, for highlighting.
  std::vector<std::string> highlight_keys;
  // Human-readable notes, e.g. how an unparsable query was read instead.
  std::vector<std::string> warnings;
  // Switches the map boosts (adjacency, exact spellings) in `query`; null
  // if it has none.
  std::shared_ptr<MapBoosts> map_boosts;
};

// An empty query (or one with only spaces) matches every article. A query
// with a syntax error (unbalanced quote or parenthesis, dangling operator)
// is searched as plain words with a warning, or, when `strict`, rejected
// with Error(kInvalidArgument) saying where.
BuiltQuery BuildQuery(std::string_view text, bool strict = false);

// Makes `built` (BuildQuery of a query typed without diacritics) the query
// typed with the diacritics of `accented` (SuggestAccents's suggestion):
// every syllable's exact form adds weight, "minh" as much as "bình", and
// the stopwords are those of `accented` ("thi" is optional as "thì", not
// as "thị"). Matching stays folded. Keeps `built`'s highlight keys and
// warnings; does nothing unless `accented` has the same words, folded.
void ReadAs(std::string_view accented, BuiltQuery* built);

// The articles whose date span overlaps [first, last] (either end open when
// unset; a partial date spans its period): as a Xapian filter and as a
// MatchTree. Dates read from the text count only `with_inferred_dates`.
Xapian::Query DateRangeQuery(const std::optional<Date>& first,
                             const std::optional<Date>& last,
                             bool with_inferred_dates);
MatchTree DateRangeMatch(const std::optional<Date>& first,
                         const std::optional<Date>& last,
                         bool with_inferred_dates);

}  // namespace tim

#endif  // TIM_SRC_QUERY_QUERY_BUILDER_H_
