// `tinysim compare FIRMWARE... --boards A,B,C | --all`: the firmware built for each board's core
// profiled on every board in parallel; one row per board with latency, energy, SRAM and flash
// against the board, and price; sortable; table, JSON (tinysim.compare/1), CSV or Markdown.
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/board_comparison.h"
#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/run_report.h"
#include "profiler/compare.h"
#include "profiler/compare_report.h"
#include "profiler/report_format.h"

namespace tinysim::cli {
namespace {

namespace prof = tinysim::profiler;

struct CompareArgs : ComparisonArgs {
  std::string sort = "latency";
  bool descending = false;
  std::string format = "table";
  std::string output;
};

int compare(const CompareArgs& args) {
  const auto column = prof::compare_column_by_name(args.sort);
  if (!column) {
    std::fprintf(stderr,
                 "tinysim: --sort: unknown column '%s' (known: board, firmware, latency, energy, "
                 "sram, flash, price, chip-price)\n",
                 args.sort.c_str());
    return exit_code::kUsage;
  }
  if (args.format != "table" && args.format != "json" && args.format != "csv" &&
      args.format != "markdown") {
    std::fprintf(stderr, "tinysim: --format: '%s' is not table, json, csv or markdown\n",
                 args.format.c_str());
    return exit_code::kUsage;
  }
  Comparison c;
  if (int rc = run_comparison(args, "comparing", c); rc != exit_code::kOk) return rc;
  std::vector<prof::CompareRow> rows = c.result.rows;
  prof::sort_rows(rows, *column, args.descending);

  std::string text;
  if (args.format == "json") {
    text = prof::compare_to_json(rows, args.sort).dump(2) + "\n";
  } else if (args.format == "csv") {
    text = prof::render_compare_csv(rows);
  } else if (args.format == "markdown") {
    text = prof::render_compare_markdown(rows);
  } else {
    text = prof::render_compare_table(rows);
  }
  if (args.output.empty() || args.output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  } else {
    std::ofstream out(args.output, std::ios::binary);
    out << text;
    if (!out) {
      std::fprintf(stderr, "tinysim: cannot write %s\n", args.output.c_str());
      return exit_code::kOutput;
    }
  }
  if (c.interrupted || c.result.cancelled) {
    std::fprintf(stderr,
                 "tinysim: interrupted (Ctrl-C): rows not finished are partial or missing\n");
    return exit_code::kInterrupted;
  }
  for (const prof::CompareRow& r : rows) {
    if (r.status == prof::RowStatus::kFailed) return exit_code::kSomeRunsFailed;
  }
  return exit_code::kOk;
}

}  // namespace

void add_compare_command(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "Profile firmware on several boards in parallel: latency, energy, SRAM, flash, price");
  cmd->footer(
      "Each board runs the given firmware built for it: the file named after the board's\n"
      "firmware variant (<name>-<variant>.elf), else the one whose ELF build attributes match\n"
      "its core and FPU, else any the core can execute (docs/cli.md). Boards without one are\n"
      "listed as skipped with the reason. Latency and energy are one inference (the operators),\n"
      "or the whole run for firmware without operators. Ctrl-C stops every board cleanly.\n"
      "Exit status: 0; 126 when a board's run faulted or hit a budget; 124 interrupted.");
  add_comparison_options(cmd, *args);
  cmd->add_option("--sort", args->sort,
                  "Sort by: latency, energy, sram, flash, price, chip-price, board, firmware")
      ->capture_default_str();
  cmd->add_flag("--descending", args->descending, "Sort largest first");
  cmd->add_option("-f,--format", args->format, "table, json, csv or markdown")
      ->capture_default_str();
  cmd->add_option("-o,--output", args->output, "Write the report to FILE instead of stdout");
  registry.add(cmd, [args] { return compare(*args); });
}

}  // namespace tinysim::cli
