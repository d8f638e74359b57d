// tim_equivalence: do several databases of the same articles answer alike?
//
// Runs the same searches on every database given (one database, the same
// articles in shards, a replica) and compares the whole JSON answers with
// the first database's: hits and their order, scores to 1e-9 relative
// (Xapian may add a score's parts in another order), totals, facets,
// suggestions, snippets and warnings; then the similar articles of the
// first searches' top hits. Used by the shards and replica tests and by
// the scale benchmark (benchmarks/scale/run.py).
//
//   tim_equivalence [--searches FILE]... [--mix FILE] [--similar N] DB DB...
//
// The searches: every line of each --searches file (JSON objects of
// request parameters, as the server's batch takes them; default
// tests/equivalence/searches.jsonl: the README's examples, filters, sorts,
// deep pages, questions), then every query of the latency benchmark's mix
// (--mix, default benchmarks/latency/queries-v1.tsv) with its options, and
// again sorted by date, oldest first on page 3, and on page 5.
//
// Prints one line per difference and a summary; exits 0 when every answer
// is the same, 1 when one differs, 2 on an error.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "tim/error.h"
#include "tim/json.h"
#include "tim/request_params.h"
#include "tim/searcher.h"

namespace {

using nlohmann::json;
using tim::Params;

struct Search {
  std::string label;  // how the report names it
  Params params;
};

std::vector<Search> ReadSearches(const std::string& path) {
  std::ifstream in(path);
  if (!in || !std::filesystem::is_regular_file(path)) {
    throw std::runtime_error("cannot read " + path);
  }
  std::vector<Search> searches;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) searches.push_back({line, tim::ParamsFromJson(line)});
  }
  return searches;
}

// The mix's options ("from=2016-01-01;to=2016-12-31", "sort=newest",
// "facets") as request parameters; "facets" asks for the default facets.
Params MixOptions(const std::string& options) {
  Params params;
  std::istringstream fields(options);
  for (std::string option; std::getline(fields, option, ';');) {
    const size_t equals = option.find('=');
    if (equals == std::string::npos) continue;
    std::string name = option.substr(0, equals), value = option.substr(equals + 1);
    if (name == "sort" && value == "newest") value = "date";
    params.emplace_back(std::move(name), std::move(value));
  }
  return params;
}

// Every query of the latency mix (class, query, options; '#' comments and
// '@class' lines skipped), as given and in three more orders and pages.
std::vector<Search> MixSearches(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  const std::vector<Params> variations = {
      {}, {{"sort", "date"}}, {{"sort", "-date"}, {"offset", "20"}}, {{"offset", "40"}}};
  std::vector<Search> searches;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#' || line[0] == '@') continue;
    std::vector<std::string> columns;
    std::istringstream fields(line);
    for (std::string column; std::getline(fields, column, '\t');) columns.push_back(column);
    if (columns.size() < 2) continue;
    for (const Params& variation : variations) {
      Params params = {{"q", columns[1]}};
      for (const auto& option : MixOptions(columns.size() > 2 ? columns[2] : "")) {
        if (std::none_of(variation.begin(), variation.end(),
                         [&](const auto& v) { return v.first == option.first; })) {
          params.push_back(option);
        }
      }
      params.insert(params.end(), variation.begin(), variation.end());
      std::string label = columns[0] + ":";
      for (const auto& [name, value] : params) label += " " + name + "=" + value;
      searches.push_back({label, params});
    }
  }
  return searches;
}

// The answer as `tim search --json` prints it, without its timing; an
// error answers {"error": message}.
json Answer(const std::function<tim::SearchResponse()>& run) {
  try {
    json answer = json::parse(tim::ToJson(run()));
    answer.erase("took_ms");
    return answer;
  } catch (const tim::Error& error) {
    return json{{"error", error.what()}};
  }
}

// Where `a` and `b` first differ ("/hits/3/id"), or "" if nowhere.
// Numbers are equal to 1e-9 relative.
std::string FirstDifference(const json& a, const json& b, const std::string& path = "") {
  if (a.is_number() && b.is_number()) {
    const double x = a.get<double>(), y = b.get<double>();
    const bool equal = std::abs(x - y) <= 1e-9 * std::max({1.0, std::abs(x), std::abs(y)});
    return equal ? "" : path;
  }
  if (a.type() != b.type() || a.size() != b.size()) return path.empty() ? "/" : path;
  if (a.is_object()) {
    for (const auto& [key, value] : a.items()) {
      if (!b.contains(key)) return path + "/" + key;
      std::string where = FirstDifference(value, b[key], path + "/" + key);
      if (!where.empty()) return where;
    }
    return "";
  }
  if (a.is_array()) {
    for (size_t i = 0; i < a.size(); ++i) {
      std::string where = FirstDifference(a[i], b[i], path + "/" + std::to_string(i));
      if (!where.empty()) return where;
    }
    return "";
  }
  return a == b ? "" : (path.empty() ? "/" : path);
}

class Checker {
 public:
  explicit Checker(const std::vector<std::string>& paths) : paths_(paths) {
    for (const std::string& path : paths) {
      searchers_.push_back(std::make_unique<tim::Searcher>(path));
    }
  }

  // Runs `run` on every database; returns the first's answer.
  json Compare(const std::string& label,
               const std::function<tim::SearchResponse(const tim::Searcher&)>& run) {
    ++compared_;
    const json first = Answer([&] { return run(*searchers_[0]); });
    for (size_t i = 1; i < searchers_.size(); ++i) {
      const json other = Answer([&] { return run(*searchers_[i]); });
      const std::string where = FirstDifference(first, other);
      if (where.empty()) continue;
      ++differences_;
      std::cout << "DIFFERS " << label << "\n  at " << where << ": " << paths_[0] << " "
                << Excerpt(first, where) << "\n  " << paths_[i] << " " << Excerpt(other, where)
                << "\n";
    }
    return first;
  }

  size_t compared() const { return compared_; }
  size_t differences() const { return differences_; }

 private:
  static std::string Excerpt(const json& answer, const std::string& where) {
    const json::json_pointer pointer(where == "/" ? "" : where);
    const std::string text = answer.contains(pointer) ? answer.at(pointer).dump() : "(absent)";
    return text.substr(0, 300);
  }

  std::vector<std::string> paths_;
  std::vector<std::unique_ptr<tim::Searcher>> searchers_;
  size_t compared_ = 0;
  size_t differences_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Compare the JSON answers of databases of the same articles"};
  std::vector<std::string> search_files = {TIM_SOURCE_DIR "/tests/equivalence/searches.jsonl"};
  std::string mix = TIM_SOURCE_DIR "/benchmarks/latency/queries-v1.tsv";
  size_t similar = 10;
  std::vector<std::string> databases;
  app.add_option("--searches", search_files, "JSON Lines of request parameters (repeatable)")
      ->allow_extra_args(false)
      ->capture_default_str();
  app.add_option("--mix", mix, "The latency mix (TSV); empty: none")->capture_default_str();
  app.add_option("--similar", similar, "Compare the similar articles of the first N top hits")
      ->capture_default_str();
  app.add_option("databases", databases, "Databases: the first is the reference")
      ->required()
      ->expected(2, -1);
  CLI11_PARSE(app, argc, argv);
  try {
    std::vector<Search> searches;
    for (const std::string& file : search_files) {
      for (Search& search : ReadSearches(file)) searches.push_back(std::move(search));
    }
    if (!mix.empty()) {
      for (Search& search : MixSearches(mix)) searches.push_back(std::move(search));
    }
    Checker checker(databases);
    std::vector<std::string> top_hits;
    for (const Search& search : searches) {
      const tim::SearchRequest request = tim::SearchRequestFromParams(search.params);
      const json first = checker.Compare(
          search.label, [&](const tim::Searcher& searcher) { return searcher.Search(request); });
      if (top_hits.size() < similar && first.contains("hits") && !first["hits"].empty()) {
        top_hits.push_back(first["hits"][0]["id"]);
      }
    }
    for (const std::string& id : top_hits) {
      checker.Compare("similar:" + id, [&](const tim::Searcher& searcher) {
        return searcher.Similar(id, tim::SearchRequest{});
      });
    }
    std::cout << "equivalence: " << checker.compared() << " answers on " << databases.size()
              << " databases: "
              << (checker.differences() ? std::to_string(checker.differences()) + " differ"
                                        : std::string("all identical"))
              << "\n";
    return checker.differences() ? 1 : 0;
  } catch (const std::exception& error) {
    std::cerr << "tim_equivalence: " << error.what() << "\n";
    return 2;
  }
}
