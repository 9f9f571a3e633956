// "stm32f4-art": the STM32F2/F4 adaptive real-time memory accelerator (ART).
//
// RM0090 Rev 21 3.5.2 (F405/F407/F42x), RM0383 3.4.2 (F411), RM0390 3.4.2 (F446):
//  - "Each flash memory read operation provides 128 bits"; prefetch (PRFTEN) reads "the next
//    sequential instruction line from the flash memory while the current instruction line is
//    being requested by the CPU": one line ahead.
//  - instruction cache (ICEN) of ArtConfig::icache_lines "64 lines of 128 bits", filled on a miss
//    ("not present in the currently used instruction line, in the prefetched instruction line or
//    in the instruction cache memory"), LRU replacement, hits "without inserting any delay".
//  - data cache (DCEN) of ArtConfig::dcache_lines "8 rows of 128 bits" for literal pools on the
//    D-Code bus, working "like the instruction cache memory".
//  - a miss costs "at least" the wait states: the model charges exactly read_cycles - 1.
// The STM32F7 ART on the ITCM flash path (RM0385 section 2, system architecture) uses the same
// model with the F7's line width and ArtConfig sizes from the catalog (dcache_lines 0); its ARTEN
// bit maps to the I-cache enable.
#include "memory_models/impl/flash_accelerators.h"
#include "memory_models/impl/line_stream.h"

namespace tinysim::memory_models::impl {

std::unique_ptr<FlashAccelerator> make_stm32f4_art(const MemorySystemConfig& config,
                                                   MemoryCounters* counters) {
  LineStreamShape shape;
  shape.flash_line_bytes = config.flash.line_bits / 8;
  shape.prefetch_depth = 1;  // RM0090 3.5.2: the next sequential line
  shape.icache_lines = config.art.icache_lines;
  shape.dcache_lines = config.art.dcache_lines;
  return std::make_unique<LineStreamAccelerator>("stm32f4-art", shape, counters);
}

}  // namespace tinysim::memory_models::impl
