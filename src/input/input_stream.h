// input_stream.h: an input file (plain, gzip-compressed or standard
// input) read through a buffer, by lines or whole: what the seed-text and
// JSON Lines readers read from. Internal to src/input.
#ifndef TIM_SRC_INPUT_INPUT_STREAM_H_
#define TIM_SRC_INPUT_INPUT_STREAM_H_

#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "input/article_files.h"
#include "tim/error.h"

namespace tim::input {

// A JSON line longer than this is refused rather than buffered, so that a
// file without newlines cannot exhaust memory.
inline constexpr size_t kMaxLineBytes = size_t{16} << 20;

// "x.jsonl.gz" -> "x.jsonl".
std::string_view WithoutGz(std::string_view name);
// The default id stem of a file's records: "a/x.jsonl.gz" -> "x".
std::string FileStem(const std::string& name);
// Error(kNotFound) for ENOENT, else Error(kIo), naming `path`.
[[noreturn]] void ThrowIoError(const std::string& path, int error);

// An input file, plain or gzip-compressed: zlib reads both (it looks at the
// magic bytes, not the name), so a misnamed file is still read right.
class Input {
 public:
  // `path` "-" is standard input.
  Input(const std::string& path, const ReadOptions& options)
      : name_(DisplayName(path)), options_(options) {
    if (path == kStdinPath) {
      // A duplicate, so that closing the input leaves fd 0 open.
      const int fd = dup(STDIN_FILENO);
      file_ = fd < 0 ? nullptr : gzdopen(fd, "rb");
      if (!file_ && fd >= 0) close(fd);
    } else {
      errno = 0;
      file_ = gzopen(path.c_str(), "rb");
    }
    if (!file_) ThrowIoError(name_, errno ? errno : ENOMEM);
    gzbuffer(file_, 1 << 17);
  }
  ~Input() {
    ReportProgress();
    gzclose(file_);
  }
  Input(const Input&) = delete;
  Input& operator=(const Input&) = delete;

  const std::string& name() const { return name_; }

  // Reads up to `size` bytes; 0 at the end. Throws for a read error or a
  // corrupt or truncated compressed file.
  size_t Read(char* buffer, size_t size) {
    const int n = gzread(file_, buffer, static_cast<unsigned>(size));
    int zerror = Z_OK;
    const char* message = gzerror(file_, &zerror);
    if (n < 0 || (zerror != Z_OK && zerror != Z_STREAM_END)) {
      if (zerror == Z_ERRNO) ThrowIoError(name_, errno);
      throw Error(ErrorCode::kInvalidInput,
                  name_ + ": corrupt compressed data (" + message + ")");
    }
    ReportProgress();
    return static_cast<size_t>(n);
  }

 private:
  static std::string DisplayName(const std::string& path) {
    return path == kStdinPath ? std::string(kStdinName) : path;
  }

  // Tells the caller how many bytes of the file (compressed, as on disk)
  // were consumed since the last call.
  void ReportProgress() {
    if (!options_.on_input_bytes) return;
    const z_off_t offset = gzoffset(file_);
    if (offset < 0 || static_cast<uint64_t>(offset) <= reported_) return;
    options_.on_input_bytes(static_cast<uint64_t>(offset) - reported_);
    reported_ = static_cast<uint64_t>(offset);
  }

  const std::string name_;
  const ReadOptions& options_;
  gzFile file_ = nullptr;
  uint64_t reported_ = 0;
};

// Reads lines through a fixed buffer. A line longer than kMaxLineBytes is
// skipped up to its newline and reported as too long.
class LineReader {
 public:
  explicit LineReader(Input* input) : input_(input), buffer_(kBufferSize) {}

  const std::string& name() const { return input_->name(); }

  // The bytes at the read position that the buffer holds, without
  // consuming them: the first kBufferSize bytes of the input (or all of
  // it, when shorter) before anything is read.
  std::string_view Peek() {
    if (pos_ == end_) Fill();
    return std::string_view(buffer_.data() + pos_, end_ - pos_);
  }

  // True if the start of the input holds a NUL byte, which text never does.
  bool StartsBinary() {
    const std::string_view start = Peek().substr(0, 4096);
    return start.find('\0') != std::string_view::npos;
  }

  // Consumes the blank lines (nothing but spaces, tabs and CRs before the
  // newline) at the read position and returns how many, so that a run of
  // millions of them (a gzip of gigabytes of newlines) costs little more
  // than its decompression. A blank line cut by the end of the buffer is
  // left to ReadLine.
  size_t SkipBlankLines() {
    size_t lines = 0;
    for (;;) {
      if (pos_ == end_ && !Fill()) return lines;
      const char* const data = buffer_.data();
      size_t i = pos_;
      while (i < end_) {
        if (i + 8 <= end_ && std::memcmp(data + i, "\n\n\n\n\n\n\n\n", 8) == 0) {
          i += 8;
          lines += 8;
          pos_ = i;
        } else if (data[i] == '\n') {
          ++lines;
          pos_ = ++i;
        } else if (data[i] == ' ' || data[i] == '\t' || data[i] == '\r') {
          ++i;
        } else {
          return lines;  // text: pos_ is the start of its line
        }
      }
      if (pos_ != end_) return lines;
    }
  }

  // Appends the rest of the input to *out; returns false (with *out cut
  // short) when that would make *out longer than `limit`.
  bool ReadRest(size_t limit, std::string* out) {
    for (;;) {
      if (pos_ == end_ && !Fill()) return true;
      out->append(buffer_.data() + pos_, end_ - pos_);
      pos_ = end_;
      if (out->size() > limit) return false;
    }
  }

  // Reads the next line without its "\n" into *line; returns false at the
  // end of the file.
  bool ReadLine(std::string* line, bool* too_long) {
    line->clear();
    *too_long = false;
    bool any = false;
    for (;;) {
      if (pos_ == end_ && !Fill()) return any;
      any = true;
      const char* start = buffer_.data() + pos_;
      const size_t available = end_ - pos_;
      const void* newline = std::memchr(start, '\n', available);
      const size_t n =
          newline ? static_cast<const char*>(newline) - start : available;
      if (!*too_long && line->size() + n > kMaxLineBytes) {
        *too_long = true;
        line->clear();
        line->shrink_to_fit();
      }
      if (!*too_long) line->append(start, n);
      pos_ += n;
      if (newline) {
        ++pos_;
        return true;
      }
    }
  }

  static constexpr size_t kBufferSize = 1 << 16;

 private:
  bool Fill() {
    pos_ = 0;
    end_ = input_->Read(buffer_.data(), buffer_.size());
    return end_ > 0;
  }

  Input* const input_;
  std::vector<char> buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
};

}  // namespace tim::input

#endif  // TIM_SRC_INPUT_INPUT_STREAM_H_
