// Cache: a generic set-associative cache (tags and state only, no data): the Cortex-M7 L1 I- and
// D-caches, STM32U5/L5 ICACHE, the RP2040 XIP cache, and the fully associative line stores of the
// STM32 flash accelerators (ART, L4 caches) are all instances of it.
//
// The cache decides hits, misses, fills, evictions and write-backs; what a miss costs in cycles
// is the caller's business (it knows the memory behind the cache). No allocation after
// construction; an access costs O(ways).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "memory_models/config.h"
#include "memory_models/counters.h"

namespace tinysim::memory_models {

// Empty when `config` describes a usable cache (size 0 included: "no cache"), otherwise a message
// naming the field, prefixed with `key` (e.g. "l1_dcache.ways: ...").
std::string validate_cache_config(const CacheConfig& config, const std::string& key);

class Cache {
 public:
  // REQUIRES: validate_cache_config(config, ...) is empty and config.size_bytes > 0.
  // `counters` (not owned, may be null) receives the statistics of access().
  Cache(const CacheConfig& config, CacheCounters* counters);

  struct Result {
    bool hit = false;
    bool filled = false;          // a line was allocated for this access
    bool wrote_back = false;      // the allocation evicted a dirty line
    int32_t slot = -1;            // the line now holding the address, -1 when not allocated
    uint32_t victim_address = 0;  // line address of the dirty line written back
  };

  // One read or write of the line holding `address`: updates replacement state, allocates on a
  // miss as the allocate policy says (a write miss with kReadAllocate is not allocated), marks
  // the line dirty on a write to a write-back cache, and counts it.
  Result access(uint32_t address, bool write);

  // Low-level parts of access() for callers that manage sub-lines (STM32L4) or count themselves.
  // None of them touches the counters except allocate() (evictions, writebacks, fills).
  int32_t find(uint32_t address) const;  // slot holding the line, or -1; no state change
  void touch(int32_t slot);              // marks `slot` most recently used
  // Picks a victim (an invalid way first, then by the replacement policy) and fills it.
  int32_t allocate(uint32_t address, bool* wrote_back = nullptr,
                   uint32_t* victim_address = nullptr);

  bool contains(uint32_t address) const { return find(address) >= 0; }

  // Maintenance (Cortex-M7 SCB cache operations, STM32 ICRST/DCRST). Return the number of dirty
  // lines written back.
  void invalidate_all();
  uint32_t clean_all(bool invalidate);
  uint32_t clean_line(uint32_t address, bool invalidate);  // by address (DCCMVAC, DCCIMVAC)
  void invalidate_line(uint32_t address);                  // by address (DCIMVAC, ICIMVAU)
  uint32_t clean_set_way(uint32_t set, uint32_t way, bool clean, bool invalidate);

  uint32_t sets() const { return sets_; }
  uint32_t ways() const { return ways_; }
  uint32_t line_bytes() const { return 1u << line_shift_; }
  uint32_t line_shift() const { return line_shift_; }
  const CacheConfig& config() const { return config_; }
  // Line-aligned address held in `slot` (REQUIRES: the slot is valid).
  uint32_t slot_address(int32_t slot) const { return tags_[slot] << line_shift_; }
  bool slot_dirty(int32_t slot) const { return (flags_[slot] & kDirty) != 0; }

 private:
  static constexpr uint8_t kValid = 1;
  static constexpr uint8_t kDirty = 2;
  static constexpr uint32_t kInvalidTag = 0xFFFFFFFFu;  // no line number is this large

  uint32_t set_of(uint32_t line) const { return line & (sets_ - 1); }
  uint32_t victim(uint32_t set);
  void invalidate_slot(uint32_t slot);
  // Fully associative caches with many ways (the ART's 64 lines) keep an open-addressing index
  // line -> slot, so a lookup costs O(1) instead of a scan of every way.
  bool indexed() const { return !index_.empty(); }
  uint32_t index_home(uint32_t line) const { return (line * 0x9E3779B1u) >> index_shift_; }
  void index_insert(uint32_t line, uint32_t slot);
  void index_erase(uint32_t line);
  // Indexed LRU caches also keep their slots in recency order (a doubly linked list, most
  // recent first, invalid slots at the tail): the victim is the tail, O(1).
  bool listed() const { return !prev_.empty(); }
  void list_unlink(uint32_t slot);
  void list_push_front(uint32_t slot);
  void list_push_back(uint32_t slot);
  void list_reset();

  CacheConfig config_;
  CacheCounters* counters_;
  uint32_t sets_ = 1;
  uint32_t ways_ = 1;
  uint32_t line_shift_ = 5;
  uint64_t clock_ = 0;
  uint32_t rng_ = 1;
  // Structure of arrays, sets * ways entries, set-major: the tag scan of a wide (ART: 64-way)
  // set is a tight loop over contiguous words.
  std::vector<uint32_t> tags_;      // line number (address >> line_shift), kInvalidTag if invalid
  std::vector<uint64_t> stamps_;    // LRU: last use
  std::vector<uint8_t> flags_;      // kValid | kDirty
  std::vector<uint32_t> next_way_;  // round-robin pointer per set
  std::vector<int32_t> index_;      // slot or -1; empty when not indexed
  uint32_t index_shift_ = 32;
  std::vector<int32_t> prev_;  // recency list; empty when not listed
  std::vector<int32_t> next_;
  int32_t head_ = -1;
  int32_t tail_ = -1;
};

}  // namespace tinysim::memory_models
