// Calibration: fits the energy model's base charge per cycle (and the static current, given two
// or more clocks) so that the model's predicted average current for a calibration workload
// equals a datasheet's run-current figure measured under the same condition.
//
// A CalibrationPoint is one datasheet figure (current at a clock, code in one memory) with the
// EventCounts of the calibration firmware simulated at that condition. The model is linear in
// the unknowns, so one point gives q_base for its fetch source (I_static fixed), two or more at
// different clocks give I_static and q_base by least squares; points with different flash
// accelerator settings (e.g. the STM32F4 ART on and off at one clock) also give the charge per
// flash line read, q_flash_line. Instruction-class deltas are
// either tied to the fitted base charge (dq[c] = weight[c] x q_base: the literature's relative
// deltas) or held fixed (fitting a second fetch source after the first).
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>

#include "power_models/energy_model.h"
#include "power_models/event_counts.h"
#include "power_models/power_parameters.h"

namespace tinysim::power_models {

struct CalibrationPoint {
  std::string label;  // the datasheet figure: "nRF52840 PS 5.4.1.1: 64 MHz, flash, 3.3 mA"
  double clock_hz = 0;
  double current_ma = 0;  // the datasheet's typical supply current
  FetchSource source = FetchSource::kFlash;
  EventCounts counts;  // the calibration workload simulated at the condition
};

// Per-instruction current deltas relative to the base charge per cycle, by energy class.
struct ClassWeights {
  std::array<double, kEnergyClassCount> fraction{};
  std::string source;
};
// The deltas tinysim uses where nothing better is known: MUL/MAC/SIMD +15 %, FPU +15 %,
// load/store +10 %, ALU, branch, other 0 (middle of the +-10-20 % the literature reports:
// Nikov et al. ICECS 2022, arXiv 2301.12806; Pallister et al. arXiv 1505.03374). Estimates.
ClassWeights literature_class_weights();

struct FitOptions {
  // Fit I_static too (needs points at two or more clocks); otherwise keep params.i_static_ma.
  bool fit_static = false;
  // Fit q_flash_line_pc too (needs points whose flash line reads per cycle differ, e.g. the
  // accelerator on and off); otherwise keep params.q_flash_line_pc.
  bool fit_flash_line = false;
  // Set dq_class_pc = weights x the fitted q_base; otherwise keep params.dq_class_pc.
  bool tie_class_deltas = true;
  ClassWeights weights = literature_class_weights();
};

// Fits params.q_base_pc_per_cycle[source] (and I_static, q_flash_line, dq by the options) from
// `points`, all of that fetch source, by linear least squares. Returns an error sentence naming
// the problem (no points, mixed sources, fewer independent points than unknowns, a non-positive
// fitted base charge) or std::nullopt.
std::optional<std::string> fit_base(PowerParameters& params, FetchSource source,
                                    std::span<const CalibrationPoint> points,
                                    const FitOptions& options);

// The model's average current for a point's counts at its clock (mA).
double predicted_current_ma(const PowerParameters& params, const CalibrationPoint& point);
// (predicted - datasheet) / datasheet, e.g. -0.031 for 3.1 % low.
double relative_error(const PowerParameters& params, const CalibrationPoint& point);

}  // namespace tinysim::power_models
