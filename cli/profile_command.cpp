// `tinysim profile FIRMWARE`: run with the profiler and report per operator, function, source
// line and memory; `tinysim history`: the stored runs; `tinysim diff A B`: per-operator deltas.
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/run_progress.h"
#include "cli/run_report.h"
#include "cli/simulation_options.h"
#include "power_models/battery.h"
#include "profiler/energy.h"
#include "profiler/firmware_info.h"
#include "profiler/profile_diff.h"
#include "profiler/recorder.h"
#include "profiler/report.h"
#include "profiler/report_format.h"
#include "profiler/rules.h"
#include "profiler/run_store.h"
#include "profiler/session.h"
#include "sim/board.h"
#include "sim/elf_image.h"
#include "sim/machine.h"

namespace tinysim::cli {
namespace {

namespace prof = tinysim::profiler;

struct ProfileArgs : SimulationArgs {
  std::string format = "table";
  std::string output;
  std::string db;
  bool no_db = false;
  std::string rules;
  std::string arena;
  bool no_paint = false;
  bool by_index = false;
  prof::BatteryOptions battery;  // --battery, --rate, --sleep (empty battery: no estimate)
};

struct HistoryArgs {
  std::string db;
  std::string firmware;
  std::string board;
  size_t limit = 20;
  bool json = false;
};

struct DiffArgs {
  std::string a, b;
  std::string db;
  std::string format = "table";
};

int exit_code_for_store(const prof::StoreStatus& s) {
  return s.code() == prof::StoreError::kNotFound ? exit_code::kUsage : exit_code::kStoreError;
}

std::filesystem::path db_path(const std::string& db) {
  return db.empty() ? prof::RunStore::default_path() : std::filesystem::path(db);
}

bool write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return true;
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

int profile(const ProfileArgs& args) {
  const std::optional<prof::Format> format = prof::format_by_name(args.format);
  if (!format) {
    std::fprintf(stderr, "tinysim: unknown format '%s' (known: %s)\n", args.format.c_str(),
                 prof::format_names().c_str());
    return exit_code::kUsage;
  }
  auto board = select_board(args);
  if (!board.is_ok()) {
    std::fprintf(stderr, "tinysim: %s\n", board.status().message().c_str());
    return exit_code_for_status(board.status());
  }
  if (!args.battery.battery.empty()) {
    // Checked before the run: a typo should not cost a simulation.
    if (!power_models::battery_named(args.battery.battery)) {
      std::fprintf(stderr, "tinysim: --battery: unknown battery '%s' (known: %s)\n",
                   args.battery.battery.c_str(), power_models::battery_names());
      return exit_code::kUsage;
    }
    if (!power_models::parse_rate_per_second(args.battery.rate)) {
      std::fprintf(stderr, "tinysim: --rate: '%s' is not N/s, N/min, N/h or N/day with N > 0\n",
                   args.battery.rate.c_str());
      return exit_code::kUsage;
    }
  }
  // The run itself is a profiler session (profiler/session.h), shared with compare and the GUI.
  prof::SessionOptions session;
  session.recorder.tool_version = TINYSIM_VERSION;
  session.recorder.paint_memory = !args.no_paint;
  session.recorder.arena_symbol = args.arena;
  session.rules_file = args.rules;
  session.machine = args.machine_options();
  session.run = args.run_options();
  // The report may go to stdout: the firmware's console goes to stderr.
  std::mutex stderr_lock;
  ProgressLine progress_line(stderr_lock);
  session.console = [&](int, std::string_view text) {
    std::lock_guard lock(stderr_lock);
    progress_line.clear_locked();
    std::fwrite(text.data(), 1, text.size(), stderr);
  };
  session.warnings = [&](const std::string& message) {
    std::lock_guard lock(stderr_lock);
    progress_line.clear_locked();
    std::fprintf(stderr, "tinysim: warning: %s\n", message.c_str());
  };
  InterruptGuard interrupt;
  auto ran = prof::run_session(
      args.firmware, board.value(), session,
      [&](const prof::SessionProgress& p) {
        progress_line.show(
            "tinysim: profiling... " + describe_progress(p) +
            (interrupt.interrupted() ? ", stopping" : "  (Ctrl-C: stop, keep partial results)"));
      },
      interrupt.flag());
  progress_line.clear();
  if (!ran.is_ok()) {
    std::fprintf(stderr, "tinysim: %s\n", ran.status().message().c_str());
    return exit_code_for_status(ran.status());
  }
  const bool interrupted = interrupt.interrupted();
  const sim::RunResult result = ran.value().run;
  prof::Profile profile = std::move(ran.value().profile);
  if (interrupted) {
    profile.warnings.push_back(
        "interrupted (Ctrl-C): partial results, up to where the run stopped");
  }
  if (result.reason != sim::StopReason::kExit) {
    std::fputs(format_run_report(board.value(), result).c_str(), stderr);
  }
  if (!args.battery.battery.empty()) {
    // The profile is still worth keeping when the board cannot give a battery estimate.
    if (Status s = prof::add_battery_estimate(profile, board.value(), args.battery); !s.is_ok()) {
      std::fprintf(stderr, "tinysim: warning: no battery estimate: %s\n", s.message().c_str());
      profile.warnings.push_back("no battery estimate: " + s.message());
    }
  }

  // Store first: the run is kept even when the report's reader goes away (a closed pipe).
  int status = exit_code_for_stop(result.reason, result.exit_code);
  if (!args.no_db) {
    const std::filesystem::path path = db_path(args.db);
    auto store = prof::RunStore::open(path);
    if (!store.is_ok()) {
      std::fprintf(stderr, "tinysim: %s\n", store.status().message().c_str());
      status = exit_code::kStoreError;
    } else {
      auto id =
          store.value()->add(profile, prof::collect_run_metadata(std::filesystem::current_path()));
      if (!id.is_ok()) {
        std::fprintf(stderr, "tinysim: %s\n", id.status().message().c_str());
        status = exit_code::kStoreError;
      } else {
        std::fprintf(stderr, "tinysim: stored as run %lld in %s%s\n",
                     static_cast<long long>(id.value()), path.c_str(),
                     profile.run.partial ? " (partial)" : "");
      }
    }
  }
  prof::RenderOptions render_options;
  render_options.operators_by_index = args.by_index;
  if (!write_output(args.output, prof::render(profile, *format, render_options))) {
    std::fprintf(stderr, "tinysim: cannot write %s\n", args.output.c_str());
    return exit_code::kOutput;
  }
  return status;
}

int history(const HistoryArgs& args) {
  auto store = prof::RunStore::open(db_path(args.db));
  if (!store.is_ok()) {
    std::fprintf(stderr, "tinysim: %s\n", store.status().message().c_str());
    return exit_code::kStoreError;
  }
  prof::RunFilter filter;
  filter.board = args.board;
  filter.limit = args.limit;
  if (!args.firmware.empty()) {
    auto image = sim::Image::load(args.firmware);
    if (!image.is_ok()) {
      std::fprintf(stderr, "tinysim: %s\n", image.status().message().c_str());
      return exit_code_for_status(image.status());
    }
    filter.firmware_hash = fmt::format("{:016x}", image.value().content_hash());
  }
  auto runs = store.value()->list(filter);
  if (!runs.is_ok()) {
    std::fprintf(stderr, "tinysim: %s\n", runs.status().message().c_str());
    return exit_code_for_store(runs.status());
  }
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const prof::RunRecord& r : runs.value()) {
      out.push_back({{"id", r.id},
                     {"created_at", r.created_at},
                     {"firmware_path", r.firmware_path},
                     {"firmware_fnv1a64", r.firmware_hash},
                     {"board", r.board},
                     {"tool_version", r.tool_version},
                     {"git_commit", r.git_commit},
                     {"git_branch", r.git_branch},
                     {"git_dirty", r.git_dirty},
                     {"stop_reason", r.stop_reason},
                     {"partial", r.partial},
                     {"cycles", r.cycles},
                     {"instructions", r.instructions},
                     {"operators", r.operators}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return exit_code::kOk;
  }
  prof::detail::TextTable t;
  t.add_column("run", true);
  t.add_column("when (UTC)", false);
  t.add_column("firmware", false);
  t.add_column("board", false);
  t.add_column("cycles", true);
  t.add_column("ops", true);
  t.add_column("ending", false);
  t.add_column("git", false);
  for (const prof::RunRecord& r : runs.value()) {
    std::string git = r.git_commit.substr(0, 10);
    if (r.git_dirty) git += "+dirty";
    t.add_row({std::to_string(r.id), r.created_at, prof::detail::base_name(r.firmware_path),
               r.board, prof::detail::with_commas(int64_t(r.cycles)), std::to_string(r.operators),
               r.partial ? r.stop_reason + " (partial)" : r.stop_reason, git});
  }
  std::printf("%s", t.render("").c_str());
  if (runs.value().empty()) std::printf("(no runs stored in %s)\n", store.value()->path().c_str());
  return exit_code::kOk;
}

// A run id from the store, or a profile JSON file.
int load_run(prof::RunStore* store, const std::string& which, prof::Profile& out,
             std::string& label) {
  char* end = nullptr;
  const long long id = std::strtoll(which.c_str(), &end, 10);
  if (!which.empty() && *end == 0) {
    if (!store) return exit_code::kStoreError;
    auto p = store->load(id);
    if (!p.is_ok()) {
      std::fprintf(stderr, "tinysim: %s\n", p.status().message().c_str());
      return exit_code_for_store(p.status());
    }
    out = std::move(p.value());
    label = fmt::format("run {} ({} on {})", id, prof::detail::base_name(out.firmware.path),
                        out.board.name);
    return exit_code::kOk;
  }
  std::ifstream in(which);
  if (!in) {
    std::fprintf(stderr, "tinysim: '%s' is neither a run id nor a readable profile JSON file\n",
                 which.c_str());
    return exit_code::kUsage;
  }
  const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded()) {
    std::fprintf(stderr, "tinysim: %s: not JSON\n", which.c_str());
    return exit_code::kUsage;
  }
  auto p = prof::profile_from_json(doc);
  if (!p.is_ok()) {
    std::fprintf(stderr, "tinysim: %s: %s\n", which.c_str(), p.status().message().c_str());
    return exit_code::kUsage;
  }
  out = std::move(p.value());
  label = which;
  return exit_code::kOk;
}

int diff(const DiffArgs& args) {
  if (args.format != "table" && args.format != "json") {
    std::fprintf(stderr, "tinysim: diff formats are table and json, not '%s'\n",
                 args.format.c_str());
    return exit_code::kUsage;
  }
  std::unique_ptr<prof::RunStore> store;
  auto is_id = [](const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (is_id(args.a) || is_id(args.b)) {
    auto opened = prof::RunStore::open(db_path(args.db));
    if (!opened.is_ok()) {
      std::fprintf(stderr, "tinysim: %s\n", opened.status().message().c_str());
      return exit_code::kStoreError;
    }
    store = std::move(opened.value());
  }
  prof::Profile a, b;
  std::string label_a, label_b;
  if (int rc = load_run(store.get(), args.a, a, label_a); rc != exit_code::kOk) return rc;
  if (int rc = load_run(store.get(), args.b, b, label_b); rc != exit_code::kOk) return rc;
  const prof::ProfileDiff d = prof::diff_profiles(a, b, label_a, label_b);
  if (args.format == "json") {
    std::printf("%s\n", prof::diff_to_json(d).dump(2).c_str());
  } else {
    std::printf("%s", prof::render_diff_table(d).c_str());
  }
  return exit_code::kOk;
}

}  // namespace

void add_profile_commands(CLI::App& app, CommandRegistry& registry) {
  {
    auto args = std::make_shared<ProfileArgs>();
    CLI::App* cmd = app.add_subcommand(
        "profile", "Run a firmware with the profiler: cycles, time, SRAM and flash per operator");
    cmd->footer(
        "Operators come from the firmware's ITM markers (docs/markers.md), else from\n"
        "function-name rules (CMSIS-NN, TensorFlow Lite Micro, tinysim kernels; --rules adds\n"
        "yours, docs/profile-rules.md). The report goes to stdout (or -o FILE); the firmware's\n"
        "console and tinysim's messages to stderr. Each run is stored in the run store\n"
        "(--db, default $XDG_DATA_HOME/tinysim/runs.db) for `tinysim history` and `tinysim diff`.\n"
        "Ctrl-C stops the run and keeps the partial profile. Exit status: as `tinysim run`\n"
        "(docs/cli.md).");
    add_simulation_options(cmd, *args);
    cmd->add_option("-f,--format", args->format, "Report format: " + prof::format_names())
        ->capture_default_str();
    cmd->add_option("-o,--output", args->output, "Write the report to FILE instead of stdout");
    cmd->add_option("--db", args->db, "Run store file (default: $XDG_DATA_HOME/tinysim/runs.db)");
    cmd->add_flag("--no-db", args->no_db, "Do not store the run");
    cmd->add_option("--rules", args->rules, "Operator attribution rules (TOML), tried first");
    cmd->add_option("--arena", args->arena,
                    "Symbol of the tensor arena (default: tensor_arena or *_arena)");
    cmd->add_flag("--no-paint", args->no_paint,
                  "Do not paint stack and heap (no stack/heap peaks)");
    cmd->add_flag("--by-index", args->by_index,
                  "List operators in network order, not hottest first");
    cmd->add_option(
        "--battery", args->battery.battery,
        std::string("Battery life estimate for this battery: ") + power_models::battery_names());
    cmd->add_option("--rate", args->battery.rate,
                    "Inferences per time for --battery: N/s, N/min, N/h, N/day")
        ->capture_default_str();
    cmd->add_option("--sleep", args->battery.sleep_mode,
                    "Low-power mode between inferences for --battery (default: the board's "
                    "lowest-current mode)");
    registry.add(cmd, [args] { return profile(*args); });
  }
  {
    auto args = std::make_shared<HistoryArgs>();
    CLI::App* cmd = app.add_subcommand("history", "List the profiled runs in the run store");
    cmd->add_option("--db", args->db, "Run store file (default: $XDG_DATA_HOME/tinysim/runs.db)");
    cmd->add_option("--firmware", args->firmware, "Only runs of this ELF (same file contents)");
    cmd->add_option("-b,--board", args->board, "Only runs on this board");
    cmd->add_option("-n,--limit", args->limit, "Newest N runs (0: all)")->capture_default_str();
    cmd->add_flag("--json", args->json, "JSON instead of a table");
    registry.add(cmd, [args] { return history(*args); });
  }
  {
    auto args = std::make_shared<DiffArgs>();
    CLI::App* cmd =
        app.add_subcommand("diff", "Compare two profiled runs operator by operator (B against A)");
    cmd->add_option("run_a", args->a, "Run id in the store, or a profile JSON file")->required();
    cmd->add_option("run_b", args->b, "Run id in the store, or a profile JSON file")->required();
    cmd->add_option("--db", args->db, "Run store file (default: $XDG_DATA_HOME/tinysim/runs.db)");
    cmd->add_option("-f,--format", args->format, "table or json")->capture_default_str();
    registry.add(cmd, [args] { return diff(*args); });
  }
}

}  // namespace tinysim::cli
