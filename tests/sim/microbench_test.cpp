// Micro-benchmark firmware (workloads/firmware/microbench, docs/microbenchmarks.md): the
// documented instruction sequences of tests/cpu_models/timing_sequences.S, timed inside the
// simulated core with DWT.CYCCNT (SysTick on the M0/M0+) exactly as on silicon, calibrated by an
// empty measurement. Each row is one printed count and the document it reproduces: the TRM count
// at zero wait states for the M0, M0+, M3 and M4, the published silicon measurement for the M7
// and M33. The rows of cpu_model_timing_test.cpp (kCases) appear here with the same expected
// count and source; the other rows cover the rules kCases cannot (operand values, exceptions,
// loops through the machine) and say where their number comes from.
//
// Sources, abbreviated as in cpu_model_timing_test.cpp:
//   M0 T3-1   Arm DDI0432C (Cortex-M0 TRM r0p0), Table 3-1
//   M0+ T3-1  Arm DDI0484C (Cortex-M0+ TRM r0p1), Table 3-1 ([U]: widely quoted, not re-checked);
//             M0+ 3.6.1: interrupt latency
//   M3 T3-1   Arm 100165_0201 (Cortex-M3 TRM r2p1), Table 3-1;  M3 3.3.2: "Load/store timings"
//   M4 T3-1   Arm DDI0439D (Cortex-M4 TRM r0p1), Table 3-1; M4 3.3.2; M4 T7-1: FPU Table 7-1
//   ref       ../shared/reference/cortex-m-timing.md (Arm's published exception latencies)
//   jnk0le    jnk0le/random "pipeline cycle test": doc/cortex_m0.md, cortex_m3m4.md (STM32F103,
//             STM32F407), cortex_m7.md (STM32H743), cortex_m33.md (RP2350), DWT.CYCCNT
//   i-0.nl    compendium.i-0.nl "Branch timing" (Cortex-M4 silicon)
//   [est]     the model's estimate where no document gives a number (docs/cpu-models.md)
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "firmware_path.h"
#include "sim/machine.h"

namespace tinysim::sim {
namespace {

using tinysim::testing::firmware;

struct Row {
  const char* variant;  // firmware core variant (the board is below)
  const char* name;     // the printed benchmark name
  int64_t expected;
  const char* source;
  const char* multiplier = "fast";  // M0/M0+ board option (sim::CoreConfig::multiplier)
};

// clang-format off
const Row kRows[] = {
  // ---- Cortex-M0 (nucleo-f030r8) ---------------------------------------------------------
  {"cortex-m0", "alu4",            4,  "M0 T3-1: ADDS/SUBS/LSLS/MOVS 1 each"},
  {"cortex-m0", "ldr_ldr_narrow",  4,  "M0 T3-1: LDR 2, no pipelining"},
  {"cortex-m0", "ldr_use_narrow",  3,  "jnk0le cortex_m0.md: no load-to-use latency (LDR 2 + ADDS 1)"},
  {"cortex-m0", "push5",           6,  "M0 T3-1: PUSH 1+N, N=5"},
  {"cortex-m0", "pop5_pc",         9,  "M0 T3-1: POP {..., PC} 4+N, N=5"},
  {"cortex-m0", "ldm3_narrow",     4,  "M0 T3-1: LDM 1+N, N=3"},
  {"cortex-m0", "cmp_beq_taken",   4,  "M0 T3-1: CMP 1 + B<cc> taken 3"},
  {"cortex-m0", "cmp_beq",         2,  "M0 T3-1: CMP 1 + B<cc> not taken 1"},
  {"cortex-m0", "b_narrow",        3,  "M0 T3-1: B 3"},
  {"cortex-m0", "bl_call",         4,  "M0 T3-1: BL 4"},
  {"cortex-m0", "bx_lr",           3,  "M0 T3-1: BX 3"},
  {"cortex-m0", "mov_pc",          3,  "M0 T3-1: MOV PC 3"},
  {"cortex-m0", "muls_narrow",     1,  "M0 T3-1: MULS 1 (fast multiplier)"},
  {"cortex-m0", "muls_narrow",     32, "M0 T3-1: MULS 32 (small multiplier)", "small"},
  {"cortex-m0", "mrs_primask",     4,  "M0 T3-1: MRS 4"},
  {"cortex-m0", "dsb_only",        4,  "M0 T3-1: DSB 4"},
  {"cortex-m0", "exc_entry",       16, "ref: Arm's Cortex-M0 interrupt latency 16 (PendSV pended before an ISB)"},
  {"cortex-m0", "exc_return",      16, "[est] M0 return 16: Arm publishes none (minus an ordinary BX LR return)"},
  {"cortex-m0", "exc_tail_chain",  8,  "[est] M0 tail chain 8: Arm publishes none (minus an ordinary BX LR return)"},
  // ---- Cortex-M0+ (nucleo-g071rb) --------------------------------------------------------
  {"cortex-m0plus", "alu4",        4,  "M0+ T3-1: 1 each"},
  {"cortex-m0plus", "ldr_ldr_narrow", 4, "M0+ T3-1: LDR 2 each"},
  {"cortex-m0plus", "ldr_use_narrow", 3, "M0+ T3-1: LDR 2 + ADDS 1"},
  {"cortex-m0plus", "push5",       6,  "M0+ T3-1: PUSH 1+N, N=5"},
  {"cortex-m0plus", "pop5_pc",     8,  "M0+ T3-1: POP {..., PC} 3+N, N=5 [U]"},
  {"cortex-m0plus", "ldm3_narrow", 4,  "M0+ T3-1: LDM 1+N, N=3"},
  {"cortex-m0plus", "cmp_beq_taken", 3, "M0+ T3-1: CMP 1 + B<cc> taken 2 [U]"},
  {"cortex-m0plus", "cmp_beq",     2,  "M0+ T3-1: CMP 1 + B<cc> not taken 1"},
  {"cortex-m0plus", "b_narrow",    2,  "M0+ T3-1: B 2 [U]"},
  {"cortex-m0plus", "bl_call",     3,  "M0+ T3-1: BL 3 [U]"},
  {"cortex-m0plus", "bx_lr",       2,  "M0+ T3-1: BX 2 [U]"},
  {"cortex-m0plus", "mov_pc",      2,  "M0+ T3-1: MOV PC 2"},
  {"cortex-m0plus", "muls_narrow", 1,  "M0+ T3-1: MULS 1 (fast multiplier)"},
  {"cortex-m0plus", "muls_narrow", 32, "M0+ T3-1: MULS 32 (small multiplier)", "small"},
  {"cortex-m0plus", "mrs_primask", 3,  "M0+ T3-1: MRS 3 [U]"},
  {"cortex-m0plus", "dsb_only",    3,  "M0+ T3-1: DSB 3 [U]"},
  {"cortex-m0plus", "exc_entry",   15, "M0+ 3.6.1: interrupt latency 15 (PendSV pended before an ISB)"},
  {"cortex-m0plus", "exc_return",  15, "[est] M0+ return 15: Arm publishes none"},
  {"cortex-m0plus", "exc_tail_chain", 7, "[est] M0+ tail chain 7: Arm publishes none"},
  // ---- Cortex-M3 (bluepill-f103c8) -------------------------------------------------------
  {"cortex-m3", "trm_ldr_ldr",     3,  "M3 3.3.2: LDR R0,[R1]; LDR R1,[R2] - three cycles"},
  {"cortex-m3", "trm_ldr_str",     3,  "M3 3.3.2: LDR R0,[R1,R2]; STR R0,[R3,#20] - three cycles"},
  {"cortex-m3", "trm_ldr_str_regoffset", 3, "M3 3.3.2: LDR R0,[R1,R2]; STR R1,[R3,R2] - three cycles"},
  {"cortex-m3", "trm_ldr_ldr_ldr", 4,  "M3 3.3.2: LDR R0,[R1,R5]; LDR R1,[R2]; LDR R2,[R4] - four cycles"},
  {"cortex-m3", "ldr_dependent_address", 4, "M3 3.3.2: no pipelining when the address uses the first LDR's result (2+2)"},
  {"cortex-m3", "alu_then_ldr_address", 4, "M3 3.3.2: address from the preceding data-processing op stalls 1 (1+1+2)"},
  {"cortex-m3", "alu_then_ldr_other", 3, "M3 T3-1: ADDS 1 + LDR 2 (no dependency)"},
  {"cortex-m3", "str_str_imm",     2,  "M3 3.3.2: STR Rx,[Ry,#imm] is always one cycle"},
  {"cortex-m3", "str_then_ldr",    4,  "jnk0le cortex_m3m4.md: a store followed by a load takes an extra cycle (2+2)"},
  {"cortex-m3", "str_regoffset_alu", 3, "jnk0le cortex_m3m4.md: register-offset store 2 cycles, + ADDS 1"},
  {"cortex-m3", "ldr_postinc_chain", 4, "jnk0le cortex_m3m4.md: [cm3] post-indexed loads do not chain (2+2)"},
  {"cortex-m3", "ldm4",            5,  "M3 T3-1: LDM 1+N, N=4"},
  {"cortex-m3", "pop2_pc",         6,  "M3 T3-1: POP with PC 1+N+P, N=2, P=3"},
  {"cortex-m3", "pop5_pc",         9,  "M3 T3-1: POP with PC 1+N+P, N=5, P=3"},
  {"cortex-m3", "push5",           6,  "M3 T3-1: PUSH 1+N, N=5"},
  {"cortex-m3", "ldrd_strd",       6,  "M3 T3-1 / 3.3.2: LDRD 3, STRD 3"},
  {"cortex-m3", "ldr_pc",          5,  "M3 3.3.2: LDR PC 'at least five cycles' (2 + 3 refill)"},
  {"cortex-m3", "tbb_table",       5,  "M3 T3-1: TBB 2+P, P=3"},
  {"cortex-m3", "b_narrow",        2,  "M3 T3-1: B 1+P, P=1"},
  {"cortex-m3", "bl_call",         2,  "M3 T3-1: BL 1+P, P=1"},
  {"cortex-m3", "bx_lr",           2,  "M3 T3-1: BX 1+P, P=1"},
  {"cortex-m3", "cmp_beq_taken",   3,  "M3 T3-1: CMP 1 + B<cc> taken 1+P"},
  {"cortex-m3", "cmp_beq",         2,  "M3 T3-1: CMP 1 + B<cc> not taken 1"},
  {"cortex-m3", "cbz_fwd_taken",   2,  "M3 T3-1: CBZ taken 1+P"},
  {"cortex-m3", "cbz_fwd",         1,  "M3 T3-1: CBZ not taken 1"},
  {"cortex-m3", "b_wide_aligned_target", 3, "i-0.nl: taken branch 2, + ADD.W 1"},
  {"cortex-m3", "b_wide_unaligned_target", 4, "i-0.nl: branch to an unaligned 32-bit instruction 3, + ADD.W 1"},
  {"cortex-m3", "it_after_narrow", 2,  "M3 T3-1: IT folded onto a preceding 16-bit instruction: 0"},
  {"cortex-m3", "it_after_wide",   3,  "M3 T3-1: IT 1 when not folded"},
  {"cortex-m3", "mul_mla",         3,  "M3 T3-1: MUL 1, MLA 2"},
  {"cortex-m3", "umull_one",       3,  "M3 T3-1: UMULL 3-5: 3, the minimum, for Rm = 0x1234 (early termination)"},
  {"cortex-m3", "umull_max",       5,  "M3 T3-1: UMULL 3-5: 5, the maximum, for Rm = 0xFFFFFFFF (no early termination)"},
  {"cortex-m3", "smlal_one",       4,  "M3 T3-1: SMLAL 4-7: 4, the minimum, for Rm = -16 (early termination)"},
  {"cortex-m3", "smlal_max",       7,  "M3 T3-1: SMLAL 4-7: 7, the maximum, for Rm = 0x7FFFFFFF"},
  {"cortex-m3", "sdiv_one",        2,  "M3 T3-1: SDIV 2-12: 2, the minimum, for 5 / 7 (dividend below divisor)"},
  {"cortex-m3", "sdiv_mid",        4,  "[est] within M3 T3-1's 2-12: -1000 / 7, 8 quotient bits, radix-8 divider 1 + ceil(8/3)"},
  {"cortex-m3", "udiv_max",        12, "M3 T3-1: UDIV 2-12: 12, the maximum, for 0xFFFFFFFF / 1 (32 quotient bits)"},
  {"cortex-m3", "udiv_max_cold",   12, "M3 T3-1: UDIV 12 as above, timed on the block's first execution (no warm-up run)"},
  {"cortex-m3", "exc_entry",       12, "ref: M3 exception entry 12 (PendSV pended before an ISB)"},
  {"cortex-m3", "exc_return",      12, "ref: M3 return 12 (minus an ordinary BX LR return)"},
  {"cortex-m3", "exc_tail_chain",  6,  "ref: tail chain 6 (minus an ordinary BX LR return)"},
  // ---- Cortex-M4 (nrf52840-dk) -----------------------------------------------------------
  {"cortex-m4f", "trm_ldr_ldr",    3,  "M4 3.3.2: LDR;LDR three cycles"},
  {"cortex-m4f", "trm_ldr_str",    3,  "M4 3.3.2: LDR;STR three cycles"},
  {"cortex-m4f", "trm_ldr_str_regoffset", 3, "M4 3.3.2: LDR R0,[R1,R2]; STR R1,[R3,R2] three cycles"},
  {"cortex-m4f", "trm_ldr_ldr_ldr", 4, "M4 3.3.2: LDR;LDR;LDR four cycles"},
  {"cortex-m4f", "ldr_dependent_address", 4, "M4 3.3.2: no pipelining when the address uses the first LDR's result (2+2)"},
  {"cortex-m4f", "alu_then_ldr_address", 4, "M4 3.3.2: address dependency stall 1"},
  {"cortex-m4f", "alu_then_ldr_other", 3, "M4 T3-1: ADDS 1 + LDR 2 (no dependency)"},
  {"cortex-m4f", "str_str_imm",    2,  "M4 3.3.2: STR Rx,[Ry,#imm] is always one cycle"},
  {"cortex-m4f", "str_then_ldr",   4,  "jnk0le cortex_m3m4.md: store then load 2+2"},
  {"cortex-m4f", "str_regoffset_alu", 3, "jnk0le cortex_m3m4.md: register-offset store 2 cycles, + ADDS 1"},
  {"cortex-m4f", "ldr_postinc_chain", 3, "jnk0le cortex_m3m4.md: [cm4] post-indexed loads on different bases chain (2+1)"},
  {"cortex-m4f", "ldm4",           5,  "M4 T3-1: LDM 1+N, N=4"},
  {"cortex-m4f", "pop2_pc",        6,  "M4 T3-1: POP with PC 1+N+P"},
  {"cortex-m4f", "pop5_pc",        9,  "M4 T3-1: POP with PC 1+N+P, N=5, P=3"},
  {"cortex-m4f", "push5",          6,  "M4 T3-1: PUSH 1+N, N=5"},
  {"cortex-m4f", "ldrd_strd",      6,  "M4 T3-1 / 3.3.2: LDRD 3, STRD 3"},
  {"cortex-m4f", "ldr_pc",         5,  "M4 3.3.2: LDR PC 'at least five cycles' (2 + 3 refill)"},
  {"cortex-m4f", "tbb_table",      5,  "M4 T3-1: TBB 2+P, P=3"},
  {"cortex-m4f", "b_narrow",       2,  "M4 T3-1: B 1+P, P=1"},
  {"cortex-m4f", "bl_call",        2,  "M4 T3-1: BL 1+P, P=1"},
  {"cortex-m4f", "bx_lr",          2,  "M4 T3-1: BX 1+P, P=1"},
  {"cortex-m4f", "cmp_beq_taken",  3,  "M4 T3-1: CMP 1 + B<cc> taken 1+P"},
  {"cortex-m4f", "cmp_beq",        2,  "M4 T3-1: CMP 1 + B<cc> not taken 1"},
  {"cortex-m4f", "cbz_fwd_taken",  2,  "M4 T3-1: CBZ taken 1+P"},
  {"cortex-m4f", "cbz_fwd",        1,  "M4 T3-1: CBZ not taken 1"},
  {"cortex-m4f", "b_wide_aligned_target", 3, "i-0.nl (M4 silicon): taken branch 2, + ADD.W 1"},
  {"cortex-m4f", "b_wide_unaligned_target", 4, "i-0.nl (M4 silicon): unaligned wide target 3, + ADD.W 1"},
  {"cortex-m4f", "it_after_narrow", 2, "M4 T3-1: IT folded 0"},
  {"cortex-m4f", "it_after_wide",  3,  "M4 T3-1: IT 1 when not folded"},
  {"cortex-m4f", "mul_mla",        2,  "M4 T3-1: MUL 1, MLA 1"},
  {"cortex-m4f", "umull_one",      1,  "M4 T3-1: UMULL 1"},
  {"cortex-m4f", "umull_max",      1,  "M4 T3-1: UMULL 1 whatever the operands (no early termination)"},
  {"cortex-m4f", "smlal_one",      1,  "M4 T3-1: SMLAL 1"},
  {"cortex-m4f", "smlal_max",      1,  "M4 T3-1: SMLAL 1 whatever the operands"},
  {"cortex-m4f", "sdiv_one",       2,  "M4 T3-1: SDIV 2-12: 2, the minimum, for 5 / 7"},
  {"cortex-m4f", "sdiv_mid",       4,  "[est] within M4 T3-1's 2-12: -1000 / 7, 8 quotient bits, radix-8 divider"},
  {"cortex-m4f", "udiv_max",       12, "M4 T3-1: UDIV 2-12: 12, the maximum, for 0xFFFFFFFF / 1"},
  {"cortex-m4f", "udiv_max_cold",  12, "M4 T3-1: UDIV 12 as above, timed on the block's first execution"},
  {"cortex-m4f", "vadd_indep",     2,  "M4 T7-1: VADD.F32 1 each"},
  {"cortex-m4f", "vadd_dep",       3,  "M4 T7-1 + reference: result used by the next instruction +1"},
  {"cortex-m4f", "vadd_gap_dep",   3,  "M4 T7-1: no stall when one instruction separates producer and consumer"},
  {"cortex-m4f", "vmla_one",       3,  "M4 T7-1: VMLA.F32 3"},
  {"cortex-m4f", "vmla_chain",     7,  "M4 T7-1: VMLA 3 + 1 (result use) + VMLA 3"},
  {"cortex-m4f", "vfma_chain_spaced", 8, "M4 T7-1: VFMA 3 + 2 x MOV 1 + VFMA 3 (no stall)"},
  {"cortex-m4f", "vldr_32_64",     5,  "M4 T7-1: VLDR.32 2, VLDR.64 3"},
  {"cortex-m4f", "vpush_s4",       5,  "M4 T7-1: VPUSH 1+N, N=4 single registers"},
  {"cortex-m4f", "vpush_d2",       5,  "M4 T7-1: VPUSH 1+2N, N=2 double registers"},
  {"cortex-m4f", "vmov_core",      2,  "M4 T7-1: VMOV S -> core 2"},
  {"cortex-m4f", "vdiv_then_int_then_vadd", 15, "M4 T7-1: VDIV 14; integer ops complete meanwhile; VADD 1 after"},
  {"cortex-m4f", "vdiv_then_use",  16, "M4 T7-1: VDIV 14 + 1 (result use) + VADD 1"},
  {"cortex-m4f", "exc_entry",      12, "ref: M4 exception entry 12 (no FP context)"},
  {"cortex-m4f", "exc_return",     10, "ref: M4 return 10"},
  {"cortex-m4f", "exc_tail_chain", 6,  "ref: tail chain 6"},
  {"cortex-m4f", "exc_entry_fp_lazy", 12, "ref: entry 12; with lazy stacking (FPCCR.LSPEN, the reset value) no FP registers are stacked"},
  {"cortex-m4f", "exc_return_fp_lazy", 10, "ref: return 10; the handler ran no FP code, FPCCR.LSPACT is still set, nothing to unstack (DDI0403E B1.5.8 PopStack)"},
  {"cortex-m4f", "exc_entry_fp",   29, "ref: with an active FP context and lazy stacking off: entry 29"},
  {"cortex-m4f", "exc_return_fp",  27, "ref: return with an FP frame 27"},
  // ---- Cortex-M7 (stm32f746g-disco; silicon) ---------------------------------------------
  {"cortex-m7f", "m7_loop_add4",   3,  "jnk0le cortex_m7.md: ALU pairs dual issue; 20 instructions incl. a branch in 10 cycles"},
  {"cortex-m7f", "m7_loop_add4_exit", 8, "jnk0le cortex_m7.md: mispredict 8 cycles (the loop exit; SUBS sets the flags in the BNE's cycle)"},
  {"cortex-m7f", "m7_loop_early_flags", 4, "jnk0le cortex_m7.md: ALU pairs dual issue (8 instructions incl. the branch, 4 cycles)"},
  {"cortex-m7f", "m7_loop_early_flags_exit", 6, "jnk0le cortex_m7.md: mispredict 6 when the flags were set >= 3 cycles before (the loop exit)"},
  {"cortex-m7f", "m7_add_pair",    1,  "jnk0le cortex_m7.md: two ALU ops dual issue"},
  {"cortex-m7f", "m7_shifted_pair", 2, "jnk0le cortex_m7.md operand2 matrix: two inline-shifted ops do not pair"},
  {"cortex-m7f", "m7_shifted_plain", 1, "jnk0le cortex_m7.md operand2 matrix: shifted + plain pair"},
  {"cortex-m7f", "m7_bitfield_pair", 2, "jnk0le cortex_m7.md: bitfield/DSP ops do not pair with each other"},
  {"cortex-m7f", "m7_mul_pair",    2,  "jnk0le cortex_m7.md: MUL/MAC do not pair with each other"},
  {"cortex-m7f", "m7_mul_add",     1,  "jnk0le cortex_m7.md: MUL pairs with an ALU op"},
  {"cortex-m7f", "m7_mul_use",     3,  "jnk0le cortex_m7.md: multiply result latency +1 (2)"},
  {"cortex-m7f", "m7_mla_acc_chain", 2, "jnk0le cortex_m7.md: accumulator chains issue every cycle"},
  {"cortex-m7f", "m7_ldr_use",     2,  "jnk0le cortex_m7.md: word load feeds the late ALU next cycle"},
  {"cortex-m7f", "m7_ldrb_use",    3,  "jnk0le cortex_m7.md: byte/half load +1"},
  {"cortex-m7f", "m7_ldr_ldr_banks", 1, "jnk0le cortex_m7.md: two loads to different banks pair"},
  {"cortex-m7f", "m7_ldr_ldr_samebank", 2, "jnk0le cortex_m7.md: two loads to the same bank do not pair"},
  {"cortex-m7f", "m7_ldr_str",     1,  "jnk0le cortex_m7.md: a load and a store pair"},
  {"cortex-m7f", "m7_str_str",     2,  "jnk0le cortex_m7.md: two stores do not pair"},
  {"cortex-m7f", "m7_ldm4",        2,  "jnk0le cortex_m7.md: LDM ceil(N/2), N=4"},
  {"cortex-m7f", "m7_vadd_dep",    4,  "jnk0le cortex_m7.md: VADD.F result latency 3"},
  {"cortex-m7f", "m7_vfma_acc",    4,  "jnk0le cortex_m7.md: VFMA latency 3 as accumulator"},
  {"cortex-m7f", "m7_vmla_mul_dep", 7, "jnk0le cortex_m7.md: VMLA latency 6 as multiplicand"},
  {"cortex-m7f", "m7_vdiv",        16, "jnk0le cortex_m7.md: VDIV.F32 16"},
  {"cortex-m7f", "m7_cold_beq_late_flags", 8, "jnk0le cortex_m7.md: mispredict 8 cycles (cold minus warm)"},
  {"cortex-m7f", "m7_cold_beq_early_flags", 6, "jnk0le cortex_m7.md: mispredict 6 when the flags were set >= 3 cycles before"},
  {"cortex-m7f", "exc_entry",      12, "ref: Arm's Cortex-M7 interrupt latency 12 [U]"},
  {"cortex-m7f", "exc_return",     10, "[est] as the M4: return 10"},
  {"cortex-m7f", "exc_tail_chain", 6,  "[est] as the M3/M4: tail chain 6"},
  // ---- Cortex-M33 (nrf5340-dk; silicon) --------------------------------------------------
  {"cortex-m33f", "m33_loop_subs_bne", 3, "jnk0le cortex_m33.md: SUBS 1 + taken BNE 2"},
  {"cortex-m33f", "m33_loop_subs_add_bne", 3, "jnk0le cortex_m33.md: SUBS 1 + ADD.N 1 + taken BNE 1 (after a non-flag-setting 16-bit op)"},
  {"cortex-m33f", "m33_adds_beq",  1,  "jnk0le cortex_m33.md: ADDS 1 + not-taken BEQ 0 (dual issued)"},
  {"cortex-m33f", "m33_adds_beq_taken", 3, "jnk0le cortex_m33.md: ADDS 1 + taken BEQ 2"},
  {"cortex-m33f", "m33_ldr_use",   3,  "jnk0le cortex_m33.md: load-to-use latency 2"},
  {"cortex-m33f", "m33_ldr_str",   2,  "jnk0le cortex_m33.md: load-to-store latency 1"},
  {"cortex-m33f", "m33_mla_chain", 2,  "jnk0le cortex_m33.md: accumulator chains from the previous MAC"},
  {"cortex-m33f", "m33_mul_use",   3,  "jnk0le cortex_m33.md: multiply result latency 2"},
  {"cortex-m33f", "m33_shifted_use", 3, "jnk0le cortex_m33.md: shifted operand2 result latency 2"},
  {"cortex-m33f", "muls_narrow",   2,  "jnk0le cortex_m33.md: MULS.N takes 2 cycles"},
  {"cortex-m33f", "m33_ldrd",      2,  "jnk0le cortex_m33.md: LDRD 2"},
  {"cortex-m33f", "m33_ldm4",      4,  "jnk0le cortex_m33.md: LDM of 4 registers 4"},
  {"cortex-m33f", "m33_adds_nop",  1,  "jnk0le cortex_m33.md: a NOP dual issues after a 16-bit op"},
  {"cortex-m33f", "m33_vfma_back_to_back", 4, "jnk0le cortex_m33.md: no FP instruction in the 2 cycles after a VFMA"},
  {"cortex-m33f", "exc_entry",     12, "ref: Arm's Cortex-M33 interrupt latency 12 [U]"},
  {"cortex-m33f", "exc_return",    10, "[est] as the M4: return 10"},
  {"cortex-m33f", "exc_tail_chain", 6, "[est] as the M3/M4: tail chain 6"},
};
// clang-format on

void PrintTo(const Row& row, std::ostream* os) {
  *os << row.variant << " " << row.name << " (" << row.multiplier << " multiplier)";
}

// The board each core variant runs on (sim/board.cpp).
std::string board_for(const std::string& variant) {
  static const std::map<std::string, std::string> boards = {
      {"cortex-m0", "nucleo-f030r8"},     {"cortex-m0plus", "nucleo-g071rb"},
      {"cortex-m3", "bluepill-f103c8"},   {"cortex-m4f", "nrf52840-dk"},
      {"cortex-m7f", "stm32f746g-disco"}, {"cortex-m33f", "nrf5340-dk"}};
  return boards.at(variant);
}

struct FirmwareRun {
  std::string error;  // empty when the firmware ran to its exit
  std::map<std::string, int64_t> counts;
  std::string console;
  std::vector<std::string> warnings;
};

// Runs microbench-<variant>.elf once per (variant, multiplier); all rows of a core share it.
// The small-multiplier run times MULS only (the firmware's command line selects it).
const FirmwareRun& microbench(const std::string& variant, const std::string& multiplier) {
  static std::map<std::string, FirmwareRun> runs;
  const std::string key = variant + "/" + multiplier;
  if (auto it = runs.find(key); it != runs.end()) return it->second;
  FirmwareRun& run = runs[key];
  auto image = Image::load(firmware("microbench", variant));
  // The documented counts are at zero wait states: run where the flash needs none.
  StatusOr<Board> board = testing::zero_wait_state_board(board_for(variant));
  if (!image.is_ok()) {
    run.error = image.status().message();
    return run;
  }
  board.value().core.multiplier = multiplier;
  MachineOptions options;
  options.ideal_memory = true;  // the documented counts are for zero-wait-state memory
  if (multiplier != "fast") options.command_line = "muls_narrow";
  auto machine = Machine::create(board.value(), image.value(), options);
  if (!machine.is_ok()) {
    run.error = machine.status().message();
    return run;
  }
  machine.value()->set_console([&](int, std::string_view text) { run.console += text; });
  machine.value()->set_warning_sink([&](const std::string& w) { run.warnings.push_back(w); });
  RunOptions limits;
  limits.max_instructions = 10'000'000;  // the whole firmware runs well under 1 M
  const RunResult result = machine.value()->run(limits);
  if (result.reason != StopReason::kExit || result.exit_code != 0) {
    run.error = std::string("stopped: ") + stop_reason_name(result.reason) +
                (result.fault ? " (" + result.fault->kind + ": " + result.fault->detail + ")" : "");
  }
  std::istringstream lines(run.console);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;  // comments: raw values
    char name[64];
    long cycles = 0;
    if (std::sscanf(line.c_str(), "%63s %ld", name, &cycles) == 2) {
      run.counts[name] = cycles;
    } else {
      run.error += "unparsed line: " + line + "\n";
    }
  }
  return run;
}

class MicrobenchTest : public ::testing::TestWithParam<Row> {};

TEST_P(MicrobenchTest, FirmwareMeasuresTheDocumentedCount) {
  const Row& row = GetParam();
  const FirmwareRun& run = microbench(row.variant, row.multiplier);
  ASSERT_TRUE(run.error.empty()) << run.error << "\n" << run.console;
  const auto it = run.counts.find(row.name);
  ASSERT_NE(it, run.counts.end()) << row.name << " not printed:\n" << run.console;
  EXPECT_EQ(it->second, row.expected)
      << row.variant << " " << row.name << " (" << row.source << ")";
}

std::string row_name(const ::testing::TestParamInfo<Row>& info) {
  std::string name = std::string(info.param.variant) + "_" + info.param.name;
  if (std::string(info.param.multiplier) != "fast")
    name += "_" + std::string(info.param.multiplier);
  for (char& ch : name) {
    if (ch == '-') ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Documented, MicrobenchTest, ::testing::ValuesIn(kRows), row_name);

// Every count a firmware prints has a row above (a new benchmark cannot go unchecked), and the
// firmware runs without warnings (every register it touches is modelled).
TEST(Microbench, EveryPrintedCountHasARow) {
  for (const char* variant :
       {"cortex-m0", "cortex-m0plus", "cortex-m3", "cortex-m4f", "cortex-m7f", "cortex-m33f"}) {
    SCOPED_TRACE(variant);
    const FirmwareRun& run = microbench(variant, "fast");
    ASSERT_TRUE(run.error.empty()) << run.error << "\n" << run.console;
    EXPECT_TRUE(run.warnings.empty()) << run.warnings.front();
    EXPECT_GT(run.counts.size(), 10u);
    for (const auto& [name, cycles] : run.counts) {
      bool found = false;
      for (const Row& row : kRows) {
        found |= row.variant == std::string(variant) && row.name == name &&
                 row.multiplier == std::string("fast");
      }
      EXPECT_TRUE(found) << name << " " << cycles << " has no row in kRows";
    }
  }
}

}  // namespace
}  // namespace tinysim::sim
