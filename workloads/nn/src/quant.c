/* Requantisation helpers exported for callers, the exact XNNPACK requantisation, and the
 * build's identity. */
#include "nn_internal.h"

int32_t ts_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift) {
  /* The same choice of form as the kernels make in TFLite mode (ts__rq_prepare), so tests of
   * this function check the fast form too. */
  if (shift <= -2 && multiplier >= 0) {
    return ts__rq_fast(x, multiplier, (int32_t)(1u << (-shift - 2)), -shift - 1);
  }
  return ts__mbqm(x, multiplier, shift);
}

/* ---- XNNPACK's float32 requantisation, step by step in integers (requant.h) ---------------- */

/* Number of significant bits of x (0 for 0). */
static int32_t bit_length(uint64_t x) {
  int32_t n = 0;
  if (x >> 32) {
    n = 32;
    x >>= 32;
  }
  const uint32_t w = (uint32_t)x;
  return w == 0 ? n : n + 32 - __builtin_clz(w);
}

/* x / 2^k rounded to nearest, ties to even. REQUIRES: 1 <= k <= 63. */
static uint64_t shift_round_even(uint64_t x, int32_t k) {
  const uint64_t half = (uint64_t)1 << (k - 1);
  return (x + half - 1u + ((x >> k) & 1u)) >> k;
}

/* Rounds x * 2^*e to 24 significant bits as float arithmetic does (the result may be 2^24). */
static uint64_t round_to_float(uint64_t x, int32_t* e) {
  const int32_t excess = bit_length(x) - 24;
  if (excess <= 0) return x;
  *e += excess;
  return shift_round_even(x, excess);
}

int32_t ts__xnn_exact(int32_t acc, int32_t multiplier, int32_t shift) {
  if (acc == 0 || multiplier <= 0) return 0;
  const uint32_t magnitude = acc < 0 ? 0u - (uint32_t)acc : (uint32_t)acc;
  int32_t e = shift - 31;                                      /* value = a * m * 2^e */
  const uint64_t a = round_to_float(magnitude, &e);            /* float(acc), step 2 */
  const uint64_t m = round_to_float((uint32_t)multiplier, &e); /* float(multiplier), step 1 */
  const uint64_t p = round_to_float(a * m, &e);                /* the product, step 3: <= 2^24 */
  uint32_t r;                                                  /* step 4, |value| saturated */
  if (e >= 0) {
    r = e > 7 ? (1u << 24) : (uint32_t)p << e; /* p << 7 <= 2^31 */
    if (r > (1u << 24)) r = 1u << 24;
  } else if (e < -25) {
    r = 0; /* p <= 2^24: below 1/2 */
  } else {
    r = (uint32_t)shift_round_even(p, -e);
  }
  return acc < 0 ? -(int32_t)r : (int32_t)r;
}

const char* ts_nn_implementation(void) {
  return TS_NN_DSP ? "dsp" : "portable";
}

const char* ts_nn_requantization(void) {
  return TS_NN_RQ_TFLITE ? "tflite" : TS_NN_RQ_INTEGER ? "xnnpack-integer" : "xnnpack-float";
}
