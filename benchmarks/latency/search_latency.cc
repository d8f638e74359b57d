// search_latency: runs each query of a file against a tim database several
// times and prints latency percentiles per query and overall.
//
//   tim_bench_search --db DIR QUERIES_FILE [REPETITIONS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "tim/error.h"
#include "tim/searcher.h"

namespace {

double Percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const size_t index = static_cast<size_t>(p * (samples.size() - 1) + 0.5);
  return samples[index];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || std::string(argv[1]) != "--db") {
    std::fprintf(stderr, "usage: %s --db DIR QUERIES_FILE [REPETITIONS]\n", argv[0]);
    return 2;
  }
  const int repetitions = argc > 4 ? std::atoi(argv[4]) : 20;
  std::vector<std::string> queries;
  std::ifstream in(argv[3]);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') queries.push_back(line);
  }
  try {
    const tim::Searcher searcher(argv[2]);
    std::vector<double> all;
    std::printf("%-32s %8s %8s %8s %8s\n", "query", "total", "p50 ms", "p95 ms", "p99 ms");
    for (const std::string& query : queries) {
      tim::SearchRequest request;
      request.query = query;
      searcher.Search(request);  // warm-up
      std::vector<double> samples;
      uint64_t total = 0;
      for (int i = 0; i < repetitions; ++i) {
        const auto start = std::chrono::steady_clock::now();
        total = searcher.Search(request).total;
        samples.push_back(std::chrono::duration<double, std::milli>(
                              std::chrono::steady_clock::now() - start)
                              .count());
      }
      all.insert(all.end(), samples.begin(), samples.end());
      std::printf("%-32s %8llu %8.3f %8.3f %8.3f\n", query.c_str(),
                  static_cast<unsigned long long>(total), Percentile(samples, 0.5),
                  Percentile(samples, 0.95), Percentile(samples, 0.99));
    }
    std::printf("%-32s %8s %8.3f %8.3f %8.3f\n", "ALL", "", Percentile(all, 0.5),
                Percentile(all, 0.95), Percentile(all, 0.99));
  } catch (const tim::Error& e) {
    std::fprintf(stderr, "tim_bench_search: %s\n", e.what());
    return 1;
  }
  return 0;
}
