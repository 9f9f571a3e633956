#include "memory_models/memory_system.h"

#include <algorithm>
#include <bit>
#include <set>

#include "memory_models/impl/xip_flash.h"

namespace tinysim::memory_models {
namespace {

std::string region_key(size_t i, const RegionConfig& r) {
  return "regions[" + std::to_string(i) + "] (" + (r.name.empty() ? "?" : r.name) + ")";
}

bool known(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

uint32_t ceil_div(uint32_t a, uint32_t b) {
  return (a + b - 1) / b;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Validation and construction.

std::string MemorySystem::validate(const MemorySystemConfig& c) {
  std::vector<std::string> errors;
  auto error = [&](std::string e) { errors.push_back(std::move(e)); };

  if (c.clock_hz == 0) error("clock_hz: required (the core clock in Hz)");

  std::set<std::string> names;
  for (size_t i = 0; i < c.regions.size(); ++i) {
    const RegionConfig& r = c.regions[i];
    const std::string key = region_key(i, r);
    if (r.name.empty()) error(key + ".name: required");
    if (!r.name.empty() && !names.insert(r.name).second) error(key + ".name: duplicate");
    if (r.size_bytes == 0) error(key + ".size_bytes: required (non-zero)");
    if (uint64_t(r.base) + r.size_bytes > (uint64_t(1) << 32)) {
      error(key + ".size_bytes: region ends above 4 GB");
    }
    if (r.width_bits < 8 || r.width_bits > 256 || !std::has_single_bit(r.width_bits)) {
      error(key + ".width_bits: must be 8, 16, 32, 64, 128 or 256");
    }
    for (size_t j = 0; j < i; ++j) {
      const RegionConfig& o = c.regions[j];
      if (r.size_bytes && o.size_bytes && r.base < uint64_t(o.base) + o.size_bytes &&
          o.base < uint64_t(r.base) + r.size_bytes) {
        error(key + ".base: overlaps " + region_key(j, o));
      }
    }
  }
  for (size_t i = 0; i < c.regions.size(); ++i) {
    const RegionConfig& r = c.regions[i];
    if (r.alias_of.empty()) continue;
    const auto it = std::find_if(c.regions.begin(), c.regions.end(),
                                 [&](const RegionConfig& o) { return o.name == r.alias_of; });
    if (it == c.regions.end()) {
      error(region_key(i, r) + ".alias_of: no region named \"" + r.alias_of + "\"");
    } else if (!it->alias_of.empty() || it->kind != r.kind || &*it == &r) {
      error(region_key(i, r) + ".alias_of: must name a non-alias region of the same kind");
    }
  }

  const FlashConfig& f = c.flash;
  if (f.line_bits < 32 || f.line_bits > 256 || !std::has_single_bit(f.line_bits)) {
    error("flash.line_bits: must be 32, 64, 128 or 256, got " + std::to_string(f.line_bits));
  }
  if (f.clock_divider == 0) error("flash.clock_divider: must be at least 1");
  std::set<std::string> rows;
  for (size_t i = 0; i < f.wait_states.size(); ++i) {
    const WaitStateRange& w = f.wait_states[i];
    const std::string key = "flash.wait_states[" + std::to_string(i) + "]";
    if (w.name.empty()) error(key + ".name: required");
    if (!rows.insert(w.name).second) error(key + ".name: duplicate \"" + w.name + "\"");
    if (w.max_clock_hz.empty()) error(key + ".max_clock_hz: at least one entry (0 wait states)");
    for (size_t n = 1; n < w.max_clock_hz.size(); ++n) {
      if (w.max_clock_hz[n] <= w.max_clock_hz[n - 1]) {
        error(key + ".max_clock_hz: must be strictly increasing (entry " + std::to_string(n) + ")");
        break;
      }
    }
  }
  if (!c.voltage_range.empty() && !f.wait_states.empty() &&
      !find_wait_state_range(f, c.voltage_range)) {
    error("voltage_range: no flash.wait_states row named \"" + c.voltage_range + "\"");
  }

  const auto accelerators = flash_accelerator_names();
  if (!known(accelerators, c.flash_accelerator)) {
    error("flash_accelerator: unknown \"" + c.flash_accelerator +
          "\" (known: " + join(accelerators) + ")");
  }
  const auto families = flash_register_families();
  if (c.flash_registers != "none" && !known(families, c.flash_registers)) {
    error("flash_registers: unknown \"" + c.flash_registers + "\" (known: none, " + join(families) +
          ")");
  }
  if (c.prefetch_buffer.buffers == 0 || c.prefetch_buffer.buffers > 9) {
    error("prefetch_buffer.buffers: must be 1 to 9");
  }
  if (c.flash_accelerator == "stm32f4-art" && c.art.icache_lines > 1024) {
    error("art.icache_lines: at most 1024");
  }
  if (c.flash_accelerator == "stm32l4-cache") {
    const uint32_t cl = c.l4_cache.cache_line_bits;
    if (cl < f.line_bits || cl > 32 * f.line_bits || !std::has_single_bit(cl)) {
      error(
          "l4_cache.cache_line_bits: must be a power-of-two multiple of flash.line_bits (at "
          "most 32 flash lines)");
    }
  }
  if (c.flash_accelerator == "generic-cache" && c.flash_cache.size_bytes == 0) {
    error("flash_cache.size_bytes: required with flash_accelerator \"generic-cache\"");
  }
  for (const auto& [cache, key] :
       {std::pair{&c.flash_cache, "flash_cache"}, std::pair{&c.l1_icache, "l1_icache"},
        std::pair{&c.l1_dcache, "l1_dcache"}, std::pair{&c.xip.cache, "xip.cache"}}) {
    if (std::string e = validate_cache_config(*cache, key); !e.empty()) error(e);
  }
  if (c.xip.sck_divider == 0) error("xip.sck_divider: must be at least 1");
  if (c.xip.data_lanes != 1 && c.xip.data_lanes != 2 && c.xip.data_lanes != 4) {
    error("xip.data_lanes: must be 1, 2 or 4");
  }

  std::string message;
  for (const std::string& e : errors) message += (message.empty() ? "" : "\n") + e;
  return message;
}

std::unique_ptr<MemorySystem> MemorySystem::create(const MemorySystemConfig& config,
                                                   std::string* error) {
  std::string e = validate(config);
  if (!e.empty()) {
    if (error) *error = std::move(e);
    return nullptr;
  }
  return std::unique_ptr<MemorySystem>(new MemorySystem(config));
}

MemorySystem::MemorySystem(const MemorySystemConfig& config)
    : config_(config), clock_hz_(config.clock_hz), voltage_range_(config.voltage_range) {
  for (const RegionConfig& rc : config.regions) {
    Region r;
    r.base = rc.base;
    r.last = static_cast<uint32_t>(uint64_t(rc.base) + rc.size_bytes - 1);
    r.kind = rc.kind;
    r.access_cycles = rc.kind == RegionKind::kTcm ? config.tcm.access_cycles : rc.access_cycles;
    r.width_bytes = std::max<uint32_t>(1, rc.width_bits / 8);
    r.through_accelerator = rc.through_accelerator;
    r.l1_cacheable =
        rc.l1_cacheable && rc.kind != RegionKind::kTcm && rc.kind != RegionKind::kPeripheral;
    r.name = rc.name;
    if (!rc.alias_of.empty()) {
      for (const RegionConfig& target : config.regions) {
        if (target.name == rc.alias_of) r.canonical_delta = target.base - rc.base;
      }
    }
    regions_.push_back(std::move(r));
  }
  std::sort(regions_.begin(), regions_.end(),
            [](const Region& a, const Region& b) { return a.base < b.base; });

  accelerator_ = make_flash_accelerator(config.flash_accelerator, config, &counters_);
  plain_ = make_flash_accelerator("none", config, &counters_);
  if (config.flash_registers != "none") {
    registers_ = make_flash_registers(config.flash_registers, config.flash_registers_base);
  }
  if (config.l1_icache.size_bytes) {
    CacheConfig c = config.l1_icache;
    if (c.name.empty()) c.name = "l1_icache";
    l1i_.emplace(c, &counters_.l1_icache);
  }
  if (config.l1_dcache.size_bytes) {
    CacheConfig c = config.l1_dcache;
    if (c.name.empty()) c.name = "l1_dcache";
    l1d_.emplace(c, &counters_.l1_dcache);
  }
  xip_ = std::make_unique<impl::XipFlash>(config.xip, &counters_);
  for (Region& r : regions_) r.data_hook = region_needs_hook(r);
  reset();
}

MemorySystem::~MemorySystem() = default;

// ---------------------------------------------------------------------------------------------
// State.

FlashSettings MemorySystem::startup_settings() const {
  FlashSettings s;
  if (config_.flash.startup_wait_states) {
    s.wait_states = *config_.flash.startup_wait_states;
  } else if (const WaitStateRange* range = find_wait_state_range(config_.flash, voltage_range_)) {
    const uint64_t fclk = clock_hz_ / std::max<uint32_t>(1, config_.flash.clock_divider);
    s.wait_states = required_wait_states(*range, fclk)
                        .value_or(static_cast<uint32_t>(range->max_clock_hz.size() - 1));
  }
  s.prefetch = config_.flash.startup_prefetch;
  s.icache = config_.flash.startup_icache;
  s.dcache = config_.flash.startup_dcache;
  return s;
}

void MemorySystem::reset() {
  counters_ = MemoryCounters{};
  accelerator_->reset();
  plain_->reset();
  if (l1i_) l1i_->invalidate_all();
  if (l1d_) l1d_->invalidate_all();
  l1i_current_ = kNoLine;
  xip_->reset();
  FlashSettings s;
  if (config_.initial_state == InitialState::kStartup) {
    s = startup_settings();
    if (registers_) {
      registers_->reset();
      registers_->load(s);
      s = registers_->settings();  // drops what the family cannot hold
    }
    l1i_on_ = l1i_.has_value();
    l1d_on_ = l1d_.has_value();
  } else {
    if (registers_) {
      registers_->reset();
      s = registers_->settings();
    } else {
      s = config_.flash.reset_settings;
    }
    l1i_on_ = l1d_on_ = false;
  }
  apply_settings(s);
}

void MemorySystem::apply_settings(const FlashSettings& s) {
  settings_ = s;
  timing_.line_bytes = config_.flash.line_bits / 8;
  timing_.read_cycles = (config_.flash.wait_states.empty() ? 1 : s.wait_states + 1) *
                        std::max<uint32_t>(1, config_.flash.clock_divider);
  timing_.prefetch = s.prefetch;
  timing_.icache = s.icache;
  timing_.dcache = s.dcache;
  accelerator_->set_timing(timing_);
  FlashTiming plain = timing_;
  plain.prefetch = plain.icache = plain.dcache = false;
  plain_->set_timing(plain);
}

void MemorySystem::set_flash_settings(const FlashSettings& settings) {
  FlashSettings s = settings;
  if (registers_) {
    registers_->load(settings);
    s = registers_->settings();
  }
  apply_settings(s);
}

void MemorySystem::set_clock(uint64_t clock_hz) {
  clock_hz_ = clock_hz;
  // Without a register model and without a fixed start-up value, the wait states follow the
  // clock as start-up code would set them.
  if (!registers_ && config_.initial_state == InitialState::kStartup &&
      !config_.flash.startup_wait_states) {
    FlashSettings s = settings_;
    s.wait_states = startup_settings().wait_states;
    apply_settings(s);
  }
}

bool MemorySystem::set_voltage_range(std::string_view name) {
  if (!config_.flash.wait_states.empty() && !find_wait_state_range(config_.flash, name)) {
    return false;
  }
  voltage_range_ = std::string(name);
  set_clock(clock_hz_);
  return true;
}

WaitStateCheck MemorySystem::check_wait_states() const {
  WaitStateCheck check;
  check.configured = settings_.wait_states;
  check.clock_hz = clock_hz_;
  check.flash_clock_hz = clock_hz_ / std::max<uint32_t>(1, config_.flash.clock_divider);
  const WaitStateRange* range = find_wait_state_range(config_.flash, voltage_range_);
  if (!range) return check;  // no table: nothing to check
  check.range = range->name;
  check.required = required_wait_states(*range, check.flash_clock_hz);
  check.above_table = !check.required.has_value();
  check.ok = check.required && check.configured >= *check.required;
  return check;
}

bool MemorySystem::xip_cache_enabled() const {
  return xip_->cache_enabled();
}
void MemorySystem::set_xip_cache_enabled(bool on) {
  xip_->set_cache_enabled(on);
}

// ---------------------------------------------------------------------------------------------
// Regions.

const MemorySystem::Region* MemorySystem::find(uint32_t address, uint32_t& hint) const {
  if (hint < regions_.size()) {
    const Region& r = regions_[hint];
    if (address >= r.base && address <= r.last) return &r;
  }
  // Few regions: a linear scan beats a binary search here.
  for (uint32_t i = 0; i < regions_.size(); ++i) {
    const Region& r = regions_[i];
    if (address >= r.base && address <= r.last) {
      hint = i;
      return &r;
    }
  }
  return nullptr;
}

const MemorySystem::Region* MemorySystem::find(uint32_t address) const {
  uint32_t hint = 0xFFFFFFFFu;
  return find(address, hint);
}

bool MemorySystem::region_needs_hook(const Region& r) const {
  const bool l1d_possible = l1d_.has_value() && r.l1_cacheable;
  switch (r.kind) {
    case RegionKind::kFlash:
      return !config_.flash.wait_states.empty() || l1d_possible ||
             config_.flash_accelerator == "generic-cache";
    case RegionKind::kSram:
    case RegionKind::kTcm:
      return l1d_possible || r.access_cycles > 0;
    case RegionKind::kXip:
      return true;
    case RegionKind::kPeripheral:
      return r.access_cycles > 0;
  }
  return false;
}

bool MemorySystem::fetch_is_free(uint32_t address) const {
  const Region* r = find(address);
  if (!r) return true;
  switch (r->kind) {
    case RegionKind::kSram:
    case RegionKind::kTcm:
      return r->access_cycles == 0 && !(r->l1_cacheable && l1i_.has_value());
    case RegionKind::kPeripheral:
      return true;
    case RegionKind::kFlash:
      // Flash without a wait-state table, accelerator or L1 cache in front (nRF52/nRF53's
      // cached NVM as the catalog describes it) never stalls the fetch stream.
      return config_.flash.wait_states.empty() && config_.flash_accelerator == "none" &&
             r->access_cycles == 0 && !(r->l1_cacheable && l1i_.has_value());
    case RegionKind::kXip:
      return false;
  }
  return false;
}

bool MemorySystem::needs_data_hook(uint32_t base, uint32_t size_bytes) const {
  if (size_bytes == 0) return false;
  const uint64_t end = uint64_t(base) + size_bytes;
  for (const Region& r : regions_) {
    if (r.data_hook && base <= r.last && r.base < end) return true;
  }
  return false;
}

std::vector<AddressRange> MemorySystem::data_hook_ranges() const {
  std::vector<AddressRange> out;
  for (const Region& r : regions_) {
    if (!r.data_hook) continue;
    const uint64_t size = uint64_t(r.last) - r.base + 1;
    if (!out.empty() && uint64_t(out.back().base) + out.back().size_bytes == r.base &&
        out.back().size_bytes + size <= 0xFFFFFFFFu) {
      out.back().size_bytes += static_cast<uint32_t>(size);
    } else {
      out.push_back({r.base, static_cast<uint32_t>(std::min<uint64_t>(size, 0xFFFFFFFFu))});
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Hot path.

uint32_t MemorySystem::fetch_stall_cycles(uint32_t start, uint32_t end, uint32_t core_cycles) {
  const Region* r = find(start, fetch_hint_);
  if (!r || end <= start) return 0;
  uint32_t stall = 0;
  switch (r->kind) {
    case RegionKind::kSram:
    case RegionKind::kTcm:
      if (r->l1_cacheable && l1i_on_) {
        stall = l1_fetch(*r, start, end);
      } else if (r->access_cycles == 0) {
        return 0;
      } else {
        // Uncached, slow bus: every bus-width beat of the block pays the access cycles.
        const uint32_t shift = static_cast<uint32_t>(std::countr_zero(r->width_bytes));
        stall = r->access_cycles * (((end - 1) >> shift) - (start >> shift) + 1);
      }
      break;
    case RegionKind::kFlash:
      if (r->l1_cacheable && l1i_on_) {
        stall = l1_fetch(*r, start, end);
      } else {
        FlashAccelerator& a = r->through_accelerator ? *accelerator_ : *plain_;
        stall = a.fetch(start + r->canonical_delta, end + r->canonical_delta, core_cycles);
      }
      break;
    case RegionKind::kXip:
      stall = (r->l1_cacheable && l1i_on_)
                  ? l1_fetch(*r, start, end)
                  : xip_->fetch(start + r->canonical_delta, end + r->canonical_delta);
      break;
    case RegionKind::kPeripheral:
      return 0;
  }
  counters_.fetch_stall_cycles += stall;
  return stall;
}

uint32_t MemorySystem::data_access_stall_cycles(uint32_t address, uint32_t size, bool write) {
  ++counters_.data_accesses;
  const Region* r = find(address, data_hint_);
  if (!r) return 0;
  uint32_t stall = 0;
  if (r->l1_cacheable && l1d_on_) {
    stall = l1_data(*r, address, size, write);
  } else {
    switch (r->kind) {
      case RegionKind::kFlash:
        if (!write) {  // a store to flash is a programming operation: not timed here
          FlashAccelerator& a = r->through_accelerator ? *accelerator_ : *plain_;
          stall = a.data_read(address + r->canonical_delta, size);
        }
        break;
      case RegionKind::kSram:
      case RegionKind::kTcm:
        stall = r->access_cycles;
        break;
      case RegionKind::kXip:
        if (!write) stall = xip_->read(address + r->canonical_delta, size);
        break;
      case RegionKind::kPeripheral:
        ++counters_.peripheral_accesses;
        stall = r->access_cycles;
        break;
    }
  }
  counters_.data_stall_cycles += stall;
  return stall;
}

// Extra cycles of reading `bytes` (one cache line) from the memory behind the L1 caches.
uint32_t MemorySystem::backing_read(const Region& r, uint32_t bytes, bool instruction) {
  switch (r.kind) {
    case RegionKind::kFlash: {
      // Whole flash lines at read_cycles each; the core counted one cycle (no critical word
      // first: the fill completes before the core continues).
      const uint32_t reads = std::max<uint32_t>(1, ceil_div(bytes, timing_.line_bytes));
      (instruction ? counters_.flash_fetch_reads : counters_.flash_data_reads) += reads;
      counters_.flash_bytes_read += uint64_t(reads) * timing_.line_bytes;
      return reads * read_cycles() - 1;
    }
    case RegionKind::kSram:
    case RegionKind::kTcm: {
      const uint32_t beats = std::max<uint32_t>(1, ceil_div(bytes, r.width_bytes));
      return beats * (1 + r.access_cycles) - 1;
    }
    case RegionKind::kXip:
      ++counters_.xip_transactions;
      counters_.xip_bytes_read += bytes;
      return xip_->transaction_cycles(bytes);
    case RegionKind::kPeripheral:
      return r.access_cycles;
  }
  return 0;
}

// Extra cycles of writing a dirty line back to wherever it came from.
uint32_t MemorySystem::backing_write(uint32_t address, uint32_t bytes) {
  const Region* r = find(address);
  if (!r || (r->kind != RegionKind::kSram && r->kind != RegionKind::kTcm)) return 0;
  const uint32_t beats = std::max<uint32_t>(1, ceil_div(bytes, r->width_bytes));
  return beats * (1 + r->access_cycles) - 1;
}

uint32_t MemorySystem::write_through_cost(const Region& r) const {
  return (r.kind == RegionKind::kSram || r.kind == RegionKind::kTcm) ? r.access_cycles : 0;
}

uint32_t MemorySystem::l1_fetch(const Region& r, uint32_t start, uint32_t end) {
  Cache& c = *l1i_;
  const uint32_t shift = c.line_shift();
  const uint32_t last = (end - 1) >> shift;
  uint32_t stall = 0;
  for (uint32_t line = start >> shift;; ++line) {
    if (line != l1i_current_) {
      l1i_current_ = line;
      if (c.access(line << shift, false).hit) {
        stall += c.config().hit_cycles;
      } else {
        stall += c.config().miss_overhead_cycles + backing_read(r, c.line_bytes(), true);
      }
    }
    if (line == last) break;
  }
  return stall;
}

uint32_t MemorySystem::l1_data(const Region& r, uint32_t address, uint32_t size, bool write) {
  Cache& c = *l1d_;
  const CacheConfig& cfg = c.config();
  const uint32_t shift = c.line_shift();
  const uint32_t first = address >> shift;
  const uint32_t last = static_cast<uint32_t>((uint64_t(address) + (size ? size : 1) - 1) >> shift);
  uint32_t stall = 0;
  for (uint32_t line = first;; ++line) {
    const Cache::Result res = c.access(line << shift, write);
    if (res.hit) {
      stall += cfg.hit_cycles;
    } else if (res.filled) {
      stall += cfg.miss_overhead_cycles + backing_read(r, c.line_bytes(), false);
      if (res.wrote_back) stall += backing_write(res.victim_address, c.line_bytes());
    } else {
      stall += write_through_cost(r);  // write miss, no allocation: straight to memory
    }
    if (write && (res.hit || res.filled) && cfg.write_policy == WritePolicy::kWriteThrough) {
      stall += write_through_cost(r);
    }
    if (line == last) break;
  }
  return stall;
}

// ---------------------------------------------------------------------------------------------
// Registers and the system control block.

std::span<const RegisterWindow> MemorySystem::register_windows() const {
  if (!registers_) return {};
  return registers_->windows();
}

bool MemorySystem::owns_register(uint32_t address) const {
  for (const RegisterWindow& w : register_windows()) {
    if (address >= w.base && uint64_t(address) < uint64_t(w.base) + w.size_bytes) return true;
  }
  return false;
}

uint32_t MemorySystem::register_read(uint32_t address, uint32_t size) const {
  return registers_ ? registers_->read(address, size) : 0;
}

void MemorySystem::register_write(uint32_t address, uint32_t size, uint32_t value) {
  if (!registers_) return;
  const RegisterWriteEffect effect = registers_->write(address, size, value);
  if (effect.invalidate_icache) accelerator_->invalidate_icache();
  if (effect.invalidate_dcache) accelerator_->invalidate_dcache();
  if (effect.settings_changed) apply_settings(registers_->settings());
}

void MemorySystem::write_ccr(uint32_t ccr) {
  l1i_on_ = l1i_.has_value() && (ccr & kCcrIc);
  l1d_on_ = l1d_.has_value() && (ccr & kCcrDc);
}

uint32_t MemorySystem::ccr_cache_bits() const {
  return (l1i_on_ ? kCcrIc : 0) | (l1d_on_ ? kCcrDc : 0);
}

void MemorySystem::cache_maintenance(uint32_t address, uint32_t value) {
  // Set/way operand (DDI0403E B2.2.7): way in the top log2(ways) bits, set above the line offset.
  auto set_way = [](const Cache& c, uint32_t v, uint32_t& set, uint32_t& way) {
    set = (v >> c.line_shift()) & (c.sets() - 1);
    const uint32_t way_bits = static_cast<uint32_t>(std::bit_width(c.ways() - 1));
    way = way_bits ? v >> (32 - way_bits) : 0;
  };
  switch (address) {
    case 0xE000EF50:  // ICIALLU
      if (l1i_) l1i_->invalidate_all();
      l1i_current_ = kNoLine;
      break;
    case 0xE000EF58:  // ICIMVAU
      if (l1i_) l1i_->invalidate_line(value);
      l1i_current_ = kNoLine;
      break;
    case 0xE000EF5C:  // DCIMVAC
      if (l1d_) l1d_->invalidate_line(value);
      break;
    case 0xE000EF64:  // DCCMVAU
    case 0xE000EF68:  // DCCMVAC
      if (l1d_) l1d_->clean_line(value, false);
      break;
    case 0xE000EF70:  // DCCIMVAC
      if (l1d_) l1d_->clean_line(value, true);
      break;
    case 0xE000EF60:  // DCISW
    case 0xE000EF6C:  // DCCSW
    case 0xE000EF74:  // DCCISW
      if (l1d_) {
        uint32_t set = 0, way = 0;
        set_way(*l1d_, value, set, way);
        l1d_->clean_set_way(set, way, address != 0xE000EF60, address != 0xE000EF6C);
      }
      break;
    default:  // BPIALL and reserved addresses: no effect on timing
      break;
  }
}

uint32_t MemorySystem::ccsidr(bool instruction) const {
  const std::optional<Cache>& c = instruction ? l1i_ : l1d_;
  if (!c) return 0;
  // DDI0403E B4.8.3: WT[31] WB[30] RA[29] WA[28] NumSets-1[27:13] Associativity-1[12:3]
  // LineSize[2:0] = log2(words per line) - 2.
  const uint32_t words_log2 = c->line_shift() - 2;
  uint32_t v =
      ((c->sets() - 1) & 0x7FFF) << 13 | ((c->ways() - 1) & 0x3FF) << 3 | ((words_log2 - 2) & 0x7);
  v |= instruction ? (1u << 29) : (0xFu << 28);
  return v;
}

}  // namespace tinysim::memory_models
