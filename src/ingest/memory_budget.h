// memory_budget.h: bounds the input a batch holds in memory at once,
// whatever the size of its records. The queues between the ingest stages
// count records, which is enough for news articles of a few KB; but 40
// records of 15 MiB all fit in those queues, and took 1.3 GB (hardening 7).
// The reader takes a share of the budget for each article before queueing
// it; the share travels with the article and comes back when the article
// is written or dropped.
#ifndef TIM_SRC_INGEST_MEMORY_BUDGET_H_
#define TIM_SRC_INGEST_MEMORY_BUDGET_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <utility>

namespace tim::ingest {

class MemoryBudget {
 public:
  // A part of the budget, given back when destroyed. Move-only.
  class Share {
   public:
    Share() = default;
    Share(Share&& other) noexcept
        : budget_(std::exchange(other.budget_, nullptr)), bytes_(other.bytes_) {}
    Share& operator=(Share&& other) noexcept {
      if (this != &other) {
        Release();
        budget_ = std::exchange(other.budget_, nullptr);
        bytes_ = other.bytes_;
      }
      return *this;
    }
    ~Share() { Release(); }
    uint64_t bytes() const { return budget_ ? bytes_ : 0; }

   private:
    friend class MemoryBudget;
    Share(MemoryBudget* budget, uint64_t bytes) : budget_(budget), bytes_(bytes) {}
    void Release() {
      if (budget_) budget_->Give(bytes_);
      budget_ = nullptr;
    }
    MemoryBudget* budget_ = nullptr;
    uint64_t bytes_ = 0;
  };

  explicit MemoryBudget(uint64_t limit) : limit_(limit) {}
  // Shares must not outlive the budget.
  ~MemoryBudget() = default;
  MemoryBudget(const MemoryBudget&) = delete;
  MemoryBudget& operator=(const MemoryBudget&) = delete;

  // Blocks until `bytes` fit in what is not taken; a record larger than the
  // whole budget waits until nothing else is held, then goes alone. Once
  // aborted, returns at once (the batch is failing).
  Share Take(uint64_t bytes) {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [&] { return aborted_ || taken_ == 0 || taken_ + bytes <= limit_; });
    taken_ += bytes;
    return Share(this, bytes);
  }

  // Wakes every Take for good.
  void Abort() {
    std::lock_guard lock(mutex_);
    aborted_ = true;
    returned_.notify_all();
  }

 private:
  void Give(uint64_t bytes) {
    std::lock_guard lock(mutex_);
    taken_ -= bytes;
    returned_.notify_all();
  }

  const uint64_t limit_;
  std::mutex mutex_;
  std::condition_variable returned_;
  uint64_t taken_ = 0;   // guarded by mutex_
  bool aborted_ = false;  // guarded by mutex_
};

}  // namespace tim::ingest

#endif  // TIM_SRC_INGEST_MEMORY_BUDGET_H_
