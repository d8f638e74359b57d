// progress.h: the progress display of `tim ingest`.
#ifndef TIM_SRC_CLI_PROGRESS_H_
#define TIM_SRC_CLI_PROGRESS_H_

#include <chrono>
#include <string>

#include "tim/index_writer.h"

namespace tim::cli {

// A one-line progress display on stderr with rate and ETA, for terminals;
// pipes, files and CI get none.
class ProgressBar {
 public:
  // Whether stderr is a terminal that wants one (not CI, not dumb).
  static bool Wanted();

  void Update(const IngestProgress& progress);
  void Clear();

 private:
  static constexpr int kWidth = 24;
  static constexpr auto kInterval = std::chrono::milliseconds(100);

  std::chrono::steady_clock::time_point last_;
  bool shown_ = false;
};

}  // namespace tim::cli

#endif  // TIM_SRC_CLI_PROGRESS_H_
