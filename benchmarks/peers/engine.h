// engine.h: the search engines the latency benchmark compares (tim and its
// peers), behind one interface, so that each runs the same query mix and
// does the same work: all words required, an exact total, the top hits with
// their stored id and title, and, when asked, exact counts by source, year
// and month over the whole match set.
#ifndef TIM_BENCHMARKS_PEERS_ENGINE_H_
#define TIM_BENCHMARKS_PEERS_ENGINE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tim/article.h"

namespace tim::bench {

struct BenchQuery {
  std::string query_class;  // "one_syllable", "deep_page", ...
  std::string text;         // as a user types it; every word is required
  // Every word optional, ranked by the engine's scoring (its OR query, as
  // a user would configure it for questions); only the relevance
  // benchmark's Lucene++ rows use it.
  bool any_word = false;
  std::string source;       // keep only this publisher; empty keeps all
  std::string from;         // "YYYY-MM-DD", inclusive; empty: unbounded
  std::string to;
  bool facets = false;      // count source, year and month over all matches
  bool newest_first = false;
  size_t offset = 0;
  size_t limit = 10;
};

// Facet value -> count. Dates are "YYYY" and "YYYY-MM"; "unknown" counts
// the articles without the attribute.
struct FacetCounts {
  std::map<std::string, uint64_t> source;
  std::map<std::string, uint64_t> year;
  std::map<std::string, uint64_t> month;
};

struct BenchResult {
  uint64_t total = 0;             // exact number of matches
  std::vector<std::string> ids;   // the requested page of hits, in order
  FacetCounts facets;             // empty unless BenchQuery::facets
};

// Runs queries from one thread at a time.
class Session {
 public:
  virtual ~Session() = default;
  virtual BenchResult Search(const BenchQuery& query) = 0;
};

// An open database. NewSession() may be called from any thread; each
// thread then searches through its own Session.
class Index {
 public:
  virtual ~Index() = default;
  virtual std::unique_ptr<Session> NewSession() = 0;
};

// Adds articles to a database. Finish() makes everything durable.
class Builder {
 public:
  virtual ~Builder() = default;
  virtual void Add(const Article& article) = 0;
  virtual void Finish() = 0;
};

struct Engine {
  std::string name;     // "tim", "xapian", "lucene++", "fts5"
  std::string version;  // of the library measured
  // How the engine is set up, and what it does differently from tim.
  std::vector<std::string> notes;
  // With `append`, adds to the database at `dir`; else creates it anew.
  std::function<std::unique_ptr<Builder>(const std::string& dir, bool append)> create;
  std::function<std::unique_ptr<Index>(const std::string& dir)> open;
  // Writes a compacted copy of the database at `dir` to `out` (a path
  // that does not exist yet).
  std::function<void(const std::string& dir, const std::string& out)> compact;
};

// An Index whose sessions each open the database at `dir` themselves.
template <class SessionType>
class SessionPerDirectory : public Index {
 public:
  explicit SessionPerDirectory(std::string dir) : dir_(std::move(dir)) {}
  std::unique_ptr<Session> NewSession() override { return std::make_unique<SessionType>(dir_); }

 private:
  std::string dir_;
};

// Engine::create and Engine::open for the engines whose builder is made
// from (dir, append) and whose index from dir.
template <class BuilderType>
std::unique_ptr<Builder> CreateBuilder(const std::string& dir, bool append) {
  return std::make_unique<BuilderType>(dir, append);
}
template <class IndexType>
std::unique_ptr<Index> OpenIndex(const std::string& dir) {
  return std::make_unique<IndexType>(dir);
}

// tim first, then the peers this build was configured with.
std::vector<Engine> AvailableEngines();
// The peers this build lacks, with the reason ("liblucene++-dev not found").
std::vector<std::string> MissingEngines();

// What every peer stores per article for filtering, sorting and facets.
struct PeerFields {
  std::string day;    // "YYYYMMDD", or empty when undated
  std::string year;   // "YYYY" or "unknown"
  std::string month;  // "YYYY-MM" or "unknown" (also for year-only dates)
  std::string source; // "unknown" when empty
};
PeerFields FieldsOf(const Article& article);

// A query's text cut at its double quotes: a quoted span is a phrase, the
// text around it loose words. With an odd number of quotes the whole text
// is loose words, as tim reads an unbalanced quote.
struct QuerySpan {
  std::string text;
  bool quoted = false;
};
std::vector<QuerySpan> SplitQuotes(const std::string& text);

// Runs `xapian-compact dir out`; throws if it fails or is missing.
void RunXapianCompact(const std::string& dir, const std::string& out);

// "2016-11-28" -> "20161128".
std::string DayKey(const std::string& iso_day);

Engine TimEngine();
Engine XapianEngine();
#ifdef TIM_BENCH_HAVE_LUCENE
Engine LuceneEngine();
#endif
#ifdef TIM_BENCH_HAVE_SQLITE
Engine Fts5Engine();
#endif

}  // namespace tim::bench

#endif  // TIM_BENCHMARKS_PEERS_ENGINE_H_
