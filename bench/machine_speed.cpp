// Speed of the simulator against raw Unicorn on the same firmware, in one process (Google
// Benchmark). Reports simulated MIPS for: raw Unicorn (no block hook), an empty block hook
// (Unicorn's callback cost), and the full machine. Ratios against raw are printed by
// scripts/bench-report or read off the counters.
//
//   build/bench/machine_speed [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <string>

#include "sim/board.h"
#include "sim/elf_image.h"
#include "sim/machine.h"

namespace {

using namespace tinysim::sim;

struct Workload {
  const char* firmware;  // under TINYSIM_FIRMWARE_DIR
  const char* board;
  const char* args;
};

uint64_t run_once(const Workload& w, Instrumentation mode, uint64_t* instructions) {
  auto image = Image::load(std::string(TINYSIM_FIRMWARE_DIR) + "/" + w.firmware);
  auto board = find_board(w.board);
  MachineOptions options;
  options.command_line = w.args;
  options.instrumentation = mode;
  auto machine = Machine::create(board.value(), image.value(), options);
  if (!machine.is_ok()) return 0;
  const RunResult r = machine.value()->run({});
  if (instructions) *instructions = r.instructions;
  return r.reason == StopReason::kExit ? 1 : 0;
}

void bench(benchmark::State& state, Workload w, Instrumentation mode) {
  uint64_t instructions = 0;
  run_once(w, Instrumentation::kFull, &instructions);  // the count raw Unicorn cannot give
  for (auto _ : state) {
    if (!run_once(w, mode, nullptr)) state.SkipWithError("run did not exit normally");
  }
  state.counters["MIPS"] = benchmark::Counter(
      double(instructions) * double(state.iterations()) / 1e6, benchmark::Counter::kIsRate);
  state.counters["instructions"] = double(instructions);
}

// The KWS model (MLPerf Tiny DS-CNN) on each core with its own build.
const Workload kKwsM0plus{"kws_ref_model-cortex-m0plus.elf", "nucleo-g071rb", "1"};
const Workload kKwsM3{"kws_ref_model-cortex-m3.elf", "nucleo-f411re", "1"};
const Workload kKwsM4{"kws_ref_model-cortex-m4f.elf", "nrf52840-dk", "1"};
const Workload kKwsM7{"kws_ref_model-cortex-m7f.elf", "stm32f746g-disco", "1"};  // caches
const Workload kKwsM33{"kws_ref_model-cortex-m33f.elf", "nrf5340-dk", "1"};
// With a memory system that needs data hooks: flash wait states behind the ART (F411), and the
// Cortex-M7 with its L1 caches on AXIM flash (F746).
const Workload kKwsF411{"kws_ref_model-cortex-m4f.elf", "nucleo-f411re", "1"};
const Workload kKwsF746{"kws_ref_model-cortex-m7f.elf", "stm32f746g-disco", "1"};
const Workload kMatmul{"kernel-matmul-cortex-m4f.elf", "nrf52840-dk", "100"};
const Workload kStateMachine{"kernel-state-machine-cortex-m4f.elf", "nrf52840-dk", "200"};
const Workload kCrc{"kernel-crc32-cortex-m4f.elf", "nrf52840-dk", "8"};
const Workload kCrcM0{"kernel-crc32-cortex-m0plus.elf", "nucleo-g071rb", "8"};

#define TINYSIM_BENCH(name, workload)                                                           \
  BENCHMARK_CAPTURE(bench, name##_raw, workload, Instrumentation::kNone)                        \
      ->Unit(benchmark::kMillisecond);                                                          \
  BENCHMARK_CAPTURE(bench, name##_empty_block_hook, workload, Instrumentation::kEmptyBlockHook) \
      ->Unit(benchmark::kMillisecond);                                                          \
  BENCHMARK_CAPTURE(bench, name##_machine, workload, Instrumentation::kFull)                    \
      ->Unit(benchmark::kMillisecond)

TINYSIM_BENCH(kws_m4, kKwsM4);
TINYSIM_BENCH(kws_m0plus, kKwsM0plus);
TINYSIM_BENCH(kws_m3, kKwsM3);
TINYSIM_BENCH(kws_m7, kKwsM7);
TINYSIM_BENCH(kws_m33, kKwsM33);
TINYSIM_BENCH(kws_m4_f411_art, kKwsF411);
TINYSIM_BENCH(kws_m7_f746_caches, kKwsF746);
TINYSIM_BENCH(matmul_m4, kMatmul);
TINYSIM_BENCH(state_machine_m4, kStateMachine);
TINYSIM_BENCH(crc32_m4, kCrc);
TINYSIM_BENCH(crc32_m0plus, kCrcM0);

}  // namespace

BENCHMARK_MAIN();
