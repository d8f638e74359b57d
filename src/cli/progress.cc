#include "cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace tim::cli {

namespace {

std::string Duration(double seconds) {
  const long total = static_cast<long>(seconds + 0.5);
  char text[32];
  std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
  return text;
}

}  // namespace

bool ProgressBar::Wanted() {
  const char* term = std::getenv("TERM");
  return isatty(STDERR_FILENO) && std::getenv("CI") == nullptr &&
         !(term && std::string(term) == "dumb");
}

void ProgressBar::Update(const IngestProgress& progress) {
  const auto now = std::chrono::steady_clock::now();
  if (!progress.finishing && shown_ && now - last_ < kInterval) return;
  last_ = now;
  shown_ = true;
  const double rate = progress.elapsed_seconds > 0
                          ? progress.records / progress.elapsed_seconds
                          : 0;
  if (progress.finishing) {
    std::fprintf(stderr, "\r%llu records read; committing...\033[K",
                 static_cast<unsigned long long>(progress.records));
  } else if (progress.input_total > 0) {
    const double done = std::min(
        1.0, static_cast<double>(progress.input_bytes) / progress.input_total);
    const int filled = static_cast<int>(done * kWidth);
    const double eta =
        done > 0 ? progress.elapsed_seconds * (1 - done) / done : 0;
    std::fprintf(stderr, "\r[%s%s] %3.0f%%  %llu records  %.0f/s  ETA %s\033[K",
                 std::string(filled, '#').c_str(),
                 std::string(kWidth - filled, '.').c_str(), done * 100,
                 static_cast<unsigned long long>(progress.records), rate,
                 Duration(eta).c_str());
  } else {
    std::fprintf(stderr, "\r%llu records  %.0f/s\033[K",
                 static_cast<unsigned long long>(progress.records), rate);
  }
  std::fflush(stderr);
}

void ProgressBar::Clear() {
  if (shown_) std::fprintf(stderr, "\r\033[K");
}

}  // namespace tim::cli
