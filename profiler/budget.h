// Budget: the limits a board must meet for a model (`tinysim fit`, the GUI's Compare view):
// latency, energy, price, and free SRAM and flash. evaluate_budget() checks one compare row
// against it, constraint by constraint, with the margin on each; fit_rows() keeps the rows that
// meet all of them, cheapest first.
//
// Every constraint reports pass/fail and a margin in its own unit (how far inside the limit,
// negative: how far over). A constraint that cannot be checked is a failure with a reason, never
// a pass: an energy budget on a board whose catalog entry has no power figures (the profile has
// no Metric::kEnergyUj), a price limit on a board without a price, a row whose run failed.
// SRAM and flash must always fit (margin >= 0), with or without a margin requirement.
//
// Unit parsing for the front ends is here too: durations (us, ms, s), energies (nJ, uJ, mJ, J),
// percentages and prices, with errors that name the text and the accepted units.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "profiler/compare.h"
#include "sim/status.h"

namespace tinysim::profiler {

enum class PriceBasis {
  kBoard,  // the development board's price (price.board): what you buy to try it
  kChip,   // the microcontroller's unit price (price.chip): what a product pays
};

struct Budget {
  std::optional<double> latency_ms;     // at most this latency (CompareRow::latency_ms)
  std::optional<double> energy_uj;      // at most this energy per inference
  std::optional<double> max_price_usd;  // at most this price (price_basis)
  // At least this much of the board's SRAM / flash left free, percent of the board's total.
  std::optional<double> sram_margin_percent;
  std::optional<double> flash_margin_percent;
  // Which price max_price_usd limits and fit_rows() orders by.
  PriceBasis price_basis = PriceBasis::kBoard;
};

enum class Constraint { kRun, kLatency, kEnergy, kPrice, kSram, kFlash };
// "run", "latency", "energy", "price", "sram", "flash".
const char* constraint_name(Constraint constraint);

struct ConstraintResult {
  Constraint constraint = Constraint::kRun;
  bool pass = false;
  std::optional<double> value;  // the row's value (ms, uJ, USD, % free); absent: not measured
  std::optional<double> limit;  // the budget's limit in the same unit
  // limit - value for upper limits (latency, energy, price), value - limit for the SRAM and
  // flash free percentages; absent when value is absent.
  std::optional<double> margin;
  const char* unit = "";  // "ms", "uJ", "USD", "%"
  std::string reason;     // failures: why ("no energy figure: the catalog has no power data")
};

struct BudgetVerdict {
  bool pass = false;
  std::vector<ConstraintResult> constraints;  // in Constraint order, only those that apply
};

// Checks `row` against `budget`. Always checks kRun (the row ran to completion) and kSram and
// kFlash (fit, with the margin asked, 0% when none); the others only when the budget sets them.
BudgetVerdict evaluate_budget(const CompareRow& row, const Budget& budget);

struct FitEntry {
  size_t row = 0;  // index into the rows given
  BudgetVerdict verdict;
};

struct FitResult {
  std::vector<FitEntry> fitting;   // meeting the budget: cheapest first (price_basis), then
                                   // lowest latency, then board name; unpriced boards last
  std::vector<FitEntry> rejected;  // the others, in the rows' order
};

FitResult fit_rows(const std::vector<CompareRow>& rows, const Budget& budget);

// "50ms", "50 ms", "1.5s", "800us" (also "µs") -> milliseconds. kInvalidArgument otherwise.
StatusOr<double> parse_duration_ms(std::string_view text);
// "500uJ" (also "µJ"), "2mJ", "900nJ", "0.5J" -> microjoules.
StatusOr<double> parse_energy_uj(std::string_view text);
// "10%", "10" -> 10 (percent). Must be within [0, 100].
StatusOr<double> parse_percent(std::string_view text);
// "10", "$10", "10usd", "9.95 USD" -> US dollars.
StatusOr<double> parse_price_usd(std::string_view text);

}  // namespace tinysim::profiler
