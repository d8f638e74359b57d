// tim: the command-line shell over the tim library. It parses arguments,
// calls the library and prints; every behaviour lives in the library.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "tim/error.h"
#include "tim/index_writer.h"
#include "tim/json.h"
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
  for (const tim::Hit& hit : response.hits) {
    std::cout << "\n" << hit.rank << ". " << style.bold() << hit.title
              << style.reset() << "\n   " << style.dim() << hit.source << " · "
              << (hit.date ? hit.date->ToString() : "undated") << " · "
              << hit.id << style.reset() << "\n   "
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
    std::cerr << "tim: skipped: " << warning << "\n";
  }
  std::printf(
      "added %zu, replaced %zu, unchanged %zu, skipped %zu in %.2f s\n",
      report.added, report.replaced, report.unchanged, report.skipped,
      report.elapsed_seconds);
}

tim::SortOrder ParseSort(const std::string& name) {
  if (name == "relevance") return tim::SortOrder::kRelevance;
  if (name == "date" || name == "newest") return tim::SortOrder::kNewestFirst;
  if (name == "-date" || name == "oldest") return tim::SortOrder::kOldestFirst;
  throw tim::Error(tim::ErrorCode::kInvalidArgument,
                   "--sort must be relevance, date (newest first) or -date "
                   "(oldest first), not '" + name + "'");
}

std::vector<std::string> ParseFacets(const std::string& list) {
  std::vector<std::string> facets;
  if (list == "none") return facets;
  std::stringstream stream(list);
  for (std::string facet; std::getline(stream, facet, ',');) {
    if (!facet.empty()) facets.push_back(facet);
  }
  return facets;
}

struct Options {
  std::string db = "index";
  bool json = false;
  // ingest
  std::vector<std::string> paths;
  std::string default_source;
  bool skip_bad = false;
  // search and similar
  std::vector<std::string> query_words;
  tim::SearchRequest request;
  std::string from, to, facets = "source,year,month", sort = "relevance";
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
                      "Facets to count: any of source,category,cites,year,"
                      "month,day, or none")
      ->capture_default_str();
  command->add_option("--facet-limit", request.facet_limit,
                      "Show at most N values per facet, the rest as 'other'");
  command->add_option("--sort", options->sort,
                      "relevance, date (newest first) or -date (oldest first)")
      ->capture_default_str();
  command->add_option("--recency", request.recency_half_life_days,
                      "Boost newer articles: half-life in days (0: off)");
  command->add_option("--recency-weight", request.recency_weight,
                      "Largest score a recency boost adds")
      ->capture_default_str();
  command->add_option("--bm25-k1", request.bm25_k1, "BM25 k1")->capture_default_str();
  command->add_option("--bm25-b", request.bm25_b, "BM25 b")->capture_default_str();
}

int RunIngest(const Options& options) {
  tim::IngestOptions ingest;
  ingest.default_source = options.default_source;
  ingest.skip_bad_records = options.skip_bad;
  if (isatty(STDERR_FILENO)) {
    ingest.on_progress = [](size_t read) {
      if (read % 1000 == 0) std::fprintf(stderr, "\r%zu articles read", read);
    };
  }
  const tim::IngestReport report =
      tim::IngestPaths(options.db, options.paths, ingest);
  if (ingest.on_progress && report.articles_read() >= 1000) {
    std::fprintf(stderr, "\n");
  }
  if (options.json) {
    std::cout << tim::ToJson(report) << "\n";
  } else {
    PrintIngest(report);
  }
  return 0;
}

// Fills options.request from the options that are not already bound to it.
void PrepareRequest(Options& options) {
  tim::SearchRequest& request = options.request;
  request.query = Join(options.query_words, " ");
  if (!options.from.empty()) request.from = tim::ParseDate(options.from);
  if (!options.to.empty()) request.to = tim::ParseDate(options.to);
  request.facets = ParseFacets(options.facets);
  request.sort = ParseSort(options.sort);
  for (const std::string& filter : options.filters) {
    const size_t equals = filter.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw tim::Error(tim::ErrorCode::kInvalidArgument,
                       "--filter takes FACET=VALUE (e.g. cites=Reuters), not '" +
                           filter + "'");
    }
    request.facet_filters[filter.substr(0, equals)].push_back(filter.substr(equals + 1));
  }
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
  ingest->add_flag("--json", options.json, "Print the report as JSON");
  ingest->add_option("PATH", options.paths,
                     "Seed text files, .jsonl files or directories")
      ->required();

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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (*ingest) return RunIngest(options);
    if (*search) return RunSearch(options);
    if (*similar) return RunSimilar(options);
    if (*stats) return RunStats(options);
    if (*show) return RunShow(options);
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
