// "none": flash behind a one-line read buffer on each bus, no prefetch, no cache. A fetch or
// data read outside the buffered line costs the wait states (read_cycles - 1): a straight line
// of code pays them once per flash line. Also the path of flash accessed around the accelerator
// (STM32F7 flash on AXIM with the L1 caches off).
#include "memory_models/impl/flash_accelerators.h"
#include "memory_models/impl/line_stream.h"

namespace tinysim::memory_models::impl {

std::unique_ptr<FlashAccelerator> make_plain_flash(const MemorySystemConfig& config,
                                                   MemoryCounters* counters) {
  LineStreamShape shape;
  shape.flash_line_bytes = config.flash.line_bits / 8;
  return std::make_unique<LineStreamAccelerator>("none", shape, counters);
}

}  // namespace tinysim::memory_models::impl
