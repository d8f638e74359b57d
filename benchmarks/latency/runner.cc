#include "runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <thread>

#include "stats.h"

namespace tim::bench {

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::duration duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

Batch RunOne(Session* session, const std::vector<const BenchQuery*>& queries,
             int repetitions, size_t first) {
  Batch batch;
  batch.latencies_ms.reserve(queries.size() * static_cast<size_t>(repetitions));
  batch.cpu_ms.reserve(batch.latencies_ms.capacity());
  for (int rep = 0; rep < repetitions; ++rep) {
    for (size_t i = 0; i < queries.size(); ++i) {
      const BenchQuery& query = *queries[(first + i) % queries.size()];
      const double cpu_start = ThreadCpuMs();
      batch.latencies_ms.push_back(TimeMs([&] { session->Search(query); }));
      batch.cpu_ms.push_back(ThreadCpuMs() - cpu_start);
    }
  }
  return batch;
}

double Median(std::vector<double> values) { return Percentile(std::move(values), 0.5); }

}  // namespace

double ThreadCpuMs() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

Batch RunBatch(const std::vector<Session*>& sessions,
               const std::vector<const BenchQuery*>& queries, int repetitions) {
  if (sessions.size() == 1) {
    const auto start = Clock::now();
    Batch batch = RunOne(sessions[0], queries, repetitions, 0);
    batch.wall_ms = Ms(Clock::now() - start);
    return batch;
  }
  std::vector<Batch> per_thread(sessions.size());
  std::atomic<size_t> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (size_t t = 0; t < sessions.size(); ++t) {
    threads.emplace_back([&, t] {
      ++ready;
      while (!go.load()) std::this_thread::yield();
      per_thread[t] = RunOne(sessions[t], queries, repetitions,
                             t * queries.size() / sessions.size());
    });
  }
  while (ready.load() < sessions.size()) std::this_thread::yield();
  const auto start = Clock::now();
  go = true;
  for (std::thread& thread : threads) thread.join();
  Batch batch;
  batch.wall_ms = Ms(Clock::now() - start);
  for (const Batch& part : per_thread) {
    batch.latencies_ms.insert(batch.latencies_ms.end(), part.latencies_ms.begin(),
                              part.latencies_ms.end());
    batch.cpu_ms.insert(batch.cpu_ms.end(), part.cpu_ms.begin(), part.cpu_ms.end());
  }
  return batch;
}

LatencyStats Summarize(const std::vector<Batch>& rounds) {
  LatencyStats stats;
  std::vector<double> all, cpu, p50s, p95s, qps;
  for (const Batch& round : rounds) {
    all.insert(all.end(), round.latencies_ms.begin(), round.latencies_ms.end());
    cpu.insert(cpu.end(), round.cpu_ms.begin(), round.cpu_ms.end());
    p50s.push_back(Percentile(round.latencies_ms, 0.5));
    p95s.push_back(Percentile(round.latencies_ms, 0.95));
    if (round.wall_ms > 0) {
      qps.push_back(1000.0 * static_cast<double>(round.latencies_ms.size()) / round.wall_ms);
    }
  }
  if (all.empty()) return stats;
  stats.samples = all.size();
  stats.p50 = Percentile(all, 0.5);
  stats.p95 = Percentile(all, 0.95);
  stats.p99 = Percentile(all, 0.99);
  stats.max = *std::max_element(all.begin(), all.end());
  stats.p50_min = *std::min_element(p50s.begin(), p50s.end());
  stats.p50_max = *std::max_element(p50s.begin(), p50s.end());
  stats.p95_min = *std::min_element(p95s.begin(), p95s.end());
  stats.p95_max = *std::max_element(p95s.begin(), p95s.end());
  stats.qps = qps.empty() ? 0 : Median(qps);
  stats.cpu_p50 = Percentile(cpu, 0.5);
  stats.cpu_p95 = Percentile(cpu, 0.95);
  return stats;
}

}  // namespace tim::bench
