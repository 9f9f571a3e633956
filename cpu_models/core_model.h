// CoreModel: turns the executed instruction stream into cycles for one Cortex-M core.
//
// One implementation per core lives in impl/, selected by name (make_core_model). The simulator
// calls it per translated block and per executed block, never per instruction:
//  1. analyse_block() once, when a block is first translated: the model precomputes the block's
//     static cost, the extra cost of leaving it by a taken branch, the cycle at which each
//     instruction starts (for mid-block DWT.CYCCNT reads), the instructions whose cost depends on
//     register values (operand_probes), and a small summary of its pipeline state at entry and
//     exit (BlockTiming::pipeline, private to the model).
//  2. retire_block() for every execution, in program order, once the next block's address is
//     known: the model adds the dynamic parts (branch taken or not, branch prediction, stalls
//     that cross a block boundary, the refill cost of the branch target's alignment).
// Plus, outside the block flow:
//  - operand_extra_cycles() for each execution of an instruction listed in operand_probes, with
//    the register values read just before it executes (SDIV/UDIV, M3 long multiplies);
//  - exception_timing() for exception entry, return and tail-chaining latencies, and
//    flush_pipeline() after any such redirection (see the contract on each function).
// All cycle counts are core clock cycles at zero wait states; memory wait states are not decided
// here (the memory system adds them).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cpu_models/instruction.h"

namespace tinysim::cpu_models {

// ---------------------------------------------------------------------------------------------
// Operand-dependent costs.

enum class OperandCost : uint8_t {
  kDivide,           // SDIV/UDIV (M3, M4, M33): 2..12 cycles from the operand magnitudes
  kLongMultiply,     // SMULL/UMULL on the M3: 3..5 cycles (early termination)
  kLongMultiplyAcc,  // SMLAL/UMLAL on the M3: 4..7 cycles (early termination)
};

// An instruction of a block whose cost depends on register values. The simulator installs a code
// hook on `address` (only there), reads R[reg_a] and R[reg_b] when the hook fires (before the
// instruction executes) and adds operand_extra_cycles(probe, a, b) to the cycle count.
struct OperandProbe {
  uint32_t address = 0;
  uint16_t index = 0;      // position of the instruction in its block
  uint8_t reg_a = kNoReg;  // SDIV/UDIV: the dividend Rn; long multiplies: Rn
  uint8_t reg_b = kNoReg;  // SDIV/UDIV: the divisor Rm; long multiplies: Rm
  OperandCost kind = OperandCost::kDivide;
  bool is_signed = false;
  uint8_t assumed_cycles = 0;  // what the block's static cost counts for it (the minimum)
};

// Cycles of one execution of an instruction of `kind` with operand values a and b.
// kDivide: 2..12 (Arm 100165 Table 3-1 and DDI0439D Table 3-1 give the range, not the rule; the
// model is a radix-8 divider that stops early: 1 + ceil(quotient bits / 3), at least 2).
// kLongMultiply: 3..5, kLongMultiplyAcc: 4..7 (Arm 100165 Table 3-1; the split by the 8-bit
// chunks of Rm is this model's, see docs/cpu-models.md).
uint32_t operand_cycles(OperandCost kind, bool is_signed, uint32_t a, uint32_t b);

// Cycles to add to the block's static cost for this execution of `probe`'s instruction.
// Never negative: the block assumed the minimum.
inline uint32_t operand_extra_cycles(const OperandProbe& probe, uint32_t a, uint32_t b) {
  return operand_cycles(probe.kind, probe.is_signed, a, b) - probe.assumed_cycles;
}

// ---------------------------------------------------------------------------------------------
// Exceptions.

// Exception latencies at zero wait states, in cycles. See each core's file for the sources.
struct ExceptionTiming {
  uint32_t entry = 0;       // exception taken -> first handler instruction (stacking, vector)
  uint32_t entry_fp = 0;    // same, stacking an FP context (FPCA set and lazy stacking off)
  uint32_t exit = 0;        // EXC_RETURN -> first instruction of the interrupted code
  uint32_t exit_fp = 0;     // same, unstacking an extended (FP) frame
  uint32_t tail_chain = 0;  // a handler's return straight into the next pending handler
};

// ---------------------------------------------------------------------------------------------
// Blocks.

// How a block ends, for branch prediction and refill rules.
enum class BlockExit : uint8_t {
  kFallThrough,        // no branch at the end (the block was split elsewhere)
  kDirectConditional,  // B<cc>, CBZ/CBNZ, or a direct branch inside an IT block
  kDirect,             // B, BL
  kIndirect,           // BX, BLX Rm, POP {..PC}, LDR PC, LDM {..PC}, TBB/TBH, MOV/ADD PC
};

// Up to this many (register set, cycle) pairs summarise the hazards a block leaves to, or takes
// from, its neighbours. More are merged conservatively.
inline constexpr int kHazardSlots = 4;

struct RegCycle {
  RegMask regs = 0;
  uint8_t cycle = 0;
};

// Model-private summary of a block's pipeline at its boundaries, filled by analyse_block() and
// read by retire_block() of the same model. The simulator stores it with the block, nothing more.
struct PipelineSummary {
  BlockExit exit = BlockExit::kFallThrough;
  uint32_t branch_address = 0;  // address of the block's last instruction
  // exit_pending[i]: results not yet available when the block ends (falls through), `cycle`
  // cycles after its last cycle. entry_reads[i]: registers read by instructions the block issues
  // `cycle` cycles after its start (hazard-free schedule).
  std::array<RegCycle, kHazardSlots> exit_pending{};
  std::array<RegCycle, kHazardSlots> entry_reads{};
  RegMask exit_pending_any = 0;
  RegMask entry_reads_any = 0;
  uint8_t refill = 0;                 // M3/M4: P of the final branch (1..3)
  uint8_t mispredict_penalty = 0;     // M7: cycles lost when the final branch is mispredicted
  bool entry_unaligned_wide = false;  // first instruction is 32-bit at an address = 2 mod 4
  bool entry_can_pair = false;        // M7: first instruction may issue as a younger op
  bool exit_open_slot = false;        // M7: last issue cycle left its younger slot free
};

// What a model precomputes for one block. The simulator reads the first fields; the rest is for
// the model (retire_block) and the simulator's probes.
struct BlockTiming {
  uint32_t start_address = 0;
  uint32_t end_address = 0;  // address after the last instruction (fall-through target)
  uint32_t instruction_count = 0;
  uint64_t static_cycles = 0;       // cycles when the block falls through to end_address
  uint64_t taken_extra_cycles = 0;  // added when execution continues anywhere else
  // Cycles before each instruction starts, relative to the block start (for mid-block reads of
  // DWT.CYCCNT). prefix_cycles[i] is the cost of instructions [0, i).
  std::vector<uint32_t> prefix_cycles;
  // Instructions whose cost depends on register values (empty for most blocks).
  std::vector<OperandProbe> operand_probes;
  PipelineSummary pipeline;
};

// ---------------------------------------------------------------------------------------------
// Options.

// Cortex-M0/M0+ multiplier: an implementation option of the chip (DDI0432C/DDI0484C Table 3-1).
enum class Multiplier : uint8_t {
  kFast,   // single-cycle MULS
  kSmall,  // 32-cycle iterative MULS
};

// "fast" or "small"; nullopt otherwise.
std::optional<Multiplier> parse_multiplier(std::string_view name);

struct CoreModelOptions {
  // Cortex-M0/M0+ only (ignored elsewhere). Default kFast, the option most vendors ship; set
  // kSmall when the chip's reference manual names the 32-cycle multiplier.
  Multiplier multiplier = Multiplier::kFast;
  // Cortex-M7 only: entries of the branch target address cache the predictor model uses (a power
  // of two). Arm publishes no size; 64 is this model's estimate. Change to study sensitivity.
  uint32_t m7_btac_entries = 64;
};

// ---------------------------------------------------------------------------------------------

class CoreModel {
 public:
  virtual ~CoreModel() = default;

  // The model's name, e.g. "cortex-m4".
  virtual std::string_view name() const = 0;

  // Precomputes the timing of one block. REQUIRES: insns is non-empty, in program order,
  // contiguous, at most 65535 instructions. Thread-compatible (const, no model state used).
  virtual void analyse_block(std::span<const Instruction> insns, BlockTiming& out) const = 0;

  // Cycles of one execution of `block`, which was followed by the block at `next_address`:
  // the address execution continued at (for the last block of a run, or before an exception is
  // taken, the address it would have continued at: the return address the exception stacks).
  // REQUIRES: called for every executed block, in execution order (cross-block state).
  virtual uint64_t retire_block(const BlockTiming& block, uint32_t next_address) = 0;

  // The part of the next retire_block(block) that is spent before the block's first instruction
  // starts (a stall on an earlier block's result, the refill of a branch to an unaligned 32-bit
  // target; negative on the M7 when the first instruction dual-issues with the previous block's
  // branch), given the current state. A read of DWT.CYCCNT or SysTick by instruction i of the
  // executing block sees cycles-before-the-block + entry_cycles(block) + prefix_cycles[i].
  // Stalls are placed at the block's entry, where retire_block() counts them.
  virtual int64_t entry_cycles(const BlockTiming& block) const {
    (void)block;
    return 0;
  }

  // Exception entry, return and tail-chaining latencies of this core.
  virtual const ExceptionTiming& exception_timing() const = 0;

  // Forgets cross-block pipeline state (pending results, a pending branch refill). Call after
  // retiring the last block before an exception entry, an exception return or a tail chain, or
  // when the simulator moves the PC itself. Learned state (branch predictor) is kept.
  virtual void flush_pipeline() = 0;

  // Forgets all dynamic state, including learned state: the start of a new run.
  virtual void reset() = 0;
};

// Creates the model for `core` ("cortex-m0", "cortex-m0plus", "cortex-m3", "cortex-m4",
// "cortex-m7", "cortex-m33", or "instruction-count": one cycle per instruction). Returns nullptr
// for an unknown name.
std::unique_ptr<CoreModel> make_core_model(std::string_view core,
                                           const CoreModelOptions& options = {});

// Names make_core_model accepts.
std::vector<std::string> core_model_names();

}  // namespace tinysim::cpu_models
