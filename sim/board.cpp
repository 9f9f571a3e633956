#include "sim/board.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/catalog.h"

namespace tinysim::sim {

std::string_view region_kind_name(RegionKind kind) {
  switch (kind) {
    case RegionKind::kFlash:
      return "flash";
    case RegionKind::kSram:
      return "sram";
    case RegionKind::kTcm:
      return "tcm";
    case RegionKind::kXip:
      return "xip";
  }
  return "?";
}

std::optional<RegionKind> parse_region_kind(std::string_view name) {
  for (RegionKind k : {RegionKind::kFlash, RegionKind::kSram, RegionKind::kTcm, RegionKind::kXip}) {
    if (region_kind_name(k) == name) return k;
  }
  return std::nullopt;
}

bool is_read_only(RegionKind kind) {
  return kind == RegionKind::kFlash || kind == RegionKind::kXip;
}

bool WaitStateTable::matches(std::string_view range_name, double vdd_v) const {
  if (!range.empty() && range != range_name) return false;
  if (vdd_min_v > 0 && vdd_v < vdd_min_v) return false;
  if (vdd_max_v > 0 && vdd_v > vdd_max_v) return false;
  return true;
}

namespace {

uint64_t mhz_to_hz(double mhz) {
  return static_cast<uint64_t>(std::llround(mhz * 1e6));
}

std::string mhz_text(double mhz) {
  return fmt::format("{:g} MHz", mhz);
}

std::string hz_text(uint64_t hz) {
  return mhz_text(double(hz) / 1e6);
}

}  // namespace

std::string default_firmware_variant(const CoreConfig& core) {
  switch (core.kind) {
    case CoreKind::kCortexM0:
      return "cortex-m0";
    case CoreKind::kCortexM0Plus:
      return "cortex-m0plus";
    case CoreKind::kCortexM3:
      return "cortex-m3";
    case CoreKind::kCortexM4:
      return core.fpu == FpuKind::kNone ? "cortex-m3" : "cortex-m4f";
    case CoreKind::kCortexM7:
      return core.fpu == FpuKind::kNone ? "cortex-m3" : "cortex-m7f";
    case CoreKind::kCortexM33:
      return core.fpu == FpuKind::kNone ? "cortex-m3" : "cortex-m33f";
  }
  return "cortex-m3";
}

std::optional<BoardProblem> check_board(const Board& b) {
  auto bad = [](std::string key, std::string what) {
    return std::optional<BoardProblem>{BoardProblem{std::move(key), std::move(what)}};
  };
  if (b.name.empty()) return bad("name", "missing");
  if (!(b.max_clock_mhz > 0)) return bad("clock.max_mhz", "missing or not positive");
  if (b.clock_hz == 0) return bad("operating_point.clock_mhz", "missing or zero (clock_hz)");

  // Voltage ranges and the operating point.
  for (const VoltageRange& r : b.voltage_ranges) {
    if (!(r.max_mhz > 0)) return bad("voltage_ranges." + r.name + ".max_mhz", "not positive");
    if (r.max_mhz > b.max_clock_mhz) {
      return bad("voltage_ranges." + r.name + ".max_mhz",
                 fmt::format("{} is above the chip's maximum clock {} (clock.max_mhz)",
                             mhz_text(r.max_mhz), mhz_text(b.max_clock_mhz)));
    }
  }
  const OperatingPoint& op = b.operating_point;
  if (double(b.clock_hz) > b.max_clock_mhz * 1e6 + 0.5) {
    return bad("operating_point.clock_mhz",
               fmt::format("{} is above the chip's maximum clock {} (clock.max_mhz)",
                           hz_text(b.clock_hz), mhz_text(b.max_clock_mhz)));
  }
  if (!b.voltage_ranges.empty() && op.range.empty()) {
    return bad("operating_point.range", "missing (the chip has voltage ranges)");
  }
  if (!op.range.empty()) {
    const VoltageRange* range = b.voltage_range(op.range);
    if (!range)
      return bad("operating_point.range", fmt::format("'{}' is not in voltage_ranges", op.range));
    if (double(b.clock_hz) > range->max_mhz * 1e6 + 0.5) {
      return bad("operating_point.clock_mhz",
                 fmt::format("{} is above the maximum {} of voltage range '{}'",
                             hz_text(b.clock_hz), mhz_text(range->max_mhz), op.range));
    }
  }
  if (b.vdd_min_v > 0 && b.vdd_max_v > 0) {
    if (b.vdd_min_v > b.vdd_max_v) return bad("supply.vdd_max_v", "below supply.vdd_min_v");
    if (op.vdd_v < b.vdd_min_v || op.vdd_v > b.vdd_max_v) {
      return bad("operating_point.vdd_v",
                 fmt::format("{:g} V is outside the supply range {:g}..{:g} V", op.vdd_v,
                             b.vdd_min_v, b.vdd_max_v));
    }
  }

  // Memory map.
  bool has_flash = false, has_sram = false;
  for (size_t i = 0; i < b.memory.size(); ++i) {
    const MemoryRegion& r = b.memory[i];
    const std::string key = fmt::format("memory.{}", r.name.empty() ? std::to_string(i) : r.name);
    if (r.name.empty()) return bad(key, "region without a name");
    if (r.size_bytes == 0) return bad(key + ".size", "zero");
    if (r.end() > 0x100000000ull) return bad(key, "extends beyond the 32-bit address space");
    if (r.xip && r.kind != RegionKind::kXip)
      return bad(key + ".xip", "only for regions of kind 'xip'");
    if (!r.alias_of.empty()) {
      const MemoryRegion* target = b.region_named(r.alias_of);
      if (!target || !target->alias_of.empty()) {
        return bad(key + ".alias_of",
                   fmt::format("'{}' is not a region of this board", r.alias_of));
      }
      if (r.size_bytes > target->size_bytes) return bad(key + ".size", "larger than its target");
      if (r.kind != target->kind) {
        return bad(key + ".kind",
                   fmt::format("'{}' differs from its target's '{}'", region_kind_name(r.kind),
                               region_kind_name(target->kind)));
      }
    } else {
      has_flash |= is_read_only(r.kind);
      has_sram |= !is_read_only(r.kind);
    }
    for (size_t j = 0; j < i; ++j) {
      const MemoryRegion& o = b.memory[j];
      if (r.base < o.end() && o.base < r.end()) {
        return bad(key, fmt::format("0x{:08x}..0x{:08x} overlaps region '{}' (0x{:08x}..0x{:08x})",
                                    r.base, r.end() - 1, o.name, o.base, o.end() - 1));
      }
    }
  }
  if (!has_flash) return bad("memory", "no flash or xip region");
  if (!has_sram) return bad("memory", "no SRAM region");
  if (!b.region_at(b.boot_address, 8)) {
    return bad("boot.address", fmt::format("0x{:08x} is not in any memory region", b.boot_address));
  }

  // Flash timing.
  for (size_t i = 0; i < b.flash.wait_states.size(); ++i) {
    const WaitStateTable& t = b.flash.wait_states[i];
    const std::string key = fmt::format("flash.wait_states[{}]", i);
    if (t.max_mhz.empty()) return bad(key + ".max_mhz", "empty");
    for (size_t n = 1; n < t.max_mhz.size(); ++n) {
      if (!(t.max_mhz[n] > t.max_mhz[n - 1])) return bad(key + ".max_mhz", "not ascending");
    }
    if (!t.range.empty() && !b.voltage_range(t.range)) {
      return bad(key + ".range", fmt::format("'{}' is not in voltage_ranges", t.range));
    }
  }
  if (!b.flash.wait_states.empty()) {
    auto ws = b.wait_states_for(b.clock_hz, op.range, op.vdd_v);
    if (!ws.is_ok()) return bad("flash.wait_states", ws.status().message());
  }

  // Caches.
  static const char* const kKinds[] = {"art", "flash-cache", "prefetch-buffer", "cache"};
  for (const CacheConfig& c : b.caches) {
    const std::string key = "caches." + c.name;
    if (std::find(std::begin(kKinds), std::end(kKinds), c.kind) == std::end(kKinds)) {
      return bad(key + ".kind", fmt::format("'{}' is not one of art, flash-cache, prefetch-buffer, "
                                            "cache",
                                            c.kind));
    }
    for (const std::string& r : c.regions) {
      if (!b.region_named(r)) return bad(key + ".regions", fmt::format("no region '{}'", r));
    }
    if (c.kind == "cache") {
      if (c.role != "instruction" && c.role != "data" && c.role != "unified") {
        return bad(key + ".role", "must be instruction, data or unified");
      }
      if (!c.size_bytes || !c.line_bytes || !c.ways) {
        return bad(key, "a cache needs size, line_bytes and ways");
      }
      if (c.size_bytes % (c.line_bytes * c.ways)) {
        return bad(key + ".size", "not a multiple of line_bytes * ways");
      }
    } else if (c.kind == "prefetch-buffer") {
      if (!c.buffers || !c.line_bytes)
        return bad(key, "a prefetch buffer needs buffers and line_bytes");
    } else if (!c.line_bytes || !c.icache_lines) {
      return bad(key, "needs line_bytes and icache_lines");
    }
  }

  // Power figures.
  for (size_t i = 0; i < b.power.run.size(); ++i) {
    const RunCurrent& r = b.power.run[i];
    const std::string key = fmt::format("power.run[{}]", i);
    if (!(r.clock_mhz > 0)) return bad(key + ".clock_mhz", "missing or not positive");
    if (!(r.current_ma > 0)) return bad(key, "needs current_ma or ua_per_mhz");
    if (!r.range.empty() && !b.voltage_range(r.range)) {
      return bad(key + ".range", fmt::format("'{}' is not in voltage_ranges", r.range));
    }
  }
  for (const auto* p : {&b.board_price, &b.chip_price}) {
    if (*p && (*p)->usd < 0)
      return bad(p == &b.board_price ? "price.board.usd" : "price.chip.usd", "negative");
  }
  return std::nullopt;
}

Status Board::validate() const {
  if (auto problem = check_board(*this)) {
    return Status{StatusCode::kInvalidBoard,
                  fmt::format("board '{}': {}: {}", name, problem->key, problem->what)};
  }
  return Status::ok();
}

const MemoryRegion* Board::region_at(uint32_t address, uint32_t length) const {
  for (const MemoryRegion& r : memory) {
    if (r.contains(address, length)) return &r;
  }
  return nullptr;
}

const MemoryRegion* Board::region_named(const std::string& region_name) const {
  for (const MemoryRegion& r : memory) {
    if (r.name == region_name) return &r;
  }
  return nullptr;
}

const VoltageRange* Board::voltage_range(const std::string& range_name) const {
  for (const VoltageRange& r : voltage_ranges) {
    if (r.name == range_name) return &r;
  }
  return nullptr;
}

const CacheConfig* Board::cache_named(const std::string& cache_name) const {
  for (const CacheConfig& c : caches) {
    if (c.name == cache_name) return &c;
  }
  return nullptr;
}

uint64_t Board::sram_bytes() const {
  uint64_t total = 0;
  for (const MemoryRegion& r : memory) {
    if (r.alias_of.empty() && !is_read_only(r.kind)) total += r.size_bytes;
  }
  return total;
}

uint64_t Board::flash_bytes() const {
  uint64_t total = 0;
  for (const MemoryRegion& r : memory) {
    if (r.alias_of.empty() && is_read_only(r.kind)) total += r.size_bytes;
  }
  return total;
}

StatusOr<uint32_t> Board::wait_states_for(uint64_t hz, const std::string& range) const {
  return wait_states_for(hz, range, operating_point.vdd_v);
}

StatusOr<uint32_t> Board::wait_states_for(uint64_t hz, const std::string& range,
                                          double vdd_v) const {
  if (flash.wait_states.empty()) return 0u;
  const uint64_t bus_hz = hz / std::max<uint32_t>(1, flash.bus_clock_divider);
  for (const WaitStateTable& t : flash.wait_states) {
    if (!t.matches(range, vdd_v)) continue;
    for (size_t n = 0; n < t.max_mhz.size(); ++n) {
      if (bus_hz <= mhz_to_hz(t.max_mhz[n])) return static_cast<uint32_t>(n);
    }
    return Status{
        StatusCode::kInvalidArgument,
        fmt::format("the wait-state table{} at {:g} V ({}) reaches only {}, not {}{}",
                    range.empty() ? "" : " for voltage range '" + range + "'", vdd_v,
                    t.source.document, mhz_text(t.max_mhz.back()), hz_text(bus_hz),
                    flash.bus_clock_divider > 1
                        ? fmt::format(" (core clock {} / {})", hz_text(hz), flash.bus_clock_divider)
                        : "")};
  }
  return Status{StatusCode::kInvalidArgument,
                fmt::format("no wait-state table of board '{}' applies to {}{:g} V", name,
                            range.empty() ? "" : "voltage range '" + range + "' at ", vdd_v)};
}

Status Board::select_operating_point(uint64_t hz, const std::string& range) {
  auto bad = [&](const std::string& what) {
    return Status{StatusCode::kInvalidArgument, fmt::format("board '{}': {}", name, what)};
  };
  const uint64_t clock = hz ? hz : clock_hz;
  if (double(clock) > max_clock_mhz * 1e6 + 0.5) {
    return bad(fmt::format("{} is above the maximum clock of the {} ({})", hz_text(clock),
                           part.empty() ? "chip" : part, mhz_text(max_clock_mhz)));
  }
  std::string chosen = operating_point.range;
  if (!range.empty()) {
    if (voltage_ranges.empty()) {
      return bad(fmt::format("the {} has no voltage ranges (asked for '{}')",
                             part.empty() ? "chip" : part, range));
    }
    if (!voltage_range(range)) {
      std::string known;
      for (const VoltageRange& r : voltage_ranges) known += (known.empty() ? "" : ", ") + r.name;
      return bad(fmt::format("unknown voltage range '{}' (known: {})", range, known));
    }
    chosen = range;
  } else if (!voltage_ranges.empty()) {
    const VoltageRange* current = voltage_range(chosen);
    if (!current || double(clock) > current->max_mhz * 1e6 + 0.5) {
      // The range with the lowest maximum that still allows the clock (the lowest-power one).
      const VoltageRange* best = nullptr;
      for (const VoltageRange& r : voltage_ranges) {
        if (double(clock) <= r.max_mhz * 1e6 + 0.5 && (!best || r.max_mhz < best->max_mhz)) {
          best = &r;
        }
      }
      if (!best) return bad(fmt::format("no voltage range allows {}", hz_text(clock)));
      chosen = best->name;
    }
  }
  if (const VoltageRange* r = voltage_range(chosen); r && double(clock) > r->max_mhz * 1e6 + 0.5) {
    return bad(fmt::format("{} is above the maximum {} of voltage range '{}'", hz_text(clock),
                           mhz_text(r->max_mhz), chosen));
  }
  auto ws = wait_states_for(clock, chosen, operating_point.vdd_v);
  if (!ws.is_ok()) return bad(ws.status().message());
  clock_hz = clock;
  operating_point.clock_mhz = double(clock) / 1e6;
  operating_point.range = chosen;
  operating_point.wait_states = ws.value();
  return Status::ok();
}

const std::vector<Board>& builtin_boards() {
  static const std::vector<Board> kEmpty;
  const StatusOr<Catalog>& catalog = default_catalog();
  return catalog.is_ok() ? catalog.value().boards : kEmpty;
}

StatusOr<Board> find_board(const std::string& name) {
  const StatusOr<Catalog>& catalog = default_catalog();
  if (!catalog.is_ok()) return catalog.status();
  return catalog.value().find(name);
}

const char* default_board_name() {
  return "nrf52840-dk";
}

}  // namespace tinysim::sim
