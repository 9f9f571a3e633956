// InstructionCountModel: one cycle per instruction. Stands in until the per-core timing
// models exist; simulated cycles then equal executed instructions.
#pragma once

#include "cpu_models/core_model.h"

namespace tinysim::cpu_models {

class InstructionCountModel final : public CoreModel {
 public:
  std::string_view name() const override { return "instruction-count"; }
  void analyse_block(std::span<const Instruction> insns, BlockTiming& out) const override;
  uint64_t retire_block(const BlockTiming& block, uint32_t) override {
    return block.static_cycles;
  }
  // No cycles outside instructions: exception entry and return are free in this model.
  const ExceptionTiming& exception_timing() const override { return timing_; }
  void flush_pipeline() override {}
  void reset() override {}

 private:
  ExceptionTiming timing_;
};

}  // namespace tinysim::cpu_models
