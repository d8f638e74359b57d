#include "cli/commands.h"

#include <unistd.h>

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
#include "tim/display.h"
#include "tim/error.h"
#include "tim/index_writer.h"
#include "tim/json.h"
#include "tim/request_params.h"
#include "tim/searcher.h"

namespace tim::cli {

namespace {

// Runs `parse`, naming `flag` in the library's error about its value.
template <typename Parse>
void WithFlag(const char* flag, Parse&& parse) {
  try {
    parse();
  } catch (const tim::Error& e) {
    throw tim::Error(e.code(), std::string(flag) + ": " + e.what());
  }
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

// What a command did: its JSON with --json, else `print_for_people`.
template <typename Result, typename Print>
void Output(const Options& options, const Result& result, Print print_for_people) {
  if (options.json) {
    std::cout << tim::ToJson(result) << "\n";
  } else {
    print_for_people(result);
  }
}

void PrintResponse(const tim::SearchResponse& response, const Options& options) {
  Output(options, response, [&](const tim::SearchResponse& r) {
    PrintSearch(r, Style{UseColour(options.color)});
  });
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

}  // namespace

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
  ingest.changesets = options.changesets;
  ingest.shards = options.shards;
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
  Output(options, report, PrintIngest);
  return 0;
}

// Deletes like rm: what exists goes (in one atomic commit), each id that
// does not is named, and the exit code says so unless --missing-ok.
int RunDelete(const Options& options) {
  const tim::DeleteReport report = tim::DeleteArticles(options.db, options.ids);
  Output(options, report, [](const tim::DeleteReport& r) {
    std::printf("deleted %zu, not found %zu\n", r.deleted.size(), r.not_found.size());
  });
  if (report.not_found.empty() || options.missing_ok) return 0;
  std::cerr << "tim: error: no article with id '"
            << tim::DisplayText(Join(report.not_found, "', '")) << "' in "
            << tim::DisplayText(options.db)
            << "\n";
  return kExitFailure;
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
  Output(options, searcher.Stats(), PrintStats);
  return 0;
}

int RunShow(const Options& options) {
  const tim::Searcher searcher(options.db);
  const std::optional<tim::Article> article = searcher.Get(options.id);
  if (!article) {
    throw tim::Error(tim::ErrorCode::kNotFound,
                     "no article with id '" + options.id + "' in " + options.db);
  }
  Output(options, *article, [](const tim::Article& a) {
    std::cout << tim::DisplayText(a.title) << "\n"
              << tim::DisplayText(a.source) << " · "
              << (a.date ? a.date->ToString() : "undated") << " · "
              << tim::DisplayText(a.id) << "\n\n"
              << tim::DisplayText(a.body, tim::DisplayLines::kKeep) << "\n";
  });
  return 0;
}

}  // namespace tim::cli
