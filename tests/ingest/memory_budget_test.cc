// The ingest pipeline's memory budget (hardening 7): the reader waits while
// the articles in flight hold it, an article larger than the whole budget
// goes alone, and a failing batch wakes a waiting reader.
#include "ingest/memory_budget.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <optional>
#include <string>

#include "index/stored_article_codec.h"

namespace tim::ingest {
namespace {

// True once `taken` has returned; `release` makes room for it.
template <typename Release>
bool WaitsUntil(std::future<MemoryBudget::Share>& taken, Release release) {
  // A wait that ends early means Take did not block: fails the check below.
  const bool blocked = taken.wait_for(std::chrono::milliseconds(50)) == std::future_status::timeout;
  release();
  taken.wait();
  return blocked;
}

TEST(MemoryBudgetTest, TakeWaitsForRoomAndSharesGoBackWhenDropped) {
  MemoryBudget budget(100);
  std::optional<MemoryBudget::Share> first(budget.Take(60));
  EXPECT_EQ(first->bytes(), 60u);
  auto second = std::async(std::launch::async, [&] { return budget.Take(50); });
  EXPECT_TRUE(WaitsUntil(second, [&] { first.reset(); }));
  EXPECT_EQ(second.get().bytes(), 50u);
}

TEST(MemoryBudgetTest, ARecordLargerThanTheBudgetGoesAlone) {
  MemoryBudget budget(100);
  std::optional<MemoryBudget::Share> small(budget.Take(10));
  auto huge = std::async(std::launch::async, [&] { return budget.Take(1000); });
  EXPECT_TRUE(WaitsUntil(huge, [&] { small.reset(); }));
  MemoryBudget::Share moved = huge.get();
  EXPECT_EQ(moved.bytes(), 1000u);
}

TEST(MemoryBudgetTest, AbortWakesAWaitingReader) {
  MemoryBudget budget(100);
  MemoryBudget::Share held = budget.Take(100);
  auto waiting = std::async(std::launch::async, [&] { return budget.Take(1); });
  EXPECT_TRUE(WaitsUntil(waiting, [&] { budget.Abort(); }));
}

TEST(TrainingSamplesTest, AHugeArticleGivesOnlyItsBeginning) {
  TrainingSamples samples;
  samples.Add(std::string(15 << 20, 'x'));
  samples.Add("{\"id\":\"a\"}");
  EXPECT_EQ(samples.joined().size(), kMaxTrainingSampleBytes + 10);
  EXPECT_EQ(samples.sizes().back(), 10u);
}

}  // namespace
}  // namespace tim::ingest
