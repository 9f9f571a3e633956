// Pieces the per-core models share: instruction-class predicates, the "class -> cycles" timing
// table with a source per row, and the bookkeeping for hazards that cross a block boundary.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "cpu_models/core_model.h"
#include "cpu_models/instruction.h"

namespace tinysim::cpu_models::impl {

// ---------------------------------------------------------------------------------------------
// Class predicates.

// LDR/LDRB/LDRH/LDRS*/LDREX/PLD and PC-relative literal loads: the loads M3/M4 pipeline.
inline bool is_single_load(InsnClass c) {
  return c == InsnClass::kLoad || c == InsnClass::kLoadLiteral;
}
// Any instruction that reads data memory.
bool is_load(InsnClass c);
// Any instruction that writes data memory.
bool is_store(InsnClass c);
inline bool is_memory(InsnClass c) {
  return is_load(c) || is_store(c);
}
// Integer data processing (ALU, multiply, divide, DSP): the producers of the M3/M4 address stall.
bool is_data_processing(InsnClass c);
// Floating-point instructions of any kind (they use the FPU's register file and pipeline).
bool is_fp(InsnClass c);
// FP arithmetic and conversion (the producers of the M4 "+1 result-use" rule).
inline bool is_fp_arith(InsnClass c) {
  return c == InsnClass::kFpAlu || c == InsnClass::kFpMac || c == InsnClass::kFpDivSqrt;
}
inline bool is_multiply(InsnClass c) {
  return c == InsnClass::kMul || c == InsnClass::kMulAcc || c == InsnClass::kLongMul ||
         c == InsnClass::kLongMulAcc;
}

// How a block whose last instruction is `last` ends.
BlockExit classify_exit(const Instruction& last);

// Ceil(n / 2), at least 1.
inline uint32_t half_up(uint32_t n) {
  return n <= 1 ? 1 : (n + 1) / 2;
}

// ---------------------------------------------------------------------------------------------
// Timing tables.

// One row of a core's timing table: the cycles of a class and where the number comes from.
struct TimingRow {
  InsnClass cls;
  uint8_t cycles;
  const char* source;
};

// "class -> cycles", built from rows; every class must have exactly one row (the constructor
// aborts otherwise, naming the class: a table with a hole is a bug, not a configuration).
class ClassTable {
 public:
  ClassTable(const char* table_name, std::span<const TimingRow> rows);
  uint8_t operator[](InsnClass c) const { return cycles_[static_cast<size_t>(c)]; }
  const char* source(InsnClass c) const { return sources_[static_cast<size_t>(c)]; }
  void set(InsnClass c, uint8_t cycles, const char* source) {
    cycles_[static_cast<size_t>(c)] = cycles;
    sources_[static_cast<size_t>(c)] = source;
  }

 private:
  std::array<uint8_t, kInsnClassCount> cycles_{};
  std::array<const char*, kInsnClassCount> sources_{};
};

// ---------------------------------------------------------------------------------------------
// Cross-block hazards.

inline constexpr int kRegSlots = 64;  // one per RegMask bit
// Model-internal pseudo-resources (RegMask bits the decoder never sets).
inline constexpr RegMask kFpUnitBusy = RegMask{1} << 50;  // FP unit occupied (VDIV/VSQRT, MACs)
inline constexpr RegMask kFpAfterMac = RegMask{1} << 51;  // M7: FP ops blocked after a MAC

// Ready times of each register for one kind of consumer, in cycles from the block start.
using ReadyTimes = std::array<int32_t, kRegSlots>;

// Latest ready time among `regs`, or INT32_MIN when none is pending.
int32_t latest_ready(const ReadyTimes& ready, RegMask regs);
// Sets ready[r] = max(ready[r], cycle) for every r in regs.
void set_ready(ReadyTimes& ready, RegMask regs, int32_t cycle);

// Records, during analyse_block, what the block's first instructions read and when; then what
// results are still pending when it ends. Writes PipelineSummary's hazard fields.
class HazardRecorder {
 public:
  // An instruction issued at `cycle` (block-relative, hazard-free schedule) reads `regs`.
  void record_reads(RegMask regs, uint32_t cycle);
  // `ready` holds, per register, when its latest result becomes available (block-relative);
  // the block ends (falls through) at `end_cycle`.
  void finish(const ReadyTimes& ready, uint32_t end_cycle, PipelineSummary& out) const;

 private:
  std::array<RegCycle, kHazardSlots> reads_{};
  int count_ = 0;
  RegMask any_ = 0;
};

// The dynamic side: results of earlier blocks still in flight.
class CrossBlockState {
 public:
  // Stall cycles before `next` can start, given what is still pending.
  uint32_t entry_stall(const PipelineSummary& next) const {
    return (any_ & next.entry_reads_any) == 0 ? 0 : entry_stall_slow(next);
  }
  // Rolls the state over a block that took `block_cycles` in all, of which `exit_extra` were
  // spent after its fall-through end (a taken branch's refill, a mispredict).
  void advance(const PipelineSummary& block, uint64_t block_cycles, uint64_t exit_extra) {
    if ((any_ | block.exit_pending_any) != 0) advance_slow(block, block_cycles, exit_extra);
  }
  void clear() {
    pending_ = {};
    any_ = 0;
  }

 private:
  uint32_t entry_stall_slow(const PipelineSummary& next) const;
  void advance_slow(const PipelineSummary& block, uint64_t block_cycles, uint64_t exit_extra);

  std::array<RegCycle, kHazardSlots> pending_{};
  RegMask any_ = 0;
};

// Adds (regs, cycle) to a slot list, merging conservatively when the list is full: `later`
// means a larger cycle is the conservative side (pending results), else a smaller one (reads).
void add_reg_cycle(std::array<RegCycle, kHazardSlots>& slots, RegMask regs, uint32_t cycle,
                   bool later_is_conservative);

// Fills prefix_cycles with the given start cycles (one per instruction).
void fill_basic(std::span<const Instruction> insns, BlockTiming& out);

}  // namespace tinysim::cpu_models::impl
