// Firmware-level tests: real Cortex-M programs from workloads/firmware/tests run in the machine.
#include "sim/machine.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "firmware_path.h"

namespace tinysim::sim {
namespace {

using tinysim::testing::firmware;

struct Outcome {
  RunResult result;
  std::string console;
  std::vector<std::string> warnings;
};

Outcome run_firmware(const std::string& name, const std::string& variant,
                     const std::string& board_name, const std::string& command_line = "",
                     RunOptions options = {}) {
  Outcome out;
  auto image = Image::load(firmware(name, variant));
  EXPECT_TRUE(image.is_ok()) << image.status().message();
  auto board = find_board(board_name);
  EXPECT_TRUE(board.is_ok());
  if (!image.is_ok() || !board.is_ok()) return out;
  MachineOptions machine_options;
  machine_options.command_line = command_line;
  auto machine = Machine::create(board.value(), image.value(), machine_options);
  EXPECT_TRUE(machine.is_ok()) << machine.status().message();
  if (!machine.is_ok()) return out;
  machine.value()->set_console([&](int, std::string_view text) { out.console += text; });
  machine.value()->set_warning_sink([&](const std::string& w) { out.warnings.push_back(w); });
  if (options.max_instructions == 0 && options.max_cycles == 0 && options.timeout_seconds == 0) {
    options.max_instructions = 50'000'000;  // a hung test fails instead of hanging
  }
  out.result = machine.value()->run(options);
  return out;
}

// The board for each core variant in these tests.
const std::pair<const char*, const char*> kVariantBoards[] = {
    {"cortex-m0", "nucleo-f030r8"},     {"cortex-m0plus", "nucleo-g071rb"},
    {"cortex-m3", "bluepill-f103c8"},   {"cortex-m4f", "nrf52840-dk"},
    {"cortex-m7f", "stm32f746g-disco"}, {"cortex-m33f", "nrf5340-dk"}};

TEST(Machine, HelloOverSemihostingAndItmOnEveryCore) {
  for (const auto& [variant, board] : kVariantBoards) {
    SCOPED_TRACE(variant);
    const Outcome o = run_firmware("hello", variant, board);
    EXPECT_EQ(o.result.reason, StopReason::kExit);
    EXPECT_EQ(o.result.exit_code, 0);
    EXPECT_EQ(o.result.exit_reason, "ADP_Stopped_ApplicationExit");
    EXPECT_NE(o.console.find("hello from tinysim firmware\n"), std::string::npos) << o.console;
    EXPECT_NE(o.console.find("hello over ITM\n"), std::string::npos) << o.console;
    EXPECT_NE(o.console.find("checksum "), std::string::npos);
    EXPECT_GT(o.result.instructions, 1000u);
    EXPECT_TRUE(o.warnings.empty()) << o.warnings.front();
  }
}

TEST(Machine, ItmPortZeroIsTheConsole) {
  const Outcome o = run_firmware("test-itm-hello", "cortex-m3", "bluepill-f103c8");
  EXPECT_EQ(o.result.reason, StopReason::kExit);
  EXPECT_EQ(o.console, "hello over ITM\n");
}

TEST(Machine, FirmwareExitCodeIsTheRunsExitCode) {
  for (const char* code : {"0", "3", "42", "255"}) {
    const Outcome o = run_firmware("test-exit-code", "cortex-m4f", "nrf52840-dk", code);
    EXPECT_EQ(o.result.reason, StopReason::kExit);
    EXPECT_EQ(o.result.exit_code, std::stoi(code));
  }
}

TEST(Machine, SysTickInterruptsWakeWfiAndDriveADelay) {
  for (const auto& [variant, board] : kVariantBoards) {
    SCOPED_TRACE(variant);
    const Outcome o = run_firmware("test-systick", variant, board);
    EXPECT_EQ(o.result.reason, StopReason::kExit);
    EXPECT_EQ(o.result.exit_code, 0) << o.console;
    EXPECT_NE(o.console.find("ticks 10"), std::string::npos) << o.console;
    EXPECT_GE(o.result.exceptions_taken, 10u);
    EXPECT_GT(o.result.sleep_cycles, 0u);  // the WFI loop slept until each tick
  }
}

TEST(Machine, SvcHandlerRewritesStackedRegister) {
  for (const auto& [variant, board] : kVariantBoards) {
    SCOPED_TRACE(variant);
    const Outcome o = run_firmware("test-svc", variant, board);
    EXPECT_EQ(o.result.reason, StopReason::kExit);
    EXPECT_EQ(o.result.exit_code, 0);
    EXPECT_EQ(o.result.exceptions_taken, 2u);  // once from each stack
  }
}

TEST(Machine, SemihostingTimeIsSimulatedTime) {
  const Outcome o = run_firmware("test-semihost-time", "cortex-m4f", "nrf52840-dk");
  ASSERT_EQ(o.result.reason, StopReason::kExit);
  unsigned long elapsed = 0;
  long freq = 0, centiseconds = -1, seconds = -1;
  ASSERT_EQ(std::sscanf(o.console.c_str(), "elapsed %lu freq %ld clock %ld time %ld", &elapsed,
                        &freq, &centiseconds, &seconds),
            4)
      << o.console;
  EXPECT_EQ(freq, 64'000'000);
  EXPECT_GT(elapsed, 200'000u);         // the busy loop alone runs longer than that
  EXPECT_LT(elapsed, o.result.cycles);  // and the run went on after the call
  EXPECT_EQ(centiseconds, long(elapsed * 100 / 64'000'000));
  EXPECT_EQ(seconds, 0);
}

TEST(Machine, DwtCyccntReadsTheModelledCycleCountExactlyMidBlock) {
  // Between the two CYCCNT loads (tests/cyccnt.c): the first LDR, pipelined after the previous
  // LDR (1), MOVS (1), 99 x (SUBS 1 + taken BNE 1+P, P = 1 for an aligned 16-bit target) and
  // SUBS + untaken BNE (2): 301 on Cortex-M3 and M4 (100165 / DDI0439D Table 3-1, 3.3.2). The
  // block holding both loads runs once, so the reads are exact without a warm-up pass.
  for (const auto& [variant, board] :
       {std::pair{"cortex-m3", "bluepill-f103c8"}, std::pair{"cortex-m4f", "nrf52840-dk"}}) {
    const Outcome o = run_firmware("test-cyccnt", variant, board);
    EXPECT_EQ(o.console, "cyccnt delta 301\n") << variant;
  }
}

TEST(Machine, FpuAfterCpacrWrite) {
  const Outcome o = run_firmware("test-fpu", "cortex-m4f", "nrf52840-dk");
  EXPECT_EQ(o.result.reason, StopReason::kExit);
  EXPECT_EQ(o.result.exit_code, 0) << o.console;
  EXPECT_NE(o.console.find("cpacr 00f00000 dot+1 1000"), std::string::npos) << o.console;
}

struct FaultCase {
  const char* kind;
  const char* variant;
  const char* board;
  const char* fault_kind;
  const char* detail;
  const char* pc_function;
};

class FaultReports : public ::testing::TestWithParam<FaultCase> {};

TEST_P(FaultReports, StopWithAReport) {
  const FaultCase& c = GetParam();
  const Outcome o = run_firmware("test-faults", c.variant, c.board, c.kind);
  ASSERT_EQ(o.result.reason, StopReason::kFault) << stop_reason_name(o.result.reason);
  ASSERT_TRUE(o.result.fault.has_value());
  EXPECT_EQ(o.result.fault->kind, c.fault_kind);
  EXPECT_NE(o.result.fault->detail.find(c.detail), std::string::npos) << o.result.fault->detail;
  EXPECT_EQ(o.result.fault->pc_location.rfind(c.pc_function, 0), 0u) << o.result.fault->pc_location;
}

INSTANTIATE_TEST_SUITE_P(
    Machine, FaultReports,
    ::testing::Values(FaultCase{"bus-read", "cortex-m4f", "nrf52840-dk", "BusFault",
                                "read of 4 bytes at 0x70000000", "load"},
                      FaultCase{"bus-write", "cortex-m4f", "nrf52840-dk", "BusFault",
                                "write of 4 bytes at 0x70000000", "store"},
                      FaultCase{"flash-write", "cortex-m3", "bluepill-f103c8", "BusFault",
                                "read-only flash", "store"},
                      FaultCase{"undefined", "cortex-m4f", "nrf52840-dk", "UsageFault",
                                "undefined instruction", "main"},
                      FaultCase{"divide-by-zero", "cortex-m4f", "nrf52840-dk", "UsageFault",
                                "divide by zero", "main"},
                      FaultCase{"unaligned", "cortex-m0plus", "nucleo-g071rb", "HardFault",
                                "unaligned read of 4 bytes", "load"},
                      FaultCase{"bus-read", "cortex-m0", "nucleo-f030r8", "HardFault", "0x70000000",
                                "load"},
                      FaultCase{"execute-peripheral", "cortex-m4f", "nrf52840-dk", "MemManageFault",
                                "0x40000000", "0x40000000"},
                      FaultCase{"bad-exc-return", "cortex-m4f", "nrf52840-dk", "UsageFault",
                                "invalid exception return", "main"}),
    [](const auto& info) {
      std::string name = std::string(info.param.kind) + "_" + info.param.variant;
      for (char& ch : name) {
        if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

TEST(Machine, EndlessLoopEndsExactlyAtTheInstructionBudget) {
  RunOptions options;
  options.max_instructions = 100'000;
  const Outcome o = run_firmware("test-faults", "cortex-m4f", "nrf52840-dk", "endless", options);
  EXPECT_EQ(o.result.reason, StopReason::kInstructionBudget);
  EXPECT_EQ(o.result.instructions, 100'000u);
  EXPECT_EQ(o.result.stop_location.rfind("main", 0), 0u) << o.result.stop_location;
}

TEST(Machine, EndlessLoopEndsAtTheCycleBudget) {
  RunOptions options;
  options.max_cycles = 123'457;
  const Outcome o = run_firmware("test-faults", "cortex-m4f", "nrf52840-dk", "endless", options);
  EXPECT_EQ(o.result.reason, StopReason::kCycleBudget);
  EXPECT_GE(o.result.cycles, 123'457u);
  EXPECT_LT(o.result.cycles, 123'457u + 8);
}

TEST(Machine, EndlessLoopEndsAtTheTimeout) {
  RunOptions options;
  options.timeout_seconds = 0.2;
  const Outcome o = run_firmware("test-faults", "cortex-m4f", "nrf52840-dk", "endless", options);
  EXPECT_EQ(o.result.reason, StopReason::kTimeout);
  EXPECT_GE(o.result.host_seconds, 0.2);
}

TEST(Machine, OtherEndings) {
  EXPECT_EQ(run_firmware("test-faults", "cortex-m4f", "nrf52840-dk", "breakpoint").result.reason,
            StopReason::kBreakpoint);
  EXPECT_EQ(run_firmware("test-faults", "cortex-m4f", "nrf52840-dk", "sleep-forever").result.reason,
            StopReason::kSleepForever);
  EXPECT_EQ(run_firmware("test-faults", "cortex-m4f", "nrf52840-dk", "reset").result.reason,
            StopReason::kResetRequest);
}

TEST(Machine, HostFilesAreRefusedWithAWarning) {
  const Outcome o = run_firmware("test-faults", "cortex-m4f", "nrf52840-dk", "refused-open");
  EXPECT_EQ(o.result.reason, StopReason::kExit);
  EXPECT_EQ(o.result.exit_code, 0);
  ASSERT_EQ(o.warnings.size(), 1u);
  EXPECT_NE(o.warnings[0].find("/etc/passwd"), std::string::npos) << o.warnings[0];
}

TEST(Machine, UnmodelledPeripheralReadsZeroAndWarnsOnce) {
  const Outcome o = run_firmware("test-faults", "cortex-m4f", "nucleo-f411re", "peripheral");
  EXPECT_EQ(o.result.reason, StopReason::kExit);
  EXPECT_EQ(o.result.exit_code, 0);
  ASSERT_EQ(o.warnings.size(), 1u);
  EXPECT_NE(o.warnings[0].find("0x40023830"), std::string::npos) << o.warnings[0];
}

class CountingObserver : public ExecutionObserver {
 public:
  void on_block(const RetiredBlock& b) override {
    cycles += b.cycles;
    instructions += b.instructions;
    // Blocks follow each other; gaps are exception entry and return latencies.
    EXPECT_GE(b.start_cycle, last_end);
    last_end = b.start_cycle + b.cycles;
    EXPECT_GE(b.insns.size(), b.instructions);
  }
  void on_itm_write(uint32_t port, uint32_t value, uint64_t cycle) override {
    markers.push_back({port, value, cycle});
  }
  void on_exception_entry(int exception, uint32_t, uint64_t) override {
    entries.push_back(exception);
  }
  void on_exception_return(int exception, uint32_t, uint64_t) override {
    returns.push_back(exception);
  }
  struct Marker {
    uint32_t port, value;
    uint64_t cycle;
  };
  uint64_t cycles = 0, instructions = 0, last_end = 0;
  std::vector<Marker> markers;
  std::vector<int> entries, returns;
};

TEST(Machine, ObserverSeesEveryBlockMarkerAndException) {
  for (const auto& [variant, board] :
       {std::pair{"cortex-m0plus", "nucleo-g071rb"}, std::pair{"cortex-m4f", "nrf52840-dk"}}) {
    SCOPED_TRACE(variant);
    auto image = Image::load(firmware("test-markers", variant));
    auto machine = Machine::create(find_board(board).value(), image.value());
    ASSERT_TRUE(machine.is_ok()) << machine.status().message();
    CountingObserver observer;
    machine.value()->set_observer(&observer);
    const RunResult r = machine.value()->run({});
    ASSERT_EQ(r.reason, StopReason::kExit);
    EXPECT_EQ(observer.instructions, r.instructions);
    EXPECT_LE(observer.cycles, r.cycles);  // the rest is exception entry and return latency
    ASSERT_EQ(observer.markers.size(), 4u);
    EXPECT_EQ(observer.markers[0].port, 1u);
    EXPECT_EQ(observer.markers[0].value, 0u);
    EXPECT_EQ(observer.markers[1].port, 2u);
    EXPECT_EQ(observer.markers[2].value, 1u);
    EXPECT_EQ(observer.markers[3].port, 2u);
    // The second operator spins five times longer.
    const uint64_t op0 = observer.markers[1].cycle - observer.markers[0].cycle;
    const uint64_t op1 = observer.markers[3].cycle - observer.markers[2].cycle;
    EXPECT_GT(op1, 4 * op0);
    EXPECT_EQ(observer.entries, std::vector<int>{11});
    EXPECT_EQ(observer.returns, std::vector<int>{11});
    // The operator table is in the ELF, not in flash.
    const std::vector<uint8_t>* table = image->section(".tinysim_ops");
    ASSERT_NE(table, nullptr);
    EXPECT_EQ(table->size(), 160u);
  }
}

TEST(Machine, SameInputsSameNumbers) {
  const Outcome a = run_firmware("test-systick", "cortex-m4f", "nrf52840-dk");
  const Outcome b = run_firmware("test-systick", "cortex-m4f", "nrf52840-dk");
  EXPECT_EQ(a.console, b.console);
  EXPECT_EQ(a.result.instructions, b.result.instructions);
  EXPECT_EQ(a.result.cycles, b.result.cycles);
  EXPECT_EQ(a.result.sleep_cycles, b.result.sleep_cycles);
}

}  // namespace
}  // namespace tinysim::sim
