// Memory-system configurations of a few real parts for the tests, each number with its source.
// (The shipped boards get theirs from catalog/; these are test fixtures.)
#pragma once

#include <cstdint>

#include "memory_models/config.h"

namespace tinysim::memory_models::testing {

inline constexpr uint32_t kFlashBase = 0x08000000;
inline constexpr uint32_t kSramBase = 0x20000000;

// STM32F411 (Nucleo-F411RE): 512 KB flash with a 128-bit ART at 0x08000000 aliased at 0,
// 128 KB SRAM; wait states for VDD 2.7-3.6 V from RM0383 3.4.1 Table 5 (30/64/90/100 MHz).
inline MemorySystemConfig stm32f411(uint64_t clock_hz = 100'000'000) {
  MemorySystemConfig c;
  c.clock_hz = clock_hz;
  c.voltage_range = "2.7-3.6V";
  c.regions = {
      {.name = "flash", .base = kFlashBase, .size_bytes = 512 * 1024, .kind = RegionKind::kFlash},
      {.name = "boot",
       .base = 0,
       .size_bytes = 512 * 1024,
       .kind = RegionKind::kFlash,
       .alias_of = "flash"},
      {.name = "sram", .base = kSramBase, .size_bytes = 128 * 1024, .kind = RegionKind::kSram},
      // APB/AHB peripherals: 2 cycles per access is this test's estimate, not a datasheet value.
      {.name = "peripherals",
       .base = 0x40000000,
       .size_bytes = 0x20000000,
       .kind = RegionKind::kPeripheral,
       .access_cycles = 2},
  };
  c.flash.line_bits = 128;  // RM0383 3.4.2: 128-bit flash reads
  c.flash.wait_states = {{"2.7-3.6V", {30'000'000, 64'000'000, 90'000'000, 100'000'000}}};
  c.flash_accelerator = "stm32f4-art";
  c.flash_registers = "stm32f4";
  return c;
}

// STM32F103 (Blue Pill): 64-bit flash lines and a 2 x 64-bit prefetch buffer (RM0008 3.3.3);
// 0/1/2 wait states up to 24/48/72 MHz (RM0008 3.3.3).
inline MemorySystemConfig stm32f103(uint64_t clock_hz = 72'000'000) {
  MemorySystemConfig c;
  c.clock_hz = clock_hz;
  c.regions = {
      {.name = "flash", .base = kFlashBase, .size_bytes = 64 * 1024, .kind = RegionKind::kFlash},
      {.name = "sram", .base = kSramBase, .size_bytes = 20 * 1024, .kind = RegionKind::kSram},
  };
  c.flash.line_bits = 64;
  c.flash.wait_states = {{"any", {24'000'000, 48'000'000, 72'000'000}}};
  c.flash_accelerator = "prefetch-buffer";
  c.prefetch_buffer.buffers = 2;
  c.flash_registers = "stm32f1";
  return c;
}

// STM32F746 (F7 Discovery): 256-bit flash on AXIM (0x08000000, through the L1 caches) and on
// ITCM (0x00200000, through the ART); ITCM RAM, DTCM, SRAM1 on 64-bit AXI; Cortex-M7 L1 caches
// 4 KB I (2-way) + 4 KB D (4-way), 32-byte lines (RM0385 2.1; DDI0489 "Caches"). Wait states for
// 2.7-3.6 V: RM0385 3.3.2 Table 5 (30 MHz steps, 7 WS up to 216 MHz).
inline MemorySystemConfig stm32f746(uint64_t clock_hz = 216'000'000) {
  MemorySystemConfig c;
  c.clock_hz = clock_hz;
  c.regions = {
      {.name = "itcm_ram",
       .base = 0x00000000,
       .size_bytes = 16 * 1024,
       .kind = RegionKind::kTcm,
       .width_bits = 64},
      {.name = "flash_itcm",
       .base = 0x00200000,
       .size_bytes = 1024 * 1024,
       .kind = RegionKind::kFlash,
       .width_bits = 64,
       .alias_of = "flash_axim"},
      {.name = "flash_axim",
       .base = kFlashBase,
       .size_bytes = 1024 * 1024,
       .kind = RegionKind::kFlash,
       .width_bits = 64,
       .through_accelerator = false,
       .l1_cacheable = true},
      {.name = "dtcm",
       .base = 0x20000000,
       .size_bytes = 64 * 1024,
       .kind = RegionKind::kTcm,
       .width_bits = 64},
      {.name = "sram1",
       .base = 0x20010000,
       .size_bytes = 240 * 1024,
       .kind = RegionKind::kSram,
       .width_bits = 64,
       .l1_cacheable = true},
  };
  c.flash.line_bits = 256;
  c.flash.wait_states = {{"2.7-3.6V",
                          {30'000'000, 60'000'000, 90'000'000, 120'000'000, 150'000'000,
                           180'000'000, 210'000'000, 216'000'000}}};
  c.flash_accelerator = "stm32f4-art";
  c.art.icache_lines = 64;
  c.art.dcache_lines = 0;
  c.flash_registers = "stm32f7";
  c.l1_icache = {.size_bytes = 4096, .line_bytes = 32, .ways = 2};
  c.l1_dcache = {.size_bytes = 4096,
                 .line_bytes = 32,
                 .ways = 4,
                 .write_policy = WritePolicy::kWriteBack,
                 .allocate = AllocatePolicy::kReadWriteAllocate};
  c.initial_state = InitialState::kReset;
  return c;
}

// RP2040 (Raspberry Pi Pico): code in QSPI flash at 0x10000000 behind the XIP cache, "16 kB,
// two-way set-associative, 1 cycle hit" with 8-byte lines (RP2040 datasheet 2.6.3.1; the same
// words in RP2350 4.4.1); pico-sdk boot2 for the W25Q080: quad I/O read in
// continuous mode, SSI clock = clk_sys / 2 (address 6 + mode 2 + dummy 4 serial clocks).
inline MemorySystemConfig rp2040(uint64_t clock_hz = 125'000'000) {
  MemorySystemConfig c;
  c.clock_hz = clock_hz;
  c.regions = {
      {.name = "xip", .base = 0x10000000, .size_bytes = 2 * 1024 * 1024, .kind = RegionKind::kXip},
      {.name = "sram", .base = kSramBase, .size_bytes = 264 * 1024, .kind = RegionKind::kSram},
  };
  c.xip.sck_divider = 2;
  c.xip.command_clocks = 0;
  c.xip.address_clocks = 6;
  c.xip.mode_clocks = 2;
  c.xip.dummy_clocks = 4;
  c.xip.data_lanes = 4;
  c.xip.cache = {.size_bytes = 16 * 1024, .line_bytes = 8, .ways = 2};
  return c;
}

}  // namespace tinysim::memory_models::testing
