/* Requantisation of conv, depthwise and FC outputs: the int32 accumulator of one output channel
 * to an int8 output. Included by nn_internal.h; not part of the public API.
 *
 * Two schemes, chosen at compile time (docs/nn-kernels.md):
 *  - XNNPACK (the default): what the TFLite interpreter computes when its XNNPACK delegate runs
 *    the layer. scale = float(multiplier) * 2^(shift - 31), product float(acc) * scale (both
 *    rounded to float, to nearest even), clamped to [act_min - zp, act_max - zp], rounded to the
 *    nearest integer (ties to even), plus zp. Computed in float where the core has an FPU (and
 *    on the host), in integers only elsewhere (Cortex-M0/M0+/M3, or TS_NN_REQUANT_INTEGER): the
 *    two are bit-identical, see below.
 *  - TFLite (TS_NN_REQUANT_TFLITE): TFLite's reference fixed-point MultiplyByQuantizedMultiplier
 *    (ts__mbqm, ts__rq_fast in nn_internal.h).
 *
 * Kernels prepare a ts__rq per output channel (ts__rq_prepare, a few instructions) and apply it
 * to that channel's accumulators (ts__rq_out). */
#ifndef TINYSIM_NN_REQUANT_H
#define TINYSIM_NN_REQUANT_H

#include <stdint.h>

/* TS_NN_RQ_TFLITE, TS_NN_RQ_INTEGER: which arithmetic this build compiles. */
#if defined(TS_NN_REQUANT_TFLITE)
#define TS_NN_RQ_TFLITE 1
#define TS_NN_RQ_INTEGER 0
#elif defined(TS_NN_REQUANT_INTEGER) || (defined(__arm__) && !defined(__ARM_FP))
#define TS_NN_RQ_TFLITE 0
#define TS_NN_RQ_INTEGER 1
#else
#define TS_NN_RQ_TFLITE 0
#define TS_NN_RQ_INTEGER 0
#endif

/* ---- XNNPACK's float32 requantisation in integers ------------------------------------------
 *
 * What the float arithmetic computes, with multiplier m in [0, 2^31) and shift in [-95, 31]
 * (every value below is then a normal float: no subnormals, no overflow):
 *   1. float(m) = m rounded to 24 significant bits (ties to even); the power of two is exact.
 *   2. float(acc): likewise, exact when |acc| <= 2^24.
 *   3. v = float(acc) * scale, the exact product rounded to 24 significant bits.
 *   4. clamp to [lo, hi] = [act_min - zp, act_max - zp], round to an integer (ties to even).
 * lo and hi are integers, so clamping before or after the rounding of step 4 gives the same
 * result (rounding to integers is monotonic and leaves integers alone): we round, then clamp.
 * Also |lo|, |hi| <= 255, so any result of magnitude >= 256 clamps like any other of its sign.
 *
 * ts__xnn_exact() follows steps 1-4 literally with 64-bit integers (round to 24 bits, multiply,
 * round to 24 bits, round to an integer) and is exact for every input; it is the slow path.
 *
 * The fast path (ts__rq_out below) avoids the intermediate rounding of step 3. Write the exact
 * product as v = n + f with n = floor(v), f in [0, 1). Step 3 moves v by at most half a unit in
 * the last place, which is 2^-17 while |v| < 2^8; so when f is not within 2^-17 of 1/2, steps 3
 * and 4 give round-half-up of the exact product, floor(v + 1/2): the rounded value of step 3 is
 * on the same side of n + 1/2 as v (n and n + 1/2 are floats). When |v| >= 2^8 both give a
 * result of magnitude >= 256 (rounding is monotonic and 256 is a float): same clamp. Only f
 * near 1/2 (a tie, or a double-rounding case) needs the slow path.
 *
 * In integers, with |acc| <= 2^24 (so step 2 is exact) and m normalised to [2^30, 2^31):
 * float(m) = m24 * 2^7 with m24 = round(m / 2^7) in [2^23, 2^24) after renormalising (shift + 1
 * if it rounds up to 2^24), so v = acc * m24 * 2^(e - 24), e = shift (+1). Scale the product so
 * its binary point is at bit T = 32 + s of a 64-bit word: M = m24 * 2^b with b = 8 + e, s = 0
 * for e in [-8, -1]; b = 0, s = -8 - e for e in [-22, -9] (M < 2^31, s <= 14). Then
 *   X = acc * M + 2^(T-1) + 2^(T-17)        (one SMLAL; |X| < 2^56)
 *   result = floor(X / 2^T) = (high word of X) >> s
 * is floor(v + 1/2) unless the fraction of v lies in [1/2 - 2^-17, 1/2 + 2^-17]; in that case
 * X mod 2^T lies in [0, 2^(T-16)], so the low word of X is below 2^(T-15) = 2^(17+s). Taking the
 * slow path whenever the low word is below 2^(17+s) covers every near-tie (and, rarely, a few
 * other inputs, which the slow path computes exactly too): about 1 output in 2^(15-s).
 *
 * tests/nn/requant_test.cpp checks the integer path (fast and slow) against the float one bit
 * for bit on tens of millions of inputs: random and adversarial accumulators (ties, the double-
 * rounding windows, |acc| around 2^24, INT32_MIN/MAX), multipliers (rounding carries, unnormalised
 * ones, 0) and shifts from -95 to 31. */

/* ts__xnn_exact (quant.c): steps 1-4 for any acc, m in [0, 2^31), shift in [-95, 31]; the
 * rounded value before the clamp, saturated to [-2^24, 2^24]. */
int32_t ts__xnn_exact(int32_t acc, int32_t multiplier, int32_t shift);

/* acc * m + k as a 64-bit value, returned as its low word with the high word in *hi.
 * ARMv6-M has no long multiply (GCC would call __aeabi_lmul, and handles 64-bit temporaries
 * poorly): four 16 x 16 -> 32 bit products there, summed with explicit carries.
 * REQUIRES: |a| <= 2^24, 0 <= m < 2^31. */
TS_NN_INLINE uint32_t ts__mla64(int32_t a, int32_t m, uint32_t k_lo, uint32_t k_hi, int32_t* hi) {
#if defined(TS_NN_MLA64_SPLIT) || (defined(__ARM_ARCH_ISA_THUMB) && __ARM_ARCH_ISA_THUMB == 1)
  const uint32_t al = (uint32_t)a & 0xFFFFu, ml = (uint32_t)m & 0xFFFFu;
  const int32_t ah = a >> 16, mh = m >> 16; /* |ah| <= 2^8, mh < 2^15 */
  uint32_t lo = k_lo, h = k_hi, t;
  t = al * ml; /* < 2^32 */
  lo += t;
  h += lo < t;
  const int32_t s1 = ah * (int32_t)ml; /* |s1| < 2^24 */
  t = (uint32_t)s1 << 16;
  lo += t;
  h += (uint32_t)(lo < t) + (uint32_t)(s1 >> 16);
  const uint32_t u2 = al * (uint32_t)mh; /* < 2^31 */
  t = u2 << 16;
  lo += t;
  h += (uint32_t)(lo < t) + (u2 >> 16);
  h += (uint32_t)(ah * mh);
  *hi = (int32_t)h;
  return lo;
#else
  const int64_t x = (int64_t)a * m + (int64_t)(((uint64_t)k_hi << 32) | k_lo);
  *hi = (int32_t)(x >> 32);
  return (uint32_t)x;
#endif
}

/* ---- One output channel, prepared ----------------------------------------------------------- */

typedef struct {
#if TS_NN_RQ_TFLITE
  int32_t multiplier, shift;
  int32_t round_hi, high_shift; /* ts__rq_fast's constants; high_shift < 0: ts__mbqm */
#elif TS_NN_RQ_INTEGER
  int32_t m;           /* M, the scaled float significand of the multiplier */
  int32_t s;           /* the binary point is at bit 32 + s */
  uint32_t k_lo, k_hi; /* 2^(31+s) + 2^(15+s) */
  uint32_t lim;        /* 2^(17+s): low words below it take the slow path (all of them: 2^32 - 1) */
  int32_t multiplier, shift;
#else
  float scale;
#endif
} ts__rq;

TS_NN_INLINE void ts__rq_prepare(ts__rq* q, int32_t multiplier, int32_t shift) {
#if TS_NN_RQ_TFLITE
  q->multiplier = multiplier;
  q->shift = shift;
  if (shift <= -2 && multiplier >= 0) {
    q->round_hi = (int32_t)(1u << (-shift - 2));
    q->high_shift = -shift - 1;
  } else {
    q->round_hi = 0;
    q->high_shift = -1;
  }
#elif TS_NN_RQ_INTEGER
  q->multiplier = multiplier;
  q->shift = shift;
  q->m = 0; /* slow path only: the low word is 0, never >= lim */
  q->s = 0;
  q->k_lo = 0;
  q->k_hi = 0;
  q->lim = 0xFFFFFFFFu;
  if (multiplier < (1 << 30)) return; /* 0 or not normalised */
  /* float(multiplier) = m24 * 2^7: round off 7 bits, ties to even. */
  uint32_t m24 = ((uint32_t)multiplier + 63u + (((uint32_t)multiplier >> 7) & 1u)) >> 7;
  int32_t e = shift;
  if (m24 >> 24) { /* rounded up to 2^24 */
    m24 >>= 1;
    ++e;
  }
  if (e < -22 || e > -1) return;
  int32_t s = 0;
  if (e >= -8) {
    m24 <<= 8 + e;
  } else {
    s = -8 - e;
  }
  q->m = (int32_t)m24;
  q->s = s;
  const uint64_t k = ((uint64_t)1 << (31 + s)) + ((uint64_t)1 << (15 + s));
  q->k_lo = (uint32_t)k;
  q->k_hi = (uint32_t)(k >> 32);
  q->lim = 1u << (17 + s);
#else
  union {
    uint32_t u;
    float f;
  } pow2;
  pow2.u = (uint32_t)(shift - 31 + 127) << 23; /* 2^(shift - 31); shift in [-95, 31] */
  q->scale = (float)multiplier * pow2.f;
#endif
}

/* The requantised value of accumulator acc before the output offset and the clamp: exact
 * wherever |value| < 256, and of magnitude >= 256 otherwise (which every clamp maps alike). */
TS_NN_INLINE int32_t ts__rq_value(const ts__rq* q, int32_t acc) {
#if TS_NN_RQ_TFLITE
  return q->high_shift >= 0 ? ts__rq_fast(acc, q->multiplier, q->round_hi, q->high_shift)
                            : ts__mbqm(acc, q->multiplier, q->shift);
#elif TS_NN_RQ_INTEGER
  if ((uint32_t)acc + 0x1000000u <= 0x2000000u) { /* |acc| <= 2^24 */
    int32_t hi;
    const uint32_t lo = ts__mla64(acc, q->m, q->k_lo, q->k_hi, &hi);
    if (lo >= q->lim) return hi >> q->s; /* not near a tie */
  }
  return ts__xnn_exact(acc, q->multiplier, q->shift);
#elif defined(__ARM_FP) && defined(__GNUC__)
  /* VCVTR rounds with the FPSCR mode, round to nearest even after reset, and saturates. */
  const float v = (float)acc * q->scale;
  union {
    float f;
    int32_t i;
  } r;
  __asm__("vcvtr.s32.f32 %0, %1" : "=t"(r.f) : "t"(v));
  return r.i;
#else
  float v = (float)acc * q->scale;
  v = v < -1024.0f ? -1024.0f : v;
  v = v > 1024.0f ? 1024.0f : v;
  /* Round to nearest even without libm: adding and subtracting 1.5 * 2^23 leaves the integer
   * nearest |v| < 2^22 (IEEE arithmetic rounds the sum to nearest even). */
  return (int32_t)((v + 12582912.0f) - 12582912.0f);
#endif
}

/* The int8 output of accumulator acc: requantised, plus offset (the output zero point), clamped
 * to [act_min, act_max]. */
TS_NN_INLINE int8_t ts__rq_out(const ts__rq* q, int32_t acc, int32_t offset, int32_t act_min,
                               int32_t act_max) {
  return (int8_t)ts__clamp(ts__rq_value(q, acc) + offset, act_min, act_max);
}

/* ts__rq_value of four accumulators (in place) of four consecutive channels q[0..3]. */
TS_NN_INLINE void ts__rq_value4v(const ts__rq* q, int32_t* v0, int32_t* v1, int32_t* v2,
                                 int32_t* v3) {
#if !TS_NN_RQ_TFLITE && !TS_NN_RQ_INTEGER && defined(__ARM_FP) && defined(__GNUC__)
  /* As ts__rq_value4, the four scales loaded with one VLDM. */
  int32_t a0 = *v0, a1 = *v1, a2 = *v2, a3 = *v3;
  __asm__(
      "vldmia %[q], {s4-s7}\n\t"
      "vmov s0, s1, %[a0], %[a1]\n\t"
      "vmov s2, s3, %[a2], %[a3]\n\t"
      "vcvt.f32.s32 s0, s0\n\t"
      "vcvt.f32.s32 s1, s1\n\t"
      "vcvt.f32.s32 s2, s2\n\t"
      "vcvt.f32.s32 s3, s3\n\t"
      "vmul.f32 s0, s0, s4\n\t"
      "vmul.f32 s1, s1, s5\n\t"
      "vmul.f32 s2, s2, s6\n\t"
      "vmul.f32 s3, s3, s7\n\t"
      "vcvtr.s32.f32 s0, s0\n\t"
      "vcvtr.s32.f32 s1, s1\n\t"
      "vcvtr.s32.f32 s2, s2\n\t"
      "vcvtr.s32.f32 s3, s3\n\t"
      "vmov %[a0], %[a1], s0, s1\n\t"
      "vmov %[a2], %[a3], s2, s3"
      : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3)
      : [q] "r"(q), "m"(*(const ts__rq(*)[4])q)
      : "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7");
  *v0 = a0;
  *v1 = a1;
  *v2 = a2;
  *v3 = a3;
#else
  *v0 = ts__rq_value(&q[0], *v0);
  *v1 = ts__rq_value(&q[1], *v1);
  *v2 = ts__rq_value(&q[2], *v2);
  *v3 = ts__rq_value(&q[3], *v3);
#endif
}

/* ts__rq_value of four accumulators (in place), each with its channel's ts__rq (they may be the
 * same). With an FPU the four conversions interleave in one asm block: two-register VMOVs and
 * no result waited for by the next instruction (about 20 cycles on Cortex-M4 instead of 50). */
TS_NN_INLINE void ts__rq_value4(const ts__rq* q0, const ts__rq* q1, const ts__rq* q2,
                                const ts__rq* q3, int32_t* v0, int32_t* v1, int32_t* v2,
                                int32_t* v3) {
#if !TS_NN_RQ_TFLITE && !TS_NN_RQ_INTEGER && defined(__ARM_FP) && defined(__GNUC__)
  int32_t a0 = *v0, a1 = *v1, a2 = *v2, a3 = *v3;
  __asm__(
      "vmov s0, s1, %[a0], %[a1]\n\t"
      "vmov s2, s3, %[a2], %[a3]\n\t"
      "vcvt.f32.s32 s0, s0\n\t"
      "vcvt.f32.s32 s1, s1\n\t"
      "vcvt.f32.s32 s2, s2\n\t"
      "vcvt.f32.s32 s3, s3\n\t"
      "vmul.f32 s0, s0, %[q0]\n\t"
      "vmul.f32 s1, s1, %[q1]\n\t"
      "vmul.f32 s2, s2, %[q2]\n\t"
      "vmul.f32 s3, s3, %[q3]\n\t"
      "vcvtr.s32.f32 s0, s0\n\t"
      "vcvtr.s32.f32 s1, s1\n\t"
      "vcvtr.s32.f32 s2, s2\n\t"
      "vcvtr.s32.f32 s3, s3\n\t"
      "vmov %[a0], %[a1], s0, s1\n\t"
      "vmov %[a2], %[a3], s2, s3"
      : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3)
      : [q0] "t"(q0->scale), [q1] "t"(q1->scale), [q2] "t"(q2->scale), [q3] "t"(q3->scale)
      : "s0", "s1", "s2", "s3");
  *v0 = a0;
  *v1 = a1;
  *v2 = a2;
  *v3 = a3;
#else
  *v0 = ts__rq_value(q0, *v0);
  *v1 = ts__rq_value(q1, *v1);
  *v2 = ts__rq_value(q2, *v2);
  *v3 = ts__rq_value(q3, *v3);
#endif
}

/* Prepare and apply in one: for loops that requantise one output per channel. */
TS_NN_INLINE int8_t ts__requant(int32_t acc, int32_t multiplier, int32_t shift, int32_t offset,
                                int32_t act_min, int32_t act_max) {
  ts__rq q;
  ts__rq_prepare(&q, multiplier, shift);
  return ts__rq_out(&q, acc, offset, act_min, act_max);
}

#endif /* TINYSIM_NN_REQUANT_H */
