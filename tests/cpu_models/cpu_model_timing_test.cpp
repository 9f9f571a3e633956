// Exact-cycle tests: each row runs one sequence of timing_sequences.S on one core model and
// checks the cycle count the named source documents (a TRM table, or a silicon measurement for
// the M7 and M33). The same rows are the plan for the firmware micro-benchmarks: the sequence,
// timed with DWT.CYCCNT around it, must give the same count in the simulator at zero wait states.
//
// Sources, abbreviated in the table:
//   M0 T3-1   Arm DDI0432C (Cortex-M0 TRM r0p0), Table 3-1
//   M0+ T3-1  Arm DDI0484C (Cortex-M0+ TRM r0p1), Table 3-1 (rows the reference file tags [U])
//   M3 T3-1   Arm 100165_0201 (Cortex-M3 TRM r2p1), Table 3-1;  M3 3.3.2: "Load/store timings"
//   M4 T3-1   Arm DDI0439D (Cortex-M4 TRM r0p1), Table 3-1; M4 3.3.2; M4 T7-1: FPU Table 7-1
//   jnk0le    jnk0le/random "pipeline cycle test": doc/cortex_m0.md, cortex_m3m4.md (STM32F103,
//             STM32F407), cortex_m7.md (STM32H743), cortex_m33.md (RP2350), DWT.CYCCNT
//   i-0.nl    compendium.i-0.nl "Branch timing" (Cortex-M4 silicon): taken branch 2, 3 to an
//             unaligned 32-bit target
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "cpu_models/core_model.h"
#include "sequences.h"

namespace tinysim::testing {
namespace {

using cpu_models::CoreModelOptions;
using cpu_models::Multiplier;

enum class Mode {
  kOnce,          // run once; conditional branches taken `taken` times
  kPerIteration,  // steady-state cycles per iteration of a loop
  kMispredict,    // cycles of a cold run minus a warm run of the same sequence (branch taken)
};

struct TimingCase {
  const char* core;
  const char* sequence;
  Mode mode;
  int taken;
  uint64_t expected;
  const char* source;
  Multiplier multiplier = Multiplier::kFast;
};

// clang-format off
const TimingCase kCases[] = {
  // ---- Cortex-M0 -------------------------------------------------------------------------
  {"cortex-m0", "alu4",            Mode::kOnce, 0, 4,  "M0 T3-1: ADDS/SUBS/LSLS/MOVS 1 each"},
  {"cortex-m0", "ldr_ldr_narrow",  Mode::kOnce, 0, 4,  "M0 T3-1: LDR 2, no pipelining"},
  {"cortex-m0", "ldr_use_narrow",  Mode::kOnce, 0, 3,  "jnk0le cortex_m0.md: no load-to-use latency (LDR 2 + ADDS 1)"},
  {"cortex-m0", "push5",           Mode::kOnce, 0, 6,  "M0 T3-1: PUSH 1+N, N=5"},
  {"cortex-m0", "pop5_pc",         Mode::kOnce, 0, 9,  "M0 T3-1: POP {..., PC} 4+N, N=5"},
  {"cortex-m0", "ldm3_narrow",     Mode::kOnce, 0, 4,  "M0 T3-1: LDM 1+N, N=3"},
  {"cortex-m0", "cmp_beq",         Mode::kOnce, 1, 4,  "M0 T3-1: CMP 1 + B<cc> taken 3"},
  {"cortex-m0", "cmp_beq",         Mode::kOnce, 0, 2,  "M0 T3-1: CMP 1 + B<cc> not taken 1"},
  {"cortex-m0", "b_narrow",        Mode::kOnce, 0, 3,  "M0 T3-1: B 3"},
  {"cortex-m0", "bl_call",         Mode::kOnce, 0, 4,  "M0 T3-1: BL 4"},
  {"cortex-m0", "bx_lr",           Mode::kOnce, 0, 3,  "M0 T3-1: BX 3"},
  {"cortex-m0", "mov_pc",          Mode::kOnce, 0, 3,  "M0 T3-1: MOV PC 3"},
  {"cortex-m0", "muls_narrow",     Mode::kOnce, 0, 1,  "M0 T3-1: MULS 1 (fast multiplier)"},
  {"cortex-m0", "muls_narrow",     Mode::kOnce, 0, 32, "M0 T3-1: MULS 32 (small multiplier)", Multiplier::kSmall},
  {"cortex-m0", "mrs_primask",     Mode::kOnce, 0, 4,  "M0 T3-1: MRS 4"},
  {"cortex-m0", "dsb_only",        Mode::kOnce, 0, 4,  "M0 T3-1: DSB 4"},
  // ---- Cortex-M0+ ------------------------------------------------------------------------
  {"cortex-m0plus", "alu4",        Mode::kOnce, 0, 4,  "M0+ T3-1: 1 each"},
  {"cortex-m0plus", "ldr_use_narrow", Mode::kOnce, 0, 3, "M0+ T3-1: LDR 2 + ADDS 1"},
  {"cortex-m0plus", "pop5_pc",     Mode::kOnce, 0, 8,  "M0+ T3-1: POP {..., PC} 3+N, N=5 [U]"},
  {"cortex-m0plus", "cmp_beq",     Mode::kOnce, 1, 3,  "M0+ T3-1: CMP 1 + B<cc> taken 2 [U]"},
  {"cortex-m0plus", "cmp_beq",     Mode::kOnce, 0, 2,  "M0+ T3-1: CMP 1 + B<cc> not taken 1"},
  {"cortex-m0plus", "b_narrow",    Mode::kOnce, 0, 2,  "M0+ T3-1: B 2 [U]"},
  {"cortex-m0plus", "bl_call",     Mode::kOnce, 0, 3,  "M0+ T3-1: BL 3 [U]"},
  {"cortex-m0plus", "bx_lr",       Mode::kOnce, 0, 2,  "M0+ T3-1: BX 2 [U]"},
  {"cortex-m0plus", "muls_narrow", Mode::kOnce, 0, 32, "M0+ T3-1: MULS 32 (small multiplier)", Multiplier::kSmall},
  {"cortex-m0plus", "mrs_primask", Mode::kOnce, 0, 3,  "M0+ T3-1: MRS 3 [U]"},
  // ---- Cortex-M3 -------------------------------------------------------------------------
  {"cortex-m3", "trm_ldr_ldr",     Mode::kOnce, 0, 3,  "M3 3.3.2: LDR R0,[R1]; LDR R1,[R2] - three cycles"},
  {"cortex-m3", "trm_ldr_str",     Mode::kOnce, 0, 3,  "M3 3.3.2: LDR R0,[R1,R2]; STR R0,[R3,#20] - three cycles"},
  {"cortex-m3", "trm_ldr_str_regoffset", Mode::kOnce, 0, 3, "M3 3.3.2: LDR R0,[R1,R2]; STR R1,[R3,R2] - three cycles"},
  {"cortex-m3", "trm_ldr_ldr_ldr", Mode::kOnce, 0, 4,  "M3 3.3.2: LDR R0,[R1,R5]; LDR R1,[R2]; LDR R2,[R4] - four cycles"},
  {"cortex-m3", "ldr_dependent_address", Mode::kOnce, 0, 4, "M3 3.3.2: no pipelining when the address uses the first LDR's result (2+2)"},
  {"cortex-m3", "alu_then_ldr_address", Mode::kOnce, 0, 4, "M3 3.3.2: address from the preceding data-processing op stalls 1 (1+1+2)"},
  {"cortex-m3", "alu_then_ldr_other", Mode::kOnce, 0, 3, "M3 T3-1: ADDS 1 + LDR 2 (no dependency)"},
  {"cortex-m3", "str_str_imm",     Mode::kOnce, 0, 2,  "M3 3.3.2: STR Rx,[Ry,#imm] is always one cycle"},
  {"cortex-m3", "str_then_ldr",    Mode::kOnce, 0, 4,  "jnk0le cortex_m3m4.md: a store followed by a load takes an extra cycle (2+2)"},
  {"cortex-m3", "str_regoffset_alu", Mode::kOnce, 0, 3, "jnk0le cortex_m3m4.md: register-offset store 2 cycles, + ADDS 1"},
  {"cortex-m3", "ldr_postinc_chain", Mode::kOnce, 0, 4, "jnk0le cortex_m3m4.md: [cm3] post-indexed loads do not chain (2+2)"},
  {"cortex-m3", "ldm4",            Mode::kOnce, 0, 5,  "M3 T3-1: LDM 1+N, N=4"},
  {"cortex-m3", "pop2_pc",         Mode::kOnce, 0, 6,  "M3 T3-1: POP with PC 1+N+P, N=2, P=3"},
  {"cortex-m3", "pop5_pc",         Mode::kOnce, 0, 9,  "M3 T3-1: POP with PC 1+N+P, N=5, P=3"},
  {"cortex-m3", "push5",           Mode::kOnce, 0, 6,  "M3 T3-1: PUSH 1+N, N=5"},
  {"cortex-m3", "ldrd_strd",       Mode::kOnce, 0, 6,  "M3 T3-1 / 3.3.2: LDRD 3, STRD 3"},
  {"cortex-m3", "ldr_pc",          Mode::kOnce, 0, 5,  "M3 3.3.2: LDR PC 'at least five cycles' (2 + 3 refill)"},
  {"cortex-m3", "tbb_table",       Mode::kOnce, 0, 5,  "M3 T3-1: TBB 2+P, P=3"},
  {"cortex-m3", "b_narrow",        Mode::kOnce, 0, 2,  "M3 T3-1: B 1+P, P=1"},
  {"cortex-m3", "bl_call",         Mode::kOnce, 0, 2,  "M3 T3-1: BL 1+P, P=1"},
  {"cortex-m3", "bx_lr",           Mode::kOnce, 0, 2,  "M3 T3-1: BX 1+P, P=1"},
  {"cortex-m3", "cmp_beq",         Mode::kOnce, 1, 3,  "M3 T3-1: CMP 1 + B<cc> taken 1+P"},
  {"cortex-m3", "cmp_beq",         Mode::kOnce, 0, 2,  "M3 T3-1: CMP 1 + B<cc> not taken 1"},
  {"cortex-m3", "cbz_fwd",         Mode::kOnce, 1, 2,  "M3 T3-1: CBZ taken 1+P"},
  {"cortex-m3", "cbz_fwd",         Mode::kOnce, 0, 1,  "M3 T3-1: CBZ not taken 1"},
  {"cortex-m3", "b_wide_aligned_target", Mode::kOnce, 0, 3, "i-0.nl: taken branch 2, + ADD.W 1"},
  {"cortex-m3", "b_wide_unaligned_target", Mode::kOnce, 0, 4, "i-0.nl: branch to an unaligned 32-bit instruction 3, + ADD.W 1"},
  {"cortex-m3", "it_after_narrow", Mode::kOnce, 0, 2,  "M3 T3-1: IT folded onto a preceding 16-bit instruction: 0"},
  {"cortex-m3", "it_after_wide",   Mode::kOnce, 0, 3,  "M3 T3-1: IT 1 when not folded"},
  {"cortex-m3", "mul_mla",         Mode::kOnce, 0, 3,  "M3 T3-1: MUL 1, MLA 2"},
  {"cortex-m3", "umull_one",       Mode::kOnce, 0, 3,  "M3 T3-1: UMULL 3-5 (static minimum; probe adds the rest)"},
  {"cortex-m3", "smlal_one",       Mode::kOnce, 0, 4,  "M3 T3-1: SMLAL 4-7 (static minimum)"},
  {"cortex-m3", "sdiv_one",        Mode::kOnce, 0, 2,  "M3 T3-1: SDIV 2-12 (static minimum)"},
  // ---- Cortex-M4 -------------------------------------------------------------------------
  {"cortex-m4", "trm_ldr_ldr",     Mode::kOnce, 0, 3,  "M4 3.3.2: LDR;LDR three cycles"},
  {"cortex-m4", "trm_ldr_str",     Mode::kOnce, 0, 3,  "M4 3.3.2: LDR;STR three cycles"},
  {"cortex-m4", "trm_ldr_ldr_ldr", Mode::kOnce, 0, 4,  "M4 3.3.2: LDR;LDR;LDR four cycles"},
  {"cortex-m4", "alu_then_ldr_address", Mode::kOnce, 0, 4, "M4 3.3.2: address dependency stall 1"},
  {"cortex-m4", "str_then_ldr",    Mode::kOnce, 0, 4,  "jnk0le cortex_m3m4.md: store then load 2+2"},
  {"cortex-m4", "ldr_postinc_chain", Mode::kOnce, 0, 3, "jnk0le cortex_m3m4.md: [cm4] post-indexed loads on different bases chain (2+1)"},
  {"cortex-m4", "pop2_pc",         Mode::kOnce, 0, 6,  "M4 T3-1: POP with PC 1+N+P"},
  {"cortex-m4", "cmp_beq",         Mode::kOnce, 1, 3,  "M4 T3-1: CMP 1 + B<cc> taken 1+P"},
  {"cortex-m4", "b_wide_unaligned_target", Mode::kOnce, 0, 4, "i-0.nl (M4 silicon): unaligned wide target 3, + ADD.W 1"},
  {"cortex-m4", "it_after_narrow", Mode::kOnce, 0, 2,  "M4 T3-1: IT folded 0"},
  {"cortex-m4", "mul_mla",         Mode::kOnce, 0, 2,  "M4 T3-1: MUL 1, MLA 1"},
  {"cortex-m4", "umull_one",       Mode::kOnce, 0, 1,  "M4 T3-1: UMULL 1"},
  {"cortex-m4", "smlal_one",       Mode::kOnce, 0, 1,  "M4 T3-1: SMLAL 1"},
  {"cortex-m4", "vadd_indep",      Mode::kOnce, 0, 2,  "M4 T7-1: VADD.F32 1 each"},
  {"cortex-m4", "vadd_dep",        Mode::kOnce, 0, 3,  "M4 T7-1 + reference: result used by the next instruction +1"},
  {"cortex-m4", "vadd_gap_dep",    Mode::kOnce, 0, 3,  "M4 T7-1: no stall when one instruction separates producer and consumer"},
  {"cortex-m4", "vmla_one",        Mode::kOnce, 0, 3,  "M4 T7-1: VMLA.F32 3"},
  {"cortex-m4", "vmla_chain",      Mode::kOnce, 0, 7,  "M4 T7-1: VMLA 3 + 1 (result use) + VMLA 3"},
  {"cortex-m4", "vfma_chain_spaced", Mode::kOnce, 0, 8, "M4 T7-1: VFMA 3 + 2 x MOV 1 + VFMA 3 (no stall)"},
  {"cortex-m4", "vldr_32_64",      Mode::kOnce, 0, 5,  "M4 T7-1: VLDR.32 2, VLDR.64 3"},
  {"cortex-m4", "vpush_s4",        Mode::kOnce, 0, 5,  "M4 T7-1: VPUSH 1+N, N=4 single registers"},
  {"cortex-m4", "vpush_d2",        Mode::kOnce, 0, 5,  "M4 T7-1: VPUSH 1+2N, N=2 double registers"},
  {"cortex-m4", "vmov_core",       Mode::kOnce, 0, 2,  "M4 T7-1: VMOV S -> core 2"},
  {"cortex-m4", "vdiv_then_int_then_vadd", Mode::kOnce, 0, 15, "M4 T7-1: VDIV 14; integer ops complete meanwhile; VADD 1 after"},
  {"cortex-m4", "vdiv_then_use",   Mode::kOnce, 0, 16, "M4 T7-1: VDIV 14 + 1 (result use) + VADD 1"},
  // ---- Cortex-M7 (silicon) ---------------------------------------------------------------
  {"cortex-m7", "m7_loop_add4",    Mode::kPerIteration, 0, 3, "jnk0le cortex_m7.md: ALU pairs dual issue; 20 instructions incl. a branch in 10 cycles"},
  {"cortex-m7", "m7_add_pair",     Mode::kOnce, 0, 1,  "jnk0le cortex_m7.md: two ALU ops dual issue"},
  {"cortex-m7", "m7_shifted_pair", Mode::kOnce, 0, 2,  "jnk0le cortex_m7.md operand2 matrix: two inline-shifted ops do not pair"},
  {"cortex-m7", "m7_shifted_plain", Mode::kOnce, 0, 1, "jnk0le cortex_m7.md operand2 matrix: shifted + plain pair"},
  {"cortex-m7", "m7_bitfield_pair", Mode::kOnce, 0, 2, "jnk0le cortex_m7.md: bitfield/DSP ops do not pair with each other"},
  {"cortex-m7", "m7_mul_pair",     Mode::kOnce, 0, 2,  "jnk0le cortex_m7.md: MUL/MAC do not pair with each other"},
  {"cortex-m7", "m7_mul_add",      Mode::kOnce, 0, 1,  "jnk0le cortex_m7.md: MUL pairs with an ALU op"},
  {"cortex-m7", "m7_mul_use",      Mode::kOnce, 0, 3,  "jnk0le cortex_m7.md: multiply result latency +1 (2)"},
  {"cortex-m7", "m7_mla_acc_chain", Mode::kOnce, 0, 2, "jnk0le cortex_m7.md: accumulator chains issue every cycle"},
  {"cortex-m7", "m7_ldr_use",      Mode::kOnce, 0, 2,  "jnk0le cortex_m7.md: word load feeds the late ALU next cycle"},
  {"cortex-m7", "m7_ldrb_use",     Mode::kOnce, 0, 3,  "jnk0le cortex_m7.md: byte/half load +1"},
  {"cortex-m7", "m7_ldr_ldr_banks", Mode::kOnce, 0, 1, "jnk0le cortex_m7.md: two loads to different banks pair"},
  {"cortex-m7", "m7_ldr_ldr_samebank", Mode::kOnce, 0, 2, "jnk0le cortex_m7.md: two loads to the same bank do not pair"},
  {"cortex-m7", "m7_ldr_str",      Mode::kOnce, 0, 1,  "jnk0le cortex_m7.md: a load and a store pair"},
  {"cortex-m7", "m7_str_str",      Mode::kOnce, 0, 2,  "jnk0le cortex_m7.md: two stores do not pair"},
  {"cortex-m7", "m7_ldm4",         Mode::kOnce, 0, 2,  "jnk0le cortex_m7.md: LDM ceil(N/2), N=4"},
  {"cortex-m7", "m7_vadd_dep",     Mode::kOnce, 0, 4,  "jnk0le cortex_m7.md: VADD.F result latency 3"},
  {"cortex-m7", "m7_vfma_acc",     Mode::kOnce, 0, 4,  "jnk0le cortex_m7.md: VFMA latency 3 as accumulator"},
  {"cortex-m7", "m7_vmla_mul_dep", Mode::kOnce, 0, 7,  "jnk0le cortex_m7.md: VMLA latency 6 as multiplicand"},
  {"cortex-m7", "m7_vdiv",         Mode::kOnce, 0, 16, "jnk0le cortex_m7.md: VDIV.F32 16"},
  {"cortex-m7", "m7_cold_beq_late_flags", Mode::kMispredict, 1, 8, "jnk0le cortex_m7.md: mispredict 8 cycles"},
  {"cortex-m7", "m7_cold_beq_early_flags", Mode::kMispredict, 1, 6, "jnk0le cortex_m7.md: mispredict 6 when the flags were set >= 3 cycles before"},
  // ---- Cortex-M33 (silicon) --------------------------------------------------------------
  {"cortex-m33", "m33_loop_subs_bne", Mode::kPerIteration, 0, 3, "jnk0le cortex_m33.md: SUBS 1 + taken BNE 2"},
  {"cortex-m33", "m33_loop_subs_add_bne", Mode::kPerIteration, 0, 3, "jnk0le cortex_m33.md: SUBS 1 + ADD.N 1 + taken BNE 1 (after a non-flag-setting 16-bit op)"},
  {"cortex-m33", "m33_adds_beq",   Mode::kOnce, 0, 1,  "jnk0le cortex_m33.md: ADDS 1 + not-taken BEQ 0 (dual issued)"},
  {"cortex-m33", "m33_adds_beq",   Mode::kOnce, 1, 3,  "jnk0le cortex_m33.md: ADDS 1 + taken BEQ 2"},
  {"cortex-m33", "m33_ldr_use",    Mode::kOnce, 0, 3,  "jnk0le cortex_m33.md: load-to-use latency 2"},
  {"cortex-m33", "m33_ldr_str",    Mode::kOnce, 0, 2,  "jnk0le cortex_m33.md: load-to-store latency 1"},
  {"cortex-m33", "m33_mla_chain",  Mode::kOnce, 0, 2,  "jnk0le cortex_m33.md: accumulator chains from the previous MAC"},
  {"cortex-m33", "m33_mul_use",    Mode::kOnce, 0, 3,  "jnk0le cortex_m33.md: multiply result latency 2"},
  {"cortex-m33", "m33_shifted_use", Mode::kOnce, 0, 3, "jnk0le cortex_m33.md: shifted operand2 result latency 2"},
  {"cortex-m33", "muls_narrow",    Mode::kOnce, 0, 2,  "jnk0le cortex_m33.md: MULS.N takes 2 cycles"},
  {"cortex-m33", "m33_ldrd",       Mode::kOnce, 0, 2,  "jnk0le cortex_m33.md: LDRD 2"},
  {"cortex-m33", "m33_ldm4",       Mode::kOnce, 0, 4,  "jnk0le cortex_m33.md: LDM of 4 registers 4"},
  {"cortex-m33", "m33_adds_nop",   Mode::kOnce, 0, 1,  "jnk0le cortex_m33.md: a NOP dual issues after a 16-bit op"},
  {"cortex-m33", "m33_vfma_back_to_back", Mode::kOnce, 0, 4, "jnk0le cortex_m33.md: no FP instruction in the 2 cycles after a VFMA"},
};
// clang-format on

class TimingTest : public ::testing::TestWithParam<TimingCase> {};

TEST_P(TimingTest, MatchesDocumentedCycles) {
  const TimingCase& c = GetParam();
  CoreModelOptions options;
  options.multiplier = c.multiplier;
  std::unique_ptr<cpu_models::CoreModel> model = cpu_models::make_core_model(c.core, options);
  ASSERT_NE(model, nullptr) << c.core;
  const Sequence& seq = sequence(c.sequence);
  uint64_t got = 0;
  switch (c.mode) {
    case Mode::kOnce:
      got = run_sequence(*model, seq, c.taken);
      break;
    case Mode::kPerIteration: {
      bool exact = false;
      got = cycles_per_iteration(*model, seq, &exact);
      EXPECT_TRUE(exact) << "per-iteration cycles are not an integer";
      break;
    }
    case Mode::kMispredict: {
      const uint64_t cold = run_sequence(*model, seq, c.taken);
      const uint64_t warm = run_sequence(*model, seq, c.taken);
      got = cold - warm;
      break;
    }
  }
  EXPECT_EQ(got, c.expected) << c.core << " " << c.sequence << " (" << c.source << ")";
}

std::string case_name(const ::testing::TestParamInfo<TimingCase>& info) {
  std::string name = std::string(info.param.core) + "_" + info.param.sequence;
  if (info.param.taken > 0 && info.param.mode == Mode::kOnce) name += "_taken";
  if (info.param.multiplier == Multiplier::kSmall) name += "_small_multiplier";
  for (char& ch : name) {
    if (ch == '-') ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Documented, TimingTest, ::testing::ValuesIn(kCases), case_name);

}  // namespace
}  // namespace tinysim::testing
