// tim: the command-line shell over the tim library. It parses arguments,
// calls the library and prints; every behaviour lives in the library.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "server/server.h"
#include "tim/error.h"
#include "tim/index_writer.h"
#include "tim/json.h"
#include "tim/request_params.h"
#include "tim/searcher.h"

namespace {

// Exit codes: 1 for a failure, 2 for a bad command line or argument.
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

bool UseColour() {
  return isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
}

struct Style {
  bool on;
  std::string bold() const { return on ? "\033[1m" : ""; }
  std::string dim() const { return on ? "\033[2m" : ""; }
  std::string mark() const { return on ? "\033[1;33m" : ""; }
  std::string reset() const { return on ? "\033[0m" : ""; }
};

std::string Highlighted(const tim::HighlightedText& text, const Style& style) {
  std::string out;
  size_t done = 0;
  for (const auto& [begin, end] : text.highlights) {
    out += text.text.substr(done, begin - done);
    out += style.mark() + text.text.substr(begin, end - begin) + style.reset();
    done = end;
  }
  return out + text.text.substr(done);
}

std::string Join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

std::string FacetLine(const std::vector<tim::FacetValue>& values) {
  std::vector<std::string> parts;
  for (const tim::FacetValue& value : values) {
    parts.push_back(value.value + " (" + std::to_string(value.count) + ")");
  }
  return parts.empty() ? "-" : Join(parts, ", ");
}

void PrintSearch(const tim::SearchResponse& response) {
  const Style style{UseColour()};
  for (const std::string& warning : response.warnings) {
    std::cerr << "tim: warning: " << warning << "\n";
  }
  std::printf("%llu results for \"%s\" (%.1f ms)\n",
              static_cast<unsigned long long>(response.total),
              response.query.c_str(), response.took_ms);
  if (response.suggestion) {
    std::cout << "Did you mean: " << style.bold() << *response.suggestion
              << style.reset() << " (ranked first)\n";
  }
  if (response.relaxed) {
    std::cout << "No article has every word; showing articles with most of them\n";
  }
  for (const tim::Hit& hit : response.hits) {
    std::cout << "\n" << hit.rank << ". " << style.bold() << hit.title
              << style.reset() << "\n   " << style.dim() << hit.source << " · "
              << (hit.date ? hit.date->ToString() : "undated")
              << (hit.date_inferred ? " (from the text)" : "") << " · " << hit.id << style.reset() << "\n   "
              << Highlighted(hit.snippet, style) << "\n";
  }
  if (!response.facets.empty()) std::cout << "\n";
  for (const tim::Facet& facet : response.facets) {
    std::cout << style.bold() << facet.name << ":" << style.reset() << " "
              << FacetLine(facet.values) << "\n";
  }
}

void PrintStats(const tim::DatabaseStats& stats) {
  std::cout << "database:  " << stats.path << "\n"
            << "articles:  " << stats.documents << "\n"
            << "dates:     "
            << (stats.earliest ? stats.earliest->ToString() + " to " +
                                     stats.latest->ToString()
                               : std::string("none"))
            << " (" << stats.undated << " undated)\n"
            << "size:      " << stats.size_bytes / 1024 << " KiB\n"
            << "sources:   " << FacetLine(stats.sources) << "\n";
}

void PrintIngest(const tim::IngestReport& report) {
  for (const std::string& warning : report.warnings) {
    std::cerr << "tim: warning: " << warning << "\n";
  }
  if (report.warnings_omitted > 0) {
    std::cerr << "tim: warning: " << report.warnings_omitted
              << " more warnings not shown\n";
  }
  const double seconds = report.elapsed_seconds;
  std::printf(
      "added %zu, replaced %zu, unchanged %zu, duplicates %zu, skipped %zu, "
      "errors %zu in %.2f s (%.0f docs/s, %.1f MB/s)\n",
      report.added, report.replaced, report.unchanged, report.duplicates,
      report.skipped, report.errors, seconds,
      seconds > 0 ? report.records() / seconds : 0.0,
      seconds > 0 ? report.input_bytes / 1e6 / seconds : 0.0);
}

// A one-line progress display on stderr with rate and ETA, for terminals;
// pipes, files and CI get none.
class ProgressBar {
 public:
  static bool Wanted() {
    const char* term = std::getenv("TERM");
    return isatty(STDERR_FILENO) && std::getenv("CI") == nullptr &&
           !(term && std::string(term) == "dumb");
  }

  void Update(const tim::IngestProgress& progress) {
    const auto now = std::chrono::steady_clock::now();
    if (!progress.finishing && shown_ && now - last_ < kInterval) return;
    last_ = now;
    shown_ = true;
    const double rate = progress.elapsed_seconds > 0
                            ? progress.records / progress.elapsed_seconds
                            : 0;
    if (progress.finishing) {
      std::fprintf(stderr, "\r%llu records read; committing...\033[K",
                   static_cast<unsigned long long>(progress.records));
    } else if (progress.input_total > 0) {
      const double done = std::min(
          1.0, static_cast<double>(progress.input_bytes) / progress.input_total);
      const int filled = static_cast<int>(done * kWidth);
      const double eta =
          done > 0 ? progress.elapsed_seconds * (1 - done) / done : 0;
      std::fprintf(stderr, "\r[%s%s] %3.0f%%  %llu records  %.0f/s  ETA %s\033[K",
                   std::string(filled, '#').c_str(),
                   std::string(kWidth - filled, '.').c_str(), done * 100,
                   static_cast<unsigned long long>(progress.records), rate,
                   Duration(eta).c_str());
    } else {
      std::fprintf(stderr, "\r%llu records  %.0f/s\033[K",
                   static_cast<unsigned long long>(progress.records), rate);
    }
    std::fflush(stderr);
  }

  void Clear() {
    if (shown_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  static constexpr int kWidth = 24;
  static constexpr auto kInterval = std::chrono::milliseconds(100);

  static std::string Duration(double seconds) {
    const long total = static_cast<long>(seconds + 0.5);
    char text[32];
    std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
    return text;
  }

  std::chrono::steady_clock::time_point last_;
  bool shown_ = false;
};

// Runs `parse`, naming `flag` in the library's error about its value.
template <typename Parse>
void WithFlag(const char* flag, Parse&& parse) {
  try {
    parse();
  } catch (const tim::Error& e) {
    throw tim::Error(e.code(), std::string(flag) + ": " + e.what());
  }
}

struct Options {
  std::string db = "index";
  bool json = false;
  // ingest
  std::vector<std::string> paths;
  std::string default_source;
  bool skip_bad = false;
  std::string invalid_utf8 = "error";
  bool dedupe = false;
  size_t commit_every = 0;
  unsigned jobs = 0;
  // delete
  std::vector<std::string> ids;
  bool missing_ok = false;
  // search and similar
  std::vector<std::string> query_words;
  tim::SearchRequest request;
  std::string from, to, facets = "source,year,month", sort = "relevance", match = "auto";
  std::vector<std::string> filters;  // "facet=value"
  std::string batch;                 // file of queries, "-" for stdin
  // show
  std::string id;
};

void AddDbOption(CLI::App* command, Options* options) {
  command->add_option("--db", options->db, "Database directory")
      ->envname("TIM_DB")
      ->capture_default_str();
}

void AddSearchOptions(CLI::App* command, Options* options) {
  tim::SearchRequest& request = options->request;
  AddDbOption(command, options);
  command->add_flag("--json", options->json, "Print one JSON object");
  command->add_option("--limit", request.limit, "Results to return")
      ->capture_default_str();
  command->add_option("--offset", request.offset, "Results to skip (pagination)")
      ->capture_default_str();
  // Each repeatable option takes one value per occurrence, so that what
  // follows is still the query.
  command->add_option("--source", request.sources,
                      "Keep only this publisher (repeatable: any of them)")
      ->allow_extra_args(false);
  command->add_option("--filter", options->filters,
                      "Keep only articles with FACET=VALUE, e.g. cites=Reuters, "
                      "year=2025 (repeatable: OR within a facet, AND across)")
      ->allow_extra_args(false);
  command->add_option("--from", options->from,
                      "Keep articles dated on or after (YYYY[-MM[-DD]])");
  command->add_option("--to", options->to,
                      "Keep articles dated on or before (YYYY[-MM[-DD]])");
  command->add_option("--facets", options->facets,
                      "Facets to count: any of source,category,cites,"
                      "date_kind,year,month,day, or none")
      ->capture_default_str();
  command->add_flag("--inferred-dates", request.with_inferred_dates,
                    "Let date filters and facets use dates read from the text "
                    "of articles whose metadata has none");
  command->add_option("--facet-limit", request.facet_limit,
                      "Show at most N values per facet, the rest as 'other'");
  command->add_option("--sort", options->sort,
                      "relevance, date (newest first) or -date (oldest first)")
      ->capture_default_str();
  command->add_option("--match", options->match,
                      "all (every word), any (most words, ranked) or auto "
                      "(every word, else most)")
      ->capture_default_str();
  command->add_option("--recency", request.recency_half_life_days,
                      "Boost newer articles: half-life in days (0: off)");
  command->add_option("--recency-weight", request.recency_weight,
                      "Largest score a recency boost adds")
      ->capture_default_str();
  command->add_flag("!--no-suggest", request.suggest_accents,
                    "Do not propose (and rank by) accents for a query typed "
                    "without any");
  command->add_option("--bm25-k1", request.bm25_k1, "BM25 k1")->capture_default_str();
  command->add_option("--bm25-b", request.bm25_b, "BM25 b")->capture_default_str();
}

int RunIngest(const Options& options) {
  tim::IngestOptions ingest;
  ingest.default_source = options.default_source;
  ingest.skip_bad_records = options.skip_bad;
  WithFlag("--invalid-utf8", [&] {
    ingest.invalid_utf8 = tim::ParseInvalidUtf8(options.invalid_utf8);
  });
  ingest.dedupe = options.dedupe;
  ingest.commit_every = options.commit_every;
  ingest.jobs = options.jobs;
  ProgressBar bar;
  if (ProgressBar::Wanted()) {
    ingest.on_progress = [&bar](const tim::IngestProgress& progress) {
      bar.Update(progress);
    };
  }
  tim::IngestReport report;
  try {
    report = tim::IngestPaths(options.db, options.paths, ingest);
  } catch (...) {
    bar.Clear();
    throw;
  }
  bar.Clear();
  if (options.json) {
    std::cout << tim::ToJson(report) << "\n";
  } else {
    PrintIngest(report);
  }
  return 0;
}

// Deletes like rm: what exists goes (in one atomic commit), each id that
// does not is named, and the exit code says so unless --missing-ok.
int RunDelete(const Options& options) {
  const tim::DeleteReport report = tim::DeleteArticles(options.db, options.ids);
  if (options.json) {
    std::cout << tim::ToJson(report) << "\n";
  } else {
    std::printf("deleted %zu, not found %zu\n", report.deleted.size(),
                report.not_found.size());
  }
  if (report.not_found.empty() || options.missing_ok) return 0;
  std::cerr << "tim: error: no article with id '"
            << Join(report.not_found, "', '") << "' in " << options.db
            << "\n";
  return kExitFailure;
}

// Fills options.request from the options that are not already bound to it.
void PrepareRequest(Options& options) {
  tim::SearchRequest& request = options.request;
  request.query = Join(options.query_words, " ");
  if (!options.from.empty()) request.from = tim::ParseDate(options.from);
  if (!options.to.empty()) request.to = tim::ParseDate(options.to);
  request.facets = tim::ParseFacetList(options.facets);
  WithFlag("--sort", [&] { request.sort = tim::ParseSortOrder(options.sort); });
  WithFlag("--match", [&] { request.match = tim::ParseMatchMode(options.match); });
  WithFlag("--filter", [&] {
    for (const std::string& filter : options.filters) {
      tim::AddFacetFilter(filter, &request);
    }
  });
}

void PrintResponse(const tim::SearchResponse& response, bool json) {
  if (json) {
    std::cout << tim::ToJson(response) << "\n";
  } else {
    PrintSearch(response);
  }
}

// One query per line in, one JSON object per line out. A query that fails
// yields {"query": ..., "error": ...} and the batch goes on; the exit code
// then says that something failed.
int RunBatch(const tim::Searcher& searcher, tim::SearchRequest request,
             const std::string& path) {
  std::ifstream file;
  if (path != "-") {
    file.open(path);
    if (!file) {
      throw tim::Error(tim::ErrorCode::kNotFound, "cannot read query file " + path);
    }
  }
  std::istream& in = path == "-" ? std::cin : file;
  int status = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    request.query = line;
    try {
      std::cout << tim::ToJson(searcher.Search(request)) << "\n";
    } catch (const tim::Error& e) {
      std::cout << tim::ErrorJson(line, e) << "\n";
      status = kExitFailure;
    }
  }
  return status;
}

int RunSearch(Options& options) {
  PrepareRequest(options);
  const tim::Searcher searcher(options.db);
  if (!options.batch.empty()) return RunBatch(searcher, options.request, options.batch);
  PrintResponse(searcher.Search(options.request), options.json);
  return 0;
}

int RunSimilar(Options& options) {
  PrepareRequest(options);
  const tim::Searcher searcher(options.db);
  PrintResponse(searcher.Similar(options.id, options.request), options.json);
  return 0;
}

int RunStats(const Options& options) {
  const tim::Searcher searcher(options.db);
  const tim::DatabaseStats stats = searcher.Stats();
  if (options.json) {
    std::cout << tim::ToJson(stats) << "\n";
  } else {
    PrintStats(stats);
  }
  return 0;
}

int RunShow(const Options& options) {
  const tim::Searcher searcher(options.db);
  const std::optional<tim::Article> article = searcher.Get(options.id);
  if (!article) {
    throw tim::Error(tim::ErrorCode::kNotFound,
                     "no article with id '" + options.id + "' in " + options.db);
  }
  if (options.json) {
    std::cout << tim::ToJson(*article) << "\n";
  } else {
    std::cout << article->title << "\n"
              << article->source << " · "
              << (article->date ? article->date->ToString() : "undated")
              << " · " << article->id << "\n\n"
              << article->body << "\n";
  }
  return 0;
}

// `tim serve`: its options, read into `serve` (src/server/server.h).
CLI::App* AddServeCommand(CLI::App& app, tim::server::ServeOptions* serve) {
  CLI::App* command =
      app.add_subcommand("serve", "Serve a JSON HTTP API and a search page");
  command->add_option("--db", serve->db, "Database directory")
      ->envname("TIM_DB")
      ->capture_default_str();
  command->add_option("--host", serve->host, "Address to listen on")
      ->capture_default_str();
  command->add_option("--port", serve->port, "Port (0: any free one)")
      ->capture_default_str();
  command->add_option("--threads", serve->threads, "Connections served at once")
      ->capture_default_str();
  command->add_flag("--allow-writes", serve->allow_writes,
                    "Accept POST /api/ingest and DELETE /api/articles/ID");
  command->add_flag("--quiet", serve->quiet, "No access log on stderr");
  command->add_option("--timeout", serve->limits.request_timeout_seconds,
                      "Seconds to receive a request body, and for a batch")
      ->capture_default_str();
  command->add_option("--idle-timeout", serve->limits.idle_timeout_seconds,
                      "Seconds a read or write may stall")
      ->capture_default_str();
  return command;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tim: full-text search for Vietnamese news"};
  app.require_subcommand(1);
  Options options;

  CLI::App* ingest = app.add_subcommand("ingest", "Add articles to a database");
  AddDbOption(ingest, &options);
  ingest->add_option("--source", options.default_source,
                     "Publisher for articles whose metadata names none");
  ingest->add_flag("--skip-bad", options.skip_bad,
                   "Skip malformed records (and report them) instead of "
                   "aborting the batch");
  ingest->add_option("--invalid-utf8", options.invalid_utf8,
                     "A record with invalid UTF-8: error (a bad record), "
                     "skip it, or repair it (bad bytes become U+FFFD)")
      ->capture_default_str();
  ingest->add_flag("--dedupe", options.dedupe,
                   "Skip articles whose body is already indexed under "
                   "another id (without it they are indexed and counted)");
  ingest->add_option("--commit-every", options.commit_every,
                     "Commit after every N articles instead of once, so an "
                     "interrupted batch keeps its finished steps");
  ingest->add_option("--jobs", options.jobs,
                     "Threads that analyse and index (default: one per core)");
  ingest->add_flag("--json", options.json, "Print the report as JSON");
  ingest->add_option("PATH", options.paths,
                     "Seed text files, .jsonl or .jsonl.gz files, "
                     "directories, or - for JSON Lines on stdin")
      ->required();

  CLI::App* remove =
      app.add_subcommand("delete", "Remove articles from a database");
  AddDbOption(remove, &options);
  remove->add_flag("--missing-ok", options.missing_ok,
                   "Exit 0 even if some ids have no article");
  remove->add_flag("--json", options.json, "Print the report as JSON");
  remove->add_option("ID", options.ids, "Article ids")->required();

  CLI::App* search = app.add_subcommand("search", "Search a database");
  AddSearchOptions(search, &options);
  search->add_flag("--strict", options.request.strict_syntax,
                   "Reject a query with a syntax error instead of searching "
                   "its words");
  search->add_option("--batch", options.batch,
                     "Run each line of FILE (- for stdin) as a query; print "
                     "one JSON object per line");
  search->add_option("QUERY", options.query_words, "Query words");

  CLI::App* similar = app.add_subcommand("similar", "Articles like a given one");
  AddSearchOptions(similar, &options);
  similar->add_option("ID", options.id, "Article id")->required();

  CLI::App* stats = app.add_subcommand("stats", "Describe a database");
  AddDbOption(stats, &options);
  stats->add_flag("--json", options.json, "Print one JSON object");

  CLI::App* show = app.add_subcommand("show", "Print a stored article");
  AddDbOption(show, &options);
  show->add_flag("--json", options.json, "Print one JSON object");
  show->add_option("ID", options.id, "Article id")->required();

  tim::server::ServeOptions serve_options;
  CLI::App* serve = AddServeCommand(app, &serve_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (*ingest) return RunIngest(options);
    if (*remove) return RunDelete(options);
    if (*search) return RunSearch(options);
    if (*similar) return RunSimilar(options);
    if (*stats) return RunStats(options);
    if (*show) return RunShow(options);
    if (*serve) return tim::server::Serve(serve_options);
  } catch (const tim::Error& e) {
    std::cerr << "tim: error: " << e.what() << "\n";
    return e.code() == tim::ErrorCode::kInvalidArgument ? kExitUsage
                                                        : kExitFailure;
  } catch (const std::exception& e) {
    std::cerr << "tim: internal error: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitFailure;
}
