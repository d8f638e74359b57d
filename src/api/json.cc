#include "tim/json.h"

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>

#include "text/date_parser.h"
#include "tim/error.h"

namespace tim {

namespace {

using nlohmann::json;
// Keeps keys in the order they are added: search responses list facets in
// the order they were requested. (Stored articles stay `json`, keys sorted:
// their text is part of the content hash.)
using nlohmann::ordered_json;

template <typename Json = json>
std::string Dump(const Json& value) {
  // Text is valid UTF-8 by the time it is stored; `replace` only guards
  // against a bug turning into an exception at the last step.
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

json DateJson(const std::optional<Date>& date) {
  return date ? json(date->ToString()) : json(nullptr);
}

void AppendEscaped(std::string_view text, std::string* out) {
  for (char c : text) {
    switch (c) {
      case '&': *out += "&amp;"; break;
      case '<': *out += "&lt;"; break;
      case '>': *out += "&gt;"; break;
      case '"': *out += "&quot;"; break;
      default: *out += c;
    }
  }
}

// The text HTML-escaped, each highlight in <mark>.
std::string MarkedHtml(const HighlightedText& snippet) {
  std::string html;
  size_t done = 0;
  for (const auto& [begin, end] : snippet.highlights) {
    AppendEscaped(std::string_view(snippet.text).substr(done, begin - done), &html);
    html += "<mark>";
    AppendEscaped(std::string_view(snippet.text).substr(begin, end - begin), &html);
    html += "</mark>";
    done = end;
  }
  AppendEscaped(std::string_view(snippet.text).substr(done), &html);
  return html;
}

ordered_json FacetValuesJson(const std::vector<FacetValue>& values) {
  ordered_json out = ordered_json::array();
  for (const FacetValue& value : values) {
    out.push_back({{"value", value.value}, {"count", value.count}});
  }
  return out;
}

ordered_json HitJson(const Hit& hit) {
  return {{"rank", hit.rank},
          {"id", hit.id},
          {"title", hit.title},
          {"source", hit.source},
          {"date", DateJson(hit.date)},
          {"date_inferred", hit.date_inferred},
          {"score", hit.score},
          {"snippet", MarkedHtml(hit.snippet)},
          {"snippet_text", hit.snippet.text},
          {"matched_terms", hit.matched_terms}};
}

std::string StringField(const json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

std::string ToJson(const SearchResponse& response) {
  ordered_json hits = ordered_json::array();
  for (const Hit& hit : response.hits) hits.push_back(HitJson(hit));
  ordered_json facets = ordered_json::object();
  for (const Facet& facet : response.facets) {
    facets[facet.name] = FacetValuesJson(facet.values);
  }
  return Dump(ordered_json{
      {"query", response.query},
      {"total", response.total},
      {"match", response.relaxed ? "relaxed" : "all"},
      {"hits", hits},
      {"facets", facets},
      {"took_ms", response.took_ms},
      {"warnings", response.warnings},
      {"suggestion", response.suggestion ? ordered_json(*response.suggestion)
                                         : ordered_json(nullptr)}});
}

std::string ErrorJson(const std::string& query, const Error& error) {
  return Dump({{"query", query},
               {"error", error.what()},
               {"code", ErrorCodeName(error.code())}});
}

std::string RequestErrorJson(std::string_view message, std::string_view code) {
  return Dump({{"error", message}, {"code", code}});
}

std::string ToJson(const DatabaseStats& stats) {
  return Dump({{"path", stats.path},
               {"documents", stats.documents},
               {"sources", FacetValuesJson(stats.sources)},
               {"undated", stats.undated},
               {"earliest", DateJson(stats.earliest)},
               {"latest", DateJson(stats.latest)},
               {"size_bytes", stats.size_bytes},
               {"schema_version", stats.schema_version},
               {"changesets", stats.changesets}});
}

std::string ToJson(const IngestReport& report) {
  const double seconds = report.elapsed_seconds;
  return Dump({{"added", report.added},
               {"replaced", report.replaced},
               {"unchanged", report.unchanged},
               {"duplicates", report.duplicates},
               {"skipped", report.skipped},
               {"errors", report.errors},
               {"records", report.records()},
               {"commits", report.commits},
               {"input_bytes", report.input_bytes},
               {"warnings", report.warnings},
               {"warnings_omitted", report.warnings_omitted},
               {"elapsed_seconds", seconds},
               {"docs_per_second", seconds > 0 ? report.records() / seconds : 0},
               {"mb_per_second",
                seconds > 0 ? report.input_bytes / 1e6 / seconds : 0}});
}

std::string ToJson(const DeleteReport& report) {
  return Dump({{"deleted", report.deleted}, {"not_found", report.not_found}});
}

std::string ToJson(const Article& article) {
  json extra = json::object();
  for (const auto& [name, value] : article.extra_fields) {
    extra[name] = json::parse(value, nullptr, /*allow_exceptions=*/false);
  }
  json out = {{"id", article.id},
              {"url", article.url},
              {"title", article.title},
              {"source", article.source},
              {"category", article.category},
              {"date", DateJson(article.date)},
              {"date_inferred", article.date_inferred},
              {"body", article.body}};
  if (!extra.empty()) out["extra"] = extra;
  return Dump(out);
}

namespace {

constexpr const char* kArticleFields[] = {"id",   "url",           "title", "source",
                                          "category", "date", "date_inferred", "body"};

json ArticleField(const Article& article, std::string_view field) {
  if (field == "id") return article.id;
  if (field == "url") return article.url;
  if (field == "title") return article.title;
  if (field == "source") return article.source;
  if (field == "category") return article.category;
  if (field == "date") return DateJson(article.date);
  if (field == "date_inferred") return article.date_inferred;
  if (field == "body") return article.body;
  throw Error(ErrorCode::kInvalidArgument, "no article field '" + std::string(field) + "'");
}

}  // namespace

std::vector<std::string> ParseArticleFields(std::string_view list) {
  if (list == "all") return {std::begin(kArticleFields), std::end(kArticleFields)};
  std::vector<std::string> fields;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t end = std::min(list.find(',', start), list.size());
    const std::string field(list.substr(start, end - start));
    if (std::find(std::begin(kArticleFields), std::end(kArticleFields), field) ==
        std::end(kArticleFields)) {
      throw Error(ErrorCode::kInvalidArgument,
                  "no article field '" + field +
                      "' (fields: id, url, title, source, category, date, "
                      "date_inferred, body, or all)");
    }
    fields.push_back(field);
    start = end + 1;
  }
  return fields;
}

std::string ToJson(const Article& article, const std::vector<std::string>& fields) {
  ordered_json out = ordered_json::object();
  for (const std::string& field : fields) out[field] = ArticleField(article, field);
  return Dump(out);
}

std::string ArticleFieldText(const Article& article, const std::string& field) {
  const json value = ArticleField(article, field);
  if (value.is_string()) return value.get<std::string>();
  return value.is_null() ? "" : value.dump();
}

Article ArticleFromJson(std::string_view text) {
  const json object = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!object.is_object()) {
    throw Error(ErrorCode::kInvalidInput, "stored article is not a JSON object");
  }
  Article article;
  article.id = StringField(object, "id");
  article.url = StringField(object, "url");
  article.title = StringField(object, "title");
  article.source = StringField(object, "source");
  article.category = StringField(object, "category");
  article.body = StringField(object, "body");
  const std::string date = StringField(object, "date");
  if (!date.empty()) {
    std::string error;
    article.date = ParseIsoDate(date, &error);
  }
  article.date_inferred = object.value("date_inferred", false);
  if (auto extra = object.find("extra"); extra != object.end() && extra->is_object()) {
    for (const auto& [name, value] : extra->items()) {
      article.extra_fields[name] = Dump(value);
    }
  }
  return article;
}

}  // namespace tim
