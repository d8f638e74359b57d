#include "query_mix.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace tim::bench {

namespace {

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

void ApplyOption(const std::string& option, BenchQuery* query) {
  const size_t equals = option.find('=');
  const std::string key = option.substr(0, equals);
  const std::string value = equals == std::string::npos ? "" : option.substr(equals + 1);
  if (key == "facets" && value.empty()) {
    query->facets = true;
  } else if (key == "source") {
    query->source = value;
  } else if (key == "from") {
    query->from = value;
  } else if (key == "to") {
    query->to = value;
  } else if (key == "sort" && value == "newest") {
    query->newest_first = true;
  } else if (key == "offset") {
    query->offset = std::stoul(value);
  } else {
    throw std::invalid_argument("unknown option '" + option + "'");
  }
}

}  // namespace

std::vector<const BenchQuery*> QueryMix::OfClass(const std::string& name) const {
  std::vector<const BenchQuery*> out;
  for (const MixQuery& mix_query : queries) {
    if (mix_query.query.query_class == name) out.push_back(&mix_query.query);
  }
  return out;
}

QueryMix ReadQueryMix(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read query mix " + path);
  QueryMix mix;
  mix.file_name = std::filesystem::path(path).filename().string();
  size_t line_number = 0;
  bool have_cold_start = false;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> fields = Split(line, '\t');
    const std::string where = path + ":" + std::to_string(line_number) + ": ";
    if (fields[0] == "@class") {
      if (fields.size() != 3) throw std::runtime_error(where + "@class NAME DESCRIPTION");
      mix.classes.push_back({fields[1], fields[2]});
      continue;
    }
    if (fields.size() < 2 || fields.size() > 3) {
      throw std::runtime_error(where + "expected class, query and options");
    }
    MixQuery mix_query;
    mix_query.query.query_class = fields[0];
    mix_query.query.text = fields[1];
    mix_query.options = fields.size() == 3 ? fields[2] : "";
    try {
      for (const std::string& option : Split(mix_query.options, ';')) {
        if (!option.empty()) ApplyOption(option, &mix_query.query);
      }
    } catch (const std::exception& e) {
      throw std::runtime_error(where + e.what());
    }
    if (fields[0] == "cold_start") {
      mix.cold_start = mix_query;
      have_cold_start = true;
      continue;
    }
    bool known = false;
    for (const QueryClass& query_class : mix.classes) known |= query_class.name == fields[0];
    if (!known) throw std::runtime_error(where + "class '" + fields[0] + "' has no @class line");
    mix.queries.push_back(mix_query);
  }
  if (!have_cold_start) throw std::runtime_error(path + ": no cold_start query");
  return mix;
}

}  // namespace tim::bench
