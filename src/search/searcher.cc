#include "tim/searcher.h"

#include <sys/stat.h>
#include <xapian.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "index/document_builder.h"
#include "index/facet_table.h"
#include "index/schema.h"
#include "index/stored_article_codec.h"
#include "index/stored_fields_reader.h"
#include "index/xapian_errors.h"
#include "query/accent_restorer.h"
#include "query/docid_filter.h"
#include "query/query_builder.h"
#include "query/recency.h"
#include "search/facet_collector.h"
#include "search/snippet.h"
#include "text/analyzer.h"
#include "text/date_parser.h"
#include "text/names.h"
#include "text/source_aliases.h"
#include "tim/error.h"
#include "tim/json.h"

namespace tim {

namespace {

namespace fs = std::filesystem;

// What tells a handle that the database changed since it looked, for the
// price of two stat calls: a commit replaces the version file (iamglass)
// by a rename, and a staged batch swaps in a whole new directory, whose
// revision numbers may repeat the old one's.
struct Stamp {
  dev_t device = 0;
  ino_t directory = 0;
  ino_t version = 0;
  friend bool operator==(const Stamp&, const Stamp&) = default;
};

Stamp ReadStamp(const std::string& path) {
  Stamp stamp;
  struct stat st {};
  if (stat(path.c_str(), &st) == 0) {
    stamp.device = st.st_dev;
    stamp.directory = st.st_ino;
  }
  for (const char* version : {"/iamglass", "/iamchert"}) {
    if (stat((path + version).c_str(), &st) == 0) {
      stamp.version = st.st_ino;
      break;
    }
  }
  return stamp;
}

// A Xapian handle with the facet table of the revision it reads. Handles
// are not thread-safe, so each search borrows one for itself.
struct Handle {
  std::unique_ptr<Xapian::Database> db;
  std::unique_ptr<StoredDataReader> stored;  // reads *db
  std::shared_ptr<const FacetTable> facets;
  Stamp stamp;  // of the database when *db last (re)opened
};

// Which database and revision a handle reads: revisions alone repeat
// across a swap, the database's UUID does not.
std::string RevisionKey(const Xapian::Database& db) {
  return db.get_uuid() + ":" + std::to_string(db.get_revision());
}

uint64_t DirectorySize(const std::string& path) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
    if (entry.is_regular_file(ec)) total += entry.file_size(ec);
  }
  return total;
}

void CheckRequest(const SearchRequest& request) {
  if (request.from && request.to &&
      DateKey(*request.from) > DateEndKey(*request.to)) {
    throw Error(ErrorCode::kInvalidArgument,
                "--from " + request.from->ToString() + " is after --to " +
                    request.to->ToString());
  }
  if (request.recency_half_life_days < 0 || request.recency_weight < 0) {
    throw Error(ErrorCode::kInvalidArgument,
                "the recency half-life and weight cannot be negative");
  }
}

// The request's facet filters, with `sources` as a filter on "source".
FacetFilters AllFacetFilters(const SearchRequest& request) {
  FacetFilters filters = request.facet_filters;
  std::vector<std::string>& sources = filters["source"];
  sources.insert(sources.end(), request.sources.begin(), request.sources.end());
  return filters;
}

// The boolean term an article has for `value` of a term-backed facet, or
// "" when the value has none (an unknown category has no term).
std::string FilterTerm(const std::string& facet, const std::string& value) {
  if (facet == "source") return schema::kSourcePrefix + NameKey(value);
  if (facet == "cites" && value != kUnknownValue) {
    return schema::kCitesPrefix + NameKey(value);
  }
  if (facet == "category" && value != kUnknownValue) {
    return schema::kCategoryPrefix + SourceKey(value);
  }
  return "";
}

// Moves the filters of facets that are not being counted, where a term
// marks each value, from `filters` into the query: no drill-sideways count
// needs them, and posting lists narrow the work (a publisher filter on a
// frequent word reads the publisher's articles, not every match).
void PushDownFilters(const SearchRequest& request, FacetFilters* filters,
                     BuiltQuery* built) {
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
    std::vector<Xapian::Query> queries(terms.begin(), terms.end());
    std::vector<MatchTree> matches;
    for (const std::string& term : terms) matches.push_back(MatchTree::Term(term));
    built->query = Xapian::Query(
        Xapian::Query::OP_FILTER, built->query,
        Xapian::Query(Xapian::Query::OP_OR, queries.begin(), queries.end()));
    built->match = MatchTree::Combine(
        MatchTree::Op::kAnd,
        {std::move(built->match), MatchTree::Combine(MatchTree::Op::kOr, std::move(matches))});
    it = filters->erase(it);
  }
}

// The request's date range, if any, applied to both forms of the query.
void AddDateFilter(const SearchRequest& request, BuiltQuery* built) {
  if (!request.from && !request.to) return;
  built->query = Xapian::Query(
      Xapian::Query::OP_FILTER, built->query,
      DateRangeQuery(request.from, request.to, request.with_inferred_dates));
  built->match = MatchTree::Combine(
      MatchTree::Op::kAnd,
      {std::move(built->match),
       DateRangeMatch(request.from, request.to, request.with_inferred_dates)});
}

// Newer articles first among equals, when asked for: an optional part,
// so it changes the order, not the matches.
Xapian::Query WithRecency(Xapian::Query query, const SearchRequest& request) {
  if (request.recency_half_life_days <= 0 || request.recency_weight <= 0) {
    return query;
  }
  auto* recency = new RecencySource(request.recency_half_life_days,
                                    request.recency_weight);
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, query,
                       Xapian::Query(recency->release()));
}

bool HasFilters(const FacetFilters& filters) {
  return std::any_of(filters.begin(), filters.end(),
                     [](const auto& filter) { return !filter.second.empty(); });
}

void SetSortOrder(SortOrder sort, Xapian::MultiValueKeyMaker* oldest_first,
                  Xapian::Enquire* enquire) {
  if (sort == SortOrder::kNewestFirst) {
    // Undated articles have no value, which sorts last when reversed.
    enquire->set_sort_by_value_then_relevance(schema::kDateStartSlot, true);
  } else if (sort == SortOrder::kOldestFirst) {
    oldest_first->add_value(schema::kDateStartSlot, false, "99999999");
    enquire->set_sort_by_key_then_relevance(oldest_first, false);
  }
}

// The fields of a stored article a hit shows; ArticleFromJson's reading
// of them (and its error) when the quick reader cannot read `data`.
StoredFields HitFields(const std::string& data) {
  StoredFields fields;
  if (ReadStoredFields(data, &fields)) return fields;
  Article article = ArticleFromJson(data);
  fields.id = std::move(article.id);
  fields.title = std::move(article.title);
  fields.source = std::move(article.source);
  fields.date = article.date ? article.date->ToString() : "";
  fields.body = std::move(article.body);
  fields.date_inferred = article.date_inferred;
  return fields;
}

std::string StoredId(const std::string& data) {
  std::string id;
  return ReadStoredId(data, &id) ? id : ArticleFromJson(data).id;
}

Hit MakeHit(StoredFields fields, size_t rank, double score,
            const std::unordered_set<std::string>& keys, size_t snippet_chars) {
  Hit hit;
  hit.rank = rank;
  hit.id = std::move(fields.id);
  hit.title = std::move(fields.title);
  hit.source = std::move(fields.source);
  if (!fields.date.empty()) {
    std::string error;
    hit.date = ParseIsoDate(fields.date, &error);
  }
  hit.date_inferred = fields.date_inferred;
  hit.score = score;
  hit.snippet = MakeSnippet(fields.body, keys, snippet_chars, &hit.matched_terms);
  return hit;
}

// Passes the matches of `match` through `counter`; returns how many it
// accepts, appending their ids to `accepted` when given. Without facets or
// filters to apply, a count may not need to visit them at all.
uint64_t CollectMatches(const MatchTree& match, const Xapian::Database& db,
                        const FacetTable& facets, const FacetCollector& counter,
                        std::vector<Xapian::docid>* accepted) {
  if (counter.Inert()) {
    if (!accepted) return CountMatches(match, db, facets);
    *accepted = Enumerate(match, db, facets);
    return accepted->size();
  }
  MatchCursor cursor(match, db, facets);
  std::array<Xapian::docid, 256> block;
  size_t size = 0;
  for (Xapian::docid id = cursor.Next(); id != 0; id = cursor.Next()) {
    block[size++] = id;
    if (size == block.size()) {
      counter.AcceptAll(block, accepted);
      size = 0;
    }
  }
  counter.AcceptAll(std::span(block.data(), size), accepted);
  return counter.accepted();
}

// The requested page of `matches` in date order (undated last; the later
// ingested first among equal dates), scored by `enquire`'s query.
std::vector<Hit> DateSortedPage(const Xapian::Database& db, StoredDataReader& stored,
                                Xapian::Enquire& enquire, const FacetTable& facets,
                                std::vector<Xapian::docid> matches,
                                const SearchRequest& request,
                                const std::unordered_set<std::string>& keys) {
  const bool newest_first = request.sort == SortOrder::kNewestFirst;
  const DateSpanTable& dates = facets.DateSpans(db);
  auto before = [&](Xapian::docid a, Xapian::docid b) {
    const uint32_t da = dates.Start(a), db_ = dates.Start(b);
    if ((da == 0) != (db_ == 0)) return db_ == 0;
    if (da != db_) return newest_first ? da > db_ : da < db_;
    return a > b;
  };
  const size_t end = std::min(matches.size(), request.offset + request.limit);
  if (request.offset >= end) return {};
  std::partial_sort(matches.begin(), matches.begin() + end, matches.end(), before);
  // Scores of the page: the query again, restricted to the page's ids.
  std::vector<Xapian::Document> docs;
  std::vector<Xapian::Query> ids;
  for (size_t i = request.offset; i < end; ++i) {
    docs.push_back(db.get_document(matches[i]));
    ids.emplace_back(IdTerm(StoredId(stored.Read(docs.back()))));
  }
  enquire.set_query(Xapian::Query(
      Xapian::Query::OP_FILTER, enquire.get_query(),
      Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end())));
  enquire.set_sort_by_relevance();
  std::unordered_map<Xapian::docid, double> scores;
  const Xapian::MSet scored = enquire.get_mset(0, ids.size());
  for (auto it = scored.begin(); it != scored.end(); ++it) scores[*it] = it.get_weight();
  std::vector<Hit> hits;
  for (size_t i = 0; i < docs.size(); ++i) {
    hits.push_back(MakeHit(HitFields(stored.Read(docs[i])), request.offset + i + 1,
                           scores[docs[i].get_docid()], keys, request.snippet_chars));
  }
  return hits;
}

// Title rescoring. A headline is the article's own summary: when the
// query's syllables stand together in a title, more so when they make up
// most of it, that article is very likely the one sought ("Arsenal đoạt
// Siêu Cup nước Anh" is the title of one article and nearly that of
// another). BM25 sees neither contiguity nor title length, so the best
// kTitleRescoreDepth hits are rescored from their titles. Folded keys
// only: every way of typing the query gets the same rescoring. (Weights
// tuned on benchmarks/relevance; its results are flat for 2.5-6 and
// 0.5-1.)
constexpr size_t kTitleRescoreDepth = 20;
constexpr double kTitleRunWeight = 3.0;    // times run / query syllables
constexpr double kTitleCoverWeight = 1.0;  // times run / title syllables

// Map boosts (adjacency, exact spellings) read a position map per article
// checked, a block read each (maps are stored by article, Xapian's
// positions by syllable): checking every candidate made multi-syllable
// queries 1.5x slower. So the first pass ranks without them, and only its
// best articles get them: kAdjacencyWindow if the query has adjacency
// boosts, else kExactWindow: a common spelling is in most articles with its
// syllable, and each article costs about 6 us. On 40 single-syllable
// queries, 75 or more found as many exact spellings in the top 10 as exact
// terms did; 50 lost two of "sửa"'s ten. Boosts only add weight, so the
// page is among those; an article below them that a boost alone would have
// lifted is missed.
constexpr size_t kAdjacencyWindow = 200;
constexpr size_t kExactWindow = 100;

// The second pass: the articles of the first pass's `best`, ranked again
// with the map boosts on; the page [first, first + count) of them.
Xapian::MSet RankWithMapBoosts(const Xapian::MSet& best, const Xapian::Query& query,
                               size_t first, size_t count, const Xapian::Database& db,
                               MapBoosts* map_boosts, Xapian::Enquire* enquire) {
  std::vector<Xapian::docid> ids(best.begin(), best.end());
  std::sort(ids.begin(), ids.end());
  ReadWindow(db, ids, map_boosts);
  map_boosts->on = true;
  enquire->set_query(
      Xapian::Query(Xapian::Query::OP_FILTER, query, DocidFilter(std::move(ids))));
  return enquire->get_mset(static_cast<Xapian::doccount>(first),
                           static_cast<Xapian::doccount>(count));
}

// The longest run of consecutive `keys` that stands consecutively in
// `title`; `title_length` gets its number of syllables.
size_t LongestTitleRun(const std::vector<std::string>& keys,
                       std::string_view title, size_t* title_length) {
  std::vector<std::string> words;
  Tokenize(NormalizeText(title), [&](const Token& token) { words.push_back(token.folded); });
  *title_length = words.size();
  size_t longest = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    for (size_t k = 0; k < keys.size(); ++k) {
      size_t run = 0;
      while (i + run < words.size() && k + run < keys.size() &&
             words[i + run] == keys[k + run]) {
        ++run;
      }
      longest = std::max(longest, run);
    }
  }
  return longest;
}

// How much a hit's title multiplies its score: 1 unless at least two
// consecutive query syllables stand together in it.
double TitleFactor(const std::vector<std::string>& keys, std::string_view title) {
  size_t title_length = 0;
  const size_t run = LongestTitleRun(keys, title, &title_length);
  if (run < 2) return 1;
  return 1 + kTitleRunWeight * run / keys.size() +
         kTitleCoverWeight * run / title_length;
}

// Whether a search's first hits are rescored from their titles: a
// relevance-ranked page within the rescored window, for a query of two
// syllables or more.
bool RescoresTitles(const SearchRequest& request, const std::vector<std::string>& keys) {
  return request.sort == SortOrder::kRelevance && request.limit > 0 &&
         request.offset < kTitleRescoreDepth && keys.size() >= 2;
}

// A ranked article before it becomes a hit.
struct Candidate {
  StoredFields fields;
  double score;
};

// Reorders the first kTitleRescoreDepth `candidates` by their scores times
// their title factors. Factors are at least 1, so the later ones stay below.
void RescoreByTitle(const std::vector<std::string>& keys,
                    std::vector<Candidate>* candidates) {
  const auto end =
      candidates->begin() + std::min(candidates->size(), kTitleRescoreDepth);
  for (auto it = candidates->begin(); it != end; ++it) {
    it->score *= TitleFactor(keys, it->fields.title);
  }
  std::stable_sort(candidates->begin(), end, [](const Candidate& a, const Candidate& b) {
    return a.score > b.score;
  });
}

// The requested page of hits from `mset`: its items from the page's first
// on or, with `title_keys`, from the first ranked on, rescored by their
// titles. Only the page's hits get snippets.
std::vector<Hit> RankedPage(const Xapian::MSet& mset, StoredDataReader& stored,
                            const SearchRequest& request,
                            const std::unordered_set<std::string>& keys,
                            const std::vector<std::string>* title_keys) {
  std::vector<Candidate> candidates;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    candidates.push_back({HitFields(stored.Read(it.get_document())),
                          it.get_weight()});
  }
  size_t first = 0;
  if (title_keys) {
    RescoreByTitle(*title_keys, &candidates);
    first = request.offset;
  }
  std::vector<Hit> hits;
  for (size_t i = first; i < candidates.size() && hits.size() < request.limit; ++i) {
    hits.push_back(MakeHit(std::move(candidates[i].fields),
                           request.offset + hits.size() + 1, candidates[i].score,
                           keys, request.snippet_chars));
  }
  return hits;
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

}  // namespace

struct Searcher::Impl {
  std::string path;
  std::mutex mutex;  // guards everything below
  std::vector<Handle> idle;
  std::shared_ptr<const FacetTable> latest_facets;
  std::string latest_revision;  // RevisionKey of latest_facets

  // Searches; with `rescore_titles`, the first hits are rescored from their
  // titles (RescoresTitles), for queries the user typed.
  SearchResponse Run(BuiltQuery built, const SearchRequest& request,
                     bool rescore_titles);

  Handle Open() {
    Handle handle;
    // The stamp is read first: a change after it makes the next Borrow
    // look again, never miss one.
    handle.stamp = ReadStamp(path);
    handle.db = std::make_unique<Xapian::Database>(path);
    handle.stored = std::make_unique<StoredDataReader>(*handle.db);
    Refresh(&handle);
    return handle;
  }

  // Gives `handle` the facet table of the revision it now reads, building
  // one if no other handle has it yet.
  void Refresh(Handle* handle) {
    const std::string revision = RevisionKey(*handle->db);
    std::lock_guard<std::mutex> lock(mutex);
    if (!latest_facets || revision != latest_revision) {
      latest_facets = std::make_shared<const FacetTable>();
      latest_revision = revision;
    }
    handle->facets = latest_facets;
  }

  // A handle reading the latest commit: an idle one brought up to date
  // (reopened after a commit, replaced after a swap), or a new one.
  Handle Borrow() {
    const Stamp now = ReadStamp(path);
    std::optional<Handle> handle;
    {
      std::lock_guard<std::mutex> lock(mutex);
      // Handles of a swapped-out directory keep its deleted files open.
      std::erase_if(idle, [&](const Handle& h) { return h.stamp.directory != now.directory; });
      if (!idle.empty()) {
        handle = std::move(idle.back());
        idle.pop_back();
      }
    }
    if (!handle) return Open();
    if (handle->stamp != now) {
      handle->stamp = now;
      handle->db->reopen();
      Refresh(&*handle);
    }
    return std::move(*handle);
  }

  void Return(Handle handle) {
    std::lock_guard<std::mutex> lock(mutex);
    idle.push_back(std::move(handle));
  }

  // Runs `body` with a borrowed handle. A writer's commit can invalidate
  // what a handle was reading (DatabaseModifiedError): the handle then
  // moves to the new revision and `body` runs once more.
  template <typename Body>
  auto WithHandle(Body&& body) {
    Handle handle = Borrow();
    try {
      auto result = [&] {
        try {
          return body(handle);
        } catch (const Xapian::DatabaseModifiedError&) {
          handle.db->reopen();
          Refresh(&handle);
          return body(handle);
        }
      }();
      Return(std::move(handle));
      return result;
    } catch (...) {
      Return(std::move(handle));
      throw;
    }
  }
};

SearchResponse Searcher::Impl::Run(BuiltQuery built, const SearchRequest& request,
                                   bool rescore_titles) {
  const auto start = std::chrono::steady_clock::now();
  CheckRequest(request);
  AddDateFilter(request, &built);
  FacetFilters filters = AllFacetFilters(request);
  PushDownFilters(request, &filters, &built);
  const Xapian::Query query = WithRecency(built.query, request);
  const std::unordered_set<std::string> keys(built.highlight_keys.begin(),
                                             built.highlight_keys.end());
  SearchResponse response;
  response.query = request.query;
  response.warnings = std::move(built.warnings);
  TranslateXapianErrors("searching " + path, [&] {
    WithHandle([&](Handle& handle) {
      const Xapian::Database& db = *handle.db;
      Xapian::Enquire enquire(db);
      enquire.set_query(query);
      enquire.set_weighting_scheme(
          Xapian::BM25Weight(request.bm25_k1, 0, 1, request.bm25_b, 0.5));
      if (built.map_boosts) {
        built.map_boosts->k1 = request.bm25_k1;
        built.map_boosts->b = request.bm25_b;
      }
      Xapian::MultiValueKeyMaker oldest_first;
      SetSortOrder(request.sort, &oldest_first, &enquire);
      FacetCollector counter(handle.facets, request.facets, filters,
                             request.with_inferred_dates, db);
      if (built.match.Enumerable() && request.sort != SortOrder::kRelevance) {
        // Sorting by date needs no ranking: the date table orders the
        // exact match set directly (Xapian would read a value per match).
        std::vector<Xapian::docid> matches;
        response.total = CollectMatches(built.match, db, *handle.facets, counter,
                                        &matches);
        response.hits = DateSortedPage(db, *handle.stored, enquire, *handle.facets,
                                       matches, request, keys);
        response.facets.clear();
        for (const std::string& facet : request.facets) {
          response.facets.push_back({facet, counter.Values(facet, request.facet_limit)});
        }
        return 0;
      }
      // Title rescoring reorders the whole window, whatever page is asked for.
      const bool rescore = rescore_titles && RescoresTitles(request, built.highlight_keys);
      const size_t first = rescore ? 0 : request.offset;
      const size_t count = rescore ? std::max(kTitleRescoreDepth,
                                              request.offset + request.limit)
                                   : request.limit;
      // Map boosts in a second pass (see RankWithMapBoosts).
      const bool two_passes = built.map_boosts && request.sort == SortOrder::kRelevance;
      const size_t pass_first = two_passes ? 0 : first;
      const size_t window = built.map_boosts && built.map_boosts->adjacency
                                ? kAdjacencyWindow
                                : kExactWindow;
      const size_t pass_count = two_passes ? std::max(window, first + count) : count;
      if (two_passes) built.map_boosts->on = false;
      Xapian::MSet mset;
      if (built.match.Enumerable()) {
        // The exact match set from the posting lists: counting it is cheap,
        // and Xapian then only ranks, pruning what cannot reach the page.
        response.total = CollectMatches(built.match, db, *handle.facets, counter,
                                        nullptr);
        const FacetCollector filter_only(handle.facets, {}, filters,
                                         request.with_inferred_dates, db);
        mset = enquire.get_mset(pass_first, pass_count, 0, nullptr,
                                HasFilters(filters) ? &filter_only : nullptr);
      } else {
        // Checking every document makes Xapian's own count exact.
        mset = enquire.get_mset(pass_first, pass_count, db.get_doccount(), nullptr,
                                &counter);
        response.total = counter.accepted();
      }
      if (two_passes) {
        mset = RankWithMapBoosts(mset, query, first, count, db, built.map_boosts.get(),
                                 &enquire);
      }
      response.hits = RankedPage(mset, *handle.stored, request, keys,
                                 rescore ? &built.highlight_keys : nullptr);
      response.facets.clear();
      for (const std::string& facet : request.facets) {
        response.facets.push_back({facet, counter.Values(facet, request.facet_limit)});
      }
      return 0;
    });
  });
  response.took_ms = std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - start)
                         .count();
  return response;
}

Searcher::Searcher(const std::string& db_path) : impl_(std::make_unique<Impl>()) {
  impl_->path = db_path;
  std::error_code ec;
  if (!fs::exists(fs::path(db_path) / "iamglass", ec) &&
      !fs::exists(fs::path(db_path) / "iamchert", ec)) {
    throw Error(ErrorCode::kNotFound,
                "no tim database at " + db_path +
                    " (create one with: tim ingest --db " + db_path + " PATH...)");
  }
  TranslateXapianErrors("opening database " + db_path,
                        [&] { impl_->Return(impl_->Open()); });
}

Searcher::~Searcher() = default;

SearchResponse Searcher::Search(const SearchRequest& request) const {
  const auto start = std::chrono::steady_clock::now();
  BuiltQuery built = BuildQuery(request.query, request.strict_syntax);
  std::optional<std::string> suggestion;
  if (request.suggest_accents && !built.query.empty()) {
    suggestion = TranslateXapianErrors("searching " + impl_->path, [&] {
      return impl_->WithHandle(
          [&](Handle& handle) {
            return SuggestAccents(*handle.db, *handle.stored, request.query);
          });
    });
  }
  if (suggestion) ReadAs(*suggestion, &built);
  SearchResponse response = impl_->Run(std::move(built), request, /*rescore_titles=*/true);
  response.suggestion = std::move(suggestion);
  response.took_ms = std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - start)
                         .count();
  return response;
}

SearchResponse Searcher::Similar(const std::string& id,
                                 const SearchRequest& request) const {
  BuiltQuery built;
  TranslateXapianErrors("reading " + impl_->path, [&] {
    return impl_->WithHandle([&](Handle& handle) {
      const std::string id_term = IdTerm(id);
      Xapian::PostingIterator it = handle.db->postlist_begin(id_term);
      if (it == handle.db->postlist_end(id_term)) {
        throw Error(ErrorCode::kNotFound, "no article with id '" + id + "'");
      }
      Xapian::RSet relevant;
      relevant.add_document(*it);
      Xapian::Enquire enquire(*handle.db);
      const SimilarTermDecider decider;
      const Xapian::ESet terms = enquire.get_eset(20, relevant, &decider);
      std::vector<Xapian::Query> queries;
      std::vector<MatchTree> matches;
      for (auto term = terms.begin(); term != terms.end(); ++term) {
        queries.emplace_back(*term);
        matches.push_back(MatchTree::Term(*term));
        built.highlight_keys.push_back(*term);
      }
      built.query = Xapian::Query(
          Xapian::Query::OP_AND_NOT,
          Xapian::Query(Xapian::Query::OP_OR, queries.begin(), queries.end()),
          Xapian::Query(id_term));
      built.match = MatchTree::Combine(
          MatchTree::Op::kAndNot,
          {MatchTree::Combine(MatchTree::Op::kOr, std::move(matches)),
           MatchTree::Term(id_term)});
      return 0;
    });
  });
  SearchResponse response = impl_->Run(std::move(built), request, /*rescore_titles=*/false);
  response.query = "similar:" + id;
  return response;
}

std::optional<Article> Searcher::Get(const std::string& id) const {
  return TranslateXapianErrors("reading " + impl_->path, [&] {
    return impl_->WithHandle([&](Handle& handle) -> std::optional<Article> {
      const std::string term = IdTerm(id);
      Xapian::PostingIterator it = handle.db->postlist_begin(term);
      if (it == handle.db->postlist_end(term)) return std::nullopt;
      return ArticleFromJson(handle.stored->Read(handle.db->get_document(*it)));
    });
  });
}

DatabaseStats Searcher::Stats() const {
  SearchRequest all;
  all.limit = 0;
  all.facets = {"source", "year"};
  const SearchResponse everything = Search(all);
  DatabaseStats stats;
  stats.path = impl_->path;
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
  stats.size_bytes = DirectorySize(impl_->path);
  return stats;
}

void Searcher::Reopen() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->idle.clear();
  impl_->latest_facets.reset();
  impl_->latest_revision.clear();
}

}  // namespace tim
