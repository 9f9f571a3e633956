// "prefetch-buffer": STM32F0/F1 flash prefetch buffer.
//
// RM0008 3.3.3 (STM32F1): the flash is read 64 bits at a time into a prefetch buffer of two
// 64-bit blocks; while the core executes from one block, the next sequential block is read into
// the other (PRFTBE, on after reset: FLASH_ACR reset value 0x0000 0030). RM0091 3.2.2 (STM32F0):
// same scheme, prefetch "useful" from 1 wait state. With PrefetchBufferConfig::buffers = 2 the
// model reads one line ahead (buffers - 1 lines, at most LineStream::kMaxPrefetchDepth); there
// is no cache, so a taken branch out of the buffered lines pays the wait states.
#include <algorithm>

#include "memory_models/impl/flash_accelerators.h"
#include "memory_models/impl/line_stream.h"

namespace tinysim::memory_models::impl {

std::unique_ptr<FlashAccelerator> make_prefetch_buffer(const MemorySystemConfig& config,
                                                       MemoryCounters* counters) {
  LineStreamShape shape;
  shape.flash_line_bytes = config.flash.line_bits / 8;
  shape.prefetch_depth = std::max<uint32_t>(config.prefetch_buffer.buffers, 1) - 1;
  return std::make_unique<LineStreamAccelerator>("prefetch-buffer", shape, counters);
}

}  // namespace tinysim::memory_models::impl
