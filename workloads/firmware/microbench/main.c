/* Micro-benchmark runner: times the documented instruction sequences of microbench.S with the
 * core's own counter (DWT.CYCCNT, or SysTick on ARMv6-M) and prints one "name cycles" line per
 * benchmark over semihosting, the measurement overhead already subtracted. Lines starting with
 * '#' are comments (raw values behind a derived count).
 *
 * The firmware command line selects benchmarks by name (words separated by spaces); empty runs
 * all. Built once per core variant with MB_CORE = 0 (M0), 1 (M0+), 3, 4, 7 or 33, which picks
 * the list below. docs/microbenchmarks.md has the method and how to run this on silicon. */
#include <stdint.h>
#include <stdio.h>

#include "cmdline.h"

#ifndef MB_CORE
#error "MB_CORE must be 0 (M0), 1 (M0+), 3, 4, 7 or 33"
#endif
#define MB_V6M (MB_CORE == 0 || MB_CORE == 1)

#define REG32(address) (*(volatile uint32_t*)(address))
#define DEMCR REG32(0xE000EDFCu)
#define DWT_CTRL REG32(0xE0001000u)
#define DWT_LAR REG32(0xE0001FB0u)
#define SYST_CSR REG32(0xE000E010u)
#define SYST_RVR REG32(0xE000E014u)
#define SYST_CVR REG32(0xE000E018u)
#define FPCCR REG32(0xE000EF34u)
#define ICSR_PENDSVSET (1u << 28)
#define ICSR_PENDSTSET (1u << 26)
#define FPCCR_LSPEN (1u << 30)

typedef uint32_t (*bench_fn)(uint32_t, uint32_t, uint32_t, uint32_t);

struct bench {
  const char* name;  // what is printed (a sequence name, "_taken" for the taken direction...)
  bench_fn fn;
  uint32_t a0, a1;  // arguments: branch condition, operand values
};

#define DECLARE(name) extern uint32_t mb_##name(uint32_t, uint32_t, uint32_t, uint32_t);
#define ENTRY(name) {#name, mb_##name, 0, 0},

/* Straight-line and branch benchmarks per core: the sequences with a row in
 * tests/sim/microbench_test.cpp (most also in tests/cpu_models/cpu_model_timing_test.cpp). */
// clang-format off
#if MB_V6M
#define SIMPLE(X)                                                                             \
  X(alu4) X(ldr_ldr_narrow) X(ldr_use_narrow) X(push5) X(pop5_pc) X(ldm3_narrow) X(cmp_beq) \
      X(b_narrow) X(bl_call) X(bx_lr) X(mov_pc) X(muls_narrow) X(mrs_primask) X(dsb_only)
#elif MB_CORE == 3 || MB_CORE == 4
#define SIMPLE_V7M(X)                                                                             \
  X(trm_ldr_ldr) X(trm_ldr_str) X(trm_ldr_str_regoffset) X(trm_ldr_ldr_ldr)                     \
  X(ldr_dependent_address) X(alu_then_ldr_address) X(alu_then_ldr_other) X(str_str_imm)        \
  X(str_then_ldr) X(str_regoffset_alu) X(ldr_postinc_chain) X(ldm4) X(pop2_pc) X(pop5_pc)       \
  X(push5) X(ldrd_strd) X(ldr_pc) X(tbb_table) X(b_narrow) X(bl_call) X(bx_lr) X(cmp_beq)       \
  X(cbz_fwd) X(b_wide_aligned_target) X(b_wide_unaligned_target) X(it_after_narrow)             \
  X(it_after_wide) X(mul_mla) X(umull_one) X(smlal_one) X(sdiv_one) X(udiv_one)
#if MB_CORE == 3
#define SIMPLE(X) SIMPLE_V7M(X)
#else
#define SIMPLE(X)                                                                                 \
  SIMPLE_V7M(X) X(vadd_indep) X(vadd_dep) X(vadd_gap_dep) X(vmla_one) X(vmla_chain)             \
  X(vfma_chain_spaced) X(vldr_32_64) X(vpush_s4) X(vpush_d2) X(vmov_core)                       \
  X(vdiv_then_int_then_vadd) X(vdiv_then_use)
#endif
#elif MB_CORE == 7
#define SIMPLE(X)                                                                            \
  X(m7_add_pair) X(m7_shifted_pair) X(m7_shifted_plain) X(m7_bitfield_pair) X(m7_mul_pair) \
  X(m7_mul_add) X(m7_mul_use) X(m7_mla_acc_chain) X(m7_ldr_use) X(m7_ldrb_use)             \
  X(m7_ldr_ldr_banks) X(m7_ldr_ldr_samebank) X(m7_ldr_str) X(m7_str_str) X(m7_ldm4)        \
  X(m7_vadd_dep) X(m7_vfma_acc) X(m7_vmla_mul_dep) X(m7_vdiv)
#elif MB_CORE == 33
#define SIMPLE(X)                                                                               \
  X(m33_adds_beq) X(m33_ldr_use) X(m33_ldr_str) X(m33_mla_chain) X(m33_mul_use)               \
  X(m33_shifted_use) X(muls_narrow) X(m33_ldrd) X(m33_ldm4) X(m33_adds_nop)                   \
  X(m33_vfma_back_to_back)
#else
#error "unknown MB_CORE"
#endif
// clang-format on

DECLARE(empty)
SIMPLE(DECLARE)
#if MB_CORE == 3 || MB_CORE == 4
DECLARE(udiv_cold)
#endif
#if MB_CORE == 7
DECLARE(m7_loop_add4)
DECLARE(m7_loop_early_flags)
extern void mb_m7_cold_beq_late_flags(uint32_t out[2]);
extern void mb_m7_cold_beq_early_flags(uint32_t out[2]);
#elif MB_CORE == 33
DECLARE(m33_loop_subs_bne)
DECLARE(m33_loop_subs_add_bne)
#endif
extern void mb_exception(uint32_t thread_icsr, uint32_t handler_icsr, uint32_t fp_context,
                         uint32_t out[5]);
extern void mb_call_return(uint32_t out[2]);

/* Argument variants: the direction of a conditional branch, operand values. The other
 * sequences run with zero arguments. */
static const struct bench kVariants[] = {
#if MB_V6M
    {"cmp_beq_taken", mb_cmp_beq, 0, 0},  // cmp r0, #0 with r0 = 0
    {"cmp_beq", mb_cmp_beq, 1, 0},
#elif MB_CORE == 3 || MB_CORE == 4
    {"cmp_beq_taken", mb_cmp_beq, 0, 0},
    {"cmp_beq", mb_cmp_beq, 1, 0},
    {"cbz_fwd_taken", mb_cbz_fwd, 0, 0},
    {"cbz_fwd", mb_cbz_fwd, 1, 0},
    /* Long multiplies: Rn = a0, Rm = a1. Early termination (M3) by the size of Rm. */
    {"umull_one", mb_umull_one, 0x12345678u, 0x1234u},      // Rm in 16 bits: the minimum
    {"umull_max", mb_umull_one, 0x12345678u, 0xFFFFFFFFu},  // Rm in 32 bits: the maximum
    {"smlal_one", mb_smlal_one, 0x12345678u, 0xFFFFFFF0u},  // Rm = -16: 8 bits, signed
    {"smlal_max", mb_smlal_one, 0x12345678u, 0x7FFFFFFFu},
    /* Divides: dividend a0, divisor a1. */
    {"sdiv_one", mb_sdiv_one, 5, 7},                // dividend < divisor: the minimum
    {"sdiv_mid", mb_sdiv_one, (uint32_t)-1000, 7},  // 8 quotient bits
    {"udiv_max", mb_udiv_one, 0xFFFFFFFFu, 1},      // 32 quotient bits: the maximum
#elif MB_CORE == 33
    {"m33_adds_beq_taken", mb_m33_adds_beq, 0, 0},  // adds r3, r4 with r3 = r4 = 0
    {"m33_adds_beq", mb_m33_adds_beq, 1, 0},
#endif
    {0, 0, 0, 0},  // end
};

static const struct bench kSimple[] = {SIMPLE(ENTRY)};

/* ------------------------------------------------------------------------- selection ---- */

static const char* g_cmdline;

static int selected(const char* name) {
  const char* p = g_cmdline;
  if (!p || !*p) return 1;
  while (*p) {
    while (*p == ' ') ++p;
    const char* word = p;
    while (*p && *p != ' ') ++p;
    const char* n = name;
    const char* w = word;
    while (w < p && *n && *w == *n) ++w, ++n;
    if (w == p && *n == 0 && p > word) return 1;
  }
  return 0;
}

/* A sequence with argument variants in kVariants is run and printed through those only. */
static int has_variant(bench_fn fn) {
  for (const struct bench* b = kVariants; b->name; ++b) {
    if (b->fn == fn) return 1;
  }
  return 0;
}

/* ------------------------------------------------------------------------- timing ------- */

/* Timer delta from `earlier` to `later`. */
static int32_t delta(uint32_t earlier, uint32_t later) {
#if MB_V6M
  return (int32_t)((earlier - later) & 0xFFFFFFu); /* SysTick counts down, 24 bits */
#else
  return (int32_t)(later - earlier);
#endif
}

/* Runs a benchmark twice and keeps the second delta, as on silicon (the first run warms caches
 * and predictors there; in tinysim it also lets the simulator instrument blocks that read the
 * counter mid-block). */
static int32_t measure(bench_fn fn, uint32_t a0, uint32_t a1) {
  (void)fn(a0, a1, 0, 0);
  return (int32_t)fn(a0, a1, 0, 0);
}

static int32_t g_overhead;

static void print(const char* name, int32_t cycles) {
  if (selected(name)) printf("%s %ld\n", name, (long)cycles);
}

static void run_simple(void) {
  for (const struct bench* b = kVariants; b->name; ++b) {
    if (selected(b->name)) print(b->name, measure(b->fn, b->a0, b->a1) - g_overhead);
  }
  for (unsigned i = 0; i < sizeof kSimple / sizeof kSimple[0]; ++i) {
    const struct bench* b = &kSimple[i];
    if (has_variant(b->fn) || !selected(b->name)) continue;
    print(b->name, measure(b->fn, b->a0, b->a1) - g_overhead);
  }
}

#if MB_CORE == 7 || MB_CORE == 33
/* A loop timed with 2 and with 12 iterations: cycles per iteration = (c12 - c2) / 10; what is
 * left of c2 after two iterations is the exit (on the M7, the mispredicted loop branch). The
 * first run, with 12 iterations, trains the M7's predictor (a loop branch seen once is weakly
 * taken; after 10 taken executions the single not-taken exit keeps it predicted taken). */
static void run_loop(const char* name, const char* exit_name, bench_fn fn) {
  if (!selected(name) && !(exit_name && selected(exit_name))) return;
  (void)fn(12, 0, 0, 0);
  const int32_t c2 = measure(fn, 2, 0) - g_overhead;
  const int32_t c12 = measure(fn, 12, 0) - g_overhead;
  printf("# %s: 2 iterations %ld, 12 iterations %ld\n", name, (long)c2, (long)c12);
  const int32_t per_iteration = (c12 - c2) / 10;
  if ((c12 - c2) % 10 != 0) printf("# %s: not a whole number of cycles per iteration\n", name);
  print(name, per_iteration);
  if (exit_name) print(exit_name, c2 - 2 * per_iteration);
}
#endif

#if MB_CORE == 7
/* Mispredict penalty: the same always-taken branch, cold (its first execution: no predictor
 * entry, predicted not taken) minus warm (the next execution: predicted taken). */
static void run_cold_warm(const char* name, void (*fn)(uint32_t out[2])) {
  if (!selected(name)) return;
  uint32_t out[2];
  fn(out);
  printf("# %s: cold %ld, warm %ld\n", name, (long)out[0] - g_overhead, (long)out[1] - g_overhead);
  print(name, (int32_t)(out[0] - out[1]));
}
#endif

enum { kT3, kT0, kT1, kT2, kT4 }; /* mb_exception's out[] */

struct exception_latencies {
  int32_t entry, exit, tail_chain;
};

/* Entry, return and tail-chain latencies, each the difference between two runs of the same
 * code (microbench.S, mb_exception): with and without the exception, or an exception return
 * against an ordinary BX LR return. Second of two passes. */
static struct exception_latencies measure_exceptions(uint32_t fp_context) {
  uint32_t with[5], without[5], chain[5], call[2];
  for (int pass = 0; pass < 2; ++pass) {
    mb_exception(ICSR_PENDSVSET, 0, fp_context, with);
    mb_exception(0, 0, fp_context, without);
    mb_exception(ICSR_PENDSVSET, ICSR_PENDSTSET, fp_context, chain);
    mb_call_return(call);
  }
  const int32_t plain_return = delta(call[1], call[0]);
  struct exception_latencies l;
  l.entry = delta(with[kT0], with[kT1]) - delta(without[kT0], without[kT3]);
  l.exit = delta(with[kT2], with[kT3]) - plain_return;
  l.tail_chain = delta(chain[kT2], chain[kT4]) - plain_return;
  return l;
}

static void run_exceptions(void) {
  if (selected("exc_entry") || selected("exc_return") || selected("exc_tail_chain")) {
    const struct exception_latencies l = measure_exceptions(0);
    print("exc_entry", l.entry);
    print("exc_return", l.exit);
    print("exc_tail_chain", l.tail_chain);
  }
#if MB_CORE == 4
  /* With an active FP context (CONTROL.FPCA): lazy stacking on (FPCCR.LSPEN, the reset value),
   * then off. The handlers use no FP instruction. */
  if (selected("exc_entry_fp_lazy") || selected("exc_return_fp_lazy")) {
    const struct exception_latencies l = measure_exceptions(1);
    print("exc_entry_fp_lazy", l.entry);
    print("exc_return_fp_lazy", l.exit);
  }
  if (selected("exc_entry_fp") || selected("exc_return_fp")) {
    const uint32_t fpccr = FPCCR;
    FPCCR = fpccr & ~FPCCR_LSPEN;
    const struct exception_latencies l = measure_exceptions(1);
    FPCCR = fpccr;
    print("exc_entry_fp", l.entry);
    print("exc_return_fp", l.exit);
  }
#endif
}

int main(void) {
  g_cmdline = test_cmdline();
#if MB_V6M
  SYST_RVR = 0xFFFFFFu; /* full 24-bit range: deltas wrap correctly */
  SYST_CVR = 0;
  SYST_CSR = 5u; /* ENABLE | CLKSOURCE (core clock), no interrupt */
#else
  DEMCR |= 1u << 24;     /* TRCENA */
  DWT_LAR = 0xC5ACCE55u; /* unlock (needed on the Cortex-M7) */
  DWT_CTRL |= 1u;        /* CYCCNTENA */
#endif
  g_overhead = measure(mb_empty, 0, 0);
  printf("# overhead %ld\n", (long)g_overhead);
  run_simple();
#if MB_CORE == 3 || MB_CORE == 4
  /* One execution, no warm-up: the first run of a block is timed as exactly as later ones. */
  if (selected("udiv_max_cold")) {
    print("udiv_max_cold", (int32_t)mb_udiv_cold(0xFFFFFFFFu, 1, 0, 0) - g_overhead);
  }
#endif
#if MB_CORE == 7
  run_loop("m7_loop_add4", "m7_loop_add4_exit", mb_m7_loop_add4);
  run_loop("m7_loop_early_flags", "m7_loop_early_flags_exit", mb_m7_loop_early_flags);
  run_cold_warm("m7_cold_beq_late_flags", mb_m7_cold_beq_late_flags);
  run_cold_warm("m7_cold_beq_early_flags", mb_m7_cold_beq_early_flags);
#elif MB_CORE == 33
  run_loop("m33_loop_subs_bne", NULL, mb_m33_loop_subs_bne);
  run_loop("m33_loop_subs_add_bne", NULL, mb_m33_loop_subs_add_bne);
#endif
  run_exceptions();
  return 0;
}
