// Energy in profiles: the recorder gives the total, every operator, the rest and every function
// their microjoules; these add up; the total is the model applied to the machine's counts; the
// counts themselves are consistent with the run (cycles, instructions).
#include <gtest/gtest.h>

#include <cmath>

#include "calibration_run.h"
#include "power_models/energy_model.h"
#include "profiler/energy.h"
#include "profiler/firmware_info.h"
#include "profiler/recorder.h"

namespace tinysim {
namespace {

struct Profiled {
  sim::RunResult result;
  profiler::Profile profile;
};

Profiled profile(const std::string& elf, const sim::Board& board, const std::string& args) {
  auto image = sim::Image::load(elf);
  if (!image.is_ok()) throw std::runtime_error(image.status().message());
  auto info = profiler::FirmwareInfo::load(elf);
  if (!info.is_ok()) throw std::runtime_error(info.status().message());
  sim::MachineOptions options;
  options.command_line = args;
  auto machine = sim::Machine::create(board, image.value(), options);
  if (!machine.is_ok()) throw std::runtime_error(machine.status().message());
  auto recorder = profiler::Recorder::create(*machine.value(), info.value());
  if (!recorder.is_ok()) throw std::runtime_error(recorder.status().message());
  machine.value()->set_observer(recorder.value().get());
  Profiled p;
  p.result = machine.value()->run({});
  p.profile = recorder.value()->finish(p.result);
  return p;
}

std::string firmware(const std::string& name, const std::string& variant) {
  return std::string(TINYSIM_FIRMWARE_DIR) + "/" + name + "-" + variant + ".elf";
}

TEST(ProfileEnergyTest, CountsMatchTheRun) {
  const sim::Board board = testing::board_at("nucleo-f411re", 100, "scale1");
  const Profiled p = profile(testing::calibration_firmware("cortex-m4f"), board, "flash 5");
  const power_models::EventCounts& c = p.result.events;
  // Every instruction is in one class; every non-sleep cycle in one fetch source.
  EXPECT_EQ(c.instructions(), p.result.instructions);
  EXPECT_EQ(c.active_cycles() + c.sleep_cycles, p.result.cycles);
  EXPECT_EQ(c.stall_cycles, p.result.fetch_stall_cycles + p.result.data_stall_cycles);
  EXPECT_GT(c.cycles_by_source[static_cast<int>(power_models::FetchSource::kFlash)], 0u);
  EXPECT_EQ(c.cycles_by_source[static_cast<int>(power_models::FetchSource::kSram)], 0u);
  // From SRAM: most cycles are SRAM cycles.
  const Profiled s = profile(testing::calibration_firmware("cortex-m4f"), board, "sram 5");
  EXPECT_GT(s.result.events.cycles_by_source[static_cast<int>(power_models::FetchSource::kSram)],
            s.result.events.cycles_by_source[static_cast<int>(power_models::FetchSource::kFlash)]);
}

TEST(ProfileEnergyTest, OperatorsFunctionsAndTotalAddUp) {
  const sim::Board board = testing::board_at("nucleo-f411re", 100, "scale1");
  const Profiled p = profile(firmware("test-markers", "cortex-m4f"), board, "");
  const profiler::Profile& prof = p.profile;
  ASSERT_TRUE(prof.energy.has_value());
  EXPECT_FALSE(prof.energy->estimate);
  EXPECT_NE(prof.energy->model.find("tinysim-energy/1, calibrated: "), std::string::npos);
  ASSERT_TRUE(prof.total.has(profiler::Metric::kEnergyUj));
  const double total = prof.total.get(profiler::Metric::kEnergyUj);
  const auto params = profiler::board_energy(board)->params;
  EXPECT_NEAR(total, power_models::EnergyModel(params, 100e6).energy_uj(p.result.events), 1e-9);
  ASSERT_EQ(prof.operators.size(), 2u);
  double sum = prof.outside_operators.get(profiler::Metric::kEnergyUj);
  double inference = 0;
  for (const auto& op : prof.operators) {
    ASSERT_TRUE(op.metrics.has(profiler::Metric::kEnergyUj)) << op.name;
    ASSERT_TRUE(op.metrics.has(profiler::Metric::kMemoryStallCycles)) << op.name;
    ASSERT_TRUE(op.metrics.has(profiler::Metric::kCacheHits)) << op.name;  // the ART
    EXPECT_GT(op.metrics.get(profiler::Metric::kEnergyUj), 0) << op.name;
    sum += op.metrics.get(profiler::Metric::kEnergyUj);
    inference += op.metrics.get(profiler::Metric::kEnergyUj);
  }
  EXPECT_NEAR(sum, total, 1e-9 * total);
  EXPECT_NEAR(prof.energy->inference_energy_uj, inference, 1e-9 * total);
  // fc_large spins five times as long as conv_small: more energy.
  EXPECT_GT(prof.operators[1].metrics.get(profiler::Metric::kEnergyUj),
            3 * prof.operators[0].metrics.get(profiler::Metric::kEnergyUj));
  // Functions: memory-event terms are not split by function (the F411's flash-line charge is
  // not zero), so the functions add up to the total less the run's memory-event energy.
  double functions = 0;
  for (const auto& f : prof.functions) functions += f.exclusive.get(profiler::Metric::kEnergyUj);
  const double memory_uj =
      power_models::EnergyModel(params, 100e6).energy(p.result.events).memory_uj;
  EXPECT_NEAR(functions + memory_uj, total, 1e-6 * total);
  // Average power: total energy over the run's time at VDD.
  EXPECT_NEAR(prof.energy->average_power_mw, total / (double(p.result.cycles) / 100e6) * 1e-3,
              1e-9);
}

TEST(ProfileEnergyTest, BatteryEstimate) {
  const sim::Board board = testing::board_at("nucleo-f411re", 100, "scale1");
  Profiled p = profile(firmware("test-markers", "cortex-m4f"), board, "");
  profiler::BatteryOptions o;
  o.battery = "cr2032";
  o.rate = "10/h";
  o.sleep_mode = "stop";
  ASSERT_TRUE(profiler::add_battery_estimate(p.profile, board, o).is_ok());
  const profiler::BatteryReport& b = *p.profile.energy->battery;
  EXPECT_EQ(b.sleep_mode, "stop");
  const double sleep_ua = *profiler::sleep_mode_current_ua(board, "stop");
  EXPECT_EQ(b.sleep_current_ua, sleep_ua);
  // By hand: period 360 s, sleep for the rest of it at VDD x I_stop.
  const double vdd = p.profile.energy->vdd_v;
  const double e_inf = p.profile.energy->inference_energy_uj;
  const double t_inf = p.profile.energy->inference_time_us * 1e-6;
  const double period_uj = e_inf + vdd * sleep_ua * (360 - t_inf);
  EXPECT_NEAR(b.average_power_mw, period_uj / 360 * 1e-3, 1e-12);
  EXPECT_NEAR(b.inferences_per_charge, 225 * 3.6 * 3.0 * 1e6 / period_uj, 1e-6);
  o.sleep_mode = "hibernate";
  const Status bad = profiler::add_battery_estimate(p.profile, board, o);
  EXPECT_FALSE(bad.is_ok());
  EXPECT_NE(bad.message().find("no low-power mode 'hibernate'"), std::string::npos)
      << bad.message();
}

TEST(ProfileEnergyTest, EstimateLabelledWhenNotCalibrated) {
  // nRF52840: one datasheet figure, no calibration: an estimate, labelled so.
  const sim::Board board = sim::find_board("nrf52840-dk").value();
  auto e = profiler::board_energy(board);
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(e->params.estimate);
  EXPECT_NE(e->label.find("estimate"), std::string::npos) << e->label;
}

}  // namespace
}  // namespace tinysim

namespace tinysim {
namespace {

sim::Board synthetic_board() {
  sim::Board b;
  b.name = "synthetic";
  b.operating_point.range = "range2";
  b.operating_point.vdd_v = 3.3;
  sim::PowerModelPoint r1;
  r1.range = "range1";
  r1.vdd_v = 3.3;
  r1.q_flash_pc = 100;
  r1.calibration = "fit one";
  r1.source.estimate = false;
  sim::PowerModelPoint r2 = r1;
  r2.range = "range2";
  r2.q_flash_pc = 80;
  r2.q_sram_pc = 60;
  r2.i_static_ma = 0.5;
  r2.dq_mul_mac_simd_pc = 12;
  r2.calibration = "fit two";
  b.power.model = {r1, r2};
  b.power.low_power = {
      {"sleep", 1500, 3.3, "", {}}, {"stop", 20, 3.3, "", {}}, {"stop", 7, 1.8, "", {}}};
  return b;
}

TEST(BoardEnergyTest, PicksTheOperatingPointsRange) {
  const auto e = profiler::board_energy(synthetic_board());
  ASSERT_TRUE(e.has_value());
  const auto& p = e->params;
  EXPECT_EQ(p.range, "range2");
  EXPECT_EQ(p.q_base_pc_per_cycle[static_cast<int>(power_models::FetchSource::kFlash)], 80);
  EXPECT_EQ(p.q_base_pc_per_cycle[static_cast<int>(power_models::FetchSource::kSram)], 60);
  // TCM and XIP not calibrated: charged as flash.
  EXPECT_EQ(p.q_base_pc_per_cycle[static_cast<int>(power_models::FetchSource::kTcm)], 80);
  EXPECT_EQ(p.dq_class_pc[static_cast<int>(power_models::EnergyClass::kMulMacSimd)], 12);
  EXPECT_EQ(p.i_static_ma, 0.5);
  EXPECT_EQ(p.sleep_current_ua, 1500);
  EXPECT_FALSE(p.estimate);
  EXPECT_EQ(e->label, "tinysim-energy/1, calibrated: fit two");
}

TEST(BoardEnergyTest, OtherRangeVddAndMissingSramAreLabelled) {
  sim::Board b = synthetic_board();
  b.power.model.pop_back();  // only range1 left
  b.operating_point.vdd_v = 3.0;
  const auto e = profiler::board_energy(b);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->params.vdd_v, 3.0);
  EXPECT_NE(e->label.find("coefficients fitted in range range1 used in range range2"),
            std::string::npos)
      << e->label;
  EXPECT_NE(e->label.find("SRAM code charged as flash"), std::string::npos) << e->label;
  EXPECT_NE(e->label.find("currents fitted at 3.3 V, energy at the board's 3 V"), std::string::npos)
      << e->label;
}

TEST(BoardEnergyTest, EstimateFromARunCurrentOrNothing) {
  sim::Board b = synthetic_board();
  b.power.model.clear();
  std::string why;
  EXPECT_FALSE(profiler::board_energy(b, &why).has_value());
  EXPECT_EQ(why, "the catalog has no run current for board synthetic");
  sim::RunCurrent r;
  r.clock_mhz = 64;
  r.vdd_v = 3.3;
  r.code = "flash";
  r.ua_per_mhz = 52;
  r.source.document = "PS 5.2";
  b.power.run = {r};
  const auto e = profiler::board_energy(b);
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(e->params.estimate);
  EXPECT_EQ(e->params.q_base_pc_per_cycle[0], 52);
  EXPECT_EQ(e->params.i_static_ma, 0);
  EXPECT_NE(e->label.find("estimate: 52.0 uA/MHz from PS 5.2 (64 MHz), not calibrated"),
            std::string::npos)
      << e->label;
}

TEST(BoardEnergyTest, SleepModesAtTheClosestSupply) {
  const sim::Board b = synthetic_board();
  std::string known;
  EXPECT_EQ(profiler::sleep_mode_current_ua(b, "stop", &known), 20);  // the 3.3 V figure
  EXPECT_EQ(known, "sleep, stop");
  EXPECT_FALSE(profiler::sleep_mode_current_ua(b, "standby").has_value());
}

}  // namespace
}  // namespace tinysim
