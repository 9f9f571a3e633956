#include "memory_models/cache.h"

#include <algorithm>
#include <bit>

namespace tinysim::memory_models {

std::string validate_cache_config(const CacheConfig& c, const std::string& key) {
  if (c.size_bytes == 0) return {};
  if (c.line_bytes < 4 || !std::has_single_bit(c.line_bytes)) {
    return key + ".line_bytes: must be a power of two >= 4, got " + std::to_string(c.line_bytes);
  }
  if (c.ways == 0) return key + ".ways: must be at least 1";
  const uint64_t set_bytes = uint64_t(c.line_bytes) * c.ways;
  if (c.size_bytes % set_bytes != 0) {
    return key + ".size_bytes: " + std::to_string(c.size_bytes) +
           " is not a multiple of line_bytes * ways (" + std::to_string(set_bytes) + ")";
  }
  if (!std::has_single_bit(c.size_bytes / set_bytes)) {
    return key +
           ".size_bytes: size / (line_bytes * ways) = " + std::to_string(c.size_bytes / set_bytes) +
           " sets, must be a power of two";
  }
  return {};
}

Cache::Cache(const CacheConfig& config, CacheCounters* counters)
    : config_(config), counters_(counters) {
  line_shift_ = static_cast<uint32_t>(std::countr_zero(config.line_bytes));
  ways_ = config.ways;
  sets_ = config.size_bytes / (config.line_bytes * config.ways);
  rng_ = config.random_seed != 0 ? config.random_seed : 1;
  const size_t n = size_t(sets_) * ways_;
  tags_.assign(n, kInvalidTag);
  stamps_.assign(n, 0);
  flags_.assign(n, 0);
  next_way_.assign(sets_, 0);
  if (sets_ == 1 && ways_ > 8) {
    const uint32_t size = std::bit_ceil(ways_) * 4;  // load factor <= 1/4
    index_.assign(size, -1);
    index_shift_ = 32 - static_cast<uint32_t>(std::countr_zero(size));
    if (config.replacement == Replacement::kLru) {
      prev_.assign(ways_, -1);
      next_.assign(ways_, -1);
      list_reset();
    }
  }
}

void Cache::list_reset() {
  for (uint32_t i = 0; i < ways_; ++i) {
    prev_[i] = static_cast<int32_t>(i) - 1;
    next_[i] = i + 1 < ways_ ? static_cast<int32_t>(i + 1) : -1;
  }
  head_ = 0;
  tail_ = static_cast<int32_t>(ways_) - 1;
}

void Cache::list_unlink(uint32_t slot) {
  const int32_t p = prev_[slot];
  const int32_t n = next_[slot];
  (p >= 0 ? next_[p] : head_) = n;
  (n >= 0 ? prev_[n] : tail_) = p;
}

void Cache::list_push_front(uint32_t slot) {
  prev_[slot] = -1;
  next_[slot] = head_;
  (head_ >= 0 ? prev_[head_] : tail_) = static_cast<int32_t>(slot);
  head_ = static_cast<int32_t>(slot);
}

void Cache::list_push_back(uint32_t slot) {
  next_[slot] = -1;
  prev_[slot] = tail_;
  (tail_ >= 0 ? next_[tail_] : head_) = static_cast<int32_t>(slot);
  tail_ = static_cast<int32_t>(slot);
}

void Cache::index_insert(uint32_t line, uint32_t slot) {
  const uint32_t mask = static_cast<uint32_t>(index_.size()) - 1;
  uint32_t i = index_home(line);
  while (index_[i] >= 0) i = (i + 1) & mask;
  index_[i] = static_cast<int32_t>(slot);
}

void Cache::index_erase(uint32_t line) {
  const uint32_t mask = static_cast<uint32_t>(index_.size()) - 1;
  uint32_t i = index_home(line);
  while (index_[i] >= 0 && tags_[index_[i]] != line) i = (i + 1) & mask;
  if (index_[i] < 0) return;
  // Backward-shift deletion keeps every probe chain unbroken.
  for (uint32_t j = (i + 1) & mask; index_[j] >= 0; j = (j + 1) & mask) {
    const uint32_t home = index_home(tags_[index_[j]]);
    const bool movable = (j > i) ? (home <= i || home > j) : (home <= i && home > j);
    if (movable) {
      index_[i] = index_[j];
      i = j;
    }
  }
  index_[i] = -1;
}

int32_t Cache::find(uint32_t address) const {
  const uint32_t line = address >> line_shift_;
  const uint32_t base = set_of(line) * ways_;
  const uint32_t* tags = tags_.data() + base;
  if (indexed()) {
    const uint32_t mask = static_cast<uint32_t>(index_.size()) - 1;
    for (uint32_t i = index_home(line);; i = (i + 1) & mask) {
      const int32_t slot = index_[i];
      if (slot < 0) return -1;
      if (tags_[slot] == line) return slot;
    }
  }
  if (ways_ <= 4) {
    for (uint32_t w = 0; w < ways_; ++w) {
      if (tags[w] == line) return static_cast<int32_t>(base + w);
    }
    return -1;
  }
  // Wide sets (fully associative flash caches): a branch-free scan the compiler vectorises. A
  // line is in at most one way; invalid ways hold kInvalidTag, which no line number equals.
  int32_t found = -1;
  for (uint32_t w = 0; w < ways_; ++w) {
    found = tags[w] == line ? static_cast<int32_t>(w) : found;
  }
  return found < 0 ? -1 : static_cast<int32_t>(base) + found;
}

void Cache::touch(int32_t slot) {
  stamps_[slot] = ++clock_;
  if (listed() && head_ != slot) {
    list_unlink(slot);
    list_push_front(slot);
  }
}

uint32_t Cache::victim(uint32_t set) {
  if (listed()) return static_cast<uint32_t>(tail_);  // invalid slots sit at the tail
  const uint32_t base = set * ways_;
  // An invalid way first, whatever the policy.
  for (uint32_t w = 0; w < ways_; ++w) {
    if (!(flags_[base + w] & kValid)) return base + w;
  }
  switch (config_.replacement) {
    case Replacement::kLru: {
      uint32_t best = base;
      for (uint32_t w = 1; w < ways_; ++w) {
        if (stamps_[base + w] < stamps_[best]) best = base + w;
      }
      return best;
    }
    case Replacement::kRoundRobin: {
      const uint32_t w = next_way_[set];
      next_way_[set] = (w + 1) % ways_;
      return base + w;
    }
    case Replacement::kRandom: {
      // xorshift32: deterministic for a given seed.
      rng_ ^= rng_ << 13;
      rng_ ^= rng_ >> 17;
      rng_ ^= rng_ << 5;
      return base + rng_ % ways_;
    }
  }
  return base;
}

int32_t Cache::allocate(uint32_t address, bool* wrote_back, uint32_t* victim_address) {
  const uint32_t line = address >> line_shift_;
  const uint32_t slot = victim(set_of(line));
  bool dirty = false;
  if (flags_[slot] & kValid) {
    dirty = (flags_[slot] & kDirty) != 0;
    if (counters_) {
      ++counters_->evictions;
      if (dirty) ++counters_->writebacks;
    }
  }
  if (wrote_back) *wrote_back = dirty;
  if (victim_address) *victim_address = tags_[slot] << line_shift_;
  if (indexed()) {
    if (tags_[slot] != kInvalidTag) index_erase(tags_[slot]);
    index_insert(line, slot);
  }
  tags_[slot] = line;
  flags_[slot] = kValid;
  touch(static_cast<int32_t>(slot));
  if (counters_) ++counters_->fills;
  return static_cast<int32_t>(slot);
}

Cache::Result Cache::access(uint32_t address, bool write) {
  Result r;
  int32_t slot = find(address);
  if (slot >= 0) {
    r.hit = true;
    touch(slot);
    if (counters_) ++(write ? counters_->write_hits : counters_->read_hits);
  } else {
    if (counters_) ++(write ? counters_->write_misses : counters_->read_misses);
    if (write && config_.allocate == AllocatePolicy::kReadAllocate) return r;
    slot = allocate(address, &r.wrote_back, &r.victim_address);
    r.filled = true;
  }
  r.slot = slot;
  if (write && config_.write_policy == WritePolicy::kWriteBack) flags_[slot] |= kDirty;
  return r;
}

void Cache::invalidate_slot(uint32_t slot) {
  if (indexed() && tags_[slot] != kInvalidTag) index_erase(tags_[slot]);
  flags_[slot] = 0;
  tags_[slot] = kInvalidTag;
  if (listed()) {
    list_unlink(slot);
    list_push_back(slot);
  }
}

void Cache::invalidate_all() {
  std::fill(flags_.begin(), flags_.end(), 0);
  std::fill(tags_.begin(), tags_.end(), kInvalidTag);
  std::fill(index_.begin(), index_.end(), -1);
  if (listed()) list_reset();
}

uint32_t Cache::clean_all(bool invalidate) {
  uint32_t written = 0;
  for (uint32_t i = 0; i < flags_.size(); ++i) {
    if ((flags_[i] & kValid) && (flags_[i] & kDirty)) ++written;
    if (invalidate) {
      invalidate_slot(i);
    } else {
      flags_[i] &= ~kDirty;
    }
  }
  if (counters_) counters_->writebacks += written;
  return written;
}

uint32_t Cache::clean_line(uint32_t address, bool invalidate) {
  const int32_t slot = find(address);
  if (slot < 0) return 0;
  const uint32_t written = (flags_[slot] & kDirty) ? 1 : 0;
  if (invalidate) {
    invalidate_slot(slot);
  } else {
    flags_[slot] &= ~kDirty;
  }
  if (counters_) counters_->writebacks += written;
  return written;
}

void Cache::invalidate_line(uint32_t address) {
  const int32_t slot = find(address);
  if (slot >= 0) invalidate_slot(slot);
}

uint32_t Cache::clean_set_way(uint32_t set, uint32_t way, bool clean, bool invalidate) {
  if (set >= sets_ || way >= ways_) return 0;
  const uint32_t slot = set * ways_ + way;
  uint32_t written = 0;
  if (clean && (flags_[slot] & kValid) && (flags_[slot] & kDirty)) {
    written = 1;
    flags_[slot] &= ~kDirty;
  }
  if (invalidate) invalidate_slot(slot);
  if (counters_) counters_->writebacks += written;
  return written;
}

}  // namespace tinysim::memory_models
