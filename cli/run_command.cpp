// `tinysim run FIRMWARE.elf`: boot a firmware on a board and run it to completion.
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/run_report.h"
#include "sim/board.h"
#include "sim/catalog.h"
#include "sim/elf_image.h"
#include "sim/machine.h"

namespace tinysim::cli {
namespace {

struct RunArgs {
  std::string firmware;
  std::string board = sim::default_board_name();
  std::string catalog;  // --catalog DIR (default: TINYSIM_CATALOG or the source tree's catalog/)
  std::string clock;    // --clock 48MHz: operating point (default: the board's)
  std::string vos;      // --vos range2: voltage range of the operating point
  uint64_t max_instructions = 0;
  uint64_t max_cycles = 0;
  double timeout_seconds = 0;
  std::string json_path;
  bool quiet = false;
  std::vector<std::string> firmware_args;
};

int run(const RunArgs& args) {
  if (!args.catalog.empty()) sim::set_default_catalog_directory(args.catalog);
  auto board = sim::find_board(args.board);
  if (!board.is_ok()) {
    std::fprintf(stderr, "tinysim: %s\n", board.status().message().c_str());
    return exit_code_for_status(board.status());
  }
  // Operating point (board catalog): the clock and voltage range; flash wait states follow.
  if (!args.clock.empty() || !args.vos.empty()) {
    uint64_t clock_hz = 0;
    if (!args.clock.empty()) {
      auto parsed = sim::parse_frequency(args.clock);
      if (!parsed.is_ok()) {
        std::fprintf(stderr, "tinysim: --clock: %s\n", parsed.status().message().c_str());
        return exit_code::kUsage;
      }
      clock_hz = parsed.value();
    }
    if (Status s = board.value().select_operating_point(clock_hz, args.vos); !s.is_ok()) {
      std::fprintf(stderr, "tinysim: %s\n", s.message().c_str());
      return exit_code_for_status(s);
    }
  }
  auto image = sim::Image::load(args.firmware);
  if (!image.is_ok()) {
    std::fprintf(stderr, "tinysim: %s\n", image.status().message().c_str());
    return exit_code_for_status(image.status());
  }
  sim::MachineOptions options;
  for (const std::string& a : args.firmware_args) {
    options.command_line += (options.command_line.empty() ? "" : " ") + a;
  }
  auto machine = sim::Machine::create(board.value(), image.value(), options);
  if (!machine.is_ok()) {
    std::fprintf(stderr, "tinysim: %s\n", machine.status().message().c_str());
    return exit_code_for_status(machine.status());
  }
  sim::Machine& m = *machine.value();
  m.set_console([](int stream, std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stream == 2 ? stderr : stdout);
  });
  m.set_warning_sink([](const std::string& message) {
    std::fflush(stdout);
    std::fprintf(stderr, "tinysim: warning: %s\n", message.c_str());
  });
  sim::RunOptions run_options;
  run_options.max_instructions = args.max_instructions;
  run_options.max_cycles = args.max_cycles;
  run_options.timeout_seconds = args.timeout_seconds;
  const sim::RunResult result = m.run(run_options);
  std::fflush(stdout);

  if (!args.quiet || result.reason != sim::StopReason::kExit) {
    std::fputs(format_run_report(board.value(), result).c_str(), stderr);
  }
  if (!args.json_path.empty()) {
    const nlohmann::json doc = run_report_json(image.value(), board.value(), result);
    std::ofstream out(args.json_path);
    out << doc.dump(2) << '\n';
    if (!out) {
      std::fprintf(stderr, "tinysim: cannot write %s\n", args.json_path.c_str());
      return exit_code::kOutput;
    }
  }
  return exit_code_for_stop(result.reason, result.exit_code);
}

}  // namespace

void add_run_command(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run", "Boot a Cortex-M firmware ELF on a board and run it");
  cmd->footer(
      "The firmware's console (semihosting, ITM port 0) goes to stdout; tinysim's report and\n"
      "warnings to stderr. Exit status: the firmware's own on a semihosting exit, else one of\n"
      "tinysim's codes (docs/cli.md). Arguments after -- reach the firmware through\n"
      "SYS_GET_CMDLINE.");
  cmd->add_option("firmware", args->firmware, "Firmware ELF file")->required();
  cmd->add_option("-b,--board", args->board, "Board to run on (see `tinysim boards`)")
      ->capture_default_str();
  cmd->add_option("--catalog", args->catalog, "Board catalog directory (docs/catalog.md)");
  cmd->add_option("--clock", args->clock,
                  "Core clock of the operating point, e.g. 48MHz (default: the board's)");
  cmd->add_option("--vos", args->vos,
                  "Voltage range of the operating point, e.g. range2 (`tinysim boards show`)");
  cmd->add_option("--max-instructions", args->max_instructions,
                  "Stop after this many instructions (0: no limit)");
  cmd->add_option("--max-cycles", args->max_cycles,
                  "Stop after this many core cycles (0: no limit)");
  cmd->add_option("--timeout", args->timeout_seconds,
                  "Stop after this many seconds of host time (0: no limit)");
  cmd->add_option("--json", args->json_path, "Also write the report as JSON to FILE");
  cmd->add_flag("-q,--quiet", args->quiet, "No report when the firmware exits normally");
  cmd->add_option("firmware_args", args->firmware_args, "Command line for the firmware (after --)");
  registry.add(cmd, [args] { return run(*args); });
}

}  // namespace tinysim::cli
