// Exact-cycle tests of the flash accelerators on instruction streams and literal reads. Each
// test names the reference-manual statement it reproduces, or the model's own rule
// (i_flash_accelerator.h, impl/line_stream.h).
#include "memory_models/i_flash_accelerator.h"

#include <gtest/gtest.h>

#include <memory>

#include "configs.h"

namespace tinysim::memory_models {
namespace {

using testing::kFlashBase;

FlashTiming timing(uint32_t line_bytes, uint32_t wait_states, bool prefetch, bool icache,
                   bool dcache) {
  return {.line_bytes = line_bytes,
          .read_cycles = wait_states + 1,
          .prefetch = prefetch,
          .icache = icache,
          .dcache = dcache};
}

struct Rig {
  MemoryCounters counters;
  std::unique_ptr<FlashAccelerator> accel;

  Rig(const char* name, const MemorySystemConfig& config, const FlashTiming& t) {
    accel = make_flash_accelerator(name, config, &counters);
    accel->set_timing(t);
  }
  // `n` instructions of `width` bytes from `address` at one cycle each (zero-wait timing).
  uint32_t run(uint32_t address, uint32_t n, uint32_t width = 2) {
    return accel->fetch(address, address + n * width, n);
  }
  // Straight-line code of `n` instructions split into blocks of `per_block`.
  uint32_t straight(uint32_t address, uint32_t n, uint32_t per_block, uint32_t width = 2) {
    uint32_t stall = 0;
    for (uint32_t done = 0; done < n; done += per_block) {
      const uint32_t k = std::min(per_block, n - done);
      stall += run(address + done * width, k, width);
    }
    return stall;
  }
};

MemorySystemConfig f4() {
  return testing::stm32f411();
}
MemorySystemConfig f1() {
  return testing::stm32f103();
}

// ---------------------------------------------------------------------------------------------
// No accelerator: one line buffer.

TEST(PlainFlash, StraightLinePaysTheWaitStatesOncePerLine) {
  // 128-bit lines, 5 WS, no prefetch: 64 Thumb-16 instructions = 8 lines = 8 x 5 cycles,
  // whatever the block boundaries (blocks of 5 instructions straddle lines).
  Rig rig("none", f4(), timing(16, 5, false, false, false));
  EXPECT_EQ(rig.straight(kFlashBase, 64, 5), 40u);
  EXPECT_EQ(rig.counters.flash_fetch_reads, 8u);
  EXPECT_EQ(rig.counters.flash_bytes_read, 128u);
}

TEST(PlainFlash, ZeroWaitStatesCostNothing) {
  Rig rig("none", f4(), timing(16, 0, false, false, false));
  EXPECT_EQ(rig.straight(kFlashBase, 64, 5), 0u);
  EXPECT_EQ(rig.counters.flash_fetch_reads, 8u);  // the reads still happen
}

TEST(PlainFlash, LoopInsideOneLineReadsTheFlashOnce) {
  // RM0440 4.3.4: "If a loop is present in the current buffer, no new flash access is performed."
  Rig rig("none", f4(), timing(16, 5, false, false, false));
  EXPECT_EQ(rig.run(kFlashBase + 4, 4), 5u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(rig.run(kFlashBase + 4, 4), 0u);
  EXPECT_EQ(rig.counters.flash_fetch_reads, 1u);
}

// ---------------------------------------------------------------------------------------------
// STM32F4 ART.

TEST(Art, PrefetchHidesSequentialThumb16Code) {
  // RM0090 3.5.2: a 128-bit line holds 8 Thumb-16 instructions = 8 cycles, more than the 6-cycle
  // read at 5 WS, so after the first line the prefetch has always finished.
  Rig rig("stm32f4-art", f4(), timing(16, 5, true, false, false));
  EXPECT_EQ(rig.straight(kFlashBase, 64, 8), 5u);
  EXPECT_EQ(rig.counters.prefetch_hits, 7u);
  EXPECT_EQ(rig.counters.prefetch_stall_cycles, 0u);
}

TEST(Art, PrefetchAt3WaitStatesHides32BitCode) {
  // RM0090 3.5.2 Figure 5 (3 WS, sequential 32-bit instructions): with prefetch only the first
  // line waits; "at least four CPU cycles are needed to execute the previous read instruction
  // line" = the 4-cycle read.
  Rig with("stm32f4-art", f4(), timing(16, 3, true, false, false));
  EXPECT_EQ(with.run(kFlashBase, 16, 4), 3u);
  // Without prefetch every line waits 3 cycles.
  Rig without("stm32f4-art", f4(), timing(16, 3, false, false, false));
  EXPECT_EQ(without.run(kFlashBase, 16, 4), 12u);
}

TEST(Art, PrefetchAt5WaitStatesLeavesTwoCyclesPer32BitLine) {
  // Model rule: a prefetch issued when a line arrives is ready 6 cycles later; four 32-bit
  // instructions take 4, so each following line waits 2: 5 + 3 x 2.
  Rig rig("stm32f4-art", f4(), timing(16, 5, true, false, false));
  EXPECT_EQ(rig.run(kFlashBase, 16, 4), 11u);
  EXPECT_EQ(rig.counters.prefetch_stall_cycles, 6u);
}

TEST(Art, LoopThatFitsTheICacheRunsAtZeroWait) {
  // RM0090 3.5.2: lines read on a miss are kept in the 64-line instruction cache and "provided
  // without inserting any delay". Prefetch off: the first iteration misses 4 lines.
  Rig rig("stm32f4-art", f4(), timing(16, 5, false, true, false));
  const uint32_t loop = kFlashBase + 0x100;  // 64 bytes = 4 lines
  EXPECT_EQ(rig.run(loop, 32), 20u);
  for (int i = 0; i < 9; ++i) EXPECT_EQ(rig.run(loop, 32), 0u) << i;
  EXPECT_EQ(rig.counters.flash_icache.read_misses, 4u);
  EXPECT_EQ(rig.counters.flash_icache.read_hits, 36u);
  EXPECT_EQ(rig.counters.flash_fetch_reads, 4u);
}

TEST(Art, LoopWithPrefetchAndICacheCachesOnlyTheBranchTarget) {
  // RM0090 3.5.2: a line found "in the prefetched instruction line" is not a miss and is not
  // copied into the cache; the loop's first line (a branch target) is. Sequential lines keep
  // coming from the prefetch in time for Thumb-16 code: the loop runs at zero wait.
  Rig rig("stm32f4-art", f4(), timing(16, 5, true, true, false));
  const uint32_t loop = kFlashBase + 0x100;
  EXPECT_EQ(rig.run(loop, 32), 5u);
  for (int i = 0; i < 9; ++i) EXPECT_EQ(rig.run(loop, 32), 0u) << i;
  EXPECT_EQ(rig.counters.flash_icache.fills, 1u);
}

TEST(Art, WithoutTheCacheEveryIterationPays) {
  Rig rig("stm32f4-art", f4(), timing(16, 5, false, false, false));
  const uint32_t loop = kFlashBase + 0x100;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(rig.run(loop, 32), 20u);
}

TEST(Art, LoopLargerThanTheICacheMissesEveryLine) {
  // 65 lines through a 64-line LRU cache: each line is evicted just before it is needed again.
  Rig rig("stm32f4-art", f4(), timing(16, 5, false, true, false));
  const uint32_t loop = kFlashBase;
  EXPECT_EQ(rig.run(loop, 65 * 8), 65u * 5);
  EXPECT_EQ(rig.run(loop, 65 * 8), 65u * 5);
  // 64 lines fit.
  Rig fits("stm32f4-art", f4(), timing(16, 5, false, true, false));
  EXPECT_EQ(fits.run(loop, 64 * 8), 64u * 5);
  EXPECT_EQ(fits.run(loop, 64 * 8), 0u);
}

TEST(Art, ICacheResetEmptiesTheCache) {  // FLASH_ACR.ICRST (RM0090 3.9.1)
  Rig rig("stm32f4-art", f4(), timing(16, 5, false, true, false));
  const uint32_t loop = kFlashBase + 0x100;
  rig.run(loop, 32);
  EXPECT_EQ(rig.run(loop, 32), 0u);
  rig.accel->invalidate_icache();
  EXPECT_EQ(rig.run(loop, 32), 20u);
}

TEST(Art, DataCacheKeepsLiteralLines) {
  // RM0090 3.5.2 "Data management": D-Code reads wait for the flash unless the line is in the
  // 8-line data cache (DCEN), which "works like the instruction cache memory".
  Rig rig("stm32f4-art", f4(), timing(16, 5, false, false, true));
  const uint32_t pool = kFlashBase + 0x1000;
  EXPECT_EQ(rig.accel->data_read(pool, 4), 5u);
  EXPECT_EQ(rig.accel->data_read(pool + 4, 4), 0u);  // same line: the D-bus current buffer
  EXPECT_EQ(rig.accel->data_read(pool + 16, 4), 5u);
  EXPECT_EQ(rig.accel->data_read(pool, 4), 0u);  // back: a D-cache hit
  // Nine lines in turn thrash the eight-line LRU cache.
  Rig thrash("stm32f4-art", f4(), timing(16, 5, false, false, true));
  uint32_t stall = 0;
  for (int round = 0; round < 2; ++round) {
    for (uint32_t i = 0; i < 9; ++i) stall += thrash.accel->data_read(pool + 16 * i, 4);
  }
  EXPECT_EQ(stall, 18u * 5);
  // Eight fit.
  Rig fits("stm32f4-art", f4(), timing(16, 5, false, false, true));
  stall = 0;
  for (int round = 0; round < 2; ++round) {
    for (uint32_t i = 0; i < 8; ++i) stall += fits.accel->data_read(pool + 16 * i, 4);
  }
  EXPECT_EQ(stall, 8u * 5);
  EXPECT_EQ(fits.counters.flash_dcache.read_hits, 8u);
  EXPECT_EQ(fits.counters.flash_data_reads, 8u);
}

TEST(Art, DataCacheOffPaysEachNewLine) {
  Rig rig("stm32f4-art", f4(), timing(16, 5, false, false, false));
  const uint32_t pool = kFlashBase + 0x1000;
  EXPECT_EQ(rig.accel->data_read(pool, 4), 5u);
  EXPECT_EQ(rig.accel->data_read(pool + 16, 4), 5u);
  EXPECT_EQ(rig.accel->data_read(pool, 4), 5u);
  // Straddling lines 0 (the D-bus current line) and 1: one new read.
  EXPECT_EQ(rig.accel->data_read(pool + 14, 4), 5u);
}

// ---------------------------------------------------------------------------------------------
// STM32F1 prefetch buffer: 64-bit lines, 2 WS at 72 MHz (RM0008 3.3.3).

TEST(PrefetchBuffer, HidesTwoWaitStatesForThumb16Code) {
  // Four Thumb-16 instructions per 64-bit line take 4 cycles >= the 3-cycle read.
  Rig rig("prefetch-buffer", f1(), timing(8, 2, true, false, false));
  EXPECT_EQ(rig.run(kFlashBase, 32), 2u);
  EXPECT_EQ(rig.counters.prefetch_hits, 7u);
}

TEST(PrefetchBuffer, Thumb32CodeWaitsOneCyclePerLine) {
  // Two 32-bit instructions per line take 2 cycles < 3: 2 + 7 x 1 over eight lines.
  Rig rig("prefetch-buffer", f1(), timing(8, 2, true, false, false));
  EXPECT_EQ(rig.run(kFlashBase, 16, 4), 9u);
}

TEST(PrefetchBuffer, OffEveryLinePays) {  // PRFTBE = 0
  Rig rig("prefetch-buffer", f1(), timing(8, 2, false, false, false));
  EXPECT_EQ(rig.run(kFlashBase, 32), 16u);
}

TEST(PrefetchBuffer, TakenBranchOutOfTheBufferPaysEveryIteration) {
  // No cache: a loop of two lines finds its first line neither current nor prefetched.
  Rig rig("prefetch-buffer", f1(), timing(8, 2, true, false, false));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(rig.run(kFlashBase + 0x40, 8), 2u);
}

// ---------------------------------------------------------------------------------------------
// STM32L4 caches: 64-bit flash lines, cache lines of 4 x 64 bits (RM0351 3.3.4).

MemorySystemConfig l4() {
  MemorySystemConfig c = testing::stm32f411();
  c.flash.line_bits = 64;
  c.flash_accelerator = "stm32l4-cache";
  return c;
}

TEST(L4Cache, CacheLinesFillOneFlashLineAtATime) {
  Rig rig("stm32l4-cache", l4(), timing(8, 4, false, true, false));
  EXPECT_EQ(rig.run(kFlashBase, 4), 4u);          // flash line 0 of cache line 0
  EXPECT_EQ(rig.run(kFlashBase + 0x100, 4), 4u);  // elsewhere
  EXPECT_EQ(rig.run(kFlashBase + 8, 4), 4u);  // flash line 1: its cache line is there, it is not
  EXPECT_EQ(rig.run(kFlashBase, 8), 0u);      // both now hit
  EXPECT_EQ(rig.counters.flash_icache.fills, 3u);
  EXPECT_EQ(rig.counters.flash_icache.evictions, 0u);
}

TEST(L4Cache, ThirtyTwoCacheLinesFitThirtyThreeThrash) {
  Rig fits("stm32l4-cache", l4(), timing(8, 4, false, true, false));
  EXPECT_EQ(fits.run(kFlashBase, 512), 128u * 4);  // 1 KB: 128 flash lines
  EXPECT_EQ(fits.run(kFlashBase, 512), 0u);
  Rig thrash("stm32l4-cache", l4(), timing(8, 4, false, true, false));
  EXPECT_EQ(thrash.run(kFlashBase, 528), 132u * 4);
  EXPECT_EQ(thrash.run(kFlashBase, 528), 132u * 4);
}

// ---------------------------------------------------------------------------------------------
// Generic set-associative flash cache (STM32U5 ICACHE shape: 8 KB, 2-way, 16-byte lines).

MemorySystemConfig u5(uint32_t line_bytes = 16, uint32_t overhead = 0) {
  MemorySystemConfig c = testing::stm32f411();
  c.flash_accelerator = "generic-cache";
  c.flash_cache = {
      .size_bytes = 8192, .line_bytes = line_bytes, .ways = 2, .miss_overhead_cycles = overhead};
  return c;
}

TEST(GenericFlashCache, MissCostsTheFlashReadsOfTheLine) {
  Rig rig("generic-cache", u5(), timing(16, 3, false, true, false));
  EXPECT_EQ(rig.run(kFlashBase, 8), 3u);           // miss: 1 read of 4 cycles
  EXPECT_EQ(rig.run(kFlashBase + 0x1000, 8), 3u);  // same set, second way
  EXPECT_EQ(rig.run(kFlashBase, 8), 0u);           // hit
  EXPECT_EQ(rig.run(kFlashBase + 0x2000, 8), 3u);  // evicts the LRU way (0x1000)
  EXPECT_EQ(rig.run(kFlashBase + 0x1000, 8), 3u);
  EXPECT_EQ(rig.run(kFlashBase, 8), 3u);  // evicted by 0x1000's return
  Rig wide("generic-cache", u5(32, 2), timing(16, 3, false, true, false));
  EXPECT_EQ(wide.run(kFlashBase, 16), 2u + 2 * 4 - 1);  // overhead + two flash reads
}

TEST(GenericFlashCache, DataReadsShareTheCache) {
  Rig rig("generic-cache", u5(), timing(16, 3, false, true, false));
  EXPECT_EQ(rig.run(kFlashBase, 8), 3u);
  EXPECT_EQ(rig.accel->data_read(kFlashBase + 8, 4), 0u);
}

TEST(GenericFlashCache, DisabledUsesTheFlashLineBuffers) {
  Rig rig("generic-cache", u5(), timing(16, 3, false, false, false));
  EXPECT_EQ(rig.run(kFlashBase, 32), 12u);
}

TEST(FlashAccelerator, FactoryKnowsItsNames) {
  MemoryCounters counters;
  for (const std::string& name : flash_accelerator_names()) {
    EXPECT_NE(make_flash_accelerator(name, u5(), &counters), nullptr) << name;
  }
  EXPECT_EQ(make_flash_accelerator("stm32f4-turbo", f4(), &counters), nullptr);
}

}  // namespace
}  // namespace tinysim::memory_models
