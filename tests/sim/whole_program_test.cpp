// Whole-program sanity of the core timing models: the classic kernels (workloads/firmware/
// kernels) run on every core, give the same answer, and order as silicon does per MHz: the
// Cortex-M7 fastest on compute kernels, the Cortex-M0 slowest. Prints cycles and CPI per core
// (the README table comes from this output). At zero wait states: the cores, not the memories.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>

#include "firmware_path.h"
#include "sim/machine.h"

namespace tinysim::sim {
namespace {

using tinysim::testing::firmware;

struct CoreRun {
  const char* variant;
  const char* board;
};

// One board per core; the STM32F030's 8 KiB of SRAM is too small for these kernels, so its
// M0 gets 64 KiB here (timing does not depend on the size).
const CoreRun kCores[] = {{"cortex-m0", "nucleo-f030r8"},     {"cortex-m0plus", "nucleo-g071rb"},
                          {"cortex-m3", "bluepill-f103c8"},   {"cortex-m4f", "nrf52840-dk"},
                          {"cortex-m7f", "stm32f746g-disco"}, {"cortex-m33f", "nrf5340-dk"}};

struct Totals {
  uint64_t instructions = 0, cycles = 0;
  std::string console;
};

Totals run_kernel(const std::string& kernel, const CoreRun& core, const char* args) {
  Totals t;
  auto image = Image::load(firmware("kernel-" + kernel, core.variant));
  EXPECT_TRUE(image.is_ok()) << image.status().message();
  Board board = testing::zero_wait_state_board(core.board);
  for (MemoryRegion& r : board.memory) {
    if (r.kind == RegionKind::kSram && r.size_bytes < 64 * 1024) r.size_bytes = 64 * 1024;
  }
  MachineOptions options;
  options.command_line = args;
  options.ideal_memory = true;
  auto machine = Machine::create(board, image.value(), options);
  EXPECT_TRUE(machine.is_ok()) << machine.status().message();
  if (!machine.is_ok()) return t;
  machine.value()->set_console([&](int, std::string_view s) { t.console += s; });
  const RunResult r = machine.value()->run({});
  EXPECT_EQ(r.reason, StopReason::kExit);
  t.instructions = r.instructions;
  t.cycles = r.cycles;
  return t;
}

class WholeProgram : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(WholeProgram, SameAnswerOnEveryCoreAndExpectedOrdering) {
  const auto [kernel, args] = GetParam();
  std::map<std::string, Totals> totals;
  for (const CoreRun& core : kCores) totals[core.variant] = run_kernel(kernel, core, args);
  for (const CoreRun& core : kCores) {
    const Totals& t = totals[core.variant];
    EXPECT_EQ(t.console, totals["cortex-m0"].console) << core.variant;
    std::printf("| %-13s | %-13s | %12llu | %12llu | %.2f |\n", kernel, core.variant,
                static_cast<unsigned long long>(t.instructions),
                static_cast<unsigned long long>(t.cycles),
                t.instructions ? double(t.cycles) / double(t.instructions) : 0.0);
  }
  // The Cortex-M0 is the slowest core per MHz; the M0+ (two-stage pipeline) beats it.
  for (const CoreRun& core : kCores) {
    if (std::string(core.variant) == "cortex-m0") continue;
    EXPECT_LT(totals[core.variant].cycles, totals["cortex-m0"].cycles) << core.variant;
  }
  EXPECT_LT(totals["cortex-m4f"].cycles, totals["cortex-m0plus"].cycles);
  // The dual-issue M7 beats the M4 on every kernel.
  EXPECT_LT(totals["cortex-m7f"].cycles, totals["cortex-m4f"].cycles);
}

TEST(WholeProgramOrdering, CortexM7IsFastestOnComputeKernels) {
  for (const char* kernel : {"crc32", "matmul"}) {
    const Totals m7 = run_kernel(kernel, kCores[4], "2");
    for (const CoreRun& core : kCores) {
      if (std::string(core.variant) == "cortex-m7f") continue;
      EXPECT_LT(m7.cycles, run_kernel(kernel, core, "2").cycles) << kernel << " " << core.variant;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Kernels, WholeProgram,
                         ::testing::Values(std::pair{"crc32", "4"}, std::pair{"matmul", "2"},
                                           std::pair{"state-machine", "8"}),
                         [](const auto& info) {
                           std::string n = info.param.first;
                           for (char& c : n) {
                             if (c == '-') c = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace tinysim::sim
