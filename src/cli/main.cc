// tim: the command-line shell over the tim library. It parses arguments
// (options.cc), calls the library and prints (commands.cc, print.cc); every
// behaviour lives in the library.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "cli/options.h"
#include "server/server.h"
#include "tim/display.h"
#include "tim/error.h"
#include "tim/index_writer.h"
#include "tim/version.h"

namespace {

using namespace tim::cli;

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
  tim::TuneProcessForIngest();  // before any thread
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
  ingest->add_option("--changesets", options.changesets,
                     "Keep the changesets of the last N commits so that "
                     "replicas (xapian-replicate) update incrementally; "
                     "recorded in the database for later writers; 0 stops");
  ingest->add_option("--shards", options.shards,
                     "Make a new database of N shards, each article in the "
                     "one its id hashes to (see README, Shards)");
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
