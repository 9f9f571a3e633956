// Every term of the energy model against hand-computed values, and its linearity.
#include "power_models/energy_model.h"

#include <gtest/gtest.h>

namespace tinysim::power_models {
namespace {

constexpr int kFlash = static_cast<int>(FetchSource::kFlash);
constexpr int kSram = static_cast<int>(FetchSource::kSram);
constexpr int kMul = static_cast<int>(EnergyClass::kMulMacSimd);
constexpr int kLoadStore = static_cast<int>(EnergyClass::kLoadStore);

PowerParameters params() {
  PowerParameters p;
  p.vdd_v = 3.0;
  p.i_static_ma = 1.0;
  p.q_base_pc_per_cycle[kFlash] = 50;
  p.q_base_pc_per_cycle[kSram] = 40;
  p.dq_class_pc[kMul] = 10;
  p.dq_class_pc[kLoadStore] = 5;
  p.q_flash_line_pc = 20;
  p.q_cache_hit_pc = 2;
  p.q_cache_miss_pc = 30;
  p.q_stall_pc_per_cycle = -10;
  p.sleep_current_ua = 2;
  return p;
}

// 1 s active at 64 MHz (half from flash, half from SRAM) and 1 s asleep.
EventCounts counts() {
  EventCounts c;
  c.cycles_by_source[kFlash] = 32'000'000;
  c.cycles_by_source[kSram] = 32'000'000;
  c.instructions_by_class[kMul] = 1'000'000;
  c.instructions_by_class[kLoadStore] = 2'000'000;
  c.flash_line_reads = 1'000'000;
  c.cache_hits = 5'000'000;
  c.cache_misses = 100'000;
  c.stall_cycles = 1'000'000;
  c.sleep_cycles = 64'000'000;
  return c;
}

TEST(EnergyModelTest, EveryTermByHand) {
  const EnergyModel model(params(), 64e6);
  const EnergyBreakdown e = model.energy(counts());
  // 3 V x 1 mA x 1 s = 3 mJ.
  EXPECT_DOUBLE_EQ(e.static_uj, 3000);
  // 3 V x (50 pC x 32e6 + 40 pC x 32e6) = 3 V x 2.88e9 pC = 8.64e9 pJ.
  EXPECT_DOUBLE_EQ(e.base_uj, 8640);
  // 3 V x (10 pC x 1e6 + 5 pC x 2e6) = 6e7 pJ.
  EXPECT_DOUBLE_EQ(e.class_uj, 60);
  // 3 V x (20 x 1e6 + 2 x 5e6 + 30 x 1e5) pC = 9.9e7 pJ.
  EXPECT_DOUBLE_EQ(e.memory_uj, 99);
  // 3 V x -10 pC x 1e6.
  EXPECT_DOUBLE_EQ(e.stall_uj, -30);
  // 3 V x 2 uA x 1 s.
  EXPECT_DOUBLE_EQ(e.sleep_uj, 6);
  EXPECT_DOUBLE_EQ(e.total_uj(), 11775);
  EXPECT_DOUBLE_EQ(model.seconds(counts()), 2.0);
  EXPECT_DOUBLE_EQ(model.average_power_mw(counts()), 5.8875);
  EXPECT_DOUBLE_EQ(model.average_current_ma(counts()), 1.9625);
}

TEST(EnergyModelTest, LinearInTheCounts) {
  const EnergyModel model(params(), 64e6);
  EventCounts a;
  a.cycles_by_source[kFlash] = 12'345;
  a.instructions_by_class[kMul] = 1'000;
  a.flash_line_reads = 77;
  a.stall_cycles = 300;
  EventCounts b = counts();
  b -= a;
  EXPECT_EQ(a + b, counts());
  EXPECT_NEAR(model.energy_uj(a) + model.energy_uj(b), model.energy_uj(counts()), 1e-9);
}

TEST(EnergyModelTest, NoTimeNoPower) {
  const EnergyModel model(params(), 64e6);
  EXPECT_EQ(model.energy_uj(EventCounts{}), 0);
  EXPECT_EQ(model.average_power_mw(EventCounts{}), 0);
}

TEST(EnergyModelTest, ClockChangesTimeNotCharge) {
  // The same counts at half the clock take twice as long: the per-cycle charges are the same,
  // the static and sleep terms double.
  const EnergyBreakdown fast = EnergyModel(params(), 64e6).energy(counts());
  const EnergyBreakdown slow = EnergyModel(params(), 32e6).energy(counts());
  EXPECT_DOUBLE_EQ(slow.base_uj, fast.base_uj);
  EXPECT_DOUBLE_EQ(slow.static_uj, 2 * fast.static_uj);
  EXPECT_DOUBLE_EQ(slow.sleep_uj, 2 * fast.sleep_uj);
}

TEST(EventCountsTest, ClassesOfTimingClasses) {
  using cpu_models::InsnClass;
  EXPECT_EQ(energy_class_of(InsnClass::kMulAcc), EnergyClass::kMulMacSimd);
  EXPECT_EQ(energy_class_of(InsnClass::kDsp), EnergyClass::kMulMacSimd);
  EXPECT_EQ(energy_class_of(InsnClass::kLoadMultiplePc), EnergyClass::kLoadStore);
  EXPECT_EQ(energy_class_of(InsnClass::kFpLoad), EnergyClass::kLoadStore);
  EXPECT_EQ(energy_class_of(InsnClass::kFpMac), EnergyClass::kFpu);
  EXPECT_EQ(energy_class_of(InsnClass::kBranchCond), EnergyClass::kBranch);
  EXPECT_EQ(energy_class_of(InsnClass::kAluBitfield), EnergyClass::kAlu);
  EXPECT_EQ(energy_class_of(InsnClass::kSleep), EnergyClass::kOther);
  EXPECT_STREQ(energy_class_name(EnergyClass::kMulMacSimd), "mul-mac-simd");
  EXPECT_STREQ(fetch_source_name(FetchSource::kXip), "xip");
}

TEST(EventCountsTest, Totals) {
  const EventCounts c = counts();
  EXPECT_EQ(c.active_cycles(), 64'000'000u);
  EXPECT_EQ(c.total_cycles(), 128'000'000u);
  EXPECT_EQ(c.instructions(), 3'000'000u);
}

}  // namespace
}  // namespace tinysim::power_models
