#include "server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <sstream>

namespace tim::testing {

namespace {

// The first line `fd` gives within 60 s ("" on EOF or timeout).
std::string FirstLine(int fd) {
  std::string line;
  char c;
  while (line.empty() || line.back() != '\n') {
    pollfd ready{fd, POLLIN, 0};
    if (poll(&ready, 1, 60000) <= 0 || read(fd, &c, 1) != 1) return "";
    line += c;
  }
  return line;
}

}  // namespace

ServerProcess::ServerProcess(const std::vector<std::string>& args) {
  std::vector<std::string> command = {TIM_BINARY, "serve", "--port", "0"};
  command.insert(command.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : command) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const std::string err_path = (dir_.path() / "stderr").string();
  int out[2];
  if (pipe(out) != 0) {
    ADD_FAILURE() << "pipe: " << std::strerror(errno);
    return;
  }
  pid_ = fork();
  if (pid_ == 0) {
    // A test binary that dies (a crash, a timeout) takes its server along.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int in = open("/dev/null", O_RDONLY);
    dup2(in, 0);
    dup2(out[1], 1);
    dup2(err, 2);
    close(out[0]);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  const std::string line = FirstLine(out[0]);
  close(out[0]);  // the server writes nothing more on stdout
  const size_t colon = line.find("http://127.0.0.1:");
  if (colon != std::string::npos) port_ = std::stoi(line.substr(colon + 17));
  if (port_ == 0) ADD_FAILURE() << "tim serve did not start: " << line << Log();
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop();
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

httplib::Client ServerProcess::Client() const {
  httplib::Client client("127.0.0.1", port_);
  client.set_url_encode(false);
  client.set_read_timeout(60);
  return client;
}

std::string ServerProcess::Log() const { return ReadFile((dir_.path() / "stderr").string()); }

std::string Encode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += {'%', kHex[byte >> 4], kHex[byte & 15]};
    }
  }
  return out;
}

int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

std::string ReadUntilClosed(int socket, int timeout_seconds) {
  std::string received;
  char buffer[65536];
  for (;;) {
    pollfd ready{socket, POLLIN, 0};
    if (poll(&ready, 1, timeout_seconds * 1000) <= 0) break;
    const ssize_t n = read(socket, buffer, sizeof buffer);
    if (n <= 0) break;
    received.append(buffer, static_cast<size_t>(n));
  }
  return received;
}

std::string ReadReply(int socket, int timeout_seconds) {
  std::string reply;
  auto read_some = [&] {
    pollfd ready{socket, POLLIN, 0};
    char buffer[65536];
    if (poll(&ready, 1, timeout_seconds * 1000) <= 0) return false;
    const ssize_t n = read(socket, buffer, sizeof buffer);
    if (n > 0) reply.append(buffer, static_cast<size_t>(n));
    return n > 0;
  };
  while (reply.find("\r\n\r\n") == std::string::npos) {
    if (!read_some()) return reply;
  }
  const size_t head = reply.find("\r\n\r\n") + 4;
  const size_t length_at = reply.find("Content-Length: ");
  const size_t length =
      length_at < head ? std::stoul(reply.substr(length_at + 16)) : 0;
  while (reply.size() < head + length) {
    if (!read_some()) break;
  }
  return reply;
}

std::string RawExchange(int port, const std::string& request, int timeout_seconds) {
  const int socket = Connect(port);
  if (socket < 0) return "";
  for (size_t sent = 0; sent < request.size();) {
    const ssize_t n = send(socket, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string response = ReadUntilClosed(socket, timeout_seconds);
  close(socket);
  return response;
}

}  // namespace tim::testing
