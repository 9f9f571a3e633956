// Calibration fits against hand-solved linear equations.
#include "power_models/calibration.h"

#include <gtest/gtest.h>

namespace tinysim::power_models {
namespace {

constexpr int kFlash = static_cast<int>(FetchSource::kFlash);
constexpr int kSram = static_cast<int>(FetchSource::kSram);
constexpr int kAlu = static_cast<int>(EnergyClass::kAlu);
constexpr int kMul = static_cast<int>(EnergyClass::kMulMacSimd);
constexpr int kLoadStore = static_cast<int>(EnergyClass::kLoadStore);

CalibrationPoint point(FetchSource source, double mhz, double ma) {
  CalibrationPoint p;
  p.label = "test";
  p.clock_hz = mhz * 1e6;
  p.current_ma = ma;
  p.source = source;
  p.counts.cycles_by_source[static_cast<int>(source)] = 1'000'000;
  p.counts.instructions_by_class[kAlu] = 500'000;
  p.counts.instructions_by_class[kMul] = 100'000;
  p.counts.instructions_by_class[kLoadStore] = 200'000;
  return p;
}

TEST(CalibrationTest, OnePointGivesTheBaseCharge) {
  // Weighted cycles: 1e6 + 0.15 x 1e5 + 0.10 x 2e5 = 1.035e6 per 1e6 cycles, so
  // 3.3 mA = q x 64 MHz x 1.035 -> q = 3.3 / 0.06624 pC/cycle.
  PowerParameters p;
  const CalibrationPoint pts[] = {point(FetchSource::kFlash, 64, 3.3)};
  ASSERT_EQ(fit_base(p, FetchSource::kFlash, pts, FitOptions{}), std::nullopt);
  EXPECT_NEAR(p.q_base_pc_per_cycle[kFlash], 49.8188405797, 1e-9);
  EXPECT_NEAR(p.dq_class_pc[kMul], 0.15 * 49.8188405797, 1e-9);
  EXPECT_NEAR(p.dq_class_pc[kLoadStore], 0.10 * 49.8188405797, 1e-9);
  EXPECT_EQ(p.dq_class_pc[kAlu], 0);
  EXPECT_EQ(p.i_static_ma, 0);
  EXPECT_NEAR(predicted_current_ma(p, pts[0]), 3.3, 1e-12);
  EXPECT_NEAR(relative_error(p, pts[0]), 0, 1e-12);
}

TEST(CalibrationTest, TwoClocksGiveStaticAndBase) {
  // 1.0 mA at 16 MHz and 3.4 mA at 64 MHz: q = 2.4 / (1.035 x 48e-3), I_static = 0.2 mA.
  PowerParameters p;
  const CalibrationPoint pts[] = {point(FetchSource::kFlash, 16, 1.0),
                                  point(FetchSource::kFlash, 64, 3.4)};
  FitOptions o;
  o.fit_static = true;
  ASSERT_EQ(fit_base(p, FetchSource::kFlash, pts, o), std::nullopt);
  EXPECT_NEAR(p.q_base_pc_per_cycle[kFlash], 48.3091787439, 1e-9);
  EXPECT_NEAR(p.i_static_ma, 0.2, 1e-12);
  EXPECT_NEAR(predicted_current_ma(p, pts[0]), 1.0, 1e-12);
  EXPECT_NEAR(predicted_current_ma(p, pts[1]), 3.4, 1e-12);
}

TEST(CalibrationTest, AcceleratorOnAndOffGiveTheChargePerFlashLine) {
  // The two-clock points above plus the same with 200,000 flash line reads per 1e6 cycles (an
  // accelerator off): at 10 pC per line they draw 2e5 x 10 pC x f / 1e6 cycles more, 0.032 mA
  // at 16 MHz and 0.128 mA at 64 MHz. Four figures, three unknowns, consistent: exact.
  PowerParameters p;
  CalibrationPoint pts[] = {
      point(FetchSource::kFlash, 16, 1.0), point(FetchSource::kFlash, 64, 3.4),
      point(FetchSource::kFlash, 16, 1.032), point(FetchSource::kFlash, 64, 3.528)};
  pts[2].counts.flash_line_reads = 200'000;
  pts[3].counts.flash_line_reads = 200'000;
  FitOptions o;
  o.fit_static = true;
  o.fit_flash_line = true;
  ASSERT_EQ(fit_base(p, FetchSource::kFlash, pts, o), std::nullopt);
  EXPECT_NEAR(p.q_base_pc_per_cycle[kFlash], 48.3091787439, 1e-9);
  EXPECT_NEAR(p.i_static_ma, 0.2, 1e-12);
  EXPECT_NEAR(p.q_flash_line_pc, 10.0, 1e-9);
  EXPECT_NEAR(p.dq_class_pc[kMul], 0.15 * 48.3091787439, 1e-9);
  for (const CalibrationPoint& pt : pts) EXPECT_NEAR(relative_error(p, pt), 0, 1e-12);

  // The static current given, one clock: the on/off pair alone gives q_base and q_flash_line.
  PowerParameters q;
  q.i_static_ma = 0.2;
  FitOptions one_clock;
  one_clock.fit_flash_line = true;
  const CalibrationPoint pair[] = {pts[1], pts[3]};
  ASSERT_EQ(fit_base(q, FetchSource::kFlash, pair, one_clock), std::nullopt);
  EXPECT_NEAR(q.q_base_pc_per_cycle[kFlash], 48.3091787439, 1e-9);
  EXPECT_NEAR(q.q_flash_line_pc, 10.0, 1e-9);
  EXPECT_EQ(q.i_static_ma, 0.2);
}

TEST(CalibrationTest, FlashLineFitProblems) {
  PowerParameters p;
  FitOptions o;
  o.fit_flash_line = true;
  const CalibrationPoint one[] = {point(FetchSource::kFlash, 64, 3.4)};
  EXPECT_EQ(fit_base(p, FetchSource::kFlash, one, o),
            "fitting 2 unknowns needs 2 or more figures, got 1");
  // No flash line reads in either figure: q_flash_line is not determined.
  const CalibrationPoint no_lines[] = {point(FetchSource::kFlash, 16, 1.0),
                                       point(FetchSource::kFlash, 64, 3.4)};
  EXPECT_EQ(fit_base(p, FetchSource::kFlash, no_lines, o),
            "the 2 figures do not determine the 2 unknowns (the same clock and flash line reads "
            "per cycle twice?)");
}

TEST(CalibrationTest, SecondSourceKeepsTheClassDeltas) {
  PowerParameters p;
  const CalibrationPoint flash[] = {point(FetchSource::kFlash, 16, 1.0),
                                    point(FetchSource::kFlash, 64, 3.4)};
  FitOptions o;
  o.fit_static = true;
  ASSERT_EQ(fit_base(p, FetchSource::kFlash, flash, o), std::nullopt);
  const auto deltas = p.dq_class_pc;
  // 2.5 mA from SRAM at 64 MHz: (2.5 - 0.2) mA / 6.4e-8 mA per pC/s-of-cycles = 35,937,500 pC
  // per 1e6 cycles, less the class deltas 48.309 x 35,000 pC.
  const CalibrationPoint sram[] = {point(FetchSource::kSram, 64, 2.5)};
  FitOptions keep;
  keep.tie_class_deltas = false;
  ASSERT_EQ(fit_base(p, FetchSource::kSram, sram, keep), std::nullopt);
  EXPECT_NEAR(p.q_base_pc_per_cycle[kSram], 34.2466787440, 1e-9);
  EXPECT_EQ(p.dq_class_pc, deltas);
  EXPECT_NEAR(p.i_static_ma, 0.2, 1e-12);
  EXPECT_NEAR(predicted_current_ma(p, sram[0]), 2.5, 1e-12);
  EXPECT_NEAR(predicted_current_ma(p, flash[1]), 3.4, 1e-12);  // untouched
}

TEST(CalibrationTest, Problems) {
  PowerParameters p;
  EXPECT_EQ(fit_base(p, FetchSource::kFlash, {}, FitOptions{}), "no calibration points");
  const CalibrationPoint sram[] = {point(FetchSource::kSram, 64, 2.5)};
  EXPECT_EQ(fit_base(p, FetchSource::kFlash, sram, FitOptions{}),
            "point 'test' is for sram code, not flash");
  FitOptions o;
  o.fit_static = true;
  const CalibrationPoint same[] = {point(FetchSource::kFlash, 64, 3.3),
                                   point(FetchSource::kFlash, 64, 3.4)};
  EXPECT_EQ(fit_base(p, FetchSource::kFlash, same, o),
            "fitting the static current needs figures at two different clocks");
  // Current falling with the clock: a negative base charge.
  const CalibrationPoint falling[] = {point(FetchSource::kFlash, 16, 3.0),
                                      point(FetchSource::kFlash, 64, 1.0)};
  EXPECT_TRUE(fit_base(p, FetchSource::kFlash, falling, o).has_value());
}

}  // namespace
}  // namespace tinysim::power_models
