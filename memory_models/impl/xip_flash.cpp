#include "memory_models/impl/xip_flash.h"

namespace tinysim::memory_models::impl {

XipFlash::XipFlash(const XipConfig& config, MemoryCounters* counters)
    : config_(config), counters_(counters), cache_enabled_(config.cache_enabled) {
  if (config_.cache.name.empty()) config_.cache.name = "xip_cache";
  if (config_.cache.size_bytes > 0) cache_.emplace(config_.cache, &counters->xip_cache);
}

uint32_t XipFlash::transaction_cycles(uint32_t bytes) const {
  const uint32_t lanes = config_.data_lanes ? config_.data_lanes : 1;
  const uint32_t data_clocks = (bytes * 8 + lanes - 1) / lanes;
  return config_.overhead_cycles +
         config_.sck_divider * (config_.command_clocks + config_.address_clocks +
                                config_.mode_clocks + config_.dummy_clocks + data_clocks);
}

uint32_t XipFlash::miss(uint32_t bytes) {
  ++counters_->xip_transactions;
  counters_->xip_bytes_read += bytes;
  return transaction_cycles(bytes);
}

uint32_t XipFlash::walk(uint32_t address, uint64_t size, uint32_t& current) {
  const bool cached = cache_enabled();
  const uint32_t shift = cached ? cache_->line_shift() : 2;  // uncached: one word per read
  const uint32_t unit = 1u << shift;
  const uint32_t first = address >> shift;
  const uint32_t last = static_cast<uint32_t>((uint64_t(address) + size - 1) >> shift);
  uint32_t stall = 0;
  for (uint32_t line = first;; ++line) {
    if (!cached) {
      stall += miss(unit);
    } else if (line != current) {
      current = line;
      if (cache_->access(line << shift, false).hit) {
        stall += config_.cache.hit_cycles;
      } else {
        stall += config_.cache.miss_overhead_cycles + miss(unit);
      }
    }
    if (line == last) break;
  }
  return stall;
}

uint32_t XipFlash::fetch(uint32_t start, uint32_t end) {
  if (end <= start) return 0;
  return walk(start, uint64_t(end) - start, current_i_);
}

uint32_t XipFlash::read(uint32_t address, uint32_t size) {
  return walk(address, size ? size : 1, current_d_);
}

void XipFlash::invalidate() {
  if (cache_) cache_->invalidate_all();
  current_i_ = current_d_ = kNoLine;
}

void XipFlash::reset() {
  invalidate();
  cache_enabled_ = config_.cache_enabled;
}

}  // namespace tinysim::memory_models::impl
