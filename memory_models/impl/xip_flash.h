// XipFlash: external (Q)SPI flash executed in place behind an optional cache (RP2040 XIP cache,
// i.MX RT FlexSPI), per XipConfig. Used by MemorySystem for RegionKind::kXip.
//
// A cache miss (or, without a cache, every 32-bit word) is one serial-flash transaction of
//   overhead_cycles + sck_divider * (command + address + mode + dummy clocks + bits / data_lanes)
// extra core cycles (the transaction's phases as the flash datasheet draws them; the RP2040 SSI
// clocks them at clk_sys / BAUDR). A hit costs the cache's hit_cycles.
#pragma once

#include <cstdint>
#include <optional>

#include "memory_models/cache.h"
#include "memory_models/config.h"
#include "memory_models/counters.h"

namespace tinysim::memory_models::impl {

class XipFlash {
 public:
  XipFlash(const XipConfig& config, MemoryCounters* counters);

  // Extra core cycles of one transaction reading `bytes`.
  uint32_t transaction_cycles(uint32_t bytes) const;

  uint32_t fetch(uint32_t start, uint32_t end);    // instruction stream [start, end)
  uint32_t read(uint32_t address, uint32_t size);  // data read
  bool cache_enabled() const { return cache_enabled_ && cache_.has_value(); }
  void set_cache_enabled(bool on) { cache_enabled_ = on; }
  void invalidate();
  void reset();

 private:
  uint32_t walk(uint32_t address, uint64_t size, uint32_t& current);
  uint32_t miss(uint32_t bytes);

  XipConfig config_;
  MemoryCounters* counters_;
  std::optional<Cache> cache_;
  bool cache_enabled_ = true;
  static constexpr uint32_t kNoLine = 0xFFFFFFFFu;
  uint32_t current_i_ = kNoLine;
  uint32_t current_d_ = kNoLine;
};

}  // namespace tinysim::memory_models::impl
