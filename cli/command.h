// How a `tinysim` subcommand plugs into the CLI.
//
// Each subcommand lives in its own file and exposes one add_*_command() that declares its
// options on the CLI11 app and registers the action to run once parsing succeeded. The action
// returns the process exit code (cli/exit_codes.h).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <utility>
#include <vector>

namespace tinysim::cli {

using Action = std::function<int()>;

class CommandRegistry {
 public:
  void add(CLI::App* subcommand, Action action) {
    actions_.emplace_back(subcommand, std::move(action));
  }
  const std::vector<std::pair<CLI::App*, Action>>& actions() const { return actions_; }

 private:
  std::vector<std::pair<CLI::App*, Action>> actions_;
};

void add_run_command(CLI::App& app, CommandRegistry& registry);
void add_boards_command(CLI::App& app, CommandRegistry& registry);
void add_import_command(CLI::App& app, CommandRegistry& registry);
void add_profile_commands(CLI::App& app, CommandRegistry& registry);  // profile, history, diff
void add_compare_command(CLI::App& app, CommandRegistry& registry);
void add_fit_command(CLI::App& app, CommandRegistry& registry);
void add_gate_command(CLI::App& app, CommandRegistry& registry);

}  // namespace tinysim::cli
