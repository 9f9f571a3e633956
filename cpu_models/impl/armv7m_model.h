// Armv7mModel: the Cortex-M3 and Cortex-M4 timing model (ARMv7-M, 3-stage in-order pipeline
// with branch speculation, no dual issue). The two cores share the rules and differ in their
// tables (cortex_m3.cpp, cortex_m4.cpp) and a few switches:
//  - a fixed cost per class from the TRM's Table 3-1 (and the M4's FPU Table 7-1);
//  - taken branches add P, the pipeline refill (1 for branches the core speculates from the
//    instruction stream or a register, 3 for targets loaded from memory), plus 1 when the target
//    is a 32-bit instruction on a halfword boundary (P stays <= 3);
//  - load/store pipelining (TRM 3.3.2 and the STM32F103/F407 measurements in jnk0le/random
//    doc/cortex_m3m4.md): an LDR after an LDR costs 1 unless its address uses the first LDR's
//    result; a store after an LDR costs 1; a store costs 1 with an immediate offset and 2 with a
//    register offset; a store followed by a load costs one more; writeback forms chain less;
//  - a load/store whose address register was written by the immediately preceding data-
//    processing instruction stalls 1 (no forwarding into the address phase);
//  - IT costs 0 when it follows a 16-bit instruction (folded), else 1;
//  - operand-dependent SDIV/UDIV (and M3 long multiplies) through OperandProbe;
//  - M4 FPU: Table 7-1 costs; an FP arithmetic/conversion result used by the next instruction
//    costs +1; VDIV/VSQRT issue in 1 cycle and occupy the FP unit for 14, so later integer
//    instructions proceed and the next FP instruction waits.
#pragma once

#include <string_view>

#include "cpu_models/core_model.h"
#include "cpu_models/impl/model_common.h"

namespace tinysim::cpu_models::impl {

struct Armv7mTiming {
  const char* name;
  // Cycles per class. Branches: without P. LDM/STM: the fixed part (N added). LDR/STR: the cost
  // when not pipelined. IT: when not folded. SDIV/UDIV and M3 long multiplies: the minimum.
  ClassTable table;
  bool m4_load_store_rules;              // M4 chains writeback loads/stores more freely than the M3
  bool long_multiply_early_termination;  // M3: SMULL/UMULL 3..5, SMLAL/UMLAL 4..7
  bool fpu;                    // FPv4-SP rules (result-use +1, VDIV/VSQRT in the background)
  uint8_t fp_div_sqrt_cycles;  // VDIV.F32 / VSQRT.F32
  ExceptionTiming exceptions;
};

const Armv7mTiming& cortex_m3_timing();
const Armv7mTiming& cortex_m4_timing();

class Armv7mModel final : public CoreModel {
 public:
  explicit Armv7mModel(const Armv7mTiming& timing);

  std::string_view name() const override { return timing_.name; }
  void analyse_block(std::span<const Instruction> insns, BlockTiming& out) const override;
  uint64_t retire_block(const BlockTiming& block, uint32_t next_address) override;
  int64_t entry_cycles(const BlockTiming& block) const override;
  const ExceptionTiming& exception_timing() const override { return timing_.exceptions; }
  void flush_pipeline() override;
  void reset() override { flush_pipeline(); }

 private:
  uint32_t refill(const Instruction& branch) const;

  const Armv7mTiming& timing_;
  CrossBlockState hazards_;
  bool entered_by_branch_ = false;
  uint8_t last_refill_ = 0;
};

}  // namespace tinysim::cpu_models::impl
