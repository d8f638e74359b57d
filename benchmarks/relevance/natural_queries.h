// natural_queries.h: queries as people type them (questions, pasted
// descriptions, short keywords), written from an article's title and lead
// by fixed rules and a fixed seed; the article they were written from is
// the relevant one. See README.md, "Natural queries", for the rules.
#ifndef TIM_BENCHMARKS_RELEVANCE_NATURAL_QUERIES_H_
#define TIM_BENCHMARKS_RELEVANCE_NATURAL_QUERIES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "query_set.h"

namespace tim::bench {

enum NaturalKind { kQuestion, kDescription, kKeywords, kNumNaturalKinds };
const char* NaturalKindName(NaturalKind kind);

struct NaturalQuery {
  NaturalKind kind = kQuestion;
  std::string typed;       // with diacritics, as written
  std::string unaccented;  // StripDiacritics(typed)
  size_t target = 0;       // index of the article in the corpus
  bool tune = false;       // tune set (else held out)
  // Distinct content syllables (folded, not function words) of the query
  // found in the target's title or lead.
  size_t content_in_target = 0;
};

// `per_kind` queries of each kind, targets drawn with `seed` among the
// articles with a lead; every other query of a kind is in the tune set.
std::vector<NaturalQuery> NaturalQueries(const std::vector<Entry>& corpus, size_t per_kind,
                                         uint64_t seed);

// Whether a folded syllable is a Vietnamese function or question word
// (the benchmark's own short list, for judging, not tim's).
bool IsFunctionSyllable(const std::string& folded);

}  // namespace tim::bench

#endif  // TIM_BENCHMARKS_RELEVANCE_NATURAL_QUERIES_H_
