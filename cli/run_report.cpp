#include "cli/run_report.h"

#include <fmt/format.h>

#include "cli/exit_codes.h"

namespace tinysim::cli {
namespace {

std::string with_commas(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

double simulated_mips(const sim::RunResult& r) {
  return r.host_seconds > 0 ? double(r.instructions) / r.host_seconds / 1e6 : 0.0;
}

std::string headline(const sim::RunResult& r) {
  switch (r.reason) {
    case sim::StopReason::kExit:
      return fmt::format("firmware exited with status {} ({})", r.exit_code, r.exit_reason);
    case sim::StopReason::kBreakpoint:
      return fmt::format("stopped at a breakpoint at {}", r.stop_location);
    case sim::StopReason::kFault:
      return "firmware faulted";
    case sim::StopReason::kInstructionBudget:
      return fmt::format("instruction budget reached at {}", r.stop_location);
    case sim::StopReason::kCycleBudget:
      return fmt::format("cycle budget reached at {}", r.stop_location);
    case sim::StopReason::kTimeout:
      return fmt::format("wall-clock timeout reached at {}", r.stop_location);
    case sim::StopReason::kResetRequest:
      return fmt::format("firmware requested a system reset at {}", r.stop_location);
    case sim::StopReason::kSleepForever:
      return fmt::format("core sleeps with no enabled interrupt to wake it, at {}",
                         r.stop_location);
    case sim::StopReason::kCancelled:
      return "cancelled";
  }
  return "?";
}

}  // namespace

std::string format_run_report(const sim::Board& board, const sim::RunResult& r) {
  std::string out = fmt::format("tinysim: {}\n", headline(r));
  if (r.fault) {
    const sim::FaultReport& f = *r.fault;
    out += fmt::format("  fault         {}: {}\n", f.kind, f.detail);
    out += fmt::format("  pc            {}\n", f.pc_location);
    out += fmt::format("  lr            {}\n", f.lr_location);
    for (int i = 0; i < 13; i += 4) {
      out += "  ";
      for (int j = i; j < std::min(i + 4, 13); ++j)
        out += fmt::format("r{:<2}= 0x{:08x}  ", j, f.r[j]);
      out += "\n";
    }
    out += fmt::format("  sp = 0x{:08x}  xpsr = 0x{:08x}  cfsr = 0x{:08x}  hfsr = 0x{:08x}\n", f.sp,
                       f.xpsr, f.cfsr, f.hfsr);
  }
  out += fmt::format("  board         {} ({}, {:g} MHz)\n", board.name,
                     sim::describe_core(board.core), double(board.clock_hz) / 1e6);
  out += fmt::format("  instructions  {}\n", with_commas(r.instructions));
  out += fmt::format("  cycles        {} ({:.6g} ms simulated{})\n", with_commas(r.cycles),
                     r.simulated_seconds * 1e3,
                     r.sleep_cycles ? fmt::format(", {} asleep", with_commas(r.sleep_cycles)) : "");
  out += fmt::format("  host time     {:.3f} s ({:.1f} simulated MIPS)\n", r.host_seconds,
                     simulated_mips(r));
  return out;
}

nlohmann::json run_report_json(const sim::Image& image, const sim::Board& board,
                               const sim::RunResult& r) {
  nlohmann::json stop = {{"reason", sim::stop_reason_name(r.reason)},
                         {"pc", r.stop_pc},
                         {"location", r.stop_location}};
  if (r.reason == sim::StopReason::kExit) {
    stop["exit_code"] = r.exit_code;
    stop["exit_reason"] = r.exit_reason;
  }
  nlohmann::json fault = nullptr;
  if (r.fault) {
    const sim::FaultReport& f = *r.fault;
    fault = {{"kind", f.kind},
             {"detail", f.detail},
             {"pc", f.pc},
             {"lr", f.lr},
             {"sp", f.sp},
             {"xpsr", f.xpsr},
             {"cfsr", f.cfsr},
             {"hfsr", f.hfsr},
             {"pc_location", f.pc_location},
             {"lr_location", f.lr_location},
             {"r", f.r}};
    fault["address"] = f.address ? nlohmann::json(*f.address) : nlohmann::json(nullptr);
  }
  return {
      {"schema", kRunJsonSchema},
      {"tool", {{"name", "tinysim"}, {"version", TINYSIM_VERSION}}},
      {"firmware",
       {{"path", image.path().string()},
        {"fnv1a64", fmt::format("{:016x}", image.content_hash())}}},
      {"board",
       {{"name", board.name},
        {"core", sim::core_name(board.core.kind)},
        {"fpu", sim::fpu_name(board.core.fpu)},
        {"clock_hz", board.clock_hz}}},
      {"stop", stop},
      {"counts",
       {{"instructions", r.instructions},
        {"cycles", r.cycles},
        {"sleep_cycles", r.sleep_cycles},
        {"fetch_stall_cycles", r.fetch_stall_cycles},
        {"data_stall_cycles", r.data_stall_cycles},
        {"exceptions_taken", r.exceptions_taken}}},
      {"time",
       {{"simulated_seconds", r.simulated_seconds},
        {"host_seconds", r.host_seconds},
        {"simulated_mips", simulated_mips(r)}}},
      {"fault", fault},
  };
}

int exit_code_for_stop(sim::StopReason reason, int firmware_status) {
  switch (reason) {
    case sim::StopReason::kExit:
      return firmware_status & 0xFF;
    case sim::StopReason::kBreakpoint:
      return exit_code::kBreakpoint;
    case sim::StopReason::kFault:
      return exit_code::kFault;
    case sim::StopReason::kInstructionBudget:
      return exit_code::kInstructionBudget;
    case sim::StopReason::kCycleBudget:
      return exit_code::kCycleBudget;
    case sim::StopReason::kTimeout:
      return exit_code::kTimeout;
    case sim::StopReason::kResetRequest:
      return exit_code::kResetRequest;
    case sim::StopReason::kSleepForever:
      return exit_code::kSleepForever;
    case sim::StopReason::kCancelled:
      return exit_code::kInterrupted;  // Machine::cancel(): Ctrl-C
  }
  return exit_code::kInternal;
}

int exit_code_for_status(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return exit_code::kOk;
    case StatusCode::kInvalidFirmware:
      return exit_code::kBadFirmware;
    case StatusCode::kIncompatibleFirmware:
      return exit_code::kIncompatible;
    case StatusCode::kFirmwareTooLarge:
      return exit_code::kDoesNotFit;
    case StatusCode::kInvalidBoard:
      return exit_code::kBadBoard;
    case StatusCode::kInvalidArgument:
      return exit_code::kUsage;
    case StatusCode::kIoError:
      return exit_code::kOutput;
    case StatusCode::kInternal:
      return exit_code::kInternal;
  }
  return exit_code::kInternal;
}

}  // namespace tinysim::cli
