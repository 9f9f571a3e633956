// "stm32l4-cache": the STM32L4 / L4+ / G4 / WB flash accelerator.
//
// RM0351 3.3.4 (L4), RM0432 3.3.4 (L4+), RM0440 4.3.4 (G4) "Read access latency / ART":
//  - "Each flash memory read operation provides 64 bits"; the 64-bit "current instruction line
//    is saved in a current buffer"; prefetch (PRFTEN) reads the next sequential 64-bit line;
//    "If a loop is present in the current buffer, no new flash access is performed".
//  - I-cache (ICEN) "32 cache lines of 4 x 64 bits" (L4CacheConfig::icache_lines,
//    cache_line_bits), filled on a miss with the line read, LRU replacement.
//  - D-cache (DCEN) "8 cache lines of 4 x 64 bits" on the D-Code bus; "each DCode bus read access
//    fetches 64 bits which are saved in a current buffer".
//  - both caches are on after reset (FLASH_ACR reset value 0x0000 0600).
// Model rule: a cache line holds four flash lines, each brought in by its own miss (one 64-bit
// read, read_cycles - 1 extra); the LRU replaces whole cache lines.
#include "memory_models/impl/flash_accelerators.h"
#include "memory_models/impl/line_stream.h"

namespace tinysim::memory_models::impl {

std::unique_ptr<FlashAccelerator> make_stm32l4_cache(const MemorySystemConfig& config,
                                                     MemoryCounters* counters) {
  LineStreamShape shape;
  shape.flash_line_bytes = config.flash.line_bits / 8;
  shape.prefetch_depth = 1;  // RM0351 3.3.4: the next sequential instruction line
  shape.icache_lines = config.l4_cache.icache_lines;
  shape.dcache_lines = config.l4_cache.dcache_lines;
  shape.cache_line_bytes = config.l4_cache.cache_line_bits / 8;
  return std::make_unique<LineStreamAccelerator>("stm32l4-cache", shape, counters);
}

}  // namespace tinysim::memory_models::impl
