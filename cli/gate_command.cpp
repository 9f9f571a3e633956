// `tinysim gate --baseline FILE|RUN_ID NEW --board B --max cycles=+2%,sram=+0,energy=+3%`: a CI
// regression gate. NEW is a firmware ELF (profiled now) or a profile JSON; the baseline is a
// profile JSON or a run id of the run store. Prints every check; --markdown and --junit write
// the reports CI systems show. Exit 0 pass, 1 regression (cli/exit_codes.h, docs/cli.md).
#include <fmt/format.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/run_progress.h"
#include "cli/run_report.h"
#include "profiler/gate.h"
#include "profiler/report.h"
#include "profiler/report_format.h"
#include "profiler/run_store.h"
#include "profiler/session.h"
#include "sim/catalog.h"

namespace tinysim::cli {
namespace {

namespace prof = tinysim::profiler;

struct GateArgs {
  std::string baseline;
  std::string current;  // firmware ELF or profile JSON
  std::string board;    // default: the baseline's board
  std::string max;
  std::string markdown;
  std::string junit;
  std::string db;
  std::string catalog;
  uint64_t max_instructions = 0;
  uint64_t max_cycles = 0;
  double timeout_seconds = 0;
  std::string rules;
  std::string arena;
  std::vector<std::string> firmware_args;
};

bool is_run_id(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// A profile JSON file: a name ending in .json, or contents starting with '{'.
bool looks_like_json(const std::string& path) {
  if (path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0) return true;
  std::ifstream in(path, std::ios::binary);
  char c = 0;
  while (in.get(c)) {
    if (!std::isspace(static_cast<unsigned char>(c))) return c == '{';
  }
  return false;
}

int load_profile_json(const std::string& path, prof::Profile& out) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "tinysim: cannot read %s\n", path.c_str());
    return exit_code::kUsage;
  }
  const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded()) {
    std::fprintf(stderr, "tinysim: %s: not JSON\n", path.c_str());
    return exit_code::kUsage;
  }
  auto p = prof::profile_from_json(doc);
  if (!p.is_ok()) {
    std::fprintf(stderr, "tinysim: %s: %s\n", path.c_str(), p.status().message().c_str());
    return exit_code::kUsage;
  }
  out = std::move(p.value());
  return exit_code::kOk;
}

int load_baseline(const GateArgs& args, prof::Profile& out, std::string& label) {
  if (is_run_id(args.baseline)) {
    const std::filesystem::path path =
        args.db.empty() ? prof::RunStore::default_path() : std::filesystem::path(args.db);
    auto store = prof::RunStore::open(path);
    if (!store.is_ok()) {
      std::fprintf(stderr, "tinysim: %s\n", store.status().message().c_str());
      return exit_code::kStoreError;
    }
    auto p = store.value()->load(std::stoll(args.baseline));
    if (!p.is_ok()) {
      std::fprintf(stderr, "tinysim: --baseline: %s\n", p.status().message().c_str());
      return p.status().code() == prof::StoreError::kNotFound ? exit_code::kUsage
                                                              : exit_code::kStoreError;
    }
    out = std::move(p.value());
    label = fmt::format("run {} ({} on {})", args.baseline,
                        prof::detail::base_name(out.firmware.path), out.board.name);
    return exit_code::kOk;
  }
  if (int rc = load_profile_json(args.baseline, out); rc != exit_code::kOk) return rc;
  label = fmt::format("{} ({} on {})", prof::detail::base_name(args.baseline),
                      prof::detail::base_name(out.firmware.path), out.board.name);
  return exit_code::kOk;
}

int run_current(const GateArgs& args, const prof::Profile& baseline, prof::Profile& out,
                std::string& label) {
  if (!args.catalog.empty()) sim::set_default_catalog_directory(args.catalog);
  const std::string board_name = args.board.empty() ? baseline.board.name : args.board;
  auto board = sim::find_board(board_name);
  if (!board.is_ok()) {
    std::fprintf(stderr, "tinysim: %s\n", board.status().message().c_str());
    return exit_code_for_status(board.status());
  }
  if (args.board.empty() && baseline.board.clock_hz &&
      baseline.board.clock_hz != board.value().clock_hz) {
    // The baseline ran at another operating point: use its clock.
    if (Status s = board.value().select_operating_point(baseline.board.clock_hz, ""); !s.is_ok()) {
      std::fprintf(stderr, "tinysim: the baseline's clock: %s\n", s.message().c_str());
      return exit_code::kUsage;
    }
  }
  prof::SessionOptions session;
  session.recorder.tool_version = TINYSIM_VERSION;
  session.recorder.arena_symbol = args.arena;
  session.rules_file = args.rules;
  session.run.max_instructions = args.max_instructions;
  session.run.max_cycles = args.max_cycles;
  session.run.timeout_seconds = args.timeout_seconds;
  for (const std::string& a : args.firmware_args) {
    session.machine.command_line += (session.machine.command_line.empty() ? "" : " ") + a;
  }
  std::mutex stderr_lock;
  ProgressLine line(stderr_lock);
  InterruptGuard interrupt;
  auto ran = prof::run_session(
      args.current, board.value(), session,
      [&](const prof::SessionProgress& p) {
        line.show("tinysim: profiling... " + describe_progress(p) +
                  (interrupt.interrupted() ? ", stopping" : "  (Ctrl-C: stop)"));
      },
      interrupt.flag());
  line.clear();
  if (!ran.is_ok()) {
    std::fprintf(stderr, "tinysim: %s\n", ran.status().message().c_str());
    return exit_code_for_status(ran.status());
  }
  if (interrupt.interrupted()) {
    std::fprintf(stderr, "tinysim: interrupted (Ctrl-C): no verdict\n");
    return exit_code::kInterrupted;
  }
  out = std::move(ran.value().profile);
  label = fmt::format("{} on {}", prof::detail::base_name(args.current), board.value().name);
  return exit_code::kOk;
}

bool write_file(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return true;
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

int gate(const GateArgs& args) {
  auto limits = prof::parse_gate_limits(args.max);
  if (!limits.is_ok()) {
    std::fprintf(stderr, "tinysim: %s\n", limits.status().message().c_str());
    return exit_code::kUsage;
  }
  prof::Profile baseline, current;
  std::string baseline_label, current_label;
  if (int rc = load_baseline(args, baseline, baseline_label); rc != exit_code::kOk) return rc;
  if (looks_like_json(args.current)) {
    if (int rc = load_profile_json(args.current, current); rc != exit_code::kOk) return rc;
    current_label = fmt::format("{} ({} on {})", prof::detail::base_name(args.current),
                                prof::detail::base_name(current.firmware.path), current.board.name);
  } else if (int rc = run_current(args, baseline, current, current_label); rc != exit_code::kOk) {
    return rc;
  }
  const prof::GateResult result =
      prof::evaluate_gate(baseline, current, limits.value(), baseline_label, current_label);
  std::string table = prof::render_gate_table(result);
  // With a report on stdout the table goes to stderr.
  std::FILE* table_out = (args.markdown == "-" || args.junit == "-") ? stderr : stdout;
  std::fputs(table.c_str(), table_out);
  if (!args.markdown.empty() && !write_file(args.markdown, prof::render_gate_markdown(result))) {
    std::fprintf(stderr, "tinysim: cannot write %s\n", args.markdown.c_str());
    return exit_code::kOutput;
  }
  if (!args.junit.empty() && !write_file(args.junit, prof::render_gate_junit(result))) {
    std::fprintf(stderr, "tinysim: cannot write %s\n", args.junit.c_str());
    return exit_code::kOutput;
  }
  return result.pass ? exit_code::kOk : exit_code::kGateFailed;
}

}  // namespace

void add_gate_command(CLI::App& app, CommandRegistry& registry) {
  auto args = std::make_shared<GateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "gate", "Regression gate: fail when a firmware got slower or bigger than a baseline");
  cmd->footer(
      "NEW is a firmware ELF (profiled now on --board, default the baseline's board and clock)\n"
      "or a profile JSON (`tinysim profile -f json`). Limits: KEY=+N% (relative to the\n"
      "baseline) or KEY=+N (absolute, in the metric's unit); keys: cycles, instructions, sram,\n"
      "flash, energy, time, stack, stalls or any metric key (docs/profile-json.md). Each limit\n"
      "applies to the whole run and to every operator. Exit status: 0 pass, 1 regression,\n"
      "2 usage, 123 run store, 124 interrupted, 111-113 firmware/board errors (docs/cli.md).");
  cmd->add_option("--baseline", args->baseline, "Baseline: a profile JSON file or a run id")
      ->required();
  cmd->add_option("new", args->current, "Firmware ELF to profile, or a profile JSON")->required();
  cmd->add_option("--max", args->max, "Limits, e.g. cycles=+2%,sram=+0,energy=+3%")->required();
  cmd->add_option("-b,--board", args->board, "Board to profile NEW on (default: the baseline's)");
  cmd->add_option("--markdown", args->markdown, "Write a Markdown report to FILE (- stdout)");
  cmd->add_option("--junit", args->junit, "Write a JUnit XML report to FILE (- stdout)");
  cmd->add_option("--db", args->db,
                  "Run store for a run-id baseline (default: $XDG_DATA_HOME/tinysim/runs.db)");
  cmd->add_option("--catalog", args->catalog, "Board catalog directory (docs/catalog.md)");
  cmd->add_option("--max-instructions", args->max_instructions,
                  "Stop the run after this many instructions (0: no limit)");
  cmd->add_option("--max-cycles", args->max_cycles,
                  "Stop the run after this many core cycles (0: no limit)");
  cmd->add_option("--timeout", args->timeout_seconds,
                  "Stop the run after this many seconds of host time (0: no limit)");
  cmd->add_option("--rules", args->rules, "Operator attribution rules (TOML), tried first");
  cmd->add_option("--arena", args->arena, "Symbol of the tensor arena");
  cmd->add_option("firmware_args", args->firmware_args, "Command line for the firmware (after --)");
  registry.add(cmd, [args] { return gate(*args); });
}

}  // namespace tinysim::cli
