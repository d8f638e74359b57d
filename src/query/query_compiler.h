// query_compiler.h: a parsed query and a search's filters, compiled into
// what Xapian ranks and what the match set (match_set.h) counts.
//
// Both come out of the same walk over the syntax tree, each part built
// with its counterpart, so the ranked hits and the counted total and
// facets always describe the same articles. Nothing else in tim builds a
// Xapian query for a search: the Searcher's date range and facet filters,
// and "more like this" (a tree of index terms), come here too.
//
// Matching ignores diacritics and tone placement ("dam phan" finds "đàm
// phán"); a query typed with diacritics ranks exactly-accented matches
// first. Vietnamese function words ("của", "và") are optional unless the
// query has nothing else; a syllable typed plain ("cua") is one only in a
// query typed without diacritics (function_words.h). Consecutive lone
// syllables rank higher where they stand together, as a Vietnamese word
// spans syllables.
//
// Ranking runs in two passes when the query has map boosts (adjacency,
// common spellings: phrase_query.h), as reading position maps costs a
// block read an article: first_pass() ranks without them, and
// SecondPass() ranks the best few again with them (and, in a relaxed
// match, with the weight of its function words).
// A CompiledQuery never changes once built; it may be shared by threads.
#ifndef TIM_SRC_QUERY_QUERY_COMPILER_H_
#define TIM_SRC_QUERY_QUERY_COMPILER_H_

#include <xapian.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "query/match_set.h"
#include "query/phrase_query.h"
#include "query/query_syntax.h"
#include "tim/article.h"

namespace tim {

// What restricts a search besides its query text.
struct SearchFilters {
  // Dated within [from, to] (either end open; a partial date spans its
  // period); dates read from the text count only `with_inferred_dates`.
  std::optional<Date> from, to;
  bool with_inferred_dates = false;
  // Each group: the articles with any of its terms (the values of one
  // facet, as FacetValueTerm gives them); every group must hold.
  std::vector<std::vector<std::string>> any_of_terms;
};

// How the matches rank, besides the query.
struct RankingParams {
  double k1 = 1, b = 0.5;  // BM25, as Xapian::BM25Weight takes them
  // When both are > 0, newer articles rank higher (recency.h).
  double recency_half_life_days = 0;
  double recency_weight = 0;
  // The day (DayNumber()) ages are counted from: the newest dated article's
  // in the whole database (each shard's own newest would differ).
  long recency_newest_day = 0;
};

// A posting source to run outside Xapian's matcher (remote_ranking.h).
struct ClientSource {
  std::unique_ptr<Xapian::PostingSource> source;
  // What must match a document for the source's weight to count in it:
  // the branches of the ORs the source is in.
  std::vector<MatchTree> conditions;
};
using ClientSources = std::vector<ClientSource>;

class CompiledQuery {
 public:
  // `relaxed`: the plain content syllables of the query's top level match
  // any of them (OR, ranked by BM25: more and rarer ones score higher)
  // instead of all; phrases, fields, dates and excluded words still hold.
  // With `frequencies` (the database searched), the common syllables of a
  // relaxed match only add weight to the articles its rare ones match, and
  // the query's posting sources work on it when it has several shards
  // (sharded_source.h): it must outlive the compiled query.
  CompiledQuery(ParsedQuery query, SearchFilters filters, RankingParams ranking,
                bool relaxed = false, const Xapian::Database* frequencies = nullptr);

  // Nothing to search (the query had no searchable words): matches no
  // article.
  bool empty() const { return empty_; }
  // What the query requires: its exact match set, for totals and facets.
  const MatchTree& match() const { return match_; }
  // The ranking without the map boosts: the whole ranking if it has none.
  const Xapian::Query& first_pass() const { return first_pass_; }
  bool has_map_boosts() const { return map_boosts_; }
  // How many top-level content syllables a relaxed match would make
  // optional: relaxing changes nothing below two.
  size_t relaxable_syllables() const { return relaxable_syllables_; }
  // Whether the map boosts include adjacency (else only exact spellings).
  bool has_adjacency_boosts() const { return adjacency_boosts_; }
  // The quoted phrases within an OR's alternatives (not negated), as
  // BuiltInPass() counts them: it weighs their syllables in the articles
  // that match otherwise even where the phrase is not.
  const std::vector<MatchTree>& phrase_alternatives() const { return phrase_alternatives_; }
  // The second pass: the articles `best` (sorted docids, the first pass's
  // best), ranked with the map boosts, which read their maps, lengths and
  // syllable counts once (ReadWindow), or from `window` when given (their
  // SecondPassWindow()).
  Xapian::Query SecondPass(const Xapian::Database& db, std::vector<Xapian::docid> best,
                           std::shared_ptr<const MapWindow> window = nullptr) const;
  // Whether the second pass weighs words the first does not (a relaxed
  // match's function words): else the two differ by the map boosts only.
  bool second_pass_weighs_more() const { return defers_function_words_; }
  // The window SecondPass() reads for `best` (`maps`: their maps, read).
  std::shared_ptr<const MapWindow> SecondPassWindow(
      const Xapian::Database& db, const std::vector<Xapian::docid>& best,
      const std::vector<std::string>* maps = nullptr) const;
  // The whole ranking in one pass, each map boost reading an article's
  // map when asked: for orders other than relevance, where no pass picks
  // a few best articles.
  Xapian::Query SinglePass() const;
  // The window of SinglePass()'s map boosts: none without map boosts.
  std::shared_ptr<const MapWindow> SinglePassWindow() const;
  // The ranking of Xapian's own operators only, for remote shards, which
  // run no posting source of tim's. It matches more than match() (phrases
  // as the AND of their syllables, an "at least" as their OR) and weighs
  // those alike, less what `sources` get: the recency boost and, with a
  // `window` (a second pass's, or a MapWindow of its own for SinglePass()),
  // the map boosts, each to weigh a document with on the client
  // (remote_ranking.h). Without a window, first_pass()'s form. With
  // `absent_phrases`, the phrase_alternatives() it marks match nothing: the
  // weights of an article that lacks them.
  Xapian::Query BuiltInPass(ClientSources* sources,
                            std::shared_ptr<const MapWindow> window = nullptr,
                            const std::vector<bool>* absent_phrases = nullptr) const;
  // Folded syllables of the positive terms, for highlighting and title
  // rescoring.
  const std::vector<std::string>& highlight_keys() const { return highlight_keys_; }
  // In a relaxed match, its optional content syllables (folded, sorted,
  // distinct): how many an article holds weighs its rank (CoverageFactor).
  // Empty when every word is required.
  const std::vector<std::string>& relaxed_syllables() const { return relaxed_syllables_; }

  // What the query was compiled from, kept for the passes.
  struct Source;

 private:
  Xapian::Query Compile(std::shared_ptr<const MapWindow> window) const;

  std::shared_ptr<const Source> source_;  // what the passes compile again
  Xapian::Query first_pass_;
  MatchTree match_;
  std::vector<std::string> highlight_keys_;
  std::vector<std::string> relaxed_syllables_;
  size_t relaxable_syllables_ = 0;
  bool empty_ = false;
  bool map_boosts_ = false;
  bool adjacency_boosts_ = false;
  std::vector<MatchTree> phrase_alternatives_;
  bool defers_function_words_ = false;
};

}  // namespace tim

#endif  // TIM_SRC_QUERY_QUERY_COMPILER_H_
