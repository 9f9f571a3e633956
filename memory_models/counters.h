// Counters of the memory system: stall cycles by cause, flash array reads, cache hits and misses,
// XIP transactions. The profiler attributes their deltas to code; the energy model turns flash
// reads, cache accesses and XIP bytes into energy. Plain data, reset with MemorySystem::reset().
#pragma once

#include <cstdint>

namespace tinysim::memory_models {

// One cache's activity. An instruction-side access is counted once per cache line the fetch
// stream enters (not per instruction); a data-side access once per line a load or store touches.
struct CacheCounters {
  uint64_t read_hits = 0;
  uint64_t read_misses = 0;
  uint64_t write_hits = 0;
  uint64_t write_misses = 0;
  uint64_t fills = 0;       // lines (or sub-lines, STM32L4) brought in from memory
  uint64_t evictions = 0;   // valid lines replaced by a fill
  uint64_t writebacks = 0;  // dirty lines written to memory (evictions, clean operations)

  uint64_t hits() const { return read_hits + write_hits; }
  uint64_t misses() const { return read_misses + write_misses; }
  uint64_t accesses() const { return hits() + misses(); }
};

struct MemoryCounters {
  // Extra cycles returned by fetch_stall_cycles() and data_access_stall_cycles().
  uint64_t fetch_stall_cycles = 0;
  uint64_t data_stall_cycles = 0;
  // Part of fetch_stall_cycles spent waiting for a prefetch still in flight.
  uint64_t prefetch_stall_cycles = 0;

  // Internal flash array reads (one read = one flash line), by who asked for them.
  uint64_t flash_fetch_reads = 0;     // instruction fetch misses and I-cache line fills
  uint64_t flash_prefetch_reads = 0;  // issued by the prefetcher, used or not
  uint64_t flash_data_reads = 0;      // data reads (literal pools, constant tables, D fills)
  uint64_t flash_bytes_read = 0;      // all of the above times the line width
  uint64_t prefetch_hits = 0;         // lines the fetch stream found in the prefetch buffer

  // External (Q)SPI flash.
  uint64_t xip_transactions = 0;
  uint64_t xip_bytes_read = 0;

  // Calls of data_access_stall_cycles(), and those that hit peripheral space.
  uint64_t data_accesses = 0;
  uint64_t peripheral_accesses = 0;

  CacheCounters flash_icache;  // ART / L4 I-cache / generic flash cache (unified)
  CacheCounters flash_dcache;  // ART / L4 D-cache
  CacheCounters l1_icache;     // Cortex-M7 L1
  CacheCounters l1_dcache;
  CacheCounters xip_cache;
};

}  // namespace tinysim::memory_models
