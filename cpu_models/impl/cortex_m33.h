// CortexM33Model: the Cortex-M33 timing model (ARMv8-M mainline, 3-stage in-order pipeline
// with limited dual issue).
//
// Arm publishes no cycle table for the M33; the rules come from silicon measurements on an RP2350
// (jnk0le/random, "pipeline cycle test", doc/cortex_m33.md), as summarised in
// ../shared/reference/cortex-m-timing.md. Where those are silent the model borrows the Cortex-M4
// figure (DDI0439D) and says so; see cortex_m33.cpp for each row's source.
//  - single issue, except that a 16-bit NOP pairs with a preceding 16-bit instruction, IT pairs
//    with whatever precedes it, and a 16-bit branch pairs with a preceding 16-bit instruction;
//  - a not-taken 16-bit branch after a 16-bit instruction is free; a taken branch costs 2, or 1
//    after a 16-bit instruction that does not set the flags;
//  - load-to-use latency 2 (1 into a MAC accumulator or as store data); shifted operand2, MACs
//    and multiplies have a 2-cycle result latency (accumulators chain at 1); MULS.N and
//    flag-setting shifted-constant operations take 2 cycles;
//  - LDRD/STRD 2 cycles, LDM/STM of N registers N cycles;
//  - FP MACs issue in 1 cycle with a 3-cycle latency and keep any FP instruction out for the
//    next 2 cycles.
#pragma once

#include <string_view>

#include "cpu_models/core_model.h"
#include "cpu_models/impl/model_common.h"

namespace tinysim::cpu_models::impl {

class CortexM33Model final : public CoreModel {
 public:
  CortexM33Model() = default;

  std::string_view name() const override { return "cortex-m33"; }
  void analyse_block(std::span<const Instruction> insns, BlockTiming& out) const override;
  uint64_t retire_block(const BlockTiming& block, uint32_t next_address) override;
  int64_t entry_cycles(const BlockTiming& block) const override {
    return hazards_.entry_stall(block.pipeline);
  }
  const ExceptionTiming& exception_timing() const override;
  void flush_pipeline() override { hazards_.clear(); }
  void reset() override { hazards_.clear(); }

 private:
  CrossBlockState hazards_;
};

}  // namespace tinysim::cpu_models::impl
