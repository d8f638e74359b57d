// server_process.h: a real `tim serve` on a free loopback port, for the API
// tests, and plain sockets for requests no HTTP client would send.
#ifndef TIM_TESTS_SERVER_SERVER_PROCESS_H_
#define TIM_TESTS_SERVER_SERVER_PROCESS_H_

#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace tim::testing {

class ServerProcess {
 public:
  // Runs `tim serve --port 0 ARGS...` and waits for the line that names
  // its port. Fails the test (and port() is 0) if it does not start.
  explicit ServerProcess(const std::vector<std::string>& args);
  ~ServerProcess();  // stops the server if it still runs
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  // A client for this server; paths are sent as given (see Url()).
  httplib::Client Client() const;
  // Sends SIGTERM and returns the exit code.
  int Stop();
  // The server's stderr so far (the access log).
  std::string Log() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  TempDir dir_;
};

// A suite sharing one `tim serve` on a database of the seed articles:
// StartServer from SetUpTestSuite, StopServer from TearDownTestSuite.
class SeedServerSuite : public ::testing::Test {
 protected:
  // Ingests the seeds into db_, then runs `tim serve --db DB FLAGS...`.
  static void StartServer(const std::vector<std::string>& flags) {
    dir_ = new TempDir;
    db_ = (dir_->path() / "db").string();
    ASSERT_EQ(RunTim({"ingest", "--db", db_, SeedsDir()}).exit_code, 0);
    std::vector<std::string> args = {"--db", db_};
    args.insert(args.end(), flags.begin(), flags.end());
    server_ = new ServerProcess(args);
  }
  static void StopServer() {
    delete server_;
    server_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }

  inline static TempDir* dir_ = nullptr;
  inline static std::string db_;
  inline static ServerProcess* server_ = nullptr;
};

// `text` percent-encoded for a URL (every byte but unreserved ASCII).
std::string Encode(std::string_view text);

// Connects to the server on `port`, sends `request` as it is and returns
// everything the server sends until it closes the connection (or the read
// times out after `timeout_seconds`).
std::string RawExchange(int port, const std::string& request, int timeout_seconds = 30);

// A connected socket to `port` (-1 on failure).
int Connect(int port);
// One whole reply (headers and a body of Content-Length) from `socket`.
std::string ReadReply(int socket, int timeout_seconds = 30);
// Everything readable from `socket` until the server closes it or
// `timeout_seconds` pass.
std::string ReadUntilClosed(int socket, int timeout_seconds);

}  // namespace tim::testing

#endif  // TIM_TESTS_SERVER_SERVER_PROCESS_H_
