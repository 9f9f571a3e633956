// Cortex-M0 timing table.
//
// Source: Arm, "Cortex-M0 Technical Reference Manual" r0p0, DDI0432C, Table 3-1 "Cortex-M0
// instruction summary" (cycles at zero wait states).
// N = registers transferred (PC included). Rows marked "not ARMv6-M" are instructions the core
// does not implement (UNDEFINED on silicon); they cost 1 so a wrongly built firmware still runs.
#include "cpu_models/impl/armv6m_model.h"

namespace tinysim::cpu_models::impl {
namespace {

constexpr const char* kNotV6m = "not ARMv6-M (UNDEFINED on silicon): 1";

// clang-format off
constexpr TimingRow kCortexM0Rows[] = {
    // class                        cycles  source
    {InsnClass::kAlu,                1, "DDI0432C Table 3-1: ADD/SUB/logical/shift/MOV/CMP 1"},
    {InsnClass::kAluBitfield,        1, "DDI0432C Table 3-1: SXTB/UXTB/REV 1"},
    {InsnClass::kAluWritesPc,        3, "DDI0432C Table 3-1: ADD PC / MOV PC 3"},
    {InsnClass::kMul,                1, "DDI0432C Table 3-1: MULS 1 (fast multiplier)"},
    {InsnClass::kMulAcc,             1, kNotV6m},
    {InsnClass::kLongMul,            1, kNotV6m},
    {InsnClass::kLongMulAcc,         1, kNotV6m},
    {InsnClass::kDsp,                1, kNotV6m},
    {InsnClass::kDiv,                1, kNotV6m},
    {InsnClass::kLoad,               2, "DDI0432C Table 3-1: LDR/LDRH/LDRB/LDRS* 2"},
    {InsnClass::kLoadLiteral,        2, "DDI0432C Table 3-1: LDR PC-relative 2"},
    {InsnClass::kLoadPc,             1, kNotV6m},
    {InsnClass::kStore,              2, "DDI0432C Table 3-1: STR/STRH/STRB 2"},
    {InsnClass::kLoadDouble,         1, kNotV6m},
    {InsnClass::kStoreDouble,        1, kNotV6m},
    {InsnClass::kLoadMultiple,       1, "DDI0432C Table 3-1: LDM / POP 1+N"},
    {InsnClass::kLoadMultiplePc,     4, "DDI0432C Table 3-1: POP {..., PC} 4+N"},
    {InsnClass::kStoreMultiple,      1, "DDI0432C Table 3-1: STM / PUSH 1+N"},
    {InsnClass::kBranch,             3, "DDI0432C Table 3-1: B 3"},
    {InsnClass::kBranchCond,         1, "DDI0432C Table 3-1: B<cc> 1 not taken (3 taken)"},
    {InsnClass::kBranchLink,         4, "DDI0432C Table 3-1: BL 4"},
    {InsnClass::kBranchExchange,     3, "DDI0432C Table 3-1: BX / BLX 3"},
    {InsnClass::kTableBranch,        1, kNotV6m},
    {InsnClass::kIt,                 1, kNotV6m},
    {InsnClass::kSysRegRead,         4, "DDI0432C Table 3-1: MRS 4"},
    {InsnClass::kSysRegWrite,        4, "DDI0432C Table 3-1: MSR 4"},
    {InsnClass::kCps,                1, "DDI0432C Table 3-1: CPSID/CPSIE 1"},
    {InsnClass::kBarrier,            4, "DDI0432C Table 3-1: ISB/DMB/DSB 4"},
    {InsnClass::kHint,               1, "DDI0432C Table 3-1: NOP/YIELD/SEV 1"},
    {InsnClass::kSleep,              2, "DDI0432C Table 3-1: WFI/WFE 2 (+ time asleep)"},
    {InsnClass::kSvc,                0, "DDI0432C Table 3-1: SVC '-': the exception entry counts"},
    {InsnClass::kBkpt,               1, "DDI0432C Table 3-1: BKPT '-' (debug): 1 nominal"},
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

// Interrupt latency 16 at zero wait states (Arm's published Cortex-M0 figure, as quoted in
// ../shared/reference/cortex-m-timing.md). Arm gives no return or tail-chain figure for the M0:
// estimates, see docs/cpu-models.md.
constexpr ExceptionTiming kCortexM0Exceptions = {
    .entry = 16,      // Arm: Cortex-M0 interrupt latency 16 cycles
    .entry_fp = 16,   // no FPU
    .exit = 16,       // estimate: unstack 8 words + refill, no published figure
    .exit_fp = 16,    // no FPU
    .tail_chain = 8,  // estimate: entry without the 8 stacking cycles
};

}  // namespace

const Armv6mTiming& cortex_m0_timing() {
  static const Armv6mTiming timing = {
      .name = "cortex-m0",
      .table = ClassTable("cortex-m0", kCortexM0Rows),
      .branch_cond_taken = 3,  // DDI0432C Table 3-1: B<cc> taken 3
      .exceptions = kCortexM0Exceptions,
  };
  return timing;
}

}  // namespace tinysim::cpu_models::impl
