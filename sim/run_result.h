// RunResult: how and why a simulation ended, with its counts and, for a fault, a report.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "power_models/event_counts.h"

namespace tinysim::sim {

enum class StopReason {
  kExit,               // semihosting SYS_EXIT / SYS_EXIT_EXTENDED
  kBreakpoint,         // BKPT other than 0xAB
  kFault,              // a fault the firmware would take (bad address, undefined instruction...)
  kInstructionBudget,  // RunOptions::max_instructions reached
  kCycleBudget,        // RunOptions::max_cycles reached
  kTimeout,            // RunOptions::timeout_seconds of host time elapsed
  kResetRequest,       // AIRCR.SYSRESETREQ
  kSleepForever,       // WFI/WFE with no enabled interrupt that could ever wake the core
  kCancelled,          // Machine::cancel() from another thread
};

// "exit", "breakpoint", "fault", ... (stable names used in JSON).
const char* stop_reason_name(StopReason reason);

struct FaultReport {
  std::string kind;                 // e.g. "BusFault", "UsageFault", "HardFault"
  std::string detail;               // e.g. "precise data bus error: read of 4 bytes at 0x60000000"
  std::optional<uint32_t> address;  // faulting data or instruction address, when known
  uint32_t pc = 0;
  uint32_t lr = 0;
  uint32_t xpsr = 0;
  std::array<uint32_t, 13> r{};  // r0..r12
  uint32_t sp = 0;
  uint32_t cfsr = 0, hfsr = 0;
  std::string pc_location;  // "function+0x12 (0x00000123)"
  std::string lr_location;
};

struct RunResult {
  StopReason reason = StopReason::kExit;
  int exit_code = 0;                // firmware's status for kExit
  std::string exit_reason;          // semihosting reason name for kExit
  uint32_t stop_pc = 0;             // where execution stopped
  std::string stop_location;        // stop_pc as "function+offset"
  uint64_t instructions = 0;        // executed instructions
  uint64_t cycles = 0;              // modelled core cycles, including sleep
  uint64_t sleep_cycles = 0;        // cycles spent in WFI/WFE
  uint64_t exceptions_taken = 0;    // exception entries (interrupts, SVC)
  uint64_t fetch_stall_cycles = 0;  // part of `cycles` waiting for instruction fetch (flash, XIP)
  uint64_t data_stall_cycles = 0;   // part of `cycles` waiting for data accesses
  double simulated_seconds = 0;     // cycles / board clock
  double host_seconds = 0;          // wall-clock time of the run (not deterministic)
  std::optional<FaultReport> fault;
  // What the energy model charges for (Machine::event_counts() at the end of the run).
  power_models::EventCounts events;
};

}  // namespace tinysim::sim
