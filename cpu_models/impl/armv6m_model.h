// Armv6mModel: the Cortex-M0 and Cortex-M0+ timing model (ARMv6-M, in-order, no dual issue,
// no load-to-use stalls). A fixed cost per instruction class from the core's TRM table, plus N
// for the registers of LDM/STM/PUSH/POP, plus the taken cost of a conditional branch, decided
// per execution from the next block's address. The two cores differ only in their tables
// (cortex_m0.cpp, cortex_m0plus.cpp).
#pragma once

#include <string_view>

#include "cpu_models/core_model.h"
#include "cpu_models/impl/model_common.h"

namespace tinysim::cpu_models::impl {

struct Armv6mTiming {
  const char* name;
  // Cycles per class. For LDM/STM/PUSH/POP (and POP {..., PC}) the fixed part: N is added.
  // kMul holds the fast (single-cycle) multiplier; the small one is kSmallMultiplierCycles.
  ClassTable table;
  uint8_t branch_cond_taken;  // B<cc> when taken (kBranchCond row: not taken)
  ExceptionTiming exceptions;
};

// 32-cycle iterative multiplier option (DDI0432C and DDI0484C, Table 3-1, MULS).
inline constexpr uint8_t kSmallMultiplierCycles = 32;

const Armv6mTiming& cortex_m0_timing();
const Armv6mTiming& cortex_m0plus_timing();

class Armv6mModel final : public CoreModel {
 public:
  Armv6mModel(const Armv6mTiming& timing, Multiplier multiplier);

  std::string_view name() const override { return name_; }
  void analyse_block(std::span<const Instruction> insns, BlockTiming& out) const override;
  uint64_t retire_block(const BlockTiming& block, uint32_t next_address) override {
    return block.static_cycles + (next_address != block.end_address ? block.taken_extra_cycles : 0);
  }
  const ExceptionTiming& exception_timing() const override { return exceptions_; }
  void flush_pipeline() override {}
  void reset() override {}

 private:
  const char* name_;
  ClassTable table_;
  uint8_t branch_cond_taken_;
  ExceptionTiming exceptions_;
};

}  // namespace tinysim::cpu_models::impl
