// Semihosting: the Arm debug-channel calls a firmware makes with BKPT 0xAB (Arm "Semihosting
// for AArch32 and AArch64", version 2.0). The firmware is untrusted input: it gets a console,
// simulated time, its command line and an exit status, and no access to host files (opening
// anything but ":tt" and ":semihosting-features" is refused with a warning).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct uc_struct;

namespace tinysim::sim {

// Where the firmware's console output goes: stream 1 = stdout, 2 = stderr.
using ConsoleSink = std::function<void(int stream, std::string_view text)>;

struct SemihostingResult {
  uint32_t r0 = 0;
  std::optional<int> exit_code;  // set when the firmware asked to end the run
  std::string exit_reason;       // e.g. "ADP_Stopped_ApplicationExit"
  std::optional<std::string> warning;
};

class Semihosting {
 public:
  // `command_line`: what SYS_GET_CMDLINE returns.
  Semihosting(ConsoleSink console, std::string command_line, uint64_t clock_hz);

  // Performs operation `op` (r0) with parameter `param` (r1) at simulated time `cycles`.
  // Memory errors (a pointer outside mapped memory) fail the call, never the simulator.
  SemihostingResult call(uc_struct* uc, uint32_t op, uint32_t param, uint64_t cycles);

 private:
  bool read_words(uc_struct* uc, uint32_t address, uint32_t* words, int count);
  bool read_string(uc_struct* uc, uint32_t address, size_t max_length, std::string& out);

  ConsoleSink console_;
  std::string command_line_;
  uint64_t clock_hz_;
  uint32_t errno_ = 0;
  size_t features_position_ = 0;
};

}  // namespace tinysim::sim
