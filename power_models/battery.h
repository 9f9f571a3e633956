// Battery and duty cycle: how long a battery lasts when the firmware runs one inference every
// period and the chip sleeps in between.
//
// Arithmetic (docs/power-models.md): the battery holds E_batt = capacity_mAh x 3.6 C/mAh x
// nominal V (ideal conversion to the chip's supply: regulator losses are in the chip's own
// figures, not the battery's). One period of 1/rate seconds costs one inference's energy, one
// wake-up and sleep power for the rest of the period:
//   E_period = E_inference + E_wakeup + P_sleep x (period - t_inference)
// Average power = E_period / period; inferences per charge = E_batt / E_period; life =
// E_batt / average power. Self-discharge, temperature and the cell's voltage curve are ignored
// (stated in every output as "ideal cell").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tinysim::power_models {

struct Battery {
  std::string name;  // "cr2032", "2xaa", "lipo-500mah"
  double capacity_mah = 0;
  double voltage_v = 0;  // nominal
  std::string source;    // where the capacity and voltage come from

  double energy_j() const { return capacity_mah * 3.6 * voltage_v; }
};

// A battery by name: "cr2032" (225 mAh, 3.0 V), "2xaa" (2500 mAh, 3.0 V), "lipo:N" or
// "lipo-Nmah" (N mAh, 3.7 V). std::nullopt for anything else (battery_names() lists them).
std::optional<Battery> battery_named(std::string_view name);
const char* battery_names();  // "cr2032, 2xaa, lipo:<mAh>"

// Parses an inference rate: "N/s", "N/min", "N/h", "N/day" (N may be fractional); returns
// inferences per second, std::nullopt when malformed or not positive.
std::optional<double> parse_rate_per_second(std::string_view text);

struct DutyCycle {
  double inferences_per_second = 1;
  double sleep_power_mw = 0;  // VDD x the sleep mode's current
  std::string sleep_mode;     // its name, for reports ("stop", "system-off")
  double wakeup_energy_uj = 0;
};

struct BatteryEstimate {
  bool feasible = true;  // false: one inference takes longer than the period
  double period_s = 0;   // 1 / rate
  double energy_per_period_uj = 0;
  double average_power_mw = 0;
  double inferences_per_charge = 0;
  double life_days = 0;
};

// REQUIRES: inference_energy_uj >= 0, inference_seconds >= 0, duty.inferences_per_second > 0.
BatteryEstimate estimate_battery(const Battery& battery, double inference_energy_uj,
                                 double inference_seconds, const DutyCycle& duty);

}  // namespace tinysim::power_models
