// accent_restorer.h: the accented form of a query typed without diacritics
// ("dam phan hoa binh" -> "đàm phán hòa bình"), from the index's own text.
//
// Method. Folding merges many words (dam = đàm/đám/đầm/dăm...), and a
// syllable alone is ambiguous; its neighbours are not. So:
//   1. The query's words are searched, folded, as a phrase; the articles
//      that have it are the best evidence, and suffice. If none has it: all
//      of the words (AND); if none has them all: any of them (OR), its
//      rare words deciding which articles match, as in a relaxed search
//      (common_syllables.h). Of the first kCandidates (200) articles found
//      (by BM25, or for a phrase of several words in docid order: a common
//      phrase, "thoi gian", is in thousands), the best `max_documents` are
//      read, ranked higher where consecutive words stand together; if they
//      show none of the words (see 2), the next search is tried.
//   2. Their stored title and body are read for runs of the query's words
//      (accent_evidence.h), and
//   3. at each query word, the spelling seen in the longest runs wins.
// Words never seen keep the form the user typed, lowercased. Deterministic
// for a given database revision.
//
// Query syntax is kept (the parsed query tells it, query_syntax.h):
// operators (AND, OR, NOT), parentheses, quotes, field names (title:), the
// values of filter fields (source:, cites:, category:, date:) and excluded
// words (-word, NOT word) are copied as typed and take no part in the
// search; the rest is lowercased. A run never spans an operator, a
// parenthesis, an excluded word or a filter.
#ifndef TIM_SRC_QUERY_ACCENT_RESTORER_H_
#define TIM_SRC_QUERY_ACCENT_RESTORER_H_

#include <xapian.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "index/stored_article_codec.h"
#include "query/query_syntax.h"

namespace tim {

// How many of the best-matching articles are read for evidence, at about
// 0.03 ms an article on the news corpus. 20 and 30 restored the benchmark's
// queries equally well (benchmarks/relevance).
inline constexpr size_t kAccentDocuments = 20;

// The accents a query typed without diacritics gets from the articles.
struct AccentSuggestion {
  // The query with its words accented as the articles write them,
  // lowercase and NFC: what the user is shown.
  std::string text;
  // The exact keys chosen, for ReadAs (query_syntax.h).
  std::vector<Spelling> spellings;
};

// The suggestion for `query`, read from the articles of `db` through
// `stored` (a reader of `db`, which keeps its dictionaries from one search
// to the next); nullopt when the user typed diacritics (ParsedQuery::
// typed_diacritics), the query has no word to restore, no article matches,
// or nothing would change. Xapian errors propagate (callers translate them
// at the library edge). `remote`: `db` has remote shards, which run
// Xapian's own matching only (remote_ranking.h).
std::optional<AccentSuggestion> SuggestAccents(const Xapian::Database& db,
                                               StoredDataReader& stored,
                                               const ParsedQuery& query,
                                               size_t max_documents = kAccentDocuments,
                                               bool remote = false);

// The suggestion's text for `query_text`, parsed as a search would.
std::optional<std::string> SuggestAccents(const Xapian::Database& db,
                                          std::string_view query_text,
                                          size_t max_documents = kAccentDocuments);

}  // namespace tim

#endif  // TIM_SRC_QUERY_ACCENT_RESTORER_H_
