/* Requantisation helper exported for callers, and the build's identity. */
#include "nn_internal.h"

int32_t ts_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift) {
  /* The same choice of form as the kernels make (ts__requant), so tests of this function check
   * the fast form too. */
  if (shift <= -2 && multiplier >= 0) {
    return ts__rq_fast(x, multiplier, (int32_t)(1u << (-shift - 2)), -shift - 1);
  }
  return ts__mbqm(x, multiplier, shift);
}

const char* ts_nn_implementation(void) {
  return TS_NN_DSP ? "dsp" : "portable";
}

const char* ts_nn_requantization(void) {
  return TS_NN_REQUANT_FP32 ? "fp32" : "fixed-point";
}
