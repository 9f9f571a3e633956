// Machine: one simulated Cortex-M microcontroller running one firmware image.
//
// Unicorn executes the Thumb code; everything Unicorn lacks is here: the board's memory map
// (flash, SRAM, aliases) on host buffers we own, the system control space (sim/scs.h), the
// exception model (stacking, EXC_RETURN, SysTick and SVC), semihosting, and the timing model
// (cpu_models/) driven per translated block.
//
// Hot path: one block hook per executed block does an O(1) cache lookup, retires the previous
// block in the core model, and compares two counters against their limits. Everything rarer
// (exceptions, budgets, semihosting, faults) stops the emulation and is handled in run().
// No exception crosses a Unicorn callback: errors are recorded and the emulation stopped.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "cpu_models/core_model.h"
#include "memory_models/memory_system.h"
#include "power_models/event_counts.h"
#include "sim/board.h"
#include "sim/decoder.h"
#include "sim/elf_image.h"
#include "sim/execution_observer.h"
#include "sim/run_result.h"
#include "sim/scs.h"
#include "sim/semihosting.h"
#include "sim/status.h"

struct uc_struct;
using uc_hook_t = size_t;  // Unicorn's uc_hook

namespace tinysim::sim {

struct MachineHooks;

// How much of the simulator runs on every executed block. Anything but kFull exists only to
// measure the simulator against raw Unicorn (tinysim's speed benchmarks): without the block hook
// nothing is counted, and budgets, SysTick and timeouts do not work.
enum class Instrumentation {
  kFull,            // timing model, counters, budgets, interrupts
  kEmptyBlockHook,  // a block hook that only counts blocks: Unicorn's callback overhead
  kNone,            // raw Unicorn: only semihosting and faults
};

struct MachineOptions {
  // Core cycles per SysTick tick when the firmware selects the external reference clock
  // (SYST_CSR.CLKSOURCE = 0). 8 matches STM32 (HCLK/8, RM0383 6.2); change it for boards whose
  // reference clock differs.
  uint32_t systick_external_divider = 8;
  // What the firmware reads with semihosting SYS_GET_CMDLINE. Empty by default.
  std::string command_line;
  // Leave at kFull except to measure the simulator's own cost.
  Instrumentation instrumentation = Instrumentation::kFull;
  // Zero-wait-state memory everywhere (the memory system is bypassed): the condition of the
  // cores' documented cycle counts. For validating the core timing models; false for real
  // boards, whose flash, accelerators and caches then cost what their models say.
  bool ideal_memory = false;
};

struct RunOptions {
  uint64_t max_instructions = 0;  // stop after exactly this many instructions; 0 = no limit
  uint64_t max_cycles = 0;  // stop at the first instruction boundary at or after this; 0 = no limit
  double timeout_seconds = 0;  // stop after this much host time; 0 = no limit
};

class Machine final : public ScsHost {
 public:
  // Checks that `image` runs on `board` (architecture, FPU, memory map, vector table) and
  // prepares the machine at reset. `image` must outlive the machine.
  static StatusOr<std::unique_ptr<Machine>> create(const Board& board, const Image& image,
                                                   const MachineOptions& options = {});
  ~Machine() override;
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  // Firmware console output (semihosting and ITM port 0). Default: discarded.
  void set_console(ConsoleSink console);
  // Non-fatal problems (an unmodelled peripheral, a refused semihosting call). Default: discarded.
  void set_warning_sink(std::function<void(const std::string&)> sink);
  // Receives execution events (the profiler). Not owned; nullptr (the default) for none. Set
  // before run().
  void set_observer(ExecutionObserver* observer) { observer_ = observer; }
  // Copies simulated memory (any mapped region, including flash and SRAM); false when part of
  // [address, address + size) is not mapped. For observers between blocks, e.g. stack painting.
  bool read_memory(uint32_t address, void* out, size_t size) const;
  bool write_memory(uint32_t address, const void* data, size_t size);

  // Runs from the current state until the firmware exits, faults, or a limit is reached.
  RunResult run(const RunOptions& options);
  // Asks a running run() to stop soon (kCancelled). Safe from any thread.
  void cancel() { cancel_requested_.store(true, std::memory_order_relaxed); }

  uint64_t cycles() const { return cycles_; }
  uint64_t instructions() const { return instructions_; }
  // Blocks executed, counted only with Instrumentation::kEmptyBlockHook.
  uint64_t empty_hook_blocks() const { return empty_hook_blocks_; }
  const Board& board() const { return board_; }
  const Image& image() const { return image_; }
  // Flash, accelerator and cache counters of the run so far (for the profiler, energy model).
  const memory_models::MemoryCounters& memory_counters() const { return memory_->counters(); }
  // What the energy model charges for, over the run so far (retired blocks; exception entry and
  // return latency counted as cycles fetching from the boot region; the memory system's
  // counters; sleep cycles). Cheap (a few dozen additions): the profiler snapshots it at
  // operator boundaries.
  power_models::EventCounts event_counts() const;
  // Where exception entry/return latency is counted as fetching from (the boot region's kind).
  power_models::FetchSource boot_fetch_source() const { return boot_source_; }

 private:
  friend struct MachineHooks;
  struct CachedBlock {
    cpu_models::BlockTiming timing;
    std::vector<cpu_models::Instruction> insns;
    uint32_t size_bytes = 0;
    // Instructions probed with a code hook: the model's operand-dependent ones and every
    // divide (CCR.DIV_0_TRP); sorted by address, usually empty.
    std::vector<cpu_models::OperandProbe> probes;
    bool instrumented = false;     // a code hook covers every instruction
    bool fetch_free = true;        // fetching it never stalls (SRAM, TCM): skip the memory model
    std::vector<uc_hook_t> hooks;  // Unicorn code hooks installed for this block
    // Reasons to (re)instrument the block (kAttention* bits), tested on the hot path.
    uint8_t attention = 0;
    // Instructions by energy class and the fetch source, for the energy model.
    power_models::BlockEnergyCounts energy;
  };

  // Probes are code hooks on single instructions whose effect depends on operand values
  // (divides: CCR.DIV_0_TRP, and their cycle count); precise blocks get a hook on every
  // instruction so mid-block reads of CYCCNT or SysTick know the exact instruction.
  static constexpr uint8_t kAttentionProbe = 1;    // has instructions to probe, not yet hooked
  static constexpr uint8_t kAttentionPrecise = 2;  // a mid-block CYCCNT/SysTick read happened

  // Why the hooks stopped the emulation.
  enum class Request {
    kNone,
    kTakeException,
    kSvc,
    kBkpt,
    kExceptionReturn,
    kInstrument,
    kFlushTranslations,
    kBudgetPartial,
    kStop,
  };

  Machine(const Board& board, const Image& image, const MachineOptions& options);
  Status init_unicorn();
  Status map_memory();
  Status load_image();
  Status boot();
  // Warns (once per distinct problem) when the flash runs faster than its wait states allow.
  void check_flash_wait_states();

  // Hook entry points (static trampolines in machine.cpp call these).
  void on_block(uint32_t address, uint32_t size);
  void on_code(uint32_t address);
  const cpu_models::Instruction* instruction_at_access(uint32_t ordinal, bool mmio_only) const;
  uint32_t core_reg(uint8_t n) const;
  void fetch_fault(uint32_t address);
  void on_interrupt(uint32_t intno);
  bool on_invalid_memory(int type, uint64_t address, int size);
  void on_aligned_check(uint64_t address, int size, bool write);
  uint64_t on_peripheral_read(uint64_t offset, unsigned size);
  void on_peripheral_write(uint64_t offset, unsigned size, uint64_t value);
  void warn_peripheral(uint32_t address, unsigned size, bool write);

  CachedBlock& lookup_block(uint32_t address, uint32_t size);
  void decode_block(uint32_t address, uint32_t size, CachedBlock& block);
  bool slow_block_checks(uint32_t address, CachedBlock& block);
  void recompute_next_check();
  void request(Request r);
  void stop_with(StopReason reason);
  void retire_current(uint32_t next_address);
  // Tells the observer about a retired block (cold path of the block hook).
  void notify_block(const CachedBlock& block, uint32_t next_address, uint64_t start_cycle,
                    uint64_t cycles, uint32_t instructions,
                    const power_models::BlockEnergyCounts* energy);
  void retire_partial(uint32_t faulting_pc);
  // Adds a retired block's energy-model counts to the totals (hot path: straight-line adds the
  // compiler turns into vector adds).
  void add_energy_counts(const power_models::BlockEnergyCounts& e, uint64_t cycles) {
    source_cycles_[static_cast<int>(e.source)] += cycles;
    const auto& in = e.instructions;
    auto& out = class_instructions_;
    static_assert(power_models::kEnergyClassCount == 6);
    out[0] += in[0];
    out[1] += in[1];
    out[2] += in[2];
    out[3] += in[3];
    out[4] += in[4];
    out[5] += in[5];
  }
  // Retires the first `count` instructions of current_ (a fault or a budget stopped it there):
  // their cycles plus what the block accrued while running, as retire_current() counts them.
  void retire_first(size_t count, uint32_t next_address);
  void instrument(CachedBlock& block);

  // `tail_chain`: taken straight from an exception return (costs the tail-chain latency).
  bool enter_exception(int exception, uint32_t return_address, bool tail_chain = false);
  bool return_from_exception(uint32_t exc_return, uint32_t branch_pc);
  bool handle_breakpoint(uint32_t pc, RunResult& result);
  bool sleep_until_event();
  void raise_fault(const std::string& kind, const std::string& detail, uint32_t cfsr_bits,
                   std::optional<uint32_t> address, std::optional<uint32_t> pc = std::nullopt);
  void handle_unicorn_error(int err, uint32_t pc);
  bool interrupts_masked_state(bool& primask, uint8_t& basepri, bool& faultmask);

  uint32_t reg(int id) const;
  void set_reg(int id, uint32_t value);
  bool read_u32(uint32_t address, uint32_t& value) const;
  void warn(const std::string& message) override;
  std::string location_of_current_block() const;

  // ScsHost
  uint64_t now_cycles() override;
  void itm_write(uint32_t port, uint32_t value, unsigned size_bytes, uint64_t cycles) override;
  void reset_requested() override;
  void exceptions_changed() override;
  uint32_t current_exception() override;

  // --- hot-path state first ---
  uc_struct* uc_ = nullptr;
  CachedBlock* current_ = nullptr;   // executing block, retired at the next block hook
  uint64_t cycles_ = 0;              // cycles so far: current_'s start plus its extras so far
  uint64_t block_start_cycles_ = 0;  // cycles_ when current_ started
  uint64_t instructions_ = 0;        // including all of current_
  uint64_t next_check_cycle_ = 0;    // slow checks due at this cycle
  uint64_t instruction_limit_ = UINT64_MAX;
  uint32_t blocks_until_clock_check_ = 0;
  uint32_t precise_pc_ = 0;  // address of the executing instruction, in instrumented blocks
  uint32_t mmio_accesses_in_block_ = 0;  // SCS and peripheral accesses since the block started
  uint32_t accesses_in_block_ = 0;       // all data accesses (ARMv6-M alignment hook only)
  std::unique_ptr<cpu_models::CoreModel> model_;
  std::unique_ptr<memory_models::MemorySystem> memory_;
  std::optional<Decoder> decoder_;
  std::unordered_map<uint32_t, CachedBlock> blocks_;
  // Energy-model counts of retired blocks: cycles by fetch source, instructions by class.
  std::array<uint64_t, power_models::kFetchSourceCount> source_cycles_{};
  std::array<uint64_t, power_models::kEnergyClassCount> class_instructions_{};

  // --- the rest ---
  Board board_;
  const Image& image_;
  MachineOptions options_;
  std::unique_ptr<SystemControlSpace> scs_;
  std::unique_ptr<Semihosting> semihosting_;
  std::vector<std::unique_ptr<uint8_t[]>> ram_;  // one buffer per non-alias region
  ConsoleSink console_;
  std::function<void(const std::string&)> warning_sink_;
  ExecutionObserver* observer_ = nullptr;

  uint32_t reset_pc_ = 0;
  uint32_t pc_ = 0;  // where the next uc_emu_start begins
  // The block a stop requested by the block hook happened before: the run resumes there.
  std::optional<uint32_t> stopped_before_;
  std::set<uint32_t> warned_peripherals_;
  std::string last_wait_state_warning_;
  std::vector<int> active_exceptions_;  // nesting stack of exception numbers
  Request request_ = Request::kNone;
  int pending_exception_ = 0;          // for kTakeException
  uint32_t exc_return_ = 0;            // for kExceptionReturn
  uint64_t partial_instructions_ = 0;  // for kBudgetPartial
  StopReason budget_reason_ = StopReason::kInstructionBudget;
  std::optional<StopReason> stop_reason_;
  std::optional<FaultReport> fault_;
  CachedBlock* instrument_target_ = nullptr;
  struct InvalidAccess {
    int type = 0;
    uint64_t address = 0;
    int size = 0;
  };
  std::optional<InvalidAccess> invalid_access_;

  RunOptions run_options_;
  uint64_t cycle_limit_ = UINT64_MAX;
  uint64_t sleep_cycles_ = 0;
  uint64_t exception_cycles_ = 0;  // exception entry, tail-chain and return latency
  power_models::FetchSource boot_source_ = power_models::FetchSource::kFlash;
  uint64_t exceptions_taken_ = 0;
  double deadline_seconds_ = 0;
  double run_start_seconds_ = 0;
  std::atomic<bool> cancel_requested_{false};
  uint64_t empty_hook_blocks_ = 0;
};

}  // namespace tinysim::sim
