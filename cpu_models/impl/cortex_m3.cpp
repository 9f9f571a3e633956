// Cortex-M3 timing table.
//
// Source: Arm, "Cortex-M3 Technical Reference Manual" r2p1, 100165_0201, Table 3-1 "Cortex-M3
// instruction set summary" (cycles at zero wait states) and 3.3.2 "Load/store timings"; the
// load/store chaining details measured on an STM32F103 (jnk0le/random, "pipeline cycle test",
// doc/cortex_m3m4.md). Branch rows exclude P (armv7m_model.h); P is added by the model.
#include "cpu_models/impl/armv7m_model.h"

namespace tinysim::cpu_models::impl {
namespace {

constexpr const char* kNotM3 = "not implemented on the M3 (UNDEFINED on silicon): 1";

// clang-format off
constexpr TimingRow kCortexM3Rows[] = {
    // class                        cycles  source
    {InsnClass::kAlu,                1, "100165 Table 3-1: ADD/SUB/logical/shift/MOV/CMP 1"},
    {InsnClass::kAluBitfield,        1, "100165 Table 3-1: bitfield/extend/REV/CLZ/SSAT 1"},
    {InsnClass::kAluWritesPc,        1, "100165 Table 3-1: MOV PC / ADD PC 1+P"},
    {InsnClass::kMul,                1, "100165 Table 3-1: MUL 1"},
    {InsnClass::kMulAcc,             2, "100165 Table 3-1: MLA/MLS 2"},
    {InsnClass::kLongMul,            3, "100165 Table 3-1: UMULL/SMULL 3-5 (probe adds 0-2)"},
    {InsnClass::kLongMulAcc,         4, "100165 Table 3-1: UMLAL/SMLAL 4-7 (probe adds 0-3)"},
    {InsnClass::kDsp,                1, kNotM3},
    {InsnClass::kDiv,                2, "100165 Table 3-1: SDIV/UDIV 2-12 (probe adds 0-10)"},
    {InsnClass::kLoad,               2, "100165 Table 3-1: LDR* 2 (1 when pipelined, 3.3.2)"},
    {InsnClass::kLoadLiteral,        2, "100165 Table 3-1: LDR PC-relative 2"},
    {InsnClass::kLoadPc,             2, "100165 Table 3-1: LDR PC 2+P"},
    {InsnClass::kStore,              2, "100165 Table 3-1: STR* 2 (1 when pipelined, 3.3.2)"},
    {InsnClass::kLoadDouble,         3, "100165 Table 3-1: LDRD 1+N, N=2; 3.3.2: three cycles"},
    {InsnClass::kStoreDouble,        3, "100165 Table 3-1: STRD 1+N, N=2"},
    {InsnClass::kLoadMultiple,       1, "100165 Table 3-1: LDM/POP 1+N"},
    {InsnClass::kLoadMultiplePc,     1, "100165 Table 3-1: LDM/POP with PC 1+N+P"},
    {InsnClass::kStoreMultiple,      1, "100165 Table 3-1: STM/PUSH 1+N"},
    {InsnClass::kBranch,             1, "100165 Table 3-1: B 1+P"},
    {InsnClass::kBranchCond,         1, "100165 Table 3-1: B<cc>, CBZ 1 (1+P taken)"},
    {InsnClass::kBranchLink,         1, "100165 Table 3-1: BL 1+P"},
    {InsnClass::kBranchExchange,     1, "100165 Table 3-1: BX/BLX 1+P"},
    {InsnClass::kTableBranch,        2, "100165 Table 3-1: TBB/TBH 2+P"},
    {InsnClass::kIt,                 1, "100165 Table 3-1: IT 1 (0 when folded)"},
    {InsnClass::kSysRegRead,         1, "100165 Table 3-1: MRS 1 or 2: 1 taken"},
    {InsnClass::kSysRegWrite,        2, "100165 Table 3-1: MSR 1 or 2: 2 taken"},
    {InsnClass::kCps,                2, "100165 Table 3-1: CPSID/CPSIE 1 or 2: 2 taken"},
    {InsnClass::kBarrier,            1, "100165 Table 3-1: ISB/DMB/DSB 1+B (B: +1 after a store)"},
    {InsnClass::kHint,               1, "100165 Table 3-1: NOP/YIELD/SEV 1"},
    {InsnClass::kSleep,              1, "100165 Table 3-1: WFI/WFE 1+W (W: time asleep)"},
    {InsnClass::kSvc,                0, "100165 Table 3-1: SVC '-': the exception entry counts"},
    {InsnClass::kBkpt,               1, "100165 Table 3-1: BKPT '-' (debug): 1 nominal"},
    {InsnClass::kFpAlu,              1, kNotM3},
    {InsnClass::kFpMac,              1, kNotM3},
    {InsnClass::kFpDivSqrt,          1, kNotM3},
    {InsnClass::kFpMove,             1, kNotM3},
    {InsnClass::kFpMoveCore,         1, kNotM3},
    {InsnClass::kFpLoad,             1, kNotM3},
    {InsnClass::kFpStore,            1, kNotM3},
    {InsnClass::kFpLoadMultiple,     1, kNotM3},
    {InsnClass::kFpStoreMultiple,    1, kNotM3},
    {InsnClass::kUndefined,          1, "UNDEFINED: faults on silicon; 1 nominal"},
};
// clang-format on

}  // namespace

const Armv7mTiming& cortex_m3_timing() {
  static const Armv7mTiming timing = {
      .name = "cortex-m3",
      .table = ClassTable("cortex-m3", kCortexM3Rows),
      .m4_load_store_rules = false,
      .long_multiply_early_termination = true,
      .fpu = false,
      .fp_div_sqrt_cycles = 0,
      .exceptions =
          {
              .entry = 12,      // reference file: M3 exception entry 12 (zero wait states)
              .entry_fp = 12,   // no FPU
              .exit = 12,       // reference file: M3 return 12
              .exit_fp = 12,    // no FPU
              .tail_chain = 6,  // reference file: tail chain 6
          },
  };
  return timing;
}

}  // namespace tinysim::cpu_models::impl
