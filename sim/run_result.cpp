#include "sim/run_result.h"

namespace tinysim::sim {

const char* stop_reason_name(StopReason reason) {
  switch (reason) {
    case StopReason::kExit:
      return "exit";
    case StopReason::kBreakpoint:
      return "breakpoint";
    case StopReason::kFault:
      return "fault";
    case StopReason::kInstructionBudget:
      return "instruction-budget";
    case StopReason::kCycleBudget:
      return "cycle-budget";
    case StopReason::kTimeout:
      return "timeout";
    case StopReason::kResetRequest:
      return "reset-request";
    case StopReason::kSleepForever:
      return "sleep-forever";
    case StopReason::kCancelled:
      return "cancelled";
  }
  return "?";
}

}  // namespace tinysim::sim
