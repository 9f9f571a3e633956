#include "cli/simulation_options.h"

#include "sim/catalog.h"

namespace tinysim::cli {

sim::RunOptions SimulationArgs::run_options() const {
  sim::RunOptions options;
  options.max_instructions = max_instructions;
  options.max_cycles = max_cycles;
  options.timeout_seconds = timeout_seconds;
  return options;
}

sim::MachineOptions SimulationArgs::machine_options() const {
  sim::MachineOptions options;
  for (const std::string& a : firmware_args) {
    options.command_line += (options.command_line.empty() ? "" : " ") + a;
  }
  return options;
}

void add_simulation_options(CLI::App* cmd, SimulationArgs& args) {
  cmd->add_option("firmware", args.firmware, "Firmware ELF file")->required();
  cmd->add_option("-b,--board", args.board, "Board to run on (see `tinysim boards`)")
      ->capture_default_str();
  cmd->add_option("--catalog", args.catalog, "Board catalog directory (docs/catalog.md)");
  cmd->add_option("--clock", args.clock,
                  "Core clock of the operating point, e.g. 48MHz (default: the board's)");
  cmd->add_option("--vos", args.vos,
                  "Voltage range of the operating point, e.g. range2 (`tinysim boards show`)");
  cmd->add_option("--max-instructions", args.max_instructions,
                  "Stop after this many instructions (0: no limit)");
  cmd->add_option("--max-cycles", args.max_cycles,
                  "Stop after this many core cycles (0: no limit)");
  cmd->add_option("--timeout", args.timeout_seconds,
                  "Stop after this many seconds of host time (0: no limit)");
  cmd->add_option("firmware_args", args.firmware_args, "Command line for the firmware (after --)");
}

StatusOr<sim::Board> select_board(const SimulationArgs& args) {
  if (!args.catalog.empty()) sim::set_default_catalog_directory(args.catalog);
  auto board = sim::find_board(args.board);
  if (!board.is_ok()) return board.status();
  // Operating point (board catalog): the clock and voltage range; flash wait states follow.
  if (!args.clock.empty() || !args.vos.empty()) {
    uint64_t clock_hz = 0;
    if (!args.clock.empty()) {
      auto parsed = sim::parse_frequency(args.clock);
      if (!parsed.is_ok()) {
        return Status{StatusCode::kInvalidArgument, "--clock: " + parsed.status().message()};
      }
      clock_hz = parsed.value();
    }
    if (Status s = board.value().select_operating_point(clock_hz, args.vos); !s.is_ok()) {
      return Status{StatusCode::kInvalidArgument, s.message()};
    }
  }
  return board;
}

}  // namespace tinysim::cli
