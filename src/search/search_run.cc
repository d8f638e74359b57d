#include "search/search_run.h"

#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "index/document_builder.h"
#include "index/schema.h"
#include "index/stored_fields_reader.h"
#include "query/docid_filter.h"
#include "query/map_window.h"
#include "query/match_only_weight.h"
#include "query/remote_ranking.h"
#include "query/same_weight.h"
#include "query/term_scorer.h"
#include "search/ranked_order.h"
#include "search/remote_search.h"
#include "search/snippet.h"
#include "search/title_rescoring.h"
#include "search/weight_ranking.h"
#include "text/date_parser.h"
#include "tim/json.h"

namespace tim {

namespace {

// The hits asked for, within what the database can hold: an offset or a
// limit past its documents means no more than its documents (Xapian counts
// them in 32 bits).
struct Page {
  size_t offset;
  size_t limit;
  size_t end() const { return offset + limit; }
};

Page PageOf(const SearchRequest& request, const Xapian::Database& db) {
  const size_t documents = db.get_doccount();
  return {std::min(request.offset, documents), std::min(request.limit, documents)};
}

bool HasFilters(const FacetFilters& filters) {
  return std::any_of(filters.begin(), filters.end(),
                     [](const auto& filter) { return !filter.second.empty(); });
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

// What takes the matches a FacetCollector accepted, a block at a time.
using MatchTaker = std::function<void(std::span<const Xapian::docid>)>;

// Passes the matches of `match` through `counter` a block at a time,
// handing those it accepts to `take` when set.
void WalkMatches(const MatchTree& match, const Xapian::Database& db, const FacetTable& facets,
                 const FacetCollector& counter, const MatchTaker& take) {
  MatchCursor cursor(match, db, facets);
  std::array<Xapian::docid, 256> block;
  std::vector<Xapian::docid> accepted;
  size_t size = 0;
  auto flush = [&] {
    accepted.clear();
    counter.AcceptAll(std::span(block.data(), size), take ? &accepted : nullptr);
    if (take) take(accepted);
    size = 0;
  };
  for (Xapian::docid id = cursor.Next(); id != 0; id = cursor.Next()) {
    block[size++] = id;
    if (size == block.size()) flush();
  }
  flush();
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
  MatchTaker append;
  if (accepted) {
    append = [&](std::span<const Xapian::docid> ids) {
      accepted->insert(accepted->end(), ids.begin(), ids.end());
    };
  }
  WalkMatches(match, db, facets, counter, append);
  return counter.accepted();
}

// An enquire that finds `query`'s matches in docid order, weighing none
// (MatchOnlyWeight, not BoolWeight: see its header).
Xapian::Enquire UnweightedEnquire(const Xapian::Query& query, const Xapian::Database& db) {
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(MatchOnlyWeight());
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  enquire.set_query(query);
  return enquire;
}

// The documents `query` matches, in docid order, as Xapian's matcher
// finds them (for a match tree that is not Enumerable()).
std::vector<Xapian::docid> XapianMatches(const Xapian::Query& query, const Xapian::Database& db) {
  Xapian::Enquire enquire = UnweightedEnquire(query, db);
  const Xapian::MSet all = enquire.get_mset(0, db.get_doccount());
  return std::vector<Xapian::docid>(all.begin(), all.end());
}

// CollectMatches for the matches of `query` that XapianMatches lists.
uint64_t CollectXapianMatches(const Xapian::Query& query, const Xapian::Database& db,
                              const FacetCollector& counter,
                              std::vector<Xapian::docid>* accepted) {
  counter.AcceptAll(XapianMatches(query, db), accepted);
  return counter.accepted();
}

// Sorts the first `end` of `matches` in date order (undated last), articles
// of equal date in the order of their content hashes, as in a relevance
// sort. Only the page's articles and those dated like its last one are
// candidates for it: only their hashes are read.
void SortByDate(const Xapian::Database& db, const DateSpanTable& dates, bool newest_first,
                size_t end, std::vector<Xapian::docid>* matches) {
  auto date_before = [&](Xapian::docid a, Xapian::docid b) {
    const uint32_t da = dates.Start(a), db_ = dates.Start(b);
    if ((da == 0) != (db_ == 0)) return db_ == 0;
    return newest_first ? da > db_ : da < db_;
  };
  std::partial_sort(matches->begin(), matches->begin() + end, matches->end(), date_before);
  const uint32_t last_date = dates.Start((*matches)[end - 1]);
  const auto contenders_end = std::partition(
      matches->begin() + end, matches->end(),
      [&](Xapian::docid id) { return dates.Start(id) == last_date; });
  std::vector<Xapian::docid> contenders(matches->begin(), contenders_end);
  std::sort(contenders.begin(), contenders.end());
  std::unordered_map<Xapian::docid, std::string> hashes = ContentHashes(db, contenders);
  std::sort(matches->begin(), contenders_end, [&](Xapian::docid a, Xapian::docid b) {
    if (date_before(a, b)) return true;
    if (date_before(b, a)) return false;
    return hashes[a] < hashes[b];
  });
}

// Scores of articles: those of `ids` (sorted), whose id terms are
// `id_terms`.
using Scorer = std::function<std::vector<double>(const std::vector<Xapian::docid>& ids,
                                                 const std::vector<std::string>& id_terms)>;

// The page of `matches` in date order (SortByDate; newest first unless the
// request asks for the oldest), scored by `score`.
std::vector<Hit> DateSortedPage(const Xapian::Database& db, StoredDataReader& stored,
                                const Scorer& score, const FacetTable& facets,
                                std::vector<Xapian::docid> matches,
                                const SearchRequest& request, const Page& page,
                                const std::unordered_set<std::string>& keys) {
  const size_t end = std::min(matches.size(), page.end());
  if (page.offset >= end) return {};
  SortByDate(db, facets.DateSpans(db), request.sort != SortOrder::kOldestFirst, end, &matches);
  // The page's articles, by docid.
  std::vector<Xapian::docid> ids(matches.begin() + static_cast<std::ptrdiff_t>(page.offset),
                                 matches.begin() + static_cast<std::ptrdiff_t>(end));
  std::sort(ids.begin(), ids.end());
  std::unordered_map<Xapian::docid, Xapian::Document> docs;
  std::vector<std::string> id_terms;
  for (Xapian::docid id : ids) {
    const Xapian::Document& doc = docs[id] = db.get_document(id);
    id_terms.push_back(StoredIdTerm(stored.Read(doc)));
  }
  const std::vector<double> weights = score(ids, id_terms);
  std::unordered_map<Xapian::docid, double> scores;
  for (size_t i = 0; i < ids.size(); ++i) scores[ids[i]] = weights[i];
  std::vector<Hit> hits;
  for (size_t i = page.offset; i < end; ++i) {
    // (A document's own docid is its shard's on a database of several.)
    hits.push_back(MakeHit(HitFields(stored.Read(docs[matches[i]])), i + 1, scores[matches[i]],
                           keys, request.snippet_chars));
  }
  return hits;
}

// Whether a search's first hits are rescored from their titles: a
// relevance-ranked page within the rescored window, for a query of two
// syllables or more.
bool RescoresTitles(const SearchRequest& request, const Page& page,
                    const std::vector<std::string>& keys) {
  return request.sort == SortOrder::kRelevance && page.limit > 0 &&
         page.offset < kTitleRescoreDepth && keys.size() >= 2;
}

// A ranked article before it becomes a hit.
struct Candidate {
  StoredFields fields;
  double score;
};

// How many of `syllables` (folded, sorted) the article `document` (`id`)
// holds: from a second pass's `window` (null: none) when it read them all
// for the article, else from its list of terms (long: reading it cost more
// than the rest of a hit). (A document's own docid is its shard's on a
// database of several.)
size_t SyllablesHeld(Xapian::docid id, const Xapian::Document& document,
                     const std::vector<std::string>& syllables, const MapWindow* window) {
  const std::optional<size_t> place = window ? window->IndexOf(id) : std::nullopt;
  if (place && std::all_of(syllables.begin(), syllables.end(), [&](const std::string& syllable) {
        return window->HeldOf(syllable) != nullptr;
      })) {
    return std::count_if(syllables.begin(), syllables.end(), [&](const std::string& syllable) {
      return (*window->HeldOf(syllable))[*place];
    });
  }
  size_t held = 0;
  Xapian::TermIterator term = document.termlist_begin();
  const Xapian::TermIterator end = document.termlist_end();
  for (const std::string& syllable : syllables) {
    term.skip_to(syllable);
    if (term == end) break;
    held += *term == syllable;
  }
  return held;
}

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

// The page of hits from `ranked`: its items from the page's first on or,
// with `title_keys`, from the first ranked on, rescored by their titles
// and, in a relaxed match, by the share of its syllables they hold (read
// from the second pass's `window` where it has them).
// Only the page's hits get snippets.
std::vector<Hit> RankedPage(const std::vector<RankedMatch>& ranked,
                            const Xapian::Database& db, StoredDataReader& stored,
                            const SearchRequest& request, const Page& page,
                            const std::unordered_set<std::string>& keys,
                            const std::vector<std::string>* title_keys,
                            const std::vector<std::string>& relaxed_syllables,
                            const MapWindow* window) {
  std::vector<Candidate> candidates;
  for (const RankedMatch& match : ranked) {
    const Xapian::Document document = db.get_document(match.id, Xapian::DOC_ASSUME_VALID);
    double score = match.weight;
    if (title_keys && candidates.size() < kTitleRescoreDepth) {
      score *= CoverageFactor(SyllablesHeld(match.id, document, relaxed_syllables, window),
                              relaxed_syllables.size());
    }
    candidates.push_back({HitFields(stored.Read(document)), score});
  }
  size_t first = 0;
  if (title_keys) {
    RescoreByTitle(*title_keys, &candidates);
    first = page.offset;
  }
  std::vector<Hit> hits;
  for (size_t i = first; i < candidates.size() && hits.size() < page.limit; ++i) {
    hits.push_back(MakeHit(std::move(candidates[i].fields), page.offset + hits.size() + 1,
                           candidates[i].score, keys, request.snippet_chars));
  }
  return hits;
}

// How many articles a two-pass ranking's first pass keeps for the second
// to rank the matches [first, first + count). Without map boosts, the
// second pass only gives them Xapian's own weights: a TermScorer adds the
// same parts in another order, which moves a weight's last digit.
size_t FirstPassWindow(const CompiledQuery& query, size_t first, size_t count) {
  if (!query.has_map_boosts()) return first + count;
  const size_t window = query.has_adjacency_boosts() ? kAdjacencyWindow : kExactWindow;
  return std::max(window, first + count);
}

// The matches [first, first + count) of `query`'s second pass over the
// articles of its first, `pass` (without map boosts, the first pass again:
// Xapian's weights); what that pass read of them goes to `*window`.
std::vector<RankedMatch> RankSecondPass(const CompiledQuery& query, const Xapian::Database& db,
                                        const std::vector<RankedMatch>& pass, size_t first,
                                        size_t count, Xapian::Enquire* enquire,
                                        std::shared_ptr<const MapWindow>* window) {
  std::vector<Xapian::docid> best;
  for (const RankedMatch& match : pass) best.push_back(match.id);
  std::sort(best.begin(), best.end());
  if (query.has_map_boosts()) {
    *window = query.SecondPassWindow(db, best);
    enquire->set_query(query.SecondPass(db, std::move(best), *window));
  } else {
    enquire->set_query(Xapian::Query(Xapian::Query::OP_FILTER, query.first_pass(),
                                     DocidFilter(std::move(best), &db)));
  }
  return RankByWeight(*enquire, db, first, count, Matcher{MatchesToCheck(db)});
}

// The best `window` of the matches of `query` that `counter` accepts, in
// RankByWeight's order, weighed by `scorer` as the walk that counts them
// into `counter` finds them.
std::vector<RankedMatch> CountAndWeighFirstPass(const CompiledQuery& query, TermScorer& scorer,
                                                const Xapian::Database& db,
                                                const FacetTable& facets,
                                                const FacetCollector& counter, size_t window) {
  // RankByWeight asks Xapian for one more than the page.
  std::vector<RankedMatch> weighed;
  WalkMatches(query.match(), db, facets, counter, [&](std::span<const Xapian::docid> ids) {
    scorer.WeighAll(ids, window + 1, &weighed);
  });
  const WeightSpy spy(std::move(weighed));
  std::vector<RankedMatch> ranked = spy.Ranked(window + 1);
  if (ranked.empty() || window == 0) return {};
  return PageOfTies(db, std::move(ranked), 0, window, spy);
}

// A scorer of `query`'s first pass on `handle`'s database, for the walk
// that counts the matches to weigh them too, or null where it cannot. The
// walk weighs a two-pass ranking's first pass, and a ranking whose phrases
// it checks (the position map of each article that has the syllables,
// once: Xapian's matcher checked them as it ranked, and its AND of the
// syllables cost more than the walk's).
std::unique_ptr<TermScorer> WalkScorer(const CompiledQuery& query, const SearchRequest& request,
                                       const Handle& handle) {
  if (handle.remote) return nullptr;
  return TermScorer::Make(query.first_pass(), *handle.db,
                          Bm25Params{request.bm25_k1, request.bm25_b, 0.5});
}

// The ranked matches [first, first + count) of `query`, or of `*accepted`
// (the matches the filters accept, sorted) when given: in two passes if it
// has map boosts (see kAdjacencyWindow). Without `accepted`, the first pass
// counts the matches into `counter` when `count_matches`, and the filters
// filter them as Xapian's match deciders. What a second pass read goes to
// `*window`.
std::vector<RankedMatch> Rank(const CompiledQuery& query, const SearchRequest& request,
                              size_t first, size_t count, const FacetFilters& filters,
                              bool count_matches, Handle& handle, Xapian::Enquire* enquire,
                              FacetCollector* counter,
                              const std::vector<Xapian::docid>* accepted,
                              std::shared_ptr<const MapWindow>* window) {
  const Xapian::Database& db = *handle.db;
  if (handle.remote) return RankRemotely(query, request, handle, first, count, *accepted, enquire);
  const bool two_passes = query.has_map_boosts();
  const size_t pass_first = two_passes ? 0 : first;
  const size_t pass_count = two_passes ? FirstPassWindow(query, first, count) : count;
  Xapian::Query ranked = two_passes ? query.first_pass() : query.SinglePass();
  if (accepted) {
    ranked = Xapian::Query(Xapian::Query::OP_FILTER, ranked, DocidFilter(*accepted, &db));
  }
  enquire->set_query(ranked);
  std::optional<FacetCollector> filter_only;
  Matcher matcher;
  if (accepted) {
    matcher.check = MatchesToCheck(db);
  } else if (count_matches) {
    // Checking every document makes Xapian's own count exact.
    matcher = {db.get_doccount(), counter};
  } else if (HasFilters(filters)) {
    filter_only.emplace(handle.facets, std::vector<std::string>{}, filters,
                        request.with_inferred_dates, db);
    matcher.decider = &*filter_only;
  }
  std::vector<RankedMatch> pass = RankByWeight(*enquire, db, pass_first, pass_count, matcher);
  if (!two_passes) return pass;
  return RankSecondPass(query, db, pass, first, count, enquire, window);
}

}  // namespace

void RunSearch(const CompiledQuery& query, const SearchRequest& request,
               const FacetFilters& filters, bool rescore_titles, Handle& handle,
               SearchResponse* response) {
  const Xapian::Database& db = *handle.db;
  const std::unordered_set<std::string> keys(query.highlight_keys().begin(),
                                             query.highlight_keys().end());
  const Page page = PageOf(request, db);
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Bm25Of(request));
  FacetCollector counter(handle.facets, request.facets, filters,
                         request.with_inferred_dates, db);
  // A query that weighs nothing (no words: filters alone, or nothing)
  // ties every match: relevance lists the newest first.
  const bool weighs = !query.highlight_keys().empty() || request.recency_half_life_days > 0;
  const bool by_date = request.sort != SortOrder::kRelevance || !weighs;
  // The accepted matches are listed first when the date table sorts them
  // or, since Xapian hands its match deciders a shard's own docids, which
  // say nothing of the whole, on a database of several shards (or remote
  // ones, which run no decider of tim's).
  const bool listed = db.size() > 1 || by_date || handle.remote;
  // Remote shards run no phrase check of tim's: tim walks them itself. On
  // one local database the walk checks them when a scorer then weighs its
  // matches (WalkScorer).
  bool enumerable = query.match().Enumerable(/*with_phrases=*/handle.remote);
  std::unique_ptr<TermScorer> phrase_scorer;
  if (!enumerable && !listed && query.match().Enumerable(/*with_phrases=*/true)) {
    phrase_scorer = WalkScorer(query, request, handle);
    enumerable = phrase_scorer != nullptr;
  }
  std::vector<Xapian::docid> matches;
  if (listed) {
    response->total =
        enumerable ? CollectMatches(query.match(), db, *handle.facets, counter, &matches)
                   : CollectXapianMatches(query.first_pass(), db, counter, &matches);
  }
  if (by_date) {
    // Sorting by date needs no ranking: the date table orders the exact
    // match set directly (Xapian would read a value per match).
    // Scores of the page: the query again, restricted to the page's ids.
    const Scorer score = [&](const std::vector<Xapian::docid>& ids,
                             const std::vector<std::string>& id_terms) {
      if (handle.remote) return WeighRemotely(query, request, handle, ids, id_terms);
      return WeightsOf(enquire, query.SinglePass(), ids, id_terms);
    };
    response->hits = DateSortedPage(db, *handle.stored, score, *handle.facets,
                                    std::move(matches), request, page, keys);
  } else {
    // Title rescoring reorders the whole window, whatever page is asked for.
    const bool rescore = rescore_titles && RescoresTitles(request, page, query.highlight_keys());
    const size_t first = rescore ? 0 : page.offset;
    const size_t count = rescore ? std::max(kTitleRescoreDepth, page.end()) : page.limit;
    std::optional<std::vector<RankedMatch>> first_pass;
    std::shared_ptr<const MapWindow> window;  // a second pass's
    if (enumerable && !listed) {
      // The exact match set from the posting lists: counting it is cheap.
      // When the count walks the matches, the walk weighs a two-pass
      // ranking's first pass, or the whole ranking of a query whose
      // phrases it checks; else Xapian then only ranks, pruning what
      // cannot reach the page (a word's matches need no walk to count).
      const bool walks = !counter.Inert() || !CountsWithoutWalking(query.match());
      std::unique_ptr<TermScorer> scorer =
          phrase_scorer ? std::move(phrase_scorer)
          : walks && query.has_map_boosts() ? WalkScorer(query, request, handle)
                                            : nullptr;
      if (scorer) {
        first_pass = CountAndWeighFirstPass(query, *scorer, db, *handle.facets, counter,
                                            FirstPassWindow(query, first, count));
      }
      response->total = first_pass ? counter.accepted()
                                   : CollectMatches(query.match(), db, *handle.facets, counter,
                                                    nullptr);
    }
    const std::vector<RankedMatch> ranked =
        first_pass
            ? RankSecondPass(query, db, *first_pass, first, count, &enquire, &window)
            : Rank(query, request, first, count, filters, /*count_matches=*/!enumerable, handle,
                   &enquire, &counter, listed ? &matches : nullptr, &window);
    if (!enumerable && !listed) response->total = counter.accepted();
    response->hits = RankedPage(ranked, db, *handle.stored, request, page, keys,
                                rescore ? &query.highlight_keys() : nullptr,
                                query.relaxed_syllables(), window.get());
  }
  response->facets.clear();
  for (const std::string& facet : request.facets) {
    response->facets.push_back({facet, counter.Values(facet, request.facet_limit)});
  }
}

namespace {

// Thrown through Xapian's matcher when a visit asks to stop.
struct StopVisiting {};

// Sees the accepted matches of a Xapian match, in docid order.
class VisitingSpy : public Xapian::MatchSpy {
 public:
  explicit VisitingSpy(const std::function<bool(Xapian::docid)>& visit) : visit_(visit) {}
  void operator()(const Xapian::Document& doc, double) override {
    ++visited_;
    if (!visit_(doc.get_docid())) throw StopVisiting{};
  }
  uint64_t visited() const { return visited_; }

 private:
  const std::function<bool(Xapian::docid)>& visit_;
  uint64_t visited_ = 0;
};

}  // namespace

uint64_t VisitMatches(const CompiledQuery& query, const FacetFilters& filters,
                      bool with_inferred_dates, Handle& handle,
                      const std::function<bool(Xapian::docid)>& visit) {
  const Xapian::Database& db = *handle.db;
  const FacetCollector filter(handle.facets, {}, filters, with_inferred_dates, db);
  uint64_t visited = 0;
  auto visit_accepted = [&](Xapian::docid id) {
    if (!filter.Accept(id)) return true;
    ++visited;
    return visit(id);
  };
  if (query.match().Enumerable(/*with_phrases=*/handle.remote)) {
    MatchCursor cursor(query.match(), db, *handle.facets);
    for (Xapian::docid id = cursor.Next(); id != 0 && visit_accepted(id); id = cursor.Next()) {
    }
    return visited;
  }
  if (db.size() > 1) {
    // A spy sees a shard's own docids (see RunSearch): listed first.
    for (Xapian::docid id : XapianMatches(query.first_pass(), db)) {
      if (!visit_accepted(id)) break;
    }
    return visited;
  }
  // Xapian's matcher, unranked and asked to check every match, hands each
  // one the filter accepts to the spy in docid order, keeping none.
  Xapian::Enquire enquire = UnweightedEnquire(query.first_pass(), db);
  VisitingSpy spy(visit);
  enquire.add_matchspy(&spy);
  try {
    enquire.get_mset(0, 0, db.get_doccount(), nullptr, &filter);
  } catch (const StopVisiting&) {
  }
  return spy.visited();
}

}  // namespace tim
