#include "memory_models/impl/line_stream.h"

#include <algorithm>
#include <bit>

namespace tinysim::memory_models::impl {

namespace {
CacheConfig line_cache_config(uint32_t lines, uint32_t line_bytes) {
  CacheConfig c;
  c.size_bytes = lines * line_bytes;
  c.line_bytes = line_bytes;
  c.ways = lines;                     // fully associative
  c.replacement = Replacement::kLru;  // RM0090 3.5.2: "the LRU (least recently used) policy"
  c.write_policy = WritePolicy::kWriteThrough;
  c.allocate = AllocatePolicy::kReadAllocate;
  return c;
}
}  // namespace

LineStream::LineCache::LineCache(uint32_t lines, uint32_t cache_line_bytes,
                                 uint32_t flash_line_shift, CacheCounters* counters)
    : cache_(line_cache_config(lines, cache_line_bytes), nullptr),
      valid_(lines, 0),
      cache_line_bytes_(cache_line_bytes),
      flash_line_shift_(flash_line_shift),
      counters_(counters) {}

bool LineStream::LineCache::hit(uint32_t address) {
  const int32_t slot = cache_.find(address);
  if (slot < 0 || !(valid_[slot] & sub_bit(address))) return false;
  cache_.touch(slot);
  ++counters_->read_hits;
  return true;
}

bool LineStream::LineCache::contains(uint32_t address) const {
  const int32_t slot = cache_.find(address);
  return slot >= 0 && (valid_[slot] & sub_bit(address));
}

void LineStream::LineCache::miss_and_fill(uint32_t address) {
  ++counters_->read_misses;
  ++counters_->fills;
  int32_t slot = cache_.find(address);
  if (slot >= 0) {
    cache_.touch(slot);
  } else {
    // A full cache replaces its least recently used line (RM0090 3.5.2).
    slot = cache_.allocate(address);
    if (valid_[slot] != 0) ++counters_->evictions;
    valid_[slot] = 0;
  }
  valid_[slot] |= sub_bit(address);
}

void LineStream::LineCache::clear() {
  cache_.invalidate_all();
  std::fill(valid_.begin(), valid_.end(), 0);
}

LineStream::LineStream(const LineStreamShape& shape, MemoryCounters* counters)
    : shape_(shape), counters_(counters) {
  line_shift_ = static_cast<uint32_t>(std::countr_zero(shape.flash_line_bytes));
  const uint32_t cache_line =
      shape.cache_line_bytes ? shape.cache_line_bytes : shape.flash_line_bytes;
  if (shape.icache_lines) {
    icache_.emplace(shape.icache_lines, cache_line, line_shift_, &counters->flash_icache);
  }
  if (shape.dcache_lines) {
    dcache_.emplace(shape.dcache_lines, cache_line, line_shift_, &counters->flash_dcache);
  }
  shape_.prefetch_depth = std::min(shape.prefetch_depth, kMaxPrefetchDepth);
  timing_.line_bytes = shape.flash_line_bytes;
}

void LineStream::set_timing(const FlashTiming& timing) {
  timing_ = timing;
  timing_.line_bytes = shape_.flash_line_bytes;
  if (!timing_.prefetch) pending_count_ = 0;
}

uint32_t LineStream::enter_line(uint32_t line) {
  if (line == current_) return 0;
  current_ = line;
  const uint32_t address = line << line_shift_;
  const bool icache_on = timing_.icache && icache_;
  uint32_t stall = 0;
  bool served = icache_on && icache_->hit(address);
  if (!served) {
    for (uint32_t i = 0; i < pending_count_; ++i) {
      if (pending_[i].line != line) continue;
      stall = pending_[i].ready_at > now_ ? static_cast<uint32_t>(pending_[i].ready_at - now_) : 0;
      ++counters_->prefetch_hits;
      counters_->prefetch_stall_cycles += stall;
      served = true;
      break;
    }
  }
  if (!served) {
    // Miss: the core issued the request one cycle before it needs the line, so the read ends
    // read_cycles - 1 after `now_`.
    stall = timing_.miss_stall();
    ++counters_->flash_fetch_reads;
    counters_->flash_bytes_read += timing_.line_bytes;
    if (icache_on) icache_->miss_and_fill(address);
    flash_free_at_ = now_ + stall;
  }
  now_ += stall;
  if (timing_.prefetch && shape_.prefetch_depth) {
    issue_prefetches(line);
  } else {
    pending_count_ = 0;
  }
  return stall;
}

void LineStream::issue_prefetches(uint32_t line) {
  const uint32_t max_line = 0xFFFFFFFFu >> line_shift_;
  if (shape_.prefetch_depth == 1) {  // every STM32 part: one line ahead
    const uint32_t target = line + 1;
    if (line == max_line ||
        (timing_.icache && icache_ && icache_->contains(target << line_shift_))) {
      pending_count_ = 0;
      return;
    }
    if (pending_count_ == 1 && pending_[0].line == target) return;  // already on its way
    flash_free_at_ = std::max(now_, flash_free_at_) + timing_.read_cycles;
    pending_[0].line = target;
    pending_[0].ready_at = flash_free_at_;
    pending_count_ = 1;
    ++counters_->flash_prefetch_reads;
    counters_->flash_bytes_read += timing_.line_bytes;
    return;
  }
  std::array<Pending, kMaxPrefetchDepth> next{};
  uint32_t n = 0;
  const bool icache_on = timing_.icache && icache_;
  for (uint32_t k = 1; k <= shape_.prefetch_depth; ++k) {
    if (line > max_line - k) break;  // end of the address space
    const uint32_t target = line + k;
    if (icache_on && icache_->contains(target << line_shift_)) continue;
    bool queued = false;
    for (uint32_t i = 0; i < pending_count_; ++i) {
      if (pending_[i].line == target) {
        next[n++] = pending_[i];
        queued = true;
        break;
      }
    }
    if (queued) continue;
    const uint64_t start = std::max(now_, flash_free_at_);
    flash_free_at_ = start + timing_.read_cycles;
    next[n++] = Pending{target, flash_free_at_};
    ++counters_->flash_prefetch_reads;
    counters_->flash_bytes_read += timing_.line_bytes;
  }
  pending_ = next;
  pending_count_ = n;
}

uint32_t LineStream::fetch(uint32_t start, uint32_t end, uint32_t core_cycles) {
  if (end <= start) return 0;
  const uint64_t bytes = uint64_t(end) - start;
  const uint32_t last = (end - 1) >> line_shift_;
  uint32_t line = start >> line_shift_;
  if (line == last) {  // the common case: a block inside one line
    const uint32_t stall = enter_line(line);
    now_ += core_cycles;
    return stall;
  }
  // The block's zero-wait cycles, spread evenly over its bytes (16.16 fixed point: one division
  // per block); the last line gets whatever is left, so the block's total is exact.
  const uint64_t rate = (uint64_t(core_cycles) << 16) / bytes;
  uint64_t done_bytes = 0;
  uint64_t done_cycles = 0;
  uint32_t stall = 0;
  uint64_t pos = start;
  for (;;) {
    stall += enter_line(line);
    if (line == last) {
      now_ += core_cycles - done_cycles;
      break;
    }
    const uint64_t line_end = (uint64_t(line) + 1) << line_shift_;
    done_bytes += line_end - pos;
    const uint64_t cumulative = (rate * done_bytes) >> 16;
    now_ += cumulative - done_cycles;
    done_cycles = cumulative;
    pos = line_end;
    ++line;
  }
  return stall;
}

uint32_t LineStream::data_read(uint32_t address, uint32_t size) {
  if (size == 0) size = 1;
  const uint32_t first = address >> line_shift_;
  const uint32_t last = static_cast<uint32_t>((uint64_t(address) + size - 1) >> line_shift_);
  const bool dcache_on = timing_.dcache && dcache_;
  uint32_t stall = 0;
  for (uint32_t line = first;; ++line) {
    if (line != d_current_) {
      d_current_ = line;
      const uint32_t a = line << line_shift_;
      if (!(dcache_on && dcache_->hit(a))) {
        stall += timing_.miss_stall();
        ++counters_->flash_data_reads;
        counters_->flash_bytes_read += timing_.line_bytes;
        if (dcache_on) dcache_->miss_and_fill(a);
      }
    }
    if (line == last) break;
  }
  now_ += stall;
  return stall;
}

void LineStream::invalidate_icache() {
  if (icache_) icache_->clear();
}

void LineStream::invalidate_dcache() {
  if (dcache_) dcache_->clear();
}

void LineStream::reset() {
  invalidate_icache();
  invalidate_dcache();
  current_ = kNoLine;
  d_current_ = kNoLine;
  pending_count_ = 0;
  now_ = 0;
  flash_free_at_ = 0;
}

}  // namespace tinysim::memory_models::impl
