// InstructionCountModel: one cycle per instruction, whatever the core. A baseline (simulated
// cycles equal executed instructions) and the cheapest model for speed comparisons.
#pragma once

#include "cpu_models/core_model.h"

namespace tinysim::cpu_models {

class InstructionCountModel final : public CoreModel {
 public:
  std::string_view name() const override { return "instruction-count"; }
  void analyse_block(std::span<const Instruction> insns, BlockTiming& out) const override;
  uint64_t retire_block(const BlockTiming& block, uint32_t) override { return block.static_cycles; }
  const ExceptionTiming& exception_timing() const override;
  void flush_pipeline() override {}
  void reset() override {}
};

}  // namespace tinysim::cpu_models
