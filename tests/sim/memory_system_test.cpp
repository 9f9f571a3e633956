// The memory models in the machine, on firmware: flash wait states follow the operating point,
// the firmware's own FLASH_ACR writes take effect, and the ordering silicon shows holds (a loop
// through the ART runs close to zero wait states; without the ART every wait state costs).
#include <gtest/gtest.h>

#include <cstdio>

#include "firmware_path.h"
#include "sim/machine.h"

namespace tinysim::sim {
namespace {

using tinysim::testing::firmware;

struct Result {
  RunResult run;
  std::string console;
  std::vector<std::string> warnings;
};

Result run_f411(uint64_t clock_hz, const std::string& args) {
  Result r;
  auto image = Image::load(firmware("test-flash-acr", "cortex-m4f"));
  Board board = find_board("nucleo-f411re").value();
  EXPECT_TRUE(board.select_operating_point(clock_hz, "").is_ok());
  MachineOptions options;
  options.command_line = args;
  auto machine = Machine::create(board, image.value(), options);
  EXPECT_TRUE(machine.is_ok()) << machine.status().message();
  machine.value()->set_console([&](int, std::string_view s) { r.console += s; });
  machine.value()->set_warning_sink([&](const std::string& w) { r.warnings.push_back(w); });
  r.run = machine.value()->run({});
  EXPECT_EQ(r.run.reason, StopReason::kExit);
  return r;
}

TEST(MemorySystem, WaitStatesFollowTheOperatingPointAndTheArtHidesThemInLoops) {
  // RM0383 Table 5 (VDD 2.7-3.6 V): 0 WS up to 30 MHz, 1 to 64, 2 to 90, 3 to 100.
  const uint64_t clocks[] = {16'000'000, 48'000'000, 84'000'000, 100'000'000};
  std::vector<uint64_t> art_on, art_off;
  for (uint64_t hz : clocks) {
    art_on.push_back(run_f411(hz, "").run.cycles);
    const Result off = run_f411(hz, "art-off");
    art_off.push_back(off.run.cycles);
    EXPECT_NE(off.console.find("acr 0000000"), std::string::npos) << off.console;
  }
  for (size_t i = 0; i < std::size(clocks); ++i) {
    std::printf("%3llu MHz: ART on %llu cycles, ART off %llu cycles\n",
                static_cast<unsigned long long>(clocks[i] / 1'000'000),
                static_cast<unsigned long long>(art_on[i]),
                static_cast<unsigned long long>(art_off[i]));
  }
  // At 0 WS the ART changes nothing (the art-off run only executes its FLASH_ACR write more);
  // every further wait state costs without it.
  EXPECT_LT(art_off[0] - art_on[0], 200u);
  for (size_t i = 1; i < std::size(clocks); ++i) {
    EXPECT_GT(art_off[i], art_off[i - 1]) << clocks[i];
    // With the ART on, the loop-heavy program runs close to zero wait states (its straight-line
    // start-up and printf code still pays some).
    EXPECT_LT(double(art_on[i]), 1.15 * double(art_on[0])) << clocks[i];
    EXPECT_LT(art_on[i], art_off[i]) << clocks[i];
  }
  // Without the ART the 3 WS run pays a large share of its cycles waiting for flash.
  EXPECT_GT(double(art_off[3]), 1.5 * double(art_off[0]));
}

}  // namespace
}  // namespace tinysim::sim
