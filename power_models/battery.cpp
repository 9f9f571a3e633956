#include "power_models/battery.h"

#include <charconv>
#include <cstdlib>
#include <string>

namespace tinysim::power_models {

namespace {

std::optional<double> parse_positive(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const std::string s(text);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !(v > 0)) return std::nullopt;
  return v;
}

}  // namespace

std::optional<Battery> battery_named(std::string_view name) {
  if (name == "cr2032") {
    return Battery{"cr2032", 225, 3.0,
                   "CR2032 (IEC 60086 Li-MnO2 coin cell): typical capacity 225 mAh, nominal "
                   "3.0 V (Panasonic CR2032 datasheet; shared/reference/energy.md)"};
  }
  if (name == "2xaa") {
    return Battery{"2xaa", 2500, 3.0,
                   "two AA alkaline cells (IEC LR6) in series: about 2500 mAh at moderate drain, "
                   "2 x 1.5 V nominal (shared/reference/energy.md)"};
  }
  std::string_view mah;
  if (name.starts_with("lipo:")) {
    mah = name.substr(5);
  } else if (name.starts_with("lipo-") && name.ends_with("mah")) {
    mah = name.substr(5, name.size() - 8);
  } else {
    return std::nullopt;
  }
  const auto capacity = parse_positive(mah);
  if (!capacity) return std::nullopt;
  return Battery{"lipo-" + std::string(mah) + "mah", *capacity, 3.7,
                 "single-cell lithium-polymer: the given capacity at the 3.7 V nominal cell "
                 "voltage (industry convention for LiCoO2 cells)"};
}

const char* battery_names() {
  return "cr2032, 2xaa, lipo:<mAh>";
}

std::optional<double> parse_rate_per_second(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto count = parse_positive(text.substr(0, slash));
  if (!count) return std::nullopt;
  const std::string_view unit = text.substr(slash + 1);
  double seconds = 0;
  if (unit == "s") {
    seconds = 1;
  } else if (unit == "min") {
    seconds = 60;
  } else if (unit == "h") {
    seconds = 3600;
  } else if (unit == "day" || unit == "d") {
    seconds = 86400;
  } else {
    return std::nullopt;
  }
  return *count / seconds;
}

BatteryEstimate estimate_battery(const Battery& battery, double inference_energy_uj,
                                 double inference_seconds, const DutyCycle& duty) {
  BatteryEstimate e;
  e.period_s = 1.0 / duty.inferences_per_second;
  e.feasible = inference_seconds <= e.period_s;
  const double sleep_s = e.feasible ? e.period_s - inference_seconds : 0;
  // mW x s = mJ = 1000 uJ.
  e.energy_per_period_uj =
      inference_energy_uj + duty.wakeup_energy_uj + duty.sleep_power_mw * sleep_s * 1e3;
  // When infeasible the chip never sleeps: back-to-back inferences.
  const double period_s = e.feasible ? e.period_s : inference_seconds;
  e.average_power_mw = period_s > 0 ? e.energy_per_period_uj / period_s * 1e-3 : 0;
  const double battery_uj = battery.energy_j() * 1e6;
  e.inferences_per_charge = e.energy_per_period_uj > 0 ? battery_uj / e.energy_per_period_uj : 0;
  const double life_s =
      e.average_power_mw > 0 ? battery.energy_j() / (e.average_power_mw * 1e-3) : 0;
  e.life_days = life_s / 86400.0;
  return e;
}

}  // namespace tinysim::power_models
