// stats.h: summarising repeated timings for benchmark tables.
#ifndef TIM_BENCHMARKS_COMMON_STATS_H_
#define TIM_BENCHMARKS_COMMON_STATS_H_

#include <algorithm>
#include <chrono>
#include <vector>

namespace tim::bench {

// The p-th quantile (0..1) of `samples`, by nearest rank.
inline double Percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const size_t index = static_cast<size_t>(p * (samples.size() - 1) + 0.5);
  return samples[index];
}

// Milliseconds taken by `body`.
template <typename Body>
double TimeMs(Body&& body) {
  const auto start = std::chrono::steady_clock::now();
  body();
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace tim::bench

#endif  // TIM_BENCHMARKS_COMMON_STATS_H_
