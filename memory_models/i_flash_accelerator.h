// FlashAccelerator: what sits between the core's instruction and data buses and the internal
// flash array: a line buffer, a prefetcher, instruction/data caches (STM32 ART, L4 caches, F0/F1
// prefetch buffers, U5 ICACHE). One implementation per family in impl/, chosen by name
// (MemorySystemConfig::flash_accelerator).
//
// Time model shared by the implementations (their own rule, see docs/memory-models.md):
//  - A flash read delivers one line (FlashConfig::line_bits) in read_cycles = (wait states + 1) *
//    clock_divider core cycles. The CPU model already counts one cycle per fetch and per data
//    access, so a read the core waits for costs read_cycles - 1 extra (= the wait states at
//    divider 1: RM0090 3.5.2, "the penalty ... is at least equal to the number of wait states").
//  - A fetch stream is a block of instructions [start, end) executed in `core_cycles` (its zero-
//    wait cost, spread evenly over its bytes); the accelerator keeps its own clock of when each
//    line is needed, so a prefetch issued when a line arrives is ready read_cycles later and
//    costs max(0, ready - needed).
// Addresses given to an accelerator are canonical flash addresses (aliases resolved).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "memory_models/config.h"
#include "memory_models/counters.h"

namespace tinysim::memory_models {

// The flash timing and enables in force (from the wait-state setting and FLASH_ACR).
struct FlashTiming {
  uint32_t line_bytes = 8;   // flash read width in bytes
  uint32_t read_cycles = 1;  // core cycles of one flash read: (wait states + 1) * clock divider
  bool prefetch = false;     // PRFTEN / PRFTBE
  bool icache = false;       // ICEN / ARTEN / ICACHE_CR.EN
  bool dcache = false;       // DCEN
  uint32_t miss_stall() const { return read_cycles - 1; }
};

class FlashAccelerator {
 public:
  virtual ~FlashAccelerator() = default;

  // The name it was created with, e.g. "stm32f4-art".
  virtual std::string_view name() const = 0;

  // New wait states or enables (register write, clock change). Contents are kept: a disabled
  // cache is not used but keeps its lines, like silicon until ICRST/DCRST.
  virtual void set_timing(const FlashTiming& timing) = 0;

  // Extra cycles of fetching [start, end) (end > start), executed in `core_cycles` at zero wait
  // states. Counts flash reads, prefetch hits and cache accesses. O(lines touched), no allocation.
  virtual uint32_t fetch(uint32_t start, uint32_t end, uint32_t core_cycles) = 0;

  // Extra cycles of a data read of `size` bytes at `address` (literal pools, constant tables).
  virtual uint32_t data_read(uint32_t address, uint32_t size) = 0;

  // ICRST / DCRST / ARTRST: empty the caches.
  virtual void invalidate_icache() = 0;
  virtual void invalidate_dcache() = 0;

  // Empty every buffer and cache, restart the clock (a new run).
  virtual void reset() = 0;
};

// Creates the accelerator `name` ("none", "prefetch-buffer", "stm32f4-art", "stm32l4-cache",
// "generic-cache") with its part of `config`; `counters` (not owned) must outlive it. nullptr for
// an unknown name.
std::unique_ptr<FlashAccelerator> make_flash_accelerator(std::string_view name,
                                                         const MemorySystemConfig& config,
                                                         MemoryCounters* counters);

// Names make_flash_accelerator accepts.
std::vector<std::string> flash_accelerator_names();

}  // namespace tinysim::memory_models
