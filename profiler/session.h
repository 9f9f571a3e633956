// Session: one profiled run of a firmware on a board, from a library call: load the ELF and its
// profiler information, create the machine and the Recorder, run, and finish the Profile.
// `tinysim profile`, `tinysim compare` and the GUI all go through it.
//
// Threading: profile_firmware() runs the simulation on the calling thread and blocks until the
// run ends. While it runs, a helper thread calls `progress` about every 100 ms (never after
// profile_firmware() returned) and watches `cancel`: when *cancel becomes true the machine is
// asked to stop at its next block; the run then ends with stop reason "cancelled" and the
// Profile is partial (RunSummary::partial), not an error. Several sessions may run at once on
// different threads (compare does): they share nothing but the read-only board catalog.
//
// Errors (the Status codes of sim/status.h, messages naming the file):
//   kInvalidFirmware      the ELF is missing, unreadable or malformed, or its operator table is
//   kIncompatibleFirmware the ELF needs an architecture or FPU the board's core lacks
//   kInvalidBoard         the board fails validation
//   kInvalidArgument      the user rules file does not load
// A firmware that faults, hits a budget or is cancelled is not an error: it gives a Profile
// whose RunSummary says how the run ended.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "profiler/profile.h"
#include "profiler/recorder.h"
#include "sim/board.h"
#include "sim/machine.h"
#include "sim/run_result.h"
#include "sim/status.h"

namespace tinysim::profiler {

// What a front end shows while a session runs.
struct SessionProgress {
  uint64_t cycles = 0;          // core cycles simulated so far
  double simulated_ms = 0;      // cycles at the board clock, milliseconds
  uint64_t operators_done = 0;  // operator executions finished
  // Operators in the firmware's marker table (0 without markers: rule-attributed firmware).
  uint64_t operator_count = 0;
  // With markers: the name of the table entry after the ones done (the operator running now
  // when the network runs its operators in table order, as imported firmware does); "" with
  // rules or once all are done.
  std::string current_operator;
  double host_seconds = 0;  // wall-clock time since the run started
  // compare_boards() only: its last call for a board, after the board's run ended (or was
  // skipped because of cancellation). Sessions never set it.
  bool finished = false;
};

// Called from the session's helper thread (not the caller's), about every 100 ms while the
// machine runs. Must be thread-safe with respect to the caller's own state; must not block long.
using ProgressCallback = std::function<void(const SessionProgress&)>;

struct SessionOptions {
  // Attribution and memory measurement (rules, arena symbol, painting, tool version). Default:
  // the built-in rules, painting on. Set recorder.tool_version to the front end's version.
  RecorderOptions recorder;
  // The firmware's command line (semihosting SYS_GET_CMDLINE) and ideal memory (zero wait
  // states everywhere, for validating core models; false for real boards).
  sim::MachineOptions machine;
  // Instruction, cycle and host-time budgets (0: no limit). A budget reached ends the run with
  // a partial Profile.
  sim::RunOptions run;
  // A user rules file (TOML, docs/profile-rules.md), tried before the built-in rules. "": none.
  // Loaded by the session and prepended to recorder.rules.
  std::string rules_file;
  // The firmware's console (semihosting and ITM port 0). Default: discarded. Called on the
  // simulation thread.
  sim::ConsoleSink console;
  // Non-fatal simulator warnings. Default: discarded. Called on the simulation thread.
  std::function<void(const std::string&)> warnings;
  // Interval of the progress callback.
  uint32_t progress_interval_ms = 100;
};

// A finished session: the Profile and how the run ended (for exit codes and the run report).
struct SessionResult {
  Profile profile;
  sim::RunResult run;
  bool cancelled = false;  // *cancel was set while the run was going
};

// Runs `elf_path` on `board` (at the board's current operating point) with the profiler.
// REQUIRES: `board` valid (from the catalog); `cancel` may be nullptr (never cancelled);
// `progress` may be empty. Blocks until the run ends.
StatusOr<SessionResult> run_session(const std::string& elf_path, const sim::Board& board,
                                    const SessionOptions& options,
                                    const ProgressCallback& progress = {},
                                    const std::atomic<bool>* cancel = nullptr);

// run_session() keeping only the Profile (the GUI's entry point).
StatusOr<Profile> profile_firmware(const std::string& elf_path, const sim::Board& board,
                                   const SessionOptions& options,
                                   const ProgressCallback& progress = {},
                                   const std::atomic<bool>* cancel = nullptr);

}  // namespace tinysim::profiler
