// Gate: a regression check of a new Profile against a baseline (`tinysim gate`, CI). Limits say
// how much each metric may grow: "cycles=+2%" (relative to the baseline), "sram=+0" (absolute,
// in the metric's unit: no growth at all), "energy=+3%". Each limit applies to the whole run and,
// for metrics operators carry, to every operator present in both profiles; the result says what
// regressed, by how much, overall and in which operator.
//
// Limit keys: any metric key of profiler/metrics.h ("cycles", "instructions", "energy_uj",
// "stack_peak_bytes", "memory_stall_cycles", "time_us", ...), plus the short names
//   energy -> energy_uj, time -> time_us, stack -> stack_peak_bytes, stalls ->
//   memory_stall_cycles, sram -> the SRAM peak (Profile::memory.sram_peak_bytes, whole run only),
//   flash -> the flash image (Profile::memory.flash_bytes, whole run only).
// Limit values: [+|-]NUMBER[%]. With %, the allowed growth is that percentage of the baseline
// value; without, an absolute amount in the metric's unit. A check regresses when
//   new - baseline > allowed   (allowed = limit% * baseline / 100, or the absolute amount).
// A metric absent on one side (e.g. energy_uj where a board has no power figures) is a failed
// check with a reason, not a pass. A new profile from a run that did not finish (fault, budget,
// cancelled) fails the gate ("run" check). Operators that appear or disappear are reported as
// notes, not regressions (their cycles show in the totals).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "profiler/metrics.h"
#include "profiler/profile.h"
#include "sim/status.h"

namespace tinysim::profiler {

// What a limit measures.
enum class GateQuantity {
  kMetric,     // a metric of Metrics (total and per operator)
  kSramPeak,   // Profile::memory.sram_peak_bytes
  kFlashSize,  // Profile::memory.flash_bytes
};

struct GateLimit {
  std::string key;  // as written: "cycles", "sram", "energy"
  GateQuantity quantity = GateQuantity::kMetric;
  Metric metric = Metric::kCycles;  // kMetric only
  double amount = 0;                // allowed growth: percent when relative, else absolute
  bool relative = false;            // written with %
  std::string text;                 // "+2%", "+0"
};

// Parses "cycles=+2%,sram=+0,energy=+3%". kInvalidArgument naming the item and the known keys.
StatusOr<std::vector<GateLimit>> parse_gate_limits(std::string_view text);
// The key's canonical name and unit for reports: ("cycles", "cycles"), ("sram_peak_bytes",
// "bytes"), ("energy_uj", "uJ").
std::string gate_limit_name(const GateLimit& limit);
std::string gate_limit_unit(const GateLimit& limit);

struct GateCheck {
  std::string scope;  // "total", or the operator's name
  std::string kind;   // the operator's kind ("" for total)
  GateLimit limit;
  std::optional<double> baseline;  // absent: not measured on that side
  std::optional<double> current;
  double delta = 0;                     // current - baseline (when both present)
  std::optional<double> delta_percent;  // delta / baseline * 100 (absent when baseline is 0)
  double allowed = 0;                   // the growth the limit allows, in the metric's unit
  bool regressed = false;               // failed: grew beyond `allowed`, or not measured
  std::string reason;                   // for failures that are not growth ("no energy_uj in
                                        // the baseline")
};

struct GateResult {
  bool pass = true;
  std::string baseline_label;  // "run 12 (kws.elf on nrf52840-dk)", a file name
  std::string current_label;
  std::string board;   // the new profile's board
  bool run_ok = true;  // the new run finished (else the gate fails)
  std::string run_problem;
  std::vector<GateCheck> checks;   // total checks first (limit order), then per operator
  std::vector<std::string> notes;  // operators added/removed, board or firmware differences

  // The failed checks, worst first (largest delta_percent, then largest delta).
  std::vector<const GateCheck*> regressions() const;
};

// Applies `limits` to `baseline` and `current`. Operators match as in profile_diff.h (by name,
// else by kind and index).
GateResult evaluate_gate(const Profile& baseline, const Profile& current,
                         const std::vector<GateLimit>& limits, std::string baseline_label,
                         std::string current_label);

// One line: "gate failed: conv_2d_2 cycles +14.3% (limit +2%), total cycles +3.1% (limit +2%)"
// or "gate passed: 12 checks within limits".
std::string gate_summary(const GateResult& result);
// A readable terminal table of every check, regressions marked.
std::string render_gate_table(const GateResult& result);
// Markdown for CI summaries: verdict, regressions (scope, metric, baseline, new, delta, limit),
// then all checks.
std::string render_gate_markdown(const GateResult& result);
// JUnit XML: one testsuite "tinysim.gate", one testcase per check (classname the scope, name
// the metric), a <failure> with the numbers for each regression.
std::string render_gate_junit(const GateResult& result);

}  // namespace tinysim::profiler
