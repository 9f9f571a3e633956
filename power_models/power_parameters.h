// PowerParameters: the coefficients of the energy model for one board at one operating
// condition (supply voltage, regulator, voltage range), with where they came from.
//
// Units: currents in mA or uA as named; charges in picocoulombs (pC). A charge per cycle in pC
// equals a current per clock frequency in uA/MHz (1 uA / 1 MHz = 1e-12 C), the unit datasheets
// quote run currents in. Energy = VDD x charge, so pC x V = pJ.
//
// The model (docs/power-models.md, after ../shared/reference/energy.md):
//   E = VDD x [ I_static x t_active
//             + sum over fetch sources s of q_base[s] x cycles[s]
//             + sum over energy classes c of dq[c] x instructions[c]
//             + q_flash_line x flash line reads + q_cache_hit x hits + q_cache_miss x misses
//             + q_stall x stall cycles ]
//     + VDD x I_sleep x t_sleep
// Every coefficient is either fitted by a calibration run against a datasheet run current
// (power_models/calibration.h) or taken from the literature; `estimate` is true unless every
// coefficient that matters traces to a datasheet figure.
#pragma once

#include <array>
#include <string>

#include "power_models/event_counts.h"

namespace tinysim::power_models {

// Version of the model's structure and defaults; every energy output carries it.
inline constexpr const char* kEnergyModelVersion = "tinysim-energy/1";

struct PowerParameters {
  // The condition the coefficients hold for.
  double vdd_v = 3.0;
  std::string regulator;  // "ldo", "smps", "dcdc", "" (not stated)
  std::string range;      // voltage range ("" where the part has none)

  // Current drawn whatever the clock (leakage, regulator, analog), while active.
  double i_static_ma = 0;
  // Base charge per active cycle by fetch source (pC/cycle = uA/MHz).
  std::array<double, kFetchSourceCount> q_base_pc_per_cycle{};
  // Extra charge per instruction by energy class (pC per instruction; may be negative).
  std::array<double, kEnergyClassCount> dq_class_pc{};
  double q_flash_line_pc = 0;       // per flash array line read
  double q_cache_hit_pc = 0;        // per cache or accelerator hit
  double q_cache_miss_pc = 0;       // per cache or accelerator miss
  double q_stall_pc_per_cycle = 0;  // extra per stall cycle (negative: stalls cost less)
  // Supply current in WFI/WFE sleep, for the sleep cycles inside a run (uA).
  double sleep_current_ua = 0;

  std::string model_version = kEnergyModelVersion;
  // Where the coefficients come from, one line: the calibration run and the datasheet figure
  // it matched, or "estimate: ...".
  std::string calibration;
  bool estimate = true;
};

}  // namespace tinysim::power_models
