#include "cli/print.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "tim/display.h"
#include "tim/version.h"

namespace tim::cli {

bool UseColour(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  return isatty(STDOUT_FILENO) && (no_color == nullptr || *no_color == '\0');
}

static std::string Highlighted(const HighlightedText& text, const Style& style) {
  std::string out;
  size_t done = 0;
  for (const auto& [begin, end] : text.highlights) {
    out += tim::DisplayText(text.text.substr(done, begin - done));
    out += style.mark() + tim::DisplayText(text.text.substr(begin, end - begin)) +
           style.reset();
    done = end;
  }
  return out + tim::DisplayText(text.text.substr(done));
}

std::string Join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

static std::string FacetLine(const std::vector<FacetValue>& values) {
  std::vector<std::string> parts;
  for (const FacetValue& value : values) {
    parts.push_back(tim::DisplayText(value.value) + " (" + std::to_string(value.count) + ")");
  }
  return parts.empty() ? "-" : Join(parts, ", ");
}

void PrintSearch(const SearchResponse& response, const Style& style) {
  for (const std::string& warning : response.warnings) {
    std::cerr << "tim: warning: " << tim::DisplayText(warning) << "\n";
  }
  std::printf("%llu results for \"%s\" (%.1f ms)\n",
              static_cast<unsigned long long>(response.total),
              tim::DisplayText(response.query).c_str(), response.took_ms);
  if (response.suggestion) {
    std::cout << "Did you mean: " << style.bold() << tim::DisplayText(*response.suggestion)
              << style.reset() << " (ranked first)\n";
  }
  if (response.relaxed) {
    std::cout << "Relaxed match: showing the articles with most of the query's words\n";
  }
  for (const Hit& hit : response.hits) {
    std::cout << "\n" << hit.rank << ". " << style.bold() << tim::DisplayText(hit.title)
              << style.reset() << "\n   " << style.dim() << tim::DisplayText(hit.source) << " · "
              << (hit.date ? hit.date->ToString() : "undated")
              << (hit.date_inferred ? " (from the text)" : "") << " · " << tim::DisplayText(hit.id) << style.reset() << "\n   "
              << Highlighted(hit.snippet, style) << "\n";
  }
  if (!response.facets.empty()) std::cout << "\n";
  for (const Facet& facet : response.facets) {
    std::cout << style.bold() << facet.name << ":" << style.reset() << " "
              << FacetLine(facet.values) << "\n";
  }
}

static std::string SchemaLine(int schema_version) {
  const int current = Versions().schema;
  if (schema_version == current) return std::to_string(current);
  return (schema_version == 0 ? std::string("unrecorded")
                              : std::to_string(schema_version)) +
         " (this tim writes " + std::to_string(current) +
         ": ingest into a new database)";
}

void PrintStats(const DatabaseStats& stats) {
  std::cout << "database:  " << tim::DisplayText(stats.path) << "\n"
            << "articles:  " << stats.documents << "\n"
            << "dates:     "
            << (stats.earliest ? stats.earliest->ToString() + " to " +
                                     stats.latest->ToString()
                               : std::string("none"))
            << " (" << stats.undated << " undated)\n"
            << "size:      " << stats.size_bytes / 1024 << " KiB\n"
            << "schema:    " << SchemaLine(stats.schema_version) << "\n"
            << (stats.changesets ? "replicas:  changesets of the last " +
                                       std::to_string(stats.changesets) + " commits kept\n"
                                 : std::string())
            << "sources:   " << FacetLine(stats.sources) << "\n";
}

void PrintIngest(const IngestReport& report) {
  for (const std::string& warning : report.warnings) {
    std::cerr << "tim: warning: " << tim::DisplayText(warning) << "\n";
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

// A CSV field per RFC 4180: quoted when it holds a comma, a quote or a
// line break, its quotes doubled.
static std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  return quoted + "\"";
}

std::string CsvRecord(const std::vector<std::string>& fields) {
  std::string record;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) record += ',';
    record += CsvField(fields[i]);
  }
  return record + "\r\n";
}

}  // namespace tim::cli
