// print.h: how `tim` prints results for people (colours, facet lines).
#ifndef TIM_SRC_CLI_PRINT_H_
#define TIM_SRC_CLI_PRINT_H_

#include <string>
#include <vector>

#include "tim/index_writer.h"
#include "tim/searcher.h"

namespace tim::cli {

// --color: auto colours a terminal unless NO_COLOR is set to a non-empty
// value (https://no-color.org); always and never override both.
bool UseColour(const std::string& mode);

struct Style {
  bool on;
  std::string bold() const { return on ? "\033[1m" : ""; }
  std::string dim() const { return on ? "\033[2m" : ""; }
  std::string mark() const { return on ? "\033[1;33m" : ""; }
  std::string reset() const { return on ? "\033[0m" : ""; }
};

std::string Join(const std::vector<std::string>& parts, const char* separator);

void PrintSearch(const SearchResponse& response, const Style& style);
void PrintStats(const DatabaseStats& stats);
void PrintIngest(const IngestReport& report);

// A CSV record per RFC 4180: fields holding a comma, a quote or a line
// break quoted, their quotes doubled; ended by CRLF.
std::string CsvRecord(const std::vector<std::string>& fields);

}  // namespace tim::cli

#endif  // TIM_SRC_CLI_PRINT_H_
