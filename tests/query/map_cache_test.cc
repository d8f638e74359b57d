// The position maps kept in memory (MapCache): each article's first map
// kept, a budget that stops keeping and leaves the caller's map, bytes
// given back when a cache goes, and one cache per database revision.
#include "query/map_cache.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace tim {
namespace {

std::shared_ptr<std::atomic<size_t>> NothingUsed() {
  return std::make_shared<std::atomic<size_t>>(0);
}

TEST(MapCacheTest, KeepsTheFirstMapOfAnArticle) {
  MapCache cache(10, SIZE_MAX, NothingUsed());
  EXPECT_EQ(cache.Find(3), nullptr);
  std::string first = "first map", second = "second map";
  const std::string* kept = cache.Keep(3, &first);
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(*kept, "first map");
  EXPECT_EQ(cache.Find(3), kept);
  EXPECT_EQ(cache.Keep(3, &second), kept);
  EXPECT_EQ(second, "second map");  // not taken
  EXPECT_EQ(cache.Find(4), nullptr);
  std::string late = "late";
  EXPECT_EQ(cache.Keep(11, &late), nullptr);  // beyond the last docid
  EXPECT_EQ(late, "late");
}

// Keeps maps of 100 KB in `cache` until it refuses one; how many it kept.
size_t KeepUntilRefused(MapCache* cache) {
  for (Xapian::docid id = 1;; ++id) {
    std::string map(100'000, 'm');
    if (!cache->Keep(id, &map)) {
      EXPECT_EQ(map, std::string(100'000, 'm'));  // still the caller's
      EXPECT_EQ(cache->Find(id), nullptr);
      return id - 1;
    }
  }
}

TEST(MapCacheTest, KeepsNothingOverItsBudgetAndLeavesTheMap) {
  const auto used = NothingUsed();
  MapCache cache(1000, size_t{1} << 20, used);
  const size_t kept = KeepUntilRefused(&cache);
  EXPECT_GE(kept, 8u);  // 1 MiB: 10 maps, less their slots
  EXPECT_LE(kept, 10u);
  EXPECT_LE(used->load(), size_t{1} << 20);
  EXPECT_NE(cache.Find(1), nullptr);
}

TEST(MapCacheTest, ABudgetSharedByCachesComesBackWhenOneGoes) {
  const auto used = NothingUsed();
  auto first = std::make_unique<MapCache>(1000, size_t{1} << 20, used);
  MapCache second(1000, size_t{1} << 20, used);
  const size_t kept = KeepUntilRefused(first.get());
  EXPECT_EQ(KeepUntilRefused(&second), 0u);
  first.reset();
  EXPECT_LT(used->load(), 100'000u);  // first's maps given back (second holds some slots)
  EXPECT_EQ(KeepUntilRefused(&second), kept);
}

TEST(MapCachesTest, OneCachePerRevision) {
  const testing::TempDir dir;
  const std::string path = (dir.path() / "db").string();
  Xapian::WritableDatabase writer(path, Xapian::DB_CREATE);
  writer.add_document(Xapian::Document());
  writer.commit();
  MapCaches caches(1 << 20);
  const Xapian::Database reader(path);
  const std::shared_ptr<MapCache> cache = caches.For(reader);
  ASSERT_NE(cache, nullptr);
  EXPECT_EQ(caches.For(Xapian::Database(path)), cache);
  writer.add_document(Xapian::Document());
  writer.commit();
  EXPECT_NE(caches.For(Xapian::Database(path)), cache);
  // Uncommitted, a writer's own handle reads another content.
  writer.add_document(Xapian::Document());
  EXPECT_NE(caches.For(writer), caches.For(Xapian::Database(path)));
}

TEST(MapCachesTest, NoneWithoutABudgetOrARevision) {
  const testing::TempDir dir;
  const std::string path = (dir.path() / "db").string();
  Xapian::WritableDatabase(path, Xapian::DB_CREATE).commit();
  EXPECT_EQ(MapCaches(0).For(Xapian::Database(path)), nullptr);
  Xapian::WritableDatabase in_memory(std::string(), Xapian::DB_BACKEND_INMEMORY);
  EXPECT_EQ(MapCaches(1 << 20).For(in_memory), nullptr);
  Xapian::Database shards(path);
  shards.add_database(Xapian::Database(path));
  EXPECT_EQ(MapCaches(1 << 20).For(shards), nullptr);
}

}  // namespace
}  // namespace tim
