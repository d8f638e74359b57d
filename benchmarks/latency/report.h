// report.h: the results of a latency run, and how they are written to
// benchmarks/results/ (a Markdown table, gnuplot data and PNG plots).
#ifndef TIM_BENCHMARKS_LATENCY_REPORT_H_
#define TIM_BENCHMARKS_LATENCY_REPORT_H_

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "engine.h"
#include "query_mix.h"
#include "runner.h"

namespace tim::bench {

// Growing a database from one sample size to the next.
struct BuildStats {
  int from_percent = 0;      // 0: built from nothing
  size_t added = 0;          // articles added by this step
  size_t articles = 0;       // articles in the database after it
  uint64_t text_bytes = 0;   // title + body of the added articles, UTF-8
  double wall_s = 0;         // the whole child process, corpus reading included
  double engine_s = 0;       // inside the engine: Add() and Finish()
  double engine_cpu_s = 0;   // CPU time of the process meanwhile
  long peak_rss_kb = 0;
  uint64_t size_bytes = 0;
  uint64_t compact_bytes = 0;  // 0: not compacted
  double compact_s = 0;
};

struct ColdStats {
  // Fresh process, the database's files evicted from the page cache.
  double cold_open_ms = 0, cold_first_ms = 0;
  double cached_left = 0;  // fraction of pages eviction could not drop
  // Fresh process, page cache warm (median of several processes).
  double warm_open_ms = 0, warm_first_ms = 0;
  // Peak RSS of a fresh process that opened and ran every query once.
  long search_rss_kb = 0;
};

struct QueryCheck {
  const MixQuery* query = nullptr;
  std::vector<uint64_t> totals;     // by engine
  std::vector<bool> same_facets;    // by engine: facet counts equal tim's
};

struct SizeRun {
  int percent = 100;
  size_t articles = 0;
  std::vector<BuildStats> builds;  // by engine
  std::vector<ColdStats> cold;     // by engine
  // (engine index, class, threads) -> stats
  std::map<std::tuple<size_t, std::string, int>, LatencyStats> latency;
  std::vector<QueryCheck> checks;
};

struct Report {
  std::string date, machine, compiler, tree, command, corpus;
  double wall_s = 0;
  // 1-minute load averages sampled during the latency rounds.
  std::vector<double> load_samples;
  int rounds = 0, repetitions = 0, threads = 0;
  double batch_budget_ms = 0;
  const QueryMix* mix = nullptr;
  std::vector<Engine> engines;
  std::vector<std::string> missing;
  std::vector<SizeRun> runs;  // by increasing size
};

// Writes latency.md, the plot data and, through gnuplot and
// `plot_script`, latency-by-class.png and latency-vs-size.png to `out_dir`.
void WriteReport(const Report& report, const std::string& out_dir,
                 const std::string& plot_script);

}  // namespace tim::bench

#endif  // TIM_BENCHMARKS_LATENCY_REPORT_H_
