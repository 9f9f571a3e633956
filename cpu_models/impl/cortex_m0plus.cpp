// Cortex-M0+ timing table.
//
// Source: Arm, "Cortex-M0+ Technical Reference Manual" r0p1, DDI0484C, Table 3-1 "Cortex-M0+
// instruction summary" (cycles at zero wait states) and 3.6.1 for the interrupt latency. Rows
// the reference file tags [U] (widely quoted, not re-checked against the PDF) say so.
// N = registers transferred (PC included). Rows marked "not ARMv6-M" are instructions the core
// does not implement (UNDEFINED on silicon); they cost 1 so a wrongly built firmware still runs.
#include "cpu_models/impl/armv6m_model.h"

namespace tinysim::cpu_models::impl {
namespace {

constexpr const char* kNotV6m = "not ARMv6-M (UNDEFINED on silicon): 1";

// clang-format off
constexpr TimingRow kCortexM0PlusRows[] = {
    // class                        cycles  source
    {InsnClass::kAlu,                1, "DDI0484C Table 3-1: ADD/SUB/logical/shift/MOV/CMP 1"},
    {InsnClass::kAluBitfield,        1, "DDI0484C Table 3-1: SXTB/UXTB/REV 1"},
    {InsnClass::kAluWritesPc,        2, "DDI0484C Table 3-1: ADD PC / MOV PC 2"},
    {InsnClass::kMul,                1, "DDI0484C Table 3-1: MULS 1 (fast multiplier)"},
    {InsnClass::kMulAcc,             1, kNotV6m},
    {InsnClass::kLongMul,            1, kNotV6m},
    {InsnClass::kLongMulAcc,         1, kNotV6m},
    {InsnClass::kDsp,                1, kNotV6m},
    {InsnClass::kDiv,                1, kNotV6m},
    {InsnClass::kLoad,               2, "DDI0484C Table 3-1: LDR* 2 (1 to the I/O port: memory system)"},
    {InsnClass::kLoadLiteral,        2, "DDI0484C Table 3-1: LDR PC-relative 2"},
    {InsnClass::kLoadPc,             1, kNotV6m},
    {InsnClass::kStore,              2, "DDI0484C Table 3-1: STR/STRH/STRB 2"},
    {InsnClass::kLoadDouble,         1, kNotV6m},
    {InsnClass::kStoreDouble,        1, kNotV6m},
    {InsnClass::kLoadMultiple,       1, "DDI0484C Table 3-1: LDM / POP 1+N"},
    {InsnClass::kLoadMultiplePc,     3, "DDI0484C Table 3-1: POP {..., PC} 3+N [U]"},
    {InsnClass::kStoreMultiple,      1, "DDI0484C Table 3-1: STM / PUSH 1+N"},
    {InsnClass::kBranch,             2, "DDI0484C Table 3-1: B 2 [U]"},
    {InsnClass::kBranchCond,         1, "DDI0484C Table 3-1: B<cc> 1 not taken (2 taken) [U]"},
    {InsnClass::kBranchLink,         3, "DDI0484C Table 3-1: BL 3 [U]"},
    {InsnClass::kBranchExchange,     2, "DDI0484C Table 3-1: BX / BLX 2 [U]"},
    {InsnClass::kTableBranch,        1, kNotV6m},
    {InsnClass::kIt,                 1, kNotV6m},
    {InsnClass::kSysRegRead,         3, "DDI0484C Table 3-1: MRS 3 [U]"},
    {InsnClass::kSysRegWrite,        3, "DDI0484C Table 3-1: MSR 3 [U]"},
    {InsnClass::kCps,                1, "DDI0484C Table 3-1: CPSID/CPSIE 1"},
    {InsnClass::kBarrier,            3, "DDI0484C Table 3-1: ISB/DMB/DSB 3 [U]"},
    {InsnClass::kHint,               1, "DDI0484C Table 3-1: NOP/YIELD/SEV 1"},
    {InsnClass::kSleep,              2, "DDI0484C Table 3-1: WFI/WFE 2 (+ time asleep)"},
    {InsnClass::kSvc,                0, "DDI0484C Table 3-1: SVC '-': the exception entry counts"},
    {InsnClass::kBkpt,               1, "DDI0484C Table 3-1: BKPT '-' (debug): 1 nominal"},
    {InsnClass::kFpAlu,              1, kNotV6m},
    {InsnClass::kFpMac,              1, kNotV6m},
    {InsnClass::kFpDivSqrt,          1, kNotV6m},
    {InsnClass::kFpMove,             1, kNotV6m},
    {InsnClass::kFpMoveCore,         1, kNotV6m},
    {InsnClass::kFpLoad,             1, kNotV6m},
    {InsnClass::kFpStore,            1, kNotV6m},
    {InsnClass::kFpLoadMultiple,     1, kNotV6m},
    {InsnClass::kFpStoreMultiple,    1, kNotV6m},
    {InsnClass::kUndefined,          1, "UNDEFINED: faults on silicon; 1 nominal"},
};
// clang-format on

// Interrupt latency 15 at zero wait states without jitter suppression (DDI0484C 3.6.1). Arm
// gives no return or tail-chain figure: estimates, see docs/cpu-models.md.
constexpr ExceptionTiming kCortexM0PlusExceptions = {
    .entry = 15,      // DDI0484C 3.6.1: worst-case interrupt latency 15 cycles
    .entry_fp = 15,   // no FPU
    .exit = 15,       // estimate: unstack 8 words + refill, no published figure
    .exit_fp = 15,    // no FPU
    .tail_chain = 7,  // estimate: entry without the 8 stacking cycles
};

}  // namespace

const Armv6mTiming& cortex_m0plus_timing() {
  static const Armv6mTiming timing = {
      .name = "cortex-m0plus",
      .table = ClassTable("cortex-m0plus", kCortexM0PlusRows),
      .branch_cond_taken = 2,  // DDI0484C Table 3-1: B<cc> taken 2 [U]
      .exceptions = kCortexM0PlusExceptions,
  };
  return timing;
}

}  // namespace tinysim::cpu_models::impl
