// The HTTP side of `tim serve`: cpp-httplib (Debian's 0.11.4) moves the
// bytes, Api (api.h) decides what they mean.
#include "server/server.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "server/api.h"
#include "tim/error.h"

namespace tim::server {

namespace {

using Clock = std::chrono::steady_clock;

// Requests a keep-alive connection serves before it closes (see Configure).
constexpr size_t kRequestsPerConnection = 8;

// Any path: POST, PUT, PATCH and DELETE requests all go to one handler that
// reads the body within the route's limit (a path is at most 8 KiB long:
// the library refuses longer request lines with 414).
constexpr char kAnyPath[] = R"([\s\S]*)";

// The page may only load its own files; a snippet's HTML (escaped text and
// <mark>) cannot bring scripts in.
constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Every '%' is followed by two hex digits. (The library decodes "%zz" as
// itself and "%u00e0" as a code point; neither is a URL.)
bool WellFormedEscapes(std::string_view target) {
  for (size_t at = target.find('%'); at != std::string_view::npos;
       at = target.find('%', at + 1)) {
    if (at + 2 >= target.size() || !IsHex(target[at + 1]) || !IsHex(target[at + 2])) {
      return false;
    }
  }
  return true;
}

// The query string's parameters, in order. (The library's own parsing keeps
// only the last '='-separated part of a value, so "filter=year=2025" would
// lose "year=", and drops a repeated pair.)
Params QueryParams(const std::string& target) {
  Params params;
  const size_t question = target.find('?');
  if (question == std::string::npos) return params;
  std::string_view query = std::string_view(target).substr(question + 1);
  while (!query.empty()) {
    const size_t amp = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, amp);
    query.remove_prefix(std::min(amp + 1, query.size()));
    if (pair.empty()) continue;
    const size_t equals = std::min(pair.find('='), pair.size());
    params.emplace_back(
        httplib::detail::decode_url(std::string(pair.substr(0, equals)), true),
        httplib::detail::decode_url(
            std::string(pair.substr(std::min(equals + 1, pair.size()))), true));
  }
  return params;
}

// The request as Api takes it, or the reply refusing its URL.
std::optional<Reply> ReadTarget(const httplib::Request& http, ApiRequest* request) {
  if (!WellFormedEscapes(http.target)) {
    return ErrorReply(400, "the URL has a malformed percent-escape (% must be followed by "
                           "two hex digits)",
                      "invalid_argument");
  }
  request->method = http.method == "HEAD" ? "GET" : http.method;
  request->path = http.path;
  request->params = QueryParams(http.target);
  try {
    RequireUtf8("the URL path", request->path);
  } catch (const Error& e) {
    return ErrorReply(400, e.what(), "invalid_argument");
  }
  return std::nullopt;
}

void Send(const Reply& reply, httplib::Response& response) {
  response.status = reply.status;
  for (const auto& [name, value] : reply.headers) response.set_header(name, value);
  if (reply.content_type.starts_with("text/html")) {
    response.set_header("Content-Security-Policy", kContentSecurityPolicy);
  }
  response.set_content(reply.body, reply.content_type.c_str());
}

// The access log: one line per request on stderr.
class AccessLog {
 public:
  explicit AccessLog(bool quiet) : quiet_(quiet) {}

  // The time the request on this thread started, for its duration.
  static void Start() { start_ = Clock::now(); }

  void Write(const httplib::Request& request, const httplib::Response& response) {
    const std::optional<Clock::time_point> start = std::exchange(start_, std::nullopt);
    if (quiet_) return;
    char when[32];
    const std::time_t now = std::time(nullptr);
    std::tm utc;
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &utc));
    char duration[32] = "-";
    if (start) {
      std::snprintf(duration, sizeof duration, "%.1fms",
                    std::chrono::duration<double, std::milli>(Clock::now() - *start).count());
    }
    const auto length = response.get_header_value("Content-Length");
    const std::string line = std::string(when) + " " + Printable(request.remote_addr) +
                             " \"" + Printable(request.method) + " " +
                             Printable(request.target) + "\" " +
                             std::to_string(response.status) + " " +
                             (length.empty() ? "-" : length) + " " + duration + "\n";
    std::lock_guard<std::mutex> lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), stderr);
  }

 private:
  // A client's bytes in a log line: at most 1000 of them, control and
  // non-ASCII bytes as \xHH, so that no request can forge or break a line.
  static std::string Printable(std::string_view text) {
    std::string out;
    for (char c : text.substr(0, 1000)) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte >= 0x7f || c == '"' || c == '\\') {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
        out += escaped;
      } else {
        out += c;
      }
    }
    if (text.size() > 1000) out += "...";
    return out;
  }

  bool quiet_;
  std::mutex mutex_;
  static thread_local std::optional<Clock::time_point> start_;
};

thread_local std::optional<Clock::time_point> AccessLog::start_;

// Reads a body within `limit` bytes and the request timeout. Past the limit
// the rest of a body of announced length is read and dropped, so that the
// connection stays usable; a chunked one stops at once.
struct BodyReader {
  BodyReader(size_t limit, size_t drop_limit, Clock::time_point deadline)
      : limit(limit), drop_limit(drop_limit), deadline(deadline) {}
  size_t limit;
  size_t drop_limit;
  Clock::time_point deadline;
  std::string body;
  size_t received = 0;
  bool over_limit = false;
  bool timed_out = false;

  bool operator()(const char* data, size_t size) {
    if (Clock::now() > deadline) {
      timed_out = true;
      return false;
    }
    received += size;
    if (received > limit) {
      over_limit = true;
      body.clear();
      return received <= drop_limit;
    }
    body.append(data, size);
    return true;
  }
};

// Configures `http` to serve `api`.
void Route(const Api& api, const ServeOptions& options, AccessLog& log,
           httplib::Server& http) {
  const auto timeout = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options.limits.request_timeout_seconds));
  http.set_pre_routing_handler([&api, timeout](const httplib::Request& request,
                                               httplib::Response& response) {
    AccessLog::Start();
    static const std::set<std::string> kWithBody = {"POST", "PUT", "PATCH", "DELETE"};
    if (kWithBody.count(request.method)) return httplib::Server::HandlerResponse::Unhandled;
    ApiRequest api_request;
    api_request.deadline = Clock::now() + timeout;
    const std::optional<Reply> refused = ReadTarget(request, &api_request);
    Send(refused ? *refused : api.Handle(api_request), response);
    return httplib::Server::HandlerResponse::Handled;
  });
  const auto with_body = [&api, &options, timeout](const httplib::Request& request,
                                                   httplib::Response& response,
                                                   const httplib::ContentReader& content) {
    ApiRequest api_request;
    api_request.deadline = Clock::now() + timeout;
    std::optional<Reply> refused = ReadTarget(request, &api_request);
    BodyReader reader(api.BodyLimit(api_request.method, api_request.path),
                      options.limits.max_ingest_bytes, api_request.deadline);
    // Without either header a request has no body (RFC 9112, 6.3); the
    // library would wait for the client to close instead.
    const std::string length = request.get_header_value("Content-Length");
    const bool has_body = !length.empty() || request.has_header("Transfer-Encoding");
    if (length.find_first_not_of("0123456789") != std::string::npos) {
      // The library would read "x" as 0.
      refused = ErrorReply(400, "malformed Content-Length", "invalid_argument");
    }
    const bool complete =
        !has_body || refused ||
        content([&reader](const char* data, size_t size) { return reader(data, size); });
    // The library refuses an announced length over its own limit itself.
    if (response.status == 413) reader.over_limit = true;
    if (reader.timed_out) {
      refused = ErrorReply(408, "the request body did not arrive within the request timeout",
                           "timeout");
    } else if (!complete && !reader.over_limit) {
      refused = ErrorReply(400, "the request body could not be read", "invalid_argument");
    }
    if (!refused) {
      api_request.body = std::move(reader.body);
      api_request.body_over_limit = reader.over_limit;
    }
    Send(refused ? *refused : api.Handle(api_request), response);
  };
  http.Post(kAnyPath, with_body);
  http.Put(kAnyPath, with_body);
  http.Patch(kAnyPath, with_body);
  http.Delete(kAnyPath, with_body);
  // Statuses the library sets itself (a malformed request line, a URL or a
  // body over its limits) get the same JSON errors.
  http.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&,
                                                                 httplib::Response& response) {
    if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const int status = response.status;
    const char* code = status == 413 || status == 414 ? "too_large" : "invalid_argument";
    const std::string message =
        status == 414   ? "the URL is longer than 8192 bytes"
        : status == 413 ? "the request body is too large"
        : status == 404 ? "not found"
                        : std::string("the request is malformed (HTTP ") +
                              std::to_string(status) + ")";
    Send(ErrorReply(status, message, status == 404 ? "not_found" : code), response);
    return httplib::Server::HandlerResponse::Handled;
  }));
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
        Send(ErrorReply(500, "internal error; the server's log says more", "internal"),
             response);
      });
  http.set_logger([&log](const httplib::Request& request, const httplib::Response& response) {
    log.Write(request, response);
  });
}

// The limits and timeouts of the connection layer.
void Configure(const ServeOptions& options, int* listening_socket, httplib::Server& http) {
  const Limits& limits = options.limits;
  http.new_task_queue = [threads = options.threads] {
    return new httplib::ThreadPool(std::max(1u, threads));
  };
  http.set_read_timeout(limits.idle_timeout_seconds);
  http.set_write_timeout(limits.idle_timeout_seconds);
  http.set_keep_alive_timeout(limits.idle_timeout_seconds);
  // A keep-alive connection holds its pool thread between requests: with
  // more connections than threads the others wait in the queue until one
  // closes. Closing after a few requests rotates them, so a waiting
  // connection gets a thread within about a second under full load
  // (64 connections on 32 threads: a 9.8 s wait and a client timeout with 100).
  http.set_keep_alive_max_count(kRequestsPerConnection);
  // The library writes a reply's headers and body apart: with Nagle's
  // algorithm the body waits for the client's delayed ACK, 40 ms a request.
  http.set_tcp_nodelay(true);
  http.set_payload_max_length(limits.max_ingest_bytes);
  http.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                            {"Referrer-Policy", "no-referrer"}});
  // SO_REUSEADDR only: the library's default adds SO_REUSEPORT, with which a
  // second server on the same port would start and share the traffic.
  http.set_socket_options([listening_socket](socket_t socket) {
    const int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    *listening_socket = socket;
  });
}

// Blocks SIGINT and SIGTERM in this thread and every thread it starts, so
// that only WaitForStop() receives them.
sigset_t StopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR1);  // sent by Serve() to end WaitForStop()
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace

int Serve(const ServeOptions& options) {
  // (httplib::Server's constructor ignores SIGPIPE: a client that hangs up
  // before its reply cannot kill the server.)
  const sigset_t signals = StopSignals();
  const Api api(options);
  AccessLog log(options.quiet);
  httplib::Server http;
  int listening_socket = -1;
  Configure(options, &listening_socket, http);
  Route(api, options, log, http);

  int port = options.port;
  const bool bound = port == 0 ? (port = http.bind_to_any_port(options.host)) > 0
                               : http.bind_to_port(options.host, port);
  if (!bound) {
    throw Error(ErrorCode::kIo, "cannot listen on " + options.host + ":" +
                                    std::to_string(options.port) +
                                    " (is the port in use, or the address not this machine's?)");
  }
  // The library listens with a backlog of 5, too few for a burst of clients.
  listen(listening_socket, SOMAXCONN);
  std::printf("tim serve: listening on http://%s:%d/ (database %s, %s, %u threads)\n",
              options.host.c_str(), port, options.db.c_str(),
              options.allow_writes ? "writes allowed" : "read-only", options.threads);
  std::fflush(stdout);

  std::atomic<bool> done = false;
  std::thread stopper([&http, &done, signals] {
    int signal = 0;
    sigwait(&signals, &signal);
    // A signal may come before the server runs, when stop() does nothing.
    while (signal != SIGUSR1 && !done) {
      if (http.is_running()) {
        http.stop();  // closes the listening socket; requests in flight finish
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  const bool clean = http.listen_after_bind();
  done = true;
  pthread_kill(stopper.native_handle(), SIGUSR1);
  stopper.join();
  if (!clean) throw Error(ErrorCode::kIo, "the server stopped accepting connections");
  return 0;
}

}  // namespace tim::server
