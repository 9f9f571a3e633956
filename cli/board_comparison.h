// What `tinysim compare` and `tinysim fit` share: the options that pick the boards and run the
// firmware on them (FIRMWARE..., --boards A,B | --all, budgets, -j), and the run itself with
// progress on a terminal and Ctrl-C cancelling every board cleanly.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "profiler/compare.h"
#include "sim/board.h"

namespace tinysim::cli {

struct ComparisonArgs {
  std::vector<std::string> firmware;  // one or more ELF files
  std::string boards;                 // --boards A,B,C ("": --all)
  bool all = false;                   // --all: every board of the catalog
  std::string catalog;                // --catalog DIR
  unsigned jobs = 0;                  // -j: boards at once (0: all cores)
  uint64_t max_instructions = 0;
  uint64_t max_cycles = 0;
  double timeout_seconds = 0;
  std::string rules;
  std::string arena;
  std::string firmware_args;  // --firmware-args: the firmware's command line
};

// Declares the shared options on `cmd`.
void add_comparison_options(CLI::App* cmd, ComparisonArgs& args);

struct Comparison {
  std::vector<sim::Board> boards;
  profiler::CompareResult result;
  bool interrupted = false;
};

// Loads the firmware and boards and runs the comparison. Returns exit_code::kOk and fills `out`,
// or prints the error and returns its exit code (kUsage, kBadFirmware, kBadBoard).
int run_comparison(const ComparisonArgs& args, const char* verb, Comparison& out);

// "64 MHz", "1.2 GHz"-style short clock; "12.3 ms"; prices "$12.50".
std::string clock_text(uint64_t clock_hz);

}  // namespace tinysim::cli
