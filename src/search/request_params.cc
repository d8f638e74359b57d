// Requests from named text parameters (tim/request_params.h): one reading of
// a request for the server, the CLI and embedders.
#include "tim/request_params.h"

#include <charconv>
#include <cmath>
#include <algorithm>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "tim/error.h"
#include "base/utf8.h"

namespace tim {

namespace {

template <typename Target>
struct Param {
  const char* name;
  bool repeatable;
  std::function<void(std::string_view value, Target* target)> apply;
};

size_t WholeNumber(std::string_view text) {
  size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    throw Error(ErrorCode::kInvalidArgument, "must be a whole number, not '" +
                                                 std::string(text) + "'");
  }
  return value;
}

double Number(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    throw Error(ErrorCode::kInvalidArgument,
                "must be a number, not '" + std::string(text) + "'");
  }
  return value;
}

bool Boolean(std::string_view text) {
  // A bare name (`?strict`) is a flag that is on.
  if (text.empty() || text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  throw Error(ErrorCode::kInvalidArgument,
              "must be true or false, not '" + std::string(text) + "'");
}

// A parameter, given once, that sets `member` to parse(value).
template <typename Target, typename Value, typename Parse>
Param<Target> Setting(const char* name, Value Target::*member, Parse parse) {
  return {name, false, [member, parse](std::string_view value, Target* target) {
            target->*member = parse(value);
          }};
}

std::string Text(std::string_view text) { return std::string(text); }

const std::vector<Param<SearchRequest>>& SearchParams() {
  using R = SearchRequest;
  static const std::vector<Param<R>> params = {
      Setting("q", &R::query, Text),
      Setting("limit", &R::limit, WholeNumber),
      Setting("offset", &R::offset, WholeNumber),
      Setting("sort", &R::sort, ParseSortOrder),
      Setting("match", &R::match, ParseMatchMode),
      {"source", true, [](std::string_view v, R* r) { r->sources.emplace_back(v); }},
      {"filter", true, [](std::string_view v, R* r) { AddFacetFilter(v, r); }},
      Setting("from", &R::from, ParseDate),
      Setting("to", &R::to, ParseDate),
      Setting("facets", &R::facets, ParseFacetList),
      Setting("facet_limit", &R::facet_limit, WholeNumber),
      Setting("recency", &R::recency_half_life_days, Number),
      Setting("recency_weight", &R::recency_weight, Number),
      Setting("bm25_k1", &R::bm25_k1, Number),
      Setting("bm25_b", &R::bm25_b, Number),
      Setting("inferred_dates", &R::with_inferred_dates, Boolean),
      Setting("suggest", &R::suggest_accents, Boolean),
      Setting("strict", &R::strict_syntax, Boolean),
  };
  return params;
}

const std::vector<Param<IngestOptions>>& IngestParams() {
  using O = IngestOptions;
  static const std::vector<Param<O>> params = {
      Setting("source", &O::default_source, Text),
      Setting("skip_bad", &O::skip_bad_records, Boolean),
      Setting("dedupe", &O::dedupe, Boolean),
      Setting("invalid_utf8", &O::invalid_utf8, ParseInvalidUtf8),
  };
  return params;
}

template <typename Target>
std::string KnownNames(const std::vector<Param<Target>>& known) {
  std::string names;
  for (const Param<Target>& param : known) {
    names += names.empty() ? "" : ", ";
    names += param.name;
  }
  return names;
}

// Applies each parameter in order, naming it in the errors of its value.
template <typename Target>
void Apply(const Params& params, const std::vector<Param<Target>>& known,
           Target* target) {
  std::set<std::string_view> seen;
  for (const auto& [name, value] : params) {
    RequireUtf8("a parameter name", name);
    // Through a reference, not the binding: clang 14 (the fuzz build)
    // cannot capture structured bindings.
    const std::string& wanted = name;
    const auto param = std::find_if(known.begin(), known.end(),
                                    [&](const auto& p) { return wanted == p.name; });
    if (param == known.end()) {
      throw Error(ErrorCode::kInvalidArgument, "unknown parameter '" + name +
                                                   "' (known: " + KnownNames(known) + ")");
    }
    if (!seen.insert(param->name).second && !param->repeatable) {
      throw Error(ErrorCode::kInvalidArgument,
                  "parameter '" + name + "' is given more than once");
    }
    RequireUtf8("parameter '" + name + "'", value);
    try {
      param->apply(value, target);
    } catch (const Error& e) {
      throw Error(e.code(), "parameter '" + name + "': " + e.what());
    }
  }
}

// One parameter value from a JSON scalar.
std::string ScalarText(const nlohmann::ordered_json& value, const std::string& name) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number()) return value.dump();
  throw Error(ErrorCode::kInvalidArgument,
              "parameter '" + name +
                  "' must be a string, a number, a boolean or an array of them");
}

}  // namespace

SearchRequest SearchRequestFromParams(const Params& params) {
  SearchRequest request;
  Apply(params, SearchParams(), &request);
  return request;
}

IngestOptions IngestOptionsFromParams(const Params& params) {
  IngestOptions options;
  Apply(params, IngestParams(), &options);
  return options;
}

Params ParamsFromJson(std::string_view text) {
  RequireUtf8("the request", text);
  nlohmann::ordered_json object;  // keeps the parameters in their order
  try {
    object = nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::ordered_json::exception&) {
    throw Error(ErrorCode::kInvalidArgument,
                "a request must be a JSON object or string, not '" +
                    std::string(text.substr(0, 80)) + "'");
  }
  if (object.is_string()) return {{"q", object.get<std::string>()}};
  if (!object.is_object()) {
    throw Error(ErrorCode::kInvalidArgument,
                "a request must be a JSON object or string, not " +
                    std::string(object.type_name()));
  }
  Params params;
  for (const auto& [name, value] : object.items()) {
    if (!value.is_array()) {
      params.emplace_back(name, ScalarText(value, name));
      continue;
    }
    for (const nlohmann::ordered_json& element : value) {
      params.emplace_back(name, ScalarText(element, name));
    }
  }
  return params;
}

InvalidUtf8 ParseInvalidUtf8(std::string_view name) {
  if (name == "error") return InvalidUtf8::kError;
  if (name == "skip") return InvalidUtf8::kSkip;
  if (name == "repair") return InvalidUtf8::kRepair;
  throw Error(ErrorCode::kInvalidArgument,
              "invalid UTF-8 handling must be error, skip or repair, not '" +
                  std::string(name) + "'");
}

void RequireUtf8(std::string_view what, std::string_view text) {
  size_t offset = 0;
  if (IsValidUtf8(text, &offset)) return;
  throw Error(ErrorCode::kInvalidArgument, std::string(what) +
                                               " is not valid UTF-8 (byte " +
                                               std::to_string(offset + 1) + ")");
}

}  // namespace tim
