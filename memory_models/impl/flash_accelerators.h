// Factories of the flash accelerators, one per file in impl/ (memory_models/flash_accelerator.cpp
// selects them by name).
#pragma once

#include <memory>

#include "memory_models/config.h"
#include "memory_models/counters.h"
#include "memory_models/i_flash_accelerator.h"

namespace tinysim::memory_models::impl {

// "none": one line buffer per bus, no prefetch, no cache (plain_flash.cpp).
std::unique_ptr<FlashAccelerator> make_plain_flash(const MemorySystemConfig& config,
                                                   MemoryCounters* counters);
// "prefetch-buffer": STM32F0/F1 (prefetch_buffer.cpp).
std::unique_ptr<FlashAccelerator> make_prefetch_buffer(const MemorySystemConfig& config,
                                                       MemoryCounters* counters);
// "stm32f4-art": STM32F2/F4 ART, also the STM32F7 ART on the ITCM path (stm32f4_art.cpp).
std::unique_ptr<FlashAccelerator> make_stm32f4_art(const MemorySystemConfig& config,
                                                   MemoryCounters* counters);
// "stm32l4-cache": STM32L4/L4+/G4/WB flash caches (stm32l4_cache.cpp).
std::unique_ptr<FlashAccelerator> make_stm32l4_cache(const MemorySystemConfig& config,
                                                     MemoryCounters* counters);
// "generic-cache": a set-associative cache in front of the flash (generic_flash_cache.cpp).
std::unique_ptr<FlashAccelerator> make_generic_flash_cache(const MemorySystemConfig& config,
                                                           MemoryCounters* counters);

}  // namespace tinysim::memory_models::impl
