// `tinysim boards`: the boards tinysim knows (a built-in list until the catalog lands).
#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "sim/board.h"

namespace tinysim::cli {

void add_boards_command(CLI::App& app, CommandRegistry& registry) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("boards", "List the boards tinysim can simulate");
  cmd->add_flag("--json", *json, "Print the list as JSON");
  registry.add(cmd, [json] {
    if (*json) {
      nlohmann::json out = nlohmann::json::array();
      for (const sim::Board& b : sim::builtin_boards()) {
        out.push_back({{"name", b.name},
                       {"description", b.description},
                       {"core", sim::core_name(b.core.kind)},
                       {"fpu", sim::fpu_name(b.core.fpu)},
                       {"clock_hz", b.clock_hz},
                       {"flash_bytes", b.flash_bytes()},
                       {"sram_bytes", b.sram_bytes()}});
      }
      std::puts(out.dump(2).c_str());
      return exit_code::kOk;
    }
    std::printf("%-18s %-14s %-8s %9s %9s  %s\n", "BOARD", "CORE", "FPU", "CLOCK", "SRAM",
                "DESCRIPTION");
    for (const sim::Board& b : sim::builtin_boards()) {
      std::printf("%-18s %-14s %-8s %6.0f MHz %6llu KiB  %s%s\n", b.name.c_str(),
                  std::string(sim::core_name(b.core.kind)).c_str(),
                  std::string(sim::fpu_name(b.core.fpu)).c_str(), double(b.clock_hz) / 1e6,
                  static_cast<unsigned long long>(b.sram_bytes() / 1024), b.description.c_str(),
                  b.name == sim::default_board_name() ? " (default)" : "");
    }
    return exit_code::kOk;
  });
}

}  // namespace tinysim::cli
