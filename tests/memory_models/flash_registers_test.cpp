// Flash-interface register models: reset values, bit fields and their effect on the timing,
// from the reference manuals' register descriptions (cited per test).
#include "memory_models/i_flash_registers.h"

#include <gtest/gtest.h>

#include "configs.h"
#include "memory_models/memory_system.h"

namespace tinysim::memory_models {
namespace {

std::unique_ptr<FlashRegisters> make(const char* family) {
  auto r = make_flash_registers(family);
  EXPECT_NE(r, nullptr) << family;
  return r;
}

TEST(FlashRegisters, Stm32F4AcrResetAndFields) {  // RM0090 3.9.1: reset 0, 0x40023C00
  auto r = make("stm32f4");
  ASSERT_EQ(r->windows().size(), 1u);
  EXPECT_EQ(r->windows()[0].base, 0x40023C00u);
  EXPECT_EQ(r->read(0x40023C00, 4), 0u);
  const FlashSettings reset = r->settings();
  EXPECT_EQ(reset.wait_states, 0u);
  EXPECT_FALSE(reset.prefetch || reset.icache || reset.dcache);

  // The HAL writes the LATENCY byte alone (__HAL_FLASH_SET_LATENCY: FLASH_ACR_BYTE0_ADDRESS).
  EXPECT_TRUE(r->write(0x40023C00, 1, 5).settings_changed);
  EXPECT_EQ(r->settings().wait_states, 5u);
  // PRFTEN bit 8, ICEN 9, DCEN 10, through the second byte.
  r->write(0x40023C01, 1, 0x07);
  EXPECT_EQ(r->read(0x40023C00, 4), 0x705u);
  const FlashSettings s = r->settings();
  EXPECT_TRUE(s.prefetch && s.icache && s.dcache);
  EXPECT_EQ(r->read(0x40023C01, 1), 0x07u);
}

TEST(FlashRegisters, Stm32F4CacheResetOnlyWhileDisabled) {  // RM0090 3.9.1 ICRST/DCRST
  auto r = make("stm32f4");
  r->write(0x40023C00, 4, 0x700);
  RegisterWriteEffect e = r->write(0x40023C00, 4, 0x700 | (1u << 11));  // ICRST with ICEN = 1
  EXPECT_FALSE(e.invalidate_icache);
  e = r->write(0x40023C00, 4, (1u << 11) | (1u << 12));  // ICRST|DCRST with both caches off
  EXPECT_TRUE(e.invalidate_icache);
  EXPECT_TRUE(e.invalidate_dcache);
}

TEST(FlashRegisters, Stm32F1PrefetchOnAfterResetAndStatusIsReadOnly) {
  // RM0008 3.3.3 / PM0075 3.1 (and ST's SVD): FLASH_ACR reset 0x30 = PRFTBE | PRFTBS.
  auto r = make("stm32f1");
  EXPECT_EQ(r->windows()[0].base, 0x40022000u);
  EXPECT_EQ(r->read(0x40022000, 4), 0x30u);
  EXPECT_TRUE(r->settings().prefetch);
  r->write(0x40022000, 4, 0x02);             // 2 WS, prefetch off
  EXPECT_EQ(r->read(0x40022000, 4), 0x02u);  // PRFTBS follows PRFTBE
  EXPECT_FALSE(r->settings().prefetch);
  r->write(0x40022000, 4, 0x20);  // PRFTBS alone cannot be written
  EXPECT_EQ(r->read(0x40022000, 4), 0x00u);
  r->write(0x40022000, 4, 0x12);
  EXPECT_EQ(r->read(0x40022000, 4), 0x32u);
  EXPECT_EQ(r->settings().wait_states, 2u);
}

TEST(FlashRegisters, Stm32F0ResetValue) {  // RM0091 3.5.1: 0x30
  auto r = make("stm32f0");
  EXPECT_EQ(r->read(0x40022000, 4), 0x30u);
  EXPECT_TRUE(r->settings().prefetch);
}

TEST(FlashRegisters, Stm32L4CachesOnAfterReset) {  // RM0351 3.7.1: reset 0x600 (ICEN, DCEN)
  auto r = make("stm32l4");
  EXPECT_EQ(r->read(0x40022000, 4), 0x600u);
  const FlashSettings s = r->settings();
  EXPECT_TRUE(s.icache && s.dcache);
  EXPECT_FALSE(s.prefetch);
}

TEST(FlashRegisters, Stm32G0ResetValue) {  // RM0444 3.7.1: reset 0x0004 0600
  auto r = make("stm32g0");
  EXPECT_EQ(r->read(0x40022000, 4), 0x00040600u);
  EXPECT_TRUE(r->settings().icache);
  EXPECT_FALSE(r->settings().dcache);
  r->write(0x40022000, 4, 0x00040702);  // 2 WS, PRFTEN, ICEN
  EXPECT_EQ(r->settings().wait_states, 2u);
  EXPECT_TRUE(r->settings().prefetch);
}

TEST(FlashRegisters, Stm32H7StartsWithSevenWaitStates) {  // RM0433 4.9.1: reset 0x37
  auto r = make("stm32h7");
  EXPECT_EQ(r->windows()[0].base, 0x52002000u);
  EXPECT_EQ(r->read(0x52002000, 4), 0x37u);
  EXPECT_EQ(r->settings().wait_states, 7u);
  r->write(0x52002000, 4, 0x24);  // WRHIGHFREQ 2, 4 WS
  EXPECT_EQ(r->settings().wait_states, 4u);
  EXPECT_EQ(r->read(0x52002000, 4), 0x24u);
}

TEST(FlashRegisters, Stm32F7ArtEnableIsTheICache) {  // RM0385 3.7.1: ARTEN bit 9, PRFTEN 8
  auto r = make("stm32f7");
  r->write(0x40023C00, 4, 0x307);
  const FlashSettings s = r->settings();
  EXPECT_EQ(s.wait_states, 7u);
  EXPECT_TRUE(s.prefetch && s.icache);
  EXPECT_TRUE(r->write(0x40023C00, 4, 0x007 | (1u << 11)).invalidate_icache);  // ARTRST
}

TEST(FlashRegisters, Stm32U5ICacheIsItsOwnPeripheral) {
  // RM0456 FLASH_ACR (reset 0) and ICACHE_CR @0x40030400 (EN bit 0, CACHEINV bit 1,
  // WAYSEL bit 2, reset 0x4).
  auto r = make("stm32u5");
  ASSERT_EQ(r->windows().size(), 2u);
  EXPECT_EQ(r->windows()[1].base, 0x40030400u);
  EXPECT_EQ(r->read(0x40030400, 4), 0x4u);
  EXPECT_FALSE(r->settings().icache);
  EXPECT_TRUE(r->write(0x40030400, 4, 0x5).settings_changed);
  EXPECT_TRUE(r->settings().icache);
  const RegisterWriteEffect e = r->write(0x40030400, 4, 0x7);  // CACHEINV
  EXPECT_TRUE(e.invalidate_icache);
  EXPECT_EQ(r->read(0x40030400, 4), 0x5u);  // CACHEINV reads back 0
  r->write(0x40022000, 4, 0x104);           // 4 WS, PRFTEN
  EXPECT_EQ(r->settings().wait_states, 4u);
  EXPECT_TRUE(r->settings().prefetch);
}

TEST(FlashRegisters, LoadWritesWhatStartupCodeWould) {
  auto r = make("stm32l0");  // RM0367 3.7.1: LATENCY bit 0, PRFTEN bit 1
  r->load({.wait_states = 1, .prefetch = true, .icache = true, .dcache = true});
  EXPECT_EQ(r->read(0x40022000, 4), 0x3u);
  r->reset();
  EXPECT_EQ(r->read(0x40022000, 4), 0x0u);
}

TEST(FlashRegisters, UnknownFamily) {
  EXPECT_EQ(make_flash_registers("stm32f9"), nullptr);
  EXPECT_EQ(flash_register_families().size(), 10u);
  EXPECT_EQ(make_flash_registers("stm32f4", 0x40023C10)->windows()[0].base, 0x40023C10u);
}

TEST(FlashRegisters, WritesRetimeTheMemorySystem) {
  MemorySystemConfig config = testing::stm32f411(100'000'000);
  config.initial_state = InitialState::kReset;
  auto memory = MemorySystem::create(config);
  ASSERT_TRUE(memory);
  ASSERT_TRUE(memory->owns_register(0x40023C00));
  EXPECT_FALSE(memory->owns_register(0x40023C04));  // FLASH_KEYR stays unmodelled
  const uint32_t block = testing::kFlashBase + 0x200;
  // Reset: 0 WS, ART off.
  EXPECT_EQ(memory->fetch_stall_cycles(block, block + 64, 32), 0u);
  // Start-up code: 3 WS, prefetch, I- and D-cache (FLASH_ACR = 0x703).
  memory->register_write(0x40023C00, 4, 0x703);
  EXPECT_EQ(memory->fetch_stall_cycles(block + 0x100, block + 0x140, 32), 3u);
  EXPECT_EQ(memory->fetch_stall_cycles(block + 0x100, block + 0x140, 32), 0u);
  // ICRST needs ICEN = 0 (RM0090 3.9.1); then the loop misses again.
  memory->register_write(0x40023C00, 4, 0x503 | (1u << 11));
  memory->register_write(0x40023C00, 4, 0x703);
  EXPECT_EQ(memory->fetch_stall_cycles(block + 0x100, block + 0x140, 32), 3u);
}

}  // namespace
}  // namespace tinysim::memory_models
