#include "cli/board_comparison.h"

#include <fmt/format.h>

#include <cstdio>
#include <map>
#include <mutex>
#include <set>

#include "cli/exit_codes.h"
#include "cli/run_progress.h"
#include "cli/run_report.h"
#include "profiler/rules.h"
#include "sim/catalog.h"

namespace tinysim::cli {

namespace prof = tinysim::profiler;

void add_comparison_options(CLI::App* cmd, ComparisonArgs& args) {
  cmd->add_option("firmware", args.firmware,
                  "Firmware ELF files; each board runs the one built for its core")
      ->required();
  cmd->add_option("--boards", args.boards, "Comma-separated board names (default: --all)");
  cmd->add_flag("--all", args.all, "Every board of the catalog");
  cmd->add_option("--catalog", args.catalog, "Board catalog directory (docs/catalog.md)");
  cmd->add_option("-j,--jobs", args.jobs, "Boards simulated at once (0: one per core)")
      ->capture_default_str();
  cmd->add_option("--max-instructions", args.max_instructions,
                  "Stop each run after this many instructions (0: no limit)");
  cmd->add_option("--max-cycles", args.max_cycles,
                  "Stop each run after this many core cycles (0: no limit)");
  cmd->add_option("--timeout", args.timeout_seconds,
                  "Stop each run after this many seconds of host time (0: no limit)");
  cmd->add_option("--rules", args.rules, "Operator attribution rules (TOML), tried first");
  cmd->add_option("--arena", args.arena, "Symbol of the tensor arena");
  // Not `-- ARGS` as for profile: every positional is a firmware file here.
  cmd->add_option("--firmware-args", args.firmware_args,
                  "Command line for the firmware, one string (e.g. --firmware-args \"2 fast\")");
}

std::string clock_text(uint64_t clock_hz) {
  if (clock_hz % 1000000 == 0) return fmt::format("{} MHz", clock_hz / 1000000);
  return fmt::format("{:.3f} MHz", double(clock_hz) / 1e6);
}

int run_comparison(const ComparisonArgs& args, const char* verb, Comparison& out) {
  if (!args.catalog.empty()) sim::set_default_catalog_directory(args.catalog);
  if (args.all && !args.boards.empty()) {
    std::fprintf(stderr, "tinysim: give --boards or --all, not both\n");
    return exit_code::kUsage;
  }
  if (args.boards.empty()) {
    const auto& catalog = sim::default_catalog();
    if (!catalog.is_ok()) {
      std::fprintf(stderr, "tinysim: %s\n", catalog.status().message().c_str());
      return exit_code::kBadBoard;
    }
    out.boards = catalog.value().boards;
  } else {
    std::set<std::string> seen;
    size_t start = 0;
    while (start <= args.boards.size()) {
      size_t comma = args.boards.find(',', start);
      if (comma == std::string::npos) comma = args.boards.size();
      std::string name = args.boards.substr(start, comma - start);
      start = comma + 1;
      while (!name.empty() && name.front() == ' ') name.erase(0, 1);
      while (!name.empty() && name.back() == ' ') name.pop_back();
      if (name.empty() || !seen.insert(name).second) continue;
      auto board = sim::find_board(name);
      if (!board.is_ok()) {
        std::fprintf(stderr, "tinysim: --boards: %s\n", board.status().message().c_str());
        return exit_code::kBadBoard;
      }
      out.boards.push_back(std::move(board.value()));
    }
    if (out.boards.empty()) {
      std::fprintf(stderr, "tinysim: --boards: no board names given\n");
      return exit_code::kUsage;
    }
  }
  auto candidates = prof::load_candidates(args.firmware);
  if (!candidates.is_ok()) {
    std::fprintf(stderr, "tinysim: %s\n", candidates.status().message().c_str());
    return exit_code_for_status(candidates.status());
  }

  prof::CompareOptions options;
  options.threads = args.jobs;
  options.session.recorder.tool_version = TINYSIM_VERSION;
  options.session.recorder.arena_symbol = args.arena;
  options.session.rules_file = args.rules;
  options.session.run.max_instructions = args.max_instructions;
  options.session.run.max_cycles = args.max_cycles;
  options.session.run.timeout_seconds = args.timeout_seconds;
  options.session.machine.command_line = args.firmware_args;
  if (!args.rules.empty()) {
    // Checked once here rather than failing every board.
    auto rules = prof::RuleSet::load(args.rules);
    if (!rules.is_ok()) {
      std::fprintf(stderr, "tinysim: %s\n", rules.status().message().c_str());
      return exit_code::kUsage;
    }
  }

  // Progress: boards done, and each running board's cycles and operators.
  std::mutex stderr_lock;
  ProgressLine line(stderr_lock);
  std::mutex state_lock;
  std::map<size_t, prof::SessionProgress> running;
  size_t done = 0;
  size_t to_run = 0;
  for (const sim::Board& b : out.boards) {
    if (prof::select_firmware(candidates.value(), b).candidate >= 0) ++to_run;
  }
  InterruptGuard interrupt;
  auto on_progress = [&](size_t row, const std::string& board, const prof::SessionProgress& p) {
    std::string text;
    {
      std::lock_guard lock(state_lock);
      if (p.finished) {
        running.erase(row);
        ++done;
      } else {
        running[row] = p;
      }
      text = fmt::format("tinysim: {}... {} of {} boards done", verb, done, to_run);
      for (const auto& [r, q] : running) {
        text += fmt::format(" | {} {:.1f} ms", out.boards[r].name, q.simulated_ms);
        if (q.operator_count) text += fmt::format(" ops {}/{}", q.operators_done, q.operator_count);
      }
      text += interrupt.interrupted() ? ", stopping" : "  (Ctrl-C: stop)";
    }
    (void)board;
    line.show(text);
  };
  out.result =
      prof::compare_boards(candidates.value(), out.boards, options, on_progress, interrupt.flag());
  line.clear();
  out.interrupted = interrupt.interrupted();
  return exit_code::kOk;
}

}  // namespace tinysim::cli
