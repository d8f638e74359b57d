// reorderer.h: puts items numbered 0, 1, 2... by several threads back in
// order (the ingest pipeline's analysis runs in parallel, its counts and
// warnings come out in input order).
#ifndef TIM_SRC_INGEST_REORDERER_H_
#define TIM_SRC_INGEST_REORDERER_H_

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

namespace tim::ingest {

template <typename T>
class Reorderer {
 public:
  explicit Reorderer(uint64_t window) : window_(window) {}

  // Blocks while `seq` is `window` or more ahead of the next item due, so
  // memory stays bounded; false once aborted.
  bool Put(uint64_t seq, T&& item) {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return aborted_ || seq < next_ + window_; });
    if (aborted_) return false;
    items_.emplace(seq, std::move(item));
    if (seq == next_) ready_.notify_one();
    return true;
  }

  // The next item in order; nullopt after the last one or once aborted.
  std::optional<T> Next() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] {
      return aborted_ || items_.count(next_) || (total_ && next_ == *total_);
    });
    const auto it = items_.find(next_);
    if (aborted_ || it == items_.end()) return std::nullopt;
    std::optional<T> item(std::move(it->second));
    items_.erase(it);
    ++next_;
    room_.notify_all();
    return item;
  }

  // There will be `total` items in all.
  void SetTotal(uint64_t total) {
    std::lock_guard lock(mutex_);
    total_ = total;
    ready_.notify_all();
  }

  void Abort() {
    std::lock_guard lock(mutex_);
    aborted_ = true;
    items_.clear();
    ready_.notify_all();
    room_.notify_all();
  }

 private:
  const uint64_t window_;
  std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::map<uint64_t, T> items_;     // guarded by mutex_
  uint64_t next_ = 0;               // guarded by mutex_
  std::optional<uint64_t> total_;   // guarded by mutex_
  bool aborted_ = false;            // guarded by mutex_
};

}  // namespace tim::ingest

#endif  // TIM_SRC_INGEST_REORDERER_H_
