#include "power_models/calibration.h"

#include <fmt/format.h>
#include <cmath>
#include <vector>

namespace tinysim::power_models {

ClassWeights literature_class_weights() {
  ClassWeights w;
  w.fraction[static_cast<int>(EnergyClass::kMulMacSimd)] = 0.15;
  w.fraction[static_cast<int>(EnergyClass::kFpu)] = 0.15;
  w.fraction[static_cast<int>(EnergyClass::kLoadStore)] = 0.10;
  w.source =
      "estimate: relative class deltas in the +-10-20 % range of Nikov et al. (ICECS 2022, "
      "arXiv 2301.12806) and Pallister et al. (arXiv 1505.03374)";
  return w;
}

double predicted_current_ma(const PowerParameters& params, const CalibrationPoint& point) {
  return EnergyModel(params, point.clock_hz).average_current_ma(point.counts);
}

double relative_error(const PowerParameters& params, const CalibrationPoint& point) {
  return (predicted_current_ma(params, point) - point.current_ma) / point.current_ma;
}

std::optional<std::string> fit_base(PowerParameters& params, FetchSource source,
                                    std::span<const CalibrationPoint> points,
                                    const FitOptions& options) {
  if (points.empty()) return "no calibration points";
  const int s = static_cast<int>(source);
  // Per point: I = I_static + a x q + b, with a the current per pC/cycle of q_base and b the
  // current of every term that does not depend on q_base (other sources, memory events, fixed
  // class deltas). Both in mA.
  PowerParameters fixed = params;
  fixed.i_static_ma = 0;
  fixed.sleep_current_ua = 0;
  fixed.q_base_pc_per_cycle[s] = 0;
  if (options.tie_class_deltas) fixed.dq_class_pc = {};
  std::vector<double> a, b, y;
  for (const CalibrationPoint& p : points) {
    if (p.source != source) {
      return fmt::format("point '{}' is for {} code, not {}", p.label, fetch_source_name(p.source),
                         fetch_source_name(source));
    }
    const double active = double(p.counts.active_cycles());
    if (active <= 0 || p.clock_hz <= 0) return fmt::format("point '{}' has no cycles", p.label);
    double per_q_pc = double(p.counts.cycles_by_source[s]);
    if (options.tie_class_deltas) {
      for (int k = 0; k < kEnergyClassCount; ++k)
        per_q_pc += options.weights.fraction[k] * double(p.counts.instructions_by_class[k]);
    }
    // pC per second = 1e-12 A = 1e-9 mA.
    const double to_ma = p.clock_hz / active * 1e-9;
    const double fixed_pc = EnergyModel(fixed, p.clock_hz).energy_uj(p.counts) / fixed.vdd_v * 1e6;
    a.push_back(per_q_pc * to_ma);
    b.push_back(fixed_pc * to_ma);
    y.push_back(p.current_ma);
  }
  double q = 0, i_static = params.i_static_ma;
  const size_t n = points.size();
  if (options.fit_static) {
    if (n < 2) return "fitting the static current needs figures at two or more clocks";
    // Least squares of (y - b) = I_static + a x q.
    double sa = 0, sr = 0, saa = 0, sar = 0;
    for (size_t i = 0; i < n; ++i) {
      const double r = y[i] - b[i];
      sa += a[i];
      sr += r;
      saa += a[i] * a[i];
      sar += a[i] * r;
    }
    const double det = double(n) * saa - sa * sa;
    if (std::fabs(det) < 1e-18 * saa * double(n))
      return "fitting the static current needs figures at two different clocks";
    q = (double(n) * sar - sa * sr) / det;
    i_static = (sr - q * sa) / double(n);
  } else {
    // Least squares of (y - b - I_static) = a x q.
    double saa = 0, sar = 0;
    for (size_t i = 0; i < n; ++i) {
      saa += a[i] * a[i];
      sar += a[i] * (y[i] - b[i] - i_static);
    }
    q = sar / saa;
  }
  if (!(q > 0)) {
    return fmt::format("the fitted base charge for {} code is {:.3g} pC/cycle (not positive)",
                       fetch_source_name(source), q);
  }
  params.q_base_pc_per_cycle[s] = q;
  params.i_static_ma = i_static;
  if (options.tie_class_deltas) {
    for (int k = 0; k < kEnergyClassCount; ++k)
      params.dq_class_pc[k] = options.weights.fraction[k] * q;
  }
  return std::nullopt;
}

}  // namespace tinysim::power_models
