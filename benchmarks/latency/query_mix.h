// query_mix.h: the versioned query mix (queries-v2.tsv by default, or
// queries-v1.tsv) the latency benchmark runs against every engine.
#ifndef TIM_BENCHMARKS_LATENCY_QUERY_MIX_H_
#define TIM_BENCHMARKS_LATENCY_QUERY_MIX_H_

#include <string>
#include <vector>

#include "engine.h"

namespace tim::bench {

struct QueryClass {
  std::string name;
  std::string description;
};

struct MixQuery {
  BenchQuery query;
  std::string options;  // as written in the file, for reports
};

struct QueryMix {
  std::string file_name;           // "queries-v2.tsv"
  std::vector<QueryClass> classes; // in file order, without cold_start
  std::vector<MixQuery> queries;   // without cold_start
  MixQuery cold_start;

  std::vector<const BenchQuery*> OfClass(const std::string& name) const;
};

// Reads a mix file; throws std::runtime_error naming the line on errors.
QueryMix ReadQueryMix(const std::string& path);

}  // namespace tim::bench

#endif  // TIM_BENCHMARKS_LATENCY_QUERY_MIX_H_
