// `tinysim fit FIRMWARE... --latency 50ms --energy 500uJ [--max-price 10] [--sram-margin 10%]`:
// the boards that meet a budget, cheapest first, with the margin on each constraint, and why
// the others do not (profiler/budget.h).
#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/board_comparison.h"
#include "cli/command.h"
#include "cli/exit_codes.h"
#include "profiler/budget.h"
#include "profiler/compare_report.h"
#include "profiler/report_format.h"

namespace tinysim::cli {
namespace {

namespace prof = tinysim::profiler;

struct FitArgs : ComparisonArgs {
  std::string latency, energy, max_price, sram_margin, flash_margin;
  std::string price_basis = "board";
  std::string format = "table";
};

// "12.3 ms (margin 37.7 ms, 75.4%)".
std::string margin_text(const prof::ConstraintResult& c) {
  if (!c.value) return "n/a: " + c.reason;
  if (c.constraint == prof::Constraint::kSram || c.constraint == prof::Constraint::kFlash) {
    return fmt::format("{:.1f}% free (margin {:+.1f} points)", *c.value, c.margin.value_or(0));
  }
  const int decimals = c.constraint == prof::Constraint::kPrice ? 2 : 3;
  std::string out = fmt::format("{:.{}f} {} (margin {:+.{}f}", *c.value, decimals, c.unit,
                                c.margin.value_or(0), decimals);
  if (c.limit && *c.limit != 0) out += fmt::format(", {:+.1f}%", 100.0 * *c.margin / *c.limit);
  return out + ")";
}

const prof::ConstraintResult* find(const prof::BudgetVerdict& v, prof::Constraint c) {
  for (const auto& r : v.constraints) {
    if (r.constraint == c) return &r;
  }
  return nullptr;
}

nlohmann::json verdict_json(const prof::BudgetVerdict& v) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : v.constraints) {
    auto opt = [](const std::optional<double>& x) {
      return x ? nlohmann::json(*x) : nlohmann::json(nullptr);
    };
    out.push_back({{"constraint", prof::constraint_name(c.constraint)},
                   {"pass", c.pass},
                   {"value", opt(c.value)},
                   {"limit", opt(c.limit)},
                   {"margin", opt(c.margin)},
                   {"unit", c.unit},
                   {"reason", c.reason}});
  }
  return out;
}

int fit(const FitArgs& args) {
  prof::Budget budget;
  auto parse = [](const std::string& option, const std::string& text, auto parser,
                  std::optional<double>& into) -> bool {
    if (text.empty()) return true;
    auto v = parser(text);
    if (!v.is_ok()) {
      std::fprintf(stderr, "tinysim: %s: %s\n", option.c_str(), v.status().message().c_str());
      return false;
    }
    into = v.value();
    return true;
  };
  if (!parse("--latency", args.latency, prof::parse_duration_ms, budget.latency_ms) ||
      !parse("--energy", args.energy, prof::parse_energy_uj, budget.energy_uj) ||
      !parse("--max-price", args.max_price, prof::parse_price_usd, budget.max_price_usd) ||
      !parse("--sram-margin", args.sram_margin, prof::parse_percent, budget.sram_margin_percent) ||
      !parse("--flash-margin", args.flash_margin, prof::parse_percent,
             budget.flash_margin_percent)) {
    return exit_code::kUsage;
  }
  if (args.price_basis == "board") {
    budget.price_basis = prof::PriceBasis::kBoard;
  } else if (args.price_basis == "chip") {
    budget.price_basis = prof::PriceBasis::kChip;
  } else {
    std::fprintf(stderr, "tinysim: --price: '%s' is not board or chip\n", args.price_basis.c_str());
    return exit_code::kUsage;
  }
  if (args.format != "table" && args.format != "json") {
    std::fprintf(stderr, "tinysim: --format: '%s' is not table or json\n", args.format.c_str());
    return exit_code::kUsage;
  }
  Comparison c;
  if (int rc = run_comparison(args, "fitting", c); rc != exit_code::kOk) return rc;
  const std::vector<prof::CompareRow>& rows = c.result.rows;
  const prof::FitResult result = prof::fit_rows(rows, budget);
  const bool board_price = budget.price_basis == prof::PriceBasis::kBoard;

  if (args.format == "json") {
    nlohmann::json j;
    j["schema"] = "tinysim.fit/1";
    j["price_basis"] = args.price_basis;
    auto entry = [&](const prof::FitEntry& e) {
      nlohmann::json r = prof::compare_row_to_json(rows[e.row]);
      r["pass"] = e.verdict.pass;
      r["constraints"] = verdict_json(e.verdict);
      return r;
    };
    j["fitting"] = nlohmann::json::array();
    for (const auto& e : result.fitting) j["fitting"].push_back(entry(e));
    j["rejected"] = nlohmann::json::array();
    for (const auto& e : result.rejected) j["rejected"].push_back(entry(e));
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    prof::detail::TextTable t;
    t.add_column("#", true);
    t.add_column("board", false);
    t.add_column(board_price ? "board $" : "chip $", true);
    t.add_column("firmware", false);
    if (budget.latency_ms) t.add_column("latency (margin)", true);
    if (budget.energy_uj) t.add_column("energy (margin)", true);
    t.add_column("SRAM", true);
    t.add_column("flash", true);
    size_t rank = 0;
    for (const prof::FitEntry& e : result.fitting) {
      const prof::CompareRow& r = rows[e.row];
      std::vector<std::string> cells{
          std::to_string(++rank), r.board,
          prof::price_text(board_price ? r.board_price_usd : r.chip_price_usd),
          prof::detail::base_name(r.firmware)};
      if (budget.latency_ms)
        cells.push_back(margin_text(*find(e.verdict, prof::Constraint::kLatency)));
      if (budget.energy_uj)
        cells.push_back(margin_text(*find(e.verdict, prof::Constraint::kEnergy)));
      cells.push_back(margin_text(*find(e.verdict, prof::Constraint::kSram)));
      cells.push_back(margin_text(*find(e.verdict, prof::Constraint::kFlash)));
      t.add_row(cells);
    }
    std::string budget_text;
    auto add = [&](const std::string& s) { budget_text += (budget_text.empty() ? "" : ", ") + s; };
    if (budget.latency_ms) add(fmt::format("latency <= {:g} ms", *budget.latency_ms));
    if (budget.energy_uj) add(fmt::format("energy <= {:g} uJ", *budget.energy_uj));
    if (budget.max_price_usd) {
      add(fmt::format("{} price <= ${:.2f}", board_price ? "board" : "chip",
                      *budget.max_price_usd));
    }
    add(fmt::format("SRAM free >= {:g}%", budget.sram_margin_percent.value_or(0)));
    add(fmt::format("flash free >= {:g}%", budget.flash_margin_percent.value_or(0)));
    std::printf("tinysim fit: %zu of %zu boards meet the budget (%s), cheapest first\n",
                result.fitting.size(), rows.size(), budget_text.c_str());
    if (!result.fitting.empty()) std::printf("%s", t.render("").c_str());
    if (!result.rejected.empty()) {
      std::printf("not meeting the budget:\n");
      for (const prof::FitEntry& e : result.rejected) {
        std::string why;
        const bool ran = e.verdict.constraints.front().pass;  // kRun comes first
        for (const auto& cr : e.verdict.constraints) {
          if (cr.pass || (!ran && cr.constraint != prof::Constraint::kRun)) continue;
          std::string one = std::string(prof::constraint_name(cr.constraint)) + ": ";
          if (cr.value && cr.constraint != prof::Constraint::kRun) {
            one += margin_text(cr);
            if (cr.constraint == prof::Constraint::kSram ||
                cr.constraint == prof::Constraint::kFlash) {
              if (!cr.reason.empty()) one += " - " + cr.reason;
            }
          } else {
            one += cr.reason;
          }
          why += (why.empty() ? "" : "; ") + one;
        }
        std::printf("  %s: %s\n", rows[e.row].board.c_str(), why.c_str());
      }
    }
  }
  if (c.interrupted || c.result.cancelled) {
    std::fprintf(stderr,
                 "tinysim: interrupted (Ctrl-C): boards not finished count as not fitting\n");
    return exit_code::kInterrupted;
  }
  return result.fitting.empty() ? exit_code::kNoBoardFits : exit_code::kOk;
}

}  // namespace

void add_fit_command(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<FitArgs>();
  CLI::App* cmd = app.add_subcommand(
      "fit", "The boards that meet a latency / energy / price / memory budget, cheapest first");
  cmd->footer(
      "Runs like `tinysim compare` (same firmware selection), then checks each board against\n"
      "the budget. SRAM and flash must always fit. A constraint that cannot be checked fails:\n"
      "--energy on a board without power figures, --max-price on a board without a price.\n"
      "Units: --latency us/ms/s, --energy nJ/uJ/mJ/J, margins in %, prices in US dollars.\n"
      "Exit status: 0 when at least one board fits, 1 when none does, 124 interrupted.");
  add_comparison_options(cmd, *args);
  cmd->add_option("--latency", args->latency, "Latency budget per inference, e.g. 50ms");
  cmd->add_option("--energy", args->energy, "Energy budget per inference, e.g. 500uJ");
  cmd->add_option("--max-price", args->max_price, "Highest price in US dollars, e.g. 10");
  cmd->add_option("--price", args->price_basis,
                  "Which price --max-price limits and the order uses: board or chip")
      ->capture_default_str();
  cmd->add_option("--sram-margin", args->sram_margin, "SRAM to keep free, e.g. 10%");
  cmd->add_option("--flash-margin", args->flash_margin, "Flash to keep free, e.g. 10%");
  cmd->add_option("-f,--format", args->format, "table or json")->capture_default_str();
  registry.add(cmd, [args] { return fit(*args); });
}

}  // namespace tinysim::cli
