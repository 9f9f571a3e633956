#include "profiler/energy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "power_models/battery.h"

namespace tinysim::profiler {

namespace {

using power_models::EnergyClass;
using power_models::FetchSource;

int idx(FetchSource s) {
  return static_cast<int>(s);
}
int idx(EnergyClass c) {
  return static_cast<int>(c);
}

}  // namespace

// The low-power figures measured at the supply closest to the operating point's.
static std::vector<sim::LowPowerCurrent> low_power_at_vdd(const sim::Board& board) {
  double best = 1e9;
  for (const sim::LowPowerCurrent& l : board.power.low_power)
    best = std::min(best, std::fabs(l.vdd_v - board.operating_point.vdd_v));
  std::vector<sim::LowPowerCurrent> out;
  for (const sim::LowPowerCurrent& l : board.power.low_power) {
    if (std::fabs(l.vdd_v - board.operating_point.vdd_v) <= best + 1e-9) out.push_back(l);
  }
  return out;
}

std::optional<double> sleep_mode_current_ua(const sim::Board& board, const std::string& mode,
                                            std::string* known) {
  std::optional<double> found;
  std::string list;
  for (const sim::LowPowerCurrent& l : low_power_at_vdd(board)) {
    if (list.find(l.mode) == std::string::npos) list += (list.empty() ? "" : ", ") + l.mode;
    if (!found && l.mode == mode) found = l.current_ua;
  }
  if (known) *known = list.empty() ? "none" : list;
  return found;
}

std::optional<BoardEnergy> board_energy(const sim::Board& board, std::string* why_not) {
  const sim::OperatingPoint& op = board.operating_point;
  BoardEnergy e;
  power_models::PowerParameters& p = e.params;
  std::vector<std::string> notes;
  if (!board.power.model.empty()) {
    const sim::PowerModelPoint* m = nullptr;
    for (const auto& c : board.power.model)
      if (!m && c.range == op.range) m = &c;
    for (const auto& c : board.power.model)
      if (!m && c.range.empty()) m = &c;
    if (!m) {
      m = &board.power.model.front();
      notes.push_back(fmt::format("coefficients fitted in range {} used in range {}", m->range,
                                  op.range.empty() ? "(none)" : op.range));
    }
    p.vdd_v = m->vdd_v;
    p.regulator = m->regulator;
    p.range = m->range;
    p.i_static_ma = m->i_static_ma;
    p.q_base_pc_per_cycle[idx(FetchSource::kFlash)] = m->q_flash_pc;
    const std::pair<FetchSource, double> others[] = {{FetchSource::kSram, m->q_sram_pc},
                                                     {FetchSource::kTcm, m->q_tcm_pc},
                                                     {FetchSource::kXip, m->q_xip_pc}};
    for (auto [source, q] : others) {
      p.q_base_pc_per_cycle[idx(source)] = q > 0 ? q : m->q_flash_pc;
    }
    if (m->q_sram_pc <= 0) notes.push_back("SRAM code charged as flash (not calibrated)");
    p.dq_class_pc[idx(EnergyClass::kAlu)] = m->dq_alu_pc;
    p.dq_class_pc[idx(EnergyClass::kMulMacSimd)] = m->dq_mul_mac_simd_pc;
    p.dq_class_pc[idx(EnergyClass::kLoadStore)] = m->dq_load_store_pc;
    p.dq_class_pc[idx(EnergyClass::kBranch)] = m->dq_branch_pc;
    p.dq_class_pc[idx(EnergyClass::kFpu)] = m->dq_fpu_pc;
    p.dq_class_pc[idx(EnergyClass::kOther)] = m->dq_other_pc;
    p.q_flash_line_pc = m->q_flash_line_pc;
    p.q_cache_hit_pc = m->q_cache_hit_pc;
    p.q_cache_miss_pc = m->q_cache_miss_pc;
    p.q_stall_pc_per_cycle = m->q_stall_pc;
    p.estimate = m->source.estimate;
    p.calibration = m->calibration;
  } else {
    const sim::RunCurrent* r = nullptr;
    for (const auto& c : board.power.run)
      if (!r && c.code == "flash" && c.range == op.range) r = &c;
    for (const auto& c : board.power.run)
      if (!r && c.code == "flash") r = &c;
    if (!r) {
      if (why_not)
        *why_not = fmt::format("the catalog has no run current for board {}", board.name);
      return std::nullopt;
    }
    p.vdd_v = r->vdd_v;
    p.regulator = r->regulator;
    p.range = r->range;
    p.q_base_pc_per_cycle.fill(r->ua_per_mhz);
    p.estimate = true;
    p.calibration =
        fmt::format("estimate: {:.1f} uA/MHz from {} ({:g} MHz{}), not calibrated", r->ua_per_mhz,
                    r->source.document.empty() ? "the catalog's power.run" : r->source.document,
                    r->clock_mhz, r->source.estimate ? ", itself an estimate" : "");
  }
  // The model's currents do not depend on VDD (the core runs behind a regulator); energy is
  // VDD x charge at the operating point's supply.
  if (op.vdd_v > 0 && std::fabs(op.vdd_v - p.vdd_v) > 1e-9) {
    notes.push_back(
        fmt::format("currents fitted at {:g} V, energy at the board's {:g} V", p.vdd_v, op.vdd_v));
    p.vdd_v = op.vdd_v;
  }
  if (auto sleep = sleep_mode_current_ua(board, "sleep")) {
    p.sleep_current_ua = *sleep;
  } else {
    notes.push_back("no sleep-mode current: WFI cycles cost nothing");
  }
  e.label = fmt::format("{}, {}{}", p.model_version,
                        p.estimate ? "estimate: " : "calibrated: ", p.calibration);
  if (p.estimate && p.calibration.starts_with("estimate: ")) {
    e.label = fmt::format("{}, {}", p.model_version, p.calibration);
  }
  for (const std::string& n : notes) e.label += "; " + n;
  return e;
}

Status add_battery_estimate(Profile& profile, const sim::Board& board,
                            const BatteryOptions& options) {
  if (!profile.energy) {
    return Status(
        StatusCode::kInvalidBoard,
        fmt::format("--battery: board {} has no power figures (no energy model)", board.name));
  }
  const auto battery = power_models::battery_named(options.battery);
  if (!battery) {
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("--battery: unknown battery '{}' (known: {})", options.battery,
                              power_models::battery_names()));
  }
  const auto rate = power_models::parse_rate_per_second(options.rate);
  if (!rate) {
    return Status(
        StatusCode::kInvalidArgument,
        fmt::format("--rate: '{}' is not N/s, N/min, N/h or N/day with N > 0", options.rate));
  }
  std::string mode = options.sleep_mode;
  std::string known;
  std::optional<double> current_ua;
  if (mode.empty()) {
    for (const sim::LowPowerCurrent& l : low_power_at_vdd(board)) {
      if (!current_ua || l.current_ua < *current_ua) {
        current_ua = l.current_ua;
        mode = l.mode;
      }
    }
    if (!current_ua) {
      return Status(StatusCode::kInvalidArgument,
                    fmt::format("--sleep: board {} lists no low-power mode", board.name));
    }
  } else {
    current_ua = sleep_mode_current_ua(board, mode, &known);
    if (!current_ua) {
      return Status(StatusCode::kInvalidArgument,
                    fmt::format("--sleep: board {} has no low-power mode '{}' (known: {})",
                                board.name, mode, known));
    }
  }
  EnergyReport& e = *profile.energy;
  power_models::DutyCycle duty;
  duty.inferences_per_second = *rate;
  duty.sleep_mode = mode;
  // VDD x uA = uW; / 1000 = mW.
  duty.sleep_power_mw = e.vdd_v * *current_ua * 1e-3;
  const power_models::BatteryEstimate est = power_models::estimate_battery(
      *battery, e.inference_energy_uj, e.inference_time_us * 1e-6, duty);
  BatteryReport b;
  b.battery = battery->name;
  b.battery_source = battery->source;
  b.capacity_mah = battery->capacity_mah;
  b.voltage_v = battery->voltage_v;
  b.inferences_per_second = *rate;
  b.sleep_mode = mode;
  b.sleep_current_ua = *current_ua;
  b.feasible = est.feasible;
  b.average_power_mw = est.average_power_mw;
  b.inferences_per_charge = est.inferences_per_charge;
  b.life_days = est.life_days;
  e.battery = b;
  return Status::ok();
}

}  // namespace tinysim::profiler
