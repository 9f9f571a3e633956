// EnergyModel: turns EventCounts into energy (microjoules), average power and current at a
// board's operating point (PowerParameters at a core clock).
//
// The model is linear in the counts: the energy of the sum of two count sets is the sum of their
// energies, so the energy of an operator is the model applied to the operator's counts, and the
// operators' energies add up to the run's. No state; cheap to copy; deterministic.
#pragma once

#include <cstdint>

#include "power_models/event_counts.h"
#include "power_models/power_parameters.h"

namespace tinysim::power_models {

// Energy of a set of counts by term, in microjoules.
struct EnergyBreakdown {
  double static_uj = 0;  // VDD x I_static x active time
  double base_uj = 0;    // per-cycle base charge by fetch source
  double class_uj = 0;   // per-instruction class deltas
  double memory_uj = 0;  // flash line reads, cache hits and misses
  double stall_uj = 0;   // stall cycle deltas
  double sleep_uj = 0;   // VDD x I_sleep x sleep time

  double total_uj() const {
    return static_uj + base_uj + class_uj + memory_uj + stall_uj + sleep_uj;
  }
};

class EnergyModel {
 public:
  // REQUIRES: clock_hz > 0, params.vdd_v > 0.
  EnergyModel(const PowerParameters& params, double clock_hz);

  const PowerParameters& parameters() const { return params_; }
  double clock_hz() const { return clock_hz_; }

  EnergyBreakdown energy(const EventCounts& counts) const;
  double energy_uj(const EventCounts& counts) const { return energy(counts).total_uj(); }
  // Seconds the counts cover (active + sleep cycles at the clock).
  double seconds(const EventCounts& counts) const;
  // Energy over time; 0 when the counts cover no time.
  double average_power_mw(const EventCounts& counts) const;
  // Average supply current at VDD (what a datasheet's run-current table shows); 0 for no time.
  double average_current_ma(const EventCounts& counts) const;

 private:
  PowerParameters params_;
  double clock_hz_;
};

}  // namespace tinysim::power_models
