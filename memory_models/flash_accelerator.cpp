#include "memory_models/i_flash_accelerator.h"
#include "memory_models/impl/flash_accelerators.h"

namespace tinysim::memory_models {

std::unique_ptr<FlashAccelerator> make_flash_accelerator(std::string_view name,
                                                         const MemorySystemConfig& config,
                                                         MemoryCounters* counters) {
  if (name == "none") return impl::make_plain_flash(config, counters);
  if (name == "prefetch-buffer") return impl::make_prefetch_buffer(config, counters);
  if (name == "stm32f4-art") return impl::make_stm32f4_art(config, counters);
  if (name == "stm32l4-cache") return impl::make_stm32l4_cache(config, counters);
  if (name == "generic-cache") return impl::make_generic_flash_cache(config, counters);
  return nullptr;
}

std::vector<std::string> flash_accelerator_names() {
  return {"none", "prefetch-buffer", "stm32f4-art", "stm32l4-cache", "generic-cache"};
}

}  // namespace tinysim::memory_models
