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
#include "cli/simulation_options.h"
#include "power_models/energy_model.h"
#include "profiler/energy.h"
#include "sim/board.h"
#include "sim/catalog.h"
#include "sim/elf_image.h"
#include "sim/machine.h"

namespace tinysim::cli {
namespace {

struct RunArgs : SimulationArgs {
  std::string json_path;
  bool quiet = false;
};

int run(const RunArgs& args) {
  auto board = select_board(args);
  if (!board.is_ok()) {
    std::fprintf(stderr, "tinysim: %s\n", board.status().message().c_str());
    return exit_code_for_status(board.status());
  }
  auto image = sim::Image::load(args.firmware);
  if (!image.is_ok()) {
    std::fprintf(stderr, "tinysim: %s\n", image.status().message().c_str());
    return exit_code_for_status(image.status());
  }
  auto machine = sim::Machine::create(board.value(), image.value(), args.machine_options());
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
  const sim::RunResult result = m.run(args.run_options());
  std::fflush(stdout);

  if (!args.quiet || result.reason != sim::StopReason::kExit) {
    std::fputs(format_run_report(board.value(), result).c_str(), stderr);
    // The energy model's view of the run (docs/power-models.md), labelled with its source.
    if (auto energy = profiler::board_energy(board.value())) {
      const power_models::EnergyModel model(energy->params, double(board.value().clock_hz));
      std::fprintf(stderr, "  energy        %.1f uJ, %.3f mW average at %g V (%s)\n",
                   model.energy_uj(result.events), model.average_power_mw(result.events),
                   energy->params.vdd_v, energy->label.c_str());
    }
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
  add_simulation_options(cmd, *args);
  cmd->add_option("--json", args->json_path, "Also write the report as JSON to FILE");
  cmd->add_flag("-q,--quiet", args->quiet, "No report when the firmware exits normally");
  registry.add(cmd, [args] { return run(*args); });
}

}  // namespace tinysim::cli
