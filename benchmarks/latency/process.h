// process.h: what the latency benchmark needs from the operating system:
// child processes, peak memory, page-cache eviction, sizes on disk and a
// description of the machine.
#ifndef TIM_BENCHMARKS_LATENCY_PROCESS_H_
#define TIM_BENCHMARKS_LATENCY_PROCESS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace tim::bench {

// Peak resident set size of this process so far, in KiB.
long PeakRssKb();

// CPU time of this process (all threads, user + system), in seconds.
double ProcessCpuSeconds();

// Runs `argv` (argv[0] is looked up in PATH), waits, and returns what it
// wrote to stdout; its stderr passes through. Throws if it fails.
std::string RunChild(const std::vector<std::string>& argv);

// A path that executes this very program.
std::string SelfPath();

// Drops the files under `dir` from the page cache (fdatasync, then
// POSIX_FADV_DONTNEED), so the next read comes from the disk without
// touching the rest of the machine's cache. Returns the fraction of their
// pages still cached afterwards (0 when eviction worked).
double EvictFromPageCache(const std::string& dir);

// Bytes of the regular files under `path`.
uint64_t DiskBytes(const std::string& path);

// "AMD EPYC, 2 CPUs (nproc), 23.4 GiB RAM, Linux 6.1.0-...".
std::string MachineDescription();
int ProcessorCount();

// The 1-minute load average (runnable processes), from /proc/loadavg.
double LoadAverage();

// "2025-11-23 19:33 UTC".
std::string UtcNow();

}  // namespace tim::bench

#endif  // TIM_BENCHMARKS_LATENCY_PROCESS_H_
