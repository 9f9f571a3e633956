// Budget: per-constraint checks of a compare row, the fit ordering, and the unit parsers (see
// budget.h).
#include "profiler/budget.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

#include "profiler/report_format.h"

namespace tinysim::profiler {
namespace {

using detail::trim;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Splits "50 ms" into 50 and "ms". False when there is no number or it is not finite.
bool split_number(std::string_view text, double& number, std::string& unit) {
  const std::string s(trim(text));
  if (s.empty()) return false;
  char* end = nullptr;
  number = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || !std::isfinite(number)) return false;
  unit = std::string(trim(std::string_view(end)));
  return true;
}

Status unit_error(std::string_view what, std::string_view text, std::string_view units) {
  return {StatusCode::kInvalidArgument,
          fmt::format("'{}' is not {} (expected a number with a unit: {})", text, what, units)};
}

std::string row_problem(const CompareRow& row) {
  if (row.status == RowStatus::kOk) return "";
  return fmt::format("{}: {}", row_status_name(row.status), row.error);
}

ConstraintResult upper_limit(Constraint c, const char* unit, std::optional<double> value,
                             double limit, std::string missing) {
  ConstraintResult r;
  r.constraint = c;
  r.unit = unit;
  r.limit = limit;
  r.value = value;
  if (!value) {
    r.pass = false;
    r.reason = std::move(missing);
    return r;
  }
  r.margin = limit - *value;
  r.pass = *value <= limit;
  if (!r.pass) r.reason = fmt::format("{:.6g} {} over the limit", -*r.margin, unit);
  return r;
}

ConstraintResult memory_limit(Constraint c, const CompareRow& row, double required_percent) {
  ConstraintResult r;
  r.constraint = c;
  r.unit = "%";
  r.limit = required_percent;
  const bool measured = row.status == RowStatus::kOk || row.status == RowStatus::kFailed ||
                        row.status == RowStatus::kDoesNotFit;
  if (!measured) {
    r.reason = "not measured: " + row_problem(row);
    return r;
  }
  const bool sram = c == Constraint::kSram;
  const bool fits = sram ? row.sram_fits : row.flash_fits;
  r.value = sram ? row.sram_margin_percent : row.flash_margin_percent;
  r.margin = *r.value - required_percent;
  r.pass = fits && *r.margin >= 0;
  if (!fits) {
    const int64_t short_by = -(sram ? row.sram_margin_bytes : row.flash_margin_bytes);
    r.reason = fmt::format("does not fit: {} bytes short", short_by);
  } else if (!r.pass) {
    r.reason = fmt::format("{:.2f}% free, {:.2f}% required", *r.value, required_percent);
  }
  return r;
}

std::optional<double> price_of(const CompareRow& row, PriceBasis basis) {
  return basis == PriceBasis::kBoard ? row.board_price_usd : row.chip_price_usd;
}

}  // namespace

const char* constraint_name(Constraint constraint) {
  switch (constraint) {
    case Constraint::kRun:
      return "run";
    case Constraint::kLatency:
      return "latency";
    case Constraint::kEnergy:
      return "energy";
    case Constraint::kPrice:
      return "price";
    case Constraint::kSram:
      return "sram";
    case Constraint::kFlash:
      return "flash";
  }
  return "?";
}

BudgetVerdict evaluate_budget(const CompareRow& row, const Budget& budget) {
  BudgetVerdict v;
  {
    ConstraintResult run;
    run.constraint = Constraint::kRun;
    run.pass = row.status == RowStatus::kOk;
    run.reason = row_problem(row);
    v.constraints.push_back(run);
  }
  const std::string problem = row_problem(row);
  if (budget.latency_ms) {
    v.constraints.push_back(upper_limit(Constraint::kLatency, "ms", row.latency_ms,
                                        *budget.latency_ms,
                                        "not measured: " + (problem.empty() ? "no run" : problem)));
  }
  if (budget.energy_uj) {
    std::string missing =
        problem.empty()
            ? fmt::format("no energy figure: the catalog has no power data for {}", row.board)
            : "not measured: " + problem;
    v.constraints.push_back(upper_limit(Constraint::kEnergy, "uJ", row.energy_uj, *budget.energy_uj,
                                        std::move(missing)));
  }
  if (budget.max_price_usd) {
    const bool board = budget.price_basis == PriceBasis::kBoard;
    v.constraints.push_back(upper_limit(
        Constraint::kPrice, "USD", price_of(row, budget.price_basis), *budget.max_price_usd,
        fmt::format("no price: the catalog has no {} for {}", board ? "price.board" : "price.chip",
                    row.board)));
  }
  v.constraints.push_back(
      memory_limit(Constraint::kSram, row, budget.sram_margin_percent.value_or(0)));
  v.constraints.push_back(
      memory_limit(Constraint::kFlash, row, budget.flash_margin_percent.value_or(0)));
  v.pass = std::all_of(v.constraints.begin(), v.constraints.end(),
                       [](const ConstraintResult& c) { return c.pass; });
  return v;
}

FitResult fit_rows(const std::vector<CompareRow>& rows, const Budget& budget) {
  FitResult out;
  for (size_t i = 0; i < rows.size(); ++i) {
    FitEntry e{i, evaluate_budget(rows[i], budget)};
    (e.verdict.pass ? out.fitting : out.rejected).push_back(std::move(e));
  }
  std::stable_sort(out.fitting.begin(), out.fitting.end(),
                   [&](const FitEntry& x, const FitEntry& y) {
                     const CompareRow& a = rows[x.row];
                     const CompareRow& b = rows[y.row];
                     const std::optional<double> pa = price_of(a, budget.price_basis);
                     const std::optional<double> pb = price_of(b, budget.price_basis);
                     if (pa.has_value() != pb.has_value()) return pa.has_value();
                     if (pa && *pa != *pb) return *pa < *pb;
                     const double la = a.latency_ms.value_or(INFINITY);
                     const double lb = b.latency_ms.value_or(INFINITY);
                     if (la != lb) return la < lb;
                     return a.board < b.board;
                   });
  return out;
}

StatusOr<double> parse_duration_ms(std::string_view text) {
  constexpr const char* kUnits = "us, ms, s (e.g. 50ms)";
  double n = 0;
  std::string unit;
  if (!split_number(text, n, unit)) return unit_error("a duration", text, kUnits);
  const std::string u = lower(unit);
  double ms = 0;
  if (u == "us" || u == "\xc2\xb5s" || u == "\xce\xbcs") {
    ms = n / 1e3;
  } else if (u == "ms") {
    ms = n;
  } else if (u == "s") {
    ms = n * 1e3;
  } else {
    return unit_error("a duration", text, kUnits);
  }
  if (ms <= 0) {
    return Status{StatusCode::kInvalidArgument,
                  fmt::format("'{}': a latency budget must be above zero", text)};
  }
  return ms;
}

StatusOr<double> parse_energy_uj(std::string_view text) {
  constexpr const char* kUnits = "nJ, uJ, mJ, J (e.g. 500uJ)";
  double n = 0;
  std::string unit;
  if (!split_number(text, n, unit)) return unit_error("an energy", text, kUnits);
  const std::string u = lower(unit);
  double uj = 0;
  if (u == "nj") {
    uj = n / 1e3;
  } else if (u == "uj" || u == "\xc2\xb5j" || u == "\xce\xbcj") {
    uj = n;
  } else if (u == "mj") {
    uj = n * 1e3;
  } else if (u == "j") {
    uj = n * 1e6;
  } else {
    return unit_error("an energy", text, kUnits);
  }
  if (uj <= 0) {
    return Status{StatusCode::kInvalidArgument,
                  fmt::format("'{}': an energy budget must be above zero", text)};
  }
  return uj;
}

StatusOr<double> parse_percent(std::string_view text) {
  double n = 0;
  std::string unit;
  if (!split_number(text, n, unit) || !(unit.empty() || unit == "%")) {
    return unit_error("a percentage", text, "% (e.g. 10%)");
  }
  if (n < 0 || n > 100) {
    return Status{StatusCode::kInvalidArgument,
                  fmt::format("'{}': a percentage must be between 0% and 100%", text)};
  }
  return n;
}

StatusOr<double> parse_price_usd(std::string_view text) {
  std::string_view s = trim(text);
  if (!s.empty() && s.front() == '$') s.remove_prefix(1);
  double n = 0;
  std::string unit;
  if (!split_number(s, n, unit) || !(unit.empty() || lower(unit) == "usd")) {
    return unit_error("a price", text, "US dollars (e.g. 10, $10, 10usd)");
  }
  if (n < 0) {
    return Status{StatusCode::kInvalidArgument,
                  fmt::format("'{}': a price cannot be negative", text)};
  }
  return n;
}

}  // namespace tinysim::profiler
