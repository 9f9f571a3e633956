// Sanity of the energy model on catalog boards, against what their datasheets show:
//  - running the same code from SRAM instead of flash changes the average current in the
//    direction of the datasheet's "from SRAM" vs "from flash" columns;
//  - the same work costs less energy at the most efficient operating point than at the maximum
//    clock, where the datasheet's current per MHz says so;
//  - a profile's operators and the rest add up to the run's energy.
#include <gtest/gtest.h>

#include <cmath>

#include "calibration_run.h"
#include "power_models/energy_model.h"
#include "profiler/energy.h"

namespace tinysim {
namespace {

using testing::board_at;
using testing::workload_counts;

power_models::EnergyModel model_for(const sim::Board& board) {
  std::string why;
  auto e = profiler::board_energy(board, &why);
  if (!e) throw std::runtime_error(why);
  return power_models::EnergyModel(e->params, double(board.clock_hz));
}

// The datasheet's current for code in `code` at the board's clock and range (peripherals off).
double datasheet_ma(const sim::Board& board, const std::string& code, double vdd_v,
                    const std::string& table) {
  for (const sim::RunCurrent& r : board.power.run) {
    if (r.code == code && std::fabs(r.clock_mhz * 1e6 - double(board.clock_hz)) < 1 &&
        r.peripherals != "on" && r.vdd_v == vdd_v &&
        r.source.document.find(table) != std::string::npos) {
      return r.current_ma;
    }
  }
  throw std::runtime_error("no datasheet figure for " + code + " on " + board.name);
}

struct SramCase {
  const char* board;
  double clock_mhz;
  const char* range;
  double vdd_v;
  const char* flash_table;
  const char* sram_table;
  // The calibration firmware's mode that reproduces the flash figure's condition ("flash-art":
  // STM32F4 ART on, prefetch off, as DS10314 Table 23 states).
  const char* flash_mode;
};

TEST(EnergySanityTest, SramExecutionMovesPowerLikeTheDatasheet) {
  for (const SramCase& c :
       {SramCase{"nucleo-f411re", 64, "scale3", 3.6, "Table 23", "Table 21", "flash-art"},
        SramCase{"nucleo-f411re", 100, "scale1", 3.6, "Table 23", "Table 21", "flash-art"},
        SramCase{"nrf5340-dk", 64, "", 3.0, "ICPU0_FLASH", "ICPU0_RAM", "flash"}}) {
    SCOPED_TRACE(c.board);
    const sim::Board board = board_at(c.board, c.clock_mhz, c.range);
    const auto model = model_for(board);
    const double flash_ma = model.average_current_ma(workload_counts(board, c.flash_mode));
    const double sram_ma = model.average_current_ma(workload_counts(board, "sram"));
    const double ds_flash = datasheet_ma(board, "flash", c.vdd_v, c.flash_table);
    const double ds_sram = datasheet_ma(board, "sram", c.vdd_v, c.sram_table);
    ASSERT_NE(ds_flash, ds_sram);
    EXPECT_EQ(sram_ma > flash_ma, ds_sram > ds_flash)
        << "model " << flash_ma << " -> " << sram_ma << " mA, datasheet " << ds_flash << " -> "
        << ds_sram << " mA";
  }
}

TEST(EnergySanityTest, EfficientOperatingPointCostsLessPerWorkThanMaximumClock) {
  // STM32F411 (DS10314 Table 23): 6.7 mA at 64 MHz in scale 3 (105 uA/MHz) vs 11.6 mA at
  // 100 MHz in scale 1 (116 uA/MHz): the same work costs less at 64 MHz, scale 3. Simulated
  // as that table states (ART on, prefetch off: the firmware's "flash-art" mode).
  const sim::Board fast = board_at("nucleo-f411re", 100, "scale1");
  const sim::Board efficient = board_at("nucleo-f411re", 64, "scale3");
  const double fast_uj = model_for(fast).energy_uj(workload_counts(fast, "flash-art"));
  const double efficient_uj =
      model_for(efficient).energy_uj(workload_counts(efficient, "flash-art"));
  EXPECT_LT(efficient_uj, fast_uj);
}

}  // namespace
}  // namespace tinysim
