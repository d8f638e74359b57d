// relevance: how well tim ranks Vietnamese news for the ways people type
// queries, against SQLite FTS5, on the shared corpus; and how well
// SuggestAccents restores unaccented queries. Prints Markdown tables (see
// README.md for the method and `--help` for the options).
//
//   tim_bench_relevance [--corpus FILE] [--sample N] [--work DIR] [--verbose]
#include <sys/resource.h>
#include <unistd.h>
#include <xapian.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "corpus.h"
#include "engine.h"
#include "fts5_index.h"
#include "index/schema.h"
#include "natural_queries.h"
#include "query/accent_restorer.h"
#include "query_set.h"
#include "stats.h"
#include "text/analyzer.h"
#include "tim/error.h"
#include "tim/index_writer.h"
#include "tim/searcher.h"

namespace tim::bench {
namespace {

namespace fs = std::filesystem;

struct Flags {
  std::string corpus;
  size_t sample = 0;
  std::string work;
  KnownItemOptions known_item;
  size_t tone_queries = 200;
  size_t topical_per_category = 10;
  double fts5_title_weight = 10.0;
  size_t restore_documents = kAccentDocuments;
  bool restoration_only = false;
  std::string dump_queries;
  bool verbose = false;
  size_t examples = 15;
  size_t natural_per_kind = 400;
};

// CPU time of the process so far: on a shared machine, wall time also
// counts other people's work.
double CpuSeconds() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double ThreadCpuMs() {
  timespec now;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// ---------------------------------------------------------------------------
// Building the two indexes
// ---------------------------------------------------------------------------

// Where the indexes live; a temporary one is removed with its contents.
struct Workspace {
  fs::path dir;
  bool temporary = false;

  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;
  explicit Workspace(const std::string& flag) {
    temporary = flag.empty();
    dir = temporary ? fs::temp_directory_path() /
                          ("tim-relevance-" + std::to_string(::getpid()))
                    : fs::path(flag);
    fs::create_directories(dir);
  }
  ~Workspace() {
    std::error_code ignored;
    if (temporary) fs::remove_all(dir, ignored);
  }
  fs::path tim() const { return dir / "tim"; }
  fs::path fts5() const { return dir / "fts5.sqlite"; }
  fs::path lucene() const { return dir / "lucene"; }
  fs::path stamp() const { return dir / "stamp"; }
};

// One article in kHoldOutEvery is left out of both indexes, to test accent
// restoration on text the index has never seen (0.7%: the rankings barely
// notice).
constexpr size_t kHoldOutEvery = 140;

// What the indexes of a workspace were built from: they are reused only
// when it matches.
std::string Stamp(const std::string& corpus, size_t sample) {
  std::ostringstream out;
  out << fs::absolute(corpus).string() << "\n" << fs::file_size(corpus) << "\n" << sample
      << "\nschema " << schema::kSchemaVersion << "\nheld out 1/" << kHoldOutEvery << "\n";
  return out.str();
}

bool Reusable(const Workspace& workspace, const std::string& stamp) {
  std::ifstream in(workspace.stamp());
  std::stringstream contents;
  contents << in.rdbuf();
  return in && contents.str() == stamp && fs::exists(workspace.tim()) &&
         fs::exists(workspace.fts5());
}

struct Corpus {
  std::vector<Entry> indexed;
  std::vector<Entry> held_out;
};

// The body's first sentences, up to about 600 bytes: what a news lead says.
std::string Lead(const std::string& body) {
  constexpr size_t kMaxBytes = 600;
  if (body.size() <= kMaxBytes) return NormalizeText(body);
  size_t cut = body.rfind(". ", kMaxBytes);
  if (cut == std::string::npos || cut < kMaxBytes / 3) cut = body.rfind(' ', kMaxBytes);
  return NormalizeText(body.substr(0, cut == std::string::npos ? 0 : cut + 1));
}

// Every `stride`-th article, up to `sample` of them: a sample spread over
// the whole file, which is sorted by id (and so by publisher and section).
size_t Stride(const std::string& corpus, size_t sample) {
  if (sample == 0) return 1;
  const size_t total = ReadCorpus(corpus, 0, [](const Article&) { return true; });
  return std::max<size_t>(1, total / sample);
}

// Reads the corpus, passing each article that is not held out to `add`
// (when set) with its row in Corpus::indexed.
Corpus ReadSample(const std::string& corpus, size_t sample,
                  const std::function<void(const Article&, size_t row)>& add) {
  const size_t stride = Stride(corpus, sample);
  Corpus out;
  size_t seen = 0;
  size_t kept = 0;
  ReadCorpus(corpus, 0, [&](const Article& article) {
    if (seen++ % stride != 0) return true;
    Entry entry{article.id, NormalizeText(article.title), article.category, Lead(article.body)};
    if (kept++ % kHoldOutEvery == kHoldOutEvery / 2) {
      out.held_out.push_back(std::move(entry));
    } else {
      if (add) add(article, out.indexed.size());
      out.indexed.push_back(std::move(entry));
    }
    if (kept % 10000 == 0) std::fprintf(stderr, "  %zu articles\n", kept);
    return sample == 0 || kept < sample;
  });
  return out;
}

// Reads the corpus and, when `build`, indexes all but the held-out articles
// into both engines. Both get the articles exactly as the corpus has them.
Corpus LoadCorpus(const std::string& corpus, size_t sample, const Workspace& workspace,
                  bool build) {
  if (!build) return ReadSample(corpus, sample, nullptr);
  IndexWriter writer(workspace.tim().string());
  Fts5Index fts5(workspace.fts5().string());
  fts5.Begin();
  Corpus out = ReadSample(corpus, sample, [&](const Article& article, size_t row) {
    writer.Add(article);
    fts5.Add(static_cast<int64_t>(row), article.title, article.body);
  });
  writer.Commit();
  fts5.Commit();
  return out;
}

#ifdef TIM_BENCH_HAVE_LUCENE
// Lucene++ (the latency benchmark's peer: one folded field for title and
// body), for the natural-query rows; built on first use in a workspace, as
// it came after the other two.
void BuildLucene(const std::string& corpus, size_t sample, const Workspace& workspace) {
  if (fs::exists(workspace.lucene())) return;
  const auto start = std::chrono::steady_clock::now();
  const fs::path building = workspace.dir / "lucene.partial";
  fs::remove_all(building);
  std::unique_ptr<Builder> builder = LuceneEngine().create(building.string(), false);
  ReadSample(corpus, sample, [&](const Article& article, size_t) { builder->Add(article); });
  builder->Finish();
  fs::rename(building, workspace.lucene());
  std::fprintf(stderr, "Lucene++ index built in %.1f s\n", Seconds(start));
}
#endif

Corpus PrepareIndexes(const Flags& flags, const std::string& corpus,
                      const Workspace& workspace) {
  const std::string stamp = Stamp(corpus, flags.sample);
  const bool reuse = Reusable(workspace, stamp);
  if (!reuse) {
    fs::remove_all(workspace.tim());
    fs::remove(workspace.fts5());
    fs::remove_all(workspace.lucene());
    fs::remove(workspace.stamp());
  }
  const auto start = std::chrono::steady_clock::now();
  std::fprintf(stderr, "%s %s\n", reuse ? "reading" : "indexing", corpus.c_str());
  Corpus loaded = LoadCorpus(corpus, flags.sample, workspace, !reuse);
  if (!reuse) std::ofstream(workspace.stamp()) << stamp;
  std::fprintf(stderr, "%zu articles %s in %.1f s (%zu held out)\n", loaded.indexed.size(),
               reuse ? "read (indexes reused)" : "indexed by both engines", Seconds(start),
               loaded.held_out.size());
  return loaded;
}

// ---------------------------------------------------------------------------
// Running the queries
// ---------------------------------------------------------------------------

enum Engine { kTim, kFts5, kFts5Title, kNumEngines };

// Sets request.match ("all", "any", "auto") and returns true when
// SearchRequest has it (the query model of issue 18); a template, so that
// the benchmark builds with and without it.
template <typename Request>
bool SetMatch(Request& request, const std::string& match) {
  if constexpr (requires { request.match; }) {
    using Mode = decltype(request.match);
    request.match = match == "all" ? Mode::kAll : match == "any" ? Mode::kAny : Mode::kAuto;
    return true;
  } else {
    return false;
  }
}

bool HasMatchModes() {
  SearchRequest request;
  return SetMatch(request, "auto");
}

struct Results {
  std::vector<std::string> ids;
  std::string top_title;
};

class Engines {
 public:
  Engines(const Workspace& workspace, const std::vector<Entry>& corpus, double title_weight)
      : searcher_(workspace.tim().string()),
        fts5_(workspace.fts5().string()),
        lucene_dir_(workspace.lucene().string()),
        corpus_(corpus),
        title_weight_(title_weight) {}

  // `suggest`: tim's SearchRequest::suggest_accents.
  Results Run(Engine engine, const std::string& query, bool suggest) {
    if (engine == kTim) return Tim(query, suggest);
    return Fts5(query, engine == kFts5 ? 1.0 : title_weight_, false);
  }

  // The second FTS5 configuration (title weighted), its words ANDed or,
  // with `any_word`, ORed.
  Results Fts5(const std::string& query, bool any_word) {
    return Fts5(query, title_weight_, any_word);
  }

#ifdef TIM_BENCH_HAVE_LUCENE
  // Lucene++ (BuildLucene's index), its words ANDed or, with `any_word`,
  // ORed.
  Results Lucene(const std::string& query, bool any_word) {
    if (!lucene_) lucene_ = LuceneEngine().open(lucene_dir_)->NewSession();
    BenchQuery request;
    request.text = query;
    request.any_word = any_word;
    Results results;
    results.ids = lucene_->Search(request).ids;
    if (!results.ids.empty()) results.top_title = corpus_[IndexOf(results.ids[0])].title;
    return results;
  }
#endif

  // `match`: "all", "any" or "auto" sets SearchRequest::match when this
  // build has it (issue 18); empty keeps the default.
  Results Tim(const std::string& query, bool suggest, const std::string& match = "") {
    SearchRequest request;
    request.query = query;
    request.facets = {};
    request.suggest_accents = suggest;
    if (!match.empty()) SetMatch(request, match);
    Results results;
    for (const Hit& hit : searcher_.Search(request).hits) {
      results.ids.push_back(hit.id);
      if (results.top_title.empty()) results.top_title = hit.title;
    }
    return results;
  }

 private:
  Results Fts5(const std::string& query, double title_weight, bool any_word) {
    Results results;
    for (int64_t row : fts5_.Search(query, title_weight, 10, any_word)) {
      results.ids.push_back(corpus_[static_cast<size_t>(row)].id);
    }
    if (!results.ids.empty()) results.top_title = corpus_[IndexOf(results.ids[0])].title;
    return results;
  }

  size_t IndexOf(const std::string& id) {
    if (index_.empty()) {
      for (size_t i = 0; i < corpus_.size(); ++i) index_[corpus_[i].id] = i;
    }
    return index_.at(id);
  }

  Searcher searcher_;
  Fts5Index fts5_;
  std::string lucene_dir_;
  std::unique_ptr<Session> lucene_;
  const std::vector<Entry>& corpus_;
  double title_weight_;
  std::unordered_map<std::string, size_t> index_;
};

// MRR@10 and Recall@10 (known-item) or Precision@10 (topical).
struct Metric {
  double reciprocal_ranks = 0;
  double recalls = 0;
  size_t queries = 0;

  void Add(double reciprocal_rank, double recall) {
    reciprocal_ranks += reciprocal_rank;
    recalls += recall;
    ++queries;
  }
  double Mrr() const { return queries ? reciprocal_ranks / queries : 0; }
  double Recall() const { return queries ? recalls / queries : 0; }
};

// What one query gave, by variant and engine.
struct Outcome {
  std::array<std::array<std::optional<Results>, kNumEngines>, kNumVariants> results;
};

std::vector<Outcome> RunAll(Engines& engines, const std::vector<Query>& queries) {
  std::vector<Outcome> outcomes(queries.size());
  for (size_t q = 0; q < queries.size(); ++q) {
    for (int v = 0; v < kNumVariants; ++v) {
      const std::string& text = queries[q].text[v];
      if (text.empty()) continue;
      const bool tim_only = v == kRestored || v == kUnaccentedNoSuggestion;
      for (int e = 0; e < kNumEngines; ++e) {
        if (tim_only && e != kTim) continue;
        outcomes[q].results[v][e] =
            engines.Run(static_cast<Engine>(e), text, v != kUnaccentedNoSuggestion);
      }
    }
  }
  return outcomes;
}

// 1-based rank of the first relevant result in the top 10, or 0.
template <typename IsRelevant>
size_t FirstRelevant(const Results& results, IsRelevant relevant) {
  for (size_t i = 0; i < results.ids.size() && i < 10; ++i) {
    if (relevant(results.ids[i])) return i + 1;
  }
  return 0;
}

// ---------------------------------------------------------------------------
// Accent restoration
// ---------------------------------------------------------------------------

struct RestorationStats {
  size_t asked = 0;        // unaccented queries that differ from the written one
  size_t suggested = 0;
  size_t exact = 0;        // suggestion = written query, up to tone placement
  size_t syllables = 0;
  size_t right_syllables = 0;
  std::vector<double> latencies_ms;
  std::vector<double> cpu_ms;  // the thread's CPU time: steadier when others share the cores
  std::vector<std::string> misses;  // for --verbose
};

std::vector<std::string> ExactKeys(const std::string& text) {
  std::vector<std::string> keys;
  for (const Token& token : Tokenize(NormalizeText(text))) keys.push_back(token.exact);
  return keys;
}

// Fills in each query's restored variant, and scores the restorations
// against the written queries.
RestorationStats Restore(const std::string& db_path, size_t documents,
                         std::vector<Query>* queries) {
  const Xapian::Database db(db_path);
  RestorationStats stats;
  for (Query& query : *queries) {
    const std::string& unaccented = query.text[kUnaccented];
    std::optional<std::string> suggestion;
    const double cpu_start = ThreadCpuMs();
    stats.latencies_ms.push_back(
        TimeMs([&] { suggestion = SuggestAccents(db, unaccented, documents); }));
    stats.cpu_ms.push_back(ThreadCpuMs() - cpu_start);
    query.text[kRestored] = suggestion.value_or(unaccented);
    if (unaccented == query.text[kWritten]) continue;
    ++stats.asked;
    stats.suggested += suggestion.has_value();
    const std::vector<std::string> want = ExactKeys(query.text[kWritten]);
    const std::vector<std::string> got = ExactKeys(query.text[kRestored]);
    stats.exact += want == got;
    stats.syllables += want.size();
    for (size_t i = 0; i < want.size() && i < got.size(); ++i) {
      stats.right_syllables += want[i] == got[i];
    }
    if (want != got) {
      stats.misses.push_back(unaccented + " -> " + query.text[kRestored] + "   (written: " +
                             query.text[kWritten] + ")");
    }
  }
  return stats;
}

// ---------------------------------------------------------------------------
// Exact spellings
// ---------------------------------------------------------------------------

// A spelling becomes a query when it and another spelling of its folded
// syllable are each in at least this many titles: 202 queries on the full
// corpus (100 would give about 600). A count, not a share: a --sample run
// gets fewer queries.
constexpr size_t kExactSpellingMinTitles = 300;

enum ExactRow { kExactTim, kExactFts5, kExactTimFolded, kNumExactRows };

struct ExactShare {
  double shares = 0;
  size_t all_exact = 0;
  size_t queries = 0;  // those with hits

  double Mean() const { return queries ? shares / queries : 0; }
  double AllExactRate() const { return queries ? static_cast<double>(all_exact) / queries : 0; }
};

// How tim did on one query, for --verbose.
struct ExactCount {
  std::string query;
  size_t exact = 0;
  size_t hits = 0;
};

struct ExactSet {
  std::vector<Query> queries;
  std::array<ExactShare, kNumExactRows> rows;
  std::vector<ExactCount> tim_counts;  // queries with hits
};

// Whether an article has a token with a given exact key, in its title or
// body; each article is read once.
class ExactJudge {
 public:
  explicit ExactJudge(const std::string& db_path) : searcher_(db_path) {}

  bool Has(const std::string& id, const std::string& exact_key) {
    auto it = keys_.find(id);
    if (it == keys_.end()) it = keys_.emplace(id, Keys(id)).first;
    return it->second.count(exact_key) > 0;
  }

 private:
  std::unordered_set<std::string> Keys(const std::string& id) const {
    std::unordered_set<std::string> keys;
    if (const std::optional<Article> article = searcher_.Get(id)) {
      for (std::string& key : ExactKeys(article->title + "\n" + article->body)) {
        keys.insert(std::move(key));
      }
    }
    return keys;
  }

  Searcher searcher_;
  std::unordered_map<std::string, std::unordered_set<std::string>> keys_;
};

ExactSet DrawExactSpellings(const Corpus& corpus) {
  const auto start = std::chrono::steady_clock::now();
  ExactSet set;
  set.queries = ExactSpellingQueries(corpus.indexed, kExactSpellingMinTitles);
  std::fprintf(stderr, "%zu exact-spelling queries (spellings in at least %zu titles) in %.1f s\n",
               set.queries.size(), kExactSpellingMinTitles, Seconds(start));
  return set;
}

// The number of hits having `exact_key`; the share is over the hits
// returned (at most 10), and a query without hits is not counted.
size_t AddExactShare(const Results& results, const std::string& exact_key, ExactJudge& judge,
                     ExactShare* row) {
  size_t exact = 0;
  for (const std::string& id : results.ids) exact += judge.Has(id, exact_key);
  if (results.ids.empty()) return 0;
  row->shares += static_cast<double>(exact) / results.ids.size();
  row->all_exact += exact == results.ids.size();
  ++row->queries;
  return exact;
}

void RunExactSpellings(Engines& engines, const std::string& db_path, ExactSet* set) {
  ExactJudge judge(db_path);
  for (const Query& query : set->queries) {
    const std::string& written = query.text[kWritten];
    const std::string exact_key = ExactKeys(written).at(0);
    const Results tim = engines.Run(kTim, written, true);
    const size_t exact = AddExactShare(tim, exact_key, judge, &set->rows[kExactTim]);
    if (!tim.ids.empty()) set->tim_counts.push_back({written, exact, tim.ids.size()});
    AddExactShare(engines.Run(kFts5, written, true), exact_key, judge, &set->rows[kExactFts5]);
    AddExactShare(engines.Run(kTim, query.text[kUnaccentedNoSuggestion], false), exact_key,
                  judge, &set->rows[kExactTimFolded]);
  }
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------


void PrintHeader(const char* first, const char* second, double title_weight) {
  std::printf("| %s | queries | tim MRR@10 | tim %s | FTS5 MRR@10 | FTS5 %s | FTS5 title×%g MRR@10 | FTS5 title×%g %s |\n",
              first, second, second, title_weight, title_weight, second);
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
}

void PrintRow(const std::string& name, const std::array<Metric, kNumEngines>& metrics) {
  std::printf("| %s | %zu |", name.c_str(), metrics[kTim].queries);
  for (int e = 0; e < kNumEngines; ++e) {
    if (metrics[e].queries == 0) {
      std::printf(" – | – |");
    } else {
      std::printf(" %.3f | %.3f |", metrics[e].Mrr(), metrics[e].Recall());
    }
  }
  std::printf("\n");
}

constexpr Variant kReportedVariants[] = {kWritten, kUnaccented, kUnaccentedNoSuggestion,
                                         kRestored, kNfd, kToneSwapped};

using VariantMetrics = std::array<std::array<Metric, kNumEngines>, kNumVariants>;

// Metrics per variant; the written variant also on the queries that have a
// tone-swapped variant, for a like-for-like comparison (`written_subset`).
template <typename ScoreFn>
VariantMetrics Evaluate(const std::vector<Query>& queries, const std::vector<Outcome>& outcomes,
                        ScoreFn score, std::array<Metric, kNumEngines>* written_subset) {
  VariantMetrics metrics;
  for (size_t q = 0; q < queries.size(); ++q) {
    for (int v = 0; v < kNumVariants; ++v) {
      for (int e = 0; e < kNumEngines; ++e) {
        const auto& results = outcomes[q].results[v][e];
        if (!results) continue;
        const auto [rr, recall] = score(queries[q], *results);
        metrics[v][e].Add(rr, recall);
        if (v == kWritten && !queries[q].text[kToneSwapped].empty()) {
          (*written_subset)[e].Add(rr, recall);
        }
      }
    }
  }
  return metrics;
}

void PrintTable(const char* second, const VariantMetrics& metrics,
                const std::array<Metric, kNumEngines>& written_subset, double title_weight) {
  PrintHeader("variant", second, title_weight);
  for (Variant v : kReportedVariants) {
    if (metrics[v][kTim].queries == 0) continue;
    PrintRow(VariantName(v), metrics[v]);
    if (v == kToneSwapped) PrintRow("as written, same queries", written_subset);
  }
}

// Share of queries whose rank-1 result is the same for every typed variant.
double SameTopRate(const std::vector<Outcome>& outcomes, Engine engine) {
  size_t same = 0;
  for (const Outcome& outcome : outcomes) {
    std::optional<std::string> top;
    bool agree = true;
    for (Variant v : {kWritten, kUnaccented, kToneSwapped, kNfd}) {
      const auto& results = outcome.results[v][engine];
      if (!results) continue;
      const std::string id = results->ids.empty() ? "" : results->ids[0];
      if (top && *top != id) agree = false;
      top = id;
    }
    same += agree && top && !top->empty();
  }
  return outcomes.empty() ? 0 : static_cast<double>(same) / outcomes.size();
}

void PrintFailures(const std::vector<Query>& queries, const std::vector<Outcome>& outcomes,
                   const std::vector<Entry>& corpus, size_t limit) {
  for (Variant v : kReportedVariants) {
    std::printf("\n#### tim failures, %s (expected id not at rank 1)\n\n", VariantName(v));
    size_t shown = 0;
    for (size_t q = 0; q < queries.size() && shown < limit; ++q) {
      const auto& results = outcomes[q].results[v][kTim];
      const Entry& target = corpus[queries[q].target];
      if (!results || (!results->ids.empty() && results->ids[0] == target.id)) continue;
      ++shown;
      std::printf("- `%s` expected %s \"%s\"; rank 1: %s \"%s\"\n", queries[q].text[v].c_str(),
                  target.id.c_str(), target.title.c_str(),
                  results->ids.empty() ? "(none)" : results->ids[0].c_str(),
                  results->top_title.c_str());
    }
  }
}

// The known-item queries whose typed variants disagree on the rank-1
// article, with each variant's rank-1 title.
void PrintDisagreements(const char* what, const std::vector<Query>& queries,
                        const std::vector<Outcome>& outcomes,
                        const std::vector<Entry>& corpus) {
  std::printf("\n#### tim rank-1 disagreements between typed variants, %s\n\n", what);
  for (size_t q = 0; q < queries.size(); ++q) {
    std::vector<std::pair<Variant, const Results*>> tops;
    for (Variant v : {kWritten, kUnaccented, kToneSwapped, kNfd}) {
      if (const auto& results = outcomes[q].results[v][kTim]) tops.emplace_back(v, &*results);
    }
    auto top_id = [](const Results* r) { return r->ids.empty() ? std::string() : r->ids[0]; };
    const bool agree = std::all_of(tops.begin(), tops.end(), [&](const auto& t) {
      return top_id(t.second) == top_id(tops[0].second);
    });
    if (agree) continue;
    std::printf("- expected %s \"%s\"\n", corpus[queries[q].target].id.c_str(),
                corpus[queries[q].target].title.c_str());
    for (const auto& [v, results] : tops) {
      std::printf("  - %s `%s`: %s \"%s\"\n", VariantName(v), queries[q].text[v].c_str(),
                  top_id(results).c_str(), results->top_title.c_str());
    }
  }
}

void PrintRestoration(const char* what, const RestorationStats& stats) {
  std::printf("| %s | %zu | %zu | %.3f | %.3f | %.2f | %.2f | %.2f | %.2f |\n", what, stats.asked,
              stats.suggested, stats.asked ? static_cast<double>(stats.exact) / stats.asked : 0,
              stats.syllables ? static_cast<double>(stats.right_syllables) / stats.syllables : 0,
              Percentile(stats.latencies_ms, 0.5), Percentile(stats.latencies_ms, 0.95),
              Percentile(stats.cpu_ms, 0.5), Percentile(stats.cpu_ms, 0.95));
}

void PrintMisses(const char* what, const RestorationStats& stats, size_t limit) {
  std::printf("\n#### Restorations of %s queries that differ from the written query\n\n", what);
  for (size_t i = 0; i < stats.misses.size() && i < limit; ++i) {
    std::printf("- %s\n", stats.misses[i].c_str());
  }
}

void PrintExactSpellings(const ExactSet& set) {
  std::printf("\n### Exact spellings (single syllables typed with diacritics; a hit is exact "
              "when its title or body has the spelling)\n\n");
  std::printf("| engine | queries | exact share of top 10 | all top 10 exact |\n"
              "|---|---:|---:|---:|\n");
  const char* names[] = {"tim", "FTS5", "tim, unaccented, suggestion off"};
  for (int r = 0; r < kNumExactRows; ++r) {
    std::printf("| %s | %zu | %.3f | %.3f |\n", names[r], set.rows[r].queries,
                set.rows[r].Mean(), set.rows[r].AllExactRate());
  }
}

void PrintLeastExact(const ExactSet& set, size_t limit) {
  std::printf("\n#### tim exact-spelling queries with the lowest exact share of the top 10\n\n");
  std::vector<ExactCount> counts = set.tim_counts;
  std::sort(counts.begin(), counts.end(), [](const ExactCount& a, const ExactCount& b) {
    const size_t left = a.exact * b.hits;
    const size_t right = b.exact * a.hits;
    return left != right ? left < right : a.query < b.query;
  });
  for (size_t i = 0; i < counts.size() && i < limit; ++i) {
    std::printf("- `%s`: %.2f (%zu of %zu)\n", counts[i].query.c_str(),
                static_cast<double>(counts[i].exact) / counts[i].hits, counts[i].exact,
                counts[i].hits);
  }
}

// ---------------------------------------------------------------------------

// One set of queries, what the engines returned, and how it scored.
struct QuerySet {
  const char* heading;
  const char* second_metric;  // "R@10" (known-item) or "P@10" (topical)
  std::vector<Query> queries;
  RestorationStats restoration;
  std::vector<Outcome> outcomes;
  VariantMetrics metrics;
  std::array<Metric, kNumEngines> tone_subset;
};

QuerySet MakeSet(const char* heading, const char* second_metric, std::vector<Query> queries) {
  QuerySet set;
  set.heading = heading;
  set.second_metric = second_metric;
  set.queries = std::move(queries);
  return set;
}

std::vector<QuerySet> DrawQueries(const Flags& flags, const Corpus& corpus,
                                  const Workspace& workspace) {
  const auto start = std::chrono::steady_clock::now();
  Searcher phrase_counter(workspace.tim().string());
  auto phrase_documents = [&](const std::string& folded) {
    SearchRequest request;
    request.query = "\"" + folded + "\"";
    request.limit = 0;
    request.facets = {};
    request.suggest_accents = false;
    return phrase_counter.Search(request).total;
  };
  std::vector<QuerySet> sets(4);
  std::array<size_t, 2> rejected;
  sets[0] = MakeSet(
      "Known-item queries (a 3-6 syllable span of a title; the article is the relevant one)",
      "R@10", KnownItemQueries(corpus.indexed, flags.known_item, phrase_documents, &rejected));
  KnownItemOptions tone = flags.known_item;
  tone.count = flags.tone_queries;
  tone.seed += 1;
  tone.with_movable_tone = true;
  std::array<size_t, 2> tone_rejected;
  sets[1] = MakeSet(
      "Known-item queries with a movable tone (the span holds an oa/oe/uy syllable like "
      "hòa/hoà)",
      "R@10", KnownItemQueries(corpus.indexed, tone, phrase_documents, &tone_rejected));
  sets[2] = MakeSet(
      "Topical queries (1-3 syllable topic words; articles of the category are relevant)",
      "P@10", TopicalQueries(corpus.indexed, flags.topical_per_category));
  sets[3] = MakeSet("Held-out title spans (restoration only: the article is not indexed)", "",
                    HeldOutQueries(corpus.held_out, flags.known_item.seed));
  std::fprintf(stderr,
               "%zu known-item queries (%zu spans rejected as not unique to a title, %zu as a "
               "phrase in more than %llu articles), %zu with a movable tone, %zu topical, %zu "
               "held out, in %.1f s\n",
               sets[0].queries.size(), rejected[0], rejected[1],
               static_cast<unsigned long long>(flags.known_item.max_phrase_documents),
               sets[1].queries.size(), sets[2].queries.size(), sets[3].queries.size(),
               Seconds(start));
  return sets;
}

// MRR@10 and Recall@10 of a known-item query; MRR@10 and P@10 of a topical
// one.
std::pair<double, double> ScoreQuery(const Query& query, const Results& results,
                                     const std::vector<Entry>& corpus,
                                     const std::unordered_map<std::string, std::string>& category_of) {
  if (query.category.empty()) {
    const size_t rank = FirstRelevant(
        results, [&](const std::string& id) { return id == corpus[query.target].id; });
    return {rank ? 1.0 / rank : 0, rank ? 1 : 0};
  }
  auto relevant = [&](const std::string& id) { return category_of.at(id) == query.category; };
  const size_t rank = FirstRelevant(results, relevant);
  size_t relevant_hits = 0;
  for (const std::string& id : results.ids) relevant_hits += relevant(id);
  return {rank ? 1.0 / rank : 0, relevant_hits / 10.0};
}

void RunSets(const Flags& flags, const Corpus& corpus, const Workspace& workspace,
             std::vector<QuerySet>* sets, ExactSet* exact) {
  const auto start = std::chrono::steady_clock::now();
  for (QuerySet& set : *sets) {
    set.restoration = Restore(workspace.tim().string(), flags.restore_documents, &set.queries);
  }
  if (flags.restoration_only) return;
  Engines engines(workspace, corpus.indexed, flags.fts5_title_weight);
  std::unordered_map<std::string, std::string> category_of;
  for (const Entry& entry : corpus.indexed) category_of[entry.id] = entry.category;
  for (QuerySet& set : *sets) {
    if (!*set.second_metric) continue;  // restoration only
    set.outcomes = RunAll(engines, set.queries);
    set.metrics = Evaluate(
        set.queries, set.outcomes,
        [&](const Query& query, const Results& results) {
          return ScoreQuery(query, results, corpus.indexed, category_of);
        },
        &set.tone_subset);
  }
  RunExactSpellings(engines, workspace.tim().string(), exact);
  std::fprintf(stderr, "queries run in %.1f s\n", Seconds(start));
}

void PrintRankings(const Flags& flags, const QuerySet& set) {
  std::printf("\n### %s\n\n", set.heading);
  PrintTable(set.second_metric, set.metrics, set.tone_subset, flags.fts5_title_weight);
  if (!set.queries.empty() && set.queries[0].category.empty()) {
    std::printf("\nSame rank-1 article for every typed variant (as written, unaccented, NFD, "
                "other tone placement where it exists): tim %.3f, FTS5 %.3f, FTS5 title×%g "
                "%.3f.\n",
                SameTopRate(set.outcomes, kTim), SameTopRate(set.outcomes, kFts5),
                flags.fts5_title_weight, SameTopRate(set.outcomes, kFts5Title));
  }
}

void PrintReport(const Flags& flags, const std::string& corpus_path, const Corpus& corpus,
                 const std::vector<QuerySet>& sets, const ExactSet& exact) {
  std::printf("Corpus: %s, %zu articles indexed%s, %zu held out.\n", corpus_path.c_str(),
              corpus.indexed.size(), flags.sample ? " (sample)" : "", corpus.held_out.size());
  if (!flags.restoration_only) {
    for (const QuerySet& set : sets) {
      if (*set.second_metric) PrintRankings(flags, set);
    }
    PrintExactSpellings(exact);
  }
  std::printf("\n### Accent restoration (SuggestAccents on the unaccented queries, %zu "
              "articles read)\n\n",
              flags.restore_documents);
  std::printf("| queries | differing from written | suggested | whole query right | syllables "
              "right | p50 ms | p95 ms | p50 CPU ms | p95 CPU ms |\n"
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  const char* names[] = {"known-item", "known-item, movable tone", "topical",
                         "held-out title spans"};
  for (size_t i = 0; i < sets.size(); ++i) PrintRestoration(names[i], sets[i].restoration);
  if (!flags.verbose) return;
  if (!flags.restoration_only) {
    PrintFailures(sets[0].queries, sets[0].outcomes, corpus.indexed, flags.examples);
    for (size_t i = 0; i < 2; ++i) {
      PrintDisagreements(names[i], sets[i].queries, sets[i].outcomes, corpus.indexed);
    }
    PrintLeastExact(exact, flags.examples);
  }
  for (size_t i = 0; i < sets.size(); ++i) {
    PrintMisses(names[i], sets[i].restoration, flags.examples);
  }
}

// One line per query and variant: set, variant, text, relevant article id
// (known-item), category (topical) or spelling (exact spelling). For tuning
// outside the benchmark.
void DumpQueries(const std::string& path, const Corpus& corpus,
                 const std::vector<QuerySet>& sets, const ExactSet& exact) {
  std::ofstream out(path);
  const char* names[] = {"known-item", "movable-tone", "topical", "held-out"};
  for (size_t i = 0; i < sets.size(); ++i) {
    for (const Query& query : sets[i].queries) {
      const std::string& judgment =
          !query.category.empty() ? query.category
          : i == 3                ? corpus.held_out[query.target].id
                                  : corpus.indexed[query.target].id;
      for (int v = 0; v < kNumVariants; ++v) {
        if (query.text[v].empty()) continue;
        out << names[i] << '\t' << VariantName(static_cast<Variant>(v)) << '\t'
            << query.text[v] << '\t' << judgment << '\n';
      }
    }
  }
  for (const Query& query : exact.queries) {
    const std::string& written = query.text[kWritten];
    out << "exact-spelling\t" << VariantName(kWritten) << '\t' << written << '\t' << written
        << '\n' << "exact-spelling\t" << VariantName(kUnaccentedNoSuggestion) << '\t'
        << query.text[kUnaccentedNoSuggestion] << '\t' << written << '\n';
  }
}

// ---------------------------------------------------------------------------
// Natural queries: questions, descriptions and keywords written from an
// article; that article is the relevant one.
// ---------------------------------------------------------------------------

struct NaturalConfig {
  std::string name;
  std::function<Results(const std::string& query)> run;
};

std::vector<NaturalConfig> NaturalConfigs(Engines& engines, double title_weight) {
  char weight[32];
  std::snprintf(weight, sizeof weight, "%g", title_weight);
  const std::string fts5 = std::string("FTS5 title×") + weight;
  std::vector<NaturalConfig> configs = {
      {"tim, all words (today)",
       [&](const std::string& q) { return engines.Tim(q, true, "all"); }}};
  if (HasMatchModes()) {
    for (const char* mode : {"auto", "any"}) {
      configs.push_back({std::string("tim, match ") + mode, [&engines, mode](const std::string& q) {
                           return engines.Tim(q, true, mode);
                         }});
    }
  }
  configs.push_back({fts5 + " AND", [&](const std::string& q) { return engines.Fts5(q, false); }});
  configs.push_back({fts5 + " OR", [&](const std::string& q) { return engines.Fts5(q, true); }});
#ifdef TIM_BENCH_HAVE_LUCENE
  for (const bool any_word : {false, true}) {
    configs.push_back({any_word ? "Lucene++ folded OR" : "Lucene++ folded AND",
                       [&engines, any_word](const std::string& q) {
                         return engines.Lucene(q, any_word);
                       }});
  }
#endif
  return configs;
}

// nDCG@10 (one relevant article: 1/log2(rank+1)), MRR@10, empty results.
struct NaturalMetric {
  double gains = 0;
  double reciprocal_ranks = 0;
  size_t empty = 0;
  size_t queries = 0;
};

struct NaturalReport {
  std::vector<std::string> engines;
  // [kind][tune=0/held out=1][typed=0/unaccented=1][engine]
  std::array<std::array<std::array<std::vector<NaturalMetric>, 2>, 2>, kNumNaturalKinds> cells;
  // Queries with >= 2 content syllables in their target that got nothing.
  std::vector<size_t> empty_with_content;
  size_t with_content = 0;  // such queries, counting both forms
  std::array<size_t, kNumNaturalKinds> counts{};
  std::array<double, kNumNaturalKinds> mean_syllables{};
  double seconds = 0;
};

size_t SyllableCount(const std::string& text) { return Tokenize(NormalizeText(text)).size(); }

NaturalReport RunNatural(const Flags& flags, const Corpus& corpus, const Workspace& workspace,
                         const std::vector<NaturalQuery>& queries) {
  const auto start = std::chrono::steady_clock::now();
  Engines engines(workspace, corpus.indexed, flags.fts5_title_weight);
  const std::vector<NaturalConfig> configs = NaturalConfigs(engines, flags.fts5_title_weight);
  NaturalReport report;
  for (const NaturalConfig& config : configs) report.engines.push_back(config.name);
  for (auto& kind : report.cells) {
    for (auto& split : kind) {
      for (auto& form : split) form.resize(configs.size());
    }
  }
  report.empty_with_content.resize(configs.size());
  for (const NaturalQuery& query : queries) {
    ++report.counts[query.kind];
    report.mean_syllables[query.kind] += static_cast<double>(SyllableCount(query.typed));
    const std::string& id = corpus.indexed[query.target].id;
    for (int form = 0; form < 2; ++form) {
      const std::string& text = form == 0 ? query.typed : query.unaccented;
      if (query.content_in_target >= 2) ++report.with_content;
      for (size_t e = 0; e < configs.size(); ++e) {
        const Results results = configs[e].run(text);
        const size_t rank =
            FirstRelevant(results, [&](const std::string& hit) { return hit == id; });
        NaturalMetric& cell = report.cells[query.kind][query.tune ? 0 : 1][form][e];
        cell.gains += rank ? 1.0 / std::log2(rank + 1.0) : 0;
        cell.reciprocal_ranks += rank ? 1.0 / rank : 0;
        cell.empty += results.ids.empty();
        ++cell.queries;
        if (results.ids.empty() && query.content_in_target >= 2) ++report.empty_with_content[e];
      }
    }
  }
  for (int k = 0; k < kNumNaturalKinds; ++k) {
    if (report.counts[k]) report.mean_syllables[k] /= static_cast<double>(report.counts[k]);
  }
  report.seconds = Seconds(start);
  std::fprintf(stderr, "natural queries run in %.1f s\n", report.seconds);
  return report;
}

void PrintNatural(const NaturalReport& report) {
  std::printf("\n### Natural queries (questions, descriptions and keywords written from an "
              "article's title and lead; that article is the relevant one)\n\n"
              "Each cell: nDCG@10 / MRR@10 / share of queries with no result.\n");
  const char* columns[] = {"tune, as typed", "tune, unaccented", "held out, as typed",
                           "held out, unaccented"};
  for (int k = 0; k < kNumNaturalKinds; ++k) {
    std::printf("\n%s: %zu queries, %.1f syllables on average\n\n| engine |",
                NaturalKindName(static_cast<NaturalKind>(k)), report.counts[k],
                report.mean_syllables[k]);
    for (const char* column : columns) std::printf(" %s |", column);
    std::printf("\n|---|---:|---:|---:|---:|\n");
    for (size_t e = 0; e < report.engines.size(); ++e) {
      std::printf("| %s |", report.engines[e].c_str());
      for (int split = 0; split < 2; ++split) {
        for (int form = 0; form < 2; ++form) {
          const NaturalMetric& m = report.cells[k][split][form][e];
          const double n = m.queries ? static_cast<double>(m.queries) : 1.0;
          std::printf(" %.3f / %.3f / %.0f%% |", m.gains / n, m.reciprocal_ranks / n,
                      100.0 * static_cast<double>(m.empty) / n);
        }
      }
      std::printf("\n");
    }
  }
  std::printf("\nQueries (both forms) with at least 2 content syllables in their article's "
              "title or lead: %zu; of them, with no result:",
              report.with_content);
  for (size_t e = 0; e < report.engines.size(); ++e) {
    std::printf("%s %s %zu", e ? "," : "", report.engines[e].c_str(),
                report.empty_with_content[e]);
  }
  std::printf(".\n");
}

void DumpNatural(const std::string& path, const Corpus& corpus,
                 const std::vector<NaturalQuery>& queries) {
  std::ofstream out(path, std::ios::app);
  for (const NaturalQuery& query : queries) {
    const char* split = query.tune ? "tune" : "held-out";
    const std::string& id = corpus.indexed[query.target].id;
    out << NaturalKindName(query.kind) << '/' << split << "\ttyped\t" << query.typed << '\t'
        << id << '\n'
        << NaturalKindName(query.kind) << '/' << split << "\tunaccented\t" << query.unaccented
        << '\t' << id << '\n';
  }
}

int Run(const Flags& flags) {
  const auto started = std::chrono::steady_clock::now();
  const std::optional<std::string> corpus_path = FindCorpus(flags.corpus);
  if (!corpus_path) {
    std::fprintf(stderr, "tim_bench_relevance: corpus not found (use --corpus FILE)\n");
    return 2;
  }
  const Workspace workspace(flags.work);
  const Corpus corpus = PrepareIndexes(flags, *corpus_path, workspace);
  std::vector<QuerySet> sets = DrawQueries(flags, corpus, workspace);
  ExactSet exact = DrawExactSpellings(corpus);
  RunSets(flags, corpus, workspace, &sets, &exact);
  const std::vector<NaturalQuery> natural =
      flags.restoration_only ? std::vector<NaturalQuery>{}
                             : NaturalQueries(corpus.indexed, flags.natural_per_kind,
                                              flags.known_item.seed + 7);
  std::optional<NaturalReport> natural_report;
#ifdef TIM_BENCH_HAVE_LUCENE
  if (!natural.empty()) BuildLucene(*corpus_path, flags.sample, workspace);
#endif
  if (!natural.empty()) natural_report = RunNatural(flags, corpus, workspace, natural);
  if (!flags.dump_queries.empty()) {
    DumpQueries(flags.dump_queries, corpus, sets, exact);
    DumpNatural(flags.dump_queries, corpus, natural);
  }
  PrintReport(flags, *corpus_path, corpus, sets, exact);
  if (natural_report) PrintNatural(*natural_report);
  std::printf("\n(Run time: %.0f s wall, %.0f s CPU.)\n", Seconds(started), CpuSeconds());
  return 0;
}

}  // namespace
}  // namespace tim::bench

int main(int argc, char** argv) {
  tim::TuneProcessForIngest();
  tim::bench::Flags flags;
  CLI::App app{"Relevance of tim vs SQLite FTS5 on the Vietnamese news corpus"};
  app.add_option("--corpus", flags.corpus, "corpus file (.jsonl or .jsonl.gz); default: "
                 "the shared vnnews.jsonl.gz");
  app.add_option("--sample", flags.sample, "index only N articles spread over the corpus "
                 "(0: all)");
  app.add_option("--work", flags.work, "directory for the indexes, kept and reused by later "
                 "runs on the same corpus (default: a temporary one)");
  app.add_option("--queries", flags.known_item.count, "known-item queries");
  app.add_option("--seed", flags.known_item.seed, "seed for drawing the queries");
  app.add_option("--max-phrase-docs", flags.known_item.max_phrase_documents,
                 "skip spans found as a phrase in more articles than this");
  app.add_option("--tone-queries", flags.tone_queries,
                 "known-item queries holding a syllable with a movable tone");
  app.add_option("--topical", flags.topical_per_category, "topical queries per category");
  app.add_option("--natural", flags.natural_per_kind,
                 "natural queries per kind (questions, descriptions, keywords); 0: none");
  app.add_option("--fts5-title-weight", flags.fts5_title_weight,
                 "bm25 weight of the title column for the second FTS5 run");
  app.add_option("--restore-docs", flags.restore_documents,
                 "articles SuggestAccents reads");
  app.add_flag("--restoration-only", flags.restoration_only,
               "measure accent restoration only, not the rankings");
  app.add_flag("--verbose", flags.verbose, "list failures and wrong restorations");
  app.add_option("--dump-queries", flags.dump_queries,
                 "write every query (set, variant, text, judgment) to this TSV file");
  app.add_option("--examples", flags.examples,
                 "failures listed per variant, and least exact spellings, with --verbose");
  CLI11_PARSE(app, argc, argv);
  try {
    return tim::bench::Run(flags);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tim_bench_relevance: %s\n", e.what());
    return 1;
  }
}
