// server.h: `tim serve`, a JSON HTTP API and a search page over one
// database, on the public library API alone (README, "Serve").
#ifndef TIM_SRC_SERVER_SERVER_H_
#define TIM_SRC_SERVER_SERVER_H_

#include <cstddef>
#include <string>

namespace tim::server {

// What the server accepts; every limit is documented in the README.
struct Limits {
  size_t max_query_bytes = 1024;         // the q parameter
  size_t max_limit = 1000;               // hits per page
  size_t max_window = 10000;             // offset + limit
  size_t max_batch_bytes = 1 << 20;      // POST /api/search/batch body
  size_t max_batch_requests = 1000;      // its lines
  size_t max_ingest_bytes = 64 << 20;    // POST /api/ingest body
  double request_timeout_seconds = 30;   // to receive a body; for a batch
  int idle_timeout_seconds = 5;          // a read or write that stalls
};

struct ServeOptions {
  std::string db = "index";
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (printed on the first line)
  unsigned threads = 32;  // connections served at once
  bool allow_writes = false;
  bool quiet = false;  // no access log
  Limits limits;
};

// Serves until SIGINT or SIGTERM, then finishes the requests in flight and
// returns 0. First prints one line on stdout, "tim serve: listening on
// http://HOST:PORT/ ...". Throws tim::Error when it cannot start (no
// database, the port is taken).
int Serve(const ServeOptions& options);

}  // namespace tim::server

#endif  // TIM_SRC_SERVER_SERVER_H_
