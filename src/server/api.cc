#include "server/api.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "server/web_assets.h"
#include "tim/error.h"
#include "tim/index_writer.h"
#include "tim/json.h"

namespace tim::server {

namespace fs = std::filesystem;

namespace {

constexpr const char* kArticlesPath = "/api/articles/";
constexpr const char* kSimilarPath = "/api/similar/";

int StatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kInvalidInput: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kDatabaseLocked: return 409;
    default: return 500;
  }
}

Reply JsonReply(std::string body) {
  Reply reply;
  reply.body = std::move(body);
  return reply;
}

// The id after `prefix` in `path`, checked.
std::string IdIn(const std::string& path, const char* prefix) {
  std::string id = path.substr(std::string_view(prefix).size());
  RequireUtf8("the article id", id);
  return id;
}

// Everything `defaults` says that `overrides` does not.
Params Merged(const Params& defaults, Params overrides) {
  for (const auto& param : defaults) {
    const bool overridden = std::any_of(overrides.begin(), overrides.end(),
                                        [&](const auto& p) { return p.first == param.first; });
    if (!overridden) overrides.push_back(param);
  }
  return overrides;
}

// A private directory for a request body that the library reads as a file,
// removed with what it holds.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "tim-serve-XXXXXX").string();
    if (!mkdtemp(pattern.data())) {
      throw Error(ErrorCode::kIo, "cannot create a temporary directory in " +
                                      fs::temp_directory_path().string());
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// `text` without the temporary directory, so that messages name the body
// as "request.jsonl:LINE".
std::string WithoutDir(std::string text, const fs::path& dir) {
  const std::string prefix = dir.string() + "/";
  for (size_t at; (at = text.find(prefix)) != std::string::npos;) text.erase(at, prefix.size());
  return text;
}

}  // namespace

Reply ErrorReply(int status, std::string_view message, std::string_view code) {
  Reply reply;
  reply.status = status;
  reply.body = RequestErrorJson(message, code);
  return reply;
}

Api::Api(const ServeOptions& options)
    : options_(options),
      searcher_(options.db),
      routes_({
          {"GET", "/api/search", false, &Api::Search, 0, false},
          {"POST", "/api/search/batch", false, &Api::SearchBatch,
           options.limits.max_batch_bytes, false},
          {"GET", kArticlesPath, true, &Api::Article, 0, false},
          {"DELETE", kArticlesPath, true, &Api::Delete, 0, true},
          {"GET", kSimilarPath, true, &Api::Similar, 0, false},
          {"GET", "/api/stats", false, &Api::Stats, 0, false},
          {"GET", "/healthz", false, &Api::Health, 0, false},
          {"POST", "/api/ingest", false, &Api::Ingest, options.limits.max_ingest_bytes, true},
      }) {}

const Api::Route* Api::Find(const std::string& method, const std::string& path,
                            std::string* allowed) const {
  for (const Route& route : routes_) {
    const bool matches = route.prefix ? path.size() > std::strlen(route.path) &&
                                            path.starts_with(route.path)
                                      : path == route.path;
    if (!matches) continue;
    if (method == route.method) return &route;
    *allowed += (allowed->empty() ? "" : ", ") + std::string(route.method);
  }
  return nullptr;
}

size_t Api::BodyLimit(const std::string& method, const std::string& path) const {
  std::string allowed;
  const Route* route = Find(method, path, &allowed);
  if (!route || (route->writes && !options_.allow_writes)) return 0;
  return route->body_limit;
}

Reply Api::Handle(const ApiRequest& request) const {
  std::string allowed;
  const Route* route = Find(request.method, request.path, &allowed);
  try {
    if (!route) {
      if (request.method == "GET" && FindAsset(request.path)) return Asset(request);
      if (allowed.empty()) {
        return ErrorReply(404, "no such endpoint: " + request.path +
                                   " (see the README's Serve section)",
                          "not_found");
      }
      Reply reply = ErrorReply(405, request.method + " is not allowed on " + request.path +
                                        " (allowed: " + allowed + ")",
                               "method_not_allowed");
      reply.headers.emplace_back("Allow", allowed);
      return reply;
    }
    if (route->writes && !options_.allow_writes) {
      return ErrorReply(403, "this server is read-only; start it with --allow-writes to "
                             "ingest and delete",
                        "read_only");
    }
    if (route->body_limit == 0 && (request.body_over_limit || !request.body.empty())) {
      return ErrorReply(400, request.method + " " + route->path + " takes no body",
                        "invalid_argument");
    }
    if (request.body_over_limit) {
      return ErrorReply(413, "the body is larger than the " +
                                 std::to_string(route->body_limit) + " bytes that " +
                                 request.method + " " + route->path + " accepts",
                        "too_large");
    }
    return (this->*route->handler)(request);
  } catch (const Error& e) {
    return ErrorReply(StatusOf(e.code()), e.what(), ErrorCodeName(e.code()));
  } catch (const std::exception& e) {
    std::cerr << "tim serve: internal error on " << request.method << " " << request.path
              << ": " << e.what() << "\n";
    return ErrorReply(500, "internal error; the server's log says more", "internal");
  }
}

SearchRequest Api::ReadSearchRequest(const Params& params) const {
  SearchRequest request = SearchRequestFromParams(params);
  const Limits& limits = options_.limits;
  if (request.query.size() > limits.max_query_bytes) {
    throw Error(ErrorCode::kInvalidArgument,
                "the query is " + std::to_string(request.query.size()) +
                    " bytes long; the limit is " + std::to_string(limits.max_query_bytes));
  }
  if (request.limit > limits.max_limit) {
    throw Error(ErrorCode::kInvalidArgument,
                "parameter 'limit' is at most " + std::to_string(limits.max_limit));
  }
  if (request.offset + request.limit > limits.max_window) {
    throw Error(ErrorCode::kInvalidArgument,
                "offset + limit is at most " + std::to_string(limits.max_window) +
                    "; narrow the search instead of paging further");
  }
  return request;
}

Reply Api::Search(const ApiRequest& request) const {
  return JsonReply(ToJson(searcher_.Search(ReadSearchRequest(request.params))));
}

// One JSON request per line in (the URL's parameters apply to every line
// that does not set them), one JSON response per line out, in order. A
// request that fails gives {"query", "error", "code"} and the batch goes on,
// as with `tim search --batch`.
Reply Api::SearchBatch(const ApiRequest& request) const {
  std::vector<std::string_view> lines;
  for (std::string_view rest = request.body; !rest.empty();) {
    const size_t end = std::min(rest.find('\n'), rest.size());
    const std::string_view line = rest.substr(0, end);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) lines.push_back(line);
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
  if (lines.size() > options_.limits.max_batch_requests) {
    return ErrorReply(413, "a batch holds at most " +
                               std::to_string(options_.limits.max_batch_requests) +
                               " requests, not " + std::to_string(lines.size()),
                      "too_large");
  }
  Reply reply;
  reply.content_type = "application/x-ndjson";
  for (size_t i = 0; i < lines.size(); ++i) {
    if (std::chrono::steady_clock::now() > request.deadline) {
      return ErrorReply(503, "the batch did not finish within the request timeout (" +
                                 std::to_string(i) + " of " + std::to_string(lines.size()) +
                                 " requests ran); send smaller batches",
                        "timeout");
    }
    std::string query(lines[i]);
    try {
      const Params params = Merged(request.params, ParamsFromJson(lines[i]));
      const SearchRequest search = ReadSearchRequest(params);
      query = search.query;
      reply.body += ToJson(searcher_.Search(search));
    } catch (const Error& e) {
      reply.body += ErrorJson(query, e);
    }
    reply.body += "\n";
  }
  return reply;
}

Reply Api::Article(const ApiRequest& request) const {
  const std::string id = IdIn(request.path, kArticlesPath);
  if (!request.params.empty()) {
    throw Error(ErrorCode::kInvalidArgument, "GET /api/articles/ID takes no parameters");
  }
  const std::optional<tim::Article> article = searcher_.Get(id);
  if (!article) throw Error(ErrorCode::kNotFound, "no article with id '" + id + "'");
  return JsonReply(ToJson(*article));
}

Reply Api::Similar(const ApiRequest& request) const {
  const std::string id = IdIn(request.path, kSimilarPath);
  const SearchRequest search = ReadSearchRequest(request.params);
  if (!search.query.empty()) {
    throw Error(ErrorCode::kInvalidArgument,
                "/api/similar/ID takes no q: it searches with the article's own words");
  }
  return JsonReply(ToJson(searcher_.Similar(id, search)));
}

Reply Api::Stats(const ApiRequest&) const { return JsonReply(ToJson(searcher_.Stats())); }

Reply Api::Health(const ApiRequest&) const {
  SearchRequest everything;
  everything.limit = 0;
  everything.facets.clear();
  const SearchResponse response = searcher_.Search(everything);
  return JsonReply(R"({"status":"ok","documents":)" + std::to_string(response.total) +
                   R"(,"writes":)" + (options_.allow_writes ? "true" : "false") + "}");
}

// The body is written to a private file and ingested like `tim ingest
// FILE`: the same pipeline, the same writers' lock, one atomic batch.
Reply Api::Ingest(const ApiRequest& request) const {
  const IngestOptions ingest = IngestOptionsFromParams(request.params);
  TempDir dir;
  const fs::path file = dir.path() / "request.jsonl";
  {
    std::ofstream out(file, std::ios::binary);
    out << request.body;
    if (!out.flush()) {
      throw Error(ErrorCode::kIo, "cannot write the request body to " + file.string());
    }
  }
  try {
    IngestReport report = IngestPaths(options_.db, {file.string()}, ingest);
    for (std::string& warning : report.warnings) warning = WithoutDir(warning, dir.path());
    return JsonReply(ToJson(report));
  } catch (const Error& e) {
    throw Error(e.code(), WithoutDir(e.what(), dir.path()));
  }
}

Reply Api::Delete(const ApiRequest& request) const {
  const std::string id = IdIn(request.path, kArticlesPath);
  const DeleteReport report = DeleteArticles(options_.db, {id});
  if (!report.not_found.empty()) {
    throw Error(ErrorCode::kNotFound, "no article with id '" + id + "'");
  }
  return JsonReply(ToJson(report));
}

Reply Api::Asset(const ApiRequest& request) const {
  const WebAsset* asset = FindAsset(request.path);
  Reply reply;
  reply.content_type = asset->content_type;
  reply.body = asset->body;
  reply.headers.emplace_back("Cache-Control", "no-cache");
  return reply;
}

}  // namespace tim::server
