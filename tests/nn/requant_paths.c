/* One of the library's requantisation paths (requant.h) behind a plain function, for
 * requant_test.cpp, which links three builds of this file: float, integer, and integer with
 * Cortex-M0's split multiply (TS_NN_RQ_PATH names the function). */
#include "nn_internal.h"

int8_t TS_NN_RQ_PATH(int32_t acc, int32_t multiplier, int32_t shift, int32_t offset,
                     int32_t act_min, int32_t act_max) {
  ts__rq q;
  ts__rq_prepare(&q, multiplier, shift);
  return ts__rq_out(&q, acc, offset, act_min, act_max);
}
