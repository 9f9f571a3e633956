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
TS_NN_INLINE void ts__write16(void* p, int32_t v) {
  const int16_t h = (int16_t)v;
  memcpy(p, &h, 2);
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

/* SSAT #16 of a and b, packed: a in the low halfword, b in the high one. */
TS_NN_INLINE int32_t ts__pack_sat16(int32_t a, int32_t b) {
  a = a < -32768 ? -32768 : a > 32767 ? 32767 : a;
  b = b < -32768 ? -32768 : b > 32767 ? 32767 : b;
  return ts__pack16(a, b);
}
/* QADD16: lane-wise saturating addition. */
TS_NN_INLINE int32_t ts__qadd16(int32_t a, int32_t b) {
  return ts__pack_sat16(ts__lo16(a) + ts__lo16(b), ts__hi16(a) + ts__hi16(b));
}
/* Lane-wise maximum and minimum (SSUB16 then SEL). */
TS_NN_INLINE int32_t ts__max16(int32_t a, int32_t b) {
  const int32_t lo = ts__lo16(a) >= ts__lo16(b) ? ts__lo16(a) : ts__lo16(b);
  const int32_t hi = ts__hi16(a) >= ts__hi16(b) ? ts__hi16(a) : ts__hi16(b);
  return ts__pack16(lo, hi);
}
TS_NN_INLINE int32_t ts__min16(int32_t a, int32_t b) {
  const int32_t lo = ts__lo16(a) <= ts__lo16(b) ? ts__lo16(a) : ts__lo16(b);
  const int32_t hi = ts__hi16(a) <= ts__hi16(b) ? ts__hi16(a) : ts__hi16(b);
  return ts__pack16(lo, hi);
}
/* UXTB16: bytes 0 and 2, zero-extended into the two halfwords. */
TS_NN_INLINE int32_t ts__uxtb16(int32_t x) {
  return (int32_t)((uint32_t)x & 0x00FF00FFu);
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

TS_NN_INLINE int32_t ts__pack_sat16(int32_t a, int32_t b) {
  int32_t r;
  __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(__ssat(a, 16)), "r"(__ssat(b, 16)));
  return r;
}
TS_NN_INLINE int32_t ts__qadd16(int32_t a, int32_t b) {
  return (int32_t)__qadd16((int16x2_t)a, (int16x2_t)b);
}
/* SSUB16 sets the GE flags per lane, SEL reads them: one asm block so nothing comes between. */
TS_NN_INLINE int32_t ts__max16(int32_t a, int32_t b) {
  int32_t r;
  __asm__("ssub16 %0, %1, %2\n\tsel %0, %1, %2" : "=&r"(r) : "r"(a), "r"(b) : "cc");
  return r;
}
TS_NN_INLINE int32_t ts__min16(int32_t a, int32_t b) {
  int32_t r;
  __asm__("ssub16 %0, %2, %1\n\tsel %0, %1, %2" : "=&r"(r) : "r"(a), "r"(b) : "cc");
  return r;
}
TS_NN_INLINE int32_t ts__uxtb16(int32_t x) {
  return (int32_t)__uxtb16((uint32_t)x);
}

#endif

/* Four requantised values r0..r3 (before the offset; any int32) to four int8 outputs, as
 * ts__clamp(r + offset, lo, hi) each, packed little-endian into one word: saturated to int16 and
 * paired, then offset, clamped and narrowed two lanes at a time. off2/lo2/hi2: the offset and
 * the clamp bounds in both halfwords (ts__dup16). */
TS_NN_INLINE int32_t ts__out4_s8(int32_t r0, int32_t r1, int32_t r2, int32_t r3, int32_t off2,
                                 int32_t lo2, int32_t hi2) {
  int32_t p02 = ts__qadd16(ts__pack_sat16(r0, r2), off2);
  int32_t p13 = ts__qadd16(ts__pack_sat16(r1, r3), off2);
  p02 = ts__min16(ts__max16(p02, lo2), hi2);
  p13 = ts__min16(ts__max16(p13, lo2), hi2);
  return (int32_t)((uint32_t)ts__uxtb16(p02) | ((uint32_t)ts__uxtb16(p13) << 8));
}

/* Two values to two int8 outputs, as ts__out4_s8, in the low halfword. */
TS_NN_INLINE int32_t ts__out2_s8(int32_t r0, int32_t r1, int32_t off2, int32_t lo2, int32_t hi2) {
  int32_t p = ts__qadd16(ts__pack_sat16(r0, r1), off2);
  p = ts__min16(ts__max16(p, lo2), hi2);
  p = ts__uxtb16(p);
  return (int32_t)((uint32_t)p | ((uint32_t)p >> 8));
}

/* v in both halfwords. */
TS_NN_INLINE int32_t ts__dup16(int32_t v) {
  return (int32_t)(((uint32_t)v << 16) | ((uint32_t)v & 0xFFFFu));
}

#endif /* TINYSIM_NN_DSP_H */
