// Board: everything tinysim knows about one development board and its microcontroller: the core
// and its options, the clock and voltage operating point, the memory map (regions, aliases, boot
// address), the flash timing table and control register, the flash accelerators and caches, the
// power figures for the energy model, and prices.
//
// Boards come from the catalog (catalog/chips/*.toml composed into catalog/boards/*.toml, see
// docs/catalog.md and sim/catalog.h). Every struct below maps 1:1 onto a table of that format:
// a field has the name of its TOML key (units in the name: `_mhz`, `_v`, `_ma`, `_ua`, `_usd`),
// except where noted. Every value in the catalog carries a Source; the typed structs keep the
// source of each table, and Board::facts keeps every single value with its own source for
// `tinysim boards show`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core.h"
#include "sim/status.h"

namespace tinysim::sim {

// Where a catalog value comes from: a document and its table or section ("RM0383 Table 6").
// `estimate` marks a value that is not in any document (reasoning in `note`).
struct Source {
  std::string document;
  bool estimate = false;
  std::string note;
};

// One value of a board as written in the catalog, for `tinysim boards show`.
struct Fact {
  std::string key;    // dotted key, e.g. "flash.wait_states[0].max_mhz"
  std::string value;  // the value as TOML text
  Source source{};
  std::string file;  // the catalog file that set it
};

enum class RegionKind {
  kFlash,  // on-chip flash: read-only and executable at run time; loaded from the ELF
  kSram,   // read-write and executable
  kTcm,    // tightly coupled RAM (zero wait state on silicon)
  kXip,    // external (Q)SPI flash executed in place behind a cache: read-only, loaded from the ELF
};

// "flash", "sram", "tcm", "xip".
std::string_view region_kind_name(RegionKind kind);
std::optional<RegionKind> parse_region_kind(std::string_view name);
// True for regions the firmware is loaded into and cannot write at run time (flash, XIP).
bool is_read_only(RegionKind kind);

// QSPI execute-in-place parameters (`memory.<name>.xip`), for regions of kind kXip. The memory
// model derives the miss latency from them.
struct XipConfig {
  uint32_t clock_divider = 2;  // SPI clock = core clock / clock_divider
  uint32_t data_lines = 4;     // 1 (SPI), 2 (dual) or 4 (quad) lines for address and data
  uint32_t address_bits = 24;
  uint32_t mode_bits = 0;        // continuous-read mode bits sent after the address (0: none)
  uint32_t dummy_cycles = 0;     // SPI clocks between address (+ mode) and data
  bool continuous_read = false;  // no command phase after the first access (XIP "continuous")
  Source source{};
};

struct MemoryRegion {
  std::string name;  // the key of its table: memory.<name>
  uint32_t base = 0;
  uint32_t size_bytes = 0;  // key `size`: bytes, or a string with a K/M suffix ("512K")
  RegionKind kind = RegionKind::kSram;
  // Non-empty: this region mirrors the start of the named region (e.g. STM32 flash at 0).
  std::string alias_of;
  std::optional<XipConfig> xip{};
  Source source{};

  uint64_t end() const { return uint64_t(base) + size_bytes; }
  bool contains(uint32_t address, uint32_t length = 1) const {
    return address >= base && uint64_t(address) + length <= end();
  }
};

// A core voltage range (STM32 VOS / "range", e.g. "scale1", "range1", "vos0"): the highest
// clock it allows. Selected with `tinysim run --vos NAME`.
struct VoltageRange {
  std::string name;  // the key of its table: voltage_ranges.<name>
  double max_mhz = 0;
  double vcore_v = 0;  // typical core voltage in this range (0: not given)
  Source source{};
};

// One flash wait-state table: the highest HCLK for each wait-state count, valid for one voltage
// range and/or one VDD interval (STM32F2/F4/F7 tables depend on VDD, L0/L4/L5/U5/G0/H7 ones on
// the voltage range). An empty `range` or zero VDD bounds match any.
struct WaitStateTable {
  std::string range;
  double vdd_min_v = 0;
  double vdd_max_v = 0;
  std::vector<double> max_mhz;  // max_mhz[n]: highest clock at n wait states, ascending
  Source source{};

  bool matches(std::string_view range_name, double vdd_v) const;
};

// A memory-mapped control register with the value after reset and the value a typical start-up
// code writes (e.g. STM32 FLASH_ACR after the vendor's SystemClock_Config at the default clock).
struct ControlRegister {
  std::string name;  // e.g. "FLASH_ACR"
  uint32_t address = 0;
  uint32_t reset_value = 0;
  std::optional<uint32_t> startup_value;
  std::string startup_note;  // what sets it ("STM32CubeF4 SystemClock_Config at 100 MHz")
  Source source{};
};

// The on-chip flash interface (`[flash]`).
struct FlashConfig {
  uint32_t line_bytes = 0;  // width of one flash read (8 = 64 bits, 16 = 128, 32 = 256)
  // The flash interface runs at the core clock divided by this (STM32H7: the AXI/HCLK clock,
  // typically core / 2 at the top clock). The wait-state tables are in that clock, and so are
  // the wait states (one wait state = bus_clock_divider core cycles).
  uint32_t bus_clock_divider = 1;
  std::vector<WaitStateTable> wait_states;
  std::optional<ControlRegister> control;
  Source source{};
};

// A flash accelerator or cache (`caches.<name>`). `kind` selects the model:
//   "art"             STM32F2/F4/F7 ART: icache_lines + dcache_lines of line_bytes, prefetch
//   "flash-cache"     STM32L4-style flash I/D caches (same parameters as "art")
//   "prefetch-buffer" STM32F0/F1/L0 prefetch buffers: `buffers` of line_bytes, prefetch
//   "cache"           a set-associative cache: size_bytes, line_bytes, ways, role, policies
// (M7 L1 I/D caches, STM32U5 ICACHE/DCACHE, RP2040 XIP cache, nRF NVMC caches).
struct CacheConfig {
  std::string name;
  std::string kind;
  std::vector<std::string> regions;  // names of the regions whose accesses it serves
  std::string role;                  // "instruction", "data" or "unified" (kind "cache")
  uint32_t size_bytes = 0;           // key `size`
  uint32_t line_bytes = 0;
  uint32_t ways = 0;
  uint32_t icache_lines = 0;  // art, flash-cache
  uint32_t dcache_lines = 0;  // art, flash-cache
  uint32_t buffers = 0;       // prefetch-buffer
  bool prefetch = false;      // has a sequential prefetcher
  std::string replacement;    // "lru", "pseudo-lru", "round-robin", "random"
  std::string write_policy;   // "read-only", "write-back", "write-through"
  std::string allocate;       // "read", "read-write"
  std::string control;        // the enable bit, e.g. "FLASH_ACR.ICEN", "SCB_CCR.IC"
  bool enabled_at_reset = false;
  bool enabled_by_startup = false;  // a typical vendor start-up code enables it
  Source source{};
};

// A run-mode supply current from a datasheet, with its measurement condition (`power.run[]`).
// Exactly one of current_ma and ua_per_mhz is given in the catalog; the other is derived.
struct RunCurrent {
  double clock_mhz = 0;
  double vdd_v = 0;
  std::string range;        // voltage range ("" where the part has none)
  std::string regulator;    // "ldo", "smps", "dcdc", "bypass" ("" not stated)
  std::string code;         // where code executes: "flash", "sram", "tcm", "xip"
  std::string accelerator;  // flash accelerator / cache state: "on", "off" ("" not stated)
  std::string peripherals;  // "on", "off" ("" not stated)
  std::string workload;     // "coremark", "dhrystone", "while(1)", ... ("" not stated)
  double current_ma = 0;
  double ua_per_mhz = 0;
  double temperature_c = 25;
  Source source{};
};

// A low-power mode supply current (`power.low_power[]`).
struct LowPowerCurrent {
  std::string mode;  // "sleep", "stop", "standby", "system-off", "dormant", ...
  double current_ua = 0;
  double vdd_v = 0;
  std::string condition;  // e.g. "RTC off, full SRAM retention"
  Source source{};
};

// Coefficients of the energy model (power_models/power_parameters.h) at one condition
// (`power.model[]`): fitted by a calibration run against power.run figures, or estimated. Keys
// are the PowerParameters fields; charges in pC (pC per cycle = uA/MHz); 0 for a fetch source
// means "not calibrated" (the flash value is used, and outputs say so). `calibration` says what
// the coefficients were fitted to ("tinysim calibrate: coremark-like from flash at 64 MHz,
// power.run[0] 3.3 mA").
struct PowerModelPoint {
  std::string range;      // voltage range it holds for ("" any)
  double vdd_v = 0;       // supply it was fitted at
  std::string regulator;  // "ldo", "smps", "dcdc", "bypass" ("" not stated)
  double i_static_ma = 0;
  double q_flash_pc = 0;  // base charge per cycle executing from flash
  double q_sram_pc = 0;
  double q_tcm_pc = 0;
  double q_xip_pc = 0;
  double dq_alu_pc = 0;  // per-instruction class deltas
  double dq_mul_mac_simd_pc = 0;
  double dq_load_store_pc = 0;
  double dq_branch_pc = 0;
  double dq_fpu_pc = 0;
  double dq_other_pc = 0;
  double q_flash_line_pc = 0;
  double q_cache_hit_pc = 0;
  double q_cache_miss_pc = 0;
  double q_stall_pc = 0;  // per stall cycle
  std::string calibration;
  Source source{};
};

struct PowerFigures {
  std::vector<RunCurrent> run;
  std::vector<LowPowerCurrent> low_power;
  std::vector<PowerModelPoint> model;  // energy-model coefficients, one per condition
};

struct Price {
  double usd = 0;
  uint32_t quantity = 1;  // unit price at this order quantity
  std::string date;       // "2026-11"
  Source source{};
};

// The clock, voltage range and supply the board runs at, and the flash wait states that follow
// from the board's table (0 where the part has no table).
struct OperatingPoint {
  double clock_mhz = 0;
  std::string range;         // a VoltageRange name, "" where the part has none
  double vdd_v = 0;          // supply voltage
  std::string regulator;     // "ldo", "smps", "dcdc", ""
  uint32_t wait_states = 0;  // derived, not a catalog key
  Source source{};
};

struct Board {
  std::string name;         // catalog key (the board file's stem), e.g. "nucleo-f411re"
  std::string description;  // e.g. "ST Nucleo-F411RE (STM32F411RE)"
  std::string chip;         // chip file stem, e.g. "stm32f411re"
  std::string part;         // part number, e.g. "STM32F411RET6"
  std::string vendor;
  std::string family;  // e.g. "stm32f4"
  std::string url;     // the board's product page ("" unknown)
  // Which bundled firmware build boots on it: build/firmware/<name>-<firmware_variant>.elf.
  // Key board.firmware_variant; default from the core ("cortex-m4f", ...), see docs/catalog.md.
  std::string firmware_variant;
  CoreConfig core;
  uint32_t nvic_priority_bits = 0;  // key core.nvic_priority_bits
  double max_clock_mhz = 0;         // key clock.max_mhz: the chip's absolute maximum
  double vdd_min_v = 0;             // key supply.vdd_min_v
  double vdd_max_v = 0;             // key supply.vdd_max_v
  std::vector<VoltageRange> voltage_ranges;
  OperatingPoint operating_point;    // key operating_point: the one chosen (default: the board's)
  uint64_t clock_hz = 0;             // operating_point.clock_mhz in Hz (what the machine uses)
  uint32_t boot_address = 0;         // key boot.address: where the initial SP and reset vector are
  std::vector<MemoryRegion> memory;  // sorted by base address
  FlashConfig flash;
  std::vector<CacheConfig> caches;
  PowerFigures power;
  std::optional<Price> board_price;  // key price.board
  std::optional<Price> chip_price;   // key price.chip
  std::vector<Fact> facts;           // every catalog value with its source, in key order
  std::vector<std::string> files;    // the catalog files composed, chip first

  // Checks the description is usable: a clock within the chip's and the voltage range's
  // maximum, at least one flash and one SRAM region, sizes non-zero, no overlaps, aliases naming
  // an existing region, a boot address inside the map, a wait-state table covering the clock.
  // Errors (kInvalidBoard) name the board and the key.
  Status validate() const;
  // The region containing [address, address + length), or nullptr.
  const MemoryRegion* region_at(uint32_t address, uint32_t length = 1) const;
  const MemoryRegion* region_named(const std::string& name) const;
  const VoltageRange* voltage_range(const std::string& name) const;
  const CacheConfig* cache_named(const std::string& name) const;
  // Total SRAM (kSram + kTcm, aliases excluded) and flash (kFlash + kXip) bytes.
  uint64_t sram_bytes() const;
  uint64_t flash_bytes() const;

  // Flash wait states for core clock `clock_hz` in voltage range `range` at the operating
  // point's VDD, from the table: the smallest n with clock / flash.bus_clock_divider <= max_mhz[n].
  // 0 when the board has no table (no user wait-state setting, e.g. nRF52, or XIP-only parts).
  // kInvalidArgument when no table applies to the range and VDD, or the table does not reach the
  // clock.
  StatusOr<uint32_t> wait_states_for(uint64_t clock_hz, const std::string& range) const;
  StatusOr<uint32_t> wait_states_for(uint64_t clock_hz, const std::string& range,
                                     double vdd_v) const;

  // Selects another operating point: `clock_hz` (0: keep), voltage range `range` ("": keep, or
  // the lowest-power range that allows the clock when only the clock changes). Updates clock_hz,
  // operating_point and its wait states. kInvalidArgument (naming the limit) when the clock is
  // above the chip's or the range's maximum, or the range is unknown.
  Status select_operating_point(uint64_t clock_hz, const std::string& range);
};

// The first problem check_board() finds: the dotted catalog key and what is wrong with it.
struct BoardProblem {
  std::string key;
  std::string what;
};
// The checks of Board::validate(), as a key and a sentence (the catalog loader adds the file).
std::optional<BoardProblem> check_board(const Board& board);

// The firmware variant for a core when the catalog gives none: "cortex-m0", "cortex-m0plus",
// "cortex-m3", "cortex-m4f" (M4 with FPU; "cortex-m3" without), "cortex-m7f", "cortex-m33f".
std::string default_firmware_variant(const CoreConfig& core);

// The boards of the default catalog (sim/catalog.h), in a stable order: loaded once. An empty
// list when the catalog fails to load (find_board then reports why).
const std::vector<Board>& builtin_boards();
// The board `name` from the default catalog, or kInvalidBoard listing the known names (or the
// catalog's load error).
StatusOr<Board> find_board(const std::string& name);
// The board `tinysim run` uses when none is given.
const char* default_board_name();

}  // namespace tinysim::sim
