// tinysim: the command-line front end. Each subcommand is in its own *_command.cpp.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/command.h"
#include "cli/exit_codes.h"

int main(int argc, char** argv) {
  using namespace tinysim::cli;
  CLI::App app{"tinysim: cycle-approximate Cortex-M simulator and TinyML profiler", "tinysim"};
  app.set_version_flag("--version", TINYSIM_VERSION);
  app.require_subcommand(1);

  CommandRegistry registry;
  add_run_command(app, registry);
  add_boards_command(app, registry);
  add_import_command(app, registry);
  add_profile_commands(app, registry);
  add_compare_command(app, registry);
  add_fit_command(app, registry);
  add_gate_command(app, registry);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? exit_code::kOk : exit_code::kUsage;
  }
  try {
    for (const auto& [subcommand, action] : registry.actions()) {
      if (subcommand->parsed()) return action();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tinysim: internal error: %s\n", e.what());
    return exit_code::kInternal;
  }
  return exit_code::kUsage;
}
