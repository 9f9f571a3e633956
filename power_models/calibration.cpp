#include "power_models/calibration.h"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <utility>
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

namespace {

// Solves the n x n system m x = r in place by Gaussian elimination with partial pivoting; false
// when it is singular (relative to the largest diagonal of m).
template <size_t N>
bool solve(std::array<std::array<double, N>, N>& m, std::array<double, N>& r, size_t n) {
  double scale = 0;
  for (size_t i = 0; i < n; ++i) scale = std::max(scale, std::fabs(m[i][i]));
  for (size_t c = 0; c < n; ++c) {
    size_t pivot = c;
    for (size_t i = c + 1; i < n; ++i)
      if (std::fabs(m[i][c]) > std::fabs(m[pivot][c])) pivot = i;
    if (!(std::fabs(m[pivot][c]) > 1e-12 * scale)) return false;
    std::swap(m[c], m[pivot]);
    std::swap(r[c], r[pivot]);
    for (size_t i = c + 1; i < n; ++i) {
      const double f = m[i][c] / m[c][c];
      for (size_t k = c; k < n; ++k) m[i][k] -= f * m[c][k];
      r[i] -= f * r[c];
    }
  }
  for (size_t c = n; c-- > 0;) {
    for (size_t k = c + 1; k < n; ++k) r[c] -= m[c][k] * r[k];
    r[c] /= m[c][c];
  }
  return true;
}

}  // namespace

std::optional<std::string> fit_base(PowerParameters& params, FetchSource source,
                                    std::span<const CalibrationPoint> points,
                                    const FitOptions& options) {
  if (points.empty()) return "no calibration points";
  const int s = static_cast<int>(source);
  // Per point: I = I_static + a x q + c x q_line + b, with a the current per pC/cycle of q_base,
  // c the current per pC of q_flash_line, and b the current of every term that does not depend
  // on the unknowns (other sources, other memory events, fixed class deltas). All in mA.
  PowerParameters fixed = params;
  fixed.i_static_ma = 0;
  fixed.sleep_current_ua = 0;
  fixed.q_base_pc_per_cycle[s] = 0;
  if (options.fit_flash_line) fixed.q_flash_line_pc = 0;
  if (options.tie_class_deltas) fixed.dq_class_pc = {};
  // Columns of the design matrix: [1 (I_static)], a (q_base), [c (q_flash_line)].
  std::vector<std::array<double, 3>> rows;
  std::vector<double> y;
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
    std::array<double, 3> row{};
    size_t k = 0;
    if (options.fit_static) row[k++] = 1;
    row[k++] = per_q_pc * to_ma;
    if (options.fit_flash_line) row[k++] = double(p.counts.flash_line_reads) * to_ma;
    rows.push_back(row);
    y.push_back(p.current_ma - fixed_pc * to_ma - (options.fit_static ? 0.0 : params.i_static_ma));
  }
  const size_t unknowns = 1 + (options.fit_static ? 1 : 0) + (options.fit_flash_line ? 1 : 0);
  if (points.size() < unknowns) {
    return fmt::format("fitting {} unknowns needs {} or more figures, got {}", unknowns, unknowns,
                       points.size());
  }
  // Normal equations (rows^T rows) x = rows^T y.
  std::array<std::array<double, 3>, 3> m{};
  std::array<double, 3> r{};
  for (size_t i = 0; i < rows.size(); ++i) {
    for (size_t j = 0; j < unknowns; ++j) {
      r[j] += rows[i][j] * y[i];
      for (size_t k = 0; k < unknowns; ++k) m[j][k] += rows[i][j] * rows[i][k];
    }
  }
  if (!solve(m, r, unknowns)) {
    return options.fit_static && !options.fit_flash_line
               ? std::string("fitting the static current needs figures at two different clocks")
               : fmt::format(
                     "the {} figures do not determine the {} unknowns (the same clock and "
                     "flash line reads per cycle twice?)",
                     points.size(), unknowns);
  }
  size_t k = 0;
  const double i_static = options.fit_static ? r[k++] : params.i_static_ma;
  const double q = r[k++];
  const double q_line = options.fit_flash_line ? r[k++] : params.q_flash_line_pc;
  if (!(q > 0)) {
    return fmt::format("the fitted base charge for {} code is {:.3g} pC/cycle (not positive)",
                       fetch_source_name(source), q);
  }
  params.q_base_pc_per_cycle[s] = q;
  params.i_static_ma = i_static;
  params.q_flash_line_pc = q_line;
  if (options.tie_class_deltas) {
    for (int c = 0; c < kEnergyClassCount; ++c)
      params.dq_class_pc[c] = options.weights.fraction[c] * q;
  }
  return std::nullopt;
}

}  // namespace tinysim::power_models
