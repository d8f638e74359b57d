// fault_injector.cc: an LD_PRELOAD library that SIGKILLs the process it is
// loaded into at a chosen file-system change, so that a test can stop a
// writer at an exact, repeatable point of any write path (a shard's 20th
// block write, the directory exchange of a swap, the 3rd file moved back
// after it) rather than after a sleep that lands wherever the machine's
// load puts it.
//
// Events are the libc calls that change files: open with O_CREAT/O_TRUNC,
// write/pwrite to a regular file, fsync/fdatasync, ftruncate, rename (a
// RENAME_EXCHANGE is "exchange"), unlink/remove/rmdir and mkdir. Each is
// described as "OP PATH" (or "OP FROM -> TO"); paths of descriptors come
// from /proc/self/fd. Environment:
//   TIM_FAULT_MATCH  only events containing this text count (default: all)
//   TIM_FAULT_ARM    counting starts after the first event containing this
//   TIM_FAULT_LOG    appends every counted event to this file, one a line
//   TIM_FAULT_AT     SIGKILL at the Nth counted event (1-based) ...
//   TIM_FAULT_AFTER  ... once it has happened when "1", else before it
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

struct Config {
  const char* match = nullptr;
  const char* arm = nullptr;
  long at = 0;
  bool after = false;
  int log = -1;
};

using WriteFn = ssize_t (*)(int, const void*, size_t);

WriteFn RealWrite() {
  static const auto real = reinterpret_cast<WriteFn>(dlsym(RTLD_NEXT, "write"));
  return real;
}

const Config& Settings() {
  static const Config config = [] {
    Config c;
    c.match = std::getenv("TIM_FAULT_MATCH");
    c.arm = std::getenv("TIM_FAULT_ARM");
    if (const char* at = std::getenv("TIM_FAULT_AT")) c.at = std::atol(at);
    if (const char* after = std::getenv("TIM_FAULT_AFTER")) c.after = after[0] == '1';
    if (const char* log = std::getenv("TIM_FAULT_LOG")) {
      // Not through this library's open(), which needs these settings.
      using OpenFn = int (*)(const char*, int, ...);
      static const auto real_open = reinterpret_cast<OpenFn>(dlsym(RTLD_NEXT, "open"));
      c.log = real_open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    }
    return c;
  }();
  return config;
}

bool Active() {
  const Config& c = Settings();
  return c.at > 0 || c.log >= 0;
}

std::atomic<bool> armed{false};
std::atomic<long> counted{0};

std::string FdPath(int fd) {
  char link[64], target[4096];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, target, sizeof target - 1);
  return n > 0 ? std::string(target, static_cast<size_t>(n)) : std::string("?");
}

bool RegularFile(int fd) {
  struct stat st {};
  return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

// Whether the process dies at this event, given whether it has happened.
// Called once before (happened=false) and once after each event.
void Event(const std::string& what, bool happened) {
  const Config& c = Settings();
  if (!armed.load()) {
    if (c.arm && !std::strstr(what.c_str(), c.arm)) return;
    if (!happened) return;
    armed = true;
    if (c.arm) return;  // the arming event itself does not count
  }
  if (c.match && !std::strstr(what.c_str(), c.match)) return;
  static thread_local long number = 0;
  if (!happened) {
    number = ++counted;
    if (c.log >= 0) {
      const std::string line = what + "\n";
      RealWrite()(c.log, line.data(), line.size());
    }
  }
  if (c.at > 0 && number == c.at && happened == c.after) kill(getpid(), SIGKILL);
}

template <typename Fn>
Fn Real(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

// Runs `call` between the two halves of an event.
template <typename Call>
auto Around(const std::string& what, Call call) {
  Event(what, false);
  auto result = call();
  Event(what, true);
  return result;
}

bool Creates(int flags) { return flags & (O_CREAT | O_TRUNC); }

int Mode(int flags, va_list args) {
  return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(args, int) : 0;
}

int OpenAt(int dir, const char* path, int flags, int mode) {
  using Fn = int (*)(int, const char*, int, ...);
  static const Fn real_at = Real<Fn>("openat");
  if (!Active() || !Creates(flags)) return real_at(dir, path, flags, mode);
  return Around(std::string("create ") + path, [&] { return real_at(dir, path, flags, mode); });
}

}  // namespace

extern "C" {

int open(const char* path, int flags, ...) {
  va_list args;
  va_start(args, flags);
  const int mode = Mode(flags, args);
  va_end(args);
  return OpenAt(AT_FDCWD, path, flags, mode);
}

int open64(const char* path, int flags, ...) {
  va_list args;
  va_start(args, flags);
  const int mode = Mode(flags, args);
  va_end(args);
  return OpenAt(AT_FDCWD, path, flags, mode);
}

int openat(int dir, const char* path, int flags, ...) {
  va_list args;
  va_start(args, flags);
  const int mode = Mode(flags, args);
  va_end(args);
  return OpenAt(dir, path, flags, mode);
}

ssize_t write(int fd, const void* data, size_t size) {
  if (!Active() || !RegularFile(fd)) return RealWrite()(fd, data, size);
  return Around("write " + FdPath(fd), [&] { return RealWrite()(fd, data, size); });
}

ssize_t pwrite(int fd, const void* data, size_t size, off_t offset) {
  using Fn = ssize_t (*)(int, const void*, size_t, off_t);
  static const Fn real = Real<Fn>("pwrite");
  if (!Active() || !RegularFile(fd)) return real(fd, data, size, offset);
  return Around("write " + FdPath(fd), [&] { return real(fd, data, size, offset); });
}

ssize_t pwrite64(int fd, const void* data, size_t size, off_t offset) {
  using Fn = ssize_t (*)(int, const void*, size_t, off_t);
  static const Fn real = Real<Fn>("pwrite64");
  if (!Active() || !RegularFile(fd)) return real(fd, data, size, offset);
  return Around("write " + FdPath(fd), [&] { return real(fd, data, size, offset); });
}

int fsync(int fd) {
  static const auto real = Real<int (*)(int)>("fsync");
  if (!Active()) return real(fd);
  return Around("sync " + FdPath(fd), [&] { return real(fd); });
}

int fdatasync(int fd) {
  static const auto real = Real<int (*)(int)>("fdatasync");
  if (!Active()) return real(fd);
  return Around("sync " + FdPath(fd), [&] { return real(fd); });
}

int ftruncate(int fd, off_t length) {
  static const auto real = Real<int (*)(int, off_t)>("ftruncate");
  if (!Active()) return real(fd, length);
  return Around("truncate " + FdPath(fd), [&] { return real(fd, length); });
}

int rename(const char* from, const char* to) {
  static const auto real = Real<int (*)(const char*, const char*)>("rename");
  if (!Active()) return real(from, to);
  return Around(std::string("rename ") + from + " -> " + to, [&] { return real(from, to); });
}

int renameat2(int from_dir, const char* from, int to_dir, const char* to, unsigned flags) {
  using Fn = int (*)(int, const char*, int, const char*, unsigned);
  static const Fn real = Real<Fn>("renameat2");
  if (!Active()) return real(from_dir, from, to_dir, to, flags);
  const std::string op = (flags & RENAME_EXCHANGE) ? "exchange " : "rename ";
  return Around(op + from + " -> " + to,
                [&] { return real(from_dir, from, to_dir, to, flags); });
}

int unlink(const char* path) {
  static const auto real = Real<int (*)(const char*)>("unlink");
  if (!Active()) return real(path);
  return Around(std::string("unlink ") + path, [&] { return real(path); });
}

int unlinkat(int dir, const char* path, int flags) {
  static const auto real = Real<int (*)(int, const char*, int)>("unlinkat");
  if (!Active()) return real(dir, path, flags);
  return Around(std::string("unlink ") + path, [&] { return real(dir, path, flags); });
}

int remove(const char* path) {
  static const auto real = Real<int (*)(const char*)>("remove");
  if (!Active()) return real(path);
  return Around(std::string("unlink ") + path, [&] { return real(path); });
}

int rmdir(const char* path) {
  static const auto real = Real<int (*)(const char*)>("rmdir");
  if (!Active()) return real(path);
  return Around(std::string("unlink ") + path, [&] { return real(path); });
}

int mkdir(const char* path, mode_t mode) {
  static const auto real = Real<int (*)(const char*, mode_t)>("mkdir");
  if (!Active()) return real(path, mode);
  return Around(std::string("mkdir ") + path, [&] { return real(path, mode); });
}

}  // extern "C"
