// tim/json.h: the stable JSON form of tim's results.
//
// These are the contract other programs rely on (`tim ... --json`): fields
// are only ever added, never renamed or removed. Each function returns one
// JSON object on one line, UTF-8, without a trailing newline.
#ifndef TIM_JSON_H_
#define TIM_JSON_H_

#include <string>
#include <string_view>
#include <vector>

#include "tim/error.h"
#include "tim/index_writer.h"
#include "tim/searcher.h"

namespace tim {

// {"query", "total", "hits": [{"rank", "id", "title", "source", "date",
//  "score", "snippet"}], "facets": {name: [{"value", "count"}]}, "took_ms",
//  "warnings"}. "snippet" is HTML: the text escaped, matches in <mark>.
std::string ToJson(const SearchResponse& response);
std::string ToJson(const DatabaseStats& stats);
std::string ToJson(const IngestReport& report);
std::string ToJson(const DeleteReport& report);
std::string ToJson(const Article& article);

// The fields of a stored article an export can name: "id", "url", "title",
// "source", "category", "date", "date_inferred", "body".
// "id,date,title" -> {"id", "date", "title"}; "all" -> every field;
// Error(kInvalidArgument) naming an unknown field.
std::vector<std::string> ParseArticleFields(std::string_view list);
// {field: value} for `fields` (ParseArticleFields), in their order, with
// the values of ToJson(Article).
std::string ToJson(const Article& article, const std::vector<std::string>& fields);
// One field as text, for CSV: a JSON string as is, null as "", true/false.
std::string ArticleFieldText(const Article& article, const std::string& field);

// {"query": query, "error": message, "code": ErrorCodeName(...)}: how a
// failed query of a batch is reported.
std::string ErrorJson(const std::string& query, const Error& error);

// {"error": message, "code": code}: how a server reports a failed request
// (code: ErrorCodeName(...), or the server's own, such as "too_large").
std::string RequestErrorJson(std::string_view message, std::string_view code);

// Reads back ToJson(Article); Error(kInvalidInput) if `json` is not that.
Article ArticleFromJson(std::string_view json);

}  // namespace tim

#endif  // TIM_JSON_H_
