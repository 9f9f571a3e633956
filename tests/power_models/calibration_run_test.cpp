// Calibration of the energy model against datasheet run currents, reproduced: for every
// calibrated board, the calibration firmware is simulated at each datasheet figure's condition,
// the model is fitted (power_models/calibration.h), and
//  - the coefficients in the catalog (power.model[]) must equal the fit (drift check);
//  - the catalog's model must predict every figure it was fitted to within 5 %;
//  - figures NOT used for the fit (another clock, another supply voltage, another flash
//    accelerator setting) are predicted with the errors pinned below (the README's table).
// On the STM32F411 the firmware sets FLASH_ACR as each table states, and the ART-on and ART-off
// figures together fit the charge per flash line read (power.model[].q_flash_line_pc).
// Run with TINYSIM_PRINT_CALIBRATION=1 to print the fitted power.model[] TOML and the README
// rows (this is how the catalog entries were produced).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "calibration_run.h"
#include "power_models/calibration.h"
#include "profiler/energy.h"
#include "sim/board.h"

namespace tinysim {
namespace {

using power_models::CalibrationPoint;
using power_models::FetchSource;
using testing::board_at;
using testing::workload_counts;

// A datasheet figure of the catalog: code location, clock, VDD and a substring of its source
// (the table), peripherals not "on"; and the calibration firmware's mode that reproduces its
// workload ("": the CoreMark-like kernel from `code`; "idle": the while(1)-like loop from flash;
// STM32F4 only, the kernel from flash with FLASH_ACR set by the firmware: "flash-art" ART on and
// prefetch off, "flash-art-off" ART and prefetch off, "flash-art-prefetch" both on).
struct FigureRef {
  std::string code;
  double clock_mhz;
  double vdd_v;
  std::string table;
  std::string mode = "";
};

struct RangeSpec {
  std::string range;
  std::vector<FigureRef> flash_fit;
  std::vector<FigureRef> sram_fit;
  std::string static_from = "";  // fit_static == false: take I_static from this range's fit
  bool fit_static = false;       // flash_fit has two or more clocks
  // Fit the charge per flash line read too: flash_fit has figures with the accelerator on and
  // off (different flash line reads per cycle).
  bool fit_flash_line = false;
};

struct HeldOut {
  FigureRef figure;
  std::string range;
  // Pinned (predicted - datasheet) / datasheet, +-1 point. At 16 MHz the model over-predicts by
  // a third: the fit (20-64 MHz) carries a static current the 16 MHz figure does not show
  // (probably the PLL, which a 16 MHz HSI clock does not need; not modelled). Likewise the
  // STM32F407 at 25 MHz, where DS8626 Table 20's note says the PLL is off.
  double expected_error;
};

struct BoardSpec {
  std::string board;
  std::string document;  // for the source line
  std::vector<RangeSpec> ranges;
  std::vector<HeldOut> held_out;
};

// The calibrated boards. Fit figures: the datasheet's typical run current with peripherals off,
// code from flash (accelerator as the table states) and from SRAM.
const std::vector<BoardSpec>& specs() {
  static const std::vector<BoardSpec> s = {
      // STM32F411: the flash figures are fitted with the firmware setting FLASH_ACR as each table
      // states (Table 23: ART on, prefetch off; Table 24: ART off), which fits the charge per
      // flash line read besides I_static and q_flash; Table 25 (ART + prefetch) is held out.
      {"nucleo-f411re",
       "DS10314 Rev 8",
       {
           {"scale3",
            {{"flash", 64, 3.6, "Table 23", "flash-art"},
             {"flash", 20, 3.6, "Table 23", "flash-art"},
             {"flash", 64, 3.6, "Table 24", "flash-art-off"},
             {"flash", 20, 3.6, "Table 24", "flash-art-off"}},
            {{"sram", 64, 3.6, "Table 21"}},
            "",
            true,
            true},
           {"scale2",
            {{"flash", 84, 3.6, "Table 23", "flash-art"},
             {"flash", 84, 3.6, "Table 24", "flash-art-off"}},
            {{"sram", 84, 3.6, "Table 21"}},
            "scale3",
            false,
            true},
           {"scale1",
            {{"flash", 100, 3.6, "Table 23", "flash-art"},
             {"flash", 100, 3.6, "Table 24", "flash-art-off"}},
            {{"sram", 100, 3.6, "Table 21"}},
            "scale3",
            false,
            true},
       },
       {
           {{"flash", 50, 3.6, "Table 23", "flash-art"}, "scale3", +0.017},
           {{"flash", 16, 3.6, "Table 23", "flash-art"}, "scale3", +0.353},
           {{"flash", 50, 3.6, "Table 24", "flash-art-off"}, "scale3", -0.043},
           // ART + prefetch (Table 25): the prefetcher reads the next flash line on every line
           // access, cache hit or not, so the held-out prediction tests the fitted charge per line
           // read on a different read pattern (39991 prefetch reads per ~200,000 cycles, vs 49711
           // demand reads with stalls with the ART off). Within 10 %, low at 20-64 MHz, high at
           // 100 MHz.
           {{"flash", 100, 3.6, "Table 25", "flash-art-prefetch"}, "scale1", +0.056},
           {{"flash", 84, 3.6, "Table 25", "flash-art-prefetch"}, "scale2", +0.033},
           {{"flash", 64, 3.6, "Table 25", "flash-art-prefetch"}, "scale3", -0.068},
           {{"flash", 50, 3.6, "Table 25", "flash-art-prefetch"}, "scale3", -0.076},
           {{"flash", 20, 3.6, "Table 25", "flash-art-prefetch"}, "scale3", -0.098},
           {{"sram", 50, 3.6, "Table 21"}, "scale3", +0.024},
           {{"sram", 20, 3.6, "Table 21"}, "scale3", +0.119},
           {{"sram", 16, 3.6, "Table 21"}, "scale3", +0.445},
           {{"flash", 100, 1.7, "Table 22", "flash-art"}, "scale1", +0.036},
           {{"flash", 64, 1.7, "Table 22", "flash-art"}, "scale3", +0.046},
           {{"sram", 100, 1.7, "Table 20"}, "scale1", +0.024},
       }},
      {"stm32f407g-disc1",
       "DS8626 Rev 12",
       {
           {"scale2",
            {{"flash", 144, 3.3, "Table 20"},
             {"flash", 120, 3.3, "Table 20"},
             {"flash", 90, 3.3, "Table 20"},
             {"flash", 60, 3.3, "Table 20"}},
            {},
            "",
            true},
           {"scale1", {{"flash", 168, 3.3, "Table 20"}}, {}, "scale2"},
       },
       {
           {{"flash", 30, 3.3, "Table 20"}, "scale2", -0.020},
           {{"flash", 25, 3.3, "Table 20"}, "scale2", +0.137},
           {{"sram", 168, 3.3, "Table 20"}, "scale1", +0.007},
           {{"sram", 90, 3.3, "Table 20"}, "scale2", +0.002},
           {{"sram", 30, 3.3, "Table 20"}, "scale2", -0.020},
       }},
      {"nrf5340-dk",
       "nRF5340 Product Specification",
       {
           {"", {{"flash", 64, 3.0, "ICPU0_FLASH"}}, {{"sram", 64, 3.0, "ICPU0_RAM"}}},
       },
       {}},
      // STM32F103: the typical Table 17 figures (25 C, 3.3 V, peripherals off) at one clock per
      // wait-state setting (24 / 48 / 72 MHz: 0 / 1 / 2 WS) fit I_static and q_flash; the other
      // clocks are held out (8 MHz runs from the external clock without the PLL). The datasheet
      // has no typical code-in-RAM figure, so q_sram is not calibrated (charged as flash). The
      // Table 13/14 maximums (85 C, VDD max) are not used: a maximum over process and 85 C
      // leakage is not the typical current the model predicts, and fitting or scoring against
      // it would mix the two.
      {"bluepill-f103c8",
       "DS5319 Rev 20",
       {
           {"",
            {{"flash", 72, 3.3, "Table 17"},
             {"flash", 48, 3.3, "Table 17"},
             {"flash", 24, 3.3, "Table 17"}},
            {},
            "",
            true},
       },
       {
           {{"flash", 36, 3.3, "Table 17"}, "", -0.031},
           {{"flash", 16, 3.3, "Table 17"}, "", -0.017},
           {{"flash", 8, 3.3, "Table 17"}, "", -0.035},
       }},
      // SAM D21: the only figures are "CPU running a While(1) algorithm" at 48 MHz, reproduced by
      // the firmware's idle loop from flash. 3.3 V (1 WS, the board's supply) calibrates q_flash
      // (one clock: no static current); 1.8 V (3 WS) is held out. The catalog has no wait-state
      // table below 2.7 V, so the held-out run uses the 3.3 V counts (1 WS): the model's current
      // for this loop does not depend on the wait states (every cycle, stalled or not, is
      // charged q_flash, and the stall and flash-line coefficients are 0; the loop's SUBS/CMP/BNE
      // are ALU and branch instructions, which have no class delta), so the comparison tests the
      // model's assumption that the current does not depend on VDD behind the internal regulator.
      {"arduino-zero",
       "SAM D21/DA1 data sheet",
       {
           {"", {{"flash", 48, 3.3, "section 37.7", "idle"}}, {}},
       },
       {
           {{"flash", 48, 1.8, "section 37.7", "idle"}, "", +0.003},
       }},
  };
  return s;
}

const sim::RunCurrent& find_figure(const sim::Board& board, const FigureRef& f) {
  for (const sim::RunCurrent& r : board.power.run) {
    if (r.code == f.code && std::fabs(r.clock_mhz - f.clock_mhz) < 1e-6 &&
        std::fabs(r.vdd_v - f.vdd_v) < 1e-6 && r.peripherals != "on" &&
        r.source.document.find(f.table) != std::string::npos) {
      return r;
    }
  }
  throw std::runtime_error(fmt::format("{}: no power.run figure {} {} MHz {} V '{}'", board.name,
                                       f.code, f.clock_mhz, f.vdd_v, f.table));
}

// How a mode reproduces its figure, for the labels: "" for the plain kernel.
std::string mode_label(const std::string& mode) {
  if (mode == "idle") return " while(1)";
  if (mode == "flash-art") return " ART on, prefetch off";
  if (mode == "flash-art-off") return " ART off";
  if (mode == "flash-art-prefetch") return " ART + prefetch on";
  return "";
}

CalibrationPoint point_for(const std::string& board_name, const FigureRef& f,
                           const std::string& range) {
  const sim::Board board = board_at(board_name, f.clock_mhz, range);
  const sim::RunCurrent& r = find_figure(board, f);
  CalibrationPoint p;
  p.label = fmt::format("{} {:g} MHz {}{} {:g} V", f.table, f.clock_mhz, f.code, mode_label(f.mode),
                        f.vdd_v);
  p.clock_hz = f.clock_mhz * 1e6;
  p.current_ma = r.current_ma;
  p.source = f.code == "sram" ? FetchSource::kSram : FetchSource::kFlash;
  p.counts = workload_counts(board, f.mode.empty() ? f.code : f.mode);
  return p;
}

struct Fitted {
  power_models::PowerParameters params;
  std::vector<CalibrationPoint> points;
  std::string calibration;
};

// "Table 23/Table 24": the distinct tables of `refs`, in order.
std::string tables(const std::vector<FigureRef>& refs) {
  std::string s;
  for (const FigureRef& f : refs) {
    if (s.find(f.table) == std::string::npos) s += (s.empty() ? "" : "/") + f.table;
  }
  return s;
}

// Fits every range of a board, in order (a range's static current may come from an earlier one).
std::map<std::string, Fitted> fit_board(const BoardSpec& spec) {
  std::map<std::string, Fitted> out;
  for (const RangeSpec& r : spec.ranges) {
    Fitted f;
    f.params.vdd_v = r.flash_fit.front().vdd_v;
    f.params.range = r.range;
    f.params.regulator = find_figure(board_at(spec.board, r.flash_fit.front().clock_mhz, r.range),
                                     r.flash_fit.front())
                             .regulator;
    std::vector<CalibrationPoint> flash, sram;
    for (const FigureRef& ref : r.flash_fit) flash.push_back(point_for(spec.board, ref, r.range));
    for (const FigureRef& ref : r.sram_fit) sram.push_back(point_for(spec.board, ref, r.range));
    power_models::FitOptions o;
    o.fit_static = r.fit_static;
    o.fit_flash_line = r.fit_flash_line;
    if (!r.fit_static && !r.static_from.empty())
      f.params.i_static_ma = out.at(r.static_from).params.i_static_ma;
    if (auto e = power_models::fit_base(f.params, FetchSource::kFlash, flash, o))
      throw std::runtime_error(*e);
    if (!sram.empty()) {
      power_models::FitOptions keep;
      keep.tie_class_deltas = false;
      if (auto e = power_models::fit_base(f.params, FetchSource::kSram, sram, keep))
        throw std::runtime_error(*e);
    }
    auto describe = [&](const std::vector<CalibrationPoint>& pts, const char* where) {
      std::string s;
      const FigureRef* refs = pts.data() == flash.data() ? r.flash_fit.data() : r.sram_fit.data();
      for (size_t i = 0; i < pts.size(); ++i) {
        const std::string& m = refs[i].mode;
        s += fmt::format("{}{:g} MHz{}", s.empty() ? "" : " and ", pts[i].clock_hz / 1e6,
                         m.rfind("flash-art", 0) == 0 ? " (" + mode_label(m).substr(1) + ")" : "");
      }
      const bool idle = r.flash_fit.front().mode == "idle";
      return fmt::format("{}from {} at {}", idle ? "idle loop (while(1)) " : "", where, s);
    };
    f.calibration = fmt::format(
        "tinysim calibration run: calibration-coremark-like {}{}, fitted to {} {} figures{}",
        describe(flash, "flash"), sram.empty() ? "" : "; " + describe(sram, "SRAM"), spec.document,
        tables(r.flash_fit) + (sram.empty() ? "" : "/" + r.sram_fit.front().table),
        r.fit_static
            ? ""
            : (r.static_from.empty() ? " (no static current)"
                                     : fmt::format(" (static current of {})", r.static_from)));
    f.points = flash;
    f.points.insert(f.points.end(), sram.begin(), sram.end());
    out.emplace(r.range, std::move(f));
  }
  return out;
}

bool printing() {
  return std::getenv("TINYSIM_PRINT_CALIBRATION") != nullptr;
}

void print_toml(const BoardSpec& spec, const std::map<std::string, Fitted>& fits) {
  const std::string weights = power_models::literature_class_weights().source;
  auto estimated = [&](double value) {
    return fmt::format("{{ value = {:.3f}, estimate = true, note = \"{}\" }}", value, weights);
  };
  std::cout << "# ---- " << spec.board << " ----\n";
  for (const RangeSpec& r : spec.ranges) {
    const Fitted& f = fits.at(r.range);
    const auto& p = f.params;
    std::cout << "[[power.model]]\n"
              << fmt::format(
                     "source = \"tinysim calibration run (tests/power_models/"
                     "calibration_run_test.cpp) against {}\"\n",
                     spec.document)
              << fmt::format("range = \"{}\"\nvdd_v = {:g}\nregulator = \"{}\"\n", r.range, p.vdd_v,
                             p.regulator)
              << fmt::format("calibration = \"{}\"\n", f.calibration)
              << fmt::format("i_static_ma = {:.4f}\n", p.i_static_ma)
              << fmt::format("q_flash_pc = {:.3f}\n", p.q_base_pc_per_cycle[0])
              << fmt::format("q_sram_pc = {:.3f}\n", p.q_base_pc_per_cycle[1])
              << (r.fit_flash_line ? fmt::format("q_flash_line_pc = {:.3f}\n", p.q_flash_line_pc)
                                   : "")
              << "dq_mul_mac_simd_pc = " << estimated(p.dq_class_pc[1]) << "\n"
              << "dq_load_store_pc = " << estimated(p.dq_class_pc[2]) << "\n"
              << "dq_fpu_pc = " << estimated(p.dq_class_pc[4]) << "\n\n";
  }
}

// The catalog's model for `board_name` at a figure's condition, as every profile uses it.
power_models::PowerParameters catalog_params(const std::string& board_name, double clock_mhz,
                                             const std::string& range) {
  const sim::Board board = board_at(board_name, clock_mhz, range);
  std::string why;
  auto e = profiler::board_energy(board, &why);
  if (!e) throw std::runtime_error(why);
  return e->params;
}

TEST(CalibrationRunTest, CatalogMatchesTheFitAndEveryCalibratedFigureWithin5Percent) {
  for (const BoardSpec& spec : specs()) {
    SCOPED_TRACE(spec.board);
    const auto fits = fit_board(spec);
    if (printing()) print_toml(spec, fits);
    for (const RangeSpec& r : spec.ranges) {
      SCOPED_TRACE(r.range);
      const Fitted& f = fits.at(r.range);
      const auto stored = catalog_params(spec.board, r.flash_fit.front().clock_mhz, r.range);
      EXPECT_EQ(stored.range, r.range) << "no power.model entry for this range";
      EXPECT_FALSE(stored.estimate);
      auto near = [](double a, double b) {
        return std::fabs(a - b) <= 0.002 * std::fabs(b) + 1e-4;
      };
      EXPECT_TRUE(near(stored.i_static_ma, f.params.i_static_ma))
          << stored.i_static_ma << " vs fit " << f.params.i_static_ma;
      for (int s : {0, 1}) {
        if (s == 1 && r.sram_fit.empty()) continue;  // not calibrated: charged as flash
        EXPECT_TRUE(near(stored.q_base_pc_per_cycle[s], f.params.q_base_pc_per_cycle[s]))
            << s << ": " << stored.q_base_pc_per_cycle[s] << " vs fit "
            << f.params.q_base_pc_per_cycle[s];
      }
      if (r.fit_flash_line) {
        EXPECT_TRUE(near(stored.q_flash_line_pc, f.params.q_flash_line_pc))
            << "q_flash_line_pc: " << stored.q_flash_line_pc << " vs fit "
            << f.params.q_flash_line_pc;
      }
      for (const CalibrationPoint& p : f.points) {
        const double error = power_models::relative_error(stored, p);
        if (printing()) {
          std::cout << fmt::format("# {}: {} active cycles, {} stall, {} flash line reads\n",
                                   p.label, p.counts.active_cycles(), p.counts.stall_cycles,
                                   p.counts.flash_line_reads);
          std::cout << fmt::format("| {} | {} | calibrated | {:.2f} | {:.2f} | {:+.1f} % |\n",
                                   spec.board, p.label, p.current_ma,
                                   power_models::predicted_current_ma(stored, p), 100 * error);
        }
        EXPECT_LT(std::fabs(error), 0.05) << p.label;
      }
    }
  }
}

TEST(CalibrationRunTest, HeldOutFiguresPredictedWithThePinnedError) {
  for (const BoardSpec& spec : specs()) {
    SCOPED_TRACE(spec.board);
    for (const HeldOut& h : spec.held_out) {
      const CalibrationPoint p = point_for(spec.board, h.figure, h.range);
      const auto stored = catalog_params(spec.board, h.figure.clock_mhz, h.range);
      const double error = power_models::relative_error(stored, p);
      if (printing()) {
        std::cout << fmt::format("# {}: {} active cycles, {} stall, {} flash line reads\n", p.label,
                                 p.counts.active_cycles(), p.counts.stall_cycles,
                                 p.counts.flash_line_reads);
        std::cout << fmt::format("| {} | {} | held out | {:.2f} | {:.2f} | {:+.1f} % |\n",
                                 spec.board, p.label, p.current_ma,
                                 power_models::predicted_current_ma(stored, p), 100 * error);
      }
      EXPECT_NEAR(error, h.expected_error, 0.01) << p.label;
    }
  }
}

}  // namespace
}  // namespace tinysim
