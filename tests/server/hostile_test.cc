// `tim serve` against requests no browser sends: traversal, oversized and
// malformed URLs and bodies, slow and vanishing clients, many connections.
// Each gets a clear status or a closed connection; the server neither
// crashes nor writes.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "server_process.h"
#include "test_util.h"

namespace tim::testing {
namespace {

using nlohmann::json;

// The status of the first reply in `response` (0 if none).
int StatusOf(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0) return 0;
  return std::stoi(response.substr(9, 3));
}

std::string Get(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
}

class ServeHostileTest : public SeedServerSuite {
 protected:
  // Writes allowed, to show that no hostile request gets one through.
  static void SetUpTestSuite() {
    StartServer({"--allow-writes", "--idle-timeout", "1", "--timeout", "2", "--threads", "8"});
  }
  static void TearDownTestSuite() { StopServer(); }

  void TearDown() override {
    // Still up, and nothing was written.
    const auto health = server_->Client().Get("/healthz");
    ASSERT_TRUE(health) << "the server is gone";
    EXPECT_EQ(json::parse(health->body)["documents"], 5);
  }

  static std::string Raw(const std::string& request, int timeout_seconds = 30) {
    return RawExchange(server_->port(), request, timeout_seconds);
  }
};

TEST_F(ServeHostileTest, PathTraversalFindsNothing) {
  for (const char* target :
       {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "/app.js/../../../etc/passwd",
        "/api/articles/..%2f..%2f..%2fetc%2fpasswd", "/./style.css", "//etc/passwd",
        "/%252e%252e/etc/passwd", "/api/articles/../../etc/passwd"}) {
    const std::string response = Raw(Get(target));
    EXPECT_EQ(StatusOf(response), 404) << target << "\n" << response;
    EXPECT_EQ(response.find("root:"), std::string::npos) << target;
  }
}

TEST_F(ServeHostileTest, MalformedEscapesAndInvalidUtf8Are400) {
  for (const char* target :
       {"/api/search?q=%zz", "/api/search?q=%", "/api/search?q=%e", "/api/search?q=%u00e0",
        "/api/search?q=%FF", "/api/search?q=%C0%AF", "/api/search?%FF=1",
        "/api/articles/%FF%FE", "/api/%zz", "/%ED%A0%80"}) {
    const std::string response = Raw(Get(target));
    EXPECT_EQ(StatusOf(response), 400) << target << "\n" << response;
    EXPECT_NE(response.find("\"code\":\"invalid_argument\""), std::string::npos) << response;
  }
  // Raw bytes that are not UTF-8, not escaped at all.
  EXPECT_EQ(StatusOf(Raw(Get("/api/search?q=\xff\xfe"))), 400);
  // A batch line that is not UTF-8 fails alone.
  const auto batch = server_->Client().Post("/api/search/batch", "\"NATO\"\n\"\xff\"\n",
                                            "application/x-ndjson");
  ASSERT_EQ(batch->status, 200);
  EXPECT_NE(batch->body.find("not valid UTF-8"), std::string::npos) << batch->body;
}

TEST_F(ServeHostileTest, HugeUrlsAre414AndHugeBodies413) {
  const std::string long_query = "/api/search?q=" + std::string(10000, 'a');
  const std::string response = Raw(Get(long_query));
  EXPECT_EQ(StatusOf(response), 414) << response.substr(0, 300);
  EXPECT_NE(response.find("\"code\":\"too_large\""), std::string::npos);
  EXPECT_EQ(StatusOf(Raw(Get("/api/articles/" + std::string(9000, 'x')))), 414);
  // A body larger than the largest limit, announced: refused before it is read.
  const std::string announced =
      "POST /api/ingest HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " +
      std::to_string(1ull << 40) + "\r\n\r\n{}";
  const std::string refused = Raw(announced, 10);
  EXPECT_EQ(StatusOf(refused), 413) << refused;
  // Chunked, without a length: cut at the limit.
  std::string chunked =
      "POST /api/search/batch HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  const std::string chunk(65536, ' ');
  for (int i = 0; i < 20; ++i) chunked += "10000\r\n" + chunk + "\r\n";
  chunked += "0\r\n\r\n";
  EXPECT_EQ(StatusOf(Raw(chunked)), 413);
  // A body where none belongs.
  EXPECT_EQ(StatusOf(Raw("DELETE /api/articles/001_6255338c2fb240fd HTTP/1.1\r\nHost: x\r\n"
                         "Connection: close\r\nContent-Length: 3\r\n\r\nabc")),
            400);
  EXPECT_EQ(StatusOf(Raw("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
                         std::string("X-Long: ") + std::string(9000, 'h') + "\r\n\r\n")),
            400);
}

TEST_F(ServeHostileTest, GarbageRequestsAre400) {
  for (const std::string& request :
       {std::string("HELLO\r\n\r\n"), std::string("GET\r\n\r\n"),
        std::string("GET / HTTP/9.9\r\n\r\n"), std::string("FOO / HTTP/1.1\r\n\r\n"),
        std::string("GET /a b c HTTP/1.1\r\n\r\n"), std::string("\x16\x03\x01\x02\x00\x01\r\n\r\n"),
        std::string("POST /api/search/batch HTTP/1.1\r\nContent-Length: x\r\n\r\n")}) {
    const std::string response = Raw(request, 10);
    EXPECT_TRUE(response.empty() || StatusOf(response) == 400) << request << "\n" << response;
  }
}

TEST_F(ServeHostileTest, ASlowClientIsDroppedWhileOthersAreServed) {
  const int slow = Connect(server_->port());
  ASSERT_GE(slow, 0);
  const std::string partial = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  ASSERT_EQ(send(slow, partial.data(), partial.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(partial.size()));
  // Meanwhile the server answers.
  EXPECT_EQ(server_->Client().Get("/healthz")->status, 200);
  // After its idle timeout (1 s here) it refuses the unfinished request
  // and closes the connection.
  const std::string refused = ReadUntilClosed(slow, 30);
  EXPECT_TRUE(refused.empty() || StatusOf(refused) == 400) << refused;
  close(slow);

  // A body that trickles in past the request timeout (2 s here) is 408.
  const int trickle = Connect(server_->port());
  const std::string head =
      "POST /api/search/batch HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 100\r\n\r\n";
  send(trickle, head.data(), head.size(), MSG_NOSIGNAL);
  std::string response;
  for (int i = 0; i < 100 && response.empty(); ++i) {
    send(trickle, " ", 1, MSG_NOSIGNAL);
    response = ReadUntilClosed(trickle, 0) + "";
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  response += ReadUntilClosed(trickle, 10);
  close(trickle);
  EXPECT_EQ(StatusOf(response), 408) << response;
}

TEST_F(ServeHostileTest, ManyConnectionsAreAllAnswered) {
  // More connections than threads (8): the rest wait their turn.
  std::vector<std::future<std::string>> replies;
  for (int i = 0; i < 200; ++i) {
    replies.push_back(std::async(std::launch::async, [i] {
      return Raw(Get("/api/search?q=NATO&limit=1&offset=" + std::to_string(i % 5)), 60);
    }));
  }
  int answered = 0;
  for (auto& reply : replies) {
    const std::string response = reply.get();
    answered += StatusOf(response) == 200;
  }
  EXPECT_EQ(answered, 200);
}

// A keep-alive connection holds a server thread: it is closed after a few
// requests, so that connections beyond the thread count get their turn.
TEST_F(ServeHostileTest, AKeepAliveConnectionYieldsItsThreadAfterEightRequests) {
  const int socket = Connect(server_->port());
  ASSERT_GE(socket, 0);
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  for (int i = 1; i <= 8; ++i) {
    ASSERT_EQ(send(socket, request.data(), request.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(request.size()));
    const std::string reply = ReadReply(socket);
    EXPECT_EQ(StatusOf(reply), 200) << i;
    const bool closes = reply.find("Connection: close") != std::string::npos;
    EXPECT_EQ(closes, i == 8) << "request " << i << ":\n" << reply;
  }
  EXPECT_EQ(ReadUntilClosed(socket, 10), "");
  close(socket);
}

TEST_F(ServeHostileTest, ClientsThatHangUpEarlyDoNotKillTheServer) {
  for (int i = 0; i < 50; ++i) {
    const int socket = Connect(server_->port());
    const std::string request = Get("/api/search?q=dam+phan&limit=100&facets=source,year,month,day");
    send(socket, request.data(), request.size(), MSG_NOSIGNAL);
    // Reset instead of a clean close: the server's reply hits a dead socket.
    linger reset{1, 0};
    setsockopt(socket, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    close(socket);
  }
  EXPECT_EQ(server_->Client().Get("/healthz")->status, 200);
}

TEST(ServeStopTest, SigtermFinishesTheRequestInFlightAndExits0) {
  TempDir dir;
  const std::string db = (dir.path() / "db").string();
  ASSERT_EQ(RunTim({"ingest", "--db", db, SeedsDir()}).exit_code, 0);
  ServerProcess server({"--db", db});
  const int socket = Connect(server.port());
  // One request answered on this connection: a worker now serves it.
  const std::string first = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  send(socket, first.data(), first.size(), MSG_NOSIGNAL);
  ASSERT_EQ(StatusOf(ReadReply(socket)), 200);
  // The second is in flight (its body half sent) when the signal comes.
  const std::string body = "\"NATO\"\n\"Kursk\"\n";
  const std::string head = "POST /api/search/batch HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  const std::string half = head + body.substr(0, 5);
  send(socket, half.data(), half.size(), MSG_NOSIGNAL);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let it be read
  auto stopped = std::async(std::launch::async, [&server] { return server.Stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const std::string rest = body.substr(5);
  send(socket, rest.data(), rest.size(), MSG_NOSIGNAL);
  const std::string response = ReadUntilClosed(socket, 30);
  close(socket);
  EXPECT_EQ(StatusOf(response), 200) << response;
  EXPECT_NE(response.find("\"query\":\"Kursk\""), std::string::npos) << response;
  EXPECT_EQ(stopped.get(), 0);
  EXPECT_LT(Connect(server.port()), 0) << "still listening";
}

}  // namespace
}  // namespace tim::testing
