#include "test_util.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>
#include <xapian.h>

#include <nlohmann/json.hpp>

#include "tim/index_writer.h"

namespace tim::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device random;
  path_ = fs::temp_directory_path() /
          ("tim-test-" + std::to_string(getpid()) + "-" +
           std::to_string(random()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name,
                           const std::string& contents) const {
  const fs::path file = path_ / name;
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << contents;
  return file.string();
}

// The sample's database, built once per test binary and reused by every
// corpus test (CTest runs each test in a process of its own, and ingesting
// 2,000 articles each time would dominate the suite). It lives beside the
// binary, under a key that changes whenever the binary or the sample does.
std::string CachedSampleDatabase(const std::string& sample) {
  namespace fs = std::filesystem;
  const fs::path binary = fs::read_symlink("/proc/self/exe");
  const auto stamp = fs::last_write_time(binary).time_since_epoch().count();
  const fs::path dir = binary.parent_path() / "corpus-cache" /
                       (std::to_string(stamp) + "-" + std::to_string(fs::file_size(sample)));
  if (!fs::exists(dir / "complete")) {
    const fs::path building = dir.string() + ".building-" + std::to_string(getpid());
    fs::remove_all(building);
    IngestPaths((building / "db").string(), {sample});
    std::ofstream(building / "complete") << "ok\n";
    std::error_code ec;
    fs::rename(building, dir, ec);  // another process may have won the race
    if (ec) fs::remove_all(building);
  }
  return (dir / "db").string();
}

std::string SeedsDir() { return std::string(TIM_SOURCE_DIR) + "/seeds"; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

std::optional<std::string> CorpusSamplePath() {
  std::vector<fs::path> candidates;
  if (const char* dir = std::getenv("TIM_CORPUS_DIR")) candidates.emplace_back(dir);
  candidates.push_back(fs::path(TIM_SOURCE_DIR) / ".." / "shared" / "corpus");
  for (const fs::path& dir : candidates) {
    const fs::path sample = dir / "sample-2k.jsonl";
    if (fs::exists(sample)) return sample.string();
  }
  return std::nullopt;
}

namespace {

std::string ReadAll(int fd) {
  std::string out;
  char buffer[65536];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, n);
  return out;
}

}  // namespace

CommandResult RunProgram(const std::string& program,
                         const std::vector<std::string>& args) {
  TempDir scratch;
  const std::string out_path = (scratch.path() / "out").string();
  const std::string err_path = (scratch.path() / "err").string();
  std::vector<char*> argv;
  std::string binary = program;
  argv.push_back(binary.data());
  std::vector<std::string> copies = args;
  for (std::string& arg : copies) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int in = open("/dev/null", O_RDONLY);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  const int out = open(out_path.c_str(), O_RDONLY);
  const int err = open(err_path.c_str(), O_RDONLY);
  result.out = ReadAll(out);
  result.err = ReadAll(err);
  close(out);
  close(err);
  return result;
}

void ExpectNoDuplicateIds(const std::string& db_path) {
  const Xapian::Database db(db_path);
  size_t ids = 0;
  for (auto it = db.allterms_begin("Q"); it != db.allterms_end("Q"); ++it) {
    EXPECT_EQ(it.get_termfreq(), 1u) << *it;
    ++ids;
  }
  EXPECT_EQ(ids, db.get_doccount());
}

Child::Child(const std::vector<std::string>& args, const TempDir& dir, bool pipe_stdin,
             const std::string& stdin_path, const std::string& program) {
  const std::string out = (dir.path() / "child.out").string();
  const std::string err = (dir.path() / "child.err").string();
  int fds[2] = {-1, -1};
  if (pipe_stdin && pipe(fds) != 0) ADD_FAILURE() << "pipe failed";
  std::vector<std::string> copies = args;
  std::string binary = program;
  std::vector<char*> argv{binary.data()};
  for (std::string& arg : copies) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    const int in = pipe_stdin ? fds[0] : open(stdin_path.c_str(), O_RDONLY);
    dup2(in, 0);
    dup2(open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), 1);
    dup2(open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), 2);
    if (pipe_stdin) close(fds[1]);
    execv(argv[0], argv.data());
    _exit(127);
  }
  if (pipe_stdin) {
    close(fds[0]);
    input_ = fds[1];
  }
  out_ = out;
  err_ = err;
}

Child::~Child() {
  CloseInput();
  if (pid_ > 0 && status_ < 0) {
    kill(pid_, SIGKILL);
    Wait();
  }
}

bool Child::Running() {
  if (status_ >= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) status_ = status;
  return status_ < 0;
}

void Child::WriteInput(const std::string& text) {
  ASSERT_EQ(write(input_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
}

void Child::CloseInput() {
  if (input_ >= 0) close(input_);
  input_ = -1;
}

int Child::Wait() {
  if (status_ < 0) waitpid(pid_, &status_, 0);
  return status_;
}

std::vector<std::string> SortedLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::string SyntheticBatch(size_t count, size_t first) {
  std::vector<std::string> texts;
  for (const auto& entry : fs::directory_iterator(SeedsDir())) {
    texts.push_back(ReadFile(entry.path().string()).substr(0, 2000));
  }
  std::string out;
  for (size_t i = first; i < first + count; ++i) {
    nlohmann::json line = {
        {"id", "art-" + std::to_string(i)},
        {"body", "Bản tin số " + std::to_string(i) + ". " + texts[i % texts.size()]}};
    out += line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  return out;
}

// A loopback port nothing listens on now.
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  bind(fd, reinterpret_cast<sockaddr*>(&address), size);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  close(fd);
  return ntohs(address.sin_port);
}

bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return connected;
}

}  // namespace tim::testing
