// Wait states by clock from the reference manuals' tables, and the "too few wait states" check.
#include "memory_models/wait_states.h"

#include <gtest/gtest.h>

#include "configs.h"
#include "memory_models/memory_system.h"

namespace tinysim::memory_models {
namespace {

// RM0383 3.4.1 Table 5 (STM32F411, VDD 2.7-3.6 V): 0 WS <= 30, 1 <= 64, 2 <= 90, 3 <= 100 MHz.
const WaitStateRange kF411 = {"2.7-3.6V", {30'000'000, 64'000'000, 90'000'000, 100'000'000}};
// RM0390 3.4.1 Table 5 (STM32F446, VDD 2.7-3.6 V): 30 MHz per wait state up to 180 MHz (the
// CMSIS header's FLASH latency table agrees).
const WaitStateRange kF446 = {
    "2.7-3.6V", {30'000'000, 60'000'000, 90'000'000, 120'000'000, 150'000'000, 180'000'000}};
// RM0090 Rev 21 3.5.1 Table 11 (STM32F405/407): two of its four VDD columns.
const WaitStateRange kF407High = {
    "2.7-3.6V", {30'000'000, 60'000'000, 90'000'000, 120'000'000, 150'000'000, 168'000'000}};
const WaitStateRange kF407Low = {"1.8-2.1V",
                                 {20'000'000, 40'000'000, 60'000'000, 80'000'000, 100'000'000,
                                  120'000'000, 140'000'000, 160'000'000}};

TEST(WaitStates, Stm32F411At100MHzNeeds3) {  // RM0383 Table 5
  EXPECT_EQ(required_wait_states(kF411, 100'000'000), 3u);
  EXPECT_EQ(required_wait_states(kF411, 84'000'000), 2u);
  EXPECT_EQ(required_wait_states(kF411, 16'000'000), 0u);  // HSI after reset
}

TEST(WaitStates, BoundsAreInclusive) {  // "30 < HCLK <= 64 MHz": 64 MHz is still 1 WS
  EXPECT_EQ(required_wait_states(kF411, 30'000'000), 0u);
  EXPECT_EQ(required_wait_states(kF411, 30'000'001), 1u);
  EXPECT_EQ(required_wait_states(kF411, 64'000'000), 1u);
  EXPECT_EQ(required_wait_states(kF411, 64'000'001), 2u);
}

TEST(WaitStates, Stm32F446At180MHzNeeds5) {  // RM0390 Table 5
  EXPECT_EQ(required_wait_states(kF446, 180'000'000), 5u);
  EXPECT_EQ(required_wait_states(kF446, 168'000'000), 5u);
  EXPECT_EQ(required_wait_states(kF446, 120'000'000), 3u);
}

TEST(WaitStates, VoltageRangeChangesTheCount) {  // RM0090 Table 11: 168 MHz
  EXPECT_EQ(required_wait_states(kF407High, 168'000'000), 5u);
  EXPECT_EQ(required_wait_states(kF407Low, 160'000'000), 7u);
  EXPECT_EQ(required_wait_states(kF407Low, 168'000'000), std::nullopt);  // above the column
}

TEST(WaitStates, FindsRowsByName) {
  FlashConfig flash;
  EXPECT_EQ(find_wait_state_range(flash, ""), nullptr);
  flash.wait_states = {kF407High, kF407Low};
  EXPECT_EQ(find_wait_state_range(flash, "")->name, "2.7-3.6V");
  EXPECT_EQ(find_wait_state_range(flash, "1.8-2.1V")->name, "1.8-2.1V");
  EXPECT_EQ(find_wait_state_range(flash, "3.3V"), nullptr);
}

TEST(WaitStates, CheckWarnsWhenFirmwareSetsTooFew) {
  MemorySystemConfig config = testing::stm32f411(100'000'000);
  config.initial_state = InitialState::kReset;  // FLASH_ACR reset: 0 WS (RM0383 3.8.1)
  auto memory = MemorySystem::create(config);
  ASSERT_TRUE(memory);
  WaitStateCheck check = memory->check_wait_states();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.configured, 0u);
  EXPECT_EQ(check.required, 3u);
  EXPECT_NE(check.message().find("requires 3"), std::string::npos) << check.message();

  memory->register_write(0x40023C00, 1, 3);  // HAL: byte write of FLASH_ACR.LATENCY
  check = memory->check_wait_states();
  EXPECT_TRUE(check.ok);
  EXPECT_EQ(check.message(), "");
}

TEST(WaitStates, CheckFlagsAClockAboveTheTable) {
  MemorySystemConfig config = testing::stm32f411(120'000'000);
  auto memory = MemorySystem::create(config);
  ASSERT_TRUE(memory);
  const WaitStateCheck check = memory->check_wait_states();
  EXPECT_FALSE(check.ok);
  EXPECT_TRUE(check.above_table);
  EXPECT_NE(check.message().find("above the wait-state table"), std::string::npos);
}

TEST(WaitStates, StartupStateSetsTheMinimumForTheClock) {
  auto memory = MemorySystem::create(testing::stm32f411(100'000'000));
  ASSERT_TRUE(memory);
  EXPECT_EQ(memory->flash_settings().wait_states, 3u);
  EXPECT_TRUE(memory->flash_settings().prefetch);
  EXPECT_TRUE(memory->flash_settings().icache);
  EXPECT_TRUE(memory->flash_settings().dcache);
  EXPECT_TRUE(memory->check_wait_states().ok);
  // FLASH_ACR reads back what start-up code would have written: LATENCY 3, PRFTEN|ICEN|DCEN.
  EXPECT_EQ(memory->register_read(0x40023C00, 4), 0x00000703u);
}

TEST(WaitStates, WithoutRegistersTheStartupSettingFollowsTheClock) {
  MemorySystemConfig config = testing::stm32f411(100'000'000);
  config.flash_registers = "none";
  auto memory = MemorySystem::create(config);
  ASSERT_TRUE(memory);
  EXPECT_EQ(memory->flash_settings().wait_states, 3u);
  memory->set_clock(48'000'000);
  EXPECT_EQ(memory->flash_settings().wait_states, 1u);
  EXPECT_TRUE(memory->check_wait_states().ok);
}

}  // namespace
}  // namespace tinysim::memory_models
