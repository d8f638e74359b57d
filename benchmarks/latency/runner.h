// runner.h: timing batches of queries on one or several threads, and
// summarising them as percentiles.
#ifndef TIM_BENCHMARKS_LATENCY_RUNNER_H_
#define TIM_BENCHMARKS_LATENCY_RUNNER_H_

#include <cstddef>
#include <vector>

#include "engine.h"

namespace tim::bench {

struct Batch {
  std::vector<double> latencies_ms;  // one per query run, all threads
  // CPU time of the searching thread per query run: unlike latency, it
  // hardly moves when other processes compete for the cores.
  std::vector<double> cpu_ms;
  double wall_ms = 0;                // first start to last finish
};

// Each session runs `queries` `repetitions` times from its own thread (the
// calling thread when there is one session), each starting at a different
// query, all released at once.
Batch RunBatch(const std::vector<Session*>& sessions,
               const std::vector<const BenchQuery*>& queries, int repetitions);

struct LatencyStats {
  size_t samples = 0;
  // Over all rounds' samples pooled.
  double p50 = 0, p95 = 0, p99 = 0, max = 0;
  // Spread of the per-round p50 and p95.
  double p50_min = 0, p50_max = 0, p95_min = 0, p95_max = 0;
  double qps = 0;  // median over rounds of queries / wall time
  double cpu_p50 = 0, cpu_p95 = 0;
};

// CPU time of the calling thread, in ms.
double ThreadCpuMs();

// Summarises one batch per round.
LatencyStats Summarize(const std::vector<Batch>& rounds);

}  // namespace tim::bench

#endif  // TIM_BENCHMARKS_LATENCY_RUNNER_H_
