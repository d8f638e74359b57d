// tim_bench_latency: builds tim and peer databases from the news corpus at
// several sizes, runs the versioned query mix against all of them in one
// process (interleaved by class, rotating the engine order), and writes a
// report to benchmarks/results/. See benchmarks/README.md.
//
// Work that must start from a fresh process (building, cold start,
// compaction) runs in child processes of this same program (--child).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "corpus.h"
#include "engine.h"
#include "process.h"
#include "query_mix.h"
#include "report.h"
#include "runner.h"
#include "stats.h"
#include "tim/index_writer.h"

namespace tim::bench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Options {
  std::string corpus;
  std::string queries = TIM_BENCH_SOURCE_DIR "/latency/queries-v2.tsv";
  std::string out = TIM_BENCH_SOURCE_DIR "/results";
  std::string work = TIM_BENCH_BINARY_DIR "/latency-work";
  std::vector<int> percents = {10, 30, 100};
  std::vector<std::string> engines;
  int rounds = 5;
  int repetitions = 4;
  double batch_budget_ms = 500;
  int threads = 2;
  int fresh_processes = 3;
  int build_jobs = 2;
  bool reuse = false;
  bool compact = true;
  // Child processes.
  std::string child;
  std::string engine;
  std::string db;
  std::string target;
  std::string query_class;
  int from_percent = 0;
  int percent = 100;
  bool evict = false;
  bool run_mix = false;
};

const Engine& FindEngine(const std::vector<Engine>& engines, const std::string& name) {
  for (const Engine& engine : engines) {
    if (engine.name == name) return engine;
  }
  throw std::runtime_error("unknown engine '" + name + "'");
}

// Article i of the corpus belongs to the first `percent` %: the samples
// nest (10 % within 30 %) and spread over the whole id-sorted corpus.
bool InSample(size_t index, int percent) {
  return static_cast<int>((index * 37) % 100) < percent;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// --child build: grows a database from the --from-percent sample (0: none)
// to the --percent sample.
json ChildBuild(const Options& options) {
  const Engine& engine = FindEngine(AvailableEngines(), options.engine);
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Builder> builder = engine.create(options.db, options.from_percent > 0);
  double engine_s = SecondsSince(start);
  double engine_cpu_s = ProcessCpuSeconds();
  size_t articles = 0, added = 0;
  uint64_t bytes = 0;
  auto new_in_step = [&](size_t i) {
    if (!InSample(i, options.percent)) return false;
    ++articles;
    return !InSample(i, options.from_percent);
  };
  ReadCorpusSample(options.corpus, new_in_step, [&](const Article& article) {
    ++added;
    bytes += article.title.size() + article.body.size();
    const auto add_start = std::chrono::steady_clock::now();
    const double add_cpu = ProcessCpuSeconds();
    builder->Add(article);
    engine_cpu_s += ProcessCpuSeconds() - add_cpu;
    engine_s += SecondsSince(add_start);
  });
  const auto finish_start = std::chrono::steady_clock::now();
  const double finish_cpu = ProcessCpuSeconds();
  builder->Finish();
  builder.reset();
  engine_cpu_s += ProcessCpuSeconds() - finish_cpu;
  engine_s += SecondsSince(finish_start);
  return {{"articles", articles}, {"added", added}, {"text_bytes", bytes},
          {"wall_s", SecondsSince(start)},
          {"engine_s", engine_s}, {"engine_cpu_s", engine_cpu_s},
          {"peak_rss_kb", PeakRssKb()}};
}

// --child cold: opens a database and answers the cold-start query; with
// --mix, then runs the whole mix once so that the peak RSS covers every
// query class.
json ChildCold(const Options& options) {
  const double cached_left = options.evict ? EvictFromPageCache(options.db) : 1.0;
  const QueryMix mix = ReadQueryMix(options.queries);
  const Engine& engine = FindEngine(AvailableEngines(), options.engine);
  std::unique_ptr<Index> index;
  std::unique_ptr<Session> session;
  const double open_ms = TimeMs([&] {
    index = engine.open(options.db);
    session = index->NewSession();
  });
  const double first_ms = TimeMs([&] { session->Search(mix.cold_start.query); });
  if (options.run_mix) {
    for (const MixQuery& mix_query : mix.queries) session->Search(mix_query.query);
  }
  return {{"open_ms", open_ms}, {"first_ms", first_ms}, {"cached_left", cached_left},
          {"peak_rss_kb", PeakRssKb()}};
}

// --child run: runs one class of the mix (--class; all when empty) on one
// engine, for profilers (valgrind --tool=callgrind, perf record).
json ChildRun(const Options& options) {
  const QueryMix mix = ReadQueryMix(options.queries);
  const Engine& engine = FindEngine(AvailableEngines(), options.engine);
  std::unique_ptr<Index> index = engine.open(options.db);
  std::unique_ptr<Session> session = index->NewSession();
  std::vector<const BenchQuery*> queries;
  for (const MixQuery& mix_query : mix.queries) {
    if (options.query_class.empty() || mix_query.query.query_class == options.query_class) {
      queries.push_back(&mix_query.query);
    }
  }
  RunBatch({session.get()}, queries, 1);  // warm-up
  const LatencyStats stats = Summarize({RunBatch({session.get()}, queries, options.repetitions)});
  return {{"samples", stats.samples}, {"p50_ms", stats.p50}, {"p95_ms", stats.p95},
          {"p99_ms", stats.p99}, {"max_ms", stats.max}};
}

json ChildCompact(const Options& options) {
  const Engine& engine = FindEngine(AvailableEngines(), options.engine);
  fs::remove_all(options.target);
  const auto start = std::chrono::steady_clock::now();
  engine.compact(options.db, options.target);
  return {{"seconds", SecondsSince(start)}};
}

int RunChildMode(const Options& options) {
  json result;
  if (options.child == "build") result = ChildBuild(options);
  else if (options.child == "cold") result = ChildCold(options);
  else if (options.child == "compact") result = ChildCompact(options);
  else if (options.child == "run") result = ChildRun(options);
  else throw std::runtime_error("unknown --child " + options.child);
  std::cout << result.dump() << std::endl;
  return 0;
}

json RunSelf(std::vector<std::string> args) {
  args.insert(args.begin(), SelfPath());
  return json::parse(RunChild(args));
}

// One database per engine, grown from one corpus size to the next.
std::string DbPath(const Options& options, const Engine& engine) {
  return options.work + "/" + engine.name;
}

// The sample size the database at `db` holds (0: none).
int HeldPercent(const std::string& db) {
  int percent = 0;
  std::ifstream(db + ".percent") >> percent;
  return fs::exists(db) ? percent : 0;
}

void Log(const std::string& message) {
  std::fprintf(stderr, "[%s] %s\n", UtcNow().c_str(), message.c_str());
}

// Grows the engine's database to `percent` from the size it holds, or from
// nothing when `fresh` (or when it holds more).
BuildStats Grow(const Options& options, const Engine& engine, int percent, bool fresh) {
  const std::string db = DbPath(options, engine);
  const std::string stats_file = db + "-" + std::to_string(percent) + ".build.json";
  int held = fresh ? 0 : HeldPercent(db);
  if (held > percent) held = 0;
  json stats;
  if (options.reuse && HeldPercent(db) == percent && fs::exists(stats_file)) {
    std::ifstream(stats_file) >> stats;
  } else {
    if (held == 0) fs::remove_all(db);
    fs::remove(db + ".percent");
    Log("building " + engine.name + " from " + std::to_string(held) + " % to " +
        std::to_string(percent) + " %");
    stats = RunSelf({"--child", "build", "--engine", engine.name, "--db", db, "--corpus",
                     options.corpus, "--from-percent", std::to_string(held), "--percent",
                     std::to_string(percent)});
    stats["from_percent"] = held;
    std::ofstream(stats_file) << stats.dump() << "\n";
    std::ofstream(db + ".percent") << percent << "\n";
  }
  BuildStats build;
  build.from_percent = stats["from_percent"];
  build.added = stats["added"];
  build.articles = stats["articles"];
  build.text_bytes = stats["text_bytes"];
  build.wall_s = stats["wall_s"];
  build.engine_s = stats["engine_s"];
  build.engine_cpu_s = stats["engine_cpu_s"];
  build.peak_rss_kb = stats["peak_rss_kb"];
  build.size_bytes = DiskBytes(db);
  return build;
}

// Grows every engine's database, `options.build_jobs` at a time.
std::vector<BuildStats> GrowAll(const Options& options, const std::vector<Engine>& engines,
                                int percent, bool fresh) {
  std::vector<BuildStats> builds(engines.size());
  std::vector<std::exception_ptr> errors(engines.size());
  std::atomic<size_t> next{0};
  std::vector<std::thread> jobs;
  const size_t job_count = std::max<size_t>(1, std::min<size_t>(options.build_jobs, engines.size()));
  for (size_t j = 0; j < job_count; ++j) {
    jobs.emplace_back([&] {
      for (size_t e; (e = next++) < engines.size();) {
        try {
          builds[e] = Grow(options, engines[e], percent, fresh);
        } catch (...) {
          errors[e] = std::current_exception();
        }
      }
    });
  }
  for (std::thread& job : jobs) job.join();
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  return builds;
}

ColdStats MeasureColdStart(const Options& options, const Engine& engine) {
  const std::string db = DbPath(options, engine);
  const std::vector<std::string> args = {"--child", "cold", "--engine", engine.name,
                                         "--db", db, "--queries", options.queries};
  std::vector<std::string> evict_args = args;
  evict_args.insert(evict_args.end(), {"--evict", "--mix"});
  const json cold = RunSelf(evict_args);
  ColdStats stats;
  stats.cold_open_ms = cold["open_ms"];
  stats.cold_first_ms = cold["first_ms"];
  stats.cached_left = cold["cached_left"];
  stats.search_rss_kb = cold["peak_rss_kb"];
  std::vector<double> open_ms, first_ms;
  for (int i = 0; i < options.fresh_processes; ++i) {
    const json warm = RunSelf(args);
    open_ms.push_back(warm["open_ms"]);
    first_ms.push_back(warm["first_ms"]);
  }
  stats.warm_open_ms = Percentile(open_ms, 0.5);
  stats.warm_first_ms = Percentile(first_ms, 0.5);
  return stats;
}

void Compact(const Options& options, const Engine& engine, int percent, BuildStats* build) {
  const std::string db = DbPath(options, engine);
  const std::string target = db + "-compact";
  Log("compacting " + engine.name + " at " + std::to_string(percent) + " %");
  const json result = RunSelf({"--child", "compact", "--engine", engine.name, "--db", db,
                               "--target", target});
  build->compact_s = result["seconds"];
  build->compact_bytes = DiskBytes(target);
  fs::remove_all(target);
}

// An engine opened for the latency run, with one session per thread.
struct OpenEngine {
  std::unique_ptr<Index> index;
  std::vector<std::unique_ptr<Session>> sessions;

  std::vector<Session*> First(int count) const {
    std::vector<Session*> out;
    for (int i = 0; i < count; ++i) out.push_back(sessions[static_cast<size_t>(i)].get());
    return out;
  }
};

// Runs every query once per engine, recording totals and whether facet
// counts agree with tim's (engine 0).
std::vector<QueryCheck> CheckResults(const QueryMix& mix, std::vector<OpenEngine>& open) {
  std::vector<QueryCheck> checks;
  for (const MixQuery& mix_query : mix.queries) {
    QueryCheck check;
    check.query = &mix_query;
    std::vector<BenchResult> results;
    for (OpenEngine& engine : open) results.push_back(engine.sessions[0]->Search(mix_query.query));
    for (const BenchResult& result : results) {
      check.totals.push_back(result.total);
      const FacetCounts& a = result.facets;
      const FacetCounts& b = results[0].facets;
      check.same_facets.push_back(a.source == b.source && a.year == b.year && a.month == b.month);
    }
    checks.push_back(check);
  }
  return checks;
}

void MeasureLatency(const Options& options, const QueryMix& mix,
                    const std::vector<Engine>& engines, SizeRun* run,
                    std::vector<double>* load_samples) {
  std::vector<OpenEngine> open(engines.size());
  for (size_t e = 0; e < engines.size(); ++e) {
    open[e].index = engines[e].open(DbPath(options, engines[e]));
    for (int t = 0; t < options.threads; ++t) open[e].sessions.push_back(open[e].index->NewSession());
  }
  run->checks = CheckResults(mix, open);
  // Warm-up on every thread count; it also times one pass of each class, so
  // that a slow engine runs fewer repetitions and the run stays short.
  std::map<std::pair<size_t, std::string>, int> repetitions;
  for (size_t e = 0; e < open.size(); ++e) {
    for (const QueryClass& query_class : mix.classes) {
      const std::vector<const BenchQuery*> queries = mix.OfClass(query_class.name);
      const Batch pass = RunBatch(open[e].First(1), queries, 1);
      RunBatch(open[e].First(options.threads), queries, 1);
      const double pass_ms = std::max(1e-3, pass.wall_ms);
      repetitions[{e, query_class.name}] = std::clamp(
          static_cast<int>(options.batch_budget_ms / pass_ms), 1, options.repetitions);
    }
  }
  std::map<std::tuple<size_t, std::string, int>, std::vector<Batch>> batches;
  const std::vector<int> thread_counts =
      options.threads > 1 ? std::vector<int>{1, options.threads} : std::vector<int>{1};
  for (int round = 0; round < options.rounds; ++round) {
    load_samples->push_back(LoadAverage());
    Log("latency at " + std::to_string(run->percent) + " %, round " +
        std::to_string(round + 1) + "/" + std::to_string(options.rounds) +
        ", load average " + std::to_string(load_samples->back()));
    for (size_t c = 0; c < mix.classes.size(); ++c) {
      const std::string& name = mix.classes[c].name;
      const std::vector<const BenchQuery*> queries = mix.OfClass(name);
      // Rotating the order spreads slow phases of a noisy machine evenly.
      for (size_t k = 0; k < engines.size(); ++k) {
        const size_t e = (k + c + static_cast<size_t>(round)) % engines.size();
        for (int threads : thread_counts) {
          batches[{e, name, threads}].push_back(
              RunBatch(open[e].First(threads), queries, repetitions[{e, name}]));
        }
      }
    }
  }
  for (const auto& [key, rounds] : batches) run->latency[key] = Summarize(rounds);
}

std::string ReadCommandOutput(const std::vector<std::string>& argv) {
  try {
    std::string out = RunChild(argv);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
  } catch (const std::exception&) {
    return "";
  }
}

std::string TreeDescription() {
  const std::string dir = TIM_BENCH_SOURCE_DIR "/..";
  const std::string commit = ReadCommandOutput({"git", "-C", dir, "rev-parse", "--short", "HEAD"});
  if (commit.empty()) return "unknown";
  const std::string dirty = ReadCommandOutput({"git", "-C", dir, "status", "--porcelain", "--untracked-files=no"});
  return "commit " + commit + (dirty.empty() ? "" : " with uncommitted changes");
}

std::string CommandLine(int argc, char** argv) {
  std::string line = fs::path(argv[0]).filename().string();
  for (int i = 1; i < argc; ++i) line += std::string(" ") + argv[i];
  return line;
}

int RunBenchmark(const Options& options, const std::string& command) {
  const auto start = std::chrono::steady_clock::now();
  Report report;
  const QueryMix mix = ReadQueryMix(options.queries);
  report.mix = &mix;
  for (const Engine& engine : AvailableEngines()) {
    if (options.engines.empty() ||
        std::count(options.engines.begin(), options.engines.end(), engine.name)) {
      report.engines.push_back(engine);
    }
  }
  if (report.engines.empty() || report.engines[0].name != "tim") {
    throw std::runtime_error("--engines must include tim");
  }
  report.missing = MissingEngines();
  for (const std::string& missing : report.missing) Log("skipping " + missing);
  report.corpus = options.corpus;
  fs::create_directories(options.work);
  std::vector<int> percents = options.percents;
  std::sort(percents.begin(), percents.end());
  // Each size is measured before the databases grow to the next one.
  for (int percent : percents) {
    SizeRun run;
    run.percent = percent;
    run.builds = GrowAll(options, report.engines, percent, report.runs.empty() && !options.reuse);
    run.articles = run.builds[0].articles;
    Log("cold start at " + std::to_string(percent) + " %");
    for (const Engine& engine : report.engines) {
      run.cold.push_back(MeasureColdStart(options, engine));
    }
    MeasureLatency(options, mix, report.engines, &run, &report.load_samples);
    for (size_t e = 0; options.compact && e < report.engines.size(); ++e) {
      Compact(options, report.engines[e], percent, &run.builds[e]);
    }
    report.runs.push_back(run);
  }
  report.date = UtcNow();
  report.machine = MachineDescription();
  report.compiler = "GCC " __VERSION__;
  report.tree = TreeDescription();
  report.command = command;
  report.rounds = options.rounds;
  report.repetitions = options.repetitions;
  report.batch_budget_ms = options.batch_budget_ms;
  report.threads = options.threads;
  report.wall_s = SecondsSince(start);
  WriteReport(report, options.out, TIM_BENCH_SOURCE_DIR "/latency/plot.gp");
  Log("wrote " + options.out + "/latency.md in " + std::to_string(report.wall_s) + " s");
  return 0;
}

}  // namespace
}  // namespace tim::bench

int main(int argc, char** argv) {
  tim::TuneProcessForIngest();
  using tim::bench::Options;
  Options options;
  CLI::App app{"Search latency of tim against its peers, in one run."};
  app.add_option("--corpus", options.corpus,
                 "corpus (.jsonl or .jsonl.gz); default: the shared vnnews corpus");
  app.add_option("--queries", options.queries, "query mix")->capture_default_str();
  app.add_option("--out", options.out, "results directory")->capture_default_str();
  app.add_option("--work", options.work, "where databases are built")->capture_default_str();
  app.add_option("--percents", options.percents, "corpus sizes, in %")->delimiter(',')
      ->capture_default_str();
  app.add_option("--engines", options.engines, "engines to run (default: all built)")
      ->delimiter(',');
  app.add_option("--rounds", options.rounds, "measured rounds")->capture_default_str();
  app.add_option("--repetitions", options.repetitions,
                 "runs of each query per round and thread")->capture_default_str();
  app.add_option("--batch-budget-ms", options.batch_budget_ms,
                 "fewer repetitions for an engine whose class batch would take longer")
      ->capture_default_str();
  app.add_option("--threads", options.threads, "threads of the concurrent run")
      ->capture_default_str();
  app.add_option("--fresh-processes", options.fresh_processes,
                 "fresh processes timed for the warm-cache start")->capture_default_str();
  app.add_option("--build-jobs", options.build_jobs,
                 "databases built at once (engines in parallel)")->capture_default_str();
  app.add_flag("--reuse", options.reuse,
               "keep databases an earlier run left at the first size");
  app.add_flag("!--no-compact", options.compact, "skip compaction");
  app.add_option("--child", options.child)->group("");
  app.add_option("--engine", options.engine)->group("");
  app.add_option("--db", options.db)->group("");
  app.add_option("--target", options.target)->group("");
  app.add_option("--class", options.query_class)->group("");
  app.add_option("--from-percent", options.from_percent)->group("");
  app.add_option("--percent", options.percent)->group("");
  app.add_flag("--evict", options.evict)->group("");
  app.add_flag("--mix", options.run_mix)->group("");
  CLI11_PARSE(app, argc, argv);
  try {
    if (!options.child.empty()) return tim::bench::RunChildMode(options);
    const auto corpus = tim::bench::FindCorpus(options.corpus);
    if (!corpus) {
      std::fprintf(stderr, "tim_bench_latency: no corpus found; pass --corpus PATH\n");
      return 2;
    }
    options.corpus = *corpus;
    return tim::bench::RunBenchmark(options, tim::bench::CommandLine(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tim_bench_latency: %s\n", e.what());
    return 1;
  }
}
