// Battery arithmetic against hand-computed values.
#include "power_models/battery.h"

#include <gtest/gtest.h>

namespace tinysim::power_models {
namespace {

TEST(BatteryTest, Named) {
  const auto cr = battery_named("cr2032");
  ASSERT_TRUE(cr);
  EXPECT_EQ(cr->capacity_mah, 225);
  EXPECT_EQ(cr->voltage_v, 3.0);
  EXPECT_DOUBLE_EQ(cr->energy_j(), 2430);  // 225 mAh x 3.6 C/mAh x 3 V
  const auto aa = battery_named("2xaa");
  ASSERT_TRUE(aa);
  EXPECT_EQ(aa->capacity_mah, 2500);
  const auto lipo = battery_named("lipo:500");
  ASSERT_TRUE(lipo);
  EXPECT_EQ(lipo->capacity_mah, 500);
  EXPECT_EQ(lipo->voltage_v, 3.7);
  EXPECT_EQ(lipo->name, "lipo-500mah");
  ASSERT_TRUE(battery_named("lipo-1000mah"));
  EXPECT_EQ(battery_named("lipo-1000mah")->capacity_mah, 1000);
  EXPECT_FALSE(battery_named("aaa"));
  EXPECT_FALSE(battery_named("lipo:"));
  EXPECT_FALSE(battery_named("lipo:-5"));
}

TEST(BatteryTest, Rates) {
  EXPECT_EQ(parse_rate_per_second("1/s"), 1.0);
  EXPECT_EQ(parse_rate_per_second("2/min"), 2.0 / 60);
  EXPECT_EQ(parse_rate_per_second("10/h"), 10.0 / 3600);
  EXPECT_EQ(parse_rate_per_second("0.5/day"), 0.5 / 86400);
  EXPECT_FALSE(parse_rate_per_second("0/s"));
  EXPECT_FALSE(parse_rate_per_second("x/s"));
  EXPECT_FALSE(parse_rate_per_second("1/week"));
  EXPECT_FALSE(parse_rate_per_second("5"));
}

TEST(BatteryTest, DutyCycleByHand) {
  // 100 uJ per 0.1 s inference, once a second, 3 uW asleep for the other 0.9 s:
  // 100 + 0.003 mW x 0.9 s = 102.7 uJ per period.
  DutyCycle duty;
  duty.inferences_per_second = 1;
  duty.sleep_power_mw = 0.003;
  const BatteryEstimate e = estimate_battery(*battery_named("cr2032"), 100, 0.1, duty);
  EXPECT_TRUE(e.feasible);
  EXPECT_DOUBLE_EQ(e.period_s, 1);
  EXPECT_DOUBLE_EQ(e.energy_per_period_uj, 102.7);
  EXPECT_DOUBLE_EQ(e.average_power_mw, 0.1027);
  EXPECT_NEAR(e.inferences_per_charge, 23661148.9776, 1e-3);  // 2430 J / 102.7 uJ
  EXPECT_NEAR(e.life_days, 273.85589, 1e-4);
}

TEST(BatteryTest, WakeupEnergyCounts) {
  DutyCycle duty;
  duty.inferences_per_second = 2;
  duty.wakeup_energy_uj = 5;
  const BatteryEstimate e = estimate_battery(*battery_named("2xaa"), 10, 0.1, duty);
  EXPECT_DOUBLE_EQ(e.energy_per_period_uj, 15);
  EXPECT_DOUBLE_EQ(e.average_power_mw, 0.03);  // 15 uJ per 0.5 s
}

TEST(BatteryTest, InferenceLongerThanThePeriod) {
  DutyCycle duty;
  duty.inferences_per_second = 1;
  duty.sleep_power_mw = 1;
  const BatteryEstimate e = estimate_battery(*battery_named("cr2032"), 1000, 2.0, duty);
  EXPECT_FALSE(e.feasible);
  EXPECT_DOUBLE_EQ(e.energy_per_period_uj, 1000);  // never sleeps
  EXPECT_DOUBLE_EQ(e.average_power_mw, 0.5);       // back to back: 1000 uJ per 2 s
}

}  // namespace
}  // namespace tinysim::power_models
