// Configuration of the memory system of one microcontroller: its regions, its flash timing, the
// flash accelerator in front of the flash, its caches, its tightly coupled memories and its
// execute-in-place (XIP) flash, plus the flash-interface registers the firmware writes.
//
// Plain structs, filled from the board catalog (catalog/*.toml through sim/catalog.*): a catalog
// key equals the field name. Every field has a default and a sentence on when to change it;
// units are in the names (_hz, _bytes, _bits, _cycles). Cycle counts are *extra* core clock
// cycles beyond the zero-wait-state timing the CPU model (cpu_models/) already counts.
// MemorySystem::validate() (memory_system.h) rejects unusable values with a message naming the
// field. The numbers a board puts here must cite their source in the catalog; the defaults below
// cite theirs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tinysim::memory_models {

// ---------------------------------------------------------------------------------------------
// Regions.

enum class RegionKind : uint8_t {
  kFlash,       // internal flash: wait states from FlashConfig, through the flash accelerator
  kSram,        // on-chip SRAM bank: `access_cycles` (0 on every catalogued part)
  kTcm,         // tightly coupled memory (Cortex-M7 ITCM/DTCM): never cached, `access_cycles` (0)
  kXip,         // external (Q)SPI flash executed in place: latency from XipConfig
  kPeripheral,  // peripheral space: a fixed bus cost per access, `access_cycles`
};

// One address range with its own latency and width. Aliases (e.g. STM32 flash mirrored at 0) are
// separate regions with the same kind and settings.
struct RegionConfig {
  // Name for messages and counters, e.g. "flash", "sram1", "dtcm". Required.
  std::string name{};
  // First address and size. Required (size non-zero); regions must not overlap.
  uint32_t base = 0;
  uint32_t size_bytes = 0;
  RegionKind kind = RegionKind::kSram;
  // Extra cycles per access beyond zero wait states, for kSram and kPeripheral (kTcm takes
  // TcmConfig::access_cycles, kFlash and kXip take theirs from FlashConfig / XipConfig). 0 for
  // SRAM; set for a slow bus, e.g. an APB bridge (cite the manual or mark it as an estimate).
  uint32_t access_cycles = 0;
  // Data width of the path to this region in bits (32 for AHB SRAM, 64 for Cortex-M7 AXI and
  // TCM). Used to count the beats of a cache line fill from this region.
  uint32_t width_bits = 32;
  // kFlash only: accesses pass through the flash accelerator (ART, L4 caches, prefetch buffer).
  // Clear it for a path that bypasses it (STM32F7 flash on AXIM at 0x08000000; RM0385 section 2,
  // system architecture).
  bool through_accelerator = true;
  // Cortex-M7 only: the L1 caches hold this region's lines when enabled (SCB->CCR IC/DC). True
  // for normal memory in the default memory map (code and SRAM); false for TCM and devices.
  bool l1_cacheable = false;
  // Non-empty: this region mirrors the start of the named region (e.g. STM32 flash at 0, or
  // STM32F7 flash on ITCM at 0x00200000): both share flash lines and cache contents.
  std::string alias_of{};
};

// ---------------------------------------------------------------------------------------------
// Internal flash.

// The flash wait-state table for one supply condition: max_clock_hz[n] is the highest flash
// clock at which n wait states are enough (STM32 reference manuals, "Number of wait states
// according to CPU clock (HCLK) frequency").
struct WaitStateRange {
  // Condition name the operating point selects, e.g. "2.7-3.6V" (VDD range, F2/F4/F7) or
  // "range1" / "vos0" (core voltage scaling, L0/L4/L5/U5/G0/H7). Required, unique.
  std::string name{};
  // Strictly increasing; index = wait states. Required (at least one entry).
  std::vector<uint64_t> max_clock_hz{};
};

// Run-time settings of the flash interface: what FLASH_ACR-style registers hold.
struct FlashSettings {
  uint32_t wait_states = 0;  // FLASH_ACR.LATENCY
  bool prefetch = false;     // PRFTEN / PRFTBE: sequential prefetch of the next line
  bool icache = false;       // ICEN (F4/L4/G0), ARTEN (F7): instruction cache / ART on
  bool dcache = false;       // DCEN (F4/L4): data cache on
};

struct FlashConfig {
  // Wait-state tables, one per supply condition. Empty: the flash never needs wait states
  // (e.g. parts whose NVM interface hides them, nRF52); then every setting below that
  // concerns wait states is ignored.
  std::vector<WaitStateRange> wait_states{};
  // Bits one flash read delivers (the flash line): F0/F1 64 (RM0008 3.3.3), F4 128 (RM0090
  // 3.5.2), F7/H7 256, L4 64. A power of two from 32 to 256.
  uint32_t line_bits = 64;
  // Core clock cycles per flash clock cycle: 1 when the flash runs at the core clock; 2 on an H7
  // whose AXI clock (which clocks the flash and indexes the wait-state table) is HCLK/2.
  uint32_t clock_divider = 1;
  // Settings at reset when there is no register model (flash_registers "none"); with one, the
  // register's documented reset value applies (e.g. STM32L4 FLASH_ACR = 0x600: caches on).
  FlashSettings reset_settings;
  // Settings typical start-up code leaves (SystemClock_Config / SystemInit), used when the
  // machine starts from the start-up state (MemorySystemConfig::initial_state). wait_states
  // nullopt: the minimum the table allows for the clock. Change it to match a vendor SDK.
  std::optional<uint32_t> startup_wait_states;
  bool startup_prefetch = true;
  bool startup_icache = true;
  bool startup_dcache = true;
};

// ---------------------------------------------------------------------------------------------
// Flash accelerators (MemorySystemConfig::flash_accelerator selects one by name).

// STM32F0/F1 prefetch buffer ("prefetch-buffer"): RM0008 3.3.3, RM0091 3.2.2: two 64-bit
// buffers; while the core consumes one, the next sequential line is read into the other.
struct PrefetchBufferConfig {
  // Line buffers (current + prefetched). 2 on F0/F1. At least 1.
  uint32_t buffers = 2;
};

// STM32F2/F4 adaptive real-time accelerator ("stm32f4-art"): RM0090 3.5.2, RM0383 3.4.2: a
// prefetch of the next sequential 128-bit line, an instruction cache and a data cache of whole
// flash lines (width FlashConfig::line_bits).
struct ArtConfig {
  uint32_t icache_lines = 64;  // RM0090 3.5.2: "64 lines of 128 bits"
  uint32_t dcache_lines = 8;   // RM0090 3.5.2: "8 lines of 128 bits"
};

// STM32L4 flash caches ("stm32l4-cache"): RM0351 3.3.4-3.3.5: prefetch of the next 64-bit
// line, an instruction cache and a data cache whose lines hold `cache_line_bits` (several flash
// lines, filled one flash read at a time as the core asks for them).
struct L4CacheConfig {
  uint32_t icache_lines = 32;      // RM0351 3.3.4: "32 cache lines of 4 x 64 bits (1 Kbyte)"
  uint32_t dcache_lines = 8;       // RM0351 3.3.4: "8 lines of 4 x 64 bits (256 bytes)"
  uint32_t cache_line_bits = 256;  // 4 x 64 bits
};

// ---------------------------------------------------------------------------------------------
// Generic set-associative cache (Cortex-M7 L1, STM32U5 ICACHE/DCACHE, RP2040 XIP cache, a flash
// cache selected as "generic-cache").

enum class Replacement : uint8_t { kLru, kRandom, kRoundRobin };
enum class WritePolicy : uint8_t { kWriteBack, kWriteThrough };
enum class AllocatePolicy : uint8_t {
  kReadAllocate,       // a read miss fills a line; a write miss goes to memory
  kReadWriteAllocate,  // any miss fills a line
};

struct CacheConfig {
  // Name for counters and messages, e.g. "l1i". Defaults to the role it is used in.
  std::string name{};
  // Capacity; 0 means no cache. A multiple of line_bytes * ways.
  uint32_t size_bytes = 0;
  // Line size, a power of two >= 4 (Cortex-M7 L1: 32, Cortex-M7 TRM DDI0489 "L1 caches"; RP2040
  // XIP: 8).
  uint32_t line_bytes = 32;
  // Associativity, >= 1 (M7: I 2-way, D 4-way, DDI0489). size/(line*ways) must be a power
  // of two.
  uint32_t ways = 2;
  Replacement replacement = Replacement::kLru;
  WritePolicy write_policy = WritePolicy::kWriteBack;
  AllocatePolicy allocate = AllocatePolicy::kReadAllocate;
  // Extra cycles of a hit beyond zero wait states (0: a hit is as fast as TCM).
  uint32_t hit_cycles = 0;
  // Fixed extra cycles per miss on top of reading the line from the backing region (controller
  // and bus turnaround). An estimate unless the catalog cites one.
  uint32_t miss_overhead_cycles = 0;
  // Seed of the kRandom replacement generator (deterministic runs).
  uint32_t random_seed = 1;
};

// ---------------------------------------------------------------------------------------------
// Tightly coupled memory.

// TCM regions are RegionConfig entries of kind kTcm; this holds what they share.
struct TcmConfig {
  // Extra cycles per access (0: Cortex-M7 TCMs run at the core clock with zero wait states,
  // DDI0489 "TCM interfaces"). Change only for a part that documents TCM wait states.
  uint32_t access_cycles = 0;
};

// ---------------------------------------------------------------------------------------------
// Execute-in-place (Q)SPI flash.

// A read from XIP flash that misses the cache costs a serial flash transaction:
//   miss = overhead_cycles + sck_divider * (command_clocks + address_clocks + mode_clocks +
//          dummy_clocks + line_bytes * 8 / data_lanes)
// core cycles (line_bytes of the XIP cache, or 4 without one).
struct XipConfig {
  // Core clock cycles per serial clock (RP2040 SSI BAUDR, pico-sdk boot2 default 2).
  uint32_t sck_divider = 2;
  // Serial clocks of each transaction phase. Defaults: a quad-I/O read (0xEB) in continuous-read
  // mode, no command phase: 24-bit address on 4 lines = 6, mode 2, dummy 4 (W25Q "Fast Read
  // Quad I/O"). Change for the flash part and mode the board's boot code sets.
  uint32_t command_clocks = 0;
  uint32_t address_clocks = 6;
  uint32_t mode_clocks = 2;
  uint32_t dummy_clocks = 4;
  // Data lines: 1, 2 or 4.
  uint32_t data_lanes = 4;
  // Fixed controller latency per transaction in core cycles (an estimate unless cited).
  uint32_t overhead_cycles = 0;
  // The XIP cache (size_bytes 0: none; RP2040: 16 KB, 2-way, 8-byte lines).
  CacheConfig cache;
  // Cache enabled at reset (RP2040 XIP_CTRL.EN resets to 1).
  bool cache_enabled = true;
};

// ---------------------------------------------------------------------------------------------
// The whole memory system.

// Where the run-time settings (flash wait states and enables, L1 cache enables) start.
enum class InitialState : uint8_t {
  kReset,    // like silicon out of reset: FlashConfig::reset_settings, L1 caches off
  kStartup,  // as typical start-up code leaves them: FlashConfig::startup_*, L1 caches on
};

struct MemorySystemConfig {
  // Core (HCLK) clock. Required. Picks the wait states (with voltage_range).
  uint64_t clock_hz = 0;
  // Name of the FlashConfig::wait_states row of the operating point; empty: the first row.
  std::string voltage_range{};
  // The regions. Addresses outside every region cost nothing extra.
  std::vector<RegionConfig> regions{};

  FlashConfig flash;
  // "none" (a one-line read buffer, no prefetch), "prefetch-buffer" (F0/F1), "stm32f4-art"
  // (F2/F4, also F7's ART on the ITCM path), "stm32l4-cache" (L4/L4+/G4/WB), "generic-cache"
  // (flash_cache in front of the flash: STM32U5/L5 ICACHE, nRF52 NVMC cache, SAMD21 NVM cache).
  std::string flash_accelerator = "none";
  PrefetchBufferConfig prefetch_buffer;
  ArtConfig art;
  L4CacheConfig l4_cache;
  CacheConfig flash_cache;

  // Flash-interface register model: "none", or a family: "stm32f0", "stm32f1", "stm32f4",
  // "stm32f7", "stm32g0", "stm32l0", "stm32l4", "stm32l5", "stm32u5", "stm32h7". The machine
  // routes the register block's MMIO to it (memory_system.h).
  std::string flash_registers = "none";
  // Base address of that register block; 0: the family's default (e.g. 0x40023C00 on F4).
  uint32_t flash_registers_base = 0;

  // Cortex-M7 L1 caches (size_bytes 0: none). Enabled by SCB->CCR.IC / CCR.DC.
  CacheConfig l1_icache;
  CacheConfig l1_dcache;

  TcmConfig tcm;
  XipConfig xip;

  InitialState initial_state = InitialState::kStartup;
};

}  // namespace tinysim::memory_models
