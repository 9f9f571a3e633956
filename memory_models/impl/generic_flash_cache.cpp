// "generic-cache": a set-associative cache (MemorySystemConfig::flash_cache) in front of the
// flash, shared by instruction fetches and data reads: STM32U5/L5 ICACHE (RM0456 / RM0438
// "ICACHE": 8 KB, 2-way by default, 16-byte lines, on the code bus for both instructions and
// data), nRF52 NVMC cache, SAMD21 NVM cache. Enabled by FlashTiming::icache (ICACHE_CR.EN on
// U5/L5; FlashConfig settings elsewhere).
//
// Model rule: an access is counted per cache line entered; a hit costs CacheConfig::hit_cycles;
// a miss costs miss_overhead_cycles plus the flash reads filling the line
// (max(1, line / flash line) reads of read_cycles, minus the cycle the core counted). With the
// cache disabled the flash is read through its line buffers with the flash prefetcher (PRFTEN).
#include <algorithm>
#include <optional>

#include "memory_models/cache.h"
#include "memory_models/impl/flash_accelerators.h"
#include "memory_models/impl/line_stream.h"

namespace tinysim::memory_models::impl {
namespace {

class GenericFlashCache final : public FlashAccelerator {
 public:
  GenericFlashCache(const MemorySystemConfig& config, MemoryCounters* counters)
      : counters_(counters),
        config_(config.flash_cache),
        flash_line_bytes_(config.flash.line_bits / 8),
        fallback_(
            LineStreamShape{.flash_line_bytes = config.flash.line_bits / 8, .prefetch_depth = 1},
            counters) {
    if (config_.name.empty()) config_.name = "flash_cache";
    if (config_.size_bytes > 0) cache_.emplace(config_, &counters->flash_icache);
    reads_per_fill_ = std::max<uint32_t>(1, config_.line_bytes / flash_line_bytes_);
  }

  std::string_view name() const override { return "generic-cache"; }

  void set_timing(const FlashTiming& timing) override {
    timing_ = timing;
    fallback_.set_timing(timing);
  }

  uint32_t fetch(uint32_t start, uint32_t end, uint32_t core_cycles) override {
    if (!timing_.icache || !cache_) return fallback_.fetch(start, end, core_cycles);
    return walk(start, end - start, current_i_, /*instruction=*/true);
  }

  uint32_t data_read(uint32_t address, uint32_t size) override {
    if (!timing_.icache || !cache_) return fallback_.data_read(address, size);
    return walk(address, size ? size : 1, current_d_, /*instruction=*/false);
  }

  void invalidate_icache() override {
    if (cache_) cache_->invalidate_all();
    current_i_ = current_d_ = kNoLine;
  }
  void invalidate_dcache() override {}
  void reset() override {
    invalidate_icache();
    fallback_.reset();
  }

 private:
  static constexpr uint32_t kNoLine = 0xFFFFFFFFu;

  uint32_t walk(uint32_t address, uint32_t size, uint32_t& current, bool instruction) {
    const uint32_t shift = cache_->line_shift();
    const uint32_t first = address >> shift;
    const uint32_t last = static_cast<uint32_t>((uint64_t(address) + size - 1) >> shift);
    uint32_t stall = 0;
    for (uint32_t line = first;; ++line) {
      if (line != current) {
        current = line;
        if (cache_->access(line << shift, false).hit) {
          stall += config_.hit_cycles;
        } else {
          stall += config_.miss_overhead_cycles + reads_per_fill_ * timing_.read_cycles - 1;
          (instruction ? counters_->flash_fetch_reads : counters_->flash_data_reads) +=
              reads_per_fill_;
          counters_->flash_bytes_read += uint64_t(reads_per_fill_) * flash_line_bytes_;
        }
      }
      if (line == last) break;
    }
    return stall;
  }

  MemoryCounters* counters_;
  CacheConfig config_;
  uint32_t flash_line_bytes_;
  uint32_t reads_per_fill_ = 1;
  FlashTiming timing_;
  std::optional<Cache> cache_;
  LineStream fallback_;
  uint32_t current_i_ = kNoLine;
  uint32_t current_d_ = kNoLine;
};

}  // namespace

std::unique_ptr<FlashAccelerator> make_generic_flash_cache(const MemorySystemConfig& config,
                                                           MemoryCounters* counters) {
  return std::make_unique<GenericFlashCache>(config, counters);
}

}  // namespace tinysim::memory_models::impl
