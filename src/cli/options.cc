#include "cli/options.h"

namespace tim::cli {

void AddDbOption(CLI::App* command, Options* options) {
  command->add_option("--db", options->db, "Database directory")
      ->envname("TIM_DB")
      ->capture_default_str();
}

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

}  // namespace tim::cli
