// tim/searcher.h: ranked, faceted search over a tim database.
//
// Each call of a Searcher reads the latest committed state of the database
// as of the moment it starts, and that one state throughout: a Searcher
// opened once and shared for hours sees every later commit, delete and
// staged batch (swapped in as a new directory) of any process, with no
// Reopen(). Searches never see a writer's uncommitted batch. All const
// methods are safe to call from several threads at once: each call borrows
// a Xapian handle from an internal pool, opening one more when all are
// busy; calls running at the same time across a commit may read different
// states.
//
// Memory: besides its handles, the process keeps the articles' position
// maps its searches read, by database revision, for every Searcher to
// check phrases from again without reading them (about 50 MB for all of
// a 70,000-article corpus); the environment variable TIM_MAP_CACHE_MB,
// read once, caps them (default 256 MiB; 0 keeps none). From the process's
// second search on, it also keeps the posting lists its searches read,
// decoded (6 bytes an entry), and the documents' lengths, within
// TIM_POSTING_CACHE_MB (read once; default 256 MiB; 0 keeps none).
#ifndef TIM_SEARCHER_H_
#define TIM_SEARCHER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tim/article.h"

namespace tim {

enum class SortOrder { kRelevance, kNewestFirst, kOldestFirst };

// Which articles a query's plain words match. kAll: every word (function
// words aside). kAny: any of its rare content words (the 5 to 10 rarest;
// its common words, in over 5 % of the articles, only add weight), ranked
// by how many of its words they hold and how rare (a relaxed match).
// kAuto: every word, relaxed when no article has them all or when the
// query is long (five content words or more: a question, a pasted
// description). Quoted phrases, fields, dates, -word and +word are
// required in every mode.
enum class MatchMode { kAll, kAny, kAuto };

// Bounds on what one search may cost, whoever sends it (a server takes
// queries from strangers). Search() and Similar() enforce them:
// - a query longer than kMaxQueryBytes bytes is refused with
//   Error(kInvalidArgument);
// - parentheses nested deeper than kMaxQueryDepth are a syntax error: the
//   query is searched as plain words with a warning, or refused when
//   `strict_syntax` is set;
// - only the first kMaxQueryWords syllables (words of the query, quoted or
//   not) are searched; the rest are left out with a warning saying from
//   where, or the query is refused when `strict_syntax` is set;
// - an `offset` at or past the last match gives no hits (and `total`).
inline constexpr size_t kMaxQueryBytes = 8192;
inline constexpr size_t kMaxQueryDepth = 32;
inline constexpr size_t kMaxQueryWords = 100;

struct SearchRequest {
  std::string query;
  size_t offset = 0;
  size_t limit = 10;
  // Keep only articles from one of these publishers (OR); empty keeps all.
  std::vector<std::string> sources;
  // Keep only articles dated within [from, to]. A partial bound covers its
  // whole period: from 2025-01 starts on 2025-01-01, to 2025 ends on
  // 2025-12-31. Undated articles never pass a date filter.
  std::optional<Date> from;
  std::optional<Date> to;
  // Keep only articles having one of the listed values of each named facet:
  // OR within a facet, AND across facets ({"cites": {"Reuters", "AFP"},
  // "year": {"2025"}}). Values compare like `sources`; "unknown" selects
  // articles without the attribute. The counts of a filtered facet ignore
  // its own filter, so they still show the values one could switch to.
  std::map<std::string, std::vector<std::string>> facet_filters;
  // Dates read from an article's text ("ngày 9/11/2022") when its metadata
  // has none are ignored by date filters and the year/month/day facets
  // unless this is set; the "date_kind" facet (metadata, inferred, unknown)
  // tells them apart either way. Sorting uses metadata dates only.
  bool with_inferred_dates = false;
  // Facets to count over the whole match set: "source", "category",
  // "cites", "date_kind", "year", "month", "day".
  std::vector<std::string> facets = {"source", "year", "month"};
  // When > 0, each facet lists its `facet_limit` largest values and sums
  // the rest into a value named "other".
  size_t facet_limit = 0;
  SortOrder sort = SortOrder::kRelevance;
  MatchMode match = MatchMode::kAuto;
  // BM25 parameters (Xapian::BM25Weight's; the defaults are Xapian's).
  double bm25_k1 = 1.0;
  double bm25_b = 0.5;
  // When > 0, newer articles rank higher: a dated article gains up to
  // `recency_weight` (added to its BM25 score), halved for every
  // `recency_half_life_days` it is older than the newest article.
  double recency_half_life_days = 0;
  double recency_weight = 1.0;
  // Approximate snippet length, in characters (not bytes).
  size_t snippet_chars = 200;
  // For a query typed without any diacritics, propose the accented form
  // the articles themselves use ("dam phan" -> "đàm phán") and rank
  // articles written that way first. Costs a small extra search.
  bool suggest_accents = true;
  // A query with a syntax error (an unbalanced quote or parenthesis) is
  // searched as plain words with a warning; when strict, it is an error.
  bool strict_syntax = false;
};

// A piece of text with the byte ranges [first, second) of the words that
// matched the query.
struct HighlightedText {
  std::string text;
  std::vector<std::pair<size_t, size_t>> highlights;
};

struct Hit {
  size_t rank = 0;  // 1-based, counting from the first result of the query
  std::string id;
  std::string title;
  std::string source;
  std::optional<Date> date;
  bool date_inferred = false;  // `date` was read from the text
  double score = 0;
  HighlightedText snippet;
  // The distinct words of the article that matched, as written there
  // ("đàm phán" for the query "dam phan").
  std::vector<std::string> matched_terms;
};

struct FacetValue {
  std::string value;  // "unknown" counts articles without the attribute
  uint64_t count = 0;
};

struct Facet {
  std::string name;
  std::vector<FacetValue> values;
};

struct SearchResponse {
  std::string query;
  uint64_t total = 0;  // exact number of matching articles
  std::vector<Hit> hits;
  std::vector<Facet> facets;  // in the order requested
  std::vector<std::string> warnings;
  // The query with the accents the articles use, when it was typed without
  // any ("dam phan hoa binh" -> "đàm phán hòa bình"); ranking prefers it.
  std::optional<std::string> suggestion;
  // The query's words were matched relaxed (MatchMode): `total`, the hits
  // and the facets are of the articles with any of its content words.
  bool relaxed = false;
  double took_ms = 0;
};

struct DatabaseStats {
  std::string path;
  uint64_t documents = 0;
  std::vector<FacetValue> sources;  // by count, descending
  uint64_t undated = 0;
  std::optional<Date> earliest;
  std::optional<Date> latest;
  uint64_t size_bytes = 0;  // on disk
  // The schema version the database was written with (0: older than the
  // key recording it); Versions().schema is the one this library writes.
  int schema_version = 0;
  // How many changesets the database keeps for replicas
  // (IngestOptions::changesets); 0: none.
  unsigned changesets = 0;
};

// The text forms of request options, as the CLI and the server take them.
// Each throws Error(kInvalidArgument) naming the value it cannot read.

// "relevance", "date" (or "newest": newest first), "-date" (or "oldest").
SortOrder ParseSortOrder(std::string_view name);
// "all", "any" or "auto".
MatchMode ParseMatchMode(std::string_view name);
// "source,year,month" -> {"source", "year", "month"}; "none" or "" -> {}.
// Names are checked when searching (an unknown facet is an error there).
std::vector<std::string> ParseFacetList(std::string_view list);
// "FACET=VALUE" (e.g. "cites=Reuters", "year=2025") added to
// request->facet_filters.
void AddFacetFilter(std::string_view facet_equals_value, SearchRequest* request);

class Searcher {
 public:
  // Opens the database at `db_path`; Error(kNotFound) if there is none.
  explicit Searcher(const std::string& db_path);
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // Throws Error(kInvalidArgument) for a request it cannot run (an unknown
  // facet, an inverted date range, an empty filter value, a query over
  // kMaxQueryBytes, an unparsable or overlong query with strict_syntax).
  SearchResponse Search(const SearchRequest& request) const;

  // Articles like the one with `id` ("more like this"): its most
  // distinctive words, searched with the request's filters, limit and
  // facets (request.query is ignored). Error(kNotFound) for an unknown id.
  SearchResponse Similar(const std::string& id,
                         const SearchRequest& request) const;

  // Visits every article `request` matches (its query, sources, dates and
  // facet filters; not its sort, offset, limit or facets) in index order,
  // with its stored fields: for exports, in constant memory however many
  // match (no paging). The count equals Search()'s `total`. `visit`
  // returns false to stop early; what it throws propagates. Returns the
  // number of articles visited. A writer's commit that overtakes a long
  // walk ends it with Error(kIo) rather than visit an article twice.
  uint64_t ForEachMatch(const SearchRequest& request,
                        const std::function<bool(const Article&)>& visit) const;

  // The stored article with `id`, if any.
  std::optional<Article> Get(const std::string& id) const;

  DatabaseStats Stats() const;

  // Closes the idle handles and drops the cached tables, freeing their
  // memory (every call reads the latest commit anyway). Not thread-safe:
  // no other call may run at the same time.
  void Reopen();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tim

#endif  // TIM_SEARCHER_H_
