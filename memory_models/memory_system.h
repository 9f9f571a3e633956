// MemorySystem: the memory timing of one microcontroller, the only object the machine talks to.
// It owns the regions (flash, SRAM banks, TCM, XIP flash, peripheral space), the flash
// accelerator, the flash-interface register model, the Cortex-M7 L1 caches and the XIP cache,
// and answers two questions on the hot path:
//
//  1. fetch_stall_cycles(start, end, core_cycles): once per executed block, after the CPU model
//     retired it (core_cycles = what retire_block() returned). The extra cycles the instruction
//     fetch of [start, end) costs beyond the zero-wait-state timing the CPU model counted: flash
//     line reads, prefetch buffer hits, accelerator / L1 / XIP cache hits and misses. O(lines
//     touched), no allocation, one region lookup (cached), one virtual call on flash. Blocks in
//     SRAM/TCM return 0 at once (fetch_is_free() lets the machine skip the call altogether).
//  2. data_access_stall_cycles(address, size, write): from a Unicorn memory hook installed only
//     over the ranges data_hook_ranges() lists (flash with wait states, cached SRAM on an M7, XIP,
//     slow peripheral buses). The extra cycles of that load or store.
//
// Plus the run-time configuration, like silicon: register_read/register_write for the flash
// registers in register_windows() (e.g. STM32 FLASH_ACR), write_ccr() for SCB->CCR (M7 cache
// enables), cache_maintenance() for the SCB cache operations, and check_wait_states() for the
// "clock faster than the flash allows" warning. counters() feeds the profiler and the energy
// model.
//
// Thread-compatible; not thread-safe. Pure: no Unicorn, no I/O.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "memory_models/cache.h"
#include "memory_models/config.h"
#include "memory_models/counters.h"
#include "memory_models/i_flash_accelerator.h"
#include "memory_models/i_flash_registers.h"
#include "memory_models/wait_states.h"

namespace tinysim::memory_models {

namespace impl {
class XipFlash;
}

struct AddressRange {
  uint32_t base = 0;
  uint32_t size_bytes = 0;
};

class MemorySystem {
 public:
  // Empty when `config` is usable; otherwise one line per problem, each naming the field
  // (e.g. "regions[2] (sram2).base: overlaps regions[1] (sram1)").
  static std::string validate(const MemorySystemConfig& config);
  // The memory system at its initial state (config.initial_state), or nullptr with *error set
  // to validate()'s message.
  static std::unique_ptr<MemorySystem> create(const MemorySystemConfig& config,
                                              std::string* error = nullptr);
  ~MemorySystem();
  MemorySystem(const MemorySystem&) = delete;
  MemorySystem& operator=(const MemorySystem&) = delete;

  // ---- hot path --------------------------------------------------------------------------------

  // Extra cycles of fetching the block [start, end) that executed in `core_cycles` (zero-wait
  // cycles from the CPU model). Call for every executed block, in execution order, after the
  // block's data accesses. The region is the one holding `start`.
  uint32_t fetch_stall_cycles(uint32_t start, uint32_t end, uint32_t core_cycles);

  // Extra cycles of one data access of `size` bytes (1, 2, 4 or 8) at `address`.
  uint32_t data_access_stall_cycles(uint32_t address, uint32_t size, bool write);

  // ---- set-up
  // ------------------------------------------------------------------------------------

  // True when fetching from `address` never stalls whatever the run-time settings (SRAM/TCM
  // without L1 caching or bus latency, peripheral space, unmapped): the machine may skip
  // fetch_stall_cycles() for such blocks.
  bool fetch_is_free(uint32_t address) const;
  // True when data accesses in [base, base + size_bytes) can cost extra cycles, whatever the
  // run-time settings: the machine installs its data hook there.
  bool needs_data_hook(uint32_t base, uint32_t size_bytes) const;
  // All such ranges (merged where adjacent).
  std::vector<AddressRange> data_hook_ranges() const;

  // ---- flash-interface registers
  // -----------------------------------------------------------------

  std::span<const RegisterWindow> register_windows() const;
  bool owns_register(uint32_t address) const;
  // REQUIRES: owns_register(address); size 1, 2 or 4.
  uint32_t register_read(uint32_t address, uint32_t size) const;
  void register_write(uint32_t address, uint32_t size, uint32_t value);

  // ---- Cortex-M7 system control block
  // ------------------------------------------------------------

  static constexpr uint32_t kCcrDc = 1u << 16;  // SCB->CCR.DC (ARMv7-M ARM DDI0403E B3.2.8)
  static constexpr uint32_t kCcrIc = 1u << 17;  // SCB->CCR.IC
  // The machine forwards every SCB->CCR write (IC/DC enable the L1 caches; no-op without them).
  void write_ccr(uint32_t ccr);
  // IC/DC as the memory system has them: what the machine's CCR should hold at start.
  uint32_t ccr_cache_bits() const;
  // SCB cache maintenance registers, 0xE000EF50 (ICIALLU) .. 0xE000EF78 (BPIALL) (DDI0403E
  // B3.2.2 Table B3-4). Writes only.
  static bool is_cache_maintenance(uint32_t address) {
    return address >= 0xE000EF50u && address <= 0xE000EF78u;
  }
  void cache_maintenance(uint32_t address, uint32_t value);
  // CCSIDR for the I- or D-cache (DDI0403E B4.8.3), 0 without one: what firmware reads after
  // selecting the cache in CSSELR (CMSIS SCB_EnableDCache walks its sets and ways).
  uint32_t ccsidr(bool instruction) const;

  // ---- operating point and settings
  // --------------------------------------------------------------

  void set_clock(uint64_t clock_hz);
  // False (and no change) when the flash table has no such row.
  bool set_voltage_range(std::string_view name);
  uint64_t clock_hz() const { return clock_hz_; }
  // Configured wait states against the table, for the machine's warning.
  WaitStateCheck check_wait_states() const;

  const FlashSettings& flash_settings() const { return settings_; }
  // Sets the flash settings directly (boards without a register model, tests); with a register
  // model the registers are updated too.
  void set_flash_settings(const FlashSettings& settings);
  bool l1_icache_enabled() const { return l1i_on_; }
  bool l1_dcache_enabled() const { return l1d_on_; }
  bool xip_cache_enabled() const;
  void set_xip_cache_enabled(bool on);

  // ---- counters and state
  // ------------------------------------------------------------------------

  const MemoryCounters& counters() const { return counters_; }
  void reset_counters() { counters_ = MemoryCounters{}; }
  // Back to the initial state (caches empty, registers and enables per config.initial_state,
  // counters zero).
  void reset();
  const MemorySystemConfig& config() const { return config_; }

 private:
  struct Region {
    uint32_t base = 0;
    uint32_t last = 0;  // inclusive
    RegionKind kind = RegionKind::kSram;
    uint32_t access_cycles = 0;
    uint32_t width_bytes = 4;
    uint32_t canonical_delta = 0;  // address + delta = address in the aliased region
    bool through_accelerator = true;
    bool l1_cacheable = false;
    bool data_hook = false;
    std::string name;
  };

  explicit MemorySystem(const MemorySystemConfig& config);
  const Region* find(uint32_t address, uint32_t& hint) const;
  const Region* find(uint32_t address) const;
  void apply_settings(const FlashSettings& settings);
  FlashSettings startup_settings() const;
  uint32_t l1_fetch(const Region& r, uint32_t start, uint32_t end);
  uint32_t l1_data(const Region& r, uint32_t address, uint32_t size, bool write);
  uint32_t backing_read(const Region& r, uint32_t bytes, bool instruction);
  uint32_t backing_write(uint32_t address, uint32_t bytes);
  uint32_t write_through_cost(const Region& r) const;
  bool region_needs_hook(const Region& r) const;
  uint32_t read_cycles() const { return timing_.read_cycles; }

  MemorySystemConfig config_;
  std::vector<Region> regions_;  // sorted by base
  MemoryCounters counters_;
  std::unique_ptr<FlashAccelerator> accelerator_;
  std::unique_ptr<FlashAccelerator> plain_;  // flash paths that bypass the accelerator
  std::unique_ptr<FlashRegisters> registers_;
  std::optional<Cache> l1i_;
  std::optional<Cache> l1d_;
  std::unique_ptr<impl::XipFlash> xip_;
  FlashSettings settings_;
  FlashTiming timing_;
  uint64_t clock_hz_ = 0;
  std::string voltage_range_;
  bool l1i_on_ = false;
  bool l1d_on_ = false;
  static constexpr uint32_t kNoLine = 0xFFFFFFFFu;
  uint32_t l1i_current_ = kNoLine;
  mutable uint32_t fetch_hint_ = 0;
  mutable uint32_t data_hint_ = 0;
};

}  // namespace tinysim::memory_models
