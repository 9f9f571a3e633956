// Profile: everything one profiled run of a firmware on a board measured, attributed to
// operators, functions and source lines, with the memory footprint against the board.
//
// A Profile is plain data: the Recorder (profiler/recorder.h) fills it at the end of a run, the
// reports (profiler/report.h) render it (table, JSON, CSV, Chrome trace, folded stacks,
// Markdown, JUnit), the RunStore (profiler/run_store.h) keeps it as its JSON document
// (docs/profile-json.md, schema tinysim.profile/1), and profile_from_json() reads it back.
//
// Numbers live in Metrics (profiler/metrics.h): named, with units, absent when not measured,
// so metrics from later models (stall cycles, cache hits, microjoules) need no new fields here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "profiler/metrics.h"

namespace tinysim::profiler {

// Version of the JSON document (docs/profile-json.md); bump on incompatible changes.
inline constexpr const char* kProfileSchema = "tinysim.profile/1";

// Where the operators came from.
enum class OperatorSource {
  kNone,     // neither markers nor a rule matched: no operators
  kMarkers,  // ITM markers and the .tinysim_ops table (docs/markers.md)
  kRules,    // function-name rules (profiler/rules.h)
};
const char* operator_source_name(OperatorSource source);  // "none", "markers", "rules"

struct FirmwareRef {
  std::string path;
  std::string fnv1a64;  // hash of the whole ELF file, 16 hex digits
};

struct BoardRef {
  std::string name;
  std::string core;  // "cortex-m4"
  std::string fpu;   // "fpv4-sp", "none"
  uint64_t clock_hz = 0;
  uint64_t sram_bytes = 0;
  uint64_t flash_bytes = 0;
};

struct RunSummary {
  std::string stop_reason;       // sim::stop_reason_name(): "exit", "fault", "cancelled", ...
  std::optional<int> exit_code;  // the firmware's status when stop_reason is "exit"
  std::string stop_location;     // "function+0x12 (0x00000123)"
  // The run did not finish (cancelled, a budget or timeout, a fault): the numbers cover only
  // what ran, and operators still running at the end are marked incomplete.
  bool partial = false;
  uint64_t sleep_cycles = 0;
  uint64_t exceptions_taken = 0;
  uint64_t blocks = 0;      // translated blocks executed (the recorder's unit of work)
  double host_seconds = 0;  // wall-clock time of the run (varies between identical runs)
};

// A function's share of a context.
struct FunctionShare {
  std::string name;
  uint64_t cycles = 0;  // exclusive cycles inside the context
};

struct OperatorProfile {
  uint32_t index = 0;    // the marker index; with rules, the position in call order
  std::string name;      // "conv_2d_0"
  std::string kind;      // "CONV_2D"
  std::string function;  // with rules: the function whose calls are this operator
  uint64_t invocations = 0;
  uint64_t macs_per_invocation = 0;  // 0 when unknown
  uint64_t first_start_cycle = 0;
  bool complete = true;  // false: still running when the run stopped
  // false: an earlier operator had already gone deeper into the stack, so stack_peak_bytes is
  // an upper bound (the high-water mark when this operator ended), not this operator's own peak.
  bool stack_peak_exact = true;
  // cycles, instructions, time_us, cycles_per_instruction, macs, cycles_per_mac,
  // stack_peak_bytes, arena_written_bytes, flash_code_bytes (and later stalls, energy).
  Metrics metrics;
  std::vector<FunctionShare> functions;  // hottest first
};

struct FunctionProfile {
  std::string name;       // the symbol; pseudo functions in brackets: "[sleep]"
  std::string demangled;  // without parameters; equals name for C
  std::string source_file;
  uint32_t address = 0;
  uint32_t size_bytes = 0;
  uint64_t calls = 0;
  Metrics inclusive;  // cycles, instructions: the function and everything it called
  Metrics exclusive;  // cycles, instructions: the function's own code; these sum to the total
};

struct LineProfile {
  std::string file;
  uint32_t line = 0;
  std::string function;
  Metrics metrics;  // cycles, instructions (a block's cycles split evenly over its instructions)
  std::vector<std::string> disassembly;  // "0x00000a3c  smlad r0, r1, r2, r0"
};

// One path of the calling-context tree with the cycles spent at its leaf (folded stacks).
struct StackEntry {
  std::vector<std::string> frames;  // outermost first; the operator's name first when known
  uint64_t cycles = 0;
};

struct MemoryReport {
  // SRAM, from the ELF sections and stack/heap painting.
  uint64_t data_bytes = 0;    // .data (initialised, copied from flash)
  uint64_t bss_bytes = 0;     // .bss and other zero-initialised RAM sections but heap and stack
  uint64_t static_bytes = 0;  // data_bytes + bss_bytes
  uint32_t stack_low = 0;     // stack region [stack_low, stack_top)
  uint32_t stack_top = 0;
  std::string stack_bounds_from;  // "symbols" (__stack_limit/__stack_top) or "initial-sp"
  bool stack_measured = false;    // painting worked (a high-water mark was found)
  uint64_t stack_peak_bytes = 0;
  uint64_t heap_reserved_bytes = 0;  // heap region between the heap symbols; 0 without
  bool heap_measured = false;
  uint64_t heap_peak_bytes = 0;
  std::string arena_symbol;  // "" when no arena was found
  uint64_t arena_bytes = 0;
  // static + stack peak + heap peak: the RAM the firmware used.
  uint64_t sram_peak_bytes = 0;
  // Every RAM section the linker reserved (.data, .bss, heap and stack sections).
  uint64_t sram_reserved_bytes = 0;
  uint64_t board_sram_bytes = 0;
  bool sram_fits = false;         // sram_peak_bytes <= board_sram_bytes
  int64_t sram_margin_bytes = 0;  // board_sram_bytes - sram_peak_bytes (negative: short by)
  // Flash, from the ELF sections.
  uint64_t code_bytes = 0;       // executable sections
  uint64_t rodata_bytes = 0;     // read-only data sections (vector table, constants, weights)
  uint64_t data_init_bytes = 0;  // initial values of .data, stored in flash
  uint64_t flash_bytes = 0;      // code + rodata + data_init
  uint64_t board_flash_bytes = 0;
  bool flash_fits = false;
  int64_t flash_margin_bytes = 0;
};

struct TimelineSlice {
  uint32_t operator_position = 0;  // index into Profile::operators
  uint64_t start_cycle = 0;
  uint64_t end_cycle = 0;
};

struct CounterSample {
  uint64_t cycle = 0;
  uint64_t value = 0;
};

struct Timeline {
  std::vector<TimelineSlice> operators;  // every operator execution, in time order
  // The stack high-water mark (bytes) sampled at each operator boundary.
  std::vector<CounterSample> stack_high_water_bytes;
  bool truncated = false;  // more executions than the recorder keeps (RecorderOptions)
};

// A battery estimate for a duty cycle (tinysim profile --battery, power_models/battery.h).
struct BatteryReport {
  std::string battery;  // "cr2032", "2xaa", "lipo-500mah"
  std::string battery_source;
  double capacity_mah = 0;
  double voltage_v = 0;
  double inferences_per_second = 0;
  std::string sleep_mode;  // the low-power mode between inferences ("stop", "system-off")
  double sleep_current_ua = 0;
  bool feasible = true;  // false: an inference takes longer than the period
  double average_power_mw = 0;
  double inferences_per_charge = 0;
  double life_days = 0;
};

// The energy model's view of the run (power_models/, docs/power-models.md). Per-context
// microjoules are the kEnergyUj metric of the total, operators, functions.
struct EnergyReport {
  // Model version and where the coefficients come from, e.g. "tinysim-energy/1, calibrated:
  // ..." or "tinysim-energy/1, estimate: ...". Every output shows it.
  std::string model;
  bool estimate = true;
  double vdd_v = 0;
  double average_power_mw = 0;  // the whole run: energy / simulated time
  // One inference: the operators' energy and time (the whole run when there are no operators).
  double inference_energy_uj = 0;
  double inference_time_us = 0;
  std::optional<BatteryReport> battery;
};

struct Profile {
  std::string schema = kProfileSchema;
  std::string tool_version;
  FirmwareRef firmware;
  BoardRef board;
  RunSummary run;
  OperatorSource operator_source = OperatorSource::kNone;
  bool line_table = false;                 // the firmware had a DWARF line table
  Metrics total;                           // cycles, instructions, time_us, CPI, stack/heap peaks
  std::vector<OperatorProfile> operators;  // in index order
  Metrics outside_operators;               // cycles, instructions between operators (start-up, I/O)
  std::vector<FunctionProfile> functions;  // by exclusive cycles, hottest first
  std::vector<LineProfile> lines;          // by cycles, hottest first (at most a limit)
  std::vector<StackEntry> stacks;          // folded stacks, by cycles
  MemoryReport memory;
  std::optional<EnergyReport> energy;  // absent when the board has no power figures
  Timeline timeline;
  std::vector<std::string> warnings;
};

}  // namespace tinysim::profiler
