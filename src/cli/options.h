// options.h: the command line of `tim`: what each subcommand takes
// (CLI11 options and flags), read into one Options.
#ifndef TIM_SRC_CLI_OPTIONS_H_
#define TIM_SRC_CLI_OPTIONS_H_

#include <CLI/CLI.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "server/server.h"
#include "tim/searcher.h"

namespace tim::cli {

// Exit codes: 1 for a failure, 2 for a bad command line or argument.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

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
  std::optional<unsigned> changesets;
  unsigned shards = 0;
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

// --db (or $TIM_DB).
void AddDbOption(CLI::App* command, Options* options);
// Which articles: the options of search, similar and export.
void AddFilterOptions(CLI::App* command, Options* options);
// Which articles, and which of them to show how: search and similar.
void AddSearchOptions(CLI::App* command, Options* options);
// `tim serve`: its options, read into `serve` (src/server/server.h).
CLI::App* AddServeCommand(CLI::App& app, tim::server::ServeOptions* serve);

}  // namespace tim::cli

#endif  // TIM_SRC_CLI_OPTIONS_H_
