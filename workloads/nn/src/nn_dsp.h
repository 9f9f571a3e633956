/* The DSP-extension operations the fast kernels use: ACLE intrinsics on the target, portable C
 * emulations of the same instructions under TS_NN_EMULATE_DSP (so the host tests run the very
 * code the M4/M7/M33 run). Only included when TS_NN_DSP is 1. */
#ifndef TINYSIM_NN_DSP_H
#define TINYSIM_NN_DSP_H

#include <stdint.h>
#include <string.h>

#include "nn_internal.h"

/* Unaligned 32-bit loads and stores: ARMv7E-M and ARMv8-M Mainline allow them on normal memory
 * and GCC turns these memcpy calls into single LDR/STR instructions. */
TS_NN_INLINE int32_t ts__read32(const void* p) {
  int32_t v;
  memcpy(&v, p, 4);
  return v;
}
TS_NN_INLINE void ts__write32(void* p, int32_t v) {
  memcpy(p, &v, 4);
}

#if defined(TS_NN_EMULATE_DSP)

/* Halfword lanes: lo = bits 0..15, hi = bits 16..31, each a signed 16-bit value. */
TS_NN_INLINE int32_t ts__lo16(int32_t x) {
  return (int16_t)(uint16_t)((uint32_t)x & 0xFFFFu);
}
TS_NN_INLINE int32_t ts__hi16(int32_t x) {
  return (int16_t)(uint16_t)((uint32_t)x >> 16);
}
TS_NN_INLINE int32_t ts__pack16(int32_t lo, int32_t hi) {
  return (int32_t)(((uint32_t)hi << 16) | ((uint32_t)lo & 0xFFFFu));
}
TS_NN_INLINE int32_t ts__byte(int32_t x, int n) {
  return (int8_t)(uint8_t)((uint32_t)x >> (8 * n));
}
/* The instructions wrap (SMLAD sets Q on overflow but keeps the low 32 bits). */
TS_NN_INLINE int32_t ts__wrap_add(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a + (uint32_t)b);
}

/* SXTB16: sign-extend bytes 0 and 2 into the two halfwords. */
TS_NN_INLINE int32_t ts__sxtb16(int32_t x) {
  return ts__pack16(ts__byte(x, 0), ts__byte(x, 2));
}
/* SXTB16 with ROR #8: bytes 1 and 3. */
TS_NN_INLINE int32_t ts__sxtb16_ror8(int32_t x) {
  return ts__pack16(ts__byte(x, 1), ts__byte(x, 3));
}
/* SXTAB16: a's halfwords plus sign-extended bytes 0 and 2 of x (each lane wraps to 16 bits). */
TS_NN_INLINE int32_t ts__sxtab16(int32_t a, int32_t x) {
  return ts__pack16(ts__lo16(a) + ts__byte(x, 0), ts__hi16(a) + ts__byte(x, 2));
}
/* SXTAB16 with ROR #8: a's halfwords plus bytes 1 and 3 of x. */
TS_NN_INLINE int32_t ts__sxtab16_ror8(int32_t a, int32_t x) {
  return ts__pack16(ts__lo16(a) + ts__byte(x, 1), ts__hi16(a) + ts__byte(x, 3));
}
/* SMLAD: acc + lo(a) * lo(b) + hi(a) * hi(b). */
TS_NN_INLINE int32_t ts__smlad(int32_t a, int32_t b, int32_t acc) {
  acc = ts__wrap_add(acc, ts__lo16(a) * ts__lo16(b));
  return ts__wrap_add(acc, ts__hi16(a) * ts__hi16(b));
}
/* SMLABB / SMLATT: acc + lo(a) * lo(b), acc + hi(a) * hi(b). */
TS_NN_INLINE int32_t ts__smlabb(int32_t a, int32_t b, int32_t acc) {
  return ts__wrap_add(acc, ts__lo16(a) * ts__lo16(b));
}
TS_NN_INLINE int32_t ts__smlatt(int32_t a, int32_t b, int32_t acc) {
  return ts__wrap_add(acc, ts__hi16(a) * ts__hi16(b));
}

#else /* the real instructions */

#include <arm_acle.h>

TS_NN_INLINE int32_t ts__sxtb16(int32_t x) {
  return __sxtb16(x);
}
TS_NN_INLINE int32_t ts__sxtab16(int32_t a, int32_t x) {
  return __sxtab16(a, x);
}
/* GCC 12's arm_acle.h has no __ror, and a separate rotate is not folded into SXTB16's ROR
 * operand, so the rotated forms are written out (one instruction instead of two). */
TS_NN_INLINE int32_t ts__sxtb16_ror8(int32_t x) {
  int32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}
TS_NN_INLINE int32_t ts__sxtab16_ror8(int32_t a, int32_t x) {
  int32_t r;
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(x));
  return r;
}
TS_NN_INLINE int32_t ts__smlad(int32_t a, int32_t b, int32_t acc) {
  return __smlad(a, b, acc);
}
TS_NN_INLINE int32_t ts__smlabb(int32_t a, int32_t b, int32_t acc) {
  return __smlabb(a, b, acc);
}
TS_NN_INLINE int32_t ts__smlatt(int32_t a, int32_t b, int32_t acc) {
  return __smlatt(a, b, acc);
}

#endif

#endif /* TINYSIM_NN_DSP_H */
