#include "power_models/energy_model.h"

namespace tinysim::power_models {

namespace {
constexpr double kUjPerPj = 1e-6;
}  // namespace

EnergyModel::EnergyModel(const PowerParameters& params, double clock_hz)
    : params_(params), clock_hz_(clock_hz) {}

double EnergyModel::seconds(const EventCounts& counts) const {
  return double(counts.total_cycles()) / clock_hz_;
}

EnergyBreakdown EnergyModel::energy(const EventCounts& c) const {
  const PowerParameters& p = params_;
  EnergyBreakdown e;
  const double active_s = double(c.active_cycles()) / clock_hz_;
  const double sleep_s = double(c.sleep_cycles) / clock_hz_;
  // V x mA x s = mJ; x 1000 = uJ.
  e.static_uj = p.vdd_v * p.i_static_ma * active_s * 1e3;
  double base_pc = 0;
  for (int s = 0; s < kFetchSourceCount; ++s)
    base_pc += p.q_base_pc_per_cycle[s] * double(c.cycles_by_source[s]);
  e.base_uj = p.vdd_v * base_pc * kUjPerPj;
  double class_pc = 0;
  for (int k = 0; k < kEnergyClassCount; ++k)
    class_pc += p.dq_class_pc[k] * double(c.instructions_by_class[k]);
  e.class_uj = p.vdd_v * class_pc * kUjPerPj;
  const double memory_pc = p.q_flash_line_pc * double(c.flash_line_reads) +
                           p.q_cache_hit_pc * double(c.cache_hits) +
                           p.q_cache_miss_pc * double(c.cache_misses);
  e.memory_uj = p.vdd_v * memory_pc * kUjPerPj;
  e.stall_uj = p.vdd_v * p.q_stall_pc_per_cycle * double(c.stall_cycles) * kUjPerPj;
  // V x uA x s = uJ.
  e.sleep_uj = p.vdd_v * p.sleep_current_ua * sleep_s;
  return e;
}

double EnergyModel::average_power_mw(const EventCounts& counts) const {
  const double s = seconds(counts);
  if (s <= 0) return 0;
  return energy_uj(counts) / s * 1e-3;  // uJ/s = uW
}

double EnergyModel::average_current_ma(const EventCounts& counts) const {
  return average_power_mw(counts) / params_.vdd_v;
}

}  // namespace tinysim::power_models
