/* Internal helpers shared by the kernels: the fixed-point arithmetic of TFLite's requantisation,
 * which implementation this build compiles, and (requant.h) how conv, depthwise and FC outputs
 * are requantised. Not part of the public API. */
#ifndef TINYSIM_NN_INTERNAL_H
#define TINYSIM_NN_INTERNAL_H

#include <stdint.h>

#include "tinysim/nn.h"

/* TS_NN_DSP: 1 when the SMLAD-based kernels are compiled (on the target, or emulated). */
#if defined(TS_NN_PORTABLE)
#define TS_NN_DSP 0
#elif defined(TS_NN_EMULATE_DSP) || defined(__ARM_FEATURE_DSP)
#define TS_NN_DSP 1
#else
#define TS_NN_DSP 0
#endif

#if defined(__GNUC__)
#define TS_NN_INLINE static inline __attribute__((always_inline))
#else
#define TS_NN_INLINE static inline
#endif

/* gemmlowp's SaturatingRoundingDoublingHighMul: the high 32 bits of 2*a*b, rounded half up
 * (the nudge then truncating division of the published definition equals floor((ab + 2^30) /
 * 2^31)); only INT32_MIN * INT32_MIN overflows, and saturates. */
TS_NN_INLINE int32_t ts__srdhm(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  return (int32_t)(((int64_t)a * b + ((int64_t)1 << 30)) >> 31);
}

/* gemmlowp's RoundingDivideByPOT: x / 2^e rounded half away from zero, 0 <= e <= 31. */
TS_NN_INLINE int32_t ts__rdbp(int32_t x, int32_t e) {
  const int32_t mask = (int32_t)((1u << e) - 1u);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0);
  return (x >> e) + (remainder > threshold);
}

/* TFLite's MultiplyByQuantizedMultiplier (shift > 0: left). The left shift wraps like the
 * hardware would instead of being undefined. */
TS_NN_INLINE int32_t ts__mbqm(int32_t x, int32_t multiplier, int32_t shift) {
  const int32_t left = shift > 0 ? shift : 0;
  const int32_t right = shift > 0 ? 0 : -shift;
  return ts__rdbp(ts__srdhm((int32_t)((uint32_t)x << left), multiplier), right);
}

/* Fast requantisation. For right shifts of 2 or more (shift <= -2) and multipliers >= 0,
 * which is what TFLite's QuantizeMultiplier gives for scales below 1/4 (conv and FC layers in
 * practice), the two roundings collapse into one 64-bit multiply-add: with e = -shift,
 *   RDBP(SRDHM(a, m), e) = floor((a*m + 2^30 + 2^(e+30) - [a < 0] * 2^31) / 2^(e+31)),
 * because floor(floor(y / p) / q) = floor(y / (p q)) and RDBP rounds half away from zero by
 * adding 2^(e-1) - [x < 0] before flooring; [x < 0] may be read off a's sign since m >= 0 (when
 * they differ, x is 0 and both forms give 0). The constant is the accumulator of one SMLAL
 * (high word 2^(e-2) - [a < 0], low word 2^30 or 3 * 2^30) and the result is its high word
 * shifted right by e - 1. ts_multiply_by_quantized_multiplier uses it, so the unit tests check
 * it bit for bit against the definitions.
 * REQUIRES: shift <= -2, multiplier >= 0, round_hi = 2^(-shift-2), high_shift = -shift - 1. */
TS_NN_INLINE int32_t ts__rq_fast(int32_t a, int32_t multiplier, int32_t round_hi,
                                 int32_t high_shift) {
  const uint32_t lo = 0x40000000u ^ ((uint32_t)a & 0x80000000u);
  const int32_t hi = round_hi + (a >> 31);
  const int64_t z =
      (int64_t)(((uint64_t)(uint32_t)hi << 32) | lo) + (int64_t)a * (int64_t)multiplier;
  return (int32_t)(z >> 32) >> high_shift;
}

TS_NN_INLINE int32_t ts__clamp(int32_t v, int32_t lo, int32_t hi) {
  v = v < lo ? lo : v;
  return v > hi ? hi : v;
}

#include "requant.h"

/* Hides a pointer's provenance from the optimiser. GCC otherwise turns `p += step` chains inside
 * a loop into one induction variable per step, more than Cortex-M has registers for, and spills
 * them in the hot loop. No instruction is emitted. */
#if defined(__GNUC__)
#define TS_NN_OPAQUE(p) __asm__("" : "+r"(p))
#else
#define TS_NN_OPAQUE(p) ((void)0)
#endif

TS_NN_INLINE int32_t ts__min(int32_t a, int32_t b) {
  return a < b ? a : b;
}
TS_NN_INLINE int32_t ts__max(int32_t a, int32_t b) {
  return a > b ? a : b;
}

/* The portable depthwise kernel, also the DSP build's path for depth_multiplier > 1. */
void ts__depthwise_conv2d_s8_portable(const ts_dw_conv_params*, const ts_channel_quant*,
                                      const ts_shape* in, const int8_t* in_data,
                                      const ts_shape* filter, const int8_t* filter_data,
                                      const int32_t* bias, const ts_shape* out, int8_t* out_data);

#endif /* TINYSIM_NN_INTERNAL_H */
