// The generic set-associative cache: replacement policies, write policies, allocation, dirty
// evictions and maintenance. Each test states the model's rule it checks.
#include "memory_models/cache.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <list>

namespace tinysim::memory_models {
namespace {

// 2 sets x 2 ways x 16-byte lines: lines 0x00, 0x20, 0x40 all map to set 0.
CacheConfig small(Replacement replacement = Replacement::kLru) {
  return {.name = "t", .size_bytes = 64, .line_bytes = 16, .ways = 2, .replacement = replacement};
}

TEST(Cache, GeometryFromSizeLineAndWays) {
  Cache c({.size_bytes = 4096, .line_bytes = 32, .ways = 4}, nullptr);  // M7 4 KB D-cache
  EXPECT_EQ(c.sets(), 32u);
  EXPECT_EQ(c.ways(), 4u);
  EXPECT_EQ(c.line_bytes(), 32u);
}

TEST(Cache, HitAfterMissOnTheSameLine) {
  CacheCounters n;
  Cache c(small(), &n);
  EXPECT_FALSE(c.access(0x104, false).hit);
  EXPECT_TRUE(c.access(0x10C, false).hit);  // same 16-byte line
  EXPECT_EQ(n.read_misses, 1u);
  EXPECT_EQ(n.read_hits, 1u);
  EXPECT_EQ(n.fills, 1u);
}

TEST(Cache, LruEvictsTheLeastRecentlyUsedWay) {
  CacheCounters n;
  Cache c(small(Replacement::kLru), &n);
  c.access(0x00, false);  // A
  c.access(0x20, false);  // B
  c.access(0x00, false);  // A again: B is now least recently used
  c.access(0x40, false);  // C evicts B
  EXPECT_TRUE(c.contains(0x00));
  EXPECT_FALSE(c.contains(0x20));
  EXPECT_TRUE(c.contains(0x40));
  EXPECT_EQ(n.evictions, 1u);
  EXPECT_FALSE(c.access(0x20, false).hit);  // B back evicts A (used before C)
  EXPECT_FALSE(c.contains(0x00));
}

TEST(Cache, OtherSetsAreUntouched) {
  Cache c(small(), nullptr);
  c.access(0x10, false);  // set 1
  c.access(0x00, false);
  c.access(0x20, false);
  c.access(0x40, false);  // set 0 thrashes
  EXPECT_TRUE(c.contains(0x10));
}

TEST(Cache, FullyAssociativeLruMatchesAReferenceList) {
  // Wide fully associative LRU caches (the ART's 64 lines) use an index and a recency list
  // instead of scanning stamps; they must replace exactly like textbook LRU, invalidations
  // included.
  constexpr uint32_t kWays = 16;
  Cache c({.size_bytes = kWays * 16, .line_bytes = 16, .ways = kWays}, nullptr);
  std::list<uint32_t> reference;  // most recent first
  uint32_t x = 12345;
  for (int i = 0; i < 20000; ++i) {
    x = x * 1103515245u + 12345u;
    const uint32_t line = (x >> 16) % 40;
    if (i % 97 == 0) {  // now and then invalidate a line
      c.invalidate_line(line * 16);
      reference.remove(line);
      continue;
    }
    const bool expected_hit =
        std::find(reference.begin(), reference.end(), line) != reference.end();
    ASSERT_EQ(c.access(line * 16, false).hit, expected_hit) << "access " << i;
    reference.remove(line);
    reference.push_front(line);
    if (reference.size() > kWays) reference.pop_back();
  }
  c.invalidate_all();
  EXPECT_FALSE(c.contains(0));
  for (uint32_t l = 0; l < kWays; ++l) EXPECT_FALSE(c.access(l * 16, false).hit);
  for (uint32_t l = 0; l < kWays; ++l) EXPECT_TRUE(c.contains(l * 16)) << l;
}

TEST(Cache, RoundRobinIgnoresUse) {
  Cache c(small(Replacement::kRoundRobin), nullptr);
  c.access(0x00, false);  // invalid ways fill first
  c.access(0x20, false);
  c.access(0x00, false);  // a hit does not move the pointer
  c.access(0x40, false);  // replaces way 0 (A), although A was used last
  EXPECT_FALSE(c.contains(0x00));
  EXPECT_TRUE(c.contains(0x20));
  c.access(0x60, false);  // then way 1 (B)
  EXPECT_FALSE(c.contains(0x20));
  EXPECT_TRUE(c.contains(0x40));
}

TEST(Cache, RandomIsDeterministicForASeed) {
  CacheConfig cfg = small(Replacement::kRandom);
  cfg.random_seed = 7;
  Cache a(cfg, nullptr), b(cfg, nullptr);
  for (uint32_t i = 0; i < 64; ++i) {
    const uint32_t address = (i * 0x20) % 0x200;
    EXPECT_EQ(a.access(address, false).hit, b.access(address, false).hit) << i;
  }
}

TEST(Cache, WriteBackEvictionWritesTheDirtyLine) {
  CacheCounters n;
  Cache c({.size_bytes = 32,
           .line_bytes = 16,
           .ways = 2,
           .write_policy = WritePolicy::kWriteBack,
           .allocate = AllocatePolicy::kReadWriteAllocate},
          &n);
  const Cache::Result w = c.access(0x100, true);  // write miss allocates, line dirty
  EXPECT_TRUE(w.filled);
  EXPECT_TRUE(c.slot_dirty(w.slot));
  c.access(0x200, false);
  const Cache::Result r = c.access(0x300, false);  // evicts the LRU line: the dirty 0x100
  EXPECT_TRUE(r.filled);
  EXPECT_TRUE(r.wrote_back);
  EXPECT_EQ(r.victim_address, 0x100u);
  EXPECT_EQ(n.writebacks, 1u);
  const Cache::Result r2 = c.access(0x400, false);  // evicts the clean 0x200
  EXPECT_FALSE(r2.wrote_back);
  EXPECT_EQ(n.writebacks, 1u);
}

TEST(Cache, WriteThroughNeverDirties) {
  Cache c({.size_bytes = 32,
           .line_bytes = 16,
           .ways = 2,
           .write_policy = WritePolicy::kWriteThrough,
           .allocate = AllocatePolicy::kReadWriteAllocate},
          nullptr);
  c.access(0x100, true);
  c.access(0x200, false);
  EXPECT_FALSE(c.access(0x300, false).wrote_back);
}

TEST(Cache, ReadAllocateDoesNotFillOnAWriteMiss) {
  CacheCounters n;
  Cache c(
      {.size_bytes = 32, .line_bytes = 16, .ways = 2, .allocate = AllocatePolicy::kReadAllocate},
      &n);
  const Cache::Result w = c.access(0x100, true);
  EXPECT_FALSE(w.hit);
  EXPECT_FALSE(w.filled);
  EXPECT_FALSE(c.contains(0x100));
  EXPECT_EQ(n.write_misses, 1u);
  EXPECT_EQ(n.fills, 0u);
  c.access(0x100, false);
  EXPECT_TRUE(c.access(0x104, true).hit);  // a write hit on a present line
  EXPECT_EQ(n.write_hits, 1u);
}

TEST(Cache, MaintenanceByAddressAndSetWay) {
  CacheCounters n;
  Cache c({.size_bytes = 128,
           .line_bytes = 16,
           .ways = 2,
           .allocate = AllocatePolicy::kReadWriteAllocate},
          &n);
  c.access(0x00, true);   // set 0, dirty
  c.access(0x10, true);   // set 1, dirty
  c.access(0x20, false);  // set 2, clean
  EXPECT_EQ(c.clean_line(0x00, /*invalidate=*/false), 1u);
  EXPECT_TRUE(c.contains(0x00));
  EXPECT_EQ(c.clean_line(0x00, false), 0u);  // already clean
  const int32_t slot = c.find(0x10);
  ASSERT_GE(slot, 0);
  const uint32_t way = static_cast<uint32_t>(slot) % c.ways();
  EXPECT_EQ(c.clean_set_way(1, way, /*clean=*/true, /*invalidate=*/true), 1u);
  EXPECT_FALSE(c.contains(0x10));
  c.invalidate_line(0x20);
  EXPECT_FALSE(c.contains(0x20));
  c.access(0x30, true);
  EXPECT_EQ(c.clean_all(/*invalidate=*/true), 1u);
  EXPECT_FALSE(c.contains(0x00));
  EXPECT_EQ(n.writebacks, 3u);
}

TEST(Cache, ValidationNamesTheField) {
  EXPECT_EQ(validate_cache_config({}, "l1"), "");  // size 0: no cache
  EXPECT_NE(validate_cache_config({.size_bytes = 96, .line_bytes = 24, .ways = 2}, "l1")
                .find("l1.line_bytes"),
            std::string::npos);
  EXPECT_NE(validate_cache_config({.size_bytes = 100, .line_bytes = 16, .ways = 2}, "l1")
                .find("l1.size_bytes"),
            std::string::npos);
  EXPECT_NE(validate_cache_config({.size_bytes = 96, .line_bytes = 16, .ways = 2}, "l1")
                .find("power of two"),
            std::string::npos);  // 3 sets
  EXPECT_NE(
      validate_cache_config({.size_bytes = 64, .line_bytes = 16, .ways = 0}, "x").find("x.ways"),
      std::string::npos);
}

}  // namespace
}  // namespace tinysim::memory_models
