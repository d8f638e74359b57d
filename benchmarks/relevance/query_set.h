// query_set.h: the relevance benchmark's queries and their judgments,
// drawn deterministically from the corpus itself (see README.md for the
// rules and why they are fair to both engines).
#ifndef TIM_BENCHMARKS_RELEVANCE_QUERY_SET_H_
#define TIM_BENCHMARKS_RELEVANCE_QUERY_SET_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tim::bench {

// What the benchmark keeps of an article.
struct Entry {
  std::string id;
  std::string title;  // NormalizeText()ed (NFC)
  std::string category;
  std::string lead;   // the body's first sentences, NormalizeText()ed
};

// How a query is typed. kUnaccentedNoSuggestion is the unaccented text run
// with SearchRequest::suggest_accents off (tim before accent suggestions);
// kRestored is the unaccented text replaced by SuggestAccents's
// suggestion, filled in by the benchmark, not by the query set.
enum Variant {
  kWritten,
  kUnaccented,
  kToneSwapped,
  kNfd,
  kRestored,
  kUnaccentedNoSuggestion,
  kNumVariants
};
const char* VariantName(Variant variant);

struct Query {
  // The text of each variant; empty where the variant does not apply (no
  // syllable with a movable tone, or not restored).
  std::array<std::string, kNumVariants> text;
  size_t target = 0;     // known-item: index of the article in the corpus
  std::string category;  // topical: the relevant category
};

struct KnownItemOptions {
  size_t count = 500;
  uint64_t seed = 20251028;
  // A span may appear (as a folded phrase, title or body) in at most this
  // many articles.
  uint64_t max_phrase_documents = 20;
  // Only spans holding a syllable whose tone may sit on either vowel
  // (hòa/hoà): few titles spans do, so the tone variant gets its own set.
  bool with_movable_tone = false;
};

// Spans of 3-6 consecutive syllables of titles: one per article, articles
// and spans drawn with a fixed seed (with_movable_tone: titles having such
// a syllable, spans covering one), kept when no other title has the span
// (folded, as consecutive syllables) and `phrase_documents(span)` (the
// number of articles having it anywhere) is small. Writes how many spans
// each rule rejected to `rejected` ("title", "phrase").
std::vector<Query> KnownItemQueries(
    const std::vector<Entry>& corpus, const KnownItemOptions& options,
    const std::function<uint64_t(const std::string& folded_phrase)>& phrase_documents,
    std::array<size_t, 2>* rejected);

// Spans of 2-4 consecutive syllables, one per title of `held_out` (articles
// left out of the index), drawn with `seed`, kept when they have a
// diacritic: accent restoration on text the index has never seen.
std::vector<Query> HeldOutQueries(const std::vector<Entry>& held_out, uint64_t seed);

// For each category holding at least 1.5% of the articles, the
// `per_category` title n-grams (1-3 syllables, in at least 0.1% of titles
// and at least 10) whose titles most often belong to that category, no
// two sharing a syllable, each written in its most frequent lowercase
// spelling. The articles of that category are the relevant ones.
std::vector<Query> TopicalQueries(const std::vector<Entry>& corpus, size_t per_category);

// Single syllables typed with diacritics: for each folded syllable having
// at least two accented spellings (exact keys other than the folded one,
// no digits) each in at least `min_titles` titles, each such spelling,
// written in its most frequent lowercase form in titles (text[kWritten];
// text[kUnaccentedNoSuggestion] is the folded syllable). Sorted by folded
// syllable, then exact key. An article is relevant when it has the
// spelling: judged by the benchmark, not here.
std::vector<Query> ExactSpellingQueries(const std::vector<Entry>& corpus, size_t min_titles);

}  // namespace tim::bench

#endif  // TIM_BENCHMARKS_RELEVANCE_QUERY_SET_H_
