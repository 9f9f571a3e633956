// The options every command that simulates a firmware shares (run, profile): the firmware and
// its command line, the board and its operating point, and the run's budgets.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/board.h"
#include "sim/machine.h"
#include "sim/status.h"

namespace tinysim::cli {

struct SimulationArgs {
  std::string firmware;
  std::string board = sim::default_board_name();
  std::string catalog;  // --catalog DIR (default: TINYSIM_CATALOG or the source tree's catalog/)
  std::string clock;    // --clock 48MHz: operating point (default: the board's)
  std::string vos;      // --vos range2: voltage range of the operating point
  uint64_t max_instructions = 0;
  uint64_t max_cycles = 0;
  double timeout_seconds = 0;
  std::vector<std::string> firmware_args;  // after --

  sim::RunOptions run_options() const;
  // Machine options with the firmware's command line set.
  sim::MachineOptions machine_options() const;
};

// Declares the shared options on `cmd` (the positional FIRMWARE and, last, the firmware's
// arguments).
void add_simulation_options(CLI::App* cmd, SimulationArgs& args);

// The board named by the arguments at the operating point they ask for. Errors:
// kInvalidBoard (unknown or broken board), kInvalidArgument (a bad --clock or --vos).
StatusOr<sim::Board> select_board(const SimulationArgs& args);

}  // namespace tinysim::cli
