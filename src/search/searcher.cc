#include "tim/searcher.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "base/spaces.h"
#include "index/changesets.h"
#include "index/database_directory.h"
#include "index/document_builder.h"
#include "index/facet_table.h"
#include "index/schema.h"
#include "index/xapian_errors.h"
#include "query/accent_restorer.h"
#include "query/posting_cache.h"
#include "query/query_compiler.h"
#include "query/recency.h"
#include "search/facet_collector.h"
#include "search/handle_pool.h"
#include "search/search_run.h"
#include "text/date_parser.h"
#include "tim/error.h"
#include "tim/json.h"

namespace tim {

namespace {

namespace fs = std::filesystem;

uint64_t DirectorySize(const std::string& path) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
    if (entry.is_regular_file(ec)) total += entry.file_size(ec);
  }
  return total;
}

// The request's facet filters, with `sources` as a filter on "source".
FacetFilters AllFacetFilters(const SearchRequest& request) {
  FacetFilters filters = request.facet_filters;
  std::vector<std::string>& sources = filters["source"];
  sources.insert(sources.end(), request.sources.begin(), request.sources.end());
  return filters;
}

void CheckRequest(const SearchRequest& request) {
  if (request.from && request.to &&
      DateKey(*request.from) > DateEndKey(*request.to)) {
    throw Error(ErrorCode::kInvalidArgument,
                "the date range starts after it ends (from " + request.from->ToString() +
                    ", to " + request.to->ToString() + ")");
  }
  if (request.recency_half_life_days < 0 || request.recency_weight < 0) {
    throw Error(ErrorCode::kInvalidArgument,
                "the recency half-life and weight cannot be negative");
  }
  for (const auto& [facet, values] : AllFacetFilters(request)) {
    for (const std::string& value : values) {
      if (!TrimSpace(value).empty()) continue;
      throw Error(ErrorCode::kInvalidArgument,
                  "the filter on " + facet + " has an empty value (\"" +
                      std::string(kUnknownValue) + "\" selects the articles without one)");
    }
  }
}

// The boolean term an article has for `value` of a term-backed facet, or
// "" when the value has none (an unknown category has no term).
std::string FilterTerm(const std::string& facet, const std::string& value) {
  if (facet != "source" && value == kUnknownValue) return "";
  return FacetValueTerm(facet, value);
}

// Moves the filters of facets that are not being counted, where a term
// marks each value, from `filters` into `query_filters`: no drill-sideways
// count needs them, and posting lists narrow the work (a publisher filter
// on a frequent word reads the publisher's articles, not every match).
void PushDownFilters(const SearchRequest& request, FacetFilters* filters,
                     SearchFilters* query_filters) {
  for (auto it = filters->begin(); it != filters->end();) {
    const auto& [facet, values] = *it;
    const bool counted = std::find(request.facets.begin(), request.facets.end(),
                                   facet) != request.facets.end();
    std::vector<std::string> terms;
    for (const std::string& value : values) terms.push_back(FilterTerm(facet, value));
    const bool term_backed = !values.empty() &&
        std::none_of(terms.begin(), terms.end(), [](auto& t) { return t.empty(); });
    if (counted || !term_backed) {
      ++it;
      continue;
    }
    query_filters->any_of_terms.push_back(std::move(terms));
    it = filters->erase(it);
  }
}

RankingParams RankingOf(const SearchRequest& request, const Xapian::Database& db) {
  RankingParams ranking;
  ranking.k1 = request.bm25_k1;
  ranking.b = request.bm25_b;
  ranking.recency_half_life_days = request.recency_half_life_days;
  ranking.recency_weight = request.recency_weight;
  if (ranking.recency_half_life_days > 0) {
    ranking.recency_newest_day = DayNumber(db.get_value_upper_bound(schema::kDateStartSlot));
  }
  return ranking;
}

// Accepts the terms worth searching for "more like this": folded
// syllables (unprefixed) of two letters or more that are not numbers.
class SimilarTermDecider : public Xapian::ExpandDecider {
 public:
  bool operator()(const std::string& term) const override {
    if (term.size() < 2 || std::isupper(static_cast<unsigned char>(term[0]))) {
      return false;
    }
    return term.find_first_not_of("0123456789") != std::string::npos;
  }
};

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

// From this many optional content words on, kAuto ranks by most words at
// once (measured on the natural-query benchmark's tune split).
constexpr size_t kLongQueryWords = 5;

struct Searcher::Impl {
  explicit Impl(std::string path) : pool(std::move(path)) {}

  // Searches `query` with the request's filters; with `rescore_titles`,
  // the first hits are rescored from their titles, for queries the user
  // typed.
  SearchResponse Run(ParsedQuery query, const SearchRequest& request, bool rescore_titles);

  // `query` with the request's filters: those the query applies, and the
  // facet filters left to the facet counting, into `filters`.
  // With `relaxed`, the query's plain words are optional (MatchMode), its
  // common ones weight only, by their frequencies in `db`.
  static CompiledQuery Compile(ParsedQuery query, const SearchRequest& request, bool relaxed,
                               const Xapian::Database& db, FacetFilters* filters);

  // `query` as `request.match` asks for it first: relaxed for kAny, and for
  // kAuto when the query is long. Sets *relaxed when the words are optional.
  static CompiledQuery CompileForMatch(const ParsedQuery& query, const SearchRequest& request,
                                       const Xapian::Database& db, FacetFilters* filters,
                                       bool* relaxed);

  // kAuto's second chance: a query that required every word and matched
  // nothing is searched again relaxed.
  static bool RelaxesAfterNoMatch(const SearchRequest& request, bool relaxed,
                                  const CompiledQuery& compiled, uint64_t matches);

  HandlePool pool;
};

SearchResponse Searcher::Impl::Run(ParsedQuery query, const SearchRequest& request,
                                   bool rescore_titles) {
  SearchResponse response;
  response.query = request.query;
  response.warnings = query.warnings;
  TranslateReadErrors(pool.path(), "searching " + pool.path(), [&] {
    pool.WithHandle([&](Handle& handle) {
      FacetFilters filters;
      bool relaxed = false;
      const CompiledQuery compiled =
          CompileForMatch(query, request, *handle.db, &filters, &relaxed);
      RunSearch(compiled, request, filters, rescore_titles, handle, &response);
      response.relaxed = relaxed;
      if (!RelaxesAfterNoMatch(request, relaxed, compiled, response.total)) return 0;
      // No article has every word: the articles with most of them. (Not
      // moved from: the pool may run this again on a newer revision.)
      const CompiledQuery most_words = Compile(query, request, true, *handle.db, &filters);
      RunSearch(most_words, request, filters, rescore_titles, handle, &response);
      response.relaxed = true;
      return 0;
    });
  });
  return response;
}

CompiledQuery Searcher::Impl::CompileForMatch(const ParsedQuery& query,
                                              const SearchRequest& request,
                                              const Xapian::Database& db,
                                              FacetFilters* filters, bool* relaxed) {
  const bool any = request.match == MatchMode::kAny;
  CompiledQuery compiled = Compile(query, request, any, db, filters);
  // A long query (a question, a pasted description) that has every word
  // in some article has them there mostly by chance: rank by most words.
  const bool long_query = request.match == MatchMode::kAuto &&
                          compiled.relaxable_syllables() >= kLongQueryWords;
  *relaxed = (any || long_query) && compiled.relaxable_syllables() >= 2;
  if (long_query) return Compile(query, request, true, db, filters);
  return compiled;
}

bool Searcher::Impl::RelaxesAfterNoMatch(const SearchRequest& request, bool relaxed,
                                         const CompiledQuery& compiled, uint64_t matches) {
  return request.match == MatchMode::kAuto && !relaxed && matches == 0 &&
         compiled.relaxable_syllables() >= 2;
}

CompiledQuery Searcher::Impl::Compile(ParsedQuery query, const SearchRequest& request,
                                      bool relaxed, const Xapian::Database& db,
                                      FacetFilters* filters) {
  CheckRequest(request);
  SearchFilters query_filters;
  query_filters.from = request.from;
  query_filters.to = request.to;
  query_filters.with_inferred_dates = request.with_inferred_dates;
  *filters = AllFacetFilters(request);
  PushDownFilters(request, filters, &query_filters);
  return CompiledQuery(std::move(query), std::move(query_filters), RankingOf(request, db), relaxed,
                       &db);
}

Searcher::Searcher(const std::string& db_path) : impl_(std::make_unique<Impl>(db_path)) {
  if (auto denied = PermissionError(db_path, DatabaseAccess::kRead)) throw *denied;
  // A stub: a replica made by xapian-replicate.
  if (!HoldsDatabase(db_path) && !HoldsStub(db_path)) {
    throw Error(ErrorCode::kNotFound,
                "no tim database at " + db_path +
                    " (create one with: tim ingest --db " + db_path + " PATH...)");
  }
  // Corrupt or truncated tables fail the open in many ways ("EOF reading
  // block 2", "revision being read has been discarded").
  TranslateReadErrors(db_path, "opening database " + db_path,
                      [&] { impl_->pool.Return(impl_->pool.Open()); });
}

Searcher::~Searcher() = default;

SearchResponse Searcher::Search(const SearchRequest& request) const {
  const auto start = std::chrono::steady_clock::now();
  ParsedQuery query = ParseQuery(request.query, request.strict_syntax);
  std::optional<AccentSuggestion> suggestion;
  if (request.suggest_accents && !query.blank && !IsEmpty(query.root)) {
    suggestion = TranslateReadErrors(impl_->pool.path(), "searching " + impl_->pool.path(), [&] {
      return impl_->pool.WithHandle([&](Handle& handle) {
        return SuggestAccents(*handle.db, *handle.stored, query, kAccentDocuments, handle.remote);
      });
    });
  }
  // Ranked as if typed with the suggestion's accents.
  if (suggestion) query = ReadAs(query, suggestion->spellings);
  SearchResponse response = impl_->Run(std::move(query), request, /*rescore_titles=*/true);
  if (suggestion) response.suggestion = std::move(suggestion->text);
  // A process that searches again keeps the lists it reads from now on.
  PostingCaches::Process().NoteSearch();
  response.took_ms = MillisecondsSince(start);
  return response;
}

SearchResponse Searcher::Similar(const std::string& id,
                                 const SearchRequest& request) const {
  const auto start = std::chrono::steady_clock::now();
  // The article's most distinctive terms, any of them, but not the article.
  ParsedQuery query;
  query.blank = false;
  TranslateReadErrors(impl_->pool.path(), "reading " + impl_->pool.path(), [&] {
    return impl_->pool.WithHandle([&](Handle& handle) {
      const std::string id_term = IdTerm(id);
      const std::optional<Xapian::docid> docid = FindDocument(*handle.db, id_term);
      if (!docid) throw Error(ErrorCode::kNotFound, "no article with id '" + id + "'");
      Xapian::RSet relevant;
      relevant.add_document(*docid);
      Xapian::Enquire enquire(*handle.db);
      const SimilarTermDecider decider;
      // (Without the flag Xapian estimates term frequencies on shards.)
      const Xapian::ESet terms =
          enquire.get_eset(20, relevant, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
      std::vector<SyntaxNode> any;
      for (auto term = terms.begin(); term != terms.end(); ++term) {
        any.push_back(SyntaxNode::Term(*term));
      }
      query.root = SyntaxNode::Group(SyntaxNode::Kind::kAnd, {});
      if (any.empty()) return 0;  // nothing to search for: no match
      query.root.children.push_back(SyntaxNode::Group(SyntaxNode::Kind::kOr, std::move(any)));
      query.root.children.push_back(SyntaxNode::Term(id_term, /*negated=*/true));
      return 0;
    });
  });
  SearchResponse response = impl_->Run(std::move(query), request, /*rescore_titles=*/false);
  response.query = "similar:" + id;
  response.took_ms = MillisecondsSince(start);
  return response;
}

uint64_t Searcher::ForEachMatch(const SearchRequest& request,
                                const std::function<bool(const Article&)>& visit) const {
  const ParsedQuery query = ParseQuery(request.query, request.strict_syntax);
  return TranslateReadErrors(impl_->pool.path(), "exporting from " + impl_->pool.path(), [&] {
    return impl_->pool.WithHandle([&](Handle& handle) -> uint64_t {
      FacetFilters filters;
      bool relaxed = false;
      const CompiledQuery compiled =
          Impl::CompileForMatch(query, request, *handle.db, &filters, &relaxed);
      bool visited = false;
      const auto visit_matches = [&](const CompiledQuery& query_to_walk) {
        return VisitMatches(query_to_walk, filters, request.with_inferred_dates, handle,
                            [&](Xapian::docid id) {
                              visited = true;
                              return visit(ArticleFromJson(
                                  handle.stored->Read(handle.db->get_document(id))));
                            });
      };
      try {
        const uint64_t matches = visit_matches(compiled);
        if (!Impl::RelaxesAfterNoMatch(request, relaxed, compiled, matches)) return matches;
        // As Search: no article has every word, so those with most of them.
        return visit_matches(Impl::Compile(query, request, true, *handle.db, &filters));
      } catch (const Xapian::DatabaseModifiedError&) {
        if (!visited) throw;  // the pool retries from the start
        throw Error(ErrorCode::kIo, "the database " + impl_->pool.path() +
                                        " changed during the walk over its matches; "
                                        "run it again");
      }
    });
  });
}

std::optional<Article> Searcher::Get(const std::string& id) const {
  return TranslateReadErrors(impl_->pool.path(), "reading " + impl_->pool.path(), [&] {
    return impl_->pool.WithHandle([&](Handle& handle) -> std::optional<Article> {
      const std::optional<Xapian::docid> docid = FindDocument(*handle.db, IdTerm(id));
      if (!docid) return std::nullopt;
      return ArticleFromJson(handle.stored->Read(handle.db->get_document(*docid)));
    });
  });
}

DatabaseStats Searcher::Stats() const {
  SearchRequest all;
  all.limit = 0;
  all.facets = {"source", "year"};
  const SearchResponse everything = Search(all);
  DatabaseStats stats;
  stats.path = impl_->pool.path();
  stats.documents = everything.total;
  stats.sources = everything.facets[0].values;
  for (const FacetValue& year : everything.facets[1].values) {
    if (year.value == kUnknownValue) stats.undated = year.count;
  }
  // The first article of each date order. (Xapian's value bounds would be
  // cheaper but may be loose after deletions.)
  SearchRequest dated;
  dated.limit = 1;
  dated.facets = {};
  dated.from = Date{1000, 0, 0};
  for (SortOrder order : {SortOrder::kOldestFirst, SortOrder::kNewestFirst}) {
    dated.sort = order;
    const SearchResponse first = Search(dated);
    if (first.hits.empty()) continue;
    (order == SortOrder::kOldestFirst ? stats.earliest : stats.latest) =
        first.hits[0].date;
  }
  stats.size_bytes = DirectorySize(impl_->pool.path());
  TranslateReadErrors(impl_->pool.path(), "reading " + impl_->pool.path(), [&] {
    return impl_->pool.WithHandle([&](Handle& handle) {
      const std::string value = handle.db->get_metadata(schema::kSchemaVersionKey);
      stats.schema_version = value.empty() ? 0 : std::stoi(value);
      stats.changesets = RecordedChangesets(*handle.db);
      return 0;
    });
  });
  return stats;
}

void Searcher::Reopen() { impl_->pool.Clear(); }

}  // namespace tim
