// The machine-facing MemorySystem: region dispatch, data hooks, aliases, the Cortex-M7 L1 caches
// and SCB interface, TCM, XIP, counters and validation.
#include "memory_models/memory_system.h"

#include <gtest/gtest.h>

#include "configs.h"

namespace tinysim::memory_models {
namespace {

using testing::kFlashBase;

std::unique_ptr<MemorySystem> make(const MemorySystemConfig& config) {
  std::string error;
  auto m = MemorySystem::create(config, &error);
  EXPECT_TRUE(m) << error;
  return m;
}

// ---------------------------------------------------------------------------------------------
// Regions and hooks.

TEST(MemorySystem, SramFetchIsFreeAndSkippable) {
  auto m = make(testing::stm32f411());
  EXPECT_TRUE(m->fetch_is_free(testing::kSramBase));
  EXPECT_EQ(m->fetch_stall_cycles(testing::kSramBase, testing::kSramBase + 64, 32), 0u);
  EXPECT_FALSE(m->fetch_is_free(kFlashBase));
  EXPECT_TRUE(m->fetch_is_free(0x30000000));  // unmapped
  EXPECT_EQ(m->counters().fetch_stall_cycles, 0u);
}

TEST(MemorySystem, DataHooksOnlyWhereAModelNeedsTheAddress) {
  auto m = make(testing::stm32f411());
  EXPECT_TRUE(m->needs_data_hook(kFlashBase, 0x1000));         // flash with wait states
  EXPECT_FALSE(m->needs_data_hook(testing::kSramBase, 4096));  // zero-wait SRAM
  EXPECT_TRUE(m->needs_data_hook(0x40000000, 4));              // peripheral bus cost
  const std::vector<AddressRange> ranges = m->data_hook_ranges();
  ASSERT_EQ(ranges.size(), 3u);  // boot alias, flash, peripherals
  EXPECT_EQ(ranges[0].base, 0u);
  EXPECT_EQ(ranges[1].base, kFlashBase);
  EXPECT_EQ(ranges[2].base, 0x40000000u);
  // A part with no wait-state table (nRF52-like) needs no flash hook.
  MemorySystemConfig no_ws = testing::stm32f411();
  no_ws.flash.wait_states.clear();
  no_ws.flash_registers = "none";
  no_ws.voltage_range.clear();
  EXPECT_FALSE(make(no_ws)->needs_data_hook(kFlashBase, 4));
}

TEST(MemorySystem, PeripheralAccessPaysTheBusCost) {
  auto m = make(testing::stm32f411());
  EXPECT_EQ(m->data_access_stall_cycles(0x40011004, 4, false), 2u);
  EXPECT_EQ(m->data_access_stall_cycles(0x40011004, 4, true), 2u);
  EXPECT_EQ(m->counters().peripheral_accesses, 2u);
  EXPECT_EQ(m->counters().data_stall_cycles, 4u);
}

TEST(MemorySystem, AliasSharesFlashLines) {
  // Code fetched at the boot alias (0x0) and at 0x08000000 is the same flash: an ART I-cache
  // line filled through one is a hit through the other.
  MemorySystemConfig config = testing::stm32f411();
  auto m = make(config);
  m->set_flash_settings({.wait_states = 3, .prefetch = false, .icache = true, .dcache = false});
  EXPECT_EQ(m->fetch_stall_cycles(0x100, 0x110, 8), 3u);
  EXPECT_EQ(m->fetch_stall_cycles(0x400, 0x410, 8), 3u);
  EXPECT_EQ(m->fetch_stall_cycles(kFlashBase + 0x100, kFlashBase + 0x110, 8), 0u);
}

TEST(MemorySystem, FlashDataReadsAndStores) {
  auto m = make(testing::stm32f411());  // start-up: 3 WS, D-cache on
  EXPECT_EQ(m->data_access_stall_cycles(kFlashBase + 0x2000, 4, false), 3u);
  EXPECT_EQ(m->data_access_stall_cycles(kFlashBase + 0x2004, 4, false), 0u);
  EXPECT_EQ(m->data_access_stall_cycles(kFlashBase + 0x2000, 4, true), 0u);  // programming: untimed
  EXPECT_EQ(m->counters().flash_data_reads, 1u);
  EXPECT_EQ(m->counters().data_accesses, 3u);
}

TEST(MemorySystem, CountersAccumulateAndReset) {
  auto m = make(testing::stm32f411());
  m->fetch_stall_cycles(kFlashBase, kFlashBase + 16, 8);
  m->data_access_stall_cycles(kFlashBase + 0x4000, 4, false);
  EXPECT_EQ(m->counters().fetch_stall_cycles, 3u);
  EXPECT_EQ(m->counters().data_stall_cycles, 3u);
  m->reset_counters();
  EXPECT_EQ(m->counters().fetch_stall_cycles, 0u);
  m->reset();  // caches empty again: the same line misses
  EXPECT_EQ(m->fetch_stall_cycles(kFlashBase, kFlashBase + 16, 8), 3u);
}

// ---------------------------------------------------------------------------------------------
// Cortex-M7: L1 caches behind SCB->CCR, TCM, the ART on the ITCM path (STM32F746 shape).

constexpr uint32_t kSram1 = 0x20010000;

TEST(CortexM7, CachesAreOffAfterResetAndFollowCcr) {
  auto m = make(testing::stm32f746());
  EXPECT_EQ(m->ccr_cache_bits(), 0u);
  EXPECT_FALSE(m->l1_icache_enabled());
  m->write_ccr(MemorySystem::kCcrIc | MemorySystem::kCcrDc | 0x200);  // STKALIGN kept
  EXPECT_TRUE(m->l1_icache_enabled());
  EXPECT_TRUE(m->l1_dcache_enabled());
  EXPECT_EQ(m->ccr_cache_bits(), MemorySystem::kCcrIc | MemorySystem::kCcrDc);
  m->write_ccr(0x200);
  EXPECT_FALSE(m->l1_dcache_enabled());
  // Start-up state: both on.
  MemorySystemConfig startup = testing::stm32f746();
  startup.initial_state = InitialState::kStartup;
  EXPECT_EQ(make(startup)->ccr_cache_bits(), MemorySystem::kCcrIc | MemorySystem::kCcrDc);
}

TEST(CortexM7, FlashOnAximWithoutCachePaysPerFlashLine) {
  auto m = make(testing::stm32f746());
  m->register_write(0x40023C00, 4, 7);  // FLASH_ACR.LATENCY = 7 for 216 MHz (RM0385 Table 5)
  EXPECT_TRUE(m->check_wait_states().ok);
  // 256-bit lines: 64 bytes of code = 2 flash reads of 8 cycles.
  EXPECT_EQ(m->fetch_stall_cycles(kFlashBase, kFlashBase + 64, 32), 14u);
}

TEST(CortexM7, ICacheMissFillsALineFromFlashThenHits) {
  auto m = make(testing::stm32f746());
  m->register_write(0x40023C00, 4, 7);
  m->write_ccr(MemorySystem::kCcrIc);
  // A 32-byte L1 line from 256-bit flash: one read, 8 cycles, minus the one counted = 7.
  EXPECT_EQ(m->fetch_stall_cycles(kFlashBase, kFlashBase + 64, 32), 14u);
  EXPECT_EQ(m->fetch_stall_cycles(kFlashBase, kFlashBase + 64, 32), 0u);
  EXPECT_EQ(m->counters().l1_icache.read_misses, 2u);
  EXPECT_EQ(m->counters().l1_icache.read_hits, 2u);
  EXPECT_EQ(m->counters().flash_fetch_reads, 2u);
  // ICIALLU (0xE000EF50) empties it.
  m->cache_maintenance(0xE000EF50, 0);
  EXPECT_EQ(m->fetch_stall_cycles(kFlashBase, kFlashBase + 64, 32), 14u);
}

TEST(CortexM7, DCacheMissOnAxiSramFillsFourBeats) {
  auto m = make(testing::stm32f746());
  m->write_ccr(MemorySystem::kCcrDc);
  // Model rule: a 32-byte line over the 64-bit AXI = 4 beats, the first counted by the core.
  EXPECT_EQ(m->data_access_stall_cycles(kSram1, 4, false), 3u);
  EXPECT_EQ(m->data_access_stall_cycles(kSram1 + 28, 4, false), 0u);
  EXPECT_EQ(m->data_access_stall_cycles(kSram1 + 8, 4, true), 0u);  // write hit: dirty
  EXPECT_EQ(m->counters().l1_dcache.read_misses, 1u);
  EXPECT_EQ(m->counters().l1_dcache.write_hits, 1u);
}

TEST(CortexM7, DirtyEvictionWritesTheLineBack) {
  auto m = make(testing::stm32f746());
  m->write_ccr(MemorySystem::kCcrDc);
  // 4 KB, 4-way, 32-byte lines: 32 sets, a set repeats every 1 KB.
  EXPECT_EQ(m->data_access_stall_cycles(kSram1, 4, true), 3u);  // write-allocate, dirty
  for (uint32_t i = 1; i <= 3; ++i) {
    EXPECT_EQ(m->data_access_stall_cycles(kSram1 + i * 1024, 4, false), 3u);
  }
  // The fifth line of the set evicts the least recently used: the dirty first one. Fill 3 +
  // write-back of 4 beats 3.
  EXPECT_EQ(m->data_access_stall_cycles(kSram1 + 4 * 1024, 4, false), 6u);
  EXPECT_EQ(m->counters().l1_dcache.writebacks, 1u);
}

TEST(CortexM7, TcmIsNeverCachedAndFree) {
  auto m = make(testing::stm32f746());
  m->write_ccr(MemorySystem::kCcrIc | MemorySystem::kCcrDc);
  EXPECT_EQ(m->data_access_stall_cycles(0x20000100, 4, false), 0u);  // DTCM
  EXPECT_EQ(m->fetch_stall_cycles(0x00000100, 0x00000140, 32), 0u);  // ITCM RAM
  EXPECT_TRUE(m->fetch_is_free(0x00000100));
  EXPECT_FALSE(m->needs_data_hook(0x20000000, 64 * 1024));
  EXPECT_TRUE(m->needs_data_hook(kSram1, 4));
  EXPECT_EQ(m->counters().l1_dcache.accesses(), 0u);
}

TEST(CortexM7, ArtOnTheItcmPath) {
  auto m = make(testing::stm32f746());
  // RM0385 3.7.1: LATENCY 7, PRFTEN, ARTEN.
  m->register_write(0x40023C00, 4, 0x307);
  const uint32_t itcm = 0x00200000;
  EXPECT_EQ(m->fetch_stall_cycles(itcm + 0x100, itcm + 0x120, 16), 7u);  // one 256-bit line
  EXPECT_EQ(m->fetch_stall_cycles(itcm + 0x400, itcm + 0x420, 16), 7u);
  EXPECT_EQ(m->fetch_stall_cycles(itcm + 0x100, itcm + 0x120, 16), 0u);  // ART hit
  EXPECT_EQ(m->counters().flash_icache.read_hits, 1u);
}

TEST(CortexM7, CleanAndInvalidateBySetWay) {
  auto m = make(testing::stm32f746());
  m->write_ccr(MemorySystem::kCcrDc);
  m->data_access_stall_cycles(kSram1 + 0x40, 4, true);  // set 2, dirty, some way
  // CMSIS SCB_CleanInvalidateDCache: DCCISW for every set and way (way in bits 31:30 for 4
  // ways, set in bits 9:5 for 32 sets of 32-byte lines).
  for (uint32_t way = 0; way < 4; ++way) {
    for (uint32_t set = 0; set < 32; ++set) m->cache_maintenance(0xE000EF74, way << 30 | set << 5);
  }
  EXPECT_EQ(m->counters().l1_dcache.writebacks, 1u);
  EXPECT_EQ(m->data_access_stall_cycles(kSram1 + 0x40, 4, false), 3u);  // gone: a miss
}

TEST(CortexM7, CcsidrDescribesTheCaches) {
  // DDI0403E B4.8.3 CCSIDR: D-cache 4 KB 4-way 32 B = 32 sets: WT|WB|RA|WA, NumSets-1 = 31,
  // Associativity-1 = 3, LineSize = log2(8 words) - 2 = 1.
  auto m = make(testing::stm32f746());
  EXPECT_EQ(m->ccsidr(false), 0xF0000000u | 31u << 13 | 3u << 3 | 1u);
  EXPECT_EQ(m->ccsidr(true), 0x20000000u | 63u << 13 | 1u << 3 | 1u);  // 64 sets, 2 ways
  EXPECT_EQ(make(testing::stm32f411())->ccsidr(false), 0u);
}

// ---------------------------------------------------------------------------------------------
// XIP (RP2040 shape).

TEST(Xip, MissCostsOneQuadReadTransaction) {
  // 8-byte line over quad I/O at clk_sys/2: (6 address + 2 mode + 4 dummy + 16 data) x 2 = 56.
  auto m = make(testing::rp2040());
  const uint32_t code = 0x10000100;
  EXPECT_EQ(m->fetch_stall_cycles(code, code + 16, 8), 112u);      // two lines
  EXPECT_EQ(m->fetch_stall_cycles(code, code + 16, 8), 0u);        // cached
  EXPECT_EQ(m->data_access_stall_cycles(code + 4, 4, false), 0u);  // the cache is unified
  EXPECT_EQ(m->data_access_stall_cycles(code + 0x1000, 4, false), 56u);
  EXPECT_EQ(m->counters().xip_transactions, 3u);
  EXPECT_EQ(m->counters().xip_bytes_read, 24u);
  EXPECT_EQ(m->counters().xip_cache.read_hits, 3u);
}

TEST(Xip, UncachedEveryWordIsATransaction) {
  auto m = make(testing::rp2040());
  m->set_xip_cache_enabled(false);
  // 4 bytes: (6 + 2 + 4 + 8) x 2 = 40 per word, every time.
  const uint32_t code = 0x10000100;
  EXPECT_EQ(m->fetch_stall_cycles(code, code + 16, 8), 160u);
  EXPECT_EQ(m->fetch_stall_cycles(code, code + 16, 8), 160u);
  EXPECT_TRUE(m->needs_data_hook(0x10000000, 4));
  EXPECT_EQ(m->fetch_stall_cycles(testing::kSramBase, testing::kSramBase + 16, 8), 0u);
}

// ---------------------------------------------------------------------------------------------
// Validation.

std::string errors_of(const MemorySystemConfig& config) {
  std::string error;
  EXPECT_EQ(MemorySystem::create(config, &error), nullptr);
  return error;
}

TEST(MemorySystemValidation, NamesTheFields) {
  MemorySystemConfig c = testing::stm32f411();
  c.clock_hz = 0;
  EXPECT_NE(errors_of(c).find("clock_hz: required"), std::string::npos);

  c = testing::stm32f411();
  c.regions.push_back({.name = "sram2", .base = 0x2001F000, .size_bytes = 0x2000});
  EXPECT_NE(errors_of(c).find("regions[4] (sram2).base: overlaps regions[2] (sram)"),
            std::string::npos)
      << errors_of(c);

  c = testing::stm32f411();
  c.regions[1].alias_of = "flsh";
  EXPECT_NE(errors_of(c).find("regions[1] (boot).alias_of"), std::string::npos);

  c = testing::stm32f411();
  c.flash_accelerator = "art";
  EXPECT_NE(errors_of(c).find("flash_accelerator: unknown \"art\""), std::string::npos);

  c = testing::stm32f411();
  c.flash_registers = "stm32f9";
  EXPECT_NE(errors_of(c).find("flash_registers: unknown"), std::string::npos);

  c = testing::stm32f411();
  c.flash.wait_states[0].max_clock_hz = {30'000'000, 20'000'000};
  EXPECT_NE(errors_of(c).find("flash.wait_states[0].max_clock_hz: must be strictly increasing"),
            std::string::npos);

  c = testing::stm32f411();
  c.voltage_range = "5V";
  EXPECT_NE(errors_of(c).find("voltage_range: no flash.wait_states row named \"5V\""),
            std::string::npos);

  c = testing::stm32f411();
  c.flash.line_bits = 96;
  EXPECT_NE(errors_of(c).find("flash.line_bits"), std::string::npos);

  c = testing::stm32f411();
  c.flash_accelerator = "generic-cache";
  EXPECT_NE(errors_of(c).find("flash_cache.size_bytes: required"), std::string::npos);

  c = testing::stm32f746();
  c.l1_dcache.ways = 3;
  EXPECT_NE(errors_of(c).find("l1_dcache.size_bytes"), std::string::npos) << errors_of(c);

  c = testing::rp2040();
  c.xip.data_lanes = 3;
  EXPECT_NE(errors_of(c).find("xip.data_lanes"), std::string::npos);
}

TEST(MemorySystemValidation, ReportsEveryProblem) {
  MemorySystemConfig c = testing::stm32f411();
  c.clock_hz = 0;
  c.flash_accelerator = "x";
  const std::string e = errors_of(c);
  EXPECT_NE(e.find("clock_hz"), std::string::npos);
  EXPECT_NE(e.find("\nflash_accelerator"), std::string::npos);
}

TEST(MemorySystemValidation, ShippedShapesAreValid) {
  for (const MemorySystemConfig& c :
       {testing::stm32f411(), testing::stm32f103(), testing::stm32f746(), testing::rp2040()}) {
    EXPECT_EQ(MemorySystem::validate(c), "");
  }
}

TEST(MemorySystem, VoltageRangeSelectsTheRow) {
  MemorySystemConfig c = testing::stm32f411(60'000'000);
  c.flash_registers = "none";
  c.flash.wait_states.push_back({"slow", {10'000'000, 20'000'000, 40'000'000, 60'000'000}});
  auto m = make(c);
  EXPECT_EQ(m->flash_settings().wait_states, 1u);
  EXPECT_TRUE(m->set_voltage_range("slow"));
  EXPECT_EQ(m->flash_settings().wait_states, 3u);
  EXPECT_FALSE(m->set_voltage_range("fast"));
}

}  // namespace
}  // namespace tinysim::memory_models
