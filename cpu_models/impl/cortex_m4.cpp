// Cortex-M4 timing table.
//
// Source: Arm, "Cortex-M4 Technical Reference Manual" r0p1, DDI0439D, Table 3-1 "Cortex-M4
// instruction set summary", 3.3.2 "Load/store timings" and Table 7-1 "FPU instruction set"
// (cycles at zero wait states); the load/store chaining details measured on an STM32F407
// (jnk0le/random, "pipeline cycle test", doc/cortex_m3m4.md). Branch rows exclude P.
#include "cpu_models/impl/armv7m_model.h"

namespace tinysim::cpu_models::impl {
namespace {

// clang-format off
constexpr TimingRow kCortexM4Rows[] = {
    // class                        cycles  source
    {InsnClass::kAlu,                1, "DDI0439D Table 3-1: ADD/SUB/logical/shift/MOV/CMP 1"},
    {InsnClass::kAluBitfield,        1, "DDI0439D Table 3-1: bitfield/extend/REV/CLZ/SSAT 1"},
    {InsnClass::kAluWritesPc,        1, "DDI0439D Table 3-1: MOV PC / ADD PC 1+P"},
    {InsnClass::kMul,                1, "DDI0439D Table 3-1: MUL, SMULxy, SMUAD, SMMUL 1"},
    {InsnClass::kMulAcc,             1, "DDI0439D Table 3-1: MLA/MLS, SMLAxy, SMLAD 1"},
    {InsnClass::kLongMul,            1, "DDI0439D Table 3-1: UMULL/SMULL 1"},
    {InsnClass::kLongMulAcc,         1, "DDI0439D Table 3-1: UMLAL/SMLAL/UMAAL/SMLALxy 1"},
    {InsnClass::kDsp,                1, "DDI0439D Table 3-1: QADD, SIMD add/sub, SEL, USAD8, PKH 1"},
    {InsnClass::kDiv,                2, "DDI0439D Table 3-1: SDIV/UDIV 2-12 (probe adds 0-10)"},
    {InsnClass::kLoad,               2, "DDI0439D Table 3-1: LDR* 2 (1 when pipelined, 3.3.2)"},
    {InsnClass::kLoadLiteral,        2, "DDI0439D Table 3-1: LDR PC-relative 2"},
    {InsnClass::kLoadPc,             2, "DDI0439D Table 3-1: LDR PC 2+P"},
    {InsnClass::kStore,              2, "DDI0439D Table 3-1: STR* 2 (1 when pipelined, 3.3.2)"},
    {InsnClass::kLoadDouble,         3, "DDI0439D Table 3-1: LDRD 1+N, N=2; 3.3.2: three cycles"},
    {InsnClass::kStoreDouble,        3, "DDI0439D Table 3-1: STRD 1+N, N=2"},
    {InsnClass::kLoadMultiple,       1, "DDI0439D Table 3-1: LDM/POP 1+N"},
    {InsnClass::kLoadMultiplePc,     1, "DDI0439D Table 3-1: LDM/POP with PC 1+N+P"},
    {InsnClass::kStoreMultiple,      1, "DDI0439D Table 3-1: STM/PUSH 1+N"},
    {InsnClass::kBranch,             1, "DDI0439D Table 3-1: B 1+P"},
    {InsnClass::kBranchCond,         1, "DDI0439D Table 3-1: B<cc>, CBZ 1 (1+P taken)"},
    {InsnClass::kBranchLink,         1, "DDI0439D Table 3-1: BL 1+P"},
    {InsnClass::kBranchExchange,     1, "DDI0439D Table 3-1: BX/BLX 1+P"},
    {InsnClass::kTableBranch,        2, "DDI0439D Table 3-1: TBB/TBH 2+P"},
    {InsnClass::kIt,                 1, "DDI0439D Table 3-1: IT 1 (0 when folded)"},
    {InsnClass::kSysRegRead,         1, "DDI0439D Table 3-1: MRS 1 or 2: 1 taken"},
    {InsnClass::kSysRegWrite,        2, "DDI0439D Table 3-1: MSR 1 or 2: 2 taken"},
    {InsnClass::kCps,                2, "DDI0439D Table 3-1: CPSID/CPSIE 1 or 2: 2 taken"},
    {InsnClass::kBarrier,            1, "DDI0439D Table 3-1: ISB/DMB/DSB 1+B (B: +1 after a store)"},
    {InsnClass::kHint,               1, "DDI0439D Table 3-1: NOP/YIELD/SEV 1"},
    {InsnClass::kSleep,              1, "DDI0439D Table 3-1: WFI/WFE 1+W (W: time asleep)"},
    {InsnClass::kSvc,                0, "DDI0439D Table 3-1: SVC '-': the exception entry counts"},
    {InsnClass::kBkpt,               1, "DDI0439D Table 3-1: BKPT '-' (debug): 1 nominal"},
    {InsnClass::kFpAlu,              1, "DDI0439D Table 7-1: VADD/VSUB/VMUL/VNMUL/VABS/VNEG/VCMP/VCVT 1"},
    {InsnClass::kFpMac,              3, "DDI0439D Table 7-1: VMLA/VMLS/VNMLA/VNMLS/VFMA/VFMS 3"},
    {InsnClass::kFpDivSqrt,         14, "DDI0439D Table 7-1: VDIV.F32/VSQRT.F32 14"},
    {InsnClass::kFpMove,             1, "DDI0439D Table 7-1: VMOV imm, S<-S, half D<->core, VMRS/VMSR 1"},
    {InsnClass::kFpMoveCore,         2, "DDI0439D Table 7-1: VMOV S<->core, 2S<->2core, D<->2core 2"},
    {InsnClass::kFpLoad,             2, "DDI0439D Table 7-1: VLDR.32 2 (.64 3)"},
    {InsnClass::kFpStore,            2, "DDI0439D Table 7-1: VSTR.32 2 (.64 3)"},
    {InsnClass::kFpLoadMultiple,     1, "DDI0439D Table 7-1: VLDM/VPOP 1+N (1+2N double)"},
    {InsnClass::kFpStoreMultiple,    1, "DDI0439D Table 7-1: VSTM/VPUSH 1+N (1+2N double)"},
    {InsnClass::kUndefined,          1, "UNDEFINED: faults on silicon; 1 nominal"},
};
// clang-format on

}  // namespace

const Armv7mTiming& cortex_m4_timing() {
  static const Armv7mTiming timing = {
      .name = "cortex-m4",
      .table = ClassTable("cortex-m4", kCortexM4Rows),
      .m4_load_store_rules = true,
      .long_multiply_early_termination = false,
      .fpu = true,
      .fp_div_sqrt_cycles = 14,  // DDI0439D Table 7-1
      .exceptions =
          {
              .entry = 12,      // reference file: M4 exception entry 12 (zero wait states)
              .entry_fp = 29,   // reference file: with an active FP context, lazy stacking off
              .exit = 10,       // reference file: M4 return 10
              .exit_fp = 27,    // reference file: return with an FP frame 27
              .tail_chain = 6,  // reference file: tail chain 6
          },
  };
  return timing;
}

}  // namespace tinysim::cpu_models::impl
