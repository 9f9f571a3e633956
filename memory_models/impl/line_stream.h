// LineStream: the engine behind the STM32-style flash accelerators ("none", "prefetch-buffer",
// "stm32f4-art", "stm32l4-cache"): a current-line buffer on each bus, an optional sequential
// prefetcher of `prefetch_depth` lines on the instruction bus, and optional fully associative LRU
// instruction and data caches whose lines hold one or more flash lines.
//
// The rules (RM0090 3.5.2 / RM0440 4.3.4 / RM0008 3.3.3, timing per i_flash_accelerator.h):
//  - instruction bus, per flash line the fetch stream enters, in this order:
//    1. the current line (the line being executed): free ("if a loop is present in the current
//       buffer, no new flash access is performed", RM0440 4.3.4);
//    2. the I-cache, when enabled: free on a hit;
//    3. the prefetch buffer: free once the prefetch read has completed, otherwise the rest of it;
//    4. otherwise a miss: one flash read, read_cycles - 1 extra, and the line is copied into the
//       I-cache when enabled. Lines served by the prefetch buffer are not misses and are not
//       copied ("each time a miss occurs (requested data not present in the currently used
//       instruction line, in the prefetched instruction line or in the instruction cache
//       memory), the line read is copied into the instruction cache memory", RM0090 3.5.2).
//    When a line becomes current and prefetch is on, the next `prefetch_depth` sequential lines
//    not already cached or queued are read, one after the other, as soon as the flash is free.
//  - data bus: its own current line; a D-cache hit is free when enabled; otherwise one flash
//    read, copied into the D-cache when enabled ("each DCode bus read access fetches 64 bits
//    which are saved in a current buffer", RM0440 4.3.4).
//  - cache lines wider than a flash line (STM32L4: 4 x 64 bits) fill one flash line at a time,
//    as the core asks for them (a valid bit per flash line).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "memory_models/cache.h"
#include "memory_models/counters.h"
#include "memory_models/i_flash_accelerator.h"

namespace tinysim::memory_models::impl {

struct LineStreamShape {
  uint32_t flash_line_bytes = 8;  // FlashConfig::line_bits / 8
  uint32_t prefetch_depth = 0;    // lines read ahead of the current one; 0: no prefetcher
  uint32_t icache_lines = 0;      // 0: no I-cache
  uint32_t dcache_lines = 0;      // 0: no D-cache
  uint32_t cache_line_bytes = 0;  // cache line size; 0: one flash line
};

class LineStream {
 public:
  static constexpr uint32_t kMaxPrefetchDepth = 8;  // STM32L0: 6 x 32-bit buffers (RM0367 3.3)

  // REQUIRES: flash_line_bytes a power of two >= 4; cache_line_bytes 0 or a power-of-two
  // multiple of it (at most 32 flash lines); prefetch_depth <= kMaxPrefetchDepth.
  LineStream(const LineStreamShape& shape, MemoryCounters* counters);

  void set_timing(const FlashTiming& timing);
  uint32_t fetch(uint32_t start, uint32_t end, uint32_t core_cycles);
  uint32_t data_read(uint32_t address, uint32_t size);
  void invalidate_icache();
  void invalidate_dcache();
  void reset();

 private:
  // Fully associative LRU cache of cache lines with a valid bit per flash line.
  class LineCache {
   public:
    LineCache(uint32_t lines, uint32_t cache_line_bytes, uint32_t flash_line_shift,
              CacheCounters* counters);
    bool hit(uint32_t address);  // present: touches and counts a read hit
    bool contains(uint32_t address) const;
    void miss_and_fill(uint32_t address);  // counts a read miss and fills the flash line
    void clear();

   private:
    uint32_t sub_bit(uint32_t address) const {
      return 1u << ((address & (cache_line_bytes_ - 1)) >> flash_line_shift_);
    }
    Cache cache_;
    std::vector<uint32_t> valid_;  // per slot: flash lines present
    uint32_t cache_line_bytes_;
    uint32_t flash_line_shift_;
    CacheCounters* counters_;
  };

  struct Pending {
    uint32_t line = 0;
    uint64_t ready_at = 0;
  };

  uint32_t enter_line(uint32_t line);
  void issue_prefetches(uint32_t line);

  LineStreamShape shape_;
  MemoryCounters* counters_;
  uint32_t line_shift_ = 3;
  FlashTiming timing_;
  std::optional<LineCache> icache_;
  std::optional<LineCache> dcache_;

  static constexpr uint32_t kNoLine = 0xFFFFFFFFu;
  uint32_t current_ = kNoLine;    // instruction bus current line
  uint32_t d_current_ = kNoLine;  // data bus current line
  std::array<Pending, kMaxPrefetchDepth> pending_{};
  uint32_t pending_count_ = 0;
  uint64_t now_ = 0;            // the accelerator's clock: when the current fetch is needed
  uint64_t flash_free_at_ = 0;  // when the flash array finishes its last read
};

// A FlashAccelerator that is a LineStream with a fixed shape and name.
class LineStreamAccelerator final : public FlashAccelerator {
 public:
  LineStreamAccelerator(std::string name, const LineStreamShape& shape, MemoryCounters* counters)
      : name_(std::move(name)), stream_(shape, counters) {}
  std::string_view name() const override { return name_; }
  void set_timing(const FlashTiming& timing) override { stream_.set_timing(timing); }
  uint32_t fetch(uint32_t start, uint32_t end, uint32_t core_cycles) override {
    return stream_.fetch(start, end, core_cycles);
  }
  uint32_t data_read(uint32_t address, uint32_t size) override {
    return stream_.data_read(address, size);
  }
  void invalidate_icache() override { stream_.invalidate_icache(); }
  void invalidate_dcache() override { stream_.invalidate_dcache(); }
  void reset() override { stream_.reset(); }

 private:
  std::string name_;
  LineStream stream_;
};

}  // namespace tinysim::memory_models::impl
