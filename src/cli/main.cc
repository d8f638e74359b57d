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

#include "cli/print.h"
#include "cli/progress.h"
#include "server/server.h"
#include "tim/display.h"
#include "tim/error.h"
#include "tim/index_writer.h"
#include "tim/json.h"
#include "tim/request_params.h"
#include "tim/searcher.h"
#include "tim/version.h"

namespace {

using tim::cli::CsvRecord;
using tim::cli::Join;
using tim::cli::PrintIngest;
using tim::cli::PrintSearch;
using tim::cli::PrintStats;
using tim::cli::ProgressBar;
using tim::cli::Style;
using tim::cli::UseColour;

// Exit codes: 1 for a failure, 2 for a bad command line or argument.
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

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
  std::string color = "auto";
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
  // export
  std::string format = "jsonl";
  std::string fields = "id,date,source,category,title,url";
  bool bom = false;
};

void AddDbOption(CLI::App* command, Options* options) {
  command->add_option("--db", options->db, "Database directory")
      ->envname("TIM_DB")
      ->capture_default_str();
}

// Which articles: the options of search, similar and export.
void AddFilterOptions(CLI::App* command, Options* options) {
  tim::SearchRequest& request = options->request;
  AddDbOption(command, options);
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
  command->add_flag("--inferred-dates", request.with_inferred_dates,
                    "Let date filters and facets use dates read from the text "
                    "of articles whose metadata has none");
}

// Which articles, and which of them to show how: search and similar.
void AddSearchOptions(CLI::App* command, Options* options) {
  tim::SearchRequest& request = options->request;
  AddFilterOptions(command, options);
  command->add_flag("--json", options->json, "Print one JSON object");
  command->add_option("--limit", request.limit, "Results to return")
      ->capture_default_str();
  command->add_option("--offset", request.offset, "Results to skip (pagination)")
      ->capture_default_str();
  command->add_option("--facets", options->facets,
                      "Facets to count: any of source,category,cites,"
                      "date_kind,year,month,day, or none")
      ->capture_default_str();
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
            << tim::DisplayText(Join(report.not_found, "', '")) << "' in "
            << tim::DisplayText(options.db)
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

void PrintResponse(const tim::SearchResponse& response, const Options& options) {
  if (options.json) {
    std::cout << tim::ToJson(response) << "\n";
  } else {
    PrintSearch(response, Style{UseColour(options.color)});
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
  PrintResponse(searcher.Search(options.request), options);
  return 0;
}

// Every match of the query, streamed: a CSV header and a record per
// article, or a JSON object per line.
int RunExport(Options& options) {
  PrepareRequest(options);
  std::vector<std::string> fields;
  WithFlag("--fields", [&] { fields = tim::ParseArticleFields(options.fields); });
  const bool csv = options.format == "csv";
  if (options.bom && !csv) {
    throw tim::Error(tim::ErrorCode::kInvalidArgument, "--bom: only for --format csv");
  }
  const tim::Searcher searcher(options.db);
  // A UTF-8 byte order mark tells Excel the file is UTF-8.
  if (options.bom) std::cout << "\xEF\xBB\xBF";
  if (csv) std::cout << CsvRecord(fields);
  std::vector<std::string> values(fields.size());
  searcher.ForEachMatch(options.request, [&](const tim::Article& article) {
    if (csv) {
      for (size_t i = 0; i < fields.size(); ++i) {
        values[i] = tim::ArticleFieldText(article, fields[i]);
      }
      std::cout << CsvRecord(values);
    } else {
      std::cout << tim::ToJson(article, fields) << "\n";
    }
    return static_cast<bool>(std::cout);
  });
  std::cout.flush();
  if (!std::cout) throw tim::Error(tim::ErrorCode::kIo, "writing the export failed");
  return 0;
}

int RunSimilar(Options& options) {
  PrepareRequest(options);
  const tim::Searcher searcher(options.db);
  PrintResponse(searcher.Similar(options.id, options.request), options);
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
    std::cout << tim::DisplayText(article->title) << "\n"
              << tim::DisplayText(article->source) << " · "
              << (article->date ? article->date->ToString() : "undated")
              << " · " << tim::DisplayText(article->id) << "\n\n"
              << tim::DisplayText(article->body, tim::DisplayLines::kKeep) << "\n";
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

std::string VersionText() {
  const tim::RuntimeVersions versions = tim::Versions();
  return "tim " + versions.library + "\nschema " + std::to_string(versions.schema) +
         "\nXapian " + versions.xapian + "\nICU " + versions.icu;
}

// CLI11 reports a bad command line in its own words and exit codes; tim
// says `tim: error: ...` on one line and exits 2, as for any bad argument.
int ExitForParseError(const CLI::App& app, const CLI::ParseError& error) {
  if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
    return app.exit(error);  // --help, --version
  }
  std::string message = error.what();
  std::replace(message.begin(), message.end(), '\n', ' ');
  std::cerr << "tim: error: " << message << " (see tim --help)\n";
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  // Named here so that usage lines say `tim`, not the path it was run by.
  CLI::App app{"tim: full-text search for Vietnamese news", "tim"};
  app.require_subcommand(1);
  // Options of the main command (--color) may follow the subcommand too.
  app.fallthrough();
  app.set_version_flag("--version", VersionText(),
                       "Print the versions of tim, its database schema, Xapian and ICU");
  Options options;
  app.add_option("--color", options.color,
                 "Colour the output: auto (a terminal, unless NO_COLOR is set), "
                 "always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();

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

  CLI::App* export_command = app.add_subcommand(
      "export", "Write every match of a query, in index order, as CSV or JSON Lines");
  AddFilterOptions(export_command, &options);
  export_command->add_flag("--strict", options.request.strict_syntax,
                           "Reject a query with a syntax error instead of "
                           "searching its words");
  export_command->add_option("--format", options.format, "jsonl or csv (RFC 4180, UTF-8)")
      ->check(CLI::IsMember({"jsonl", "csv"}))
      ->capture_default_str();
  export_command->add_option("--fields", options.fields,
                             "Article fields, in order: any of id,url,title,source,"
                             "category,date,date_inferred,body, or all")
      ->capture_default_str();
  export_command->add_flag("--bom", options.bom,
                           "Start the CSV with a UTF-8 byte order mark (for Excel)");
  export_command->add_option("QUERY", options.query_words, "Query words (none: every article)");

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
    return ExitForParseError(app, e);
  }
  try {
    if (*ingest) return RunIngest(options);
    if (*remove) return RunDelete(options);
    if (*search) return RunSearch(options);
    if (*export_command) return RunExport(options);
    if (*similar) return RunSimilar(options);
    if (*stats) return RunStats(options);
    if (*show) return RunShow(options);
    if (*serve) return tim::server::Serve(serve_options);
  } catch (const tim::Error& e) {
    std::cerr << "tim: error: " << tim::DisplayText(e.what()) << "\n";
    return e.code() == tim::ErrorCode::kInvalidArgument ? kExitUsage
                                                        : kExitFailure;
  } catch (const std::exception& e) {
    std::cerr << "tim: internal error: " << tim::DisplayText(e.what()) << "\n";
    return kExitFailure;
  }
  return kExitFailure;
}
