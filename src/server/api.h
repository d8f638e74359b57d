// api.h: the endpoints of `tim serve`, apart from HTTP. Each takes a
// request's decoded method, path, parameters and body and returns what to
// send; the HTTP layer (server.cc) only moves bytes. Thread-safe.
#ifndef TIM_SRC_SERVER_API_H_
#define TIM_SRC_SERVER_API_H_

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "server/server.h"
#include "tim/request_params.h"
#include "tim/searcher.h"

namespace tim::server {

struct ApiRequest {
  std::string method;  // "GET", "POST", ... ("HEAD" is served as "GET")
  std::string path;    // decoded
  Params params;       // decoded, in order
  std::string body;
  bool body_over_limit = false;  // the body was longer than BodyLimit()
  std::chrono::steady_clock::time_point deadline;
};

struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// The JSON error reply {"error": message, "code": code}.
Reply ErrorReply(int status, std::string_view message, std::string_view code);

class Api {
 public:
  // Opens the database; Error(kNotFound) if there is none.
  explicit Api(const ServeOptions& options);

  Reply Handle(const ApiRequest& request) const;

  // The largest body `method` on `path` accepts (0: none, or refused).
  size_t BodyLimit(const std::string& method, const std::string& path) const;

 private:
  struct Route {
    const char* method;
    const char* path;
    bool prefix;  // `path` is followed by an article id
    Reply (Api::*handler)(const ApiRequest&) const;
    size_t body_limit;
    bool writes;
  };
  const Route* Find(const std::string& method, const std::string& path,
                    std::string* allowed) const;

  Reply Search(const ApiRequest& request) const;
  Reply SearchBatch(const ApiRequest& request) const;
  Reply Article(const ApiRequest& request) const;
  Reply Similar(const ApiRequest& request) const;
  Reply Stats(const ApiRequest& request) const;
  Reply Health(const ApiRequest& request) const;
  Reply Ingest(const ApiRequest& request) const;
  Reply Delete(const ApiRequest& request) const;
  Reply Asset(const ApiRequest& request) const;

  // SearchRequestFromParams, within the server's limits.
  SearchRequest ReadSearchRequest(const Params& params) const;

  ServeOptions options_;
  Searcher searcher_;
  std::vector<Route> routes_;
};

}  // namespace tim::server

#endif  // TIM_SRC_SERVER_API_H_
